"""Deliverables made of meeting minutes: workshops 1 and 2 (L1.1, L1.5), action-plan workshops (L1.8),
follow-up meetings (L2.1) and the restitution events with their webinar (L4.5).

Each is one compilation: a cover heading, a short contents list, then one section per meeting (date,
place and mode, participants, agenda, minutes, decisions taken, satisfaction). Only minutes ADEME has
validated go in; a meeting held whose minutes are not validated yet is listed as such, and when no
meeting at all can go in the deliverable is refused with `MissingData` naming the meetings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sobrindustrie.deliverables import office
from sobrindustrie.deliverables.catalogue import BY_CODE
from sobrindustrie.deliverables.document import Document
from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_pdf
from sobrindustrie.deliverables.generators.base import GeneratedFile, GenerationContext, MissingData
from sobrindustrie.meetings.enums import (
    Attendance,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    RegistrationStatus,
)
from sobrindustrie.meetings.models import (
    Decision,
    Guest,
    Invitation,
    Meeting,
    Minutes,
    RestitutionEvent,
)
from sobrindustrie.meetings.results import QuestionLine, SurveyResults, question_lines, survey_results
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

# --- What goes in ----------------------------------------------------------------------------------


@dataclass
class Section:
    """One meeting of the compilation, with what its page shows."""

    meeting: Meeting
    results: SurveyResults | None
    event: RestitutionEvent | None = None
    registrations: int = 0  # confirmed registrations to a restitution event

    @property
    def minutes(self) -> Minutes | None:
        minutes = self.meeting.minutes_or_none
        return minutes if minutes is not None and minutes.status == MinutesStatus.VALIDATED else None

    @property
    def event_notes(self) -> str:
        return self.event.notes.strip() if self.event is not None else ""

    @property
    def participants(self) -> list[tuple[str, list[str]]]:
        """People by attendance (present first), invitees and guests alike; empty groups left out."""
        names: dict[str, list[str]] = {value: [] for value in Attendance.values}
        invitation: Invitation
        for invitation in self.meeting.invitations.all():
            user = invitation.user
            organisation = user.organisation.name if user.organisation_id else ""
            names[invitation.attendance].append(f"{user} ({organisation})" if organisation else str(user))
        guest: Guest
        for guest in self.meeting.guests.all():
            names[guest.attendance].append(str(guest))
        order = (Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT, Attendance.UNKNOWN)
        return [(str(status.label), names[status]) for status in order if names[status]]

    @property
    def participants_pairs(self) -> list[tuple[str, str]]:
        return [(status, ", ".join(names)) for status, names in self.participants]

    @property
    def response_line(self) -> str:
        results = self.results
        if results is None or results.response_rate is None:
            return _("Nobody has been asked yet.")
        return _("%(responded)s answers out of %(invited)s people asked: a response rate of %(rate)s %%.") % {
            "responded": results.responded,
            "invited": results.invited,
            "rate": results.response_rate,
        }

    @property
    def question_lines(self) -> list[QuestionLine]:
        return question_lines(self.results) if self.results is not None else []

    @property
    def decision_rows(self) -> list[list[str]]:
        return [
            [
                str(decision.number),
                f"{decision.get_kind_display()} : {decision.text}",
                decision.owner_display,
                formats.date_format(decision.due_on, "SHORT_DATE_FORMAT") if decision.due_on else "",
                str(decision.get_status_display()),
            ]
            for decision in self.meeting.decisions.all()
        ]


@dataclass
class Group:
    heading: str  # empty when the deliverable is not grouped
    sections: list[Section]


@dataclass
class Compilation:
    code: str
    title: str
    file_label: str  # what the file name says after the code
    groups: list[Group]
    pending: list[Meeting]  # held, but minutes not validated yet
    missing: list[str] = field(default_factory=list)  # further gaps to state in the document
    satisfaction_expected: bool = False  # say so when a meeting has no survey


def _meetings(programme: Programme, kinds: Iterable[str]) -> list[Meeting]:
    """The programme's meetings of these kinds, cancelled ones aside, with everything a section shows."""
    return list(
        Meeting.objects.for_programme(programme)
        .filter(kind__in=list(kinds))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("minutes", "survey", "event")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("user__organisation").order_by(
                    "user__last_name", "user__first_name", "pk"
                ),
            ),
            Prefetch("guests", queryset=Guest.objects.order_by("name", "pk")),
            Prefetch("decisions", queryset=Decision.objects.select_related("owner").order_by("number")),
            Prefetch("teams", queryset=ProjectTeam.objects.only("pk").order_by("pk")),
        )
        .order_by("starts_at", "pk")
    )


