"""The two emails reports/ composes: the team's report (with the PDF) and the data owner's DQ alert.

Both are built with the stdlib EmailMessage and email.policy.default: multipart/alternative text + HTML,
RFC 2231 attachment names (accents survive), and no random parts, so identical inputs give identical
bytes and the delivery ledger can hash what it sends.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import escape

from salespulse.reports import format as fmt
from salespulse.reports.context import ReportContext
from salespulse.reports.i18n import gettext, ngettext
from salespulse.reports.quality import sample_table
from salespulse.reports.render import AT_RISK, html_env, localized, template_vars, text_env
from salespulse.transforms.results import DqVerdict


def _one_line(text: str) -> str:
    """Header-safe text: a newline in a team name must not end the header (header injection)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Links:
    """A period's pages on the web (config public_url): its HTML report (None when withheld), its data-quality
    page and the archive of every report."""

    report: str | None
    dq: str
    archive: str


def page_links(public_url: str | None, reports_dir: Path, report_dir: Path, *, report: bool = True) -> Links | None:
    """The links for a period whose files are in `report_dir` under `reports_dir` (served as {public_url}/reports);
    None without a public_url: the emails then name the files where they are."""
    if not public_url:
        return None
    try:
        folder = quote(Path(report_dir).relative_to(reports_dir).as_posix())
    except ValueError:
        return None
    base = f"{public_url.rstrip('/')}/reports"
    return Links(f"{base}/{folder}/report.html" if report else None, f"{base}/{folder}/dq.html", f"{base}/index.html")


def shown_location(location: str | None, locale: str) -> str | None:
    """A local path as the email names it; one under the system's temporary folder (a test, a one-off run) would
    be gone or unreachable when read, so the email names the file and says it is in the run's output folder."""
    if not location:
        return location
    path = Path(location)  # as given: a relative path (a config's `out`) is the user's own folder, wherever run
    if not path.is_absolute() or not path.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()):
        return location
    return gettext(locale, "%(file)s, in the run's output folder") % {"file": path.name}


def attachment_filename(ctx: ReportContext) -> str:
    """The PDF's name: accents kept (RFC 2231), but no line breaks or path separators from a team name."""
    return _one_line(f"{ctx.file_stem}.pdf").replace("/", "-").replace("\\", "-")


def goal_warnings(ctx: ReportContext, *, nouns: bool = False) -> str:
    """The goals that need attention, each status counted apart: "1 off track, 2 at risk", or with nouns=True
    "1 goal off track, 2 goals at risk" (never "3 goals at risk" for goals some of which are off track); ""
    when none."""
    locale, counts = ctx.locale, {status: sum(goal.status == status for goal in ctx.goals) for status in AT_RISK}
    off, risk = counts["off track"], counts["at risk"]
    if nouns:
        words = [
            ngettext(locale, "%(n)s goal off track", "%(n)s goals off track", off) % {"n": off} if off else "",
            ngettext(locale, "%(n)s goal at risk", "%(n)s goals at risk", risk) % {"n": risk} if risk else "",
        ]
    else:
        words = [
            ngettext(locale, "%(num)s off track", "%(num)s off track", off) % {"num": off} if off else "",
            gettext(locale, "%(num)s at risk") % {"num": risk} if risk else "",
        ]
    return ", ".join(word for word in words if word)


def report_subject(ctx: ReportContext) -> str:
    locale = ctx.locale
    date_range = fmt.format_period_range(ctx.period_start, ctx.period_end, locale)
    subject = gettext(locale, "Sales KPIs · %(team)s · %(period)s (%(dates)s)") % {
        "team": ctx.team_name,
        "period": ctx.period_label,
        "dates": date_range,
    }
    if warnings := goal_warnings(ctx, nouns=True):
        subject += " · " + warnings
    return _one_line(subject)


def alert_subject(team_name: str, period_label: str, verdict: DqVerdict, locale: str = "en_US") -> str:
    n = len(verdict.failures)
    failed = ngettext(locale, "%(n)s check failed", "%(n)s checks failed", n) % {"n": n}
    title = gettext(locale, "Data-quality alert")
    return _one_line(f"{title} · {team_name} · {period_label} · {failed}")


def _new_message(subject: str, sender: str, recipients: list[str], sent_at: datetime | None) -> EmailMessage:
    msg = EmailMessage(policy=policy.default)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    if sent_at is not None:
        msg["Date"] = format_datetime(sent_at)
    # No Message-ID: the sending side adds one, and a generated one would make every render differ.
    return msg


def _pin_boundaries(msg: EmailMessage) -> None:
    """Replace the generator's random MIME boundaries with ones derived from the content. Only leaf
    parts are hashed: serialising the whole message first would fix a random boundary in place."""
    hasher = hashlib.sha256()
    for part in msg.walk():
        if not part.is_multipart():
            hasher.update(part.as_bytes())
    digest = hasher.hexdigest()[:32]
    for depth, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_salespulse_{depth}_{digest}")


