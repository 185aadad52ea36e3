"""Deliverable L1.4, synthesis of the collaborations envisaged after the diagnostics: the
opportunities per solution and per SME, the proposed teams and why. Built once as a
document model (`synthesis_document`) that the page, the PDF and the DOCX render."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sobrindustrie.cooperation.adapters import ProblemContext, team_problem
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity, Scenario
from sobrindustrie.cooperation.services import (
    default_parameters,
    form_teams,
    latest_analysis,
    scenario_context,
    team_reasons,
)
from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.core.enums import Solution
from sobrindustrie.deliverables.document import Document
from sobrindustrie.engines.teams import Opportunity
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

EXAMPLES_PER_SOLUTION = 3
LINES_PER_SME = 5
REASONS_PER_TEAM = 5


@dataclass
class SolutionSummary:
    code: str
    label: str
    count: int = 0
    avoided_eur: float = 0.0
    avoided_kgco2e: float = 0.0
    hours_per_year: float = 0.0
    examples: list[str] = field(default_factory=list)


@dataclass
class SmeSummary:
    organisation: Organisation
    provides: int
    receives: int
    sentences: list[str]
    more: int


@dataclass
class TeamSummary:
    number: int
    members: list[Organisation]
    score: float
    reasons: list[Opportunity]
    more: int


@dataclass
class Synthesis:
    programme: Programme
    analysis: CooperationAnalysis
    generated_on: date
    by_solution: list[SolutionSummary]
    by_sme: list[SmeSummary]
    teams: list[TeamSummary]
    teams_source: str
    scenario: Scenario | None = None

    @property
    def title(self) -> str:
        return _("Synthesis of the envisaged collaborations (L1.4)")

    @property
    def opportunity_count(self) -> int:
        return sum(s.count for s in self.by_solution)


def _chosen_scenario(analysis: CooperationAnalysis) -> Scenario | None:
    """The adopted scenario if any, else the most recent one saved on the programme."""
    scenarios = Scenario.objects.for_programme(analysis.programme).select_related("analysis__programme")
    return scenarios.filter(adopted_at__isnull=False).first() or scenarios.first()  # type: ignore[return-value]


def _formed_teams(programme: Programme) -> list[list[int]]:
    """The programme's project teams as primary keys of their current member organisations."""
    from sobrindustrie.teams.models import TeamMembership

    teams: dict[int, list[int]] = {}
    for team_id, organisation_id in (
        TeamMembership.objects.current()
        .filter(team__programme=programme)
        .order_by("team__name", "team_id", "organisation_id")
        .values_list("team_id", "organisation_id")
    ):
        teams.setdefault(team_id, []).append(organisation_id)
    return list(teams.values())


def _teams(context: ProblemContext, partition: list[list[str]]) -> list[TeamSummary]:
    summaries = []
    for number, members in enumerate(partition, start=1):
        reasons = team_reasons(context, members)
        organisations = sorted((context.organisations[s] for s in members), key=lambda o: o.name)
        summaries.append(
            TeamSummary(
                number,
                organisations,
                round(sum(r.score for r in reasons), 3),
                reasons[:REASONS_PER_TEAM],
                max(0, len(reasons) - REASONS_PER_TEAM),
            )
        )
    return summaries


