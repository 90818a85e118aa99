"""The demo simulation, part one: the clock, the reps, the leads, the accounts and the deals.

Everything is plain numpy arrays keyed by name (day numbers since 1970-01-01, UTC seconds, indexes
into the catalog tuples); turning them into text is `salespulse.demo.text`'s job. All draws come from one
shared generator, so the ORDER of the `rng` calls is part of the output: reordering or merging two
draws changes every frame for every seed, even when the statistics look the same.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import numpy as np

from salespulse.demo.catalog import (
    ACCOUNT_WORDS,
    ASCII_FOLD,
    COUNTRIES,
    COUNTRY_P,
    DAY,
    FIRST_NAMES,
    HOUR,
    KINDS,
    LAST_NAMES,
    MONTH_VOLUME,
    MONTH_WIN,
    NEVER,
    PRICES,
    PRODUCT_P,
    PRODUCTS,
    SOURCE_CONVERT,
    SOURCE_P,
    SOURCES,
    WEEKDAY_VOLUME,
)

BUNDLE_SHARE = 0.25  # conversions that open a second deal (another product) within hours


@dataclass(frozen=True)
class Clock:
    start_day: int  # days since 1970-01-01, a Monday
    end_day: int
    cap: int  # last second of `end` in UTC: before the end of that day in either (American) team timezone


@dataclass(frozen=True)
class Roster:
    team: np.ndarray  # 0 = north, 1 = south
    hired: np.ndarray
    left: np.ndarray
    per_team: int
    names: list[str]
    emails: list[str]


def day_number(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def work_time(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into a UTC day: mostly 13:00-22:00 UTC, a few early or late, never crossing a US midnight."""
    busy = rng.integers(13 * HOUR, 22 * HOUR, n)
    off = rng.integers(0, 4 * HOUR, n)
    off = np.where(off < 2 * HOUR, 11 * HOUR + off, 20 * HOUR + off)
    return np.where(rng.random(n) < 0.9, busy, off)


def no_later(rng: np.random.Generator, start: np.ndarray, at: np.ndarray, clock: Clock) -> np.ndarray:
    """`at`, or if that is past the end, an instant in [start, end] rather than a pile-up at 23:59:59."""
    return np.where(at <= clock.cap, at, start + ((clock.cap - start) * rng.random(len(at))).astype(np.int64))


