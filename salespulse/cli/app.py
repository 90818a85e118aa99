"""The `salespulse` command. Heavy packages are imported inside commands so --help answers at once.

Exit codes: 0 delivered · 1 internal error, or Prefect's temporary server never started (the run is recorded
and the owners alerted) · 2 bad usage, config or input files · 3 data-quality failure, report withheld ·
4 rendered but not delivered · 5 another run of the same team and period is in progress (known before Prefect
starts: salespulse/cli/preflight.py).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salespulse.cli.output import DELIVERY_HEADINGS, delivery_row, print_human, print_summary, table
from salespulse.cli.preflight import locked, preflight, start_prefect
from salespulse.errors import EXIT_INTERNAL, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from salespulse.flows.report_flow import RunOutcome

REPO_ROOT = Path(__file__).resolve().parents[2]
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
    from salespulse.config import load_config
    from salespulse.demo.data import DEMO_END, write_demo

    settings = load_config(config)
    if settings.data_dir is None:
        raise UserError(f"{config}: the demo writes its data to data_dir; use a config with data_dir, not source")
    if not (settings.data_dir / "deals.csv").exists():
        typer.echo(f"Writing demo data (scale {scale}) to {settings.data_dir} ...", err=True)
        write_demo(settings.data_dir, scale=scale)
    # The demo data ends on DEMO_END: report what was complete the day after, on each team's cadence.
    outcome = _run(config, period=None, team=None, dry_run=False, as_of=DEMO_END + timedelta(days=1))
    print_human(outcome)
    raise typer.Exit(outcome.exit_code)


@app.command()
def run(
    period: Annotated[str | None, typer.Option(help="2026-W47, 2026-11 or 2026-Q4; default: last complete.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Render the report but send nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")] = False,
    resend: Annotated[bool, typer.Option("--resend", help="Send even to recipients who already have it.")] = False,
) -> None:
    """Report one period (default: the last complete one) for one team or every team."""
    outcome = _run(config, period=period, team=team, dry_run=dry_run, resend=resend)
    if as_json:
        typer.echo(json.dumps(outcome.as_dict(), ensure_ascii=False))
    else:
        from salespulse.config import load_config

        print_human(outcome, load_config(config).public_url)
    raise typer.Exit(outcome.exit_code)


@app.command()
def dq(
    period: Annotated[str | None, typer.Option(help="Show the failed checks of this period.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
) -> None:
    """Print the data-quality history across periods, or one period's failed checks."""
    from salespulse.cli.output import dq_listing
    from salespulse.store.state import dq_table, latest_runs

    db, period = _state_db(config, team, "data-quality results"), _label(period)
    rows = dq_table(db, period, team)
    ran = [row for row in dq_table(db, None, team) if row["period"] == period] if period and not rows else []
    runs = {(row["team"], row["period"]): row["status"] for row in latest_runs(db)}
    typer.echo(dq_listing(rows, period, ran, runs))


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
    from salespulse.cli.output import teams_without_periods
    from salespulse.config import load_config
    from salespulse.plan import plan_backfill

    preflight(config, None, team, sending=send)
    plan, runs = plan_backfill(load_config(config), first, last, team, datetime.now(UTC))
    # One period is locked before Prefect starts; a range locks each period as the flow reaches it (hundreds
    # of periods held at once would be hundreds of open files).
    with locked(plan, runs if len(runs) == 1 else []):
        start_prefect(plan, runs, notify=send)
        from salespulse.flows.backfill import backfill_with_progress

        outcome = backfill_with_progress(config, first, last, team, send, total=len(runs))
    print_summary(outcome, teams_without_periods(list(plan.teams), runs, first, last))
    raise typer.Exit(outcome.exit_code)


