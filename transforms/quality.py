"""What the data-quality gate looks at: the rows a period's report reads, their row flags, and the derived
frames (completeness and volume, name variants, reconciliation) with their suites' `$PARAMETER` values.
Pure pandas; expectations/runner.py runs the suites on them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from salespulse.transforms.check_rows import CheckContext, row_flags
from salespulse.transforms.checks import CHECKS, Check
from salespulse.transforms.completeness import CompletenessSettings, completeness, incomplete_message
from salespulse.transforms.kpi_inputs import in_window
from salespulse.transforms.periods import Period
from salespulse.transforms.scope import rows_in_scope
from salespulse.transforms.taints import plausible_ceiling
from salespulse.transforms.team_data import TeamData
from salespulse.transforms.traps import name_variants


@dataclass(frozen=True)
class QualitySettings:
    max_amount: float | None = None  # a fixed ceiling for a plausible amount; None: judged by the team's history
    amount_outlier_factor: float = 10.0  # implausible: above this × the 95th percentile of the team's amounts
    currencies: tuple[str, ...] = ("USD",)
    future_tolerance_days: int = 1
    freshness_days: int = 3
    volume_band: float = 0.5
    volume_periods: int = 8
    reconciliation_tolerance: float = 0.01  # per deal: |won − invoiced| ÷ won
    invoice_lag_days: int = 7  # a deal closed this recently need not be invoiced yet
    core_tables: tuple[str, ...] = ("deals",)  # tables whose missing records withhold the report
    min_usual_rows: float = 5.0  # an empty or cut-short period alarms only when periods usually have this many
    max_gap_share: float = 0.2  # newest record further than this share of the period from its end: cut short
    checks: dict[str, Check] = field(default_factory=lambda: dict(CHECKS))  # with the config's overrides


LEAST_AMOUNTS = 20  # amounts of earlier deals needed before the team's own history judges a new one


@dataclass(frozen=True)
class CheckInputs:
    """The frames to validate, their row flags, and the values the derived suites' `$PARAMETER`s take."""

    frames: dict[str, pd.DataFrame]
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)
    flags: dict[str, pd.DataFrame] = field(default_factory=dict)


def check_context(
    data: TeamData, period: Period, as_of: date, known_reps: set[str], known_accounts: set[str] | None,
    settings: QualitySettings,
) -> CheckContext:  # fmt: skip
    """What rows are judged against: the run's day, the known ids, and each table's plausible ceiling."""
    ceilings: dict[str, float | None] = {}
    for table, day in (("deals", "closed_day"), ("orders", "ordered_day")):
        frame = data.table(table)
        if settings.max_amount is not None:
            ceilings[table] = settings.max_amount
        elif {"amount", day} <= set(frame.columns):
            ceilings[table] = plausible_ceiling(
                frame["amount"], frame[day], period.start, settings.amount_outlier_factor, LEAST_AMOUNTS
            )
    return CheckContext(
        latest_allowed=pd.Timestamp(as_of + timedelta(days=settings.future_tolerance_days)),
        currencies=settings.currencies,
        known_reps=frozenset(known_reps),
        known_accounts=None if known_accounts is None else frozenset(known_accounts),
        max_amount=ceilings,
    )


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
    after the run (a future date is a fault whatever the period), plus the window's rows no team owns, each
    with its row flags; and the derived frames: completeness and volume, name variants, reconciliation.

    Tables in `absent` (the team's data has none of them) are not checked row by row; the completeness check
    still judges the core tables (an empty deals export is never "checks passed")."""
    ctx = check_context(data, period, as_of, known_reps, None if "accounts" in absent else known_accounts, settings)
    frames = rows_in_scope(data, period.previous().start, period.end, after=ctx.latest_allowed)
    if unowned is not None:
        strays = rows_in_scope(unowned, period.previous().start, period.end, after=ctx.latest_allowed)
        for table in ("leads", "deals", "activities"):
            if len(strays[table]):
                frames[table] = pd.concat([frames[table], strays[table]])
    # Rows no team owns are checked even in a table this team lacks: they may be its own, mis-assigned.
    frames = {table: frame for table, frame in frames.items() if table not in absent or len(frame)}
    window = (pd.Timestamp(period.previous().start), pd.Timestamp(period.end))
    flags = {table: _applicable(row_flags(frame, table, ctx), frame, settings.checks, window)
             for table, frame in frames.items()}  # fmt: skip
    parameters: dict[str, dict[str, object]] = {}
    frames["names"] = name_variants(frames)
    intake_settings = CompletenessSettings(settings.core_tables, settings.min_usual_rows, settings.max_gap_share,
                                           settings.volume_periods)  # fmt: skip
    frames["intake"] = intake(data, period, intake_settings, absent)
    parameters["intake"] = {
        "low": 1 - settings.volume_band,
        "high": 1 + settings.volume_band,
        "fresh_since": pd.Timestamp(period.end - timedelta(days=settings.freshness_days)),
    }
    if not {"deals", "orders"} & set(absent):  # without orders every won deal would look uninvoiced
        frames["reconciliation"] = reconciliation(data, period, as_of, settings.invoice_lag_days)
        parameters["reconciliation"] = {"tolerance": settings.reconciliation_tolerance}
    return CheckInputs(frames, parameters, flags)


def _applicable(
    flags: pd.DataFrame, frame: pd.DataFrame, checks: dict[str, Check], window: tuple[pd.Timestamp, pd.Timestamp]
) -> pd.DataFrame:
    """A check that judges closed deals (`applies: closed`) judges only those closed in the window: a deal
    merely open at the end of an earlier period is judged there by what it was then."""
    closing = [c for c in flags.columns if checks[c].applies == "closed"]
    if not closing or "closed_day" not in frame.columns:
        return flags
    inside = ((frame["closed_day"] >= window[0]) & (frame["closed_day"] <= window[1])).fillna(False).to_numpy()
    return flags.assign(**{c: flags[c].to_numpy() & inside for c in closing})


def intake(data: TeamData, period: Period, settings: CompletenessSettings, absent: Collection[str]) -> pd.DataFrame:
    """Per table: completeness (transforms/completeness.py), the volume ratio against the usual periods, and
    the sentence an incomplete table's alert quotes."""
    frame = completeness(data, period, settings, absent)
    ratio = [None if not u else r / u for r, u in zip(frame["rows"], frame["usual"], strict=True)]
    why = [incomplete_message(row) if row["incomplete"] else "" for row in frame.to_dict("records")]
    return frame.assign(ratio=pd.Series(ratio, dtype=object), latest=frame["newest"], explanation=why)


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
