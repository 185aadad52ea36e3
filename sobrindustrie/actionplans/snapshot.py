"""A plan's content as plain JSON data: frozen in adopted versions, and the one input of the sheets.

`build_snapshot` reads the working draft; `present` turns a snapshot (stored or fresh) into what
templates and documents show (labels, dates, amounts); `compare` lists what changed between two
snapshots. The L1.9 sheet (HTML, PDF, DOCX) and the version pages all go through `present`, so a
version looks the same whichever way it is read.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.actionplans.enums import (
    ActionStatus,
    FundingNature,
    IndicatorDirection,
    MeetingFrequency,
    Priority,
    RaciRole,
    StepStatus,
)
from sobrindustrie.core.enums import Solution
from sobrindustrie.teams.enums import MemberRole

if TYPE_CHECKING:
    from sobrindustrie.actionplans.models import Action, ActionPlan, ActionPlanVersion, ActionStep
    from sobrindustrie.organisations.models import Person

#: 1: as first adopted; 2: steps carry their owner (name and organisation at adoption), and every
#: person is stored with their id (`*_id`), so that erasing a person scrubs their name here too
#: (`scrub_person`). Snapshots of schema 1 stay readable: `present` gives their steps no owner; an
#: erasure finds the person there by their former names (when no one else in the programme bears them).
SCHEMA = 2
GAINS = (
    "energy_kwh_per_year",
    "material_kg_per_year",
    "ghg_kgco2e_per_year",
    "savings_eur_per_year",
    "km_avoided_per_year",
    "local_partners",
)
MONEY = ("investment_budget_eur", "operating_budget_eur", "funding_need_eur")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _name(value: object | None) -> str:
    return str(value) if value is not None else ""


def _pk(value: Any) -> int | None:
    return value.pk if value is not None else None


def _step(step: ActionStep) -> dict[str, Any]:
    owner = step.owner
    return {
        "title": step.title,
        "due_on": _iso(step.due_on),
        "status": step.status,
        # As they are at adoption: a later rename does not rewrite what was adopted.
        "owner_id": _pk(owner),
        "owner": _name(owner),
        "owner_organisation": owner.organisation.name if owner is not None else "",
    }


def plan_actions(plan: ActionPlan) -> Any:
    """The plan's actions with everything a snapshot or a table reads, in a fixed number of queries."""
    from sobrindustrie.actionplans.models import ActionContributor, ActionStep, Indicator

    return plan.actions.select_related("lead_organisation", "lead_person").prefetch_related(
        Prefetch("contributors", queryset=ActionContributor.objects.select_related("organisation", "person")),
        Prefetch("steps", queryset=ActionStep.objects.select_related("owner__organisation")),
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("measurements")),
        "dependency_links__prerequisite",
    )


def _action(action: Action) -> dict[str, Any]:
    indicators = []
    for indicator in action.indicators.all():
        measurements = sorted(indicator.measurements.all(), key=lambda m: m.measured_on)
        last = measurements[-1] if measurements else None
        indicators.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "baseline_value": indicator.baseline_value,
                "baseline_on": _iso(indicator.baseline_on),
                "target_value": indicator.target_value,
                "target_on": _iso(indicator.target_on),
                "last_value": last.value if last else None,
                "last_on": _iso(last.measured_on) if last else None,
            }
        )
    return {
        "id": action.pk,
        "position": action.position,
        "title": action.title,
        "solution": action.solution,
        "description": action.description,
        "lead_organisation": _name(action.lead_organisation),
        "lead_person_id": _pk(action.lead_person),
        "lead_person": _name(action.lead_person),
        "starts_on": _iso(action.starts_on),
        "ends_on": _iso(action.ends_on),
        "priority": action.priority,
        "status": action.status,
        "progress_percent": action.progress_percent,
        **{name: _money(getattr(action, name)) for name in MONEY},
        "funding_nature": action.funding_nature,
        "funding_notes": action.funding_notes,
        "gains": {
            "energy_kwh_per_year": action.expected_energy_kwh_per_year,
            "material_kg_per_year": action.expected_material_kg_per_year,
            "ghg_kgco2e_per_year": action.expected_ghg_kgco2e_per_year,
            "savings_eur_per_year": _money(action.expected_savings_eur_per_year),
            "km_avoided_per_year": action.expected_km_avoided_per_year,
            "local_partners": action.expected_local_partners,
        },
        "gains_notes": action.gains_notes,
        "risks": action.risks,
        "barriers": action.barriers,
        "contributors": [
            {
                "organisation": _name(c.organisation),
                "person_id": _pk(c.person),
                "person": _name(c.person),
                "role": c.role,
                "note": c.note,
            }
            for c in action.contributors.all()
        ],
        "steps": [_step(s) for s in action.steps.all()],
        "indicators": indicators,
        "depends_on": [
            {"id": link.prerequisite_id, "title": link.prerequisite.title}
            for link in action.dependency_links.all()
        ],
    }


def build_snapshot(plan: ActionPlan, taken_at: dt.datetime | None = None) -> dict[str, Any]:
    """The working draft as JSON-ready data, taken at `taken_at` (now by default)."""
    team = plan.team
    members = team.memberships.current().select_related("organisation").order_by("organisation__name")
    return {
        "schema": SCHEMA,
        "taken_at": (taken_at or timezone.now()).isoformat(),
        "team": {"id": team.pk, "name": team.name, "theme": team.theme},
        "members": [{"organisation": m.organisation.name, "role": m.role} for m in members],
        "plan": {
            "ambition": plan.ambition,
            "coordinating_organisation": _name(plan.coordinating_organisation),
            "coordinator_id": _pk(plan.coordinator),
            "coordinator": _name(plan.coordinator),
            "meeting_frequency": plan.meeting_frequency,
            "coordination_notes": plan.coordination_notes,
        },
        "actions": [_action(action) for action in plan_actions(plan)],
    }


def sheet_snapshot(
    plan: ActionPlan, taken_at: dt.datetime | None = None
) -> tuple[ActionPlanVersion | None, dict[str, Any]]:
    """What the plan sheet (L1.9) shows unless a version is asked for: the latest adopted version and
    its snapshot, else no version and the working draft, taken at `taken_at` (now by default)."""
    version = plan.versions.order_by("-number").first()
    if version is not None:
        return version, version.snapshot
    return None, build_snapshot(plan, taken_at)


# --- Presentation --------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def present(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A copy of `snapshot` with labels in the current language, dates and amounts as Python values."""
    data = copy.deepcopy(snapshot)
    data["team"]["theme_label"] = _label(Solution, data["team"]["theme"])
    for member in data["members"]:
        member["role_label"] = _label(MemberRole, member["role"])
    plan = data["plan"]
    plan["meeting_frequency_label"] = _label(MeetingFrequency, plan["meeting_frequency"])
    total: dict[str, Decimal] = {name: Decimal("0") for name in MONEY}
    for action in data["actions"]:
        action["solution_label"] = _label(Solution, action["solution"])
        action["priority_label"] = _label(Priority, action["priority"])
        action["status_label"] = _label(ActionStatus, action["status"])
        action["funding_nature_label"] = _label(FundingNature, action["funding_nature"])
        action["starts_on"] = _date(action["starts_on"])
        action["ends_on"] = _date(action["ends_on"])
        for name in MONEY:
            action[name] = _decimal(action[name])
            total[name] += action[name] or Decimal("0")
        action["gains"]["savings_eur_per_year"] = _decimal(action["gains"]["savings_eur_per_year"])
        for contributor in action["contributors"]:
            contributor["role_label"] = _label(RaciRole, contributor["role"])
        for step in action["steps"]:
            step.setdefault("owner", "")  # schema 1: steps without owner
            step.setdefault("owner_organisation", "")
            step["status_label"] = _label(StepStatus, step["status"])
            step["due_on"] = _date(step["due_on"])
        for indicator in action["indicators"]:
            indicator["direction_label"] = _label(IndicatorDirection, indicator["direction"])
            for key in ("baseline_on", "target_on", "last_on"):
                indicator[key] = _date(indicator[key])
        action["depends_on_titles"] = ", ".join(d["title"] for d in action["depends_on"])
    data["totals"] = total
    data["taken_at"] = dt.datetime.fromisoformat(data["taken_at"])
    return data


