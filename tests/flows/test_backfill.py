"""`salespulse backfill`: every period of a range in one process, emailing nobody unless asked."""

import gc
import json
import sqlite3

import pytest
import yaml

from flows.demo_data import write_demo
from tests.flows.test_cli import api_url, assert_one_line_error, config_file, salespulse, salespulse_here  # noqa: F401
from tests.flows.test_report_flow import LEAN

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
    tmp_path, demo_data, smtp_inbox, capfd, monkeypatch, nothing_frozen
):
    config = _config(tmp_path, demo_data, smtp_inbox)
    args = ("backfill", "--from", "2026-W45", "--to", "2026-W47", "--team", "north", "-c", str(config))
    # one layout process beside the run: the same path as a real backfill's, one process less to start
    result = salespulse_here(capfd, monkeypatch, *args, env={"COLUMNS": "120", "SALESPULSE_RENDER_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    assert gc.isenabled() and gc.get_freeze_count() > 0  # the flow froze its start-up and collecting resumed
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
