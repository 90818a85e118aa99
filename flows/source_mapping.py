"""A `source:` block → the canonical text tables that `normalise` types: read, then map, then (drops) dedupe.

What stops a run is what no data-quality check could report usefully: a file or table that cannot be read,
a canonical column the mapping cannot fill, dates in a format nobody stated. Unmapped labels and unknown
owner names go on to the data-quality gate, which names them; `salespulse check-config` lists them first.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from flows.errors import DataSourceError
from flows.mapping_config import Source
from flows.source_reader import RawTable, raw_headers, read_raw
from flows.sources import MAX_SHOWN, _near
from transforms.mapping import (
    Mapped,
    TableMapping,
    date_format_problems,
    map_table,
    missing_columns,
    needed_export_columns,
)
from transforms.mapping_lookups import LookupContext
from transforms.schema import TABLES


@dataclass(frozen=True)
class MappedTable:
    name: str
    label: str  # where the rows came from
    rows_read: int
    mapped: Mapped
    checksums: dict[str, str]


def read_source(source: Source) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every canonical table (empty for one declared absent) and the checksum of every file or query read."""
    tables = map_source(source)
    checksums = {k: v for table in tables.values() for k, v in table.checksums.items()}
    return {name: table.mapped.frame for name, table in tables.items()}, checksums


def map_source(source: Source) -> dict[str, MappedTable]:
    lookups = {name: read_raw(source, name, reading, lookup=True).frame for name, reading in source.lookups.items()}
    done: dict[str, pd.DataFrame] = {}  # reps and accounts first (schema order): names resolve against them
    tables = {}
    for name in TABLES:
        if source.table(name).absent:
            tables[name] = MappedTable(name, "absent", 0, Mapped(frame=empty_table(name)), {})
        else:
            raw = read_raw(source, name, source.table(name))
            tables[name] = map_raw(source, name, raw, LookupContext(tables=done, lookups=lookups))
        done[name] = tables[name].mapped.frame
    return tables


def map_raw(source: Source, name: str, raw: RawTable, context: LookupContext) -> MappedTable:
    problems = blocking_problems(source, name, raw, context)
    if problems:
        raise DataSourceError(f"{raw.label}: {problems[0]}")
    table = TABLES[name]
    mapped = map_table(raw.frame, table, source.mapping(name), context)
    if source.layout == "drops":  # the same record in several drops: the latest drop's row is the truth
        frame = mapped.frame
        stale = frame[table.key].notna() & frame.duplicated(subset=[table.key], keep="last")
        mapped = Mapped(frame=frame[~stale].reset_index(drop=True), problems=mapped.problems)
    return MappedTable(name, raw.label, len(raw.frame), mapped, raw.checksums)


def blocking_problems(source: Source, name: str, raw: RawTable, context: LookupContext) -> list[str]:
    """What keeps the mapping from running at all: unfilled columns, dates in no stated format, bad lookups."""
    spec = source.mapping(name)
    problems = column_problems([str(c) for c in raw.frame.columns], name, spec, source)
    problems += date_format_problems(raw.frame, TABLES[name], spec, f"{source.where(name)}.dates")
    return problems + _lookup_problems(source, name, context)


def column_problems(columns: list[str], name: str, spec: TableMapping, source: Source) -> list[str]:
    """A line per canonical column the mapping cannot fill and per export column a rule reads that is missing."""
    where = source.where(name)
    problems = []
    for column in missing_columns(columns, TABLES[name], spec, {}):
        near = _near(column, [c for c in columns if c not in spec.columns])
        fix = f"map {near!r} to it" if near else f"map an export column to it ({_shown(columns)})"
        problems.append(
            f"no column for {name}.{column}: {fix} under {where}.columns, or give a value under {where}.defaults"
        )
    for column in needed_export_columns(spec):
        if column not in columns:
            problems.append(f"no column {column!r}, which {where} reads (outcome or only_when); {_shown(columns)}")
    return problems


def _lookup_problems(source: Source, name: str, context: LookupContext) -> list[str]:
    rule = source.table(name).products
    if rule is None:
        return []
    if rule.lookup not in context.lookups:
        return [f"lookup {rule.lookup!r} could not be read"]
    columns = [str(c) for c in context.lookups[rule.lookup].columns]
    wanted = [c for c in (rule.name, rule.price) if c and c not in columns]
    return [f"lookup {rule.lookup!r} has no column {c!r}; {_shown(columns)}" for c in wanted]


def _shown(columns: list[str]) -> str:
    more = f", … ({len(columns)} in all)" if len(columns) > MAX_SHOWN else ""
    return "found: " + ", ".join(columns[:MAX_SHOWN]) + more


def empty_table(name: str) -> pd.DataFrame:
    """A table the CRM does not have: its canonical columns and no rows, so each KPI can tell it is absent."""
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in TABLES[name].columns})


def check_source(source: Source) -> None:
    """Pre-flight: every table's files or query readable and every mapped column there; reads headers only."""
    for reading_name, reading in source.lookups.items():
        raw_headers(source, reading_name, reading, lookup=True)
    for name in TABLES:
        spec = source.table(name)
        if spec.absent:
            continue
        headers = raw_headers(source, name, spec)
        union = list(dict.fromkeys(column for _, header in headers for column in header))  # drops: as map_raw
        problems = column_problems(union, name, source.mapping(name), source)
        if problems:
            raise DataSourceError(f"{', '.join(label for label, _ in headers)}: {problems[0]}")
