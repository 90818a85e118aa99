"""Dates and times written the way exports write them → ISO text the normaliser reads.

The format is always stated, never guessed: 03/04/2024 is 3 April in Madrid and March 4 in Chicago. A value
that does not fit the stated format is left as it was, so `normalise` records it in `parse_errors` and the
data-quality gate names it.
"""

from __future__ import annotations

import pandas as pd

ISO = "iso"
DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
EPOCH_MS = "epoch-ms"
EPOCH_S = "epoch-s"
NAMED_FORMATS = (ISO, DAY_FIRST, MONTH_FIRST, EPOCH_MS, EPOCH_S)

ISO_PATTERN = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
OFFSET_PATTERN = r"(?:Z|[+-]\d{2}:?\d{2})$"
# 22/01/2024, 1.22.24, 22-01-2024 16:14, 1/22/2024 4:14 PM: the separators Excel and CRM locales use.
NUMERIC_PATTERN = (
    r"^(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<year>\d{2}|\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?$"
)


def is_known_format(fmt: str) -> bool:
    return fmt in NAMED_FORMATS or "%" in fmt


def looks_iso(values: pd.Series) -> pd.Series:
    """True where a non-blank value is ISO 8601 (a date, a date and time, with or without an offset)."""
    return values.astype("string").str.strip().str.match(ISO_PATTERN).fillna(False).astype(bool)


def describe_dates(values: pd.Series) -> str | None:
    """The format the values look like, in words, or None when they do not look like dates at all."""
    text = _non_blank(values)
    if text.empty:
        return None
    if looks_iso(text).mean() > 0.9:
        with_offset = text.str.contains(OFFSET_PATTERN).mean() > 0.5
        has_time = text.str.contains(r"\d[T ]\d").mean() > 0.5
        return "ISO datetime with offset" if with_offset else "ISO datetime" if has_time else "ISO date"
    parts = text.str.extract(NUMERIC_PATTERN)
    if parts["a"].notna().mean() <= 0.9:
        return None
    first, second = parts["a"].dropna().astype(int), parts["b"].dropna().astype(int)
    if (first > 12).any() and (second > 12).any():
        return "mixed: some day-first, some month-first"
    if (first > 12).any():
        return "day-first (a first number above 12 is seen)"
    if (second > 12).any():
        return "month-first (a second number above 12 is seen)"
    return "day-first or month-first: ambiguous (no number above 12 tells them apart)"


def to_iso(values: pd.Series, fmt: str, timestamp: bool, timezone: str = "UTC") -> pd.Series:
    """ISO text for every value that fits `fmt`; other values unchanged; blanks stay blank.

    Times without an offset are local times in `timezone` and come out in UTC; dates come out as YYYY-MM-DD.
    A date with no time in a timestamp column (Salesforce's CloseDate as closed_at) becomes noon UTC: the same
    calendar day in every team's timezone from UTC-11 to UTC+11, where midnight UTC is the day before in America.
    """
    text = values.astype("string").str.strip()
    blank = text.isna() | (text == "")
    if fmt == ISO:
        date_only = text.str.match(r"^\d{4}-\d{2}-\d{2}$").fillna(False).astype(bool)
        naive = ~blank & looks_iso(text) & ~text.str.contains(OFFSET_PATTERN).fillna(False).astype(bool)
        if timezone == "UTC" or not timestamp:  # the normaliser reads ISO itself; only local times need a zone
            naive &= False
        parsed = pd.to_datetime(text.where(naive & ~date_only), errors="coerce", format="ISO8601")
        out = _written(values, parsed, timestamp, timezone)
        return _noon(out, text, date_only) if timestamp else out
    if fmt in (EPOCH_MS, EPOCH_S):
        numbers = pd.to_numeric(text, errors="coerce")
        parsed = pd.to_datetime(numbers, unit="ms" if fmt == EPOCH_MS else "s", errors="coerce", utc=True)
        return _written(values, parsed, timestamp, "UTC")
    if fmt in (DAY_FIRST, MONTH_FIRST):
        iso = _numeric_to_iso(text, day_first=fmt == DAY_FIRST)
        date_only = text.str.extract(NUMERIC_PATTERN)["hour"].isna() & iso.notna()
        parsed = pd.to_datetime(iso, errors="coerce", format="ISO8601")
    else:
        parsed = pd.to_datetime(text, errors="coerce", format=fmt)
        date_only = pd.Series("%H" not in fmt and "%I" not in fmt, index=text.index) & parsed.notna()
    out = _written(values, parsed.where(~(date_only & timestamp)), timestamp, timezone)
    if timestamp:
        return _noon(out, parsed.dt.strftime("%Y-%m-%d"), date_only & parsed.notna())
    return out


def _noon(out: pd.Series, dates: pd.Series, date_only: pd.Series) -> pd.Series:
    out = out.astype(object).where(out.notna(), None)
    out[date_only] = dates[date_only] + "T12:00:00+00:00"
    return out


def _written(values: pd.Series, parsed: pd.Series, timestamp: bool, timezone: str) -> pd.Series:
    if parsed.dt.tz is not None:  # a strftime format with %z: already an instant
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        timezone = "UTC"
    if timestamp:
        # In the autumn DST change a local time happens twice: take the first (summer-time) one.
        first = [True] * len(parsed)
        local = parsed.dt.tz_localize(timezone, ambiguous=first, nonexistent="shift_forward")
        text = local.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    else:
        text = parsed.dt.strftime("%Y-%m-%d")
    out = values.astype(object).where(values.notna(), None)
    ok = parsed.notna()
    out[ok] = text[ok]
    return out


def _numeric_to_iso(text: pd.Series, day_first: bool) -> pd.Series:
    parts = text.str.extract(NUMERIC_PATTERN)
    day, month = (parts["a"], parts["b"]) if day_first else (parts["b"], parts["a"])
    year = parts["year"].where(parts["year"].str.len() == 4, "20" + parts["year"])  # 24 → 2024: exports are recent
    hour = parts["hour"].fillna("0").astype(int)
    pm = parts["ampm"].str.lower() == "pm"
    am = parts["ampm"].str.lower() == "am"
    hour = hour.where(~(pm & (hour < 12)), hour + 12).where(~(am & (hour == 12)), 0)
    return (
        year
        + "-"
        + month.str.zfill(2)
        + "-"
        + day.str.zfill(2)
        + "T"
        + hour.astype(str).str.zfill(2)
        + ":"
        + parts["minute"].fillna("00")
        + ":"
        + parts["second"].fillna("00")
    )


def _non_blank(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text[text.notna() & (text != "")].astype(str)


def format_hint(column: str, where: str) -> str:
    return (
        f"state their format as {where}.{column}: day-first, month-first, epoch-ms or a pattern such as "
        f"'%d.%m.%Y %H:%M'"
    )


def parsed_share(values: pd.Series) -> float:
    """Share of non-blank values that are ISO; 1.0 when there is nothing to read."""
    text = _non_blank(values)
    return 1.0 if text.empty else float(looks_iso(text).mean())
