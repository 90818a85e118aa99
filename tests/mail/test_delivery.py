"""Delivery against a real SMTP server on loopback with injected faults: nothing lost, nothing sent twice,
and the ledger says what happened to each recipient."""

from email.message import EmailMessage

import pytest

from salespulse.config import Smtp
from salespulse.flows.stages import deliver
from salespulse.mail.delivery import resend_failed
from salespulse.store.ledger import MessageKey, history
from tests.net import free_port
from tests.smtp_server import Fault, serve_inbox

TEAM, BOSS = "team@example.com", "boss@example.com"
KEY = MessageKey("north", "2026-W47", "report", "a" * 64)
CHANGED = MessageKey("north", "2026-W47", "report", "b" * 64)


def message(to=(TEAM,)) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "Sales KPIs · North · 2026-W47", "sp@example.com", ", ".join(to)
    msg.set_content("hello")
    msg.add_alternative("<html><body><p>hello</p></body></html>", subtype="html")
    return msg


def smtp_for(port: int, timeout: float = 5.0) -> Smtp:
    return Smtp(
        host="127.0.0.1", port=port, security="plain", retry_delays_seconds=[0.05, 0.05], timeout_seconds=timeout
    )


def send(tmp_path, smtp, to=(TEAM,), key=KEY, **options):
    return deliver.fn(message(to), smtp, tmp_path / "outbox", tmp_path / "state.sqlite", key, **options)


def ledger(tmp_path) -> list[tuple[str, int, str, int | None]]:
    return [(r["recipient"], r["attempt"], r["status"], r["smtp_code"]) for r in history(tmp_path / "state.sqlite")]


def copies(inbox, address: str) -> int:
    return len(inbox.messages_to(address))


def outbox(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "outbox").glob("*.eml"))


def test_sent_message_reaches_the_server_and_moves_to_sent(smtp_inbox, tmp_path):
    result = send(tmp_path, smtp_for(smtp_inbox.port))
    assert result.status == "sent"
    assert result.path == tmp_path / "sent" / "2026-W47-north-report-aaaaaaaaaaaa.eml" and result.path.exists()
    assert outbox(tmp_path) == []
    assert smtp_inbox.messages_to(TEAM)[0]["Subject"] == "Sales KPIs · North · 2026-W47"
    assert ledger(tmp_path) == [(TEAM, 1, "sent", 250)]
    assert history(tmp_path / "state.sqlite")[0]["eml_path"] == str(result.path)  # the row follows the file


def test_without_smtp_host_the_message_waits_in_the_outbox(tmp_path):
    result = send(tmp_path, None)
    assert result.status == "outbox" and result.path.read_bytes().startswith(b"Subject:")
    assert ledger(tmp_path) == [(TEAM, 0, "outbox", None)]


def test_connection_refused_keeps_the_message_until_resend_failed(tmp_path):
    port = free_port()  # nothing listens there yet
    result = send(tmp_path, smtp_for(port))
    assert result.status == "failed" and "ConnectionRefusedError" in result.detail
    assert outbox(tmp_path) == ["2026-W47-north-report.eml"]
    assert ledger(tmp_path) == [(TEAM, n, "failed-transient", None) for n in (1, 2, 3)]
    with serve_inbox(port) as inbox:
        ((key, resent),) = resend_failed(tmp_path / "state.sqlite", smtp_for(port))
    assert key == KEY and resent.status == "sent" and copies(inbox, TEAM) == 1
    assert ledger(tmp_path)[-1] == (TEAM, 4, "sent", 250) and outbox(tmp_path) == []


def test_421_is_retried_then_delivered_once(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("DATA", "421 4.3.2 service not available, try later"))
    assert send(tmp_path, smtp_for(smtp_inbox.port)).status == "sent"
    assert copies(smtp_inbox, TEAM) == 1
    assert ledger(tmp_path) == [(TEAM, 1, "failed-transient", 421), (TEAM, 2, "sent", 250)]


def test_451_for_one_recipient_retries_only_that_recipient(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("RCPT", "451 4.7.1 greylisted, try again later", recipient=BOSS))
    assert send(tmp_path, smtp_for(smtp_inbox.port), to=(TEAM, BOSS)).status == "sent"
    assert [rcpts for rcpts, _ in smtp_inbox.received] == [[TEAM], [BOSS]]  # the retry went to BOSS only
    assert ledger(tmp_path) == [(TEAM, 1, "sent", 250), (BOSS, 1, "failed-transient", 451), (BOSS, 2, "sent", 250)]


