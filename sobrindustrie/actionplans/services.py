"""Writes on action plans that touch several rows or follow a rule, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.actionplans import emails
from sobrindustrie.actionplans.dependencies import find_cycle
from sobrindustrie.actionplans.enums import DifficultyStatus
from sobrindustrie.actionplans.models import (
    Action,
    ActionDependency,
    ActionPlan,
    ActionPlanVersion,
    ActionStep,
    ActionUpdate,
    Difficulty,
    FollowUp,
)
from sobrindustrie.actionplans.snapshot import build_snapshot
from sobrindustrie.actionplans.workflow import check_progress, check_transition
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.meetings.enums import MeetingKind

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.teams.models import ProjectTeam


def get_or_create_plan(team: ProjectTeam) -> ActionPlan:
    plan, _created = ActionPlan.objects.get_or_create(team=team)
    return plan


def next_position(plan: ActionPlan) -> int:
    return (plan.actions.aggregate(last=Max("position"))["last"] or 0) + 1


# --- Dependencies --------------------------------------------------------------------------------


def dependency_cycle(action: Action, prerequisites: Iterable[Action]) -> list[str] | None:
    """The titles along the cycle these prerequisites would create (first = last = the action)."""
    if action.pk is None:
        return None  # a new action has no dependents yet, so it cannot close a loop
    links = ActionDependency.objects.filter(action__plan_id=action.plan_id).values_list(
        "action_id", "prerequisite_id"
    )
    edges: dict[int, set[int]] = {}
    for source, target in links:
        edges.setdefault(source, set()).add(target)
    cycle = find_cycle(edges, action.pk, [p.pk for p in prerequisites])
    if cycle is None:
        return None
    titles = dict(Action.objects.filter(pk__in=cycle).values_list("pk", "title"))
    return [titles[pk] for pk in cycle]


def cycle_message(titles: Sequence[str]) -> str:
    return _(
        "These dependencies would make a loop: %(cycle)s. An action cannot wait, even indirectly, for itself."
    ) % {"cycle": " → ".join(f"« {t} »" for t in titles)}


def set_prerequisites(action: Action, prerequisites: Iterable[Action]) -> None:
    """Replace the action's prerequisites; refuses other plans' actions and cycles."""
    wanted = {p.pk: p for p in prerequisites}
    if any(p.plan_id != action.plan_id for p in wanted.values()):
        raise ValidationError(_("An action can only depend on actions of the same plan."))
    cycle = dependency_cycle(action, wanted.values())
    if cycle:
        raise ValidationError(cycle_message(cycle))
    current = set(action.dependency_links.values_list("prerequisite_id", flat=True))
    for link in action.dependency_links.exclude(prerequisite_id__in=wanted):
        link.delete()
    for pk in wanted.keys() - current:
        ActionDependency.objects.create(action=action, prerequisite=wanted[pk])


@transaction.atomic
def save_action(form: object, prerequisites: Iterable[Action]) -> Action:
    """Save an action form (optimistic locking) and its dependencies together, or nothing."""
    action: Action = form.instance  # type: ignore[attr-defined]
    if action.pk is None and not action.position:
        action.position = next_position(action.plan)
    action = form.save()  # type: ignore[attr-defined]
    set_prerequisites(action, prerequisites)
    return action


# --- Steps ---------------------------------------------------------------------------------------


@transaction.atomic
def save_step(step: ActionStep) -> ActionStep:
    """Save a step once its rules hold: an owner of the team, a due date inside the action's period
    (refusals name the step, the date and the period, or the person and the team). Without a
    position, the step goes last."""
    if not step.position:
        last = ActionStep.objects.filter(action_id=step.action_id).aggregate(last=Max("position"))["last"]
        step.position = (last or 0) + 1
    step.full_clean()
    step.save()
    return step


# --- Versions ------------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting | None, team: ProjectTeam, kinds: set[str], field: str) -> None:
    if meeting is None:
        return
    if meeting.programme_id != team.programme_id:
        raise ValidationError({field: _("This meeting belongs to another programme.")})
    if meeting.kind not in kinds:
        raise ValidationError(
            {field: _("“%(meeting)s” is not a meeting of the expected kind.") % {"meeting": meeting.title}}
        )
    concerned = set(meeting.teams.values_list("pk", flat=True))
    if concerned and team.pk not in concerned:
        raise ValidationError({field: _("“%(meeting)s” concerns other teams.") % {"meeting": meeting.title}})


@transaction.atomic
def adopt_version(
    plan: ActionPlan,
    *,
    adopted_on: dt.date,
    user: User | None,
    meeting: Meeting | None = None,
    note: str = "",
) -> ActionPlanVersion:
    """Freeze the working draft as the next version; the draft stays editable."""
    plan = ActionPlan.objects.select_for_update().select_related("team").get(pk=plan.pk)
    if not plan.actions.exists():
        raise ValidationError(_("A plan with no action cannot be adopted."))
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("A version cannot be adopted in the future.")})
    _check_meeting(meeting, plan.team, {MeetingKind.ACTION_PLAN_WORKSHOP}, "meeting")
    if meeting is not None and meeting.starts_on != adopted_on:
        raise ValidationError(
            {
                "adopted_on": _("The workshop chosen took place on %(date)s.")
                % {"date": meeting.starts_on.strftime("%d/%m/%Y")}
            }
        )
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ActionPlanVersion.objects.create(
        plan=plan,
        number=number,
        adopted_on=adopted_on,
        meeting=meeting,
        adopted_by=user,
        note=note,
        snapshot=build_snapshot(plan),
    )


# --- Progress and follow-ups ---------------------------------------------------------------------


def _apply_progress(action: Action, status: str, progress: int, can_manage: bool, reason: str) -> None:
    check_transition(action.status, status, can_manage)
    check_progress(status, progress)
    action.status = status
    action.progress_percent = progress
    action.version += 1
    action._change_reason = reason  # type: ignore[attr-defined]
    action.save(update_fields=["status", "progress_percent", "version", "updated_at"])


@transaction.atomic
def update_progress(
    action: Action, *, status: str, progress: int, can_manage: bool, expected_version: int | None = None
) -> Action:
    """Move an action's status and progress outside a follow-up (the lead reports as it goes)."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(
            _("This action was changed by someone else meanwhile. Reload the page to see their changes.")
        )
    _apply_progress(locked, status, progress, can_manage, _("Progress update"))
    return locked


