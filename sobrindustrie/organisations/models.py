"""Organisations of a programme, their sites and people, and the inventory of their production means.

The inventory (production means, needs, offers) is what diagnostics and the cooperation analysis
feed on, so its figures are validated strictly: a wrong utilisation rate would invent a cooperation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.core.search import SearchFoldedModel
from sobrindustrie.organisations.enums import (
    Condition,
    EnergyCarrier,
    ExchangeKind,
    HeadcountBracket,
    MainMaterial,
    MaintenanceMode,
    OrganisationKind,
    PlannedAction,
    Skill,
    TurnoverBand,
)
from sobrindustrie.organisations.querysets import (
    OrganisationQuerySet,
    OwnedByOrganisationQuerySet,
)
from sobrindustrie.organisations.reference import category_label, naf_codes, taxonomy
from sobrindustrie.organisations.validators import (
    normalise_naf,
    normalise_siret,
    validate_category,
    validate_coordinates,
    validate_naf,
    validate_siret,
)

NON_NEGATIVE = [MinValueValidator(0)]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Commune(models.Model):
    """A French commune (reference data; PACA shipped, others may be added)."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    postcodes = models.CharField(_("postcodes"), max_length=120, help_text=_("Separated by semicolons."))
    department_code = models.CharField(_("department"), max_length=3, db_index=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_code})"

    @property
    def main_postcode(self) -> str:
        return self.postcodes.split(";")[0]


