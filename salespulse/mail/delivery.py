"""Deliver a message with nothing lost and nothing sent twice.

The .eml is written to the outbox first, so an outage loses nothing. The ledger says who already has this
version (skipped) and who had an earlier one (the message goes out as a correction). SMTP is retried with
backoff for the recipients still pending only, and the .eml moves to sent/ once every recipient has it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path

from salespulse.config import Smtp
from salespulse.errors import UserError
from salespulse.mail.smtp import transaction
from salespulse.store import ledger
from salespulse.store.files import write_atomic
from salespulse.store.ledger import FAILED_TRANSIENT, OUTBOX, SKIPPED_DUPLICATE, MessageKey, Outcome

# Kinds that are versions of one document, so a changed one corrects the one sent before (kind -> it is an
# alert). Any other kind, such as an owner's notice, is a message of its own and never a correction.
CORRECTABLE = {"report": False, "dq-alert": True}


@dataclass(frozen=True)
class Delivery:
    status: str  # "sent" (every recipient has it), "outbox" (no SMTP host: left for pickup) or "failed"
    path: Path  # the .eml: in outbox/ until every recipient has it, then in sent/
    detail: str = ""


def write_to_outbox(message: EmailMessage, outbox: Path, name: str) -> Path:
    return write_atomic(outbox / f"{name}.eml", bytes(message))


def mark_sent(path: Path, key: MessageKey) -> Path:
    """Into sent/, named by version: a correction does not overwrite the message it corrects."""
    sent = path.parent.parent / "sent"
    sent.mkdir(parents=True, exist_ok=True)
    return path.replace(sent / f"{path.stem}-{key.content_hash[:12]}.eml")


def recipients_of(message: Message) -> list[str]:
    addresses = getaddresses([*message.get_all("To", []), *message.get_all("Cc", [])])
    return list(dict.fromkeys(address for _, address in addresses if address))


def deliver_message(
    message: EmailMessage,
    smtp: Smtp | None,
    outbox: Path,
    db: Path,
    key: MessageKey,
    *,
    resend: bool = False,
    locale: str = "en_US",
) -> Delivery:
    """Send `message` to whoever does not have this version yet; the ledger records every recipient."""
    recipients = recipients_of(message)
    plan = ledger.plan(db, key, recipients, resend)
    if not plan.pending:
        previous = Path(ledger.last_sent_path(db, key) or outbox / f"{key.name}.eml")
        ledger.record(db, key, dict.fromkeys(plan.duplicates, Outcome(SKIPPED_DUPLICATE)), previous)
        return Delivery("sent", previous, "every recipient already has this version; nothing sent (--resend sends it)")
    correction = plan.replaces if key.kind in CORRECTABLE else None
    if correction is not None:
        from salespulse.reports.emails import mark_correction

        message = mark_correction(message, correction.date(), locale, alert=CORRECTABLE[key.kind])
    path = write_to_outbox(message, outbox, key.name)
    ledger.record(db, key, dict.fromkeys(plan.duplicates, Outcome(SKIPPED_DUPLICATE)), path)
    if smtp is None:
        ledger.record(db, key, dict.fromkeys(plan.pending, Outcome(OUTBOX)), path)
        return Delivery("outbox", path, "no SMTP host configured: message left in the outbox")
    outcomes = send_with_retries(path, plan.pending, smtp, db, key)
    delivery = _settle(path, recipients, outcomes, smtp, db, key)
    if correction is not None and delivery.status == "sent":
        return Delivery("sent", delivery.path, f"{delivery.detail}; a correction of {correction:%Y-%m-%d}")
    return delivery


def send_with_retries(path: Path, recipients: list[str], smtp: Smtp, db: Path, key: MessageKey) -> dict[str, Outcome]:
    """Each attempt offers the .eml to the recipients still pending after a transient failure, so nobody who
    was accepted is offered it again. Every attempt is in the ledger; returns each recipient's last outcome."""
    data = path.read_bytes()
    sender = parseaddr(_headers(path)["From"] or "")[1]
    final: dict[str, Outcome] = {}
    pending = list(recipients)
    for delay in [0.0, *smtp.retry_delays_seconds]:
        if not pending:
            break
        time.sleep(delay)
        outcomes = transaction(data, sender, pending, smtp)
        ledger.record(db, key, outcomes, path)
        final |= outcomes
        pending = [recipient for recipient in pending if outcomes[recipient].status == FAILED_TRANSIENT]
    return final


def _headers(path: Path) -> Message:
    with path.open("rb") as handle:
        return BytesHeaderParser().parse(handle)


def _settle(
    path: Path, recipients: list[str], outcomes: dict[str, Outcome], smtp: Smtp, db: Path, key: MessageKey
) -> Delivery:
    if ledger.delivered_to_all(db, key, recipients):
        sent = mark_sent(path, key)
        ledger.moved(db, key, path, sent)
        return Delivery("sent", sent, f"accepted by {smtp.host}")
    failed = "; ".join(f"{r}: {o.reply}" for r, o in outcomes.items() if o.status in ledger.FAILED)
    return Delivery("failed", path, f"SMTP {smtp.host}:{smtp.port}: not delivered to {failed}")


def resend_failed(
    db: Path, smtp: Smtp | None, period: str | None = None, team: str | None = None
) -> list[tuple[MessageKey, Delivery]]:
    """Offer each message again to the recipients whose latest attempt failed, from its .eml in the outbox."""
    results = []
    for (key, eml), recipients in ledger.failures(db, period, team).items():
        if smtp is None:
            raise UserError("no smtp host in the config: nothing can be resent; the messages are in the outbox")
        path = Path(eml)
        if not path.exists():
            results.append((key, Delivery("failed", path, "the .eml is no longer in the outbox; rerun the period")))
            continue
        outcomes = send_with_retries(path, recipients, smtp, db, key)
        results.append((key, _settle(path, recipients_of(_headers(path)), outcomes, smtp, db, key)))
    return results
