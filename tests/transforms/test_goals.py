from datetime import date

import pytest

from tests.transforms.frames import deal, team
from transforms.goals import GoalSpec, goal_progress, goal_status
from transforms.periods import parse_period

DEALS = [
    deal("d1", "won", 30000, "2026-09-01T10:00:00Z", "2026-10-05T10:00:00Z"),
    deal("d2", "won", 20000, "2026-09-01T10:00:00Z", "2026-11-17T10:00:00Z"),
    deal("d3", "won", 50000, "2026-09-01T10:00:00Z", "2026-11-30T10:00:00Z"),  # after W47
    deal("d4", "lost", 10000, "2026-09-01T10:00:00Z", "2026-11-18T10:00:00Z"),
]
REVENUE = GoalSpec("rev", "Raise $93,000", "won_revenue", 93000, date(2026, 10, 1), date(2026, 12, 1))


def test_additive_goal_counts_from_its_start_and_paces_linearly():
    progress = goal_progress(REVENUE, team(deals=DEALS), parse_period("2026-W47"))
    assert progress.actual == 50000.0  # d1 + d2; d3 closes after the period
    elapsed = (date(2026, 11, 22) - date(2026, 10, 1)).days + 1  # 53 of 62 days
    assert progress.expected_by_now == pytest.approx(93000 * elapsed / 62)
    assert progress.progress == pytest.approx(50000 / 93000)
    assert progress.status == "off track"  # 50,000 against ~79,500 expected: under 80%


def test_rate_goal_reads_the_period_value():
    goal = GoalSpec("wr", "Win 30%", "win_rate", 0.30, date(2026, 7, 1), date(2026, 12, 31))
    progress = goal_progress(goal, team(deals=DEALS), parse_period("2026-W47"))
    assert progress.actual == pytest.approx(0.5)
    assert progress.status == "achieved"


def test_goal_past_its_deadline_is_achieved_or_missed():
    progress = goal_progress(REVENUE, team(deals=DEALS), parse_period("2026-W50"))
    assert progress.actual == 100000.0 and progress.status == "achieved"
    small = GoalSpec("x", "x", "won_revenue", 10**6, date(2026, 10, 1), date(2026, 12, 1))
    assert goal_progress(small, team(deals=DEALS), parse_period("2026-W50")).status == "missed"


@pytest.mark.parametrize(
    ("actual", "expected", "elapsed", "ended", "direction", "status"),
    [
        (5, 50, 0.05, False, "higher", "too early"),
        (50, 50, 0.5, False, "higher", "on track"),
        (42, 50, 0.5, False, "higher", "at risk"),
        (30, 50, 0.5, False, "higher", "off track"),
        (100, 50, 0.5, False, "higher", "achieved"),
        (None, 50, 0.5, False, "higher", "too early"),
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
