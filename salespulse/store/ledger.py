"""The delivery ledger: one row per recipient and attempt, in the state database, so a rerun knows who has what.

Only addresses, hashes, SMTP replies and file paths are stored: never a password or a message body.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from salespulse.store import state
from salespulse.transforms.results import DqVerdict

SENT = "sent"
FAILED_TRANSIENT = "failed-transient"
FAILED_PERMANENT = "failed-permanent"
SKIPPED_DUPLICATE = "skipped-duplicate"
OUTBOX = "outbox"  # no SMTP host configured: left in the outbox for pickup
FAILED = (FAILED_TRANSIENT, FAILED_PERMANENT)

SCHEMA = """
create table if not exists deliveries (
    id integer primary key,
    team text not null,
    period text not null,
    kind text not null,
    recipient text not null,
    content_hash text not null,
    attempt integer not null,
    status text not null,
    smtp_code integer,
    smtp_reply text not null default '',
    eml_path text not null,
    recorded_at text not null
);
create index if not exists deliveries_message on deliveries (team, period, kind, recipient);
"""


@dataclass(frozen=True)
class MessageKey:
    """One version of one message: a team's report (or alert) for a period, identified by its content."""

    team: str
    period: str
    kind: str  # "report", "dq-alert"
    content_hash: str

    @property
    def name(self) -> str:
        return f"{self.period}-{self.team}-{self.kind}"


@dataclass(frozen=True)
class Outcome:
    """What happened to one recipient in one attempt."""

    status: str
    code: int | None = None
    reply: str = ""  # the server's reply or the connection error, one line


@dataclass(frozen=True)
class Plan:
    pending: list[str]  # recipients who do not have this version yet (or everyone, with resend)
    duplicates: list[str]  # recipients who already have this very version
    replaces: datetime | None  # when a pending recipient last received a different version: a correction


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verdict_hash(verdict: DqVerdict) -> str:
    """The alert's identity: its failures and numbers, not its run id or timestamps."""
    failures = sorted((asdict(f) for f in verdict.failures), key=lambda f: json.dumps(f, sort_keys=True))
    return content_hash(json.dumps({"checks": verdict.checks_run, "failures": failures}, sort_keys=True))


def connect(db: Path) -> sqlite3.Connection:
    connection = state.connect(db)
    connection.executescript(SCHEMA)
    connection.row_factory = sqlite3.Row
    return connection


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _rows(connection: sqlite3.Connection, key: MessageKey) -> list[sqlite3.Row]:
    return connection.execute(
        "select * from deliveries where team = ? and period = ? and kind = ? order by id",
        (key.team, key.period, key.kind),
    ).fetchall()


def record(db: Path, key: MessageKey, outcomes: dict[str, Outcome], eml: Path) -> None:
    """One row per recipient. An attempt counts SMTP tries of this version; 0 when nothing was tried."""
    with connect(db) as connection:
        tries: dict[str, int] = {}
        for row in _rows(connection, key):
            if row["content_hash"] == key.content_hash:
                tries[row["recipient"]] = max(tries.get(row["recipient"], 0), row["attempt"])
        connection.executemany(
            "insert into deliveries (team, period, kind, recipient, content_hash, attempt, status, smtp_code,"
            " smtp_reply, eml_path, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (key.team, key.period, key.kind, recipient, key.content_hash)
                + (0 if o.status in (OUTBOX, SKIPPED_DUPLICATE) else tries.get(recipient, 0) + 1,)
                + (o.status, o.code, " ".join(o.reply.split()), str(eml), _now())
                for recipient, o in outcomes.items()
            ],
        )


def plan(db: Path, key: MessageKey, recipients: list[str], resend: bool = False) -> Plan:
    """Who gets this version: not those whose last received version is this one, unless `resend`."""
    with connect(db) as connection:
        received = {row["recipient"]: row for row in _rows(connection, key) if row["status"] == SENT}
    pending, duplicates, replaces = [], [], None
    for recipient in recipients:
        last = received.get(recipient)
        if last is not None and last["content_hash"] == key.content_hash and not resend:
            duplicates.append(recipient)
            continue
        pending.append(recipient)
        if last is not None and last["content_hash"] != key.content_hash:
            when = datetime.fromisoformat(last["recorded_at"])
            replaces = max(replaces, when) if replaces else when
    return Plan(pending, duplicates, replaces)


def last_sent_path(db: Path, key: MessageKey) -> str | None:
    with connect(db) as connection:
        rows = _rows(connection, key)
    paths = [r["eml_path"] for r in rows if r["status"] == SENT and r["content_hash"] == key.content_hash]
    return paths[-1] if paths else None


def delivered_to_all(db: Path, key: MessageKey, recipients: list[str]) -> bool:
    """Every recipient's latest row for this version says they have it."""
    with connect(db) as connection:
        latest = {r["recipient"]: r["status"] for r in _rows(connection, key) if r["content_hash"] == key.content_hash}
    return all(latest.get(recipient) in (SENT, SKIPPED_DUPLICATE) for recipient in recipients)


def moved(db: Path, key: MessageKey, old: Path, new: Path) -> None:
    """The rows of this version follow its .eml from outbox/ to sent/."""
    with connect(db) as connection:
        connection.execute(
            "update deliveries set eml_path = ? where eml_path = ? and team = ? and period = ? and kind = ?"
            " and content_hash = ?",
            (str(new), str(old), key.team, key.period, key.kind, key.content_hash),
        )


def report_versions(db: Path) -> dict[tuple[str, str], str]:
    """(team, period) → the version (content hash of report.html) of the report last offered to its team."""
    query = (
        "select team, period, content_hash from deliveries where id in"
        " (select max(id) from deliveries where kind = 'report' group by team, period)"
    )
    with connect(db) as connection:
        return {(team, period): version for team, period, version in connection.execute(query)}


def history(db: Path, period: str | None = None, team: str | None = None) -> list[sqlite3.Row]:
    query, args = "select * from deliveries where 1 = 1", []
    if period:
        query, args = query + " and period = ?", [*args, period]
    if team:
        query, args = query + " and team = ?", [*args, team]
    with connect(db) as connection:
        return connection.execute(query + " order by id", args).fetchall()


def failures(db: Path, period: str | None = None, team: str | None = None) -> dict[tuple[MessageKey, str], list[str]]:
    """Recipients whose latest row failed, grouped by message version and .eml. A failure of a version that a
    later run replaced is not listed: that run already tried its own version."""
    latest: dict[tuple[str, str, str], sqlite3.Row] = {}  # the newest row of each message
    last_of: dict[tuple[str, str, str, str], sqlite3.Row] = {}  # the newest row of each message and recipient
    for row in history(db, period, team):
        latest[(row["team"], row["period"], row["kind"])] = row
        last_of[(row["team"], row["period"], row["kind"], row["recipient"])] = row
    pending: dict[tuple[MessageKey, str], list[str]] = {}
    for (team_id, label, kind, recipient), row in last_of.items():
        current = latest[(team_id, label, kind)]["content_hash"]
        if row["status"] in FAILED and row["content_hash"] == current:
            key = MessageKey(team_id, label, kind, current)
            pending.setdefault((key, row["eml_path"]), []).append(recipient)
    return pending
