"""Which rows a report depends on, so that neither the data-quality gate nor the KPIs go through years of
history they do not read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from salespulse.transforms.membership import is_in
from salespulse.transforms.periods import period_containing
from salespulse.transforms.team_data import TeamData, history_start, open_at


def rows_in_scope(data: TeamData, start: date, end: date, after: pd.Timestamp | None = None) -> dict[str, pd.DataFrame]:
    """Rows dated in [start, end] by any of their dates, deals still open at `end`, rows with none of their
    dates, all reps and accounts; with `after`, also every row dated later than it (a date in the future is a
    fault in any period).

    An old fault does not block every later report, yet anything a KPI of the window can read is checked.
    """
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)

    def dated(frame: pd.DataFrame, *columns: str) -> pd.Series:
        return _dated(frame, columns, lo, hi, after, undated_without_columns=False)

    deals = data.deals
    open_at_end = (
        open_at(deals, hi)
        if {"created_day", "closed_day"} <= set(deals.columns)
        else pd.Series(False, index=deals.index)
    )
    return {
        "reps": data.reps,
        "accounts": data.accounts,
        "leads": data.leads[dated(data.leads, "created_day", "converted_day")],
        "deals": deals[dated(deals, "created_day", "closed_day") | open_at_end],
        "activities": data.activities[dated(data.activities, "due_day", "completed_day")],
        "orders": data.orders[dated(data.orders, "ordered_day")],
    }


def kpi_rows(data: TeamData, since: date) -> TeamData:
    """The rows a run's KPIs, goals, funnel and leaderboard read when none reads before `since`
    (`salespulse.transforms.history.needed_since`), so that they cost what the window holds, not what years of history
    in the export hold (see `_rows_since`).

    The cut is made at the start of `since`'s quarter, a few weeks early: one cut, remembered with the data
    (the latest cut only: a backfill goes forward), then serves every period of a quarter in a backfill, and
    so do the KPI values worked out on it (each report's trend and baselines share eleven windows with the
    one before). Data that starts on or after that day is returned as it is, with what it has worked out."""
    cut = period_containing(since, "quarterly").start
    first = data.memo("history start", lambda: history_start(data))
    if first is None or first >= cut:
        return data
    return data.latest("kpi rows", cut, lambda: _rows_since(data, cut, first))


def _rows_since(data: TeamData, since: date, first: date) -> TeamData:
    """Rows dated on or after `since` by any of their dates, or by none, and deals still open. Three kinds of
    older rows are kept, since a value of the window depends on them: every order (a new customer is one
    whose first order ever falls in the window), the deals they belong to (a rep's orders are those of the
    rep's deals), and the activities of the kept leads (a lead's first touch). `first`, the data's first
    day, is kept with them, so baselines still know how far back the history reaches, and so is each
    table's first record (`salespulse.transforms.team_data.first_record`), so a window before it is still "no data"."""
    lo = pd.Timestamp(since)

    def recent(frame: pd.DataFrame, *columns: str) -> pd.Series:
        return _dated(frame, columns, lo)

    leads, deals, acts, orders = data.leads, data.deals, data.activities, data.orders
    leads = leads[recent(leads, "created_day", "converted_day")]
    keep_deals = recent(deals, "created_day", "closed_day")
    if "closed_day" in deals.columns:
        keep_deals |= deals["closed_day"].isna()
    if {"deal_id"} <= set(deals.columns) & set(orders.columns):
        keep_deals |= is_in(deals["deal_id"], orders["deal_id"])
    keep_acts = recent(acts, "due_day", "completed_day")
    if "lead_id" in acts.columns and "lead_id" in leads.columns:
        keep_acts |= is_in(acts["lead_id"], leads["lead_id"].dropna())
    return replace(
        data.narrowed(leads=leads, deals=deals[keep_deals], activities=acts[keep_acts]),  # keeps first records
        known_from=first,
    )


def _dated(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    lo: pd.Timestamp,
    hi: pd.Timestamp | None = None,
    after: pd.Timestamp | None = None,
    undated_without_columns: bool = True,
) -> pd.Series:
    """Rows with any of `columns` in [lo, hi] (no upper end without `hi`) or, but for a due date, later than
    `after` (a task due next week is planning, not a fault), and rows with none of their dates: they belong
    to no period, so every window takes them. A frame lacking all the columns counts as undated only with
    `undated_without_columns`."""
    present = [column for column in columns if column in frame.columns]
    mask = pd.Series(False, index=frame.index)
    undated = pd.Series(bool(present) or undated_without_columns, index=frame.index)
    for column in present:
        inside = frame[column] >= lo
        mask |= inside if hi is None else inside & (frame[column] <= hi)
        if after is not None and column != "due_day":
            mask |= frame[column] > after
        undated &= frame[column].isna()
    return mask | undated
