from datetime import date

import pytest

from salespulse.reports.format import (
    baseline_comparison,
    baseline_short,
    baseline_tone,
    change_text,
    format_bytes,
    format_change,
    format_date,
    format_period_range,
    format_plain_percent,
    format_value,
    goal_amounts,
    is_benchmark,
    trend_of,
    trend_text,
)
from salespulse.transforms.results import BaselineBasis, BaselineKind, GoalProgress, KpiResult


@pytest.mark.parametrize(
    ("value", "unit", "currency", "locale", "expected"),
    [
        (12_345.4, "currency", "USD", "en_US", "$12,345"),
        (999.5, "currency", "USD", "en_US", "$999.50"),
        (1_234.56, "currency", "EUR", "es_ES", "1.235\xa0€"),
        (234.56, "currency", "EUR", "es_ES", "234,56\xa0€"),
        (-2_500.0, "currency", "USD", "en_US", "−$2,500"),
        (16_056.25, "per_rep", "USD", "en_US", "$16,056"),
        (0.275, "percent", "USD", "en_US", "27.5%"),
        (0.275, "percent", "EUR", "es_ES", "27,5\xa0%"),  # the locale's own pattern: a space before %
        (1_234.0, "count", "USD", "en_US", "1,234"),
        (12.5, "days", "USD", "en_US", "12.5 days"),
        (3.21, "hours", "USD", "en_US", "3.2 h"),
    ],
)
def test_format_value(value: float, unit: str, currency: str, locale: str, expected: str) -> None:
    assert format_value(value, unit, currency, locale) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), float("inf"), float("-inf")])
def test_missing_or_non_finite_values_are_na(missing: float | None) -> None:
    assert format_value(missing, "currency", "USD", "en_US") == "n/a"
    assert format_change(missing, "en_US") == "n/a"


def test_format_change_has_explicit_sign_and_real_minus() -> None:
    assert format_change(0.123, "en_US") == "+12.3%"
    assert format_change(-0.04, "en_US") == "\u22124.0%"
    assert format_change(0.00001, "en_US") == "0.0%"  # rounds to zero: no direction claimed
    assert format_change(0.123, "es_ES") == "+12,3\xa0%"


def test_dates_and_ranges() -> None:
    assert format_period_range(date(2026, 11, 16), date(2026, 11, 22), "en_GB").replace("\u2009", " ") in (
        "16 – 22 Nov 2026",
        "16–22 Nov 2026",
    )
    assert format_period_range(date(2026, 11, 16), date(2026, 11, 22), "es_ES") == "16–22 nov 2026"
    assert "2027" in format_period_range(date(2026, 12, 28), date(2027, 1, 3), "en_US")
    assert format_date(date(2026, 11, 22), "en_US") == "Nov 22, 2026"
    assert format_period_range(date(2026, 11, 22), date(2026, 11, 22), "en_US") == "Nov 22, 2026"


def test_plain_percent_keeps_tiny_shares_visible() -> None:
    assert format_plain_percent(0.24) == "0.2%"
    assert format_plain_percent(0.01) == "<0.1%"
    assert format_plain_percent(0.0) == "0.0%"
    assert format_plain_percent(100.0) == "100.0%"
    assert format_plain_percent(float("nan")) == "n/a"


def test_plain_percent_follows_the_locale() -> None:
    assert format_plain_percent(12.5, "es_ES") == "12,5\xa0%"
    assert format_plain_percent(0.01, "es_ES") == "<0,1\xa0%"
    assert format_plain_percent(float("nan"), "es_ES") == "n/d"


def test_unit_suffixes_go_through_the_catalogue() -> None:
    assert format_value(1_234.4, "currency_per_day", "EUR", "es_ES") == "1.234\xa0€/día"
    assert format_value(3.21, "hours", "EUR", "es_ES") == "3,2 h"
    assert format_value(2.0, "days", "EUR", "es_ES") == "2,0 días"
    assert format_bytes(740, "es_ES") == "740 bytes" and format_bytes(3 * 1024 * 1024, "es_ES") == "3 MB"


def _kpi(value: float | None, previous: float | None, direction: str = "higher") -> KpiResult:
    return KpiResult("k", "K", "def", "count", direction, value, previous)  # type: ignore[arg-type]


def test_trend_words_never_depend_on_colour() -> None:
    assert (trend_of(_kpi(5, 4)).word, trend_of(_kpi(5, 4)).verdict) == ("up", "better")
    assert (trend_of(_kpi(3, 4)).word, trend_of(_kpi(3, 4)).verdict) == ("down", "worse")
    assert (trend_of(_kpi(3, 4, "lower")).word, trend_of(_kpi(3, 4, "lower")).tone) == ("down", "good")
    assert trend_of(_kpi(4, 4)).word == "flat"
    assert trend_of(_kpi(None, 4)).word == "n/a"
    assert trend_of(_kpi(5, 0)).word == "up"  # no % change from zero, but still a direction


def test_trend_text() -> None:
    assert trend_text(_kpi(5, 4), "en_US") == "▲ up 25.0% (better)"  # the arrow and word say the direction
    assert trend_text(_kpi(4, 5), "en_US") == "▼ down 20.0% (worse)"  # not "down −20.0%"
    assert trend_text(_kpi(5, 0), "en_US") == "▲ up (better)"
    assert trend_text(_kpi(None, 4), "en_US") == "– n/a"


def _rate(value: float | None, previous: float | None, baseline: float | None = None) -> KpiResult:
    basis = BaselineBasis("average", 8, "weekly")
    return KpiResult(
        "win_rate", "Win rate", "def", "percent", "higher", value, previous, baseline=baseline, basis=basis
    )


def test_a_rates_change_is_in_points_not_relative() -> None:
    assert change_text(_rate(0.20, 0.30), "en_US") == "\u221210.0 pts"  # not "−33.3%"
    assert change_text(_rate(0.007, 0.0), "en_US") == "+0.7 pts"  # a rate that leaves zero still has a change
    assert change_text(_rate(0.3, 0.30004), "en_US") == "0.0 pts"  # rounds to zero: no direction claimed
    assert change_text(_rate(1.202, 2.868), "es_ES") == "\u2212166,6 p. p."
    assert change_text(_rate(None, 0.3), "en_US") == ""
    assert trend_text(_rate(0.20, 0.30), "en_US") == "▼ down 10.0 pts (worse)"
    assert change_text(_rate(0.20, 0.30), "en_US", signed=False) == "10.0 pts"
    assert baseline_comparison(_rate(0.20, None, 0.297), "en_US") == "▼ 9.7 pts below"
    assert baseline_comparison(_rate(0.05, None, 0.0), "es_ES") == "▲ +5,0 p. p. por encima"
    assert baseline_tone(_rate(0.20, None, 0.297)) == "bad"
    assert change_text(_kpi(5, 4), "en_US") == "+25.0%" and change_text(_kpi(5, 0), "en_US") == ""


@pytest.mark.parametrize(
    ("value", "unit", "currency", "locale", "expected"),
    [
        (2.4, "ratio", "USD", "en_US", "2.4×"),
        (2.46, "ratio", "EUR", "es_ES", "2,5×"),
        (None, "ratio", "USD", "en_US", "n/a"),
        (1_234.4, "currency_per_day", "USD", "en_US", "$1,234/day"),
        (85.5, "currency_per_day", "USD", "en_US", "$85.50/day"),
        (1_234.4, "currency_per_day", "EUR", "es_ES", "1.234\xa0€/día"),
        (None, "currency_per_day", "USD", "en_US", "n/a"),
    ],
)
def test_ratio_and_velocity_units(value: float | None, unit: str, currency: str, locale: str, expected: str) -> None:
    assert format_value(value, unit, currency, locale) == expected


def _based(value: float | None, baseline: float | None, kind: BaselineKind = "average") -> KpiResult:
    basis = BaselineBasis(kind, 8, "weekly")
    return KpiResult("k", "K", "def", "currency", "higher", value, None, baseline=baseline, basis=basis)


def test_baseline_comparison_in_words() -> None:
    assert baseline_comparison(_based(112.0, 100.0), "en_US") == "▲ +12.0% above"
    assert baseline_comparison(_based(95.0, 100.0), "en_US") == "▼ 5.0% below"  # no "▼ −5.0% below"
    assert baseline_comparison(_based(100.0, 100.0), "en_US") == "→ at baseline"
    assert baseline_comparison(_based(None, 100.0), "en_US") == ""
    assert baseline_comparison(_based(5.0, None), "en_US") == ""
    assert baseline_tone(_based(112.0, 100.0)) == "good" and baseline_tone(_based(95.0, 100.0)) == "bad"


def test_baseline_short_names_benchmarks() -> None:
    assert baseline_short(_based(1_120.0, 1_000.0), "USD", "en_US") == "baseline $1,000, ▲ +12.0% above"
    benchmark = _based(None, 1_000.0, "benchmark")
    assert is_benchmark(benchmark)
    assert baseline_short(benchmark, "USD", "en_US") == "industry benchmark $1,000"
    assert baseline_short(_based(5.0, None, "too_short"), "USD", "en_US") == ""
    assert not is_benchmark(_based(5.0, None, "benchmark"))  # a benchmark the config did not give


def test_one_money_format_per_column() -> None:
    """A column whose amounts have no cents shows none: "$0" beside "$13,471", not "$0.00"."""
    column = [0.0, 13_471.2, None, 500.0]
    assert [format_value(v, "currency", "USD", "en_US", column) for v in column] == ["$0", "$13,471", "n/a", "$500"]
    assert format_value(0.0, "currency", "USD", "en_US") == "$0.00"  # alone: as before
    assert format_value(0.0, "currency", "USD", "en_US", [12.5]) == "$0.00"  # a column with cents keeps them
    assert format_value(0.0, "currency_per_day", "USD", "en_US", [1_500.0]) == "$0/day"
    assert format_value(0.275, "percent", "USD", "en_US", [1.0]) == "27.5%"  # other units are untouched


def test_a_column_with_an_amount_from_a_thousand_up_has_no_cents() -> None:
    """Cents are noise beside thousands: the whole column drops them (rounding half to even, as round() does)."""
    column = [812.5, 13_471.0, 0.0, 9.99]
    shown = [format_value(v, "currency", "USD", "en_US", column) for v in column]
    assert shown == ["$812", "$13,471", "$0", "$10"]
    assert format_value(0.25, "currency", "EUR", "es_ES", [-1_000.0]) == "0\xa0€"  # not "0,25 €"


def test_a_goals_amounts_share_one_format() -> None:
    goal = GoalProgress(
        "g", "Raise $1,500", "revenue", "currency", 1_500.0, date(2026, 10, 1), date(2026, 12, 31),
        0.0, 412.5, "off track", period_value=0.0, projected=None, pace_needed=115.38,
    )  # fmt: skip
    assert goal_amounts(goal) == [0.0, 412.5, 1_500.0, None, None, 0.0, 115.38]
    shown = [format_value(v, goal.unit, "USD", "en_US", goal_amounts(goal)) for v in goal_amounts(goal)]
    assert shown == ["$0", "$412", "$1,500", "n/a", "n/a", "$0", "$115"]
