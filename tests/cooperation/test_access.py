"""Every cooperation page and action, requested by every kind of user.

Consultants and staff manage; ADEME reads; an SME member reaches only the opportunity list, filtered
to their company; partners and outsiders get a 404; anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import CooperationAnalysis
from tests.conftest import ROLES, World
from tests.cooperation.factories import Cooperation, TeamConstraintFactory
from tests.cooperation.helpers import board_post, optimal_scenario

OK, FOUND, NOT_FOUND, LOGIN = 200, 302, 404, "login"

# role:                  anon   ademe      consult sme        o_sme      partner    staff  out_c      out_sme
GET_PAGES = {
    "cooperation_map": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "opportunity_list": [LOGIN, OK, OK, OK, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "team_formation": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "constraint_search": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "scenario_detail": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "scenario_compare": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "scenario_adopt": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "cooperation_synthesis": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "cooperation_synthesis_pdf": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "cooperation_synthesis_docx": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
}
POST_ACTIONS = {
    "analysis_run": [LOGIN, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND],
    "team_solve": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "team_score": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "scenario_save": [LOGIN, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND],
    "scenario_adopt": [LOGIN, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND],
    "constraint_add": [LOGIN, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND],
    "constraint_delete": [
        LOGIN,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
    ],
}
BY_PROGRAMME = {
    "cooperation_map",
    "opportunity_list",
    "team_formation",
    "scenario_compare",
    "cooperation_synthesis",
    "cooperation_synthesis_pdf",
    "cooperation_synthesis_docx",
    "analysis_run",
    "team_solve",
    "team_score",
    "scenario_save",
    "constraint_add",
    "constraint_search",
}


def _request(
    name: str, world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> tuple[str, dict[str, Any]]:
    """The URL of `name` and the data a legitimate request would carry."""
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    if name in BY_PROGRAMME:
        url = reverse(f"www:{name}", args=[world.programme.slug])
        data: dict[str, Any] = {
            "scenario_compare": {
                "a": optimal_scenario(analysis, "A").pk,
                "b": optimal_scenario(analysis, "B").pk,
            },
            "analysis_run": {"radius_km": "50"},
            "team_solve": {"k": "2", "min_size": "1", "max_size": "3", "time_limit_s": "5"},
            "team_score": board_post(analysis, [[sme, other], [third]]),
            "scenario_save": board_post(analysis, [[sme, other], [third]], name="Essai"),
            "constraint_add": {"kind": ConstraintKind.CANNOT_LINK, "organisations": [sme, third]},
            "constraint_search": {"q": "ab", "organisations": [sme]},
        }.get(name, {})
        return url, data
    if name in {"scenario_detail", "scenario_adopt"}:
        return reverse(f"www:{name}", args=[optimal_scenario(analysis).pk]), {}
    constraint = TeamConstraintFactory(
        programme=world.programme, organisations=[world.sme_org, coop.third_org]
    )
    return reverse(f"www:{name}", args=[constraint.pk]), {}


def _check(response: Any, expected: int | str, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert response["Location"].startswith(reverse("www:login")), label
    else:
        assert response.status_code == expected, label
    if response.status_code == OK and response["Content-Type"].startswith("text/html"):
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, label


@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_sees_what_it_may(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, page: str, role_index: int, role: str
) -> None:
    url, data = _request(page, world, coop, analysis)
    _check(world.client(role).get(url, data), GET_PAGES[page][role_index], f"GET {page} as {role}")


@pytest.mark.parametrize("action", POST_ACTIONS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_does_what_it_may(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, action: str, role_index: int, role: str
) -> None:
    url, data = _request(action, world, coop, analysis)
    _check(world.client(role).post(url, data), POST_ACTIONS[action][role_index], f"POST {action} as {role}")
