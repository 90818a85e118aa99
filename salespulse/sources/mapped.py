"""A `source:` block → the canonical text tables that `normalise` types: read, then map, then (drops) dedupe.

What stops a run is what no data-quality check could report usefully: a file or table that cannot be read,
a canonical column the mapping cannot fill, dates in a format nobody stated. Unmapped labels and unknown
owner names go on to the data-quality gate, which names them; `salespulse check-config` lists them first.
Without a roster export, `reps: {from_owners: deals}` builds the reps table from the deals' owners.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salespulse.errors import DataSourceError
from salespulse.sources.mapping_config import OWNER_COLUMNS, Source
from salespulse.sources.mapping_notes import how_read, mapping_notes, user_columns
from salespulse.sources.reader import RawTable, raw_headers, read_raw
from salespulse.sources.tables import MAX_SHOWN, near_name
from salespulse.transforms.mapping import (
    Mapped,
    TableMapping,
    date_format_problems,
    map_table,
    missing_columns,
    needed_export_columns,
    owner_rows,
    sources_of,
)
from salespulse.transforms.mapping_lookups import LookupContext, roster_from_owners
from salespulse.transforms.schema import TABLES


@dataclass(frozen=True)
class MappedTable:
    name: str
    label: str  # where the rows came from
    rows_read: int
    mapped: Mapped
    checksums: dict[str, str]
    notes: tuple[str, ...] = ()  # what check-config says for information: replaced mappings, defaults used


def read_source(source: Source) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every canonical table (empty for one declared absent) and the checksum of every file or query read."""
    tables = map_source(source)
    checksums = {k: v for table in tables.values() for k, v in table.checksums.items()}
    return {name: table.mapped.frame for name, table in tables.items()}, checksums


def map_source(source: Source) -> dict[str, MappedTable]:
    lookups = {name: read_raw(source, name, reading, lookup=True).frame for name, reading in source.lookups.items()}
    done: dict[str, pd.DataFrame] = {}  # reps and accounts first (schema order): names resolve against them
    raws: dict[str, RawTable] = {}  # each export read once, though the roster may need the deals first
    tables = {}
    for name in TABLES:
        context = LookupContext(tables=done, lookups=lookups)
        if source.table(name).absent:
            tables[name] = MappedTable(name, "absent", 0, Mapped(frame=empty_table(name)), {})
        elif name == "reps" and source.table("reps").from_owners:
            tables[name] = owner_roster(source, {t: raw_of(source, t, raws) for t in source.table("reps").from_owners})
        else:
            tables[name] = map_raw(source, name, raw_of(source, name, raws), context)
        done[name] = tables[name].mapped.frame
    return tables


def raw_of(source: Source, name: str, raws: dict[str, RawTable]) -> RawTable:
    """A table's export, read on first use and kept in `raws`."""
    if name not in raws:
        raws[name] = read_raw(source, name, source.table(name))
    return raws[name]


def owner_roster(source: Source, raws: dict[str, RawTable]) -> MappedTable:
    """reps: {from_owners: deals}: one rep per distinct owner of those exports (rep_id the owner id, name the
    owner name where the export has one), the team from values.team (by id or name) or defaults.team."""
    owners, read_from = [], []
    for name, raw in raws.items():
        column = OWNER_COLUMNS[name]
        found = sources_of([str(c) for c in raw.frame.columns], TABLES[name], source.mapping(name))[column]
        if not found:
            raise DataSourceError(
                f"{raw.label}: no owner column for reps.from_owners: nothing fills {name}.{column}; map the owner "
                f"column under {source.where(name)}.columns"
            )
        owners.append(owner_rows(raw.frame, found))
        read_from.append(f"{name} ({', '.join(found)} in {raw.label})")
    spec = source.table("reps")
    roster = roster_from_owners(pd.concat(owners, ignore_index=True), spec.values.get("team", {}))
    teamless = roster[roster["team"].isna()]
    frame = map_table(roster, TABLES["reps"], TableMapping(defaults=dict(spec.defaults))).frame
    problems = []
    if "team" not in spec.defaults and len(teamless):
        shown = ", ".join(f"{i!r} ({n})" for i, n in zip(teamless["rep_id"], teamless["name"], strict=True))
        problems.append(
            f"team: owners {shown} are in no team; give each one under {source.where('reps')}.values.team "
            f"(owner id or name → team id), or set {source.where('reps')}.defaults.team"
        )
    notes = roster_notes(source, read_from, len(roster) - len(teamless))
    label = "owners in " + ", ".join(raw.label for raw in raws.values())
    return MappedTable("reps", label, len(frame), Mapped(frame=frame, problems=tuple(problems)), {}, tuple(notes))


def roster_notes(source: Source, read_from: list[str], by_value: int) -> list[str]:
    """What a roster built from owners holds, and what it cannot know."""
    where, defaults = source.where("reps"), source.table("reps").defaults
    team = f"{by_value} from {where}.values.team" if by_value else ""
    if "team" in defaults:
        others = ", the others" if by_value else "every rep"
        team += f"{others} {defaults['team']!r} (the default, from {where}.defaults.team)"
    notes = [
        f"built from the distinct owners of {'; '.join(read_from)}: rep_id the owner id, name the owner's name "
        "where the export has one, else the id",
        f"team: {team}",
    ]
    empty = [c for c in ("email", "hired_on", "left_on") if defaults.get(c) in (None, "")]
    if empty:
        hired = (
            ": no rep has a hire date, so reps.missing_hired (warning) leaves every rep out of the headcount KPIs "
            f"(n/a), the leaderboard and the by-rep breakdowns; set {where}.defaults.hired_on if one date is true"
        ) * ("hired_on" in empty)
        notes.append(f"{', '.join(empty)}: no export column; left empty{hired}")
    notes += [f"{c}: no export column; every rep is {defaults[c]!r} (the default)" for c in defaults
              if c not in ("team", *empty)]  # fmt: skip
    mapped = list(user_columns(source, "reps"))
    if mapped:
        notes.append(f"{', '.join(mapped)}: your config maps it under {where}.columns: unused (no roster export)")
    return notes


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
    notes = tuple(mapping_notes(source, name, raw.frame))
    return MappedTable(name, raw.label, len(raw.frame), mapped, raw.checksums, notes)


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
        near = near_name(column, [c for c in columns if c not in spec.columns])
        reading = how_read(source, name, column)
        if reading is None:
            fix = f"map {near!r} to it" if near else f"map an export column to it ({_shown(columns)})"
            problems.append(
                f"no column for {name}.{column}: {fix} under {where}.columns, or give a value under {where}.defaults"
            )
            continue
        expects, named = reading
        there = next((c for c in named if c in columns), near)  # a replaced preset column the export does have
        fix = f"map {there!r} to it" if there else "map the export column that holds it"
        fix += f" ({{{there or 'YourColumn'}: {column}}})"
        problems.append(
            f"no column for {name}.{column}: {expects}, which the export lacks; fix: {fix} under {where}.columns, "
            f'or set {where}.defaults.{column}: "" to leave it empty; {_shown(columns)}'
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
        if spec.absent or (name == "reps" and spec.from_owners):  # a roster from owners: their tables are checked
            continue
        headers = raw_headers(source, name, spec)
        union = list(dict.fromkeys(column for _, header in headers for column in header))  # drops: as map_raw
        problems = column_problems(union, name, source.mapping(name), source)
        if problems:
            raise DataSourceError(f"{', '.join(label for label, _ in headers)}: {problems[0]}")
