"""Each KPI over tiny frames whose answers were worked out by hand."""

import pytest

from tests.transforms.frames import deal, team
from transforms.kpis import KPI_CATALOGUE, kpi_results
from transforms.periods import parse_period

W47 = parse_period("2026-W47")  # Mon 16 Nov – Sun 22 Nov 2026

DEALS = [
    deal("d1", "won", 1000, "2026-10-01T10:00:00Z", "2026-11-16T10:00:00Z"),
    deal("d2", "won", 3000, "2026-10-20T10:00:00Z", "2026-11-22T23:00:00Z"),
    deal("d3", "lost", 5000, "2026-10-05T10:00:00Z", "2026-11-18T10:00:00Z"),
    deal("d4", "won", 700, "2026-10-05T10:00:00Z", "2026-11-10T10:00:00Z"),  # previous week
    deal("d5", "proposal", 2000, "2026-11-01T10:00:00Z", expected="2026-11-25"),  # open, closes next week
    deal("d6", "negotiation", 900, "2026-11-01T10:00:00Z", expected="2027-01-15"),  # open, later
    deal("d7", "won", 400, "2026-11-01T10:00:00Z", "2026-11-24T10:00:00Z", expected="2026-11-24"),  # open at W47 end
    deal("x1", "won", 99999, "2026-10-01T10:00:00Z", "2026-11-17T10:00:00Z", owner="x9"),  # other team
]


def value(kpi_id, data, period=W47):
    return KPI_CATALOGUE[kpi_id].compute(data, period)


@pytest.mark.parametrize(
    ("kpi_id", "expected"),
    [
        ("won_revenue", 4000.0),  # d1 + d2 (d2 closes 23:00 UTC Sunday: still W47 in UTC)
        ("deals_won", 2.0),
        ("win_rate", 2 / 3),  # won 2 ÷ closed 3
        ("average_deal_size", 2000.0),
        ("open_pipeline", 2400.0),  # d5 2000 + d7 400 (won later, but open at the end of W47)
    ],
)
def test_deal_kpis(kpi_id, expected):
    assert value(kpi_id, team(deals=DEALS)) == pytest.approx(expected)


def test_timezone_moves_a_sunday_night_deal_into_the_next_week():
    # 23:00 UTC Sunday is 18:00 in New York (still W47) but 00:00 Monday in Berlin (W48).
    assert value("won_revenue", team(timezone="America/New_York", deals=DEALS)) == 4000.0
    assert value("won_revenue", team(timezone="Europe/Berlin", deals=DEALS)) == 1000.0


@pytest.mark.parametrize("kpi_id", ["win_rate", "average_deal_size"])
def test_ratio_kpis_are_undefined_not_zero_without_closed_deals(kpi_id):
    only_open = [deal("d5", "proposal", 2000, "2026-11-01T10:00:00Z")]
    assert value(kpi_id, team(deals=only_open)) is None
    assert value(kpi_id, team()) is None


def test_empty_period_gives_zero_sums_and_undefined_ratios():
    data = team(deals=DEALS)
    empty = parse_period("2025-W10")
    assert value("won_revenue", data, empty) == 0.0
    assert value("deals_won", data, empty) == 0.0
    assert value("win_rate", data, empty) is None


def test_won_deal_without_closed_at_is_not_counted():
    data = team(deals=[deal("d1", "won", 1000, "2026-11-16T10:00:00Z", None)])
    assert value("won_revenue", data) == 0.0


LEADS = [
    {
        "lead_id": "l1",
        "created_at": "2026-11-16T09:00:00Z",
        "owner_rep_id": "r1",
        "status": "converted",
        "converted_at": "2026-11-20T09:00:00Z",
        "source": "web",
    },
    {
        "lead_id": "l2",
        "created_at": "2026-11-17T09:00:00Z",
        "owner_rep_id": "r2",
        "status": "converted",
        "converted_at": "2026-11-30T09:00:00Z",
        "source": "web",
    },  # converts after the period: not yet
    {
        "lead_id": "l3",
        "created_at": "2026-11-18T09:00:00Z",
        "owner_rep_id": "r2",
        "status": "working",
        "source": "event",
    },
    {
        "lead_id": "l4",
        "created_at": "2026-11-10T09:00:00Z",
        "owner_rep_id": "r1",
        "status": "converted",
        "converted_at": "2026-11-17T09:00:00Z",
        "source": "event",
    },  # previous cohort
]


def test_lead_kpis_by_created_cohort():
    data = team(leads=LEADS)
    assert value("new_leads", data) == 3.0
    assert value("lead_conversion", data) == pytest.approx(1 / 3)
    assert value("lead_conversion", team()) is None


def activity(activity_id, rep, completed):
    return {
        "activity_id": activity_id,
        "rep_id": rep,
        "type": "call",
        "due_at": "2026-11-16T09:00:00Z",
        "completed_at": completed,
    }


def test_activities_per_rep_counts_completed_and_reps_employed_in_the_period():
    reps = [
        {"rep_id": "r1", "team": "t", "hired_on": "2024-01-01"},
        {"rep_id": "r2", "team": "t", "hired_on": "2024-01-01", "left_on": "2026-11-18"},  # left mid-period
        {"rep_id": "r3", "team": "t", "hired_on": "2024-01-01", "left_on": "2026-11-01"},  # gone before
        {"rep_id": "r4", "team": "t", "hired_on": "2026-12-01"},  # not yet hired
    ]
    acts = [
        activity("a1", "r1", "2026-11-16T10:00:00Z"),
        activity("a2", "r1", "2026-11-17T10:00:00Z"),
        activity("a3", "r2", "2026-11-17T10:00:00Z"),
        activity("a4", "r2", None),
        activity("a5", "r1", "2026-11-24T10:00:00Z"),
    ]
    assert value("activities_per_rep", team(reps=reps, activities=acts)) == pytest.approx(3 / 2)
    assert value("activities_per_rep", team(reps=[], activities=acts)) is None


def test_kpi_results_compare_with_the_previous_period():
    results = {r.kpi_id: r for r in kpi_results(team(deals=DEALS), W47, ["won_revenue", "win_rate"])}
    assert results["won_revenue"].value == 4000.0
    assert results["won_revenue"].previous == 700.0
    assert results["won_revenue"].change == pytest.approx((4000 - 700) / 700)
    assert results["won_revenue"].improved is True
    assert results["win_rate"].previous == 1.0


def test_change_is_undefined_against_a_zero_base():
    results = kpi_results(team(deals=DEALS[:3]), W47, ["won_revenue"])
    assert results[0].previous == 0.0
    assert results[0].change is None


def test_inputs_are_not_mutated():
    data = team(deals=DEALS)
    before = data.deals.copy()
    kpi_results(data, W47, list(KPI_CATALOGUE))
    assert data.deals.equals(before)


def test_every_catalogue_entry_is_complete():
    for kpi in KPI_CATALOGUE.values():
        assert kpi.name and kpi.definition.endswith(".") and kpi.unit and kpi.direction in ("higher", "lower")
        assert kpi.period_date.split(".")[0] in kpi.tables
        assert callable(kpi.compute)


def test_every_kpi_has_a_hand_computed_test_here():
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    untested = [kpi_id for kpi_id in KPI_CATALOGUE if f'"{kpi_id}"' not in source.split("def test_every_catalogue")[0]]
    assert untested == []
