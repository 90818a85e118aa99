"""`salespulse backfill`: every period of a range in one process, emailing nobody unless asked."""

import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml

from salespulse.demo.data import write_demo
from tests.flows.cli_helpers import assert_one_line_error, salespulse
from tests.flows.configs import LEAN, config_file
from tests.flows.crm_helpers import salespulse_here
from tests.flows.flow_runs import block_report_folder, recorded_runs
from tests.prefect_server import wait_for

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("backfill") / "data", scale=0.3)


def _config(tmp_path, demo_data, smtp_inbox=None):
    smtp = {"host": smtp_inbox.host, "port": smtp_inbox.port, "security": "plain"} if smtp_inbox else None
    path = config_file(tmp_path, **LEAN, smtp=smtp)
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) | {"data_dir": str(demo_data)}
    for team in settings["teams"]:
        team["goals"] = []  # a backfill's cost is per period: the leanest report that still runs every stage
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def test_a_backfill_of_three_weeks_renders_each_and_emails_nobody(
    tmp_path, demo_data, smtp_inbox, capfd, monkeypatch
):
    config = _config(tmp_path, demo_data, smtp_inbox)
    args = ("backfill", "--from", "2026-W45", "--to", "2026-W47", "--team", "north", "-c", str(config))
    # one layout process beside the run: the same path as a real backfill's, one process less to start
    result = salespulse_here(capfd, monkeypatch, *args, env={"COLUMNS": "120", "SALESPULSE_RENDER_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    assert "3 dry-run" in result.stdout and "3/3" in result.stdout + result.stderr  # the summary and the bar
    reports = sorted(p.parent.name for p in (tmp_path / "out" / "reports" / "north").glob("*/report.pdf"))
    assert reports == [f"2026-W{week}" for week in range(45, 48)]
    assert smtp_inbox.received == [] and not list((tmp_path / "out" / "outbox").glob("*.eml"))
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        rows = db.execute("select period, status, dry_run from runs order by id").fetchall()
    assert rows == [(f"2026-W{week}", "dry-run", 1) for week in range(45, 48)]
    index = (tmp_path / "out" / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(f"2026-W{week}" in index for week in range(45, 48))
    # The periods of a backfill share the KPI values they have in common (the trend's eleven windows): the
    # last one's figures are those of a run of that period alone.
    alone = tmp_path / "alone"
    alone.mkdir()
    one = ("run", "--period", "2026-W47", "--team", "north", "--dry-run", "-c", str(_config(alone, demo_data)))
    assert salespulse_here(capfd, monkeypatch, *one).returncode == 0
    kpis = [root / "out" / "reports" / "north" / "2026-W47" / "kpis.json" for root in (tmp_path, alone)]
    assert json.loads(kpis[0].read_text(encoding="utf-8")) == json.loads(kpis[1].read_text(encoding="utf-8"))
    # A backfill's period is one task run for its checks and KPIs; a run of one period keeps one per stage.
    backfilled = _task_runs("backfill", config, {"checks": 3, "render": 3})
    assert sorted(name for name in backfilled if name.startswith("checks-")) == [
        f"checks-north-2026-W{week}" for week in range(45, 48)
    ]
    assert not {name.rsplit("-", 1)[0] for name in backfilled} & set(PER_STAGE)
    alone_runs = _task_runs("weekly-report", one[-1], dict.fromkeys(PER_STAGE, 1))
    assert set(PER_STAGE) <= {name.rsplit("-", 1)[0] for name in alone_runs}


def test_a_period_whose_checks_crash_is_a_recorded_failure_and_the_backfill_goes_on(
    tmp_path, demo_data, capfd, monkeypatch
):
    config = _config(tmp_path, demo_data)
    block_report_folder(tmp_path, "north", "2026-W46")  # its dq.json, written by the checks, cannot go there
    args = ("backfill", "--from", "2026-W46", "--to", "2026-W47", "--team", "north", "-c", str(config))
    result = salespulse_here(capfd, monkeypatch, *args, env={"SALESPULSE_RENDER_WORKERS": "0"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert (tmp_path / "out" / "reports" / "north" / "2026-W47" / "report.pdf").exists()
    assert recorded_runs(tmp_path) == [("north", "2026-W46", "failed", 1), ("north", "2026-W47", "dry-run", 0)]


def test_a_backfill_with_send_emails_each_report_and_alerts_once_for_a_withheld_period(
    tmp_path, demo_data, smtp_inbox, capfd, monkeypatch
):
    config = _config(tmp_path, demo_data, smtp_inbox)
    args = ("backfill", "--from", "2026-W37", "--to", "2026-W38", "--team", "north", "--send", "-c", str(config))
    result = salespulse_here(capfd, monkeypatch, *args, env={"SALESPULSE_RENDER_WORKERS": "0"})
    assert result.returncode == 3, result.stdout + result.stderr  # a withheld period: exit 3
    assert "1 delivered, 1 withheld" in result.stdout
    sent = [(tuple(to), message["Subject"].split(" (")[0]) for to, message in smtp_inbox.received]
    assert sent == [
        (("data@northwind.example",), "Data-quality alert · North · 2026-W37 · 4 checks failed"),
        (("north-sales@northwind.example", "owner@northwind.example"), "Sales KPIs · North · 2026-W38"),
        (("data@northwind.example",), "salespulse · North · 2026-W38: runs are working again"),
    ]
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        rows = db.execute("select period, status, exit_code, dry_run from runs order by id").fetchall()
    assert rows == [("2026-W37", "withheld", 3, 0), ("2026-W38", "delivered", 0, 0)]
    # The operator runs it again: the ledger knows every message, so nobody hears anything twice.
    again = salespulse_here(capfd, monkeypatch, *args, env={"SALESPULSE_RENDER_WORKERS": "0"})
    assert again.returncode == 3
    assert [message["Subject"] for _, message in smtp_inbox.received[len(sent) :]] == []


PER_STAGE = ("recall", "validate", "keep", "compute")


def _task_runs(flow_name: str, config: object, wanted: dict[str, int]) -> list[str]:
    """The task run names of the flow run of `flow_name` given `config`, once the `wanted` number of runs of
    each task are in: the server records task runs from their events, a moment after the flow has returned."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        ended = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED, StateType.FAILED]))
        latest = client.read_flow_runs(  # the session's other tests share the server (and plan runs on it)
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(state=ended),
            sort=FlowRunSort.START_TIME_DESC,
            limit=50,
        )
        (flow_run,) = [run for run in latest if run.parameters.get("config_path") == str(config)]
        this_run = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))

        def names_once_in() -> list[str] | None:
            names = [task_run.name for task_run in client.read_task_runs(flow_run_filter=this_run)]
            counts = {task: sum(name.startswith(f"{task}-") for name in names) for task in wanted}
            return names if all(counts[task] >= n for task, n in wanted.items()) else None

        return wait_for(names_once_in, f"{wanted} task runs", None, Path(os.devnull), timeout=60)


@pytest.mark.parametrize(
    ("first", "last", "fragment"),
    [
        ("2026-W47", "2026-W40", "--to 2026-W40 ends before --from 2026-W47 starts"),
        ("2026-W99", "2026-W40", "--from '2026-W99': 2026 has no ISO week 99"),
        ("2026-W45", "2026-W46", "no complete monthly period lies wholly between 2026-W45 and 2026-W46"),
    ],
)
def test_a_bad_range_is_exit_2_with_one_line(tmp_path, demo_data, first, last, fragment):
    config = _config(tmp_path, demo_data)
    assert_one_line_error(salespulse("backfill", "--from", first, "--to", last, "--team", "south", "-c", str(config)),
                          2, fragment)  # fmt: skip
