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

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from transforms.periods import parse_period
from transforms.schema import ACTIVITY_TYPES, DEAL_STAGES, LEAD_STATUSES, TABLES

DEMO_END: date = date(2026, 11, 22)
FAULT_WEEK: str = "2026-W36"
DEMO_TEAMS: dict[str, str] = {"north": "America/New_York", "south": "America/Chicago"}

DAY, HOUR = 86_400, 3_600
_NEVER = 10**9  # a day number no rep's left_on reaches
_BAD_DATE = "2026-09-31"
_PRODUCTS = ("GTX Basic", "GTX Plus", "GTX Pro", "Support Plan", "Onboarding")
_PRICES, _PRODUCT_P = np.array([1200.0, 2400.0, 4800.0, 900.0, 1500.0]), (0.30, 0.25, 0.18, 0.15, 0.12)
_SOURCES, _SOURCE_P = ("web", "referral", "event", "outbound", "partner"), (0.38, 0.14, 0.12, 0.26, 0.10)
_SOURCE_CONVERT = np.array([0.20, 0.40, 0.18, 0.15, 0.30])  # referrals convert best, cold outbound worst
_MONTH_VOLUME = np.array([0.9, 0.95, 1.25, 1.0, 1.0, 1.05, 0.9, 0.7, 1.05, 1.15, 1.2, 1.1])
_MONTH_WIN = np.array([1.0, 1.0, 1.25, 1.0, 1.0, 1.05, 1.0, 0.8, 1.05, 1.1, 1.15, 1.2])  # quarter-end pushes
_WEEKDAY_VOLUME = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.12, 0.08])
_FIRST = (
    "Ana Jürgen José Zoë Björn Chloé Liam Priya Mateo Sofía Noah Amélie Kenji Olivia Raúl Émile "
    "Grace Tomás Hannah Omar Inés Lucas Mia Andrés Chen Ava Søren Nadia Elena Marcus Léa Diego Freya"
)
_LAST = (
    "Peña Müller García Smith Johansson Dubois Nguyen Patel Rossi Kim Brown Novák Schäfer López Ibáñez "
    "Okafor Walsh Fernández Tanaka Cohen Larsen Martín O'Brien Costa Weiß Jensen Moreau Álvarez Clarke "
    "Haddad Silva Fischer Núñez Bauer Hughes"
)
_ASCII = str.maketrans({"ß": "ss", "ø": "o", "'": "", " ": "."})  # letters NFKD cannot strip
_ACCOUNT_WORDS = (
    "Northwind,Blue Heron,Cobalt,Vértice,Sønder,Redwood,Lumen,Atlas,Keystone,Brightwater,"
    "Harbor,Zenith,Maple,Quarry,Osprey,Granite,Alder,Meridian,Cascade,Solís"
)
_KINDS = "Logistics,Foods,Health,Systems,Partners,Labs,Manufacturing,Retail,Energy,Finance"
_INDUSTRIES = (
    "Transport,Food & Beverage,Healthcare,Software,Professional Services,Biotech,Manufacturing,"
    "Retail,Energy,Financial Services"
)
_COUNTRIES = {
    "US": " Inc.",
    "CA": " Ltd.",
    "MX": " S.A. de C.V.",
    "GB": " Ltd",
    "DE": " GmbH",
    "ES": " S.L.",
    "FR": " SARL",
    "BR": " Ltda.",
}
_COUNTRY_P = (0.55, 0.10, 0.08, 0.08, 0.07, 0.05, 0.04, 0.03)


@dataclass(frozen=True)
class _Clock:
    start_day: int  # days since 1970-01-01, a Monday
    end_day: int
    cap: int  # last second of `end` in UTC: before the end of that day in either (American) team timezone


