"""Run the data-quality suites on in-memory frames through Great Expectations' public API, and boil the
results down to a DqVerdict.

A canonical table's suite is built from the check registry (`transforms/checks.py`): one column-set
expectation for the columns some KPI reads (critical), one for the rest (info), and one expectation per check
on the check's row-flag column, which `transforms/check_rows.py` worked out in pandas. The derived tables
(intake, names, reconciliation) have suites of their own in `suites/`, only ever read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from salespulse.transforms.checks import Check
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import CheckFailure, DqVerdict
from salespulse.transforms.schema import TABLES

SAMPLE_ROWS = 10
DERIVED = ("intake", "names", "reconciliation")


def load_suite(table: str) -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("suites", f"{table}.json").read_text("utf-8"))


def required_columns(table: str) -> tuple[str, ...]:
    """The columns some KPI reads, and the key: a table without one of them cannot give its numbers."""
    read = {r.split(".", 1)[1] for kpi in KPI_CATALOGUE.values() for r in kpi.reads if r.startswith(table + ".")}
    split = {"deals": {"owner_rep_id", "stage"}, "leads": {"owner_rep_id"}, "activities": {"rep_id"},
             "orders": {"deal_id"}, "reps": {"team"}}.get(table, set())  # fmt: skip
    wanted = read | split | {TABLES[table].key}
    return tuple(c for c in TABLES[table].columns if c in wanted)


def unknowable(check: Check) -> tuple[str, ...]:
    """The KPIs that read a column the check taints: what a critical failure of it makes unknowable."""
    taints = {f"{check.table}.{c}" for c in check.taints}
    whole = "*" in check.taints
    return tuple(
        kpi.id for kpi in KPI_CATALOGUE.values() if any(r in taints or (whole and r.startswith(check.table + "."))
                                                        for r in kpi.reads)
    )  # fmt: skip


@cache
def _batch_definition() -> Any:
    """One dataframe asset every frame is validated through: the frame is the batch's parameter."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("frames").add_dataframe_asset("frames")
    return asset.add_batch_definition_whole_dataframe("frames")


def prepare() -> None:
    """Import Great Expectations and build its context now, at a run's start-up, not in its first check."""
    _batch_definition()


def _table_suite(table: str, checks: Mapping[str, Check]) -> Any:

    key = tuple(sorted((c.id, c.severity) for c in checks.values() if c.table == table))
    return _cached_suite(table, key)


@cache
def _cached_suite(table: str, severities: tuple[tuple[str, str], ...]) -> Any:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    required = required_columns(table)
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=list(required), exact_match=False, severity="critical",
                                         meta={"check": f"{table}.required_columns"}),
        gxe.ExpectTableColumnsToMatchSet(column_set=list(TABLES[table].columns), exact_match=False, severity="info",
                                         meta={"check": f"{table}.optional_columns"}),
        *(gxe.ExpectColumnValuesToBeInSet(column=check_id, value_set=[False], severity=severity,
                                          meta={"check": check_id})
          for check_id, severity in severities),
    ]  # fmt: skip
    return gx.ExpectationSuite(name=table, expectations=expectations)


@cache
def _derived_suite(table: str) -> Any:
    import great_expectations as gx

    return gx.ExpectationSuite(**load_suite(table))


def _run(frame: pd.DataFrame, suite: Any, detail: str, ids: list[str], parameters: dict[str, object]) -> Any:
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result_format: dict[str, Any] = {"result_format": detail}
    if detail != "BOOLEAN_ONLY":
        result_format |= {"unexpected_index_column_names": ids, "partial_unexpected_count": SAMPLE_ROWS}
    return batch.validate(suite, result_format=result_format, expectation_parameters=parameters)


def validate_table(
    table: str, frame: pd.DataFrame, flags: pd.DataFrame, checks: Mapping[str, Check]
) -> tuple[int, list[CheckFailure]]:
    """A canonical table's checks: `flags` holds one boolean column per check, for the rows of `frame`."""
    suite = _table_suite(table, checks)
    result = _run(pd.concat([frame, flags], axis=1), suite, "BOOLEAN_ONLY", [], {})
    failures = []
    for r in result.results:
        if r.success:
            continue
        check_id = r.expectation_config.meta["check"]
        if check_id.endswith("_columns"):
            failures.append(_missing_columns(table, check_id, frame, _severity(r)))
        else:
            failures.append(_row_failure(checks[check_id], frame, flags[check_id], _severity(r)))
    return len(result.results), failures


