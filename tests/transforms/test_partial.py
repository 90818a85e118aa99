"""Partial data: a team without activities, orders or leads gets every KPI its data supports, and no zeros
made up from a table it does not have."""

from dataclasses import replace
from datetime import date

import pytest

from salespulse.transforms.goals import GoalSpec
from salespulse.transforms.kpi_runner import kpi_results, leaderboard
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.partial import absent_tables, no_data_goal, split_kpis
from tests.transforms.kpi_data import DATA, SETTINGS, W47

ALL = list(KPI_CATALOGUE)


def without(*tables: str):
    return replace(DATA, **{table: DATA.table(table).iloc[0:0] for table in tables})


@pytest.mark.parametrize(
    ("table", "expected_skips"),
    [
        ("orders", {"new_customers", "customer_retention", "customer_churn"}),
        ("activities", {"lead_response_hours", "lead_response_sla", "activities_per_rep", "task_completion"}),
        ("leads", {"new_leads", "lead_conversion", "lead_response_hours", "lead_response_sla"}),
    ],
)
def test_a_missing_table_skips_exactly_the_kpis_that_need_it(table, expected_skips):
    data = without(table)
    assert absent_tables(data) == ("accounts", table)  # the KPI frames carry no accounts; no KPI needs them
    kept, skipped = split_kpis(ALL, absent_tables(data))
    assert {s.kpi_id for s in skipped} == expected_skips
    assert all(s.missing == (table,) for s in skipped)
    assert kept == [k for k in ALL if k not in expected_skips]  # the configured order is kept
    results = kpi_results(data, W47, kept, SETTINGS)  # every supported KPI computes, none crashes
    assert [r.kpi_id for r in results] == kept


def test_a_kpi_that_needs_two_missing_tables_names_both():
    _, skipped = split_kpis(["lead_response_hours"], absent_tables(without("leads", "activities")))
    assert skipped[0].missing == ("leads", "activities") and skipped[0].name == "Lead response time"


def test_complete_data_skips_nothing():
    assert split_kpis(ALL, absent_tables(DATA)) == (ALL, [])


def test_a_goal_on_a_skipped_kpi_says_no_data():
    goal = GoalSpec("g", "Win 20 new customers", "new_customers", date(2026, 10, 1), date(2026, 12, 31), target=20)
    progress = no_data_goal(goal)
    assert (progress.status, progress.actual, progress.target, progress.unit) == ("no data", None, 20, "count")
    assert progress.aggregation == "cumulative" and progress.path == []


def test_leaderboard_without_activities_shows_no_activity_count_rather_than_zero():
    rows = leaderboard(without("activities"), W47, SETTINGS, absent=("activities",))
    assert rows and all(row.activities is None for row in rows)
    assert all(row.activities is not None for row in leaderboard(DATA, W47, SETTINGS))
    assert leaderboard(without("deals"), W47, SETTINGS, absent=("deals",)) == []
