"""`salespulse check-config`: the config and its mapping against the data, without running a report.

Unlike a run, which stops at the first unreadable table, this reads every table and lists every problem:
unfilled columns, labels no value map covers (with counts), dates that do not parse in the stated format,
names that match no rep, reps whose team is no team of the config; then every critical data-quality check
that would withhold a report. No Prefect, nothing written. Information lines (not problems) say what the
mapping does that a user may not expect: a preset's mapping replaced by the user's, a mapped export column
that is missing or blank, a canonical column filled from a default, a roster built from owners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from salespulse.config import Config
from salespulse.errors import DataSourceError
from salespulse.onboarding.check_gate import gate_problems
from salespulse.sources.load import check_tables, read_tables
from salespulse.sources.mapped import MappedTable, blocking_problems, empty_table, map_raw, owner_roster, raw_of
from salespulse.sources.mapping_config import Source
from salespulse.sources.reader import RawTable, read_raw
from salespulse.transforms.mapping import unknown_values
from salespulse.transforms.mapping_lookups import LookupContext
from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.schema import TABLES


@dataclass
class TableCheck:
    name: str
    label: str = ""  # the file(s) or query read
    rows: int = 0
    absent: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # information: printed, but the exit code stays 0


def check_config(config: Config, period: str | None = None, now: datetime | None = None) -> list[TableCheck]:
    """Every table's problems; once the tables read cleanly, also what the data-quality gate would withhold
    the reports for (salespulse/onboarding/check_gate.py), for `period` or the period a run would report at `now`."""
    source = config.data_source()
    frames, checks = _read_plain(source) if isinstance(source, Path) else _read_mapped(source)
    for name, frame in frames.items():
        checks[name].problems += parse_problems(frame, name)
    if "reps" in frames:
        checks["reps"].problems += team_problems(frames["reps"], config, source)
    if frames and not any(check.problems for check in checks.values()):
        for table, problem in gate_problems(config, frames, period, now or datetime.now(UTC)):
            checks[table].problems.append(problem)
    return [checks[name] for name in TABLES]


def _read_plain(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, TableCheck]]:
    checks = {name: TableCheck(name) for name in TABLES}
    try:
        check_tables(folder)
        frames, _ = read_tables(folder)
    except DataSourceError as err:  # the canonical reader stops at its first problem: give it to its table
        message = str(err)
        owner = next((n for n in TABLES if f"{n}.csv" in message or f"{n}.parquet" in message), "reps")
        checks[owner].problems.append(message.removeprefix(f"{folder}/"))
        return {}, checks
    for name, frame in frames.items():
        checks[name].label, checks[name].rows = f"{name}{_suffix(folder, name)}", len(frame)
        checks[name].problems += unknown_values(frame, TABLES[name])  # a mapped table lists them when mapped
    return frames, checks


def _suffix(folder: Path, name: str) -> str:
    return ".parquet" if (folder / f"{name}.parquet").exists() and not (folder / f"{name}.csv").exists() else ".csv"


def _read_mapped(source: Source) -> tuple[dict[str, pd.DataFrame], dict[str, TableCheck]]:
    checks = {name: TableCheck(name) for name in TABLES}
    lookups = {}
    for name, reading in source.lookups.items():
        try:
            lookups[name] = read_raw(source, name, reading, lookup=True).frame
        except DataSourceError as err:
            checks["deals"].problems.append(f"lookup {name}: {err}")
    frames: dict[str, pd.DataFrame] = {}
    raws: dict[str, RawTable] = {}
    for name in TABLES:
        check = checks[name]
        if source.table(name).absent:
            check.absent, frames[name] = True, empty_table(name)
            continue
        try:
            if name == "reps" and source.table("reps").from_owners:
                _add(check, frames, owner_roster(source, {t: raw_of(source, t, raws) for t in _owner_tables(source)}))
                continue
            raw = raw_of(source, name, raws)
        except DataSourceError as err:
            check.problems.append(str(err))
            continue
        context = LookupContext(tables=frames, lookups=lookups)
        check.label, check.rows = raw.label, len(raw.frame)
        check.problems += blocking_problems(source, name, raw, context)
        if not check.problems:
            _add(check, frames, map_raw(source, name, raw, context))
    return frames, checks


def _owner_tables(source: Source) -> list[str]:
    return list(source.table("reps").from_owners or [])


def _add(check: TableCheck, frames: dict[str, pd.DataFrame], table: MappedTable) -> None:
    check.label, check.rows = table.label, table.rows_read
    check.problems += list(table.mapped.problems)
    check.notes += list(table.notes)
    frames[check.name] = table.mapped.frame


def parse_problems(frame: pd.DataFrame, name: str) -> list[str]:
    """Numbers and dates that will not parse: the data-quality gate would name them as parse errors."""
    table = TABLES[name]
    typed = normalise_table(frame, table)
    problems = []
    for column in table.numbers + table.dates + table.timestamps:
        if column not in frame:
            continue
        text = frame[column].astype("string").str.strip()
        failed = text[text.notna() & (text != "") & typed[column].isna()]
        if len(failed):
            what = "numbers" if column in table.numbers else "dates in the stated format (default ISO)"
            problems.append(f"{column}: {len(failed)} values are not {what}, e.g. {failed.iloc[0]!r}")
    return problems


def team_problems(reps: pd.DataFrame, config: Config, source: Path | Source) -> list[str]:
    """Reps whose team is none of the config's team ids: their records would be in no report."""
    teams = {team.id for team in config.teams}
    values = reps["team"].dropna()
    unknown = values[~values.isin(teams)].value_counts()
    if unknown.empty:
        return []
    shown = ", ".join(f"{team!r} ({n})" for team, n in unknown.head(8).items())
    fix = "map them under source.tables.reps.values.team" if isinstance(source, Source) else "correct reps.team"
    return [f"team: {shown} is no team id of the config ({', '.join(sorted(teams))}); {fix}"]


def summary(checks: list[TableCheck]) -> tuple[list[str], list[str]]:
    """(a line per table, a line per problem)."""
    lines, problems = [], []
    for check in checks:
        if check.absent:
            lines.append(f"{check.name:<11} absent (declared): its KPIs are skipped")
            continue
        if not check.problems and not check.label:  # data_dir: the canonical reader stopped at another table
            lines.append(f"{check.name:<11} not checked (the data folder's first problem stops its reader)")
            continue
        state = "OK" if not check.problems else f"{len(check.problems)} problem{'s' * (len(check.problems) > 1)}"
        read = f"{check.rows} row{'s' * (check.rows != 1)} from {check.label}" if check.label else "not read"
        lines.append(f"{check.name:<11} {state:<11} {read}")
        lines += [f"{check.name:<11} {'info':<11} {note}" for note in check.notes]
        where = f"{check.name} ({check.label})" if check.label else check.name
        problems += [f"{where}: {problem}" for problem in check.problems]
    return lines, problems
