"""What the CLI prints: plain-text tables and the lines that summarise a run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import typer

if TYPE_CHECKING:
    from salespulse.flows.report_flow import RunOutcome
    from salespulse.plan import TeamRun


def print_summary(outcome: RunOutcome, without: tuple[str, ...] | list[str] = ()) -> None:
    """A backfill's result: counts by status, then one line per period (team, period, status, exit code and
    why), then `without`: the teams that had no complete period in the range."""
    counts: dict[str, int] = {}
    for run in outcome.runs:
        counts[run.status] = counts.get(run.status, 0) + 1
    typer.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for run in outcome.runs:
        why = f"exit {run.exit_code}" + (f": {run.detail}" if run.detail else "")
        typer.echo(f"{run.team} {run.period}: {run.status} ({why})")
    for line in without:
        typer.echo(line)


def teams_without_periods(teams: list[TeamRun], runs: list[TeamRun], first: str, last: str) -> list[str]:
    """Lines like "south: no complete monthly period between 2026-W40 and 2026-W42": the teams a backfill skips."""
    backfilled = {run.team_id for run in runs}
    return [
        f"{team.team_id}: no complete {team.period.cadence} period between {first} and {last}"
        for team in teams
        if team.team_id not in backfilled
    ]


DELIVERY_HEADINGS = ("when (UTC)", "team", "period", "kind", "recipient", "try", "status", "reply", "version", "eml")


def delivery_row(row: sqlite3.Row) -> list[object]:
    when = row["recorded_at"].replace("T", " ").removesuffix("+00:00")
    columns = ("team", "period", "kind", "recipient", "attempt", "status", "smtp_reply")
    return [when, *(row[c] for c in columns), row["content_hash"][:12], Path(row["eml_path"]).name]


def table(headings: tuple[str, ...], rows: list[list[object]]) -> str:
    cells = [list(headings), *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headings))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def print_human(outcome: RunOutcome, public_url: str | None = None) -> None:
    """Each team run's status and files; a withheld one names its dq.html (its link, with a public_url)."""
    for run in outcome.runs:
        typer.echo(f"{run.team} {run.period}: {run.status}" + (f" ({run.detail})" if run.detail else ""))
        dq_page = dq_location(run.report_dir, public_url) if run.status == "withheld" else None
        for label, path in (("html", run.html), ("pdf", run.pdf), ("kpis", run.kpis), ("dq", dq_page)):
            if path:
                typer.echo(f"  {label:<6} {path}")
        for path in run.messages:
            typer.echo(f"  {'email':<6} {path}")


def dq_location(report_dir: str | None, public_url: str | None) -> str | None:
    """A period's dq.html: {public_url}/reports/<team>/<period>/dq.html when the reports are served, else its path."""
    if not report_dir:
        return None
    folder = Path(report_dir)
    if public_url:
        return f"{public_url.rstrip('/')}/reports/{quote(folder.parent.name)}/{quote(folder.name)}/dq.html"
    return str(folder / "dq.html")


def dq_status(row: sqlite3.Row, run_status: str | None) -> str:
    """clean, warnings, failed (critical checks failed) or withheld (and the latest run withheld the report)."""
    if row["critical"]:
        return "withheld" if run_status == "withheld" else "failed"
    return "warnings" if row["warning"] else "clean"


def dq_listing(
    rows: list[sqlite3.Row], period: str | None, ran: list[sqlite3.Row], runs: dict[tuple[str, str], str] | None = None
) -> str:
    """`salespulse dq`: the history (in time order, with each period's status; `runs`: the latest run's status
    by team and period), or one period's failed checks; for a period with none, whether its checks ran and
    passed (`ran`: the period's rows of the history) or never ran."""
    if period:
        if not rows:
            if ran:
                teams = ", ".join(f"{row['team']} ({row['checks']} checks)" for row in ran)
                return f"{period}: every check passed for {teams}."
            return (
                f"No data-quality results for {period}: no run of it is recorded; `salespulse run --period {period}`."
            )
        columns = ("team", "severity", "tbl", "col", "check_name", "failing", "total", "excluded")
        headings = ("team", "severity", "table", "column", "check", "failing", "rows", "left out")
    else:
        if not rows:
            return "No data-quality results."
        headings = ("period", "team", "status", "checks", "critical", "warning", "info", "run_id")
        statuses = runs or {}
        return table(
            headings,
            [
                [row["period"], row["team"], dq_status(row, statuses.get((row["team"], row["period"])))]
                + [row[c] for c in headings[3:]]
                for row in rows
            ],
        )
    return table(headings, [[row[c] for c in columns] for row in rows])
