"""What happened, kept in an embedded SQLite database in the state folder."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

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
    recorded_at text not null
);
"""


def connect(db: Path) -> sqlite3.Connection:
    db.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db)
    connection.executescript(SCHEMA)
    return connection


def record_run(
    db: Path,
    team: str,
    period: str,
    status: str,
    exit_code: int,
    detail: str = "",
    dq_checks: int = 0,
    dq_failures: int = 0,
    report_dir: str | None = None,
) -> int:
    with connect(db) as connection:
        cursor = connection.execute(
            "insert into runs (team, period, status, exit_code, detail, dq_checks, dq_failures, report_dir,"
            " recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                team,
                period,
                status,
                exit_code,
                detail,
                dq_checks,
                dq_failures,
                report_dir,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        return int(cursor.lastrowid)


def runs(db: Path) -> list[sqlite3.Row]:
    with connect(db) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute("select * from runs order by id").fetchall()
