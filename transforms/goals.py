"""Goal progress: actual against target, linear pacing to the deadline, a direction-aware status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transforms.kpis import KPI_CATALOGUE
from transforms.periods import Period
from transforms.results import GoalProgress, GoalStatus
from transforms.team_data import TeamData

TOO_EARLY_SHARE = 0.10  # pacing says little in the first tenth of a goal's window
ON_TRACK_RATIO = 0.99
AT_RISK_RATIO = 0.80


@dataclass(frozen=True)
class GoalSpec:
    id: str
    objective: str
    kpi: str
    target: float
    start: date
    deadline: date


def goal_progress(goal: GoalSpec, data: TeamData, period: Period) -> GoalProgress:
    """Additive KPIs count from the goal's start to the period's end; rates are read at the period."""
    kpi = KPI_CATALOGUE[goal.kpi]
    as_of = min(period.end, goal.deadline)
    elapsed = _elapsed_share(goal, as_of)
    if kpi.additive:
        to_date = Period(goal.start, as_of, period.cadence)
        actual = kpi.compute(data, to_date) if as_of >= goal.start else 0.0
        expected = goal.target * elapsed
    else:
        actual = kpi.compute(data, period)
        expected = goal.target
    status = goal_status(actual, goal.target, expected, elapsed, period.end >= goal.deadline, kpi.direction)
    return GoalProgress(
        goal_id=goal.id,
        objective=goal.objective,
        kpi_id=goal.kpi,
        unit=kpi.unit,
        target=goal.target,
        start=goal.start,
        deadline=goal.deadline,
        actual=actual,
        expected_by_now=expected,
        status=status,
    )


def _elapsed_share(goal: GoalSpec, as_of: date) -> float:
    total = (goal.deadline - goal.start).days + 1
    done = (as_of - goal.start).days + 1
    return min(max(done / total, 0.0), 1.0)


def goal_status(
    actual: float | None, target: float, expected: float, elapsed: float, ended: bool, direction: str
) -> GoalStatus:
    higher = direction == "higher"
    reached = actual is not None and (actual >= target if higher else actual <= target)
    if ended:
        return "achieved" if reached else "missed"
    if reached and higher:  # a lower-is-better goal is only met when its window ends
        return "achieved"
    if elapsed < TOO_EARLY_SHARE or actual is None:
        return "too early"
    if expected == 0:
        return "on track"
    pace = actual / expected if higher else (expected / actual if actual else float("inf"))
    if pace >= ON_TRACK_RATIO:
        return "on track"
    return "at risk" if pace >= AT_RISK_RATIO else "off track"
