"""Candidacies, the diagnostic method's versions, and each laureate's individual diagnostic.

A diagnostic holds the answers to its method's questions, the consultant's observations of each
production means, the sessions spent (against the programme's cap), and the opportunities found,
with their barriers and what they need from other companies. The cooperation analysis reads
opportunities and cooperation signals; it never writes them.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.diagnostics.enums import (
    BarrierCategory,
    DiagnosticStatus,
    Direction,
    ImportStatus,
    Level,
    MethodStatus,
    OpportunityStatus,
    Origin,
    Priority,
    RetrofitPotential,
    SessionKind,
)
from sobrindustrie.diagnostics.methods.loader import parse_method, read_document
from sobrindustrie.diagnostics.methods.schema import Method
from sobrindustrie.diagnostics.querysets import (
    CandidacyImportQuerySet,
    DiagnosticQuerySet,
    MethodVersionQuerySet,
    OwnedByDiagnosticQuerySet,
)
from sobrindustrie.organisations.enums import Condition, ExchangeKind, Skill
from sobrindustrie.organisations.reference import category_label, taxonomy
from sobrindustrie.organisations.validators import validate_category

NON_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def validate_any_category(value: str) -> None:
    """A category or subcategory of the taxonomy (signals may name a whole family of machines)."""
    if value not in taxonomy():
        raise ValidationError(
            _("“%(value)s” is not a category of the production-means taxonomy.") % {"value": value},
            code="category_unknown",
        )


@lru_cache(maxsize=16)
def _parsed(fingerprint: str, text: str, source: str) -> Method:
    return parse_method(read_document(text, source), source, taxonomy().keys())


# --- Candidacies ---------------------------------------------------------------------------------


class CandidacyImport(TimeStampedModel):
    """One upload of the call for expressions of interest's candidacies.

    A row with status "running" is the lock that refuses a second import of the same programme
    while one is being written (a conditional unique constraint, so it holds on SQLite and
    PostgreSQL alike). The parsed rows are kept between the preview and the confirmation only.
    """

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=250)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file_format = models.CharField(_("format"), max_length=40, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = CandidacyImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidacy import")
        verbose_name_plural = _("candidacy imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status="running"),
                name="candidacy_import_one_running_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class Candidacy(TimeStampedModel):
    """What a laureate wrote in its application: the project idea (its identity, contacts and
    pre-formed group live on the organisation)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="candidacy",
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    project_idea = models.TextField(_("project idea"), blank=True)
    last_import = models.ForeignKey(
        CandidacyImport, verbose_name=_("last import"), on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "last_import"])

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")

    def __str__(self) -> str:
        return str(self.organisation)


# --- Method versions -----------------------------------------------------------------------------


