"""The rows a run's KPIs read: cut to the window `needed_since` names, every value of a report (KPIs with
their baselines, trends and breakdowns, goals, funnel, leaderboard) is what the whole data gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from salespulse.demo.data import DEMO_TEAMS, generate_demo
from salespulse.transforms.goals import GoalSpec, goal_progress
from salespulse.transforms.history import needed_since
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.kpi_people import funnel
from salespulse.transforms.kpi_runner import kpi_results, leaderboard
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.normalise import normalise
from salespulse.transforms.periods import parse_period
from salespulse.transforms.scope import kpi_rows
from salespulse.transforms.team_data import TeamData, history_start, team_data

W47 = parse_period("2026-W47")  # the demo's 78 weeks start on 27 May 2025; every case below reads less
START, DEADLINE = date(2026, 10, 1), date(2026, 12, 31)
GOALS = [
    GoalSpec("revenue", "Grow revenue", "won_revenue", START, DEADLINE, change=0.15, pacing="seasonal"),
    GoalSpec("best", "Best product", "won_revenue", START, DEADLINE, change=0.15, filters=(("product", "best"),)),
    GoalSpec("retain", "Keep customers", "customer_retention", START, DEADLINE, target=0.8, window_days=90),
    GoalSpec("new", "New customers", "new_customers", START, DEADLINE, target=40),
    GoalSpec("reply", "Answer leads", "lead_response_hours", START, DEADLINE, target=4, filters=(("source", "web"),)),
]


@pytest.fixture(scope="module")
def north() -> TeamData:
    """The demo's team north, and a deal left open since the demo's first summer (every CRM has some)."""
    data = team_data(normalise(generate_demo(scale=0.3)), "north", DEMO_TEAMS["north"])
    stale = data.deals.iloc[[0]].copy()
    stale.loc[:, ["deal_id", "stage", "amount"]] = ["D-stale", "proposal", 9_000.0]
    opened = pd.Timestamp("2025-07-01 15:00", tz="UTC")
    stale.loc[:, ["created_at", "created_day"]] = [opened, opened.tz_localize(None).normalize()]
    stale.loc[:, ["closed_at", "closed_day"]] = pd.NaT
    stale.loc[:, "expected_close_on"] = pd.Timestamp("2026-12-01")
    return replace(data, deals=pd.concat([data.deals, stale], ignore_index=True))


def everything(data: TeamData, kpi_ids: list[str], settings: KpiSettings, goals: list[GoalSpec]) -> list[str]:
    """Every value a report shows, as text (a NaN equals a NaN)."""
    rep = data.reps["rep_id"].iloc[0]
    rep_goals = [replace(goal, id=f"{goal.id}-rep", filters=(("rep", rep),)) for goal in goals]
    return [
        *map(repr, kpi_results(data, W47, kpi_ids, settings)),
        *(repr(goal_progress(goal, data, W47, settings)) for goal in [*goals, *rep_goals]),
        *map(repr, funnel(data, W47)),
        *map(repr, leaderboard(data, W47, settings)),
    ]


@pytest.mark.parametrize(
    ("kpi_ids", "settings", "goals"),
    [
        (sorted(KPI_CATALOGUE), KpiSettings(quarterly_quota=50_000, active_customer_days=60), GOALS),
        (["won_revenue", "lead_response_hours", "task_completion", "new_customers"], KpiSettings(), []),
        (["customer_retention", "revenue_growth"], KpiSettings(active_customer_days=60, baseline_periods=4), []),
    ],
    ids=["every KPI and goal", "window KPIs", "short activity"],
)
def test_every_value_from_the_cut_rows_is_the_value_from_all_of_them(north, kpi_ids, settings, goals):
    since = needed_since(W47, kpi_ids, settings, goals)
    cut = kpi_rows(north, since)
    assert len(cut.activities) < len(north.activities) and len(cut.leads) < len(north.leads)  # a real cut
    assert history_start(cut) == history_start(north) < since
    assert everything(cut, kpi_ids, settings, goals) == everything(north, kpi_ids, settings, goals)


def test_older_rows_a_window_still_depends_on_are_kept(north):
    since = date(2026, 4, 1)  # a quarter's first day: the cut is made there
    cut = kpi_rows(north, since)
    before = pd.Timestamp(since)
    assert (cut.orders["ordered_day"] < before).any()  # every order: a first order ever may be old
    assert set(north.orders["deal_id"].dropna()) <= set(cut.deals["deal_id"])  # the deals of every order
    assert "D-stale" in set(cut.deals["deal_id"])  # open, however old
    deals = north.deals
    old_closed = deals[(deals["closed_day"] < before) & ~deals["deal_id"].isin(north.orders["deal_id"])]
    assert len(old_closed) and not old_closed["deal_id"].isin(cut.deals["deal_id"]).any()
    kept_leads = set(cut.leads["lead_id"])
    touches = north.activities[north.activities["lead_id"].isin(kept_leads)]
    assert len(touches) == cut.activities["lead_id"].isin(kept_leads).sum()  # each kept lead's first touch
    assert north.activities is not cut.activities and len(north.activities) > len(cut.activities)  # input untouched


def test_a_table_without_its_date_columns_is_kept_whole(north):
    bare = replace(north, leads=north.leads.drop(columns=["created_day", "converted_day"]))
    assert len(kpi_rows(bare, date(2026, 6, 1)).leads) == len(north.leads)


def test_one_cut_serves_a_quarter_and_data_with_nothing_older_is_returned_as_it_is(north):
    assert kpi_rows(north, date(2026, 8, 3)) is kpi_rows(north, date(2026, 9, 28))  # one quarter: one cut
    assert kpi_rows(north, date(2026, 10, 5)) is not kpi_rows(north, date(2026, 9, 28))
    assert kpi_rows(north, date(2025, 5, 1)) is north  # the demo starts on 27 May 2025
