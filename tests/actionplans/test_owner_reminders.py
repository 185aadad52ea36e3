"""Reminders of late steps to owners without an account: a plain e-mail once per step and day, and
the owners nobody can reach named to the consultant (issue 18, left over)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from sobrindustrie.accounts import invitations
from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans.enums import OwnerReach
from sobrindustrie.actionplans.models import ActionStep, StepReminder
from sobrindustrie.actionplans.reminders import reach_of, remind_late_steps, stop_token, stop_url
from sobrindustrie.documents.models import Notification
from sobrindustrie.organisations.services import erase_person
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import StepFactory
from tests.factories import PersonFactory, UserFactory

TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def consultant(plan_world: PlanWorld):  # type: ignore[no-untyped-def]
    user = plan_world.world.users["consultant"]
    user.first_name, user.last_name = "Claire", "Fabre"
    user.save()
    return user


@pytest.fixture
def owners(plan_world: PlanWorld, consultant: object) -> dict[str, object]:
    """One owner per case, all of the team's lead organisation, each with one late step."""
    org = plan_world.world.sme_org
    people = {
        "account": PersonFactory(organisation=org, first_name="Anne", last_name="Compte"),
        "email": PersonFactory(organisation=org, first_name="Bruno", last_name="Courriel", email="bruno@pu.example"),
        "no_email": PersonFactory(organisation=org, first_name="Chloé", last_name="Sansmail", email=""),
        "no_consent": PersonFactory(organisation=org, first_name="Denis", last_name="Sansaccord", consent_given_on=None),
        "erased": PersonFactory(organisation=org, first_name="Émile", last_name="Efface", email="emile@pu.example"),
    }  # fmt: skip
    people["account"].user = UserFactory(role=Role.SME, organisation=org, email="anne@pu.example")
    people["account"].save()
    for key, person in people.items():
        StepFactory(action=plan_world.action, owner=person, title=f"Étape {key}", due_on=dt.date(2026, 9, 1))
    erase_person(people["erased"])
    for person in people.values():
        person.refresh_from_db()
    return people


def _emails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [address]]


def test_each_owner_is_classified(owners: dict[str, object]) -> None:
    assert {key: reach_of(person) for key, person in owners.items()} == {  # type: ignore[arg-type]
        "account": OwnerReach.ACCOUNT,
        "email": OwnerReach.EMAIL,
        "no_email": OwnerReach.NO_EMAIL,
        "no_consent": OwnerReach.NO_CONSENT,
        "erased": OwnerReach.ERASED,
    }
    deactivated = owners["account"].user  # type: ignore[attr-defined]
    deactivated.is_active = False
    deactivated.save()
    assert reach_of(owners["account"]) == OwnerReach.EMAIL  # type: ignore[arg-type]


def test_owners_without_account_get_one_email_per_day(
    plan_world: PlanWorld, owners: dict[str, object]
) -> None:
    result = remind_late_steps(TODAY)
    assert (result.late_steps, result.recorded, result.without_account) == (5, 1, 4)
    assert (result.emailed_steps, result.emails) == (1, 1)
    # The account holder is told as before: a notification (digest by default), no direct e-mail.
    assert "Étape account" in Notification.objects.get(user=owners["account"].user).title  # type: ignore[attr-defined]
    assert _emails_to("anne@pu.example") == []
    # Only Bruno (e-mail and consent) is e-mailed; nobody else, erased people never.
    assert [m.to for m in mail.outbox] == [["bruno@pu.example"]]
    assert StepReminder.objects.get().step.title == "Étape email"

    again = remind_late_steps(TODAY)  # same day: nothing new
    assert (again.recorded, again.emailed_steps, again.emails) == (0, 0, 0)
    assert len(mail.outbox) == 1

    tomorrow = remind_late_steps(TODAY + dt.timedelta(days=1))
    assert (tomorrow.recorded, tomorrow.emailed_steps, tomorrow.emails) == (1, 1, 1)
    assert len(_emails_to("bruno@pu.example")) == 2

    ActionStep.objects.filter(owner=owners["email"]).update(status="done", done_on=TODAY)
    assert remind_late_steps(TODAY + dt.timedelta(days=2)).emails == 0
    assert len(_emails_to("bruno@pu.example")) == 2


