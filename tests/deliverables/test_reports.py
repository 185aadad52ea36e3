"""The programme-wide deliverables and the reports: L4.1, L4.3, L4.4, the progress reports and the
provisional final report."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from sobrindustrie.actionplans.enums import ActionStatus, DifficultyStatus
from sobrindustrie.actionplans.models import ActionPlan, Difficulty
from sobrindustrie.deliverables import office
from sobrindustrie.deliverables.catalogue import AXIS_TITLES
from sobrindustrie.deliverables.generators import GeneratedFile, GenerationContext, MissingData, reports
from sobrindustrie.deliverables.models import Deliverable, DeliverableFile
from sobrindustrie.diagnostics.enums import DiagnosticStatus
from sobrindustrie.documents.enums import PublicationStatus, SpaceKind
from sobrindustrie.documents.models import Space
from sobrindustrie.documents.services import ensure_spaces
from sobrindustrie.evaluation.enums import EvaluationStatus
from sobrindustrie.meetings import services as meeting_services
from sobrindustrie.meetings.enums import Attendance, MeetingKind, MeetingStatus, MinutesStatus, TimeObjectKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.teams.models import ProjectTeam
from tests.actionplans.factories import ActionFactory
from tests.conftest import World
from tests.diagnostics.factories import BarrierFactory, DiagnosticFactory, OpportunityFactory
from tests.documents.factories import DocumentFactory, ShowcaseFactory, VersionFactory
from tests.evaluation.factories import EvaluationFactory
from tests.funding.factories import ApplicationFactory
from tests.meetings.factories import DecisionFactory, MeetingFactory, MinutesFactory, TimeEntryFactory, local
from tests.teams.factories import MembershipFactory, TeamFactory

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def french_with_media(settings: object, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    with translation.override("fr"):
        yield


@dataclass
class Built:
    world: World
    team: ProjectTeam
    workshop: Meeting
    copil: Meeting
    late_copil: Meeting

    @property
    def ctx(self) -> GenerationContext:
        return GenerationContext(programme=self.world.programme, user=self.world.users["consultant"], now=NOW)


def _held(world: World, kind: str, title: str, day: dt.datetime) -> Meeting:
    return MeetingFactory(  # type: ignore[no-any-return]
        programme=world.programme, kind=kind, title=title, starts_at=day, status=MeetingStatus.HELD
    )


def _survey(meeting: Meeting, world: World, ratings: list[int]) -> None:
    users = [world.users["sme"], world.users["other_sme"]]
    meeting_services.set_invitees(meeting, users)
    meeting.invitations.update(attendance=Attendance.PRESENT)
    survey = meeting_services.create_survey(meeting, closes_at=timezone.now() + dt.timedelta(days=5))
    overall = survey.questions.get(position=1)
    for link, rating in zip(meeting_services.issue_survey_links(survey), ratings, strict=True):
        meeting_services.submit_response(link, {overall: rating}, None)


@pytest.fixture
def built(world: World) -> Built:
    programme, consultant = world.programme, world.users["consultant"]
    team = TeamFactory(programme=programme, name="Découpe partagée du Var")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    ensure_spaces(programme)

    workshop = _held(world, MeetingKind.WORKSHOP_1, "Atelier 1 à Aix", local(2026, 1, 12))
    MinutesFactory(meeting=workshop, body="# Besoins\n\n- Découpe laser", status=MinutesStatus.VALIDATED)
    _survey(workshop, world, [4, 5])
    copil = _held(world, MeetingKind.COPIL, "COPIL de lancement", local(2026, 2, 10))
    late_copil = _held(world, MeetingKind.COPIL, "COPIL d'étape", local(2026, 6, 15))
    DecisionFactory(meeting=copil, number=1, text="Valider la méthode de diagnostic", owner=consultant)
    DecisionFactory(meeting=late_copil, number=2, text="Lancer les recherches de financement")

    diagnostic = DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.VALIDATED)
    opportunity = OpportunityFactory(diagnostic=diagnostic, title="Mutualiser la découpe laser")
    BarrierFactory(opportunity=opportunity, category="economic", comment="Coût du rétrofit à financer")

    plan = ActionPlan.objects.create(team=team, ambition="Partager la découpe laser.")
    action = ActionFactory(
        plan=plan,
        lead_organisation=world.sme_org,
        title="Découpe laser en commun",
        status=ActionStatus.IN_PROGRESS,
        progress_percent=40,
    )
    Difficulty.objects.create(
        action=action,
        title="Délais de livraison du compresseur",
        status=DifficultyStatus.RAISED,
        raised_at=local(2026, 9, 1),
        ademe_answer="Voir le fonds régional.",
    )
    ApplicationFactory(action=action, organisation=world.sme_org, granted=True)
    EvaluationFactory(team=team, status=EvaluationStatus.VALIDATED)

    space = Space.objects.get(programme=programme, kind=SpaceKind.PROGRAMME)
    document = DocumentFactory(space=space, title="Support de l'atelier 1", created_by=consultant)
    document.meetings.add(workshop)
    VersionFactory(document=document, number=1, uploaded_by=consultant)

    ShowcaseFactory(
        team=team,
        title="Découpe laser partagée",
        status=PublicationStatus.PUBLISHED,
        published_at=local(2026, 10, 1),
    )
    other_team = TeamFactory(programme=programme, name="Maintenance interne")
    ShowcaseFactory(team=other_team, title="Projet pas encore publié", status=PublicationStatus.VALIDATED)

    TimeEntryFactory(
        programme=programme,
        consultant=consultant,
        date=dt.date(2026, 1, 20),
        days=Decimal("2.5"),
        axis=1,
        object_kind=TimeObjectKind.DIAGNOSTIC,
        object_label="Provence Usinage",
    )
    TimeEntryFactory(
        programme=programme, consultant=consultant, date=dt.date(2026, 9, 2), days=Decimal("1"), axis=2
    )

    sheet = Deliverable.objects.create(programme=programme, code="L1.3", status="submitted")
    DeliverableFile.objects.create(
        deliverable=sheet,
        version=1,
        name="L1.3-fiche-provence-usinage.docx",
        title="Fiche synthèse — Provence Usinage",
        format="docx",
        file=ContentFile(b"sheet", name="L1.3-fiche-provence-usinage.docx"),
        size=5,
        sha256="0" * 64,
        created_by=consultant,
    )
    return Built(world, team, workshop, copil, late_copil)


def docx_text(file: GeneratedFile) -> str:
    assert file.format == "docx"
    WordDocument(io.BytesIO(file.content))  # opens
    return office.office_text(file.content, "docx")


def pptx_text(file: GeneratedFile) -> str:
    assert file.format == "pptx"
    Presentation(io.BytesIO(file.content))
    return office.office_text(file.content, "pptx")


def _empty_ctx(world: World) -> GenerationContext:
    return GenerationContext(programme=world.programme, user=None, now=NOW)


# --- L4.1 ------------------------------------------------------------------------------------------


def test_the_inventory_lists_documents_minutes_and_deliverable_files_grouped_by_step(built: Built) -> None:
    (file,) = reports.inventory(built.ctx)
    assert file.name.startswith("L4.1-") and file.name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(file.content))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    titles = [row[5] for row in rows]
    # Within a step, by date: the minutes (12 January) before the document uploaded since.
    assert titles == ["Atelier 1 à Aix", "Support de l'atelier 1", "Fiche synthèse — Provence Usinage"]
    minutes, document, sheet_file = rows
    # The document and the minutes belong to workshop 1's step; the sheet to L1.3's, after the meetings.
    assert document[0] == minutes[0] == sheet_file[0] == 1
    assert document[2] == minutes[2] == str(MeetingKind.WORKSHOP_1.label)
    assert sheet_file[2].startswith("L1.3 — ")
    assert minutes[3] == dt.datetime(2026, 1, 12)  # typed as a date
    assert isinstance(document[8], float) and document[8] > 0
    assert document[6] == str(built.world.users["consultant"])
    assert minutes[9] == str(MinutesStatus.VALIDATED.label)
    assert sheet_file[7] == "docx"
    assert document[10].startswith("/") and minutes[10].endswith("#minutes")
    summary = workbook.worksheets[1]
    assert [row[3] for row in summary.iter_rows(min_row=2, values_only=True)] == [2, 1]
    assert office.core_properties(file.content)["title"] == file.title


def test_steering_comes_after_the_axes_and_documents_tied_to_no_step_come_last(built: Built) -> None:
    MinutesFactory(meeting=built.copil, body="Relevé de décisions", status=MinutesStatus.SUBMITTED)
    space = Space.objects.get(programme=built.world.programme, kind=SpaceKind.PROGRAMME)
    VersionFactory(document=DocumentFactory(space=space, title="Guide ADEME des démarches low-tech"))
    (file,) = reports.inventory(built.ctx)
    rows = list(load_workbook(io.BytesIO(file.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[5] for row in rows][-2:] == ["COPIL de lancement", "Guide ADEME des démarches low-tech"]
    copil, guide = rows[-2:]
    assert copil[0] is None and copil[1] == str(reports.STEERING)
    assert copil[2] == str(MeetingKind.COPIL.label)
    assert guide[0] is None and not guide[1] and guide[2].startswith(str(reports.NO_STEP))


def test_the_inventory_does_not_list_its_own_earlier_versions(built: Built) -> None:
    own = Deliverable.objects.create(programme=built.world.programme, code="L4.1")
    DeliverableFile.objects.create(
        deliverable=own, version=1, name="L4.1-inventaire.xlsx", title="Inventaire", format="xlsx",
        file=ContentFile(b"x", name="L4.1-inventaire.xlsx"), size=1, sha256="1" * 64,
    )  # fmt: skip
    (file,) = reports.inventory(built.ctx)
    assert "Inventaire" not in office.office_text(file.content, "xlsx")


def test_an_empty_programme_has_no_inventory(world: World) -> None:
    with pytest.raises(MissingData) as error:
        reports.inventory(_empty_ctx(world))
    assert error.value.reasons == [
        _("Nothing has been produced yet: no shared document, no minutes and no deliverable file.")
    ]


def test_the_inventory_is_byte_stable(built: Built) -> None:
    assert reports.inventory(built.ctx)[0].content == reports.inventory(built.ctx)[0].content


# --- L4.3 ------------------------------------------------------------------------------------------


def _recommendations(built: Built) -> Deliverable:
    return Deliverable.objects.create(  # type: ignore[no-any-return]
        programme=built.world.programme,
        code="L4.3",
        successes="Des ateliers très suivis",
        recommendations="Prolonger l'animation des équipes projet\nOuvrir un second appel à candidatures",
    )


def test_the_synthesis_report_and_presentation_carry_the_analysis_and_the_recommendations(
    built: Built,
) -> None:
    _recommendations(built)
    report, slides = reports.synthesis_report(built.ctx)
    assert report.name.startswith("L4.3-") and report.format == "docx"
    assert slides.name.startswith("L4.3-") and slides.format == "pptx"
    text = docx_text(report)
    for expected in (
        "Prolonger l'animation des équipes projet",
        "Ouvrir un second appel à candidatures",
        "Des ateliers très suivis",
        "Coût du rétrofit à financer",  # a barrier from the diagnostics
        "Délais de livraison du compresseur",  # a difficulty from the action plan
        "Voir le fonds régional.",
        "Atelier 1 à Aix",
        "4,5",  # its average rating
        "2,5",  # days on the diagnostic
        str(MeetingKind.WORKSHOP_1.label),
    ):
        assert expected in text, expected
    # Three charts (satisfaction, days per phase, capped work), each with its text alternative.
    document = WordDocument(io.BytesIO(report.content))
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(descriptions) == 3
    assert "Atelier 1 à Aix (12/01/2026): 4,5" in descriptions[0]
    days, cap = _("days"), _("Contractual cap")
    assert f"{AXIS_TITLES[1]}: 2,5 {days}; {AXIS_TITLES[2]}: 1 {days}" in descriptions[1]
    assert (
        f"{TimeObjectKind.DIAGNOSTIC.label}: {_('Days spent')} 2,5 {days}, {cap} 5 {days}" in descriptions[2]
    )
    for shape in document.inline_shapes:
        blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        assert len(document.part.related_parts[blob].blob) <= 60 * 1024

    slide_text = pptx_text(slides)
    assert "Prolonger l'animation des équipes projet" in slide_text
    assert "Délais de livraison du compresseur" in slide_text
    presentation = Presentation(io.BytesIO(slides.content))
    pictures = [
        shape
        for slide in presentation.slides
        for shape in slide.shapes
        if shape.shape_type == 13  # PICTURE
    ]
    assert len(pictures) == 3
    assert all(picture._element.nvPicPr.cNvPr.get("descr") for picture in pictures)


def test_without_recommendations_there_is_no_synthesis_report(built: Built) -> None:
    Deliverable.objects.create(programme=built.world.programme, code="L4.3", successes="Déjà écrit")
    with pytest.raises(MissingData) as error:
        reports.synthesis_report(built.ctx)
    assert error.value.reasons == [_("Write the recommendations to ADEME first.")]


def test_the_synthesis_report_is_byte_stable(built: Built) -> None:
    _recommendations(built)
    first, second = reports.synthesis_report(built.ctx), reports.synthesis_report(built.ctx)
    assert [f.content for f in first] == [f.content for f in second]


def test_storing_its_own_files_does_not_change_the_synthesis_report(built: Built) -> None:
    row = _recommendations(built)
    first = reports.synthesis_report(built.ctx)
    for item in first:  # what the registry does with a generation
        DeliverableFile.objects.create(
            deliverable=row, version=1, name=item.name, title=item.title, format=item.format,
            file=ContentFile(item.content, name=item.name), size=len(item.content), sha256="2" * 64,
        )  # fmt: skip
    assert [f.content for f in reports.synthesis_report(built.ctx)] == [f.content for f in first]


# --- L4.4 ------------------------------------------------------------------------------------------


def test_the_communication_support_shows_published_projects_only_and_no_amount(built: Built) -> None:
    (slides,) = reports.communication_support(built.ctx)
    text = pptx_text(slides)
    assert "Découpe laser partagée" in text
    assert "Trois PME partagent une découpe laser." in text
    assert "30 % d'énergie en moins" in text
    assert "Découpe partagée du Var" in text  # the team named on the public page
    assert "Projet pas encore publié" not in text
    assert "Coût du rétrofit à financer" not in text  # no diagnostic detail
    assert "€" not in text  # no amount: the funding is not published
    assert len(Presentation(io.BytesIO(slides.content)).slides) == 3  # title, figures, one project


def test_the_communication_support_speaks_english_for_english_audiences(built: Built) -> None:
    ctx = built.ctx
    ctx.language = "en"
    with translation.override("en"):
        (slides,) = reports.communication_support(ctx)
    text = pptx_text(slides)
    assert "Shared laser cutting" in text and "2 purchases avoided" in text
    assert "Découpe laser partagée" not in text


def test_a_published_image_goes_on_its_slide_light_and_described(built: Built) -> None:
    page = built.team.showcase
    photo = io.BytesIO()
    Image.new("RGB", (3000, 2000), (120, 130, 140)).save(photo, format="JPEG")
    page.image.save("photo.jpg", ContentFile(photo.getvalue()), save=False)
    page.image_alt, page.image_alt_en = "La découpe laser partagée", "The shared laser cutter"
    page.save()
    (slides,) = reports.communication_support(built.ctx)
    presentation = Presentation(io.BytesIO(slides.content))
    (picture,) = [shape for shape in presentation.slides[2].shapes if shape.shape_type == 13]
    assert picture._element.nvPicPr.cNvPr.get("descr") == "La découpe laser partagée"
    with Image.open(io.BytesIO(picture.image.blob)) as image:
        assert max(image.size) <= reports.IMAGE_MAX_PIXELS


def test_nothing_published_means_no_communication_support(world: World) -> None:
    with pytest.raises(MissingData) as error:
        reports.communication_support(_empty_ctx(world))
    assert error.value.reasons == [_("No project page of the showcase has been published yet.")]


def test_the_communication_support_is_byte_stable(built: Built) -> None:
    assert (
        reports.communication_support(built.ctx)[0].content
        == reports.communication_support(built.ctx)[0].content
    )


# --- Progress reports ------------------------------------------------------------------------------


def _synthesis(built: Built, code: str) -> Deliverable:
    return Deliverable.objects.create(  # type: ignore[no-any-return]
        programme=built.world.programme,
        code=code,
        successes="Quinze diagnostics menés dans les délais",
        difficulties="Disponibilité des dirigeants en période de clôture",
        solutions="Visites regroupées par bassin",
        copil_meeting=built.copil,
    )


def test_the_six_month_report_carries_the_synthesis_the_decisions_and_the_axis_1_deliverables(
    built: Built,
) -> None:
    _synthesis(built, "REPORT_M6")
    (report,) = reports.progress_report_m6(built.ctx)
    assert report.name.startswith("REPORT_M6-") and report.format == "docx"
    text = docx_text(report)
    for expected in (
        "Quinze diagnostics menés dans les délais",
        "Disponibilité des dirigeants en période de clôture",
        "Visites regroupées par bassin",
        "COPIL de lancement",
        "Valider la méthode de diagnostic",  # decision n° 1, before the due date
        "20 octobre 2025",  # notification
        "20 avril 2026",  # due date: notification + 6 months, from the obligations engine
        "L1.3",
        "L1.9",
        "L1.3-fiche-provence-usinage.docx",  # the registry's latest file, annexed
        "4,5",  # workshop 1's satisfaction in L1.1's key figures
    ):
        assert expected in text, expected
    assert "Lancer les recherches de financement" not in text  # decided after the due date
    assert "L2.1" not in text


def test_files_produced_in_the_same_build_are_annexed_instead_of_the_registry_ones(built: Built) -> None:
    _synthesis(built, "REPORT_M6")
    ctx = built.ctx
    ctx.produced = {
        "L1.3": [GeneratedFile("L1.3-fiche-var-plasturgie.docx", b"12345678", "Fiche Var Plasturgie")]
    }
    text = docx_text(reports.progress_report_m6(ctx)[0])
    assert "L1.3-fiche-var-plasturgie.docx" in text and "Fiche Var Plasturgie" in text
    assert "L1.3-fiche-provence-usinage.docx" not in text


def test_the_twelve_month_report_carries_axes_2_and_3_with_live_figures(built: Built) -> None:
    _synthesis(built, "REPORT_M12")
    text = docx_text(reports.progress_report_m12(built.ctx)[0])
    assert "Lancer les recherches de financement" in text  # decided before 20 October 2026
    assert "20 octobre 2026" in text
    for code in ("L2.1", "L2.2", "L3.1", "L3.2", "L3.3"):
        assert code in text
    assert "15\u202f000 €" in text  # the amount obtained, in L3.3's key figures
    assert "L1.3 —" not in text


def test_a_report_not_validated_by_a_copil_says_so(built: Built) -> None:
    row = _synthesis(built, "REPORT_M18")
    row.copil_meeting = None
    row.save()
    text = docx_text(reports.progress_report_m18(built.ctx)[0])
    assert _("This synthesis has not been validated by a COPIL meeting yet.") in text
    assert "20 avril 2027" in text


def test_without_its_synthesis_a_progress_report_is_missing(built: Built) -> None:
    with pytest.raises(MissingData) as error:
        reports.progress_report_m6(built.ctx)
    assert "REPORT_M6" not in error.value.reasons[0]
    assert str(reports.BY_CODE["REPORT_M6"].title).lower() in error.value.reasons[0]
    Deliverable.objects.create(programme=built.world.programme, code="REPORT_M6")  # a row, still empty
    with pytest.raises(MissingData):
        reports.progress_report_m6(built.ctx)


def test_a_progress_report_is_byte_stable(built: Built) -> None:
    _synthesis(built, "REPORT_M6")
    assert (
        reports.progress_report_m6(built.ctx)[0].content == reports.progress_report_m6(built.ctx)[0].content
    )


# --- Final report ----------------------------------------------------------------------------------


def _final(built: Built) -> Deliverable:
    return Deliverable.objects.create(  # type: ignore[no-any-return]
        programme=built.world.programme,
        code="REPORT_FINAL",
        methods="Diagnostics sur site en deux visites\nAteliers en intelligence collective",
        difficulties="Mobilisation inégale des équipes",
    )


def test_the_final_report_carries_the_work_the_methods_the_difficulties_and_every_deliverable(
    built: Built,
) -> None:
    _final(built)
    (report,) = reports.final_report(built.ctx)
    assert report.name.startswith("REPORT_FINAL-") and report.format == "docx"
    text = docx_text(report)
    for expected in (
        "Diagnostics sur site en deux visites",
        "Mobilisation inégale des équipes",
        "Coût du rétrofit à financer",
        "Délais de livraison du compresseur",
        "15 août 2027",  # two months before the end (15 October 2027)
        "1.0",  # the Empreinte Projet grid version used
        "L1.1",
        "L2.2",
        "L3.3",
        "L4.5",
        "L1.3-fiche-provence-usinage.docx",
    ):
        assert expected in text, expected
    method = built.world.programme.diagnostic_methods.get()
    assert str(method) in text
    document = WordDocument(io.BytesIO(report.content))
    titles = [shape._inline.docPr.get("title") for shape in document.inline_shapes]
    # Satisfaction and time (2), diagnostics per status, funding per team and its leverage, and the
    # team's progress: the programme's charts and one per team.
    assert len(titles) == 7, titles
    assert _("%(team)s: progress of the actions (%%)") % {"team": "Découpe partagée du Var"} in titles
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    # One section per team, with its members and the difficulty of its plan.
    assert _("Account of each project team") in text
    assert "Maintenance Sud" in text


def test_without_methods_there_is_no_final_report(built: Built) -> None:
    Deliverable.objects.create(programme=built.world.programme, code="REPORT_FINAL", difficulties="Écrites")
    with pytest.raises(MissingData) as error:
        reports.final_report(built.ctx)
    assert error.value.reasons == [
        _(
            "Write the work and methods section of the provisional final report in the deliverables registry first."
        )
    ]


def test_a_final_report_of_a_programme_without_activity_says_what_is_missing(world: World) -> None:
    Deliverable.objects.create(programme=world.programme, code="REPORT_FINAL", methods="Méthode")
    text = docx_text(reports.final_report(_empty_ctx(world))[0])
    assert _("No satisfaction survey has been run yet.") in text
    assert _("No time has been recorded yet.") in text
    assert _("No file is annexed: none of the deliverables carried has been generated yet.") in text


def test_the_final_report_is_byte_stable(built: Built) -> None:
    _final(built)
    assert reports.final_report(built.ctx)[0].content == reports.final_report(built.ctx)[0].content


# --- Queries ---------------------------------------------------------------------------------------


def _more_of_everything(built: Built) -> None:
    """Three more teams with a plan, an action and a difficulty; documents, minutes and decisions."""
    world, consultant = built.world, built.world.users["consultant"]
    space = Space.objects.get(programme=world.programme, kind=SpaceKind.PROGRAMME)
    for index in range(3):
        team = TeamFactory(programme=world.programme, name=f"Équipe supplémentaire {index}")
        member = MembershipFactory(team=team).organisation
        plan = ActionPlan.objects.create(team=team)
        action = ActionFactory(plan=plan, lead_organisation=member)
        Difficulty.objects.create(action=action, title=f"Difficulté {index}")
        meeting = _held(world, MeetingKind.TEAM_FOLLOWUP, f"Suivi {index}", local(2026, 3, 2 + index))
        MinutesFactory(meeting=meeting, body=f"Suivi {index}")
        DecisionFactory(meeting=meeting, number=10 + index)
        document = DocumentFactory(space=space, created_by=consultant)
        document.meetings.add(meeting)
        VersionFactory(document=document, uploaded_by=consultant)


def _queries(generate: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        generate()
    return len(queries)


@pytest.mark.parametrize("generator", ["inventory", "final_report"])
def test_the_number_of_queries_does_not_grow_with_the_records(built: Built, generator: str) -> None:
    _final(built)
    generate = getattr(reports, generator)
    before = _queries(lambda: generate(built.ctx))
    _more_of_everything(built)
    assert _queries(lambda: generate(built.ctx)) == before
