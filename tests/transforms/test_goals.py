from datetime import date

import pytest

from salespulse.transforms.goals import GoalSpec, GoalThresholds, goal_progress, goal_status
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.periods import parse_period
from tests.transforms.frames import deal, team

SETTINGS = KpiSettings()
W47 = parse_period("2026-W47")
DEALS = [
    deal("d1", "won", 30000, "2026-09-01T10:00:00Z", "2026-10-05T10:00:00Z"),
    deal("d2", "won", 20000, "2026-09-01T10:00:00Z", "2026-11-17T10:00:00Z"),
    deal("d3", "won", 50000, "2026-09-01T10:00:00Z", "2026-11-30T10:00:00Z"),  # after W47
    deal("d4", "lost", 10000, "2026-09-01T10:00:00Z", "2026-11-18T10:00:00Z"),
    {**deal("p1", "won", 8000, "2025-01-01T10:00:00Z", "2025-08-01T10:00:00Z"), "product": "GTX Basic"},
    {**deal("p2", "won", 2000, "2025-01-01T10:00:00Z", "2025-09-01T10:00:00Z"), "product": "GTX Pro"},
    {**deal("p3", "won", 3000, "2025-01-01T10:00:00Z", "2026-08-01T10:00:00Z"), "product": "GTX Basic"},
]
DATA = team(deals=DEALS)
REVENUE = GoalSpec("rev", "Raise $93,000", "won_revenue", date(2026, 10, 1), date(2026, 12, 1), target=93000)


def test_cumulative_goal_counts_from_its_start_paces_linearly_and_projects_the_run_rate():
    progress = goal_progress(REVENUE, DATA, W47, SETTINGS)
    assert progress.actual == 50000.0  # d1 + d2; d3 closes after the period
    elapsed = ((date(2026, 11, 22) - date(2026, 10, 1)).days + 1) / 62  # 53 of 62 days
    assert progress.expected_by_now == pytest.approx(93000 * elapsed)
    assert progress.projected == pytest.approx(50000 / elapsed)
    assert progress.pace_needed == pytest.approx((93000 - 50000) / (9 / 7))  # 9 days left = 9/7 of a week
    assert progress.period_value == 20000.0  # W47 alone
    assert progress.progress == pytest.approx(50000 / 93000)
    assert progress.status == "off track"  # 50,000 against ~79,500 expected: under 80%


def test_rate_goal_reads_its_trailing_90_days():
    # 25 Aug – 22 Nov 2026 holds d1 and d2 (won) and d4 (lost): 3 closed deals; three are enough here
    goal = GoalSpec("wr", "Win 30%", "win_rate", date(2026, 7, 1), date(2026, 12, 31), target=0.30, min_records=3)
    progress = goal_progress(goal, DATA, W47, SETTINGS)
    assert (progress.aggregation, progress.actual, progress.status) == ("rate", pytest.approx(2 / 3), "achieved")
    assert (progress.window_days, progress.records) == (90, 3)


def test_relative_target_on_the_best_product_over_an_annual_window():
    goal = GoalSpec("best", "+15% for our best product", "won_revenue", date(2026, 9, 1), date(2027, 12, 31),
                    change=0.15, aggregation="rate", window_days=365, filters=(("product", "best"),),
                    min_records=1)  # fmt: skip
    progress = goal_progress(goal, DATA, W47, SETTINGS)
    # Sep 2025 – Aug 2026: GTX Basic 3,000 (p3; p1 closed before) beats GTX Pro 2,000 (p2)
    assert progress.scope.startswith("product GTX Basic")
    # the goal start value is that same year: 3,000, so the target is 3,450
    assert progress.start_value == 3000.0 and progress.target == pytest.approx(3450.0)
    assert progress.actual == 3000.0  # the year to 22 Nov 2026 holds p3 only
    assert progress.progress == 0.0  # no nearer the target than at the start
    assert progress.status == "off track"  # none of the ~17% of the way expected by now


