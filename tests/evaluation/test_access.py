"""Every page of the evaluation area, requested by every kind of user, written out as a matrix.

The evaluated team holds `sme` and `partner`; `other_sme` is in the programme but not in the team.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import (
    BalanceLineFactory,
    ConsequenceFactory,
    EcoCriterionFactory,
    TripFactory,
)

OK, NOT_FOUND, LOGIN = 200, 404, 302

# role:                     anon   ademe consult sme  o_sme partner staff out_c out_sme
PAGES = {
    "evaluation_list":           [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_create":         [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_synthesis":      [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_synthesis_pdf":  [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_synthesis_docx": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "travel_log":                [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "trip_create":               [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "eco_criteria":              [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "eco_criterion_create":      [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "factor_library":            [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "factor_library_diff":       [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "factor_library_import":     [LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_detail":         [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "evaluation_edit":           [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "consequence_add":           [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "balance_detail":            [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "consequence_edit":          [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "balance_line_edit":         [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "trip_edit":                 [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "eco_criterion_edit":        [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
}  # fmt: skip

PROGRAMME_PAGES = {
    "evaluation_list", "evaluation_create", "evaluation_synthesis", "evaluation_synthesis_pdf",
    "evaluation_synthesis_docx", "travel_log", "trip_create", "eco_criteria", "eco_criterion_create",
    "factor_library", "factor_library_diff", "factor_library_import",
}  # fmt: skip
EVALUATION_PAGES = {"evaluation_detail", "evaluation_edit", "consequence_add", "balance_detail"}


def _url(name: str, ew: EvalWorld) -> str:
    programme = ew.world.programme
    if name in PROGRAMME_PAGES:
        return reverse(f"www:{name}", args=[programme.slug])
    if name in EVALUATION_PAGES:
        return reverse(f"www:{name}", args=[ew.evaluation.pk])
    row = {
        "consequence_edit": lambda: ConsequenceFactory(evaluation=ew.evaluation),
        "balance_line_edit": lambda: BalanceLineFactory(balance__evaluation=ew.evaluation),
        "trip_edit": lambda: TripFactory(programme=programme),
        "eco_criterion_edit": lambda: EcoCriterionFactory(programme=programme),
    }[name]()
    return reverse(f"www:{name}", args=[row.pk])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(eval_world: EvalWorld, page: str, role_index: int, role: str) -> None:
    response = eval_world.client(role).get(_url(page, eval_world))
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if response.status_code == OK and response["Content-Type"].startswith("text/html"):
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content


# --- Writes: every POST-only view, every role --------------------------------------------------

A, R = "allowed", NOT_FOUND
# role:                  anon   ademe consult sme o_sme partner staff out_c out_sme
POSTS = {
    "submit":              [LOGIN, "refused", A, "refused", R, "refused", A, R, R],
    "consequence_move":    [LOGIN, R, A, R, R, R, A, R, R],
    "consequence_delete":  [LOGIN, R, A, R, R, R, A, R, R],
    "balance_prefill":     [LOGIN, R, A, R, R, R, A, R, R],
    "balance_compute":     [LOGIN, R, A, R, R, R, A, R, R],
    "balance_line_delete": [LOGIN, R, A, R, R, R, A, R, R],
    "trip_delete":         [LOGIN, R, A, R, R, R, A, R, R],
}  # fmt: skip


def _post_url(name: str, ew: EvalWorld) -> str:
    if name == "submit":
        return reverse("www:evaluation_transition", args=[ew.evaluation.pk, "submit"])
    if name == "consequence_move":
        return reverse("www:consequence_move", args=[ConsequenceFactory(evaluation=ew.evaluation).pk, "up"])
    if name == "consequence_delete":
        return reverse("www:consequence_delete", args=[ConsequenceFactory(evaluation=ew.evaluation).pk])
    if name in {"balance_prefill", "balance_compute"}:
        return reverse(f"www:{name}", args=[ew.evaluation.pk])
    if name == "balance_line_delete":
        return reverse(
            "www:balance_line_delete", args=[BalanceLineFactory(balance__evaluation=ew.evaluation).pk]
        )
    return reverse("www:trip_delete", args=[TripFactory(programme=ew.world.programme).pk])


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_may_write_what_it_may(
    eval_world: EvalWorld, name: str, role_index: int, role: str
) -> None:
    expected = POSTS[name][role_index]
    response = eval_world.client(role).post(_post_url(name, eval_world))
    if expected == LOGIN:
        assert response.status_code == LOGIN and response["Location"].startswith(reverse("www:login"))
    elif expected == NOT_FOUND:
        assert response.status_code == NOT_FOUND, f"{name} as {role}"
    else:
        assert response.status_code == 302, f"{name} as {role}"
    if name == "submit" and expected != LOGIN:
        eval_world.evaluation.refresh_from_db()
        assert (eval_world.evaluation.status == "submitted") is (expected == A), f"{name} as {role}"
