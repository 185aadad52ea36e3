"""The summary sheet of one diagnostic (deliverable L1.3): one or two pages a company manager reads
in five minutes. Built once as plain data, then rendered as HTML, PDF and DOCX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sobrindustrie.deliverables.document import Document
from sobrindustrie.diagnostics.documents import figure
from sobrindustrie.diagnostics.enums import Direction, OpportunityStatus
from sobrindustrie.diagnostics.evaluation import facts_for
from sobrindustrie.diagnostics.ghg import factor_citations
from sobrindustrie.diagnostics.methods.facts import inventory_metrics
from sobrindustrie.diagnostics.models import Barrier, Candidacy, Diagnostic, Opportunity
from sobrindustrie.organisations.models import ProductionMeans


@dataclass
class SheetOpportunity:
    rank: int
    opportunity: Opportunity
    means: list[str]
    barriers: list[Barrier]

    @property
    def potential_text(self) -> str:
        o = self.opportunity
        parts = []
        if o.energy_kwh_per_year:
            parts.append(f"{figure(o.energy_kwh_per_year)} kWh/an")
        if o.material_kg_per_year:
            parts.append(f"{figure(o.material_kg_per_year)} kg/an")
        if o.ghg_kgco2e_per_year:
            parts.append(f"{figure(o.ghg_kgco2e_per_year)} kgCO2e/an")
        if o.euros_per_year:
            parts.append(f"{figure(o.euros_per_year)} €/an")
        return " · ".join(parts) or str(_("not quantified"))

    @property
    def barriers_text(self) -> str:
        return "; ".join(str(barrier) for barrier in self.barriers) or "—"


@dataclass
class Sheet:
    diagnostic: Diagnostic
    generated_at: dt.datetime
    company: list[tuple[str, str]]
    diagnostic_facts: list[tuple[str, str]]
    inventory: list[tuple[str, str]]
    opportunities: list[SheetOpportunity]
    totals: dict[str, str]
    offers: list[str]
    needs: list[str]
    project_idea: str
    citations: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(_("Summary sheet — %(company)s") % {"company": self.diagnostic.organisation.name})

    @property
    def confidential(self) -> str:
        return str(
            _("Confidential — %(company)s — not to be passed on without the company's agreement")
            % {"company": self.diagnostic.organisation.name}
        )


def days_text(days: Decimal) -> str:
    """Days the French way without useless zeros: 4,5 rather than 4,50."""
    plain = f"{days:f}"
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    return str(number_format(Decimal(plain)))


def _ranked(opportunities: list[Opportunity]) -> list[Opportunity]:
    """Priority first, then the largest GHG potential, then the largest savings."""

    def key(o: Opportunity) -> tuple[Any, ...]:
        return (o.priority, -(o.ghg_kgco2e_per_year or 0), -(o.euros_per_year or Decimal(0)), o.title)

    return sorted(opportunities, key=key)


def _company(diagnostic: Diagnostic, candidacy: Candidacy | None) -> list[tuple[str, str]]:
    org = diagnostic.organisation
    naf = f"{org.naf_code} {org.naf_label}".strip()
    rows = [
        (_("Company"), org.name),
        (_("SIRET"), org.siret or "—"),
        (_("Activity (NAF)"), naf or "—"),
        (_("Workforce"), figure(org.workforce) if org.workforce is not None else "—"),
        (_("Commune"), org.city or "—"),
    ]
    if org.preformed_group:
        rows.append((_("Pre-formed group"), org.preformed_group))
    if candidacy and candidacy.submitted_on:
        rows.append((_("Candidacy"), date_format(candidacy.submitted_on, "SHORT_DATE_FORMAT")))
    return [(str(label), value) for label, value in rows]


def build_sheet(diagnostic: Diagnostic) -> Sheet:
    diagnostic = (
        Diagnostic.objects.select_related(
            "organisation__commune", "method__validated_by", "programme", "consultant"
        )
        .prefetch_related("sessions")
        .get(pk=diagnostic.pk)
    )
    means = list(ProductionMeans.objects.filter(organisation_id=diagnostic.organisation_id))
    facts = facts_for(diagnostic, means=means)
    figures = inventory_metrics(facts.means, diagnostic.method.method.parameters)
    opportunities = list(
        diagnostic.opportunities.exclude(status=OpportunityStatus.DISMISSED).prefetch_related(
            Prefetch("production_means", queryset=ProductionMeans.objects.only("name")),
            Prefetch("barriers", queryset=Barrier.objects.order_by("category")),
        )
    )
    ranked = [
        SheetOpportunity(rank, o, [m.name for m in o.production_means.all()], list(o.barriers.all()))
        for rank, o in enumerate(_ranked(opportunities), start=1)
    ]
    candidacy = Candidacy.objects.filter(organisation_id=diagnostic.organisation_id).first()
    method = diagnostic.method
    validated = (
        _("validated on %(date)s") % {"date": date_format(method.validated_at, "SHORT_DATE_FORMAT")}
        if method.validated_at
        else _("not validated")
    )
    sessions = list(diagnostic.sessions.all())
    spent = sum((s.days for s in sessions), Decimal(0))
    diagnostic_rows = [
        (_("Method"), f"{method.title} v{method.version} ({validated})"),
        (_("Status"), diagnostic.get_status_display()),
        (_("Consultant"), str(diagnostic.consultant) if diagnostic.consultant else "—"),
        (
            _("Days spent"),
            _("%(spent)s of %(cap)s days, %(count)d sessions")
            % {
                "spent": days_text(spent),
                "cap": days_text(diagnostic.programme.diagnostic_days_cap),
                "count": len(sessions),
            },
        ),
    ]
    if sessions:
        first, last = sessions[0].date, sessions[-1].date
        diagnostic_rows.append(
            (
                _("Period"),
                f"{date_format(first, 'SHORT_DATE_FORMAT')} – {date_format(last, 'SHORT_DATE_FORMAT')}",
            )
        )
    rate = figures["mean_utilisation_rate"]
    inventory = [
        (_("Production means"), figure(figures["means_count"])),
        (_("Energy consumed by the means"), f"{figure(figures['annual_consumption_kwh'])} kWh/an"),
        (
            _("of which electricity / natural gas"),
            f"{figure(figures['electricity_kwh'])} / {figure(figures['natural_gas_kwh'])} kWh/an",
        ),
        (_("Mean utilisation rate"), f"{figure(rate)} %" if rate is not None else "—"),
        (
            _("Under-used means"),
            _("%(count)s below %(threshold)s %% utilisation")
            % {
                "count": figure(figures["under_utilised_count"]),
                "threshold": figure(diagnostic.method.method.parameters["under_utilised_below_pct"]),
            },
        ),
        (_("Maintained by a contractor"), figure(figures["contractor_maintained_count"])),
        (_("Purchases planned"), figure(figures["planned_purchase_count"])),
    ]
    signals = list(diagnostic.cooperation_signals.all())
    offers = sorted(
        {f"{s.what} ({s.get_solution_display()})" for s in signals if s.direction == Direction.OFFERS}
    )
    needs = sorted(
        {f"{s.what} ({s.get_solution_display()})" for s in signals if s.direction == Direction.NEEDS}
        | {f"{o.need_label} ({o.get_solution_display()})" for o in opportunities if o.need_kind}
    )
    totals = {
        "energy": figure(sum(o.energy_kwh_per_year or 0 for o in opportunities)),
        "ghg": figure(sum(o.ghg_kgco2e_per_year or 0 for o in opportunities)),
        "material": figure(sum(o.material_kg_per_year or 0 for o in opportunities)),
        "euros": figure(sum(o.euros_per_year or 0 for o in opportunities)),
    }
    return Sheet(
        diagnostic=diagnostic,
        generated_at=timezone.now(),
        company=_company(diagnostic, candidacy),
        diagnostic_facts=[(str(label), str(value)) for label, value in diagnostic_rows],
        inventory=[(str(label), str(value)) for label, value in inventory],
        opportunities=ranked,
        totals=totals,
        offers=offers,
        needs=needs,
        project_idea=candidacy.project_idea if candidacy else "",
        citations=factor_citations(),
    )


def sheet_document(sheet: Sheet, author: str = "Sobr'Industrie") -> Document:
    """The sheet as a document model: rendered to PDF and DOCX by `deliverables.document`, and shown
    on the sheet's page."""
    document = Document(sheet.title, banner=sheet.confidential, author=author)
    document.paragraph(sheet.confidential, "strong")
    document.paragraph(
        str(_("Deliverable L1.3 — individual diagnostic of the Sobr'Industrie programme."))
        + " "
        + str(_("Drawn up on %(date)s.") % {"date": date_format(sheet.generated_at, "SHORT_DATE_FORMAT")}),
        "small",
    )
    document.heading(str(_("The company")))
    document.definitions(sheet.company)
    if sheet.project_idea:
        document.definitions([(str(_("Project idea")), sheet.project_idea)])
    document.heading(str(_("The diagnostic")))
    document.definitions(sheet.diagnostic_facts)
    document.heading(str(_("Key inventory figures")))
    document.definitions(sheet.inventory)
    document.heading(str(_("Sobriety solutions, ranked")))
    document.paragraph(
        str(
            _(
                "Total potential: %(energy)s kWh/year, %(ghg)s kgCO2e/year, %(material)s kg of material/year, %(euros)s €/year."
            )
            % sheet.totals
        ),
        "strong",
    )
    if sheet.opportunities:
        document.table(
            [
                str(_("Rank")),
                str(_("Solution")),
                str(_("Opportunity")),
                str(_("Potential")),
                str(_("Feasibility")),
                str(_("Barriers")),
            ],
            [
                [
                    item.rank,
                    item.opportunity.get_solution_display(),
                    item.opportunity.title + (f" ({', '.join(item.means)})" if item.means else ""),
                    item.potential_text,
                    item.opportunity.get_feasibility_display(),
                    item.barriers_text,
                ]
                for item in sheet.opportunities
            ],
            caption=str(_("Solutions ranked by priority, then potential")),
        )
    else:
        document.note(str(_("No opportunity yet.")))
    document.heading(str(_("Cooperation")))
    document.heading(str(_("Could offer to others")), level=2)
    document.bullets(sheet.offers or [str(_("Nothing identified yet."))])
    document.heading(str(_("Needs from others")), level=2)
    document.bullets(sheet.needs or [str(_("Nothing identified yet."))])
    if sheet.diagnostic.summary:
        document.heading(str(_("Consultant's conclusion")))
        document.paragraph(sheet.diagnostic.summary)
    document.heading(str(_("Sources")), level=2)
    document.bullets(sheet.citations)
    return document