def test_550_for_one_recipient_is_recorded_and_the_other_still_receives(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("RCPT", "550 5.1.1 no such mailbox", recipient=BOSS, times=99))
    result = send(tmp_path, smtp_for(smtp_inbox.port), to=(TEAM, BOSS))
    assert result.status == "failed" and result.detail.endswith(f"{BOSS}: 550 5.1.1 no such mailbox")
    assert copies(smtp_inbox, TEAM) == 1 and copies(smtp_inbox, BOSS) == 0
    assert ledger(tmp_path) == [(TEAM, 1, "sent", 250), (BOSS, 1, "failed-permanent", 550)]  # 5xx: no retry
    assert outbox(tmp_path) == ["2026-W47-north-report.eml"]  # until every recipient has it

    smtp_inbox.faults.clear()  # the mailbox was created: resend --failed offers it to BOSS only
    ((_, resent),) = resend_failed(tmp_path / "state.sqlite", smtp_for(smtp_inbox.port))
    assert resent.status == "sent" and copies(smtp_inbox, TEAM) == 1 and copies(smtp_inbox, BOSS) == 1
    assert ledger(tmp_path)[-1] == (BOSS, 2, "sent", 250) and outbox(tmp_path) == []
    assert resend_failed(tmp_path / "state.sqlite", smtp_for(smtp_inbox.port)) == []  # nothing left to resend


def test_a_connection_dropped_mid_data_is_retried_then_delivered_once(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("DATA", drop=True))
    assert send(tmp_path, smtp_for(smtp_inbox.port)).status == "sent"
    assert copies(smtp_inbox, TEAM) == 1
    assert ledger(tmp_path) == [(TEAM, 1, "failed-transient", None), (TEAM, 2, "sent", 250)]
    assert "SMTPServerDisconnected" in history(tmp_path / "state.sqlite")[0]["smtp_reply"]


def test_a_reply_slower_than_the_timeout_is_retried_then_delivered_once(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("DATA", delay=2.0))
    assert send(tmp_path, smtp_for(smtp_inbox.port, timeout=0.3)).status == "sent"
    assert copies(smtp_inbox, TEAM) == 1
    assert ledger(tmp_path) == [(TEAM, 1, "failed-transient", None), (TEAM, 2, "sent", 250)]
    assert "timed out" in history(tmp_path / "state.sqlite")[0]["smtp_reply"]


def test_transient_errors_past_the_retries_fail_without_loss(smtp_inbox, tmp_path):
    smtp_inbox.faults.append(Fault("DATA", "421 4.3.2 service not available, try later", times=5))
    result = send(tmp_path, smtp_for(smtp_inbox.port))
    assert result.status == "failed" and result.detail.endswith("421 4.3.2 service not available, try later")
    assert smtp_inbox.received == [] and outbox(tmp_path) == ["2026-W47-north-report.eml"]
    assert ledger(tmp_path) == [(TEAM, n, "failed-transient", 421) for n in (1, 2, 3)]


def test_identical_content_is_not_sent_again_unless_resend(smtp_inbox, tmp_path):
    smtp = smtp_for(smtp_inbox.port)
    first = send(tmp_path, smtp)
    again = send(tmp_path, smtp)
    assert again.status == "sent" and again.path == first.path and "nothing sent" in again.detail
    assert copies(smtp_inbox, TEAM) == 1 and outbox(tmp_path) == []
    assert send(tmp_path, smtp, resend=True).status == "sent" and copies(smtp_inbox, TEAM) == 2
    assert ledger(tmp_path) == [(TEAM, 1, "sent", 250), (TEAM, 0, "skipped-duplicate", None), (TEAM, 2, "sent", 250)]


def test_only_the_recipient_who_lacks_it_gets_it_on_a_rerun(smtp_inbox, tmp_path):
    smtp = smtp_for(smtp_inbox.port)
    send(tmp_path, smtp)
    send(tmp_path, smtp, to=(TEAM, BOSS))  # BOSS added to the team's recipients
    assert [rcpts for rcpts, _ in smtp_inbox.received] == [[TEAM], [BOSS]]
    assert [row[2] for row in ledger(tmp_path)] == ["sent", "skipped-duplicate", "sent"]


