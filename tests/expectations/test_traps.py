"""Normalisation traps, each counted and explained by the gate rather than dropped: names that differ only in
case or spacing, padded text, accounts that are referenced but missing, open deals with no date at all.
Tiny frames through the real GX runner."""

from datetime import date

import pytest

from expectations.runner import validate
from tests.expectations.test_runner import GOOD, ORDERS, RELAXED, REPS, W47
from tests.transforms.frames import deal, team
from transforms.partial import absent_tables
from transforms.quality import check_inputs

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
    return validate(inputs.frames, inputs.parameters, run_id="traps")


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


def failure(verdict, table, column):
    (found,) = [f for f in verdict.failures if (f.table, f.column) == (table, column)]
    return found


def test_product_names_that_differ_only_in_case_or_spacing_are_one_warning(traps):
    verdict, excluded = traps
    product = failure(verdict, "names", "product")
    assert (product.severity, product.failing) == ("warning", 3)  # "GTX Pro", "GTXPro" and "gtx pro"
    assert {s["written"] for s in product.samples} == {"GTX Pro", "GTXPro", "gtx pro"}
    assert {s["written"]: s["rows"] for s in product.samples}["GTX Pro"] == "12"  # 6 deals, 6 orders
    assert "same product written differently" in product.meaning and product.fix
    assert not excluded.get("names") and not {"t1", "t2"} & excluded["deals"]  # reported, never merged or dropped


def test_account_and_rep_names_written_two_ways_are_flagged_too(traps):
    verdict, _ = traps
    account, rep = failure(verdict, "names", "account"), failure(verdict, "names", "rep")
    assert {s["written"] for s in account.samples} == {"Acme Corp", "acme  corp"} and account.failing == 2
    assert {s["written"] for s in rep.samples} == {"R1", "r 1"} and rep.severity == "warning"


def test_padded_text_is_trimmed_and_counted_not_dropped(traps):
    verdict, excluded = traps
    padded = failure(verdict, "deals", "trimmed")
    assert (padded.severity, padded.failing) == ("info", 1)
    assert padded.samples == [{"deal_id": "t3", "trimmed": "product=' Widget '"}]
    assert "t3" not in excluded["deals"]
    names = [f for f in verdict.failures if f.table == "names" and "Widget" in str(f.samples)]
    assert names == []  # trimmed before names are compared: " Widget " is just "Widget"


def test_accounts_referenced_by_deals_and_orders_but_missing_are_counted_with_their_rows(traps):
    verdict, excluded = traps
    deals, orders = failure(verdict, "deals", "account_id"), failure(verdict, "orders", "account_id")
    assert (deals.severity, deals.failing, deals.samples) == ("info", 1, [{"deal_id": "t4", "account_id": "a404"}])
    assert (orders.failing, orders.samples) == (1, [{"order_id": "o9", "account_id": "a404"}])
    assert "t4" not in excluded["deals"]  # the deal still counts: only customer look-ups lose it


def test_nothing_else_is_flagged(traps):
    verdict, _ = traps
    assert verdict.passed
    flagged = {(f.table, f.column) for f in verdict.failures}
    expected = {("names", "product"), ("names", "account"), ("names", "rep"), ("deals", "trimmed")}
    assert flagged == expected | {("deals", "account_id"), ("orders", "account_id")}


def undated(deal_id, stage, **dates):
    return {**deal(deal_id, stage, 700, dates.get("created_at"), dates.get("closed_at")),
            "expected_close_on": dates.get("expected_close_on")}  # fmt: skip


def test_an_open_deal_with_no_date_at_all_is_a_warning_and_left_out():
    verdict, excluded = checks([*GOOD, undated("u1", "proposal")], accounts=ACCOUNTS[:1])
    assert verdict.passed, verdict.critical
    (found,) = verdict.warnings
    assert (found.table, found.column, found.failing, found.excluded) == ("deals", "created_at", 1, 1)
    assert "no date at all" in found.meaning and found.samples == [{"deal_id": "u1", "created_at": ""}]
    assert excluded["deals"] == {"u1"}


def test_a_deal_missing_only_one_required_date_is_still_critical():
    # checked in every period now that it has no date: before, a deal without created_at was never in scope
    verdict, _ = checks([*GOOD, undated("u2", "proposal", expected_close_on="2026-12-01")])
    assert [(f.column, f.failing) for f in verdict.critical] == [("created_at", 1)]
    verdict, _ = checks([*GOOD, undated("u3", "won")])  # a won deal with no date: critical, and no close date
    assert {f.column for f in verdict.critical} == {"created_at", "expected_close_on"}
