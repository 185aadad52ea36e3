"""What the browser checks found, gathered over the session and summarised at its end."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from tests.e2e.probe import PageCheck

CHECKS: list[PageCheck] = []
CRAWL_NOTES: list[str] = []


def summary_lines() -> list[str]:
    """EcoIndex of every page checked, the minimum and median, then what the crawls left out."""
    scored = [(check, check.ecoindex) for check in CHECKS if check.ecoindex is not None]
    if not scored:
        return []
    lines = [f"{index.score:>4} {index.grade}  {check.label}: {index.describe()}" for check, index in scored]
    scores = [index.score for _, index in scored]
    violations = sum(len(check.violations) for check in CHECKS)
    lines.append(
        f"{len(scores)} pages: EcoIndex min {min(scores)}, median {statistics.median(scores)}; "
        f"{violations} serious or critical axe violations"
    )
    return lines + CRAWL_NOTES


def failure_report(checks: list[PageCheck]) -> str:
    """The problems of the failing checks, page by page; empty when every check passes."""
    lines = []
    for check in checks:
        problems = check.problems()
        if problems:
            lines.append(f"{check.label}:")
            lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


def earlier_check(role: str, path: str) -> PageCheck | None:
    """The check of `path` as `role` made earlier in the session, if any."""
    return next((c for c in CHECKS if (c.role, c.requested_path) == (role, path)), None)


record_check: Callable[[PageCheck], None] = CHECKS.append
