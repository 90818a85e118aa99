"""Run the suites in `suites/` against in-memory frames and boil GX's results down to a DqVerdict.

The suite files are the source of truth and are only ever read: they are loaded into an ephemeral
context on each run, so GX never rewrites ids in git (add_or_update_* on a file context does).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from transforms.results import CheckFailure, DqVerdict

SAMPLE_ROWS = 10


def load_suite(table: str) -> dict[str, Any]:
    return json.loads(resources.files("expectations").joinpath("suites", f"{table}.json").read_text("utf-8"))


@cache
def _validation(table: str) -> Any:
    """One validation definition per table, built once per process (GX set-up costs ~0.1 s each)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = _context()
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(gx.ExpectationSuite(**load_suite(table)))
    asset = context.data_sources.get("frames").add_dataframe_asset(table)
    batch = asset.add_batch_definition_whole_dataframe(table)
    return context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))


@cache
def _context() -> Any:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.data_sources.add_pandas("frames")
    return context


def validate_table(table: str, frame: pd.DataFrame) -> tuple[int, list[CheckFailure]]:
    key = load_suite(table)["meta"]["key"]
    ids = [key] if key in frame.columns else []
    result = _validation(table).run(
        batch_parameters={"dataframe": frame},
        result_format={
            "result_format": "SUMMARY",
            "unexpected_index_column_names": ids,
            "partial_unexpected_count": SAMPLE_ROWS,
        },
    )
    missing = {
        r.expectation_config.kwargs["column"]
        for r in result.results
        if r.expectation_config.type == "expect_column_to_exist" and not r.success
    }
    failures = [
        _failure(table, r, len(frame))
        for r in result.results
        if not r.success
        # a missing column also fails every other check on it: report the cause once
        and (
            r.expectation_config.type == "expect_column_to_exist"
            or r.expectation_config.kwargs.get("column") not in missing
        )
    ]
    return len(result.results), failures


def validate(frames: dict[str, pd.DataFrame], run_id: str = "") -> DqVerdict:
    checks, failures = 0, []
    for table, frame in frames.items():
        ran, failed = validate_table(table, frame)
        checks += ran
        failures += failed
    return DqVerdict(checks_run=checks, failures=failures, run_id=run_id)


def _failure(table: str, result: Any, rows: int) -> CheckFailure:
    config = result.expectation_config
    details = result.result or {}
    column = config.kwargs.get("column")
    failing = int(details.get("unexpected_count", 0 if config.type != "expect_column_to_exist" else rows))
    return CheckFailure(
        table=table,
        column=column,
        check=config.type.removeprefix("expect_"),
        severity=str(getattr(config.severity, "value", config.severity)).lower(),
        failing=failing,
        total=int(details.get("element_count", rows)),
        meaning=config.meta.get("meaning", ""),
        fix=config.meta.get("fix", ""),
        samples=[{k: _text(v) for k, v in row.items()} for row in details.get("partial_unexpected_index_list", [])][
            :SAMPLE_ROWS
        ],
    )


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)
