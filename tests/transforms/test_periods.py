from datetime import UTC, date, datetime

import pytest

from salespulse.transforms.periods import PeriodError, last_complete_period, parse_period, period_containing


@pytest.mark.parametrize(
    ("label", "start", "end", "cadence"),
    [
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 22), "weekly"),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4), "weekly"),  # ISO week 1 starts in the old year
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3), "weekly"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "monthly"),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "monthly"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "monthly"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "quarterly"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "quarterly"),
    ],
)
def test_parse_period_gives_inclusive_local_dates_and_round_trips(label, start, end, cadence):
    period = parse_period(label)
    assert (period.start, period.end, period.cadence) == (start, end, cadence)
    assert period.label == label


@pytest.mark.parametrize("label", ["2026-W54", "2025-W53", "2026-13", "2026-Q5", "W47", "last week", ""])
def test_parse_period_rejects_what_is_not_a_period(label):
    with pytest.raises(PeriodError):
        parse_period(label)


def test_parse_period_reads_lower_case_and_gives_the_canonical_label():
    assert parse_period("2026-w47").label == "2026-W47"
    assert parse_period(" 2026-q4 ").label == "2026-Q4"


def test_previous_and_next_cross_year_boundaries():
    assert parse_period("2026-W01").previous().label == "2025-W52"
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026-Q4").next().label == "2027-Q1"


def test_last_complete_week_uses_the_teams_local_calendar():
    # Monday 00:30 in Berlin is still Sunday 23:30 UTC: Berlin's last complete week has just ended.
    now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert last_complete_period(now, "Europe/Berlin", "weekly").label == "2026-W47"
    assert last_complete_period(now, "UTC", "weekly").label == "2026-W46"
    assert last_complete_period(now, "America/New_York", "weekly").label == "2026-W46"


def test_period_containing_monthly_and_quarterly():
    assert period_containing(date(2026, 11, 26), "monthly").label == "2026-11"
    assert period_containing(date(2026, 11, 26), "quarterly").label == "2026-Q4"
    assert period_containing(date(2026, 11, 26), "weekly").label == "2026-W48"


def test_preceding_lists_the_periods_before_newest_first():
    assert [p.label for p in parse_period("2026-W02").preceding(3)] == ["2026-W01", "2025-W52", "2025-W51"]
    assert [p.label for p in parse_period("2026-Q1").preceding(2)] == ["2025-Q4", "2025-Q3"]


def test_periods_within_keeps_only_whole_periods_of_the_cadence():
    from datetime import date

    from salespulse.transforms.periods import periods_within

    weeks = periods_within(date(2026, 9, 28), date(2026, 10, 25), "weekly")
    assert [p.label for p in weeks] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43"]
    months = periods_within(date(2025, 12, 29), date(2026, 10, 4), "monthly")  # 2026-W01 .. 2026-W40
    assert [p.label for p in months][0] == "2026-01" and [p.label for p in months][-1] == "2026-09"
    assert periods_within(date(2026, 10, 5), date(2026, 10, 11), "monthly") == []
    assert [p.label for p in periods_within(date(2026, 1, 1), date(2026, 12, 31), "quarterly")] == [
        "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
    ]  # fmt: skip
