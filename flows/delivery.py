"""Deliver a message: always to the outbox first (nothing lost), then by SMTP when a host is set."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from flows.config import Smtp
from flows.errors import UserError
from flows.files import write_atomic


@dataclass(frozen=True)
class Delivery:
    status: str  # "sent", "outbox" (no SMTP host: left for pickup) or "failed"
    path: Path  # the .eml: in outbox/ until sent, then in sent/
    detail: str = ""


def is_transient(error: BaseException) -> bool:
    """Worth a retry: the server was unreachable or said 4xx (try again later)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    # Every SMTPException is an OSError: the rest (all recipients refused, no STARTTLS) won't pass later.
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, OSError)  # refused, reset, timed out, name not resolved


def write_to_outbox(message: EmailMessage, outbox: Path, name: str) -> Path:
    return write_atomic(outbox / f"{name}.eml", bytes(message))


def send(message: EmailMessage, smtp: Smtp) -> dict[str, tuple[int, bytes]]:
    """Send over SMTP; returns the recipients the server refused (the others were accepted)."""
    password = os.environ.get(smtp.password_env) if smtp.username else None
    if smtp.username and not password:
        raise UserError(f"smtp.username is set but ${smtp.password_env} is empty; export the SMTP password there")
    client_class = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
    with client_class(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as client:
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, password)
        return client.send_message(message)


def mark_sent(path: Path) -> Path:
    sent = path.parent.parent / "sent"
    sent.mkdir(parents=True, exist_ok=True)
    return path.replace(sent / path.name)
