"""The programme's dated milestones, computed from its facts alone (no records needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sobrindustrie.engines.obligations.catalogue import (
    CountObligation,
    DeliverableDeadlineObligation,
    ObligationCatalogue,
    ObligationKind,
    PeriodicCountObligation,
    Scope,
    default_catalogue,
)
from sobrindustrie.engines.obligations.evaluate import programme_periods
from sobrindustrie.engines.obligations.records import ProgrammeFacts, validate_records


@dataclass(frozen=True)
class Milestone:
    """A dated step of the programme: the due date of a report, an event, a yearly or monthly meeting.

    `starts_on` is the opening of the obligation's window when it has one that rests on the facts.
    """

    due_on: date
    code: str
    label: str
    kind: ObligationKind
    period: str | None = None
    starts_on: date | None = None


def milestone_calendar(
    facts: ProgrammeFacts, catalogue: ObligationCatalogue | None = None
) -> list[Milestone]:
    """Every milestone of the catalogue's obligations marked `milestone: true`, sorted by date then code.

    Programme-wide counts give their due date (their window's start too, unless it rests on a meeting);
    periodic counts give one milestone per month or year; deliverable deadlines give their due date.
    """
    validate_records(facts)
    milestones: list[Milestone] = []
    for obligation in (catalogue or default_catalogue()).obligations:
        match obligation:
            case DeliverableDeadlineObligation(milestone=True):
                milestones.append(
                    Milestone(
                        due_on=obligation.due.resolve_from_facts(facts),
                        code=obligation.code,
                        label=obligation.label,
                        kind=obligation.kind,
                    )
                )
            case CountObligation(milestone=True, scope=Scope.PROGRAMME):
                starts_on = (
                    None
                    if obligation.window_from.needs_records
                    else obligation.window_from.resolve_from_facts(facts)
                )
                milestones.append(
                    Milestone(
                        due_on=obligation.due.resolve_from_facts(facts),
                        code=obligation.code,
                        label=obligation.label,
                        kind=obligation.kind,
                        starts_on=starts_on,
                    )
                )
            case PeriodicCountObligation(milestone=True):
                for period, window in programme_periods(
                    facts, obligation.period, obligation.min_overlap_days
                ):
                    milestones.append(
                        Milestone(
                            due_on=window.due,
                            code=obligation.code,
                            label=obligation.label,
                            kind=obligation.kind,
                            period=period,
                            starts_on=window.start,
                        )
                    )
    return sorted(milestones, key=lambda milestone: (milestone.due_on, milestone.code))
