from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.cooperation.models import (
    CooperationAnalysis,
    DetectedOpportunity,
    Scenario,
    TeamConstraint,
)


@admin.register(CooperationAnalysis)
class CooperationAnalysisAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "programme",
        "run_by",
        "organisation_count",
        "machine_count",
        "opportunity_count",
    ]
    list_filter = ["programme"]
    readonly_fields = ["run_at", "run_by", "parameters", "duration_s"]


@admin.register(DetectedOpportunity)
class DetectedOpportunityAdmin(admin.ModelAdmin):
    list_display = ["solution", "provider", "receiver", "distance_km", "score"]
    list_filter = ["analysis__programme", "solution"]
    search_fields = ["wording", "provider__name", "receiver__name"]
    raw_id_fields = ["analysis", "provider", "receiver"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Opportunities come from an analysis run, never typed in.
        return False


@admin.register(TeamConstraint)
class TeamConstraintAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programme", "kind", "reason"]
    list_filter = ["programme", "kind"]
    filter_horizontal = ["organisations"]


@admin.register(Scenario)
class ScenarioAdmin(SimpleHistoryAdmin):
    list_display = ["name", "analysis", "origin", "objective", "optimum", "status", "adopted_at"]
    list_filter = ["analysis__programme", "origin", "status"]
    readonly_fields = ["adopted_at", "adopted_by"]
