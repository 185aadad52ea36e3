"""The synthesis of the evaluations (deliverable L4.2): every evaluation side by side, the net result
per environmental aspect, and the GHG balances with their 90 % intervals.

`build_synthesis` gathers the data once and `synthesis_document` makes it a document model; the web
page, the PDF and the DOCX are renderings of that one model, so they never disagree. Call it inside `translation.override(...)` for another language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sobrindustrie.deliverables.document import Document
from sobrindustrie.deliverables.document.figures import interval_png, interval_svg
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


def synthesis_document(
    synthesis: Synthesis, not_evaluated: Sequence[str] = (), author: str = "Sobr'Industrie"
) -> Document:
    """L4.2 as a document model (in the active language): rendered to PDF and DOCX by
    `deliverables.document`, and shown on the synthesis page. `not_evaluated` lines (the teams
    without an evaluation) make a last section."""
    title = _("Synthesis of the environmental evaluations (L4.2)")
    document = Document(
        title,
        banner=f"Sobr'Industrie — ADEME Provence-Alpes-Côte d'Azur — {title}",
        landscape=True,
        author=author,
    )
    document.paragraph(
        _("Programme: %(programme)s — synthesis of %(date)s")
        % {
            "programme": synthesis.programme.name,
            "date": formats.date_format(synthesis.generated_on, "d/m/Y"),
        }
    )
    document.heading(_("Net result per environmental aspect"))
    if synthesis.rows:
        document.table(
            [_("Project"), _("Status"), *synthesis.aspect_labels],
            [
                [
                    f"{row.evaluation.title}\n{row.evaluation.team.name}",
                    row.evaluation.get_status_display(),
                    *(
                        f"{result.result_label} ({len(result.consequences)})"
                        if result.consequences
                        else result.result_label
                        for result in row.aspects
                    ),
                ]
                for row in synthesis.rows
            ],
            caption=_("Level-1 evaluations compared with their reference scenarios"),
            row_headers=True,
        )
        document.paragraph(_("In brackets: the number of consequences behind each result."), "small")
    else:
        document.paragraph(_("No evaluation yet."))
    document.heading(_("Greenhouse-gas balances (level 2)"))
    document.paragraph(
        _(
            "Project minus reference scenario, in kgCO2e per year: negative values are emissions avoided. Each bar spans the %(level)s %% interval; the dot marks the central value; the vertical line marks zero."
        )
        % {"level": 90}
    )
    if synthesis.bars:
        caption = _("Greenhouse-gas balance of each project, with its %(level)s %% interval") % {"level": 90}
        document.figure(
            caption,
            f"{caption}. " + "; ".join(bar.text for bar in synthesis.bars) + ".",
            png=partial(
                interval_png, [(b.title, b.p5, b.p95, b.central) for b in synthesis.bars], _("kgCO2e/year")
            ),
            svg=interval_svg(
                [(b.title, b.x_low, b.x_high, b.x_central, b.x_zero) for b in synthesis.bars],
                BAR_WIDTH,
                caption,
            ),
        )
        document.bullets(
            bar.text + (f" — {_('dominant input:')} {bar.dominant}" if bar.dominant else "")
            for bar in synthesis.bars
        )
    else:
        document.paragraph(_("No balance computed yet."))
    document.heading(_("Impact transfers and rebound effects"))
    effects = [
        f"{row.evaluation.title} — {label} : {text}"
        for row in synthesis.rows
        for label, texts in ((_("Impact transfer"), row.transfers), (_("Rebound effect"), row.rebounds))
        for text in texts
    ]
    if effects:
        document.bullets(effects)
    else:
        document.paragraph(_("None noted."))
    document.heading(_("Conclusions"))
    for row in synthesis.rows:
        document.heading(row.evaluation.title, level=2)
        document.paragraph(row.evaluation.conclusion or _("Not written yet."))
    if not_evaluated:
        document.heading(_("Not evaluated yet"))
        document.bullets(not_evaluated)
    return document
