"""Collective workshop 1, live: what each company says in the room, and the webinar topics drawn from it.

During the workshop the consultant types, company by company, its needs and offers (its own words and
the sobriety solutions they touch), the three themes it votes for (first choice first) and its
satisfaction. From these rows:

- each theme (one of the seven sobriety solutions) voted for or touched by a company becomes a webinar
  topic proposal: the companies concerned, what they said (quoted), the schemes of the catalogue that
  serve the theme (`funding.themes`) and the regional actors of the programme interested in it (its
  organisations other than the laureates, such as institutions, schools, funders, networks and
  local providers, whose interests name the theme). A vote
  counts 3 points as first choice, 2 as second, 1 as third; proposals are ranked by points, then by
  the number of companies concerned;
- the consultant edits a proposal's title and description and validates it (`WebinarTopic`, with
  who validated and when);
- the synthesis of needs (L1.2, `diagnostics.synthesis`) reads `workshop_input`: the rows, and the
  topics to print (the validated ones, completed with proposals marked as such up to two).

Writes go through `save_contribution` and `save_topic`, which refuse to overwrite a row someone else
saved since the form was opened (`ConcurrentEditError`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.funding.models import FundingScheme
from sobrindustrie.funding.themes import schemes_for_solution
from sobrindustrie.meetings.enums import Attendance, MeetingKind, MeetingStatus, TopicStatus
from sobrindustrie.meetings.models import Meeting, WebinarTopic, WorkshopContribution
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Organisation

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme

#: Points of a company's first, second and third choice.
VOTE_POINTS = (3, 2, 1)
#: The contract asks at least two webinar topics in L1.2.
MIN_TOPICS = 2
#: Quotes printed per topic (the most committed voters' first): enough to hear the companies,
#: short enough for a page.
MAX_QUOTES = 6


def is_workshop_1(meeting: Meeting) -> bool:
    return meeting.kind == MeetingKind.WORKSHOP_1


# --- The companies in the room ----------------------------------------------------------------------


@dataclass
class CompanyRow:
    """One company on the capture page: its attendance at the workshop and what was typed for it."""

    organisation: Organisation
    attendance: str
    contribution: WorkshopContribution | None

    @property
    def attendance_label(self) -> str:
        return str(Attendance(self.attendance).label)

    @property
    def votes_labels(self) -> list[str]:
        return [solution_label(code) for code in self.contribution.votes] if self.contribution else []


def solution_label(code: str) -> str:
    return str(Solution(code).label) if code in Solution.values else code


def participants(meeting: Meeting) -> list[CompanyRow]:
    """The programme's active laureates and the organisations the meeting names, with their attendance
    (present when any of their invited people was), in the order of their names."""
    organisations = Organisation.objects.for_programme(meeting.programme).active()
    named = set(meeting.organisations.values_list("pk", flat=True))
    companies = list(
        organisations.filter(kind=OrganisationKind.LAUREATE_SME) | organisations.filter(pk__in=named)
    )
    attendance: dict[int, str] = {}
    for organisation_id, status in meeting.invitations.values_list("user__organisation_id", "attendance"):
        if organisation_id is not None and attendance.get(organisation_id) != Attendance.PRESENT:
            attendance[organisation_id] = status
    contributions = {c.organisation_id: c for c in meeting.contributions.all()}
    rows = [
        CompanyRow(o, attendance.get(o.pk, Attendance.UNKNOWN), contributions.get(o.pk))
        for o in sorted(companies, key=lambda o: o.name.casefold())
    ]
    return rows


# --- Writing ----------------------------------------------------------------------------------------


def save_contribution(
    meeting: Meeting, organisation: Organisation, values: dict[str, Any], expected_version: int, user: User
) -> WorkshopContribution:
    """Record what `organisation` said; `expected_version` is the version the form was opened with
    (0 when nothing was typed yet). Refuses, with `ConcurrentEditError`, to overwrite a newer row."""
    contribution = WorkshopContribution.objects.filter(meeting=meeting, organisation=organisation).first()
    if contribution is None:
        if expected_version:
            raise ConcurrentEditError(_("This row was removed meanwhile. Reload the page."))
        contribution = WorkshopContribution(meeting=meeting, organisation=organisation)
    for name in ("needs", "offers", "solutions", "votes", "satisfaction"):
        setattr(contribution, name, values[name])
    contribution.updated_by = user
    if contribution.pk is None:
        try:
            with transaction.atomic():
                contribution.save()
        except IntegrityError as error:
            raise ConcurrentEditError(
                _("Someone else typed this company's row meanwhile. Reload the page to see it.")
            ) from error
        return contribution
    contribution.save_checked(expected_version)
    return contribution


def save_topic(
    meeting: Meeting,
    theme: str,
    title: str,
    description: str,
    validate: bool,
    expected_version: int,
    user: User,
) -> WebinarTopic:
    """Keep the consultant's title and description of a theme's topic; validate it, or put it back
    to a proposal. Same guard as `save_contribution` against overwriting someone else's edit."""
    topic = WebinarTopic.objects.filter(meeting=meeting, theme=theme).first()
    if topic is None:
        if expected_version:
            raise ConcurrentEditError(_("This topic was removed meanwhile. Reload the page."))
        topic = WebinarTopic(meeting=meeting, theme=theme)
    topic.title, topic.description = title, description
    if validate:
        topic.status, topic.validated_by, topic.validated_at = TopicStatus.VALIDATED, user, timezone.now()
    else:
        topic.status, topic.validated_by, topic.validated_at = TopicStatus.PROPOSED, None, None
    if topic.pk is None:
        try:
            with transaction.atomic():
                topic.save()
        except IntegrityError as error:
            raise ConcurrentEditError(
                _("Someone else saved this topic meanwhile. Reload the page to see it.")
            ) from error
        return topic
    topic.save_checked(expected_version)
    return topic


