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
    ActionStep,
    ActionUpdate,
    Difficulty,
    Indicator,
)
from sobrindustrie.core.markup import markup_number

if TYPE_CHECKING:
    from sobrindustrie.actionplans.models import FollowUp, Measurement

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

    @property
    def chart(self) -> IndicatorChart | None:
        return indicator_chart(self)


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
            Prefetch(
                "steps", queryset=ActionStep.objects.select_related("owner__organisation", "owner__user")
            ),
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
#
# The one layout of the plans' timelines (the progress table, the plan's timeline page and the
# programme's): numbers only, drawn by `www/actionplans/_timeline.html` through `markup_number`.

LABEL_WIDTH = 300
CHART_WIDTH = 560
ROW_HEIGHT = 34
HEADER_HEIGHT = 24
TOP = 30
MARK_SIZE = 5


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
    late: bool = False


@dataclass
class Mark:
    """A step on its action's bar, at its due date: a circle, a diamond when it is late (shape, not
    colour only), a tick when done; the tooltip says the rest."""

    x: float
    y: float
    late: bool
    done: bool
    title: str

    @property
    def diamond(self) -> str:
        s, n = MARK_SIZE + 1, markup_number
        x, y = self.x, self.y
        return f"{n(x)},{n(y - s)} {n(x + s)},{n(y)} {n(x)},{n(y + s)} {n(x - s)},{n(y)}"


@dataclass
class Header:
    """A group title (the team, on the programme's timeline)."""

    y: int
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    today_x: float | None
    chart_left: int = LABEL_WIDTH
    axis_y: int = TOP - 8
    marks: list[Mark] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)

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


def _step_title(step: ActionStep, late: bool) -> str:
    parts = [step.title]
    if step.owner is not None:
        parts.append(str(step.owner))
    if step.due_on is not None:
        parts.append(_("due on %(date)s") % {"date": step.due_on.strftime("%d/%m/%Y")})
    parts.append(_("late") if late else step.get_status_display())
    return " — ".join(parts)


def timeline(
    rows: list[ActionRow],
    today: dt.date,
    groups: list[tuple[str, list[ActionRow]]] | None = None,
    *,
    late_steps_only: bool = False,
) -> Timeline | None:
    """Bars from start to end of each action, the done part filled by progress, its steps marked at
    their due dates (only the late ones with `late_steps_only`, as the programme's timeline does to
    stay light); `groups` (title, rows) draws a header above each group (the programme's teams).

    Status never relies on colour: it is written after the title, abandoned bars are dashed, late
    steps are diamonds, and each bar and mark carries a tooltip with its dates.
    """
    groups = groups if groups is not None else [("", rows)]
    every = [row for _title, group in groups for row in group]
    if not every:
        return None
    days = [day for r in every for day in (r.action.starts_on, r.action.ends_on)]
    days += [s.due_on for r in every for s in r.action.steps.all() if s.due_on is not None]
    start, end = min(days), max(days)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + CHART_WIDTH * (day - start).days / span, 1)

    bars: list[Bar] = []
    marks: list[Mark] = []
    headers: list[Header] = []
    y = TOP
    for title, group in groups:
        if title:
            headers.append(Header(y + 14, title))
            y += HEADER_HEIGHT
        for row in group:
            action = row.action
            left, right = x(action.starts_on), x(action.ends_on)
            width = max(right - left, 3.0)
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
                    title=f"{action.title} — {action.starts_on:%d/%m/%Y} → {action.ends_on:%d/%m/%Y}",
                    dashed=action.status == ActionStatus.ABANDONED,
                    text_y=y + 12,
                    late=row.late,
                )
            )
            late_ids = {s.pk for s in row.overdue_steps}
            for step in action.steps.all():
                late = step.pk in late_ids
                if step.due_on is None or step.status == "cancelled" or (late_steps_only and not late):
                    continue
                marks.append(
                    Mark(x(step.due_on), y + 8, late, step.status == "done", _step_title(step, late))
                )
            y += ROW_HEIGHT
    months = _months(start, end)
    step = 1 if len(months) <= 12 else 3 if len(months) <= 36 else 6
    ticks = [(x(max(m, start)), m.strftime("%m/%y")) for m in months[::step]]
    return Timeline(
        width=LABEL_WIDTH + CHART_WIDTH + 20,
        height=y + 24,
        bars=bars,
        ticks=ticks,
        today_x=x(today) if start <= today <= end else None,
        marks=marks,
        headers=headers,
    )


def _timeline_row(action: Action, today: dt.date) -> ActionRow:
    """What the timeline reads of an action (its lateness and late steps), without the rest."""
    steps = list(action.steps.all())
    return ActionRow(
        action=action,
        late=action.is_late(today),
        overdue_steps=[s for s in steps if s.is_overdue(today)],
        next_step=None,
        indicators=[],
        last_update=None,
        open_difficulties=[],
        waiting_for=[],
    )


