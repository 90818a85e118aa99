"""Shared fixtures: a real SMTP server on loopback, and a real Prefect API for the flows (one server shared by
every xdist worker, or one `prefect_test_harness` per session without `-n`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

# Before Prefect is imported anywhere: no telemetry (it locks the temporary server's database) and
# results kept out of the user's Prefect home, so nothing leaks between test sessions.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", tempfile.mkdtemp(prefix="salespulse-results-"))

from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

# Helpers holding asserts that were in test modules: pytest explains their failures as it did there.
pytest.register_assert_rewrite("tests.flows.bad_file_corpus", "tests.flows.cli_helpers")

from tests.prefect_server import SHARED_LOG, SHARED_URL, start_server, stop, wait_until_healthy  # noqa: E402
from tests.smtp_server import Inbox, serve_inbox  # noqa: E402

# `--dist loadgroup` keeps each `xdist_group` on one worker under pytest 9.2 too (see the module).
pytest_plugins = ["tests.xdist_groups"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` first, the order otherwise kept: they wait on servers and processes, and begun last
    they would leave the other worker idle at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback; append to its `faults` to make it misbehave."""
    with serve_inbox() as inbox:
        yield inbox


def _is_xdist_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


_SHARED_SERVER = pytest.StashKey[subprocess.Popen]()


def pytest_configure(config: pytest.Config) -> None:
    """Under `-n N`, one real Prefect server for every worker, booting while they import and collect."""
    if not _is_xdist_controller(config) or os.environ.get(SHARED_URL):
        return
    home = Path(tempfile.mkdtemp(prefix="salespulse-prefect-"))
    process, api_url, log = start_server(home)
    config.stash[_SHARED_SERVER] = process
    os.environ[SHARED_URL] = api_url  # the workers are started after this hook, with this environment
    os.environ[SHARED_LOG] = str(log)


def pytest_unconfigure(config: pytest.Config) -> None:
    if shared := config.stash.get(_SHARED_SERVER, None):
        stop(shared, grace=3)  # a throwaway database: no need for a graceful shutdown
        home = Path(os.environ[SHARED_LOG]).parent
        for key in (SHARED_URL, SHARED_LOG):
            os.environ.pop(key, None)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_api() -> str | None:
    """The shared server's API once it answers, or None when this session has none (no `-n`)."""
    if not (api_url := os.environ.get(SHARED_URL)):
        return None
    wait_until_healthy(api_url, None, Path(os.environ[SHARED_LOG]))
    return api_url


@pytest.fixture(scope="session")
def prefect_harness(prefect_api: str | None) -> Iterator[None]:
    """Flows in this process run against a real Prefect API: the shared server under `-n N`, else one
    `prefect_test_harness` for the session. Heartbeats are off: a sync flow joins its heartbeat thread on exit,
    which costs up to 1 s a flow run, and no test watches for crashed runs."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    no_heartbeats = temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
    if prefect_api is None:
        with prefect_test_harness(server_startup_timeout=120), no_heartbeats:
            yield
        return
    with temporary_settings({PREFECT_API_URL: prefect_api}), no_heartbeats, _as_global_settings():
        yield


@contextmanager
def _as_global_settings() -> Iterator[None]:
    """As prefect_test_harness does: threads whose context was copied earlier see these settings too."""
    import prefect.context

    make_global = getattr(prefect.context, "_temporary_global_settings_context", None)
    if make_global is None:  # an older Prefect 3 without it
        yield
        return
    with make_global(prefect.context.get_settings_context()):
        yield


@pytest.fixture
def api_url(prefect_harness: None) -> str:
    """The harness's API, so CLI subprocesses skip starting a temporary server of their own."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()
