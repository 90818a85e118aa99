"""One team's typed tables, with local calendar dates, ready for KPI functions."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

import pandas as pd

from salespulse.transforms.membership import is_in
from salespulse.transforms.normalise import local_dates
from salespulse.transforms.periods import Period
from salespulse.transforms.schema import TABLES

T = TypeVar("T")
# The column each dimension's rows are split on, per table ("rep" also takes the orders of the rep's deals).
SPLIT_COLUMNS = {
    "rep": {"reps": "rep_id", "deals": "owner_rep_id", "leads": "owner_rep_id", "activities": "rep_id"},
    "product": {"deals": "product", "orders": "product"},
    "source": {"leads": "source"},
    "type": {"activities": "type"},
}


@dataclass(frozen=True)
class TeamData:
    """Typed frames of one team. Every timestamp column `x_at` has a local-date twin `x_day`."""

    reps: pd.DataFrame
    accounts: pd.DataFrame
    leads: pd.DataFrame
    deals: pd.DataFrame
    activities: pd.DataFrame
    orders: pd.DataFrame
    # Set on frames cut to the window a run reads (`salespulse.transforms.scope.kpi_rows`): the first day the whole data
    # knew about, which tells a baseline whether the history reaches back far enough. None: the frames tell.
    known_from: date | None = None
    # Set on frames cut or narrowed from a team's whole data (`narrowed`): each table's first record in the
    # whole data, (table, day) pairs, so that a window before it stays "no data" (`first_record`). None: the
    # frames tell.
    first_records: tuple[tuple[str, date | None], ...] | None = None

    def __post_init__(self) -> None:
        # Results derived from these frames (a KPI in a window, a first touch per lead): the frames never
        # change, so each is worked out once per TeamData; `replace()` starts an empty memo. Not a dataclass
        # field: Prefect walks every field of a task's arguments (looking for futures), memo included, and a
        # memo holds hundreds of values and TeamData parts, each with a memo of its own.
        object.__setattr__(self, "_memo", {})

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, worked out on the first call with this key and remembered with this data."""
        memo: dict[Hashable, object] = self._memo  # type: ignore[attr-defined]
        if key not in memo:
            memo[key] = make()
        return memo[key]  # type: ignore[return-value]

    def latest(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """`make()` for `key`, remembered as the only value of its kind: another key replaces it. For rows
        cut from this data (a quarter's KPI rows, a period's rows): a backfill's periods share this data and
        go forward in time, so they reuse the cut while it serves and never ask for an older one again."""
        memo: dict[Hashable, object] = self._memo  # type: ignore[attr-defined]
        held: tuple[Hashable, T] | None = memo.get(("latest", kind))  # type: ignore[assignment]
        if held is None or held[0] != key:
            held = memo[("latest", kind)] = (key, make())
        return held[1]

    def narrowed(self, **frames: pd.DataFrame) -> TeamData:
        """The data with fewer rows in `frames` (a rep's, a period's): it still knows where the whole data
        begins, so a window before that is "no data", not a zero of the narrower rows."""
        return replace(self, first_records=first_records(self), **frames)

    def parts(self, dimension: str, keys: list[str]) -> dict[str, TeamData]:
        """`only(dimension, key)` for every key, in one pass over each frame instead of one per key."""
        return self.memo(("parts", dimension, tuple(keys)), lambda: self._parts(dimension, keys))

    def _parts(self, dimension: str, keys: list[str]) -> dict[str, TeamData]:
        if dimension not in SPLIT_COLUMNS:
            raise ValueError(f"unknown dimension {dimension!r}")
        groups = {table: _groups(self.table(table), column) for table, column in SPLIT_COLUMNS[dimension].items()}
        if dimension == "rep":
            groups["orders"] = self._orders_by_rep(groups["deals"])
        return {
            key: self.narrowed(**{table: groups[table].get(key, self.table(table).iloc[0:0]) for table in groups})
            for key in keys
        }

    def _orders_by_rep(self, deals_by_rep: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Each rep's orders: those of the rep's deals. One grouping by each order's deal owner when every
        deal has one owner; else (a deal id twice, which the gate withholds) as `only` does, rep by rep."""
        deals, orders = self.deals, self.orders
        if not deals["deal_id"].is_unique:
            return {rep: orders[is_in(orders["deal_id"], rows["deal_id"])] for rep, rows in deals_by_rep.items()}
        owner = orders["deal_id"].map(pd.Series(deals["owner_rep_id"].array, index=deals["deal_id"].array))
        return {rep: rows for rep, rows in orders.groupby(owner, sort=False, dropna=True)}

    def only(self, dimension: str, value: str) -> TeamData:
        """The same data narrowed to one rep, product, lead source or activity type."""
        if dimension == "rep":
            deals = self.deals[self.deals["owner_rep_id"] == value]
            return self.narrowed(
                reps=self.reps[self.reps["rep_id"] == value],
                deals=deals,
                leads=self.leads[self.leads["owner_rep_id"] == value],
                activities=self.activities[self.activities["rep_id"] == value],
                orders=self.orders[is_in(self.orders["deal_id"], deals["deal_id"])],
            )
        if dimension == "product":
            return self.narrowed(
                deals=self.deals[self.deals["product"] == value],
                orders=self.orders[self.orders["product"] == value],
            )
        if dimension == "source":
            return self.narrowed(leads=self.leads[self.leads["source"] == value])
        if dimension == "type":
            return self.narrowed(activities=self.activities[self.activities["type"] == value])
        raise ValueError(f"unknown dimension {dimension!r}")

    def values_of(self, dimension: str) -> list[tuple[str, str]]:
        """(key, label) of every rep, product, source or type present, in a stable order."""
        if dimension == "rep":
            reps = self.reps.sort_values("rep_id")
            return list(zip(reps["rep_id"], reps["name"].fillna(reps["rep_id"]), strict=True))
        column = {
            "product": (self.deals, "product"),
            "source": (self.leads, "source"),
            "type": (self.activities, "type"),
        }[dimension]
        values = sorted(column[0][column[1]].dropna().unique())
        return [(v, v) for v in values]


def team_data(tables: dict[str, pd.DataFrame], team_id: str, timezone: str) -> TeamData:
    """Select the rows a team owns and add local dates; the inputs are left untouched."""
    reps = _where_in(tables["reps"], "team", {team_id})
    rep_ids = set(reps["rep_id"]) if "rep_id" in reps.columns else set()
    deals = _where_in(tables["deals"], "owner_rep_id", rep_ids)
    deal_ids = set(deals["deal_id"]) if "deal_id" in deals.columns else set()
    frames = {
        "reps": reps,
        "accounts": tables["accounts"],
        "leads": _where_in(tables["leads"], "owner_rep_id", rep_ids),
        "deals": deals,
        "activities": _where_in(tables["activities"], "rep_id", rep_ids),
        "orders": _where_in(tables["orders"], "deal_id", deal_ids),
    }
    return TeamData(**{name: with_local_dates(frame, name, timezone) for name, frame in frames.items()})


def unowned_data(tables: dict[str, pd.DataFrame], timezone: str) -> TeamData:
    """Leads, deals and activities whose owner is in no team (or not in reps at all): no report counts
    them, so the data-quality gate must look at them on its own."""
    reps = tables["reps"]
    owned = set(reps.loc[reps["team"].notna(), "rep_id"]) if {"rep_id", "team"} <= set(reps.columns) else set()
    frames = {
        "reps": reps.iloc[0:0],
        "accounts": tables["accounts"].iloc[0:0],
        "leads": _where_not_in(tables["leads"], "owner_rep_id", owned),
        "deals": _where_not_in(tables["deals"], "owner_rep_id", owned),
        "activities": _where_not_in(tables["activities"], "rep_id", owned),
        "orders": tables["orders"].iloc[0:0],
    }
    return TeamData(**{name: with_local_dates(frame, name, timezone) for name, frame in frames.items()})


def _groups(frame: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """The rows of each value of `column`, in their original order: `frame[frame[column] == value]` for all."""
    if frame.empty:
        return {}
    return {key: rows for key, rows in frame.groupby(column, sort=False, dropna=True)}


def _where_not_in(frame: pd.DataFrame, column: str, values: set[str]) -> pd.DataFrame:
    return frame.iloc[0:0] if column not in frame.columns else frame[~is_in(frame[column], values)]


def _where_in(frame: pd.DataFrame, column: str, values: set[str]) -> pd.DataFrame:
    """Rows whose `column` is in `values`; none when the column is missing (the gate reports that)."""
    if column not in frame.columns:
        return frame.iloc[0:0]
    return frame[is_in(frame[column], values)]


def with_local_dates(frame: pd.DataFrame, table: str, timezone: str) -> pd.DataFrame:
    extra = {
        column.removesuffix("_at") + "_day": local_dates(frame[column], timezone)
        for column in TABLES[table].timestamps
        if column in frame.columns
    }
    return frame.assign(**extra) if extra else frame.copy()


def history_start(data: TeamData) -> date | None:
    """The first day the team's data knows anything about: baselines need that much history."""
    if data.known_from is not None:
        return data.known_from
    firsts = [
        frame[column].min()
        for frame, column in ((data.deals, "created_day"), (data.leads, "created_day"), (data.orders, "ordered_day"))
        if column in frame.columns and frame[column].notna().any()
    ]
    return min(firsts).date() if firsts else None


FIRST_RECORD_DATES = {
    "deals": ("created_day", "closed_day"),
    "leads": ("created_day",),
    "activities": ("due_day", "completed_day"),
    "orders": ("ordered_day",),
    "reps": ("hired_on",),
}
"""The dated columns of each table whose earliest day is the table's first record."""


def first_record(data: TeamData, table: str) -> date | None:
    """The earliest day among `table`'s dated columns in the team's whole data (narrowed or cut data
    remembers it); None when the table has no dated row. A KPI of a window ending before it is "no data"."""
    if data.first_records is not None:
        return dict(data.first_records).get(table)
    return data.memo(("first record", table), lambda: _first_day(data.table(table), FIRST_RECORD_DATES.get(table, ())))


def first_records(data: TeamData) -> tuple[tuple[str, date | None], ...]:
    """`first_record` of every dated table, as `TeamData.first_records` holds them."""
    if data.first_records is not None:
        return data.first_records
    return tuple((table, first_record(data, table)) for table in FIRST_RECORD_DATES)


def before_data(data: TeamData, table: str, window: Period) -> bool:
    """True when the window ends before `table`'s first record: its values are unknown, not zero. A table
    without dated rows says nothing (an empty table skips its KPIs: `salespulse.transforms.partial`)."""
    first = first_record(data, table)
    return first is not None and window.end < first


def _first_day(frame: pd.DataFrame, columns: tuple[str, ...]) -> date | None:
    firsts = [frame[column].min() for column in columns if column in frame.columns and frame[column].notna().any()]
    return pd.Timestamp(min(firsts)).date() if firsts else None


def open_at(deals: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """Deals created by `end` and not closed by then (a deal won later was open then): the pipeline's rows."""
    return (deals["created_day"] <= end) & ~(deals["closed_day"] <= end)


def active_reps(reps: pd.DataFrame, window: Period) -> pd.Series:
    """Reps employed on at least one day of the window."""
    hired = reps["hired_on"] <= pd.Timestamp(window.end)
    return hired & (reps["left_on"].isna() | (reps["left_on"] >= pd.Timestamp(window.start)))