def _event(meeting: Meeting) -> RestitutionEvent | None:
    try:
        return meeting.event  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def _section(meeting: Meeting) -> Section:
    survey = meeting.survey_or_none
    event = _event(meeting)
    registrations = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() if event is not None else 0
    )
    return Section(meeting, survey_results(survey) if survey is not None else None, event, registrations)


def _usable(meeting: Meeting) -> bool:
    """Validated minutes, or for a restitution event its notes (the field written for L4.5)."""
    minutes = meeting.minutes_or_none
    if minutes is not None and minutes.status == MinutesStatus.VALIDATED:
        return True
    event = _event(meeting)
    return event is not None and bool(event.notes.strip())


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} ({formats.date_format(meeting.starts_on, 'SHORT_DATE_FORMAT')})"


def _split(meetings: Sequence[Meeting], none_held: str) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings that go in, and meetings held whose minutes are awaited; MissingData if none goes in."""
    usable = [m for m in meetings if _usable(m)]
    pending = [m for m in meetings if m.status == MeetingStatus.HELD and not _usable(m)]
    if usable:
        return usable, pending
    if pending:
        raise MissingData(
            [
                _("No minutes are validated for: %(meetings)s")
                % {"meetings": "; ".join(meeting_label(m) for m in pending)}
            ]
        )
    raise MissingData([none_held])


def _team_groups(
    programme: Programme,
    meetings: list[Meeting],
    *,
    unassigned: str,
    unassigned_covers_all: bool,
    missing: str,
) -> tuple[list[Group], list[str]]:
    """Meetings grouped by the teams they concern (team-less ones first), and a line naming the teams
    that no meeting covers. A meeting concerning several teams is shown once, under all their names."""
    teams = {t.pk: t.name for t in ProjectTeam.objects.for_programme(programme).order_by("name", "pk")}
    by_key: dict[tuple[str, ...], list[Section]] = {}
    for meeting in meetings:
        key = tuple(sorted({teams[t.pk] for t in meeting.teams.all() if t.pk in teams}))
        by_key.setdefault(key, []).append(_section(meeting))
    groups = [Group(", ".join(key) or unassigned, by_key[key]) for key in sorted(by_key)]
    covered = {name for key in by_key for name in key}
    if unassigned_covers_all and () in by_key:
        covered = set(teams.values())
    uncovered = [name for name in teams.values() if name not in covered]
    return groups, ([missing % {"teams": ", ".join(uncovered)}] if uncovered else [])


# --- The generators --------------------------------------------------------------------------------


def _workshop(
    ctx: GenerationContext, code: str, kind: str, none_held: str, label: str
) -> list[GeneratedFile]:
    usable, pending = _split(_meetings(ctx.programme, [kind]), none_held)
    compilation = Compilation(
        code,
        str(BY_CODE[code].title),
        label,
        [Group("", [_section(m) for m in usable])],
        pending,
        satisfaction_expected=True,
    )
    return _files(compilation, ctx)


def workshop_1(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.1: the minutes of workshop 1 (common issues and needs) with the laureates' satisfaction."""
    return _workshop(
        ctx, "L1.1", MeetingKind.WORKSHOP_1, _("No workshop 1 has been held yet."), _("minutes workshop 1")
    )


def workshop_2(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.5: the minutes of workshop 2 (forming the project teams) with the laureates' satisfaction."""
    return _workshop(
        ctx, "L1.5", MeetingKind.WORKSHOP_2, _("No workshop 2 has been held yet."), _("minutes workshop 2")
    )


def action_plan_workshops(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.8: the minutes of the action-plan workshops, by project team (collective workshops first)."""
    usable, pending = _split(
        _meetings(ctx.programme, [MeetingKind.ACTION_PLAN_WORKSHOP]),
        _("No action-plan workshop has been held yet."),
    )
    groups, missing = _team_groups(
        ctx.programme,
        usable,
        unassigned=_("Collective workshops (all teams)"),
        unassigned_covers_all=True,
        missing=_("Teams without validated minutes of an action-plan workshop: %(teams)s"),
    )
    compilation = Compilation(
        "L1.8", str(BY_CODE["L1.8"].title), _("minutes action-plan workshops"), groups, pending, missing
    )
    return _files(compilation, ctx)


def followup_meetings(ctx: GenerationContext) -> list[GeneratedFile]:
    """L2.1: the minutes of the project teams' follow-up meetings, by team then date."""
    usable, pending = _split(
        _meetings(ctx.programme, [MeetingKind.TEAM_FOLLOWUP]), _("No follow-up meeting has been held yet.")
    )
    groups, missing = _team_groups(
        ctx.programme,
        usable,
        unassigned=_("Meetings not linked to a team"),
        unassigned_covers_all=False,
        missing=_("Teams without validated minutes of a follow-up meeting: %(teams)s"),
    )
    compilation = Compilation(
        "L2.1", str(BY_CODE["L2.1"].title), _("minutes follow-up meetings"), groups, pending, missing
    )
    return _files(compilation, ctx)


def restitution_notes(ctx: GenerationContext) -> list[GeneratedFile]:
    """L4.5: notes on the restitution events and on the webinars' exchanges.

    A restitution event goes in with its notes (or validated minutes). A webinar goes in once held:
    its participants, agenda and satisfaction survey are the record of the exchange, with its minutes
    when some were validated. Nothing held at all: `MissingData`.
    """
    meetings = _meetings(ctx.programme, [MeetingKind.RESTITUTION_EVENT, MeetingKind.WEBINAR])
    webinars = [
        m
        for m in meetings
        if m.kind == MeetingKind.WEBINAR and (m.status == MeetingStatus.HELD or _usable(m))
    ]
    held_events = [
        m
        for m in meetings
        if m.kind == MeetingKind.RESTITUTION_EVENT and (m.status == MeetingStatus.HELD or _usable(m))
    ]
    events = [m for m in held_events if _usable(m)]
    pending = [m for m in held_events if not _usable(m)]
    if not events and not webinars:
        if pending:
            _split(pending, "")  # raises, naming the events whose notes are awaited
        raise MissingData([_("No restitution event nor webinar has been held yet.")])
    groups = [
        Group(heading, sections)
        for heading, sections in (
            (_("Restitution events"), [_section(m) for m in events]),
            (_("Webinars"), [_section(m) for m in webinars]),
        )
        if sections
    ]
    compilation = Compilation(
        "L4.5", str(BY_CODE["L4.5"].title), _("notes restitution events webinars"), groups, pending
    )
    return _files(compilation, ctx)


def _files(compilation: Compilation, ctx: GenerationContext) -> list[GeneratedFile]:
    name = f"{compilation.code}-{slugify(compilation.file_label)}"
    document = compilation_document(compilation, ctx)
    renderers = {"docx": render_docx, "pdf": render_pdf}
    files = []
    for fmt in BY_CODE[compilation.code].formats:
        content = renderers[fmt](document)
        content = office.finalise(
            content, fmt, title=compilation.title, author=ctx.author, language=ctx.language, when=ctx.now
        )
        files.append(GeneratedFile(f"{name}.{fmt}", content, compilation.title))
    return files


# --- The document ---------------------------------------------------------------------------------


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return (
        f"{formats.date_format(start, 'l j F Y')}, {formats.time_format(start)} – {formats.time_format(end)}"
    )


def _where(meeting: Meeting) -> str:
    mode = str(meeting.get_mode_display())
    return f"{mode} — {meeting.place}" if meeting.place else mode


def _satisfaction(document: Document, section: Section, level: int, expected: bool) -> None:
    if section.results is None and not expected:
        return
    document.heading(_("Participants' satisfaction"), level=level)
    if section.results is None:
        document.paragraph(_("No satisfaction survey was run for this meeting."))
        return
    document.paragraph(section.response_line)
    for line in section.question_lines:
        document.paragraph(line.text, "strong")
        if line.rows:
            document.table(line.header, line.rows, row_headers=True)
        document.bullets(f"« {comment} »" for comment in line.comments)


def _write_section(document: Document, section: Section, level: int, compilation: Compilation) -> None:
    meeting, sub = section.meeting, level + 1
    document.heading(meeting.title, level=level)
    document.definitions([(_("Date"), _when(meeting)), (_("Place and mode"), _where(meeting))])
    document.heading(_("Participants"), level=sub)
    document.definitions(section.participants_pairs)
    if section.event is not None:
        document.paragraph(_("Registrations confirmed: %(count)s") % {"count": section.registrations})
    elif not section.participants:
        document.paragraph(_("Attendance not recorded."))
    if meeting.agenda.strip():
        document.heading(_("Agenda"), level=sub)
        document.markdown(meeting.agenda, level=sub + 1)
    if section.event_notes:
        document.heading(_("Notes on the event"), level=sub)
        document.markdown(section.event_notes, level=sub + 1)
    minutes = section.minutes
    if minutes is not None:
        document.heading(_("Minutes"), level=sub)
        if minutes.validated_at:
            document.paragraph(
                _("Validated by ADEME on %(date)s")
                % {
                    "date": formats.date_format(timezone.localdate(minutes.validated_at), "SHORT_DATE_FORMAT")
                },
                "small",
            )
        document.markdown(minutes.body, level=sub + 1)
    if section.decision_rows:
        document.heading(_("Decisions taken"), level=sub)
        document.table(_decision_header(), section.decision_rows)
    _satisfaction(document, section, sub, compilation.satisfaction_expected)


def _decision_header() -> list[str]:
    return [_("No."), _("Decision or action"), _("Owner"), _("Due on"), _("Status")]


def _cover_lines(compilation: Compilation, ctx: GenerationContext) -> list[str]:
    return [
        ctx.programme.name,
        _("Deliverable %(code)s — compiled on %(date)s")
        % {
            "code": compilation.code,
            "date": formats.date_format(timezone.localdate(ctx.now), "j F Y"),
        },
    ]


def _contents(document: Document, compilation: Compilation) -> None:
    """The contents: the meetings (under their group's name when grouped), then what is missing."""
    document.heading(_("Contents"))
    for group in compilation.groups:
        if group.heading:
            document.paragraph(group.heading, "strong")
        document.bullets(meeting_label(s.meeting) for s in group.sections)
    if compilation.pending or compilation.missing:
        document.bullets([_("Minutes not yet validated")])


def compilation_document(compilation: Compilation, ctx: GenerationContext) -> Document:
    """The compilation as one document model, rendered to DOCX and PDF alike."""
    document = Document(compilation.title, author=ctx.author, created=ctx.now)
    for line in _cover_lines(compilation, ctx):
        document.paragraph(line, "subtitle")
    _contents(document, compilation)
    for group in compilation.groups:
        if group.heading:
            document.heading(group.heading)
        for section in group.sections:
            _write_section(document, section, 2 if group.heading else 1, compilation)
    if compilation.pending or compilation.missing:
        document.heading(_("Minutes not yet validated"))
        document.bullets(_pending_line(meeting) for meeting in compilation.pending)
        for line in compilation.missing:
            document.paragraph(line)
    return document


def _pending_line(meeting: Meeting) -> str:
    minutes = meeting.minutes_or_none
    state = minutes.get_status_display() if minutes is not None else _("not started")
    return _("%(meeting)s: minutes not yet validated (%(state)s)") % {
        "meeting": meeting_label(meeting),
        "state": state,
    }
