"""Validated period data kept between runs: which rows a period keeps, how far back a run must look, and how
kept rows join the current export. Pure pandas; salespulse/store/history.py reads and writes the files.

A period's partition holds the rows dated in it (plus the deals open at its end) as they were when the period
validated. A run joins the export with the partitions of the periods its KPIs read, the export winning on
each table's key: a weekly drop holding only the last week still gets its baselines from the weeks before.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from salespulse.transforms.kpi_inputs import KpiSettings, in_window
from salespulse.transforms.kpi_people import FUNNEL_DAYS
from salespulse.transforms.kpi_runner import TREND_PERIODS
from salespulse.transforms.membership import is_in
from salespulse.transforms.periods import Period, parse_period, period_containing
from salespulse.transforms.schema import PARSE_ERRORS, TABLES, TRIMMED
from salespulse.transforms.team_data import TeamData, open_at, with_local_dates

KEPT_TABLES = ("leads", "deals", "activities", "orders")
"""Dated tables. reps and accounts are the current roster and account list, which every export carries whole."""
ORIGIN = "history_period"
"""Column added to rows joined from history: the label of the partition they came from (empty for the export)."""
HELD = 0.5  # share of a period's kept keys the export must still have to be that period's only source
PERIOD_DATES = {
    "leads": ("created_day", "converted_day"),
    "deals": ("created_day", "closed_day"),
    "activities": ("due_day", "completed_day"),
    "orders": ("ordered_day",),
}


def dated_in(frame: pd.DataFrame, table: str, period: Period) -> pd.Series:
    """Rows with any of their dates in the period."""
    mask = pd.Series(False, index=frame.index)
    for column in PERIOD_DATES[table]:
        if column in frame.columns:
            mask |= in_window(frame[column], period)
    return mask


def rows_of_period(data: TeamData, period: Period) -> dict[str, pd.DataFrame]:
    """What a period's partition keeps, per table, in the canonical columns: rows dated in the period, and
    deals still open at its end (its pipeline). Rows joined from another period's partition are not copied
    on: each partition holds what the export said, and a record gone from the CRM is not carried forward."""
    kept = {}
    for table in KEPT_TABLES:
        frame = data.table(table)
        own = frame[ORIGIN].isin(["", period.label]) if ORIGIN in frame.columns else True
        mask = dated_in(frame, table, period)
        if table == "deals":
            end = pd.Timestamp(period.end)
            mask |= open_at(frame, end)
        kept[table] = frame.loc[mask & own, list(TABLES[table].columns)].reset_index(drop=True)
    return kept


def needed_since(period: Period, kpi_ids: Collection[str], settings: KpiSettings, goals: Sequence = ()) -> date:
    """The first day any KPI, baseline, trend or goal of this period reads: the partitions from here to the
    period's end are all a run needs, however many years of history are kept, and the rows a run's KPIs are
    computed from (`salespulse.transforms.scope.kpi_rows`)."""
    oldest = period.preceding(max(settings.baseline_periods, TREND_PERIODS - 1))[-1]
    since = min(_reach(oldest, kpi_ids, settings), period.end - timedelta(days=FUNNEL_DAYS))  # the period's funnel
    for goal in goals:  # the value before the start (a window as long as the goal's), best product, last year
        before = max((goal.deadline - goal.start).days, goal.window_days or 0, 365) + 1
        first = goal.start - timedelta(days=before)
        since = min(since, _reach(Period(first, first, "weekly"), [goal.kpi], settings))
    return since


def _reach(window: Period, kpi_ids: Collection[str], settings: KpiSettings) -> date:
    """The first day these KPIs read when computed over `window`, or over any window starting after it."""
    ids, since = set(kpi_ids), window.start
    if "revenue_growth" in ids:
        since = min(since, window.previous().start)
    if "stage_conversion" in ids:
        since = min(since, window.end - timedelta(days=FUNNEL_DAYS))
    if "pipeline_coverage" in ids:  # won revenue of the quarter to date
        since = min(since, period_containing(window.start, "quarterly").start)
    if "revenue_growth_yoy" in ids:
        since = min(since, window.year_before().start)
    if {"customer_retention", "customer_churn"} & ids:
        since = min(since, window.start - timedelta(days=settings.active_customer_days + 1))
    return since


def first_orders(kept: pd.DataFrame | None, orders: pd.DataFrame) -> pd.DataFrame:
    """Each account's first order, from the ones kept so far and a period's orders. "New customer" means a
    first order ever, which the partitions of a baseline window alone cannot tell; this file can, and grows
    with the number of customers, not with the years."""
    rows = orders[list(TABLES["orders"].columns)]
    joined = rows if kept is None or kept.empty else pd.concat([kept, rows], ignore_index=True)
    joined = joined.dropna(subset=["account_id", "ordered_at"]).sort_values(["ordered_at", "order_id"])
    return joined.drop_duplicates("account_id", keep="first").reset_index(drop=True)


def with_history(
    export: TeamData,
    kept: dict[str, pd.DataFrame],
    current: Period,
    timezone: str,
    first: pd.DataFrame | None = None,
) -> TeamData:
    """The export joined with kept rows (per table, canonical columns plus ORIGIN, the label of the partition
    they come from, oldest period first) and each account's first order, for one team.

    Per table and key the export wins, then the partition of the latest period. Two kinds of kept rows are
    left out because they describe a past moment, not the present: deals that were open in a past period's
    snapshot (they may have closed or been deleted since), and the current period's own partition while the
    export still holds that period (a rerun then reflects the corrected export)."""
    changes = {}
    for table in KEPT_TABLES:
        own = export.table(table)
        rows = _usable(kept.get(table), table, own, current)
        if table == "orders" and first is not None and len(first):  # lowest rank: any partition's row wins
            firsts = first.assign(**{ORIGIN: "first orders"})
            rows = pd.concat([firsts, rows]) if len(rows) else firsts
        joined = _join(own, rows, table, timezone) if len(rows) else own
        if joined is not own:
            changes[table] = joined
    # Nothing added: the export itself, with what it has worked out (a backfill's periods share KPI values).
    return replace(export, **changes) if changes else export


def _usable(rows: pd.DataFrame | None, table: str, own: pd.DataFrame, current: Period) -> pd.DataFrame:
    """The kept rows a run may use. Rows of the current period's own partition count only when the export
    no longer holds that period: when it still has most of their keys, it is the corrected truth, and a
    record deleted from the CRM must drop out on a rerun. (A later drop holds a few of them at most: deals
    of that week that closed later.) Of a past period, open deals are left out (see `with_history`)."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=[*TABLES[table].columns, ORIGIN])
    periods = {label: parse_period(label) for label in rows[ORIGIN].unique()}
    overlaps = {label: p.start <= current.end and current.start <= p.end for label, p in periods.items()}
    now = rows[ORIGIN].map(overlaps).astype(bool)
    key = TABLES[table].key
    if now.any() and is_in(rows.loc[now, key], own[key]).mean() >= HELD:
        rows, now = rows[~now], now[~now]
    return rows[now | rows["closed_at"].notna()] if table == "deals" else rows


def _join(own: pd.DataFrame, kept: pd.DataFrame, table: str, timezone: str) -> pd.DataFrame:
    key = TABLES[table].key
    kept = kept.drop_duplicates(key, keep="last")  # partitions are in period order: the latest one wins
    kept = kept[~is_in(kept[key], own[key])]
    if kept.empty:
        return own
    kept = with_local_dates(kept.assign(**{PARSE_ERRORS: None, TRIMMED: None}), table, timezone)
    return pd.concat([own.assign(**{ORIGIN: ""}), kept], ignore_index=True)
