"""Environmental evaluation of the projects (Empreinte Projet level 1, a level-2 GHG balance) and the
footprint of the consultant's own service (travel log, eco-responsibility criteria).

Figures come from the pure engine `sobrindustrie.engines.footprint`; the level-1 grid from versioned
data (`grid.py`). Each evaluation and balance keeps the grid version and the factor-library reference it
used, so a later reader knows which values produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.enums import LifeCycleStage
from sobrindustrie.core.models import VersionedModel
from sobrindustrie.core.search import SearchFoldedModel
from sobrindustrie.engines.footprint import Distribution
from sobrindustrie.evaluation.enums import CriterionStatus, EvaluationStatus
from sobrindustrie.evaluation.grid import CURRENT_VERSION
from sobrindustrie.evaluation.querysets import (
    EvaluationQuerySet,
    EvaluationRowQuerySet,
    ServiceFootprintQuerySet,
)
from sobrindustrie.evaluation.wording import EFFECT_LABELS, LINE_KIND_LABELS

NON_NEGATIVE = [MinValueValidator(0)]


class Evaluation(VersionedModel):
    """The level-1 evaluation of one project: a team's plan, or one of its actions."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "teams.ProjectTeam",
        verbose_name=_("project team"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    action = models.ForeignKey(
        "actionplans.Action",
        verbose_name=_("action evaluated"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        help_text=_("Leave empty to evaluate the team's whole action plan."),
    )
    grid_version = models.CharField(_("grid version"), max_length=20, default=CURRENT_VERSION, editable=False)
    # The eight definition fields of Empreinte Projet.
    project_holder = models.CharField(_("project holder"), max_length=200)
    title = models.CharField(_("project title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    main_objective = models.TextField(_("main objective"), blank=True)
    targeted_aspects = models.JSONField(_("environmental aspects targeted"), default=list, blank=True)
    context = models.TextField(_("context"), blank=True)
    main_sector = models.CharField(_("main sector"), max_length=200, blank=True)
    current_phase = models.CharField(_("current phase"), max_length=20, blank=True)
    reference_scenario = models.TextField(
        _("reference scenario"),
        blank=True,
        help_text=_("What would happen without the project. Required before submission."),
    )
    transfers_notes = models.TextField(_("impact transfers found"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("environmental evaluation")
        verbose_name_plural = _("environmental evaluations")
        ordering = ["team__name", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:evaluation_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == EvaluationStatus.DRAFT

    @property
    def balance(self) -> GhgBalance | None:
        """The level-2 balance, or None when none was started."""
        try:
            return self.ghg_balance
        except GhgBalance.DoesNotExist:
            return None


class Consequence(VersionedModel):
    """One node of the tree of consequences: a difference between the project and the reference."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="consequences"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("consequence of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    description = models.TextField(_("description"))
    life_cycle_stage = models.CharField(
        _("life-cycle stage"), max_length=20, choices=LifeCycleStage.choices, blank=True
    )
    aspects = models.JSONField(_("environmental aspects touched"), default=list, blank=True)
    direction = models.CharField(_("direction"), max_length=20)
    magnitude = models.CharField(_("magnitude"), max_length=20)
    certainty = models.CharField(_("certainty"), max_length=20)
    horizon = models.CharField(_("time horizon"), max_length=20)
    borne_by = models.CharField(_("who bears it"), max_length=200, blank=True)
    is_impact_transfer = models.BooleanField(
        _("impact transfer"),
        default=False,
        help_text=_("The gain here moves an impact to another stage, aspect, place or actor."),
    )
    is_rebound = models.BooleanField(
        _("rebound effect"), default=False, help_text=_("The gain leads to more use elsewhere.")
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = EvaluationRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("consequence")
        verbose_name_plural = _("consequences")
        ordering = ["evaluation", "parent_id", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class GhgBalance(VersionedModel):
    """The level-2 greenhouse-gas balance of an evaluation, and its last computed result."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="ghg_balance"
    )
    library_reference = models.CharField(_("factor library"), max_length=60, blank=True, editable=False)
    seed = models.PositiveBigIntegerField(_("random seed"), editable=False, null=True, blank=True)
    draws = models.PositiveIntegerField(_("Monte Carlo draws"), editable=False, null=True, blank=True)
    central_kg = models.FloatField(_("net balance (kgCO2e/year)"), null=True, blank=True, editable=False)
    p5_kg = models.FloatField(_("5th percentile"), null=True, blank=True, editable=False)
    p95_kg = models.FloatField(_("95th percentile"), null=True, blank=True, editable=False)
    dominant_input = models.CharField(_("dominant input"), max_length=300, blank=True, editable=False)
    dominant_share = models.FloatField(_("dominant input's share"), null=True, blank=True, editable=False)
    result = models.JSONField(_("full result"), default=dict, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "result"])
    objects = EvaluationRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("GHG balance")
        verbose_name_plural = _("GHG balances")

    def __str__(self) -> str:
        return str(_("GHG balance of %(evaluation)s")) % {"evaluation": self.evaluation}

    @property
    def is_computed(self) -> bool:
        return self.central_kg is not None

    @property
    def dominant_display(self) -> str:
        """The dominant input in the reader's language (the stored one is the engine's wording)."""
        from sobrindustrie.evaluation.wording import dominant_input_label

        return dominant_input_label(self.result or {}, self.dominant_input) if self.dominant_input else ""

    @property
    def warnings_display(self) -> list[str]:
        from sobrindustrie.evaluation.wording import describe_warning

        return [describe_warning(warning) for warning in (self.result or {}).get("warnings", [])]


class BalanceLine(VersionedModel):
    """One activity line of a balance: a difference between the reference scenario and the project."""

    balance = models.ForeignKey(
        GhgBalance, verbose_name=_("balance"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=list(LINE_KIND_LABELS.items()))
    effect = models.CharField(_("effect"), max_length=10, choices=list(EFFECT_LABELS.items()))
    quantity = models.FloatField(_("quantity"), validators=NON_NEGATIVE)
    unit = models.CharField(_("unit"), max_length=20)
    factor_id = models.CharField(_("emission factor"), max_length=80, blank=True)
    travel_mode = models.CharField(_("travel mode"), max_length=40, blank=True)
    uncertainty = models.FloatField(
        _("uncertainty of the quantity (±, relative)"),
        default=0,
        validators=NON_NEGATIVE,
        help_text=_("0.1 means ±10 % (95 % interval)."),
    )
    distribution = models.CharField(
        _("distribution"),
        max_length=12,
        choices=[(d.value, d.value) for d in Distribution],
        default=Distribution.NORMAL.value,
    )
    years = models.FloatField(
        _("spread over (years)"),
        default=1,
        validators=[MinValueValidator(0.01)],
        help_text=_("1 when the quantity is already per year; a machine's life for a one-off purchase."),
    )
    share = models.FloatField(
        _("share counted"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("For a machine kept longer: 1 − former life ÷ new life."),
    )
    source_action = models.ForeignKey(
        "actionplans.Action",
        verbose_name=_("from the action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("activity line")
        verbose_name_plural = _("activity lines")
        ordering = ["balance", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Trip(VersionedModel):
    """One journey of the consultant's travel log (one direction)."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("date"))
    origin = models.CharField(_("from"), max_length=120)
    destination = models.CharField(_("to"), max_length=120)
    km = models.FloatField(_("distance (km)"), validators=NON_NEGATIVE)
    mode = models.CharField(_("travel mode"), max_length=40)
    people = models.PositiveSmallIntegerField(_("people"), default=1, validators=[MinValueValidator(1)])
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting served"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when the mode is not train, coach, bus, bike or walking."),
    )
    traveller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ServiceFootprintQuerySet.as_manager()

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-day", "pk"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.origin} → {self.destination}"


class EcoCriterion(VersionedModel):
    """A criterion of eco-responsibility the consultant applies to its own service."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.CharField(_("criterion"), max_length=250)
    justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CriterionStatus.choices, default=CriterionStatus.PLANNED
    )
    evidence = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ServiceFootprintQuerySet.as_manager()

    class Meta:
        verbose_name = _("eco-responsibility criterion")
        verbose_name_plural = _("eco-responsibility criteria")
        ordering = ["programme", "criterion"]

    def __str__(self) -> str:
        return self.criterion


class FactorLibraryVersion(models.Model):
    """One imported export of ADEME's Base Empreinte: a version of the factors the platform cites.

    Imports are kept side by side (never overwritten), so two versions can be compared and a balance
    can say which one gave its uncertainties. Global: the same for every programme."""

    source = models.CharField(_("source"), max_length=120, default="ADEME Base Empreinte")
    source_version = models.CharField(
        _("source version"),
        max_length=40,
        unique=True,
        help_text=_("The version of the database the export comes from, e.g. 23.6."),
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True, editable=False)
    encoding = models.CharField(_("encoding"), max_length=20, editable=False)
    rows = models.PositiveIntegerField(_("rows read"), default=0, editable=False)
    skipped_posts = models.PositiveIntegerField(_("post rows skipped"), default=0, editable=False)
    skipped_other = models.PositiveIntegerField(_("other rows skipped"), default=0, editable=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("emission-factor library version")
        verbose_name_plural = _("emission-factor library versions")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.source_version}"


class LibraryFactor(SearchFoldedModel):
    """One emission factor of an imported version, as Base Empreinte publishes it."""

    SEARCH_FIELDS = ("identifier", "name", "attribute", "frontier", "category", "tags", "location")

    library_version = models.ForeignKey(
        FactorLibraryVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="factors"
    )
    line = models.PositiveIntegerField(_("line in the file"))
    identifier = models.CharField(_("identifier"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    attribute = models.CharField(_("attribute"), max_length=500, blank=True)
    frontier = models.CharField(_("frontier"), max_length=500, blank=True)
    category = models.CharField(_("category"), max_length=500, blank=True)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=80)
    value = models.FloatField(_("value"))
    uncertainty = models.FloatField(
        _("uncertainty (±, relative)"),
        null=True,
        blank=True,
        help_text=_("Half-width of the 95 % interval; 0.1 means ±10 %. Empty: not published."),
    )
    status = models.CharField(_("status"), max_length=80, blank=True)
    structure = models.CharField(_("structure"), max_length=120, blank=True)
    contributor = models.CharField(_("contributor"), max_length=300, blank=True)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    sub_location = models.CharField(_("sub-location"), max_length=200, blank=True)
    created = models.CharField(_("created"), max_length=40, blank=True)
    modified = models.CharField(_("modified"), max_length=40, blank=True)
    validity = models.CharField(_("validity period"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("library factor")
        verbose_name_plural = _("library factors")
        ordering = ["name", "attribute", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["library_version", "identifier"], name="library_factor_unique_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.label}"

    @property
    def label(self) -> str:
        return " — ".join(part for part in (self.name, self.attribute, self.frontier) if part)
