"""The `salespulse` command as a user runs it: one-line errors, documented exit codes, real runs."""

import json
import shutil
from pathlib import Path

import pytest

# Imported here, at collection: its first import sets up Prefect's logging, which hooks the root logger to
# the stderr of the moment. Inside a test that is the test's capture file, closed when the test ends, and
# the next in-process run then failed on it (this file alone; under `make test` another file got there first).
import salespulse.flows.report_flow  # noqa: F401
from tests.flows.cli_helpers import assert_one_line_error, salespulse
from tests.flows.configs import EXAMPLE, config_file
from tests.flows.crm_helpers import salespulse_here


def test_help_lists_the_commands():
    result = salespulse("--help")
    assert result.returncode == 0
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("│ ") and len(line.split()) > 2}
    assert {"demo", "run", "dq", "backfill", "deliveries", "resend", "serve", "inspect", "check-config"} <= listed


def test_broken_config_is_exit_2_with_one_line(tmp_path):
    path = tmp_path / "salespulse.yaml"
    path.write_text("company: Acme\nteams: nope\n", encoding="utf-8")
    assert_one_line_error(salespulse("run", "--config", str(path)), 2, str(path), "data_dir: is required")


def test_missing_config_file_is_exit_2(tmp_path):
    assert_one_line_error(salespulse("run", "--config", str(tmp_path / "x.yaml")), 2, "config file not found")


def test_missing_data_folder_is_exit_2(tmp_path):
    result = salespulse("run", "--config", str(config_file(tmp_path)))
    assert_one_line_error(result, 2, str(tmp_path / "data"), "data folder not found")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--period", "2026-W99"], "has no ISO week 99"),
        (["--team", "east"], "no team 'east'"),
        (["--period", "2099-W02", "--team", "north"], "--period 2099-W02 has not ended yet on team north's"),
    ],
)
def test_bad_period_or_team_is_exit_2(tmp_path, args, fragment):
    (tmp_path / "data").mkdir()
    assert_one_line_error(salespulse("run", "--config", str(config_file(tmp_path)), *args), 2, fragment)
    assert not (tmp_path / "out").exists()


def test_unknown_option_is_exit_2():
    assert salespulse("run", "--perod", "2026-W47").returncode == 2


def test_missing_smtp_password_is_exit_2_before_anything_runs(tmp_path):
    (tmp_path / "data").mkdir()
    path = config_file(tmp_path, smtp={"host": "127.0.0.1", "username": "reports"})
    result = salespulse("run", "--config", str(path), env={"SALESPULSE_SMTP_PASSWORD": ""})
    assert_one_line_error(result, 2, "$SALESPULSE_SMTP_PASSWORD is empty")


def test_demo_makes_data_and_leaves_a_pdf_and_an_eml(tmp_path, prefect_harness, capfd, monkeypatch):
    """`make demo`'s command through the console script's own main(); test_help_lists_the_commands runs the
    installed script itself, in a process of its own."""
    config = tmp_path / "salespulse.yaml"
    shutil.copy(EXAMPLE, config)
    result = salespulse_here(capfd, monkeypatch, "demo", "--config", str(config), "--scale", "0.2")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo-data" / "deals.csv").exists()
    assert (tmp_path / "out" / "reports" / "north" / "2026-W47" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (tmp_path / "out" / "outbox").glob("*.eml")) == [
        "2026-10-south-report.eml",  # South reports monthly
        "2026-W47-north-dq-notice.eml",  # a small demo's W47 has twice its usual new deals: the data owners hear
        "2026-W47-north-report.eml",
    ]
    assert "report.pdf" in result.stdout


def test_run_json_prints_one_object_with_paths_and_exit_code(tmp_path, api_url, capfd, monkeypatch):
    from salespulse.demo.data import FAULT_WEEK, write_demo

    write_demo(tmp_path / "data", scale=0.2)
    # a lean report: this test is about the command's output, not the report's content
    config = str(config_file(tmp_path, kpis=["won_revenue", "win_rate"], headline_kpis=["won_revenue"]))
    result = salespulse_here(
        capfd, monkeypatch, "run", "--config", config, "--period", "2026-W47", "--team", "south", "--json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["period"], document["team"], document["exit_code"]) == ("2026-W47", "south", 0)
    (run,) = document["runs"]
    assert all(Path(run[key]).exists() for key in ("html", "pdf", "kpis")) and Path(run["messages"][0]).exists()

    withheld = salespulse_here(
        capfd, monkeypatch, "run", "--config", config, "--period", FAULT_WEEK, "--team", "north", "--json"
    )
    assert withheld.returncode == 3
    assert json.loads(withheld.stdout)["runs"][0]["status"] == "withheld"


def test_dq_prints_the_history_and_one_periods_checks(tmp_path):
    from salespulse.config import load_config
    from salespulse.plan import state_db
    from salespulse.store.state import record_dq
    from salespulse.transforms.results import CheckFailure, DqVerdict

    config = config_file(tmp_path)
    assert_one_line_error(salespulse("dq", "--config", str(config)), 2, "no data-quality results yet")
    db = state_db(load_config(config))
    failure = CheckFailure("deals", "amount", "column_values_to_be_between", "warning", 3, 120, "m", "f", excluded=3)
    record_dq(db, "north", "2026-W46", DqVerdict(114, []))
    record_dq(db, "north", "2026-W47", DqVerdict(114, [failure]))
    history = salespulse("dq", "--config", str(config))
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    assert lines[0].split() == ["period", "team", "status", "checks", "critical", "warning", "info", "run_id"]
    assert [line.split()[:7] for line in lines[2:]] == [
        ["2026-W46", "north", "clean", "114", "0", "0", "0"],
        ["2026-W47", "north", "warnings", "114", "0", "1", "0"],
    ]
    detail = salespulse("dq", "--config", str(config), "--period", "2026-W47")
    assert detail.stdout.splitlines()[2].split() == ["north", "warning", "deals", "amount",
                                                      "column_values_to_be_between", "3", "120", "3"]  # fmt: skip
    clean = salespulse("dq", "--config", str(config), "--period", "2026-W46")
    assert clean.stdout == "2026-W46: every check passed for north (114 checks).\n"
    never = salespulse("dq", "--config", str(config), "--period", "2026-W40").stdout
    assert never.startswith("No data-quality results for 2026-W40: no run of it is recorded")
    assert_one_line_error(salespulse("dq", "--config", str(config), "--team", "east"), 2, "no team 'east'")
