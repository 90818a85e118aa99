"""Normalisation traps, each counted and explained by the gate rather than dropped: names that differ only in
case or spacing, padded text, accounts that are referenced but missing, open deals with no date at all.
Tiny frames through the real GX runner."""

from datetime import date

import pytest

from salespulse.expectations.runner import validate
from salespulse.transforms.partial import absent_tables
from salespulse.transforms.quality import check_inputs
from tests.expectations.suites_data import GOOD, ORDERS, RELAXED, REPS, W47
from tests.transforms.frames import deal, team

ACCOUNTS = [
    {"account_id": "a1", "name": "Acme Corp", "industry": "tools", "country": "US", "created_on": "2024-01-01"},
    {"account_id": "a2", "name": "acme  corp", "industry": "tools", "country": "US", "created_on": "2024-02-01"},
    {"account_id": "a3", "name": "Globex", "industry": "tools", "country": "US", "created_on": "2024-02-01"},
]
REPS_TWICE = [*REPS, {**REPS[0], "rep_id": "r9", "name": "r 1"}]  # "R1" and "r 1": one person, two ids
CLOSED = ("2026-11-01T10:00:00Z", "2026-11-16T10:00:00Z")


def checks(deals, orders=ORDERS, accounts=ACCOUNTS, reps=REPS):
    data = team(reps=reps, deals=deals, orders=orders, accounts=accounts)
    known = {a["account_id"] for a in accounts}
    inputs = check_inputs(data, W47, date(2026, 11, 23), {"r1", "r2", "r9"}, known, RELAXED, absent=absent_tables(data))
    return validate(inputs, RELAXED.checks, run_id="traps")


@pytest.fixture(scope="module")
def traps():
    """Every trap in one data set: one GX run for all the tests that read it."""
    deals = [
        *GOOD,
        {**deal("t1", "won", 601, *CLOSED), "product": "GTXPro"},  # GTX Pro without its space
        {**deal("t2", "won", 602, *CLOSED), "product": "gtx pro"},  # ... and in lower case
        {**deal("t3", "won", 603, *CLOSED), "product": " Widget "},  # padded: trimmed, counted, kept
        {**deal("t4", "won", 604, *CLOSED), "account_id": "a404"},  # an account accounts.csv lacks
    ]
    orders = [*ORDERS, {**ORDERS[0], "order_id": "o9", "deal_id": "t4", "account_id": "a404", "amount": "604"}]
    return checks(deals, orders, reps=REPS_TWICE)


def failure(verdict, check_id):
    (found,) = [f for f in verdict.failures if f.check_id == check_id]
    return found


def test_product_names_that_differ_only_in_case_or_spacing_are_one_warning(traps):
    verdict = traps
    product = failure(verdict, "names.product")
    assert (product.severity, product.failing) == ("warning", 3)  # "GTX Pro", "GTXPro" and "gtx pro"
    assert {s["written"] for s in product.samples} == {"GTX Pro", "GTXPro", "gtx pro"}
    assert {s["written"]: s["rows"] for s in product.samples}["GTX Pro"] == "12"  # 6 deals, 6 orders
    assert "same product written differently" in product.meaning and product.fix
    assert product.excluded == 0  # reported, never merged or dropped


def test_account_and_rep_names_written_two_ways_are_flagged_too(traps):
    verdict = traps
    account, rep = failure(verdict, "names.account"), failure(verdict, "names.rep")
    assert {s["written"] for s in account.samples} == {"Acme Corp", "acme  corp"} and account.failing == 2
    assert {s["written"] for s in rep.samples} == {"R1", "r 1"} and rep.severity == "warning"


def test_padded_text_is_trimmed_and_counted_not_dropped(traps):
    verdict = traps
    padded = failure(verdict, "deals.padded_text")
    assert (padded.severity, padded.failing, padded.excluded) == ("info", 1, 0)
    assert padded.samples == [{"deal_id": "t3", "trimmed": "product=' Widget '"}]
    names = [f for f in verdict.failures if f.table == "names" and "Widget" in str(f.samples)]
    assert names == []  # trimmed before names are compared: " Widget " is just "Widget"


def test_accounts_referenced_by_deals_and_orders_but_missing_are_counted_with_their_rows(traps):
    verdict = traps
    deals, orders = failure(verdict, "deals.unknown_account"), failure(verdict, "orders.unknown_account")
    assert (deals.severity, deals.failing, deals.samples) == ("info", 1, [{"deal_id": "t4", "account_id": "a404"}])
    assert (orders.failing, orders.samples) == (1, [{"order_id": "o9", "account_id": "a404"}])
    assert deals.excluded == orders.excluded == 0  # the deal and the order still count


def test_nothing_else_is_flagged(traps):
    verdict = traps
    assert verdict.passed
    flagged = {f.check_id for f in verdict.failures}
    expected = {"names.product", "names.account", "names.rep", "deals.padded_text"}
    assert flagged == expected | {"deals.unknown_account", "orders.unknown_account"}


def undated(deal_id, stage, **dates):
    return {**deal(deal_id, stage, 700, dates.get("created_at"), dates.get("closed_at")),
            "expected_close_on": dates.get("expected_close_on")}  # fmt: skip


def test_an_open_deal_with_no_date_at_all_is_a_warning_and_stays_in_the_data():
    verdict = checks([*GOOD, undated("u1", "proposal")], accounts=ACCOUNTS[:1])
    assert verdict.passed, verdict.critical
    (found,) = verdict.warnings
    assert (found.check_id, found.failing, found.excluded) == ("deals.undated_open_deals", 1, 0)
    assert "no period" in found.meaning and found.samples == [{"deal_id": "u1", "stage": "proposal", "amount": "700"}]


def test_an_open_deal_without_a_created_date_is_a_warning_and_a_closed_one_missing_its_dates_too():
    # an open deal with an expected close date but no created date is in no period's pipeline: said, not hidden
    verdict = checks([*GOOD, undated("u2", "proposal", expected_close_on="2026-12-01")], accounts=ACCOUNTS[:1])
    assert [(f.check_id, f.failing) for f in verdict.failures] == [("deals.undated_open_deals", 1)]
    # a won deal with no date: no period can count it, and no cycle time: warnings naming what it leaves
    verdict = checks([*GOOD, undated("u3", "won")], accounts=ACCOUNTS[:1])
    assert verdict.passed
    found = {f.check_id: f.excluded for f in verdict.warnings}
    assert found == {"deals.closed_without_close_date": 1}
    assert {f.check_id for f in verdict.infos} == {"deals.closed_without_created"}
