"""Personal API tokens: how another tool reads the platform on a user's behalf.

Only a SHA-256 of the token is stored, so a leaked database does not leak working tokens; the
token itself is shown once, when it is created. A token carries exactly its owner's permissions.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.models import TimeStampedModel

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User

#: Tokens start with this prefix, so that secret scanners recognise them in a leaked file.
TOKEN_PREFIX = "sbi_"
#: How often `last_used_at` is written: one write per request would slow every API call.
LAST_USED_RESOLUTION_SECONDS = 60


class TokenScope(models.TextChoices):
    """What a token may do: read only, or read and write (time entries, trips, measurements)."""

    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def visible_to(self, user: User) -> ApiTokenQuerySet:
        """One's own tokens only: nobody else, not even staff, manages them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ApiToken(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the tool using it.")
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("first characters"), max_length=12, editable=False)
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text=_(
            "Read: the GET endpoints only. Read and write: also record time, trips and measurements."
        ),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    @classmethod
    def issue(cls, user: User, name: str, scope: str = TokenScope.READ) -> tuple[ApiToken, str]:
        """Create a token; returns the row and the token itself, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, token_hash=hash_token(raw), hint=raw[:10], scope=scope
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The active token, with its user, or None; notes when the token was last used."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        token = cls.objects.active().select_related("user").filter(token_hash=hash_token(raw)).first()
        if token is None:
            return None
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at", "updated_at"])