def test_one_email_lists_all_the_owners_late_steps(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    StepFactory(
        action=plan_world.action, owner=owners["email"], title="Second devis", due_on=dt.date(2026, 9, 20)
    )
    StepFactory(
        action=plan_world.action, owner=owners["email"], title="Pas en retard", due_on=dt.date(2026, 12, 1)
    )
    result = remind_late_steps(TODAY)
    assert (result.emailed_steps, result.emails) == (2, 1)
    (message,) = _emails_to("bruno@pu.example")
    assert "Étape email" in message.body and "Second devis" in message.body
    assert "Pas en retard" not in message.body
    assert StepReminder.objects.filter(person=owners["email"], sent_on=TODAY).count() == 2


def test_the_email_in_english(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    with override_settings(LANGUAGE_CODE="en"):
        remind_late_steps(TODAY)
    (message,) = _emails_to("bruno@pu.example")
    assert message.subject == "[Sobr'Industrie] 1 late step in your action plan"
    body = message.body
    assert body.startswith("Hello Bruno,")
    assert "You are in charge, for Provence Usinage, of this step" in body
    assert "Plan: Découpe partagée de l'Arc" in body
    assert "Action: Mutualiser la découpe laser" in body
    assert "Due on: 01/09/2026 (to do)" in body
    # Whom to contact: the programme's consultant, with their address.
    assert f"Claire Fabre <{plan_world.world.users['consultant'].email}>" in body
    # No link that needs a login (the one link stops these e-mails); how to get access instead.
    assert re.findall(r"https?://\S+", body) == [stop_url(owners["email"])]  # type: ignore[arg-type]
    assert "ask the consultant for an invitation" in body


def test_the_email_in_french_by_default(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    remind_late_steps(TODAY)
    (message,) = _emails_to("bruno@pu.example")
    assert message.subject == "[Sobr'Industrie] 1 étape en retard dans votre plan d'actions"
    body = message.body
    assert body.startswith("Bonjour Bruno,")
    assert "Plan : Découpe partagée de l'Arc" in body
    assert "Échéance : 01/09/2026 (à faire)" in body
    assert "demandez une invitation au consultant" in body
    assert f"Pour ne plus recevoir ces courriels, ouvrez ce lien : {stop_url(owners['email'])}" in body  # type: ignore[arg-type]


def test_a_waiting_invitation_is_pointed_to(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    bruno = owners["email"]
    request = invitations.InvitationRequest(
        email=bruno.email,
        role=Role.SME,
        organisation=bruno.organisation,
        person=bruno,  # type: ignore[attr-defined]
    )
    invitations.invite(plan_world.world.programme, request, plan_world.world.users["consultant"])
    mail.outbox.clear()
    with translation.override("en"), override_settings(LANGUAGE_CODE="en"):
        remind_late_steps(TODAY)
    (message,) = _emails_to("bruno@pu.example")
    assert "An invitation to the Sobr'Industrie platform was sent to you on" in message.body
    assert "ask the consultant for an invitation" not in message.body


def test_owners_who_cannot_be_reached_are_named(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    result = remind_late_steps(TODAY)
    named = {(item.step.owner.last_name, item.reach) for item in result.unreachable}  # type: ignore[union-attr]
    assert named == {
        ("Sansmail", OwnerReach.NO_EMAIL),
        ("Sansaccord", OwnerReach.NO_CONSENT),
        ("effacée", OwnerReach.ERASED),
    }
    out = StringIO()
    call_command("send_late_step_reminders", "--today", "2026-10-16", stdout=out)
    output = out.getvalue()
    assert "5 late step(s), 1 reminder(s) recorded, 4 owner(s) without an active account" in output
    assert "1 step(s) e-mailed in 1 e-mail(s), 3 not reminded." in output
    assert "Chloé Sansmail (Provence Usinage), step “Étape no_email” due on 01/09/2026" in output
    assert "Denis Sansaccord (Provence Usinage)" in output
    assert "Personne effacée (Provence Usinage), step “Étape erased”" in output


def test_the_plan_page_names_them_to_the_consultant_only(
    plan_world: PlanWorld, owners: dict[str, object]
) -> None:
    url = reverse("www:action_plan", args=[plan_world.team.pk])
    page = plan_world.client("consultant").get(url).content.decode()
    assert 'id="unreachable-owners"' in page
    assert "Chloé Sansmail" in page and "Denis Sansaccord" in page and "Personne effacée" in page
    assert "Bruno Courriel" not in page.split('id="unreachable-owners"')[1].split("</div>")[0]
    assert "aucun compte et aucune adresse e-mail" in page
    for role in ("sme", "partner", "ademe"):
        assert 'id="unreachable-owners"' not in plan_world.client(role).get(url).content.decode()


def test_a_failed_send_records_nothing(
    plan_world: PlanWorld, owners: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self: object, messages: object) -> int:
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(ConnectionError):
        remind_late_steps(TODAY)
    assert not StepReminder.objects.exists()
    monkeypatch.undo()
    assert remind_late_steps(TODAY).emails == 1  # tried again at the next run


def test_a_run_at_the_same_time_does_not_send_twice(
    plan_world: PlanWorld, owners: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sobrindustrie.actionplans import reminders

    build = reminders.late_steps_email

    def other_run_first(person, steps):  # type: ignore[no-untyped-def]
        # Another run records Bruno's reminder between this run's check and its own record.
        StepReminder.objects.create(step=steps[0], person=person, sent_on=TODAY)
        return build(person, steps)

    monkeypatch.setattr(reminders, "late_steps_email", other_run_first)
    result = remind_late_steps(TODAY)
    assert (result.emailed_steps, result.emails) == (0, 0)
    assert mail.outbox == [] and StepReminder.objects.count() == 1


def test_a_persons_export_lists_their_steps_and_the_reminders_they_were_sent(
    plan_world: PlanWorld, owners: dict[str, object]
) -> None:
    from sobrindustrie.organisations.services import export_person_data

    remind_late_steps(TODAY)
    data = export_person_data(owners["email"])  # type: ignore[arg-type]
    step = ActionStep.objects.get(owner=owners["email"])
    assert data["owned_steps"] == [
        {"step": "Étape email", "action": step.action.title, "due_on": "2026-09-01", "status": step.status}
    ]
    assert data["late_step_reminders"] == [{"step": "Étape email", "sent_on": TODAY.isoformat()}]
    assert export_person_data(owners["no_email"])["late_step_reminders"] == []  # type: ignore[arg-type]


def test_the_email_carries_a_link_that_stops_them(plan_world: PlanWorld, owners: dict[str, object]) -> None:
    bruno = owners["email"]
    remind_late_steps(TODAY)
    (message,) = _emails_to("bruno@pu.example")
    link = stop_url(bruno)  # type: ignore[arg-type]
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    path = link.removeprefix("http://testserver").split("//", 1)[-1]
    path = path[path.index("/") :]
    client = Client(enforce_csrf_checks=True)  # as a mail client posts it: no form, no CSRF token
    page = client.get(path)
    assert page.status_code == 200
    assert "Arrêter ces e-mails" in page.content.decode()
    bruno.refresh_from_db()  # type: ignore[attr-defined]
    assert bruno.reminders_stopped_on is None  # type: ignore[attr-defined]  # opening the link stops nothing

    stopped = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200
    assert "Vous ne recevrez plus" in stopped.content.decode()
    bruno.refresh_from_db()  # type: ignore[attr-defined]
    stopped_on = bruno.reminders_stopped_on  # type: ignore[attr-defined]
    assert stopped_on is not None
    assert reach_of(bruno) == OwnerReach.STOPPED  # type: ignore[arg-type]
    assert bruno.history.latest().reminders_stopped_on == stopped_on  # type: ignore[attr-defined]
    assert client.post(path).status_code == 200  # again: the first date stays
    bruno.refresh_from_db()  # type: ignore[attr-defined]
    assert bruno.reminders_stopped_on == stopped_on  # type: ignore[attr-defined]

    # The next day: no e-mail, and the consultant is told why.
    result = remind_late_steps(TODAY + dt.timedelta(days=1))
    assert result.emails == 0 and len(_emails_to("bruno@pu.example")) == 1
    assert [item.step.title for item in result.unreachable if item.reach == OwnerReach.STOPPED] == [
        "Étape email"
    ]

    # The same link lets Bruno receive them again.
    assert "Recevoir de nouveau ces e-mails" in stopped.content.decode()
    resumed = client.post(path, {"resume": "1"})
    assert "Arrêter ces e-mails" in resumed.content.decode()
    bruno.refresh_from_db()  # type: ignore[attr-defined]
    assert bruno.reminders_stopped_on is None  # type: ignore[attr-defined]
    assert remind_late_steps(TODAY + dt.timedelta(days=2)).emails == 1


def test_an_altered_stop_link_or_one_for_an_erased_person_is_not_found(
    plan_world: PlanWorld, owners: dict[str, object]
) -> None:
    client = Client()
    token = stop_token(owners["email"])  # type: ignore[arg-type]
    altered = client.get(reverse("www:reminders_stop", args=[token[:-2] + "xx"]))
    assert altered.status_code == 404
    assert "Ce lien ne fonctionne pas" in altered.content.decode()
    assert client.post(reverse("www:reminders_stop", args=["1"])).status_code == 404
    erased = stop_token(owners["erased"])  # type: ignore[arg-type]
    assert client.post(reverse("www:reminders_stop", args=[erased])).status_code == 404
    owners["email"].refresh_from_db()  # type: ignore[attr-defined]
    assert owners["email"].reminders_stopped_on is None  # type: ignore[attr-defined]
