"""The record a run leaves: each team and period's outcome and verdict in the state database, and the
archive page listing every one."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from salespulse.plan import RunPlan
from salespulse.store.files import write_atomic
from salespulse.store.ledger import content_hash, report_versions
from salespulse.store.state import Streak, failure_streak, latest_runs, record_run
from salespulse.transforms.results import DqVerdict


class Outcome(Protocol):
    team: str
    period: str
    status: str
    exit_code: int
    detail: str
    report_dir: str | None


def record_report(plan: RunPlan, verdict: DqVerdict | None, outcome: Outcome, dry_run: bool) -> Streak:
    """Record one team and period's outcome: the run's row and the period's verdict (None when its checks
    never ended), together. Returns the team's failure streak as it stood before, for the owners' notice."""
    before = failure_streak(plan.state_db, outcome.team)
    record_run(
        plan.state_db,
        outcome.team,
        outcome.period,
        outcome.status,
        outcome.exit_code,
        outcome.detail,
        report_dir=outcome.report_dir,
        dry_run=dry_run,
        verdict=verdict,
    )
    return before


def write_archive(plan: RunPlan) -> Path:
    """out/reports/index.html: every team and period with its status and links, rebuilt after each run."""
    from salespulse.reports.archive import ArchiveEntry, render_archive

    index = plan.reports_dir / "index.html"
    names = {team_id: name for team_id, name, _ in plan.company_teams}
    offered = report_versions(plan.state_db)

    def link(folder: str | None, name: str) -> str | None:
        path = Path(folder) / name if folder else None
        return path.relative_to(index.parent).as_posix() if path and path.exists() else None

    entries = [
        ArchiveEntry(
            names.get(row["team"], row["team"]),
            row["period"],
            _shown_status(row, offered),
            link(row["report_dir"], "report.html"),
            link(row["report_dir"], "report.pdf"),
            link(row["report_dir"], "dq.html"),
        )  # fmt: skip
        for row in latest_runs(plan.state_db)
    ]
    page = render_archive(plan.company, entries, datetime.now(UTC).replace(microsecond=0), plan.locale)
    return write_atomic(index, page)


def _shown_status(row: sqlite3.Row, offered: dict[tuple[str, str], str]) -> str:
    """The latest run's status; but a dry run that rendered again the very report an earlier run delivered
    (a preview, a backfill over sent weeks) shows that run's status: the team did get what the links open."""
    if not row["dry_run"] or not row["last_real"] or not row["report_dir"]:
        return str(row["status"])
    html = Path(row["report_dir"]) / "report.html"
    sent = offered.get((row["team"], row["period"]))
    same = sent is not None and html.exists() and content_hash(html.read_bytes().decode("utf-8")) == sent
    return str(row["last_real"]) if same else str(row["status"])
