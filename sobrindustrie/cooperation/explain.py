"""Conflicts and broken constraints in words a workshop room can read, with organisation names.

The engine names organisations by their ids and words its messages for an instance file; here each
kind of conflict becomes a translated sentence built from the problem's own figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from sobrindustrie.cooperation.adapters import COHESION_FLOOR, ProblemContext
from sobrindustrie.engines.teams import Conflict


def _names(context: ProblemContext, ids: Iterable[str]) -> str:
    return get_text_list([context.name(i) for i in ids], _("and"))


def _cannot_pair_inside(context: ProblemContext, members: tuple[str, ...]) -> tuple[str, str] | None:
    inside = set(members)
    return next(((a, b) for a, b in context.problem.cannot_link if a in inside and b in inside), None)


def _score(value: float) -> str:
    return number_format(value, decimal_pos=1 if value < 10 else 0, use_l10n=True, force_grouping=True)


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
    params = dict(conflict.params)
    if kind == "floor_too_few_linked":
        return _(
            "Only %(linked)s teams can hold a cooperation: the cooperations found link too few organisations "
            "for %(k)s teams each with one. Lower the number of teams, or untick the floor."
        ) % {**figures, "linked": int(params.get("linked_teams_max", 0))}
    if kind == "floor_above_total":
        return _(
            "%(k)s teams each scoring at least %(floor)s would need %(needed)s points; all the cooperations "
            "together give at most %(total)s."
        ) % {
            **figures,
            "floor": _score(params.get("floor", 0)),
            "needed": _score(params.get("floor", 0) * k),
            "total": _score(params.get("total_bound", 0)),
        }
    cohesion = params.get("floor", 1.0) <= COHESION_FLOOR
    if kind in ("floor_unreachable", "floor_above_total") and cohesion:
        if orgs:
            return _(
                "No partition into %(k)s teams gives every team a cooperation: %(names)s cannot be joined "
                "by one. Lower the number of teams, or untick the floor."
            ) % {**figures, "names": _names(context, orgs)}
        return (
            _(
                "No partition into %(k)s teams gives every team a cooperation. Lower the number of teams, or "
                "untick the floor."
            )
            % figures
        )
    if kind == "floor_unreachable":
        if "best_minimum" in params and orgs:
            return _(
                "No partition gives every team a score of at least %(floor)s: at best the weakest team scores "
                "%(best)s (%(names)s)."
            ) % {
                "floor": _score(params.get("floor", 0)),
                "best": _score(params["best_minimum"]),
                "names": _names(context, orgs),
            }
        return _("No partition gives every team a score of at least %(floor)s (at best %(bound)s).") % {
            "floor": _score(params.get("floor", 0)),
            "bound": _score(params.get("best_minimum_bound", 0)),
        }
    if kind == "unknown_organisation":
        return _("%(names)s is not part of this team formation.") % {"names": _names(context, orgs)}
    return conflict.message


def describe_all(conflicts: Iterable[Conflict], context: ProblemContext) -> list[str]:
    return [describe(conflict, context) for conflict in conflicts]
