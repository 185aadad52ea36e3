from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.diagnostics.models import (
    Barrier,
    Candidacy,
    CandidacyImport,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MethodVersion,
    NeedsSynthesis,
    Opportunity,
    StatusChange,
)


@admin.register(MethodVersion)
class MethodVersionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "programme", "status", "validated_by", "validated_at"]
    list_filter = ["programme", "status"]
    # The text of a version is loaded from its YAML file, never edited here: a change is a new version.
    readonly_fields = ["source_text", "fingerprint", "status", "validated_by", "validated_at"]


class SessionInline(admin.TabularInline):
    model = DiagnosticSession
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["transition", "from_status", "to_status", "by", "at", "comment"]
    can_delete = False


@admin.register(Diagnostic)
class DiagnosticAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "programme", "status", "method", "consultant"]
    list_filter = ["programme", "status"]
    search_fields = ["organisation__name"]
    filter_horizontal = ["shared_with"]
    inlines = [SessionInline, StatusChangeInline]


class BarrierInline(admin.TabularInline):
    model = Barrier
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "diagnostic", "solution", "status", "priority", "origin"]
    list_filter = ["solution", "status", "origin"]
    inlines = [BarrierInline]


@admin.register(CooperationSignal)
class CooperationSignalAdmin(SimpleHistoryAdmin):
    list_display = ["diagnostic", "direction", "kind", "solution", "category", "skill", "strength"]
    list_filter = ["direction", "kind", "solution"]


@admin.register(Candidacy)
class CandidacyAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "submitted_on"]
    search_fields = ["organisation__name"]


@admin.register(CandidacyImport)
class CandidacyImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "programme", "status", "uploaded_by", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["rows"]


admin.site.register(NeedsSynthesis, SimpleHistoryAdmin)
