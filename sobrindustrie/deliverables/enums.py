from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliverableStatus(models.TextChoices):
    TODO = "todo", pgettext_lazy("deliverable status", "To do")
    IN_PROGRESS = "in_progress", pgettext_lazy("deliverable status", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("deliverable status", "Submitted to ADEME")
    VALIDATED = "validated", pgettext_lazy("deliverable status", "Validated by ADEME")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("pack build status", "Waiting")
    RUNNING = "running", pgettext_lazy("pack build status", "Running")
    DONE = "done", pgettext_lazy("pack build status", "Done")
    FAILED = "failed", pgettext_lazy("pack build status", "Failed")


# Statuses in which the deliverable counts as delivered to ADEME (the obligations engine reads this).
DELIVERED_STATUSES = (DeliverableStatus.SUBMITTED, DeliverableStatus.VALIDATED)
ACTIVE_BUILD_STATUSES = (BuildStatus.QUEUED, BuildStatus.RUNNING)
# The DSFR badge of each status, on the registry and each deliverable's page.
STATUS_BADGES = {
    DeliverableStatus.TODO: "",
    DeliverableStatus.IN_PROGRESS: "fr-badge--info",
    DeliverableStatus.SUBMITTED: "fr-badge--new",
    DeliverableStatus.VALIDATED: "fr-badge--success",
}
FORMAT_LABELS = {
    "docx": _("Word"),
    "pdf": _("PDF"),
    "xlsx": _("Excel"),
    "pptx": _("PowerPoint"),
    "zip": _("Zip"),
}
