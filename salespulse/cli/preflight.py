"""What a run does before its flow: check everything a user can get wrong, take the team+period locks, start
Prefect's temporary server. In this order, so that a mistake or a busy period costs no Prefect start-up and no
ingest, and a slow server start is waited for and retried (salespulse/cli/temporary_server.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from salespulse.errors import UserError

if TYPE_CHECKING:
    from salespulse.plan import RunPlan, TeamRun


def preflight(
    config: Path, period: str | None, team: str | None, sending: bool = True, now: datetime | None = None
) -> RunPlan:
    """Everything a user can get wrong, checked before Prefect starts, so mistakes cost no seconds; returns
    the run's plan as of `now` (default: now)."""
    from salespulse.config import load_config
    from salespulse.plan import plan_run

    settings = load_config(config)
    plan = plan_run(settings, period, team, now or datetime.now(UTC))
    source = settings.data_source()
    if isinstance(source, Path) and not source.is_dir():
        raise UserError(f"{source}: data folder not found; set data_dir in {config} or run `salespulse demo`")
    smtp = settings.smtp
    if sending and smtp and smtp.username and not os.environ.get(smtp.password_env):
        raise UserError(f"smtp.username is set in {config} but ${smtp.password_env} is empty; export the password")
    from salespulse.sources.load import check_tables

    check_tables(source)  # a broken file stops here, before Prefect starts or anything is written
    return plan


@contextmanager
def locked(plan: RunPlan, runs: Sequence[TeamRun]) -> Iterator[list[TeamRun]]:
    """Hold the lock of each team and period of `runs` before Prefect starts and before any data is read, so a
    busy run exits 5 at once; yields the runs held. Some busy: the others go ahead and the flow reports the
    busy ones (exit 5 at the end). The flow takes the same locks again: re-entrant in this process."""
    from salespulse.store.locks import all_busy, period_locks

    keys = [(run.team_id, run.period.label) for run in runs]
    with period_locks(plan.locks_dir, keys) as refused:
        if refused and len(refused) == len(set(keys)):
            raise all_busy(refused)
        yield [run for run in runs if (run.team_id, run.period.label) not in refused]


def start_prefect(plan: RunPlan, runs: Sequence[TeamRun], notify: bool) -> None:
    """Start the temporary Prefect server when one is needed, retried when slow; when it never answers, the
    runs are recorded as failed and (when `notify`) the owners alerted before exit 1."""
    from salespulse.cli.temporary_server import ServerDidNotStart, start_temporary_server

    try:
        start_temporary_server(lambda line: typer.echo(line, err=True))
    except ServerDidNotStart as err:
        from salespulse.mail.owner_notices import alert_not_started

        try:
            alert_not_started(plan, runs, f"the run could not start: {err}", notify)
        except Exception as alert_error:  # noqa: BLE001 - the failure to start is the error to report
            typer.echo(f"salespulse: the owners could not be alerted: {type(alert_error).__name__}: {alert_error}",
                       err=True)  # fmt: skip
        raise
