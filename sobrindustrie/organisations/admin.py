from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.organisations.models import (
    Commune,
    Need,
    Offer,
    Organisation,
    Person,
    ProductionMeans,
    Site,
)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["commune"]


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["first_name", "last_name", "email", "phone", "job_title", "consent_given_on"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "programme", "commune", "naf_code", "workforce", "is_archived"]
    list_filter = ["programme", "kind", "is_archived"]
    search_fields = ["name", "siret"]
    autocomplete_fields = ["commune"]
    inlines = [SiteInline, PersonInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Organisations are archived, never deleted: too much refers to them.
        return False


@admin.register(ProductionMeans)
class ProductionMeansAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "category", "utilisation_rate", "condition", "planned_action"]
    list_filter = ["organisation__programme", "condition", "maintenance_mode", "planned_action"]
    search_fields = ["name", "organisation__name", "category"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "postcodes", "department_code"]
    search_fields = ["name", "insee_code", "postcodes"]


admin.site.register(Need, SimpleHistoryAdmin)
admin.site.register(Offer, SimpleHistoryAdmin)
admin.site.register(Person, SimpleHistoryAdmin)
