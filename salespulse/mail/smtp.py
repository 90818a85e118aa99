"""One SMTP transaction, with what happened to each recipient: accepted, refused for now (4xx, connection
errors) or refused for good (5xx). The retries and the ledger are the caller's (salespulse/mail/delivery.py)."""

from __future__ import annotations

import os
import re
import smtplib
import ssl

from salespulse.config import Smtp
from salespulse.errors import UserError
from salespulse.store.ledger import FAILED_PERMANENT, FAILED_TRANSIENT, SENT, Outcome


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


def reply_outcome(code: int, reply: bytes | str) -> Outcome:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    status = SENT if 200 <= code < 300 else FAILED_TRANSIENT if 400 <= code < 500 else FAILED_PERMANENT
    return Outcome(status, code, " ".join(f"{code} {text}".split()))


def error_outcome(error: BaseException) -> Outcome:
    status = FAILED_TRANSIENT if is_transient(error) else FAILED_PERMANENT
    if isinstance(error, smtplib.SMTPResponseException):
        reply = reply_outcome(error.smtp_code, error.smtp_error)
        return Outcome(status, reply.code, reply.reply)
    return Outcome(status, None, " ".join(f"{type(error).__name__}: {error}".split()))


def check_password(smtp: Smtp) -> str | None:
    password = os.environ.get(smtp.password_env) if smtp.username else None
    if smtp.username and not password:
        raise UserError(f"smtp.username is set but ${smtp.password_env} is empty; export the SMTP password there")
    return password


def transaction(data: bytes, sender: str, recipients: list[str], smtp: Smtp) -> dict[str, Outcome]:
    """Offer `data` (an .eml) to `recipients` in one transaction; every recipient gets an outcome."""
    password = check_password(smtp)
    outcomes: dict[str, Outcome] = {}
    client: smtplib.SMTP | None = None
    try:
        client_class = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
        client = client_class(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, password)
        _offer(client, data, sender, recipients, outcomes)
    except (smtplib.SMTPException, OSError) as err:
        # Whoever has no outcome yet was not accepted with the data: the whole attempt failed for them.
        failed = error_outcome(err)
        for recipient in recipients:
            outcomes.setdefault(recipient, failed)
    finally:
        if client is not None:
            _quit(client)
    return {recipient: outcomes[recipient] for recipient in recipients}  # in the caller's order, for the ledger


def _offer(client: smtplib.SMTP, data: bytes, sender: str, recipients: list[str], outcomes: dict[str, Outcome]) -> None:
    client.ehlo_or_helo_if_needed()
    options = ["BODY=8BITMIME"] if client.has_extn("8bitmime") and not data.isascii() else []
    code, reply = client.mail(sender, options)
    if code != 250:
        outcomes.update(dict.fromkeys(recipients, reply_outcome(code, reply)))
        return
    accepted = []
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        if code in (250, 251):
            accepted.append(recipient)
        else:
            outcomes[recipient] = reply_outcome(code, reply)  # refused alone; the others still get theirs
    if not accepted:
        client.rset()
        return
    # The outbox file has bare LFs; SMTP wants CRLF (smtplib fixes line ends of str only, not of bytes).
    code, reply = client.data(re.sub(rb"\r\n|\r|\n", b"\r\n", data))
    outcomes.update(dict.fromkeys(accepted, reply_outcome(code, reply)))


def _quit(client: smtplib.SMTP) -> None:
    """Say goodbye without letting a bad reply to QUIT undo a delivery the server already accepted."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
