"""Input a person, a script or a teammate will send sooner or later: no silent overwrite, no 500,
no redirect off the site."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.diagnostics import services as diagnostic_services
from sobrindustrie.diagnostics.models import Barrier, Opportunity
from sobrindustrie.documents.models import Space
from sobrindustrie.documents.services import create_document, ensure_spaces
from sobrindustrie.meetings import services as meeting_services
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.forms import VERSION_MISSING
from sobrindustrie.www.redirects import safe_next
from tests.actionplans.factories import ActionPlanFactory, ProjectTeamFactory
from tests.conftest import World
from tests.diagnostics.factories import OpportunityFactory
from tests.documents.files import PDF, upload
from tests.meetings.factories import MeetingFactory
from tests.teams.factories import MembershipFactory


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- No silent overwrite ------------------------------------------------------------------------


@pytest.fixture
def plan(world: World) -> Any:
    team = ProjectTeamFactory(programme=world.programme, name="Découpe partagée")
    MembershipFactory(team=team, organisation=world.sme_org)
    return ActionPlanFactory(
        team=team, ambition="Partager la découpe", meeting_frequency="monthly", coordination_notes="Jeudis"
    )


def _plan_url(plan: Any) -> str:
    return reverse("www:action_plan_edit", args=[plan.team.pk])


def test_an_empty_post_to_the_coordination_form_is_refused_and_wipes_nothing(world: World, plan: Any) -> None:
    before = (plan.ambition, plan.meeting_frequency, plan.coordination_notes, plan.version)
    # What a browser sends for a form whose fields were all left out: the CSRF token alone.
    response = world.client("consultant").post(_plan_url(plan), {"csrfmiddlewaretoken": "token"})
    assert response.status_code == 200
    assert html.escape(str(VERSION_MISSING)) in response.content.decode()
    plan.refresh_from_db()
    assert (plan.ambition, plan.meeting_frequency, plan.coordination_notes, plan.version) == before


def test_a_post_without_its_version_is_refused_even_with_every_field(world: World, plan: Any) -> None:
    data = {"ambition": "Autre", "meeting_frequency": "monthly", "coordination_notes": "Autre"}
    response = world.client("consultant").post(_plan_url(plan), data)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.ambition == "Partager la découpe"


def test_fields_absent_from_the_post_keep_their_value(world: World, plan: Any) -> None:
    """Decided for every versioned form: what a POST does not carry is kept, not blanked."""
    data = {"ambition": "Partager la découpe et la peinture", "expected_version": plan.version}
    response = world.client("consultant").post(_plan_url(plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.ambition == "Partager la découpe et la peinture"
    assert (plan.meeting_frequency, plan.coordination_notes) == ("monthly", "Jeudis")


def test_a_field_sent_empty_is_cleared(world: World, plan: Any) -> None:
    data = {"ambition": "Partager", "coordination_notes": "", "expected_version": plan.version}
    assert world.client("consultant").post(_plan_url(plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.coordination_notes == "" and plan.meeting_frequency == "monthly"


def test_the_opportunity_its_links_and_barriers_are_saved_all_or_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    opportunity = OpportunityFactory(diagnostic__organisation=world.sme_org, title="Presse partagée")
    edited = Opportunity.objects.get(pk=opportunity.pk)
    edited.title = "Presse et plieuse partagées"

    def failing_save(self: Barrier, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Barrier, "save", failing_save)
    barrier = Barrier(category=Barrier._meta.get_field("category").choices[0][0], comment="Coût")
    with pytest.raises(RuntimeError):
        diagnostic_services.save_opportunity(edited, opportunity.version, {}, [barrier])
    opportunity.refresh_from_db()
    assert opportunity.title == "Presse partagée" and not opportunity.edited
    monkeypatch.undo()
    stale = Opportunity.objects.get(pk=opportunity.pk)
    stale.title = "Trop tard"
    with pytest.raises(ConcurrentEditError):
        diagnostic_services.save_opportunity(stale, opportunity.version - 1, {}, [barrier])
    assert not Barrier.objects.filter(opportunity=opportunity).exists()


# --- Duplicate SIRET ------------------------------------------------------------------------------


def test_a_duplicate_siret_is_a_form_error_naming_the_organisation(world: World) -> None:
    existing = world.sme_org
    url = reverse("www:organisation_create", args=[world.programme.slug])
    data = {
        "kind": existing.kind, "name": "Doublon", "slug": "doublon", "siret": existing.siret,
        "postcode": "13001", "city_name": "Marseille",
    }  # fmt: skip
    count = Organisation.objects.count()
    response = world.client("consultant").post(url, data)
    assert response.status_code == 200
    assert html.escape(f"“{existing.name}”") in response.content.decode()
    assert Organisation.objects.count() == count


# --- Missing stored files -------------------------------------------------------------------------


def test_a_meeting_whose_file_is_gone_still_shows_and_names_it(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(programme=world.programme)
    document = meeting_services.add_document(meeting, None, "Support", upload("support.pdf", PDF))
    Path(document.file.path).unlink()
    response = world.client("consultant").get(reverse("www:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert f"{document.filename}” is missing from the storage" in response.content.decode()


def test_the_command_lists_every_missing_file_and_fails(world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(programme=world.programme)
    kept = meeting_services.add_document(meeting, None, "Gardé", upload("garde.pdf", PDF))
    lost = meeting_services.add_document(meeting, None, "Perdu", upload("perdu.pdf", PDF))
    call_command("missing_files")  # every file there: no error
    Path(lost.file.path).unlink()
    with pytest.raises(CommandError, match="1 file"):
        call_command("missing_files")
    assert kept.file.storage.exists(kept.file.name)


def test_the_command_output_names_the_row(world: World, settings: Any, tmp_path: Path, capsys: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(programme=world.programme)
    lost = meeting_services.add_document(meeting, None, "Perdu", upload("perdu.pdf", PDF))
    Path(lost.file.path).unlink()
    with pytest.raises(CommandError):
        call_command("missing_files")
    assert f"meetings.MeetingDocument #{lost.pk} file: {lost.file.name}" in capsys.readouterr().out


# --- Redirects stay on the site -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/documents/12/", "/documents/12/"),
        ("//evil.example/x", "/fallback/"),
        ("https://evil.example/x", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_safe_next_keeps_redirects_on_the_site(target: str, expected: str) -> None:
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/fallback/") == expected
    assert safe_next(RequestFactory().get("/x/", {"next": target}), "/fallback/") == expected


def test_the_publication_workflow_does_not_redirect_off_site(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ensure_spaces(world.programme)
    space = Space.objects.get(programme=world.programme, kind="programme")
    document = create_document(
        space, world.users["consultant"], upload("cr.pdf", PDF), title="CR", category="minutes"
    )  # type: ignore[arg-type]
    url = reverse("www:item_transition", args=["document", document.pk, "submit"])
    client = world.client("consultant")
    response = client.post(url + "?next=//evil.example/x", {"next": "//evil.example/x"})
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()


# --- Surveys: the participants' satisfaction ------------------------------------------------------


@pytest.fixture
def survey(world: World) -> Any:
    import datetime as dt

    from django.utils import timezone

    from sobrindustrie.meetings.enums import MeetingKind
    from tests.meetings.factories import InvitationFactory

    meeting = MeetingFactory(programme=world.programme, kind=MeetingKind.WEBINAR, past=True)
    for role in ("sme", "partner", "consultant", "ademe"):
        InvitationFactory(meeting=meeting, user=world.users[role])
    return meeting_services.create_survey(meeting, closes_at=timezone.now() + dt.timedelta(days=3))


def _linked_users(survey: Any) -> set[str]:
    return {link.user.role for link in survey.invitations.select_related("user")}


def test_links_go_to_the_participants_only(world: World, survey: Any) -> None:
    sent = meeting_services.send_survey_links(survey)
    assert sent == 2 and _linked_users(survey) == {"sme", "partner"}


def test_staff_get_links_when_the_survey_asks_them(world: World, survey: Any) -> None:
    survey.include_staff = True
    survey.save()
    meeting_services.send_survey_links(survey)
    assert _linked_users(survey) == {"sme", "partner", "consultant", "ademe"}


def test_staff_answers_count_only_when_chosen(world: World, survey: Any) -> None:
    from sobrindustrie.meetings.models import SurveyInvitation
    from sobrindustrie.meetings.results import survey_results, survey_table

    (sme_link,) = [link for link in meeting_services.issue_survey_links(survey) if link.user.role == "sme"]
    consultant = world.users["consultant"]
    staff_link = SurveyInvitation.objects.create(survey=survey, user=consultant, name="C", email="c@x.fr")
    rating = survey.questions.get(position=1)
    meeting_services.submit_response(sme_link, {rating: 2}, None)
    meeting_services.submit_response(staff_link, {rating: 5}, None)
    results = survey_results(survey)
    assert (results.invited, results.responded, results.questions[0].mean) == (2, 1, 2.0)
    assert len(survey_table(survey)) == 2  # header and the participant's answer
    survey.include_staff = True
    results = survey_results(survey)
    assert (results.invited, results.responded, results.questions[0].mean) == (3, 2, 3.5)


def test_the_settings_form_offers_the_choice(world: World, survey: Any) -> None:
    page = world.client("consultant").get(reverse("www:survey_manage", args=[survey.meeting.pk]))
    assert page.status_code == 200 and 'name="settings-include_staff"' in page.content.decode()
