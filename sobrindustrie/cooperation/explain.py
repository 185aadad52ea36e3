"""Conflicts and broken constraints in words a workshop room can read, with organisation names.

The engine names organisations by their ids and words its messages for an instance file; here each
kind of conflict becomes a translated sentence built from the problem's own figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from sobrindustrie.cooperation.adapters import ProblemContext
from sobrindustrie.engines.teams import Conflict


def _names(context: ProblemContext, ids: Iterable[str]) -> str:
    return get_text_list([context.name(i) for i in ids], _("and"))


def _cannot_pair_inside(context: ProblemContext, members: tuple[str, ...]) -> tuple[str, str] | None:
    inside = set(members)
    return next(((a, b) for a, b in context.problem.cannot_link if a in inside and b in inside), None)


def describe(conflict: Conflict, context: ProblemContext) -> str:
    """One conflict (from `find_conflicts`, `solve_teams` or `score_partition`) as a sentence."""
    problem = context.problem
    n, k = len(problem.organisations), problem.k
    figures = {"k": k, "n": n, "min": problem.min_size, "max": problem.max_size}
    orgs = conflict.organisations
    kind = conflict.kind
    if kind == "sizes":
        return _("The minimum team size (%(min)s) is larger than the maximum (%(max)s).") % figures
    if kind == "too_many_teams":
        return _("%(k)s teams need at least %(k)s organisations; there are only %(n)s.") % figures
    if kind == "too_few_places":
        return _(
            "%(k)s teams of at most %(max)s members hold %(places)s organisations, but %(n)s must be placed."
        ) % {**figures, "places": k * problem.max_size}
    if kind == "too_many_places":
        return _(
            "%(k)s teams of at least %(min)s members need %(places)s organisations; there are only %(n)s."
        ) % {**figures, "places": k * problem.min_size}
    if kind == "must_link_too_large":
        return _(
            "%(names)s must stay together (pre-formed group or constraint) but they are %(count)s, "
            "more than the maximum team size of %(max)s."
        ) % {**figures, "names": _names(context, orgs), "count": len(orgs)}
    if kind == "must_and_cannot_link":
        pair = _cannot_pair_inside(context, orgs) or (orgs[0], orgs[-1])
        return _(
            "%(a)s and %(b)s cannot be in the same team, but must-link groups join them (%(names)s)."
        ) % {"a": context.name(pair[0]), "b": context.name(pair[1]), "names": _names(context, orgs)}
    if kind == "too_few_groups":
        return (
            _("Must-link groups leave fewer separate blocks of organisations than the %(k)s teams to fill.")
            % figures
        )
    if kind == "unsatisfiable":
        return _("These constraints cannot all hold together in %(k)s teams:") % figures
    if kind == "min_size":
        return _("every team has at least %(min)s members") % figures
    if kind == "max_size":
        return _("every team has at most %(max)s members") % figures
    if kind == "must_link":
        return _("%(names)s must be in the same team") % {"names": _names(context, orgs)}
    if kind == "cannot_link" and len(orgs) == 2:
        return _("%(a)s and %(b)s cannot be in the same team") % {
            "a": context.name(orgs[0]),
            "b": context.name(orgs[1]),
        }
    if kind == "missing":
        return _("Not in any team: %(names)s.") % {"names": _names(context, orgs)}
    if kind == "duplicate":
        return _("%(names)s is in more than one team.") % {"names": _names(context, orgs)}
    if kind == "team_count":
        return _("The partition does not have the %(k)s teams asked for.") % figures
    if kind == "size" and not orgs:
        return _("A team is empty; sizes must lie between %(min)s and %(max)s.") % figures
    if kind == "size":
        return _(
            "The team of %(names)s has %(count)s members; sizes must lie between %(min)s and %(max)s."
        ) % {**figures, "names": _names(context, orgs), "count": len(orgs)}
    if kind == "unknown_organisation":
        return _("%(names)s is not part of this team formation.") % {"names": _names(context, orgs)}
    return conflict.message


def describe_all(conflicts: Iterable[Conflict], context: ProblemContext) -> list[str]:
    return [describe(conflict, context) for conflict in conflicts]
