"""Funding of the action plans (Axe 3): the catalogue of schemes, eligibility, shortlists, applications.

A scheme comes from the Mission Transition Écologique catalogue (one YAML file each, imported by
`sobrindustrie funding import-mte DIR`) or is curated by the programme. Its Publicodes rules are
evaluated over the shared interface (`PublicodesInterface`, stored so that evaluation never needs
the source folder). The consultant's tracking fields (funders, deadlines...) are never touched by an
import. An application is one organisation's request to one scheme for one action; its status moves
through `workflow.TRANSITIONS` and every move is logged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.actionplans.enums import EDITING_ROLES
from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.funding.enums import (
    OBTAINED_STATUSES,
    AidNature,
    ApplicationStatus,
    SchemeSource,
    SpendingType,
)
from sobrindustrie.funding.querysets import (
    ApplicationQuerySet,
    ApplicationRowQuerySet,
    FundingSchemeQuerySet,
    ShortlistQuerySet,
)

NON_NEGATIVE = [MinValueValidator(0)]


def _money(verbose_name: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )


def _euros(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",").removesuffix(",00") + " €"


class PublicodesInterface(TimeStampedModel):
    """The shared Publicodes variables (publicodes-interface.yaml) every programme's rules extend."""

    name = models.SlugField(_("name"), max_length=40, unique=True, default="mte")
    rules = models.JSONField(_("rules"))
    sha256 = models.CharField(_("fingerprint"), max_length=64)
    source = models.CharField(_("read from"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Publicodes interface")
        verbose_name_plural = _("Publicodes interfaces")

    def __str__(self) -> str:
        return self.name


class CatalogueImport(models.Model):
    """One run of the importer or of a refresh and its report, shown on the funding page.

    `directory` keeps the name of the folder read, never the server's path to it.
    """

    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=20, choices=SchemeSource.choices, default=SchemeSource.MTE
    )
    directory = models.CharField(_("read from"), max_length=300, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    refused = models.JSONField(_("refused"), default=list, help_text=_("[{file, reason}]"))
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("{new: [slug], changed: {slug: [field]}, withdrawn: [slug]}"),
    )

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.run_at:%d/%m/%Y %H:%M})"


