"""The contract's obligations engine: which meetings, reports, deadlines and caps the programme owes.

The obligations are data (`sobrindustrie/engines/data/obligations_v1.yaml`, see `catalogue`); the
Django side fills `ProgrammeFacts` and the record dataclasses and calls `evaluate_obligations` and
`milestone_calendar`. Status semantics are documented in `evaluate`.
"""

from __future__ import annotations

from sobrindustrie.engines.obligations.catalogue import (
    ObligationCatalogue,
    ObligationDataError,
    ObligationKind,
    default_catalogue,
    load_catalogue,
    parse_catalogue,
    parse_catalogue_text,
)
from sobrindustrie.engines.obligations.evaluate import (
    ObligationResult,
    ObligationStatus,
    ScopeKind,
    evaluate_obligations,
)
from sobrindustrie.engines.obligations.milestones import Milestone, milestone_calendar
from sobrindustrie.engines.obligations.reasons import Reason, ReasonCode, english
from sobrindustrie.engines.obligations.records import (
    MEETING_KINDS,
    MEETING_MODES,
    TIME_OBJECT_KINDS,
    DeliverableRecord,
    MeetingRecord,
    ObligationError,
    ObligationInputError,
    ProgrammeFacts,
    TimeRecord,
)

__all__ = [
    "MEETING_KINDS",
    "MEETING_MODES",
    "TIME_OBJECT_KINDS",
    "DeliverableRecord",
    "MeetingRecord",
    "Milestone",
    "ObligationCatalogue",
    "ObligationDataError",
    "ObligationError",
    "ObligationInputError",
    "ObligationKind",
    "ObligationResult",
    "ObligationStatus",
    "ProgrammeFacts",
    "Reason",
    "ReasonCode",
    "ScopeKind",
    "TimeRecord",
    "default_catalogue",
    "english",
    "evaluate_obligations",
    "load_catalogue",
    "milestone_calendar",
    "parse_catalogue",
    "parse_catalogue_text",
]
