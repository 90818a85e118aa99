"""A team whose data lacks a table: its suites do not run, and volume, freshness and reconciliation do not
flag the gap (the report explains it as skipped KPIs instead). Real GX runs."""

from datetime import date

from salespulse.expectations.runner import validate
from salespulse.transforms.normalise import normalise
from salespulse.transforms.partial import absent_tables
from salespulse.transforms.quality import QualitySettings, check_inputs
from salespulse.transforms.schema import TABLES
from salespulse.transforms.team_data import unowned_data
from tests.expectations.suites_data import GOOD, ORDERS, RELAXED, REPS, W47
from tests.transforms import frames
from tests.transforms.frames import team


def checks_for(data, settings=RELAXED):
    inputs = check_inputs(data, W47, date(2026, 11, 23), {"r1", "r2"}, {"a1"}, settings, absent=absent_tables(data))
    return inputs, validate(inputs, settings.checks, run_id="test")


def test_without_orders_nothing_is_reconciled_and_no_deal_looks_uninvoiced():
    # Reconciliation would flag every won deal as not invoiced: with an invoicing lag of 0 they are all due.
    data = team(reps=REPS, deals=GOOD)
    inputs, verdict = checks_for(data, QualitySettings(freshness_days=30, invoice_lag_days=0))
    assert "orders" in absent_tables(data)
    assert "orders" not in inputs.frames and "reconciliation" not in inputs.frames
    assert verdict.failures == [] and verdict.status == "clean"


def test_without_leads_and_activities_their_suites_and_intake_rows_are_left_out():
    data = team(reps=REPS, deals=GOOD, orders=ORDERS)
    inputs, verdict = checks_for(data, QualitySettings(freshness_days=3, invoice_lag_days=30))
    assert {"leads", "activities"}.isdisjoint(inputs.frames)
    assert inputs.frames["intake"]["table"].tolist() == ["deals"]
    # The deals are stale for a 3-day freshness window: that is still said; the absent tables are not.
    assert [(f.check_id, f.samples[0]["table"]) for f in verdict.failures] == [("intake.freshness", "deals")]


def test_rows_no_team_owns_are_still_checked_in_a_table_the_team_lacks():
    data = team(reps=REPS, deals=GOOD, orders=ORDERS)
    ghost = {"lead_id": "l9", "created_at": "2026-11-17T09:00:00Z", "owner_rep_id": "ghost", "status": "new"}
    tables = normalise({name: frames.raw(name, {"reps": REPS, "leads": [ghost]}.get(name, [])) for name in TABLES})
    strays = unowned_data(tables, "UTC")
    inputs = check_inputs(data, W47, date(2026, 11, 23), {"r1"}, {"a1"}, RELAXED, strays, absent_tables(data))
    assert inputs.frames["leads"]["lead_id"].tolist() == ["l9"]