class Located(models.Model):
    """Address and coordinates; coordinates default to the commune's centre when not entered."""

    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    city_name = models.CharField(
        _("city (outside the commune table)"),
        max_length=120,
        blank=True,
        help_text=_("Only when the commune is not listed."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.latitude is None and self.longitude is None and self.commune_id:
            self.latitude, self.longitude = self.commune.latitude, self.commune.longitude
        errors = validate_coordinates(self.latitude, self.longitude)
        if errors:
            raise ValidationError(errors)

    @property
    def city(self) -> str:
        return self.commune.name if self.commune_id else self.city_name

    @property
    def department_code(self) -> str:
        return self.commune.department_code if self.commune_id else ""


class Organisation(SearchFoldedModel, Located, VersionedModel):
    SEARCH_FIELDS = ("name", "description")

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    siret = models.CharField(_("SIRET"), max_length=20, blank=True, validators=[validate_siret])
    naf_code = models.CharField(_("NAF code"), max_length=6, blank=True, validators=[validate_naf])
    workforce = models.PositiveIntegerField(_("workforce"), null=True, blank=True)
    headcount_bracket = models.CharField(
        _("headcount bracket"),
        max_length=2,
        choices=HeadcountBracket.choices,
        blank=True,
        help_text=_("INSEE's salaried-headcount bracket, as the company registry publishes it."),
    )
    turnover_band = models.CharField(_("turnover"), max_length=10, choices=TurnoverBand.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("activity"), blank=True)
    solution_interests = models.JSONField(_("solutions of interest"), default=list, blank=True)
    preformed_group = models.CharField(
        _("pre-formed group"),
        max_length=120,
        blank=True,
        help_text=_("Label shared by candidates who applied together."),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "search_folded"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="organisation_unique_slug"),
            models.UniqueConstraint(
                fields=["programme", "siret"], condition=~models.Q(siret=""), name="organisation_unique_siret"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:organisation_detail", args=[self.pk])

    def clean(self) -> None:
        self.siret = normalise_siret(self.siret)
        self.naf_code = normalise_naf(self.naf_code)
        super().clean()

    @property
    def is_laureate(self) -> bool:
        return self.kind == OrganisationKind.LAUREATE_SME

    @property
    def naf_label(self) -> str:
        naf = naf_codes().get(self.naf_code)
        return naf.label if naf else ""


class Site(Located, TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=150)
    is_main = models.BooleanField(_("main site"), default=False)
    external_ref = models.CharField(_("external reference"), max_length=80, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["-is_main", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class Person(VersionedModel):
    """A contact person. Personal data: exportable and erasable on request (GDPR art. 15 and 17)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.CharField(
        _("consent scope"),
        max_length=250,
        blank=True,
        help_text=_("What the person agreed to, e.g. contact for the programme."),
    )
    reminders_stopped_on = models.DateField(
        _("e-mail reminders stopped on"),
        null=True,
        blank=True,
        help_text=_(
            "The person stopped the e-mailed reminders of late steps with the link of a reminder; the "
            "same link lets them receive them again."
        ),
    )
    erased_on = models.DateField(_("erased on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ProductionMeans(VersionedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="production_means",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="production_means",
    )
    category = models.CharField(_("category"), max_length=60, validators=[validate_category])
    name = models.CharField(_("name"), max_length=200)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    purchase_value_eur = models.DecimalField(
        _("purchase value (€ excl. VAT)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    mass_kg = models.FloatField(_("mass (kg)"), null=True, blank=True, validators=NON_NEGATIVE)
    main_material = models.CharField(
        _("main material"), max_length=20, choices=MainMaterial.choices, blank=True
    )
    rated_power_kw = models.FloatField(_("rated power (kW)"), null=True, blank=True, validators=NON_NEGATIVE)
    annual_operating_hours = models.FloatField(
        _("operating hours per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(8784)],
    )
    utilisation_rate = models.FloatField(_("utilisation rate (%)"), null=True, blank=True, validators=PERCENT)
    energy_carrier = models.CharField(
        _("energy carrier"), max_length=20, choices=EnergyCarrier.choices, default=EnergyCarrier.ELECTRICITY
    )
    annual_consumption_kwh = models.FloatField(
        _("energy consumption (kWh/year)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    maintenance_mode = models.CharField(
        _("maintenance"), max_length=20, choices=MaintenanceMode.choices, default=MaintenanceMode.CONTRACTOR
    )
    contractor_distance_km = models.FloatField(
        _("contractor distance (km)"), null=True, blank=True, validators=NON_NEGATIVE
    )
    planned_action = models.CharField(
        _("planned replacement or purchase"),
        max_length=20,
        choices=PlannedAction.choices,
        default=PlannedAction.NONE,
    )
    planned_year = models.PositiveSmallIntegerField(
        _("planned for"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    sharing_hours_per_week = models.FloatField(
        _("hours per week available for sharing"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    notes = models.TextField(_("notes"), blank=True)
    external_ref = models.CharField(
        _("external reference"),
        max_length=80,
        blank=True,
        help_text=_("Identifier in an import or another system."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("production means")
        verbose_name_plural = _("production means")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:production_means_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.site_id and self.organisation_id and self.site.organisation_id != self.organisation_id:
            errors["site"] = str(_("This site belongs to another organisation."))
        if self.maintenance_mode != MaintenanceMode.CONTRACTOR and self.contractor_distance_km:
            errors["contractor_distance_km"] = str(
                _("A contractor distance only applies to contractor maintenance.")
            )
        if self.planned_action == PlannedAction.NONE and self.planned_year:
            errors["planned_year"] = str(_("Give a year only when a replacement or purchase is planned."))
        if errors:
            raise ValidationError(errors)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def top_category(self) -> str:
        category = taxonomy().get(self.category)
        return category.parent or self.category if category else self.category


class Exchange(VersionedModel):
    """What an organisation needs from, or offers to, others: machine capacity or a skill."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=ExchangeKind.choices)
    category = models.CharField(_("category"), max_length=60, blank=True, validators=[validate_category])
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices, blank=True)
    hours_per_year = models.FloatField(_("hours per year"), null=True, blank=True, validators=NON_NEGATIVE)
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["kind", "category", "skill"]

    def clean(self) -> None:
        super().clean()
        if self.kind == ExchangeKind.CAPACITY and not self.category:
            raise ValidationError({"category": _("Machine capacity needs a category.")})
        if self.kind == ExchangeKind.SKILL and not self.skill:
            raise ValidationError({"skill": _("Choose the skill.")})

    def __str__(self) -> str:
        what = (
            category_label(self.category) if self.kind == ExchangeKind.CAPACITY else self.get_skill_display()
        )
        return f"{self.get_kind_display()} : {what}"


class Need(Exchange):
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta(Exchange.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        default_related_name = "needs"


class Offer(Exchange):
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta(Exchange.Meta):
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        default_related_name = "offers"
