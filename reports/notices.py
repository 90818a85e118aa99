"""The owner's run notices: one when a team's runs start failing, one when they work again.

Plain text on purpose: it is an operator's message, read in a phone's notification as much as in a
mail client, and it carries no figures that could need a table.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from salespulse.reports import format as fmt
from salespulse.reports.i18n import gettext, ngettext


def _status(status: str, locale: str) -> str:
    from salespulse.reports.archive import STATUS_WORDS

    return gettext(locale, STATUS_WORDS[status]) if status in STATUS_WORDS else status


def _one_line(text: str) -> str:
    return " ".join(text.split())


def compose_failure_notice(
    company: str,
    team_id: str,
    team_name: str,
    period_label: str,
    status: str,
    detail: str,
    sender: str,
    recipients: list[str],
    *,
    when: datetime,
    locale: str = "en_US",
) -> EmailMessage:
    """The first failure of a streak; later failures of the same streak send nothing more."""
    subject = gettext(locale, "salespulse · %(team)s · %(period)s: the report run failed") % {
        "team": team_name,
        "period": period_label,
    }
    lines = [
        gettext(locale, "The %(company)s report run for %(team)s, %(period)s, did not go through (%(status)s).")
        % {"company": company, "team": team_name, "period": period_label, "status": _status(status, locale)},
        "",
        detail,
        "",
        gettext(
            locale,
            "Fix the cause, then rerun with `salespulse run --period %(period)s --team %(team_id)s`. "
            "`salespulse deliveries` and `salespulse dq` show what happened.",
        )
        % {"period": period_label, "team_id": team_id},
        gettext(
            locale,
            "This is the only notice for this run of failures: the next one comes when a run succeeds again.",
        ),
    ]
    return _plain_message(subject, "\n".join(lines), sender, recipients, when, locale)


def compose_recovery_notice(
    company: str,
    team_name: str,
    period_label: str,
    failures: int,
    failing_since: datetime,
    sender: str,
    recipients: list[str],
    *,
    when: datetime,
    locale: str = "en_US",
) -> EmailMessage:
    """The end of a failure streak: runs for the team work again."""
    subject = gettext(locale, "salespulse · %(team)s · %(period)s: runs are working again") % {
        "team": team_name,
        "period": period_label,
    }
    streak = ngettext(
        locale,
        "after %(n)s failed run since %(since)s",
        "after %(n)s failed runs since %(since)s",
        failures,
    ) % {"n": failures, "since": fmt.format_datetime(failing_since, locale)}
    body = gettext(locale, "The %(company)s report run for %(team)s, %(period)s, succeeded %(streak)s.") % {
        "company": company,
        "team": team_name,
        "period": period_label,
        "streak": streak,
    }
    return _plain_message(subject, body, sender, recipients, when, locale)


def _plain_message(
    subject: str, body: str, sender: str, recipients: list[str], when: datetime, locale: str
) -> EmailMessage:
    msg = EmailMessage(policy=policy.default)
    msg["Subject"] = _one_line(subject)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(when)
    msg["Content-Language"] = locale.split("_")[0]
    msg.set_content(body + "\n")
    return msg
