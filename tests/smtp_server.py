"""A real SMTP server on loopback for the tests (aiosmtpd), which keeps what it accepts and can be scripted
to misbehave; tests/conftest.py serves it as the `smtp_inbox` fixture."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.net import free_port


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
