"""The cooperation analysis of a programme and the team-formation scenarios built on it.

An analysis is a snapshot: the opportunities the engine found in the inventory, needs, offers and
diagnostic signals at the time it ran. Scenarios (partitions of the organisations into teams) refer
to one analysis, so their scores stay explainable after the inventory changes. Opportunities refer
to production means through a PROTECT link: a machine that explains a stored opportunity cannot be
deleted silently (the inventory page reports the refusal); running a new analysis releases the
machines of older analyses that no scenario uses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.cooperation.enums import ConstraintKind, ScenarioOrigin, SolveStatus
from sobrindustrie.cooperation.querysets import (
    AnalysisQuerySet,
    ConstraintQuerySet,
    OpportunityQuerySet,
    ScenarioQuerySet,
)
from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import TimeStampedModel, VersionedModel


class CooperationAnalysis(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="cooperation_analyses",
    )
    run_at = models.DateTimeField(_("run at"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    organisation_count = models.PositiveIntegerField(_("organisations"), default=0)
    machine_count = models.PositiveIntegerField(_("production means"), default=0)
    need_count = models.PositiveIntegerField(_("needs"), default=0)
    offer_count = models.PositiveIntegerField(_("offers"), default=0)
    signal_count = models.PositiveIntegerField(_("diagnostic signals"), default=0)
    opportunity_count = models.PositiveIntegerField(_("opportunities"), default=0)
    duration_s = models.FloatField(_("duration (s)"), default=0)
    inputs_state = models.JSONField(
        _("state of the data read"),
        default=dict,
        blank=True,
        help_text=_("Counts and latest change of what the analysis read, to tell when it is out of date."),
    )

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation analysis")
        verbose_name_plural = _("cooperation analyses")
        ordering = ["-run_at", "-pk"]
        get_latest_by = "run_at"

    def __str__(self) -> str:
        when = timezone.localtime(self.run_at).strftime("%d/%m/%Y %H:%M")
        return str(_("Analysis of %(date)s") % {"date": when})


class DetectedOpportunity(models.Model):
    """One cooperation the engine proposes: `provider` could do something for `receiver`."""

    analysis = models.ForeignKey(
        CooperationAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="opportunities",
    )
    solution = models.CharField(_("solution"), max_length=30, choices=Solution.choices)
    provider = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="opportunities_provided",
    )
    receiver = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("receiver"),
        on_delete=models.PROTECT,
        related_name="opportunities_received",
    )
    production_means = models.ManyToManyField(
        "organisations.ProductionMeans",
        verbose_name=_("production means"),
        through="OpportunityMeans",
        blank=True,
        related_name="cooperation_opportunities",
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    distance_km = models.FloatField(_("distance (km, great-circle × road factor)"))
    avoided_purchase_eur = models.FloatField(_("avoided purchase (€)"), default=0)
    avoided_kgco2e = models.FloatField(_("avoided embodied emissions (kgCO2e)"), default=0)
    km_avoided_per_year = models.FloatField(_("km avoided per year"), default=0)
    avoided_travel_kgco2e_per_year = models.FloatField(_("avoided travel (kgCO2e/year)"), default=0)
    hours_shared_per_year = models.FloatField(_("hours shared per year"), default=0)
    value_eur = models.FloatField(_("estimated value (€)"), default=0)
    fit = models.FloatField(_("fit"), default=1)
    score = models.FloatField(_("score"), db_index=True)
    wording = models.CharField(
        _("wording"),
        max_length=40,
        help_text=_(
            "What the engine says about it, as a code; the page writes the sentence in its language."
        ),
    )
    wording_params = models.JSONField(
        _("wording parameters"),
        default=dict,
        blank=True,
        help_text=_("Names, codes and numbers the sentence is written with (engine codes)."),
    )
    subject = models.CharField(
        _("subject"), max_length=120, help_text=_("The demand it answers; same subject, alternatives.")
    )
    basis = models.JSONField(
        _("basis of the figures"),
        default=dict,
        blank=True,
        help_text=_("Price, shares and embodied-emission inputs behind the avoided figures (engine codes)."),
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation opportunity")
        verbose_name_plural = _("cooperation opportunities")
        ordering = ["-score", "pk"]
        indexes = [models.Index(fields=["analysis", "solution"])]

    def __str__(self) -> str:
        return self.sentence

    @property
    def sentence(self) -> str:
        """The opportunity in a sentence, in the active language (see `cooperation.wording`)."""
        return sentence_of(self)

    @property
    def organisation_ids(self) -> tuple[int, int]:
        return self.provider_id, self.receiver_id  # type: ignore[return-value]

    @property
    def avoided_kgco2e_total(self) -> float:
        """Embodied emissions avoided once plus one year of avoided travel."""
        return self.avoided_kgco2e + self.avoided_travel_kgco2e_per_year


class OpportunityMeans(models.Model):
    """A production means named by an opportunity; PROTECT so that deleting it is refused."""

    opportunity = models.ForeignKey(DetectedOpportunity, on_delete=models.CASCADE)
    production_means = models.ForeignKey("organisations.ProductionMeans", on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("production means of an opportunity")
        verbose_name_plural = _("production means of opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "production_means"], name="opportunity_means_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.production_means_id} → {self.opportunity_id}"


class TeamConstraint(VersionedModel):
    """A rule for team formation set by the consultants. Must-link groups declared at candidacy live
    on the organisations (`preformed_group`) and are added to these when the problem is built."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="team_constraints",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConstraintKind.choices)
    organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("organisations"), related_name="team_constraints"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=[organisations])
    objects = ConstraintQuerySet.as_manager()

    class Meta:
        verbose_name = _("team constraint")
        verbose_name_plural = _("team constraints")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.reason})" if self.reason else self.get_kind_display()