def _missing_columns(table: str, check_id: str, frame: pd.DataFrame, severity: str) -> CheckFailure:
    wanted = required_columns(table) if check_id.endswith("required_columns") else TABLES[table].columns
    missing = [c for c in wanted if c not in frame.columns]
    what = "needed by its KPIs" if severity == "critical" else "that no KPI reads"
    return CheckFailure(
        table=table, column="+".join(missing), check=check_id.split(".", 1)[1], severity=severity,  # type: ignore[arg-type]
        failing=len(missing), total=len(wanted),
        meaning=f"The {table} table has no column {', '.join(repr(c) for c in missing)}, {what}.",
        fix=f"Map an export column to {missing[0]} (README: Use your own CRM data), or add it to {table}.csv.",
        samples=[{"missing": ", ".join(missing)}], check_id=check_id,
    )  # fmt: skip


def _row_failure(check: Check, frame: pd.DataFrame, flag: pd.Series, severity: str) -> CheckFailure:
    failing = int(flag.sum())
    key = TABLES[check.table].key
    shown = [c for c in dict.fromkeys((key, *check.shows)) if c in frame.columns]
    samples = [
        {c: _text(v) for c, v in row.items()} for row in frame.loc[flag, shown].head(SAMPLE_ROWS).to_dict("records")
    ]
    return CheckFailure(
        table=check.table,
        column=next((c for c in check.taints if c != "*"), None) or (check.shows[0] if check.shows else key),
        check=check.name,
        severity=severity,  # type: ignore[arg-type]
        failing=failing,
        total=len(frame),
        meaning=check.meaning,
        fix=check.fix,
        samples=samples,
        excluded=failing if check.excludes else 0,
        check_id=check.id,
        action=check.action,
        unknowable=unknowable(check) if severity == "critical" else (),
        note=check.note,
    )


def validate_derived(
    table: str, frame: pd.DataFrame, parameters: dict[str, object]
) -> tuple[int, list[CheckFailure]]:
    """A derived table (intake, names, reconciliation): its suite from `suites/`, samples from GX."""
    meta = load_suite(table)["meta"]
    ids = [c for c in meta.get("sample_columns", [meta["key"]]) if c in frame.columns]
    result = _run(frame, _derived_suite(table), "SUMMARY", ids, parameters)
    failures = [_derived_failure(table, r, len(frame)) for r in result.results if not r.success]
    return len(result.results), failures


def _derived_failure(table: str, result: Any, rows: int) -> CheckFailure:
    config = result.expectation_config
    details = result.result or {}
    row_level = "unexpected_count" in details
    samples = (details.get("partial_unexpected_index_list") or [])[:SAMPLE_ROWS] if row_level else _observed(result)
    return CheckFailure(
        table=table,
        column=config.kwargs.get("column"),
        check=config.meta.get("check", config.type.removeprefix("expect_")).split(".")[-1],
        severity=_severity(result),  # type: ignore[arg-type]
        failing=int(details.get("unexpected_count") or 0) if row_level else rows,
        total=int(details.get("element_count", rows)) if row_level else rows,
        meaning=config.meta.get("meaning", ""),
        fix=config.meta.get("fix", ""),
        samples=[{name: _text(value) for name, value in row.items()} for row in samples],
        check_id=config.meta.get("check", f"{table}.{config.type.removeprefix('expect_')}"),
    )


def validate(inputs: Any, checks: Mapping[str, Check], run_id: str = "") -> DqVerdict:
    """The verdict over every table of `inputs` (salespulse.transforms.quality.CheckInputs)."""
    count, failures = 0, []
    for table, frame in inputs.frames.items():
        if table in DERIVED:
            n, found = validate_derived(table, frame, inputs.parameters.get(table, {}))
        else:
            n, found = validate_table(table, frame, inputs.flags[table], checks)
        count += n
        failures += found
    return DqVerdict(checks_run=count, failures=failures, run_id=run_id)


def _severity(result: Any) -> str:
    severity = result.expectation_config.severity
    return str(getattr(severity, "value", severity)).lower()


def _observed(result: Any) -> list[dict[str, Any]]:
    """A table-level check or one that could not run: what was seen instead."""
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
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:g}"
    return str(value)
