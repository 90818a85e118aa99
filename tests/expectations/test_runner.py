"""Real GX validations of small frames, checked through the verdict the data owner will read."""

from dataclasses import replace
from datetime import date

import pytest

from salespulse.expectations.runner import load_suite, validate, validate_table
from salespulse.transforms.checks import CHECKS
from salespulse.transforms.normalise import normalise
from salespulse.transforms.quality import check_inputs
from salespulse.transforms.schema import TABLES
from salespulse.transforms.team_data import unowned_data
from tests.expectations.suites_data import GOOD, ORDERS, RELAXED, REPS, W47
from tests.transforms import frames
from tests.transforms.frames import deal, team


def run_checks(deals, orders=ORDERS, settings=RELAXED):
    data = team(reps=REPS, deals=deals, orders=orders)
    raw = {name: frames.raw(name, rows) for name, rows in (("reps", REPS), ("deals", deals))}
    tables = normalise({**{name: frames.raw(name, []) for name in TABLES}, **raw})
    strays = unowned_data(tables, "UTC")
    inputs = check_inputs(data, W47, date(2026, 11, 23), {"r1", "r2"}, {"a1"}, settings, strays)
    return validate(inputs, settings.checks, run_id="test")


def test_clean_data_passes_every_check():
    verdict = run_checks(GOOD)
    assert verdict.failures == [] and verdict.status == "clean"
    per_table = sum(2 + len([c for c in CHECKS.values() if c.table == t]) for t in TABLES)  # two column sets
    derived = sum(len(load_suite(t)["expectations"]) for t in ("intake", "reconciliation", "names"))
    assert verdict.checks_run == per_table + derived


