"""The evaluation endpoints: the same readers as the evaluation pages, the level-1 results and the
GHG balance figures, filters, token authentication and a query count independent of the data.

The evaluated team holds `sme` and `partner`; `other_sme` is in the programme but not in the team.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from sobrindustrie.api.models import ApiToken
from sobrindustrie.evaluation import services
from sobrindustrie.evaluation.enums import EvaluationStatus
from sobrindustrie.teams.enums import MemberRole
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.api.factories import bearer
from tests.conftest import ROLES, World
from tests.evaluation.factories import (
    BalanceFactory,
    BalanceLineFactory,
    ConsequenceFactory,
    EvaluationFactory,
)

OK, NOT_FOUND, UNAUTHORISED = 200, 404, 401

# role:     anon          ademe consult sme  o_sme      partner staff out_c      out_sme
DETAIL = [UNAUTHORISED, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND]
LIST_COUNT = [None, 1, 1, 1, 0, 1, 1, 0, 0]


@dataclass
class Evaluated:
    team: object
    action: object
    evaluation: object


def _evaluated_team(world: World, suffix: str = "") -> Evaluated:
    """A team of the sme's company and the partner, one action, its evaluation with a small tree
    of consequences and a two-line balance (not computed)."""
    team = ProjectTeamFactory(programme=world.programme, name=f"Presse partagée {suffix}")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)  # type: ignore[attr-defined]
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)  # type: ignore[attr-defined]
    action = ActionFactory(plan=ActionPlanFactory(team=team), lead_organisation=world.sme_org)  # type: ignore[attr-defined]
    evaluation = EvaluationFactory(team=team, action=action)
    root = ConsequenceFactory(
        evaluation=evaluation, position=1, aspects=["climate"], description="Achat évité"
    )
    ConsequenceFactory(
        evaluation=evaluation, parent=root, position=1, aspects=["climate", "resources"], direction="worse",
        magnitude="low", certainty="medium", is_impact_transfer=True, description="Camion pour déplacer la presse",
    )  # fmt: skip
    ConsequenceFactory(evaluation=evaluation, position=2, aspects=["pollution"], direction="uncertain")
    balance = BalanceFactory(evaluation=evaluation)
    BalanceLineFactory(balance=balance, position=1, quantity=12, unit="MWh", uncertainty=0.1)
    BalanceLineFactory(
        balance=balance, position=2, label="Gazole du transport", kind="energy", effect="added",
        quantity=150, unit="L", factor_id="diesel.b7",
    )  # fmt: skip
    return Evaluated(team, action, evaluation)


@pytest.fixture
def evaluated(world: World) -> Evaluated:
    return _evaluated_team(world)


def _headers(world: World, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(world.users[role])


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_detail_answers_each_role_as_the_page_does(
    world: World, evaluated: Evaluated, role_index: int, role: str
) -> None:
    response = Client().get(f"/api/evaluations/{evaluated.evaluation.pk}", **_headers(world, role))  # type: ignore[attr-defined]
    assert response.status_code == DETAIL[role_index], role
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_list_shows_each_role_what_it_may_see(
    world: World, evaluated: Evaluated, role_index: int, role: str
) -> None:
    response = Client().get("/api/evaluations", **_headers(world, role))
    if LIST_COUNT[role_index] is None:
        assert response.status_code == UNAUTHORISED
        return
    assert response.status_code == OK
    body = response.json()
    assert body["count"] == LIST_COUNT[role_index], role
    assert [item["id"] for item in body["items"]] == ([evaluated.evaluation.pk] if body["count"] else [])  # type: ignore[attr-defined]


def test_detail_holds_the_level_1_results_in_outline_order(world: World, evaluated: Evaluated) -> None:
    body = Client().get(f"/api/evaluations/{evaluated.evaluation.pk}", **bearer(world.users["sme"])).json()  # type: ignore[attr-defined]
    assert body["team_id"] == evaluated.team.pk  # type: ignore[attr-defined]
    assert body["action_id"] == evaluated.action.pk  # type: ignore[attr-defined]
    assert body["grid_version"] == "1.0"
    assert body["targeted_aspects"] == ["climate", "resources"]
    assert body["reference_scenario"] == "Chaque PME achète sa propre presse plieuse."
    tree = [(c["number"], c["depth"], c["description"][:12]) for c in body["consequences"]]
    assert tree == [("1", 0, "Achat évité"), ("1.1", 1, "Camion pour "), ("2", 0, "Conséquence ")]
    assert body["consequences"][1]["parent_id"] == body["consequences"][0]["id"]
    assert body["consequences"][1]["is_impact_transfer"] is True
    results = {r["aspect"]: r for r in body["aspect_results"]}
    assert list(results) == ["climate", "resources", "water", "biodiversity", "pollution"]
    # climate: better × medium (2) × high (1) − low (1) × medium certainty (0.75) = 1.25
    assert results["climate"]["result"] == "better"
    assert results["climate"]["score"] == pytest.approx(1.25)
    assert len(results["climate"]["consequence_ids"]) == 2
    assert results["resources"]["result"] == "worse"
    assert results["pollution"]["result"] == "uncertain"
    assert results["water"] == {
        "aspect": "water",
        "result": "not_assessed",
        "score": 0,
        "consequence_ids": [],
    }


def test_detail_gives_the_balance_lines_then_its_figures_once_computed(
    world: World, evaluated: Evaluated
) -> None:
    url = f"/api/evaluations/{evaluated.evaluation.pk}"  # type: ignore[attr-defined]
    headers = bearer(world.users["partner"])
    before = Client().get(url, **headers).json()
    assert before["ghg_net_kgco2e_per_year"] is None
    assert before["ghg_balance"]["net_kgco2e_per_year"] is None
    assert [line["position"] for line in before["ghg_balance"]["lines"]] == [1, 2]
    assert before["ghg_balance"]["lines"][1]["factor_id"] == "diesel.b7"

    balance = services.compute(evaluated.evaluation, draws=500)  # type: ignore[arg-type]
    after = Client().get(url, **headers).json()
    figures = after["ghg_balance"]
    assert after["ghg_net_kgco2e_per_year"] == figures["net_kgco2e_per_year"] == balance.central_kg
    assert figures["p5_kgco2e_per_year"] == balance.p5_kg
    assert figures["p95_kgco2e_per_year"] == balance.p95_kg
    assert figures["library_reference"] == balance.library_reference
    assert figures["draws"] == 500
    assert figures["dominant_input"] == balance.dominant_input
    listed = Client().get("/api/evaluations", **headers).json()["items"][0]
    assert listed["ghg_net_kgco2e_per_year"] == balance.central_kg


def test_an_evaluation_without_balance_says_so(world: World) -> None:
    team = ProjectTeamFactory(programme=world.programme)
    evaluation = EvaluationFactory(team=team)
    body = Client().get(f"/api/evaluations/{evaluation.pk}", **bearer(world.users["consultant"])).json()
    assert body["ghg_balance"] is None
    assert body["ghg_net_kgco2e_per_year"] is None
    assert body["action_id"] is None
    assert body["consequences"] == []


def test_list_filters_by_programme_team_and_status(world: World, evaluated: Evaluated) -> None:
    other = _evaluated_team(world, "bis")
    other.evaluation.status = EvaluationStatus.SUBMITTED  # type: ignore[attr-defined]
    other.evaluation.save()  # type: ignore[attr-defined]
    headers = bearer(world.users["consultant"])

    def ids(query: str) -> list[int]:
        response = Client().get(f"/api/evaluations?{query}", **headers)
        assert response.status_code == OK
        return [item["id"] for item in response.json()["items"]]

    both = [evaluated.evaluation.pk, other.evaluation.pk]  # type: ignore[attr-defined]
    assert ids(f"programme={world.programme.pk}") == both  # type: ignore[attr-defined]
    assert ids(f"programme={world.programme.pk + 1000}") == []  # type: ignore[attr-defined]
    assert ids(f"team={other.team.pk}") == [other.evaluation.pk]  # type: ignore[attr-defined]
    assert ids("status=submitted") == [other.evaluation.pk]  # type: ignore[attr-defined]
    assert ids("status=draft") == [evaluated.evaluation.pk]  # type: ignore[attr-defined]
    assert ids("page_size=1&page=2") == [other.evaluation.pk]  # type: ignore[attr-defined]
    assert Client().get("/api/evaluations?team=0", **headers).status_code == 422


def test_a_revoked_token_reads_no_evaluation_and_a_session_does(world: World, evaluated: Evaluated) -> None:
    token, raw = ApiToken.issue(world.users["sme"], "ERP")
    url = f"/api/evaluations/{evaluated.evaluation.pk}"  # type: ignore[attr-defined]
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == OK
    token.revoke()
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == UNAUTHORISED
    assert Client().get("/api/evaluations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == UNAUTHORISED
    assert world.client("sme").get(url).status_code == OK
    assert world.client("other_sme").get(url).status_code == NOT_FOUND


@pytest.mark.parametrize("role", ["consultant", "sme", "staff"])
def test_query_counts_do_not_grow_with_the_evaluations(world: World, evaluated: Evaluated, role: str) -> None:
    headers = bearer(world.users[role])
    client = Client()
    client.get("/api/me", **headers)  # the token's first use writes last_used_at: not measured
    detail = f"/api/evaluations/{evaluated.evaluation.pk}"  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as small_list:
        assert client.get("/api/evaluations", **headers).json()["count"] == 1
    with CaptureQueriesContext(connection) as small_detail:
        assert client.get(detail, **headers).status_code == OK
    for suffix in "bcd":
        _evaluated_team(world, suffix)
    for position in range(3, 8):  # a bigger tree and balance on the evaluation read
        ConsequenceFactory(evaluation=evaluated.evaluation, position=position)
        BalanceLineFactory(balance=evaluated.evaluation.ghg_balance, position=position)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as large_list:
        assert client.get("/api/evaluations", **headers).json()["count"] == 4
    with CaptureQueriesContext(connection) as large_detail:
        assert len(client.get(detail, **headers).json()["consequences"]) == 8
    assert len(large_list) == len(small_list), [q["sql"] for q in large_list.captured_queries]
    assert len(large_detail) == len(small_detail), [q["sql"] for q in large_detail.captured_queries]


# --- Conformance with the published schema, with evaluations that exist --------------------------


@pytest.fixture
def evaluation_operations(world: World, evaluated: Evaluated, settings: object) -> Iterator[list[object]]:
    """The evaluation operations of the served schema (tests/api/test_schemathesis.py runs every
    operation, but on data without evaluations: here the 200 answers are checked too)."""
    settings.ALLOWED_HOSTS = ["*"]  # type: ignore[attr-defined]
    services.compute(evaluated.evaluation, draws=200)  # type: ignore[arg-type]
    # See test_schemathesis.py: direct WSGI calls would close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        yield [
            result.ok()
            for result in schema.get_all_operations()
            if result.ok().path.startswith("/api/evaluations")
        ]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_evaluation_answers_conform_to_the_schema(
    world: World, evaluated: Evaluated, evaluation_operations: list[object]
) -> None:
    _token, raw = ApiToken.issue(world.users["sme"], "schemathesis")
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    assert len(evaluation_operations) == 2
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    pk = evaluated.evaluation.pk  # type: ignore[attr-defined]
    for operation in evaluation_operations:
        if "{evaluation_id}" in operation.path:  # type: ignore[attr-defined]
            # The one readable evaluation, whatever hypothesis draws: its 200 answer is validated.
            case = operation.Case(path_parameters={"evaluation_id": pk})  # type: ignore[attr-defined]
            response = case.call(headers=headers)
            assert response.status_code == OK
            case.validate_response(response, checks=checks)
        for mode in ("positive", "negative"):

            @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))  # type: ignore[attr-defined]
            @settings(
                max_examples=10,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=checks)

            check()
