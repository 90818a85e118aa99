"""The `salespulse` command. Heavy packages are imported inside commands so --help answers at once.

Exit codes: 0 delivered · 1 internal error · 2 bad usage, config or input files ·
3 data-quality failure, report withheld · 4 rendered but not delivered ·
5 another run of the same team and period is in progress.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.errors import EXIT_INTERNAL, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from flows.report_flow import RunOutcome, TeamOutcome

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = REPO_ROOT / "salespulse.example.yaml"

app = typer.Typer(
    help="Scheduled sales KPI reports: validate CRM data, compute KPIs, render HTML + PDF, email the team.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", envvar="SALESPULSE_CONFIG", help="YAML config file.", show_default=True),
]


@app.command()
def demo(
    config: ConfigOption = EXAMPLE_CONFIG,
    scale: Annotated[float, typer.Option(help="Size of the demo data (1 = a small company).")] = 1.0,
) -> None:
    """Make the demo data if absent and report its latest complete week."""
    from flows.config import load_config
    from flows.demo_data import DEMO_END, write_demo

    settings = load_config(config)
    if not (settings.data_dir / "deals.csv").exists():
        typer.echo(f"Writing demo data (scale {scale}) to {settings.data_dir} ...", err=True)
        write_demo(settings.data_dir, scale=scale)
    # The demo data ends on DEMO_END: report what was complete the day after, on each team's cadence.
    outcome = _run(config, period=None, team=None, dry_run=False, as_of=DEMO_END + timedelta(days=1))
    _print_human(outcome)
    raise typer.Exit(outcome.exit_code)


@app.command()
def run(
    period: Annotated[str | None, typer.Option(help="2026-W47, 2026-11 or 2026-Q4; default: last complete.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Render the report but send nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
) -> None:
    """Report one period (default: the last complete one) for one team or every team."""
    outcome = _run(config, period=period, team=team, dry_run=dry_run)
    if as_json:
        typer.echo(json.dumps(outcome.as_dict(), ensure_ascii=False))
    else:
        _print_human(outcome)
    raise typer.Exit(outcome.exit_code)


@app.command()
def dq(
    period: Annotated[str | None, typer.Option(help="Show the failed checks of this period.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
) -> None:
    """Print the data-quality history across periods, or one period's failed checks."""
    from flows.config import load_config
    from flows.plan import state_db
    from flows.state import dq_table

    settings = load_config(config)
    if team:
        settings.team(team)  # an unknown team is a usage error, not an empty table
    db = state_db(settings)
    if not db.exists():
        raise UserError(f"{db}: no data-quality results yet; run `salespulse run` first")
    rows = dq_table(db, period, team)
    if period:
        columns = ("team", "severity", "tbl", "col", "check_name", "failing", "total", "excluded")
        headings = ("team", "severity", "table", "column", "check", "failing", "rows", "left out")
    else:
        columns = ("period", "team", "checks", "critical", "warning", "info", "run_id")
        headings = columns
    typer.echo(_table(headings, [[row[c] for c in columns] for row in rows]))
    if not rows:
        typer.echo(f"No data-quality results{f' for {period}' if period else ''}.")


@app.command()
def backfill(
    first: Annotated[str, typer.Option("--from", help="First period, e.g. 2026-W01 (or 2026-01, 2026-Q1).")],
    last: Annotated[str, typer.Option("--to", help="Last period, e.g. 2026-W40.")],
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
    send: Annotated[
        bool, typer.Option("--send", help="Email the reports; by default a backfill emails nobody.")
    ] = False,
) -> None:
    """Render every complete period in a range on each team's cadence, in one process."""
    from flows.config import load_config
    from flows.plan import plan_backfill

    _preflight(config, None, team, sending=send)
    _, runs = plan_backfill(load_config(config), first, last, team, datetime.now(UTC))
    outcome = _backfill_with_progress(config, first, last, team, send, total=len(runs))
    _print_summary(outcome)
    raise typer.Exit(outcome.exit_code)


def _backfill_with_progress(
    config: Path, first: str, last: str, team: str | None, send: bool, total: int
) -> RunOutcome:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from flows.backfill import backfill as backfill_flow
    from flows.backfill import on_each_period

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("backfill", total=total)

        def advance(done: TeamOutcome) -> None:
            progress.update(task, advance=1, description=f"{done.team} {done.period}: {done.status}")

        stop_listening = on_each_period(advance)
        try:
            state = backfill_flow(
                first=first, last=last, team=team, config_path=str(config), send=send, return_state=True
            )
        finally:
            stop_listening()
    return _outcome_of(state)


def _print_summary(outcome: RunOutcome) -> None:
    """A backfill's result: counts by status, then each period that did not go through."""
    counts: dict[str, int] = {}
    for run in outcome.runs:
        counts[run.status] = counts.get(run.status, 0) + 1
    typer.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for run in outcome.runs:
        if run.exit_code:
            typer.echo(f"{run.team} {run.period}: {run.status} ({run.detail})")


def _table(headings: tuple[str, ...], rows: list[list[object]]) -> str:
    cells = [list(headings), *[["" if v is None else str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headings))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _preflight(config: Path, period: str | None, team: str | None, sending: bool = True) -> None:
    """Everything a user can get wrong, checked before Prefect starts, so mistakes cost no seconds."""
    from flows.config import load_config
    from flows.plan import plan_run

    settings = load_config(config)
    plan_run(settings, period, team, datetime.now(UTC))
    if not settings.data_dir.is_dir():
        raise UserError(
            f"{settings.data_dir}: data folder not found; set data_dir in {config} or run `salespulse demo`"
        )
    smtp = settings.smtp
    if sending and smtp and smtp.username and not os.environ.get(smtp.password_env):
        raise UserError(f"smtp.username is set in {config} but ${smtp.password_env} is empty; export the password")
    from flows.sources import check_tables

    check_tables(settings.data_dir)  # a broken file stops here, before Prefect starts or anything is written


def _run(config: Path, period: str | None, team: str | None, dry_run: bool, as_of: date | None = None) -> RunOutcome:
    _preflight(config, period, team, sending=not dry_run)
    from flows.report_flow import weekly_report

    state = weekly_report(
        period=period, team=team, config_path=str(config), dry_run=dry_run, as_of=as_of, return_state=True
    )
    return _outcome_of(state)


def _outcome_of(state: object) -> RunOutcome:
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _print_human(outcome: RunOutcome) -> None:
    for run in outcome.runs:
        typer.echo(f"{run.team} {run.period}: {run.status}" + (f" ({run.detail})" if run.detail else ""))
        for label, path in (("html", run.html), ("pdf", run.pdf), ("kpis", run.kpis)):
            if path:
                typer.echo(f"  {label:<6} {path}")
        for path in run.messages:
            typer.echo(f"  {'email':<6} {path}")


def main() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    try:
        # Without standalone mode, Click returns the code of a `typer.Exit` instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except UserError as err:
        typer.echo(f"salespulse: {err}", err=True)
        sys.exit(err.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(EXIT_USAGE)
    except typer.exceptions.TyperException as err:  # bad options: the usual usage message, exit 2
        show = getattr(err, "show", None)
        show() if show else typer.echo(f"salespulse: {err}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as err:  # noqa: BLE001 - the last line of defence prints one line, not a traceback
        if os.environ.get("SALESPULSE_DEBUG"):
            raise
        typer.echo(
            f"salespulse: internal error: {type(err).__name__}: {err} (SALESPULSE_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