def test_relative_target_without_a_baseline_has_no_data():
    goal = GoalSpec("g", "+10%", "won_revenue", date(2026, 10, 1), date(2026, 12, 31), change=0.10,
                    filters=(("product", "Nothing Sold"),))  # fmt: skip
    progress = goal_progress(goal, DATA, W47, SETTINGS)
    assert (progress.start_value, progress.status) == (0.0, "no data")


def test_goal_past_its_deadline_is_achieved_or_missed():
    assert goal_progress(REVENUE, DATA, parse_period("2026-W50"), SETTINGS).status == "achieved"
    big = GoalSpec("x", "x", "won_revenue", date(2026, 10, 1), date(2026, 12, 1), target=10**6)
    assert goal_progress(big, DATA, parse_period("2026-W50"), SETTINGS).status == "missed"


def test_goal_not_started_yet_is_too_early():
    later = GoalSpec("x", "x", "won_revenue", date(2027, 1, 1), date(2027, 12, 31), target=10**6)
    progress = goal_progress(later, DATA, W47, SETTINGS)
    assert (progress.actual, progress.status) == (None, "too early")


def test_seasonal_pacing_follows_last_years_shape():
    # Last year (52 weeks earlier) 30,000 of the window's 40,000 came in by the same day: 75 % expected now.
    last_year = [
        deal("y1", "won", 30000, "2025-09-01T10:00:00Z", "2025-10-10T10:00:00Z"),
        deal("y2", "won", 10000, "2025-09-01T10:00:00Z", "2025-11-28T10:00:00Z"),
    ]
    seasonal = GoalSpec("s", "s", "won_revenue", date(2026, 10, 1), date(2026, 12, 1), target=93000,
                        pacing="seasonal")  # fmt: skip
    progress = goal_progress(seasonal, team(deals=DEALS + last_year), W47, SETTINGS)
    assert progress.expected_by_now == pytest.approx(93000 * 0.75)
    no_history = goal_progress(seasonal, DATA, W47, SETTINGS)  # nothing last year: linear
    assert no_history.expected_by_now == pytest.approx(93000 * 53 / 62)


def test_thresholds_come_from_config():
    lenient = GoalThresholds(on_track=0.5, at_risk=0.3)
    assert goal_progress(REVENUE, DATA, W47, SETTINGS, lenient).status == "on track"


@pytest.mark.parametrize(
    ("actual", "expected", "elapsed", "ended", "direction", "status"),
    [
        (5, 50, 0.05, False, "higher", "too early"),
        (50, 50, 0.5, False, "higher", "on track"),
        (42, 50, 0.5, False, "higher", "at risk"),
        (30, 50, 0.5, False, "higher", "off track"),
        (100, 50, 0.5, False, "higher", "achieved"),
        (None, 50, 0.5, False, "higher", "no data"),
        (None, 50, 0.05, False, "higher", "too early"),
        # lower is better: 12 days against a 10-day target is behind, 9 is ahead
        (12, 10, 0.5, False, "lower", "at risk"),
        (9, 10, 0.5, False, "lower", "on track"),
        (9, 10, 1.0, True, "lower", "achieved"),
        (11, 10, 1.0, True, "lower", "missed"),
    ],
)
def test_goal_status_is_direction_aware(actual, expected, elapsed, ended, direction, status):
    target = 100 if direction == "higher" else 10
    assert goal_status(actual, target, expected, elapsed, ended, direction) == status


def test_path_gives_the_actual_at_each_period_end_since_the_start():
    progress = goal_progress(REVENUE, DATA, W47, SETTINGS)
    assert progress.path[0][0] == date(2026, 10, 4) and progress.path[-1] == (date(2026, 11, 22), 50000.0)
    assert [value for _, value in progress.path][:2] == [0.0, 30000.0]  # d1 closed on 5 Oct, in W41
    assert len(progress.path) == 8  # W40 (from 1 Oct) to W47
