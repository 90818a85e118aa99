"""Completeness: an export that stopped early or came header-only is withheld, a quiet period or a new team is not."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from salespulse.transforms.completeness import CompletenessSettings, completeness, incomplete_message
from salespulse.transforms.partial import absent_tables
from salespulse.transforms.periods import parse_period
from tests.transforms.frames import deal, team

W47 = parse_period("2026-W47")  # Mon 16 Nov - Sun 22 Nov 2026
SETTINGS = CompletenessSettings()
BUSY = (0, 1, 2, 3, 4, 4)  # six records a week, Monday to Friday: nothing at the weekend


def days_of(start: date, weekdays: tuple[int, ...]) -> list[date]:
    return [start + timedelta(days=d) for d in weekdays]


def weekly(weeks: int, weekdays: tuple[int, ...] = BUSY, before: date = W47.start) -> list[date]:
    """The given weekdays of each of the `weeks` weeks before the week starting `before`, oldest first."""
    return [d for w in range(weeks, 0, -1) for d in days_of(before - timedelta(weeks=w), weekdays)]


def deals(days: list[date], prefix: str = "d") -> list[dict[str, str]]:
    return [deal(f"{prefix}{i}", "prospecting", 100.0, f"{d.isoformat()}T10:00:00Z") for i, d in enumerate(days)]


def leads(days: list[date]) -> list[dict[str, str]]:
    return [
        {"lead_id": f"l{i}", "source": "web", "owner_rep_id": "r1", "status": "new", "created_at": f"{d}T09:00:00Z"}
        for i, d in enumerate(days)
    ]


def row(frame: pd.DataFrame, table: str) -> pd.Series:
    return frame[frame["table"] == table].iloc[0]


def deals_row(data, period=W47, settings=SETTINGS) -> pd.Series:
    return row(completeness(data, period, settings), "deals")


def test_a_normal_week_ending_on_friday_is_complete():
    # one deal created in W46 and won in W47 counts in both weeks (created OR closed in the week)
    carried = deal("c1", "won", 500.0, "2026-11-13T10:00:00Z", closed="2026-11-18T15:00:00Z")
    data = team(deals=[*deals(weekly(8) + days_of(W47.start, BUSY)), carried])
    frame = completeness(data, W47, SETTINGS)
    assert list(frame.columns[:9]) == [
        "table", "rows", "usual", "newest", "gap_days", "gap_share", "core", "empty", "incomplete",
    ]  # fmt: skip
    assert list(frame["table"]) == ["deals", "leads", "activities"]
    r = row(frame, "deals")
    assert (r["rows"], r["usual"], r["gap_days"]) == (7, 49 / 8, 2)  # 7 weeks of 6, W46 with 7
    assert r["newest"] == pd.Timestamp("2026-11-20")
    assert r["gap_share"] == pytest.approx(2 / 7)  # 0.29: the weekend alone must not alarm
    assert r["core"] and not r["empty"] and not r["incomplete"]
    assert type(r["rows"]) in (int, np.int64) and type(r["gap_days"]) is int  # a day count, never 2.0
    with pytest.raises(ValueError, match="not incomplete"):
        incomplete_message(r)


def test_a_week_whose_export_stopped_on_wednesday_after_busy_weeks_is_incomplete():
    data = team(deals=deals(weekly(8) + days_of(W47.start, (0, 0, 1, 2, 2))))
    r = deals_row(data)
    assert (r["rows"], r["usual"], r["gap_days"]) == (5, 6.0, 4)
    assert r["newest"] == pd.Timestamp("2026-11-18") and r["gap_share"] == pytest.approx(4 / 7)
    assert r["incomplete"] and not r["empty"]
    assert incomplete_message(r) == (
        "the deals export looks incomplete: newest deal 18 Nov 2026, period ends 22 Nov 2026 "
        "(4 of 7 days without a record; usually 6 a week)"
    )


def test_no_deals_in_the_week_after_busy_weeks_is_incomplete():
    data = team(deals=deals(weekly(8)))
    r = deals_row(data)
    assert (r["rows"], r["usual"], r["gap_days"]) == (0, 6.0, 9)  # newest: Friday 13 Nov
    assert r["incomplete"]
    assert incomplete_message(r) == (
        "no deals dated in 2026-W47, while the last 8 weeks had 6 a week on average: the export looks incomplete"
    )


def test_a_header_only_deals_table_is_incomplete_even_without_history():
    data = team(leads=leads(weekly(8)))
    frame = completeness(data, W47, SETTINGS)
    r = row(frame, "deals")
    assert r["empty"] and r["incomplete"] and r["rows"] == 0
    assert pd.isna(r["newest"]) and r["gap_days"] is None and r["gap_share"] is None
    assert r["usual"] == 0.0  # the leads reach back 8 weeks: the history is there, the deals are not
    assert incomplete_message(r) == (
        "no deals for this team at all: the export is header-only, or no rep of the team owns any (check reps.team)"
    )
    assert row(frame, "activities")["empty"] and not row(frame, "activities")["incomplete"]  # not core

    nothing = deals_row(team())  # no history at all: still an empty core table
    assert nothing["empty"] and nothing["incomplete"] and nothing["usual"] is None


def test_an_empty_core_table_is_reported_even_when_listed_absent():
    data = team(leads=leads(weekly(8)))
    absent = absent_tables(data)  # what the gate passes: every table without rows, the deals among them
    assert "deals" in absent
    frame = completeness(data, W47, SETTINGS, absent=absent)
    assert list(frame["table"]) == ["deals", "leads"]  # activities (absent, not core) left out
    assert row(frame, "deals")["incomplete"]
    accepted = completeness(data, W47, CompletenessSettings(core_tables=()), absent=absent)
    assert list(accepted["table"]) == ["leads"] and not accepted["incomplete"].any()


def test_a_quiet_team_with_a_true_zero_week_is_not_flagged():
    quiet = [date(2026, 9, 21), date(2026, 9, 30), date(2026, 10, 14), date(2026, 10, 27), date(2026, 11, 4)]
    r = deals_row(team(deals=deals(quiet)))
    assert (r["rows"], r["usual"], r["gap_days"]) == (0, 5 / 8, 18)  # 0.6 a week: a zero is ordinary
    assert r["gap_share"] == pytest.approx(18 / 7)
    assert not r["incomplete"]


def test_a_new_team_is_flagged_only_when_its_table_is_empty():
    two_weeks = weekly(2)  # W45 and W46 only: no 8-week usual yet
    stopped = deals_row(team(deals=deals(two_weeks + days_of(W47.start, (0, 1)))))
    assert (stopped["rows"], stopped["usual"], stopped["gap_days"]) == (2, None, 5)
    assert not stopped["incomplete"]
    silent = deals_row(team(deals=deals(two_weeks)))
    assert (silent["rows"], silent["usual"], silent["gap_days"]) == (0, None, 9)
    assert not silent["incomplete"]
    empty = deals_row(team(leads=leads(two_weeks)))
    assert empty["empty"] and empty["incomplete"]


def test_usual_needs_history_back_to_the_oldest_window():
    # W39 starts Mon 21 Sep 2026: a first record on that day is enough, one a day later is not
    assert deals_row(team(deals=deals(weekly(8))))["usual"] == 6.0
    late = [d for d in weekly(8) if d != date(2026, 9, 21)]
    assert deals_row(team(deals=deals(late)))["usual"] is None


def monthly_history() -> list[date]:
    """Ten deals in each of March to October 2026, on the 1st to the 28th."""
    return [date(2026, month, day) for month in range(3, 11) for day in (1, 4, 7, 10, 13, 16, 19, 22, 25, 28)]


@pytest.mark.parametrize(
    ("last_day", "gap", "incomplete"),
    [(20, 10, True), (23, 7, False)],  # 10 of 30 days (0.33) is a stopped export; 7 of 30 (0.23) is not
)
def test_a_month_is_judged_by_its_share_of_days(last_day, gap, incomplete):
    november = parse_period("2026-11")
    days = monthly_history() + [date(2026, 11, d) for d in (2, 5, 9, 12, 16, last_day)]
    r = deals_row(team(deals=deals(days)), november)
    assert (r["rows"], r["usual"], r["gap_days"]) == (6, 10.0, gap)
    assert r["gap_share"] == pytest.approx(gap / 30)
    assert r["incomplete"] == incomplete
    if incomplete:
        assert incomplete_message(r) == (
            "the deals export looks incomplete: newest deal 20 Nov 2026, period ends 30 Nov 2026 "
            "(10 of 30 days without a record; usually 10 a month)"
        )


def test_a_quarter_whose_newest_record_is_five_days_before_its_end_is_complete():
    q4 = parse_period("2026-Q4")  # 1 Oct - 31 Dec 2026, 92 days
    history = [q.start + timedelta(days=d) for q in q4.preceding(8) for d in range(0, 84, 7)]  # 12 a quarter
    r = deals_row(team(deals=deals([*history, date(2026, 10, 5), date(2026, 11, 16), date(2026, 12, 26)])), q4)
    assert (r["rows"], r["usual"], r["gap_days"]) == (3, 12.0, 5)
    assert r["gap_share"] == pytest.approx(5 / 92)
    assert not r["incomplete"]


def test_incomplete_leads_withhold_only_when_leads_are_core():
    week = weekly(8) + days_of(W47.start, BUSY)
    data = team(deals=deals(week), leads=leads(weekly(8) + days_of(W47.start, (0, 1, 2))))
    frame = completeness(data, W47, SETTINGS)
    assert not row(frame, "deals")["incomplete"]
    lead_row = row(frame, "leads")
    assert (lead_row["rows"], lead_row["usual"], lead_row["gap_days"]) == (3, 6.0, 4)
    assert not lead_row["core"] and not lead_row["incomplete"]  # reported, never withholding

    core = row(completeness(data, W47, CompletenessSettings(core_tables=("deals", "leads"))), "leads")
    assert core["core"] and core["incomplete"]
    assert incomplete_message(core).startswith("the leads export looks incomplete: newest lead 18 Nov 2026,")


def test_activities_count_by_due_or_completed_day_and_absent_tables_are_left_out():
    activities = [
        {"activity_id": "a1", "rep_id": "r1", "type": "call", "due_at": "2026-11-12T09:00:00Z",
         "completed_at": "2026-11-17T09:00:00Z"},  # due in W46, done in W47
        {"activity_id": "a2", "rep_id": "r1", "type": "task", "due_at": "2026-11-19T09:00:00Z"},
        {"activity_id": "a3", "rep_id": "r1", "type": "task", "due_at": "2026-11-30T09:00:00Z"},  # after the week
    ]  # fmt: skip
    frame = completeness(team(deals=deals(weekly(8)), activities=activities), W47, SETTINGS, absent=("leads",))
    assert list(frame["table"]) == ["deals", "activities"]
    r = row(frame, "activities")
    assert (r["rows"], r["usual"], r["gap_days"]) == (2, 1 / 8, 3)
    assert r["newest"] == pd.Timestamp("2026-11-19")


def test_dates_are_the_team_local_days():
    late_sunday = deal("d9", "prospecting", 100.0, "2026-11-23T03:00:00Z")  # Sun 22 Nov, 22:00 in New York
    data = team("America/New_York", deals=[*deals(weekly(8)), late_sunday])
    r = deals_row(data)
    assert (r["rows"], r["gap_days"]) == (1, 0)
    assert r["newest"] == pd.Timestamp("2026-11-22")


def test_an_export_that_ends_before_the_period_and_its_comparison_weeks_is_incomplete():
    # a pipeline sample from 2017, reported for 2026-W47: nothing in the week nor in the 8 before it
    old = [date(2017, 3, 1), date(2017, 3, 9), date(2017, 3, 16)]
    r = deals_row(team(deals=deals(old)))
    assert (r["rows"], r["usual"], r["newest"]) == (0, 0, pd.Timestamp("2017-03-16"))
    assert r["incomplete"] and incomplete_message(r) == (
        "the deals export ends on 16 Mar 2017, before 2026-W47 and the 8 weeks it is compared with: export the data "
        "again, or report an earlier period"
    )
    # a quiet team whose last deal falls inside the comparison weeks is not: its zero may be real
    assert not deals_row(team(deals=deals([date(2026, 10, 1)])))["incomplete"]
