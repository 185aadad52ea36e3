"""Reminders of late steps, to the person who owns each one.

A step is late when it is still to do or in progress after its due date. Its owner (a person of a
member organisation of the team) is told:

- through their platform account when they have an active one: a notification in the platform,
  e-mailed at once or in their daily digest as they prefer (`documents.notifications.notify`);
- otherwise by a plain e-mail to the person's address, one per run listing their late steps (plan,
  action, due date) and whom to contact (the programme's consultants), with no link that needs a
  login; it says how to get access (an invitation, from the consultant) or that one is waiting.
  Only a person who agreed to be contacted (`Person.consent_given_on`) is e-mailed this way. Each
  e-mail carries a link that stops these e-mails (`stop_url`; also in its List-Unsubscribe headers,
  so that mail clients offer it in one click, RFC 8058): the person's `reminders_stopped_on` is set,
  and the consultant sees them among the owners who cannot be reminded. The same link lets the
  person receive them again: the choice stays theirs.

The key of each reminder is the step and the day: a notification's `key` for account holders, a
`StepReminder` row for the others. Run daily (or several times a day), each owner is reminded at
most once per step and day, and again the next day while the step stays late.

Owners who cannot be reminded (no account and no e-mail address, no recorded consent, reminders
stopped, or erased)
are counted and named in the result, for the command's output and the plan's page
(`unreachable_steps`), so that the consultant reaches them another way or chooses another owner.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans.enums import OPEN_STEP_STATUSES, UNREACHABLE, OwnerReach
from sobrindustrie.actionplans.models import ActionStep, StepReminder
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import Invitation, User
    from sobrindustrie.organisations.models import Person
    from sobrindustrie.programmes.models import Programme


@dataclass(frozen=True)
class UnreachableStep:
    """A late step whose owner the platform cannot remind, and why."""

    step: ActionStep
    reach: OwnerReach

    @property
    def reason(self) -> str:
        return str(self.reach.label)


@dataclass(frozen=True)
class ReminderResult:
    late_steps: int
    #: Notifications recorded for owners with an account.
    recorded: int
    #: Late steps whose owner has no active account (e-mailed or not).
    without_account: int
    #: Late steps e-mailed today to owners without an account, and the e-mails sent.
    emailed_steps: int = 0
    emails: int = 0
    unreachable: list[UnreachableStep] = field(default_factory=list)


def late_steps(today: dt.date) -> list[ActionStep]:
    """Open steps past their due date that have an owner, oldest first."""
    return list(
        ActionStep.objects.filter(status__in=OPEN_STEP_STATUSES, due_on__lt=today, owner__isnull=False)
        .select_related("owner__user", "owner__organisation", "action__plan__team__programme")
        .order_by("due_on", "pk")
    )


def reminder_key(step: ActionStep, today: dt.date) -> str:
    return f"step-late:{step.pk}:{today.isoformat()}"


def reach_of(person: Person) -> OwnerReach:
    """How the platform reminds `person` of a late step, or why it cannot (reads `person.user`)."""
    if person.erased_on is not None:
        return OwnerReach.ERASED
    if person.user is not None and person.user.is_active:
        return OwnerReach.ACCOUNT
    if not person.email:
        return OwnerReach.NO_EMAIL
    if person.consent_given_on is None:
        return OwnerReach.NO_CONSENT
    if person.reminders_stopped_on is not None:
        return OwnerReach.STOPPED
    return OwnerReach.EMAIL


STOP_SALT = "sobrindustrie.actionplans.reminders.stop"


def stop_token(person: Person) -> str:
    """The signed token of the link that stops `person`'s e-mailed reminders. It does not expire: the
    link must work in any reminder the person kept, and it can do nothing but stop them."""
    return signing.dumps(person.pk, salt=STOP_SALT)


def stop_url(person: Person) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("www:reminders_stop", args=[stop_token(person)])


def person_of_stop_token(token: str) -> Person | None:
    """The person a stop token was signed for (None when it is altered or the person is gone or
    erased)."""
    from sobrindustrie.organisations.models import Person

    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Person.objects.filter(pk=pk, erased_on__isnull=True).first()


def set_reminders_stopped(person: Person, stopped_on: dt.date | None) -> Person:
    """Stop `person`'s e-mailed reminders from `stopped_on` (a second stop keeps the first date), or
    resume them (None); returns the person as saved, the change in their history. The version stays:
    the contact form neither shows this field nor writes back a stale value (it reloads the row when
    it saves), so an edit opened meanwhile is not refused for a change its user cannot see."""
    from sobrindustrie.organisations.models import Person

    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if stopped_on is not None and current.reminders_stopped_on is not None:
            return current
        if current.reminders_stopped_on != stopped_on:
            current.reminders_stopped_on = stopped_on
            current.save(update_fields=["reminders_stopped_on", "updated_at"])
    return current


def unreachable_steps(steps: Iterable[ActionStep]) -> list[UnreachableStep]:
    """The steps among `steps` (late ones, with `owner__user` read) whose owner cannot be reminded."""
    found = []
    for step in steps:
        if step.owner is not None and (reach := reach_of(step.owner)) in UNREACHABLE:
            found.append(UnreachableStep(step, reach))
    return found


def _notify(step: ActionStep, user: User, today: dt.date) -> int:
    title = _("Late step “%(step)s” (due on %(date)s), action “%(action)s” of %(team)s") % {
        "step": step.title,
        "date": step.due_on.strftime("%d/%m/%Y") if step.due_on else "",
        "action": step.action.title,
        "team": step.action.plan.team.name,
    }
    return notifications.notify(
        [user],
        NotificationKind.STEP_LATE,
        title,
        step.action.get_absolute_url() + "#steps",
        key=reminder_key(step, today),
    )


# --- E-mails to owners without an account --------------------------------------------------------


def consultants_of(programme: Programme) -> list[User]:
    """Whom an owner without an account contacts: the programme's active consultants."""
    return list(
        programme.staff_members.filter(role=Role.CONSULTANT, is_active=True)
        .exclude(email="")
        .order_by("last_name", "first_name", "pk")
    )


