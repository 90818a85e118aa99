"""What the CLI prints: plain-text tables and the lines that summarise a run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from flows.report_flow import RunOutcome


def print_summary(outcome: RunOutcome) -> None:
    """A backfill's result: counts by status, then each period that did not go through."""
    counts: dict[str, int] = {}
    for run in outcome.runs:
        counts[run.status] = counts.get(run.status, 0) + 1
    typer.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for run in outcome.runs:
        if run.exit_code:
            typer.echo(f"{run.team} {run.period}: {run.status} ({run.detail})")


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


def print_human(outcome: RunOutcome) -> None:
    for run in outcome.runs:
        typer.echo(f"{run.team} {run.period}: {run.status}" + (f" ({run.detail})" if run.detail else ""))
        for label, path in (("html", run.html), ("pdf", run.pdf), ("kpis", run.kpis)):
            if path:
                typer.echo(f"  {label:<6} {path}")
        for path in run.messages:
            typer.echo(f"  {'email':<6} {path}")


def dq_listing(rows: list[sqlite3.Row], period: str | None, ran: list[sqlite3.Row]) -> str:
    """`salespulse dq`: the history, or one period's failed checks; for a period with none, whether its
    checks ran and passed (`ran`: the period's rows of the history) or never ran."""
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
        columns = headings = ("period", "team", "checks", "critical", "warning", "info", "run_id")
    return table(headings, [[row[c] for c in columns] for row in rows])
