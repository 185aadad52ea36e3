from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.funding.models import (
    ApplicationDocument,
    ApplicationLog,
    CatalogueImport,
    FundingApplication,
    FundingProfile,
    FundingScheme,
    PublicodesInterface,
    Shortlist,
)


@admin.register(FundingScheme)
class FundingSchemeAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "nature",
        "source",
        "contact_operator",
        "valid_until",
        "withdrawn_on",
        "source_date",
    ]
    list_filter = ["source", "nature", "is_call_for_projects", "withdrawn_on"]
    search_fields = ["title", "slug", "contact_operator"]


class ApplicationLogInline(admin.TabularInline):
    model = ApplicationLog
    extra = 0
    readonly_fields = ["at", "user", "from_status", "to_status", "comment"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The log is written by the workflow only.
        return False


class ApplicationDocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0


@admin.register(FundingApplication)
class FundingApplicationAdmin(SimpleHistoryAdmin):
    list_display = [
        "scheme",
        "organisation",
        "action",
        "status",
        "amount_requested_eur",
        "amount_granted_eur",
    ]
    list_filter = ["status"]
    search_fields = ["scheme__title", "organisation__name", "action__title", "reference"]
    raw_id_fields = ["action", "organisation", "scheme"]
    # Statuses move through the workflow (with its log), not by editing the field here.
    readonly_fields = ["status"]
    inlines = [ApplicationDocumentInline, ApplicationLogInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # An application is withdrawn, never deleted: its days of support are booked on it.
        return False


@admin.register(Shortlist)
class ShortlistAdmin(SimpleHistoryAdmin):
    list_display = ["action", "scheme", "added_by", "created_at"]
    raw_id_fields = ["action", "scheme"]


@admin.register(FundingProfile)
class FundingProfileAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "micro_entrepreneur"]


@admin.register(PublicodesInterface)
class PublicodesInterfaceAdmin(admin.ModelAdmin):
    list_display = ["name", "sha256", "updated_at"]
    readonly_fields = ["rules", "sha256", "source"]


@admin.register(CatalogueImport)
class CatalogueImportAdmin(admin.ModelAdmin):
    list_display = ["run_at", "source", "directory", "created", "updated", "unchanged", "withdrawn"]
    readonly_fields = [
        "run_at", "source", "directory", "created", "updated", "unchanged", "withdrawn", "refused", "changes"
    ]  # fmt: skip
