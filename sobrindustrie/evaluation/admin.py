from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.evaluation.models import (
    BalanceLine,
    Consequence,
    EcoCriterion,
    Evaluation,
    GhgBalance,
    Trip,
)


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "team", "status", "grid_version"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "team__name"]


@admin.register(Consequence)
class ConsequenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "evaluation", "direction"]
    list_filter = ["direction"]


class BalanceLineInline(admin.TabularInline):
    model = BalanceLine
    extra = 0


@admin.register(GhgBalance)
class GhgBalanceAdmin(SimpleHistoryAdmin):
    list_display = ["evaluation", "central_kg", "p5_kg", "p95_kg", "library_reference"]
    inlines = [BalanceLineInline]


@admin.register(Trip)
class TripAdmin(SimpleHistoryAdmin):
    list_display = ["day", "origin", "destination", "km", "mode", "people"]
    list_filter = ["mode", "programme"]


@admin.register(EcoCriterion)
class EcoCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["criterion", "status", "programme"]
