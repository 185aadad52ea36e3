"""The deliverables made of meeting minutes: L1.1, L1.5, L1.8, L2.1 and L4.5."""

from __future__ import annotations

import ctypes
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from sobrindustrie.deliverables import office
from sobrindustrie.deliverables.generators import GeneratedFile, GenerationContext, MissingData
from sobrindustrie.deliverables.generators import minutes as generators
from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import (
    Attendance,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    MinutesStatus,
    QuestionKind,
    RegistrationStatus,
)
from sobrindustrie.meetings.models import Guest, Meeting, Registration, RestitutionEvent, Survey
from tests.conftest import World
from tests.meetings.factories import DecisionFactory, MeetingFactory, MinutesFactory, local
from tests.teams.factories import TeamFactory

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def french() -> Iterator[None]:
    with translation.override("fr"):
        yield


@pytest.fixture
def ctx(world: World) -> GenerationContext:
    return GenerationContext(programme=world.programme, user=None, now=NOW)


def held(world: World, kind: str, title: str, day: dt.datetime, **fields: Any) -> Meeting:
    fields = {"status": MeetingStatus.HELD, **fields}
    return MeetingFactory(programme=world.programme, kind=kind, title=title, starts_at=day, **fields)  # type: ignore[no-any-return]


def validated(meeting: Meeting, body: str) -> None:
    MinutesFactory(
        meeting=meeting,
        body=body,
        status=MinutesStatus.VALIDATED,
        first_submitted_at=meeting.starts_at + dt.timedelta(days=2),
        validated_at=meeting.starts_at + dt.timedelta(days=4),
    )


def answered_survey(meeting: Meeting, ratings: list[int]) -> Survey:
    """A survey with the standard questions; the first invitees answer the overall rating."""
    survey = services.create_survey(meeting, closes_at=timezone.now() + dt.timedelta(days=5))
    links = services.issue_survey_links(survey)
    overall = survey.questions.get(position=1)
    comments = survey.questions.get(kind=QuestionKind.FREE_TEXT)
    for link, rating in zip(links, ratings, strict=False):
        services.submit_response(link, {overall: rating, comments: f"Très utile, note {rating}"}, None)
    return survey


def docx_text(file: GeneratedFile) -> str:
    assert file.format == "docx"
    docx.Document(io.BytesIO(file.content))  # Word's own reader opens it
    return office.office_text(file.content, "docx")


def pdf_text(file: GeneratedFile) -> str:
    assert file.format == "pdf"
    reader = PdfReader(io.BytesIO(file.content))
    # Lines wrap where the page ends them: compare on words.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def in_order(text: str, lines: list[str]) -> bool:
    """Whether these whole lines appear in this order (the last occurrence of each: the contents list
    repeats the headings first)."""
    found = text.split("\n")
    positions = [len(found) - 1 - found[::-1].index(line) for line in lines]
    return positions == sorted(positions)


def by_format(files: list[GeneratedFile]) -> dict[str, GeneratedFile]:
    return {file.format: file for file in files}


def missing_reasons(generator: Callable[[GenerationContext], list[GeneratedFile]], ctx: Any) -> list[str]:
    with pytest.raises(MissingData) as caught:
        generator(ctx)
    return caught.value.reasons


# --- Workshops 1 and 2 (L1.1, L1.5) ------------------------------------------------------------------

WORKSHOPS = [
    pytest.param(
        generators.workshop_1, "L1.1", MeetingKind.WORKSHOP_1, "No workshop 1 has been held yet.", id="L1.1"
    ),
    pytest.param(
        generators.workshop_2, "L1.5", MeetingKind.WORKSHOP_2, "No workshop 2 has been held yet.", id="L1.5"
    ),
]


