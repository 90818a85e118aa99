"""Goal progress: actual against target, linear pacing to the deadline, a direction-aware status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from transforms.kpi_inputs import KpiSettings
from transforms.kpi_runner import evaluate
from transforms.kpis import KPI_CATALOGUE, Kpi
from transforms.periods import Period
from transforms.results import GoalProgress, GoalStatus, ScopeTerm
from transforms.team_data import TeamData

Aggregation = Literal["cumulative", "rate"]
MAX_PATH_POINTS = 60  # a long goal on a weekly cadence is charted over its last 60 weeks


@dataclass(frozen=True)
class GoalThresholds:
    on_track: float = 0.99  # actual ÷ expected-by-now at or above this is on track
    at_risk: float = 0.80  # below on_track but at or above this is at risk; lower is off track
    too_early: float = 0.10  # pacing says little in the first tenth of a goal's window


@dataclass(frozen=True)
class GoalSpec:
    id: str
    objective: str
    kpi: str
    start: date
    deadline: date
    target: float | None = None  # an absolute target ...
    change: float | None = None  # ... or one relative to the value before the start: 0.15 is +15%
    aggregation: Aggregation | None = None  # default: cumulative for additive KPIs, a rate otherwise
    window_days: int | None = None  # a rate measured over the trailing N days (365: "annual"); default the period
    filters: tuple[tuple[str, str], ...] = ()  # (rep | product | source, value); product "best" is resolved
    pacing: Literal["linear", "seasonal"] = "linear"  # seasonal: shaped like the same window a year earlier


def goal_progress(
    goal: GoalSpec, data: TeamData, period: Period, settings: KpiSettings, thresholds: GoalThresholds = GoalThresholds()
) -> GoalProgress:
    kpi = KPI_CATALOGUE[goal.kpi]
    aggregation = goal.aggregation or ("cumulative" if kpi.additive else "rate")
    scoped, scope = _scoped(goal, data, settings)
    measure = _Measure(kpi, scoped, goal, aggregation, period.days, settings)
    baseline = measure(goal.start - timedelta(days=1), before_start=True)
    target = goal.target if goal.target is not None else _relative(baseline, goal.change)
    as_of = min(period.end, goal.deadline)
    elapsed = _elapsed_share(goal, as_of)
    actual = measure(as_of) if as_of >= goal.start else None
    if aggregation == "cumulative":
        if goal.pacing == "seasonal":
            elapsed = _seasonal_share(kpi, scoped, goal, as_of, settings) or elapsed
        expected = None if target is None else target * elapsed
        projected = None if actual is None or elapsed == 0 else actual / elapsed
        remaining_periods = max((goal.deadline - as_of).days, 0) / period.days
        pace = (
            None if target is None or actual is None or not remaining_periods else (target - actual) / remaining_periods
        )
    else:
        start_level = baseline if baseline is not None else target
        expected = None if target is None else start_level + (target - start_level) * elapsed
        projected, pace = actual, None
    status = goal_status(actual, target, expected, elapsed, period.end >= goal.deadline, kpi.direction, thresholds)
    return GoalProgress(
        goal_id=goal.id,
        objective=goal.objective,
        kpi_id=goal.kpi,
        unit=kpi.unit,
        target=target or 0.0,
        start=goal.start,
        deadline=goal.deadline,
        actual=actual,
        expected_by_now=expected or 0.0,
        status=status,
        period_value=evaluate(kpi, scoped, period, settings),
        baseline=baseline,
        projected=projected,
        pace_needed=pace,
        aggregation=aggregation,
        scope_terms=scope,
        path=_path(measure, goal, period, as_of),
    )


def _path(measure: _Measure, goal: GoalSpec, period: Period, as_of: date) -> list[tuple[date, float | None]]:
    """The actual at the end of every report period from the goal's start to now: the pacing chart's line."""
    ends, window = [], period
    while window.end >= goal.start and len(ends) < MAX_PATH_POINTS:
        ends.append(min(window.end, as_of))
        window = window.previous()
    return [(end, measure(end)) for end in sorted(set(ends)) if end >= goal.start]


def _relative(baseline: float | None, change: float | None) -> float | None:
    return None if baseline in (None, 0) or change is None else baseline * (1 + change)


@dataclass(frozen=True)
class _Measure:
    """The goal's KPI at a date: summed since the start, or as a rate over its trailing window.

    Before the start (the baseline), a cumulative goal looks at a window as long as its own."""

    kpi: Kpi
    data: TeamData
    goal: GoalSpec
    aggregation: Aggregation
    period_days: int
    settings: KpiSettings

    def __call__(self, as_of: date, before_start: bool = False) -> float | None:
        goal = self.goal
        if self.aggregation == "cumulative":
            length = goal.deadline - goal.start if before_start else as_of - goal.start
            window = Period(as_of - length, as_of, "weekly")
        else:
            window = Period(as_of - timedelta(days=(goal.window_days or self.period_days) - 1), as_of, "weekly")
        return evaluate(self.kpi, self.data, window, self.settings)


def _scoped(goal: GoalSpec, data: TeamData, settings: KpiSettings) -> tuple[TeamData, tuple[ScopeTerm, ...]]:
    terms = []
    for dimension, value in goal.filters:
        best = dimension == "product" and value == "best"
        if best:
            value = best_product(data, goal, settings)
        terms.append(ScopeTerm(dimension, value, best_seller=best))
        data = data.only(dimension, value)
    return data, tuple(terms)


def best_product(data: TeamData, goal: GoalSpec, settings: KpiSettings) -> str:
    """The product with the most won revenue in the 365 days before the goal starts."""
    year = Period(goal.start - timedelta(days=365), goal.start - timedelta(days=1), "weekly")
    revenue = {
        product: evaluate(KPI_CATALOGUE["won_revenue"], data.only("product", product), year, settings)
        for product, _ in data.values_of("product")
    }
    return max(sorted(revenue), key=lambda product: revenue[product]) if revenue else "(none)"


def _seasonal_share(kpi: Kpi, data: TeamData, goal: GoalSpec, as_of: date, settings: KpiSettings) -> float | None:
    """The share of last year's window total that had come in by the same day: a slow August then
    expects less, a strong December more. None (linear pacing) when last year has nothing to go by."""
    year = timedelta(days=364)  # 52 weeks: the same weekdays, so weekends line up
    whole = evaluate(kpi, data, Period(goal.start - year, goal.deadline - year, "weekly"), settings)
    so_far = evaluate(kpi, data, Period(goal.start - year, as_of - year, "weekly"), settings)
    return None if not whole or so_far is None else min(max(so_far / whole, 0.0), 1.0)


def _elapsed_share(goal: GoalSpec, as_of: date) -> float:
    total = (goal.deadline - goal.start).days + 1
    done = (as_of - goal.start).days + 1
    return min(max(done / total, 0.0), 1.0)


def goal_status(
    actual: float | None,
    target: float | None,
    expected: float | None,
    elapsed: float,
    ended: bool,
    direction: str,
    thresholds: GoalThresholds = GoalThresholds(),
) -> GoalStatus:
    if actual is None or target is None or expected is None:
        return "no data" if elapsed >= thresholds.too_early else "too early"
    higher = direction == "higher"
    reached = actual >= target if higher else actual <= target
    if ended:
        return "achieved" if reached else "missed"
    if reached and higher:  # a lower-is-better goal is only met when its window ends
        return "achieved"
    if elapsed < thresholds.too_early:
        return "too early"
    if expected == 0:
        return "on track"
    pace = actual / expected if higher else (expected / actual if actual else float("inf"))
    if pace >= thresholds.on_track:
        return "on track"
    return "at risk" if pace >= thresholds.at_risk else "off track"
