"""A real `prefect server start` on loopback: `salespulse serve` registers one deployment per team, a run for
a past schedule slot reports the slot's period and is emailed, and stopping serve keeps the schedule.

The server (tests/prefect_server.py), serve and the workers run as subprocesses in their own process groups,
with a temporary PREFECT_HOME; every group is stopped in teardown, whatever happened.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.flows.configs import EXAMPLE
from tests.net import free_port
from tests.prefect_server import BIN, QUIET, client_env, running, start_server, stop, tail, wait_for, wait_until_healthy

# One worker runs this whole file (`--dist loadgroup`): a work pool named once, deployments named per team
# (and `server_alone` below, whatever the scheduler does).
pytestmark = [pytest.mark.xdist_group("prefect-server"), pytest.mark.slow]

LEAN = {"kpis": ["won_revenue", "deals_won", "win_rate"], "headline_kpis": ["won_revenue"]}
# The Monday after the US spring-forward: 07:00 New York is 11:00 UTC that day (12:00 the Monday before).
SLOT = datetime(2026, 3, 9, 7, tzinfo=ZoneInfo("America/New_York"))
DEMO_END = date(2026, 3, 8)  # the demo data ends the Sunday before the slot


@pytest.fixture(scope="module")
def prefect_server(prefect_api: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment that points a client at a real Prefect server, once it answers: the session's shared
    server under `-n N`, else one started for this module."""
    home = tmp_path_factory.mktemp("prefect-home")
    if prefect_api is not None:
        yield client_env(home, prefect_api)
        return
    process, api_url, log = start_server(home)
    try:
        wait_until_healthy(api_url, process, log)
        yield client_env(home, api_url)
    finally:
        stop(process)


@pytest.fixture
def server_alone(prefect_server: dict[str, str]) -> Iterator[dict[str, str]]:
    """The server, with no other test of this file at work on it: both name their deployments
    weekly-report/<team>, and serve would run the other's flow runs. `--dist loadgroup` keeps this file on
    one worker (through tests/xdist_groups.py under pytest 9.2; without that, the two tests ran on gw0 and
    gw1 at once and both failed). The lock on a file named for the server holds whatever the
    scheduler does: under another `--dist`, or another pytest."""
    port = prefect_server["PREFECT_API_URL"].rsplit(":", 1)[1].split("/")[0]
    with (Path(tempfile.gettempdir()) / f"salespulse-test-prefect-{port}.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
        yield prefect_server


@contextmanager
def client_of(env: dict[str, str]) -> Iterator[Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}), get_client(sync_client=True) as client:
        yield client


