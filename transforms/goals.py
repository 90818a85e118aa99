"""Goal progress: from the goal start value to the target, linear pacing to the deadline, a direction-aware status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.kpi_runner import evaluate, period_table
from salespulse.transforms.kpis import KPI_CATALOGUE, Kpi
from salespulse.transforms.periods import Period
from salespulse.transforms.results import GoalProgress, GoalStatus, ScopeTerm
from salespulse.transforms.taints import readable, subject_rows
from salespulse.transforms.team_data import TeamData

Aggregation = Literal["cumulative", "rate"]
MAX_PATH_POINTS = 60  # a long goal on a weekly cadence is charted over its last 60 weeks
DEFAULT_RATE_WINDOW_DAYS = 90  # a rate goal without window_days is judged on the trailing 90 days


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
    window_days: int | None = None  # a rate measured over the trailing N days (365: "annual"); default 90
    min_records: int = 30  # a rate over fewer records than this in its window is too thin to judge: "no data"
    filters: tuple[tuple[str, str], ...] = ()  # (rep | product | source, value); product "best" is resolved
    pacing: Literal["linear", "seasonal"] = "linear"  # seasonal: shaped like the same window a year earlier


COUNTED_TABLES = ("deals", "leads", "activities")


def goal_progress(
    goal: GoalSpec, data: TeamData, period: Period, settings: KpiSettings, thresholds: GoalThresholds = GoalThresholds()
) -> GoalProgress:
    kpi = KPI_CATALOGUE[goal.kpi]
    aggregation = goal.aggregation or ("cumulative" if kpi.additive else "rate")
    scoped, scope = _scoped(goal, data, settings)
    measure = _Measure(kpi, scoped, goal, aggregation, settings)
    start_value = measure(goal.start - timedelta(days=1), before_start=True)
    target = goal.target if goal.target is not None else _relative(start_value, goal.change)
    as_of = min(period.end, goal.deadline)
    started = as_of >= goal.start
    # a rate of records (deals, leads, activities) needs enough of them; a retention is a rate of a population
    counted = aggregation == "rate" and period_table(kpi) in COUNTED_TABLES
    records = measure.records(as_of) if counted and started else None
    enough = records is None or records >= goal.min_records
    actual = measure(as_of) if started and enough else None
    elapsed, expected, projected, pace = _pacing(goal, kpi, scoped, period, as_of, actual, target, start_value,
                                                 aggregation, settings)  # fmt: skip
    result = GoalProgress(
        goal_id=goal.id,
        objective=goal.objective,
        kpi_id=goal.kpi,
        unit=kpi.unit,
        target=target or 0.0,
        start=goal.start,
        deadline=goal.deadline,
        actual=actual,
        expected_by_now=expected or 0.0,
        status="no data",
        period_value=evaluate(kpi, scoped, period, settings),
        baseline=start_value,
        projected=projected,
        pace_needed=pace,
        aggregation=aggregation,
        scope_terms=scope,
        path=_path(measure, goal, period, as_of),
        direction=kpi.direction,
        window_days=measure.window_days if aggregation == "rate" else None,
        records=records,
        min_records=goal.min_records if counted else 0,
        record_table=period_table(kpi) if counted else None,
    )
    if not enough:  # too few records in the window to judge the rate: "no data", never a guess
        return result
    # a rate moving from its start value is paced on the distance from it: (actual − start) ÷ (expected − start)
    origin = result.progress_from if aggregation == "rate" and result.progress_from != 0 else None
    ended = period.end >= goal.deadline
    status = goal_status(actual, target, expected, elapsed, ended, kpi.direction, thresholds, origin=origin)
    return replace(result, status=status)


def _pacing(
    goal: GoalSpec,
    kpi: Kpi,
    scoped: TeamData,
    period: Period,
    as_of: date,
    actual: float | None,
    target: float | None,
    start_value: float | None,
    aggregation: Aggregation,
    settings: KpiSettings,
) -> tuple[float, float | None, float | None, float | None]:
    """The share of the window elapsed, the value expected by now (never past the target), the value
    projected at the deadline and the pace needed per period."""
    elapsed = _elapsed_share(goal, as_of)
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
        start_level = start_value if start_value is not None else target
        expected = None if target is None else start_level + (target - start_level) * elapsed
        projected, pace = actual, None
    return elapsed, _capped(expected, target, kpi.direction), projected, pace


def _capped(expected: float | None, target: float | None, direction: str) -> float | None:
    """Expected-by-now stops at the target: a rate that started past it is expected at the target, not beyond."""
    if expected is None or target is None:
        return expected
    return min(expected, target) if direction == "higher" else max(expected, target)


def _path(measure: _Measure, goal: GoalSpec, period: Period, as_of: date) -> list[tuple[date, float | None]]:
    """The actual at the end of every report period from the goal's start to now: the pacing chart's line."""
    ends, window = [], period
    while window.end >= goal.start and len(ends) < MAX_PATH_POINTS:
        ends.append(min(window.end, as_of))
        window = window.previous()
    return [(end, measure(end)) for end in sorted(set(ends)) if end >= goal.start]


def _relative(start_value: float | None, change: float | None) -> float | None:
    return None if start_value in (None, 0) or change is None else start_value * (1 + change)


@dataclass(frozen=True)
class _Measure:
    """The goal's KPI at a date: summed since the start, or as a rate over its trailing window.

    Before the start (the goal start value), a cumulative goal looks at a window as long as its own."""

    kpi: Kpi
    data: TeamData
    goal: GoalSpec
    aggregation: Aggregation
    settings: KpiSettings

    @property
    def window_days(self) -> int:
        return self.goal.window_days or DEFAULT_RATE_WINDOW_DAYS

    def window(self, as_of: date, before_start: bool = False) -> Period:
        goal = self.goal
        if self.aggregation == "cumulative":
            length = goal.deadline - goal.start if before_start else as_of - goal.start
            return Period(as_of - length, as_of, "weekly")
        return Period(as_of - timedelta(days=self.window_days - 1), as_of, "weekly")

    def __call__(self, as_of: date, before_start: bool = False) -> float | None:
        return evaluate(self.kpi, self.data, self.window(as_of, before_start), self.settings)

    def records(self, as_of: date) -> int:
        """The records the rate counts in its window: the KPI's period-date table, of its deal stages
        (closed deals for win rate), without the rows a check left out of it."""
        kpi = self.kpi
        usable = readable(self.data, frozenset(kpi.reads), self.settings.taints)
        return len(subject_rows(usable, kpi.period_date, kpi.stages, self.window(as_of)))


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
    origin: float | None = None,
) -> GoalStatus:
    """`origin`: a rate goal's start value, pacing then compares the distances travelled from it."""
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
    if expected == (origin or 0):
        return "on track"
    if origin is not None:
        pace = (actual - origin) / (expected - origin)
    else:
        pace = actual / expected if higher else (expected / actual if actual else float("inf"))
    if pace >= thresholds.on_track:
        return "on track"
    return "at risk" if pace >= thresholds.at_risk else "off track"
