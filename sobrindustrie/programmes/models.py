"""A programme: one region's run of Sobr'Industrie, with its dates and contractual caps."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.models import VersionedModel
from sobrindustrie.programmes.querysets import ProgrammeQuerySet


class Programme(VersionedModel):
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    notified_on = models.DateField(_("contract notified on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    diagnostic_days_cap = models.DecimalField(
        _("days per diagnostic (cap)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    funding_order_days_cap = models.DecimalField(
        _("days per funding order (cap)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("6"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    evaluation_days_cap = models.DecimalField(
        _("days per environmental evaluation (cap)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.5"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    target_team_count = models.PositiveSmallIntegerField(_("target number of project teams"), default=5)

    history = HistoricalRecords()
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end must come after the start.")})