@pytest.fixture
def workshop(world: World) -> Meeting:
    """A held workshop 1 with validated minutes, attendance, a guest, a decision and an answered survey."""
    users = world.users
    meeting = held(
        world, MeetingKind.WORKSHOP_1, "Atelier collectif 1", local(2026, 1, 12), agenda="1. Tour de table"
    )
    services.set_invitees(meeting, [users["consultant"], users["sme"], users["other_sme"], users["partner"]])
    meeting.invitations.update(attendance=Attendance.PRESENT)
    meeting.invitations.filter(user=users["partner"]).update(attendance=Attendance.EXCUSED)
    Guest.objects.create(meeting=meeting, name="Léa Roux", organisation_name="CCI Var")
    validated(meeting, "# Besoins communs\n\n- Maintenance des machines à commande numérique")
    DecisionFactory(meeting=meeting, programme=world.programme, number=7, text="Programmer un webinaire")
    answered_survey(meeting, [5, 4])
    return meeting


def test_workshop_1_compiles_the_validated_minutes_with_satisfaction(
    world: World, ctx: GenerationContext, workshop: Meeting
) -> None:
    files = generators.workshop_1(ctx)

    assert [f.name for f in files] == ["L1.1-compte-rendu-atelier-1.docx", "L1.1-compte-rendu-atelier-1.pdf"]
    title = _("Minutes of workshop 1, with the laureates' satisfaction")
    assert all(f.title == title for f in files)
    word, pdf = by_format(files)["docx"], by_format(files)["pdf"]
    assert office.core_properties(word.content)["title"] == title
    assert office.core_properties(word.content)["language"] == "fr"
    text = docx_text(word)
    for expected in (
        "Sobr'Industrie PACA",
        "Atelier collectif 1 (12/01/2026)",  # the contents list
        "lundi 12 janvier 2026",
        "Marseille, Hôtel de Région",
        "Provence Usinage",  # a participant's organisation
        "Léa Roux (CCI Var)",
        "Tour de table",
        "Besoins communs",
        "Maintenance des machines à commande numérique",
        "Programmer un webinaire",
        _("%(responded)s answers out of %(invited)s people asked: a response rate of %(rate)s %%.")
        # The consultant present is staff: not asked (issue 16), so two participants of two answered.
        % {"responded": 2, "invited": 2, "rate": 100},
        "4,5 / 5",  # the mean of the overall rating
        "Très utile, note 5",
    ):
        assert expected in text, expected
    assert str(Attendance.EXCUSED.label) in text
    # The distribution of the overall rating, one cell a line: one 4 and one 5 out of two answers.
    assert "\n".join([_("Answer"), "1", "2", "3", "4", "5", _("Count"), "0", "0", "0", "1", "1"]) in text
    assert "\n".join([_("Share"), "0 %", "0 %", "0 %", "50 %", "50 %"]) in text
    pdf_content = pdf_text(pdf)
    for expected in (
        "Atelier collectif 1",
        "Besoins communs",
        "Programmer un webinaire",
        "Très utile, note 5",
    ):
        assert expected in pdf_content, expected
    assert PdfReader(io.BytesIO(pdf.content)).metadata.title == title


