"""Every KPI over tiny frames whose answers were worked out by hand (W47 = Mon 16 – Sun 22 Nov 2026, UTC)."""

from pathlib import Path

import pandas as pd
import pytest

from salespulse.transforms.kpi_inputs import KpiSettings, in_window
from salespulse.transforms.kpi_runner import kpi_results
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.periods import parse_period
from salespulse.transforms.results import BaselineBasis
from tests.transforms.frames import deal, team
from tests.transforms.kpi_data import DATA, DEALS, REPS, SETTINGS, W47

EMPTY = parse_period("2025-W10")
ONLY_OPEN = team(reps=REPS, deals=[d for d in DEALS if d["stage"] not in ("won", "lost")])
NOT_CLOSED = team(reps=REPS, deals=[deal("w1", "won", 1000, "2026-11-01T10:00:00Z", None)])  # won, no closed_at
OPEN_AT_END = 5  # d5, d6, d7, d8, d9
CYCLE = (46 + 33.5416667) / 2

# kpi id → (value in W47, value in an empty period, value with only open deals)
HAND_COMPUTED = {
    "won_revenue": (4000.0, 0.0, 0.0),  # d1 + d2 (d2 closes 23:00 UTC on Sunday)
    "deals_won": (2.0, 0.0, 0.0),
    "win_rate": (2 / 3, None, None),  # won 2 ÷ closed 3
    "win_rate_value": (4000 / 9000, None, None),
    "average_deal_size": (2000.0, None, None),
    "sales_cycle_days": (CYCLE, None, None),
    "open_pipeline": (2400.0, 0.0, 2000.0),  # d5 + d7 (won later, open at the end); only-open lacks d7
    "open_pipeline_quarter": (3000.0, 0.0, 2600.0),  # + d8, expected before 31 Dec
    "weighted_pipeline": (0.5 * 2000 + 0.75 * 400 + 0.25 * 600, 0.0, 0.5 * 2000 + 0.25 * 600),
    "pipeline_coverage": (3000 / (3 * 13_000 - 4700), 0.0, 2600 / (3 * 13_000)),
    "quota_attainment": (4000 / (3 * 13_000 * 7 / 92), 0.0, 0.0),  # Σ won ÷ Σ pro-rated quota of 3 reps
    "revenue_per_rep": (4000 / 3, 0.0, 0.0),  # r1, r2 (left on the 18th) and r3 (joined on the 19th)
    "revenue_growth": ((4000 - 700) / 700, None, None),  # a zero base is n/a
    "revenue_growth_yoy": (None, None, None),  # nothing won in W47 of 2025
    "new_leads": (3.0, 0.0, 0.0),
    "lead_conversion": (1 / 3, None, None),
    "stage_conversion": (4 / 9, None, 0.0),  # 13 weeks to 22 Nov: d1–d9 created, d1, d2, d4, d7 won
    "lead_response_hours": (12.5, None, None),  # median of 1 h and 24 h; l3 is unanswered
    "lead_response_sla": (2 / 3, None, None),  # 24 h is within a 24 h SLA
    "activities_per_rep": (1.0, 0.0, 0.0),  # 3 completed ÷ 3 reps employed
    "task_completion": (3 / 5, None, None),
    "new_customers": (1.0, 0.0, 0.0),
    "customer_retention": (0.5, None, None),  # (E 2 − N 1) ÷ S 2
    "customer_churn": (0.5, None, None),
    "rep_retention": (0.5, 1.0, 0.5),  # (2 at the end − 1 hire) ÷ 2 at the start
    "sales_velocity": (OPEN_AT_END * 2000 * (2 / 3) / CYCLE, None, None),
}


def value(kpi_id, data=DATA, period=W47):
    return KPI_CATALOGUE[kpi_id].compute(data, period, SETTINGS)


@pytest.mark.parametrize("kpi_id", list(HAND_COMPUTED))
def test_kpi_matches_the_hand_computed_value(kpi_id):
    assert value(kpi_id) == pytest.approx(HAND_COMPUTED[kpi_id][0])


@pytest.mark.parametrize("kpi_id", list(HAND_COMPUTED))
def test_kpi_in_an_empty_period(kpi_id):
    assert value(kpi_id, period=EMPTY) == pytest.approx(HAND_COMPUTED[kpi_id][1])


@pytest.mark.parametrize("kpi_id", list(HAND_COMPUTED))
def test_kpi_with_only_open_deals(kpi_id):
    assert value(kpi_id, data=ONLY_OPEN) == pytest.approx(HAND_COMPUTED[kpi_id][2])


@pytest.mark.parametrize("kpi_id", ["won_revenue", "deals_won", "win_rate", "average_deal_size", "sales_cycle_days"])
def test_won_deal_without_closed_at_is_not_counted(kpi_id):
    assert value(kpi_id, data=NOT_CLOSED) in (0.0, None)


@pytest.mark.parametrize(("kpi_id", "expected"), [("won_revenue", 0.0), ("win_rate", None), ("deals_won", 0.0)])
def test_product_filter_that_matches_nothing(kpi_id, expected):
    assert value(kpi_id, data=DATA.only("product", "No Such Product")) == expected


def test_timezone_moves_a_sunday_night_deal_into_the_next_week():
    # 23:00 UTC Sunday is 18:00 in New York (still W47) but 00:00 Monday in Berlin (W48).
    assert value("won_revenue", team(timezone="America/New_York", deals=DEALS)) == 4000.0
    assert value("won_revenue", team(timezone="Europe/Berlin", deals=DEALS)) == 1000.0


