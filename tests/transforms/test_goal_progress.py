"""Goal bars, hand-computed: progress runs from the goal start value to the target, expected-by-now never passes
the target, and a rate goal is judged on a trailing window with enough records."""

from datetime import date

import pytest

from salespulse.config import Goal
from salespulse.plan import _goal
from salespulse.transforms.goals import GoalSpec, goal_progress, goal_status
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.periods import parse_period
from salespulse.transforms.results import GoalProgress
from tests.transforms.frames import deal, team

SETTINGS = KpiSettings()
W47 = parse_period("2026-W47")  # 16 – 22 Nov 2026


def _bar(target: float, actual: float | None, expected: float, start: float | None = None, **kw) -> GoalProgress:
    return GoalProgress("g", "g", "k", "percent", target, date(2026, 1, 1), date(2026, 12, 31), actual, expected,
                        "on track", baseline=start, **kw)  # fmt: skip


def test_absolute_cumulative_goal_is_actual_over_target_from_zero():
    bar = _bar(93000, 50000, 46500, start=80000, aggregation="cumulative")  # a sum starts at 0, whatever came before
    assert bar.progress == pytest.approx(50000 / 93000)
    assert bar.expected_progress == pytest.approx(0.5)


def test_relative_goal_going_backwards_is_negative():
    # grow a product's annual revenue by 15% from 100,000: the target is 115,000
    deals = [
        deal("a", "won", 60000, "2025-01-01T10:00:00Z", "2025-10-01T10:00:00Z"),  # the start year only
        deal("b", "won", 40000, "2025-01-01T10:00:00Z", "2026-03-01T10:00:00Z"),  # both years
        deal("c", "won", 55000, "2025-01-01T10:00:00Z", "2026-10-01T10:00:00Z"),  # since the start
    ]
    goal = GoalSpec("p", "+15%", "won_revenue", date(2026, 9, 1), date(2027, 8, 31), change=0.15,
                    aggregation="rate", window_days=365, filters=(("product", "GTX Pro"),), min_records=1)  # fmt: skip
    progress = goal_progress(goal, team(deals=deals), W47, SETTINGS)
    assert (progress.start_value, progress.target, progress.actual) == (100000, pytest.approx(115000), 95000)
    assert progress.progress == pytest.approx((95000 - 100000) / (115000 - 100000))  # −33.3 %
    elapsed = 83 / 365  # 1 Sep – 22 Nov of 365 days
    assert progress.expected_by_now == pytest.approx(100000 + 15000 * elapsed)
    assert progress.expected_progress == pytest.approx(elapsed)
    assert progress.status == "off track"


def test_rising_rate_at_its_start_value_has_made_no_progress():
    retention = _bar(0.88, 0.80, 0.84, start=0.80, aggregation="rate")  # rep retention +10% from 80%
    assert retention.progress == 0.0  # was 0.80 / 0.88 = 91%
    assert _bar(0.88, 0.86, 0.84, start=0.80, aggregation="rate").progress == pytest.approx(0.75)


def test_falling_goal_counts_the_way_down():
    # churn down from 10% to 8%: 9% is halfway, 11% is going backwards, 7% is past the target
    churn = {"start": 0.10, "aggregation": "rate", "direction": "lower"}
    assert _bar(0.08, 0.09, 0.09, **churn).progress == pytest.approx(0.5)
    assert _bar(0.08, 0.11, 0.09, **churn).progress == pytest.approx(-0.5)
    assert _bar(0.08, 0.07, 0.09, **churn).progress == pytest.approx(1.5)
    assert _bar(0.08, 0.09, 0.09, **churn).expected_progress == pytest.approx(0.5)


def test_falling_goal_status_paces_the_distance_from_the_start():
    assert goal_status(0.09, 0.08, 0.09, 0.5, False, "lower", origin=0.10) == "on track"
    assert goal_status(0.095, 0.08, 0.09, 0.5, False, "lower", origin=0.10) == "off track"  # half the way expected
    assert goal_status(0.11, 0.08, 0.09, 0.5, False, "lower", origin=0.10) == "off track"
    assert goal_status(0.079, 0.08, 0.09, 1.0, True, "lower", origin=0.10) == "achieved"


def test_rate_without_a_start_value_falls_back_to_actual_over_target():
    assert _bar(0.30, 0.24, 0.30, aggregation="rate").progress == pytest.approx(0.8)
    # a lower-is-better rate with nothing to start from has no meaningful bar
    assert _bar(0.08, 0.09, 0.08, aggregation="rate", direction="lower").progress is None


def test_expected_by_now_never_passes_the_target():
    # win rate 50% in the 90 days before the start (1 won, 1 lost), against a 30% target
    deals = [
        deal("w", "won", 1000, "2026-06-01T10:00:00Z", "2026-08-01T10:00:00Z"),
        deal("l", "lost", 1000, "2026-06-01T10:00:00Z", "2026-09-01T10:00:00Z"),
        deal("x", "lost", 1000, "2026-06-01T10:00:00Z", "2026-11-01T10:00:00Z"),
    ]
    goal = GoalSpec("wr", "Win 30%", "win_rate", date(2026, 10, 1), date(2026, 12, 31), target=0.30, min_records=1)
    progress = goal_progress(goal, team(deals=deals), W47, SETTINGS)
    assert progress.start_value == 0.5
    assert progress.expected_by_now == pytest.approx(0.30)  # not 0.5 − 0.2 × 53/92 = 38.5%
    assert progress.expected_progress == pytest.approx(1.0)  # not past 100 %
    assert _bar(0.30, 0.2, 0.304).expected_progress == 1.0  # even handed a value past the target


def test_rate_goal_with_too_few_records_says_so():
    deals = [
        deal("d1", "won", 30000, "2026-09-01T10:00:00Z", "2026-10-05T10:00:00Z"),
        deal("d2", "lost", 10000, "2026-09-01T10:00:00Z", "2026-11-18T10:00:00Z"),
        deal("old", "won", 9000, "2026-01-01T10:00:00Z", "2026-05-01T10:00:00Z"),  # before the 90 days
        deal("open", "negotiation", 9000, "2026-09-01T10:00:00Z"),  # not closed: not a win-rate record
    ]
    goal = GoalSpec("wr", "Win 30%", "win_rate", date(2026, 7, 1), date(2026, 12, 31), target=0.30)
    progress = goal_progress(goal, team(deals=deals), W47, SETTINGS)
    assert (progress.window_days, progress.records, progress.min_records) == (90, 2, 30)
    assert progress.record_table == "deals" and progress.too_few_records
    assert (progress.actual, progress.progress, progress.status) == (None, None, "no data")


def test_rate_goal_exposes_its_window_and_count():
    deals = [deal(f"d{i}", "won" if i % 4 == 0 else "lost", 1000, "2026-06-01T10:00:00Z",
                  f"2026-{9 + i % 2:02d}-{1 + i % 28:02d}T10:00:00Z") for i in range(40)]  # fmt: skip
    goal = GoalSpec("wr", "Win 30%", "win_rate", date(2026, 7, 1), date(2026, 12, 31), target=0.30, window_days=120)
    progress = goal_progress(goal, team(deals=deals), W47, SETTINGS)
    assert (progress.window_days, progress.records, progress.too_few_records) == (120, 40, False)
    assert progress.actual == pytest.approx(10 / 40)


def test_cumulative_goal_has_no_window():
    goal = GoalSpec("rev", "Raise", "won_revenue", date(2026, 10, 1), date(2026, 12, 1), target=93000)
    progress = goal_progress(goal, team(deals=[]), W47, SETTINGS)
    assert (progress.window_days, progress.records) == (None, None)


def test_config_min_records_defaults_to_30_and_reaches_the_spec():
    fields = {"id": "wr", "objective": "Win 30%", "kpi": "win_rate", "target": 0.3, "start": "2026-07-01",
              "deadline": "2026-12-31"}  # fmt: skip
    assert _goal(Goal(**fields)).min_records == 30
    assert _goal(Goal(**fields, min_records=100)).min_records == 100