def programme_timeline(
    teams: Any, today: dt.date
) -> tuple[Timeline | None, list[tuple[Any, list[ActionRow]]]]:
    """The timeline of every plan of the programme, one group per team with a plan, its late steps
    marked, and the rows (team, action rows) that the accessible table beside it lists. `teams` as
    `timeline_teams`."""
    grouped = []
    for team in teams:
        plan = getattr(team, "action_plan", None)
        if plan is None:
            continue
        rows = [_timeline_row(action, today) for action in plan.actions.all()]
        if rows:
            grouped.append((team, rows))
    chart = timeline([], today, [(team.name, rows) for team, rows in grouped], late_steps_only=True)
    return chart, grouped


def timeline_teams(teams: Any) -> Any:
    """Teams with their plan's actions and steps (owners included) in a fixed number of queries."""
    return teams.select_related("action_plan").prefetch_related(
        Prefetch(
            "action_plan__actions",
            queryset=Action.objects.order_by("position", "pk").prefetch_related(
                Prefetch(
                    "steps", queryset=ActionStep.objects.select_related("owner__organisation", "owner__user")
                ),
            ),
        )
    )


# --- Indicator chart -----------------------------------------------------------------------------

IND_WIDTH, IND_HEIGHT = 520, 200
IND_LEFT, IND_RIGHT, IND_TOP, IND_BOTTOM = 60, 20, 16, 28


@dataclass
class IndicatorChart:
    """An indicator over time: its measurements as a line, the baseline as a first open point, the
    target as a dashed level (to its date when there is one). Coordinates in drawing units."""

    width: int
    height: int
    points: list[tuple[float, float, str]]  # x, y, tooltip
    line: str
    baseline: tuple[float, float, str] | None
    target_y: float | None
    target_x: float | None
    target_label: str
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    left: int = IND_LEFT
    right: int = IND_WIDTH - IND_RIGHT
    top: int = IND_TOP
    bottom: int = IND_HEIGHT - IND_BOTTOM


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def indicator_chart(row: IndicatorRow) -> IndicatorChart | None:
    """The chart of an indicator with at least one measurement; None otherwise."""
    indicator, measurements = row.indicator, row.measurements
    if not measurements:
        return None
    n = markup_number
    dated = [(m.measured_on, m.value) for m in measurements]
    days = [d for d, _v in dated]
    values = [v for _d, v in dated]
    if indicator.baseline_value is not None and indicator.baseline_on is not None:
        days.append(indicator.baseline_on)
        values.append(indicator.baseline_value)
    if indicator.target_value is not None:
        values.append(indicator.target_value)
        if indicator.target_on is not None:
            days.append(indicator.target_on)
    start, end = min(days), max(days)
    span = max((end - start).days, 1)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    left, right, top, bottom = IND_LEFT, IND_WIDTH - IND_RIGHT, IND_TOP, IND_HEIGHT - IND_BOTTOM

    def x(day: dt.date) -> float:
        return round(left + (right - left) * (day - start).days / span, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    unit = indicator.unit
    points = [(x(d), y(v), f"{d:%d/%m/%Y} : {_number(v)} {unit}".strip()) for d, v in dated]
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_on is not None:
        baseline = (
            x(indicator.baseline_on),
            y(indicator.baseline_value),
            _("Baseline %(value)s %(unit)s on %(date)s")
            % {
                "value": _number(indicator.baseline_value),
                "unit": unit,
                "date": indicator.baseline_on.strftime("%d/%m/%Y"),
            },
        )
    line_points = ([baseline[:2]] if baseline else []) + [(px, py) for px, py, _t in points]
    target_y = y(indicator.target_value) if indicator.target_value is not None else None
    target_label = ""
    if indicator.target_value is not None:
        target_label = _("target %(value)s %(unit)s") % {
            "value": _number(indicator.target_value),
            "unit": unit,
        }
        if indicator.target_on is not None:
            target_label += " " + _("by %(date)s") % {"date": indicator.target_on.strftime("%d/%m/%Y")}
    months = _months(start, end)
    every = max(1, len(months) // 6 + (1 if len(months) % 6 else 0))
    return IndicatorChart(
        width=IND_WIDTH,
        height=IND_HEIGHT,
        points=points,
        line=" ".join(f"{n(px)},{n(py)}" for px, py in sorted(line_points)),
        baseline=baseline,
        target_y=target_y,
        target_x=x(indicator.target_on) if indicator.target_on is not None else None,
        target_label=target_label.strip(),
        y_ticks=[(y(v), _number(v)) for v in (low + pad, (low + high) / 2, high - pad)],
        x_ticks=[(x(max(m, start)), m.strftime("%m/%y")) for m in months[::every]],
    )
