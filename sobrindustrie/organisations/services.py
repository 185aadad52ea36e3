"""Writes that touch several rows, each in one transaction."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from sobrindustrie.organisations.models import Person
from sobrindustrie.organisations.signals import person_erased


def export_person_data(person: Person) -> dict[str, Any]:
    """Everything the platform holds about a person (GDPR right of access), as plain JSON data."""
    account = person.user
    return {
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "job_title": person.job_title,
            "organisation": person.organisation.name,
            "consent_given_on": person.consent_given_on.isoformat() if person.consent_given_on else None,
            "consent_scope": person.consent_scope,
            "reminders_stopped_on": (
                person.reminders_stopped_on.isoformat() if person.reminders_stopped_on else None
            ),
        },
        "account": (
            {
                "email": account.email,
                "role": account.role,
                "last_login": account.last_login.isoformat() if account.last_login else None,
                "date_joined": account.date_joined.isoformat(),
            }
            if account
            else None
        ),
        "history": [
            {"date": entry.history_date.isoformat(), "type": entry.history_type}
            for entry in person.history.all().order_by("history_date")
        ],
        # Read through the app registry: action plans build on organisations, not the reverse.
        "owned_steps": [
            {
                "step": step.title,
                "action": step.action.title,
                "due_on": step.due_on.isoformat() if step.due_on else None,
                "status": step.status,
            }
            for step in person.owned_steps.select_related("action").order_by("pk")
        ],
        "late_step_reminders": [
            {"step": reminder.step.title, "sent_on": reminder.sent_on.isoformat()}
            for reminder in apps.get_model("actionplans", "StepReminder")
            .objects.filter(person=person)
            .select_related("step")
            .order_by("sent_on", "step_id")
        ],
        "exported_at": timezone.now().isoformat(),
    }


def export_person_json(person: Person) -> str:
    return json.dumps(export_person_data(person), ensure_ascii=False, indent=2)


@transaction.atomic
def erase_person(person: Person) -> None:
    """Erase a person's personal data (GDPR right to erasure).

    The row stays, anonymised, so that what it is linked to (minutes, contacts, contributions)
    keeps its shape; the account is deactivated and its e-mail scrambled; the history rows that
    held the personal data are purged, and so are the copies of the name other apps froze
    (`signals.person_erased`: the adopted versions of action plans).
    """
    account = person.user
    # Every name the person had (a rename leaves the former one in older copies), read before the
    # history that holds them is purged.
    former_names = {str(person)} | {
        f"{entry.first_name} {entry.last_name}".strip() for entry in person.history.all()
    }
    person.first_name = "Personne"
    person.last_name = "effacée"
    person.email = ""
    person.phone = ""
    person.job_title = ""
    person.consent_scope = ""
    person.erased_on = timezone.localdate()
    person.user = None
    person.save()
    person.history.exclude(pk=person.history.latest().pk).delete()
    latest = person.history.latest()
    latest.history_change_reason = "GDPR erasure"
    latest.save()
    person_erased.send(sender=Person, person=person, former_names=frozenset(former_names - {str(person)}))
    if account is not None:
        account.is_active = False
        account.email = f"erased-{account.pk}@invalid.example"
        account.first_name = ""
        account.last_name = ""
        account.set_unusable_password()
        account.save()
