"""The row flags behind `transforms/checks.py`: one pure function per check, a boolean per row.

Flags are worked out on every row of a team's data, not only the rows a period's gate looks at, so that a
trend point of an earlier period leaves out the same rows that period's own report did.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salespulse.transforms.checks import CHECKS
from salespulse.transforms.membership import is_in
from salespulse.transforms.schema import (
    ACTIVITY_TYPES,
    DEAL_STAGES,
    DEAL_STAGES_OPEN,
    LEAD_STATUSES,
    PARSE_ERRORS,
    TABLES,
    TRIMMED,
)

RowFlag = Callable[[pd.DataFrame, "CheckContext"], pd.Series]


@dataclass(frozen=True)
class CheckContext:
    """What the checks compare rows against, from the config and the data itself."""

    latest_allowed: pd.Timestamp  # a date after this is in the future (the run's day plus the tolerance)
    currencies: tuple[str, ...] = ("USD",)
    known_reps: frozenset[str] | None = None  # None: not judged (no roster to judge against)
    known_accounts: frozenset[str] | None = None
    max_amount: dict[str, float | None] | None = None  # per table (deals, orders): the plausible ceiling


def col(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column, or an all-missing one when the export lacks it (the column-set check reports that)."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(np.full(len(frame), None, dtype=object), index=frame.index, name=name)


def _missing(frame: pd.DataFrame, name: str) -> pd.Series:
    return col(frame, name).isna()


def _stage_in(frame: pd.DataFrame, stages: tuple[str, ...]) -> pd.Series:
    return is_in(col(frame, "stage"), list(stages)).fillna(False).astype(bool)


def _unusable_amount(frame: pd.DataFrame) -> pd.Series:
    amount = pd.to_numeric(col(frame, "amount"), errors="coerce")
    return amount.isna() | (amount < 0)


def _day_after(frame: pd.DataFrame, columns: tuple[str, ...], latest: pd.Timestamp) -> pd.Series:
    out = pd.Series(False, index=frame.index)
    for column in columns:
        days = col(frame, column.removesuffix("_at") + "_day")
        if days.dtype.kind == "M":
            out |= days > latest
    return out


def _not_known(frame: pd.DataFrame, column: str, known: frozenset[str] | None) -> pd.Series:
    values = col(frame, column)
    if known is None:
        return values.isna()
    return values.isna() | ~is_in(values, known).fillna(False).astype(bool)


def _unknown_reference(frame: pd.DataFrame, column: str, known: frozenset[str] | None) -> pd.Series:
    values = col(frame, column)
    if known is None:
        return pd.Series(False, index=frame.index)
    return values.notna() & ~is_in(values, known).fillna(False).astype(bool)


def _repeats(frame: pd.DataFrame, table: str) -> tuple[pd.Series, pd.Series]:
    """(conflicting, repeated): every row of a key whose rows differ (none can be trusted over another), and
    the rows identical to an earlier row of their key (counted once). One hashing of the keys for both."""
    none = pd.Series(False, index=frame.index)
    key = TABLES[table].key
    keys = col(frame, key)
    repeated = keys.notna() & keys.duplicated(keep=False)
    if not repeated.any():
        return none, none
    columns = [c for c in TABLES[table].columns if c in frame.columns]
    rows = frame.loc[repeated, columns].astype("string").fillna("\x00")
    variants = rows.drop_duplicates().groupby(key, sort=False).size()
    differing = set(variants[variants > 1].index)
    conflict = repeated & is_in(keys, differing).fillna(False).astype(bool)
    return conflict, repeated & ~conflict & frame.duplicated(subset=columns, keep="first")


def _unreadable(column: str) -> RowFlag:
    def flag(frame: pd.DataFrame, _: CheckContext) -> pd.Series:
        errors = col(frame, PARSE_ERRORS)
        written = errors.notna()
        out = pd.Series(False, index=frame.index)
        if written.any():
            out[written] = errors[written].astype(str).str.contains(rf"(?:^|; ){column}=", regex=True)
        return out

    return flag


def _lookalikes(frame: pd.DataFrame) -> pd.Series:
    columns = ["account_id", "product", "amount", "closed_day"]
    won = _stage_in(frame, ("won",))
    if not won.any() or not set(columns) <= set(frame.columns):
        return pd.Series(False, index=frame.index)
    rows = frame.loc[won, [*columns, "deal_id"]].dropna(subset=columns)
    distinct = rows.drop_duplicates(subset=[*columns, "deal_id"])
    groups = distinct.groupby(columns, sort=False, dropna=True)["deal_id"].transform("size")
    alike = distinct.index[groups.to_numpy() > 1]
    return pd.Series(frame.index.isin(alike), index=frame.index)


def _implausible(table: str) -> RowFlag:
    def flag(frame: pd.DataFrame, ctx: CheckContext) -> pd.Series:
        ceiling = (ctx.max_amount or {}).get(table)
        if ceiling is None:
            return pd.Series(False, index=frame.index)
        return (pd.to_numeric(col(frame, "amount"), errors="coerce") > ceiling).fillna(False)

    return flag


def _generic_flags(table: str) -> dict[str, RowFlag]:
    key = TABLES[table].key
    typed = TABLES[table].numbers + TABLES[table].dates + TABLES[table].timestamps
    return {
        f"{table}.missing_key": lambda f, _: _missing(f, key),
        f"{table}.conflicting_rows": lambda f, _: _repeats(f, table)[0],
        f"{table}.repeated_rows": lambda f, _: _repeats(f, table)[1],
        **{f"{table}.unreadable_{column}": _unreadable(column) for column in typed},
        f"{table}.padded_text": lambda f, _: col(f, TRIMMED).notna(),
    }


_CLOSED = ("won", "lost")
ROW_FLAGS: dict[str, RowFlag] = {
    **{check_id: flag for table in TABLES for check_id, flag in _generic_flags(table).items()},
    "deals.conflicting_open_rows": lambda f, _: _repeats(f, "deals")[0] & col(f, "closed_at").isna(),
    "deals.closed_unknown_stage": lambda f, _: col(f, "closed_at").notna() & ~_stage_in(f, DEAL_STAGES),
    "deals.open_unknown_stage": lambda f, _: col(f, "closed_at").isna() & ~_stage_in(f, DEAL_STAGES),
    "deals.won_amount_unknown": lambda f, _: _stage_in(f, ("won",)) & _unusable_amount(f),
    "deals.lost_amount_unknown": lambda f, _: _stage_in(f, ("lost",)) & _unusable_amount(f),
    "deals.open_amount_unknown": lambda f, _: _stage_in(f, DEAL_STAGES_OPEN) & _unusable_amount(f),
    "deals.closed_without_close_date": lambda f, _: _stage_in(f, _CLOSED) & _missing(f, "closed_at"),
    "deals.open_with_close_date": lambda f, _: _stage_in(f, DEAL_STAGES_OPEN) & col(f, "closed_at").notna(),
    "deals.closed_before_created": lambda f, _: (
        (col(f, "closed_at") < col(f, "created_at")).fillna(False)
        if "closed_at" in f.columns and "created_at" in f.columns
        else pd.Series(False, index=f.index)
    ),
    "deals.closed_without_created": lambda f, _: _stage_in(f, _CLOSED) & _missing(f, "created_at"),
    "deals.undated_open_deals": lambda f, _: _stage_in(f, DEAL_STAGES_OPEN) & _missing(f, "created_at"),
    "deals.unknown_owner": lambda f, ctx: _not_known(f, "owner_rep_id", ctx.known_reps),
    "deals.missing_account": lambda f, _: _missing(f, "account_id"),
    "deals.unknown_account": lambda f, ctx: _unknown_reference(f, "account_id", ctx.known_accounts),
    "deals.missing_product": lambda f, _: _missing(f, "product"),
    "deals.other_currency": lambda f, ctx: (
        col(f, "currency").notna() & ~is_in(col(f, "currency"), list(ctx.currencies)).fillna(False).astype(bool)
    ),
    "deals.implausible_amount": _implausible("deals"),
    "deals.future_dated": lambda f, ctx: _day_after(f, ("created_at", "closed_at"), ctx.latest_allowed),
    "deals.lookalike_deals": lambda f, _: _lookalikes(f),
    "leads.missing_created": lambda f, _: _missing(f, "created_at"),
    "leads.unknown_status": lambda f, _: (
        col(f, "status").notna() & ~is_in(col(f, "status"), list(LEAD_STATUSES)).fillna(False).astype(bool)
    ),
    "leads.unknown_owner": lambda f, ctx: _not_known(f, "owner_rep_id", ctx.known_reps),
    "leads.missing_source": lambda f, _: _missing(f, "source"),
    "leads.future_dated": lambda f, ctx: _day_after(f, ("created_at", "converted_at"), ctx.latest_allowed),
    "activities.unknown_type": lambda f, _: (
        col(f, "type").notna() & ~is_in(col(f, "type"), list(ACTIVITY_TYPES)).fillna(False).astype(bool)
    ),
    "activities.unknown_owner": lambda f, ctx: _not_known(f, "rep_id", ctx.known_reps),
    "activities.missing_due": lambda f, _: _missing(f, "due_at"),
    "activities.future_dated": lambda f, ctx: _day_after(f, ("completed_at",), ctx.latest_allowed),
    "orders.amount_unknown": lambda f, _: _unusable_amount(f),
    "orders.missing_account": lambda f, _: _missing(f, "account_id"),
    "orders.unknown_account": lambda f, ctx: _unknown_reference(f, "account_id", ctx.known_accounts),
    "orders.other_currency": lambda f, ctx: (
        col(f, "currency").notna() & ~is_in(col(f, "currency"), list(ctx.currencies)).fillna(False).astype(bool)
    ),
    "orders.implausible_amount": _implausible("orders"),
    "orders.future_dated": lambda f, ctx: _day_after(f, ("ordered_at",), ctx.latest_allowed),
    "reps.missing_team": lambda f, _: _missing(f, "team"),
    "reps.missing_hired": lambda f, _: _missing(f, "hired_on"),
    "reps.missing_name": lambda f, _: _missing(f, "name"),
    "reps.missing_email": lambda f, _: _missing(f, "email"),
    "accounts.missing_details": lambda f, _: _missing(f, "name") | _missing(f, "industry") | _missing(f, "country"),
}


def row_flags(
    frame: pd.DataFrame, table: str, ctx: CheckContext, only: Collection[str] | None = None
) -> pd.DataFrame:
    """One boolean column per check of `table` (or of those in `only`), named by the check's id, aligned with
    `frame`."""
    conflicting, repeated = _repeats(frame, table)  # both from one hashing of the keys
    known = {f"{table}.conflicting_rows": conflicting, f"{table}.repeated_rows": repeated}
    if table == "deals":
        known["deals.conflicting_open_rows"] = conflicting & col(frame, "closed_at").isna()
    flags = {
        check_id: (known[check_id] if check_id in known else ROW_FLAGS[check_id](frame, ctx))
        .fillna(False)
        .astype(bool)
        .to_numpy()
        for check_id, check in CHECKS.items()
        if check.table == table and (only is None or check_id in only)
    }
    return pd.DataFrame(flags, index=frame.index)
