"""Priority action plans of the project teams, and their follow-up.

A team has one plan: the working draft, edited freely (optimistic locking guards each action).
At an action-plan workshop the draft is adopted as a numbered version: a frozen JSON snapshot
that is kept and shown as it was, while the draft goes on. Follow-ups record per action the
progress and status reached, and the difficulties met; a difficulty can be raised to ADEME.

Each action carries what the funding area reads (`investment_budget_eur`, `operating_budget_eur`,
`funding_need_eur`, `funding_nature`) and what the evaluation reads (the expected gains).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.actionplans.enums import (
    CLOSED_STATUSES,
    OPEN_STEP_STATUSES,
    ActionStatus,
    DifficultyStatus,
    FundingNature,
    IndicatorDirection,
    MeetingFrequency,
    Priority,
    RaciRole,
    StepStatus,
)
from sobrindustrie.actionplans.querysets import (
    ActionPlanQuerySet,
    ActionQuerySet,
    ActionRowQuerySet,
    DifficultyQuerySet,
    ExperienceNoteQuerySet,
    PlanRowQuerySet,
)
from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.core.search import SearchFoldedModel

NON_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class FrozenVersionError(Exception):
    """An adopted version is a record of what was decided: it is never changed."""


def _money(verbose_name: Any, help_text: Any = "") -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=help_text,
    )


def _quantity(verbose_name: Any) -> models.FloatField:  # type: ignore[type-arg]
    return models.FloatField(verbose_name, null=True, blank=True, validators=NON_NEGATIVE)


class ActionPlan(VersionedModel):
    """The working draft of a team's priority action plan, with how the team coordinates."""

    team = models.OneToOneField(
        "teams.ProjectTeam",
        verbose_name=_("project team"),
        on_delete=models.PROTECT,
        related_name="action_plan",
    )
    ambition = models.TextField(_("ambition of the plan"), blank=True)
    coordinating_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting_frequency = models.CharField(
        _("the team meets"), max_length=20, choices=MeetingFrequency.choices, blank=True
    )
    coordination_notes = models.TextField(
        _("how the members coordinate"),
        blank=True,
        help_text=_("Shared tools, who informs whom, how decisions are taken between companies."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["team__name"]

    def __str__(self) -> str:
        return str(_("Action plan of %(team)s")) % {"team": self.team}

    def get_absolute_url(self) -> str:
        return reverse("www:action_plan", args=[self.team_id])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        members = self.team.memberships.current() if self.team_id else None
        if (
            members is not None
            and self.coordinating_organisation_id
            and not members.filter(organisation_id=self.coordinating_organisation_id).exists()
        ):
            errors["coordinating_organisation"] = _(
                "The coordinating organisation must be a current member of the team."
            )
        if self.coordinator_id and self.coordinator.organisation_id != self.coordinating_organisation_id:
            errors["coordinator"] = _("The coordinator must belong to the coordinating organisation.")
        if errors:
            raise ValidationError(errors)


class ActionPlanVersion(TimeStampedModel):
    """A version of the plan adopted at an action-plan workshop: a frozen snapshot, kept for good."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("action-plan workshop"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_plan_versions",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("content as adopted"))

    class Meta:
        verbose_name = _("adopted version")
        verbose_name_plural = _("adopted versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return str(_("Version %(number)s of %(date)s")) % {
            "number": self.number,
            "date": self.adopted_on.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("www:action_plan_version", args=[self.plan.team_id, self.number])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrozenVersionError(_("An adopted version cannot be changed; adopt a new version instead."))
        super().save(*args, **kwargs)


class Action(SearchFoldedModel, VersionedModel):
    SEARCH_FIELDS = ("title", "description")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    solution = models.CharField(_("sobriety solution"), max_length=30, choices=Solution.choices)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_actions",
    )
    lead_person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("lead person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=PERCENT)
    investment_budget_eur = _money(_("investment budget (€ excl. VAT)"))
    operating_budget_eur = _money(_("operating budget (€ excl. VAT)"))
    funding_need_eur = _money(
        _("funding need (€)"), _("The part of the budget the members cannot finance alone.")
    )
    funding_nature = models.CharField(
        _("funding needed for"), max_length=20, choices=FundingNature.choices, blank=True
    )
    funding_notes = models.TextField(_("funders and schemes considered"), blank=True)
    expected_energy_kwh_per_year = _quantity(_("energy saved (kWh/year)"))
    expected_material_kg_per_year = _quantity(_("material saved (kg/year)"))
    expected_ghg_kgco2e_per_year = _quantity(_("greenhouse gases avoided (kgCO2e/year)"))
    expected_savings_eur_per_year = _money(_("savings (€/year)"))
    expected_km_avoided_per_year = _quantity(_("transport avoided (km/year)"))
    expected_local_partners = models.PositiveSmallIntegerField(
        _("local partners involved"), null=True, blank=True
    )
    gains_notes = models.TextField(_("how the gains were estimated"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        through="ActionDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "search_folded"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:action_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end (%(end)s) comes before the start (%(start)s).") % {
                "end": self.ends_on.strftime("%d/%m/%Y"),
                "start": self.starts_on.strftime("%d/%m/%Y"),
            }
        if self.lead_organisation_id and self.plan_id:
            current = self.plan.team.memberships.current()
            if not current.filter(organisation_id=self.lead_organisation_id).exists():
                errors["lead_organisation"] = _("The lead organisation must be a current member of the team.")
        if self.lead_person_id and self.lead_person.organisation_id != self.lead_organisation_id:
            errors["lead_person"] = _("The lead person must belong to the lead organisation.")
        if self.pk and self.starts_on and self.ends_on and self.ends_on >= self.starts_on:
            outside = self.steps.filter(due_on__isnull=False).exclude(
                due_on__range=(self.starts_on, self.ends_on)
            )
            names = [f"« {step.title} » ({step.due_on:%d/%m/%Y})" for step in outside.order_by("due_on")]
            if names:
                errors["ends_on"] = _(
                    "These steps would fall outside the period %(start)s – %(end)s: %(steps)s. "
                    "Move their due dates first."
                ) % {
                    "start": self.starts_on.strftime("%d/%m/%Y"),
                    "end": self.ends_on.strftime("%d/%m/%Y"),
                    "steps": ", ".join(names),
                }
        budget = self.total_budget_eur
        if self.funding_need_eur and budget and self.funding_need_eur > budget:
            errors["funding_need_eur"] = _(
                "The funding need (%(need)s €) exceeds the budget (%(budget)s €)."
            ) % {
                "need": self.funding_need_eur,
                "budget": budget,
            }
        if self.funding_need_eur and not self.funding_nature:
            errors["funding_nature"] = _("Say what the funding is for: study, investment or training.")
        if errors:
            raise ValidationError(errors)

    @property
    def total_budget_eur(self) -> Decimal | None:
        parts = [p for p in (self.investment_budget_eur, self.operating_budget_eur) if p is not None]
        return sum(parts, Decimal("0")) if parts else None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_late(self, today: dt.date | None = None) -> bool:
        """Past its end date and neither done nor abandoned."""
        return not self.is_closed and self.ends_on < (today or timezone.localdate())


class ActionDependency(TimeStampedModel):
    """`action` cannot be completed before `prerequisite` (same plan; the graph stays acyclic)."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="dependency_links"
    )
    prerequisite = models.ForeignKey(
        Action, verbose_name=_("depends on"), on_delete=models.CASCADE, related_name="dependent_links"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["action", "prerequisite"], name="dependency_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(action=models.F("prerequisite")), name="dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.prerequisite}"


class ActionContributor(TimeStampedModel):
    """An organisation (and optionally a person) taking part in an action, with its RACI role."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="contributors"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="action_contributions",
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=RaciRole.choices)
    note = models.CharField(_("contribution"), max_length=250, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["action", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation", "role"], name="contributor_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        if self.person_id and self.person.organisation_id != self.organisation_id:
            raise ValidationError({"person": _("This person belongs to another organisation.")})
        if (
            self.organisation_id
            and self.action_id
            and self.organisation.programme_id != self.action.plan.team.programme_id
        ):
            raise ValidationError({"organisation": _("This organisation belongs to another programme.")})


class ActionStep(TimeStampedModel):
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=200)
    # Null only on steps written before owners existed: forms require one for every open step.
    owner = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_steps",
        help_text=_("A person of a member organisation of the team, reminded when the step is late."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.TODO)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.done_on and self.status != StepStatus.DONE:
            errors["done_on"] = _("Give a completion date only for a step that is done.")
        elif self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("A step cannot be done in the future.")
        if self.action_id:
            if (message := self.period_error()) is not None:
                errors["due_on"] = message
            if (message := self.owner_error()) is not None:
                errors["owner"] = message
        if errors:
            raise ValidationError(errors)

    def period_error(self) -> str | None:
        """Why the due date falls outside the action's period, naming the step, the date and the
        period; None when it falls inside (or is not given)."""
        action = self.action
        if self.due_on is None or not action.starts_on or not action.ends_on:
            return None
        if action.starts_on <= self.due_on <= action.ends_on:
            return None
        return _(
            "The step “%(step)s” is due on %(date)s, outside the period of the action “%(action)s” "
            "(%(start)s – %(end)s): choose a date within it, or change the action's period first."
        ) % {
            "step": self.title,
            "date": self.due_on.strftime("%d/%m/%Y"),
            "action": action.title,
            "start": action.starts_on.strftime("%d/%m/%Y"),
            "end": action.ends_on.strftime("%d/%m/%Y"),
        }

    def owner_error(self) -> str | None:
        """Why the owner cannot own this step (not a person of a current member organisation of the
        team, or erased), naming the person and the team; None when they can."""
        if self.owner_id is None:
            return None
        owner, team = self.owner, self.action.plan.team
        values = {
            "person": str(owner),
            "organisation": owner.organisation.name,
            "team": team.name,
            "step": self.title,
        }
        if owner.erased_on is not None:
            return _("The person chosen for the step “%(step)s” was erased: choose another owner.") % values
        if not team.memberships.current().filter(organisation_id=owner.organisation_id).exists():
            return (
                _(
                    "%(person)s (%(organisation)s) is not a person of the team %(team)s: the step “%(step)s” "
                    "must be owned by someone of a current member organisation."
                )
                % values
            )
        return None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.status in OPEN_STEP_STATUSES
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )


class StepReminder(models.Model):
    """A late step e-mailed to its owner who has no account on the platform, on one day.

    Account holders are told through their notifications, whose key (`reminders.reminder_key`) is
    the step and the day; a person without an account has no notification, so this row plays that
    part: one per step, person and day, and the daily command tells each owner once per step and day.
    It holds no personal data of its own (the address is read from the person when sending).
    """

    step = models.ForeignKey(
        ActionStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(
        "organisations.Person", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("reminded on"))
    sent_at = models.DateTimeField(_("e-mailed at"), default=timezone.now)

    class Meta:
        verbose_name = _("late step reminder")
        verbose_name_plural = _("late step reminders")
        ordering = ["-sent_on", "step"]
        constraints = [
            models.UniqueConstraint(fields=["step", "person", "sent_on"], name="step_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.step} — {self.sent_on:%d/%m/%Y}"


class Indicator(TimeStampedModel):
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_("e.g. kWh/month, kg, hours, %. Needed before any measurement."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=IndicatorDirection.choices, default=IndicatorDirection.INCREASE
    )
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_on = models.DateField(_("baseline measured on"), null=True, blank=True)
    target_value = models.FloatField(_("target"), null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["action", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def clean(self) -> None:
        super().clean()
        if self.baseline_value is None or self.target_value is None:
            return
        if self.direction == IndicatorDirection.DECREASE and self.target_value > self.baseline_value:
            raise ValidationError(
                {"target_value": _("Lower is better here: the target must not exceed the baseline.")}
            )
        if self.direction == IndicatorDirection.INCREASE and self.target_value < self.baseline_value:
            raise ValidationError(
                {"target_value": _("Higher is better here: the target must not be below the baseline.")}
            )


class Measurement(TimeStampedModel):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(_("measured on"))
    value = models.FloatField(_("value"))
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "measured_on"], name="measurement_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.measured_on:%d/%m/%Y}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if self.indicator_id and not self.indicator.unit:
            raise ValidationError(
                _("The indicator “%(name)s” has no unit: give it one before recording a measurement.")
                % {"name": self.indicator.name}
            )
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})


class FollowUp(TimeStampedModel):
    """A follow-up of the plan (usually a team follow-up meeting): per action, progress and status."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    held_on = models.DateField(_("held on"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("follow-up meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plan_follow_ups",
    )
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["plan", "-held_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Follow-up of %(date)s")) % {"date": self.held_on.strftime("%d/%m/%Y")}

    def get_absolute_url(self) -> str:
        return reverse("www:followup_detail", args=[self.pk])


