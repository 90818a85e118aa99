from collections.abc import Callable
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup

from salespulse.reports.context import ReportContext
from salespulse.reports.emails import compose_alert_email, compose_report_email, mark_correction
from salespulse.transforms.results import DqVerdict

ContextFactory = Callable[..., ReportContext]
PDF = b"%PDF-1.7\n% a stand-in: the email does not look inside\n%%EOF\n"
SENDER = "Salespulse <reports@example.com>"
RECIPIENTS = ["ana@example.es", "Bob Smith <bob@example.com>"]
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def _roundtrip(msg: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _html_of(msg: EmailMessage) -> BeautifulSoup:
    body = msg.get_body(("html",))
    assert body is not None
    return BeautifulSoup(body.get_content(), "html.parser")


def _text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return body.get_content()


@pytest.fixture
def report_email(make_context: ContextFactory) -> EmailMessage:
    return _roundtrip(compose_report_email(make_context("warnings"), PDF, SENDER, RECIPIENTS))


def test_mime_structure(report_email: EmailMessage) -> None:
    assert report_email.get_content_type() == "multipart/mixed"
    alternative, attachment = report_email.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == PDF


def test_attachment_name_keeps_accents_after_parsing(report_email: EmailMessage) -> None:
    attachment = next(report_email.iter_attachments())
    assert attachment.get_filename() == "Sales KPIs Península 2026-W47.pdf"


def test_subject_headers_and_no_message_id(report_email: EmailMessage) -> None:
    assert report_email["Subject"] == (
        "Sales KPIs · Península · 2026-W47 (Nov 16 – 22, 2026) · 1 goal at risk"  # thin spaces made plain
    )
    assert report_email["Date"] == "Mon, 23 Nov 2026 07:00:00 +0000"
    assert report_email["From"] == SENDER
    assert [a.addr_spec for a in report_email["To"].addresses] == ["ana@example.es", "bob@example.com"]
    assert report_email["Message-ID"] is None


def test_subject_without_goals_at_risk(make_context: ContextFactory) -> None:
    ctx = make_context(goals=make_context().goals[:1])
    subject = compose_report_email(ctx, PDF, SENDER, RECIPIENTS)["Subject"]
    assert subject.startswith("Sales KPIs · Península · 2026-W47 (") and "at risk" not in subject


def test_same_inputs_give_same_bytes(make_context: ContextFactory) -> None:
    ctx = make_context("warnings")
    first = compose_report_email(ctx, PDF, SENDER, RECIPIENTS).as_bytes()
    assert compose_report_email(ctx, PDF, SENDER, RECIPIENTS).as_bytes() == first


def test_bodies_carry_kpis_goals_and_dq(report_email: EmailMessage) -> None:
    text = _text_of(report_email)
    assert "Closed-won revenue: $128,450 (previous $114,300; ▲ up 12.4% (better))" in text
    assert "First response time: n/a" in text
    assert "AT RISK" in text and "deals.amount" in text
    html = _html_of(report_email)
    assert html.find("img") is None and html.find("style") is None and html.find("link") is None
    page = " ".join(html.get_text(" ").split())
    for expected in ("$128,450", "$114,300", "up 12.4%", "Lift win rate to 30% by year end", "at risk"):
        assert expected in page


def test_untrusted_names_are_escaped_in_email_html(make_context: ContextFactory) -> None:
    goals = [g.__class__(**{**g.__dict__, "objective": XSS_IMG}) for g in make_context().goals]
    ctx = make_context(team_name=XSS_SCRIPT, goals=goals)
    msg = _roundtrip(compose_report_email(ctx, PDF, SENDER, RECIPIENTS))
    html = _html_of(msg)
    assert html.find("script") is None and html.find(attrs={"onerror": True}) is None
    assert XSS_SCRIPT in html.get_text() and XSS_IMG in html.get_text()
    assert XSS_SCRIPT in _text_of(msg)  # plain text is not HTML: printed as written, not as &lt;


def test_header_injection_is_neutralised(make_context: ContextFactory) -> None:
    msg = compose_report_email(make_context(team_name="North\r\nBcc: x@evil.test"), PDF, SENDER, RECIPIENTS)
    assert msg["Bcc"] is None and _roundtrip(msg)["Bcc"] is None


@pytest.fixture
def alert(make_context: ContextFactory) -> EmailMessage:
    verdict: DqVerdict = make_context("critical").dq
    msg = compose_alert_email(
        "Acme Iberia S.L.",
        "Península",
        "2026-W47",
        verdict,
        SENDER,
        ["owner@example.com"],
        "out/reports/peninsula/2026-W47/dq.html",
    )
    return _roundtrip(msg)


def test_alert_subject_and_structure(alert: EmailMessage) -> None:
    assert alert["Subject"] == "Data-quality alert · Península · 2026-W47 · 2 checks failed"
    assert alert.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alert.get_payload()] == ["text/plain", "text/html"]