@dataclass(frozen=True)
class _Roster:
    team: np.ndarray  # 0 = north, 1 = south
    hired: np.ndarray
    left: np.ndarray
    per_team: int


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _work_time(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into a UTC day: mostly 13:00-22:00 UTC, a few early or late, never crossing a US midnight."""
    busy = rng.integers(13 * HOUR, 22 * HOUR, n)
    off = rng.integers(0, 4 * HOUR, n)
    off = np.where(off < 2 * HOUR, 11 * HOUR + off, 20 * HOUR + off)
    return np.where(rng.random(n) < 0.9, busy, off)


def _seasonal_days(rng: np.random.Generator, clock: _Clock, n: int) -> np.ndarray:
    """Sorted day numbers drawn with weekday, month, late-December and ~20%/year growth weights."""
    days = np.arange(clock.start_day, clock.end_day + 1)
    d64 = days.astype("datetime64[D]")
    month = d64.astype("datetime64[M]").astype(np.int64) % 12
    dom = (d64 - d64.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    weight = _MONTH_VOLUME[month] * _WEEKDAY_VOLUME[(days + 3) % 7] * 1.2 ** ((days - days[0]) / 365.25)
    weight = np.where((month == 11) & (dom >= 20), weight * 0.35, weight)
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _roster(rng: np.random.Generator, scale: float, clock: _Clock) -> tuple[_Roster, pd.DataFrame]:
    k = 6 * max(1, round(scale))
    n, span, first, last = 2 * k, clock.end_day - clock.start_day, _FIRST.split(), _LAST.split()
    combos = rng.choice(len(first) * len(last), n, replace=n > len(first) * len(last))
    names = [f"{first[c // len(last)]} {last[c % len(last)]}" for c in combos]
    hired, left = clock.start_day - rng.integers(30, 5 * 365, n), np.full(n, _NEVER)
    leave, join = clock.start_day + int(0.7 * span), clock.start_day + int(0.45 * span)  # mid-2026, ~Feb 2026
    left[1] = leave - ((leave + 3) % 7 - 4) % 7  # a north rep leaves on a Friday
    hired[k + 1] = join - (join + 3) % 7  # a south rep starts on a Monday
    emails: list[str] = []
    for name in names:
        base = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore").decode()
        base = base.lower()
        emails.append(f"{base}{len(emails) if f'{base}@example.com' in emails else ''}@example.com")
    roster = _Roster(np.repeat([0, 1], k), hired, left, k)
    return roster, _frame(
        "reps",
        {
            "rep_id": _ids("R", n, 3),
            "name": _pick(names),
            "email": _pick(emails),
            "team": _pick(DEMO_TEAMS, roster.team),
            "hired_on": _dates(hired),
            "left_on": _dates(left, left != _NEVER),
        },
    )


def _owners(
    rng: np.random.Generator,
    roster: _Roster,
    preferred: np.ndarray,
    first_day: np.ndarray,
    last_day: np.ndarray,
) -> np.ndarray:
    """Keep the preferred rep when employed over [first_day, last_day], else a teammate who was."""
    owner = preferred.copy()
    team = roster.team[preferred]
    for _ in range(40):
        bad = np.flatnonzero((roster.hired[owner] > first_day) | (roster.left[owner] < last_day))
        if not len(bad):
            return owner
        owner[bad] = team[bad] * roster.per_team + rng.integers(0, roster.per_team, len(bad))
    owner[bad] = team[bad] * roster.per_team  # the first rep of each team is there throughout
    return owner


def _leads(rng: np.random.Generator, clock: _Clock, roster: _Roster, n: int) -> dict[str, np.ndarray]:
    created = _seasonal_days(rng, clock, n) * DAY + _work_time(rng, n)
    source = rng.choice(len(_SOURCES), n, p=_SOURCE_P)
    converts = rng.random(n) < _SOURCE_CONVERT[source]
    delay = np.clip(rng.lognormal(np.log(np.where(converts, 12, 9)), 0.6), 1, 55).astype(np.int64)
    outcome = (created // DAY + delay) * DAY + _work_time(rng, n)
    resolved = outcome <= clock.cap  # every lead older than 55 days is converted or disqualified
    age = clock.end_day - created // DAY
    pending = np.where(converts & (age >= 5), 2, np.where(age <= 2, 0, 1))  # qualified, new, working
    status = np.where(resolved, np.where(converts, 4, 3), pending)
    last = np.minimum(outcome, clock.cap)
    last_day = np.minimum(np.maximum(last // DAY, created // DAY + 3), clock.end_day)  # covers first touch
    random_rep = rng.integers(0, 2 * roster.per_team, n)
    owner = _owners(rng, roster, random_rep, created // DAY, last_day)
    return {
        "created": created,
        "source": source,
        "status": status,
        "converted": converts & resolved,
        "outcome": last,
        "owner": owner,
    }


def _accounts(rng: np.random.Generator, clock: _Clock, leads: dict[str, np.ndarray], n: int) -> pd.DataFrame:
    """Assign converted leads to accounts (a few big ones) and date each account before its first deal."""
    weight = rng.lognormal(0.0, 0.8, n)
    account = np.where(leads["converted"], rng.choice(n, len(leads["created"]), p=weight / weight.sum()), -1)
    leads["account"] = account
    first = np.full(n, clock.end_day + 1)
    conv = account >= 0
    np.minimum.at(first, account[conv], leads["outcome"][conv] // DAY)
    created = np.where(
        first <= clock.end_day,
        first - rng.integers(1, 21, n),
        rng.integers(clock.start_day - 3 * 365, clock.end_day + 1, n),
    )
    words = np.array(_ACCOUNT_WORDS.split(","))[rng.integers(0, 20, n)]
    kind, country = rng.integers(0, 10, n), rng.choice(len(_COUNTRIES), n, p=_COUNTRY_P)
    legal = np.array(list(_COUNTRIES.values()))[country]
    name = np.strings.add(np.strings.add(words, " "), np.array(_KINDS.split(","))[kind])
    name = np.strings.add(name, legal)
    return _frame(
        "accounts",
        {
            "account_id": _ids("A", n, 5),
            "name": _pick(name),
            "industry": _pick(_INDUSTRIES.split(","), kind),
            "country": _pick(_COUNTRIES, country),
            "created_on": _dates(created),
        },
    )


def _deals(
    rng: np.random.Generator, clock: _Clock, roster: _Roster, leads: dict[str, np.ndarray], n: int
) -> dict[str, np.ndarray]:
    """Most deals open when a lead converts (some leads buy a bundle); the rest expand existing accounts."""
    conv = np.flatnonzero(leads["converted"])
    n_new = round(0.8 * n)
    src = np.concatenate([rng.permutation(conv)[:n_new], rng.choice(conv, n - min(n_new, len(conv)))])
    base = leads["outcome"][src]
    room = clock.cap - base
    wait = np.minimum(20 * DAY, room) + rng.random(n) * np.maximum(room - 20 * DAY, 0)
    expansion = (base // DAY + wait // DAY) * DAY + _work_time(rng, n)
    bundle = base + rng.exponential(6 * HOUR, n).astype(np.int64)
    created = _no_later(rng, base, np.where(np.arange(n) < n_new, bundle, np.maximum(expansion, base)), clock)
    order = np.argsort(created, kind="stable")
    src, created = src[order], created[order]
    product = rng.choice(len(_PRODUCTS), n, p=_PRODUCT_P)
    quantity = np.where(product == 4, 1, 1 + rng.poisson(1.2, n))  # onboarding is sold once
    amount = np.round(_PRICES[product] * quantity * rng.uniform(0.85, 1.05, n), 2)  # discounts, uplifts
    plan = np.clip(rng.lognormal(np.log(36), 0.5, n), 10, 90)
    planned_day = created // DAY + plan.astype(np.int64)
    month = planned_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    won = rng.random(n) < 0.28 * _MONTH_WIN[month]
    close_day = created // DAY + np.where(won, np.maximum(10, plan * 0.8), plan).astype(np.int64)
    d64 = close_day.astype("datetime64[D]")
    dom = (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1
    early = np.isin(d64.astype("datetime64[M]").astype(np.int64) % 12, [3, 6, 9]) & (dom <= 10)
    push = won & early & (close_day - dom - created // DAY >= 14) & (rng.random(n) < 0.7)
    close_day = np.where(push, close_day - dom - rng.integers(0, 4, n), close_day)  # quarter-end push
    closed_at = close_day * DAY + _work_time(rng, n)
    stale = (close_day > clock.end_day - 120) & (rng.random(n) < 0.03)  # reps forget to close a few
    closed = (closed_at <= clock.cap) & ~stale
    stretch = (plan * rng.uniform(0.75, 1.25, n)).astype(np.int64)
    expected = np.where(closed, created // DAY + np.maximum(7, stretch), close_day)
    open_stage = np.searchsorted([0.25, 0.5, 0.8], (clock.end_day - created // DAY) / plan, side="right")
    stage = np.where(closed, np.where(won, 4, 5), open_stage)
    last_day = np.where(closed, close_day, clock.end_day)
    owner = _owners(rng, roster, leads["owner"][src], created // DAY, last_day)
    return {
        "account": leads["account"][src],
        "owner": owner,
        "product": product,
        "stage": stage,
        "amount": amount,
        "expected": expected,
        "created": created,
        "closed_at": closed_at,
        "closed": closed,
    }


def _plant_faults(rng: np.random.Generator, clock: _Clock, roster: _Roster, deals: dict[str, np.ndarray]) -> np.ndarray:
    """Move four north deals to a win in FAULT_WEEK, before activities and orders are derived from them."""
    first = _day(parse_period(FAULT_WEEK).start)
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


def _no_later(rng: np.random.Generator, start: np.ndarray, at: np.ndarray, clock: _Clock) -> np.ndarray:
    """`at`, or if that is past the end, an instant in [start, end] rather than a pile-up at 23:59:59."""
    return np.where(at <= clock.cap, at, start + ((clock.cap - start) * rng.random(len(at))).astype(np.int64))


def _between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A working-hours instant in [low, high] (clamped when the window is shorter than a day)."""
    at = low + (rng.random(len(low)) * (high - low)).astype(np.int64)
    return np.clip(at // DAY * DAY + _work_time(rng, len(low)), low, high)


def _activities(
    rng: np.random.Generator,
    clock: _Clock,
    leads: dict[str, np.ndarray],
    deals: dict[str, np.ndarray],
    n: int,
) -> dict[str, np.ndarray]:
    """A first touch for every lead within hours, follow-ups on leads, the rest along open deal windows."""
    n_leads, n_deals = len(leads["created"]), len(deals["created"])
    n_follow = max(0, min(round(0.22 * n), n - n_leads))
    n_deal = max(0, n - n_leads - n_follow)
    touch = np.clip(rng.lognormal(np.log(3 * HOUR), 1.0, n_leads), 300, 48 * HOUR).astype(np.int64)
    follow = rng.integers(0, n_leads, n_follow)
    deal_end = np.where(deals["closed"], deals["closed_at"], clock.cap)
    span = (deal_end - deals["created"]) / DAY + 5
    on_deal = rng.choice(n_deals, n_deal, p=span / span.sum())
    due = np.concatenate(
        [
            _no_later(rng, leads["created"], leads["created"] + touch, clock),
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


def _orders(rng: np.random.Generator, clock: _Clock, deals: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One invoice per won deal, 0-3 days after the win but never after `end`."""
    won = np.flatnonzero(deals["stage"] == 4)
    closed_at = deals["closed_at"][won]
    lag = np.minimum(rng.integers(0, 4, len(won)), clock.end_day - closed_at // DAY)
    at = _no_later(rng, closed_at, closed_at + lag * DAY + rng.integers(5 * 60, 3 * HOUR, len(won)), clock)
    order = np.argsort(at, kind="stable")
    return {"deal": won[order], "at": at[order]}


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    digits = np.strings.zfill(np.arange(1, n + 1).astype(np.str_), max(width, len(str(n))))
    return np.strings.add(prefix, digits).astype(object)


def _dates(days: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    safe = days if present is None else np.where(present, days, 0)  # _NEVER is beyond datetime64's range
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


def _deal_frame(
    rng: np.random.Generator, deals: dict[str, np.ndarray], ids: dict[str, np.ndarray], faults: np.ndarray
) -> pd.DataFrame:
    columns = {
        "deal_id": ids["deals"],
        "account_id": ids["accounts"][deals["account"]],
        "owner_rep_id": ids["reps"][deals["owner"]],
        "product": _pick(_PRODUCTS, deals["product"]),
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
    columns["expected_close_on"][impossible] = _BAD_DATE
    frame = _frame("deals", columns)
    twin = frame[frame["deal_id"] == ids["deals"][duplicated]].copy()
    twin["amount"] = f"{deals['amount'][duplicated] + rng.integers(2, 9) * 150:.2f}"
    return pd.concat([frame, twin]).sort_values("deal_id", kind="stable", ignore_index=True)


def _lead_frame(leads: dict[str, np.ndarray], ids: dict[str, np.ndarray]) -> pd.DataFrame:
    converted = leads["status"] == LEAD_STATUSES.index("converted")
    return _frame(
        "leads",
        {
            "lead_id": ids["leads"],
            "source": _pick(_SOURCES, leads["source"]),
            "owner_rep_id": ids["reps"][leads["owner"]],
            "status": _pick(LEAD_STATUSES, leads["status"]),
            "account_id": _pick(ids["accounts"][leads["account"]], present=converted),
            "created_at": _stamps(leads["created"]),
            "converted_at": _stamps(leads["outcome"], converted),
        },
    )


def _activity_frame(acts: dict[str, np.ndarray], ids: dict[str, np.ndarray]) -> pd.DataFrame:
    return _frame(
        "activities",
        {
            "activity_id": _ids("T", len(acts["due"]), 7),
            "rep_id": ids["reps"][acts["rep"]],
            "type": _pick(ACTIVITY_TYPES, acts["kind"]),
            "deal_id": _pick(ids["deals"][acts["deal"]], present=acts["deal"] >= 0),
            "lead_id": _pick(ids["leads"][acts["lead"]], present=acts["lead"] >= 0),
            "due_at": _stamps(acts["due"]),
            "completed_at": _stamps(acts["completed"], acts["done"]),
        },
    )


def _order_frame(
    orders: dict[str, np.ndarray], deals: dict[str, np.ndarray], ids: dict[str, np.ndarray]
) -> pd.DataFrame:
    deal = orders["deal"]
    return _frame(
        "orders",
        {
            "order_id": _ids("O", len(deal), 6),
            "account_id": ids["accounts"][deals["account"][deal]],
            "deal_id": ids["deals"][deal],
            "product": _pick(_PRODUCTS, deals["product"][deal]),
            "currency": _pick(["USD"] * len(deal)),
            "amount": _money(deals["amount"][deal]),
            "ordered_at": _stamps(orders["at"]),
        },
    )


def generate_demo(scale: float = 1.0, seed: int = 7, end: date = DEMO_END) -> dict[str, pd.DataFrame]:
    """The six canonical tables as text frames; identical for identical arguments."""
    rng = np.random.default_rng(seed)
    first = end - timedelta(weeks=78) + timedelta(days=1)
    clock = _Clock(_day(first - timedelta(days=first.weekday())), _day(end), (_day(end) + 1) * DAY - 1)
    roster, reps = _roster(rng, scale, clock)
    leads = _leads(rng, clock, roster, max(1, round(6000 * scale)))
    accounts = _accounts(rng, clock, leads, max(1, round(320 * scale)))
    deals = _deals(rng, clock, roster, leads, max(1, round(2500 * scale)))
    faults = _plant_faults(rng, clock, roster, deals)  # before anything is derived from the deals
    acts = _activities(rng, clock, leads, deals, max(1, round(40000 * scale)))
    orders = _orders(rng, clock, deals)
    ids = {
        "reps": reps["rep_id"].to_numpy(),
        "accounts": accounts["account_id"].to_numpy(),
        "leads": _ids("L", len(leads["created"]), 6),
        "deals": _ids("D", len(deals["created"]), 6),
    }
    return {
        "reps": reps,
        "accounts": accounts,
        "leads": _lead_frame(leads, ids),
        "deals": _deal_frame(rng, deals, ids, faults),
        "activities": _activity_frame(acts, ids),
        "orders": _order_frame(orders, deals, ids),
    }


def write_demo(folder: Path, scale: float = 1.0, seed: int = 7, end: date = DEMO_END) -> Path:
    """One `<table>.csv` per table (UTF-8, header row, empty cells for missing values)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in generate_demo(scale, seed, end).items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")
    return folder
