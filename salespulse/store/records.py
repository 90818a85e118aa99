"""The record a run leaves besides its report: the verdict (dq.json, dq.html, state) and the archive."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from salespulse.plan import RunPlan, TeamRun
from salespulse.store.files import write_atomic
from salespulse.store.ledger import content_hash, report_versions
from salespulse.store.outputs import write_verdict
from salespulse.store.state import dq_history, latest_runs, record_dq
from salespulse.transforms.results import DqVerdict


def record_verdict(
    plan: RunPlan, run: TeamRun, verdict: DqVerdict, generated_at: datetime, lineage: dict[str, str]
) -> None:
    """Keep the verdict (dq.json, dq.html, the state database). dq.html is the live page: it shows the
    team's trend across the periods recorded so far and the files this run read, neither of which may enter
    the report (another period's run, or a week added to the export, would change it)."""
    from salespulse.reports.dq import render_dq_html

    record_dq(plan.state_db, run.team_id, run.period.label, verdict)
    history = dq_history(plan.state_db, run.team_id, up_to=run.period.label)
    write_verdict(run.report_dir, verdict)
    page = render_dq_html(
        plan.company, run.team_name, run.period.label, verdict, history, run.locale, generated_at, lineage=lineage
    )
    write_atomic(run.report_dir / "dq.html", page)


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
