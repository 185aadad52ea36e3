"""The deliverables that wrap the areas' own exports: L1.2, L1.3, L1.4, L1.6, L1.7, L1.9, L2.2, L3.1,
L3.2, L3.3 and L4.2."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from pypdf import PdfReader

from sobrindustrie.deliverables import office
from sobrindustrie.deliverables.generators import GeneratedFile, GenerationContext, MissingData, areas
from sobrindustrie.diagnostics.enums import DiagnosticStatus
from sobrindustrie.funding.exports import EURO_FORMAT
from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from sobrindustrie.teams.enums import MemberRole
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    StepFactory,
)
from tests.conftest import World
from tests.cooperation.factories import build_cooperation
from tests.diagnostics.factories import DiagnosticFactory, OpportunityFactory
from tests.evaluation.factories import EvaluationFactory
from tests.funding.factories import ApplicationFactory, SchemeFactory
from tests.meetings.factories import MeetingFactory, MinutesFactory, local
from tests.teams.factories import MembershipFactory, ProspectContactFactory, ProspectFactory, TeamFactory

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
Generator = Callable[[GenerationContext], list[GeneratedFile]]


@pytest.fixture(autouse=True)
def french() -> Iterator[None]:
    with translation.override("fr"):
        yield


def generate(generator: Generator, world: World) -> dict[str, GeneratedFile]:
    """The files by name, after the checks every deliverable file must pass."""
    files = generator(GenerationContext(programme=world.programme, user=None, now=NOW))
    by_name = {f.name: f for f in files}
    assert len(by_name) == len(files)
    for file in files:
        assert file.name.isascii() and " " not in file.name
        if file.format == "pdf":
            assert file.content.startswith(b"%PDF-")
            metadata = PdfReader(io.BytesIO(file.content)).metadata
            assert metadata is not None and metadata.author == "Sobr'Industrie"
            assert metadata.title
            assert "INVALID_TEMPLATE_VARIABLE" not in pdf_text(file.content)
        else:
            properties = office.core_properties(file.content)
            assert properties["title"] == file.title and properties["language"] == "fr"
            assert properties["created"] == "2026-11-02T09:00:00Z"
    return by_name


def missing(generator: Generator, world: World) -> list[str]:
    with pytest.raises(MissingData) as caught:
        generator(GenerationContext(programme=world.programme, user=None, now=NOW))
    return caught.value.reasons


def stable(generator: Generator, world: World) -> None:
    """Generating twice gives the same bytes for every office file."""
    first, second = generate(generator, world), generate(generator, world)
    assert first.keys() == second.keys()
    for name, file in first.items():
        if file.format != "pdf":
            assert second[name].content == file.content, name


def text(file: GeneratedFile) -> str:
    return pdf_text(file.content) if file.format == "pdf" else office.office_text(file.content, file.format)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def team_with_plan(world: World, name: str, action_title: str) -> object:
    team = TeamFactory(programme=world.programme, name=name)
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    plan = ActionPlanFactory(team=team)
    return ActionFactory(plan=plan, lead_organisation=world.sme_org, title=action_title)


# --- L1.2 -----------------------------------------------------------------------------------------


def test_needs_synthesis_proposes_webinars(world: World) -> None:
    diagnostic = DiagnosticFactory(organisation=world.sme_org)
    OpportunityFactory(
        diagnostic=diagnostic, title="Partager le laser", need_kind="skill", need_skill="maintenance"
    )
    files = generate(areas.needs_synthesis, world)
    assert set(files) == {"L1.2-synthese-besoins-enjeux.docx", "L1.2-synthese-besoins-enjeux.pdf"}
    for file in files.values():
        content = text(file)
        assert world.programme.name in content
        # The method's topic for the shared need comes first, then the pooling one completes the two.
        assert "Internaliser la maintenance" in content and "Mutualiser des machines entre PME" in content
    stable(areas.needs_synthesis, world)


def test_needs_synthesis_without_diagnostics(world: World) -> None:
    DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.PLANNED)
    assert missing(areas.needs_synthesis, world) == [
        _(
            "Nothing was typed at workshop 1 and no diagnostic is under way or completed yet: "
            "there are no needs to synthesise."
        )
    ]


def test_needs_synthesis_needs_two_webinar_topics(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # A method without topics, and diagnostics that share nothing: no topic can be proposed.
    monkeypatch.setattr(areas.needs, "_webinar_topics", lambda programme, diagnostics: {})
    monkeypatch.setattr(areas.needs, "_issues", lambda diagnostics, diagnosed: [])
    DiagnosticFactory(organisation=world.sme_org)
    reasons = missing(areas.needs_synthesis, world)
    assert reasons == [
        ngettext(
            "Only %(count)d webinar topic can be proposed from workshop 1 and the diagnostics; at least %(minimum)d are required.",
            "Only %(count)d webinar topics can be proposed from workshop 1 and the diagnostics; at least %(minimum)d are required.",
            0,
        )
        % {"count": 0, "minimum": 2}
    ]


# --- L1.3 -----------------------------------------------------------------------------------------


def test_diagnostic_sheets_of_finished_diagnostics_and_the_others_listed(world: World) -> None:
    accepted = DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.ACCEPTED)
    OpportunityFactory(diagnostic=accepted, title="Partager le laser")
    DiagnosticFactory(organisation=world.other_sme_org, status=DiagnosticStatus.SHEET_DRAFTED)
    files = generate(areas.diagnostic_sheets, world)
    assert set(files) == {
        "L1.3-fiche-provence-usinage.docx",
        "L1.3-fiche-provence-usinage.pdf",
        "L1.3-sommaire.docx",
    }
    for name in ("L1.3-fiche-provence-usinage.docx", "L1.3-fiche-provence-usinage.pdf"):
        content = text(files[name])
        assert "Provence Usinage" in content and "Partager le laser" in content
        assert "Var Plasturgie" not in content
    assert "02/11/2026" in text(files["L1.3-fiche-provence-usinage.pdf"])  # dated by the build
    summary = text(files["L1.3-sommaire.docx"])
    assert "Var Plasturgie" in summary and str(DiagnosticStatus.SHEET_DRAFTED.label) in summary
    assert "Provence Usinage" not in summary
    stable(areas.diagnostic_sheets, world)


def test_diagnostic_sheets_without_a_finished_diagnostic(world: World) -> None:
    DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.SHEET_DRAFTED)
    assert missing(areas.diagnostic_sheets, world) == [
        _("No diagnostic has been accepted by its company or validated by ADEME yet.")
    ]


# --- L1.4 -----------------------------------------------------------------------------------------


def test_cooperation_synthesis(world: World) -> None:
    from sobrindustrie.cooperation import services

    assert missing(areas.cooperation_synthesis, world) == [_("No cooperation analysis has been run yet.")]
    build_cooperation(world)
    services.run_analysis(world.programme)
    files = generate(areas.cooperation_synthesis, world)
    assert set(files) == {"L1.4-collaborations.docx", "L1.4-collaborations.pdf"}
    for file in files.values():
        content = text(file)
        assert "Provence Usinage" in content and "Toulon Tôlerie" in content
        assert "Découpeuse laser fibre" in content
    stable(areas.cooperation_synthesis, world)


# --- L1.6 -----------------------------------------------------------------------------------------


def test_contact_grid(world: World) -> None:
    team = TeamFactory(programme=world.programme, name="Découpe partagée")
    TeamFactory(programme=world.programme, name="Équipe sans prospection")
    prospect = ProspectFactory(team=team, organisation__name="Rétrofit Provence")
    ProspectContactFactory(prospect=prospect, outcome="Visite, partants", made_by=world.users["consultant"])
    files = generate(areas.contact_grid, world)
    assert list(files) == ["L1.6-grille-suivi-contacts.xlsx"]
    file = files["L1.6-grille-suivi-contacts.xlsx"]
    workbook = load_workbook(io.BytesIO(file.content))
    assert workbook.sheetnames[1:] == ["Découpe partagée", "Équipe sans prospection"]
    grid = workbook["Découpe partagée"]
    assert grid.freeze_panes == "A2" and grid.auto_filter.ref == grid.dimensions
    assert grid.cell(row=2, column=1).value == "Rétrofit Provence"
    assert grid.cell(row=2, column=11).is_date  # last contact: a real date
    assert "Visite, partants" in text(file) and "02/11/2026" in text(file)
    stable(areas.contact_grid, world)


def test_contact_grid_without_teams_or_prospects(world: World) -> None:
    assert missing(areas.contact_grid, world) == [_("No project team has been formed yet.")]
    TeamFactory(programme=world.programme)
    assert missing(areas.contact_grid, world) == [
        _("No outside structure has been approached for any team yet.")
    ]


# --- L1.7 -----------------------------------------------------------------------------------------


def test_team_sheets(world: World) -> None:
    assert missing(areas.team_sheets, world) == [_("No project team has been formed yet.")]
    team = TeamFactory(programme=world.programme, name="Découpe partagée", objectives="Partager le laser.")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org)
    files = generate(areas.team_sheets, world)
    assert set(files) == {"L1.7-fiche-equipe-decoupe-partagee.docx", "L1.7-fiche-equipe-decoupe-partagee.pdf"}
    for file in files.values():
        content = text(file)
        assert "Découpe partagée" in content and "Partager le laser." in content
        assert "Provence Usinage" in content and "Maintenance Sud" in content
    assert "02/11/2026" in text(files["L1.7-fiche-equipe-decoupe-partagee.pdf"])
    stable(areas.team_sheets, world)


# --- L1.9 -----------------------------------------------------------------------------------------


def test_action_plan_sheets_and_the_teams_without_a_plan(world: World) -> None:
    team_with_plan(world, "Découpe partagée", "Mutualiser la découpe laser")
    TeamFactory(programme=world.programme, name="Rétrofit")
    files = generate(areas.action_plan_sheets, world)
    assert set(files) == {
        "L1.9-plan-actions-decoupe-partagee.docx",
        "L1.9-plan-actions-decoupe-partagee.pdf",
        "L1.9-sommaire.docx",
    }
    for name in ("L1.9-plan-actions-decoupe-partagee.docx", "L1.9-plan-actions-decoupe-partagee.pdf"):
        content = text(files[name])
        assert "Découpe partagée" in content and "Mutualiser la découpe laser" in content
        assert "02/11/2026" in content  # the working draft is dated by the build
    summary = text(files["L1.9-sommaire.docx"])
    assert "Rétrofit" in summary and _("no action plan yet") in summary
    stable(areas.action_plan_sheets, world)


def test_action_plan_sheets_without_actions(world: World) -> None:
    ActionPlanFactory(team=TeamFactory(programme=world.programme, name="Découpe partagée"))
    assert missing(areas.action_plan_sheets, world) == [
        _("%(team)s: %(reason)s.") % {"team": "Découpe partagée", "reason": _("the plan has no action yet")}
    ]


# --- L2.2 -----------------------------------------------------------------------------------------


def test_progress_tables_one_sheet_per_team(world: World) -> None:
    action = team_with_plan(world, "Découpe partagée", "Mutualiser la découpe laser")
    StepFactory(action=action, title="Signer la convention", due_on=dt.date(2026, 9, 30))
    MeasurementFactory(indicator=IndicatorFactory(action=action, name="Heures partagées"), value=12)
    TeamFactory(programme=world.programme, name="Rétrofit")
    files = generate(areas.progress_tables, world)
    file = files["L2.2-tableaux-avancement.xlsx"]
    workbook = load_workbook(io.BytesIO(file.content))
    assert workbook.sheetnames == [
        _("Summary"),
        "Découpe partagée",
        _("Indicators"),
        _("Steps"),
        _("Open difficulties"),
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    summary = list(workbook[_("Summary")].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in summary] == [("Découpe partagée", 1), ("Rétrofit", 0)]
    assert summary[1][1] == _("no action plan yet")
    actions = workbook["Découpe partagée"]
    assert actions.cell(row=2, column=2).value == "Mutualiser la découpe laser"
    assert actions.cell(row=2, column=8).is_date  # start of the action
    steps = list(workbook[_("Steps")].iter_rows(min_row=2, values_only=True))
    assert steps[0][:3] == ("Découpe partagée", "Mutualiser la découpe laser", "Signer la convention")
    assert steps[0][5] == _("yes")  # overdue on the build's date
    assert "Heures partagées" in text(file)
    stable(areas.progress_tables, world)


def test_progress_tables_without_a_plan(world: World) -> None:
    ActionPlanFactory(team=TeamFactory(programme=world.programme))
    assert missing(areas.progress_tables, world) == [
        _("No project team has an action plan with actions yet.")
    ]


# --- L3.1 -----------------------------------------------------------------------------------------


def test_funding_interviews_hold_every_minutes(world: World) -> None:
    common = {"programme": world.programme, "kind": MeetingKind.FUNDER_INTERVIEW}
    planned = MeetingFactory(**common, title="Entretien à venir", starts_at=local(2026, 12, 1))
    assert planned.starts_at > NOW
    assert missing(areas.funding_interviews, world) == [_("No interview with a funder has been held yet.")]
    held = MeetingFactory(
        **common, title="Entretien Bpifrance", organiser_name="Bpifrance",
        starts_at=local(2026, 6, 4), status=MeetingStatus.HELD,
    )  # fmt: skip
    MinutesFactory(meeting=held, body="# Dispositifs\n- **Prêt vert** pour la presse")  # a draft
    files = generate(areas.funding_interviews, world)
    content = text(files["L3.1-entretiens-financeurs.docx"])
    assert "Entretien Bpifrance" in content and "Prêt vert pour la presse" in content
    assert "Entretien à venir" not in content
    stable(areas.funding_interviews, world)


# --- L3.2 and L3.3 --------------------------------------------------------------------------------


def granted_application(world: World) -> object:
    action = team_with_plan(world, "Découpe partagée", "Mutualiser la découpe laser")
    scheme = SchemeFactory(title="CEDRE Investissement", funders=["Région Sud"])
    return ApplicationFactory(action=action, organisation=world.sme_org, scheme=scheme, granted=True)


def test_funding_grid_per_team(world: World) -> None:
    assert missing(areas.funding_grid, world) == [_("No project team has been formed yet.")]
    TeamFactory(programme=world.programme, name="Rétrofit")
    assert missing(areas.funding_grid, world) == [_("No funding application has been recorded yet.")]
    granted_application(world)
    files = generate(areas.funding_grid, world)
    workbook = load_workbook(io.BytesIO(files["L3.2-demandes-financement.xlsx"].content))
    assert workbook.sheetnames == [_("Summary"), "Découpe partagée"]
    summary = list(workbook[_("Summary")].iter_rows(min_row=2, values_only=True))
    assert summary == [("Découpe partagée", 1, 20000, 15000, 0, 0), ("Rétrofit", 0, 0, 0, 0, 0)]
    grid = workbook["Découpe partagée"]
    assert grid.freeze_panes == "A2" and grid.auto_filter.ref == grid.dimensions
    header = [cell.value for cell in grid[1]]
    granted = grid.cell(row=2, column=header.index(_("Amount granted (€)")) + 1)
    assert granted.value == 15000 and granted.number_format == EURO_FORMAT
    assert grid.cell(row=2, column=header.index(_("Decision on")) + 1).is_date
    assert grid.cell(row=2, column=5).value == "CEDRE Investissement"
    stable(areas.funding_grid, world)


def test_funding_synthesis(world: World) -> None:
    assert missing(areas.funding_synthesis, world) == [_("No funding application has been recorded yet.")]
    granted_application(world)
    files = generate(areas.funding_synthesis, world)
    assert set(files) == {"L3.3-synthese-financements.docx", "L3.3-synthese-financements.pdf"}
    for file in files.values():
        content = text(file)
        assert "Région Sud" in content and "02/11/2026" in content
    assert "15\u202f000 €" in text(files["L3.3-synthese-financements.docx"])
    stable(areas.funding_synthesis, world)


# --- L4.2 -----------------------------------------------------------------------------------------


def test_evaluation_synthesis_lists_the_teams_not_evaluated(world: World) -> None:
    assert missing(areas.evaluation_synthesis, world) == [
        _("No Empreinte Projet evaluation has been started yet.")
    ]
    team = TeamFactory(programme=world.programme, name="Découpe partagée")
    EvaluationFactory(team=team, title="Presse plieuse partagée", conclusion="Bénéfice net sur le climat.")
    TeamFactory(programme=world.programme, name="Rétrofit")
    files = generate(areas.evaluation_synthesis, world)
    assert set(files) == {"L4.2-synthese-evaluations.docx", "L4.2-synthese-evaluations.pdf"}
    for file in files.values():
        content = text(file)
        assert "Presse plieuse partagée" in content and "Bénéfice net sur le climat." in content
        assert _("Not evaluated yet") in content
        assert _("%(team)s: no evaluation yet.") % {"team": "Rétrofit"} in content
        assert _("%(team)s: no evaluation yet.") % {"team": "Découpe partagée"} not in content
    stable(areas.evaluation_synthesis, world)


def test_amounts_in_the_grid_summary_are_numbers(world: World) -> None:
    """Typed columns: the summary's amounts sum in a spreadsheet (numbers with a euro format)."""
    granted_application(world)
    workbook = load_workbook(
        io.BytesIO(generate(areas.funding_grid, world)["L3.2-demandes-financement.xlsx"].content)
    )
    cell = workbook[_("Summary")].cell(row=2, column=3)
    assert cell.value == Decimal(20000) and cell.number_format.endswith('"€"')
