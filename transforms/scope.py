"""Which rows a report depends on, so the data-quality gate checks those and not years of history."""

from __future__ import annotations

from datetime import date

import pandas as pd

from transforms.team_data import TeamData


def rows_in_scope(data: TeamData, start: date, end: date, after: pd.Timestamp | None = None) -> dict[str, pd.DataFrame]:
    """Rows dated in [start, end] by any of their dates, deals still open at `end`, rows with none of their
    dates, all reps and accounts; with `after`, also every row dated later than it (a date in the future is a
    fault in any period).

    An old fault does not block every later report, yet anything a KPI of the window can read is checked.
    """
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)

    def dated(frame: pd.DataFrame, *columns: str) -> pd.Series:
        mask = pd.Series(False, index=frame.index)
        present = [column for column in columns if column in frame.columns]
        undated = pd.Series(bool(present), index=frame.index)
        for column in present:
            mask |= (frame[column] >= lo) & (frame[column] <= hi)
            if after is not None and column != "due_day":  # a task due next week is planning, not a fault
                mask |= frame[column] > after
            undated &= frame[column].isna()
        # A row with none of its dates belongs to no period, so no window would ever check it: check it in all.
        return mask | undated

    deals = data.deals
    open_at_end = (
        (deals["created_day"] <= hi) & ~(deals["closed_day"] <= hi)
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
