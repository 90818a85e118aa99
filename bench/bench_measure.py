"""Measuring one command in a process of its own: wall time, CPU time and peak memory; and a Prefect server.

Peak memory is the child's own `ru_maxrss` from `os.wait4` (its waited-for children included), so each
case gets its own figure even though one bench process starts them all.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent  # the tree measured: the venv's editable install (bench._mixed_tree)
BIN = Path(sys.executable).parent  # the venv that runs bench.py
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PYTHONWARNINGS": "ignore"}
TEAM, PERIOD, WEEKS = "north", "2026-W47", 52  # what every case reports; WEEKS: the backfill's length


def first_week(last: str, weeks: int) -> str:
    """The ISO week `weeks - 1` weeks before `last`: a backfill of `weeks` weeks ending at `last` starts there."""
    year, number = last.split("-W")
    start = date.fromisocalendar(int(year), int(number), 1) - timedelta(weeks=weeks - 1)
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system seconds of the process and its children
    rss_mb: float
    load: float  # 1-minute load average when it started (other jobs share the cores)
    ok: bool
    result: dict[str, Any] = field(default_factory=dict)  # the last stdout line, when it is JSON
    error: str = ""


def measure(
    command: list[str], env: dict[str, str] | None = None, timeout: float = 1800, ok_codes: tuple[int, ...] = (0,)
) -> Sample:
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            ["nice", "-n", "10", *command],
            stdout=out,
            stderr=err,
            env={**os.environ, **QUIET, "PYTHONPATH": str(ROOT), **(env or {})},
            cwd=ROOT,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: the case's own session would outlive the bench
            timer.cancel()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
        wall = time.perf_counter() - started
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load, process.returncode in ok_codes)
    sample.result["exit_code"] = process.returncode
    lines = stdout.strip().splitlines()
    with contextlib.suppress(json.JSONDecodeError, IndexError):
        last = json.loads(lines[-1])
        sample.result |= last if isinstance(last, dict) else {}
    if not sample.ok:
        last = [line for line in stderr.strip().splitlines() if line.strip()][-3:]
        sample.error = f"exit {process.returncode}" + (f": {' | '.join(last)[:300]}" if last else "")
        if wall >= timeout:
            sample.error = f"stopped after {timeout:.0f} s"
    return sample


def write_config(data: Path, out: Path) -> Path:
    """The example config with this data folder and a fresh output folder."""
    config = yaml.safe_load((ROOT / "salespulse.example.yaml").read_text(encoding="utf-8"))
    config["data_dir"], config["output_dir"] = str(data), str(out / "out")
    out.mkdir(parents=True, exist_ok=True)
    path = out / "salespulse.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class PrefectServer:
    """`prefect server start` on a free loopback port with its own PREFECT_HOME, for the CLI cases."""

    def __init__(self, home: Path) -> None:
        self.home, self.port = home, _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_s: float | None = None

    def start(self, timeout: float = 180) -> float:
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        env = {**os.environ, **QUIET, "PREFECT_HOME": str(self.home), "PREFECT_API_URL": self.url}
        command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(self.port), "--no-ui"]
        started = time.perf_counter()
        log = (self.home / "server.log").open("wb")
        self.process = subprocess.Popen(["nice", "-n", "10", *command], stdout=log, stderr=log, env=env)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"prefect server exited; see {self.home / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as reply:
                    if reply.status == 200:
                        self.startup_s = time.perf_counter() - started
                        return self.startup_s
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"prefect server not ready after {timeout} s")

    def env(self) -> dict[str, str]:
        return {"PREFECT_API_URL": self.url, "PREFECT_HOME": str(self.home / "client")}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
