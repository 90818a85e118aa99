"""One team's typed tables, with local calendar dates, ready for KPI functions."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

import pandas as pd

from transforms.membership import is_in
from transforms.normalise import local_dates
from transforms.periods import Period
from transforms.schema import TABLES

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
    # Set on frames cut to the window a run reads (`transforms.scope.kpi_rows`): the first day the whole data
    # knew about, which tells a baseline whether the history reaches back far enough. None: the frames tell.
    known_from: date | None = None

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
            key: replace(self, **{table: groups[table].get(key, self.table(table).iloc[0:0]) for table in groups})
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
            return replace(
                self,
                reps=self.reps[self.reps["rep_id"] == value],
                deals=deals,
                leads=self.leads[self.leads["owner_rep_id"] == value],
                activities=self.activities[self.activities["rep_id"] == value],
                orders=self.orders[is_in(self.orders["deal_id"], deals["deal_id"])],
            )
        if dimension == "product":
            return replace(
                self,
                deals=self.deals[self.deals["product"] == value],
                orders=self.orders[self.orders["product"] == value],
            )
        if dimension == "source":
            return replace(self, leads=self.leads[self.leads["source"] == value])
        if dimension == "type":
            return replace(self, activities=self.activities[self.activities["type"] == value])
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


def active_reps(reps: pd.DataFrame, window: Period) -> pd.Series:
    """Reps employed on at least one day of the window."""
    hired = reps["hired_on"] <= pd.Timestamp(window.end)
    return hired & (reps["left_on"].isna() | (reps["left_on"] >= pd.Timestamp(window.start)))
