"""Backfill: every period of a range, for one team or all, in one process and from one ingest.

One flow run, not one per period: the files are read and validated once, Prefect starts once, and each
period costs only its own checks, KPIs and rendering. By default nothing is emailed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from salespulse.config import load_config
from salespulse.flows import stages
from salespulse.flows.report_flow import RunOutcome, TeamOutcome, finished, report_runs
from salespulse.plan import plan_backfill

# Called after each team and period, in this process: the CLI's progress bar. A flow parameter can't
# carry it (parameters are sent to the Prefect API), and a backfill runs in the caller's process.
_listeners: list[Callable[[TeamOutcome], None]] = []


def on_each_period(listener: Callable[[TeamOutcome], None]) -> Callable[[], None]:
    """Register `listener`; returns the function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def _notify(outcome: TeamOutcome) -> None:
    for listener in list(_listeners):
        listener(outcome)


@flow(name="backfill", log_prints=True)
def backfill(
    first: str,
    last: str,
    team: str | None = None,
    config_path: str = "salespulse.yaml",
    send: bool = False,
) -> RunOutcome:
    """Render every complete period from `first` to `last` (2026-W01 … 2026-W40) on each team's cadence;
    email them only with `send`."""
    plan, runs = plan_backfill(load_config(Path(config_path)), first, last, team, datetime.now(UTC))
    ingested = stages.ingest(plan.data_dir)
    outcome = report_runs(plan, runs, ingested, dry_run=not send, on_done=_notify)
    return finished(plan, outcome)


def backfill_with_progress(config: Path, first: str, last: str, team: str | None, send: bool, total: int) -> RunOutcome:
    """Run the backfill flow with a Rich progress bar that moves as each team and period ends."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("backfill", total=total)

        def advance(done: TeamOutcome) -> None:
            progress.update(task, advance=1, description=f"{done.team} {done.period}: {done.status}")

        stop_listening = on_each_period(advance)
        try:
            state = backfill(first=first, last=last, team=team, config_path=str(config), send=send, return_state=True)
        finally:
            stop_listening()
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome
