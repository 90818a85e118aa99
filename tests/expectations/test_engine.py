"""The data source the suites run on gives GX's own answers, filtering each row condition once a batch."""

import gc
import weakref

import great_expectations as gx
import pandas as pd
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine

from expectations import runner
from tests.expectations.test_reuse import _inputs
from tests.expectations.test_runner import GOOD

PARSED = {"column": {"name": "parse_errors"}, "is_null": True, "type": "nullity"}
CHECKS = [
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": column, "row_condition": PARSED}}
    for column in ("account_id", "amount")
] + [
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "stage", "value_set": ["won", "lost"],
     "row_condition": {"type": "comparison", "column": {"name": "stage"}, "operator": "NOT_IN",
                       "parameter": ["open"]}}},
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
]  # fmt: skip


def _deals(bad_rows: int) -> pd.DataFrame:
    """Four clean deals, then `bad_rows` parsed rows with no account, one unparsed row, one open deal."""
    rows = [("a1", 10.0, "won", None)] * 4 + [(None, 5.0, "lost", None)] * bad_rows
    rows += [(None, None, "won", "amount: 'ten'"), ("a1", 1.0, "open", None)]
    return pd.DataFrame(rows, columns=["account_id", "amount", "stage", "parse_errors"])


def _validated(context, source: str, frame: pd.DataFrame):
    batch = context.data_sources.get(source).get_asset("deals").get_batch_definition("all")
    suite = gx.ExpectationSuite(name=f"engine-{source}-{len(frame)}", expectations=CHECKS)
    validator = gx.validator.v1_validator.Validator(batch, "SUMMARY", batch_parameters={"dataframe": frame})
    return validator.validate_expectation_suite(suite)


def _failing(context, source: str, frame: pd.DataFrame) -> dict[str, int]:
    results = _validated(context, source, frame).results
    return {r.expectation_config.kwargs.get("column", "rows"): r.result.get("unexpected_count", 0) for r in results}


def _context_with_both_sources():
    runner._context()  # registers salespulse_frames with GX
    context = gx.get_context(mode="ephemeral")
    for source in (context.data_sources.add_pandas("stock"), context.data_sources.add_salespulse_frames("ours")):
        source.add_dataframe_asset("deals").add_batch_definition_whole_dataframe("all")
    return context


def test_every_count_is_gx_stock_pandas_one_and_a_new_batch_never_reads_the_last_ones_rows():
    context = _context_with_both_sources()
    for bad_rows in (3, 0, 7):  # same conditions, new frames: a remembered filter must not leak across
        frame = _deals(bad_rows)
        assert _failing(context, "ours", frame) == _failing(context, "stock", frame)
        assert _failing(context, "ours", frame)["account_id"] == bad_rows  # the unparsed row is not counted


def test_each_condition_filters_a_batch_once(monkeypatch):
    filtered = []
    real = PandasExecutionEngine._apply_row_condition_filter

    def counting(self, data, row_condition, domain_kwargs):
        filtered.append(str(row_condition))
        return real(self, data, row_condition, domain_kwargs)

    monkeypatch.setattr(PandasExecutionEngine, "_apply_row_condition_filter", counting)
    context = _context_with_both_sources()
    _failing(context, "ours", _deals(2))
    assert len(filtered) == 2  # parsed rows, deals not open
    filtered.clear()
    _failing(context, "stock", _deals(2))
    assert len(filtered) > 2  # GX's own engine filters again for every metric


def test_frames_are_not_fingerprinted():
    markers = _validated(_context_with_both_sources(), "ours", _deals(1)).meta["batch_markers"]
    assert "ge_load_time" in markers and "pandas_data_fingerprint" not in markers


def test_the_rows_of_a_condition_are_not_kept_once_a_table_is_validated():
    inputs = _inputs(GOOD)  # the deals suite: 11 checks with a row condition
    runner._RECENT.clear()
    runner.validate_table("deals", inputs.frames["deals"], inputs.parameters["deals"])
    assert runner._context().data_sources.get("frames").get_execution_engine()._filtered == {}


def test_nothing_holds_a_validated_frame_once_its_run_lets_go_of_it():
    """A long-lived `salespulse serve` keeps no table from one run to the next: not the rows of a condition,
    not GX's batch of it, not the runner's last result (which is reused only for the very same frame)."""
    inputs = _inputs(GOOD)
    frame, parameters = inputs.frames["deals"], inputs.parameters["deals"]
    gone = weakref.ref(frame)
    first = runner.validate_table("deals", frame, parameters)
    assert first.checks and runner.validate_table("deals", frame, parameters) is first  # reused meanwhile
    del inputs, frame
    gc.collect()
    assert gone() is None