# --- Comparison ----------------------------------------------------------------------------------


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed from snapshot `old` to snapshot `new`, one readable line per change: the plan's
    coordinator, then per action its fields, lead person and steps (added, removed, or their due
    date, status and owner changed)."""
    lines = []
    if old["plan"].get("coordinator") != new["plan"].get("coordinator"):
        lines.append(
            _("Plan coordinator: %(old)s → %(new)s")
            % {
                "old": _shown(None, old["plan"].get("coordinator")),
                "new": _shown(None, new["plan"].get("coordinator")),
            }
        )
    before = {a["id"]: a for a in old["actions"]}
    after = {a["id"]: a for a in new["actions"]}
    for pk, action in after.items():
        if pk not in before:
            lines.append(_("Action added: %(title)s") % {"title": action["title"]})
            continue
        lines += _action_changes(before[pk], action)
    for pk, action in before.items():
        if pk not in after:
            lines.append(_("Action removed: %(title)s") % {"title": action["title"]})
    return lines


def _action_changes(previous: dict[str, Any], action: dict[str, Any]) -> list[str]:
    labels = {
        "title": _("title"),
        "status": _("status"),
        "progress_percent": _("progress"),
        "priority": _("priority"),
        "starts_on": _("start"),
        "ends_on": _("end"),
        "lead_organisation": _("lead organisation"),
        "lead_person": _("lead person"),
        "investment_budget_eur": _("investment budget"),
        "operating_budget_eur": _("operating budget"),
        "funding_need_eur": _("funding need"),
    }
    shown = {"status": ActionStatus, "priority": Priority}
    lines = []
    for key, label in labels.items():
        if previous.get(key) != action.get(key):
            lines.append(
                _("%(title)s: %(field)s %(old)s → %(new)s")
                % {
                    "title": action["title"],
                    "field": label,
                    "old": _shown(shown.get(key), previous.get(key)),
                    "new": _shown(shown.get(key), action.get(key)),
                }
            )
    return lines + _step_changes(action["title"], previous["steps"], action["steps"])


def _step_changes(title: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Steps carry no id in a snapshot: they are matched by title, in their order when an action has
    several of one title. Owners are compared only when both snapshots record them (schema 2)."""
    labels = {"due_on": _("due"), "status": _("status"), "owner": _("owner")}
    unmatched: dict[str, list[dict[str, Any]]] = {}
    for step in old:
        unmatched.setdefault(step["title"], []).append(step)
    lines = []
    for step in new:
        same_title = unmatched.get(step["title"])
        if not same_title:
            lines.append(_("%(action)s: step added: %(step)s") % {"action": title, "step": step["title"]})
            continue
        previous = same_title.pop(0)
        for key, label in labels.items():
            if key in previous and key in step and previous[key] != step[key]:
                choices = StepStatus if key == "status" else None
                lines.append(
                    _("%(action)s, step %(step)s: %(field)s %(old)s → %(new)s")
                    % {
                        "action": title,
                        "step": step["title"],
                        "field": label,
                        "old": _shown(choices, previous[key]),
                        "new": _shown(choices, step[key]),
                    }
                )
    for steps in unmatched.values():
        for step in steps:
            lines.append(_("%(action)s: step removed: %(step)s") % {"action": title, "step": step["title"]})
    return lines


def _shown(choices: Any, value: Any) -> str:
    if choices is not None:
        return _label(choices, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    return "—" if value in (None, "") else str(value)


# --- Erasure -------------------------------------------------------------------------------------


def _scrub(
    snapshot: dict[str, Any], person_id: int, erased_name: str, names: frozenset[str] = frozenset()
) -> bool:
    """Replace the name of person `person_id` by `erased_name` wherever the snapshot records it
    with its id (schema 2), or, in a snapshot of schema 1 (no ids), wherever it records one of
    `names`; return whether anything changed."""
    changed = False
    by_name = snapshot.get("schema", 1) < 2

    def scrub(holder: dict[str, Any], id_key: str, name_key: str) -> None:
        nonlocal changed
        found = holder.get(name_key) in names if by_name else holder.get(id_key) == person_id
        if found and holder.get(name_key) != erased_name:
            holder[name_key] = erased_name
            changed = True

    scrub(snapshot["plan"], "coordinator_id", "coordinator")
    for action in snapshot["actions"]:
        scrub(action, "lead_person_id", "lead_person")
        for contributor in action["contributors"]:
            scrub(contributor, "person_id", "person")
        for step in action["steps"]:
            scrub(step, "owner_id", "owner")
    return changed


def scrub_person(person: Person, former_names: frozenset[str] = frozenset()) -> int:
    """After `person` was erased (GDPR art. 17), put their erased name in place of the name the
    adopted versions recorded, as the erasure purges the person's history; the organisation and
    everything else adopted stay as they were. Versions of schema 1 recorded names without ids: there
    the person's `former_names` are replaced, those that no one else of the programme bears (a
    homonym's name is left rather than erased). The one change an adopted version ever gets, written
    past its `save` guard. Returns the number of versions changed."""
    from sobrindustrie.actionplans.models import ActionPlanVersion
    from sobrindustrie.organisations.models import Person

    programme_id = person.organisation.programme_id
    borne = set(
        Person.objects.filter(organisation__programme_id=programme_id)
        .exclude(pk=person.pk)
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(full_name__in=former_names)
        .values_list("full_name", flat=True)
    )
    names = frozenset(name for name in former_names if name and name not in borne)
    changed = 0
    versions = ActionPlanVersion.objects.filter(plan__team__programme_id=programme_id)
    for pk, snapshot in versions.values_list("pk", "snapshot"):
        if _scrub(snapshot, person.pk, str(person), names):
            ActionPlanVersion.objects.filter(pk=pk).update(snapshot=snapshot)
            changed += 1
    return changed
