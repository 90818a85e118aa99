"""Seeded demo CRM data for a small two-team company: believable enough to exercise every KPI.

`generate_demo(scale, seed, end)` returns the six canonical tables as all-text frames (the way ingest
sees an export); the same arguments always give identical frames. About 18 months end on `end`.

Every week is clean except FAULT_WEEK, which carries exactly four deliberate faults, all in deals
owned by team `north` and closed (local New York date) in that week, so the data-quality gate has
something real to catch:

1. a won deal with amount "-450.00" (its order keeps the real, positive amount);
2. a deal whose stage is "Closed Won", which is not a canonical stage;
3. a duplicated deal_id: a second row repeats a won deal with a different amount (and no order);
4. a won deal whose expected_close_on is "2026-09-31", a date that does not exist.

The faults are planted before activities and orders are derived, so those stay natural. A custom `end`
whose history does not contain FAULT_WEEK (with two clean weeks after it) gets no faults.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from salespulse.demo.catalog import DAY, DEMO_END, DEMO_TEAMS, FAULT_WEEK
from salespulse.demo.events import make_activities, make_orders, plant_faults
from salespulse.demo.model import Clock, day_number, make_accounts, make_deals, make_leads, make_roster
from salespulse.demo.text import (
    account_frame,
    activity_frame,
    deal_frame,
    id_column,
    lead_frame,
    order_frame,
    rep_frame,
)

# The constants live in salespulse.demo.catalog (the simulation needs them too); this is their public home.
__all__ = ["DEMO_END", "DEMO_TEAMS", "FAULT_WEEK", "generate_demo", "write_demo"]


def generate_demo(scale: float = 1.0, seed: int = 7, end: date = DEMO_END) -> dict[str, pd.DataFrame]:
    """The six canonical tables as text frames; identical for identical arguments."""
    rng = np.random.default_rng(seed)
    first = end - timedelta(weeks=78) + timedelta(days=1)
    clock = Clock(day_number(first - timedelta(days=first.weekday())), day_number(end), (day_number(end) + 1) * DAY - 1)
    # one generator threads through every step, so these calls must stay in this order
    roster = make_roster(rng, scale, clock)
    leads = make_leads(rng, clock, roster, max(1, round(6000 * scale)))
    accounts = make_accounts(rng, clock, leads, max(1, round(320 * scale)))
    deals = make_deals(rng, clock, roster, leads, max(1, round(2500 * scale)))
    faults = plant_faults(rng, clock, roster, deals)  # before anything is derived from the deals
    acts = make_activities(rng, clock, leads, deals, max(1, round(40000 * scale)))
    orders = make_orders(rng, clock, deals)
    reps, account_table = rep_frame(roster), account_frame(accounts)
    ids = {
        "reps": reps["rep_id"].to_numpy(),
        "accounts": account_table["account_id"].to_numpy(),
        "leads": id_column("L", len(leads["created"]), 6),
        "deals": id_column("D", len(deals["created"]), 6),
    }
    return {
        "reps": reps,
        "accounts": account_table,
        "leads": lead_frame(leads, ids),
        "deals": deal_frame(rng, deals, ids, faults),
        "activities": activity_frame(acts, ids),
        "orders": order_frame(orders, deals, ids),
    }


def write_demo(folder: Path, scale: float = 1.0, seed: int = 7, end: date = DEMO_END) -> Path:
    """One `<table>.csv` per table (UTF-8, header row, empty cells for missing values)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in generate_demo(scale, seed, end).items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    return folder
