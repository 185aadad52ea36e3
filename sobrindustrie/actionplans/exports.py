"""Files made from action plans: the progress table (XLSX) and the plan sheet L1.9 (PDF, DOCX).

The sheet documents are built from `snapshot.present(...)` data, the same as the HTML page, so the
three formats say the same thing. Spreadsheet tables open with a frozen header, filters on every
column and typed cells (dates as dates, amounts as numbers in euros), so they sort and sum as is.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sobrindustrie.actionplans.progress import TeamProgress
from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.core.spreadsheets import append_row, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


DATE_FORMAT = "DD/MM/YYYY"
EURO_FORMAT = '#,##0 "€"'


def write_table(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    """Write `rows` (header first) into `sheet`: bold frozen header, filters, typed cells.

    Columns whose header ends with "(€)" get a euro format; dates get a French date format.
    """
    for row in rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    euro_columns = {index for index, header in enumerate(rows[0], start=1) if str(header).endswith("(€)")}
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif cell.column in euro_columns and isinstance(cell.value, int | float):
                cell.number_format = EURO_FORMAT
    for index, header in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)) + 2, 12), 50)


def progress_rows(progress: TeamProgress) -> dict[str, list[list[object]]]:
    """The progress table as sheets of rows (header first)."""
    actions: list[list[object]] = [
        [
            _("No."), _("Action"), _("Solution"), _("Lead organisation"), _("Priority"), _("Status"),
            _("Progress (%)"), _("Start"), _("End"), _("Late"), _("Overdue steps"), _("Next step"),
            _("Next step due"), _("Last follow-up"), _("Open difficulties"), _("Investment budget (€)"),
            _("Operating budget (€)"), _("Funding need (€)"), _("Funding for"),
        ]
    ]  # fmt: skip
    indicators: list[list[object]] = [
        [
            _("Action"), _("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Target date"),
            _("Last value"), _("Measured on"), _("Achievement (%)"), _("Trend"), _("Target reached"),
        ]
    ]  # fmt: skip
    steps: list[list[object]] = [[_("Action"), _("Step"), _("Due on"), _("Status"), _("Overdue")]]
    difficulties: list[list[object]] = [
        [
            _("Action"),
            _("Difficulty"),
            _("Status"),
            _("Reported on"),
            _("Raised to ADEME on"),
            _("ADEME's answer"),
        ]
    ]
    yes, no = _("yes"), _("no")
    for row in progress.rows:
        action = row.action
        actions.append(
            [
                action.position, action.title, action.get_solution_display(), action.lead_organisation.name,
                action.get_priority_display(), action.get_status_display(), action.progress_percent,
                action.starts_on, action.ends_on, yes if row.late else no, len(row.overdue_steps),
                row.next_step.title if row.next_step else "", row.next_step.due_on if row.next_step else None,
                row.last_update.follow_up.held_on if row.last_update else None, len(row.open_difficulties),
                action.investment_budget_eur, action.operating_budget_eur, action.funding_need_eur,
                action.get_funding_nature_display(),
            ]
        )  # fmt: skip
        for item in row.indicators:
            indicator = item.indicator
            indicators.append(
                [
                    action.title, indicator.name, indicator.unit, indicator.baseline_value, indicator.target_value,
                    indicator.target_on, item.last.value if item.last else None,
                    item.last.measured_on if item.last else None, item.achievement, item.trend_label,
                    yes if item.target_reached else no,
                ]
            )  # fmt: skip
        for step in action.steps.all():
            steps.append(
                [
                    action.title,
                    step.title,
                    step.due_on,
                    step.get_status_display(),
                    yes if step.is_overdue(progress.today) else no,
                ]
            )
        for difficulty in row.open_difficulties:
            difficulties.append(
                [
                    action.title, difficulty.title, difficulty.get_status_display(), difficulty.created_at.date(),
                    difficulty.raised_at.date() if difficulty.raised_at else None, difficulty.ademe_answer,
                ]
            )  # fmt: skip
    return {
        _("Actions"): actions,
        _("Indicators"): indicators,
        _("Steps"): steps,
        _("Open difficulties"): difficulties,
    }


def progress_xlsx(progress: TeamProgress) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in progress_rows(progress).items():
        write_table(workbook.create_sheet(title[:31]), rows)
    return workbook_bytes(workbook)


def sheet_pdf(sheet: dict[str, Any], version: Any, author: str = "") -> bytes:
    """The plan sheet as PDF; `author` goes into its metadata ("Sobr'Industrie" when empty)."""
    context = {"sheet": sheet, "version": version, "author": author}
    html = render_to_string("www/actionplans/sheet_print.html", context)
    return html_to_pdf(html)


def _amount(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} €".replace(",", "\u202f")


def _number(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {unit}".replace(",", "\u202f")


def sheet_docx(sheet: dict[str, Any], version: Any) -> bytes:
    """The plan sheet as a Word document (the format ADEME asks for reports)."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Marianne, Arial"
    style.font.size = Pt(10)
    team = sheet["team"]
    document.add_heading(_("Priority action plan — %(team)s") % {"team": team["name"]}, level=0)
    document.add_paragraph(_version_line(sheet, version))
    document.add_paragraph(_("Theme: %(theme)s") % {"theme": team["theme_label"]})
    members = ", ".join(f"{m['organisation']} ({m['role_label']})" for m in sheet["members"])
    document.add_paragraph(_("Members: %(members)s") % {"members": members or "—"})
    plan = sheet["plan"]
    if plan["ambition"]:
        document.add_heading(_("Ambition"), level=1)
        document.add_paragraph(plan["ambition"])
    document.add_heading(_("Coordination"), level=1)
    document.add_paragraph(
        _("Coordinated by: %(who)s")
        % {"who": ", ".join(p for p in (plan["coordinator"], plan["coordinating_organisation"]) if p) or "—"}
    )
    document.add_paragraph(
        _("The team meets: %(frequency)s") % {"frequency": plan["meeting_frequency_label"] or "—"}
    )
    if plan["coordination_notes"]:
        document.add_paragraph(plan["coordination_notes"])

    document.add_heading(_("Actions at a glance"), level=1)
    headers = [_("No."), _("Action"), _("Lead"), _("Dates"), _("Priority"), _("Status"), _("Budget")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for action in sheet["actions"]:
        budget = (action["investment_budget_eur"] or 0) + (action["operating_budget_eur"] or 0)
        values = [
            str(action["position"]),
            action["title"],
            action["lead_organisation"],
            f"{action['starts_on']:%d/%m/%Y} – {action['ends_on']:%d/%m/%Y}",
            action["priority_label"],
            f"{action['status_label']} ({action['progress_percent']} %)",
            _amount(budget),
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value

    for action in sheet["actions"]:
        _docx_action(document, action)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _version_line(sheet: dict[str, Any], version: Any) -> str:
    if version is None:
        return _("Working draft as of %(date)s (not adopted yet as such).") % {
            "date": f"{sheet['taken_at']:%d/%m/%Y}"
        }
    return _("Version %(number)s adopted on %(date)s.") % {
        "number": version.number,
        "date": f"{version.adopted_on:%d/%m/%Y}",
    }


def _docx_action(document: Any, action: dict[str, Any]) -> None:
    document.add_heading(f"{action['position']}. {action['title']}", level=1)
    lead = action["lead_organisation"] + (f" — {action['lead_person']}" if action["lead_person"] else "")
    facts = [
        (_("Sobriety solution"), action["solution_label"]),
        (_("Lead"), lead),
        (_("Dates"), f"{action['starts_on']:%d/%m/%Y} – {action['ends_on']:%d/%m/%Y}"),
        (_("Priority"), action["priority_label"]),
        (_("Status"), f"{action['status_label']} ({action['progress_percent']} %)"),
        (_("Investment budget"), _amount(action["investment_budget_eur"])),
        (_("Operating budget"), _amount(action["operating_budget_eur"])),
        (
            _("Funding need"),
            _amount(action["funding_need_eur"])
            + (f" ({action['funding_nature_label']})" if action["funding_nature_label"] else ""),
        ),
        (_("Depends on"), action["depends_on_titles"] or "—"),
    ]
    gains = action["gains"]
    facts += [
        (_("Energy saved"), _number(gains["energy_kwh_per_year"], _("kWh/yr"))),
        (_("Material saved"), _number(gains["material_kg_per_year"], _("kg/yr"))),
        (_("GHG avoided"), _number(gains["ghg_kgco2e_per_year"], _("kgCO2e/yr"))),
        (_("Savings"), _amount(gains["savings_eur_per_year"])),
        (_("Transport avoided"), _number(gains["km_avoided_per_year"], _("km/yr"))),
        (
            _("Local partners involved"),
            "—" if gains["local_partners"] is None else str(gains["local_partners"]),
        ),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = str(value)
    for label, text in (
        (_("Description"), action["description"]),
        (_("Risks"), action["risks"]),
        (_("Barriers"), action["barriers"]),
    ):
        if text:
            document.add_heading(str(label), level=2)
            document.add_paragraph(text)
    if action["contributors"]:
        document.add_heading(_("Contributors"), level=2)
        for c in action["contributors"]:
            who = c["organisation"] + (f" — {c['person']}" if c["person"] else "")
            document.add_paragraph(
                f"{who} : {c['role_label']}" + (f" ({c['note']})" if c["note"] else ""), style="List Bullet"
            )
    if action["steps"]:
        document.add_heading(_("Steps"), level=2)
        for step in action["steps"]:
            due = f" — {step['due_on']:%d/%m/%Y}" if step["due_on"] else ""
            document.add_paragraph(f"{step['title']}{due} ({step['status_label']})", style="List Number")
    if action["indicators"]:
        document.add_heading(_("Indicators"), level=2)
        for ind in action["indicators"]:
            document.add_paragraph(
                _("%(name)s (%(unit)s): baseline %(baseline)s, target %(target)s, last measured %(last)s")
                % {
                    "name": ind["name"],
                    "unit": ind["unit"] or "—",
                    "baseline": "—" if ind["baseline_value"] is None else f"{ind['baseline_value']:g}",
                    "target": "—" if ind["target_value"] is None else f"{ind['target_value']:g}",
                    "last": "—" if ind["last_value"] is None else f"{ind['last_value']:g}",
                },
                style="List Bullet",
            )
