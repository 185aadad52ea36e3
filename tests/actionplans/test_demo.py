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


def test_every_owner_of_a_late_step_is_reminded_once_a_day(programme: Programme) -> None:
    """On the demo: account holders get their notifications as before, owners without an account
    one e-mail each, and those who cannot be reached are named; a second run the same day does
    nothing."""
    from collections import Counter
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command

    from sobrindustrie.actionplans.enums import OwnerReach
    from sobrindustrie.actionplans.reminders import late_steps, reach_of
    from sobrindustrie.documents.models import Notification
    from sobrindustrie.organisations.models import Person
    from sobrindustrie.organisations.services import erase_person

    demo.load(programme)
    steps = ActionStep.objects.filter(status__in=["todo", "in_progress"], due_on__isnull=False)
    today = max(step.due_on for step in steps) + dt.timedelta(days=1)  # every open step is late
    # The demo's owners have accounts: give three of them the other cases.
    owners = list(dict.fromkeys(s.owner for s in steps.select_related("owner__user").order_by("pk")))
    without_account, no_email, erased = owners[:3]
    Person.objects.filter(pk__in=[without_account.pk, no_email.pk]).update(user=None)
    Person.objects.filter(pk=no_email.pk).update(email="")
    no_email.refresh_from_db()
    erase_person(erased)
    late = late_steps(today)
    reach = {step.pk: reach_of(step.owner) for step in late}
    kinds = Counter(reach.values())
    assert kinds[OwnerReach.ACCOUNT] and kinds[OwnerReach.EMAIL] and kinds[OwnerReach.NO_EMAIL]
    assert kinds[OwnerReach.ERASED]
    email_owners = {step.owner_id for step in late if reach[step.pk] == OwnerReach.EMAIL}
    mail.outbox.clear()

    out = StringIO()
    call_command("send_late_step_reminders", "--today", today.isoformat(), stdout=out)
    first = out.getvalue()
    assert (
        f"{len(late)} late step(s), {kinds[OwnerReach.ACCOUNT]} reminder(s) recorded, "
        f"{len(late) - kinds[OwnerReach.ACCOUNT]} owner(s) without an active account: "
        f"{kinds[OwnerReach.EMAIL]} step(s) e-mailed in {len(email_owners)} e-mail(s), "
        f"{kinds[OwnerReach.NO_EMAIL] + kinds[OwnerReach.ERASED]} not reminded."
    ) in first
    assert Notification.objects.filter(key__startswith="step-late:").count() == kinds[OwnerReach.ACCOUNT]
    direct = [m for m in mail.outbox if "en retard dans votre plan" in m.subject]
    assert [m.to for m in direct] == [[without_account.email]]
    assert f"- {no_email} ({no_email.organisation.name}), " in first
    assert f"- Personne effacée ({erased.organisation.name}), " in first

    again = StringIO()
    call_command("send_late_step_reminders", "--today", today.isoformat(), stdout=again)
    assert (
        "0 reminder(s) recorded" in again.getvalue()
        and "0 step(s) e-mailed in 0 e-mail(s)" in again.getvalue()
    )
