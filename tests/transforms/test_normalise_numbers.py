"""A number that is not finite (inf, -inf, Infinity, nan, NaN, or too large for a float) is unreadable: missing
in the typed column, its raw text in `parse_errors`, like "12,00" or "ten"."""

import math

import pandas as pd
import pytest

from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.periods import parse_period
from salespulse.transforms.schema import PARSE_ERRORS, TABLES
from tests.transforms.frames import deal, raw, team

NOT_FINITE = ["inf", "-inf", "Infinity", "-Infinity", "+inf", "INF", "nan", "NaN", "1e400"]


def order(order_id: str, amount: str | None) -> dict[str, str | None]:
    return {"order_id": order_id, "deal_id": "d1", "amount": amount, "ordered_at": "2026-11-17T12:00:00Z"}


@pytest.mark.parametrize("text", NOT_FINITE)
def test_a_number_that_is_not_finite_is_a_parse_error(text):
    typed = normalise_table(raw("orders", [order("o1", text), order("o2", "12.5")]), TABLES["orders"])
    assert typed["amount"].dtype == "float64"
    assert math.isnan(typed["amount"][0]) and typed["amount"][1] == 12.5
    assert typed[PARSE_ERRORS][0] == f"amount={text}"
    assert typed[PARSE_ERRORS][1] is None


def test_padded_infinity_is_recorded_trimmed_beside_the_other_errors_of_its_row():
    row = {"deal_id": "d1", "amount": " inf ", "created_at": "16/11/2026", "expected_close_on": "2026-12-01"}
    typed = normalise_table(raw("deals", [row]), TABLES["deals"])
    assert pd.isna(typed["amount"][0]) and pd.isna(typed["created_at"][0])
    assert typed[PARSE_ERRORS][0] == "amount=inf; created_at=16/11/2026"


def test_finite_numbers_are_untouched():
    rows = [order("o1", "-450"), order("o2", "1e3"), order("o3", "0.25"), order("o4", "")]
    typed = normalise_table(raw("orders", rows), TABLES["orders"])
    assert typed["amount"].tolist()[:3] == [-450.0, 1000.0, 0.25] and pd.isna(typed["amount"][3])
    assert typed[PARSE_ERRORS].isna().all()  # a blank amount is missing, not an error


def test_an_infinite_amount_adds_nothing_to_won_revenue():
    deals = [
        deal("d1", "won", "inf", "2026-10-01T10:00:00Z", "2026-11-16T10:00:00Z"),
        deal("d2", "won", 1000, "2026-10-01T10:00:00Z", "2026-11-17T10:00:00Z"),
    ]
    data = team(deals=deals)
    won = KPI_CATALOGUE["won_revenue"].compute(data, parse_period("2026-W47"), KpiSettings())
    assert won == 1000.0  # not inf: d1's amount is missing, and the gate names it as a parse error
    assert data.deals.set_index("deal_id").loc["d1", PARSE_ERRORS] == "amount=inf"