def test_critical_faults_are_named_with_their_rows_meaning_fix_and_what_they_make_unknowable():
    bad = GOOD + [
        deal("d6", "won", -450, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        deal("d7", "Closed Won", 100, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        deal("d1", "won", 999, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        {**deal("d8", "won", 100, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"), "expected_close_on": "2026-09-31"},
    ]
    verdict = run_checks(bad)
    critical = {f.check_id: f for f in verdict.critical}
    assert set(critical) == {"deals.won_amount_unknown", "deals.closed_unknown_stage", "deals.conflicting_rows"}
    negative = critical["deals.won_amount_unknown"]
    assert (negative.failing, negative.total) == (1, 9)
    assert negative.samples == [
        {"deal_id": "d6", "amount": "-450", "parse_errors": "", "closed_at": "2026-11-16T10:00:00+00:00"}
    ]
    assert "won revenue cannot be known" in negative.meaning and negative.fix
    assert {"won_revenue", "average_deal_size", "win_rate_value"} <= set(negative.unknowable)
    assert "win_rate" not in negative.unknowable  # a count needs no amount
    assert critical["deals.closed_unknown_stage"].samples[0]["stage"] == "Closed Won"
    # both rows of d1 are shown, with the amounts that disagree side by side
    assert [s["amount"] for s in critical["deals.conflicting_rows"].samples] == ["100", "999"]
    # an unreadable expected close date on a won deal touches no number of its: a warning, not a withheld report
    (unreadable,) = [f for f in verdict.warnings if f.check_id == "deals.unreadable_expected_close_on"]
    assert unreadable.samples == [{"deal_id": "d8", "parse_errors": "expected_close_on=2026-09-31"}]
    assert verdict.status == "failed" and not verdict.passed


WARNING_CASES = [
    # (the faulty deal, the check that flags it, rows it leaves out of the KPIs reading the tainted column)
    (deal("x1", "won", 5_000_000, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"), "deals.implausible_amount", 0),
    ({**deal("x2", "won", 12, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z"), "currency": "EUR"},
     "deals.other_currency", 1),
    (deal("x3", "won", 13, "2026-11-18T10:00:00Z", "2026-11-16T10:00:00Z"), "deals.closed_before_created", 1),
    (deal("x4", "won", 14, "2026-11-16T10:00:00Z", None), "deals.closed_without_close_date", 1),
    (deal("x5", "proposal", 15, "2026-11-16T10:00:00Z", "2026-11-17T10:00:00Z"), "deals.open_with_close_date", 1),
    (deal("x6", "won", 16, "2026-11-16T10:00:00Z", "2026-11-30T10:00:00Z"), "deals.future_dated", 1),
    (deal("x7", "won", 100, "2026-11-02T10:00:00Z", "2026-11-16T10:00:00Z"), "deals.lookalike_deals", 0),
    (deal("x8", "won", 18, "2026-11-16T10:00:00Z", "2026-11-16T11:00:00Z", owner="ghost"), "deals.unknown_owner", 0),
]  # fmt: skip


@pytest.fixture(scope="module")
def mixed():
    """Every warning case in one data set: one GX run for all of them."""
    return run_checks(GOOD + [faulty for faulty, _, _ in WARNING_CASES], settings=replace(RELAXED, max_amount=1e6))


@pytest.mark.xdist_group("runner-mixed")  # shares the module fixture `mixed`
@pytest.mark.parametrize(("faulty", "check_id", "left_out"), WARNING_CASES)
def test_warnings_name_their_rows_and_what_they_leave_out(mixed, faulty, check_id, left_out):
    assert mixed.status == "warnings", mixed.critical
    (failure,) = [f for f in mixed.warnings if f.check_id == check_id]
    assert faulty["deal_id"] in {s["deal_id"] for s in failure.samples}
    assert failure.excluded == left_out


@pytest.mark.xdist_group("runner-mixed")  # shares the module fixture `mixed`
def test_each_warning_case_is_caught_once(mixed):
    assert sorted(f.check_id for f in mixed.warnings) == sorted(check_id for _, check_id, _ in WARNING_CASES)


@pytest.mark.xdist_group("runner-mixed")  # shares the module fixture `mixed`
def test_lookalike_deals_name_both_and_remove_neither(mixed):
    (failure,) = [f for f in mixed.warnings if f.check_id == "deals.lookalike_deals"]
    assert {s["deal_id"] for s in failure.samples} == {"d1", "x7"} and failure.excluded == 0


def test_reconciliation_names_the_deals_whose_orders_do_not_match():
    orders = [*ORDERS[:-1], {**ORDERS[-1], "amount": "450"}]  # d5: won 500, invoiced 450
    verdict = run_checks(GOOD, orders=orders, settings=replace(RELAXED, invoice_lag_days=7))
    (failure,) = verdict.warnings
    assert failure.table == "reconciliation" and failure.samples == [
        {"gap_share": "0.1", "deal_id": "d5", "won": "500", "invoiced": "450"}
    ]
    assert failure.excluded == 0  # it informs, drops nothing


def test_stale_export_is_a_warning_on_the_latest_dates():
    verdict = run_checks(GOOD, settings=replace(RELAXED, freshness_days=3))
    (failure,) = verdict.warnings
    assert (failure.table, failure.column) == ("intake", "latest")
    assert failure.samples == [{"table": "deals", "rows": "5", "usual": "", "latest": "2026-11-16", "explanation": ""}]


def test_a_missing_column_a_kpi_reads_is_critical_and_one_no_kpi_reads_is_a_note():
    data = team(reps=REPS, deals=GOOD)
    settings = RELAXED
    inputs = check_inputs(data, W47, date(2026, 11, 23), {"r1"}, {"a1"}, settings)
    deals = inputs.frames["deals"].drop(columns=["amount", "product"])
    _, failures = validate_table("deals", deals, inputs.flags["deals"], settings.checks)
    found = {(f.severity, f.check, f.column) for f in failures}
    assert found == {("critical", "required_columns", "amount"), ("info", "optional_columns", "product+amount")}


def test_samples_are_capped_at_ten_rows():
    rows = [deal(f"n{i}", "won", -1, "2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z") for i in range(25)]
    verdict = run_checks(rows, orders=[])
    negative = next(f for f in verdict.critical if f.check_id == "deals.won_amount_unknown")
    assert negative.failing == 25 and len(negative.samples) == 10


@pytest.mark.parametrize("table", ["intake", "reconciliation", "names"])
def test_every_derived_suite_explains_each_check(table):
    for expectation in load_suite(table)["expectations"]:
        assert expectation["severity"] in ("critical", "warning", "info")
        assert expectation["meta"]["meaning"] and expectation["meta"]["fix"] and expectation["meta"]["check"]
