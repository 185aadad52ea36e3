"""Cooperation analysis and team formation: find cooperation opportunities between organisations from
their production means, needs, offers and diagnostic signals, weigh pairs of organisations from them,
and partition the organisations into optimal project teams (OR-Tools CP-SAT).

Pure Python (no Django): the platform fills the input dataclasses from its models.
"""

from __future__ import annotations

from sobrindustrie.engines.teams.errors import TeamsInputError
from sobrindustrie.engines.teams.formation import (
    Alternative,
    Conflict,
    PartitionScore,
    Team,
    TeamProblem,
    TeamSolution,
    find_conflicts,
    greedy_partition,
    score_partition,
    solve_teams,
    validate_problem,
)
from sobrindustrie.engines.teams.geo import ROAD_FACTOR, great_circle_km, road_km
from sobrindustrie.engines.teams.inputs import SOLUTIONS, Machine, Need, Offer, Org, Signal
from sobrindustrie.engines.teams.opportunities import (
    WORDINGS,
    DetectionParameters,
    DetectionStats,
    Opportunity,
    PairWeight,
    WordingParam,
    detect_opportunities,
    opportunities_between,
    pair_weights,
)

__all__ = [
    "ROAD_FACTOR",
    "SOLUTIONS",
    "WORDINGS",
    "Alternative",
    "Conflict",
    "DetectionParameters",
    "DetectionStats",
    "Machine",
    "Need",
    "Offer",
    "Opportunity",
    "Org",
    "PairWeight",
    "WordingParam",
    "PartitionScore",
    "Signal",
    "Team",
    "TeamProblem",
    "TeamSolution",
    "TeamsInputError",
    "detect_opportunities",
    "find_conflicts",
    "great_circle_km",
    "greedy_partition",
    "opportunities_between",
    "pair_weights",
    "road_km",
    "score_partition",
    "solve_teams",
    "validate_problem",
]
