"""Header-only tables (a CRM export with no rows yet, a frame cut with `.iloc[0:0]`): typed columns keep their
types, and every KPI gives its empty answer (0 for a sum or count, None for a ratio or median), never a crash.

W47 = Mon 16 – Sun 22 Nov 2026, UTC.
"""

import io
from dataclasses import replace

import pandas as pd
import pytest

from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.normalise import normalise, normalise_table
from salespulse.transforms.periods import parse_period
from salespulse.transforms.schema import PARSE_ERRORS, TABLES, TRIMMED
from salespulse.transforms.team_data import TeamData
from tests.transforms.frames import raw, team

W47 = parse_period("2026-W47")
SETTINGS = KpiSettings(quarterly_quota=13_000)
SUMS_AND_COUNTS = {
    "won_revenue",
    "deals_won",
    "open_pipeline",
    "open_pipeline_quarter",
    "weighted_pipeline",
    "new_leads",
    "new_customers",
}
NOTHING = {kpi_id: 0.0 if kpi_id in SUMS_AND_COUNTS else None for kpi_id in KPI_CATALOGUE}


def header_only(table: str, kind: str) -> pd.DataFrame:
    """The table's header and no row, as each reader hands it over."""
    columns = list(TABLES[table].columns)
    if kind == "objects":  # the mapped sources' frames, and `frames.raw`
        return raw(table, [])
    if kind == "csv text":  # read_csv(dtype=str) of a header-only file
        return pd.read_csv(io.StringIO(",".join(columns) + "\n"), dtype=str, keep_default_na=False)
    row = {column: "" for column in columns}  # a frame with rows, cut to none
    return pd.DataFrame([row], columns=columns, dtype=object).iloc[0:0]


def empty_objects(table: str) -> pd.DataFrame:
    """A table as objects with no rows, local-date twins included: frames built with `.iloc[0:0]` of text."""
    spec = TABLES[table]
    columns = [*spec.columns, *(column.removesuffix("_at") + "_day" for column in spec.timestamps)]
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in columns})


def values(data: TeamData) -> dict[str, float | None]:
    return {kpi_id: kpi.compute(data, W47, SETTINGS) for kpi_id, kpi in KPI_CATALOGUE.items()}


@pytest.mark.parametrize("kind", ["objects", "csv text", "cut to no rows"])
@pytest.mark.parametrize("table", list(TABLES))
def test_a_header_only_table_normalises_to_typed_columns(table, kind):
    spec = TABLES[table]
    typed = normalise_table(header_only(table, kind), spec)
    assert len(typed) == 0
    assert list(typed.columns) == [*spec.columns, PARSE_ERRORS, TRIMMED]
    for column in spec.numbers:
        assert typed[column].dtype == "float64", column
    for column in spec.dates:
        assert typed[column].dtype.kind == "M" and not isinstance(typed[column].dtype, pd.DatetimeTZDtype), column
    for column in spec.timestamps:
        assert isinstance(typed[column].dtype, pd.DatetimeTZDtype) and str(typed[column].dt.tz) == "UTC", column
    for column in spec.text:
        assert typed[column].dtype == object, column


def test_every_normalised_table_header_only_at_once():
    typed = normalise({name: header_only(name, "csv text") for name in TABLES})
    assert typed["deals"]["amount"].dtype == "float64" and typed["orders"]["amount"].dtype == "float64"
    assert all(frame.empty for frame in typed.values())


def test_every_kpi_over_header_only_tables_is_zero_or_undefined():
    data = team(reps=[])  # every table, reps included, has its header and no row
    assert all(data.table(name).empty for name in TABLES)
    assert values(data) == NOTHING


def test_every_kpi_over_tables_of_objects_cut_to_no_rows():
    """Not normalised: date columns of plain objects, on which `.dt` raised AttributeError."""
    data = TeamData(**{name: empty_objects(name) for name in TABLES})
    assert values(data) == NOTHING


def test_every_kpi_with_reps_but_header_only_deals_leads_activities_and_orders():
    data = team()  # r1 and r2 of team t, hired 2024-01-01; everything else header-only
    expected = NOTHING | {
        "pipeline_coverage": 0.0,  # pipeline 0 ÷ (2 reps × 13 000 for Q4 − 0 won)
        "quota_attainment": 0.0,  # won 0 ÷ 2 × 13 000 × 7/92
        "revenue_per_rep": 0.0,  # won 0 ÷ 2 reps employed
        "activities_per_rep": 0.0,  # 0 completed ÷ 2 reps
        "rep_retention": 1.0,  # (2 at the end − 0 hires) ÷ 2 at the start
    }
    assert values(data) == expected


def test_leads_answered_by_no_activity_of_a_header_only_table():
    leads = [
        {"lead_id": "l1", "owner_rep_id": "r1", "source": "web", "status": "new", "created_at": "2026-11-17T09:00:00Z"},
        {"lead_id": "l2", "owner_rep_id": "r2", "source": "web", "status": "new", "created_at": "2026-11-18T09:00:00Z"},
    ]
    data = replace(team(leads=leads), activities=empty_objects("activities"))  # first touches: objects, none
    assert KPI_CATALOGUE["new_leads"].compute(data, W47, SETTINGS) == 2.0
    assert KPI_CATALOGUE["lead_response_hours"].compute(data, W47, SETTINGS) is None  # nobody answered
    assert KPI_CATALOGUE["lead_response_sla"].compute(data, W47, SETTINGS) == 0.0  # 0 within the SLA ÷ 2 leads


@pytest.mark.parametrize("dimension", ["rep", "product", "source", "type"])
def test_breakdowns_of_header_only_tables_are_empty(dimension):
    data = team(reps=[])
    assert data.values_of(dimension) == []
    assert data.parts(dimension, ["r1"])["r1"].deals.empty