# --- Webinar topics proposed from the rows ------------------------------------------------------------


@dataclass
class Quote:
    company: str
    kind: str  # "needs" or "offers"
    text: str
    #: The points the company gave the theme: the words of its first-choice voters come first.
    points: int = 0

    @property
    def line(self) -> str:
        what = _("needs") if self.kind == "needs" else _("offers")
        return f"{self.company} ({what}) : « {self.text} »"


@dataclass
class TopicProposal:
    """A theme with what supports it, and the consultant's saved topic for it if any."""

    theme: str
    points: int = 0
    voters: int = 0
    companies: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    schemes: list[FundingScheme] = field(default_factory=list)
    actors: list[Organisation] = field(default_factory=list)
    topic: WebinarTopic | None = None

    @property
    def label(self) -> str:
        return solution_label(self.theme)

    @property
    def default_title(self) -> str:
        return str(_("%(theme)s: what the laureates need and how to get there") % {"theme": self.label})

    @property
    def title(self) -> str:
        return self.topic.title if self.topic else self.default_title

    @property
    def default_description(self) -> str:
        """Drawn from the data alone: who asked, which funding, which regional actors."""
        parts = [
            str(
                _("Asked by %(companies)s (%(voters)d votes, %(points)d points).")
                % {"companies": ", ".join(self.companies), "voters": self.voters, "points": self.points}
            )
        ]
        if self.schemes:
            names = ", ".join(s.title for s in self.schemes)
            parts.append(str(_("Funding to present: %(schemes)s.") % {"schemes": names}))
        if self.actors:
            names = ", ".join(a.name for a in self.actors)
            parts.append(str(_("Regional actors to invite: %(actors)s.") % {"actors": names}))
        return " ".join(parts)

    @property
    def description(self) -> str:
        return self.topic.description if self.topic else self.default_description

    @property
    def is_validated(self) -> bool:
        return self.topic is not None and self.topic.is_validated

    def lines(self) -> list[str]:
        """What backs the topic, as the synthesis prints it."""
        lines = [
            str(
                _("Companies concerned (%(count)d): %(companies)s.")
                % {"count": len(self.companies), "companies": ", ".join(self.companies)}
            ),
            *(quote.line for quote in self.quotes[:MAX_QUOTES]),
        ]
        if self.schemes:
            lines.append(
                str(
                    _("Funding schemes: %(schemes)s.") % {"schemes": ", ".join(s.title for s in self.schemes)}
                )
            )
        else:
            lines.append(str(_("Funding schemes: none in force in the catalogue for this theme.")))
        if self.actors:
            lines.append(
                str(_("Regional actors: %(actors)s.") % {"actors": ", ".join(a.name for a in self.actors)})
            )
        else:
            lines.append(str(_("Regional actors: none of the programme's actors named this theme.")))
        return lines


