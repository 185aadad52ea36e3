"""Writing actions: validation at the boundary, who edits what, dependencies, concurrent edits."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sobrindustrie.actionplans.models import Action, ActionDependency
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import ActionFactory, ContributorFactory


def _data(pw: PlanWorld, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Rétrofit de la presse plieuse",
        "solution": "retrofit",
        "description": "Commande numérique neuve posée par un rétrofiteur de Vitrolles.",
        "lead_organisation": pw.world.sme_org.pk,
        "starts_on": "2026-04-01",
        "ends_on": "2026-12-15",
        "priority": "high",
        "position": "",
        "investment_budget_eur": "85000",
        "operating_budget_eur": "2000",
        "funding_need_eur": "40000",
        "funding_nature": "investment",
        "expected_energy_kwh_per_year": "12000",
        "expected_version": "",
    }
    data.update(overrides)
    return data


def _edit_data(action: Action, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": action.title,
        "solution": action.solution,
        "lead_organisation": action.lead_organisation_id,
        "lead_person": action.lead_person_id or "",
        "starts_on": action.starts_on.isoformat(),
        "ends_on": action.ends_on.isoformat(),
        "priority": action.priority,
        "position": action.position,
        "investment_budget_eur": action.investment_budget_eur,
        "operating_budget_eur": action.operating_budget_eur,
        "funding_need_eur": action.funding_need_eur,
        "funding_nature": action.funding_nature,
        "expected_version": action.version,
    }
    data.update(overrides)
    return data


def test_a_consultant_adds_an_action(plan_world: PlanWorld) -> None:
    url = reverse("www:action_create", args=[plan_world.team.pk])
    response = plan_world.client("consultant").post(url, _data(plan_world))
    action = Action.objects.get(title="Rétrofit de la presse plieuse")
    assert response.status_code == 302
    assert action.position == plan_world.action.position + 1  # goes last
    assert action.status == "planned"
    assert action.funding_need_eur == 40000


@pytest.mark.parametrize(
    "overrides,field,fragment",
    [
        ({"ends_on": "2026-03-01"}, "ends_on", "01/03/2026"),
        ({"funding_need_eur": "100000"}, "funding_need_eur", "87000"),
        ({"funding_nature": ""}, "funding_nature", ""),
        ({"investment_budget_eur": "-5"}, "investment_budget_eur", "0"),
    ],
)
def test_bad_input_is_refused_naming_the_rule_and_keeping_the_input(
    plan_world: PlanWorld, overrides: dict[str, str], field: str, fragment: str
) -> None:
    url = reverse("www:action_create", args=[plan_world.team.pk])
    response = plan_world.client("consultant").post(url, _data(plan_world, **overrides))
    assert response.status_code == 200
    assert fragment in " ".join(response.context["form"].errors[field])
    assert 'value="Rétrofit de la presse plieuse"' in response.content.decode()
    assert not Action.objects.filter(title="Rétrofit de la presse plieuse").exists()


def test_the_lead_must_be_a_member_of_the_team(plan_world: PlanWorld) -> None:
    url = reverse("www:action_create", args=[plan_world.team.pk])
    response = plan_world.client("consultant").post(
        url, _data(plan_world, lead_organisation=plan_world.world.other_sme_org.pk)
    )
    assert response.status_code == 200
    assert "lead_organisation" in response.context["form"].errors


def test_an_sme_member_adds_actions_its_organisation_leads(plan_world: PlanWorld) -> None:
    pw = plan_world
    url = reverse("www:action_create", args=[pw.team.pk])
    client = pw.client("co_sme")
    refused = client.post(url, _data(pw))  # led by the world's SME: not theirs to commit
    assert "lead_organisation" in refused.context["form"].errors
    assert client.post(url, _data(pw, lead_organisation=pw.co_sme_org.pk)).status_code == 302
    action = Action.objects.get(title="Rétrofit de la presse plieuse")
    assert client.get(reverse("www:action_edit", args=[action.pk])).status_code == 200


def test_an_sme_member_edits_only_actions_its_organisation_leads_or_contributes_to(
    plan_world: PlanWorld,
) -> None:
    pw = plan_world
    url = reverse("www:action_edit", args=[pw.action.pk])
    client = pw.client("co_sme")
    assert client.post(url, _edit_data(pw.action, title="Pris en main")).status_code == 404
    ContributorFactory(action=pw.action, organisation=pw.co_sme_org, role="informed")
    assert client.get(url).status_code == 404  # informed is not contributing
    ContributorFactory(action=pw.action, organisation=pw.co_sme_org, role="consulted")
    assert client.post(url, _edit_data(pw.action, title="Mutualiser la découpe")).status_code == 302
    pw.action.refresh_from_db()
    assert pw.action.title == "Mutualiser la découpe"


def test_partners_and_ademe_read_but_do_not_write(plan_world: PlanWorld) -> None:
    pw = plan_world
    for role in ("partner", "ademe"):
        client = pw.client(role)
        assert (
            client.post(reverse("www:action_edit", args=[pw.action.pk]), _edit_data(pw.action)).status_code
            == 404
        )
        progress = {"status": "in_progress", "progress_percent": 10, "expected_version": pw.action.version}
        assert client.post(reverse("www:action_progress", args=[pw.action.pk]), progress).status_code == 404
        assert (
            client.post(reverse("www:step_add", args=[pw.action.pk]), {"step-title": "x"}).status_code == 404
        )
        page = client.get(reverse("www:action_detail", args=[pw.action.pk])).content.decode()
        assert "step-title" not in page
    pw.action.refresh_from_db()
    assert pw.action.status == "planned" and not pw.action.steps.exists()


def test_the_second_of_two_concurrent_edits_is_refused_with_what_changed(plan_world: PlanWorld) -> None:
    pw = plan_world
    url = reverse("www:action_edit", args=[pw.action.pk])
    opened = _edit_data(pw.action)  # both open the form at the same version
    first = pw.client("consultant").post(
        url, {**opened, "title": "Découpe laser partagée", "ends_on": "2027-09-30"}
    )
    assert first.status_code == 302

    second = pw.client("sme").post(url, {**opened, "title": "Découpe laser mutualisée"})
    assert second.status_code == 200
    form = second.context["form"]
    assert form.non_field_errors()
    assert 'value="Découpe laser mutualisée"' in second.content.decode()  # what they typed is kept to merge
    conflicts = {name: (stored, typed) for name, _label, stored, typed in form.conflicts}
    assert conflicts["title"] == ("Découpe laser partagée", "Découpe laser mutualisée")
    assert conflicts["ends_on"] == ("30/09/2027", "30/06/2027")
    assert "priority" not in conflicts
    pw.action.refresh_from_db()
    assert pw.action.title == "Découpe laser partagée"
    assert pw.action.history.count() == 2  # created, then the first edit only


def test_a_status_change_meanwhile_also_refuses_a_stale_edit(plan_world: PlanWorld) -> None:
    pw = plan_world
    url = reverse("www:action_edit", args=[pw.action.pk])
    opened = _edit_data(pw.action)
    progress = {"status": "in_progress", "progress_percent": 20, "expected_version": pw.action.version}
    assert (
        pw.client("sme").post(reverse("www:action_progress", args=[pw.action.pk]), progress).status_code
        == 302
    )
    stale = pw.client("consultant").post(url, {**opened, "title": "Nouveau titre"})
    assert stale.status_code == 200
    pw.action.refresh_from_db()
    assert (pw.action.status, pw.action.progress_percent, pw.action.title) == (
        "in_progress",
        20,
        "Mutualiser la découpe laser",
    )


def test_progress_follows_the_workflow(plan_world: PlanWorld) -> None:
    pw = plan_world
    url = reverse("www:action_progress", args=[pw.action.pk])
    sme = pw.client("sme")

    refused = sme.post(
        url, {"status": "done", "progress_percent": 100, "expected_version": pw.action.version}
    )
    assert refused.status_code == 200  # planned → done is not a move
    assert "status" in refused.context["progress_form"].errors

    assert (
        sme.post(url, {"status": "in_progress", "progress_percent": 40, "expected_version": 1}).status_code
        == 302
    )
    pw.action.refresh_from_db()
    abandon = sme.post(
        url, {"status": "abandoned", "progress_percent": 40, "expected_version": pw.action.version}
    )
    assert abandon.status_code == 200  # not offered to SME members
    consultant = pw.client("consultant")
    response = consultant.post(
        url, {"status": "abandoned", "progress_percent": 40, "expected_version": pw.action.version}
    )
    assert response.status_code == 302
    pw.action.refresh_from_db()
    assert pw.action.status == "abandoned"
    reasons = list(pw.action.history.values_list("history_change_reason", flat=True))
    assert len([r for r in reasons if r]) == 2  # each status move is in the history with its reason


def test_a_finished_action_is_at_100_percent(plan_world: PlanWorld) -> None:
    pw = plan_world
    url = reverse("www:action_progress", args=[pw.action.pk])
    client = pw.client("sme")
    client.post(url, {"status": "in_progress", "progress_percent": 50, "expected_version": 1})
    response = client.post(url, {"status": "done", "progress_percent": 90, "expected_version": 2})
    assert "100 %" in " ".join(response.context["progress_form"].errors["progress_percent"])


def test_dependencies_are_saved_and_cycles_refused(plan_world: PlanWorld) -> None:
    pw = plan_world
    convention = ActionFactory(plan=pw.plan, lead_organisation=pw.world.sme_org, title="Signer la convention")
    planning = ActionFactory(plan=pw.plan, lead_organisation=pw.world.sme_org, title="Planning partagé")
    client = pw.client("consultant")
    # laser needs convention; convention needs planning
    assert (
        client.post(
            reverse("www:action_edit", args=[pw.action.pk]),
            {**_edit_data(pw.action), "prerequisites": [convention.pk]},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("www:action_edit", args=[convention.pk]),
            {**_edit_data(convention), "prerequisites": [planning.pk]},
        ).status_code
        == 302
    )
    # planning needs laser would close the loop
    response = client.post(
        reverse("www:action_edit", args=[planning.pk]),
        {**_edit_data(planning), "prerequisites": [pw.action.pk]},
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["prerequisites"])
    assert (
        "« Planning partagé » → « Mutualiser la découpe laser » → « Signer la convention » → « Planning partagé »"
        in message
    )
    assert ActionDependency.objects.count() == 2
    detail = client.get(reverse("www:action_detail", args=[convention.pk])).content.decode()
    assert "Planning partagé" in detail and "Mutualiser la découpe laser" in detail


def test_steps_contributors_and_difficulties_are_added_on_the_action_page(plan_world: PlanWorld) -> None:
    pw = plan_world
    client = pw.client("sme")
    action = pw.action
    assert (
        client.post(
            reverse("www:step_add", args=[action.pk]),
            {"step-title": "Audit de la machine", "step-due_on": "2026-05-15", "step-owner": pw.lead.pk},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("www:step_add", args=[action.pk]),
            {"step-title": "Choix du rétrofiteur", "step-due_on": "2026-06-15", "step-owner": pw.lead.pk},
        ).status_code
        == 302
    )
    assert list(action.steps.values_list("position", "title")) == [
        (1, "Audit de la machine"),
        (2, "Choix du rétrofiteur"),
    ]
    refused = client.post(
        reverse("www:step_add", args=[action.pk]), {"step-title": "", "step-due_on": "2026-13-01"}
    )
    assert refused.status_code == 200 and "due_on" in refused.context["step_form"].errors
    step = action.steps.first()
    prefix = f"s{step.pk}"
    client.post(
        reverse("www:step_update", args=[step.pk]),
        {
            f"{prefix}-position": 1,
            f"{prefix}-title": step.title,
            f"{prefix}-due_on": "2026-05-15",
            f"{prefix}-status": "done",
        },
    )
    step.refresh_from_db()
    assert step.status == "done" and step.done_on is not None

    data = {
        "contributor-organisation": pw.world.partner_org.pk,
        "contributor-role": "responsible",
        "contributor-note": "Rétrofit",
    }
    assert client.post(reverse("www:contributor_add", args=[action.pk]), data).status_code == 302
    assert action.contributors.get().organisation == pw.world.partner_org

    data = {
        "difficulty-title": "Délai de livraison de la commande numérique",
        "difficulty-description": "6 mois",
    }
    response = client.post(reverse("www:difficulty_add", args=[action.pk]), data)
    assert response.status_code == 302
    assert action.difficulties.get().status == "open"


def test_the_contributor_form_opens_on_demand(plan_world: PlanWorld) -> None:
    """It lists every structure and person of the programme: a link (HTMX in place) opens it."""
    pw = plan_world
    client = pw.client("sme")
    url = reverse("www:action_detail", args=[pw.action.pk])
    closed = client.get(url).content.decode()
    assert 'href="?ajouter=contributeur#contributors"' in closed
    assert 'name="contributor-person"' not in closed
    opened = client.get(url, {"ajouter": "contributeur"}).content.decode()
    assert 'name="contributor-person"' in opened and 'id="contributor-form"' in opened
    # Refused, it comes back open with what was typed.
    refused = client.post(
        reverse("www:contributor_add", args=[pw.action.pk]), {"contributor-note": "Rétrofit"}
    ).content.decode()
    assert 'name="contributor-person"' in refused and "Rétrofit" in refused