@dataclass(frozen=True)
class ActionEntry:
    """What a follow-up says about one action."""

    action: Action
    status: str
    progress: int
    comment: str = ""
    difficulty: str = ""
    raise_to_ademe: bool = False


@transaction.atomic
def record_follow_up(
    plan: ActionPlan,
    *,
    held_on: dt.date,
    user: User | None,
    entries: Sequence[ActionEntry],
    can_manage: bool,
    meeting: Meeting | None = None,
    summary: str = "",
    notify: bool = True,
) -> FollowUp:
    """Record a follow-up: an update per action, status moves checked, difficulties created (and
    raised to ADEME when asked). All or nothing: one refused move saves nothing."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A follow-up cannot be recorded before it is held.")})
    _check_meeting(meeting, plan.team, {MeetingKind.TEAM_FOLLOWUP, MeetingKind.COLLECTIVE_SESSION}, "meeting")
    if meeting is not None and meeting.starts_on != held_on:
        raise ValidationError(
            {
                "held_on": _("The meeting chosen took place on %(date)s.")
                % {"date": meeting.starts_on.strftime("%d/%m/%Y")}
            }
        )
    follow_up = FollowUp.objects.create(
        plan=plan, held_on=held_on, meeting=meeting, summary=summary, recorded_by=user
    )
    reason = str(follow_up)
    errors = []
    for entry in entries:
        action = Action.objects.select_for_update().get(pk=entry.action.pk, plan=plan)
        previous_status, previous_progress = action.status, action.progress_percent
        try:
            if (entry.status, entry.progress) != (previous_status, previous_progress):
                _apply_progress(action, entry.status, entry.progress, can_manage, reason)
        except ValidationError as error:
            errors.append(f"« {action.title} » : {' '.join(error.messages)}")
            continue
        ActionUpdate.objects.create(
            follow_up=follow_up,
            action=action,
            previous_status=previous_status,
            new_status=entry.status,
            previous_progress=previous_progress,
            progress_percent=entry.progress,
            comment=entry.comment,
        )
        if entry.difficulty.strip():
            difficulty = report_difficulty(action, entry.difficulty, user=user, follow_up=follow_up)
            if entry.raise_to_ademe:
                raise_difficulty(difficulty, user=user, notify=notify)
    if errors:
        raise ValidationError(errors)
    return follow_up


# --- Difficulties --------------------------------------------------------------------------------


def report_difficulty(
    action: Action, text: str, *, user: User | None, follow_up: FollowUp | None = None, description: str = ""
) -> Difficulty:
    """A difficulty from a title (or the first line of a longer text)."""
    text = text.strip()
    first_line, _sep, rest = text.partition("\n")
    title = first_line[:200]
    body = description or (text if rest or len(first_line) > 200 else "")
    return Difficulty.objects.create(
        action=action, follow_up=follow_up, title=title, description=body, reported_by=user
    )


@transaction.atomic
def raise_difficulty(difficulty: Difficulty, *, user: User | None, notify: bool = True) -> Difficulty:
    """Put the difficulty on ADEME's list and tell ADEME's officers of the programme by e-mail
    (once the transaction commits: a refused follow-up sends nothing). Loaders pass notify=False."""
    difficulty = Difficulty.objects.select_for_update().get(pk=difficulty.pk)
    if difficulty.status != DifficultyStatus.OPEN:
        raise ValidationError(_("Only an open difficulty not yet raised can be raised to ADEME."))
    difficulty.status = DifficultyStatus.RAISED
    difficulty.raised_at = timezone.now()
    difficulty.raised_by = user
    difficulty.save()
    if notify:
        transaction.on_commit(lambda: emails.difficulty_raised(difficulty))
    return difficulty


@transaction.atomic
def answer_difficulty(
    difficulty: Difficulty, *, answer: str, user: User | None, notify: bool = True
) -> Difficulty:
    """ADEME's answer (may be given again to complete it); whoever reported and raised it is told."""
    difficulty = Difficulty.objects.select_for_update().get(pk=difficulty.pk)
    if difficulty.status != DifficultyStatus.RAISED:
        raise ValidationError(_("Only a difficulty raised to ADEME and not resolved can be answered."))
    if not answer.strip():
        raise ValidationError({"ademe_answer": _("Write the answer.")})
    difficulty.ademe_answer = answer.strip()
    difficulty.answered_at = timezone.now()
    difficulty.answered_by = user
    difficulty.save()
    if notify:
        transaction.on_commit(lambda: emails.difficulty_answered(difficulty))
    return difficulty


@transaction.atomic
def resolve_difficulty(difficulty: Difficulty, *, resolution: str, user: User | None) -> Difficulty:
    difficulty = Difficulty.objects.select_for_update().get(pk=difficulty.pk)
    if difficulty.status == DifficultyStatus.RESOLVED:
        raise ValidationError(_("This difficulty is already resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the difficulty was resolved.")})
    difficulty.status = DifficultyStatus.RESOLVED
    difficulty.resolution = resolution.strip()
    difficulty.resolved_at = timezone.now()
    difficulty.resolved_by = user
    difficulty.save()
    return difficulty
