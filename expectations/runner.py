"""Run the suites in `suites/` against in-memory frames and boil GX's results down to a DqVerdict.

The suite files are the source of truth and are only ever read: each process builds its suites from them in
memory and hands them to GX's validator, so GX never rewrites ids in git (add_or_update_* on a file context does).
"""

from __future__ import annotations

import copy
import json
import weakref
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from transforms.results import CheckFailure, DqVerdict
from transforms.schema import TABLES

SAMPLE_ROWS = 10


def load_suite(table: str) -> dict[str, Any]:
    return json.loads(resources.files("expectations").joinpath("suites", f"{table}.json").read_text("utf-8"))


@cache
def _suite(table: str) -> Any:
    """A table's suite, built once per process. Never added to the context: the runner hands suites to GX's
    validator itself, and adding one (ids, a store) cost more than building it."""
    import great_expectations as gx

    return gx.ExpectationSuite(**load_suite(table))


@cache
def _whole_frame() -> Any:
    """The one batch definition every table's frame is validated through: the frame comes in as the batch's
    parameter, so the tables need no asset each (GX set-up cost ~0.04 s per table and asset)."""
    asset = _context().data_sources.get("frames").add_dataframe_asset("frames")
    return asset.add_batch_definition_whole_dataframe("frames")


def prepare() -> None:
    """Import Great Expectations and build its context now, at a run's start-up, not in its first check."""
    _context()


@cache
def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    import expectations.engine  # noqa: F401  (defining its data source registers it with GX)
    from expectations import gx_patches

    gx_patches.apply()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_salespulse_frames("frames")  # registered by defining FramesDatasource
    return context


@dataclass(frozen=True)
class TableResult:
    checks: int
    failures: list[CheckFailure]
    excluded: set[str] = field(default_factory=set)  # keys of rows a failed warning check leaves out


# The last results per table, with the frame object and the parameter values they came from: a backfill
# checks the same reps and accounts frames (the very same objects) for every period. The frame is held
# weakly: once a run lets go of its data, a long-lived `serve` does not keep it until its next run.
_RECENT: dict[str, tuple[weakref.ref[pd.DataFrame], list[tuple[str, object]], TableResult]] = {}


def validate_table(table: str, frame: pd.DataFrame, parameters: dict[str, object] | None = None) -> TableResult:
    meta, names = _suite_facts(table)
    used = [(name, (parameters or {}).get(name)) for name in names]
    recent = _RECENT.get(table)
    if recent is not None and recent[0]() is frame and recent[1] == used:
        return recent[2]
    outcome = _validate_table(table, frame, meta, parameters)
    _RECENT[table] = (weakref.ref(frame), used, outcome)
    return outcome


