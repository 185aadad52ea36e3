"""The progress table (L2.2): computed from the records each time it is read, so it is always current.

`team_progress` reads one plan in a fixed number of queries; `programme_overview` compares the
plans of a programme; `timeline` lays the actions out for the SVG chart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sobrindustrie.actionplans.enums import ActionStatus, DifficultyStatus, IndicatorDirection
from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionPlan,
    ActionUpdate,
    Difficulty,
    Indicator,
)

if TYPE_CHECKING:
    from sobrindustrie.actionplans.models import ActionStep, FollowUp, Measurement

#: How far ahead "next deadlines" look.
DEADLINE_HORIZON_DAYS = 90
#: Below this relative change between the last two measurements, an indicator is "stable".
STABLE_THRESHOLD = 0.02


@dataclass
class IndicatorRow:
    indicator: Indicator
    measurements: list[Measurement]
    last: Measurement | None
    #: Share of the way from baseline to target, in %, capped to 0–100; None without both ends.
    achievement: int | None
    trend: str  # "improving", "worsening", "stable" or "" (fewer than two measurements)
    trend_label: str
    trend_symbol: str
    target_reached: bool


@dataclass
class ActionRow:
    action: Action
    late: bool
    overdue_steps: list[ActionStep]
    next_step: ActionStep | None
    indicators: list[IndicatorRow]
    last_update: ActionUpdate | None
    open_difficulties: list[Difficulty]
    waiting_for: list[Action]


@dataclass
class Deadline:
    date: dt.date
    label: str
    action: Action
    kind: str  # "step" or "action"


@dataclass
class TeamProgress:
    plan: ActionPlan
    today: dt.date
    rows: list[ActionRow]
    follow_ups: list[FollowUp]
    status_counts: list[tuple[str, str, int]] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    @property
    def late_actions(self) -> list[ActionRow]:
        return [row for row in self.rows if row.late]

    @property
    def overdue_step_count(self) -> int:
        return sum(len(row.overdue_steps) for row in self.rows)

    @property
    def open_difficulty_count(self) -> int:
        return sum(len(row.open_difficulties) for row in self.rows)

    @property
    def raised_difficulty_count(self) -> int:
        return sum(1 for row in self.rows for d in row.open_difficulties if d.is_raised)

    @property
    def average_progress(self) -> int | None:
        """Mean progress of the actions still in the plan (abandoned ones left out)."""
        values = [r.action.progress_percent for r in self.rows if r.action.status != ActionStatus.ABANDONED]
        return round(sum(values) / len(values)) if values else None

    @property
    def last_follow_up(self) -> FollowUp | None:
        return self.follow_ups[0] if self.follow_ups else None


def _indicator_row(indicator: Indicator) -> IndicatorRow:
    measurements = sorted(indicator.measurements.all(), key=lambda m: m.measured_on)
    last = measurements[-1] if measurements else None
    achievement = None
    reached = False
    base, target = indicator.baseline_value, indicator.target_value
    sign = -1 if indicator.direction == IndicatorDirection.DECREASE else 1
    if last is not None and base is not None and target is not None:
        if target != base:
            achievement = max(0, min(100, round(100 * (last.value - base) / (target - base))))
        reached = sign * (last.value - target) >= 0
    trend, label, symbol = "", "", ""
    if len(measurements) >= 2:
        previous = measurements[-2].value
        change = last.value - previous  # type: ignore[union-attr]
        scale = max(abs(previous), abs(target or 0), 1e-9)
        if abs(change) / scale < STABLE_THRESHOLD:
            trend, label, symbol = "stable", _("stable"), "→"
        elif sign * change > 0:
            trend, label, symbol = "improving", _("improving"), "↗" if change > 0 else "↘"
        else:
            trend, label, symbol = "worsening", _("worsening"), "↗" if change > 0 else "↘"
    return IndicatorRow(indicator, measurements, last, achievement, trend, label, symbol, reached)


def progress_actions(plan: ActionPlan) -> Any:
    """The plan's actions with everything the table reads, in a fixed number of queries."""
    return (
        plan.actions.select_related("lead_organisation", "lead_person")
        .prefetch_related(
            "steps",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("measurements")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("follow_up")),
            Prefetch(
                "difficulties",
                queryset=Difficulty.objects.exclude(status=DifficultyStatus.RESOLVED),
                to_attr="open_difficulty_list",
            ),
            Prefetch("contributors", queryset=ActionContributor.objects.select_related("organisation")),
            "dependency_links__prerequisite",
        )
        .order_by("position", "pk")
    )