class Scenario(VersionedModel):
    """A partition of the organisations into teams, saved to be compared and perhaps adopted.

    `teams` is a list of lists of organisation primary keys; `objective` its score (sum of pair
    weights inside teams) and `optimum` the optimiser's best objective for the same parameters, so
    that the loss of a hand-made change stays visible.
    """

    analysis = models.ForeignKey(
        CooperationAnalysis, verbose_name=_("analysis"), on_delete=models.PROTECT, related_name="scenarios"
    )
    name = models.CharField(_("name"), max_length=120)
    origin = models.CharField(_("origin"), max_length=20, choices=ScenarioOrigin.choices)
    teams = models.JSONField(_("teams"), default=list)
    parameters = models.JSONField(_("parameters"), default=dict)
    objective = models.FloatField(_("score"))
    optimum = models.FloatField(_("optimiser's best score"), null=True, blank=True)
    bound = models.FloatField(_("best bound"), null=True, blank=True)
    status = models.CharField(_("optimiser status"), max_length=20, choices=SolveStatus.choices)
    solver_time_s = models.FloatField(_("solver time (s)"), default=0)
    is_optimal = models.BooleanField(_("proven optimal"), default=False)
    broken = models.JSONField(_("broken constraints"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("team-formation scenario")
        verbose_name_plural = _("team-formation scenarios")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:scenario_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if not _is_partition_shape(self.teams):
            raise ValidationError({"teams": _("Teams must be a list of lists of organisation ids.")})

    @property
    def loss(self) -> float | None:
        return None if self.optimum is None else round(self.optimum - self.objective, 3)

    @property
    def organisation_ids(self) -> list[int]:
        return [pk for team in self.teams for pk in team]


def _is_partition_shape(teams: Any) -> bool:
    if not isinstance(teams, list):
        return False
    seen: set[int] = set()
    for team in teams:
        if not isinstance(team, list):
            return False
        for pk in team:
            if not isinstance(pk, int) or isinstance(pk, bool) or pk in seen:
                return False
            seen.add(pk)
    return True
