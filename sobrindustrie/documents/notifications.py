"""Notifications in the platform and by e-mail, immediate or as a daily digest.

Only people who may see an item are told about it: the audience of a published item is computed
from the same rules as `Space.objects.visible_to`, and items not yet published reach the
programme staff only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sobrindustrie.accounts.enums import Role
from sobrindustrie.documents.enums import DigestFrequency, NotificationKind, SpaceKind

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.documents.models import Notification, Space

UNSUBSCRIBE_SALT = "sobrindustrie.documents.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "www:notifications_unsubscribe", args=[unsubscribe_token(user)]
    )


def staff_of(programme: object) -> QuerySet[User]:
    from sobrindustrie.accounts.models import User

    return User.objects.filter(is_active=True, programmes=programme, role__in=[Role.ADEME, Role.CONSULTANT])


def copil_of(programme: object) -> QuerySet[User]:
    return staff_of(programme).filter(role=Role.ADEME)


def audience(space: Space) -> QuerySet[User]:
    """Everyone who sees the space's published items."""
    from sobrindustrie.accounts.models import User
    from sobrindustrie.teams.models import TeamMembership

    members = Q(pk__in=staff_of(space.programme).values("pk"))
    if space.kind == SpaceKind.PROGRAMME:
        members |= Q(organisation__programme=space.programme)
    elif space.kind == SpaceKind.TEAM:
        current = TeamMembership.objects.current().filter(team_id=space.team_id)
        members |= Q(organisation__in=current.values("organisation_id"))
    elif space.kind == SpaceKind.ORGANISATION:
        members |= Q(organisation_id=space.organisation_id)
    return User.objects.filter(members, is_active=True).distinct()


def frequency_of(user: User) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.frequency if preference is not None else DigestFrequency.DAILY


def notify(
    users: Iterable[User],
    kind: NotificationKind,
    title: str,
    url: str,
    actor: User | None = None,
    *,
    key: str = "",
    emailed: bool = False,
) -> int:
    """Record one notification per user (the actor excepted) and e-mail those who want it now.

    With a `key`, users who already have a notification of that key get no other one: producers
    that run every day tell each thing once. `emailed` records notifications whose news already
    went out by another e-mail, so that neither an immediate e-mail nor the digest repeats it.
    Returns the number of notifications recorded.
    """
    from sobrindustrie.documents.models import Notification

    recipients = [user for user in users if actor is None or user.pk != actor.pk]
    if key:
        told = set(
            Notification.objects.filter(key=key, user__in=[user.pk for user in recipients]).values_list(
                "user_id", flat=True
            )
        )
        recipients = [user for user in recipients if user.pk not in told]
    emailed_at = timezone.now() if emailed else None
    created = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:250], url=url, key=key, emailed_at=emailed_at)
        for user in recipients
    )
    if not emailed:
        for user, notification in zip(recipients, created, strict=True):
            if frequency_of(user) == DigestFrequency.IMMEDIATE:
                send_email(user, [notification])
    return len(created)


def send_email(user: User, notifications: list[Notification]) -> None:
    """One e-mail for one or several notifications, with a link that unsubscribes without login."""
    from sobrindustrie.documents.models import Notification

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "notifications": notifications,
            "site_url": settings.SITE_URL.rstrip("/"),
            "unsubscribe_url": unsubscribe_url(user),
        }
        subject = render_to_string("www/documents/email/subject.txt", context).strip()
        text = render_to_string("www/documents/email/notifications.txt", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.extra_headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


def send_digest() -> int:
    """E-mail each daily-digest user their notifications not e-mailed yet; return the e-mails sent."""
    from sobrindustrie.accounts.models import User
    from sobrindustrie.documents.models import Notification

    pending = Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
    wants_digest = Q(notification_preference__isnull=True) | Q(
        notification_preference__frequency=DigestFrequency.DAILY
    )
    users = User.objects.filter(wants_digest, pk__in=pending.values("user_id")).select_related(
        "notification_preference"
    )
    sent = 0
    for user in users:
        notifications = list(pending.filter(user=user).order_by("created_at"))
        if notifications:
            send_email(user, notifications)
            sent += 1
    return sent
