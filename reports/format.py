"""Locale-aware formatting of KPI values, changes and dates, all through Babel.

Every function returns a display string and never raises on a missing or undefined number: the report
shows "n/a" instead, so a zero denominator upstream cannot break a render.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_interval
from babel.lists import format_list
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent, parse_pattern

from salespulse.reports.i18n import gettext
from salespulse.transforms.results import GoalProgress, KpiResult

NA = "n/a"
MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash and misaligns in tables
# Above this, cents are noise in a sales summary; below it (e.g. revenue per call) they carry meaning.
WHOLE_CURRENCY_FROM = 1000


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@lru_cache(maxsize=32)
def _whole_currency_pattern(locale: str) -> NumberPattern:
    """The locale's own currency pattern with the fraction digits removed, so symbol placement and
    spacing stay as the locale wants ("$12,345" but "12.345 €")."""
    pattern = parse_pattern(Locale.parse(locale).currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern


@lru_cache(maxsize=32)
def _one_decimal_percent_pattern(locale: str) -> NumberPattern:
    """The locale's own percent pattern with one decimal: "12.5%" in English, "12,5 %" in Spanish, where
    the sign is set apart by a no-break space."""
    pattern = parse_pattern(Locale.parse(locale).percent_formats[None].pattern)
    pattern.frac_prec = (1, 1)
    return pattern


def percent_text(fraction: float, locale: str) -> str:
    return format_percent(fraction, format=_one_decimal_percent_pattern(locale), locale=locale)


def _shows_whole(value: float | None) -> bool:
    """Whether an amount prints without cents on its own: a missing one, one from WHOLE_CURRENCY_FROM up, or
    one with no cents (0, 500.00)."""
    if not _finite(value):
        return True
    assert value is not None
    return abs(value) >= WHOLE_CURRENCY_FROM or round(value * 100) % 100 == 0


def whole_money(values: Iterable[float | None]) -> bool:
    """True when a column's amounts print without cents: every one of them would on its own, or one reaches
    WHOLE_CURRENCY_FROM (its cents are noise, so are the others'). "$0" and "$813" beside "$13,471", never
    "$0.00" or "$812.50"; a column of small amounts with cents keeps them all ("$0.00" beside "$12.50")."""
    amounts = list(values)
    large = any(abs(value) >= WHOLE_CURRENCY_FROM for value in amounts if value is not None and math.isfinite(value))
    return large or all(_shows_whole(value) for value in amounts)


def _currency(value: float, currency: str, locale: str, whole: bool = False) -> str:
    if whole or abs(value) >= WHOLE_CURRENCY_FROM:
        return format_currency(
            round(value),
            currency,
            format=_whole_currency_pattern(locale),
            locale=locale,
            currency_digits=False,
        )
    return format_currency(value, currency, locale=locale)


def _one_decimal(value: float, locale: str) -> str:
    return format_decimal(value, format="#,##0.0", locale=locale)


def format_value(
    value: float | None, unit: str, currency: str, locale: str, among: Iterable[float | None] | None = None
) -> str:
    """A KPI value in its unit: currency, percent (given as a fraction), count, days, hours, per_rep,
    ratio ("2.4×") or currency_per_day ("$1,234/day").

    `among`: the other amounts of the value's column (a KPI's value, previous and baseline; a table
    column), so one column has one money format: without cents when none of them has any."""
    if not _finite(value):
        return gettext(locale, NA)
    assert value is not None  # narrowed by _finite, for the type checker
    whole = among is not None and whole_money([value, *among])
    if unit in ("currency", "per_rep"):
        text = _currency(value, currency, locale, whole)
    elif unit == "percent":
        text = percent_text(value, locale)
    elif unit == "count":
        text = format_decimal(round(value), format="#,##0", locale=locale)
    elif unit == "days":
        text = gettext(locale, "%(value)s days") % {"value": _one_decimal(value, locale)}
    elif unit == "hours":
        text = gettext(locale, "%(value)s h") % {"value": _one_decimal(value, locale)}
    elif unit == "ratio":
        text = f"{_one_decimal(value, locale)}\u00d7"
    elif unit == "currency_per_day":
        text = gettext(locale, "%(amount)s/day") % {"amount": _currency(value, currency, locale, whole)}
    else:
        text = format_decimal(value, locale=locale)
    return text.replace("-", MINUS)


def kpi_amounts(kpi: KpiResult) -> list[float | None]:
    """The amounts a KPI prints side by side (value, previous, baseline): one money format for all of them,
    pass as format_value's `among`."""
    return [kpi.value, kpi.previous, kpi.baseline]


