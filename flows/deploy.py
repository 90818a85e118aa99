"""Deployments: one per team, on a Cron schedule in the team's own timezone, served by `salespulse serve`.

Prefect only schedules runs on a real server (the temporary one a plain flow call starts never does), so
`serve` refuses to start without one instead of sitting idle while no report ever goes out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from salespulse.config import Config, Team, load_config
from salespulse.errors import UserError

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

FLOW_NAME = "weekly-report"
START_SERVER = "start one with `prefect server start` and export PREFECT_API_URL=http://127.0.0.1:4200/api"


def deployment_name(team_id: str) -> str:
    """`weekly-report/north`: what `prefect deployment run` and `run_deployment` take."""
    return f"{FLOW_NAME}/{team_id}"


def serve_teams(config_path: Path, team_id: str | None = None) -> None:
    """Register every team's deployment (or one team's) and run the reports as they come due, until stopped."""
    settings = load_config(config_path)
    teams = [settings.team(team_id)] if team_id else list(settings.teams)
    _check_secrets(settings, config_path)
    api_url = require_server()
    deployments = [team_deployment(settings, team, config_path.resolve()) for team in teams]
    for team in teams:
        print(f"{deployment_name(team.id)}: '{settings.schedule_of(team)}' in {settings.timezone_of(team)}")
    print(f"Prefect server: {api_url}")

    from prefect import serve

    # pause_on_shutdown=False: stopping (Ctrl-C, SIGTERM, a restart) keeps the schedule and the runs already
    # planned, so they run as soon as a runner is back instead of silently disappearing.
    serve(*deployments, pause_on_shutdown=False)


def team_deployment(settings: Config, team: Team, config_path: Path) -> RunnerDeployment:
    """`weekly-report/<team>`: the team's cron in its timezone, at most one run of the team at a time."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from salespulse.flows.report_flow import weekly_report

    cron, timezone, cadence = settings.schedule_of(team), settings.timezone_of(team), settings.cadence_of(team)
    return weekly_report.to_deployment(
        name=team.id,
        schedules=[Cron(cron, timezone=timezone)],
        # `period` is left out: None means "derive it from the run's scheduled time"; the UI can set it.
        parameters={"team": team.id, "config_path": str(config_path)},
        # A second run of the same team (a manual rerun while the scheduled one runs) waits for the first,
        # so two runs never write the same report folder or send the same email at once.
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        description=f"{team.name}: the {cadence} sales KPI report, '{cron}' in {timezone}.",
        tags=["salespulse", cadence],
        # The package is installed: a module path works from any working directory, a file path would not.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def require_server() -> str:
    """The API URL of a reachable Prefect server; a UserError (exit 2, one line) otherwise."""
    from prefect.settings import get_current_settings

    api_url = get_current_settings().api.url
    if not api_url:
        raise UserError(f"no Prefect server configured, and schedules only run on a real one: {START_SERVER}")
    problem = _health_problem()
    if problem:
        raise UserError(
            f"the Prefect server at {api_url} is not reachable ({problem}): start it with `prefect server start`"
            " or point PREFECT_API_URL at a running one"
        )
    return api_url


def _health_problem() -> str | None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    # No retries and a short timeout: a wrong URL should be reported in seconds, not after a minute of backoff.
    with (
        temporary_settings({PREFECT_CLIENT_MAX_RETRIES: 0}),
        get_client(httpx_settings={"timeout": 10}, sync_client=True) as client,
    ):
        error = client.api_healthcheck()
    if error is None:
        return None
    return f"{type(error).__name__}: {error}".replace("\n", " ")


def _check_secrets(settings: Config, config_path: Path) -> None:
    # Every scheduled run inherits this process's environment: a missing password would fail each one later.
    smtp = settings.smtp
    if smtp and smtp.username and not os.environ.get(smtp.password_env):
        raise UserError(f"smtp.username is set in {config_path} but ${smtp.password_env} is empty; export the password")
