"""Truth first: a KPI of a window that ends before the first record of its own period-date table is "no
data" (None), never 0: in trends, previous values, baselines and growth KPIs. A week inside the data with
nothing in it is a true 0.

Hand-written deals begin on Monday 28 Sep 2026, the first day of 2026-W40 (UTC). Weeks of 2026:
W40 28 Sep – 4 Oct, W41 5–11 Oct, W42 12–18 Oct, W43 19–25 Oct, W44 26 Oct – 1 Nov, W45 2–8 Nov.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest

from salespulse.reports.charts import trend_chart
from salespulse.reports.tables import top_movers
from salespulse.transforms.history import needed_since
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.kpi_runner import kpi_results, leaderboard
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.periods import parse_period
from salespulse.transforms.results import BaselineBasis
from salespulse.transforms.scope import kpi_rows
from salespulse.transforms.team_data import first_record, history_start
from tests.transforms.frames import deal, team

W39, W40, W41, W45 = (parse_period(f"2026-W{week}") for week in (39, 40, 41, 45))
SETTINGS = KpiSettings(quarterly_quota=13_000)
BEFORE = [f"2026-W{week}" for week in range(34, 40)]  # the trend's weeks before the data: W34–W39
DEALS = [
    deal("d1", "won", 1000, "2026-09-28T09:00:00Z", "2026-10-02T10:00:00Z"),  # the first record; won in W40
    deal("d2", "won", 1500, "2026-10-01T10:00:00Z", "2026-10-07T10:00:00Z"),  # W41
    deal("d3", "lost", 800, "2026-10-05T10:00:00Z", "2026-10-14T10:00:00Z"),  # W42: lost, nothing won (a real 0)
    deal("d4", "won", 500, "2026-10-06T10:00:00Z", "2026-10-20T10:00:00Z"),  # W43
    deal("d5", "won", 2000, "2026-10-12T10:00:00Z", "2026-10-28T10:00:00Z"),  # W44
    deal("d6", "won", 3000, "2026-10-19T10:00:00Z", "2026-11-04T10:00:00Z"),  # W45
    deal("d7", "proposal", 700, "2026-10-10T10:00:00Z", expected="2026-11-20"),  # still open
]
DATA = team(deals=DEALS)
# (won revenue, deals won, win rate) of W40–W45
WON = [1000.0, 1500.0, 0.0, 500.0, 2000.0, 3000.0]
COUNT = [1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
RATE = [1.0, 1.0, 0.0, 1.0, 1.0, 1.0]


def lead(lead_id: str, created: str) -> dict[str, str]:
    return {"lead_id": lead_id, "created_at": created, "owner_rep_id": "r1", "status": "working", "source": "web"}


# The same deals, with leads that began long before them: each KPI's own table says where its data begins.
LEADS = [lead("l0", "2025-03-03T09:00:00Z"), lead("l1", "2026-10-06T09:00:00Z"), lead("l2", "2026-11-03T09:00:00Z")]
WITH_OLD_LEADS = team(deals=DEALS, leads=LEADS)


def results(data, period, kpi_ids, settings=SETTINGS):
    return {r.kpi_id: r for r in kpi_results(data, period, kpi_ids, settings)}


def values(trend):
    return [value for _label, value in trend]


def test_trend_points_before_the_first_record_are_none_and_real_values_from_it():
    got = results(DATA, W45, ["won_revenue", "deals_won", "win_rate"])
    won = got["won_revenue"]
    assert [label for label, _ in won.trend] == [f"2026-W{week}" for week in range(34, 46)]
    assert won.trend[:6] == [(label, None) for label in BEFORE]  # not 0: no data then
    assert values(won.trend[6:]) == WON  # W42 is inside the data: its 0 is real
    assert values(got["deals_won"].trend) == [None] * 6 + COUNT
    assert values(got["win_rate"].trend) == [None] * 6 + RATE  # W42: one lost, none won
    assert (won.value, won.previous) == (3000.0, 2000.0)


def test_a_kpi_computes_its_zeros_outside_the_runner_as_before():
    # the rule lives in the runner and the growth KPIs: a KPI function still counts what the rows hold
    assert KPI_CATALOGUE["won_revenue"].compute(DATA, W39, SETTINGS) == 0.0


def test_the_previous_value_is_none_when_the_previous_week_is_before_the_data():
    won = results(DATA, W40, ["won_revenue"])["won_revenue"]
    assert (won.value, won.previous, won.change, won.improved) == (1000.0, None, None, None)
    assert values(won.trend) == [None] * 11 + [1000.0]
    won = results(DATA, W41, ["won_revenue"])["won_revenue"]
    assert (won.value, won.previous, won.change) == (1500.0, 1000.0, pytest.approx(0.5))


def test_a_week_before_the_data_is_no_data_with_its_breakdowns_and_leaderboard():
    won = results(DATA, W39, ["won_revenue"])["won_revenue"]
    assert won.value is None and won.previous is None
    assert {row.key: row.value for row in won.breakdowns["rep"]} == {"r1": None, "r2": None}
    assert leaderboard(DATA, W39, SETTINGS) == []
    # inside the data, a rep without deals has a real 0
    won = results(DATA, W45, ["won_revenue"])["won_revenue"]
    assert {row.key: row.value for row in won.breakdowns["rep"]} == {"r1": 3000.0, "r2": 0.0}
    assert [(row.rep_id, row.won_revenue) for row in leaderboard(DATA, W45, SETTINGS)] == [("r1", 3000.0), ("r2", 0.0)]


def test_revenue_growth_is_none_when_the_week_it_compares_with_is_before_the_data():
    growth = KPI_CATALOGUE["revenue_growth"].compute
    assert growth(DATA, W40, SETTINGS) is None  # W39 is before the first deal: not "from 0"
    assert growth(DATA, W41, SETTINGS) == pytest.approx((1500 - 1000) / 1000)
    got = results(DATA, W45, ["revenue_growth", "revenue_growth_yoy"])
    # W40 none (W39 before the data), W41 +50%, W42 −100%, W43 none (a zero base), W44 +300%, W45 +50%
    assert values(got["revenue_growth"].trend) == [None] * 7 + [0.5, -1.0, None, 3.0, 0.5]  # exact in binary
    assert (got["revenue_growth"].value, got["revenue_growth"].previous) == (0.5, 3.0)
    assert values(got["revenue_growth_yoy"].trend) == [None] * 12  # 2025 is before the data


def test_revenue_growth_year_on_year_within_the_data():
    year_ago = deal("y1", "won", 1000, "2025-10-20T10:00:00Z", "2025-11-05T10:00:00Z")  # 2025-W45
    data = team(deals=[year_ago, *DEALS])
    assert KPI_CATALOGUE["revenue_growth_yoy"].compute(data, W45, SETTINGS) == pytest.approx((3000 - 1000) / 1000)
    assert KPI_CATALOGUE["revenue_growth_yoy"].compute(data, W41, SETTINGS) is None  # 2025-W41: a zero base


def test_baselines_are_never_averaged_from_weeks_before_the_data():
    won = results(DATA, W45, ["won_revenue"])["won_revenue"]
    # the old way averaged W37–W39's zeros: (0 + 0 + 0 + 1000 + 1500 + 0 + 500 + 2000) / 8 = 625
    assert won.baseline is None and won.basis == BaselineBasis("too_short", 8, "weekly")
    benchmarked = results(DATA, W45, ["won_revenue"], replace(SETTINGS, benchmarks={"won_revenue": 1234.0}))
    assert benchmarked["won_revenue"].baseline == 1234.0
    assert benchmarked["won_revenue"].basis == BaselineBasis("benchmark", 8, "weekly")
    # W40–W44 are all inside the data (it begins on W40's Monday), W42's real 0 included
    five = results(DATA, W45, ["won_revenue"], replace(SETTINGS, baseline_periods=5))["won_revenue"]
    assert five.baseline == pytest.approx((1000 + 1500 + 0 + 500 + 2000) / 5)
    assert five.basis == BaselineBasis("average", 5, "weekly")
    six = results(DATA, W45, ["won_revenue"], replace(SETTINGS, baseline_periods=6))["won_revenue"]
    assert six.baseline is None and six.basis.kind == "too_short"  # W39 is before the data


def test_each_kpi_starts_where_its_own_table_does():
    assert history_start(WITH_OLD_LEADS) == date(2025, 3, 3)  # the team's data is old...
    assert first_record(WITH_OLD_LEADS, "deals") == date(2026, 9, 28)  # ...its deals are not
    got = results(WITH_OLD_LEADS, W45, ["won_revenue", "new_leads"])
    assert values(got["won_revenue"].trend) == [None] * 6 + WON
    assert got["won_revenue"].baseline is None and got["won_revenue"].basis.kind == "too_short"
    # leads began in 2025: W34–W40 had none, truly
    assert values(got["new_leads"].trend) == [0.0] * 7 + [1.0, 0.0, 0.0, 0.0, 1.0]
    assert got["new_leads"].baseline == pytest.approx(1 / 8)


def test_rows_cut_for_a_run_still_know_where_each_table_begins():
    kpi_ids = ["won_revenue", "new_leads", "revenue_growth"]
    cut = kpi_rows(WITH_OLD_LEADS, needed_since(W45, kpi_ids, SETTINGS))
    assert "l0" not in set(cut.leads["lead_id"])  # a real cut: the 2025 lead is gone...
    assert first_record(cut, "leads") == date(2025, 3, 3)  # ...but not forgotten
    assert first_record(cut, "deals") == date(2026, 9, 28)
    for part in cut.parts("rep", ["r1", "r2"]).values():  # and every rep's part of it
        assert first_record(part, "leads") == date(2025, 3, 3)
    assert first_record(DATA.only("rep", "r2"), "deals") == date(2026, 9, 28)  # r2 has no deals: the team's
    assert repr(kpi_results(cut, W45, kpi_ids, SETTINGS)) == repr(kpi_results(WITH_OLD_LEADS, W45, kpi_ids, SETTINGS))


def test_the_trend_chart_leaves_a_gap_before_the_data_and_the_movers_skip_a_kpi_without_a_previous_value():
    won = results(DATA, W45, ["won_revenue"])["won_revenue"]
    svg = trend_chart(won, "en_US", "USD")
    blue = re.findall(r'<polyline points="([^"]+)" fill="none" stroke="#0072B2"', svg)
    assert [len(points.split()) for points in blue] == [6]  # W40–W45 only: no line through zeros before
    assert len(re.findall(r'<circle [^>]*fill="#0072B2"', svg)) == 6 + 1  # a dot each, a larger one for W45
    assert won.earlier_spread == pytest.approx(statistics.stdev(WON[:-1]))  # the usual swing of real weeks
    first_week = results(DATA, W40, ["won_revenue", "deals_won"])
    report = SimpleNamespace(kpis=list(first_week.values()), locale="en_US", cadence="weekly", currency="USD")
    assert top_movers(report) == []  # nothing "moved" from a week with no data
    report = SimpleNamespace(kpis=[won], locale="en_US", cadence="weekly", currency="USD")
    assert [mover.kpi.kpi_id for mover in top_movers(report)] == ["won_revenue"]
