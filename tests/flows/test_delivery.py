"""Delivery against a real SMTP server on loopback, with injected faults."""

from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from flows.config import Smtp
from flows.stages import deliver
from tests.conftest import free_port


def message(to=("team@example.com",)) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "Sales KPIs · North · 2026-W47", "sp@example.com", ", ".join(to)
    msg.set_content("hello")
    return msg


def smtp_for(port: int) -> Smtp:
    return Smtp(host="127.0.0.1", port=port, security="plain", retry_delays_seconds=[0.05, 0.05])


def test_sent_message_reaches_the_server_and_moves_to_sent(smtp_inbox, tmp_path):
    result = deliver.fn(message(), smtp_for(smtp_inbox.port), tmp_path / "outbox", "2026-W47-north-report")
    assert result.status == "sent"
    assert result.path == tmp_path / "sent" / "2026-W47-north-report.eml" and result.path.exists()
    assert not list((tmp_path / "outbox").glob("*.eml"))
    assert smtp_inbox.messages_to("team@example.com")[0]["Subject"] == "Sales KPIs · North · 2026-W47"


def test_without_smtp_host_the_message_waits_in_the_outbox(tmp_path):
    result = deliver.fn(message(), None, tmp_path / "outbox", "m")
    assert result.status == "outbox" and result.path.read_bytes().startswith(b"Subject:")


def test_server_down_keeps_the_message_in_the_outbox(tmp_path):
    result = deliver.fn(message(), smtp_for(free_port()), tmp_path / "outbox", "m")
    assert result.status == "failed" and "ConnectionRefusedError" in result.detail
    assert (tmp_path / "outbox" / "m.eml").exists()


class Flaky:
    """Answers 421 (try later) to the first `failures` transactions, then accepts."""

    def __init__(self, failures: int, refuse: str | None = None) -> None:
        self.failures, self.refuse, self.accepted = failures, refuse, []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address == self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.failures:
            self.failures -= 1
            return "421 4.3.2 service not available, try later"
        self.accepted.append(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def flaky_server():
    servers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        return controller.port

    yield start
    for controller in servers:
        controller.stop()


def test_transient_421_is_retried_then_delivered_once(flaky_server, tmp_path):
    handler = Flaky(failures=2)
    result = deliver.fn(message(), smtp_for(flaky_server(handler)), tmp_path / "outbox", "m")
    assert result.status == "sent" and handler.accepted == [["team@example.com"]]


def test_transient_errors_past_the_retries_fail_without_loss(flaky_server, tmp_path):
    handler = Flaky(failures=5)
    result = deliver.fn(message(), smtp_for(flaky_server(handler)), tmp_path / "outbox", "m")
    assert result.status == "failed" and result.detail.endswith("421 4.3.2 service not available, try later")
    assert handler.accepted == [] and (tmp_path / "outbox" / "m.eml").exists()


def test_a_refused_recipient_is_reported_and_the_others_still_receive(flaky_server, tmp_path):
    handler = Flaky(failures=0, refuse="gone@example.com")
    msg = message(to=("team@example.com", "gone@example.com"))
    result = deliver.fn(msg, smtp_for(flaky_server(handler)), tmp_path / "outbox", "m")
    assert result.status == "failed" and "gone@example.com" in result.detail
    assert handler.accepted == [["team@example.com"]]