class MethodVersion(TimeStampedModel):
    """One version of the diagnostic method of a programme, stored as the YAML it was loaded from.

    A version stays a draft until an ADEME officer validates it; once validated its text never
    changes (a change is a new version), so a diagnostic always shows the method it used.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="diagnostic_methods",
    )
    code = models.SlugField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    source_name = models.CharField(_("source file"), max_length=120)
    source_text = models.TextField(_("YAML source"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=MethodStatus.choices, default=MethodStatus.DRAFT
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "source_text"])
    objects = MethodVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("method version")
        verbose_name_plural = _("method versions")
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code", "version"], name="method_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("www:method_detail", args=[self.pk])

    @property
    def method(self) -> Method:
        """The parsed method (cached per process by fingerprint)."""
        return _parsed(self.fingerprint, self.source_text, self.source_name)

    @property
    def is_validated(self) -> bool:
        return self.status == MethodStatus.VALIDATED


# --- Diagnostics ---------------------------------------------------------------------------------


class Diagnostic(VersionedModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="diagnostic",
    )
    method = models.ForeignKey(
        MethodVersion, verbose_name=_("method"), on_delete=models.PROTECT, related_name="diagnostics"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DiagnosticStatus.choices, default=DiagnosticStatus.PLANNED
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    summary = models.TextField(
        _("consultant's conclusion"), blank=True, help_text=_("Shown on the summary sheet.")
    )
    shared_with = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("shared with"),
        blank=True,
        related_name="diagnostics_shared_with_us",
        help_text=_("Companies whose members may read this diagnostic and its sheet."),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(_("Diagnostic of %(company)s") % {"company": self.organisation})

    def get_absolute_url(self) -> str:
        return reverse("www:diagnostic_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.organisation_id and self.programme_id:
            if self.organisation.programme_id != self.programme_id:
                errors["organisation"] = _("This company belongs to another programme.")
            elif not self.organisation.is_laureate:
                errors["organisation"] = _("Only laureate SMEs get an individual diagnostic.")
        if self.method_id and self.programme_id:
            if self.method.programme_id != self.programme_id:
                errors["method"] = _("This method version belongs to another programme.")
            elif not self.method.is_validated:
                errors["method"] = _("Only a method version validated by ADEME can be used.")
        if errors:
            raise ValidationError(errors)

    @property
    def days_spent(self) -> Decimal:
        return sum((session.days for session in self.sessions.all()), Decimal("0"))

    @property
    def is_editable(self) -> bool:
        """Content is written while the diagnostic is planned or in progress; afterwards the
        sheet stands as accepted and reopening it is an explicit transition."""
        return self.status in (DiagnosticStatus.PLANNED, DiagnosticStatus.IN_PROGRESS)


class StatusChange(models.Model):
    """The log of a diagnostic's transitions: who moved it, when, and why."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(_("transition"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=DiagnosticStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=DiagnosticStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class DiagnosticSession(TimeStampedModel):
    """A visit, interview or piece of work, counted in days against the programme's cap."""

    diagnostic = models.ForeignKey(
        Diagnostic, verbose_name=_("diagnostic"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.VISIT)
    days = models.DecimalField(
        _("days spent"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("In quarters of a day: 0.25, 0.5, 1…"),
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OwnedByDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnostic session")
        verbose_name_plural = _("diagnostic sessions")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y} ({self.days} j)"

    def clean(self) -> None:
        super().clean()
        if self.days is not None and (self.days * 4) % 1:
            raise ValidationError({"days": _("Count days in quarters of a day (0.25, 0.5, 0.75, 1…).")})


class Answer(models.Model):
    """The answer to one question, or to one per-means question for one production means."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(_("question"), max_length=60)
    production_means = models.ForeignKey(
        "organisations.ProductionMeans",
        verbose_name=_("production means"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diagnostic_answers",
    )
    value = models.JSONField(_("value"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OwnedByDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "question_id"],
                condition=models.Q(production_means__isnull=True),
                name="answer_unique_per_question",
            ),
            models.UniqueConstraint(
                fields=["diagnostic", "question_id", "production_means"],
                condition=models.Q(production_means__isnull=False),
                name="answer_unique_per_question_and_means",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} = {self.value}"


class MeansObservation(VersionedModel):
    """What the consultant saw of one production means, correcting the declared inventory."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="observations")
    production_means = models.ForeignKey(
        "organisations.ProductionMeans",
        verbose_name=_("production means"),
        on_delete=models.PROTECT,
        related_name="diagnostic_observations",
    )
    observed_utilisation_rate = models.FloatField(
        _("real utilisation rate (%)"), null=True, blank=True, validators=PERCENT
    )
    observed_condition = models.CharField(
        _("observed condition"), max_length=20, choices=Condition.choices, blank=True
    )
    retrofit_potential = models.CharField(
        _("retrofit potential"), max_length=10, choices=RetrofitPotential.choices, blank=True
    )
    maintenance_notes = models.TextField(_("maintenance"), blank=True)
    notes = models.TextField(_("other remarks"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = OwnedByDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "production_means"], name="observation_unique_per_means"
            )
        ]

    def __str__(self) -> str:
        return str(self.production_means)


class Opportunity(VersionedModel):
    """A sobriety opportunity for the company: suggested by the method's rules or added by the
    consultant, with its estimated potential, barriers and what it needs from others."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="opportunities")
    solution = models.CharField(_("solution"), max_length=30, choices=Solution.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    production_means = models.ManyToManyField(
        "organisations.ProductionMeans",
        verbose_name=_("production means concerned"),
        blank=True,
        related_name="diagnostic_opportunities",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.RETAINED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    potential = models.CharField(_("potential"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    feasibility = models.CharField(
        _("feasibility"), max_length=10, choices=Level.choices, default=Level.MEDIUM
    )
    electricity_kwh_per_year = models.FloatField(
        _("electricity saved (kWh/year)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    natural_gas_kwh_per_year = models.FloatField(
        _("natural gas saved (kWh PCI/year)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    material_kg_per_year = models.FloatField(
        _("material avoided (kg/year)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    ghg_kgco2e_per_year = models.FloatField(
        _("GHG avoided (kgCO2e/year)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    ghg_entered = models.BooleanField(_("GHG entered by hand"), default=False)
    ghg_basis = models.CharField(_("GHG basis"), max_length=400, blank=True)
    euros_per_year = models.DecimalField(
        _("savings (€/year)"), max_digits=12, decimal_places=0, null=True, blank=True, validators=NON_NEGATIVE
    )
    need_kind = models.CharField(
        _("needs from others"), max_length=20, choices=ExchangeKind.choices, blank=True
    )
    need_category = models.CharField(
        _("capacity needed (category)"), max_length=60, blank=True, validators=[validate_category]
    )
    need_skill = models.CharField(_("skill needed"), max_length=20, choices=Skill.choices, blank=True)
    need_hours_per_year = models.FloatField(
        _("hours needed per year"), null=True, blank=True, validators=NON_NEGATIVE
    )
    need_description = models.CharField(_("need described"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.CONSULTANT)
    rule_id = models.CharField(_("rule"), max_length=60, blank=True)
    edited = models.BooleanField(
        _("edited by the consultant"),
        default=False,
        help_text=_("Refreshing the suggestions leaves an edited opportunity alone."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = OwnedByDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["priority", "solution", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.need_kind == ExchangeKind.CAPACITY and not self.need_category:
            raise ValidationError({"need_category": _("A capacity need names the category of machine.")})
        if self.need_kind == ExchangeKind.SKILL and not self.need_skill:
            raise ValidationError({"need_skill": _("A skill need names the skill.")})
        if not self.need_kind and (self.need_category or self.need_skill or self.need_hours_per_year):
            raise ValidationError({"need_kind": _("Say whether the need is machine capacity or a skill.")})

    @property
    def energy_kwh_per_year(self) -> float | None:
        parts = [v for v in (self.electricity_kwh_per_year, self.natural_gas_kwh_per_year) if v is not None]
        return sum(parts) if parts else None

    @property
    def need_label(self) -> str:
        if self.need_kind == ExchangeKind.CAPACITY:
            return str(_("Machine capacity: %(what)s") % {"what": category_label(self.need_category)})
        if self.need_kind == ExchangeKind.SKILL:
            return str(_("Skill: %(what)s") % {"what": self.get_need_skill_display()})
        return ""


class Barrier(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="barriers")
    category = models.CharField(_("category"), max_length=20, choices=BarrierCategory.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.CONSULTANT)
    rule_id = models.CharField(_("rule"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "category"], name="barrier_unique_category"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_category_display()} : {self.comment}" if self.comment else self.get_category_display()
        )


class CooperationSignal(models.Model):
    """Something the company could offer to others, or needs from them, found by the diagnostic."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="cooperation_signals")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ExchangeKind.choices)
    solution = models.CharField(_("solution"), max_length=30, choices=Solution.choices)
    category = models.CharField(_("category"), max_length=60, blank=True, validators=[validate_any_category])
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices, blank=True)
    strength = models.FloatField(
        _("strength"),
        default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("From 0 (barely) to 1 (certainly)."),
    )
    hours_per_year = models.FloatField(_("hours per year"), null=True, blank=True, validators=NON_NEGATIVE)
    description = models.CharField(_("description"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.CONSULTANT)
    rule_id = models.CharField(_("rule"), max_length=60, blank=True)

    history = HistoricalRecords()
    objects = OwnedByDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation signal")
        verbose_name_plural = _("cooperation signals")
        ordering = ["direction", "solution", "kind"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} : {self.what}"

    def clean(self) -> None:
        super().clean()
        if self.kind == ExchangeKind.CAPACITY and not self.category:
            raise ValidationError({"category": _("Machine capacity needs a category.")})
        if self.kind == ExchangeKind.SKILL and not self.skill:
            raise ValidationError({"skill": _("Choose the skill.")})

    @property
    def what(self) -> str:
        if self.kind == ExchangeKind.CAPACITY:
            return str(_("machine capacity, %(category)s") % {"category": category_label(self.category)})
        return str(_("skill, %(skill)s") % {"skill": self.get_skill_display()})


class NeedsSynthesis(VersionedModel):
    """The consultant's own words for the synthesis of needs and issues (L1.2), section by section.

    Figures are always computed from the diagnostics; an empty text means the generated text is shown.
    """

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="needs_synthesis",
    )
    introduction = models.TextField(_("introduction"), blank=True)
    solutions_text = models.TextField(_("solutions"), blank=True)
    needs_text = models.TextField(_("needs"), blank=True)
    barriers_text = models.TextField(_("barriers"), blank=True)
    issues_text = models.TextField(_("common issues"), blank=True)
    webinars_text = models.TextField(_("webinar topics"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("synthesis of needs and issues")
        verbose_name_plural = _("syntheses of needs and issues")

    def __str__(self) -> str:
        return str(_("Synthesis of needs and issues — %(programme)s") % {"programme": self.programme})
