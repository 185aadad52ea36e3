"""An opportunity's sentence, written in the reader's language from the engine's wording code and
parameters (`engines.teams.opportunities.WORDINGS`): the engine never writes French.

Analyses stored before the engine returned codes kept their French sentence: a data migration gave
them the code ``legacy`` with that sentence and the organisations' names. They are shown as stored in
French, and as a short sentence built from the names, the solution and the distance in other languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.organisations.reference import taxonomy

LEGACY = "legacy"
"""The code of opportunities stored before the engine returned codes (their French sentence kept)."""

VOWELS = "aeiouyàâäéèêëîïôöùûü"


def _n(value: Any) -> str:
    return number_format(round(float(value)), decimal_pos=0, use_l10n=True, force_grouping=True)


def _french() -> bool:
    return (get_language() or "").startswith("fr")


def _of(name: str) -> str:
    """« of X », elided in French before a vowel (« d'Avignon Usinage »)."""
    if _french() and name[:1].lower() in VOWELS:
        return f"d'{name}"
    return _("of %(name)s") % {"name": name}


def _apart(km: Any) -> str:
    rounded = round(float(km or 0))
    if rounded < 1:
        return _("less than a kilometre apart")
    return ngettext("%(km)s km apart", "%(km)s km apart", rounded) % {"km": _n(rounded)}


def _category(code: str) -> str:
    """A production-means category's label in the reader's language (the code if unknown)."""
    category = taxonomy().get(code)
    if category is None:
        return code
    return category.label_fr if _french() else category.label_en


def _with_detail(clause: str, p: Mapping[str, Any]) -> str:
    return f"{clause} ({p['detail']})" if p.get("detail") else clause


def _capacity_demand(p: Mapping[str, Any], *, one: bool) -> str:
    if p.get("planned"):
        if one:
            return _("%(receiver)s plans to buy one (“%(machine)s”)") % {
                "receiver": p["receiver"],
                "machine": p["planned"],
            }
        return _("%(receiver)s plans to buy “%(machine)s”") % {
            "receiver": p["receiver"],
            "machine": p["planned"],
        }
    if p.get("wanted_hours"):
        clause = _("%(receiver)s is looking for %(hours)s h/year of this capacity") % {
            "receiver": p["receiver"],
            "hours": _n(p["wanted_hours"]),
        }
    else:
        clause = _("%(receiver)s is looking for this capacity") % {"receiver": p["receiver"]}
    return _with_detail(clause, p)


def _skill_offer(skill: str, provider: str) -> str:
    offers = {
        "retrofit": _("%(provider)s offers its retrofit skills"),
        "design": _("%(provider)s can design production tools"),
        "fabrication": _("%(provider)s can build production tools"),
        "maintenance": _("%(provider)s has maintenance skills"),
    }
    return offers.get(skill, offers["fabrication"]) % {"provider": provider}


def _skill_need(skill: str, receiver: str) -> str:
    needs = {
        "retrofit": _("%(receiver)s is looking for retrofit skills"),
        "design": _("%(receiver)s is looking for design skills"),
        "fabrication": _("%(receiver)s is looking for fabrication skills"),
        "maintenance": _("%(receiver)s is looking for maintenance skills"),
    }
    return needs.get(skill, needs["fabrication"]) % {"receiver": receiver}


def _pooling(p: Mapping[str, Any]) -> list[str]:
    supply = _(
        "the machine “%(machine)s” %(of_owner)s runs %(hours)s h/year out of %(possible)s possible"
    ) % {
        "machine": p["machine"],
        "of_owner": _of(p["provider"]),
        "hours": _n(p["hours"]),
        "possible": _n(p["possible"]),
    }
    return [supply, _capacity_demand(p, one=True)]


def _functional(p: Mapping[str, Any]) -> list[str]:
    values = {"provider": p["provider"], "hours": _n(p.get("offered_hours") or 0)}
    if p.get("machine"):
        values["machine"] = p["machine"]
        if p.get("offered_hours"):
            supply = _("%(provider)s offers to sell %(hours)s h/year of use of “%(machine)s”") % values
        else:
            supply = _("%(provider)s offers to sell the use of “%(machine)s”") % values
    else:
        values["equipment"] = p.get("equipment") or _category(str(p.get("category") or ""))
        if p.get("offered_hours"):
            supply = (
                _("%(provider)s offers to sell %(hours)s h/year of use of its equipment (%(equipment)s)")
                % values
            )
        else:
            supply = _("%(provider)s offers to sell the use of its equipment (%(equipment)s)") % values
    return [supply, _capacity_demand(p, one=False)]


def _skill_need_clauses(p: Mapping[str, Any]) -> list[str]:
    skill = str(p.get("skill") or "")
    need = _with_detail(_skill_need(skill, p["receiver"]), p)
    if p.get("hours"):
        need = _("%(need)s, %(hours)s h/year") % {"need": need, "hours": _n(p["hours"])}
    return [_skill_offer(skill, p["provider"]), need]


def _retrofit(p: Mapping[str, Any]) -> list[str]:
    states = []
    if p.get("condition") == "poor":
        states.append(_("is in poor condition"))
    elif p.get("condition") == "out_of_service":
        states.append(_("is out of service"))
    if p.get("action") == "replace":
        states.append(_("must be replaced"))
    state = (
        states[0]
        if len(states) == 1
        else _("%(first)s and %(second)s") % dict(zip(("first", "second"), states, strict=False))
    )
    machine = _("the machine “%(machine)s” %(of_owner)s %(state)s") % {
        "machine": p["machine"],
        "of_owner": _of(p["receiver"]),
        "state": state,
    }
    return [_skill_offer("retrofit", p["provider"]), machine]


def _fabrication(p: Mapping[str, Any]) -> list[str]:
    values = {"receiver": p["receiver"], "machine": p["machine"]}
    if p.get("action") == "purchase":
        demand = _("%(receiver)s plans to buy “%(machine)s”") % values
    else:
        demand = _("%(receiver)s must replace “%(machine)s”") % values
    return [_skill_offer(str(p.get("skill") or "fabrication"), p["provider"]), demand]


def _maintenance(p: Mapping[str, Any]) -> list[str]:
    values = {"of_owner": _of(p["receiver"]), "km": _n(p["farthest_km"]), "count": _n(p["count"])}
    if p.get("machine"):
        what = _("the machine “%(machine)s” %(of_owner)s is maintained by a contractor %(km)s km away") % {
            **values,
            "machine": p["machine"],
        }
    else:
        what = (
            _("%(count)s machines %(of_owner)s are maintained by contractors up to %(km)s km away") % values
        )
    return [_skill_offer("maintenance", p["provider"]), what]


CLAUSES = {
    "pooling": _pooling,
    "functional_economy": _functional,
    "retrofit_machine": _retrofit,
    "fabrication_machine": _fabrication,
    "maintenance_machines": _maintenance,
    "skill_need": _skill_need_clauses,
}


def _legacy(p: Mapping[str, Any], solution: str) -> str:
    if _french() and p.get("sentence"):
        return str(p["sentence"])
    label = Solution(solution).label if solution in Solution.values else solution
    sentence = _("%(provider)s could cooperate with %(receiver)s (%(solution)s); %(apart)s.") % {
        "provider": p.get("provider", ""),
        "receiver": p.get("receiver", ""),
        "solution": str(label).lower(),
        "apart": _apart(p.get("km")),
    }
    return sentence[:1].upper() + sentence[1:]


def opportunity_sentence(wording: str, params: Mapping[str, Any], solution: str = "") -> str:
    """The sentence of an opportunity in the active language, from its wording code and parameters."""
    clauses = CLAUSES.get(wording)
    if clauses is None:
        return _legacy(params, solution)
    first, second = clauses(params)
    sentence = _("%(supply)s; %(demand)s; %(apart)s.") % {
        "supply": first,
        "demand": second,
        "apart": _apart(params.get("km")),
    }
    return sentence[:1].upper() + sentence[1:]


def sentence_of(opportunity: Any) -> str:
    """`opportunity_sentence` of a stored opportunity or of one the engine returned."""
    params = opportunity.wording_params
    return opportunity_sentence(
        opportunity.wording, params if isinstance(params, Mapping) else dict(params), opportunity.solution
    )
