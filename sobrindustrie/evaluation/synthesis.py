"""The synthesis of the evaluations (deliverable L4.2): every evaluation side by side, the net result
per environmental aspect, and the GHG balances with their 90 % intervals.

`build_synthesis` gathers the data once; the web page, the PDF and the DOCX are renderings of the same
`Synthesis`, so they never disagree. Call it inside `translation.override(...)` for another language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import Evaluation
from sobrindustrie.evaluation.results import AspectResult, aspect_results
from sobrindustrie.programmes.models import Programme

BAR_WIDTH = 400  # px of the SVG drawing area


@dataclass(frozen=True)
class BalanceBar:
    """One GHG balance drawn on a common scale: x positions in the SVG, and its text alternative."""

    title: str
    central: float
    p5: float
    p95: float
    x_low: float
    x_high: float
    x_central: float
    x_zero: float
    dominant: str
    library_reference: str

    @property
    def width(self) -> float:
        return round(max(self.x_high - self.x_low, 1.0), 1)

    @property
    def text(self) -> str:
        return _("%(title)s: %(central)s kgCO2e/year (90 %% interval %(low)s to %(high)s)") % {
            "title": self.title,
            "central": formats.number_format(self.central, 0, use_l10n=True, force_grouping=True),
            "low": formats.number_format(self.p5, 0, use_l10n=True, force_grouping=True),
            "high": formats.number_format(self.p95, 0, use_l10n=True, force_grouping=True),
        }


@dataclass(frozen=True)
class SynthesisRow:
    evaluation: Evaluation
    aspects: list[AspectResult]
    transfers: list[str]
    rebounds: list[str]


@dataclass
class Synthesis:
    programme: Programme
    aspect_labels: list[str]
    rows: list[SynthesisRow]
    bars: list[BalanceBar]
    generated_on: dt.date


def _bars(evaluations: list[Evaluation]) -> list[BalanceBar]:
    computed = [e for e in evaluations if e.balance is not None and e.balance.is_computed]
    if not computed:
        return []
    low = min(0.0, *(e.ghg_balance.p5_kg for e in computed))  # type: ignore[type-var]
    high = max(0.0, *(e.ghg_balance.p95_kg for e in computed))  # type: ignore[type-var]
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return round((value - low) / span * BAR_WIDTH, 1)

    return [
        BalanceBar(
            title=e.title,
            central=e.ghg_balance.central_kg,  # type: ignore[arg-type]
            p5=e.ghg_balance.p5_kg,  # type: ignore[arg-type]
            p95=e.ghg_balance.p95_kg,  # type: ignore[arg-type]
            x_low=x(e.ghg_balance.p5_kg),  # type: ignore[arg-type]
            x_high=x(e.ghg_balance.p95_kg),  # type: ignore[arg-type]
            x_central=x(e.ghg_balance.central_kg),  # type: ignore[arg-type]
            x_zero=x(0.0),
            dominant=e.ghg_balance.dominant_display,
            library_reference=e.ghg_balance.library_reference,
        )
        for e in computed
    ]


def build_synthesis(programme: Programme, evaluations: QuerySet[Evaluation]) -> Synthesis:
    evaluations_list = list(
        evaluations.select_related("team", "action", "ghg_balance").prefetch_related("consequences")
    )
    rows = []
    for evaluation in evaluations_list:
        grid = load_grid(evaluation.grid_version)
        consequences = list(evaluation.consequences.all())
        rows.append(
            SynthesisRow(
                evaluation=evaluation,
                aspects=aspect_results(consequences, grid),
                transfers=[c.description for c in consequences if c.is_impact_transfer],
                rebounds=[c.description for c in consequences if c.is_rebound],
            )
        )
    return Synthesis(
        programme=programme,
        aspect_labels=[a.display for a in load_grid().aspects],
        rows=rows,
        bars=_bars(evaluations_list),
        generated_on=timezone.localdate(),
    )


def synthesis_context(synthesis: Synthesis, lang: str) -> dict[str, Any]:
    """What the synthesis's page and print template read; `lang` is the language it is written in."""
    return {"synthesis": synthesis, "programme": synthesis.programme, "lang": lang}


def synthesis_pdf(context: dict[str, Any]) -> bytes:
    """The synthesis as PDF, from `synthesis_context(...)` plus, optionally, `author` ("Sobr'Industrie"
    by default) and `not_evaluated`: lines listed in a last section (the teams without an evaluation)."""
    html = render_to_string("www/evaluation/synthesis_print.html", context)
    return html_to_pdf(html)


def synthesis_docx(synthesis: Synthesis) -> bytes:
    """The synthesis as a Word document: headings, tables and lists, easy to edit in LibreOffice."""
    import io

    from docx import Document  # imported here: only this export needs it

    document = Document()
    document.core_properties.title = _("Synthesis of the environmental evaluations (L4.2)")
    document.core_properties.author = "Sobr'Industrie"
    document.add_heading(_("Synthesis of the environmental evaluations (L4.2)"), level=0)
    document.add_paragraph(
        _("Programme: %(programme)s — synthesis of %(date)s")
        % {
            "programme": synthesis.programme.name,
            "date": formats.date_format(synthesis.generated_on, "j F Y"),
        }
    )
    document.add_heading(_("Net result per environmental aspect"), level=1)
    if not synthesis.rows:
        document.add_paragraph(_("No evaluation yet."))
    else:
        table = document.add_table(rows=1, cols=len(synthesis.aspect_labels) + 2)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, [_("Project"), _("Status"), *synthesis.aspect_labels], strict=True
        ):
            cell.text = text
        for row in synthesis.rows:
            cells = table.add_row().cells
            cells[0].text = f"{row.evaluation.title} ({row.evaluation.team.name})"
            cells[1].text = row.evaluation.get_status_display()
            for cell, result in zip(cells[2:], row.aspects, strict=True):
                cell.text = result.result_label
    document.add_heading(_("Greenhouse-gas balances (level 2)"), level=1)
    document.add_paragraph(
        _("Project minus reference scenario, in kgCO2e per year: negative values are emissions avoided.")
    )
    if not synthesis.bars:
        document.add_paragraph(_("No balance computed yet."))
    for bar in synthesis.bars:
        document.add_paragraph(bar.text, style="List Bullet")
        if bar.dominant:
            document.add_paragraph(_("Dominant input: %s") % bar.dominant)
    document.add_heading(_("Impact transfers and rebound effects"), level=1)
    for row in synthesis.rows:
        if row.transfers or row.rebounds:
            document.add_heading(row.evaluation.title, level=2)
            for text in row.transfers:
                document.add_paragraph(f"{_('Impact transfer')} : {text}", style="List Bullet")
            for text in row.rebounds:
                document.add_paragraph(f"{_('Rebound effect')} : {text}", style="List Bullet")
    document.add_heading(_("Conclusions"), level=1)
    for row in synthesis.rows:
        document.add_heading(row.evaluation.title, level=2)
        document.add_paragraph(row.evaluation.conclusion or _("Not written yet."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
