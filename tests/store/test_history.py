"""History: validated period data kept as Parquet partitions, so a weekly drop that holds only the latest
week still gets the baselines, previous values and trends of the full export. The stages run without
Prefect (`.fn`) on demo data that ends before the demo's fault week, so every week is clean."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from salespulse.config import load_config
from salespulse.demo.data import write_demo
from salespulse.flows import stages
from salespulse.plan import plan_run
from salespulse.sources.load import read_tables
from salespulse.store import history as history_module
from salespulse.store.history import partition_dir, read_periods
from salespulse.transforms.history import dated_in, needed_since
from salespulse.transforms.normalise import normalise
from salespulse.transforms.periods import Period, parse_period, periods_within
from tests.flows.configs import make_config

# Its module fixtures take seconds to build: one worker builds them once (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("history")

END = date(2026, 8, 30)  # a Sunday: the data holds no fault week (the demo plants it only later)
W33 = parse_period("2026-W33")  # two weeks before the data ends: a week with deals won


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    demo = write_demo(folder / "data", scale=0.2, end=END)
    plan = plan_run(
        load_config(make_config(folder, demo, lean=False)), W33.label, "north", datetime(2026, 9, 1, 12, tzinfo=UTC)
    )
    teams = stages.split_teams.fn(normalise(read_tables(demo)[0]), plan.company_teams)
    return plan, plan.teams[0], teams["north"]


def at(run, period: Period):
    return replace(run, period=period)


def latest_week_only(data, period):
    """A weekly drop: the rows dated in the week and the deals open at its end; the roster and accounts whole."""
    deals = data.deals
    open_at_end = (deals["created_day"] <= pd.Timestamp(period.end)) & ~(
        deals["closed_day"] <= pd.Timestamp(period.end)
    )
    changes = {
        table: data.table(table)[dated_in(data.table(table), table, period)]
        for table in ("leads", "activities", "orders")
    }
    return replace(data, deals=deals[dated_in(deals, "deals", period) | open_at_end], **changes)


def kpis(plan, run, data):
    return {k.kpi_id: k for k in stages.compute(data, run, plan.kpi_ids, [("north", "North", data)]).kpis}


@pytest.fixture(scope="module")
def kept(setup):
    """Every week from the first one a W33 run reads up to W33, kept as the flow keeps a clean week."""
    plan, run, full = setup
    since = needed_since(W33, plan.kpi_ids, run.settings, run.goals)
    weeks = periods_within(since - pd.Timedelta(days=7), W33.end, "weekly")
    for week in weeks:  # the full export holds every week, so what a run keeps is the export's rows
        stages.keep(plan.history_dir, at(run, week), full)
    return weeks


def test_a_drop_of_the_latest_week_gets_the_full_exports_baselines(setup, kept):
    plan, run, full = setup
    expected = kpis(plan, run, full)  # the full export, no history at all
    drop = latest_week_only(full, W33)
    assert len(drop.deals) < len(full.deals) / 3 and len(drop.orders) < len(full.orders) / 10
    without_history = kpis(plan, run, drop)
    got = kpis(plan, run, stages.recall(plan.history_dir, run, drop, plan.kpi_ids))
    for kpi_id, want in expected.items():
        have = got[kpi_id]
        assert (have.value, have.previous, have.baseline) == pytest.approx(
            (want.value, want.previous, want.baseline)
        ), kpi_id
        assert have.baseline_label == want.baseline_label
        assert [v for _, v in have.trend] == pytest.approx([v for _, v in want.trend]), kpi_id
    assert without_history["won_revenue"].baseline != expected["won_revenue"].baseline  # history did the work


def test_with_a_full_export_history_changes_nothing(setup, kept):
    plan, run, full = setup
    with_history = kpis(plan, run, stages.recall(plan.history_dir, run, full, plan.kpi_ids))
    plain = kpis(plan, run, full)
    for kpi_id, want in plain.items():
        assert (with_history[kpi_id].value, with_history[kpi_id].baseline) == pytest.approx((want.value, want.baseline))


def test_a_rerun_replaces_the_partition_and_leaves_no_duplicates(setup, kept):
    plan, run, full = setup
    folder = partition_dir(plan.history_dir, "north", W33.label)
    before = {path.stem: pd.read_parquet(path) for path in folder.glob("*.parquet")}
    fewer = replace(full, deals=full.deals[full.deals["deal_id"] != before["deals"]["deal_id"].iloc[0]])
    stages.keep(plan.history_dir, run, fewer)  # the rerun's corrected export has one deal less
    stages.keep(plan.history_dir, run, fewer)  # and again: nothing piles up
    after = {path.stem: pd.read_parquet(path) for path in folder.glob("*.parquet")}
    assert sorted(after) == sorted(before) == ["activities", "deals", "leads", "orders"]
    assert len(after["deals"]) == len(before["deals"]) - 1 and after["deals"]["deal_id"].is_unique
    assert all(after[name].equals(before[name]) for name in ("leads", "orders"))
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []  # no temporary folders left
    stages.keep(plan.history_dir, run, full)  # put it back for the other tests


def test_a_rerun_after_the_export_lost_the_period_reproduces_it(setup, kept):
    plan, run, full = setup
    week = parse_period("2026-W30")
    later = latest_week_only(full, W33)  # the export no longer holds W30's rows
    want = kpis(plan, at(run, week), full)
    got = kpis(plan, at(run, week), stages.recall(plan.history_dir, at(run, week), later, plan.kpi_ids))
    for kpi_id in ("won_revenue", "deals_won", "new_leads", "activities_per_rep", "open_pipeline", "new_customers"):
        assert (got[kpi_id].value, got[kpi_id].baseline) == pytest.approx((want[kpi_id].value, want[kpi_id].baseline))


def test_only_the_partitions_a_run_needs_are_opened(setup, kept):
    plan, run, _ = setup
    ancient = partition_dir(plan.history_dir, "north", "2020-W01")
    ancient.mkdir(parents=True)
    (ancient / "deals.parquet").write_bytes(b"not parquet: opening it would fail")
    try:
        since = needed_since(W33, plan.kpi_ids, run.settings, run.goals)
        rows = read_periods(plan.history_dir, "north", since, W33.end)["deals"]
        labels = sorted({parse_period(label) for label in rows["history_period"]})
        assert labels[-1] == W33 and all(period.end >= since for period in labels)  # and 2020-W01 was not opened
    finally:
        (ancient / "deals.parquet").unlink()
        ancient.rmdir()


def test_a_partition_read_again_comes_from_memory_unless_it_was_rewritten(setup, kept, monkeypatch):
    """A backfill reads the same window for each period: unchanged files are read once, a rewritten one
    (a rerun's keep) is read anew."""
    plan, run, full = setup
    since = needed_since(W33, plan.kpi_ids, run.settings, run.goals)
    first = read_periods(plan.history_dir, "north", since, W33.end)["deals"]
    opened, read_table = [], history_module.pq.read_table

    def spy(source, *args, **kwargs):  # the real read, noted
        opened.append(str(source))
        return read_table(source, *args, **kwargs)

    monkeypatch.setattr(history_module.pq, "read_table", spy)
    again = read_periods(plan.history_dir, "north", since, W33.end)["deals"]
    assert opened == [] and again.equals(first)
    dropped = first.loc[first["history_period"] == W33.label, "deal_id"].iloc[0]
    try:
        stages.keep(plan.history_dir, run, replace(full, deals=full.deals[full.deals["deal_id"] != dropped]))
        fewer = read_periods(plan.history_dir, "north", since, W33.end)["deals"]
        rewritten = partition_dir(plan.history_dir, "north", W33.label)  # keep wrote all four of its tables
        assert sorted(path for path in opened if "period=" in path) == sorted(str(p) for p in rewritten.iterdir())
        assert len(fewer) == len(first) - 1  # W33 holds one deal less; earlier weeks may still hold it
    finally:
        stages.keep(plan.history_dir, run, full)  # put it back for the other tests