def goal_amounts(goal: GoalProgress) -> list[float | None]:
    """The amounts a goal prints side by side (actual, expected by now, target, projection, start value, this
    period, pace needed): one money format for all of them, pass as format_value's `among`."""
    shown = (goal.actual, goal.expected_by_now, goal.target, goal.projected, goal.start_value, goal.period_value)
    return [*shown, goal.pace_needed]


def format_change(change: float | None, locale: str) -> str:
    """A relative change (0.123 → "+12.3%") with an explicit sign, since "12.3%" alone is ambiguous."""
    if not _finite(change):
        return gettext(locale, NA)
    assert change is not None
    magnitude = percent_text(abs(change), locale)
    if magnitude == percent_text(0, locale):
        return magnitude  # a change that rounds to zero gets no sign: "+0.0%" would claim a direction
    return ("+" if change > 0 else MINUS) + magnitude


def is_benchmark(kpi: KpiResult) -> bool:
    """An external benchmark, not the team's own history: the report must say so in words."""
    return kpi.baseline is not None and kpi.basis is not None and kpi.basis.kind == "benchmark"


def _difference(value: float | None, reference: float | None, unit: str, locale: str) -> tuple[str, int] | None:
    """A value against a reference as shown, unsigned, with its sign (−1, 0, 1); None when either is
    missing. A percentage KPI's difference is in points (20.0% against 30.0% is "10.0 pts" down): its
    relative change, "−33.3%", is easily taken for the new rate, and a rate that leaves zero has no relative
    change at all."""
    if not (_finite(value) and _finite(reference)):
        return None
    assert value is not None and reference is not None
    sign = (value > reference) - (value < reference)
    if unit != "percent":
        if reference == 0:
            return None
        magnitude = percent_text(abs(value - reference) / abs(reference), locale)
        return magnitude, sign if magnitude != percent_text(0, locale) else 0
    points = _one_decimal(abs(value - reference) * 100, locale)
    text = gettext(locale, "%(points)s pts") % {"points": points}
    return text, sign if points != _one_decimal(0.0, locale) else 0


def _signed(shown: tuple[str, int]) -> str:
    """ "+12.3%", "−10.0 pts"; no sign for a change that rounds to zero: "+0.0%" would claim a direction."""
    text, sign = shown
    return ("+" if sign > 0 else MINUS) + text if sign else text


def change_text(kpi: KpiResult, locale: str, signed: bool = True) -> str:
    """The change against the previous period ("+12.3%", "−10.0 pts"); "" when there is none (a value
    missing, or a count that rises from zero). signed=False gives its size alone ("12.3%", "10.0 pts"), for
    beside an arrow and "up"/"down", which say the direction already: "▼ down −58.1%" reads as a rise."""
    shown = _difference(kpi.value, kpi.previous, kpi.unit, locale)
    if not shown:
        return ""
    return _signed(shown) if signed else shown[0]


def baseline_comparison(kpi: KpiResult, locale: str) -> str:
    """The value against its baseline in words and arrow: "▲ +12.3% above", "▼ 4.0 pts below" (the arrow
    and "below" say it is less: no minus sign), "at baseline"; "" when there is nothing to compare (no value
    or no baseline)."""
    shown = _difference(kpi.value, kpi.baseline, kpi.unit, locale)
    if shown is None:
        return ""
    size, sign = shown
    if sign == 0:
        return gettext(locale, "→ at baseline")
    if sign > 0:
        return gettext(locale, "▲ %(change)s above") % {"change": _signed(shown)}
    return gettext(locale, "▼ %(change)s below") % {"change": size}


def baseline_tone(kpi: KpiResult) -> str:
    """good / bad / neutral for the baseline comparison, honouring the KPI's direction."""
    text = baseline_comparison(kpi, "en_US")
    if not text or text.startswith("→"):
        return "neutral"
    return "good" if text.startswith("▲") == (kpi.direction == "higher") else "bad"


def baseline_parts(kpi: KpiResult, currency: str, locale: str) -> tuple[str, str]:
    """The baseline and the value against it, apart, so a narrow email cell can keep each on one line:
    ("baseline $12,345", "▲ +12.3% above"); ("", "") without a baseline."""
    if kpi.baseline is None:
        return "", ""
    word = gettext(locale, "industry benchmark") if is_benchmark(kpi) else gettext(locale, "baseline")
    text = f"{word} {format_value(kpi.baseline, kpi.unit, currency, locale, kpi_amounts(kpi))}"
    return text, baseline_comparison(kpi, locale)


def baseline_short(kpi: KpiResult, currency: str, locale: str) -> str:
    """The baseline in a few words for email lines: "baseline $12,345, ▲ +12.3% above"; "" without one."""
    return ", ".join(part for part in baseline_parts(kpi, currency, locale) if part)


def format_date(d: date, locale: str) -> str:
    """A medium date in the locale ("Nov 22, 2026", "22 nov 2026")."""
    return _babel_date(d, format="medium", locale=locale)


def format_datetime(moment: datetime, locale: str) -> str:
    """A timestamp with its offset, so lineage says unambiguously when the report was made."""
    return _babel_datetime(moment, format="medium", locale=locale) + (
        f" {moment.strftime('%z')}" if moment.tzinfo else ""
    )


def format_period_range(start: date, end: date, locale: str) -> str:
    """A compact date range that does not repeat the shared month or year ("16–22 Nov 2026")."""
    if start == end:
        return format_date(start, locale)
    return format_interval(start, end, skeleton="yMMMd", locale=locale)


def format_word_list(words: Sequence[str], locale: str) -> str:
    """ "leads and activities", "leads y activities": Babel joins the words the locale's way."""
    return format_list(list(words), locale=locale) if words else ""


def format_plain_percent(percent: float, locale: str = "en_US") -> str:
    """A share already in percent (0–100), e.g. failing rows, in the locale's style ("0.2%", "0,2 %"); tiny
    non-zero shares stay visible ("<0.1%")."""
    if not math.isfinite(percent):
        return gettext(locale, NA)
    if 0 < percent < 0.1:
        return "<" + percent_text(0.001, locale)
    return percent_text(percent / 100, locale)


@dataclass(frozen=True)
class Trend:
    """How a KPI moved, spelled out three ways (arrow, word, tone) so no reader depends on colour."""

    arrow: str
    word: str  # up / down / flat / n/a
    tone: str  # good / bad / neutral: the CSS class, and "better"/"worse" in words
    verdict: str  # "better", "worse" or "" when there is nothing to judge


def trend_of(kpi: KpiResult) -> Trend:
    """Direction from the raw values, not from `change`: a rise from 0 has no % change but is still up."""
    if not (_finite(kpi.value) and _finite(kpi.previous)):
        return Trend("–", NA, "neutral", "")
    assert kpi.value is not None and kpi.previous is not None
    if kpi.value == kpi.previous:
        return Trend("→", "flat", "neutral", "")
    up = kpi.value > kpi.previous
    tone = "good" if kpi.improved else "bad"
    return Trend("▲" if up else "▼", "up" if up else "down", tone, "better" if kpi.improved else "worse")


def trend_text(kpi: KpiResult, locale: str) -> str:
    """The trend as one phrase for plain text and email: "▲ up 12.4% (better)", "▼ down 3.0 pts", "– n/a":
    the change unsigned, since the arrow and the word say its direction."""
    trend = trend_of(kpi)
    parts = [trend.arrow, gettext(locale, trend.word)]
    if change := change_text(kpi, locale, signed=False):
        parts.append(change)
    if trend.verdict:
        parts.append(f"({gettext(locale, trend.verdict)})")
    return " ".join(parts)


def format_bytes(size: int, locale: str) -> str:
    """A file size for people: "8 MB", "740 KB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{format_decimal(round(size / scale, 1), format='#,##0.#', locale=locale)} {unit}"
    return gettext(locale, "%(size)s bytes") % {"size": format_decimal(size, locale=locale)}


LABEL_CHARS = 60  # a CRM name longer than this is cut in the report; kpis.json keeps it whole
ELLIPSIS = "…"


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut to `limit` characters, the last an ellipsis: one 9,000-character product name would
    otherwise fill pages, and in a script the fonts lack cost a glyph lookup per character. Same cut as
    Jinja's `truncate(limit, true, "…", 0)`, which the templates use where no context reaches them."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS
