from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionPlan,
    ActionPlanVersion,
    ActionStep,
    Difficulty,
    ExperienceNote,
    FollowUp,
    Indicator,
)


class StepInline(admin.TabularInline):
    model = ActionStep
    extra = 0


class ContributorInline(admin.TabularInline):
    model = ActionContributor
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["team", "coordinating_organisation", "meeting_frequency"]
    list_filter = ["team__programme"]


@admin.register(ActionPlanVersion)
class ActionPlanVersionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "adopted_on", "meeting"]
    readonly_fields = ["plan", "number", "adopted_on", "meeting", "adopted_by", "note", "snapshot"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # An adopted version is a record of a decision: frozen.
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "lead_organisation", "status", "progress_percent", "ends_on"]
    list_filter = ["plan__team__programme", "status", "priority", "solution"]
    search_fields = ["title", "description"]
    inlines = [StepInline, ContributorInline, IndicatorInline]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "held_on", "meeting"]


@admin.register(Difficulty)
class DifficultyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "status", "raised_at", "resolved_at"]
    list_filter = ["status"]


admin.site.register(ExperienceNote, SimpleHistoryAdmin)
