"""Team schedules: a cron string in the team's own timezone, checked before anything is registered.

Prefect validates the whole expression; the hour field is read here too, because an hour in 01:00–03:59
local time is where daylight-saving changes skip a time (the run moves or vanishes) or repeat it.
"""

from __future__ import annotations

from salespulse.transforms.periods import Cadence

DEFAULT_SCHEDULES: dict[Cadence, str] = {
    "weekly": "0 7 * * 1",  # Monday 07:00: last week is complete and the team is at work
    "monthly": "0 7 1 * *",  # the 1st at 07:00
    "quarterly": "0 7 1 1,4,7,10 *",  # the first day of each quarter at 07:00
}
DST_HOURS = frozenset({1, 2, 3})


def check_schedule(expression: str) -> str:
    """The expression, normalised; a ValueError says what is wrong and what to write instead."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expression!r} is not a five-field cron string (minute hour day month weekday), e.g. '0 7 * * 1'"
        )
    hours = cron_hours(fields[1])
    if risky := sorted(hours & DST_HOURS):
        raise ValueError(
            f"{expression!r} runs at hour {risky[0]}, between 01:00 and 03:59 local time, where daylight-saving"
            " changes skip or repeat times (a run would move or happen twice); pick an hour outside 1-3,"
            " e.g. '0 7 * * 1'"
        )
    _prefect_accepts(" ".join(fields))
    return " ".join(fields)


def cron_hours(field: str) -> set[int]:
    """Every hour a cron hour field can take: lists of `*`, `n`, `a-b`, each with an optional `/step`."""
    hours: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        if not _is_number(step_text or "1") or int(step_text or "1") < 1:
            raise ValueError(f"hour field {field!r}: the step after '/' must be a positive number")
        first, last = _hour_range(base, field, stepped=bool(step_text))
        hours.update(range(first, last + 1, int(step_text or "1")))
    return hours


def _hour_range(base: str, field: str, stepped: bool) -> tuple[int, int]:
    if base == "*":
        return 0, 23
    low, dash, high = base.partition("-")
    if not _is_number(low) or (dash and not _is_number(high)):
        raise ValueError(f"hour field {field!r}: write hours as numbers 0-23, ranges (8-17), lists or */n")
    first = int(low)
    # croniter reads "5/6" as "from 5 to 23 every 6 hours"
    last = int(high) if dash else (23 if stepped else first)
    if not 0 <= first <= last <= 23:
        raise ValueError(f"hour field {field!r}: hours run from 0 to 23")
    return first, last


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _prefect_accepts(expression: str) -> None:
    # Imported here: Prefect is slow to import, and only an explicit schedule needs its verdict.
    from prefect.schedules import Cron

    try:
        Cron(expression)
    except ValueError:
        raise ValueError(f"{expression!r} is not a valid cron string (minute hour day month weekday)") from None
