"""Every diagnostics page, requested by every kind of user.

The expected outcome for each (page, role) pair is written out in full, so that a change of
permissions shows up here as a diff a reviewer can read. A company's diagnostic is seen by its
own members, the programme's ADEME officers and consultants, and platform staff; never by another
company (even in the same programme) unless shared, never by partners.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.diagnostics.models import CandidacyImport
from tests.conftest import ROLES
from tests.diagnostics.conftest import Diagnostics
from tests.diagnostics.factories import DiagnosticFactory, OpportunityFactory, SessionFactory
from tests.factories import OrganisationFactory

OK, NF, LOGIN, MOVED = 200, 404, "login", "moved"

OVERSEE = [LOGIN, OK, OK, NF, NF, NF, OK, NF, NF]
MANAGE = [LOGIN, NF, OK, NF, NF, NF, OK, NF, NF]
COMPANY = [LOGIN, OK, OK, OK, NF, NF, OK, NF, NF]

# role:                     anon   ademe  consult sme    o_sme  partner staff  out_c  out_sme
PAGES: dict[str, list[Any]] = {
    "diagnostic_list": OVERSEE,
    "diagnostic_create": MANAGE,
    "method_list": OVERSEE,
    "method_detail": OVERSEE,
    "method_source": OVERSEE,
    "candidacy_import": MANAGE,
    "candidacy_template": MANAGE,
    "candidacy_preview": MANAGE,
    "synthesis": OVERSEE,
    "synthesis_edit": MANAGE,
    "synthesis_pdf": OVERSEE,
    "synthesis_docx": OVERSEE,
    "diagnostic_mine": [
        LOGIN,
        NF,
        NF,
        MOVED,
        MOVED,
        NF,
        NF,
        NF,
        OK,
    ],  # the outsider SME has none yet: a page says so
    "diagnostic_detail": COMPANY,
    "diagnostic_questionnaire": COMPANY,
    "diagnostic_section": COMPANY,
    "diagnostic_observations": COMPANY,
    "diagnostic_sheet": COMPANY,
    "diagnostic_sheet_pdf": COMPANY,
    "diagnostic_sheet_docx": COMPANY,
    "diagnostic_edit": MANAGE,
    "opportunity_create": MANAGE,
    "opportunity_edit": MANAGE,
    "diagnostic_sharing": [LOGIN, NF, NF, OK, NF, NF, OK, NF, NF],
}

POSTS: dict[str, list[Any]] = {
    "diagnostic_answer": [LOGIN, NF, OK, NF, NF, NF, OK, NF, NF],
    "session_add": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "session_delete": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "diagnostic_suggest": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "signal_add": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "opportunity_delete": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "diagnostic_observations": [LOGIN, NF, OK, NF, NF, NF, OK, NF, NF],
    "diagnostic_transition": [LOGIN, MOVED, MOVED, MOVED, NF, NF, MOVED, NF, NF],
    "method_validate": [LOGIN, MOVED, NF, NF, NF, NF, NF, NF, NF],
    "diagnostic_plan_all": [LOGIN, NF, MOVED, NF, NF, NF, MOVED, NF, NF],
    "method_list": [LOGIN, NF, OK, NF, NF, NF, OK, NF, NF],
}


def _url(name: str, d: Diagnostics) -> str:
    programme = d.world.programme
    diagnostic = d.diagnostic
    if name in {
        "diagnostic_list",
        "diagnostic_create",
        "method_list",
        "candidacy_import",
        "diagnostic_plan_all",
    }:
        return reverse(f"www:{name}", args=[programme.slug])
    if name.startswith("synthesis"):
        return reverse(f"www:{name}", args=[programme.slug])
    if name == "candidacy_template":
        return reverse("www:candidacy_template", args=[programme.slug, "xlsx"])
    if name == "candidacy_preview":
        record = CandidacyImport.objects.create(programme=programme, file_name="a.csv", status="failed")
        return reverse("www:candidacy_preview", args=[record.pk])
    if name.startswith("method_"):
        return reverse(f"www:{name}", args=[d.method.pk])
    if name == "diagnostic_mine":
        return reverse("www:diagnostic_mine")
    if name == "diagnostic_section":
        return reverse("www:diagnostic_section", args=[diagnostic.pk, "utilisation"])
    if name.startswith("opportunity_") and name != "opportunity_create":
        return reverse(f"www:{name}", args=[OpportunityFactory(diagnostic=diagnostic).pk])
    if name == "session_delete":
        return reverse("www:session_delete", args=[diagnostic.pk, SessionFactory(diagnostic=diagnostic).pk])
    if name == "diagnostic_transition":
        return reverse("www:diagnostic_transition", args=[diagnostic.pk, "draft_sheet"])
    return reverse(f"www:{name}", args=[diagnostic.pk])


POST_DATA: dict[str, dict[str, str]] = {
    "diagnostic_answer": {"question": "ctx_energy_tracking", "means": "", "a-ctx_energy_tracking": "yes"},
    "session_add": {"session-date": "2025-12-01", "session-kind": "visit", "session-days": "0.5"},
    "signal_add": {
        "signal-direction": "offers",
        "signal-kind": "skill",
        "signal-solution": "retrofit",
        "signal-skill": "retrofit",
    },
    "diagnostic_observations": {"means": "0"},
}


def _expect(response: Any, expected: Any, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert response["Location"].startswith(reverse("www:login")), label
    elif expected == MOVED:
        assert response.status_code == 302, label
        assert not response["Location"].startswith(reverse("www:login")), label
    else:
        assert response.status_code == expected, label
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode(), label


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(diagnostics: Diagnostics, page: str, role_index: int, role: str) -> None:
    response = diagnostics.world.client(role).get(_url(page, diagnostics))
    _expect(response, PAGES[page][role_index], f"{page} as {role}")


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_may_only_do_what_it_may(
    diagnostics: Diagnostics, action: str, role_index: int, role: str
) -> None:
    data = dict(POST_DATA.get(action, {}))
    if action == "diagnostic_observations":
        data["means"] = str(diagnostics.world.sme_org.production_means.first().pk)
    if action == "method_validate":
        diagnostics.method.status = "draft"
        diagnostics.method.save()
    response = diagnostics.world.client(role).post(_url(action, diagnostics), data, HTTP_HX_REQUEST="true")
    _expect(response, POSTS[action][role_index], f"POST {action} as {role}")


def test_a_company_sees_another_companys_diagnostic_once_shared(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    client = world.client("other_sme")
    detail = reverse("www:diagnostic_detail", args=[diagnostics.diagnostic.pk])
    sheet = reverse("www:diagnostic_sheet", args=[diagnostics.diagnostic.pk])
    assert client.get(detail).status_code == 404
    assert client.get(sheet).status_code == 404
    sharing = reverse("www:diagnostic_sharing", args=[diagnostics.diagnostic.pk])
    response = world.client("sme").post(
        sharing, {"shared_with": [world.other_sme_org.pk], "expected_version": diagnostics.diagnostic.version}
    )
    assert response.status_code == 302
    assert client.get(detail).status_code == 200
    assert client.get(sheet).status_code == 200
    # Sharing gives reading, nothing else; and the sharing itself stays the owner's decision.
    assert client.get(sharing).status_code == 404
    assert (
        client.post(
            reverse("www:diagnostic_transition", args=[diagnostics.diagnostic.pk, "accept"])
        ).status_code
        == 302
    )
    diagnostics.diagnostic.refresh_from_db()
    assert diagnostics.diagnostic.status == "in_progress"


def test_a_partner_cannot_be_given_a_diagnostic(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    sharing = reverse("www:diagnostic_sharing", args=[diagnostics.diagnostic.pk])
    response = world.client("sme").post(sharing, {"shared_with": [world.partner_org.pk]})
    assert response.status_code == 200
    assert "shared_with" in response.context["form"].errors
    assert (
        world.client("partner")
        .get(reverse("www:diagnostic_detail", args=[diagnostics.diagnostic.pk]))
        .status_code
        == 404
    )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_diagnostic_list_query_count_does_not_grow(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    client = world.client("consultant")
    url = reverse("www:diagnostic_list", args=[world.programme.slug])
    before = _queries(client, url)
    for _ in range(4):
        organisation = OrganisationFactory(programme=world.programme)
        diagnostic = DiagnosticFactory(organisation=organisation, method=diagnostics.method)
        SessionFactory(diagnostic=diagnostic)
        OpportunityFactory(diagnostic=diagnostic)
    assert _queries(client, url) == before


def test_the_synthesis_query_count_does_not_grow(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    client = world.client("ademe")
    url = reverse("www:synthesis", args=[world.programme.slug])
    before = _queries(client, url)
    for _ in range(4):
        organisation = OrganisationFactory(programme=world.programme)
        diagnostic = DiagnosticFactory(organisation=organisation, method=diagnostics.method)
        OpportunityFactory(diagnostic=diagnostic, need_kind="skill", need_skill="maintenance")
    assert _queries(client, url) == before


def test_the_method_list_query_count_does_not_grow(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    client = world.client("consultant")
    url = reverse("www:method_list", args=[world.programme.slug])
    before = _queries(client, url)
    for _ in range(3):
        DiagnosticFactory(
            organisation=OrganisationFactory(programme=world.programme), method=diagnostics.method
        )
    assert _queries(client, url) == before
