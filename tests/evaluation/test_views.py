"""The pages at work: the tree edited with HTMX, refusals shown with what was typed, query counts."""

from __future__ import annotations

import datetime as dt
import html

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.evaluation.models import Consequence, Trip
from tests.actionplans.factories import MembershipFactory, ProjectTeamFactory
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import ConsequenceFactory, EvaluationFactory, TripFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _in_english(client):  # type: ignore[no-untyped-def]
    """Our own messages are checked by their English msgids, so French translations may change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


CONSEQUENCE = {
    "description": "Moins d'acier pour une machine neuve",
    "life_cycle_stage": "acquisition",
    "aspects": ["climate", "resources"],
    "direction": "better",
    "magnitude": "high",
    "certainty": "medium",
    "horizon": "long",
    "borne_by": "Fournisseurs",
}


def test_a_consequence_is_added_under_another_with_htmx(eval_world: EvalWorld) -> None:
    client = eval_world.client("consultant")
    root = ConsequenceFactory(evaluation=eval_world.evaluation, description="Racine")
    url = reverse("www:consequence_add", args=[eval_world.evaluation.pk]) + f"?parent={root.pk}"
    form = client.get(url, **HTMX)
    assert b"<html" not in form.content and b'name="description"' in form.content
    response = client.post(url, CONSEQUENCE, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#tree"
    assert "1.1" in response.content.decode()
    child = Consequence.objects.get(description=CONSEQUENCE["description"])
    assert child.parent == root and child.aspects == ["climate", "resources"]


def test_a_bad_consequence_keeps_what_was_typed(eval_world: EvalWorld) -> None:
    url = reverse("www:consequence_add", args=[eval_world.evaluation.pk])
    response = eval_world.client("consultant").post(url, {**CONSEQUENCE, "direction": "sideways"}, **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert CONSEQUENCE["description"] in html.unescape(response.content.decode())
    assert not Consequence.objects.exists()


def test_moving_under_its_own_child_is_refused_in_the_edit_form(eval_world: EvalWorld) -> None:
    parent = ConsequenceFactory(evaluation=eval_world.evaluation)
    child = ConsequenceFactory(evaluation=eval_world.evaluation, parent=parent)
    url = reverse("www:consequence_edit", args=[parent.pk])
    data = {**CONSEQUENCE, "parent_choice": str(child.pk), "expected_version": parent.version}
    response = eval_world.client("consultant").post(url, data, **HTMX)
    assert "Sélectionnez un choix valide" in response.content.decode()  # its own subtree is not offered
    parent.refresh_from_db()
    assert parent.parent is None


def test_a_stale_edit_is_refused_clearly(eval_world: EvalWorld) -> None:
    node = ConsequenceFactory(evaluation=eval_world.evaluation)
    url = reverse("www:consequence_edit", args=[node.pk])
    data = {**CONSEQUENCE, "parent_choice": "", "expected_version": node.version}
    node.description = "Changed meanwhile"
    node.save_checked(node.version)
    response = eval_world.client("consultant").post(url, data, **HTMX)
    assert "modifié entre-temps par quelqu’un d’autre" in html.unescape(response.content.decode())
    node.refresh_from_db()
    assert node.description == "Changed meanwhile"


def test_move_up_returns_the_tree(eval_world: EvalWorld) -> None:
    ConsequenceFactory(evaluation=eval_world.evaluation, description="First", position=0)
    second = ConsequenceFactory(evaluation=eval_world.evaluation, description="Second", position=1)
    url = reverse("www:consequence_move", args=[second.pk, "up"])
    response = eval_world.client("consultant").post(url, {"version": second.version}, **HTMX)
    content = response.content.decode()
    assert content.index("Second") < content.index("First")


def test_submission_without_reference_scenario_names_it(eval_world: EvalWorld) -> None:
    eval_world.evaluation.reference_scenario = ""
    eval_world.evaluation.save()
    url = reverse("www:evaluation_transition", args=[eval_world.evaluation.pk, "submit"])
    response = _in_english(eval_world.client("consultant")).post(url, follow=True)
    assert "reference scenario is empty" in response.content.decode()


def test_a_line_in_the_wrong_unit_is_refused_and_kept(eval_world: EvalWorld) -> None:
    url = reverse("www:balance_detail", args=[eval_world.evaluation.pk])
    data = {
        "label": "Gaz économisé", "kind": "energy", "effect": "avoided", "quantity": "100", "unit": "L",
        "factor_id": "electricity.fr.consumption_mix", "uncertainty": "0.1", "distribution": "normal",
        "years": "1", "share": "1",
    }  # fmt: skip
    response = _in_english(eval_world.client("consultant")).post(url, data)
    content = response.content.decode()
    assert "cannot convert &#x27;L&#x27; (volume) to &#x27;kWh&#x27; (energy)" in content
    assert "Gaz économisé" in content


def test_a_car_trip_without_justification_is_refused(eval_world: EvalWorld) -> None:
    url = reverse("www:trip_create", args=[eval_world.world.programme.slug])
    data = {"day": "2026-03-02", "origin": "Manosque", "destination": "Forcalquier", "km": "24",
            "mode": "voiturethermique", "people": "1", "justification": ""}  # fmt: skip
    client = _in_english(eval_world.client("consultant"))
    response = client.post(url, data)
    assert "needs a justification" in response.content.decode()
    assert not Trip.objects.exists()
    response = client.post(url, {**data, "km": "-3", "mode": "tgv"})
    assert "the distance must be ≥ 0 km" in response.content.decode()
    response = client.post(url, {**data, "justification": "Pas de desserte"})
    assert response.status_code == 302 and Trip.objects.count() == 1


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_pages_do_not_grow_with_the_data(eval_world: EvalWorld) -> None:
    programme = eval_world.world.programme
    client = eval_world.client("consultant")
    pages = [
        reverse("www:evaluation_list", args=[programme.slug]),
        reverse("www:travel_log", args=[programme.slug]),
        reverse("www:evaluation_synthesis", args=[programme.slug]),
        reverse("www:eco_criteria", args=[programme.slug]),
    ]
    few = [_queries(client, url) for url in pages]
    for index in range(4):
        team = ProjectTeamFactory(programme=programme)
        MembershipFactory(team=team, organisation=eval_world.world.sme_org)
        evaluation = EvaluationFactory(team=team)
        ConsequenceFactory(evaluation=evaluation)
        TripFactory(programme=programme, day=dt.date(2026, 3, 1 + index))
    assert [_queries(client, url) for url in pages] == few


def test_full_pages_render_for_readers_and_managers(eval_world: EvalWorld) -> None:
    from sobrindustrie.evaluation import services

    root = ConsequenceFactory(evaluation=eval_world.evaluation, description="Racine", is_impact_transfer=True)
    ConsequenceFactory(evaluation=eval_world.evaluation, parent=root, description="Enfant", is_rebound=True)
    services.prefill_balance(eval_world.evaluation)
    services.compute(eval_world.evaluation)
    for role in ("consultant", "sme"):
        client = _in_english(eval_world.client(role))
        detail = client.get(
            reverse("www:evaluation_detail", args=[eval_world.evaluation.pk])
        ).content.decode()
        assert "1.1" in detail and "Net result per environmental aspect" in detail
        assert ("Move up" in detail) is (role == "consultant")
        balance = client.get(reverse("www:balance_detail", args=[eval_world.evaluation.pk])).content.decode()
        assert "Dominant input:" in balance and "1.1.0+" in balance
        assert ("Compute the balance" in balance) is (role == "consultant")
