"""Versions: an adopted version is frozen while the working draft goes on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sobrindustrie.actionplans.models import ActionPlanVersion, FrozenVersionError
from sobrindustrie.actionplans.services import adopt_version, update_progress
from sobrindustrie.actionplans.snapshot import build_snapshot, compare, present
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.teams.models import ProjectTeam
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import ActionPlanFactory, StepFactory
from tests.factories import PersonFactory
from tests.teams.factories import TeamFactory

ADOPTED_ON = dt.date(2026, 3, 10)


def _workshop(
    pw: PlanWorld, kind: str = MeetingKind.ACTION_PLAN_WORKSHOP, teams: list[ProjectTeam] | None = None
) -> Meeting:
    starts = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))
    meeting = Meeting.objects.create(
        programme=pw.world.programme,
        kind=kind,
        title="Atelier plan d'actions n°2",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="Rousset",
    )
    meeting.teams.set(teams if teams is not None else [pw.team])
    return meeting


def test_the_adopted_version_stays_as_it_was_while_the_draft_changes(plan_world: PlanWorld) -> None:
    pw = plan_world
    StepFactory(action=pw.action, title="Convention de mutualisation")
    version = adopt_version(pw.plan, adopted_on=ADOPTED_ON, user=pw.world.users["consultant"])
    assert version.number == 1

    pw.action.title = "Mutualiser la découpe laser et la plieuse"
    pw.action.save()
    update_progress(pw.action, status="in_progress", progress=30, can_manage=True)

    version.refresh_from_db()
    frozen = version.snapshot["actions"][0]
    assert frozen["title"] == "Mutualiser la découpe laser"
    assert frozen["status"] == "planned"
    assert frozen["steps"][0]["title"] == "Convention de mutualisation"
    draft = build_snapshot(pw.plan)["actions"][0]
    assert draft["title"] == "Mutualiser la découpe laser et la plieuse"
    changes = compare(version.snapshot, build_snapshot(pw.plan))
    assert any("title" in line for line in changes)
    assert any("To come → In progress" in line for line in changes)

    page = pw.client("partner").get(reverse("www:action_plan_version", args=[pw.team.pk, 1]))
    assert page.context["sheet"]["actions"][0]["title"] == "Mutualiser la découpe laser"
    assert "<td>Mutualiser la découpe laser</td>" in page.content.decode()


def test_the_comparison_names_step_and_owner_changes(plan_world: PlanWorld) -> None:
    pw = plan_world
    convention = StepFactory(action=pw.action, title="Convention de mutualisation", owner=pw.lead)
    StepFactory(action=pw.action, title="Devis de la plieuse")
    version = adopt_version(pw.plan, adopted_on=ADOPTED_ON, user=None)
    assert compare(version.snapshot, build_snapshot(pw.plan)) == []

    deputy = PersonFactory(organisation=pw.world.sme_org, first_name="Inès", last_name="Roux")
    convention.due_on = dt.date(2026, 10, 15)
    convention.status = "done"
    convention.owner = deputy
    convention.save()
    pw.action.steps.get(title="Devis de la plieuse").delete()
    StepFactory(action=pw.action, title="Formation des opérateurs")
    pw.action.lead_person = deputy
    pw.action.save()

    changes = compare(version.snapshot, build_snapshot(pw.plan))
    action = "Mutualiser la découpe laser"
    assert changes == [
        f"{action}: lead person Laurent Giraud → Inès Roux",
        f"{action}, step Convention de mutualisation: due 30/09/2026 → 15/10/2026",
        f"{action}, step Convention de mutualisation: status To do → Done",
        f"{action}, step Convention de mutualisation: owner Laurent Giraud → Inès Roux",
        f"{action}: step added: Formation des opérateurs",
        f"{action}: step removed: Devis de la plieuse",
    ]
    with translation.override("fr"):
        french = compare(version.snapshot, build_snapshot(pw.plan))
    assert f"{action}, étape Convention de mutualisation : statut À faire → Réalisé" in french
    assert f"{action} : étape ajoutée : Formation des opérateurs" in french


def test_a_version_adopted_before_owners_were_recorded_reports_no_owner_change(plan_world: PlanWorld) -> None:
    pw = plan_world
    StepFactory(action=pw.action, title="Convention de mutualisation", owner=pw.lead)
    snapshot = build_snapshot(pw.plan)
    schema_1 = {**snapshot, "schema": 1}
    schema_1["actions"] = [
        {
            **action,
            "steps": [
                {k: v for k, v in step.items() if not k.startswith("owner")} for step in action["steps"]
            ],
        }
        for action in snapshot["actions"]
    ]
    assert compare(schema_1, snapshot) == []


def test_a_version_cannot_be_changed(plan_world: PlanWorld) -> None:
    version = adopt_version(plan_world.plan, adopted_on=ADOPTED_ON, user=None)
    version.note = "edited"
    with pytest.raises(FrozenVersionError):
        version.save()


def test_versions_are_numbered_and_kept(plan_world: PlanWorld) -> None:
    adopt_version(plan_world.plan, adopted_on=ADOPTED_ON, user=None)
    second = adopt_version(plan_world.plan, adopted_on=dt.date(2026, 4, 2), user=None)
    assert second.number == 2
    assert ActionPlanVersion.objects.filter(plan=plan_world.plan).count() == 2


def test_an_empty_plan_cannot_be_adopted(plan_world: PlanWorld) -> None:
    from tests.actionplans.factories import ProjectTeamFactory

    empty = ActionPlanFactory(team=ProjectTeamFactory(programme=plan_world.world.programme))
    with pytest.raises(ValidationError, match="no action"):
        adopt_version(empty, adopted_on=ADOPTED_ON, user=None)


def test_adoption_is_linked_to_its_workshop(plan_world: PlanWorld) -> None:
    meeting = _workshop(plan_world)
    response = plan_world.client("consultant").post(
        reverse("www:action_plan_adopt", args=[plan_world.team.pk]),
        {"adopted_on": "2026-03-10", "meeting": meeting.pk, "note": "Adopté à l'unanimité"},
    )
    version = plan_world.plan.versions.get()
    assert response.status_code == 302
    assert version.meeting == meeting
    assert version.note == "Adopté à l'unanimité"


def test_adoption_refuses_a_workshop_held_another_day(plan_world: PlanWorld) -> None:
    meeting = _workshop(plan_world)
    response = plan_world.client("consultant").post(
        reverse("www:action_plan_adopt", args=[plan_world.team.pk]),
        {"adopted_on": "2026-03-11", "meeting": meeting.pk},
    )
    assert response.status_code == 200
    assert "10/03/2026" in response.content.decode()
    assert not plan_world.plan.versions.exists()


def test_only_workshops_of_this_team_are_offered(plan_world: PlanWorld) -> None:
    ours = _workshop(plan_world)
    other_team = _workshop(plan_world, teams=[TeamFactory(programme=plan_world.world.programme)])
    follow_up = _workshop(plan_world, kind=MeetingKind.TEAM_FOLLOWUP)
    page = plan_world.client("consultant").get(reverse("www:action_plan_adopt", args=[plan_world.team.pk]))
    offered = set(page.context["form"].fields["meeting"].queryset)
    assert offered == {ours}
    assert other_team not in offered and follow_up not in offered


def test_present_gives_labels_and_totals(plan_world: PlanWorld) -> None:
    sheet = present(build_snapshot(plan_world.plan))
    action = sheet["actions"][0]
    assert action["status_label"] == "To come"
    assert action["starts_on"] == dt.date(2026, 3, 1)
    assert sheet["totals"]["funding_need_eur"] == 20000