def action_row(action: Action, today: dt.date) -> ActionRow:
    steps = list(action.steps.all())
    open_steps = [s for s in steps if s.due_on and s.status in ("todo", "in_progress")]
    updates = sorted(action.updates.all(), key=lambda u: (u.follow_up.held_on, u.pk))
    return ActionRow(
        action=action,
        late=action.is_late(today),
        overdue_steps=[s for s in steps if s.is_overdue(today)],
        next_step=min((s for s in open_steps if s.due_on >= today), key=lambda s: s.due_on, default=None),  # type: ignore[operator]
        indicators=[_indicator_row(i) for i in action.indicators.all()],
        last_update=updates[-1] if updates else None,
        open_difficulties=list(getattr(action, "open_difficulty_list", [])),
        waiting_for=[
            link.prerequisite
            for link in action.dependency_links.all()
            if link.prerequisite.status != ActionStatus.DONE and not action.is_closed
        ],
    )


def team_progress(plan: ActionPlan, today: dt.date) -> TeamProgress:
    rows = [action_row(action, today) for action in progress_actions(plan)]
    counts = Counter(row.action.status for row in rows)
    result = TeamProgress(
        plan=plan,
        today=today,
        rows=rows,
        follow_ups=list(plan.follow_ups.select_related("meeting").order_by("-held_on", "-pk")),
        status_counts=[(value, str(label), counts.get(value, 0)) for value, label in ActionStatus.choices],
    )
    horizon = today + dt.timedelta(days=DEADLINE_HORIZON_DAYS)
    for row in rows:
        action = row.action
        if not action.is_closed and today <= action.ends_on <= horizon:
            result.deadlines.append(Deadline(action.ends_on, _("End of the action"), action, "action"))
        for step in action.steps.all():
            if step.status in ("todo", "in_progress") and step.due_on and today <= step.due_on <= horizon:
                result.deadlines.append(Deadline(step.due_on, step.title, action, "step"))
    result.deadlines.sort(key=lambda d: (d.date, d.action.position))
    return result


# --- Programme overview --------------------------------------------------------------------------


@dataclass
class TeamSummary:
    team: Any
    plan: ActionPlan | None
    action_count: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    average_progress: int | None = None
    late_count: int = 0
    overdue_steps: int = 0
    open_difficulties: int = 0
    raised_difficulties: int = 0
    follow_up_count: int = 0
    last_follow_up: dt.date | None = None
    adopted_version: Any = None
    funding_need_eur: Any = 0

    @property
    def status_list(self) -> list[tuple[str, str, int]]:
        return [(v, str(label), self.status_counts.get(v, 0)) for v, label in ActionStatus.choices]