@cache
def _suite_facts(table: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A suite's meta and the `$PARAMETER`s it uses: read once per process, not once per table and period."""
    suite = load_suite(table)
    return suite["meta"], tuple(sorted(_parameter_names(suite)))


def _parameter_names(node: object) -> set[str]:
    """Every `$PARAMETER` a suite refers to."""
    if isinstance(node, dict):
        names = {node["$PARAMETER"]} if isinstance(node.get("$PARAMETER"), str) else set()
        return names.union(*(_parameter_names(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_parameter_names(value) for value in node))
    return set()


def _validate_table(
    table: str, frame: pd.DataFrame, meta: dict[str, Any], parameters: dict[str, object] | None
) -> TableResult:
    key = meta["key"]
    ids = meta.get("sample_columns", [key])
    # A pass/fail run first: it skips the counts and sample rows GX builds for every check in SUMMARY, so a
    # clean table (most tables, most periods) costs about a third less. Only the checks that failed run
    # again, in SUMMARY, and their results are the verdict: at 100x the deals table's four failed checks
    # take 0.95 s in SUMMARY where the whole suite took 4.6 s.
    passfail = _run(table, frame, ids, parameters, "BOOLEAN_ONLY")
    if passfail.success:
        return TableResult(len(passfail.results), [])
    result = _run(table, frame, ids, parameters, "SUMMARY", only=[r for r in passfail.results if not r.success])
    missing = {
        r.expectation_config.kwargs["column"]
        for r in result.results
        if r.expectation_config.type == "expect_column_to_exist" and not r.success
    }
    failed = [
        r
        for r in result.results
        if not r.success
        # a missing column also fails every other check on it: report the cause once
        and (r.expectation_config.type == "expect_column_to_exist" or not (_columns(r) & missing))
    ]
    # Only rows of a canonical table can be left out of the KPIs; a failed reconciliation only informs.
    excluded = _excluded(table, frame, key, parameters, failed) if table in TABLES and not missing else {}
    failures = [_failure(table, r, len(frame), len(excluded.get(_id(r), ()))) for r in failed]
    return TableResult(len(passfail.results), failures, set().union(*excluded.values()) if excluded else set())


def _run(
    table: str,
    frame: pd.DataFrame,
    ids: list[str],
    parameters: dict[str, object] | None,
    detail: str,
    only: list[Any] | None = None,
) -> Any:
    """The table's suite, or `only` the checks of these earlier results, run with `detail`."""
    # GX's own validator rather than ValidationDefinition.run: the same validation, without storing every
    # result in the context's in-memory store (which grew with each period of a backfill) nor its freshness
    # checks, about 10% less per report; and rather than batch.validate, which loads the batch twice.
    from great_expectations.validator.v1_validator import Validator

    suite = _suite(table) if only is None else _suite_of(table, only)
    result_format = {
        "result_format": detail,
        "unexpected_index_column_names": [column for column in ids if column in frame.columns],
        "partial_unexpected_count": SAMPLE_ROWS,
    }
    validator = Validator(_whole_frame(), result_format=result_format, batch_parameters={"dataframe": frame})
    try:
        return validator.validate_expectation_suite(suite, expectation_parameters=parameters or {})
    finally:
        _context().data_sources.get("frames").get_execution_engine().forget_frames()


def _suite_of(table: str, results: list[Any]) -> Any:
    """A suite of the checks behind `results`, for this run only: never added to the context."""
    import great_expectations as gx

    checks = [copy.copy(r.expectation_config.to_domain_obj()) for r in results]  # a copy: no suite's id
    return gx.ExpectationSuite(name=f"{table}-again", expectations=checks)


def _excluded(
    table: str, frame: pd.DataFrame, key: str, parameters: dict[str, object] | None, failed: list[Any]
) -> dict[str, set[str]]:
    """Every row a failed warning check flags, by check. SUMMARY lists only samples, so these checks run
    once more with COMPLETE, only when one failed: the common clean run pays nothing for it."""
    wanted = {_id(r) for r in failed if _severity(r) == "warning" and r.result.get("unexpected_count")}
    if not wanted:
        return {}
    complete = _run(table, frame, [key], parameters, "COMPLETE", only=[r for r in failed if _id(r) in wanted])
    excluded = {}
    for r in complete.results:
        if _id(r) in wanted:
            rows = r.result.get("unexpected_index_list") or []
            if r.expectation_config.type == "expect_compound_columns_to_be_unique":
                rows = _all_but_first(rows, r.expectation_config.kwargs["column_list"])
            excluded[_id(r)] = {str(row[key]) for row in rows}
    return excluded


def _all_but_first(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    """Of each group of duplicates, the first (by position) stays in the KPIs; the repeats are left out."""
    seen, repeats = set(), []
    for row in rows:
        group = tuple(str(row.get(c)) for c in columns)
        if group in seen:
            repeats.append(row)
        seen.add(group)
    return repeats


def _id(result: Any) -> str:
    config = result.expectation_config
    return json.dumps([config.type, config.kwargs], sort_keys=True, default=str)


def _columns(result: Any) -> set[str]:
    kwargs = result.expectation_config.kwargs
    names = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
    return {name for name in names if name}


def _severity(result: Any) -> str:
    severity = result.expectation_config.severity
    return str(getattr(severity, "value", severity)).lower()


def validate(
    frames: dict[str, pd.DataFrame], parameters: dict[str, dict[str, object]] | None = None, run_id: str = ""
) -> tuple[DqVerdict, dict[str, set[str]]]:
    """The verdict over every table, and the keys of the rows its warnings leave out, per table."""
    checks, failures, excluded = 0, [], {}
    for table, frame in frames.items():
        outcome = validate_table(table, frame, (parameters or {}).get(table))
        checks += outcome.checks
        failures += outcome.failures
        excluded[table] = outcome.excluded
    return DqVerdict(checks_run=checks, failures=failures, run_id=run_id), excluded


def _failure(table: str, result: Any, rows: int, excluded: int = 0) -> CheckFailure:
    config = result.expectation_config
    details = result.result or {}
    row_level = "unexpected_count" in details
    failing = rows if config.type == "expect_column_to_exist" else int(details.get("unexpected_count") or 0)
    return CheckFailure(
        table=table,
        column="+".join(sorted(_columns(result))) or None,
        check=config.type.removeprefix("expect_"),
        severity=_severity(result),
        failing=failing,
        total=int(details.get("element_count", rows)) if row_level else rows,
        meaning=config.meta.get("meaning", ""),
        fix=config.meta.get("fix", ""),
        samples=_samples(result) if row_level else _observed(result),
        excluded=excluded,
    )


def _samples(result: Any) -> list[dict[str, str]]:
    rows = (result.result or {}).get("partial_unexpected_index_list") or []
    return [{name: _text(value) for name, value in row.items()} for row in rows][:SAMPLE_ROWS]


def _observed(result: Any) -> list[dict[str, str]]:
    """A table-level check (row count, latest date) or one that could not run: what was seen instead."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return [{"error": str(info.get("exception_message", "")).splitlines()[0]}]
    kwargs = result.expectation_config.kwargs
    expected = f"{_text(kwargs.get('min_value')) or '…'} to {_text(kwargs.get('max_value')) or '…'}"
    return [{"observed": _text((result.result or {}).get("observed_value")), "expected": expected}]


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat().removesuffix("T00:00:00")
    return str(value)