class FundingScheme(VersionedModel):
    # --- What the source says (replaced by each import) ---------------------------------------------
    source = models.CharField(_("source"), max_length=20, choices=SchemeSource.choices)
    slug = models.SlugField(
        _("identifier"),
        max_length=120,
        unique=True,
        help_text=_("For Mission Transition Écologique, the file name without .yaml."),
    )
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=250)
    promise = models.TextField(_("promise"), blank=True)
    description = models.TextField(_("description"), blank=True)
    long_description = models.TextField(_("long description"), blank=True)
    contact_operator = models.CharField(_("operator of contact"), max_length=200, blank=True)
    other_operators = models.JSONField(_("other operators"), default=list, blank=True)
    nature = models.CharField(_("nature of the aid"), max_length=20, choices=AidNature.choices)
    funding_amount_text = models.TextField(_("amount of the funding"), blank=True)
    loan_amount_text = models.TextField(_("amount of the loan"), blank=True)
    loan_duration_text = models.CharField(_("duration of the loan"), max_length=250, blank=True)
    tax_advantage_text = models.TextField(_("amount of the tax advantage"), blank=True)
    support_cost_text = models.TextField(_("cost of the support"), blank=True)
    support_duration_text = models.CharField(_("duration of the support"), max_length=250, blank=True)
    max_amount_eur = _money(_("maximum amount (€)"))
    max_rate_percent = models.DecimalField(
        _("maximum rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(
        _("withdrawn from the source on"),
        null=True,
        blank=True,
        help_text=_(
            "Set by a catalogue refresh when the source no longer publishes the scheme; kept for history."
        ),
    )
    eligibility_conditions = models.JSONField(_("eligibility conditions"), default=dict, blank=True)
    publicodes_rules = models.JSONField(_("Publicodes rules"), default=dict, blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    contact_url = models.CharField(_("contact"), max_length=500, blank=True)
    steps = models.JSONField(
        _("steps"), default=list, blank=True, help_text=_("[{description, links: [{url, text}]}]")
    )
    extra = models.JSONField(_("other fields of the source"), default=dict, blank=True)
    # --- What the consultant tracks (never touched by an import) ------------------------------------
    funders = models.JSONField(_("funders"), default=list, blank=True)
    instructing_bodies = models.JSONField(_("instructing bodies"), default=list, blank=True)
    spending_type = models.CharField(
        _("spending funded"), max_length=20, choices=SpendingType.choices, blank=True
    )
    is_call_for_projects = models.BooleanField(_("call for projects"), default=False)
    submission_deadlines = models.JSONField(
        _("submission deadlines"), default=list, blank=True, help_text=_("ISO dates, earliest first.")
    )
    selection_reason = models.TextField(
        _("why it is in the programme's catalogue"),
        blank=True,
        help_text=_("Filled for the schemes of the default catalogue of industrial SMEs in PACA."),
    )
    tracking_notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = FundingSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding scheme")
        verbose_name_plural = _("funding schemes")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity comes before its start.")
        for name in ("other_operators", "funders", "instructing_bodies"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[name] = _("Give a list of names.")
        try:
            self.deadline_dates()
        except ValueError:
            errors["submission_deadlines"] = _("Give a list of dates (YYYY-MM-DD).")
        if not isinstance(self.publicodes_rules, dict):
            errors["publicodes_rules"] = _("Publicodes rules map rule names to rules.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_curated(self) -> bool:
        return self.source == SchemeSource.CURATED

    def is_expired(self, today: dt.date) -> bool:
        """Past its end of validity: kept for history, left out of eligibility and matching."""
        return self.valid_until is not None and self.valid_until < today

    def in_force(self, today: dt.date) -> bool:
        return self.withdrawn_on is None and not self.is_expired(today)

    @property
    def funder_label(self) -> str:
        """Who pays: the funders recorded by the consultant, else the operator of contact."""
        return " + ".join(self.funders) if self.funders else (self.contact_operator or "—")

    @property
    def amount_text(self) -> str:
        return (
            self.funding_amount_text
            or self.loan_amount_text
            or self.tax_advantage_text
            or self.support_cost_text
        )

    def deadline_dates(self) -> list[dt.date]:
        if not isinstance(self.submission_deadlines, list):
            raise ValueError("not a list")
        return sorted(dt.date.fromisoformat(str(day)) for day in self.submission_deadlines)

    def next_deadline(self, today: dt.date) -> dt.date | None:
        return next((day for day in self.deadline_dates() if day >= today), None)

    def programme_document(self) -> dict[str, object]:
        """What the eligibility engine reads of a programme file: its rules and validity dates."""
        document: dict[str, object] = {"titre": self.slug, "publicodes": self.publicodes_rules}
        if self.valid_from:
            document["début de validité"] = self.valid_from.strftime("%d/%m/%Y")
        if self.valid_until:
            document["fin de validité"] = self.valid_until.strftime("%d/%m/%Y")
        return document


class FundingProfile(VersionedModel):
    """What the eligibility rules need about a company and the organisation records do not hold."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="funding_profile",
    )
    micro_entrepreneur = models.BooleanField(
        _("micro-entrepreneur"),
        null=True,
        blank=True,
        help_text=_("Leave unknown unless the company's legal status is known."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("funding profile")
        verbose_name_plural = _("funding profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class EligibilityResult(models.Model):
    """A cached evaluation of one scheme for one organisation on one day.

    `inputs` fingerprints what the result was computed from (the company, the rules, the interface);
    a row whose fingerprint no longer matches is recomputed, so editing an organisation's workforce
    at noon does not leave a stale answer until midnight.
    """

    scheme = models.ForeignKey(FundingScheme, on_delete=models.CASCADE, related_name="eligibility_results")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="eligibility_results"
    )
    evaluated_on = models.DateField()
    inputs = models.CharField(max_length=64)
    result = models.BooleanField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("eligibility result")
        verbose_name_plural = _("eligibility results")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "organisation", "evaluated_on"], name="eligibility_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} / {self.organisation} / {self.evaluated_on}: {self.result}"


class Shortlist(TimeStampedModel):
    """A scheme the consultant keeps in view for an action."""

    action = models.ForeignKey(
        "actionplans.Action",
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="funding_shortlist",
    )
    scheme = models.ForeignKey(
        FundingScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="shortlists"
    )
    note = models.CharField(_("why"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ShortlistQuerySet.as_manager()

    class Meta:
        verbose_name = _("shortlisted scheme")
        verbose_name_plural = _("shortlisted schemes")
        ordering = ["action", "scheme__title"]
        constraints = [models.UniqueConstraint(fields=["action", "scheme"], name="shortlist_unique_scheme")]

    def __str__(self) -> str:
        return f"{self.action} — {self.scheme}"


class FundingApplication(VersionedModel):
    """One organisation's application to one scheme for one action (a funding order)."""

    action = models.ForeignKey(
        "actionplans.Action",
        verbose_name=_("action"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    scheme = models.ForeignKey(
        FundingScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.IDENTIFIED
    )
    reference = models.CharField(_("funder's file number"), max_length=100, blank=True)
    amount_requested_eur = _money(_("amount requested (€)"))
    amount_granted_eur = _money(_("amount granted (€)"))
    amount_paid_eur = _money(_("amount paid (€)"))
    preparation_started_on = models.DateField(_("preparation started on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decision_on = models.DateField(_("decision on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Days of support are time entries (meetings app) of kind "funding order" booked on this row.
    time_entries = GenericRelation("meetings.TimeEntry")

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        ordering = ["action", "organisation__name", "scheme__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation", "scheme"], name="application_unique_per_scheme"
            )
        ]

    def __str__(self) -> str:
        return str(_("%(scheme)s for %(organisation)s")) % {
            "scheme": self.scheme,
            "organisation": self.organisation,
        }

    def get_absolute_url(self) -> str:
        return reverse("www:funding_application_detail", args=[self.pk])

    def clean(self) -> None:
        from sobrindustrie.funding.workflow import status_errors

        super().clean()
        errors: dict[str, Any] = {}
        if self.action_id and self.organisation_id:
            # Informed parties only hear of the action: they apply for nothing (see EDITING_ROLES).
            concerned = {self.action.lead_organisation_id} | set(
                self.action.contributors.filter(role__in=EDITING_ROLES).values_list(
                    "organisation_id", flat=True
                )
            )
            if self.organisation_id not in concerned:
                errors["organisation"] = _("The applicant must lead the action or contribute to it.")
        errors.update(self._amount_errors())
        errors.update(self._date_errors())
        for name, message in status_errors(self).items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    def _amount_errors(self) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        requested, granted, paid = self.amount_requested_eur, self.amount_granted_eur, self.amount_paid_eur
        if granted is not None and requested is not None and granted > requested:
            errors["amount_granted_eur"] = _(
                "The amount granted (%(granted)s) exceeds the amount requested (%(requested)s): a funder "
                "grants at most what was asked. Correct one of the two amounts."
            ) % {"granted": _euros(granted), "requested": _euros(requested)}
        if paid is not None and granted is not None and paid > granted:
            errors["amount_paid_eur"] = _(
                "The amount paid (%(paid)s) exceeds the amount granted (%(granted)s)."
            ) % {"paid": _euros(paid), "granted": _euros(granted)}
        if paid is not None and granted is None:
            errors["amount_paid_eur"] = _("Record the amount granted before the amount paid.")
        return errors

    def _date_errors(self) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        order = [
            ("preparation_started_on", self.preparation_started_on),
            ("submitted_on", self.submitted_on),
            ("decision_on", self.decision_on),
            ("paid_on", self.paid_on),
        ]
        known = [(name, day) for name, day in order if day is not None]
        for (earlier_name, earlier), (name, day) in zip(known, known[1:], strict=False):
            if day < earlier:
                errors[name] = _("%(field)s (%(day)s) comes before %(earlier)s (%(earlier_day)s).") % {
                    "field": self._meta.get_field(name).verbose_name.capitalize(),  # type: ignore[union-attr]
                    "day": day.strftime("%d/%m/%Y"),
                    "earlier": self._meta.get_field(earlier_name).verbose_name,
                    "earlier_day": earlier.strftime("%d/%m/%Y"),
                }
        return errors

    @property
    def obtained_eur(self) -> Decimal:
        """The amount granted once the aid is obtained (granted or paid), else 0."""
        if self.status not in OBTAINED_STATUSES:
            return Decimal(0)
        return self.amount_granted_eur or Decimal(0)


class ApplicationLog(models.Model):
    """One move of an application's status: who, when, from what to what, and why."""

    application = models.ForeignKey(
        FundingApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = ApplicationRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


class ApplicationDocument(TimeStampedModel):
    application = models.ForeignKey(
        FundingApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="funding/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ApplicationRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
