"""Every page of the funding area, requested by every kind of user.

Written out as a matrix so that a change of permissions shows up as a readable diff. `co_sme` is an
SME member of the team that takes no part in the action; the partner is an outside member of the team.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sobrindustrie.funding.models import ApplicationDocument
from sobrindustrie.meetings.enums import MeetingKind
from tests.conftest import ROLES
from tests.funding.conftest import FundingWorld
from tests.funding.factories import ShortlistFactory
from tests.meetings.factories import MeetingFactory

OK, NOT_FOUND, LOGIN = 200, 404, 302
ALL_ROLES = [*ROLES, "co_sme"]
STAFF_ONLY = [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]
MANAGERS = [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]
PROGRAMME_MEMBERS = [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK]
# The application's readers: staff, the lead SME, the partner of the team.
APPLICATION_READERS = [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]
# Amounts and documents: the applying organisation, the consultant and ADEME (not the partner).
DETAIL_READERS = [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]
TEAM_MEMBERS = [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK]

# role:                         anon   ademe consult sme  o_sme partner staff out_c out_sme co_sme
PAGES = {
    "funding_needs": STAFF_ONLY,
    "funding_scheme_list": PROGRAMME_MEMBERS,
    "funding_scheme_detail": PROGRAMME_MEMBERS,
    "funding_scheme_create": MANAGERS,
    "funding_scheme_edit": MANAGERS,
    "funding_catalogue_refresh": MANAGERS,
    "programme_funding_grid": STAFF_ONLY,
    "programme_funding_grid_xlsx": STAFF_ONLY,
    "funder_interviews": STAFF_ONLY,
    "funder_interviews_docx": STAFF_ONLY,
    "funding_synthesis": STAFF_ONLY,
    "funding_synthesis_pdf": STAFF_ONLY,
    "funding_synthesis_docx": STAFF_ONLY,
    "organisation_eligibility": [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "action_funding": STAFF_ONLY,
    "funding_application_create": MANAGERS,
    "funding_application_detail": APPLICATION_READERS,
    "funding_application_edit": MANAGERS,
    "funding_document_download": DETAIL_READERS,
    "team_funding_grid": TEAM_MEMBERS,
    "team_funding_grid_xlsx": TEAM_MEMBERS,
}  # fmt: skip

PROGRAMME_PAGES = {
    "funding_needs", "funding_scheme_list", "funding_scheme_create", "funding_catalogue_refresh",
    "programme_funding_grid",
    "programme_funding_grid_xlsx", "funder_interviews", "funder_interviews_docx", "funding_synthesis",
    "funding_synthesis_pdf", "funding_synthesis_docx",
}  # fmt: skip


def _url(name: str, fw: FundingWorld) -> str:
    slug = fw.programme.slug
    if name in PROGRAMME_PAGES:
        return reverse(f"www:{name}", args=[slug])
    if name.startswith("funding_scheme"):
        return reverse(f"www:{name}", args=[slug, fw.scheme.pk])
    if name == "organisation_eligibility":
        return reverse(f"www:{name}", args=[fw.world.sme_org.pk])
    if name in {"action_funding", "funding_application_create"}:
        return reverse(f"www:{name}", args=[fw.action.pk])
    if name.startswith("team_"):
        return reverse(f"www:{name}", args=[fw.team.pk])
    if name == "funding_document_download":
        document = ApplicationDocument.objects.create(
            application=fw.application, title="Devis", file=ContentFile(b"%PDF-1.4", name="devis.pdf")
        )
        return reverse(f"www:{name}", args=[fw.application.pk, document.pk])
    return reverse(f"www:{name}", args=[fw.application.pk])


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ALL_ROLES)))
def test_each_role_gets_what_it_may(
    funding_world: FundingWorld, page: str, role_index: int, role: str
) -> None:
    ShortlistFactory(action=funding_world.action, scheme=funding_world.scheme)
    MeetingFactory(programme=funding_world.programme, kind=MeetingKind.FUNDER_INTERVIEW)
    response = funding_world.client(role).get(_url(page, funding_world))
    response.close()  # a file download holds the file open until closed
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if response.status_code == OK and response["Content-Type"].startswith("text/html"):
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content


POSTS = {
    "shortlist_add": lambda fw: (reverse("www:shortlist_add", args=[fw.action.pk]), {"scheme": fw.scheme.pk}),
    "funding_application_transition": lambda fw: (
        reverse("www:funding_application_transition", args=[fw.application.pk, "start"]),
        {"start-preparation_started_on": "2026-04-01"},
    ),
    "funding_days_add": lambda fw: (
        reverse("www:funding_days_add", args=[fw.application.pk]),
        {"days-date": "2026-05-01", "days-days": "1"},
    ),
    "funding_document_add": lambda fw: (reverse("www:funding_document_add", args=[fw.application.pk]), {}),
}


@pytest.mark.parametrize("action", POSTS)
@pytest.mark.parametrize("role", ["anonymous", "ademe", "sme", "partner", "outsider_consultant"])
def test_only_managers_write(funding_world: FundingWorld, action: str, role: str) -> None:
    url, data = POSTS[action](funding_world)
    response = funding_world.client(role).post(url, data)
    assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND)


def test_an_sme_sees_only_its_own_rows_in_the_team_grid(funding_world: FundingWorld) -> None:
    response = funding_world.client("co_sme").get(
        reverse("www:team_funding_grid", args=[funding_world.team.pk])
    )
    assert funding_world.scheme.title.encode() not in response.content
    response = funding_world.client("sme").get(reverse("www:team_funding_grid", args=[funding_world.team.pk]))
    assert funding_world.scheme.title.encode() in response.content


def test_interviews_lead_to_their_minutes(funding_world: FundingWorld) -> None:
    """The page lists the interview and leads to its minutes; their full text is on the meeting's page
    (and in the DOCX, tests/funding/test_exports.py), no longer repeated on the list."""
    from sobrindustrie.meetings.models import Minutes

    meeting = MeetingFactory(
        programme=funding_world.programme, kind=MeetingKind.FUNDER_INTERVIEW, title="Entretien Région Sud",
        organiser_name="Région Sud", starts_at=dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 9, 1, 11, tzinfo=dt.UTC),
    )  # fmt: skip
    Minutes.objects.create(meeting=meeting, body="# Points\n- Le **CEDRE** finance le rétrofit.")
    client = funding_world.client("ademe")
    html = client.get(reverse("www:funder_interviews", args=[funding_world.programme.slug])).content.decode()
    assert "Entretien Région Sud" in html and "01/09/2026" in html and "Région Sud" in html
    assert f'href="{reverse("www:meeting_detail", args=[meeting.pk])}#minutes"' in html
    assert reverse("www:funder_interviews_docx", args=[funding_world.programme.slug]) in html
    assert "CEDRE" not in html
    consultant = funding_world.client("consultant")
    detail = consultant.get(reverse("www:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<strong>CEDRE</strong>" in detail
