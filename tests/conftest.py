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

import asyncio  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402
from email.message import EmailMessage  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.net import free_port  # noqa: E402
from tests.prefect_server import SHARED_LOG, SHARED_URL, start_server, stop, wait_until_healthy  # noqa: E402


@dataclass
class Fault:
    """One scripted misbehaviour of the test SMTP server at one command, used `times` times, then gone."""

    stage: str  # "MAIL", "RCPT" or "DATA" (after the whole message arrived, before the server's answer)
    reply: str | None = None  # answer this instead of accepting, e.g. "451 4.7.1 greylisted, try later"
    recipient: str | None = None  # RCPT only: the address it applies to; None: any
    drop: bool = False  # close the connection instead of answering
    delay: float = 0.0  # answer this late; a client that gives up first closes the connection, and then
    # aiosmtpd cancels this handler: the message is not kept (a server that gave up too)
    times: int = 1


@dataclass
class Inbox:
    host: str
    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [message for rcpts, message in self.received if address in rcpts]


class _CollectingHandler:
    """Accepts everything and keeps it, except where one of the inbox's faults says otherwise."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def _fault(self, server, stage: str, recipient: str | None = None) -> str | None:  # noqa: ANN001
        fault = next(
            (f for f in self.inbox.faults if f.stage == stage and f.times and f.recipient in (None, recipient)), None
        )
        if fault is None:
            return None
        fault.times -= 1
        await asyncio.sleep(fault.delay)
        if fault.drop:
            server.transport.close()
            await asyncio.sleep(5)  # closing the transport cancels this handler before it could answer
            return "421 4.4.2 dropped"  # never a fall-through to accepting what was dropped
        return fault.reply

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, N802 - aiosmtpd hook
        if refusal := await self._fault(server, "MAIL"):
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, N802
        if refusal := await self._fault(server, "RCPT", address):
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        if refusal := await self._fault(server, "DATA"):
            return refusal
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.inbox.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@contextmanager
def serve_inbox(port: int | None = None) -> Iterator[Inbox]:
    """A real aiosmtpd server on 127.0.0.1 (on `port`, or a free one) that keeps every message it accepts."""
    from aiosmtpd.controller import Controller

    inbox = Inbox("127.0.0.1", port or free_port())
    controller = Controller(_CollectingHandler(inbox), hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback; append to its `faults` to make it misbehave."""
    with serve_inbox() as inbox:
        yield inbox


def _is_xdist_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`--dist loadgroup` as xdist means it: xdist 3.8 appends "@group" to `item._nodeid`, which pytest 9.2
    no longer reads (it keeps `_id`), so the group was lost and each test of the Prefect-server file went to
    any worker; then one worker idled ~20 s on `server_alone`'s lock while the other ran the other test.
    Where the group did not take, it is written where this pytest reads it; elsewhere this does nothing."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist's workers for --dist loadgroup
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None or "@" in item.nodeid or not hasattr(item, "_id"):
            continue
        item._id = coerce_node_id(f"{item.nodeid}@{mark.args[0] if mark.args else mark.kwargs['name']}")


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


@pytest.fixture
def nothing_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: nothing set aside from the cyclic collector yet, so a run's own freeze shows."""
    import gc

    from flows import startup

    gc.unfreeze()
    monkeypatch.setattr(startup, "_frozen", False)


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
