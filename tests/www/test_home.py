"""The home lists what waits for each person, oldest first, one click from where it is done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans import services as actionplan_services
from sobrindustrie.actionplans.models import Difficulty
from sobrindustrie.diagnostics.enums import DiagnosticStatus
from sobrindustrie.documents.enums import NotificationKind, SpaceKind
from sobrindustrie.documents.models import Notification, Space
from sobrindustrie.documents.services import add_comment
from sobrindustrie.meetings.enums import MeetingKind, MinutesStatus
from sobrindustrie.meetings.models import Invitation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.home_views.work_items import items_for
from tests.actionplans.factories import ActionFactory, MembershipFactory, ProjectTeamFactory, StepFactory
from tests.conftest import ROLES, World
from tests.diagnostics.factories import DiagnosticFactory
from tests.documents.factories import DocumentFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.meetings.factories import MeetingFactory, MinutesFactory
from tests.teams.factories import ProspectFactory

TODAY = dt.date(2026, 12, 7)


def _action(world: World) -> object:
    team = ProjectTeamFactory(programme=world.programme)
    MembershipFactory(team=team, organisation=world.sme_org)
    return ActionFactory(plan__team=team, lead_organisation=world.sme_org)


def _raised_difficulty(world: World, title: str = "Fournisseur de laser introuvable") -> Difficulty:
    difficulty = Difficulty.objects.create(
        action=_action(world), title=title, reported_by=world.users["consultant"]
    )
    return actionplan_services.raise_difficulty(difficulty, user=world.users["consultant"])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_its_home(world: World, role: str) -> None:
    response = world.client(role).get("/")
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("www:login"))
    else:
        assert response.status_code == 200
        assert "Votre travail" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_count_answers_every_role(world: World, role: str) -> None:
    response = world.client(role).get(reverse("www:work_count"))
    assert response.status_code == (302 if role == "anonymous" else 200)


def test_ademe_sees_the_difficulty_a_consultant_just_escalated(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        difficulty = _raised_difficulty(world)
    page = world.client("ademe").get("/").content.decode()
    assert "Fournisseur de laser introuvable" in page
    assert difficulty.get_absolute_url() in page
    # The e-mail went out, and the same news is in ADEME's notifications (not to be e-mailed again).
    assert [m.to for m in mail.outbox] == [[world.users["ademe"].email]]
    notification = Notification.objects.get(user=world.users["ademe"])
    assert notification.kind == NotificationKind.DIFFICULTY
    assert notification.emailed_at is not None
    assert (
        "Fournisseur de laser introuvable"
        in world.client("ademe").get(reverse("www:notification_list")).content.decode()
    )
    # Answered, it leaves ADEME's list; the consultant is told in the platform too.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actionplan_services.answer_difficulty(difficulty, answer="Voir le CETIM.", user=world.users["ademe"])
    assert "Fournisseur de laser introuvable" not in world.client("ademe").get("/").content.decode()
    assert (
        Notification.objects.filter(user=world.users["consultant"], kind=NotificationKind.DIFFICULTY).count()
        == 1
    )


def test_ademe_sees_what_to_validate_oldest_first(world: World) -> None:
    DiagnosticFactory(
        organisation=world.sme_org,
        status=DiagnosticStatus.ACCEPTED,
        accepted_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10)),
    )
    minutes = MinutesFactory(meeting__programme=world.programme, meeting__title="COPIL de lancement")
    minutes.status = MinutesStatus.SUBMITTED
    minutes.submitted_at = timezone.make_aware(dt.datetime(2026, 1, 5, 10))
    minutes.save()
    items = items_for(world.users["ademe"], TODAY)
    kinds = [item.kind for item in items]
    assert "diagnostic_to_validate" in kinds and "minutes_to_validate" in kinds
    assert kinds.index("minutes_to_validate") < kinds.index("diagnostic_to_validate")  # January before March
    # Another programme's ADEME officer sees none of it.
    other_officer = UserFactory(role=Role.ADEME, programmes=[Programme.objects.get(slug="occitanie")])
    # (their own programme's deadlines excepted)
    assert {item.kind for item in items_for(other_officer, TODAY)} <= {"deadline"}
    assert all("/occitanie/" in item.url for item in items_for(other_officer, TODAY))


def test_the_consultant_sees_minutes_due_steps_late_prospects_and_comments(world: World) -> None:
    consultant = world.users["consultant"]
    held = timezone.make_aware(dt.datetime(2026, 12, 1, 10))
    MeetingFactory(
        programme=world.programme,
        kind=MeetingKind.COPIL,
        title="COPIL de décembre",
        starts_at=held,
        ends_at=held + dt.timedelta(hours=2),
        status="held",
    )
    action = _action(world)
    StepFactory(action=action, title="Devis du laser", due_on=TODAY - dt.timedelta(days=3))
    ProspectFactory(team=action.plan.team, next_step="Rappeler le CETIM", next_step_due=TODAY)
    space = Space.objects.create(programme=world.programme, kind=SpaceKind.PROGRAMME, name="Espace commun")
    document = DocumentFactory(space=space, title="Guide de la mutualisation")
    add_comment(document, world.users["sme"], "Il manque la page 3.")
    labels = {item.kind: item for item in items_for(consultant, TODAY)}
    assert "COPIL de décembre" in labels["minutes_due"].label
    # Held on Tuesday 1 December 2026: five working days later is Tuesday 8 December.
    assert labels["minutes_due"].date == dt.date(2026, 12, 8)
    assert "8 décembre 2026" in labels["minutes_due"].detail
    assert "Devis du laser" in labels["late_step"].label
    assert "Rappeler le CETIM" in labels["prospect"].label
    assert labels["comment"].url == document.get_absolute_url()
    # Every url opens for the consultant.
    client = world.client("consultant")
    for item in items_for(consultant, TODAY):
        assert client.get(item.url.split("#")[0]).status_code == 200, item


def test_the_sme_member_is_asked_to_accept_the_sheet(world: World) -> None:
    diagnostic = DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.SHEET_DRAFTED)
    page = world.client("sme").get("/").content.decode()
    assert "Accepter votre fiche de diagnostic" in page
    assert diagnostic.get_absolute_url() in page
    assert "Accepter votre fiche" not in world.client("other_sme").get("/").content.decode()


def test_members_see_their_steps_and_what_is_shared_with_them(world: World) -> None:
    StepFactory(action=_action(world), title="Choisir le prestataire", due_on=TODAY + dt.timedelta(days=9))
    notification = Notification.objects.create(
        user=world.users["sme"], kind=NotificationKind.NEW_ITEM, title="Nouveau : guide des aides", url="/"
    )
    items = items_for(world.users["sme"], TODAY)
    assert [i.kind for i in items] == ["shared", "step"]  # told today, due in nine days
    step = next(i for i in items if i.kind == "step")
    assert "Choisir le prestataire" in step.label and step.date == TODAY + dt.timedelta(days=9)
    shared = next(i for i in items if i.kind == "shared")
    assert shared.url == reverse("www:notification_open", args=[notification.pk])
    # The other SME of the programme leads nothing and was told nothing.
    assert items_for(world.users["other_sme"], TODAY) == []


def test_the_partner_sees_the_committee_it_is_invited_to(world: World) -> None:
    meeting = MeetingFactory(
        programme=world.programme, kind=MeetingKind.PARTNERS_COMMITTEE, title="Comité des partenaires"
    )
    Invitation.objects.create(meeting=meeting, user=world.users["partner"])
    items = items_for(world.users["partner"])
    assert [(item.kind, item.label) for item in items] == [("meeting", "Comité des partenaires")]
    assert world.client("partner").get(items[0].url).status_code == 200


def test_the_menu_count_is_the_number_of_items(world: World) -> None:
    DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.SHEET_DRAFTED)
    page = world.client("sme").get(reverse("www:work_count")).content.decode()
    assert "1 élément en attente" in page


@pytest.mark.parametrize("role", ["ademe", "consultant", "sme", "partner"])
def test_the_number_of_queries_does_not_grow_with_the_data(world: World, role: str) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            items_for(world.users[role], TODAY)
        return len(queries)

    def add_rows() -> None:
        action = _action(world)
        for n in range(3):
            StepFactory(action=action, due_on=TODAY - dt.timedelta(days=n + 1))
            DiagnosticFactory(
                organisation=OrganisationFactory(programme=world.programme), status=DiagnosticStatus.ACCEPTED
            )
            Difficulty.objects.create(
                action=action, title=f"Difficulté {n}", status="raised", raised_at=timezone.now()
            )
            Notification.objects.create(
                user=world.users[role], kind=NotificationKind.NEW_ITEM, title="x", url="/"
            )
            meeting = MeetingFactory(programme=world.programme, kind=MeetingKind.PARTNERS_COMMITTEE)
            Invitation.objects.create(meeting=meeting, user=world.users[role])
            document = DocumentFactory(
                space=Space.objects.get_or_create(
                    programme=world.programme, kind=SpaceKind.PROGRAMME, defaults={"name": "Commun"}
                )[0]
            )
            add_comment(document, world.users["sme"], f"Remarque {n}")
            add_comment(MinutesFactory(meeting__programme=world.programme), world.users["ademe"], f"Note {n}")

    add_rows()
    items_for(world.users[role], TODAY)  # fills the content-type cache, as any earlier request does
    first = count()
    add_rows()
    assert count() == first
