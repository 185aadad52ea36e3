"""Generators of the deliverables that the area apps already produce (L1.2 to L4.2).

Each one wraps its area's builders and renderings, so a deliverable says what the area's page and
downloads say, with three differences: it covers the whole programme (it goes to ADEME, nothing is
filtered per reader), the dates it prints are the build's (`ctx.now`), and its files carry the
build's metadata (`office.finalise` for office files; PDFs take the build's author, date and
language from the document model they are rendered from). Each area builds a document model
(`deliverables.document`) once; `_pair` renders its DOCX and its PDF.

Where only part of a deliverable exists, the files say what is missing: a section at the end of a
synthesis, a summary sheet in a workbook, or a short "sommaire" document beside per-company or
per-team sheets (L1.3, L1.9) listing those without a sheet yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook

from sobrindustrie.actionplans.exports import progress_rows, write_table
from sobrindustrie.actionplans.exports import sheet_document as plan_sheet_document
from sobrindustrie.actionplans.models import ActionPlan
from sobrindustrie.actionplans.progress import overview_teams, programme_overview, team_progress
from sobrindustrie.actionplans.snapshot import present, sheet_snapshot
from sobrindustrie.cooperation import synthesis as cooperation
from sobrindustrie.core.spreadsheets import workbook_bytes
from sobrindustrie.deliverables.document import Document
from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_pdf
from sobrindustrie.deliverables.generators.base import GeneratedFile, GenerationContext, MissingData
from sobrindustrie.deliverables.office import finalise
from sobrindustrie.diagnostics import synthesis as needs
from sobrindustrie.diagnostics.enums import DiagnosticStatus
from sobrindustrie.diagnostics.models import Diagnostic
from sobrindustrie.diagnostics.sheets import build_sheet, sheet_document
from sobrindustrie.evaluation import synthesis as evaluation
from sobrindustrie.evaluation.models import Evaluation
from sobrindustrie.funding import exports as funding_exports
from sobrindustrie.funding import synthesis as funding
from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.meetings.enums import MeetingStatus
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.teams.exports import contact_grid_xlsx, sheet_title
from sobrindustrie.teams.models import ProjectTeam, Prospect
from sobrindustrie.teams.sheets import build_team_sheet, team_sheet_document

#: A diagnostic is finished once its company has accepted the sheet (ADEME may validate it later).
FINISHED_DIAGNOSTICS = (DiagnosticStatus.ACCEPTED, DiagnosticStatus.VALIDATED)


# --- Shared finishing -----------------------------------------------------------------------------


def _today(ctx: GenerationContext) -> date:
    return timezone.localdate(ctx.now)


def _file(ctx: GenerationContext, name: str, content: bytes, title: str) -> GeneratedFile:
    fmt = name.rsplit(".", 1)[-1]
    finished = finalise(content, fmt, title=title, author=ctx.author, language=ctx.language, when=ctx.now)
    return GeneratedFile(name=name, content=finished, title=title)


def _pair(ctx: GenerationContext, base: str, document: Document, title: str = "") -> list[GeneratedFile]:
    """The DOCX and the PDF of one document model, named `base`.docx and `base`.pdf."""
    document.created = ctx.now
    title = str(title or document.title)
    return [
        _file(ctx, f"{base}.docx", render_docx(document), title),
        _file(ctx, f"{base}.pdf", render_pdf(document), title),
    ]


def _unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when two companies or teams slugify alike."""
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def _pending_docx(
    ctx: GenerationContext,
    name: str,
    title: str,
    intro: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> GeneratedFile:
    """The short document that lists the companies or teams without a sheet yet."""
    document = Document(str(title), author=ctx.author, created=ctx.now)
    document.paragraph(intro)
    document.table(header, rows)
    return _file(ctx, name, render_docx(document), title)


def _teams(ctx: GenerationContext) -> list[ProjectTeam]:
    teams = list(
        ProjectTeam.objects.for_programme(ctx.programme).select_related("programme").order_by("name", "pk")
    )
    if not teams:
        raise MissingData([_("No project team has been formed yet.")])
    return teams


# --- Axis 1 ---------------------------------------------------------------------------------------


def needs_synthesis(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.2: the needs and issues from workshop 1, enriched by the diagnostics as they progress, with
    at least two webinar topics."""
    synthesis = needs.build_synthesis(ctx.programme)
    if not synthesis.diagnosed and synthesis.workshop is None:
        raise MissingData(
            [
                _(
                    "Nothing was typed at workshop 1 and no diagnostic is under way or completed yet: "
                    "there are no needs to synthesise."
                )
            ]
        )
    if len(synthesis.webinars) < needs.MIN_WEBINARS:
        raise MissingData(
            [
                ngettext(
                    "Only %(count)d webinar topic can be proposed from workshop 1 and the diagnostics; at least %(minimum)d are required.",
                    "Only %(count)d webinar topics can be proposed from workshop 1 and the diagnostics; at least %(minimum)d are required.",
                    len(synthesis.webinars),
                )
                % {"count": len(synthesis.webinars), "minimum": needs.MIN_WEBINARS}
            ]
        )
    return _pair(ctx, "L1.2-synthese-besoins-enjeux", needs.synthesis_document(synthesis, ctx.author))


def diagnostic_sheets(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.3: the summary sheet of every company whose diagnostic is finished (accepted or validated).

    Companies without one are listed in a short "L1.3-sommaire" document, produced only while some
    are missing: the registry and the pack then show at a glance that the deliverable is partial.
    """
    diagnostics = list(
        Diagnostic.objects.for_programme(ctx.programme)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    finished = [d for d in diagnostics if d.status in FINISHED_DIAGNOSTICS]
    if not finished:
        raise MissingData([_("No diagnostic has been accepted by its company or validated by ADEME yet.")])
    files: list[GeneratedFile] = []
    taken: set[str] = set()
    for diagnostic in finished:
        sheet = build_sheet(diagnostic)
        sheet.generated_at = ctx.now
        organisation = diagnostic.organisation
        base = _unique(f"L1.3-fiche-{slugify(organisation.name) or organisation.pk}", taken)
        files.extend(_pair(ctx, base, sheet_document(sheet, ctx.author)))
    done = {d.organisation_id for d in finished}
    statuses = {d.organisation_id: d.get_status_display() for d in diagnostics}
    laureates = list(
        Organisation.objects.for_programme(ctx.programme).laureates().active().order_by("name", "pk")
    )
    pending = [o for o in laureates if o.pk not in done]
    if pending:
        files.append(
            _pending_docx(
                ctx,
                "L1.3-sommaire.docx",
                _("Summary sheets of the SMEs: companies without a sheet yet"),
                _(
                    "%(done)d of %(total)d laureate companies have a finished diagnostic (accepted by the "
                    "company or validated by ADEME); their sheets are in this deliverable. These companies "
                    "do not have one yet:"
                )
                % {"done": len(laureates) - len(pending), "total": len(laureates)},
                [_("Company"), _("Diagnostic")],
                [[o.name, str(statuses.get(o.pk, _("not planned yet")))] for o in pending],
            )
        )
    return files


def cooperation_synthesis(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.4: the collaborations envisaged after the diagnostics, from the latest analysis."""
    synthesis = cooperation.build_synthesis(ctx.programme)
    if synthesis is None:
        raise MissingData([_("No cooperation analysis has been run yet.")])
    synthesis.generated_on = _today(ctx)
    return _pair(ctx, "L1.4-collaborations", cooperation.synthesis_document(synthesis, ctx.author))


def contact_grid(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.6: the contact-tracking grid, a summary then one sheet per team."""
    teams = _teams(ctx)
    prospects = list(Prospect.objects.for_programme(ctx.programme).for_contact_grid())
    if not prospects:
        raise MissingData([_("No outside structure has been approached for any team yet.")])
    content = contact_grid_xlsx(ctx.programme, teams, prospects, exported_on=_today(ctx))
    title = _("Contact-tracking grid (L1.6) — %(programme)s") % {"programme": ctx.programme.name}
    return [_file(ctx, "L1.6-grille-suivi-contacts.xlsx", content, title)]


def team_sheets(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.7: the summary sheet of each project team."""
    files: list[GeneratedFile] = []
    taken: set[str] = set()
    for team in _teams(ctx):
        sheet = build_team_sheet(team)
        sheet.generated_on = _today(ctx)
        title = _("Team summary sheet — %s") % team.name
        base = _unique(f"L1.7-fiche-equipe-{slugify(team.name) or team.pk}", taken)
        files.extend(_pair(ctx, base, team_sheet_document(sheet, ctx.author), title))
    return files


def action_plan_sheets(ctx: GenerationContext) -> list[GeneratedFile]:
    """L1.9: each team's plan sheet, of its latest adopted version, else of its working draft.

    A draft without any action is no plan yet; teams without a plan are listed in "L1.9-sommaire".
    """
    teams = _teams(ctx)
    plans = {
        plan.team_id: plan
        for plan in ActionPlan.objects.for_programme(ctx.programme).select_related(
            "team", "coordinating_organisation", "coordinator"
        )
    }
    files: list[GeneratedFile] = []
    pending: list[list[str]] = []
    taken: set[str] = set()
    for team in teams:
        plan = plans.get(team.pk)
        if plan is None:
            pending.append([team.name, _("no action plan yet")])
            continue
        version, snapshot = sheet_snapshot(plan, taken_at=ctx.now)
        if version is None and not snapshot["actions"]:
            pending.append([team.name, _("the plan has no action yet")])
            continue
        sheet = present(snapshot)
        base = _unique(f"L1.9-plan-actions-{slugify(team.name) or team.pk}", taken)
        files.extend(_pair(ctx, base, plan_sheet_document(sheet, version, ctx.author)))
    if not files:
        raise MissingData(
            [_("%(team)s: %(reason)s.") % {"team": name, "reason": reason} for name, reason in pending]
        )
    if pending:
        files.append(
            _pending_docx(
                ctx,
                "L1.9-sommaire.docx",
                _("Plan sheets of the teams: teams without a sheet yet"),
                _(
                    "%(done)d of %(total)d project teams have a plan sheet in this deliverable. These teams do not have one yet:"
                )
                % {"done": len(teams) - len(pending), "total": len(teams)},
                [_("Team"), _("Why")],
                pending,
            )
        )
    return files


# --- Axis 2 ---------------------------------------------------------------------------------------


def progress_tables(ctx: GenerationContext) -> list[GeneratedFile]:
    """L2.2: one workbook, a summary of every team, one sheet per team with a plan (its actions), then
    the indicators, steps and open difficulties of all teams, each with a team column."""
    today = _today(ctx)
    teams = ProjectTeam.objects.for_programme(ctx.programme).order_by("name", "pk")
    summaries = programme_overview(overview_teams(teams), today)
    if not summaries:
        raise MissingData([_("No project team has been formed yet.")])
    if not any(s.action_count for s in summaries):
        raise MissingData([_("No project team has an action plan with actions yet.")])
    workbook = Workbook()
    taken: set[str] = set()
    overview = workbook.active
    overview.title = sheet_title(_("Summary"), taken)
    write_table(overview, _progress_summary(summaries))
    # Fresh plans: those of the overview come with trimmed prefetches that the progress table cannot use.
    plans = {p.team_id: p for p in ActionPlan.objects.for_programme(ctx.programme).select_related("team")}
    shared: dict[str, list[list[object]]] = {}
    for summary in summaries:
        if summary.plan is None:
            continue
        tables = list(progress_rows(team_progress(plans[summary.team.pk], today)).items())
        write_table(workbook.create_sheet(sheet_title(summary.team.name, taken)), tables[0][1])
        for name, rows in tables[1:]:
            target = shared.setdefault(name, [[_("Team"), *rows[0]]])
            target.extend([summary.team.name, *row] for row in rows[1:])
    for name, rows in shared.items():
        write_table(workbook.create_sheet(sheet_title(name, taken)), rows)
    content = workbook_bytes(workbook)
    title = _("Progress tables of the project teams (L2.2) — %(programme)s") % {
        "programme": ctx.programme.name
    }
    return [_file(ctx, "L2.2-tableaux-avancement.xlsx", content, title)]


def _progress_summary(summaries: Sequence[Any]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            _("Team"), _("Action plan"), _("Actions"), _("Average progress (%)"), _("Late actions"),
            _("Overdue steps"), _("Open difficulties"), _("Raised to ADEME"), _("Follow-ups"),
            _("Last follow-up"), _("Funding need (€)"),
        ]
    ]  # fmt: skip
    for s in summaries:
        if s.plan is None:
            state = _("no action plan yet")
        elif s.adopted_version is not None:
            state = _("version %(number)s adopted on %(date)s") % {
                "number": s.adopted_version.number,
                "date": f"{s.adopted_version.adopted_on:%d/%m/%Y}",
            }
        else:
            state = _("working draft, not adopted yet")
        rows.append(
            [
                s.team.name, state, s.action_count, s.average_progress, s.late_count, s.overdue_steps,
                s.open_difficulties, s.raised_difficulties, s.follow_up_count, s.last_follow_up,
                s.funding_need_eur if s.plan is not None else None,
            ]
        )  # fmt: skip
    return rows


# --- Axis 3 ---------------------------------------------------------------------------------------


def funding_interviews(ctx: GenerationContext) -> list[GeneratedFile]:
    """L3.1: every interview with a funder held so far, with its minutes at whatever stage they are
    (ADEME reads them all, as on the programme's interviews page; the table says each one's status)."""
    meetings = funding.funder_interviews(
        Meeting.objects.for_programme(ctx.programme)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__date__lte=timezone.localdate(ctx.now))  # ctx.now is the start of the day
    )
    if not meetings:
        raise MissingData([_("No interview with a funder has been held yet.")])
    document = funding_exports.interviews_document(
        ctx.programme.name, meetings, {m.pk for m in meetings}, today=timezone.localtime(ctx.now).date()
    )
    content = render_docx(document)
    return [_file(ctx, "L3.1-entretiens-financeurs.docx", content, _("Interviews with funders (L3.1)"))]


def funding_grid(ctx: GenerationContext) -> list[GeneratedFile]:
    """L3.2: the application grid per project: a summary of every team, then one sheet per team with
    applications, in the columns of the programme's grid."""
    teams = _teams(ctx)
    rows = funding.application_grid(FundingApplication.objects.for_programme(ctx.programme))
    if not rows:
        raise MissingData([_("No funding application has been recorded yet.")])
    by_team: dict[int, list[funding.GridRow]] = defaultdict(list)
    for row in rows:
        by_team[row.application.action.plan.team_id].append(row)
    workbook = Workbook()
    taken: set[str] = set()
    overview = workbook.active
    overview.title = sheet_title(_("Summary"), taken)
    write_table(overview, _funding_summary(teams, by_team))
    for team in teams:
        if by_team[team.pk]:
            funding_exports.write_grid_sheet(
                workbook.create_sheet(sheet_title(team.name, taken)), by_team[team.pk]
            )
    content = workbook_bytes(workbook)
    title = _("Funding applications of the programme")
    return [_file(ctx, "L3.2-demandes-financement.xlsx", content, title)]


def _funding_summary(
    teams: Sequence[ProjectTeam], by_team: dict[int, list[funding.GridRow]]
) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            _("Team"), _("Applications"), _("Amount requested (€)"), _("Amount granted (€)"),
            _("Amount paid (€)"), _("Consultant days"),
        ]
    ]  # fmt: skip
    zero = Decimal(0)
    for team in teams:
        apps = [row.application for row in by_team[team.pk]]
        rows.append(
            [
                team.name,
                len(apps),
                sum((a.amount_requested_eur or zero for a in apps), zero),
                sum((a.amount_granted_eur or zero for a in apps), zero),
                sum((a.amount_paid_eur or zero for a in apps), zero),
                sum((row.days for row in by_team[team.pk]), zero),
            ]
        )
    return rows


def funding_synthesis(ctx: GenerationContext) -> list[GeneratedFile]:
    """L3.3: the funding obtained by type of action and by funder, with the leverage."""
    synthesis = funding.funding_synthesis(ctx.programme, _today(ctx))
    if not synthesis.total.applications:
        raise MissingData([_("No funding application has been recorded yet.")])
    document = funding_exports.synthesis_document(synthesis, ctx.author)
    return _pair(ctx, "L3.3-synthese-financements", document)


# --- Axis 4 ---------------------------------------------------------------------------------------


def evaluation_synthesis(ctx: GenerationContext) -> list[GeneratedFile]:
    """L4.2: every Empreinte Projet evaluation side by side; teams not evaluated yet are listed at the end."""
    evaluations = Evaluation.objects.for_programme(ctx.programme).order_by("team__name", "title", "pk")
    if not evaluations.exists():
        raise MissingData([_("No Empreinte Projet evaluation has been started yet.")])
    synthesis = evaluation.build_synthesis(ctx.programme, evaluations)
    synthesis.generated_on = _today(ctx)
    unevaluated = [
        _("%(team)s: no evaluation yet.") % {"team": team.name}
        for team in ProjectTeam.objects.for_programme(ctx.programme)
        .filter(evaluations__isnull=True)
        .order_by("name", "pk")
    ]
    document = evaluation.synthesis_document(synthesis, unevaluated, ctx.author)
    return _pair(ctx, "L4.2-synthese-evaluations", document)