def _seasonal_days(rng: np.random.Generator, clock: Clock, n: int) -> np.ndarray:
    """Sorted day numbers drawn with weekday, month, late-December and ~20%/year growth weights."""
    days = np.arange(clock.start_day, clock.end_day + 1)
    d64 = days.astype("datetime64[D]")
    month = d64.astype("datetime64[M]").astype(np.int64) % 12
    dom = (d64 - d64.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    weight = MONTH_VOLUME[month] * WEEKDAY_VOLUME[(days + 3) % 7] * 1.2 ** ((days - days[0]) / 365.25)
    weight = np.where((month == 11) & (dom >= 20), weight * 0.35, weight)
    # jittered systematic sampling: each draw wanders over ~3 days' worth of volume, so days keep
    # their natural noise while weekly totals follow the curve (iid draws let weeks swing by 20%+)
    jitter = max(1.0, 3 * n / len(days))
    u = ((np.arange(n) + jitter * rng.random(n)) / n) % 1.0
    cdf = np.cumsum(weight) / weight.sum()
    return np.sort(days[np.minimum(np.searchsorted(cdf, u, side="right"), len(days) - 1)])


def _email(name: str, taken: list[str]) -> str:
    """An ASCII address for `name`, numbered (by position) only when the plain one is taken."""
    base = unicodedata.normalize("NFKD", name.translate(ASCII_FOLD)).encode("ascii", "ignore").decode()
    base = base.lower()
    return f"{base}{len(taken) if f'{base}@example.com' in taken else ''}@example.com"


def make_roster(rng: np.random.Generator, scale: float, clock: Clock) -> Roster:
    """Two equal teams; one north rep leaves mid-2026 and one south rep joins, so KPIs see turnover."""
    k = 6 * max(1, round(scale))
    n, span, first, last = 2 * k, clock.end_day - clock.start_day, FIRST_NAMES.split(), LAST_NAMES.split()
    combos = rng.choice(len(first) * len(last), n, replace=n > len(first) * len(last))
    names = [f"{first[c // len(last)]} {last[c % len(last)]}" for c in combos]
    hired, left = clock.start_day - rng.integers(30, 5 * 365, n), np.full(n, NEVER)
    leave, join = clock.start_day + int(0.7 * span), clock.start_day + int(0.45 * span)  # mid-2026, ~Feb 2026
    left[1] = leave - ((leave + 3) % 7 - 4) % 7  # a north rep leaves on a Friday
    hired[k + 1] = join - (join + 3) % 7  # a south rep starts on a Monday
    emails: list[str] = []
    for name in names:
        emails.append(_email(name, emails))
    return Roster(np.repeat([0, 1], k), hired, left, k, names, emails)


def _owners(
    rng: np.random.Generator,
    roster: Roster,
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


def _systematic(rng: np.random.Generator, p: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Each item is picked with probability p, but walking in `key` order the running count of picks
    tracks the expected one, so picks per week (conversions, and the deals they open) stay steady."""
    order = np.argsort(key, kind="stable")
    hits = np.floor(np.cumsum(p[order]) + rng.random())
    picked = np.zeros(len(p), dtype=bool)
    picked[order] = np.diff(hits, prepend=0.0) > 0
    return picked


def make_leads(rng: np.random.Generator, clock: Clock, roster: Roster, n: int) -> dict[str, np.ndarray]:
    """Seasonal leads; each converts or is disqualified within 55 days, or is still open at the end."""
    created = _seasonal_days(rng, clock, n) * DAY + work_time(rng, n)
    source = rng.choice(len(SOURCES), n, p=SOURCE_P)
    spread = rng.lognormal(0.0, 0.6, n)  # how quickly this lead moves: ~12 days to convert, ~9 to drop
    converts = _systematic(rng, SOURCE_CONVERT[source], created + (12 * spread * DAY).astype(np.int64))
    delay = np.clip(np.where(converts, 12, 9) * spread, 1, 55).astype(np.int64)
    outcome = (created // DAY + delay) * DAY + work_time(rng, n)
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


def make_accounts(
    rng: np.random.Generator, clock: Clock, leads: dict[str, np.ndarray], n: int
) -> dict[str, np.ndarray]:
    """Assign converted leads to accounts (a few big ones; sets leads["account"]) and date each account
    before its first deal."""
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
    words = np.array(ACCOUNT_WORDS.split(","))[rng.integers(0, 20, n)]
    kind, country = rng.integers(0, 10, n), rng.choice(len(COUNTRIES), n, p=COUNTRY_P)
    legal = np.array(list(COUNTRIES.values()))[country]
    name = np.strings.add(np.strings.add(words, " "), np.array(KINDS.split(","))[kind])
    name = np.strings.add(name, legal)
    return {"name": name, "kind": kind, "country": country, "created": created}


def _deal_starts(
    rng: np.random.Generator, clock: Clock, leads: dict[str, np.ndarray], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Source lead and creation instant per deal, in creation order: every conversion opens a deal
    (a quarter add a bundle within hours), the rest expand an account converted 20+ days earlier.

    Expansions are a steady seasonal stream (not "some day between the conversion and the end", which
    crowds the last weeks with the expansions of every recent conversion), so volume holds to the end.
    """
    conv = np.flatnonzero(leads["converted"])
    conv = conv[np.argsort(leads["outcome"][conv], kind="stable")]
    first = np.concatenate([conv, conv[rng.random(len(conv)) < BUNDLE_SHARE]])[:n]
    base = leads["outcome"][first]
    lag = np.where(np.arange(len(first)) < len(conv), 0, rng.exponential(6 * HOUR, len(first)).astype(np.int64))
    opened = no_later(rng, base, base + lag, clock)
    conv_day = leads["outcome"][conv] // DAY
    ready = Clock(min(int(conv_day[0]) + 20, clock.end_day), clock.end_day, clock.cap)
    day = _seasonal_days(rng, ready, n - len(first))
    pool = np.searchsorted(conv_day, day - 20, side="right")  # accounts converted 20+ days before
    grown = conv[(rng.random(len(day)) * pool).astype(np.int64)]
    src = np.concatenate([first, grown])
    created = np.concatenate([opened, day * DAY + work_time(rng, len(day))])
    order = np.argsort(created, kind="stable")
    return src[order], created[order]


def _close_days(
    rng: np.random.Generator, created_day: np.ndarray, plan: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(won, close day): wins close a little early, most early-quarter wins pulled back to quarter end."""
    planned_day = created_day + plan.astype(np.int64)
    month = planned_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    won = rng.random(n) < 0.28 * MONTH_WIN[month]
    close_day = created_day + np.where(won, np.maximum(10, plan * 0.8), plan).astype(np.int64)
    d64 = close_day.astype("datetime64[D]")
    dom = (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1
    early = np.isin(d64.astype("datetime64[M]").astype(np.int64) % 12, [3, 6, 9]) & (dom <= 10)
    push = won & early & (close_day - dom - created_day >= 14) & (rng.random(n) < 0.7)
    return won, np.where(push, close_day - dom - rng.integers(0, 4, n), close_day)  # quarter-end push


def make_deals(
    rng: np.random.Generator, clock: Clock, roster: Roster, leads: dict[str, np.ndarray], n: int
) -> dict[str, np.ndarray]:
    """Priced deals, won or lost when their close date has passed, else open at a stage set by their age."""
    src, created = _deal_starts(rng, clock, leads, n)
    product = rng.choice(len(PRODUCTS), n, p=PRODUCT_P)
    quantity = np.where(product == 4, 1, 1 + rng.poisson(1.2, n))  # onboarding is sold once
    amount = np.round(PRICES[product] * quantity * rng.uniform(0.85, 1.05, n), 2)  # discounts, uplifts
    plan = np.clip(rng.lognormal(np.log(36), 0.5, n), 10, 90)
    won, close_day = _close_days(rng, created // DAY, plan, n)
    closed_at = close_day * DAY + work_time(rng, n)
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
