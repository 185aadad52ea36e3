"""Adopted versions record who owns each step, as they were at adoption; versions adopted before
steps had owners stay readable; erasing a person takes their name out of the versions too."""

from __future__ import annotations

import copy
import datetime as dt

from django.urls import reverse

from sobrindustrie.actionplans.exports import sheet_document
from sobrindustrie.actionplans.models import ActionPlanVersion
from sobrindustrie.actionplans.services import adopt_version
from sobrindustrie.actionplans.snapshot import build_snapshot, present
from sobrindustrie.deliverables.document.html import render_html
from sobrindustrie.organisations.services import erase_person
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import ContributorFactory, StepFactory
from tests.actionplans.test_sheets import _docx_text
from tests.factories import PersonFactory

ADOPTED_ON = dt.date(2026, 3, 10)


def _owned(pw: PlanWorld) -> object:
    """A step owned by Laurent Giraud (the action's lead person, of Provence Usinage), adopted."""
    StepFactory(
        action=pw.action, owner=pw.lead, title="Convention de mutualisation", due_on=dt.date(2026, 5, 31)
    )
    StepFactory(action=pw.action, title="Étape ancienne sans responsable", due_on=dt.date(2026, 6, 30))
    return adopt_version(pw.plan, adopted_on=ADOPTED_ON, user=pw.world.users["consultant"])


def _schema_1(snapshot: dict) -> dict:  # type: ignore[type-arg]
    """A snapshot as versions adopted before this change stored it: no owners, no person ids."""
    old = copy.deepcopy(snapshot)
    old["schema"] = 1
    old["plan"].pop("coordinator_id")
    for action in old["actions"]:
        action.pop("lead_person_id")
        for contributor in action["contributors"]:
            contributor.pop("person_id")
        for step in action["steps"]:
            for key in ("owner_id", "owner", "owner_organisation"):
                step.pop(key)
    return old


def test_the_snapshot_records_each_step_owner(plan_world: PlanWorld) -> None:
    version = _owned(plan_world)
    steps = version.snapshot["actions"][0]["steps"]  # type: ignore[attr-defined]
    assert version.snapshot["schema"] == 2  # type: ignore[attr-defined]
    assert steps[0] == {
        "title": "Convention de mutualisation",
        "due_on": "2026-05-31",
        "status": "todo",
        "owner_id": plan_world.lead.pk,
        "owner": "Laurent Giraud",
        "owner_organisation": "Provence Usinage",
    }
    assert (steps[1]["owner_id"], steps[1]["owner"], steps[1]["owner_organisation"]) == (None, "", "")


