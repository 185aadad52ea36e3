"""Every page of the action plans, requested by every kind of user.

Written out as a matrix so that a change of permissions shows up as a readable diff. `co_sme` is an
SME member of the team that neither leads nor contributes to the action.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sobrindustrie.actionplans.services import adopt_version, record_follow_up, report_difficulty
from tests.actionplans.conftest import PlanWorld
from tests.conftest import ROLES

OK, NOT_FOUND, LOGIN = 200, 404, 302
ALL_ROLES = [*ROLES, "co_sme"]

# role:                  anon   ademe consult sme  o_sme partner staff out_c out_sme co_sme
PAGES = {
    "action_plan":          [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_plan_edit":     [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_plan_adopt":    [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "action_plan_version":  [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_create":        [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_detail":        [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_edit":          [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "progress_table":       [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "progress_table_xlsx":  [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "plan_timeline":        [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "plan_sheet":           [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "plan_sheet_pdf":       [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "plan_sheet_docx":      [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "followup_create":      [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "followup_detail":      [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "difficulty_detail":    [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "action_plan_overview": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "programme_timeline":   [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "difficulty_list":      [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "experience_notes":     [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK],
    "experience_note_create": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
}  # fmt: skip

TEAM_PAGES = {
    "action_plan",
    "action_plan_edit",
    "action_plan_adopt",
    "action_create",
    "progress_table",
    "progress_table_xlsx",
    "plan_timeline",
    "plan_sheet",
    "plan_sheet_pdf",
    "plan_sheet_docx",
    "followup_create",
}
PROGRAMME_PAGES = {
    "action_plan_overview",
    "programme_timeline",
    "difficulty_list",
    "experience_notes",
    "experience_note_create",
}


def _url(name: str, pw: PlanWorld) -> str:
    consultant = pw.world.users["consultant"]
    if name in TEAM_PAGES:
        return reverse(f"www:{name}", args=[pw.team.pk])
    if name in PROGRAMME_PAGES:
        return reverse(f"www:{name}", args=[pw.world.programme.slug])
    if name == "action_plan_version":
        version = adopt_version(pw.plan, adopted_on=dt.date(2026, 3, 10), user=consultant)
        return reverse(f"www:{name}", args=[pw.team.pk, version.number])
    if name == "followup_detail":
        follow_up = record_follow_up(
            pw.plan, held_on=dt.date(2026, 6, 1), user=consultant, entries=[], can_manage=True
        )
        return reverse(f"www:{name}", args=[follow_up.pk])
    if name == "difficulty_detail":
        return reverse(
            f"www:{name}", args=[report_difficulty(pw.action, "Retard fournisseur", user=consultant).pk]
        )
    return reverse(f"www:{name}", args=[pw.action.pk])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ALL_ROLES)))
def test_each_role_gets_what_it_may(plan_world: PlanWorld, page: str, role_index: int, role: str) -> None:
    response = plan_world.client(role).get(_url(page, plan_world))
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if response.status_code == OK and response["Content-Type"].startswith("text/html"):
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content


# --- Writes: every POST-only view, every role --------------------------------------------------

ALLOWED, REFUSED = "allowed", NOT_FOUND
A, R = ALLOWED, REFUSED
# role:                  anon   ademe consult sme o_sme partner staff out_c out_sme co_sme
POSTS = {
    "action_plan_create":  [LOGIN, R, A, A, R, R, A, R, R, A],
    "action_progress":     [LOGIN, R, A, A, R, R, A, R, R, R],
    "step_add":            [LOGIN, R, A, A, R, R, A, R, R, R],
    "step_update":         [LOGIN, R, A, A, R, R, A, R, R, R],
    "step_delete":         [LOGIN, R, A, A, R, R, A, R, R, R],
    "contributor_add":     [LOGIN, R, A, A, R, R, A, R, R, R],
    "contributor_delete":  [LOGIN, R, A, A, R, R, A, R, R, R],
    "indicator_add":       [LOGIN, R, A, A, R, R, A, R, R, R],
    "measurement_add":     [LOGIN, R, A, A, R, R, A, R, R, R],
    "difficulty_add":      [LOGIN, R, A, A, R, R, A, R, R, R],
    "difficulty_raise":    [LOGIN, R, A, R, R, R, A, R, R, R],
    "difficulty_answer":   [LOGIN, A, R, R, R, R, R, R, R, R],
    "difficulty_resolve":  [LOGIN, A, A, A, R, R, A, R, R, R],
}  # fmt: skip


def _post(name: str, pw: PlanWorld) -> tuple[str, dict[str, object]]:
    from sobrindustrie.actionplans.services import raise_difficulty
    from tests.actionplans.factories import ContributorFactory, IndicatorFactory, StepFactory

    action = pw.action
    if name == "action_plan_create":
        return reverse(f"www:{name}", args=[pw.team.pk]), {}
    if name == "action_progress":
        return reverse(f"www:{name}", args=[action.pk]), {
            "status": "in_progress",
            "progress_percent": 10,
            "expected_version": action.version,
        }
    if name in {"step_update", "step_delete"}:
        step = StepFactory(action=action)
        prefix = f"s{step.pk}"
        data = {
            f"{prefix}-title": "Étape revue",
            f"{prefix}-status": "todo",
            f"{prefix}-position": 1,
            f"{prefix}-owner": pw.lead.pk,
            f"{prefix}-due_on": "2026-09-30",
        }
        return reverse(f"www:{name}", args=[step.pk]), data
    if name == "contributor_delete":
        return reverse(
            f"www:{name}",
            args=[ContributorFactory(action=action, organisation=pw.co_sme_org, role="informed").pk],
        ), {}
    if name == "measurement_add":
        indicator = IndicatorFactory(action=action)
        prefix = f"m{indicator.pk}"
        return reverse(f"www:{name}", args=[indicator.pk]), {
            f"{prefix}-measured_on": "2026-06-01",
            f"{prefix}-value": "12",
        }
    if name.startswith("difficulty_") and name != "difficulty_add":
        difficulty = report_difficulty(action, "Retard fournisseur", user=None)
        if name in {"difficulty_answer", "difficulty_resolve"}:
            raise_difficulty(difficulty, user=None, notify=False)
        data = {"ademe_answer": "Voir le Fonds Tremplin.", "resolution": "Fournisseur relancé."}
        return reverse(f"www:{name}", args=[difficulty.pk]), data
    data = {
        "step_add": {"step-title": "Audit", "step-owner": pw.lead.pk, "step-due_on": "2026-09-30"},
        "contributor_add": {"contributor-organisation": pw.co_sme_org.pk, "contributor-role": "informed"},
        "indicator_add": {"indicator-name": "Heures partagées", "indicator-direction": "increase"},
        "difficulty_add": {"difficulty-title": "Retard"},
    }[name]
    return reverse(f"www:{name}", args=[action.pk]), data


@pytest.mark.parametrize("view", POSTS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ALL_ROLES)))
def test_each_role_may_write_only_what_it_may(
    plan_world: PlanWorld, view: str, role_index: int, role: str
) -> None:
    url, data = _post(view, plan_world)
    response = plan_world.client(role).post(url, data)
    expected = POSTS[view][role_index]
    if expected == ALLOWED:
        assert response.status_code == 302, f"{view} as {role}: {response.status_code}"
        assert not response["Location"].startswith(reverse("www:login"))
    else:
        assert response.status_code == expected, f"{view} as {role}"
