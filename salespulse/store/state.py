"""What happened, kept in an embedded SQLite database in the state folder."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from salespulse.transforms.periods import PeriodError, parse_period
from salespulse.transforms.results import DqHistoryPoint, DqVerdict

SCHEMA = """
create table if not exists runs (
    id integer primary key,
    team text not null,
    period text not null,
    status text not null,
    exit_code integer not null,
    detail text not null default '',
    dq_checks integer not null default 0,
    dq_failures integer not null default 0,
    report_dir text,
    recorded_at text not null,
    dry_run integer not null default 0
);
create table if not exists dq_results (
    team text not null,
    period text not null,
    run_id text not null,
    checks integer not null,
    critical integer not null,
    warning integer not null,
    info integer not null,
    recorded_at text not null,
    primary key (team, period)
);
create table if not exists dq_failures (
    team text not null,
    period text not null,
    severity text not null,
    tbl text not null,
    col text,
    check_name text not null,
    failing integer not null,
    total integer not null,
    excluded integer not null
);
create table if not exists renders (
    fingerprint text primary key,
    generated_at text not null
);
"""


def connect(db: Path) -> sqlite3.Connection:
    db.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db)
    connection.executescript(SCHEMA)
    columns = {row[1] for row in connection.execute("pragma table_info(runs)")}
    if "dry_run" not in columns:  # a state folder from before dry runs were told apart
        connection.execute("alter table runs add column dry_run integer not null default 0")
    return connection


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_run(
    db: Path,
    team: str,
    period: str,
    status: str,
    exit_code: int,
    detail: str = "",
    report_dir: str | None = None,
    dry_run: bool = False,
    verdict: DqVerdict | None = None,
) -> int:
    """The run's row, and with it the period's verdict (`verdict`, when its checks ran), in one transaction."""
    checks, failures = (verdict.checks_run, len(verdict.failures)) if verdict else (0, 0)
    with connect(db) as connection:
        if verdict is not None:
            _write_dq(connection, team, period, verdict)
        cursor = connection.execute(
            "insert into runs (team, period, status, exit_code, detail, dq_checks, dq_failures, report_dir,"
            " recorded_at, dry_run) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (team, period, status, exit_code, detail, checks, failures, report_dir, _now(), int(dry_run)),
        )
        return int(cursor.lastrowid)


@dataclass(frozen=True)
class Streak:
    failures: int  # failed runs in a row, up to the latest (0: the latest run succeeded, or none yet)
    since: datetime | None  # when the first of them was recorded
    periods: tuple[str, ...] = ()  # the periods of those runs, oldest first


def failure_streak(db: Path, team: str) -> Streak:
    """The team's current run of failures, dry runs left aside (they send nothing, so they notify nobody). A
    success ends it only for a period no older than the failing ones: a rerun of an older, healthy week while
    the latest week still fails is no recovery."""
    with connect(db) as connection:
        rows = connection.execute(
            "select exit_code, recorded_at, period from runs where team = ? and dry_run = 0"
            " order by id desc limit 1000",
            (team,),
        ).fetchall()
    failed: list[tuple[int, str, str]] = []
    for row in reversed(rows):  # oldest first
        if row[0] != 0:
            failed.append(row)
        elif failed and _starts(row[2]) >= min(_starts(f[2]) for f in failed):
            failed = []
    if not failed:
        return Streak(0, None)
    return Streak(len(failed), datetime.fromisoformat(failed[0][1]), tuple(row[2] for row in failed))


def _starts(label: str) -> date:
    """A period label's first day; a label that is no period sorts first (its success ends nothing)."""
    try:
        return parse_period(label).start
    except PeriodError:
        return date.min


def record_dq(db: Path, team: str, period: str, verdict: DqVerdict) -> None:
    with connect(db) as connection:
        _write_dq(connection, team, period, verdict)