def test_alert_lists_each_failure_fully(alert: EmailMessage) -> None:
    text = _text_of(alert)
    page = " ".join(_html_of(alert).get_text(" ").split())
    for body in (text, page):
        assert "deals.close_date" in body and "deals.amount" in body
        assert "57 of 1,250" in body and "(4.6%)" in body and "(0.2%)" in body
        assert "Won deals without a close date" in body and "Fill close_date for won deals" in body
        assert "negative amount" in body and "mark the deals as refunds" in body
        assert "D-2009" in body and "D-2010" not in body  # ten samples at most
        assert "D-1044" in body and "\u22121,200" in body and "-1200.00" not in body
        assert "the report for the team was withheld" in body.lower()
        assert "out/reports/peninsula/2026-W47/dq.html" in body
    assert "deal_id=D-2000, stage=won, close_date=(empty)" in text


def test_alert_without_critical_or_location(make_context: ContextFactory) -> None:
    msg = compose_alert_email("Acme", "Norte", "2026-11", make_context("warnings").dq, SENDER, ["o@example.com"], None)
    text = _text_of(msg)
    assert "withheld" not in text and "Full details" not in text
    assert msg["Subject"] == "Data-quality alert · Norte · 2026-11 · 2 checks failed"
    assert "activities" in text and "1 of 1 rows (100.0%)" in text


def test_bodies_carry_short_baselines(report_email: EmailMessage) -> None:
    text = _text_of(report_email)
    assert "(better)) · baseline $114,688, ▲ +12.0% above\n" in text
    assert (
        "Win rate: 27.5% (previous 31.0%; ▼ down 3.5 pts (worse)) · industry benchmark 25.0%, ▲ +2.5 pts above" in text
    )
    assert "- Deals won: 42 (previous 42; → flat 0.0%)\n" in text  # no baseline: nothing added
    page = " ".join(_html_of(report_email).get_text(" ").split())
    assert "baseline $114,688, ▲ +12.0% above" in page and "industry benchmark 25.0%" in page


def test_a_pdf_over_the_size_limit_is_linked_not_attached(make_context) -> None:
    from salespulse.reports.emails import compose_report_email

    ctx = make_context()
    where = "/srv/reports/north/2026-W47/report.pdf"
    pdf = b"%PDF-" + b"x" * 5000
    msg = compose_report_email(
        ctx, pdf, "sp@example.com", ["t@example.com"], max_attachment_bytes=4096, report_location=where
    )
    assert list(msg.iter_attachments()) == []
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "is larger than the 4 KB this email may carry" in text and where in text
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "not attached" in html and where in html
    assert "Won revenue" in text or ctx.kpis[0].name in text  # the summary still goes out


def test_a_correction_says_so_in_the_subject_and_atop_both_bodies(report_email: EmailMessage) -> None:
    marked = _roundtrip(mark_correction(report_email, date(2026, 11, 23), "es_ES"))
    assert marked["Subject"] == "Corrección: " + report_email["Subject"]
    note = "Este informe sustituye al enviado el 23 nov 2026: han cambiado los datos o la configuración."
    assert _text_of(marked) == f"{note}\n\n{_text_of(report_email)}"
    assert " ".join(_html_of(marked).body.get_text(" ").split()).startswith(note)
    assert next(marked.iter_attachments()).get_content() == PDF
    assert report_email["Subject"].startswith("Sales KPIs")  # the original is untouched
    assert (
        mark_correction(report_email, date(2026, 11, 23)).as_bytes()
        == mark_correction(report_email, date(2026, 11, 23)).as_bytes()
    )  # still no random MIME boundaries


