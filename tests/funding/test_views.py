"""Behaviour of the pages: moves, refusals that keep what was typed, shortlists, curated schemes."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from sobrindustrie.funding.enums import ApplicationStatus, SchemeSource
from sobrindustrie.funding.models import FundingApplication, FundingProfile, FundingScheme, Shortlist
from tests.funding.conftest import FundingWorld


def fr(msgid: str) -> str:
    """The French of a message, as the pages (always French) show it, whatever the catalogue holds."""
    with translation.override("fr"):
        return str(translation.gettext(msgid))


def _to_submitted(fw: FundingWorld) -> FundingApplication:
    client = fw.client("consultant")
    url = reverse("www:funding_application_transition", args=[fw.application.pk, "start"])
    assert client.post(url, {"start-preparation_started_on": "2026-04-01"}).status_code == 302
    url = reverse("www:funding_application_transition", args=[fw.application.pk, "submit"])
    data = {
        "submit-submitted_on": "2026-05-02",
        "submit-amount_requested_eur": "20000",
        "submit-reference": "X-1",
    }
    assert client.post(url, data).status_code == 302
    return FundingApplication.objects.get(pk=fw.application.pk)


def test_a_consultant_moves_an_application_through_the_page(funding_world: FundingWorld) -> None:
    app = _to_submitted(funding_world)
    assert app.status == ApplicationStatus.SUBMITTED and app.reference == "X-1"
    page = funding_world.client("consultant").get(app.get_absolute_url()).content.decode()
    assert (
        fr("Record the grant") in page
        and fr("Record a refusal") in page
        and fr("Start preparing") not in page
    )


def test_granted_above_requested_is_refused_and_what_was_typed_is_kept(funding_world: FundingWorld) -> None:
    app = _to_submitted(funding_world)
    url = reverse("www:funding_application_transition", args=[app.pk, "grant"])
    response = funding_world.client("consultant").post(
        url, {"grant-decision_on": "2026-07-01", "grant-amount_granted_eur": "25000"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_grant-amount_granted_eur-error"' in page and "25\u202f000 €" in page
    assert 'value="25000"' in page and 'value="2026-07-01"' in page
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.amount_granted_eur is None


def test_withdrawing_needs_only_a_comment(funding_world: FundingWorld) -> None:
    url = reverse("www:funding_application_transition", args=[funding_world.application.pk, "withdraw"])
    response = funding_world.client("consultant").post(url, {"withdraw-comment": "Autofinancé"})
    assert response.status_code == 302
    app = FundingApplication.objects.get(pk=funding_world.application.pk)
    assert app.status == ApplicationStatus.WITHDRAWN
    assert app.log.last().comment == "Autofinancé"


def test_an_impossible_move_says_which_ones_are_possible(funding_world: FundingWorld) -> None:
    url = reverse("www:funding_application_transition", args=[funding_world.application.pk, "pay"])
    response = funding_world.client("consultant").post(url, {}, follow=True)
    assert f"“{fr('Start preparing')}”" in response.content.decode()


def test_shortlisting_and_applying_from_the_matching_page(funding_world: FundingWorld) -> None:
    client = funding_world.client("consultant")
    action = funding_world.action
    page = client.get(reverse("www:action_funding", args=[action.pk])).content.decode()
    assert funding_world.scheme.title in page and fr("Every organisation concerned is eligible.") in page
    response = client.post(
        reverse("www:shortlist_add", args=[action.pk]),
        {"scheme": funding_world.scheme.pk, "note": "Le plus adapté"},
    )
    assert response.status_code == 302
    shortlist = Shortlist.objects.get(action=action)
    assert (
        shortlist.note == "Le plus adapté" and shortlist.added_by == funding_world.world.users["consultant"]
    )
    assert client.post(reverse("www:shortlist_add", args=[action.pk]), {"scheme": 0}).status_code == 400
    response = client.post(
        reverse("www:funding_application_create", args=[action.pk]),
        {
            "organisation": funding_world.world.sme_org.pk,
            "scheme": funding_world.scheme.pk,
            "amount_requested_eur": "1",
        },
    )
    assert response.context["form"].non_field_errors()  # one application per scheme and applicant
    client.post(reverse("www:shortlist_remove", args=[shortlist.pk]))
    assert not Shortlist.objects.exists()


def test_a_curated_scheme_is_created_and_deadlines_are_checked(funding_world: FundingWorld) -> None:
    client = funding_world.client("consultant")
    url = reverse("www:funding_scheme_create", args=[funding_world.programme.slug])
    data = {
        "title": "Appel à projets régional", "nature": "financing", "source_url": "https://example.org/aap",
        "source_date": "2026-11-20", "submission_deadlines": "31/03/2027\n31/13/2027", "funders": "Région Sud",
    }  # fmt: skip
    response = client.post(url, data)
    page = response.content.decode()
    assert 'id="id_submission_deadlines-error"' in page and "31/13/2027" in page
    assert not FundingScheme.objects.filter(title="Appel à projets régional").exists()
    data["submission_deadlines"] = "31/03/2027, 30/09/2027"
    assert client.post(url, data).status_code == 302
    scheme = FundingScheme.objects.get(title="Appel à projets régional")
    assert scheme.source == SchemeSource.CURATED and scheme.slug == "appel-a-projets-regional"
    assert scheme.submission_deadlines == ["2027-03-31", "2027-09-30"] and scheme.funders == ["Région Sud"]


def test_an_imported_scheme_only_shows_its_tracking_fields(funding_world: FundingWorld) -> None:
    url = reverse("www:funding_scheme_edit", args=[funding_world.programme.slug, funding_world.scheme.pk])
    page = funding_world.client("consultant").get(url).content.decode()
    assert 'name="funders"' in page and 'name="title"' not in page


def test_an_sme_records_its_micro_entrepreneur_status(funding_world: FundingWorld) -> None:
    org = funding_world.world.sme_org
    url = reverse("www:organisation_eligibility", args=[org.pk])
    client = funding_world.client("sme")
    page = client.get(url).content.decode()
    assert funding_world.scheme.title in page
    assert client.post(url, {"profile-micro_entrepreneur": "false"}).status_code == 302
    assert FundingProfile.objects.get(organisation=org).micro_entrepreneur is False


def test_days_over_the_cap_are_flagged_on_the_page(funding_world: FundingWorld) -> None:
    client = funding_world.client("consultant")
    url = reverse("www:funding_days_add", args=[funding_world.application.pk])
    assert client.post(url, {"days-date": "2026-05-01", "days-days": "7"}).status_code == 302
    page = client.get(funding_world.application.get_absolute_url()).content.decode()
    assert fr("Consultant days over the cap") in page
    response = client.post(url, {"days-date": "2099-01-01", "days-days": "1"})
    assert response.status_code == 400 and "date" in response.context["days_form"].errors
    assert funding_world.application.time_entries.count() == 1
    assert Decimal(7) == funding_world.application.time_entries.get().days
