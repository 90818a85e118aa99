"""Helpers for tests that run the installed `salespulse` command in processes of its own, as cron would: no
PREFECT_API_URL (so each run starts Prefect's temporary server), a lean config that emails a real SMTP server
on loopback, and a `sitecustomize.py` that can make the temporary server hang at its start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from tests.smtp_server import Inbox

SALESPULSE = Path(sys.executable).parent / "salespulse"
EXAMPLE = Path(__file__).resolve().parents[2] / "salespulse.example.yaml"
LEAN = {"kpis": ["won_revenue", "win_rate"], "headline_kpis": ["won_revenue"]}

# Loaded by every Python process of the run that has this folder on PYTHONPATH; acts only in the temporary
# server's process (Prefect starts it with PREFECT__SERVER_EPHEMERAL=1). Each start leaves a file in
# $SALESPULSE_TEST_STARTS; the first $SALESPULSE_TEST_HANGING_STARTS of them never answer, as a server on a
# host too loaded to boot in time.
SITECUSTOMIZE = """\
import os
import time
from pathlib import Path

if os.environ.get("PREFECT__SERVER_EPHEMERAL") == "1":
    starts = Path(os.environ["SALESPULSE_TEST_STARTS"])
    number = len(list(starts.glob("start-*"))) + 1
    (starts / f"start-{number}").write_text(str(os.getpid()))
    if number <= int(os.environ["SALESPULSE_TEST_HANGING_STARTS"]):
        time.sleep(600)
"""


def lean_config(tmp_path: Path, data: Path, inbox: Inbox) -> Path:
    """The example config on `data`, with two KPIs, no goals and `inbox` as its SMTP server."""
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) | LEAN
    smtp = {"host": inbox.host, "port": inbox.port, "security": "plain", "retry_delays_seconds": [0.2]}
    settings |= {"data_dir": str(data), "output_dir": str(tmp_path / "out"), "smtp": smtp}
    for team in settings["teams"]:
        team["goals"] = []
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def cron_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment as a cron job has it: no Prefect API URL, a Prefect home of its own."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return env | extra


def slow_server_env(tmp_path: Path, hanging_starts: int, timeout_seconds: int) -> dict[str, str]:
    """`cron_env` with SITECUSTOMIZE on PYTHONPATH: the first `hanging_starts` temporary servers never answer,
    and the run waits `timeout_seconds` for each start. The starts are counted in tmp_path/starts."""
    site, starts = tmp_path / "site", tmp_path / "starts"
    site.mkdir()
    starts.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return cron_env(
        tmp_path,
        PYTHONPATH=path,
        SALESPULSE_TEST_STARTS=str(starts),
        SALESPULSE_TEST_HANGING_STARTS=str(hanging_starts),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=str(timeout_seconds),
    )


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(SALESPULSE), *args], capture_output=True, text=True, env=env, timeout=600)


def salespulse_lines(stderr: str) -> list[str]:
    """The lines salespulse itself wrote to stderr (Prefect's log lines aside)."""
    return [line for line in stderr.splitlines() if line.startswith("salespulse: ")]