def test_results_carry_previous_baseline_and_breakdowns():
    results = {r.kpi_id: r for r in kpi_results(DATA, W47, list(KPI_CATALOGUE), SETTINGS)}
    won = results["won_revenue"]
    assert (won.value, won.previous, won.change) == (4000.0, 700.0, pytest.approx(3300 / 700))
    assert {r.key: r.value for r in won.breakdowns["product"]} == {"GTX Basic": 3000.0, "GTX Pro": 1000.0}
    # by rep: only reps employed during the period; the rep who left in January is not listed
    assert {r.label: r.value for r in won.breakdowns["rep"]} == {"Ana Peña": 1000.0, "Bo Li": 3000.0, "Cy Oz": 0.0}
    quota = {r.key: r.value for r in results["quota_attainment"].breakdowns["rep"]}
    assert quota["r1"] == pytest.approx(1000 / (13_000 * 7 / 92))
    # W39–W46 reach before the first deal (created 1 Oct, in W40): W39 is no data, not a week of 0
    assert won.baseline is None and won.basis == BaselineBasis("too_short", 8, "weekly")
    assert won.trend[3] == ("2026-W39", None) and won.trend[4] == ("2026-W40", 0.0)
    # W41–W46: only d4 (700) was won
    six = kpi_results(DATA, W47, ["won_revenue"], KpiSettings(quarterly_quota=13_000, baseline_periods=6))[0]
    assert six.baseline == pytest.approx(700 / 6) and six.baseline_label == "average of the last 6 weeks"


def test_baseline_is_the_trailing_average_or_a_labelled_benchmark():
    short = KpiSettings(baseline_periods=2, benchmarks={"win_rate": 0.25})
    results = {r.kpi_id: r for r in kpi_results(DATA, W47, ["won_revenue", "win_rate"], short)}
    assert results["won_revenue"].baseline == pytest.approx((700 + 0) / 2)  # W46 and W45
    assert results["won_revenue"].baseline_label == "average of the last 2 weeks"
    # the first record is an order of 20 Nov 2025: 60 weeks reach further back than the data
    longer = KpiSettings(baseline_periods=60, benchmarks={"win_rate": 0.25})
    rate, won = kpi_results(DATA, W47, ["win_rate", "won_revenue"], longer)
    assert rate.baseline == 0.25 and rate.baseline_label == "industry benchmark (less than 60 weeks of own history)"
    assert won.baseline is None and won.baseline_label == "no baseline: less than 60 weeks of history"
    # as data, for reports/ to word in the reader's language
    assert rate.basis == BaselineBasis("benchmark", 60, "weekly")
    assert won.basis == BaselineBasis("too_short", 60, "weekly")


def test_baseline_basis_english_label():
    assert BaselineBasis("average", 3, "monthly").label == "average of the last 3 months"
    assert BaselineBasis("average", 1, "quarterly").label == "average of the last 1 quarter"
    assert BaselineBasis("no_values", 8, "weekly").label == "no baseline: n/a in each of the last 8 weeks"


def test_change_is_undefined_against_a_zero_base():
    result = kpi_results(team(deals=DEALS[:3]), W47, ["won_revenue"], SETTINGS)[0]
    assert result.previous == 0.0 and result.change is None


def test_inputs_are_not_mutated():
    before = {name: DATA.table(name).copy() for name in ("deals", "leads", "activities", "orders", "reps")}
    kpi_results(DATA, W47, list(KPI_CATALOGUE), SETTINGS)
    assert all(DATA.table(name).equals(frame) for name, frame in before.items())


def test_every_catalogue_entry_is_declared_completely_and_tested_here():
    assert set(HAND_COMPUTED) == set(KPI_CATALOGUE)
    for kpi in KPI_CATALOGUE.values():
        assert kpi.name and kpi.definition.endswith(".") and kpi.formula, kpi.id
        assert kpi.unit and kpi.direction in ("higher", "lower"), kpi.id
        assert kpi.period_date.split(".")[0] in kpi.tables, kpi.id
        assert set(kpi.breakdowns) <= {"rep", "product", "source", "type"}, kpi.id
        assert Path(__file__).read_text(encoding="utf-8").count(f'"{kpi.id}"') >= 1


def test_headline_sales_kpis_break_down_by_team_when_given_every_team():
    other = team(reps=[{"rep_id": "r1", "name": "Zed", "team": "t", "hired_on": "2024-01-01"}], deals=DEALS[:1])
    teams = [("t", "This team", DATA), ("u", "Other team", other)]
    results = {r.kpi_id: r for r in kpi_results(DATA, W47, ["won_revenue", "sales_velocity"], SETTINGS, teams)}
    assert [(r.label, r.value) for r in results["won_revenue"].breakdowns["team"]] == [
        ("This team", 4000.0),
        ("Other team", 1000.0),
    ]
    assert "team" not in results["sales_velocity"].breakdowns


def test_trend_holds_the_last_twelve_periods_oldest_first():
    (won,) = kpi_results(DATA, W47, ["won_revenue"], SETTINGS)
    assert [label for label, _ in won.trend] == [f"2026-W{week}" for week in range(36, 48)]
    assert won.trend[-1] == ("2026-W47", 4000.0) and won.trend[-2] == ("2026-W46", 700.0)


def test_in_window_takes_both_ends_and_leaves_out_missing_days():
    days = pd.Series(pd.to_datetime(["2026-11-15", "2026-11-16", "2026-11-22", "2026-11-23", None]), name="closed_day")
    inside = in_window(days, parse_period("2026-W47"))
    assert inside.tolist() == [False, True, True, False, False] and inside.name == "closed_day"
    assert in_window(pd.Series([None, None], dtype=object), parse_period("2026-W47")).tolist() == [False, False]