@app.command()
def deliveries(
    period: Annotated[str | None, typer.Option(help="Only this period.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
) -> None:
    """Print the delivery ledger: every recipient's attempts, with the SMTP reply."""
    from salespulse.store.ledger import history

    period = _label(period)
    rows = history(_state_db(config, team, "deliveries"), period, team)
    if not rows:
        typer.echo(f"No deliveries{f' for {period}' if period else ''}.")
        return
    typer.echo(table(DELIVERY_HEADINGS, [delivery_row(row) for row in rows]))


@app.command()
def resend(
    failed: Annotated[bool, typer.Option("--failed", help="Retry the recipients whose latest attempt failed.")] = False,
    period: Annotated[str | None, typer.Option(help="Only this period.")] = None,
    team: Annotated[str | None, typer.Option(help="One team id; default: every team.")] = None,
    config: ConfigOption = Path("salespulse.yaml"),
) -> None:
    """Send again, from the .eml in the outbox, to the recipients whose latest attempt failed."""
    from salespulse.config import load_config
    from salespulse.errors import EXIT_DELIVERED, EXIT_NOT_DELIVERED
    from salespulse.mail.delivery import resend_failed

    if not failed:
        raise UserError("resend needs --failed; to send a report again to everyone use `salespulse run --resend`")
    period = _label(period)
    results = resend_failed(_state_db(config, team, "deliveries"), load_config(config).smtp, period, team)
    if not results:
        typer.echo(f"Nothing to resend: no recipient's latest delivery failed{f' in {period}' if period else ''}.")
    for key, delivery in results:
        status = "delivered" if delivery.status == "sent" else "not delivered"
        typer.echo(f"{key.team} {key.period} {key.kind}: {status} ({delivery.detail})")
    raise typer.Exit(EXIT_NOT_DELIVERED if any(d.status != "sent" for _, d in results) else EXIT_DELIVERED)


def _label(period: str | None) -> str | None:
    """A --period filter in its canonical form (2026-w47 → 2026-W47): a typo is a usage error, not an empty
    listing."""
    from salespulse.plan import period_option

    return None if period is None else period_option(period).label


def _state_db(config: Path, team: str | None, what: str) -> Path:
    """The state database a read-only command reads, once it exists; `what` names what it would hold."""
    from salespulse.config import load_config
    from salespulse.plan import state_db

    settings = load_config(config)
    if team:
        settings.team(team)  # an unknown team is a usage error, not an empty table
    db = state_db(settings)
    if not db.exists():
        raise UserError(f"{db}: no {what} yet; run `salespulse run` first")
    return db


@app.command()
def serve(
    config: ConfigOption = Path("salespulse.yaml"),
    team: Annotated[str | None, typer.Option(help="Serve one team; default: every team.")] = None,
) -> None:
    """Register one deployment per team on its schedule and run the reports as they come due (needs
    `prefect server start` and PREFECT_API_URL). Stopping keeps the schedules and the runs already planned."""
    from salespulse.flows.deploy import serve_teams

    serve_teams(config, team)


def _run(
    config: Path, period: str | None, team: str | None, dry_run: bool, as_of: date | None = None, resend: bool = False
) -> RunOutcome:
    # The flow plans a demo's period at noon UTC on `as_of`: the same instant here, so the same periods are locked.
    now = datetime.combine(as_of, time(12), tzinfo=UTC) if as_of else None
    plan = preflight(config, period, team, sending=not dry_run, now=now)
    with locked(plan, plan.teams) as runs:
        start_prefect(plan, runs, notify=not dry_run)
        from salespulse.flows.report_flow import weekly_report

        state = weekly_report(
            period=period,
            team=team,
            config_path=str(config),
            dry_run=dry_run,
            as_of=as_of,
            resend=resend,
            return_state=True,
        )
    return _outcome_of(state)


def _outcome_of(state: object) -> RunOutcome:
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


@app.command()
def inspect(
    path: Annotated[Path, typer.Argument(help="An export (.csv, .xlsx, .parquet) or a folder of them.")],
    as_yaml: Annotated[bool, typer.Option("--yaml", help="Print a source: block to paste into the config.")] = False,
    sheet: Annotated[str | None, typer.Option(help="The sheet of an .xlsx file; default: the first.")] = None,
) -> None:
    """Show an export's columns, their kinds, samples and a suggested mapping."""
    from salespulse.onboarding.inspect import as_text, inspect_path
    from salespulse.onboarding.inspect_yaml import as_yaml as yaml_block

    inspection = inspect_path(path, sheet)
    typer.echo(yaml_block(inspection) if as_yaml else as_text(inspection))


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The folder of CRM exports (or of weekly drop folders).")],
    config: ConfigOption = Path("salespulse.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite the config file if it exists.")] = False,
) -> None:
    """Write a salespulse.yaml for a folder of CRM exports: answer its TODO lines, then `salespulse check-config`."""
    from salespulse.onboarding.init_config import write_config

    typer.echo(write_config(folder, config, force))


@app.command("check-config")
def check_config(
    config: ConfigOption = Path("salespulse.yaml"),
    period: Annotated[str | None, typer.Option(help="The period whose gate to predict; default: a run's.")] = None,
) -> None:
    """Check the config, its mapping and the data-quality gate against the data, without running a report
    (exit 2 on a problem)."""
    from salespulse.config import load_config
    from salespulse.onboarding.check_config import check_config as check
    from salespulse.onboarding.check_config import summary
    from salespulse.onboarding.check_gate import NOT_CHECKED

    lines, problems = summary(check(load_config(config), period))
    typer.echo("\n".join(lines))
    for problem in problems:
        typer.echo(f"salespulse: {problem}", err=True)
    if problems:
        raise typer.Exit(EXIT_USAGE)
    command = f"salespulse run --period {period}" if period else "salespulse run"
    typer.echo(f"{config}: OK, ready for `{command}`; {NOT_CHECKED}")


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
