"""Vocabularies shared by every area of the programme."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Solution(models.TextChoices):
    """The seven sobriety solutions of the programme (codes fixed by the specification)."""

    POOLING = "pooling", _("Pooling of production means")
    RETROFIT = "retrofit", _("Local retrofit of production tools")
    LOCAL_FABRICATION = "local_fabrication", _("Local, eco-designed fabrication of production tools")
    INHOUSE_MAINTENANCE = "inhouse_maintenance", _("In-house maintenance")
    USAGE_CHANGE = "usage_change", _("Organisational changes during use")
    FUNCTIONAL_ECONOMY = "functional_economy", _("Functional and cooperative economy")
    OTHER_LOWTECH = "other_lowtech", _("Other low-tech practice")


class LifeCycleStage(models.TextChoices):
    DESIGN = "design", _("Design")
    ACQUISITION = "acquisition", _("Fabrication / acquisition")
    USE = "use", _("Use")
    MAINTENANCE = "maintenance", _("Maintenance")
    DISPOSAL = "disposal", _("Disposal (resale, transfer, end of life)")