@pytest.mark.parametrize(
    ("locale", "prefix", "note"),
    [
        ("en_US", "Correction: ", "This report replaces the one sent on "),
        ("es_ES", "Corrección: ", "Este informe sustituye al enviado el "),
    ],
)
def test_changed_content_goes_out_as_a_correction(smtp_inbox, tmp_path, locale, prefix, note):
    smtp = smtp_for(smtp_inbox.port)
    send(tmp_path, smtp, locale=locale)
    result = send(tmp_path, smtp, key=CHANGED, locale=locale)
    assert result.status == "sent" and "a correction of" in result.detail
    first, correction = smtp_inbox.messages_to(TEAM)
    assert correction["Subject"] == prefix + first["Subject"]
    assert correction.get_body(("plain",)).get_content().startswith(note)
    assert note in correction.get_body(("html",)).get_content()
    sent = sorted(p.name for p in (tmp_path / "sent").glob("*.eml"))
    assert sent == ["2026-W47-north-report-aaaaaaaaaaaa.eml", "2026-W47-north-report-bbbbbbbbbbbb.eml"]


def test_a_changed_notice_is_a_new_message_not_a_correction(smtp_inbox, tmp_path):
    smtp = smtp_for(smtp_inbox.port)
    send(tmp_path, smtp, key=MessageKey("north", "2026-W47", "run-failed", "a" * 64))
    send(tmp_path, smtp, key=MessageKey("north", "2026-W47", "run-failed", "b" * 64))
    assert [m["Subject"] for m in smtp_inbox.messages_to(TEAM)] == ["Sales KPIs · North · 2026-W47"] * 2


def test_deliveries_and_resend_failed_on_the_command_line(smtp_inbox, tmp_path):
    from typer.testing import CliRunner

    from salespulse.cli.app import app
    from salespulse.errors import UserError
    from tests.flows.configs import config_file

    smtp = {"host": "127.0.0.1", "port": smtp_inbox.port, "security": "plain", "retry_delays_seconds": [0.05]}
    config = str(config_file(tmp_path, smtp=smtp))
    out = tmp_path / "out"
    smtp_inbox.faults.append(Fault("RCPT", "550 5.1.1 no such mailbox", recipient=BOSS, times=2))
    deliver.fn(
        message((TEAM, BOSS)), smtp_for(smtp_inbox.port), out / "outbox", out / "state" / "salespulse.sqlite", KEY
    )
    cli = CliRunner()

    table = cli.invoke(app, ["deliveries", "--config", config, "--period", "2026-W47"]).output.splitlines()
    assert " ".join(table[0].split()) == "when (UTC) team period kind recipient try status reply version eml"
    assert " ".join(table[2].split()[2:-1]) == f"north 2026-W47 report {TEAM} 1 sent 250 OK aaaaaaaaaaaa"
    assert "boss@example.com  1    failed-permanent  550 5.1.1 no such mailbox  aaaaaaaaaaaa" in table[3]
    assert table[3].endswith("2026-W47-north-report.eml") and len(table) == 4
    assert cli.invoke(app, ["deliveries", "--config", config, "--period", "2026-W48"]).output == (
        "No deliveries for 2026-W48.\n"
    )
    lower = cli.invoke(app, ["deliveries", "--config", config, "--period", "2026-w47"]).output.splitlines()
    assert lower == table  # the period in lower case is the same period
    typo = cli.invoke(app, ["deliveries", "--config", config, "--period", "2026-W4"])
    assert isinstance(typo.exception, UserError) and "'2026-W4' is not a period" in str(typo.exception)

    still = cli.invoke(app, ["resend", "--failed", "--config", config])  # the mailbox is still missing
    assert still.exit_code == 4 and still.output.startswith("north 2026-W47 report: not delivered")
    done = cli.invoke(app, ["resend", "--failed", "--config", config, "--team", "north"])
    assert done.exit_code == 0 and done.output.startswith("north 2026-W47 report: delivered")
    assert copies(smtp_inbox, TEAM) == 1 and copies(smtp_inbox, BOSS) == 1
    nothing = cli.invoke(app, ["resend", "--failed", "--config", config])
    assert nothing.exit_code == 0 and nothing.output.startswith("Nothing to resend")
    assert isinstance(cli.invoke(app, ["resend", "--config", config]).exception, UserError)  # --failed is required
    assert "--resend" in cli.invoke(app, ["run", "--help"]).output
