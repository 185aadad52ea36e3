"""Inviting people to a programme, and what an invitation's link does.

One account per e-mail address, holding one role (and one organisation for SME members and
partners, or programmes for ADEME officers and consultants). So an invitation to an address that
already has an account does not create a second one: it adds the programme to an ADEME officer's
or a consultant's account at once (and tells them by e-mail), and is refused, with the reason,
when the account would need a second role or a second organisation.

An invitation to a new address sends a link that works once, for INVITATION_VALID_DAYS days, where
the invitee sets their password. Inviting the same address again supersedes the older invitation,
so only one link is valid at a time; sending again issues a new link (the older stops working).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import ORGANISATION_ROLES, PROGRAMME_ROLES, Role
from sobrindustrie.accounts.models import Invitation, User

if TYPE_CHECKING:
    from sobrindustrie.organisations.models import Organisation, Person
    from sobrindustrie.programmes.models import Programme

INVITATION_VALID_DAYS = 14
#: The link is /invitation/<token>/; tokens are this long (secrets.token_urlsafe(32)).
TOKEN_MAX_LENGTH = 100


class InvitationRefused(ValueError):
    """The invitation cannot be made; the message says why, for the person inviting."""


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` is one of the REASONS below, for the invitee's page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


UNKNOWN, EXPIRED, USED, REVOKED, SUPERSEDED = "unknown", "expired", "used", "revoked", "superseded"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class InvitationOutcome:
    """What inviting one address did: a link sent (`invitation`), or an existing account extended."""

    email: str
    invitation: Invitation | None = None
    extended_account: User | None = None


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    role: str
    organisation: Organisation | None = None
    first_name: str = ""
    last_name: str = ""
    person: Person | None = None


# --- Checking ---------------------------------------------------------------------------------------


def _check_target(programme: Programme, request: InvitationRequest) -> None:
    if request.role in ORGANISATION_ROLES:
        if request.organisation is None:
            raise InvitationRefused(_("SME members and partners are invited to an organisation: choose one."))
        if request.organisation.programme_id != programme.pk:
            raise InvitationRefused(_("This organisation is not part of the programme."))
    elif request.role in PROGRAMME_ROLES:
        if request.organisation is not None:
            raise InvitationRefused(
                _("ADEME officers and consultants work on the whole programme: leave the organisation empty.")
            )
    else:
        raise InvitationRefused(_("This role cannot be granted by invitation."))


def _check_existing(programme: Programme, request: InvitationRequest, account: User) -> None:
    """Refuse, with the reason, what one account with one role cannot hold."""
    email = request.email
    if not account.is_active:
        raise InvitationRefused(
            _("%(email)s has a deactivated account: reactivate it from the People page.") % {"email": email}
        )
    if account.is_platform_staff:
        raise InvitationRefused(
            _("%(email)s is a platform administrator and already sees every programme.") % {"email": email}
        )
    if account.role != request.role:
        raise InvitationRefused(
            _(
                "%(email)s already has an account as %(role)s; an account holds one role, so it cannot also be %(new_role)s."
            )
            % {"email": email, "role": account.get_role_display(), "new_role": Role(request.role).label}
        )
    if request.role in PROGRAMME_ROLES:
        if account.programmes.filter(pk=programme.pk).exists():
            raise InvitationRefused(_("%(email)s already works on this programme.") % {"email": email})
        return
    if account.organisation_id == request.organisation.pk:  # type: ignore[union-attr]
        raise InvitationRefused(
            _("%(email)s already has an account in %(organisation)s.")
            % {"email": email, "organisation": request.organisation}
        )
    raise InvitationRefused(
        _("%(email)s already has an account in %(organisation)s; an account belongs to one organisation.")
        % {"email": email, "organisation": account.organisation}
    )


def check_invitation(programme: Programme, request: InvitationRequest) -> User | None:
    """Raise InvitationRefused if the invitation cannot be made; return the existing account it
    would extend, if any."""
    _check_target(programme, request)
    account = User.objects.filter(email=request.email).first()
    if account is not None:
        _check_existing(programme, request, account)
    return account


# --- Inviting ----------------------------------------------------------------------------------------


def _normalised(request: InvitationRequest) -> InvitationRequest:
    return InvitationRequest(
        email=request.email.strip().lower(),
        role=request.role,
        organisation=request.organisation,
        first_name=request.first_name.strip(),
        last_name=request.last_name.strip(),
        person=request.person,
    )


def _create(programme: Programme, request: InvitationRequest, invited_by: User) -> tuple[Invitation, str]:
    now = timezone.now()
    # One valid link per address: older open invitations to it stop working.
    Invitation.objects.open().filter(email=request.email).update(superseded_at=now)
    raw, token_hash = _new_token()
    invitation = Invitation.objects.create(
        programme=programme,
        email=request.email,
        first_name=request.first_name,
        last_name=request.last_name,
        role=request.role,
        organisation=request.organisation,
        person=request.person,
        invited_by=invited_by,
        token_hash=token_hash,
        created_at=now,
        sent_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
    )
    return invitation, raw


def _extend(programme: Programme, request: InvitationRequest, account: User) -> None:
    if request.role in PROGRAMME_ROLES:
        account.programmes.add(programme)
    if request.person is not None and request.person.user_id is None:
        request.person.user = account
        request.person.save(update_fields=["user", "updated_at"])


def invite_many(
    programme: Programme, requests: list[InvitationRequest], invited_by: User
) -> list[InvitationOutcome]:
    """Invite every address, or none: each is checked first and the first refusal (naming the
    address) stops everything. E-mails go out once the rows are written."""
    requests = [_normalised(r) for r in requests]
    seen: set[str] = set()
    for request in requests:
        if request.email in seen:
            raise InvitationRefused(_("%(email)s is listed twice.") % {"email": request.email})
        seen.add(request.email)
    outcomes: list[InvitationOutcome] = []
    links: list[tuple[Invitation, str]] = []
    with transaction.atomic():
        for request in requests:
            account = check_invitation(programme, request)
            if account is not None:
                _extend(programme, request, account)
                outcomes.append(InvitationOutcome(request.email, extended_account=account))
            else:
                invitation, raw = _create(programme, request, invited_by)
                links.append((invitation, raw))
                outcomes.append(InvitationOutcome(request.email, invitation=invitation))
    for invitation, raw in links:
        send_invitation_email(invitation, raw)
    for outcome in outcomes:
        if outcome.extended_account is not None:
            send_access_email(outcome.extended_account, programme, invited_by)
    return outcomes


def invite(programme: Programme, request: InvitationRequest, invited_by: User) -> InvitationOutcome:
    return invite_many(programme, [request], invited_by)[0]


def resend(invitation: Invitation) -> None:
    """Send the invitation again with a new link and a new expiry; the previous link stops working."""
    if not invitation.is_open:
        raise InvitationRefused(_("This invitation was used, revoked or replaced: invite the person again."))
    raw, invitation.token_hash = _new_token()
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    send_invitation_email(invitation, raw)


def revoke(invitation: Invitation) -> None:
    if not invitation.is_open:
        raise InvitationRefused(_("This invitation was already used, revoked or replaced."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


# --- Accepting -----------------------------------------------------------------------------------------


def find_usable(raw: str) -> Invitation:
    """The invitation a link designates, if it can still be used; InvitationUnusable otherwise."""
    if not raw or len(raw) > TOKEN_MAX_LENGTH:
        raise InvitationUnusable(UNKNOWN)
    invitation = (
        Invitation.objects.select_related("programme", "organisation")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(UNKNOWN)
    if invitation.used_at is not None:
        raise InvitationUnusable(USED)
    if invitation.revoked_at is not None:
        raise InvitationUnusable(REVOKED)
    if invitation.superseded_at is not None:
        raise InvitationUnusable(SUPERSEDED)
    if invitation.is_expired:
        raise InvitationUnusable(EXPIRED)
    return invitation


def new_account(invitation: Invitation) -> User:
    """The (unsaved) account an invitation creates, for the password validators to compare with."""
    return User(
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        role=invitation.role,
        organisation=invitation.organisation,
    )


def accept(raw: str, account: User, password: str) -> User:
    """Create the invitee's account with its password, once: the invitation is locked and checked
    again inside the transaction, so two submissions of the same link create one account."""
    with transaction.atomic():
        invitation = find_usable(raw)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open or invitation.is_expired:
            raise InvitationUnusable(USED if invitation.used_at else REVOKED)
        if User.objects.filter(email=invitation.email).exists():
            # Another invitation created the account meanwhile: this one must not make a second.
            raise InvitationUnusable(USED)
        account.set_password(password)
        account.full_clean(exclude=["password"])
        account.save()
        if invitation.role in PROGRAMME_ROLES:
            account.programmes.add(invitation.programme)
        _link_person(invitation, account)
        invitation.used_at = timezone.now()
        invitation.user = account
        invitation.save(update_fields=["used_at", "user"])
    return account


def _link_person(invitation: Invitation, account: User) -> None:
    """Tie the account to the organisation's contact it was invited from, or to the contact of the
    same organisation with the same address."""
    from sobrindustrie.organisations.models import Person

    person = invitation.person
    if person is None and invitation.organisation_id is not None:
        person = Person.objects.filter(
            organisation_id=invitation.organisation_id, email__iexact=invitation.email, user__isnull=True
        ).first()
    if person is not None and person.user_id is None and person.organisation_id == invitation.organisation_id:
        person.user = account
        person.save(update_fields=["user", "updated_at"])


# --- Accounts ------------------------------------------------------------------------------------------


def set_active(account: User, active: bool) -> None:
    """Deactivate or reactivate an account. A deactivated account's sessions and API tokens stop
    working on their next request (the authentication backend and ApiToken.active() both refuse an
    inactive user); its history and everything it did stay."""
    account.is_active = active
    account.save(update_fields=["is_active"])


# --- E-mails -------------------------------------------------------------------------------------------


def _send(subject_template: str, body_template: str, to: str, context: dict[str, object]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    EmailMessage(subject, body, to=[to]).send()


def send_invitation_email(invitation: Invitation, raw: str) -> None:
    _send(
        "www/accounts/email/invitation_subject.txt",
        "www/accounts/email/invitation.txt",
        invitation.email,
        {
            "invitation": invitation,
            "link": _absolute(reverse("www:invitation_accept", args=[raw])),
            "valid_days": INVITATION_VALID_DAYS,
        },
    )


def send_access_email(account: User, programme: Programme, invited_by: User) -> None:
    _send(
        "www/accounts/email/access_subject.txt",
        "www/accounts/email/access.txt",
        account.email,
        {
            "account": account,
            "programme": programme,
            "invited_by": invited_by,
            "link": _absolute(reverse("www:home")),
        },
    )
