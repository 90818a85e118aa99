"""What the data-quality checks compare against, computed from the data itself; and the rows they drop.

The suites in expectations/ hold the rules; this module computes their `$PARAMETER` values (known reps,
volume bands from history, the freshness cut-off, ...) and applies a verdict's exclusions. Pure pandas.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import fmean

import pandas as pd

from transforms.kpi_inputs import in_window
from transforms.membership import is_in
from transforms.periods import Period
from transforms.schema import TABLES
from transforms.scope import rows_in_scope
from transforms.team_data import TeamData
from transforms.traps import name_variants


@dataclass(frozen=True)
class QualitySettings:
    max_amount: float = 1_000_000
    currencies: tuple[str, ...] = ("USD",)
    future_tolerance_days: int = 1
    freshness_days: int = 3
    volume_band: float = 0.5
    volume_periods: int = 8
    reconciliation_tolerance: float = 0.01  # per deal: |won − invoiced| ÷ won
    invoice_lag_days: int = 7  # a deal closed this recently need not be invoiced yet


@dataclass(frozen=True)
class CheckInputs:
    """The frames to validate and the values their suites' `$PARAMETER`s take."""

    frames: dict[str, pd.DataFrame]
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)


def check_inputs(
    data: TeamData,
    period: Period,
    as_of: date,
    known_reps: set[str],
    known_accounts: set[str],
    settings: QualitySettings,
    unowned: TeamData | None = None,
    absent: Collection[str] = (),
) -> CheckInputs:
    """The rows the report depends on (the period and the one before, for the comparison), plus rows dated
    after the run (a future date is a fault whatever the period), plus the window's rows no team owns.

    Tables in `absent` (the team's data has none of them) are not checked: their suites would only pass on
    nothing, and volume, freshness and reconciliation would flag the gap the report already explains."""
    latest = pd.Timestamp(as_of + timedelta(days=settings.future_tolerance_days))
    frames = rows_in_scope(data, period.previous().start, period.end, after=latest)
    if unowned is not None:
        strays = rows_in_scope(unowned, period.previous().start, period.end, after=latest)
        for table in ("leads", "deals", "activities"):
            if len(strays[table]):
                frames[table] = pd.concat([frames[table], strays[table]])
    # Rows no team owns are checked even in a table this team lacks: they may be its own, mis-assigned.
    frames = {table: frame for table, frame in frames.items() if table not in absent or len(frame)}
    if "accounts" in absent:  # no accounts table: nothing to check references against
        known_accounts = known_accounts | _named(frames, "account_id")
    # The ids the checked rows name that no rep (account) has: the suites expect references NOT in this list,
    # which for these rows is the same test as "in the known ids". GX rebuilds an expectation's value set
    # several times per check (pydantic .dict()), so the 28,000 known accounts at 100x cost 5 s a run; the
    # unknown ids are usually none. Named by the rows that refer to a rep or account, not by those tables.
    referring = {table: frame for table, frame in frames.items() if table not in ("reps", "accounts")}
    common = {
        "unknown_rep_ids": sorted(_named(referring, "owner_rep_id", "rep_id") - known_reps),
        "unknown_account_ids": sorted(_named(referring, "account_id") - known_accounts),
        "currencies": list(settings.currencies),
        "max_amount": settings.max_amount,
        "latest_allowed": latest,
        "fresh_since": pd.Timestamp(period.end - timedelta(days=settings.freshness_days)),
    }
    parameters = {table: dict(common) for table in frames}
    frames["names"] = name_variants(frames)
    parameters["names"] = {}
    volume = intake(data, period, settings.volume_periods)
    frames["intake"] = volume[~volume["table"].isin(list(absent))].reset_index(drop=True)
    parameters["intake"] = {
        "low": 1 - settings.volume_band,
        "high": 1 + settings.volume_band,
        "fresh_since": common["fresh_since"],
    }
    if not {"deals", "orders"} & set(absent):  # without orders every won deal would look uninvoiced
        frames["reconciliation"] = reconciliation(data, period, as_of, settings.invoice_lag_days)
        parameters["reconciliation"] = {"tolerance": settings.reconciliation_tolerance}
    return CheckInputs(frames, parameters)


INTAKE_DATES = {"deals": "created_day", "leads": "created_day", "activities": "due_day"}


def _named(frames: dict[str, pd.DataFrame], *columns: str) -> set[str]:
    return {
        value
        for frame in frames.values()
        for column in columns
        if column in frame.columns
        for value in frame[column].dropna().unique()
    }


def intake(data: TeamData, period: Period, periods: int) -> pd.DataFrame:
    """Per table: new records in the period, the average of the last N periods (ratio 1 = usual) and the
    newest date. Without N periods of history the ratio is empty and not checked: no bound beats a made-up one;
    a table with no rows at all has no newest date and is not called stale."""
    windows = period.preceding(periods)
    first = data.deals["created_day"].min() if len(data.deals) else pd.NaT
    history = not pd.isna(first) and pd.Timestamp(windows[-1].start) >= first
    rows = []
    for table, column in INTAKE_DATES.items():
        days = data.table(table)[column]
        now = int(in_window(days, period).sum())
        usual = fmean(int(in_window(days, w).sum()) for w in windows) if history else None
        latest = days[days <= pd.Timestamp(period.end)].max()
        rows.append({"table": table, "rows": now, "usual": None if usual is None else round(usual, 1),
                     "ratio": now / usual if usual else None, "latest": latest})  # fmt: skip
    return pd.DataFrame(rows, columns=["table", "rows", "usual", "ratio", "latest"])


def reconciliation(data: TeamData, period: Period, as_of: date, lag_days: int) -> pd.DataFrame:
    """Each deal won in the period beside the orders invoiced for it so far. A deal closed within the
    invoicing lag before the run is not due yet (`invoice_due` false), so a Sunday close is no fault."""
    deals = data.deals
    won = deals[(deals["stage"] == "won") & in_window(deals["closed_day"], period)]
    invoiced = data.orders.groupby("deal_id")["amount"].sum()
    frame = pd.DataFrame(
        {
            "deal_id": won["deal_id"],
            "won": won["amount"].round(2),
            "invoiced": won["deal_id"].map(invoiced).fillna(0.0).round(2),
            "invoice_due": won["closed_day"] <= pd.Timestamp(as_of - timedelta(days=lag_days)),
        }
    )
    frame["gap_share"] = ((frame["won"] - frame["invoiced"]).abs() / frame["won"].where(frame["won"] != 0)).fillna(0.0)
    return frame.reset_index(drop=True)


def without(data: TeamData, excluded: dict[str, set[str]]) -> TeamData:
    """The data minus the rows a warning check left out, by each table's key."""
    changes = {}
    for table, ids in excluded.items():
        if ids and table in TABLES:
            frame = data.table(table)
            changes[table] = frame[~is_in(frame[TABLES[table].key], ids)]
    return replace(data, **changes) if changes else data
