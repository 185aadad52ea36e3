"""The deliverables registry: one row per contractual deliverable of a programme, the versions of its
generated files, and the builds of the whole pack.

Kinds, axes and due rules are in `catalogue.py` (data, not rows); a row exists once someone works on
the deliverable (generation, status change or edited synthesis) and is created on demand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.models import VersionedModel
from sobrindustrie.deliverables.catalogue import BY_CODE, KINDS, DeliverableKind
from sobrindustrie.deliverables.enums import (
    ACTIVE_BUILD_STATUSES,
    DELIVERED_STATUSES,
    BuildStatus,
    DeliverableStatus,
)

CODE_CHOICES = [(kind.code, format_lazy("{} — {}", kind.code, kind.title)) for kind in KINDS]


class Deliverable(VersionedModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    code = models.CharField(_("deliverable"), max_length=20, choices=CODE_CHOICES)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.TODO
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    # The version whose files were handed to ADEME: frozen, what ADEME validates. None for a report
    # delivered outside the platform (recorded before the registry existed) or never submitted.
    submitted_version = models.PositiveIntegerField(_("submitted version"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What came with the delivery (e.g. the notes of a report delivered before the registry existed).
    submission_note = models.TextField(_("note on the delivery"), blank=True)
    review_comment = models.TextField(_("ADEME's comment"), blank=True)
    # The narrative parts written by the consultant (reports and L4.3); plain text, one paragraph per line.
    successes = models.TextField(_("successes"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    solutions = models.TextField(_("solutions"), blank=True)
    methods = models.TextField(_("work and methods"), blank=True)
    recommendations = models.TextField(_("recommendations to ADEME"), blank=True)
    copil_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("COPIL meeting that validated the synthesis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Checks before submission (see `checks.py`) the consultant acknowledged with a reason, by key.
    acknowledged_checks = models.JSONField(_("acknowledged checks"), default=dict, blank=True)
    # The checks that fired when the submitted version was submitted, with their reasons: what ADEME reads.
    submission_checks = models.JSONField(_("checks at submission"), default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="deliverable_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} — {self.kind.title}"

    @property
    def kind(self) -> DeliverableKind:
        return BY_CODE[self.code]

    def latest_version(self) -> int:
        return self.files.aggregate(models.Max("version"))["version__max"] or 0

    @property
    def delivered_on(self) -> date | None:
        """The day the deliverable counts as delivered to ADEME, or None.

        The one rule the registry and the obligations engine both read: a deliverable is delivered
        while it is submitted or validated; one sent back is not delivered until submitted again.
        """
        if self.status in DELIVERED_STATUSES:
            return self.submitted_on
        return None

    def submitted_files(self) -> models.QuerySet[DeliverableFile]:
        if self.submitted_version is None:
            return DeliverableFile.objects.none()
        return self.files.filter(version=self.submitted_version).order_by("name")


def _file_path(instance: DeliverableFile, filename: str) -> str:
    deliverable = instance.deliverable
    return f"deliverables/{deliverable.programme.slug}/{deliverable.kind.slug}/v{instance.version}/{filename}"


class DeliverableFile(models.Model):
    """One file of one version of a deliverable. A version is one generation that changed something."""

    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("file name"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    format = models.CharField(_("format"), max_length=10)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=300)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deliverable file")
        verbose_name_plural = _("deliverable files")
        ordering = ["deliverable", "-version", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "version", "name"], name="deliverable_file_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class PackBuild(models.Model):
    """A build of a programme's whole pack of deliverables, run by the task queue.

    At most one build per programme is waiting or running (a partial unique index, on SQLite and
    PostgreSQL alike): a second request is refused and shown the running one.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="pack_builds",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    # "host:pid" of the worker running it, so that a worker killed on this host is seen at once.
    worker = models.CharField(_("worker"), max_length=300, blank=True)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    current_step = models.CharField(_("current step"), max_length=200, blank=True)
    file = models.FileField(_("archive"), upload_to="deliverables/packs/%Y/", blank=True, max_length=300)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    contents = models.JSONField(_("table of contents"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("pack build")
        verbose_name_plural = _("pack builds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=[s.value for s in ACTIVE_BUILD_STATUSES]),
                name="pack_build_one_active_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BUILD_STATUSES

    def missing(self) -> list[dict[str, Any]]:
        return [row for row in self.contents if row.get("missing")]

    def failed(self) -> list[dict[str, Any]]:
        return [row for row in self.contents if row.get("failed")]
