"""Workshop 1 live: rows per company, topics proposed from them, and the synthesis of needs (L1.2)
that exists from the workshop on, before any diagnostic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from docx import Document as read_docx

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.deliverables.generators import GenerationContext, MissingData, areas
from sobrindustrie.diagnostics.synthesis import build_synthesis
from sobrindustrie.meetings.enums import Attendance, MeetingKind, MeetingStatus, TopicStatus
from sobrindustrie.meetings.models import WebinarTopic, WorkshopContribution
from sobrindustrie.meetings.workshop import (
    participants,
    propose_topics,
    save_contribution,
    save_topic,
    workshop_input,
)
from sobrindustrie.organisations.enums import OrganisationKind
from tests.conftest import World
from tests.diagnostics.factories import DiagnosticFactory, OpportunityFactory
from tests.factories import OrganisationFactory
from tests.funding.factories import SchemeFactory
from tests.meetings.factories import MeetingFactory

TODAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _values(**given: object) -> dict[str, object]:
    values: dict[str, object] = {
        "needs": "",
        "offers": "",
        "solutions": [],
        "votes": [],
        "satisfaction": None,
    }
    values.update(given)
    return values


@pytest.fixture
def workshop(world: World) -> object:
    meeting = MeetingFactory(
        programme=world.programme, kind=MeetingKind.WORKSHOP_1, past=True, title="Atelier 1"
    )
    meeting.invitations.create(user=world.users["sme"], attendance=Attendance.PRESENT)
    return meeting


def test_participants_are_the_laureates_with_their_attendance(world: World, workshop: object) -> None:
    rows = participants(workshop)  # type: ignore[arg-type]
    names = [row.organisation.name for row in rows]
    # The partner company is no laureate: it is not a participant of workshop 1.
    assert names == ["Provence Usinage", "Var Plasturgie"]
    assert [row.attendance for row in rows] == [Attendance.PRESENT, Attendance.UNKNOWN]


def test_a_row_is_saved_then_refused_over_a_newer_version(world: World, workshop: object) -> None:
    consultant = world.users["consultant"]
    row = save_contribution(
        workshop,
        world.sme_org,
        _values(needs="Un technicien de maintenance partagé"),
        0,
        consultant,  # type: ignore[arg-type]
    )
    assert row.version == 1 and row.updated_by == consultant
    save_contribution(workshop, world.sme_org, _values(needs="Deuxième version"), 1, consultant)  # type: ignore[arg-type]
    # A tablet that opened the row at version 1 must not erase version 2.
    with pytest.raises(ConcurrentEditError):
        save_contribution(workshop, world.sme_org, _values(needs="Ancienne saisie"), 1, consultant)  # type: ignore[arg-type]
    # Two tablets that both opened an empty row: the second is refused, not merged silently.
    with pytest.raises(ConcurrentEditError):
        save_contribution(workshop, world.sme_org, _values(needs="Autre tablette"), 0, consultant)  # type: ignore[arg-type]
    assert WorkshopContribution.objects.get().needs == "Deuxième version"


def test_topics_are_ranked_by_votes_with_quotes_schemes_and_actors(world: World, workshop: object) -> None:
    consultant = world.users["consultant"]
    SchemeFactory(slug="programme-synergies-durables", title="Synergies durables")
    SchemeFactory(slug="cedre-investissement", title="CEDRE", valid_until=dt.date(2025, 1, 1))  # expired
    OrganisationFactory(
        programme=world.programme,
        kind=OrganisationKind.PARTNER_NETWORK,
        name="Pôle Méca",
        solution_interests=["pooling"],
    )
    save_contribution(
        workshop,  # type: ignore[arg-type]
        world.sme_org,
        _values(
            needs="Partager notre découpe laser", votes=["pooling", "retrofit"], solutions=["usage_change"]
        ),
        0,
        consultant,
    )
    save_contribution(
        workshop,  # type: ignore[arg-type]
        world.other_sme_org,
        _values(offers="Heures de presse disponibles", votes=["retrofit", "pooling"]),
        0,
        consultant,
    )
    proposals = propose_topics(workshop, TODAY)  # type: ignore[arg-type]
    # pooling 3 + 2 = 5, retrofit 2 + 3 = 5 (same companies: the label decides), usage_change 0.
    assert [(p.theme, p.points, p.voters) for p in proposals] == [
        ("retrofit", 5, 2),
        ("pooling", 5, 2),
        ("usage_change", 0, 0),
    ]
    pooling = proposals[1]
    assert pooling.companies == ["Provence Usinage", "Var Plasturgie"]
    assert [q.text for q in pooling.quotes] == [
        "Partager notre découpe laser",
        "Heures de presse disponibles",
    ]
    assert [s.title for s in pooling.schemes] == ["Synergies durables"]
    assert [a.name for a in pooling.actors] == ["Pôle Méca"]
    assert "Synergies durables" in pooling.default_description and "Pôle Méca" in pooling.default_description


def test_validating_a_topic_records_who_and_when(world: World, workshop: object) -> None:
    consultant = world.users["consultant"]
    topic = save_topic(workshop, "pooling", "Mutualiser", "Texte", True, 0, consultant)  # type: ignore[arg-type]
    assert topic.status == TopicStatus.VALIDATED and topic.validated_by == consultant and topic.validated_at
    topic = save_topic(workshop, "pooling", "Mutualiser", "Texte", False, 1, consultant)  # type: ignore[arg-type]
    assert topic.status == TopicStatus.PROPOSED and topic.validated_by is None
    with pytest.raises(ConcurrentEditError):
        save_topic(workshop, "pooling", "Vieux titre", "", True, 1, consultant)  # type: ignore[arg-type]
    assert WebinarTopic.objects.get().title == "Mutualiser"


def _generate(world: World) -> dict[str, bytes]:
    with translation.override("fr"):
        files = areas.needs_synthesis(GenerationContext(programme=world.programme, user=None, now=NOW))
    return {f.format: f.content for f in files}


def _docx_text(content: bytes) -> str:
    document = read_docx(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_l1_2_exists_after_workshop_1_without_any_diagnostic(world: World, workshop: object) -> None:
    consultant = world.users["consultant"]
    with pytest.raises(MissingData):
        _generate(world)
    save_contribution(
        workshop,  # type: ignore[arg-type]
        world.sme_org,
        _values(
            needs="Former un technicien à la maintenance des presses",
            votes=["inhouse_maintenance", "pooling"],
            satisfaction=4,
        ),
        0,
        consultant,
    )
    save_topic(workshop, "pooling", "Mutualiser nos machines", "Retours d'expérience.", True, 0, consultant)  # type: ignore[arg-type]
    text = _docx_text(_generate(world)["docx"])
    assert "Former un technicien à la maintenance des presses" in text
    assert "Mutualiser nos machines" in text and "Retours d'expérience." in text
    # One topic validated: the best proposal completes the two, said to be a proposal.
    assert "Proposition issue de l’atelier" in text
    assert "Satisfaction : 4 / 5" in text.replace("\u202f", " ")
    assert "Quand le rétrofit est pertinent" not in text


def test_diagnostics_enrich_the_workshop_topics_with_their_source(world: World, workshop: object) -> None:
    save_contribution(
        workshop,
        world.sme_org,
        _values(needs="Partager le laser", votes=["pooling"]),
        0,
        world.users["consultant"],  # type: ignore[arg-type]
    )
    diagnostic = DiagnosticFactory(organisation=world.sme_org)
    OpportunityFactory(diagnostic=diagnostic, solution="pooling", title="Partager le laser")
    with translation.override("en"):
        synthesis = build_synthesis(world.programme)
    assert synthesis.workshop is not None and synthesis.diagnosed == 1
    pooling = next(w for w in synthesis.webinars if w.theme == "solution:pooling")
    assert any(
        line.startswith("From workshop 1:") and "Partager le laser" in line for line in pooling.figures
    )
    assert any(line.startswith("From the diagnostics:") for line in pooling.figures)
    assert pooling.is_proposal


def test_a_cancelled_workshop_or_empty_rows_give_no_input(world: World, workshop: object) -> None:
    save_contribution(workshop, world.sme_org, _values(), 0, world.users["consultant"])  # type: ignore[arg-type]
    assert workshop_input(world.programme) is None
    save_contribution(workshop, world.sme_org, _values(needs="Un besoin"), 1, world.users["consultant"])  # type: ignore[arg-type]
    assert workshop_input(world.programme) is not None
    workshop.status = MeetingStatus.CANCELLED  # type: ignore[attr-defined]
    workshop.save()  # type: ignore[attr-defined]
    assert workshop_input(world.programme) is None


def test_the_demo_workshop_1_gives_a_meaningful_l1_2(db: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    from sobrindustrie.programmes.models import Programme

    call_command("load_demo", "--password", "secret-demo-1", stdout=StringIO())
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    found = workshop_input(programme)
    assert found is not None and len(found.contributions) == 13  # two laureates were excused
    topics = found.topics_for_synthesis()
    # Pooling has 24 points, in-house maintenance 23: both validated by the lead consultant.
    assert [t.theme for t in topics if t.is_validated] == ["pooling", "inhouse_maintenance"]
    assert all(t.schemes and t.actors for t in topics)
    with translation.override("fr"):
        synthesis = build_synthesis(programme)
    assert synthesis.diagnosed > 0  # the diagnostics enrich it
    first = synthesis.webinars[0]
    assert first.title == "Mutualiser ses moyens de production entre PME voisines" and not first.is_proposal
    assert any(line.startswith("Atelier 1 :") and "autoclave" in line for line in first.figures)
    assert "Durance Maintenance Industrielle" in " ".join(synthesis.webinars[1].figures)
    assert any(line.startswith("Diagnostics :") for line in first.figures)