def programme_overview(teams: Any, today: dt.date) -> list[TeamSummary]:
    """One summary per team, from prefetched data: the query count does not grow with the teams.

    `teams` must come with `action_plan` selected and its actions, steps, open difficulties,
    follow-ups and versions prefetched (see `overview_teams`)."""
    summaries = []
    for team in teams:
        plan = getattr(team, "action_plan", None)
        summary = TeamSummary(team=team, plan=plan)
        summaries.append(summary)
        if plan is None:
            continue
        actions = list(plan.actions.all())
        summary.action_count = len(actions)
        summary.status_counts = dict(Counter(a.status for a in actions))
        kept = [a.progress_percent for a in actions if a.status != ActionStatus.ABANDONED]
        summary.average_progress = round(sum(kept) / len(kept)) if kept else None
        summary.late_count = sum(1 for a in actions if a.is_late(today))
        summary.overdue_steps = sum(1 for a in actions for s in a.steps.all() if s.is_overdue(today))
        open_difficulties = [d for a in actions for d in a.difficulties.all() if d.is_open]
        summary.open_difficulties = len(open_difficulties)
        summary.raised_difficulties = sum(1 for d in open_difficulties if d.is_raised)
        follow_ups = list(plan.follow_ups.all())
        summary.follow_up_count = len(follow_ups)
        summary.last_follow_up = max((f.held_on for f in follow_ups), default=None)
        versions = sorted(plan.versions.all(), key=lambda v: v.number)
        summary.adopted_version = versions[-1] if versions else None
        summary.funding_need_eur = sum(
            (a.funding_need_eur or 0) for a in actions if a.status != ActionStatus.ABANDONED
        )
    return summaries


def overview_teams(teams: Any) -> Any:
    from sobrindustrie.actionplans.models import ActionPlanVersion, FollowUp

    return teams.select_related("action_plan").prefetch_related(
        Prefetch(
            "action_plan__actions",
            queryset=Action.objects.prefetch_related(
                "steps",
                Prefetch(
                    "difficulties", queryset=Difficulty.objects.exclude(status=DifficultyStatus.RESOLVED)
                ),
            ),
        ),
        Prefetch("action_plan__follow_ups", queryset=FollowUp.objects.only("pk", "plan_id", "held_on")),
        Prefetch("action_plan__versions", queryset=ActionPlanVersion.objects.defer("snapshot")),
    )


# --- Timeline ------------------------------------------------------------------------------------

LABEL_WIDTH = 300
CHART_WIDTH = 560
ROW_HEIGHT = 34
TOP = 30


@dataclass
class Bar:
    y: int
    x: float
    width: float
    done_width: float
    label: str
    status: str
    status_label: str
    title: str
    dashed: bool
    text_y: int


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    today_x: float | None
    chart_left: int = LABEL_WIDTH
    axis_y: int = TOP - 8

    @property
    def label_y(self) -> int:
        return self.height - 4


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    current = dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def timeline(rows: list[ActionRow], today: dt.date) -> Timeline | None:
    """Bars from start to end of each action, the done part filled by progress.

    Status never relies on colour: it is written after the title, abandoned bars are dashed and
    each bar carries a tooltip with its dates.
    """
    if not rows:
        return None
    start = min(r.action.starts_on for r in rows)
    end = max(r.action.ends_on for r in rows)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + CHART_WIDTH * (day - start).days / span, 1)

    bars = []
    for index, row in enumerate(rows):
        action = row.action
        left, right = x(action.starts_on), x(action.ends_on)
        width = max(right - left, 3.0)
        y = TOP + index * ROW_HEIGHT
        title = f"{action.title} — {action.starts_on:%d/%m/%Y} → {action.ends_on:%d/%m/%Y}"
        bars.append(
            Bar(
                y=y,
                x=left,
                width=width,
                done_width=round(width * action.progress_percent / 100, 1),
                label=action.title if len(action.title) <= 42 else action.title[:40] + "…",
                status=action.status,
                status_label=f"{action.get_status_display()} · {action.progress_percent} %"
                + (f" · {_('late')}" if row.late else ""),
                title=title,
                dashed=action.status == ActionStatus.ABANDONED,
                text_y=y + 12,
            )
        )
    months = _months(start, end)
    step = 1 if len(months) <= 12 else 3 if len(months) <= 36 else 6
    ticks = [(x(max(m, start)), m.strftime("%m/%y")) for m in months[::step]]
    return Timeline(
        width=LABEL_WIDTH + CHART_WIDTH + 20,
        height=TOP + len(rows) * ROW_HEIGHT + 24,
        bars=bars,
        ticks=ticks,
        today_x=x(today) if start <= today <= end else None,
    )
