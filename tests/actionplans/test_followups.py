"""Follow-ups record per action progress, status and difficulties; difficulties reach ADEME."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans.models import ActionUpdate, Difficulty, FollowUp
from sobrindustrie.actionplans.services import raise_difficulty, report_difficulty
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import ActionFactory
from tests.factories import ProgrammeFactory, UserFactory


def _follow_up(pw: PlanWorld, actions: list[Any], **per_action: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"held_on": "2026-06-15", "summary": "Premier suivi"}
    for action in actions:
        data.update(
            {
                f"status_{action.pk}": action.status,
                f"progress_{action.pk}": action.progress_percent,
                f"comment_{action.pk}": "",
                f"difficulty_{action.pk}": "",
            }
        )
    for value in per_action.values():
        data.update(value)
    return data


def test_a_follow_up_records_progress_status_and_difficulties(
    plan_world: PlanWorld, django_capture_on_commit_callbacks: Any
) -> None:
    pw = plan_world
    second = ActionFactory(
        plan=pw.plan, lead_organisation=pw.world.sme_org, title="Technicien de maintenance partagé"
    )
    a, b = pw.action, second
    data = _follow_up(
        pw,
        [a, b],
        a={f"status_{a.pk}": "in_progress", f"progress_{a.pk}": 35, f"comment_{a.pk}": "Convention signée"},
        b={
            f"status_{b.pk}": "paused",
            f"progress_{b.pk}": 0,
            f"difficulty_{b.pk}": "Pas de candidat au poste partagé\nTrois annonces sans réponse.",
            f"raise_{b.pk}": "on",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = pw.client("consultant").post(reverse("www:followup_create", args=[pw.team.pk]), data)
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.progress_percent) == ("in_progress", 35)
    assert b.status == "paused"
    update = ActionUpdate.objects.get(follow_up=follow_up, action=a)
    assert (update.previous_status, update.new_status, update.previous_progress, update.progress_percent) == (
        "planned",
        "in_progress",
        0,
        35,
    )
    assert update.comment == "Convention signée"
    difficulty = Difficulty.objects.get()
    assert difficulty.title == "Pas de candidat au poste partagé"
    assert difficulty.follow_up == follow_up
    assert difficulty.status == "raised"
    assert [m.to for m in mail.outbox] == [[pw.world.users["ademe"].email]]
    detail = pw.client("sme").get(reverse("www:followup_detail", args=[follow_up.pk])).content.decode()
    assert "Convention signée" in detail and "Pas de candidat" in detail


def test_a_refused_move_in_a_follow_up_saves_nothing(plan_world: PlanWorld) -> None:
    pw = plan_world
    a = pw.action
    data = _follow_up(pw, [a], a={f"status_{a.pk}": "done", f"progress_{a.pk}": 100})
    response = pw.client("consultant").post(reverse("www:followup_create", args=[pw.team.pk]), data)
    assert response.status_code == 200
    assert (
        f"progress_{a.pk}" in response.context["form"].errors
        or f"status_{a.pk}" in response.context["form"].errors
    )
    assert not FollowUp.objects.exists()
    a.refresh_from_db()
    assert a.status == "planned"


def test_raising_needs_a_described_difficulty(plan_world: PlanWorld) -> None:
    pw = plan_world
    a = pw.action
    data = _follow_up(pw, [a], a={f"raise_{a.pk}": "on"})
    response = pw.client("consultant").post(reverse("www:followup_create", args=[pw.team.pk]), data)
    assert f"difficulty_{a.pk}" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_a_follow_up_is_linked_to_its_meeting_and_dated_like_it(plan_world: PlanWorld) -> None:
    pw = plan_world
    starts = timezone.make_aware(dt.datetime(2026, 6, 15, 14, 0))
    meeting = Meeting.objects.create(
        programme=pw.world.programme,
        kind=MeetingKind.TEAM_FOLLOWUP,
        title="Suivi n°1",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Rousset",
    )
    meeting.teams.add(pw.team)
    url = reverse("www:followup_create", args=[pw.team.pk])
    wrong_day = pw.client("consultant").post(
        url, {**_follow_up(pw, [pw.action]), "meeting": meeting.pk, "held_on": "2026-06-16"}
    )
    assert "held_on" in wrong_day.context["form"].errors
    assert (
        pw.client("consultant").post(url, {**_follow_up(pw, [pw.action]), "meeting": meeting.pk}).status_code
        == 302
    )
    assert FollowUp.objects.get().meeting == meeting


def test_a_follow_up_cannot_be_dated_in_the_future(plan_world: PlanWorld) -> None:
    pw = plan_world
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = pw.client("consultant").post(
        reverse("www:followup_create", args=[pw.team.pk]),
        {**_follow_up(pw, [pw.action]), "held_on": tomorrow},
    )
    assert "held_on" in response.context["form"].errors


# --- Difficulties ---------------------------------------------------------------------------------


@pytest.fixture
def difficulty(plan_world: PlanWorld) -> Difficulty:
    return report_difficulty(
        plan_world.action, "Devis du rétrofiteur trop élevé", user=plan_world.world.users["sme"]
    )


def test_only_the_consultant_raises_a_difficulty(plan_world: PlanWorld, difficulty: Difficulty) -> None:
    url = reverse("www:difficulty_raise", args=[difficulty.pk])
    for role in ("sme", "partner", "ademe", "co_sme", "other_sme", "outsider_consultant"):
        assert plan_world.client(role).post(url).status_code == 404, role
    assert plan_world.client("consultant").post(url).status_code == 302
    difficulty.refresh_from_db()
    assert difficulty.status == "raised" and difficulty.raised_by == plan_world.world.users["consultant"]


def test_raising_mails_the_programmes_ademe_officers_only(
    plan_world: PlanWorld, difficulty: Difficulty, django_capture_on_commit_callbacks: Any
) -> None:
    second_officer = UserFactory(
        role=Role.ADEME, programmes=[plan_world.world.programme], email="julien@ademe.example"
    )
    UserFactory(role=Role.ADEME, programmes=[ProgrammeFactory(slug="autre")], email="autre@ademe.example")
    with django_capture_on_commit_callbacks(execute=True):
        plan_world.client("consultant").post(reverse("www:difficulty_raise", args=[difficulty.pk]))
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([plan_world.world.users["ademe"].email, second_officer.email])
    message = mail.outbox[0]
    assert "Devis du rétrofiteur trop élevé" in message.subject
    assert f"/difficultes/{difficulty.pk}/" in message.body
    assert plan_world.team.name in message.body


def test_ademe_lists_answers_and_the_team_resolves(
    plan_world: PlanWorld, difficulty: Difficulty, django_capture_on_commit_callbacks: Any
) -> None:
    pw = plan_world
    raise_difficulty(difficulty, user=pw.world.users["consultant"])
    mail.outbox.clear()
    ademe = pw.client("ademe")
    listing = ademe.get(reverse("www:difficulty_list", args=[pw.world.programme.slug]))
    assert listing.context["raised_open"] == [difficulty]

    url = reverse("www:difficulty_answer", args=[difficulty.pk])
    assert pw.client("consultant").post(url, {"ademe_answer": "x"}).status_code == 404
    empty = ademe.post(url, {"ademe_answer": ""})
    assert empty.status_code == 200 and "ademe_answer" in empty.context["answer_form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        assert ademe.post(url, {"ademe_answer": "Le Fonds Tremplin couvre ce rétrofit."}).status_code == 302
    difficulty.refresh_from_db()
    assert difficulty.answered_by == pw.world.users["ademe"] and difficulty.answered_at is not None
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted([pw.world.users["consultant"].email, pw.world.users["sme"].email])

    resolve = reverse("www:difficulty_resolve", args=[difficulty.pk])
    assert pw.client("partner").post(resolve, {"resolution": "x"}).status_code == 404
    assert pw.client("co_sme").post(resolve, {"resolution": "x"}).status_code == 404
    assert pw.client("sme").post(resolve, {"resolution": "Dossier déposé, aide obtenue."}).status_code == 302
    difficulty.refresh_from_db()
    assert difficulty.status == "resolved" and difficulty.resolved_at is not None

    listing = ademe.get(reverse("www:difficulty_list", args=[pw.world.programme.slug]))
    assert listing.context["raised_open"] == []
    assert listing.context["resolved_raised"] == [difficulty]
    assert difficulty.history.count() == 4  # reported, raised, answered, resolved
    page = ademe.get(reverse("www:difficulty_detail", args=[difficulty.pk])).content.decode()
    assert "Le Fonds Tremplin couvre ce rétrofit." in page and "Dossier déposé, aide obtenue." in page


def test_ademe_cannot_answer_what_was_not_raised(plan_world: PlanWorld, difficulty: Difficulty) -> None:
    response = plan_world.client("ademe").post(
        reverse("www:difficulty_answer", args=[difficulty.pk]), {"ademe_answer": "x"}
    )
    assert response.status_code == 404


def test_a_failing_follow_up_raises_nothing_and_mails_nobody(
    plan_world: PlanWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.exceptions import ValidationError

    from sobrindustrie.actionplans.services import ActionEntry, record_follow_up

    pw = plan_world
    other = ActionFactory(plan=pw.plan, lead_organisation=pw.world.sme_org)
    entries = [
        ActionEntry(pw.action, "in_progress", 10, difficulty="Retard", raise_to_ademe=True),
        ActionEntry(other, "done", 100),  # planned → done: refused
    ]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        record_follow_up(pw.plan, held_on=dt.date(2026, 6, 1), user=None, entries=entries, can_manage=True)
    assert not Difficulty.objects.exists() and not FollowUp.objects.exists()
    assert mail.outbox == []