def pending_invitation(person: Person) -> Invitation | None:
    """An invitation to the platform whose link still works, sent to the person or their address."""
    from sobrindustrie.accounts.models import Invitation

    return (
        Invitation.objects.pending()
        .filter(Q(person=person) | Q(email__iexact=person.email))
        .order_by("-sent_at")
        .first()
    )


def late_steps_email(person: Person, steps: list[ActionStep]) -> EmailMessage:
    """The plain e-mail telling `person` (no account) of their late `steps`, in the platform's
    language: no link that needs a login, whom to contact, and how to get access."""
    programme = steps[0].action.plan.team.programme
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "steps": steps,
            "programme": programme,
            "consultants": consultants_of(programme),
            "invitation": pending_invitation(person),
            "stop_url": stop_url(person),
        }
        subject = " ".join(render_to_string("www/actionplans/email/late_steps_subject.txt", context).split())
        body = render_to_string("www/actionplans/email/late_steps.txt", context)
    headers = {
        "List-Unsubscribe": f"<{context['stop_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return EmailMessage(subject, body, to=[person.email], headers=headers)


def _email_owners(by_person: dict[Person, list[ActionStep]], today: dt.date) -> tuple[int, int]:
    """E-mail each owner their late steps not yet reminded today; return (steps, e-mails)."""
    told = set(
        StepReminder.objects.filter(
            sent_on=today,
            person__in=[p.pk for p in by_person],
            step__in=[s.pk for ss in by_person.values() for s in ss],
        ).values_list("step_id", "person_id")
    )
    emailed_steps = emails = 0
    for person, steps in sorted(by_person.items(), key=lambda item: item[0].pk):
        due = [step for step in steps if (step.pk, person.pk) not in told]
        if not due:
            continue
        message = late_steps_email(person, due)
        # Recorded with the sending, in one transaction: a failed send records nothing (tried again
        # at the next run), and a second run the same day finds the rows. A run started at the same
        # time that recorded them first makes this one skip the person (the unique constraint).
        try:
            with transaction.atomic():
                StepReminder.objects.bulk_create(
                    StepReminder(step=step, person=person, sent_on=today) for step in due
                )
                get_connection().send_messages([message])
        except IntegrityError:
            continue
        emailed_steps += len(due)
        emails += 1
    return emailed_steps, emails


def remind_late_steps(today: dt.date) -> ReminderResult:
    """Tell each owner of a late step, once per step and day; return what was done."""
    steps = late_steps(today)
    recorded = without_account = 0
    by_person: dict[Person, list[ActionStep]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for step in steps:
            assert step.owner is not None
            reach = reach_of(step.owner)
            if reach == OwnerReach.ACCOUNT:
                assert step.owner.user is not None
                recorded += _notify(step, step.owner.user, today)
                continue
            without_account += 1
            if reach == OwnerReach.EMAIL:
                by_person[step.owner].append(step)
    emailed_steps, emails = _email_owners(by_person, today)
    return ReminderResult(
        len(steps), recorded, without_account, emailed_steps, emails, unreachable_steps(steps)
    )


def describe(item: UnreachableStep) -> str:
    """One line naming the owner, the step and why they were not reminded (for the command)."""
    step = item.step
    assert step.owner is not None
    return _(
        "%(person)s (%(organisation)s), step “%(step)s” due on %(date)s, action “%(action)s” of %(team)s: %(reason)s"
    ) % {
        "person": step.owner,
        "organisation": step.owner.organisation.name,
        "step": step.title,
        "date": step.due_on.strftime("%d/%m/%Y") if step.due_on else "",
        "action": step.action.title,
        "team": step.action.plan.team.name,
        "reason": item.reason,
    }
