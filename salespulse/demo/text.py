"""Turning the simulation's numpy arrays into the six all-text frames ingest would see in an export.

Every cell is a Python `str` or None in an object column (never a NaN, never a number), sorted by the
table's key, because that is what a CSV export read as text looks like. This is also where the four
faults become visible: the simulation only chose which deals carry them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salespulse.demo.catalog import BAD_DATE, COUNTRIES, DEMO_TEAMS, INDUSTRIES, NEVER, PRODUCTS, SOURCES
from salespulse.demo.model import Roster
from salespulse.transforms.schema import ACTIVITY_TYPES, DEAL_STAGES, LEAD_STATUSES, TABLES


def id_column(prefix: str, n: int, width: int) -> np.ndarray:
    """`prefix` + 1..n zero-padded to one width, so text order equals number order."""
    digits = np.strings.zfill(np.arange(1, n + 1).astype(np.str_), max(width, len(str(n))))
    return np.strings.add(prefix, digits).astype(object)


def _dates(days: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    safe = days if present is None else np.where(present, days, 0)  # NEVER is beyond datetime64's range
    return _pick(np.datetime_as_string(safe.astype("datetime64[D]")), present=present)


def _stamps(seconds: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return _pick(np.strings.add(text, "Z"), present=present)


def _money(amount: np.ndarray) -> np.ndarray:
    return np.char.mod("%.2f", amount).astype(object)


def _pick(labels: object, index: np.ndarray | None = None, present: np.ndarray | None = None) -> np.ndarray:
    """Object array of `labels` (at `index`), None where not `present`: the text frames' cell type."""
    out = np.array(labels if isinstance(labels, np.ndarray) else list(labels), dtype=object)
    out = out if index is None else out[index]
    if present is not None:
        out[~present] = None
    return out


def _frame(name: str, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    table = TABLES[name]
    frame = pd.DataFrame({c: pd.Series(columns[c], dtype=object) for c in table.columns})
    return frame.sort_values(table.key, kind="stable", ignore_index=True)


def rep_frame(roster: Roster) -> pd.DataFrame:
    return _frame(
        "reps",
        {
            "rep_id": id_column("R", len(roster.names), 3),
            "name": _pick(roster.names),
            "email": _pick(roster.emails),
            "team": _pick(DEMO_TEAMS, roster.team),
            "hired_on": _dates(roster.hired),
            "left_on": _dates(roster.left, roster.left != NEVER),
        },
    )


def account_frame(accounts: dict[str, np.ndarray]) -> pd.DataFrame:
    return _frame(
        "accounts",
        {
            "account_id": id_column("A", len(accounts["created"]), 5),
            "name": _pick(accounts["name"]),
            "industry": _pick(INDUSTRIES.split(","), accounts["kind"]),  # an account's kind implies its industry
            "country": _pick(COUNTRIES, accounts["country"]),
            "created_on": _dates(accounts["created"]),
        },
    )


def lead_frame(leads: dict[str, np.ndarray], ids: dict[str, np.ndarray]) -> pd.DataFrame:
    converted = leads["status"] == LEAD_STATUSES.index("converted")
    return _frame(
        "leads",
        {
            "lead_id": ids["leads"],
            "source": _pick(SOURCES, leads["source"]),
            "owner_rep_id": ids["reps"][leads["owner"]],
            "status": _pick(LEAD_STATUSES, leads["status"]),
            "account_id": _pick(ids["accounts"][leads["account"]], present=converted),
            "created_at": _stamps(leads["created"]),
            "converted_at": _stamps(leads["outcome"], converted),
        },
    )


def deal_frame(
    rng: np.random.Generator, deals: dict[str, np.ndarray], ids: dict[str, np.ndarray], faults: np.ndarray
) -> pd.DataFrame:
    """The deals, with the four planted `faults` (deal indexes, in docstring order) written in as text."""
    columns = {
        "deal_id": ids["deals"],
        "account_id": ids["accounts"][deals["account"]],
        "owner_rep_id": ids["reps"][deals["owner"]],
        "product": _pick(PRODUCTS, deals["product"]),
        "stage": _pick(DEAL_STAGES, deals["stage"]),
        "currency": _pick(["USD"] * len(ids["deals"])),
        "amount": _money(deals["amount"]),
        "expected_close_on": _dates(deals["expected"]),
        "created_at": _stamps(deals["created"]),
        "closed_at": _stamps(deals["closed_at"], deals["closed"]),
    }
    if not len(faults):
        return _frame("deals", columns)
    negative, renamed, duplicated, impossible = faults
    columns["amount"][negative] = "-450.00"
    columns["stage"][renamed] = "Closed Won"
    columns["expected_close_on"][impossible] = BAD_DATE
    frame = _frame("deals", columns)
    twin = frame[frame["deal_id"] == ids["deals"][duplicated]].copy()
    # the twin's amount is the one draw made after the simulation, so it must stay the last rng call
    twin["amount"] = f"{deals['amount'][duplicated] + rng.integers(2, 9) * 150:.2f}"
    return pd.concat([frame, twin]).sort_values("deal_id", kind="stable", ignore_index=True)


def activity_frame(acts: dict[str, np.ndarray], ids: dict[str, np.ndarray]) -> pd.DataFrame:
    return _frame(
        "activities",
        {
            "activity_id": id_column("T", len(acts["due"]), 7),
            "rep_id": ids["reps"][acts["rep"]],
            "type": _pick(ACTIVITY_TYPES, acts["kind"]),
            "deal_id": _pick(ids["deals"][acts["deal"]], present=acts["deal"] >= 0),
            "lead_id": _pick(ids["leads"][acts["lead"]], present=acts["lead"] >= 0),
            "due_at": _stamps(acts["due"]),
            "completed_at": _stamps(acts["completed"], acts["done"]),
        },
    )


def order_frame(
    orders: dict[str, np.ndarray], deals: dict[str, np.ndarray], ids: dict[str, np.ndarray]
) -> pd.DataFrame:
    deal = orders["deal"]
    return _frame(
        "orders",
        {
            "order_id": id_column("O", len(deal), 6),
            "account_id": ids["accounts"][deals["account"][deal]],
            "deal_id": ids["deals"][deal],
            "product": _pick(PRODUCTS, deals["product"][deal]),
            "currency": _pick(["USD"] * len(deal)),
            "amount": _money(deals["amount"][deal]),
            "ordered_at": _stamps(orders["at"]),
        },
    )
