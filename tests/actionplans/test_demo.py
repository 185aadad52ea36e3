"""The demo action plans load on top of the demo programme and its teams, and load idempotently."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionDependency,
    ActionPlan,
    ActionPlanVersion,
    ActionStep,
    ActionUpdate,
    Difficulty,
    ExperienceNote,
    FollowUp,
    Indicator,
    Measurement,
)
from sobrindustrie.demo import actionplans as demo
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.services import NewTeam, add_member, create_teams

MODELS = [
    ActionPlan,
    ActionPlanVersion,
    Action,
    ActionContributor,
    ActionDependency,
    ActionStep,
    Indicator,
    Measurement,
    FollowUp,
    ActionUpdate,
    Difficulty,
    ExperienceNote,
]
TEAMS = [
    ("Découpe mutualisée", "pooling", ["decoupe-laser-rhodanienne", "toles-etang", "chaudronnerie-durance-bleone"]),
    ("Emballages réemployables", "local_fabrication", ["luberon-emballages", "plasturgie-garlaban", "flaconnage-grasse"]),
    ("Maintenance partagée", "inhouse_maintenance", ["provence-usinage", "inox-process", "meca-comtat"]),
    ("Rétrofit de presses", "retrofit", ["hydraulique-provence-verte", "azur-mecatronique", "menuiseries-alpes-sud"]),
    ("Fours sobres", "usage_change", ["thermo-varois", "electronique-durance", "aero-composites"]),
]  # fmt: skip


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    for model in MODELS:
        if hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


@pytest.fixture
def programme(db: object) -> Programme:
    load_demo(password="secret-demo-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    orgs = {o.slug: o for o in Organisation.objects.filter(programme=programme)}
    teams = create_teams(
        programme,
        [
            NewTeam(name, theme, tuple(orgs[s] for s in slugs), pilot=orgs[slugs[0]])
            for name, theme, slugs in TEAMS
        ],
    )
    add_member(teams[3], orgs["retrofit-mediterranee"], role="contributor")
    starts = timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0))
    followup = Meeting.objects.create(
        programme=programme,
        kind=MeetingKind.TEAM_FOLLOWUP,
        title="Suivi d'équipe : découpe mutualisée",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Visio",
    )
    followup.teams.add(teams[0])
    return programme


def test_every_team_gets_an_adopted_plan_followed_up(programme: Programme) -> None:
    demo.load(programme)
    plans = ActionPlan.objects.filter(team__programme=programme)
    assert plans.count() == 5
    today = timezone.localdate()
    for plan in plans:
        assert 4 <= plan.actions.count() <= 7
        assert plan.versions.exists()
        assert Indicator.objects.filter(action__plan=plan).count() == plan.actions.count()
    if today >= dt.date(2026, 11, 12):
        assert sorted(p.follow_ups.count() for p in plans) == [1, 2, 3, 3, 3]
        statuses = set(Action.objects.filter(plan__in=plans).values_list("status", flat=True))
        assert statuses == {"planned", "in_progress", "done", "paused", "abandoned"}
        assert Difficulty.objects.filter(status="raised").count() == 1
        resolved = Difficulty.objects.get(status="resolved")
        assert resolved.raised_at and resolved.ademe_answer and resolved.resolution
        assert Measurement.objects.filter(indicator__action__plan__in=plans).count() >= 15
        linked = FollowUp.objects.get(plan__team__name="Découpe mutualisée", held_on=dt.date(2026, 11, 5))
        assert linked.meeting is not None
    retrofit = Action.objects.get(plan__team__name="Rétrofit de presses", position=1)
    assert retrofit.solution == "retrofit"
    assert retrofit.contributors.filter(organisation__slug="retrofit-mediterranee").exists()


def test_every_row_is_valid(programme: Programme) -> None:
    demo.load(programme)
    for model in (ActionPlan, Action, ActionContributor, ActionStep, Indicator, Measurement):
        for row in model.objects.all():
            row.full_clean()


def test_running_it_twice_changes_nothing(programme: Programme) -> None:
    demo.load(programme)
    before = _counts()
    demo.load(programme)
    assert _counts() == before


def test_every_step_has_an_owner_of_its_team_and_a_date_in_its_action(programme: Programme) -> None:
    demo.load(programme)
    steps = list(ActionStep.objects.select_related("owner", "action__plan__team"))
    assert steps
    for step in steps:
        action, owner = step.action, step.owner
        assert owner is not None, step.title
        assert action.plan.team.memberships.current().filter(organisation_id=owner.organisation_id).exists()
        assert step.due_on is not None and action.starts_on <= step.due_on <= action.ends_on
    # Several people of each team carry steps, not only the lead organisations.
    for plan in ActionPlan.objects.all():
        owners = {s.owner_id for s in steps if s.action.plan_id == plan.pk}
        assert len(owners) >= 2, plan
