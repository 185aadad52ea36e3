from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConstraintKind(models.TextChoices):
    MUST_LINK = "must_link", _("Must be in the same team")
    CANNOT_LINK = "cannot_link", _("Cannot be in the same team")


class SolveStatus(models.TextChoices):
    """What the optimiser proved about the partition it returned (engine statuses)."""

    OPTIMAL = "OPTIMAL", _("Proven optimal")
    FEASIBLE = "FEASIBLE", _("Best found within the time limit")
    INFEASIBLE = "INFEASIBLE", _("Constraints cannot all hold")
    UNKNOWN = "UNKNOWN", _("No partition found in time")


class ScenarioOrigin(models.TextChoices):
    OPTIMISER = "optimiser", _("Proposed by the optimiser")
    HAND_MODIFIED = "hand_modified", _("Modified by hand")
