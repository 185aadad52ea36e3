"""The programme's collaborative space: spaces, documents and their versions, news and webinars,
comments, the public showcase, and in-platform notifications.

Everything shared goes through the publication workflow (`workflow.TRANSITIONS`): SME members and
partners see an item only once the COPIL has validated it and it is published, or when they wrote it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.core.search import SearchFoldedModel
from sobrindustrie.documents.enums import (
    Category,
    DigestFrequency,
    NotificationKind,
    PostKind,
    PublicationStatus,
    SpaceKind,
)
from sobrindustrie.documents.querysets import (
    CommentQuerySet,
    PublishableQuerySet,
    ShowcaseQuerySet,
    SpaceQuerySet,
    VersionQuerySet,
)


class Space(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="spaces"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    name = models.CharField(_("name"), max_length=150)
    team = models.ForeignKey(
        "teams.ProjectTeam", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "team", "organisation"], name="space_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:space_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (self.kind == SpaceKind.TEAM) != bool(self.team_id):
            raise ValidationError({"team": _("A team space, and only a team space, names its team.")})
        if (self.kind == SpaceKind.ORGANISATION) != bool(self.organisation_id):
            raise ValidationError(
                {"organisation": _("A private space, and only a private space, names its organisation.")}
            )


class Publishable(VersionedModel):
    """Shared content moving through draft → submitted → validated → published (or sent back)."""

    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    return_comment = models.TextField(_("reason for sending back"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in (PublicationStatus.DRAFT, PublicationStatus.RETURNED)


class Document(SearchFoldedModel, Publishable):
    SEARCH_FIELDS = ("title", "description", "tags", "search_text")

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.RESOURCE
    )
    tags = models.CharField(_("tags"), max_length=250, blank=True, help_text=_("Separated by commas."))
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("meetings"), blank=True, related_name="+"
    )
    teams = models.ManyToManyField("teams.ProjectTeam", verbose_name=_("teams"), blank=True, related_name="+")
    actions = models.ManyToManyField(
        "actionplans.Action", verbose_name=_("actions"), blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("organisations"), blank=True, related_name="+"
    )
    search_text = models.TextField(_("text extracted for search"), blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "search_text", "search_folded"])
    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:document_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


def _version_path(instance: DocumentVersion, filename: str) -> str:
    # Never the uploader's name in the storage key: it is chosen by us, the name kept in a field.
    return f"documents/{instance.document.space.programme_id}/{filename}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    file_kind = models.CharField(_("format"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    note = models.CharField(_("what changed"), max_length=250, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Post(SearchFoldedModel, Publishable):
    """A news item or a webinar page."""

    SEARCH_FIELDS = ("title", "body")

    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices, default=PostKind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: # headings, - lists, **bold**."))
    event_at = models.DateTimeField(_("webinar date"), null=True, blank=True)
    recording_url = models.URLField(_("recording link"), blank=True)
    recording = models.ForeignKey(
        Document,
        verbose_name=_("recording file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    slides = models.ForeignKey(
        Document, verbose_name=_("slides"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resources = models.ManyToManyField(
        Document, verbose_name=_("related resources"), blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "search_folded"])
    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("news or webinar")
        verbose_name_plural = _("news and webinars")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:post_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.kind == PostKind.NEWS and (self.recording_url or self.recording_id or self.event_at):
            raise ValidationError({"kind": _("A recording and a date only belong to a webinar.")})


class Comment(TimeStampedModel):
    """Feedback on a document, a news item or minutes, which the consultant marks as handled."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=4000)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.body[:60]


def _showcase_image_path(instance: ShowcasePage, filename: str) -> str:
    return f"showcase/{instance.team_id}/{filename}"


class ShowcasePage(Publishable):
    """The public page of one project (L4.4), in French and English."""

    team = models.OneToOneField(
        "teams.ProjectTeam", verbose_name=_("team"), on_delete=models.PROTECT, related_name="showcase"
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    solution = models.CharField(_("sobriety solution"), max_length=30, choices=Solution.choices)
    summary = models.TextField(_("the project (French)"))
    summary_en = models.TextField(_("the project (English)"))
    key_results = models.TextField(_("key results (French)"), help_text=_("One result per line."))
    key_results_en = models.TextField(_("key results (English)"), help_text=_("One result per line."))
    image = models.FileField(_("image"), upload_to=_showcase_image_path, blank=True, max_length=300)
    image_alt = models.CharField(_("image description (French)"), max_length=250, blank=True)
    image_alt_en = models.CharField(_("image description (English)"), max_length=250, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ShowcaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("showcase page")
        verbose_name_plural = _("showcase pages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:showcase_edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.image and not (self.image_alt and self.image_alt_en):
            raise ValidationError(
                {"image_alt": _("Describe the image in both languages for screen readers.")}
            )

    def localised(self, language: str) -> dict[str, object]:
        english = language == "en"
        results = self.key_results_en if english else self.key_results
        return {
            "title": self.title_en if english else self.title,
            "summary": self.summary_en if english else self.summary,
            "key_results": [line.strip() for line in results.splitlines() if line.strip()],
            "image_alt": self.image_alt_en if english else self.image_alt,
        }


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        _("e-mails"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.DAILY
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=250)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # What the notice is about, for producers that run every day (`notifications.notify(key=...)`):
    # a user gets the notice of one key once, however often the producer runs.
    key = models.CharField(_("notice key"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title