def test_a_rename_after_adoption_does_not_rewrite_the_version(plan_world: PlanWorld) -> None:
    _owned(plan_world)
    plan_world.lead.last_name = "Giraud-Martin"
    plan_world.lead.save()
    plan_world.world.sme_org.name = "Provence Usinage Groupe"
    plan_world.world.sme_org.save()
    client = plan_world.client("consultant")
    page = client.get(reverse("www:action_plan_version", args=[plan_world.team.pk, 1])).content.decode()
    assert (
        "Convention de mutualisation — 31/05/2026 (À faire) — responsable : Laurent Giraud, Provence Usinage"
        in page
    )
    sheet = reverse("www:plan_sheet_docx", args=[plan_world.team.pk])
    adopted = _docx_text(client.get(sheet + "?version=1").content)
    assert "responsable : Laurent Giraud, Provence Usinage" in adopted
    draft = _docx_text(client.get(sheet + "?version=draft").content)
    assert "responsable : Laurent Giraud-Martin, Provence Usinage Groupe" in draft
    pdf = client.get(reverse("www:plan_sheet_pdf", args=[plan_world.team.pk]) + "?version=1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_sheet_shows_the_owner_in_english(plan_world: PlanWorld) -> None:
    version = _owned(plan_world)
    html = render_html(sheet_document(present(version.snapshot), version))  # type: ignore[attr-defined]
    assert (
        "Convention de mutualisation — 31/05/2026 (To do) — owner: Laurent Giraud, Provence Usinage" in html
    )
    assert "Étape ancienne sans responsable — 30/06/2026 (To do)<" in html  # no owner, nothing added


def test_versions_adopted_before_owners_stay_readable(plan_world: PlanWorld) -> None:
    StepFactory(
        action=plan_world.action, owner=plan_world.lead, title="Convention", due_on=dt.date(2026, 5, 31)
    )
    ActionPlanVersion.objects.create(
        plan=plan_world.plan,
        number=1,
        adopted_on=ADOPTED_ON,
        snapshot=_schema_1(build_snapshot(plan_world.plan)),
    )
    client = plan_world.client("consultant")
    page = client.get(reverse("www:action_plan_version", args=[plan_world.team.pk, 1]))
    assert page.status_code == 200
    assert "Convention — 31/05/2026 (À faire)" in page.content.decode()
    assert "responsable : " not in page.content.decode()
    for name in ("www:plan_sheet", "www:plan_sheet_docx", "www:plan_sheet_pdf"):
        response = client.get(reverse(name, args=[plan_world.team.pk]) + "?version=1")
        assert response.status_code == 200, name
    # Erasing someone finds them there by name (no ids), the rest as adopted.
    erase_person(plan_world.lead)
    snapshot = ActionPlanVersion.objects.get().snapshot
    assert snapshot["schema"] == 1
    assert snapshot["actions"][0]["lead_person"] == "Personne effacée"
    assert "Giraud" not in str(snapshot)
    assert snapshot["actions"][0]["title"] == "Mutualiser la découpe laser"


def test_in_versions_without_ids_a_former_name_is_scrubbed_but_not_a_homonyms(plan_world: PlanWorld) -> None:
    pw = plan_world
    other = PersonFactory(organisation=pw.world.partner_org, first_name="Nadia", last_name="Roux")
    ContributorFactory(action=pw.action, organisation=pw.world.partner_org, person=other, role="informed")
    ActionPlanVersion.objects.create(
        plan=pw.plan, number=1, adopted_on=ADOPTED_ON, snapshot=_schema_1(build_snapshot(pw.plan))
    )
    # Laurent Giraud was renamed since the adoption; a namesake of Nadia Roux works for another member.
    pw.lead.last_name = "Giraud-Martin"
    pw.lead.save()
    PersonFactory(organisation=pw.co_sme_org, first_name="Nadia", last_name="Roux")
    erase_person(pw.lead)
    erase_person(other)
    action = ActionPlanVersion.objects.get().snapshot["actions"][0]
    assert action["lead_person"] == "Personne effacée"  # found by the name it had at adoption
    # Two people of the programme were called Nadia Roux: the version cannot tell which it named.
    assert [c["person"] for c in action["contributors"]] == ["Nadia Roux"]


def test_erasing_a_person_scrubs_their_name_from_the_versions(plan_world: PlanWorld) -> None:
    pw = plan_world
    other = PersonFactory(organisation=pw.world.partner_org, first_name="Nadia", last_name="Roux")
    ContributorFactory(action=pw.action, organisation=pw.world.partner_org, person=pw.lead, role="consulted")
    ContributorFactory(action=pw.action, organisation=pw.world.partner_org, person=other, role="informed")
    pw.plan.coordinator = pw.lead
    pw.plan.coordinating_organisation = pw.world.sme_org
    pw.plan.save()
    _owned(pw)
    adopt_version(pw.plan, adopted_on=ADOPTED_ON + dt.timedelta(days=30), user=None)  # version 2
    erase_person(pw.lead)
    for version in ActionPlanVersion.objects.all():
        text = str(version.snapshot)
        assert "Giraud" not in text and "Laurent" not in text
        snapshot = version.snapshot
        assert snapshot["plan"]["coordinator"] == "Personne effacée"
        action = snapshot["actions"][0]
        assert action["lead_person"] == "Personne effacée"
        assert action["steps"][0]["owner"] == "Personne effacée"
        assert action["steps"][0]["owner_organisation"] == "Provence Usinage"  # the organisation stays
        assert {c["person"] for c in action["contributors"]} == {"Personne effacée", "Nadia Roux"}
        assert action["title"] == "Mutualiser la découpe laser"  # the rest as adopted
    page = (
        pw.client("consultant").get(reverse("www:action_plan_version", args=[pw.team.pk, 1])).content.decode()
    )
    assert "Giraud" not in page and "responsable : Personne effacée, Provence Usinage" in page
