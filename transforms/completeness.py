"""Does the period's data look complete? An export that stopped early (a scheduled export failed mid-week) or
came header-only would otherwise report "Won revenue $0.00, -100%". Pure pandas.

A core table is incomplete when it has no rows at all; when it has no records dated in the period while the
earlier periods usually had many; or when its newest record falls more than `max_gap_share` of the period
before the period's end, while the earlier periods usually had many. The gap is a share of the period, so one
rule serves weeks, months and quarters. Without enough history (a new team) only an empty table is flagged.

`max_gap_share` is 0.2, and a gap counts only when it is wider than every gap at the end of the earlier
periods (a weekday-only team's weekend is its rhythm) and long enough that the team's usual rate would have
put at least `min_missing_rows` (3) records in it (a small team's quiet Friday is not a stopped export). An
export that stopped on a Wednesday after weeks of 6 deals (4 of 7 days, 3.4 records missing) or a month that
lacks its last week is flagged. On the demo data (north weekly W10–W47, south monthly) nothing is flagged at
scale 1 or 0.3.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from statistics import fmean

import numpy as np
import pandas as pd

from salespulse.transforms.kpi_inputs import in_window
from salespulse.transforms.periods import Period, parse_period
from salespulse.transforms.results import PERIOD_NOUNS
from salespulse.transforms.team_data import TeamData, history_start


@dataclass(frozen=True)
class CompletenessSettings:
    core_tables: tuple[str, ...] = ("deals",)  # tables whose absence of records withholds
    min_usual_rows: float = 5.0  # "had many": the usual count a period must reach for a gap or a zero to alarm
    max_gap_share: float = 0.2  # newest record more than this share of the period before its end -> incomplete
    periods: int = 8  # how many earlier periods make "usual"
    min_missing_rows: float = 3.0  # a gap alarms only when the usual rate would have put this many records in it


# The local dates that put a record into a period: a deal created or closed in it, an activity due or done in it.
COMPLETENESS_DATES = {
    "deals": ("created_day", "closed_day"),
    "leads": ("created_day",),
    "activities": ("due_day", "completed_day"),
}
RECORD_NOUNS = {"deals": "deal", "leads": "lead", "activities": "activity"}
COLUMNS = [
    "table", "rows", "usual", "newest", "gap_days", "gap_share", "core", "empty", "incomplete",
    "period", "usual_periods",
]  # fmt: skip
DTYPES = {
    "table": object, "rows": "int64", "usual": object, "newest": "datetime64[ns]", "gap_days": object,
    "gap_share": object, "core": bool, "empty": bool, "incomplete": bool, "period": object, "usual_periods": "int64",
}  # fmt: skip
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def completeness(
    data: TeamData, period: Period, settings: CompletenessSettings, absent: Collection[str] = ()
) -> pd.DataFrame:
    """Per table (deals, leads, activities; not those in `absent`): records dated in the period, the average
    of the `settings.periods` earlier periods (None without that much history), the newest date up to the
    period's end, how far before the end it falls (days, and share of the period) and whether that makes the
    period incomplete. Only core tables are ever incomplete; the others are reported for context.

    A core table is reported even when it is in `absent`: `absent_tables(data)` lists every table without
    rows, a header-only deals export among them, and an empty core table must never pass. To accept a core
    table's absence (a source that declares it absent), leave it out of `settings.core_tables`.

    `period` and `usual_periods` carry what `incomplete_message` needs to word a row on its own. `usual`,
    `gap_days` and `gap_share` are Python numbers or None (object columns), never NaN."""
    windows = period.preceding(settings.periods)
    first = history_start(data)
    history = first is not None and windows[-1].start >= first
    end = pd.Timestamp(period.end)
    rows = []
    for table, columns in COMPLETENESS_DATES.items():
        if table in absent and table not in settings.core_tables:
            continue
        frame = data.table(table)
        days = [frame[column] for column in columns if column in frame.columns]
        now = _dated(days, period, len(frame))
        usual = fmean(_dated(days, window, len(frame)) for window in windows) if history else None
        newest = max((d[d <= end].max() for d in days), key=_order, default=pd.NaT)
        newest = pd.NaT if pd.isna(newest) else pd.Timestamp(newest)
        gap = None if pd.isna(newest) else (end - newest).days
        share = None if gap is None else gap / period.days
        core, empty = table in settings.core_tables, len(frame) == 0
        many = usual is not None and usual >= settings.min_usual_rows
        # A gap the team's own earlier periods also had (a weekday-only team's Thursday-to-Sunday) is its rhythm
        widest = max((g for w in windows if (g := _gap(days, w)) is not None), default=None) if history else None
        # ... and one long enough that the team usually has a few records in it (a small team's quiet Friday)
        expected = 0.0 if usual is None or share is None else usual * share
        stopped = (share is not None and share > settings.max_gap_share and (widest is None or gap > widest)
                   and expected >= settings.min_missing_rows)  # fmt: skip
        # Nothing in the period nor in the earlier ones it is compared with: the export ends before them
        ended = now == 0 and not usual and not pd.isna(newest) and newest < pd.Timestamp(windows[-1].start)
        incomplete = core and (empty or ended or (many and (now == 0 or stopped)))
        rows.append({"table": table, "rows": now, "usual": usual, "newest": newest, "gap_days": gap,
                     "gap_share": share, "core": core, "empty": empty, "incomplete": incomplete,
                     "period": period.label, "usual_periods": settings.periods})  # fmt: skip
    # Each column built with its type: object columns keep None as None (the default inference would turn a
    # column of ints and None into floats and NaN, and an all-None one into object while a full one is float).
    return pd.DataFrame({column: pd.Series([r[column] for r in rows], dtype=DTYPES[column]) for column in COLUMNS})


def incomplete_message(row: Mapping[str, object] | pd.Series) -> str:
    """One English sentence on why a row of `completeness()` is incomplete (a row from `iterrows()` or a
    record from `to_dict("records")`)."""
    if not row["incomplete"]:
        raise ValueError(f"the {row['table']} row is not incomplete")
    table = str(row["table"])
    if row["empty"]:
        return (
            f"no {table} for this team at all: the export is header-only, or no rep of the team owns any "
            "(check reps.team)"
        )
    period = parse_period(str(row["period"]))
    singular, plural = PERIOD_NOUNS[period.cadence]
    if row["rows"] == 0 and not row["usual"]:
        newest = pd.Timestamp(row["newest"])
        return (
            f"the {table} export ends on {_day(newest)}, before {period.label} and the {row['usual_periods']} "
            f"{plural} it is compared with: export the data again, or report an earlier period"
        )
    usual = _number(float(row["usual"]))
    if row["rows"] == 0:
        count = int(row["usual_periods"])
        last = f"the last {count} {plural}" if count != 1 else f"the last {singular}"
        return (
            f"no {table} dated in {period.label}, while {last} had {usual} a {singular} on average: "
            "the export looks incomplete"
        )
    newest = pd.Timestamp(row["newest"])
    return (
        f"the {table} export looks incomplete: newest {RECORD_NOUNS.get(table, table)} {_day(newest)}, "
        f"period ends {_day(pd.Timestamp(period.end))} ({row['gap_days']} of {period.days} days without a record; "
        f"usually {usual} a {singular})"
    )


def _dated(days: list[pd.Series], window: Period, length: int) -> int:
    """Records with any of the dates inside the window (a deal created before the week and closed in it counts)."""
    inside = np.zeros(length, dtype=bool)
    for column in days:
        inside |= in_window(column, window).to_numpy(dtype=bool)
    return int(inside.sum())


def _gap(days: list[pd.Series], window: Period) -> int | None:
    """Days from the window's newest record to its end; None when it has none."""
    end = pd.Timestamp(window.end)
    newest = [d[in_window(d, window)].max() for d in days]
    newest = [n for n in newest if not pd.isna(n)]
    return None if not newest else (end - max(newest)).days


def _order(value: object) -> pd.Timestamp:
    return pd.Timestamp.min if pd.isna(value) else pd.Timestamp(value)


def _day(value: pd.Timestamp) -> str:
    """22 Nov 2026, whatever the locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _number(value: float) -> str:
    """41, 40.6: one decimal, none when it is 0."""
    return f"{value:.1f}".removesuffix(".0")