class ActionUpdate(TimeStampedModel):
    """What a follow-up recorded for one action."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="updates"
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="updates"
    )
    previous_status = models.CharField(_("status before"), max_length=20, choices=ActionStatus.choices)
    new_status = models.CharField(_("status after"), max_length=20, choices=ActionStatus.choices)
    previous_progress = models.PositiveSmallIntegerField(_("progress before (%)"), validators=PERCENT)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=PERCENT)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        ordering = ["follow_up", "action__position", "action_id"]
        constraints = [models.UniqueConstraint(fields=["follow_up", "action"], name="update_one_per_action")]

    def __str__(self) -> str:
        return f"{self.action} — {self.follow_up}"

    @property
    def status_changed(self) -> bool:
        return self.previous_status != self.new_status


class Difficulty(TimeStampedModel):
    """A difficulty met on an action; raised to ADEME, it stays on ADEME's list until resolved."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="difficulties"
    )
    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="difficulties",
    )
    title = models.CharField(_("difficulty"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DifficultyStatus.choices, default=DifficultyStatus.OPEN
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised to ADEME at"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ademe_answer = models.TextField(_("ADEME's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DifficultyQuerySet.as_manager()

    class Meta:
        verbose_name = _("difficulty")
        verbose_name_plural = _("difficulties")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:difficulty_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != DifficultyStatus.RESOLVED

    @property
    def is_raised(self) -> bool:
        return self.raised_at is not None


class ExperienceNote(VersionedModel):
    """A lesson learned shared at a collective session, linked to the actions it comes from."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="experience_notes",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("collective session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experience_notes",
    )
    held_on = models.DateField(_("shared on"))
    topic = models.CharField(_("topic"), max_length=200)
    lesson = models.TextField(_("lesson learned"))
    solution = models.CharField(_("sobriety solution"), max_length=30, choices=Solution.choices, blank=True)
    teams = models.ManyToManyField(
        "teams.ProjectTeam", verbose_name=_("teams present"), blank=True, related_name="+"
    )
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions concerned"), blank=True, related_name="experience_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ExperienceNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("experience-sharing note")
        verbose_name_plural = _("experience-sharing notes")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic
