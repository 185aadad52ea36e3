"""Deliverables made of meeting minutes: workshops 1 and 2 (L1.1, L1.5), action-plan workshops (L1.8),
follow-up meetings (L2.1) and the restitution events with their webinar (L4.5).

Each is one compilation: a cover heading, a short contents list, then one section per meeting (date,
place and mode, participants, agenda, minutes, decisions taken, satisfaction). Only minutes ADEME has
validated go in; a meeting held whose minutes are not validated yet is listed as such, and when no
meeting at all can go in the deliverable is refused with `MissingData` naming the meetings.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.template import engines
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.deliverables import office
from sobrindustrie.deliverables.catalogue import BY_CODE
from sobrindustrie.deliverables.generators.base import GeneratedFile, GenerationContext, MissingData
from sobrindustrie.meetings.enums import (
    Attendance,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    RegistrationStatus,
)
from sobrindustrie.meetings.exports import _markdown_to_docx
from sobrindustrie.meetings.models import (
    Decision,
    Guest,
    Invitation,
    Meeting,
    Minutes,
    RestitutionEvent,
)
from sobrindustrie.meetings.rendering import render_markdown
from sobrindustrie.meetings.results import QuestionResult, SurveyResults, survey_results
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

# --- What goes in ----------------------------------------------------------------------------------


@dataclass
class QuestionLine:
    """One survey question as the documents print it: a line, a distribution table, the comments."""

    text: str  # the question, its number of answers and its mean
    header: list[str]
    rows: list[list[str]]
    comments: list[str]


def _distribution(result: QuestionResult) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a question's distribution table; none before anyone answers. Across for
    a scale (one column per value, 11 at most) to keep the documents short, down for a choice question
    (its choices are long)."""
    bars = result.distribution
    if not bars or not result.answered:
        return [], []
    if result.question.scale is not None:
        return [_("Answer"), *(bar.label for bar in bars)], [
            [_("Count"), *(str(bar.count) for bar in bars)],
            [_("Share"), *(f"{bar.percent} %" for bar in bars)],
        ]
    return [_("Answer"), _("Count"), _("Share")], [
        [bar.label, str(bar.count), f"{bar.percent} %"] for bar in bars
    ]


def question_lines(results: SurveyResults) -> list[QuestionLine]:
    """Every question of the survey: its answers, mean, distribution and comments."""
    lines = []
    for result in results.questions:
        answered = ngettext("%(counter)s answer", "%(counter)s answers", result.answered) % {
            "counter": result.answered
        }
        text = f"{result.question.text} ({answered})"
        scale = result.question.scale
        if result.mean is not None and scale is not None:
            mean = _("mean %(mean)s") % {"mean": formats.number_format(result.mean)}
            text += f" — {mean} / {scale[1]}"
        lines.append(QuestionLine(text, *_distribution(result), result.comments))
    return lines


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

    # The PDF's Markdown, its headings below the section's own (h4) ones.
    @property
    def agenda_html(self) -> SafeString:
        return render_markdown(self.meeting.agenda, heading_offset=4)

    @property
    def notes_html(self) -> SafeString:
        return render_markdown(self.event_notes, heading_offset=4)

    @property
    def minutes_html(self) -> SafeString:
        return render_markdown(self.minutes.body if self.minutes else "", heading_offset=4)

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
    """L4.5: notes on the restitution events and on the webinar exchanges that follow them.

    The contract's Axis 4 webinar is the synthetic one after the final event; the knowledge-sharing
    webinars of Axis 1 come long before any restitution, so only webinars held from the first
    restitution event on belong here.
    """
    meetings = _meetings(ctx.programme, [MeetingKind.RESTITUTION_EVENT, MeetingKind.WEBINAR])
    events = [m for m in meetings if m.kind == MeetingKind.RESTITUTION_EVENT]
    if not events:
        raise MissingData([_("No restitution event has been held yet.")])
    first = events[0].starts_at
    meetings = [m for m in meetings if m.kind == MeetingKind.RESTITUTION_EVENT or m.starts_at >= first]
    usable, pending = _split(meetings, _("No restitution event has been held yet."))
    groups = [
        Group(heading, sections)
        for heading, sections in (
            (
                _("Restitution events"),
                [_section(m) for m in usable if m.kind == MeetingKind.RESTITUTION_EVENT],
            ),
            (_("Webinars"), [_section(m) for m in usable if m.kind == MeetingKind.WEBINAR]),
        )
        if sections
    ]
    compilation = Compilation(
        "L4.5", str(BY_CODE["L4.5"].title), _("notes restitution events webinars"), groups, pending
    )
    return _files(compilation, ctx)


def _files(compilation: Compilation, ctx: GenerationContext) -> list[GeneratedFile]:
    name = f"{compilation.code}-{slugify(compilation.file_label)}"
    renderers = {"docx": _docx, "pdf": _pdf}
    files = []
    for fmt in BY_CODE[compilation.code].formats:
        content = renderers[fmt](compilation, ctx)
        content = office.finalise(
            content, fmt, title=compilation.title, author=ctx.author, language=ctx.language, when=ctx.now
        )
        files.append(GeneratedFile(f"{name}.{fmt}", content, compilation.title))
    return files


# --- Word ------------------------------------------------------------------------------------------


class _ShiftedHeadings:
    """A document whose headings sit `shift` levels lower, so that the minutes' own Markdown headings
    nest under the section they are written in."""

    def __init__(self, document: Any, shift: int) -> None:
        self.document, self.shift = document, shift

    def add_heading(self, text: str, level: int) -> Any:
        return self.document.add_heading(text, level=min(level + self.shift, 9))

    def add_paragraph(self, *args: Any, **kwargs: Any) -> Any:
        return self.document.add_paragraph(*args, **kwargs)


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return (
        f"{formats.date_format(start, 'l j F Y')}, {formats.time_format(start)} – {formats.time_format(end)}"
    )


def _where(meeting: Meeting) -> str:
    mode = str(meeting.get_mode_display())
    return f"{mode} — {meeting.place}" if meeting.place else mode


def _table(document: Any, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _docx_satisfaction(document: Any, section: Section, level: int, expected: bool) -> None:
    if section.results is None and not expected:
        return
    document.add_heading(_("Participants' satisfaction"), level=level)
    if section.results is None:
        document.add_paragraph(_("No satisfaction survey was run for this meeting."))
        return
    document.add_paragraph(section.response_line)
    for line in section.question_lines:
        document.add_paragraph().add_run(line.text).bold = True
        if line.rows:
            _table(document, line.header, line.rows)
        for comment in line.comments:
            document.add_paragraph(f"« {comment} »", style="List Bullet")


def _docx_section(document: Any, section: Section, level: int, compilation: Compilation) -> None:
    meeting, sub = section.meeting, level + 1
    document.add_heading(meeting.title, level=level)
    document.add_paragraph(f"{_('Date')} : {_when(meeting)}")
    document.add_paragraph(f"{_('Place and mode')} : {_where(meeting)}")
    document.add_heading(_("Participants"), level=sub)
    for status, names in section.participants:
        document.add_paragraph(f"{status} : {', '.join(names)}")
    if section.event is not None:
        document.add_paragraph(_("Registrations confirmed: %(count)s") % {"count": section.registrations})
    elif not section.participants:
        document.add_paragraph(_("Attendance not recorded."))
    if meeting.agenda.strip():
        document.add_heading(_("Agenda"), level=sub)
        _markdown_to_docx(_ShiftedHeadings(document, sub), meeting.agenda)
    if section.event_notes:
        document.add_heading(_("Notes on the event"), level=sub)
        _markdown_to_docx(_ShiftedHeadings(document, sub), section.event_notes)
    minutes = section.minutes
    if minutes is not None:
        document.add_heading(_("Minutes"), level=sub)
        if minutes.validated_at:
            document.add_paragraph(
                _("Validated by ADEME on %(date)s")
                % {"date": formats.date_format(timezone.localdate(minutes.validated_at), "SHORT_DATE_FORMAT")}
            )
        _markdown_to_docx(_ShiftedHeadings(document, sub), minutes.body)
    if section.decision_rows:
        document.add_heading(_("Decisions taken"), level=sub)
        _table(document, _decision_header(), section.decision_rows)
    _docx_satisfaction(document, section, sub, compilation.satisfaction_expected)


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


def _contents(compilation: Compilation) -> list[tuple[int, str]]:
    """The contents list: (depth, text) lines."""
    lines: list[tuple[int, str]] = []
    for group in compilation.groups:
        if group.heading:
            lines.append((0, group.heading))
        lines.extend((1 if group.heading else 0, meeting_label(s.meeting)) for s in group.sections)
    if compilation.pending or compilation.missing:
        lines.append((0, _("Minutes not yet validated")))
    return lines


def _docx(compilation: Compilation, ctx: GenerationContext) -> bytes:
    from docx import Document  # imported here: heavy, and only this export needs it

    document = Document()
    document.add_heading(compilation.title, level=0)
    for line in _cover_lines(compilation, ctx):
        document.add_paragraph(line)
    document.add_heading(_("Contents"), level=1)
    for depth, text in _contents(compilation):
        document.add_paragraph(text, style="List Bullet 2" if depth else "List Bullet")
    for group in compilation.groups:
        if group.heading:
            document.add_heading(group.heading, level=1)
        for section in group.sections:
            _docx_section(document, section, 2 if group.heading else 1, compilation)
    if compilation.pending or compilation.missing:
        document.add_heading(_("Minutes not yet validated"), level=1)
        for meeting in compilation.pending:
            document.add_paragraph(_pending_line(meeting), style="List Bullet")
        for line in compilation.missing:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pending_line(meeting: Meeting) -> str:
    minutes = meeting.minutes_or_none
    state = minutes.get_status_display() if minutes is not None else _("not started")
    return _("%(meeting)s: minutes not yet validated (%(state)s)") % {
        "meeting": meeting_label(meeting),
        "state": state,
    }


# --- PDF -------------------------------------------------------------------------------------------

# Kept here rather than in a template file because this module is the only one that renders it.
_PDF_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ c.title }}</title>
<meta name="author" content="{{ author }}">
<meta name="dcterms.created" content="{{ created }}">
<meta name="dcterms.modified" content="{{ created }}">
<style>
@page { size: A4; margin: 18mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.4; color: #161616; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; border-bottom: 1px solid #161616; margin-top: 18pt; }
h3 { font-size: 11.5pt; margin-top: 14pt; }
h4, h5, h6 { font-size: 10.5pt; margin-bottom: 2pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #999; padding: 3pt 4pt; text-align: left; vertical-align: top; }
.meta { color: #3a3a3a; margin: 0; }
.sub { margin-left: 14pt; }
</style>
</head>
<body>
<h1>{{ c.title }}</h1>
{% for line in cover %}<p class="meta">{{ line }}</p>{% endfor %}
<h2>{% translate "Contents" %}</h2>
<ul>{% for depth, text in contents %}<li{% if depth %} class="sub"{% endif %}>{{ text }}</li>{% endfor %}</ul>
{% for group in c.groups %}
{% if group.heading %}<h2>{{ group.heading }}</h2>{% endif %}
{% for s in group.sections %}
<section>
{% if group.heading %}<h3>{{ s.meeting.title }}</h3>{% else %}<h2>{{ s.meeting.title }}</h2>{% endif %}
<p class="meta">{% translate "Date" %} : {{ s.meeting.starts_at|date:"l j F Y" }},
{{ s.meeting.starts_at|time }} – {{ s.meeting.ends_at|time }}<br>
{% translate "Place and mode" %} : {{ s.meeting.get_mode_display }}{% if s.meeting.place %} — {{ s.meeting.place }}{% endif %}</p>
<h4>{% translate "Participants" %}</h4>
{% for status, names in s.participants %}<p>{{ status }} : {{ names|join:", " }}</p>{% endfor %}
{% if s.event %}<p>{% blocktranslate with count=s.registrations %}Registrations confirmed: {{ count }}{% endblocktranslate %}</p>
{% elif not s.participants %}<p>{% translate "Attendance not recorded." %}</p>{% endif %}
{% if s.meeting.agenda.strip %}<h4>{% translate "Agenda" %}</h4>{{ s.agenda_html }}{% endif %}
{% if s.event_notes %}<h4>{% translate "Notes on the event" %}</h4>{{ s.notes_html }}{% endif %}
{% if s.minutes %}<h4>{% translate "Minutes" %}</h4>
{% if s.minutes.validated_at %}<p class="meta">{% blocktranslate with date=s.minutes.validated_at|date:"SHORT_DATE_FORMAT" %}Validated by ADEME on {{ date }}{% endblocktranslate %}</p>{% endif %}
{{ s.minutes_html }}{% endif %}
{% if s.decision_rows %}<h4>{% translate "Decisions taken" %}</h4>
<table><thead><tr>{% for title in decision_header %}<th scope="col">{{ title }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in s.decision_rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
{% if s.results %}<h4>{% translate "Participants' satisfaction" %}</h4>
<p>{{ s.response_line }}</p>
{% for q in s.question_lines %}<p><strong>{{ q.text }}</strong></p>
{% if q.rows %}<table><thead><tr>{% for title in q.header %}<th scope="col">{{ title }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in q.rows %}<tr>{% for value in row %}{% if forloop.first %}<th scope="row">{{ value }}</th>{% else %}<td>{{ value }}</td>{% endif %}{% endfor %}</tr>{% endfor %}</tbody></table>{% endif %}
{% if q.comments %}<ul>{% for comment in q.comments %}<li>« {{ comment }} »</li>{% endfor %}</ul>{% endif %}
{% endfor %}
{% elif c.satisfaction_expected %}<h4>{% translate "Participants' satisfaction" %}</h4>
<p>{% translate "No satisfaction survey was run for this meeting." %}</p>{% endif %}
</section>
{% endfor %}
{% endfor %}
{% if c.pending or c.missing %}<h2>{% translate "Minutes not yet validated" %}</h2>
<ul>{% for line in pending %}<li>{{ line }}</li>{% endfor %}</ul>
{% for line in c.missing %}<p>{{ line }}</p>{% endfor %}{% endif %}
</body>
</html>
"""


@cache
def _pdf_template() -> Any:
    return engines["django"].from_string(_PDF_TEMPLATE)


def _pdf(compilation: Compilation, ctx: GenerationContext) -> bytes:
    html = _pdf_template().render(
        {
            "c": compilation,
            "lang": ctx.language,
            "author": ctx.author,
            "created": ctx.now.replace(microsecond=0).isoformat(),
            "cover": _cover_lines(compilation, ctx),
            "contents": _contents(compilation),
            "decision_header": _decision_header(),
            "pending": [_pending_line(m) for m in compilation.pending],
        }
    )
    return html_to_pdf(html)
