"""Users log in with their e-mail address and hold exactly one role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import ORGANISATION_ROLES, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.STAFF)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for SME members and partners."),
    )
    programmes = models.ManyToManyField(
        "programmes.Programme",
        verbose_name=_("programmes"),
        blank=True,
        related_name="staff_members",
        help_text=_("Programmes an ADEME officer or a consultant works on."),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role in ORGANISATION_ROLES and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("SME members and partners must belong to an organisation.")}
            )

    @property
    def is_platform_staff(self) -> bool:
        return self.is_superuser or self.role == Role.STAFF

    @property
    def is_ademe(self) -> bool:
        return self.role == Role.ADEME

    @property
    def is_consultant(self) -> bool:
        return self.role == Role.CONSULTANT


class InvitationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def pending(self) -> InvitationQuerySet:
        """Invitations whose link still works: neither used, revoked, superseded nor expired."""
        return self.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            superseded_at__isnull=True,
            expires_at__gt=timezone.now(),
        )

    def open(self) -> InvitationQuerySet:
        """Neither used, revoked nor superseded (expired ones included: they can be sent again)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, superseded_at__isnull=True)

    def for_programme(self, programme: object) -> InvitationQuerySet:
        return self.filter(programme=programme)


class Invitation(models.Model):
    """An invitation by e-mail to join a programme with a role (and an organisation for SME members
    and partners).

    The link carries a random token of which only a SHA-256 is stored, so a leaked database holds
    no working link. The link works once, until it expires; revoking it, sending it again (a new
    token) or inviting the same address again (the older invitation is superseded) ends it.
    """

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("The organisation's contact the invitation was made from, linked to the account."),
    )
    invited_by = models.ForeignKey(
        "accounts.User", verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("The account created or extended by the invitation."),
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["email"], name="invitation_email")]

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.superseded_at is None
