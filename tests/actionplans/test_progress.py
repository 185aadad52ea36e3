"""The progress table (L2.2) against the records, its XLSX export, indicators, and query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sobrindustrie.actionplans.models import ExperienceNote, Measurement
from sobrindustrie.actionplans.progress import team_progress, timeline
from sobrindustrie.actionplans.services import (
    ActionEntry,
    raise_difficulty,
    record_follow_up,
    report_difficulty,
)
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import (
    ActionFactory,
    ContributorFactory,
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    ProjectTeamFactory,
    StepFactory,
)

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def busy_plan(plan_world: PlanWorld) -> PlanWorld:
    """Three actions: one late in progress with an overdue step, one done, one planned."""
    pw = plan_world
    org = pw.world.sme_org
    late = pw.action  # ends 30/06/2027: made late below
    late.ends_on = dt.date(2026, 10, 31)
    late.save()
    done = ActionFactory(plan=pw.plan, lead_organisation=org, title="Récupération de chaleur du compresseur")
    ActionFactory(
        plan=pw.plan, lead_organisation=org, title="Gabarits écoconçus", starts_on=dt.date(2027, 1, 1)
    )
    StepFactory(action=late, title="Convention signée", due_on=dt.date(2026, 9, 30))  # overdue
    StepFactory(action=late, title="Premier créneau partagé", due_on=dt.date(2026, 12, 15))  # next
    record_follow_up(
        pw.plan,
        held_on=dt.date(2026, 6, 1),
        user=None,
        can_manage=True,
        entries=[ActionEntry(late, "in_progress", 40), ActionEntry(done, "in_progress", 70)],
    )
    done.refresh_from_db()
    late.refresh_from_db()
    record_follow_up(
        pw.plan,
        held_on=dt.date(2026, 10, 1),
        user=None,
        can_manage=True,
        entries=[ActionEntry(late, "in_progress", 60), ActionEntry(done, "done", 100)],
    )
    indicator = IndicatorFactory(action=late, baseline_value=0, target_value=40, unit="h/mois")
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 7, 1), value=10)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 10, 1), value=30)
    raise_difficulty(report_difficulty(late, "Planning des créneaux", user=None), user=None)
    report_difficulty(late, "Assurance de la machine prêtée", user=None)
    return pw


def test_the_table_matches_the_records(busy_plan: PlanWorld) -> None:
    progress = team_progress(busy_plan.plan, TODAY)
    counts = {code: count for code, _label, count in progress.status_counts}
    assert counts == {"planned": 1, "in_progress": 1, "done": 1, "paused": 0, "abandoned": 0}
    assert [row.action.title for row in progress.late_actions] == ["Mutualiser la découpe laser"]
    assert progress.overdue_step_count == 1
    assert progress.average_progress == round((60 + 100 + 0) / 3)
    assert progress.open_difficulty_count == 2 and progress.raised_difficulty_count == 1
    assert progress.last_follow_up.held_on == dt.date(2026, 10, 1)
    late = progress.rows[0]
    assert late.next_step.title == "Premier créneau partagé"
    assert late.last_update.progress_percent == 60
    indicator = late.indicators[0]
    assert (indicator.last.value, indicator.achievement, indicator.trend, indicator.target_reached) == (
        30,
        75,
        "improving",
        False,
    )
    assert [d.label for d in progress.deadlines] == ["Premier créneau partagé"]


def test_the_page_flags_what_is_late(busy_plan: PlanWorld) -> None:
    response = busy_plan.client("ademe").get(reverse("www:progress_table", args=[busy_plan.team.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Planning des créneaux" in body and "<svg" in body
    assert body.count('stroke-dasharray="4 3"') == 0  # nothing abandoned


def test_the_xlsx_holds_the_same_figures(busy_plan: PlanWorld) -> None:
    response = busy_plan.client("partner").get(reverse("www:progress_table_xlsx", args=[busy_plan.team.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 4
    actions = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(actions) == 4  # header + 3 actions
    first = actions[1]
    assert first[1] == "Mutualiser la découpe laser"
    assert first[6] == 60  # progress
    assert first[14] == 2  # open difficulties
    assert first[17] == 20000  # funding need, read by the funding area
    indicators = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert indicators[1][6] == 30 and indicators[1][8] == 75
    difficulties = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert {row[1] for row in difficulties[1:]} == {"Planning des créneaux", "Assurance de la machine prêtée"}


def test_the_timeline_draws_one_bar_per_action(busy_plan: PlanWorld) -> None:
    progress = team_progress(busy_plan.plan, TODAY)
    chart = timeline(progress.rows, TODAY)
    assert chart is not None and len(chart.bars) == 3
    done = next(bar for bar in chart.bars if bar.status == "done")
    assert done.done_width == done.width
    assert chart.today_x is not None and chart.ticks


def test_the_programme_overview_compares_teams(busy_plan: PlanWorld) -> None:
    ProjectTeamFactory(programme=busy_plan.world.programme, name="Équipe sans plan")
    response = busy_plan.client("ademe").get(
        reverse("www:action_plan_overview", args=[busy_plan.world.programme.slug])
    )
    summaries = {s.team.name: s for s in response.context["summaries"]}
    ours = summaries[busy_plan.team.name]
    assert (ours.action_count, ours.follow_up_count, ours.open_difficulties, ours.raised_difficulties) == (
        3,
        2,
        2,
        1,
    )
    assert ours.status_counts == {"in_progress": 1, "done": 1, "planned": 1}
    assert summaries["Équipe sans plan"].plan is None


# --- Indicators ---------------------------------------------------------------------------------


def test_a_measurement_needs_an_indicator_with_a_unit(plan_world: PlanWorld) -> None:
    indicator = IndicatorFactory(action=plan_world.action, unit="")
    url = reverse("www:measurement_add", args=[indicator.pk])
    prefix = f"m{indicator.pk}"
    response = plan_world.client("sme").post(
        url, {f"{prefix}-measured_on": "2026-06-01", f"{prefix}-value": "12"}
    )
    assert response.status_code == 200
    assert indicator.name in " ".join(response.context["indicator_items"][0][1].non_field_errors())
    assert not Measurement.objects.exists()
    indicator.unit = "kWh/mois"
    indicator.save()
    assert (
        plan_world.client("sme")
        .post(url, {f"{prefix}-measured_on": "2026-06-01", f"{prefix}-value": "12"})
        .status_code
        == 302
    )
    assert Measurement.objects.get().recorded_by == plan_world.world.users["sme"]


def test_a_second_measurement_the_same_day_is_refused_on_the_date(plan_world: PlanWorld) -> None:
    """One measurement a day: the form says so by the date instead of failing on the constraint."""
    indicator = IndicatorFactory(action=plan_world.action)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 6, 1))
    prefix = f"m{indicator.pk}"
    response = plan_world.client("sme").post(
        reverse("www:measurement_add", args=[indicator.pk]),
        {f"{prefix}-measured_on": "2026-06-01", f"{prefix}-value": "12"},
    )
    assert response.status_code == 200
    form = response.context["indicator_items"][0][1]
    assert form.errors["measured_on"]
    assert form["value"].value() == "12"
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_an_indicator_target_goes_the_right_way(plan_world: PlanWorld) -> None:
    indicator = IndicatorFactory.build(
        action=plan_world.action, direction="decrease", baseline_value=1000, target_value=1200
    )
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert "target_value" in refused.value.message_dict


def test_indicators_are_added_from_the_action_page(plan_world: PlanWorld) -> None:
    data = {
        "indicator-name": "Consommation du compresseur",
        "indicator-unit": "kWh/mois",
        "indicator-direction": "decrease",
        "indicator-baseline_value": "5200",
        "indicator-target_value": "3900",
    }
    assert (
        plan_world.client("consultant")
        .post(reverse("www:indicator_add", args=[plan_world.action.pk]), data)
        .status_code
        == 302
    )
    assert plan_world.action.indicators.get().target_value == 3900


# --- Query counts ---------------------------------------------------------------------------------


def _grow(pw: PlanWorld, n: int = 4) -> None:
    """More actions, each with steps, contributors, indicators, measurements, difficulties."""
    for i in range(n):
        action = ActionFactory(plan=pw.plan, lead_organisation=pw.world.sme_org)
        StepFactory(action=action)
        ContributorFactory(action=action, organisation=pw.world.partner_org)
        MeasurementFactory(indicator=IndicatorFactory(action=action), measured_on=dt.date(2026, 5, i + 1))
        raise_difficulty(report_difficulty(action, f"Difficulté {i}", user=None), user=None)
        note = ExperienceNote.objects.create(
            programme=pw.world.programme,
            held_on=dt.date(2026, 9, 1),
            topic=f"Leçon {i}",
            lesson="Partager tôt.",
        )
        note.teams.add(pw.team)
        note.actions.add(action)
    record_follow_up(
        pw.plan,
        held_on=dt.date(2026, 6, 1 + n),
        user=None,
        can_manage=True,
        entries=[ActionEntry(a, "in_progress", 10) for a in pw.plan.actions.filter(status="planned")],
    )
    other = ProjectTeamFactory(programme=pw.world.programme)
    MembershipFactory(team=other, organisation=pw.world.other_sme_org)


@pytest.mark.parametrize(
    "name,role,by",
    [
        ("action_plan", "sme", "team"),
        ("progress_table", "ademe", "team"),
        ("action_plan_overview", "ademe", "programme"),
        ("difficulty_list", "ademe", "programme"),
        ("experience_notes", "partner", "programme"),
    ],
)
def test_lists_make_a_fixed_number_of_queries(plan_world: PlanWorld, name: str, role: str, by: str) -> None:
    pw = plan_world
    arg = pw.team.pk if by == "team" else pw.world.programme.slug
    url = reverse(f"www:{name}", args=[arg])
    client = pw.client(role)
    _grow(pw, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(pw, 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), name
