"""A real `prefect server start` on loopback, for the tests: started as a subprocess in its own process group
with its own PREFECT_HOME (and so its own SQLite database), awaited by health check, stopped whatever happened.

Under `pytest -n N` the xdist controller starts one before the workers exist and hands its URL to them in
SHARED_URL: each worker's flows and the scheduling tests then use it, instead of each worker booting a
`prefect_test_harness` server of its own (about 20 s each on 2 cores, most of it the database migrations).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from tests.net import free_port

BIN = Path(sys.executable).parent
QUIET = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
SHARED_URL = "SALESPULSE_TEST_PREFECT_API_URL"  # not PREFECT_API_URL: CLI subprocesses must not inherit it
SHARED_LOG = "SALESPULSE_TEST_PREFECT_LOG"


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes], grace: float = 20) -> int:
    """SIGTERM to the whole group (serve's flow-run children too), SIGKILL to what is left after `grace`."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):  # the group is gone already
            os.killpg(process.pid, sig)
        try:
            return process.wait(grace)
        except subprocess.TimeoutExpired:
            continue
    return process.wait()


@contextmanager
def running(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = start(args, env, log)
    try:
        yield process
    finally:
        stop(process)


def tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join([line for line in text.splitlines() if "weasyprint" not in line][-lines:])


def wait_for(
    check: Callable[[], Any], what: str, process: subprocess.Popen[bytes] | None, log: Path, timeout: float
) -> Any:
    """`check()`'s first truthy answer; fails with the log's tail if `process` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process is None or process.poll() is None, f"{what}: the process exited:\n{tail(log)}"
        if result := check():
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s:\n{tail(log)}")


def healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until_healthy(api_url: str, process: subprocess.Popen[bytes] | None, log: Path) -> None:
    wait_for(lambda: healthy(api_url), f"the Prefect server at {api_url}", process, log, timeout=180)


def client_env(home: Path, api_url: str) -> dict[str, str]:
    """This environment, pointed at the server at `api_url`, with `home` as PREFECT_HOME."""
    return {**os.environ, **QUIET, "PREFECT_HOME": str(home), "PREFECT_API_URL": api_url}


def start_server(home: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    """A server on a free port with `home` as its PREFECT_HOME; returns at once (it boots in ~10–20 s)."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = client_env(home, api_url)
    log = home / "server.log"
    args = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"]
    return start(args, env, log), api_url, log
