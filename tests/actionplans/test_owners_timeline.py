"""Steps with owners and dates inside their action, the timelines, indicator charts, the budget by
member and by funding source, and the reminders of late steps (issue 18, item 4)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from sobrindustrie.actionplans.budget import plan_budget
from sobrindustrie.actionplans.models import ActionStep
from sobrindustrie.actionplans.progress import (
    indicator_chart,
    programme_timeline,
    team_progress,
    timeline,
    timeline_teams,
)
from sobrindustrie.actionplans.reminders import remind_late_steps
from sobrindustrie.actionplans.services import save_step
from sobrindustrie.documents.enums import DigestFrequency, NotificationKind
from sobrindustrie.documents.models import Notification, NotificationPreference
from sobrindustrie.documents.notifications import send_digest
from sobrindustrie.teams.models import ProjectTeam
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import (
    ActionFactory,
    IndicatorFactory,
    MeasurementFactory,
    StepFactory,
)
from tests.factories import PersonFactory
from tests.funding.factories import ApplicationFactory, SchemeFactory

TODAY = dt.date(2026, 10, 15)


# --- Owners and dates ----------------------------------------------------------------------------


def test_a_step_dated_outside_its_action_is_refused_by_name(plan_world: PlanWorld) -> None:
    step = ActionStep(action=plan_world.action, title="Réception de la machine", due_on=dt.date(2030, 1, 15))
    with pytest.raises(ValidationError) as refusal:
        save_step(step)
    message = " ".join(refusal.value.message_dict["due_on"])
    assert "Réception de la machine" in message and "15/01/2030" in message
    assert "01/03/2026" in message and "30/06/2027" in message  # the action's period
    assert "Mutualiser la découpe laser" in message
    assert not ActionStep.objects.exists()


def test_a_step_owned_by_someone_outside_the_team_is_refused_by_name(plan_world: PlanWorld) -> None:
    stranger = PersonFactory(organisation=plan_world.world.other_sme_org, first_name="Inès", last_name="Roux")
    step = ActionStep(action=plan_world.action, title="Devis", due_on=dt.date(2026, 5, 1), owner=stranger)
    with pytest.raises(ValidationError) as refusal:
        save_step(step)
    message = " ".join(refusal.value.message_dict["owner"])
    assert "Inès Roux" in message and "Var Plasturgie" in message
    assert plan_world.team.name in message and "Devis" in message
    # A person of a member organisation may own it; the step goes last.
    step.owner = plan_world.lead
    assert save_step(step).pk and step.position == 1


def test_the_refusals_are_in_french_on_the_page(plan_world: PlanWorld) -> None:
    client = plan_world.client("consultant")
    with translation.override("fr"):
        response = client.post(
            reverse("www:step_add", args=[plan_world.action.pk]),
            {"step-title": "Mise en service", "step-due_on": "2030-01-15", "step-owner": plan_world.lead.pk},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 200
    errors = " ".join(response.context["step_form"].errors["due_on"])
    assert "L’étape « Mise en service » est prévue le 15/01/2030" in errors, errors
    assert "01/03/2026 – 30/06/2027" in errors
    page = response.content.decode()
    assert 'value="Mise en service"' in page and 'value="2030-01-15"' in page  # nothing typed is lost
    assert not ActionStep.objects.exists()


def test_new_steps_need_an_owner_and_a_due_date(plan_world: PlanWorld) -> None:
    response = plan_world.client("sme").post(
        reverse("www:step_add", args=[plan_world.action.pk]), {"step-title": "Audit"}
    )
    assert response.status_code == 200
    assert set(response.context["step_form"].errors) == {"owner", "due_on"}
    # The owner list holds the people of the current member organisations only.
    outsider = PersonFactory(organisation=plan_world.world.other_sme_org)
    choices = set(response.context["step_form"].fields["owner"].queryset)
    assert plan_world.lead in choices and outsider not in choices


def test_editing_a_step_keeps_what_was_typed_when_refused(plan_world: PlanWorld) -> None:
    step = StepFactory(action=plan_world.action, owner=plan_world.lead, title="Formation")
    prefix = f"s{step.pk}"
    response = plan_world.client("consultant").post(
        reverse("www:step_update", args=[step.pk]),
        {
            f"{prefix}-title": "Formation des opérateurs",
            f"{prefix}-status": "todo",
            f"{prefix}-owner": plan_world.lead.pk,
            f"{prefix}-due_on": "2027-09-01",
        },
    )
    assert response.status_code == 200
    edited = dict(response.context["step_items"])[step]
    assert "due_on" in edited.errors and edited["title"].value() == "Formation des opérateurs"
    step.refresh_from_db()
    assert step.title == "Formation" and step.due_on == dt.date(2026, 9, 30)


def test_a_legacy_step_without_owner_can_still_be_closed(plan_world: PlanWorld) -> None:
    step = StepFactory(action=plan_world.action, owner=None)
    prefix = f"s{step.pk}"
    data = {f"{prefix}-title": step.title, f"{prefix}-due_on": "2026-09-30", f"{prefix}-status": "cancelled"}
    response = plan_world.client("consultant").post(reverse("www:step_update", args=[step.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == "cancelled" and step.owner is None


def test_moving_the_action_period_over_its_steps_is_refused(plan_world: PlanWorld) -> None:
    StepFactory(action=plan_world.action, owner=plan_world.lead, title="Bilan", due_on=dt.date(2027, 6, 1))
    action = plan_world.action
    action.ends_on = dt.date(2027, 3, 31)
    with pytest.raises(ValidationError) as refusal:
        action.full_clean()
    assert "« Bilan » (01/06/2027)" in " ".join(refusal.value.message_dict["ends_on"])


# --- Timelines -----------------------------------------------------------------------------------


@pytest.fixture
def scheduled(plan_world: PlanWorld) -> PlanWorld:
    action = plan_world.action
    StepFactory(action=action, owner=plan_world.lead, title="Audit", due_on=dt.date(2026, 4, 1), status="done",
                done_on=dt.date(2026, 4, 1))  # fmt: skip
    StepFactory(action=action, owner=plan_world.lead, title="Devis", due_on=dt.date(2026, 9, 1))
    StepFactory(action=action, owner=plan_world.lead, title="Réception", due_on=dt.date(2027, 1, 10))
    return plan_world


def test_the_plan_timeline_marks_steps_and_late_ones(scheduled: PlanWorld) -> None:
    chart = timeline(team_progress(scheduled.plan, TODAY).rows, TODAY)
    assert chart is not None and len(chart.bars) == 1
    marks = {mark.title.split(" — ")[0]: mark for mark in chart.marks}
    assert set(marks) == {"Audit", "Devis", "Réception"}
    assert marks["Devis"].late and not marks["Réception"].late and marks["Audit"].done
    assert marks["Audit"].x < marks["Devis"].x < chart.today_x < marks["Réception"].x  # type: ignore[operator]
    assert "Laurent Giraud" in marks["Devis"].title
    bar = chart.bars[0]
    assert bar.x <= marks["Audit"].x and marks["Réception"].x <= bar.x + bar.width


def test_the_programme_timeline_groups_the_teams(scheduled: PlanWorld) -> None:
    teams = timeline_teams(ProjectTeam.objects.filter(programme=scheduled.world.programme))
    chart, grouped = programme_timeline(teams, TODAY)
    assert chart is not None and [h.label for h in chart.headers] == [scheduled.team.name]
    assert [row.action.title for _team, rows in grouped for row in rows] == ["Mutualiser la découpe laser"]
    assert [s.title for s in grouped[0][1][0].overdue_steps] == ["Devis"]


def test_the_timeline_pages_show_the_svg_and_the_same_data_as_a_table(scheduled: PlanWorld) -> None:
    page = scheduled.client("sme").get(reverse("www:plan_timeline", args=[scheduled.team.pk]))
    html = page.content.decode()
    assert "<svg" in html and 'id="timeline-table"' in html
    assert "Réception" in html and "Laurent Giraud" in html and "10/01/2027" in html
    overview = scheduled.client("ademe").get(
        reverse("www:programme_timeline", args=[scheduled.world.programme.slug])
    )
    assert overview.status_code == 200 and escape(scheduled.team.name) in overview.content.decode()


def test_the_programme_timeline_reads_a_fixed_number_of_queries(
    scheduled: PlanWorld, django_assert_max_num_queries: object
) -> None:
    for n in range(3):
        ActionFactory(plan=scheduled.plan, lead_organisation=scheduled.world.sme_org, title=f"Action {n}")
        StepFactory(action=scheduled.plan.actions.last(), owner=scheduled.lead)
    teams = timeline_teams(ProjectTeam.objects.filter(programme=scheduled.world.programme))
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        programme_timeline(teams, TODAY)


# --- Indicator charts ----------------------------------------------------------------------------


def test_an_indicator_is_drawn_over_time_with_its_target(plan_world: PlanWorld) -> None:
    indicator = IndicatorFactory(
        action=plan_world.action, baseline_on=dt.date(2026, 3, 1), target_on=dt.date(2027, 6, 30)
    )
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 6, 1), value=10)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2026, 9, 1), value=25)
    row = team_progress(plan_world.plan, TODAY).rows[0].indicators[0]
    chart = indicator_chart(row)
    assert chart is not None and len(chart.points) == 2 and chart.baseline is not None
    (x1, y1, _t1), (x2, y2, _t2) = chart.points
    assert chart.baseline[0] < x1 < x2 and chart.target_x is not None and x2 < chart.target_x
    assert chart.target_y is not None and chart.target_y < y2 < y1 < chart.baseline[1]  # higher is up
    assert "40" in chart.target_label and "30/06/2027" in chart.target_label
    page = plan_world.client("sme").get(reverse("www:action_detail", args=[plan_world.action.pk]))
    assert page.content.decode().count('class="si-chart"') == 1


def test_an_indicator_without_measurement_has_no_chart(plan_world: PlanWorld) -> None:
    IndicatorFactory(action=plan_world.action)
    assert indicator_chart(team_progress(plan_world.plan, TODAY).rows[0].indicators[0]) is None


# --- Budget --------------------------------------------------------------------------------------


def test_the_budget_by_member_and_by_source_adds_up(plan_world: PlanWorld) -> None:
    world, action = plan_world.world, plan_world.action
    action.investment_budget_eur, action.operating_budget_eur = Decimal("60000"), Decimal("5000")
    action.funding_need_eur, action.funding_nature = Decimal("30000"), "investment"
    action.save()
    other = ActionFactory(
        plan=plan_world.plan,
        lead_organisation=plan_world.co_sme_org,
        investment_budget_eur=Decimal("12000"),
        operating_budget_eur=None,
    )
    ActionFactory(  # abandoned: left out
        plan=plan_world.plan,
        lead_organisation=plan_world.co_sme_org,
        status="abandoned",
        investment_budget_eur=Decimal("99999"),
    )
    tremplin = SchemeFactory(title="Tremplin")
    ApplicationFactory(action=action, organisation=world.sme_org, scheme=tremplin, granted=True)
    ApplicationFactory(
        action=other, organisation=plan_world.co_sme_org, scheme=tremplin, amount_requested_eur=Decimal(8000)
    )
    ApplicationFactory(
        action=action,
        organisation=world.sme_org,
        scheme=SchemeFactory(title="Région"),
        status="refused",
        amount_requested_eur=Decimal("10000"),
    )
    budget = plan_budget(plan_world.plan)
    members = {row.organisation.name: row for row in budget.members}
    assert set(members) == {"Provence Usinage", "Maintenance Sud", "Alpes Chaudronnerie"}
    assert members["Provence Usinage"].total_eur == Decimal("65000")
    assert members["Provence Usinage"].obtained_eur == Decimal("15000")
    assert members["Alpes Chaudronnerie"].total_eur == Decimal("12000")
    assert members["Maintenance Sud"].total_eur == 0
    assert budget.total_eur == Decimal("77000") == sum(row.total_eur for row in budget.members)
    sources = {s.scheme.title if s.scheme else "own": s for s in budget.sources}
    assert sources["Tremplin"].obtained_eur == Decimal("15000")
    assert sources["Tremplin"].requested_eur == Decimal("28000")
    assert sources["Région"].requested_eur == 0  # refused
    assert sources["own"].obtained_eur == Decimal("62000")
    assert budget.sources_total_eur == budget.total_eur
    assert budget.requested_eur == sum(row.requested_eur for row in budget.members)
    assert not budget.over_funded
    page = plan_world.client("consultant").get(reverse("www:plan_timeline", args=[plan_world.team.pk]))
    assert re.search(r"<td>77\W?000</td>", page.content.decode())  # the total, as the page writes it


# --- Reminders -----------------------------------------------------------------------------------


@pytest.fixture
def late(plan_world: PlanWorld) -> ActionStep:
    plan_world.lead.user = plan_world.world.users["sme"]
    plan_world.lead.save()
    StepFactory(
        action=plan_world.action, owner=plan_world.lead, title="À l'heure", due_on=dt.date(2026, 12, 1)
    )
    StepFactory(action=plan_world.action, owner=plan_world.lead, title="Fini", due_on=dt.date(2026, 9, 1),
                status="done", done_on=dt.date(2026, 9, 1))  # fmt: skip
    return StepFactory(
        action=plan_world.action, owner=plan_world.lead, title="Devis", due_on=dt.date(2026, 9, 1)
    )


def test_each_owner_is_reminded_of_a_late_step_once_a_day(plan_world: PlanWorld, late: ActionStep) -> None:
    sme = plan_world.world.users["sme"]
    first = remind_late_steps(TODAY)
    assert (first.late_steps, first.recorded, first.without_account) == (1, 1, 0)
    assert remind_late_steps(TODAY).recorded == 0  # same day: not again
    notification = Notification.objects.get(user=sme)
    assert notification.kind == NotificationKind.STEP_LATE and "Devis" in notification.title
    assert notification.url.endswith(f"/actions/{plan_world.action.pk}/#steps")
    assert remind_late_steps(TODAY + dt.timedelta(days=1)).recorded == 1  # the next day, again
    late.status, late.done_on = "done", TODAY
    late.save()
    assert remind_late_steps(TODAY + dt.timedelta(days=2)).recorded == 0


def test_the_reminder_reaches_the_digest_or_an_immediate_email(
    plan_world: PlanWorld, late: ActionStep
) -> None:
    sme = plan_world.world.users["sme"]
    remind_late_steps(TODAY)
    assert mail.outbox == []  # daily digest by default
    assert send_digest() == 1 and "Devis" in mail.outbox[0].body and mail.outbox[0].to == [sme.email]
    NotificationPreference.objects.create(user=sme, frequency=DigestFrequency.IMMEDIATE)
    out = StringIO()
    call_command("send_late_step_reminders", "--today", "2026-10-16", stdout=out)
    assert "1 reminder(s) recorded" in out.getvalue()
    assert len(mail.outbox) == 2 and "Devis" in mail.outbox[1].body


def test_owners_without_an_account_are_counted_and_emailed(plan_world: PlanWorld) -> None:
    StepFactory(action=plan_world.action, owner=plan_world.lead, due_on=dt.date(2026, 9, 1))
    result = remind_late_steps(TODAY)
    assert (result.late_steps, result.recorded, result.without_account) == (1, 0, 1)
    assert not Notification.objects.exists()
    # By a plain e-mail instead (tests/actionplans/test_owner_reminders.py has the details).
    assert (result.emails, mail.outbox[0].to) == (1, [plan_world.lead.email])


def test_a_step_form_opens_on_demand(plan_world: PlanWorld) -> None:
    step = StepFactory(action=plan_world.action, owner=plan_world.lead)
    client = plan_world.client("consultant")
    url = reverse("www:action_detail", args=[plan_world.action.pk])
    closed = client.get(url).content.decode()
    assert f'name="s{step.pk}-owner"' not in closed and f'hx-get="?etape={step.pk}"' in closed
    opened = client.get(url, {"etape": step.pk}).content.decode()
    assert f'name="s{step.pk}-owner"' in opened and f'id="step-{step.pk}-form"' in opened
    # Readers get neither the form nor the link.
    assert "?etape=" not in plan_world.client("ademe").get(url).content.decode()


def test_the_progress_workbook_names_each_step_owner(scheduled: PlanWorld) -> None:
    from openpyxl import load_workbook

    from sobrindustrie.actionplans.exports import progress_xlsx

    workbook = load_workbook(io.BytesIO(progress_xlsx(team_progress(scheduled.plan, TODAY))))
    rows = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert rows[0][-1] == "Owner"
    assert {row[1]: row[-1] for row in rows[1:]}["Devis"] == "Laurent Giraud (Provence Usinage)"