def _write_dq(connection: sqlite3.Connection, team: str, period: str, verdict: DqVerdict) -> None:
    """The period's latest verdict replaces an earlier one: a rerun after a fix shows the fixed state."""
    point = verdict.point(period)
    connection.execute(
        "insert or replace into dq_results values (?, ?, ?, ?, ?, ?, ?, ?)",
        (team, period, verdict.run_id, point.checks, point.critical, point.warning, point.info, _now()),
    )
    connection.execute("delete from dq_failures where team = ? and period = ?", (team, period))
    connection.executemany(
        "insert into dq_failures values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (team, period, f.severity, f.table, f.column, f.check, f.failing, f.total, f.excluded)
            for f in verdict.failures
        ],
    )


DQ_TREND_PERIODS = 12  # the periods a data-quality trend shows


def dq_history(
    db: Path, team: str | None = None, up_to: str | None = None, limit: int = DQ_TREND_PERIODS
) -> list[DqHistoryPoint]:
    """The last `limit` periods' outcomes (oldest first) of one team, or of every team when None."""
    query = "select period, checks, critical, warning, info, team from dq_results where 1 = 1"
    args: list[object] = []
    if team:
        query, args = query + " and team = ?", [*args, team]
    if up_to:
        # labels of one cadence sort in time order (zero-padded weeks and months)
        query, args = query + " and period <= ? and length(period) = length(?)", [*args, up_to, up_to]
    query += " order by period desc, team limit ?"
    with connect(db) as connection:
        rows = connection.execute(query, [*args, limit]).fetchall()
    return [DqHistoryPoint(*row[:5]) for row in reversed(rows)]


def dq_table(db: Path, period: str | None = None, team: str | None = None) -> list[sqlite3.Row]:
    """Rows for `salespulse dq`: one per team and period, or the failed checks of one period."""
    with connect(db) as connection:
        connection.row_factory = sqlite3.Row
        if period:
            query = "select * from dq_failures where period = ?" + (" and team = ?" if team else "")
            args = [period, team] if team else [period]
            return connection.execute(query + " order by team, severity, tbl, col", args).fetchall()
        query = "select * from dq_results" + (" where team = ?" if team else "")
        rows = connection.execute(query + " order by period, team", [team] if team else []).fetchall()
    return sorted(rows, key=lambda row: (_period_start(row["period"]), row["period"], row["team"]))


def _period_start(label: str) -> date:
    """Periods in time: 2026-W9 before 2026-W10, and months and weeks of teams on other cadences by their start
    (text order puts 2026-10 before 2026-W09); a label that is not a period goes last."""
    from salespulse.transforms.periods import PeriodError, parse_period

    try:
        return parse_period(re.sub(r"-[Ww](\d)$", r"-W0\1", label)).start  # an unpadded week too
    except PeriodError:
        return date.max


def first_generated(db: Path, fingerprint: str, now: datetime) -> datetime:
    """When something with this key (a report's identity, a run's files: salespulse/store/identity.py) was first
    generated: a rerun that would show the same shows the same time, so its HTML is byte-identical
    (SOURCE_DATE_EPOCH, when set, wins)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    with connect(db) as connection:
        connection.execute("insert or ignore into renders values (?, ?)", (fingerprint, now.isoformat()))
        query = "select generated_at from renders where fingerprint = ?"
        (stamp,) = connection.execute(query, (fingerprint,)).fetchone()
    return datetime.fromisoformat(stamp)


def latest_runs(db: Path) -> list[sqlite3.Row]:
    """The latest run of every team and period: what the archive lists. `last_real` is the status of the
    latest run that was not a dry run (None when every run was one)."""
    with connect(db) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(
            "select team, period, status, report_dir, dry_run,"
            " (select status from runs real where real.team = runs.team and real.period = runs.period"
            "  and real.dry_run = 0 order by real.id desc limit 1) as last_real"
            " from runs where id in (select max(id) from runs group by team, period) order by team, period"
        ).fetchall()
