"""Files made from action plans: the progress table (XLSX) and the plan sheet L1.9 as a document model
(`sheet_document`, from `snapshot.present(...)` data), which the page, the PDF and the DOCX render,
so the three say the same thing. Spreadsheet tables open with a frozen header, filters on every
column and typed cells (dates as dates, amounts as numbers in euros), so they sort and sum as is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sobrindustrie.actionplans.progress import TeamProgress
from sobrindustrie.core.spreadsheets import append_row, workbook_bytes
from sobrindustrie.deliverables.document import Document

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    steps: list[list[object]] = [[_("Action"), _("Step"), _("Due on"), _("Status"), _("Overdue"), _("Owner")]]
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
                    f"{step.owner} ({step.owner.organisation.name})" if step.owner else "",
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


def _amount(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} €".replace(",", "\u202f")


def _number(value: Any, unit: str) -> str:
    return "—" if value is None else f"{value:,.0f} {unit}".replace(",", "\u202f")


def _value(value: Any) -> str:
    return "—" if value is None else f"{value:g}"


def _dates(action: dict[str, Any]) -> str:
    return f"{action['starts_on']:%d/%m/%Y} – {action['ends_on']:%d/%m/%Y}"


def _version_line(sheet: dict[str, Any], version: Any) -> str:
    if version is None:
        return _("Working draft as of %(date)s (not adopted yet as such).") % {
            "date": f"{sheet['taken_at']:%d/%m/%Y}"
        }
    return _("Version %(number)s adopted on %(date)s.") % {
        "number": version.number,
        "date": f"{version.adopted_on:%d/%m/%Y}",
    }


def sheet_document(sheet: dict[str, Any], version: Any, author: str = "Sobr'Industrie") -> Document:
    """The plan sheet (L1.9) as a document model, from `snapshot.present(...)` data: rendered to PDF
    and DOCX by `deliverables.document`, and shown on the sheet's and the version's pages."""
    team, plan = sheet["team"], sheet["plan"]
    document = Document(_("Priority action plan — %(team)s") % {"team": team["name"]}, author=author)
    document.paragraph(f"Sobr'Industrie — L1.9 · {_version_line(sheet, version)}")
    document.heading(_("The team"))
    members = ", ".join(f"{m['organisation']} ({m['role_label']})" for m in sheet["members"])
    coordinator = plan["coordinator"] or "—"
    if plan["coordinating_organisation"]:
        coordinator += f" ({plan['coordinating_organisation']})"
    document.definitions(
        [
            (_("Theme"), team["theme_label"]),
            (_("Members"), members),
            (_("Ambition"), plan["ambition"]),
            (_("Coordinated by"), coordinator),
            (_("The team meets"), plan["meeting_frequency_label"]),
        ]
    )
    document.paragraph(plan["coordination_notes"])
    document.heading(_("Actions at a glance"))
    totals = sheet["totals"]
    document.table(
        [
            _("No."),
            _("Action"),
            _("Lead"),
            _("Dates"),
            _("Priority"),
            _("Status"),
            _("Investment (€)"),
            _("Operating (€)"),
            _("Funding need (€)"),
        ],
        [
            [
                action["position"],
                action["title"],
                action["lead_organisation"],
                _dates(action),
                action["priority_label"],
                f"{action['status_label']} ({action['progress_percent']} %)",
                _amount(action["investment_budget_eur"]),
                _amount(action["operating_budget_eur"]),
                _amount(action["funding_need_eur"]),
            ]
            for action in sheet["actions"]
        ],
        caption=_("Actions, leads, dates, status and budget"),
        footer=[
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            _amount(totals["investment_budget_eur"]),
            _amount(totals["operating_budget_eur"]),
            _amount(totals["funding_need_eur"]),
        ]
        if sheet["actions"]
        else (),
    )
    if not sheet["actions"]:
        document.note(_("No action."))
    for action in sheet["actions"]:
        _action(document, action)
    return document


def _step_line(step: dict[str, Any]) -> str:
    """A step of the sheet: its title, due date and status, and its owner as recorded (none in
    versions adopted before steps had owners)."""
    line = (
        step["title"]
        + (f" — {step['due_on']:%d/%m/%Y}" if step["due_on"] else "")
        + f" ({step['status_label']})"
    )
    if step["owner"]:
        owner = step["owner"] + (f", {step['owner_organisation']}" if step["owner_organisation"] else "")
        line += " — " + _("owner: %(owner)s") % {"owner": owner}
    return line


def _action(document: Document, action: dict[str, Any]) -> None:
    document.heading(f"{action['position']}. {action['title']}")
    document.paragraph(action["description"])
    lead = action["lead_organisation"] + (f" — {action['lead_person']}" if action["lead_person"] else "")
    funding = _amount(action["funding_need_eur"]) + (
        f" ({action['funding_nature_label']})" if action["funding_nature_label"] else ""
    )
    gains = action["gains"]
    document.table(
        [_("Item"), _("Value")],
        [
            [_("Sobriety solution"), action["solution_label"]],
            [_("Lead"), lead],
            [_("Dates"), _dates(action)],
            [_("Priority"), action["priority_label"]],
            [_("Status"), f"{action['status_label']} ({action['progress_percent']} %)"],
            [_("Investment budget"), _amount(action["investment_budget_eur"])],
            [_("Operating budget"), _amount(action["operating_budget_eur"])],
            [_("Funding need"), funding],
            *([[_("Funding notes"), action["funding_notes"]]] if action.get("funding_notes") else []),
            [_("Depends on"), action["depends_on_titles"] or "—"],
            [_("Energy saved"), _number(gains["energy_kwh_per_year"], _("kWh/yr"))],
            [_("Material saved"), _number(gains["material_kg_per_year"], _("kg/yr"))],
            [_("GHG avoided"), _number(gains["ghg_kgco2e_per_year"], _("kgCO2e/yr"))],
            [_("Savings"), _amount(gains["savings_eur_per_year"])],
            [_("Transport avoided"), _number(gains["km_avoided_per_year"], _("km/yr"))],
            [_("Local partners involved"), _value(gains["local_partners"])],
            *([[_("About the gains"), action["gains_notes"]]] if action.get("gains_notes") else []),
        ],
        caption=_("Facts of action %(position)s") % {"position": action["position"]},
        row_headers=True,
    )
    for label, text in ((_("Risks"), action["risks"]), (_("Barriers"), action["barriers"])):
        if text:
            document.heading(str(label), level=2)
            document.paragraph(text)
    if action["contributors"]:
        document.heading(_("Contributors"), level=2)
        document.bullets(
            (c["organisation"] + (f" — {c['person']}" if c["person"] else ""))
            + f" : {c['role_label']}"
            + (f" ({c['note']})" if c["note"] else "")
            for c in action["contributors"]
        )
    if action["steps"]:
        document.heading(_("Steps"), level=2)
        document.bullets(_step_line(step) for step in action["steps"])
    if action["indicators"]:
        document.heading(_("Indicators"), level=2)
        document.bullets(
            _("%(name)s (%(unit)s): baseline %(baseline)s, target %(target)s, last measured %(last)s")
            % {
                "name": ind["name"],
                "unit": ind["unit"] or "—",
                "baseline": _value(ind["baseline_value"]),
                "target": _value(ind["target_value"])
                + (f" ({ind['target_on']:%d/%m/%Y})" if ind.get("target_on") else ""),
                "last": _value(ind["last_value"])
                + (f" ({ind['last_on']:%d/%m/%Y})" if ind.get("last_on") else ""),
            }
            for ind in action["indicators"]
        )
