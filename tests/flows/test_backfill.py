"""`salespulse backfill`: every period of a range in one process, emailing nobody unless asked."""

import json
import os
import re
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


def test_a_backfill_of_three_weeks_renders_each_and_emails_nobody(tmp_path, demo_data, smtp_inbox, capfd, monkeypatch):
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
    # A period's checks and KPIs are one task run, in a backfill and in a run of one period alike.
    backfilled = _task_runs("backfill", config, {"checks": 3, "render": 3})
    assert sorted(name for name in backfilled if name.startswith("checks-")) == [
        f"checks-north-2026-W{week}" for week in range(45, 48)
    ]
    alone_runs = _task_runs("weekly-report", one[-1], {"checks": 1, "render": 1})
    assert [name for name in alone_runs if name.startswith("checks-")] == ["checks-north-2026-W47"]
    assert not {name.rsplit("-", 1)[0] for name in backfilled + alone_runs} & {"recall", "validate", "keep", "compute"}


def test_a_period_whose_checks_crash_is_a_recorded_failure_and_the_backfill_goes_on(
    tmp_path, demo_data, capfd, monkeypatch
):
    config = _config(tmp_path, demo_data)
    block_report_folder(tmp_path, "north", "2026-W46")  # its dq.json, its first file, cannot go there
    args = ("backfill", "--from", "2026-W46", "--to", "2026-W47", "--team", "north", "-c", str(config))
    result = salespulse_here(capfd, monkeypatch, *args, env={"SALESPULSE_RENDER_WORKERS": "0"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert (tmp_path / "out" / "reports" / "north" / "2026-W47" / "report.pdf").exists()
    assert recorded_runs(tmp_path) == [("north", "2026-W46", "failed", 1), ("north", "2026-W47", "dry-run", 0)]
    # The checks had ended before the crash: W46's verdict is recorded with its failed run.
    assert [row[0] for row in _verdicts(tmp_path)] == ["2026-W46", "2026-W47"]


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


def test_each_period_of_a_pipelined_backfill_is_recorded_once_with_its_verdict_trend_and_artifacts(
    tmp_path, demo_data, capfd, monkeypatch
):
    """The record step, for a backfill whose next period is validated while the one before is laid out: W37
    is withheld (a critical failure), W38 and W39 are rendered."""
    config = _config(tmp_path, demo_data)
    args = ("backfill", "--from", "2026-W37", "--to", "2026-W39", "--team", "north", "-c", str(config))
    result = salespulse_here(capfd, monkeypatch, *args, env={"SALESPULSE_RENDER_WORKERS": "1"})
    assert result.returncode == 3, result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        runs = db.execute("select period, status, dq_checks > 0, dq_failures from runs order by id").fetchall()
    verdicts = _verdicts(tmp_path)
    assert [row[0] for row in verdicts] == ["2026-W37", "2026-W38", "2026-W39"]
    assert verdicts[0][1] == 3  # W37's critical failures in this module's demo data (scale 0.3)
    # Each run row carries its period's verdict: the failures counted are those of dq_results.
    assert [(period, status, bool(checked)) for period, status, checked, _ in runs] == [
        ("2026-W37", "withheld", True), ("2026-W38", "dry-run", True), ("2026-W39", "dry-run", True),
    ]  # fmt: skip
    assert [failures for *_, failures in runs] == [sum(row[1:]) for row in verdicts]
    # A period's dq.html trend runs up to that period, the ones recorded before it included.
    page = {week: (tmp_path / "out" / "reports" / "north" / f"2026-W{week}" / "dq.html").read_text(encoding="utf-8")
            for week in (37, 38, 39)}  # fmt: skip
    assert [_trend(page[week]) for week in (37, 38, 39)] == [
        ["2026-W37"], ["2026-W37", "2026-W38"], ["2026-W37", "2026-W38", "2026-W39"],
    ]  # fmt: skip
    # Artifacts: the withheld week's DQ summary only; each rendered week's table, summary and both links.
    assert _artifacts("backfill", config) == {
        "north-2026-w37-dq",
        *(f"north-2026-w{week}-{kind}" for week in (38, 39) for kind in ("dq", "kpis", "report", "pdf")),
    }


def _trend(page: str) -> list[str]:
    return re.findall(r'data-period="([^"]+)"', page)


def _verdicts(tmp_path: Path) -> list[tuple[str, int, int, int]]:
    """(period, critical, warning, info) of north's recorded verdicts, in period order."""
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        query = "select period, critical, warning, info from dq_results where team = 'north' order by period"
        return db.execute(query).fetchall()


def _flow_run_filter(flow_name: str, config: object):  # noqa: ANN202 - a Prefect filter
    """The filter for the ended flow run of `flow_name` given `config` (the session's other tests share the
    server, and plan runs on it)."""
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
        latest = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(state=ended),
            sort=FlowRunSort.START_TIME_DESC,
            limit=50,
        )
    (flow_run,) = [run for run in latest if run.parameters.get("config_path") == str(config)]
    return FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))


def _artifacts(flow_name: str, config: object) -> set[str]:
    """The artifact keys of the flow run of `flow_name` given `config`."""
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    this_run = _flow_run_filter(flow_name, config)
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=this_run.id.any_))
        )
    return {artifact.key for artifact in found}


def _task_runs(flow_name: str, config: object, wanted: dict[str, int]) -> list[str]:
    """The task run names of the flow run of `flow_name` given `config`, once the `wanted` number of runs of
    each task are in: the server records task runs from their events, a moment after the flow has returned."""
    from prefect import get_client

    this_run = _flow_run_filter(flow_name, config)
    with get_client(sync_client=True) as client:

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
