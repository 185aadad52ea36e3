"""The diagnostic workflow: each transition by its actor, every refusal explained, writes locked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.diagnostics.models import Diagnostic, StatusChange
from sobrindustrie.diagnostics.services import fire_transition
from sobrindustrie.diagnostics.workflow import TRANSITIONS, TransitionRefused, available_transitions
from tests.diagnostics.conftest import Diagnostics, english_client


def test_the_transition_table_covers_every_status() -> None:
    sources = {t.source for t in TRANSITIONS}
    targets = {t.target for t in TRANSITIONS}
    assert sources | targets == {"planned", "in_progress", "sheet_drafted", "accepted", "validated"}
    assert {t.actor for t in TRANSITIONS} == {"consultant", "company", "ademe"}


def test_the_whole_path(diagnostics: Diagnostics) -> None:
    users = diagnostics.world.users
    diagnostic = diagnostics.diagnostic
    diagnostic.status = "planned"
    diagnostic.save()
    diagnostic = fire_transition(diagnostic, "start", users["consultant"])
    diagnostic = fire_transition(diagnostic, "draft_sheet", users["consultant"])
    diagnostic = fire_transition(diagnostic, "accept", users["sme"])
    assert diagnostic.accepted_by == users["sme"] and diagnostic.accepted_at is not None
    diagnostic = fire_transition(diagnostic, "validate", users["ademe"])
    assert diagnostic.status == "validated" and diagnostic.validated_by == users["ademe"]
    log = list(
        StatusChange.objects.filter(diagnostic=diagnostic)
        .order_by("at", "pk")
        .values_list("transition", "by")
    )
    assert log == [
        ("start", users["consultant"].pk),
        ("draft_sheet", users["consultant"].pk),
        ("accept", users["sme"].pk),
        ("validate", users["ademe"].pk),
    ]


@pytest.mark.parametrize(
    "status,name,role,message",
    [
        ("in_progress", "accept", "sme", "only possible from the status"),
        ("sheet_drafted", "accept", "consultant", "is done by a member of the company"),
        ("sheet_drafted", "accept", "other_sme", "is done by a member of the company"),
        ("sheet_drafted", "accept", "staff", "is done by a member of the company"),
        ("accepted", "validate", "consultant", "is done by ADEME"),
        ("accepted", "validate", "outsider_consultant", "is done by ADEME"),
        ("in_progress", "draft_sheet", "ademe", "is done by the consultant"),
        ("sheet_drafted", "request_changes", "sme", "a comment is required"),
        ("accepted", "send_back", "ademe", "a comment is required"),
        ("validated", "reopen", "consultant", "only possible from the status"),
        ("in_progress", "teleport", "consultant", "Unknown transition"),
    ],
)
def test_refusals_say_why(diagnostics: Diagnostics, status: str, name: str, role: str, message: str) -> None:
    diagnostic = diagnostics.diagnostic
    Diagnostic.objects.filter(pk=diagnostic.pk).update(status=status)
    diagnostic.refresh_from_db()
    with pytest.raises(TransitionRefused, match=message):
        fire_transition(diagnostic, name, diagnostics.world.users[role])
    diagnostic.refresh_from_db()
    assert diagnostic.status == status
    assert not StatusChange.objects.exists()


def test_a_sheet_needs_a_session_and_an_opportunity(diagnostics: Diagnostics) -> None:
    consultant = diagnostics.world.users["consultant"]
    empty = diagnostics.other
    with pytest.raises(TransitionRefused, match="at least one session"):
        fire_transition(empty, "draft_sheet", consultant)
    empty.sessions.create(date=diagnostics.diagnostic.planned_on, days=1)
    with pytest.raises(TransitionRefused, match="at least one opportunity"):
        fire_transition(empty, "draft_sheet", consultant)


def test_the_company_asks_for_changes_with_a_comment(diagnostics: Diagnostics) -> None:
    users = diagnostics.world.users
    diagnostic = fire_transition(diagnostics.diagnostic, "draft_sheet", users["consultant"])
    diagnostic = fire_transition(diagnostic, "request_changes", users["sme"], "Le chiffre d'énergie est faux")
    assert diagnostic.status == "in_progress"
    assert StatusChange.objects.get(transition="request_changes").comment == "Le chiffre d'énergie est faux"


def test_each_user_is_offered_only_their_transitions(diagnostics: Diagnostics) -> None:
    users = diagnostics.world.users
    diagnostic = fire_transition(diagnostics.diagnostic, "draft_sheet", users["consultant"])
    assert [t.name for t in available_transitions(users["consultant"], diagnostic)] == ["reopen"]
    assert [t.name for t in available_transitions(users["sme"], diagnostic)] == ["accept", "request_changes"]
    assert available_transitions(users["ademe"], diagnostic) == []
    assert available_transitions(users["other_sme"], diagnostic) == []


def test_the_pages_show_the_refusal_and_lock_writes_after_the_sheet(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    diagnostic = diagnostics.diagnostic
    sme = english_client(world, "sme")
    response = sme.post(reverse("www:diagnostic_transition", args=[diagnostic.pk, "accept"]), follow=True)
    assert "only possible from the status" in response.content.decode()
    consultant = english_client(world, "consultant")
    consultant.post(reverse("www:diagnostic_transition", args=[diagnostic.pk, "draft_sheet"]))
    diagnostic.refresh_from_db()
    assert diagnostic.status == "sheet_drafted"
    page = sme.get(reverse("www:diagnostic_detail", args=[diagnostic.pk])).content.decode()
    assert "Accept the sheet" in page and "Ask for changes" in page
    edit = consultant.get(reverse("www:diagnostic_edit", args=[diagnostic.pk]))
    assert edit.status_code == 302
    answer = consultant.post(
        reverse("www:diagnostic_answer", args=[diagnostic.pk]),
        {"question": "ctx_energy_tracking", "a-ctx_energy_tracking": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert "reopen the diagnostic" in answer.content.decode() and not diagnostic.answers.exists()
    session = consultant.post(
        reverse("www:session_add", args=[diagnostic.pk]),
        {"session-date": "2025-12-01", "session-kind": "visit", "session-days": "1"},
        follow=True,
    )
    assert "reopen the diagnostic" in session.content.decode()
    assert diagnostic.sessions.count() == 1
    consultant.post(reverse("www:diagnostic_transition", args=[diagnostic.pk, "reopen"]))
    diagnostic.refresh_from_db()
    assert diagnostic.status == "in_progress"
    assert consultant.get(reverse("www:diagnostic_edit", args=[diagnostic.pk])).status_code == 200


def test_a_diagnostic_uses_a_validated_method_of_its_programme(diagnostics: Diagnostics) -> None:
    from django.core.exceptions import ValidationError

    from sobrindustrie.diagnostics.services import create_diagnostic, load_method_text
    from tests.factories import OrganisationFactory

    world = diagnostics.world
    text = diagnostics.method.source_text.replace('version: "1.0.0"', 'version: "2.0.0"')
    draft, _ = load_method_text(world.programme, text, "v2.yaml")
    organisation = OrganisationFactory(programme=world.programme)
    with pytest.raises(ValidationError) as caught:
        create_diagnostic(world.programme, organisation, draft)
    assert "validated by ADEME" in str(caught.value)
    partner = world.partner_org
    with pytest.raises(ValidationError) as caught:
        create_diagnostic(world.programme, partner, diagnostics.method)
    assert "Only laureate SMEs" in str(caught.value)
    # A diagnostic keeps its version when a newer one is validated.
    draft.status = "validated"
    draft.save()
    diagnostics.diagnostic.refresh_from_db()
    assert diagnostics.diagnostic.method == diagnostics.method
