"""Kept period data joined with the export, on tiny frames: the export wins, the latest partition wins, old
snapshots of open deals and a re-exported period's own partition are not used."""

from datetime import date

import pandas as pd

from salespulse.transforms.goals import GoalSpec
from salespulse.transforms.history import ORIGIN, first_orders, needed_since, rows_of_period, with_history
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.periods import parse_period
from salespulse.transforms.schema import TABLES
from tests.transforms.frames import deal, raw, team

W46, W47 = parse_period("2026-W46"), parse_period("2026-W47")
IN_W46 = ("2026-11-09T10:00:00Z", "2026-11-11T10:00:00Z")
IN_W47 = ("2026-11-16T10:00:00Z", "2026-11-18T10:00:00Z")


def kept(**partitions):
    """Each period's TeamData (label with "_" for "-") → what salespulse.store.history.read_periods returns: per table,
    the canonical columns and the partition's label, oldest period first."""
    frames = {}
    for label, data in sorted(partitions.items(), key=lambda item: parse_period(item[0].replace("_", "-"))):
        for table in ("leads", "deals", "activities", "orders"):
            rows = data.table(table)[list(TABLES[table].columns)].assign(**{ORIGIN: label.replace("_", "-")})
            frames[table] = pd.concat([frames[table], rows]) if table in frames else rows
    return frames


def test_a_period_keeps_its_dated_rows_and_the_deals_open_at_its_end():
    data = team(
        deals=[
            deal("d1", "won", 100, *IN_W47),
            deal("d2", "proposal", 200, IN_W46[0]),  # open at W47's end: its pipeline
            deal("d3", "won", 300, *IN_W46),  # closed before: another period's
        ],
        orders=[{"order_id": "o1", "account_id": "a1", "deal_id": "d1", "ordered_at": IN_W47[1]}],
    )
    rows = rows_of_period(data, W47)
    assert sorted(rows["deals"]["deal_id"]) == ["d1", "d2"] and rows["orders"]["order_id"].tolist() == ["o1"]
    assert list(rows["deals"].columns) == list(TABLES["deals"].columns)  # canonical columns only


def test_the_export_wins_then_the_latest_partition():
    old = team(deals=[deal("d1", "won", 100, *IN_W46), deal("d2", "won", 200, *IN_W46)])
    newer = team(deals=[deal("d2", "won", 250, *IN_W46)])  # W46 rerun later: d2 corrected
    export = team(deals=[deal("d1", "won", 999, *IN_W46), deal("d3", "won", 300, *IN_W47)])
    joined = with_history(export, kept(**{"2026_W45": old, "2026_W46": newer}), W47, "UTC")
    amounts = dict(zip(joined.deals["deal_id"], joined.deals["amount"], strict=True))
    assert amounts == {"d1": 999, "d2": 250, "d3": 300}
    assert joined.deals["deal_id"].is_unique and "closed_day" in joined.deals.columns
    assert joined.deals.set_index("deal_id")[ORIGIN].to_dict() == {"d1": "", "d2": "2026-W46", "d3": ""}


def test_an_open_deal_from_a_past_snapshot_is_not_used():
    # open at W46's end; whether it is still open, closed or deleted, only the export can say
    past = team(deals=[deal("d9", "negotiation", 500, IN_W46[0])])
    joined = with_history(team(deals=[deal("d1", "won", 1, *IN_W47)]), kept(**{"2026_W46": past}), W47, "UTC")
    assert joined.deals["deal_id"].tolist() == ["d1"]


def test_a_rerun_uses_its_own_partition_only_when_the_export_no_longer_holds_the_period():
    w47 = team(deals=[deal("d1", "won", 100, *IN_W47), deal("d2", "won", 200, *IN_W47)])
    corrected = team(deals=[deal("d1", "won", 100, *IN_W47)])  # d2 was a duplicate, deleted in the CRM
    assert with_history(corrected, kept(**{"2026_W47": w47}), W47, "UTC").deals["deal_id"].tolist() == ["d1"]
    moved_on = team(deals=[deal("d7", "won", 700, "2026-11-30T10:00:00Z", "2026-12-01T10:00:00Z")])
    joined = with_history(moved_on, kept(**{"2026_W47": w47}), W47, "UTC")
    assert sorted(joined.deals["deal_id"]) == ["d1", "d2", "d7"]  # the export lost W47: history holds it


def test_history_the_export_already_holds_gives_back_the_export_itself():
    order = {"order_id": "o1", "account_id": "a1", "deal_id": "d1", "ordered_at": IN_W46[1]}
    w46 = team(deals=[deal("d1", "won", 100, *IN_W46)], orders=[order])
    export = team(deals=[deal("d1", "won", 100, *IN_W46), deal("d3", "won", 300, *IN_W47)], orders=[order])
    joined = with_history(export, kept(**{"2026_W46": w46}), W47, "UTC", first_orders(None, export.orders))
    assert joined is export  # and so keeps what it has worked out: a backfill's periods share KPI values


def test_first_orders_keep_each_accounts_earliest_order():
    def orders(*rows):
        columns = ("order_id", "account_id", "ordered_at")
        return normalise_table(raw("orders", [dict(zip(columns, row, strict=True)) for row in rows]), TABLES["orders"])

    first = first_orders(None, orders(("o2", "a1", "2026-03-01T00:00:00Z"), ("o3", "a2", "2026-05-01T00:00:00Z")))
    first = first_orders(first, orders(("o1", "a1", "2025-01-01T00:00:00Z"), ("o4", "a2", "2026-06-01T00:00:00Z")))
    assert dict(zip(first["account_id"], first["order_id"], strict=True)) == {"a1": "o1", "a2": "o3"}


def test_a_run_reads_back_as_far_as_its_kpis_and_goals_need_and_no_further():
    settings = KpiSettings()  # 8 baseline periods; trends show 12, so the oldest window is W36 (31 Aug)
    assert needed_since(W47, ["won_revenue"], settings) == date(2026, 8, 23)  # the period's 13-week funnel
    assert needed_since(W47, ["pipeline_coverage"], settings) == date(2026, 7, 1)  # W36's quarter to date
    assert needed_since(W47, ["revenue_growth_yoy"], settings) == date(2025, 9, 1)  # W36 a year earlier
    assert needed_since(W47, ["customer_retention"], settings) == date(2025, 8, 30)  # active: 365 days before W36
    goal = GoalSpec("g", "Grow", "won_revenue", date(2026, 7, 1), date(2027, 12, 31), change=0.15)
    assert needed_since(W47, ["won_revenue"], settings, [goal]) == date(2024, 12, 29)  # as long as the goal, before it
    kept_on = GoalSpec("k", "Keep", "customer_retention", date(2026, 7, 1), date(2027, 12, 31), target=0.8)
    assert needed_since(W47, ["won_revenue"], settings, [kept_on]) == date(2023, 12, 29)  # and 365 days before that
