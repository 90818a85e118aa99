"""Partial data: which tables a team's data lacks, and which KPIs that rules out.

A KPI whose tables are absent is skipped, never computed to a silent zero: with no orders at all, "0 new
customers" would read as a bad week, not as "this team's export has no orders". A table is absent for a
team when the team has no row of it at all (a file declared absent in the config, an empty file, or a
team that does not use that part of the CRM); a table with rows, but none in the period, is present and
its zeros are real.
"""

from __future__ import annotations

from collections.abc import Collection

from salespulse.transforms.goals import GoalSpec
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import GoalProgress, SkippedKpi
from salespulse.transforms.team_data import TeamData

OPTIONAL_TABLES = ("accounts", "leads", "deals", "activities", "orders")
"""Tables an export may lack. reps may not: it says which team owns what."""


def absent_tables(data: TeamData) -> tuple[str, ...]:
    """The team's tables with no rows at all, in the schema's order."""
    return tuple(name for name in OPTIONAL_TABLES if data.table(name).empty)


def split_kpis(kpi_ids: list[str], absent: Collection[str]) -> tuple[list[str], list[SkippedKpi]]:
    """The KPIs the data supports, in their order, and the ones skipped with the tables they miss."""
    kept, skipped = [], []
    for kpi_id in kpi_ids:
        kpi = KPI_CATALOGUE[kpi_id]
        missing = tuple(table for table in kpi.tables if table in absent)
        if missing:
            skipped.append(SkippedKpi(kpi.id, kpi.name, kpi.definition, kpi.formula, missing))
        else:
            kept.append(kpi_id)
    return kept, skipped


def no_data_goal(goal: GoalSpec) -> GoalProgress:
    """A goal whose KPI is skipped: "no data", not a status computed from an empty table."""
    kpi = KPI_CATALOGUE[goal.kpi]
    return GoalProgress(
        goal_id=goal.id,
        objective=goal.objective,
        kpi_id=goal.kpi,
        unit=kpi.unit,
        target=goal.target or 0.0,
        start=goal.start,
        deadline=goal.deadline,
        actual=None,
        expected_by_now=0.0,
        status="no data",
        aggregation=goal.aggregation or ("cumulative" if kpi.additive else "rate"),
    )  # no scope: naming "the best seller" would need the very data that is missing
