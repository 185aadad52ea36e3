"""The contact-tracking grid (L1.6), the committee roster and the team summary sheet (L1.7)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
from django.urls import reverse

from sobrindustrie.organisations.enums import ExchangeKind
from sobrindustrie.teams.exports import sheet_title
from sobrindustrie.teams.sheets import build_team_sheet
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory, PersonFactory
from tests.teams.conftest import TeamWorld
from tests.teams.factories import ProspectContactFactory, ProspectFactory, TeamFactory


def _workbook(response: object) -> openpyxl.Workbook:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")  # type: ignore[index]
    return openpyxl.load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]


def test_the_grid_has_a_summary_then_one_sheet_per_team(teams: TeamWorld) -> None:
    world = teams.world
    consultant = world.users["consultant"]
    person = teams.prospect.organisation.people.get()
    teams.prospect.contact_person = person
    teams.prospect.status = "interested"
    teams.prospect.next_step, teams.prospect.next_step_due = (
        "Envoyer le cahier des charges",
        dt.date(2026, 5, 4),
    )
    teams.prospect.save()
    ProspectContactFactory(prospect=teams.prospect, made_by=consultant, contacted_on=dt.date(2026, 3, 2))
    ProspectContactFactory(
        prospect=teams.prospect,
        made_by=consultant,
        contacted_on=dt.date(2026, 3, 20),
        outcome="Visite, partants",
    )
    ProspectFactory(team=teams.team, status="declined")
    quiet = TeamFactory(programme=world.programme, name="Équipe: sans/prospection?")

    workbook = _workbook(
        teams.client("ademe").get(reverse("www:prospect_export", args=[world.programme.slug]))
    )

    assert workbook.sheetnames == ["Summary", "Découpe partagée du pays d'Aix", "Équipe- sans-prospection-"]
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[0][:4] == ("Team", "Theme", "Structures approached", "Contacts made")
    assert summary[0][4:] == ("To contact", "Contacted", "Interested", "Committed", "Declined")
    assert summary[1] == (
        "Découpe partagée du pays d'Aix",
        "Pooling of production means",
        2,
        2,
        0,
        0,
        1,
        0,
        1,
    )
    assert summary[2] == (quiet.name, "Pooling of production means", 0, 0, 0, 0, 0, 0, 0)
    assert summary[3][:4] == ("Total", None, 2, 2)
    grid = list(workbook["Découpe partagée du pays d'Aix"].iter_rows(values_only=True))
    assert grid[0][0] == "Structure" and grid[0][8] == "Status"
    row = next(r for r in grid if r[0] == "Rétrofit Provence")
    assert row[6] == str(person)
    assert row[7].startswith(person.email)
    assert row[8] == "Interested"
    assert row[9] == 2
    assert row[10] == dt.datetime(2026, 3, 20)  # a real date, newest contact
    assert row[11].splitlines()[0].startswith("20/03/2026 — Phone — ")
    assert row[11].splitlines()[0].endswith("Visite, partants")
    assert row[12:] == ("Envoyer le cahier des charges", dt.datetime(2026, 5, 4))
    assert len(list(workbook["Équipe- sans-prospection-"].iter_rows())) == 1  # the header only


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    long_name = "Mutualisation des moyens de découpe et de pliage"
    assert sheet_title(long_name, taken) == long_name[:31]
    second = sheet_title(long_name, taken)
    assert len(second) == 31 and second.endswith(" (2)")
    assert sheet_title("a/b:c*d?[e]", taken) == "a-b-c-d--e-"


def test_the_committee_roster_lists_every_representative(teams: TeamWorld) -> None:
    world = teams.world
    first = PersonFactory(organisation=world.partner_org, first_name="Sébastien", last_name="Roux")
    second = PersonFactory(organisation=world.partner_org, first_name="Nina", last_name="Roux")
    teams.seat.people.set([first, second])
    workbook = _workbook(
        teams.client("consultant").get(reverse("www:committee_export", args=[world.programme.slug]))
    )
    assert workbook.sheetnames == ["Committee", "Sub-groups"]
    rows = list(workbook["Committee"].iter_rows(values_only=True))
    assert rows[0][0] == "Structure" and rows[0][8] == "Representative"
    assert [(r[0], r[8], r[10]) for r in rows[1:]] == [
        ("Maintenance Sud", "Nina Roux", second.email),
        ("Maintenance Sud", "Sébastien Roux", first.email),
    ]
    assert rows[1][4] == "Local retrofit of production tools"
    groups = list(workbook["Sub-groups"].iter_rows(values_only=True))
    assert groups[1][0] == teams.subgroup.name and groups[1][2] == teams.team.name
    assert groups[1][4] == "Maintenance Sud"


def _bind_members(teams: TeamWorld) -> None:
    """The SME needs laser cutting that the partner offers: a cooperation between members."""
    NeedFactory(organisation=teams.world.sme_org, kind=ExchangeKind.CAPACITY, category="cutting.laser")
    OfferFactory(
        organisation=teams.world.partner_org,
        kind=ExchangeKind.CAPACITY,
        category="cutting.laser",
        hours_per_year=300,
        description="Découpe laser fibre",
    )
    # A non-member with the same offer must not appear.
    outsider = OrganisationFactory(programme=teams.world.programme, outside=True, name="Hors équipe")
    OfferFactory(organisation=outsider, kind=ExchangeKind.CAPACITY, category="cutting.laser")


def test_the_sheet_lists_the_cooperations_between_members(teams: TeamWorld) -> None:
    _bind_members(teams)
    sheet = build_team_sheet(teams.team)
    assert [m.name for m in sheet.laureates] == ["Provence Usinage"]
    assert [m.name for m in sheet.partners] == ["Maintenance Sud"]
    assert [(c.provider, c.receiver) for c in sheet.cooperations] == [("Maintenance Sud", "Provence Usinage")]
    assert len(sheet.map.points) == 2 and len(sheet.map.links) == 1
    body = teams.client("sme").get(reverse("www:team_sheet", args=[teams.team.pk])).content.decode()
    assert "Functional and cooperative economy" in body
    assert "<svg" in body and body.count("<circle") == 2 and "Hors équipe" not in body


def test_the_sheet_as_docx(teams: TeamWorld) -> None:
    _bind_members(teams)
    response = teams.client("partner").get(reverse("www:team_sheet_docx", args=[teams.team.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Team summary sheet (L1.7)" in text
    assert "Découpe partagée du pays d'Aix" in text
    assert "Theme : Pooling of production means" in text
    assert "Mutualiser la découpe laser entre voisins." in text
    assert "Functional and cooperative economy — " in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Provence Usinage" in cells and "Maintenance Sud" in cells and "Company" in cells
    assert "Pilot" in cells and "Contributor" in cells


def test_the_sheet_as_pdf(teams: TeamWorld) -> None:
    response = teams.client("consultant").get(reverse("www:team_sheet_pdf", args=[teams.team.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) < 200_000  # light: no images, no fonts beyond the defaults


def test_the_latest_analysis_comes_first_on_the_sheet(teams: TeamWorld) -> None:
    from django.apps import apps
    from django.utils import timezone

    try:
        analysis_model = apps.get_model("cooperation", "CooperationAnalysis")
        opportunity_model = apps.get_model("cooperation", "DetectedOpportunity")
    except LookupError:  # pragma: no cover - the cooperation area is optional for this sheet
        return
    analysis = analysis_model.objects.create(programme=teams.world.programme, run_at=timezone.now())
    opportunity_model.objects.create(
        analysis=analysis,
        solution="inhouse_maintenance",
        provider=teams.world.partner_org,
        receiver=teams.world.sme_org,
        distance_km=12,
        score=3.5,
        wording="maintenance_machines",
        wording_params={
            "provider": "Maintenance Sud",
            "receiver": "Provence Usinage",
            "km": 12,
            "count": 1,
            "machine": "Découpeuse laser",
            "farthest_km": 80,
        },
        subject="maintenance:sme",
    )
    _bind_members(teams)
    cooperations = build_team_sheet(teams.team).cooperations
    assert cooperations[0].text == (
        "Maintenance Sud has maintenance skills; the machine “Découpeuse laser” of Provence Usinage is "
        "maintained by a contractor 80 km away; 12 km apart."
    )
    assert len(cooperations) == 2  # the engine's live answer on the laser cutting comes after
