"""The demo simulation, part two: the planted faults, then the activities and orders derived from deals.

The faults are planted on the deal arrays BEFORE activities and orders are drawn, so the touches and
invoices around a faulty deal look natural. Like `salespulse.demo.model`, the order of `rng` calls here is
part of the output.
"""

from __future__ import annotations

import numpy as np

from salespulse.demo.catalog import DAY, FAULT_WEEK, HOUR
from salespulse.demo.model import Clock, Roster, day_number, no_later, work_time
from salespulse.transforms.periods import parse_period


def plant_faults(rng: np.random.Generator, clock: Clock, roster: Roster, deals: dict[str, np.ndarray]) -> np.ndarray:
    """Move four north deals to a win in FAULT_WEEK, before activities and orders are derived from them."""
    first = day_number(parse_period(FAULT_WEEK).start)
    if not clock.start_day + 91 <= first <= clock.end_day - 21:
        return np.empty(0, dtype=np.int64)  # a custom `end` whose history does not hold the fault week
    created_day, owner = deals["created"] // DAY, deals["owner"]
    fits = (roster.team[owner] == 0) & (roster.left[owner] > first + 7)
    window = fits & (created_day <= first - 12)
    near = window & (created_day >= first - 80)  # keeps the planted sales cycles believable
    candidates = np.flatnonzero(near if near.sum() >= 4 else window)
    if len(candidates) < 4:
        return np.empty(0, dtype=np.int64)  # a toy scale with too few deals to host them
    picks = np.sort(rng.choice(candidates, 4, replace=False))
    close_day = first + rng.integers(0, 5, 4)  # Monday to Friday
    deals["closed_at"][picks] = close_day * DAY + rng.integers(14 * HOUR, 21 * HOUR, 4)  # same NY date
    deals["closed"][picks], deals["stage"][picks] = True, 4
    deals["expected"][picks] = close_day - rng.integers(0, 10, 4)
    return picks


def _between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A working-hours instant in [low, high] (clamped when the window is shorter than a day)."""
    at = low + (rng.random(len(low)) * (high - low)).astype(np.int64)
    return np.clip(at // DAY * DAY + work_time(rng, len(low)), low, high)


def make_activities(
    rng: np.random.Generator,
    clock: Clock,
    leads: dict[str, np.ndarray],
    deals: dict[str, np.ndarray],
    n: int,
) -> dict[str, np.ndarray]:
    """A first touch for every lead within hours, follow-ups on leads, the rest along open deal windows."""
    n_leads, n_deals = len(leads["created"]), len(deals["created"])
    n_follow = max(0, min(round(0.22 * n), n - n_leads))
    n_deal = max(0, n - n_leads - n_follow)
    touch = np.clip(rng.lognormal(np.log(3 * HOUR), 1.0, n_leads), 300, 48 * HOUR).astype(np.int64)
    # follow-ups and deal touches come at a steady rate per open day: a lead or deal cut short by the
    # end gets fewer of them, not the same number crammed into its last few days
    lead_span = (leads["outcome"] - leads["created"] + HOUR).astype(float)
    follow = rng.choice(n_leads, n_follow, p=lead_span / lead_span.sum())
    deal_end = np.minimum(deals["closed_at"], clock.cap)  # a deal left open by mistake goes quiet
    span = (deal_end - deals["created"] + HOUR).astype(float)
    on_deal = rng.choice(n_deals, n_deal, p=span / span.sum())
    due = np.concatenate(
        [
            no_later(rng, leads["created"], leads["created"] + touch, clock),
            _between(rng, leads["created"][follow], leads["outcome"][follow]),
            _between(rng, deals["created"][on_deal], deal_end[on_deal]),
        ]
    )
    lead = np.concatenate([np.arange(n_leads), follow, np.full(n_deal, -1)])
    deal = np.concatenate([np.full(n_leads + n_follow, -1), on_deal])
    rep = np.concatenate([leads["owner"], leads["owner"][follow], deals["owner"][on_deal]])
    kind = np.concatenate(
        [rng.choice(2, n_leads, p=[0.6, 0.4]), rng.choice(4, n_follow + n_deal, p=[0.35, 0.35, 0.15, 0.15])]
    )
    total = len(due)
    quick, late = rng.exponential(1.5 * HOUR, total), rng.uniform(0, 2 * DAY, total)
    lag = np.where(rng.random(total) < 0.8, quick, late)
    completed = due + lag.astype(np.int64)
    done = (rng.random(total) < np.where(lead >= 0, 0.93, 0.84)) & (completed <= clock.cap)
    order = np.argsort(due, kind="stable")
    return {
        "due": due[order],
        "lead": lead[order],
        "deal": deal[order],
        "rep": rep[order],
        "kind": kind[order],
        "completed": completed[order],
        "done": done[order],
    }


def make_orders(rng: np.random.Generator, clock: Clock, deals: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One invoice per won deal, 0-3 days after the win but never after `end`."""
    won = np.flatnonzero(deals["stage"] == 4)
    closed_at = deals["closed_at"][won]
    lag = np.minimum(rng.integers(0, 4, len(won)), clock.end_day - closed_at // DAY)
    at = no_later(rng, closed_at, closed_at + lag * DAY + rng.integers(5 * 60, 3 * HOUR, len(won)), clock)
    order = np.argsort(at, kind="stable")
    return {"deal": won[order], "at": at[order]}
