"""The synthesis of needs and issues across the diagnostics (deliverable L1.2).

Two sources, each named where it speaks:

- workshop 1 (`meetings.workshop`): what each company said in the room, quoted, with the themes it
  voted for and its satisfaction. The synthesis exists from the day after the workshop, before any
  diagnostic. Its webinar topics are the consultant's validated topics (completed, up to two, by
  the proposals drawn from the votes, marked as proposals), each with the companies concerned,
  their words, the funding schemes and the regional actors of its theme;
- the diagnostics, as they progress: figures count companies (how many diagnosed companies share a
  solution, a need, a barrier or an issue), so that one company with many machines does not weigh
  more than its neighbours. They add their figures to the workshop's topics of the same solution;
  before any workshop input, topics are proposed from the most shared needs first (then issues,
  barriers and solutions), titled by the method's `webinar_topics`, described only by the figures
  that justify them.

The consultant may replace the text of any section; figures and quotes stay computed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrindustrie.core.enums import Solution
from sobrindustrie.deliverables.document import Document
from sobrindustrie.diagnostics.documents import figure
from sobrindustrie.diagnostics.enums import BarrierCategory, DiagnosticStatus, Direction, OpportunityStatus
from sobrindustrie.diagnostics.evaluation import evaluate_programme
from sobrindustrie.diagnostics.methods.schema import WebinarTopic
from sobrindustrie.diagnostics.models import (
    Barrier,
    CooperationSignal,
    Diagnostic,
    MethodVersion,
    NeedsSynthesis,
    Opportunity,
)
from sobrindustrie.meetings.workshop import WorkshopInput, labels, workshop_input
from sobrindustrie.organisations.enums import Skill
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.organisations.reference import category_label

#: A planned diagnostic has found nothing yet: it would only dilute the shares.
COUNTED_STATUSES = (
    DiagnosticStatus.IN_PROGRESS,
    DiagnosticStatus.SHEET_DRAFTED,
    DiagnosticStatus.ACCEPTED,
    DiagnosticStatus.VALIDATED,
)
SECTIONS = ("introduction", "solutions", "needs", "barriers", "issues", "webinars", "conclusion")
SECTION_FIELDS = {
    "introduction": "introduction",
    "solutions": "solutions_text",
    "needs": "needs_text",
    "barriers": "barriers_text",
    "issues": "issues_text",
    "webinars": "webinars_text",
    "conclusion": "conclusion",
}
#: The sections whose figures come from the diagnostics alone (their source is said under their title).
DIAGNOSTIC_SECTIONS = ("solutions", "needs", "barriers", "issues")
THEME_ORDER = {"need": 0, "issue": 1, "barrier": 2, "solution": 3}
MIN_WEBINARS = 2
MAX_WEBINARS = 3


@dataclass
class Frequency:
    theme: str
    label: str
    companies: int = 0
    items: int = 0
    share: float = 0.0
    energy_kwh: float = 0.0
    ghg_kgco2e: float = 0.0
    euros: float = 0.0
    hours: float = 0.0
    interested: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def percent(self) -> str:
        return figure(self.share * 100)


@dataclass
class WebinarProposal:
    title: str
    description: str
    theme: str
    companies: int
    figures: list[str]
    #: Drawn from the data but not yet validated by the consultant (workshop topics only).
    is_proposal: bool = False


@dataclass
class SynthesisSection:
    key: str
    title: str
    text: str
    is_override: bool


@dataclass
class Synthesis:
    programme: Any
    laureates: int
    diagnosed: int
    by_status: list[tuple[str, int]]
    solutions: list[Frequency]
    needs: list[Frequency]
    offers: list[Frequency]
    barriers: list[Frequency]
    issues: list[Frequency]
    webinars: list[WebinarProposal]
    sections: dict[str, SynthesisSection] = field(default_factory=dict)
    workshop: WorkshopInput | None = None

    @property
    def title(self) -> str:
        return str(_("Synthesis of needs and issues — %(programme)s") % {"programme": self.programme.name})

    @property
    def common_issues(self) -> list[Frequency]:
        """Everything at least two companies share, most shared first."""
        shared = [f for f in [*self.needs, *self.issues, *self.barriers] if f.companies >= 2]
        return sorted(shared, key=lambda f: (-f.companies, THEME_ORDER[f.theme.split(":")[0]], f.label))


def _need_theme(kind: str, category: str, skill: str) -> tuple[str, str]:
    if kind == "skill":
        return f"need:skill:{skill}", str(_("Skill: %(skill)s") % {"skill": Skill(skill).label})
    top = category.split(".")[0]
    return f"need:capacity:{top}", str(
        _("Machine capacity: %(category)s") % {"category": category_label(top)}
    )


def _counted(
    themes_by_company: dict[str, set[int]], labels: dict[str, str], diagnosed: int
) -> dict[str, Frequency]:
    result = {}
    for theme, companies in themes_by_company.items():
        result[theme] = Frequency(
            theme,
            labels[theme],
            companies=len(companies),
            share=len(companies) / diagnosed if diagnosed else 0,
        )
    return result


def build_synthesis(programme: Any) -> Synthesis:
    diagnostics = list(
        Diagnostic.objects.for_programme(programme)
        .filter(status__in=COUNTED_STATUSES)
        .select_related("method", "organisation")
        .prefetch_related(
            Prefetch(
                "opportunities",
                queryset=Opportunity.objects.exclude(status=OpportunityStatus.DISMISSED).prefetch_related(
                    Prefetch("barriers", queryset=Barrier.objects.all())
                ),
            ),
            Prefetch("cooperation_signals", queryset=CooperationSignal.objects.all()),
        )
    )
    laureates = list(
        Organisation.objects.for_programme(programme).laureates().active().only("solution_interests")
    )
    all_statuses = dict.fromkeys(DiagnosticStatus.values, 0)
    for status in Diagnostic.objects.for_programme(programme).values_list("status", flat=True):
        all_statuses[status] += 1
    diagnosed = len(diagnostics)
    solutions = _solutions(diagnostics, laureates, diagnosed)
    needs, offers = _exchanges(diagnostics, diagnosed)
    barriers = _barriers(diagnostics, diagnosed)
    issues = _issues(diagnostics, diagnosed)
    workshop = workshop_input(programme)
    if workshop is not None and workshop.proposals:
        webinars = _workshop_webinars(workshop, solutions, diagnosed)
    else:
        topics = _webinar_topics(programme, diagnostics)
        webinars = _webinars(topics, needs, issues, barriers, solutions, diagnosed)
    synthesis = Synthesis(
        programme=programme,
        laureates=len(laureates),
        diagnosed=diagnosed,
        by_status=[(str(DiagnosticStatus(s).label), n) for s, n in all_statuses.items()],
        solutions=solutions,
        needs=needs,
        offers=offers,
        barriers=barriers,
        issues=issues,
        webinars=webinars,
        workshop=workshop,
    )
    overrides = NeedsSynthesis.objects.filter(programme=programme).first()
    synthesis.sections = _sections(synthesis, overrides)
    return synthesis


def _solutions(
    diagnostics: list[Diagnostic], laureates: Iterable[Organisation], diagnosed: int
) -> list[Frequency]:
    result = {code: Frequency(f"solution:{code}", str(label)) for code, label in Solution.choices}
    companies: dict[str, set[int]] = defaultdict(set)
    for diagnostic in diagnostics:
        for opportunity in diagnostic.opportunities.all():
            item = result[opportunity.solution]
            companies[opportunity.solution].add(diagnostic.organisation_id)
            item.items += 1
            item.energy_kwh += opportunity.energy_kwh_per_year or 0
            item.ghg_kgco2e += opportunity.ghg_kgco2e_per_year or 0
            item.euros += float(opportunity.euros_per_year or 0)
    for organisation in laureates:
        for code in organisation.solution_interests or []:
            if code in result:
                result[code].interested += 1
    for code, item in result.items():
        item.companies = len(companies[code])
        item.share = item.companies / diagnosed if diagnosed else 0
    return sorted(result.values(), key=lambda f: (-f.companies, -f.items, f.label))


def _exchanges(diagnostics: list[Diagnostic], diagnosed: int) -> tuple[list[Frequency], list[Frequency]]:
    by_direction: dict[str, dict[str, set[int]]] = {
        Direction.NEEDS: defaultdict(set),
        Direction.OFFERS: defaultdict(set),
    }
    labels: dict[str, str] = {}
    hours: dict[str, float] = defaultdict(float)
    items: dict[str, int] = defaultdict(int)
    for diagnostic in diagnostics:
        entries = [
            (Direction.NEEDS, o.need_kind, o.need_category, o.need_skill, o.need_hours_per_year)
            for o in diagnostic.opportunities.all()
            if o.need_kind
        ]
        entries += [
            (s.direction, s.kind, s.category, s.skill, s.hours_per_year)
            for s in diagnostic.cooperation_signals.all()
        ]
        for direction, kind, category, skill, hours_per_year in entries:
            theme, label = _need_theme(kind, category, skill)
            if direction == Direction.OFFERS:
                theme = "offer" + theme[4:]
            labels[theme] = label
            by_direction[direction][theme].add(diagnostic.organisation_id)
            items[theme] += 1
            hours[theme] += hours_per_year or 0
    results = []
    for direction in (Direction.NEEDS, Direction.OFFERS):
        counted = _counted(by_direction[direction], labels, diagnosed)
        for theme, item in counted.items():
            item.items, item.hours = items[theme], hours[theme]
        results.append(sorted(counted.values(), key=lambda f: (-f.companies, -f.items, f.label)))
    return results[0], results[1]


def _barriers(diagnostics: list[Diagnostic], diagnosed: int) -> list[Frequency]:
    result = {code: Frequency(f"barrier:{code}", str(label)) for code, label in BarrierCategory.choices}
    companies: dict[str, set[int]] = defaultdict(set)
    for diagnostic in diagnostics:
        for opportunity in diagnostic.opportunities.all():
            for barrier in opportunity.barriers.all():
                item = result[barrier.category]
                companies[barrier.category].add(diagnostic.organisation_id)
                item.items += 1
                if barrier.comment and barrier.comment not in item.comments and len(item.comments) < 3:
                    item.comments.append(barrier.comment)
    for code, item in result.items():
        item.companies = len(companies[code])
        item.share = item.companies / diagnosed if diagnosed else 0
    return sorted(result.values(), key=lambda f: (-f.companies, -f.items, f.label))


def _issues(diagnostics: list[Diagnostic], diagnosed: int) -> list[Frequency]:
    evaluations = evaluate_programme(diagnostics)
    companies: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    for diagnostic in diagnostics:
        for issue in evaluations[diagnostic.pk].issues:
            theme = f"issue:{issue.id}"
            labels[theme] = issue.label
            companies[theme].add(diagnostic.organisation_id)
    counted = _counted(companies, labels, diagnosed)
    for item in counted.values():
        item.items = item.companies
    return sorted(counted.values(), key=lambda f: (-f.companies, f.label))


def _webinar_topics(programme: Any, diagnostics: list[Diagnostic]) -> dict[str, WebinarTopic]:
    """Topics of the methods in use, the latest validated version winning on a shared theme."""
    versions = {d.method_id: d.method for d in diagnostics}
    latest = MethodVersion.objects.for_programme(programme).validated().order_by("-validated_at").first()
    ordered = sorted(versions.values(), key=lambda m: m.created_at)
    if latest is not None:
        ordered.append(latest)
    topics: dict[str, WebinarTopic] = {}
    for version in ordered:
        for topic in version.method.webinar_topics:
            topics[topic.theme] = topic
    return topics


def _justification(item: Frequency, diagnosed: int) -> list[str]:
    share = {"count": item.companies, "total": diagnosed, "percent": item.percent}
    head = item.theme.split(":")[0]
    lines = []
    if head == "need":
        lines.append(str(_("%(count)d of %(total)d diagnosed companies (%(percent)s %%) need it.") % share))
        if item.hours:
            lines.append(str(_("%(hours)s hours a year expressed in all.") % {"hours": figure(item.hours)}))
    elif head == "issue":
        lines.append(
            str(_("%(count)d of %(total)d diagnosed companies (%(percent)s %%) share this issue.") % share)
        )
    elif head == "barrier":
        lines.append(
            str(_("%(count)d of %(total)d diagnosed companies (%(percent)s %%) meet this barrier.") % share)
            + " "
            + str(_("%(items)d barriers noted.") % {"items": item.items})
        )
        lines.extend(f"« {comment} »" for comment in item.comments[:2])
    else:
        lines.append(
            str(
                _(
                    "%(count)d of %(total)d diagnosed companies (%(percent)s %%) have an opportunity of this solution."
                )
                % share
            )
        )
        lines.append(
            str(
                _("%(items)d opportunities: %(energy)s kWh/year, %(ghg)s kgCO2e/year, %(euros)s €/year.")
                % {
                    "items": item.items,
                    "energy": figure(item.energy_kwh),
                    "ghg": figure(item.ghg_kgco2e),
                    "euros": figure(item.euros),
                }
            )
        )
    return lines


def _webinars(
    topics: dict[str, WebinarTopic],
    needs: list[Frequency],
    issues: list[Frequency],
    barriers: list[Frequency],
    solutions: list[Frequency],
    diagnosed: int,
) -> list[WebinarProposal]:
    """The two most shared needs first (the contract asks topics drawn from the needs), then the
    most shared issue, barrier or solution; every proposal carries the figures behind it."""
    shared_needs = [f for f in needs if f.companies >= 2][:MIN_WEBINARS]
    others = sorted(
        (f for f in [*needs, *issues, *barriers, *solutions] if f.companies > 0 and f not in shared_needs),
        key=lambda f: (-f.companies, THEME_ORDER[f.theme.split(":")[0]], f.label),
    )
    proposals: list[WebinarProposal] = []
    for item in [*shared_needs, *others]:
        if len(proposals) == MAX_WEBINARS:
            break
        topic = topics.get(item.theme)
        title = topic.title if topic else str(_("Sharing experience: %(theme)s") % {"theme": item.label})
        if any(p.title == title for p in proposals):
            continue
        proposals.append(
            WebinarProposal(title, "", item.theme, item.companies, _justification(item, diagnosed))
        )
    for theme, topic in topics.items():
        # Too few diagnostics yet: complete with the method's own topics, saying so.
        if len(proposals) >= MIN_WEBINARS:
            break
        if all(p.theme != theme for p in proposals):
            proposals.append(
                WebinarProposal(
                    topic.title,
                    "",
                    theme,
                    0,
                    [str(_("Not yet supported by the diagnostics' figures."))],
                )
            )
    return proposals


def _workshop_webinars(
    workshop: WorkshopInput, solutions: list[Frequency], diagnosed: int
) -> list[WebinarProposal]:
    """The workshop's topics, each with what backs it; the diagnostics add their figures for the
    same solution, each line saying where it comes from."""
    by_theme = {f.theme: f for f in solutions}
    webinars = []
    for proposal in workshop.topics_for_synthesis():
        figures = [str(_("From workshop 1: %(line)s") % {"line": line}) for line in proposal.lines()]
        found = by_theme.get(f"solution:{proposal.theme}")
        if found is not None and found.companies:
            figures += [
                str(_("From the diagnostics: %(line)s") % {"line": line})
                for line in _justification(found, diagnosed)
            ]
        webinars.append(
            WebinarProposal(
                proposal.title,
                proposal.description,
                f"solution:{proposal.theme}",
                len(proposal.companies),
                figures,
                is_proposal=not proposal.is_validated,
            )
        )
    return webinars


def _top(items: list[Frequency], count: int = 3) -> str:
    shown = [f"{f.label} ({f.companies})" for f in items if f.companies][:count]
    return ", ".join(shown) if shown else str(_("none yet"))


def _introduction(s: Synthesis) -> str:
    text = str(
        _(
            "This synthesis covers %(diagnosed)d diagnostics under way or completed, out of %(laureates)d laureate "
            "companies. Figures count companies: the number in brackets is how many companies share each item."
        )
        % {"diagnosed": s.diagnosed, "laureates": s.laureates}
    )
    if s.workshop is None:
        return text
    workshop = str(
        _(
            "It starts from collective workshop 1 of %(date)s, where %(count)d companies said what they need "
            "and can offer and voted for the themes of the webinars; the diagnostics then complete it."
        )
        % {"date": s.workshop.meeting.starts_on.strftime("%d/%m/%Y"), "count": len(s.workshop.contributions)}
    )
    return f"{workshop} {text}"


def generated_texts(s: Synthesis) -> dict[str, str]:
    return {
        "introduction": _introduction(s),
        "solutions": str(
            _("The most frequent sobriety solutions are: %(top)s.") % {"top": _top(s.solutions)}
        ),
        "needs": str(_("The needs shared by the most companies are: %(top)s.") % {"top": _top(s.needs)}),
        "barriers": str(_("The barriers met most often are: %(top)s.") % {"top": _top(s.barriers)}),
        "issues": str(
            _("Issues shared by at least two companies: %(top)s.") % {"top": _top(s.common_issues, 6)}
        ),
        "webinars": str(
            _(
                "We propose %(count)d webinar topics, drawn from the workshop's votes and the most shared needs: %(titles)s."
            )
            % {"count": len(s.webinars), "titles": "; ".join(w.title for w in s.webinars)}
        ),
        "conclusion": "",
    }


# Lazy: the titles are read in the language of each request, not the one active at import.
SECTION_TITLES = {
    "introduction": gettext_lazy("Scope"),
    "solutions": gettext_lazy("Sobriety solutions identified"),
    "needs": gettext_lazy("Needs"),
    "barriers": gettext_lazy("Barriers"),
    "issues": gettext_lazy("Common issues"),
    "webinars": gettext_lazy("Proposed webinar topics"),
    "conclusion": gettext_lazy("Conclusion"),
}


def _sections(synthesis: Synthesis, overrides: NeedsSynthesis | None) -> dict[str, SynthesisSection]:
    generated = generated_texts(synthesis)
    sections = {}
    for key in SECTIONS:
        override = getattr(overrides, SECTION_FIELDS[key], "") if overrides else ""
        sections[key] = SynthesisSection(
            key, str(SECTION_TITLES[key]), override or generated[key], bool(override)
        )
    return sections


def _frequency_rows(items: list[Frequency], diagnosed: int) -> list[list[str]]:
    return [
        [
            "\n".join([f.label, *(f"« {comment} »" for comment in f.comments)]),
            f"{f.companies} / {diagnosed}",
            f"{f.percent} %",
            str(f.items),
        ]
        for f in items
        if f.companies
    ]


def synthesis_document(s: Synthesis, author: str = "Sobr'Industrie") -> Document:
    """The synthesis as a document model: rendered to PDF and DOCX by `deliverables.document`, and
    shown on the synthesis page."""
    document = Document(s.title, banner=s.title, author=author)
    document.paragraph(
        str(_("Deliverable L1.2 — synthesis of needs and issues, with proposed webinar topics.")), "small"
    )
    header = [str(_("Item")), str(_("Companies")), str(_("Share")), str(_("Occurrences"))]
    for key in SECTIONS:
        section = s.sections[key]
        if key == "conclusion" and not section.text:
            continue
        document.heading(section.title)
        document.paragraph(section.text)
        if key in DIAGNOSTIC_SECTIONS:
            document.note(
                str(_("Source: the %(count)d diagnostics under way or completed.") % {"count": s.diagnosed})
            )
        if key == "introduction":
            document.table(
                [str(_("Status")), str(_("Diagnostics"))],
                s.by_status,
                caption=str(_("Diagnostics by status")),
            )
            if s.workshop is not None:
                _workshop_part(document, s.workshop)
        elif key == "solutions":
            document.table(
                [
                    str(_("Solution")),
                    str(_("Companies")),
                    str(_("Opportunities")),
                    "kWh/an",
                    "kgCO2e/an",
                    "€/an",
                    str(_("Interest at candidacy")),
                ],
                [
                    [
                        f.label,
                        f"{f.companies} / {s.diagnosed}",
                        f.items,
                        figure(f.energy_kwh),
                        figure(f.ghg_kgco2e),
                        figure(f.euros),
                        f.interested,
                    ]
                    for f in s.solutions
                ],
                caption=str(_("How often each solution occurs, and its estimated potential")),
            )
        elif key == "needs":
            _frequency_table(document, header, s.needs, s.diagnosed, str(_("Needs from other companies")))
            _frequency_table(document, header, s.offers, s.diagnosed, str(_("What companies could offer")))
        elif key == "barriers":
            _frequency_table(document, header, s.barriers, s.diagnosed, str(_("Barriers by category")))
        elif key == "issues":
            _frequency_table(
                document,
                header,
                s.common_issues,
                s.diagnosed,
                str(_("Needs, issues and barriers shared by at least two companies")),
            )
        elif key == "webinars":
            for number, webinar in enumerate(s.webinars, start=1):
                document.heading(f"{number}. {webinar.title}", level=2)
                if webinar.is_proposal:
                    document.note(
                        str(_("Proposal drawn from the workshop, not yet validated by the consultant."))
                    )
                if webinar.description:
                    document.paragraph(webinar.description)
                document.bullets(webinar.figures)
    return document


def _workshop_part(document: Document, workshop: WorkshopInput) -> None:
    """What the companies said at workshop 1, in their words."""
    date = workshop.meeting.starts_on.strftime("%d/%m/%Y")
    document.heading(str(_("What the companies said at workshop 1 (%(date)s)") % {"date": date}), level=2)
    document.note(str(_("Source: typed during the workshop by the consultant, company by company.")))
    # One item per company rather than a wide table: their words are long, and a narrow column
    # would cut them into fragments.
    document.paragraph(str(_("Needs and offers expressed at workshop 1")), "strong")
    document.bullets(_company_line(c) for c in workshop.contributions)
    document.table(
        [str(_("Theme")), str(_("Points")), str(_("Votes")), str(_("Companies concerned"))],
        [[p.label, str(p.points), str(p.voters), str(len(p.companies))] for p in workshop.proposals],
        caption=str(_("Themes voted for (3 points for a first choice, 2 for a second, 1 for a third)")),
    )
    mean = workshop.satisfaction_mean
    if mean is None:
        document.note(str(_("Satisfaction: nobody gave a mark.")))
    else:
        document.paragraph(
            str(
                _("Satisfaction: %(mean)s / 5 on average, from %(count)d companies.")
                % {"mean": figure(mean), "count": len(workshop.satisfaction)}
            )
        )


def _company_line(contribution: Any) -> str:
    parts = [contribution.organisation.name]
    if contribution.needs:
        parts.append(str(_("needs: « %(text)s »") % {"text": contribution.needs}))
    if contribution.offers:
        parts.append(str(_("offers: « %(text)s »") % {"text": contribution.offers}))
    if contribution.solutions:
        parts.append(str(_("solutions concerned: %(list)s") % {"list": labels(contribution.solutions)}))
    if contribution.votes:
        parts.append(str(_("votes, in order: %(list)s") % {"list": labels(contribution.votes)}))
    return " — ".join(parts)


def _frequency_table(
    document: Document, header: list[str], items: list[Frequency], diagnosed: int, caption: str
) -> None:
    rows = _frequency_rows(items, diagnosed)
    if rows:
        document.table(header, rows, caption=caption)
    else:
        document.note(str(_("%(what)s: none yet.") % {"what": caption}))