def test_a_corrected_alert_names_itself_an_alert(alert: EmailMessage) -> None:
    text = _text_of(mark_correction(alert, date(2026, 11, 23), alert=True))
    assert text.startswith("This alert replaces the one sent on Nov 23, 2026: the data or config changed.")


LINKS = "https://reports.example.com/sales"


def test_with_a_public_url_the_report_email_links_to_the_report_its_checks_and_the_archive(make_context) -> None:
    from pathlib import Path

    from salespulse.reports.emails import page_links

    links = page_links(LINKS, Path("/srv/out/reports"), Path("/srv/out/reports/peninsula/2026-W47"))
    for pdf, limit in ((PDF, 8 * 1024 * 1024), (b"%PDF-" + b"x" * 5000, 4096)):  # attached, then too large
        where = "/srv/x.pdf"
        msg = compose_report_email(
            make_context(), pdf, SENDER, RECIPIENTS, max_attachment_bytes=limit, report_location=where, links=links
        )
        text, page = _text_of(msg), _html_of(msg)
        hrefs = {a["href"] for a in page.find_all("a")}
        for url in ("peninsula/2026-W47/report.html", "peninsula/2026-W47/dq.html", "index.html"):
            assert f"{LINKS}/reports/{url}" in text and f"{LINKS}/reports/{url}" in hrefs
        assert "/srv/x.pdf" not in text and "/srv/x.pdf" not in page.get_text()  # a link, not a file path


def test_alerts_link_to_dq_html_and_a_notice_to_the_report_too(make_context) -> None:
    from pathlib import Path

    from salespulse.reports.emails import page_links

    reports, folder = Path("/srv/out/reports"), Path("/srv/out/reports/north/2026-W47")
    withheld = page_links(LINKS, reports, folder, report=False)
    alert = compose_alert_email(
        "Acme", "North", "2026-W47", make_context("critical").dq, SENDER, ["o@example.com"], "/srv/dq.html",
        links=withheld,
    )  # fmt: skip
    text = _text_of(alert)
    assert f"Full details: {LINKS}/reports/north/2026-W47/dq.html" in text
    assert f"All reports: {LINKS}/reports/index.html" in text and "report.html" not in text
    assert "/srv/dq.html" not in text
    notice = compose_alert_email(
        "Acme", "North", "2026-W47", make_context("warnings").dq, SENDER, ["o@example.com"], "/srv/dq.html",
        links=page_links(LINKS, reports, folder),
    )  # fmt: skip
    hrefs = {a["href"] for a in _html_of(notice).find_all("a")}
    assert f"{LINKS}/reports/north/2026-W47/report.html" in hrefs and f"{LINKS}/reports/index.html" in hrefs
    assert page_links(None, reports, folder) is None


def test_a_path_in_the_temporary_folder_is_not_offered_as_where_to_look(make_context, tmp_path) -> None:
    import tempfile
    from pathlib import Path

    dq_page = Path(tempfile.gettempdir()) / "salespulse-run" / "reports" / "north" / "2026-W47" / "dq.html"
    alert = compose_alert_email(
        "Acme", "North", "2026-W47", make_context("critical").dq, SENDER, ["o@example.com"], str(dq_page)
    )
    for body in (_text_of(alert), " ".join(_html_of(alert).get_text(" ").split())):
        assert "Full details: dq.html, in the run's output folder" in body and str(dq_page) not in body
    report = compose_report_email(
        make_context(), b"%PDF-" + b"x" * 5000, SENDER, RECIPIENTS, max_attachment_bytes=4096,
        report_location=str(dq_page.with_name("report.pdf")),
    )  # fmt: skip
    assert "Open it here: report.pdf, in the run's output folder" in _text_of(report)
    assert tempfile.gettempdir() not in _text_of(report)
