"""Tiny hand-written tables for KPI tests: give only the columns a test needs; the rest are empty."""

from __future__ import annotations

import pandas as pd

from salespulse.transforms.normalise import normalise
from salespulse.transforms.schema import TABLES
from salespulse.transforms.team_data import TeamData, team_data

DEFAULT_REPS = [
    {"rep_id": "r1", "name": "Ana Peña", "team": "t", "hired_on": "2024-01-01"},
    {"rep_id": "r2", "name": "Bo Li", "team": "t", "hired_on": "2024-01-01"},
    {"rep_id": "x9", "name": "Other Team", "team": "other", "hired_on": "2024-01-01"},
]


def raw(table: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    columns = TABLES[table].columns
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=list(columns), dtype=object)


def team(timezone: str = "UTC", **tables: list[dict[str, str]]) -> TeamData:
    rows = {name: tables.get(name, []) for name in TABLES}
    rows["reps"] = tables.get("reps", DEFAULT_REPS)
    typed = normalise({name: raw(name, r) for name, r in rows.items()})
    return team_data(typed, "t", timezone)


def deal(
    deal_id: str,
    stage: str,
    amount: float,
    created: str,
    closed: str | None = None,
    owner: str = "r1",
    expected: str = "2026-12-01",
) -> dict[str, str]:
    return {
        "deal_id": deal_id,
        "stage": stage,
        "amount": str(amount),
        "created_at": created,
        "closed_at": closed,
        "owner_rep_id": owner,
        "expected_close_on": expected,
        "account_id": "a1",
        "product": "GTX Pro",
        "currency": "USD",
    }