def serve_config(tmp_path: Path, smtp_port: int) -> Path:
    from salespulse.demo.data import write_demo

    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings |= LEAN | {
        "data_dir": str(write_demo(tmp_path / "data", scale=0.2, end=DEMO_END)),
        "output_dir": str(tmp_path / "out"),
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "plain", "retry_delays_seconds": [0.1]},
    }
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def test_serve_without_a_server_says_how_to_start_one_in_one_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH")}
    env |= QUIET | {"PREFECT_HOME": str(tmp_path / "home")}  # no profile that sets a URL either
    config = tmp_path / "salespulse.yaml"
    config.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    args = [str(BIN / "salespulse"), "serve", "--config", str(config)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "no Prefect server configured" in line and "`prefect server start`" in line
    assert "PREFECT_API_URL=http://127.0.0.1:4200/api" in line


def test_serve_names_an_unreachable_server():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from salespulse.errors import UserError
    from salespulse.flows.deploy import require_server

    api_url = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    with temporary_settings({PREFECT_API_URL: api_url}), pytest.raises(UserError) as refused:
        require_server()
    assert f"the Prefect server at {api_url} is not reachable (ConnectError" in str(refused.value)


def test_serve_schedules_each_team_and_a_past_slot_reports_its_own_period(server_alone, tmp_path, smtp_inbox):
    prefect_server = server_alone
    config = serve_config(tmp_path, smtp_inbox.port)
    log = tmp_path / "serve.log"
    env = {**prefect_server, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}  # pick the triggered run up at once
    with running([str(BIN / "salespulse"), "serve", "--config", str(config)], env, log) as serve:
        with client_of(prefect_server) as client:
            # serve registers the teams one after the other
            north, south = wait_for(lambda: _deployments(client, config), "both deployments", serve, log, timeout=120)
            assert _schedule(north) == ("0 7 * * 1", "America/New_York")
            assert _schedule(south) == ("0 7 1 * *", "America/Chicago")
            assert north.parameters == {"team": "north", "config_path": str(config)}
            assert north.global_concurrency_limit.limit == 1 and not north.paused
            flow_run = _run_past_slot(prefect_server)
            assert flow_run.state.is_completed(), f"{flow_run.state}:\n{tail(log)}"
            # Prefect keeps the slot as the run's expected start, months after it: the period follows the slot
            assert flow_run.expected_start_time == SLOT
            keys = {a.key for a in client.read_artifacts() if a.flow_run_id == flow_run.id}
            assert {f"north-2026-w10-{kind}" for kind in ("kpis", "dq", "report", "pdf")} <= keys
            planned = wait_for(lambda: _planned(client, north.id), "planned runs", serve, log, timeout=120)
        (message,) = smtp_inbox.messages_to("north-sales@northwind.example")
        assert message["Subject"].startswith("Sales KPIs · North · 2026-W10")
        assert stop(serve) == 0, tail(log)  # SIGTERM: a clean shutdown
    # the server plans Mondays 07:00 in New York, whatever the UTC offset of the day
    assert {(start.weekday(), start.hour, start.minute) for start in planned.values()} == {(0, 7, 0)}
    with client_of(prefect_server) as client:
        # pause_on_shutdown=False: the schedule stays active and the planned runs stay planned
        assert not client.read_deployment_by_name("weekly-report/north").paused
        assert planned.keys() <= _planned(client, north.id).keys()


def _run_past_slot(env: dict[str, str]) -> Any:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # No period: the run must derive it from its scheduled start, in New York, as a scheduled run does.
    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return run_deployment("weekly-report/north", scheduled_time=SLOT, timeout=300, poll_interval=1)


def _deployments(client: Any, config: Path) -> list[Any] | None:
    """Both teams' deployments once serve has registered them from `config` (the work-pool test may have
    left deployments of the same names, from prefect.yaml, on the shared server)."""
    from prefect.exceptions import ObjectNotFound

    try:
        found = [client.read_deployment_by_name(f"weekly-report/{team}") for team in ("north", "south")]
    except ObjectNotFound:
        return None
    return found if all(d.parameters.get("config_path") == str(config) for d in found) else None


def _schedule(deployment: Any) -> tuple[str, str]:
    (schedule,) = deployment.schedules
    return schedule.schedule.cron, schedule.schedule.timezone


def _planned(client: Any, deployment_id: Any) -> dict[Any, datetime]:
    """The deployment's runs still waiting for their time: id → expected start in New York."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    runs = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
        ),
    )
    return {run.id: run.expected_start_time.astimezone(SLOT.tzinfo) for run in runs}


ROOT = Path(__file__).resolve().parents[2]


def test_two_workers_on_a_work_pool_split_the_team_runs_and_deliver_every_report(server_alone, tmp_path, smtp_inbox):
    """The shipped prefect.yaml deployed to a process work pool; two workers, one run at a time each, so
    the two team runs go one to each worker (a worker at its limit leaves the next run to the other)."""
    prefect_server = server_alone
    config = serve_config(tmp_path, smtp_inbox.port)
    env = {**prefect_server, "SALESPULSE_HOME": str(ROOT), "PREFECT_WORKER_QUERY_SECONDS": "1"}
    prefect = str(BIN / "prefect")
    for args in (["work-pool", "create", "reports-pool", "--type", "process"], ["--no-prompt", "deploy", "--all"]):
        done = subprocess.run([prefect, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
    logs = [tmp_path / f"worker-{name}.log" for name in ("a", "b")]
    worker = [prefect, "worker", "start", "--pool", "reports-pool", "--limit", "1"]
    with running([*worker, "--name", "worker-a"], env, logs[0]), running([*worker, "--name", "worker-b"], env, logs[1]):
        runs = _start_team_runs(prefect_server, config)
        finished = _wait_until_final(prefect_server, runs, timeout=600)
    assert all(run.state.is_completed() for run in finished), [(r.name, r.state.name) for r in finished]
    ran_by = [{str(run.id) for run in finished if str(run.id) in log.read_text(errors="replace")} for log in logs]
    assert ran_by[0] and ran_by[1] and ran_by[0] | ran_by[1] == {str(run.id) for run in finished}, ran_by
    # the team and period of each report sent (South's subject is in Spanish)
    sent = sorted(tuple(message["Subject"].split(" (")[0].split(" · ")[1:3]) for _, message in smtp_inbox.received)
    assert sent == [("North", "2026-W09"), ("South", "2026-02")]


def _start_team_runs(env: dict[str, str], config: Path) -> list[Any]:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    wanted = [("north", "2026-W09"), ("south", "2026-02")]
    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return [
            run_deployment(
                f"weekly-report/{team}", parameters={"period": period, "config_path": str(config)}, timeout=0
            )
            for team, period in wanted
        ]


def _wait_until_final(env: dict[str, str], runs: list[Any], timeout: float) -> list[Any]:
    deadline = time.monotonic() + timeout
    with client_of(env) as client:
        while time.monotonic() < deadline:
            current = [client.read_flow_run(run.id) for run in runs]
            if all(run.state.is_final() for run in current):
                return current
            time.sleep(1)
    raise AssertionError(f"team runs not final within {timeout} s: {[(r.name, r.state.name) for r in current]}")
