"""TeamData's one-pass split by dimension and its memo: the same rows and values as the plain way."""

from __future__ import annotations

import gc
import weakref
from dataclasses import fields, replace

import pandas as pd
import pytest

from salespulse.transforms import kpi_sales as sales
from salespulse.transforms.kpi_inputs import in_window
from salespulse.transforms.kpi_people import _first_touch, first_touch, share_first_touch
from salespulse.transforms.kpi_runner import evaluate, kpi_results, leaderboard, period_table
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.periods import parse_period
from salespulse.transforms.team_data import SPLIT_COLUMNS, before_data
from tests.transforms.kpi_data import DATA, SETTINGS, W47


def _same(a, b) -> None:
    for field in fields(a):
        if not field.compare:
            continue
        if isinstance(getattr(a, field.name), pd.DataFrame):
            pd.testing.assert_frame_equal(getattr(a, field.name), getattr(b, field.name))
        else:
            assert getattr(a, field.name) == getattr(b, field.name)


@pytest.mark.parametrize("dimension", ["rep", "product", "source", "type"])
def test_parts_hold_the_same_rows_as_only(dimension):
    keys = [key for key, _ in DATA.values_of(dimension)] + ["no-such-key"]
    parts = DATA.parts(dimension, keys)
    assert list(parts) == keys
    for key in keys:
        _same(parts[key], DATA.only(dimension, key))


def test_a_deal_id_under_two_reps_gives_its_orders_to_both_as_only_does():
    ordered = DATA.deals[DATA.deals["deal_id"].isin(DATA.orders["deal_id"])].iloc[[0]]  # a deal with an order
    other_rep = next(rep for rep in DATA.reps["rep_id"] if rep != ordered["owner_rep_id"].iloc[0])
    data = replace(DATA, deals=pd.concat([DATA.deals, ordered.assign(owner_rep_id=other_rep)]))
    keys = [key for key, _ in data.values_of("rep")]
    parts = data.parts("rep", keys)
    for key in keys:
        _same(parts[key], data.only("rep", key))
    deal_id = ordered["deal_id"].iloc[0]
    holders = {key for key in keys if (parts[key].orders["deal_id"] == deal_id).any()}
    assert holders == {ordered["owner_rep_id"].iloc[0], other_rep}


def test_parts_are_worked_out_once_per_data():
    keys = [key for key, _ in DATA.values_of("rep")]
    assert DATA.parts("rep", keys) is DATA.parts("rep", keys)


def test_a_replaced_team_data_starts_with_an_empty_memo():
    DATA.memo("probe", lambda: 1)
    fewer = replace(DATA, deals=DATA.deals.iloc[:2])
    assert fewer.memo("probe", lambda: 2) == 2
    assert DATA.memo("probe", lambda: 3) == 1


def test_latest_keeps_one_value_of_a_kind_and_lets_the_one_before_go():
    data = replace(DATA)
    first = data.latest("cut", 1, lambda: replace(DATA))
    assert data.latest("cut", 1, lambda: replace(DATA)) is first  # the same key: remembered
    gone = weakref.ref(first)
    del first
    second = data.latest("cut", 2, lambda: replace(DATA))
    gc.collect()
    assert gone() is None  # a backfill's older cut is not held for the rest of the run
    assert data.latest("cut", 2, lambda: replace(DATA)) is second
    assert data.latest("cut", 1, lambda: "again") == "again"  # asked for again: worked out anew


def test_the_memo_is_not_a_field_so_replace_and_field_walks_leave_it_alone():
    assert "_memo" not in {field.name for field in fields(DATA)}
    DATA.memo("walked?", lambda: 1)
    assert replace(DATA).memo("walked?", lambda: 2) == 2


@pytest.mark.parametrize("kpi_id", sorted(KPI_CATALOGUE))
def test_a_remembered_kpi_equals_a_fresh_computation(kpi_id):
    kpi = KPI_CATALOGUE[kpi_id]
    for window in (W47, W47.previous(), W47.year_before()):
        first = evaluate(kpi, DATA, window, SETTINGS)
        assert evaluate(kpi, DATA, window, SETTINGS) == first
        fresh = replace(DATA)  # a new memo: computed from scratch
        assert evaluate(kpi, fresh, window, SETTINGS) == first
        # before the KPI's table begins (W47 of 2025 for deals, W46 for activities): no data, not a value
        no_data = before_data(DATA, period_table(kpi), window)
        assert first == (None if no_data else kpi.compute(fresh, window, SETTINGS))


@pytest.mark.parametrize("dimension", ["rep", "product", "source", "type"])
def test_shared_first_touches_equal_each_parts_own(dimension):
    keys = [key for key, _ in DATA.values_of(dimension)] + ["no-such-key"]
    whole = replace(DATA)
    parts = whole.parts(dimension, keys)
    share_first_touch(whole, whole, parts, SPLIT_COLUMNS[dimension].get("activities"))
    for part in parts.values():
        own = _first_touch(part.activities)
        pd.testing.assert_series_equal(first_touch(part), own, check_index_type=len(own) > 0)


def test_shared_first_touches_of_some_leads_are_those_leads_own():
    whole = replace(DATA)
    some = replace(DATA, leads=DATA.leads.iloc[::2])  # e.g. the leads of one period
    keys = [key for key, _ in DATA.values_of("rep")]
    parts = whole.parts("rep", keys)
    share_first_touch(whole, some, parts, "rep_id")
    asked = set(some.leads["lead_id"])
    for part in parts.values():
        own = _first_touch(part.activities)
        own = own[own.index.isin(asked)]
        assert first_touch(part).to_dict() == own.to_dict()  # every asked lead, and only those
    assert any(len(first_touch(part)) for part in parts.values())


WINDOWS = [W47, W47.previous(), W47.year_before(), parse_period("2026-11"), parse_period("2026-Q4")]


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_breakdowns_from_the_period_rows_equal_each_value_over_all_the_data(window):
    kpi_ids = [kpi_id for kpi_id, kpi in KPI_CATALOGUE.items() if kpi.breakdowns]
    for result in kpi_results(replace(DATA), window, kpi_ids, SETTINGS):
        kpi = KPI_CATALOGUE[result.kpi_id]
        assert set(result.breakdowns) == set(kpi.breakdowns)
        for dimension, rows in result.breakdowns.items():
            if before_data(DATA, period_table(kpi), window):  # no data then: for each part too, never 0
                expected = [(r.key, None) for r in rows]
            else:
                expected = [(r.key, kpi.compute(replace(DATA).only(dimension, r.key), window, SETTINGS)) for r in rows]
            assert [(row.key, row.value) for row in rows] == expected


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_the_leaderboard_equals_each_reps_own_values(window):
    rows = leaderboard(replace(DATA), window, SETTINGS)
    if before_data(DATA, "deals", window):  # W47 of 2025: before the first deal, nothing to rank
        assert rows == []
        return
    assert rows
    for row in rows:
        rep = replace(DATA).only("rep", row.rep_id)
        assert row.won_revenue == sales.won_revenue(rep, window, SETTINGS)
        assert row.deals_won == int(sales.deals_won(rep, window, SETTINGS))
        assert row.win_rate == sales.win_rate(rep, window, SETTINGS)
        assert row.quota_attainment == sales.quota_attainment(rep, window, SETTINGS)
        assert row.activities == int(in_window(rep.activities["completed_day"], window).sum())