def _with_bodies(msg: EmailMessage, text: str, html: str) -> EmailMessage:
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def _render_pair(name: str, variables: dict[str, Any], locale: str) -> tuple[str, str]:
    with localized(locale):
        text = text_env().get_template(f"{name}.txt").render(**variables)
        html = html_env().get_template(f"{name}.html").render(**variables)
    return text, html


DEFAULT_MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024


def _email_vars(ctx: ReportContext, shared: dict[str, Any]) -> dict[str, Any]:
    """What the report email needs besides the report's variables: the goals needing attention by status, and
    every "what happened" amount, printed in one money format as the report does ("$0" beside "$13,471")."""
    return {
        "happened_amounts": [line.amount for group in shared["happened"] for line in group.lines],
        "goal_warnings": goal_warnings(ctx),
    }


def compose_report_email(
    ctx: ReportContext,
    pdf: bytes,
    sender: str,
    recipients: list[str],
    *,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    report_location: str = "",
    links: Links | None = None,
) -> EmailMessage:
    """multipart/mixed [multipart/alternative [text/plain, text/html], application/pdf]. A PDF over
    `max_attachment_bytes` is not attached: the summary goes out and says so, with where the report is
    (never an empty email, never a silent cut). With `links` (config public_url) the email links to the
    report, its data-quality page and the archive instead."""
    attach = len(pdf) <= max_attachment_bytes
    shared = template_vars(ctx)
    variables = {
        **shared,
        **_email_vars(ctx, shared),
        "attachment_name": attachment_filename(ctx),
        "attached": attach,
        "pdf_size": fmt.format_bytes(len(pdf), ctx.locale),
        "size_limit": fmt.format_bytes(max_attachment_bytes, ctx.locale),
        "report_location": shown_location(report_location, ctx.locale),
        "links": links,
    }
    text, html = _render_pair("report_email", variables, ctx.locale)
    msg = _new_message(report_subject(ctx), sender, recipients, ctx.generated_at)
    _with_bodies(msg, text, html)
    if attach:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=variables["attachment_name"])
    _pin_boundaries(msg)
    return msg


def compose_alert_email(
    company: str,
    team_name: str,
    period_label: str,
    verdict: DqVerdict,
    sender: str,
    recipients: list[str],
    report_location: str | None,
    *,
    generated_at: datetime | None = None,
    locale: str = "en_US",
    links: Links | None = None,
) -> EmailMessage:
    """The data owner's alert: every failure with its numbers, samples, meaning and fix. `generated_at`
    sets the Date header; without it the sender adds one (the alert has no context to take it from). With
    `links` (config public_url) it links to the data-quality page, the report if there is one, and the archive."""
    variables = {
        "company": company,
        "team_name": team_name,
        "period_label": period_label,
        "verdict": verdict,
        "failures": [(failure, *sample_table(failure, locale)) for failure in verdict.failures],
        "withheld": bool(verdict.critical),
        "report_location": shown_location(report_location, locale),
        "links": links,
        "locale": locale,
    }
    text, html = _render_pair("alert_email", variables, locale)
    msg = _new_message(alert_subject(team_name, period_label, verdict, locale), sender, recipients, generated_at)
    _with_bodies(msg, text, html)
    _pin_boundaries(msg)
    return msg


def mark_correction(msg: EmailMessage, replaces: date, locale: str = "en_US", *, alert: bool = False) -> EmailMessage:
    """A copy of `msg` that says it corrects the one sent on `replaces`: "Correction: …" in the subject and
    one line at the top of the text and HTML bodies. The original is left as it was."""
    marked = message_from_bytes(bytes(msg), policy=policy.default)
    subject = gettext(locale, "Correction: %(subject)s") % {"subject": msg["Subject"]}
    marked.replace_header("Subject", _one_line(subject))
    when = {"date": fmt.format_date(replaces, locale)}
    if alert:
        note = gettext(locale, "This alert replaces the one sent on %(date)s: the data or config changed.") % when
    else:
        note = gettext(locale, "This report replaces the one sent on %(date)s: the data or config changed.") % when
    plain, html = marked.get_body(("plain",)), marked.get_body(("html",))
    if plain is not None:
        plain.set_content(f"{note}\n\n{plain.get_content()}")
    if html is not None:
        banner = (
            '<div style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#5c1010;background:#fbeaea;'
            f'border-left:4px solid #a3231f;padding:10px 12px;">{escape(note)}</div>'
        )
        content = html.get_content()
        body = re.search(r"<body[^>]*>", content)
        at = body.end() if body else 0
        html.set_content(content[:at] + banner + content[at:], subtype="html")
    _pin_boundaries(marked)
    return marked