def propose_topics(meeting: Meeting, today: dt.date | None = None) -> list[TopicProposal]:
    """One proposal per theme some company voted for or touched, the most supported first."""
    today = today or timezone.localdate()
    contributions = list(meeting.contributions.select_related("organisation").order_by("organisation__name"))
    proposals: dict[str, TopicProposal] = {}
    for contribution in contributions:
        _add_contribution(proposals, contribution)
    if not proposals:
        return []
    actors = _actors(meeting.programme)
    saved = {t.theme: t for t in meeting.webinar_topics.select_related("validated_by")}
    for theme, proposal in proposals.items():
        proposal.quotes.sort(key=lambda quote: -quote.points)  # stable: companies by name within
        proposal.schemes = schemes_for_solution(theme, today)
        proposal.actors = actors.get(theme, [])
        proposal.topic = saved.get(theme)
    return sorted(proposals.values(), key=lambda p: (-p.points, -len(p.companies), p.label))


def _add_contribution(proposals: dict[str, TopicProposal], contribution: WorkshopContribution) -> None:
    company = contribution.organisation.name
    themes: dict[str, int] = defaultdict(int)
    for rank, code in enumerate(contribution.votes[: len(VOTE_POINTS)]):
        themes[code] += VOTE_POINTS[rank]
    for code in contribution.solutions:
        themes.setdefault(code, 0)
    for code, points in themes.items():
        if code not in Solution.values:
            continue
        proposal = proposals.setdefault(code, TopicProposal(code))
        proposal.points += points
        proposal.voters += 1 if points else 0
        proposal.companies.append(company)
        # Their words go with every theme they touched: the consultant picks the fitting ones.
        if contribution.needs.strip():
            proposal.quotes.append(Quote(company, "needs", contribution.needs.strip(), points))
        if contribution.offers.strip():
            proposal.quotes.append(Quote(company, "offers", contribution.offers.strip(), points))


def _actors(programme: Programme) -> dict[str, list[Organisation]]:
    by_theme: dict[str, list[Organisation]] = defaultdict(list)
    actors = (
        Organisation.objects.for_programme(programme)
        .active()
        .exclude(kind=OrganisationKind.LAUREATE_SME)
        .only("name", "solution_interests")
        .order_by("name")
    )
    for actor in actors:
        for code in actor.solution_interests or []:
            by_theme[code].append(actor)
    return by_theme


# --- What the synthesis of needs (L1.2) reads ----------------------------------------------------------


@dataclass
class WorkshopInput:
    meeting: Meeting
    contributions: list[WorkshopContribution]
    proposals: list[TopicProposal]

    @property
    def satisfaction(self) -> list[int]:
        return [c.satisfaction for c in self.contributions if c.satisfaction is not None]

    @property
    def satisfaction_mean(self) -> float | None:
        marks = self.satisfaction
        return round(sum(marks) / len(marks), 1) if marks else None

    def topics_for_synthesis(self) -> list[TopicProposal]:
        """The validated topics; if fewer than two, completed by the best proposals (which the
        synthesis marks as proposals)."""
        validated = [p for p in self.proposals if p.is_validated]
        others = [p for p in self.proposals if not p.is_validated]
        return validated + others[: max(0, MIN_TOPICS - len(validated))]


def latest_workshop_1(programme: Programme) -> Meeting | None:
    """The programme's last workshop 1 that is not cancelled and where something was typed."""
    return (
        Meeting.objects.filter(programme=programme, kind=MeetingKind.WORKSHOP_1, contributions__isnull=False)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at", "-pk")
        .distinct()
        .first()
    )


def workshop_input(programme: Programme, today: dt.date | None = None) -> WorkshopInput | None:
    meeting = latest_workshop_1(programme)
    if meeting is None:
        return None
    contributions = [
        c
        for c in meeting.contributions.select_related("organisation").order_by("organisation__name")
        if not c.is_empty
    ]
    if not contributions:
        return None
    return WorkshopInput(meeting, contributions, propose_topics(meeting, today))


def labels(codes: Sequence[str]) -> str:
    return ", ".join(solution_label(code) for code in codes)