def _harfbuzz_subset_loads() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz-Subset when the system has it; without it (a fresh
    machine, `../shared/tools/fresh-machine-check`) it embeds whole fonts, and the bytes of two
    renderings may then differ."""
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return False
    return True


def test_workshop_files_are_byte_stable(ctx: GenerationContext, workshop: Meeting) -> None:
    first, second = generators.workshop_1(ctx), generators.workshop_1(ctx)

    assert by_format(first)["docx"].content == by_format(second)["docx"].content
    if _harfbuzz_subset_loads():
        assert by_format(first)["pdf"].content == by_format(second)["pdf"].content
    else:
        assert pdf_text(by_format(first)["pdf"]) == pdf_text(by_format(second)["pdf"])


@pytest.mark.parametrize(("generator", "code", "kind", "none_held"), WORKSHOPS)
def test_workshop_without_survey_says_so(
    world: World, ctx: GenerationContext, generator: Any, code: str, kind: str, none_held: str
) -> None:
    meeting = held(world, kind, "Atelier de mars", local(2026, 3, 5))
    validated(meeting, "Les équipes se sont formées.")

    files = generator(ctx)

    assert [f.format for f in files] == ["docx", "pdf"]
    assert all(f.name.startswith(f"{code}-") for f in files)
    text = docx_text(by_format(files)["docx"])
    assert "Les équipes se sont formées." in text
    assert _("No satisfaction survey was run for this meeting.") in text
    assert _("No satisfaction survey was run for this meeting.") in pdf_text(by_format(files)["pdf"])


@pytest.mark.parametrize(("generator", "code", "kind", "none_held"), WORKSHOPS)
def test_workshop_never_held_is_missing(
    world: World, ctx: GenerationContext, generator: Any, code: str, kind: str, none_held: str
) -> None:
    # A planned one, a cancelled one with validated minutes, and another kind's minutes do not count.
    MeetingFactory(programme=world.programme, kind=kind, starts_at=local(2026, 12, 1))
    cancelled = held(world, kind, "Atelier annulé", local(2026, 2, 1), status=MeetingStatus.CANCELLED)
    validated(cancelled, "Texte")
    validated(held(world, MeetingKind.COPIL, "COPIL", local(2026, 2, 2)), "Texte")

    assert missing_reasons(generator, ctx) == [_(none_held)]


def test_workshop_held_without_validated_minutes_is_missing_by_name(
    world: World, ctx: GenerationContext
) -> None:
    first = held(world, MeetingKind.WORKSHOP_1, "Atelier 1", local(2026, 1, 12))
    MinutesFactory(meeting=first, status=MinutesStatus.SUBMITTED)
    held(world, MeetingKind.WORKSHOP_1, "Atelier 1 bis", local(2026, 1, 19))  # minutes not started

    assert missing_reasons(generators.workshop_1, ctx) == [
        _("No minutes are validated for: %(meetings)s")
        % {"meetings": "Atelier 1 (12/01/2026); Atelier 1 bis (19/01/2026)"}
    ]


def test_workshop_lists_held_meetings_whose_minutes_are_awaited(
    world: World, ctx: GenerationContext, workshop: Meeting
) -> None:
    other = held(world, MeetingKind.WORKSHOP_1, "Atelier 1, session du Var", local(2026, 1, 20))
    MinutesFactory(meeting=other, status=MinutesStatus.RETURNED, body="Brouillon à ne pas publier")

    files = by_format(generators.workshop_1(ctx))

    for text in (docx_text(files["docx"]), pdf_text(files["pdf"])):
        assert "Atelier collectif 1" in text
        assert (
            _("%(meeting)s: minutes not yet validated (%(state)s)")
            % {"meeting": "Atelier 1, session du Var (20/01/2026)", "state": MinutesStatus.RETURNED.label}
            in text
        )
        assert "Brouillon à ne pas publier" not in text


# --- Action-plan workshops (L1.8) --------------------------------------------------------------------


def test_action_plan_workshops_are_grouped_by_team(world: World, ctx: GenerationContext) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser partagée")
    retrofit = TeamFactory(programme=world.programme, name="Rétrofit de presses")
    TeamFactory(programme=world.programme, name="Chaleur fatale")
    kind = MeetingKind.ACTION_PLAN_WORKSHOP
    later = held(world, kind, "Plan laser, séance 2", local(2026, 6, 9), teams=[laser])
    validated(later, "Calendrier des actions")
    earlier = held(world, kind, "Plan laser, séance 1", local(2026, 5, 12), teams=[laser])
    validated(earlier, "Choix des actions prioritaires")
    joint = held(world, kind, "Plan commun", local(2026, 5, 20), teams=[laser, retrofit])
    validated(joint, "Coordination entre équipes")
    pending = held(world, kind, "Plan rétrofit", local(2026, 5, 14), teams=[retrofit])
    MinutesFactory(meeting=pending, status=MinutesStatus.DRAFT)

    files = by_format(generators.action_plan_workshops(ctx))

    assert sorted(files) == ["docx", "pdf"]
    text = docx_text(files["docx"])
    assert in_order(
        text,
        [
            "Découpe laser partagée",
            "Plan laser, séance 1",
            "Choix des actions prioritaires",
            "Plan laser, séance 2",
            "Calendrier des actions",
            "Découpe laser partagée, Rétrofit de presses",
            "Plan commun",
            "Coordination entre équipes",
        ],
    )
    assert "Plan rétrofit (14/05/2026)" in text  # listed as awaited
    assert (
        _("Teams without validated minutes of an action-plan workshop: %(teams)s")
        % {"teams": "Chaleur fatale"}
        in text
    )
    pdf_content = pdf_text(files["pdf"])
    assert "Coordination entre équipes" in pdf_content
    assert "Chaleur fatale" in pdf_content
    assert files["docx"].content == by_format(generators.action_plan_workshops(ctx))["docx"].content


def test_collective_action_plan_workshop_covers_every_team(world: World, ctx: GenerationContext) -> None:
    TeamFactory(programme=world.programme, name="Chaleur fatale")
    validated(
        held(world, MeetingKind.ACTION_PLAN_WORKSHOP, "Atelier collectif", local(2026, 5, 4)), "Méthode"
    )

    text = docx_text(by_format(generators.action_plan_workshops(ctx))["docx"])

    assert _("Collective workshops (all teams)") in text
    assert "Méthode" in text
    assert "Chaleur fatale" not in text


def test_action_plan_workshops_missing(world: World, ctx: GenerationContext) -> None:
    assert missing_reasons(generators.action_plan_workshops, ctx) == [
        _("No action-plan workshop has been held yet.")
    ]


# --- Follow-up meetings (L2.1) -----------------------------------------------------------------------


def test_followup_meetings_by_team_then_date(world: World, ctx: GenerationContext) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser partagée")
    TeamFactory(programme=world.programme, name="Rétrofit de presses")
    kind = MeetingKind.TEAM_FOLLOWUP
    for title, day, body in (
        ("Suivi laser de juin", local(2026, 6, 15), "Commande du compresseur"),
        ("Suivi laser de mai", local(2026, 5, 11), "Point sur le devis"),
    ):
        meeting = held(world, kind, title, day, teams=[laser], mode=MeetingMode.REMOTE, place="")
        validated(meeting, body)
    validated(held(world, kind, "Suivi sans équipe", local(2026, 4, 2)), "Réunion de cadrage")

    files = generators.followup_meetings(ctx)

    assert [f.name for f in files] == ["L2.1-comptes-rendus-reunions-de-suivi.docx"]
    text = docx_text(files[0])
    assert in_order(
        text,
        [
            _("Meetings not linked to a team"),
            "Réunion de cadrage",
            "Découpe laser partagée",
            "Suivi laser de mai",
            "Point sur le devis",
            "Suivi laser de juin",
            "Commande du compresseur",
        ],
    )
    assert str(MeetingMode.REMOTE.label) in text
    assert (
        _("Teams without validated minutes of a follow-up meeting: %(teams)s")
        % {"teams": "Rétrofit de presses"}
        in text
    )
    assert files[0].content == generators.followup_meetings(ctx)[0].content


def test_followup_meetings_queries_do_not_grow_with_meetings(world: World, ctx: GenerationContext) -> None:
    team = TeamFactory(programme=world.programme)

    def add_meetings(count: int) -> None:
        for _index in range(count):
            meeting = held(world, MeetingKind.TEAM_FOLLOWUP, "Suivi", local(2026, 5, 11), teams=[team])
            services.set_invitees(meeting, [world.users["sme"], world.users["consultant"]])
            validated(meeting, "Avancement")
            DecisionFactory(meeting=meeting, programme=world.programme)

    add_meetings(2)
    with CaptureQueriesContext(connection) as few:
        generators.followup_meetings(ctx)
    add_meetings(4)
    with CaptureQueriesContext(connection) as many:
        generators.followup_meetings(ctx)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_followup_meetings_missing(world: World, ctx: GenerationContext) -> None:
    draft = held(world, MeetingKind.TEAM_FOLLOWUP, "Suivi laser", local(2026, 5, 11))
    MinutesFactory(meeting=draft, status=MinutesStatus.DRAFT)

    assert missing_reasons(generators.followup_meetings, ctx) == [
        _("No minutes are validated for: %(meetings)s") % {"meetings": "Suivi laser (11/05/2026)"}
    ]


# --- Restitution events and webinars (L4.5) ----------------------------------------------------------


def test_restitution_notes_cover_events_and_every_webinar_held(world: World, ctx: GenerationContext) -> None:
    validated(held(world, MeetingKind.WEBINAR, "Webinaire mutualisation", local(2026, 1, 22)), "Axe 1")
    event_meeting = held(
        world, MeetingKind.RESTITUTION_EVENT, "Restitution intermédiaire", local(2026, 10, 8)
    )
    event = RestitutionEvent.objects.create(
        meeting=event_meeting, notes="# Enseignements\n\n- Les équipes ont présenté leurs résultats"
    )
    for index, status in enumerate([RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, "cancelled"]):
        Registration.objects.create(
            event=event, name=f"Invité {index}", email=f"i{index}@test.example", status=status
        )
    webinar = held(world, MeetingKind.WEBINAR, "Webinaire de synthèse", local(2026, 10, 20))
    validated(webinar, "Questions sur le rétrofit")
    answered_survey(webinar, [])

    files = generators.restitution_notes(ctx)

    assert [f.name for f in files] == ["L4.5-notes-evenements-restitution-webinaires.docx"]
    text = docx_text(files[0])
    for expected in (
        _("Restitution events"),
        "Les équipes ont présenté leurs résultats",
        _("Registrations confirmed: %(count)s") % {"count": 2},
        _("Webinars"),
        "Questions sur le rétrofit",
        _("Nobody has been asked yet."),
    ):
        assert expected in text, expected
    assert text.index("Les équipes ont présenté") < text.index("Questions sur le rétrofit")
    assert "Webinaire mutualisation" in text  # the knowledge-sharing webinars' exchanges too
    assert files[0].content == generators.restitution_notes(ctx)[0].content


def test_restitution_notes_missing(world: World, ctx: GenerationContext) -> None:
    assert missing_reasons(generators.restitution_notes, ctx) == [
        _("No restitution event nor webinar has been held yet.")
    ]
    planned = held(world, MeetingKind.WEBINAR, "Webinaire à venir", local(2027, 1, 22))
    planned.status = MeetingStatus.PLANNED
    planned.save()
    event_meeting = held(world, MeetingKind.RESTITUTION_EVENT, "Restitution", local(2026, 10, 8))
    RestitutionEvent.objects.create(meeting=event_meeting)
    assert missing_reasons(generators.restitution_notes, ctx) == [
        _("No minutes are validated for: %(meetings)s") % {"meetings": "Restitution (08/10/2026)"}
    ]
    # A webinar held, even without minutes, is an exchange L4.5 reports on (participants, agenda).
    held(world, MeetingKind.WEBINAR, "Webinaire mutualisation", local(2026, 1, 22))
    text = docx_text(generators.restitution_notes(ctx)[0])
    assert "Webinaire mutualisation" in text and "Webinaire à venir" not in text
    assert (
        _("%(meeting)s: minutes not yet validated (%(state)s)")
        % {
            "meeting": "Restitution (08/10/2026)",
            "state": _("not started"),
        }
        in text
    )