def build_synthesis(programme: Programme) -> Synthesis | None:
    """The L1.4 content from the latest analysis; None when no analysis has run yet."""
    analysis = latest_analysis(programme)
    if analysis is None:
        return None
    rows = list(
        DetectedOpportunity.objects.filter(analysis=analysis)
        .select_related("provider", "receiver")
        .order_by("-score", "pk")
    )
    by_solution = {code: SolutionSummary(code, str(label)) for code, label in Solution.choices}
    per_org: dict[int, list[DetectedOpportunity]] = defaultdict(list)
    for row in rows:
        summary = by_solution[row.solution]
        summary.count += 1
        summary.avoided_eur += row.avoided_purchase_eur
        summary.avoided_kgco2e += row.avoided_kgco2e_total
        summary.hours_per_year += row.hours_shared_per_year
        if len(summary.examples) < EXAMPLES_PER_SOLUTION:
            summary.examples.append(row.sentence)
        per_org[row.provider_id].append(row)
        per_org[row.receiver_id].append(row)
    laureates = Organisation.objects.for_programme(programme).active().laureates().order_by("name")
    by_sme = [
        SmeSummary(
            org,
            sum(1 for r in per_org[org.pk] if r.provider_id == org.pk),
            sum(1 for r in per_org[org.pk] if r.receiver_id == org.pk),
            [r.sentence for r in per_org[org.pk][:LINES_PER_SME]],
            max(0, len(per_org[org.pk]) - LINES_PER_SME),
        )
        for org in laureates
    ]
    scenario = _chosen_scenario(analysis)
    formed = _formed_teams(programme)
    if formed:
        # The teams as they were formed (adopted scenario, workshop or by hand): their current members.
        context = team_problem(analysis, default_parameters(programme))
        teams = _teams(context, [team for team in context.teams_as_slugs(formed) if team])
        if scenario is not None and scenario.adopted_at:
            source = _("Teams formed from the adopted scenario “%(name)s”, with their current members.") % {
                "name": scenario.name
            }
        else:
            source = _(
                "Teams formed on the platform (at the workshop or by hand), with their current members."
            )
    elif scenario is not None:
        context = scenario_context(scenario)
        teams = _teams(context, context.teams_as_slugs(scenario.teams))
        if scenario.adopted_at:
            source = _("Teams of the adopted scenario “%(name)s”.") % {"name": scenario.name}
        else:
            source = _("Teams of the scenario “%(name)s” (not adopted yet).") % {"name": scenario.name}
    else:
        formation = form_teams(analysis, default_parameters(programme))
        teams = _teams(formation.context, [list(t.members) for t in formation.solution.teams])
        source = _("Teams proposed by the optimiser with the default parameters (no scenario saved yet).")
    return Synthesis(
        programme=programme,
        analysis=analysis,
        generated_on=timezone.localdate(),
        by_solution=[s for s in by_solution.values() if s.count],
        by_sme=by_sme,
        teams=teams,
        teams_source=source,
        scenario=scenario,
    )


def _number(value: float) -> str:
    return str(number_format(round(value), force_grouping=True))


def synthesis_document(synthesis: Synthesis, author: str = "Sobr'Industrie") -> Document:
    """L1.4 as a document model: rendered to PDF and DOCX by `deliverables.document`, and shown on
    the synthesis page."""
    document = Document(str(synthesis.title), author=author)
    document.paragraph(
        _("%(programme)s — analysis of %(date)s, %(count)s opportunities between %(orgs)s organisations.")
        % {
            "programme": synthesis.programme.name,
            "date": date_format(timezone.localtime(synthesis.analysis.run_at), "d/m/Y"),
            "count": synthesis.opportunity_count,
            "orgs": synthesis.analysis.organisation_count,
        }
    )
    document.heading(_("Opportunities per solution"))
    if synthesis.by_solution:
        document.table(
            [
                _("Solution"),
                _("Opportunities"),
                _("Avoided purchases (€)"),
                _("kgCO2e avoided"),
                _("Hours shared per year"),
            ],
            [
                [
                    summary.label,
                    summary.count,
                    _number(summary.avoided_eur),
                    _number(summary.avoided_kgco2e),
                    _number(summary.hours_per_year),
                ]
                for summary in synthesis.by_solution
            ],
            caption=_("Opportunities per solution, with their estimated gross potential"),
        )
    else:
        document.note(_("No opportunity detected."))
    for summary in synthesis.by_solution:
        document.heading(summary.label, level=2)
        document.bullets(summary.examples)
    document.heading(_("Opportunities per SME"))
    for sme in synthesis.by_sme:
        document.heading(sme.organisation.name, level=2)
        document.paragraph(
            _("Can provide: %(provides)s · could receive: %(receives)s")
            % {"provides": sme.provides, "receives": sme.receives}
        )
        document.bullets(sme.sentences)
        if sme.more:
            document.paragraph(_("and %(count)s more.") % {"count": sme.more})
    document.heading(_("Proposed teams and why"))
    document.paragraph(synthesis.teams_source)
    for team in synthesis.teams:
        document.heading(
            _("Team %(number)s — score %(score)s")
            % {"number": team.number, "score": number_format(team.score, 1)},
            level=2,
        )
        document.paragraph(", ".join(o.name for o in team.members))
        if team.reasons:
            document.bullets([sentence_of(reason) for reason in team.reasons])
        else:
            document.paragraph(_("No cooperation detected inside this team yet."))
    parameters = synthesis.analysis.parameters
    document.paragraph(
        _(
            "Method: distances are great-circle distances times a road factor of %(factor)s; cooperations are proposed up to %(radius)s km by road. Amounts are gross potentials for ranking, not business cases."
        )
        % {"factor": parameters.get("road_factor"), "radius": parameters.get("radius_km")},
        "small",
    )
    return document
