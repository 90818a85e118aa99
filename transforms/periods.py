"""Reporting periods: ISO weeks (2026-W47), months (2026-11) and quarters (2026-Q4).

A period is a closed range of local calendar dates. Everything that puts a record into a period
compares local dates, so the team's timezone decides which week a Sunday-night deal belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Cadence = Literal["weekly", "monthly", "quarterly"]

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class PeriodError(ValueError):
    """A period label that cannot be read."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    cadence: Cadence

    @property
    def label(self) -> str:
        if self.cadence == "weekly":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.cadence == "monthly":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), self.cadence)

    def preceding(self, count: int) -> list[Period]:
        """The `count` periods before this one, newest first."""
        periods, period = [], self
        for _ in range(count):
            period = period.previous()
            periods.append(period)
        return periods

    def next(self) -> Period:
        return period_containing(self.end + timedelta(days=1), self.cadence)

    def year_before(self) -> Period:
        """The same ISO week, month or quarter one year earlier (week 53 maps to week 52)."""
        if self.cadence == "weekly":
            year, week, _ = self.start.isocalendar()
            try:
                start = date.fromisocalendar(year - 1, week, 1)
            except ValueError:
                start = date.fromisocalendar(year - 1, 52, 1)
            return Period(start, start + timedelta(days=6), "weekly")
        return period_containing(self.start.replace(year=self.start.year - 1), self.cadence)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_containing(day: date, cadence: Cadence) -> Period:
    if cadence == "weekly":
        start = day - timedelta(days=day.weekday())
        return Period(start, start + timedelta(days=6), "weekly")
    if cadence == "monthly":
        start = day.replace(day=1)
        return Period(start, _month_after(start) - timedelta(days=1), "monthly")
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = _month_after(_month_after(_month_after(start))) - timedelta(days=1)
    return Period(start, end, "quarterly")


def _month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def parse_period(label: str) -> Period:
    """Read 2026-W47, 2026-11 or 2026-Q4 (2026-w47 and 2026-q4 too); the label's form decides the cadence."""
    text = label.strip().upper()
    if m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(f"{label!r}: {year} has no ISO week {week}") from None
        return Period(start, start + timedelta(days=6), "weekly")
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{label!r}: month must be 01-12") from None
        return period_containing(date(year, month, 1), "monthly")
    if m := _QUARTER.match(text):
        return period_containing(date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1), "quarterly")
    raise PeriodError(f"{label!r} is not a period: write 2026-W47 (ISO week), 2026-11 (month) or 2026-Q4")


def last_complete_period(now: datetime, timezone: str, cadence: Cadence) -> Period:
    """The latest period that has fully ended at `now`, judged on the team's local calendar."""
    local_day = now.astimezone(ZoneInfo(timezone)).date()
    return period_containing(local_day, cadence).previous()


def periods_within(first: date, last: date, cadence: Cadence) -> list[Period]:
    """Every period of `cadence` that lies wholly between two days (inclusive), oldest first: a backfill
    from 2026-W01 to 2026-W40 gives a monthly team January to September (October ends after W40)."""
    period = period_containing(first, cadence)
    if period.start < first:
        period = period.next()
    periods = []
    while period.end <= last:
        periods.append(period)
        period = period.next()
    return periods
