"""The data-quality banner, the report's DQ appendix, the standalone dq.html and their wording helpers."""

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from salespulse.reports.dq import render_dq_html
from salespulse.reports.quality import count_noun, exclusion_sentence, history_rows
from salespulse.reports.render import render_html, render_pdf
from salespulse.transforms.results import CheckFailure, DqVerdict
from tests.reports.contexts import ContextFactory, make_critical, make_history, make_warnings

XSS_SCRIPT = "<script>alert(1)</script>"
GENERATED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
LOST_SENTENCE = (
    "3 deals: no usable amount on a lost deal, left out only of the KPIs that read that field (each says so)"
)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(node: object) -> str:
    return " ".join(node.get_text(" ").split())  # type: ignore[attr-defined]


def _failure(check: str, column: str | None, table: str = "deals", **kw: object) -> CheckFailure:
    fields: dict = {"severity": "warning", "failing": 1, "total": 10, "meaning": "", "fix": "", **kw}
    return CheckFailure(table=table, column=column, check=check, **fields)


def test_count_noun_and_exclusion_sentence_wording() -> None:
    assert count_noun(1, "activities") == "1 activity" and count_noun(3, "activities") == "3 activities"
    assert count_noun(2, "reps") == "2 reps" and count_noun(1, "quotes") == "1 row of quotes"
    assert exclusion_sentence(make_warnings().failures[0]) == LOST_SENTENCE


def test_banner_shows_warnings_and_exclusions_not_info(make_context: ContextFactory) -> None:
    banner = _soup(render_html(make_context("warnings"))).select_one("section.dq-banner")
    text = _text(banner)
    assert LOST_SENTENCE in text
    assert [li.get_text(strip=True) for li in banner.select("ul.dq-exclusions li")] == [LOST_SENTENCE]
    assert len(banner.select("tbody tr")) == 1 and "activities" not in banner.select_one("table").get_text()
    assert "1 of 24 checks flagged" in text and "1 note" in text


def test_banner_without_exclusions_has_no_sentences(make_context: ContextFactory) -> None:
    verdict = make_warnings()
    kept = DqVerdict(24, [replace(verdict.failures[0], excluded=0)], "r")
    banner = _soup(render_html(make_context(kept))).select_one("section.dq-banner")
    assert banner.select("ul.dq-exclusions") == [] and "left out" not in _text(banner)


def test_info_only_is_clean_with_a_pointer_to_the_appendix(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context("info")))
    assert soup.select_one(".dq-banner") is None
    assert _text(soup.select_one(".dq-ok")) == (
        "✓ Data checks passed (24 checks) · 1 note in dq.html and the HTML report's appendix"
    )
    clean = _soup(render_html(make_context("clean")))
    assert _text(clean.select_one(".dq-ok")) == "✓ Data checks passed (24 checks)"


def test_appendix_lists_failures_samples_and_trend(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context("warnings", dq_history=make_history(), dq_report="dq.html")))
    sections = [s["class"][0] for s in soup.select("body > section")]
    assert sections.index("dq-appendix") == sections.index("glossary") - 1
    appendix = soup.select_one("section.dq-appendix")
    blocks = appendix.select("article.dq-failure")
    assert [b["data-severity"] for b in blocks] == ["warning", "info"]
    amount = _text(blocks[0])
    for expected in ("deals.amount", "3 of 1,250 (0.2%)", "3 deals", "negative amount", "refunds"):
        assert expected in amount
    assert [[td.get_text() for td in tr.select("td")] for tr in blocks[0].select("table.dq-samples tbody tr")] == [
        ["D-1001", "\u22121,200"],  # amounts with separators, one format per column
        ["D-1044", "\u221280"],
    ]
    assert "none (the rows are counted as delivered)" in _text(blocks[1])
    rows = appendix.select("table.dq-trend tbody tr")
    assert [r["data-period"] for r in rows] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert [r.select_one(".status-word").get_text() for r in rows] == ["clean", "failed", "clean", "warnings"]
    assert "current" in rows[-1]["class"] and "current" not in rows[0]["class"]
    assert [td.get_text() for td in rows[1].select("td.num")] == ["24", "2", "1", "0"]
    assert rows[1].select_one(".seg-critical")["style"] == "width: 66.7%" and rows[0].select(".seg") == []
    assert "Full data-quality report: dq.html" in _text(appendix)


def test_appendix_empty_case(make_context: ContextFactory) -> None:
    appendix = _soup(render_html(make_context("clean"))).select_one("section.dq-appendix")
    assert _text(appendix.select_one(".dq-none")) == "No data-quality findings."
    assert appendix.select("article, table") == [] and "Full data-quality report" not in _text(appendix)


def test_appendix_samples_cap_at_ten(make_context: ContextFactory) -> None:
    appendix = _soup(render_html(make_context("critical"))).select_one("section.dq-appendix")
    samples = appendix.select_one('article[data-severity="critical"] table.dq-samples')
    assert len(samples.select("tbody tr")) == 10 and "D-2010" not in samples.get_text()
    assert samples.select_one(".empty").get_text() == "(empty)"


def test_history_rows_scale_to_the_worst_period() -> None:
    rows = history_rows(make_history())
    assert [r.failures for r in rows] == [0, 3, 2, 2] and rows[-1].current
    assert rows[1].widths == ("66.7%", "33.3%", "0.0%")
    assert history_rows([]) == []


@pytest.fixture(scope="module")
def dq_page() -> BeautifulSoup:
    critical = make_critical()
    noisy = replace(critical.failures[1], samples=[{"deal_id": XSS_SCRIPT, "amount": "-1.00"}])
    info = make_warnings().failures[1]
    verdict = DqVerdict(24, [info, noisy, critical.failures[0]], "dq-2026-W47-0002")
    html = render_dq_html("Acme", "Península", "2026-W47", verdict, make_history(), "en_US", GENERATED)
    return _soup(html)


def test_dq_page_groups_by_severity_in_order(dq_page: BeautifulSoup) -> None:
    groups = dq_page.select("section.dq-group-section")
    assert [g["data-severity"] for g in groups] == ["critical", "warning", "info"]
    assert [g.select_one("h2").get_text() for g in groups] == ["1 critical failure", "1 warning", "1 note"]
    critical = _text(groups[0].select_one("article"))
    for expected in ("deals.close_date", "expect_column_values_to_not_be_null", "57 of 1,250 (4.6%)", "withheld"):
        assert expected in critical
    assert len(groups[0].select("table.dq-samples tbody tr")) == 10


def test_dq_page_summary_history_and_self_contained(dq_page: BeautifulSoup) -> None:
    summary = _text(dq_page.select_one("section.dq-summary"))
    assert "dq-2026-W47-0002" in summary and "24 checks run" in summary and "withheld" in summary
    assert len(dq_page.select("table.dq-trend tbody tr")) == 4
    assert dq_page.select("link, img, iframe") == [] and "@page" in dq_page.select_one("style").string
    assert dq_page.select_one("h1").get_text() == "Península"


def test_dq_page_escapes_sample_values(dq_page: BeautifulSoup) -> None:
    assert dq_page.find("script") is None
    cells = [td.get_text() for td in dq_page.select('article[data-severity="warning"] table.dq-samples td')]
    assert XSS_SCRIPT in cells


def test_dq_page_without_findings() -> None:
    html = render_dq_html("Acme", "Norte", "2026-11", DqVerdict(12, [], ""), [], "en_US", GENERATED)
    soup = _soup(html)
    assert [_text(p) for p in soup.select(".dq-none")] == ["No data-quality findings.", "No earlier periods recorded."]
    assert "No critical failures or warnings" in _text(soup.select_one(".dq-summary"))


def test_full_pdf_with_warnings_has_the_appendix(make_context: ContextFactory) -> None:
    """The appendix is in the PDF with report.full_pdf (by default it is in the HTML report only)."""
    pdf = render_pdf(render_html(make_context("warnings", dq_history=make_history(), full_pdf=True)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "DATA-QUALITY APPENDIX" in text and "3 deals: no usable amount on a lost deal" in text and "2026-W45" in text


def test_report_email_lists_warnings_not_info(make_context: ContextFactory) -> None:
    from salespulse.reports.emails import compose_report_email

    msg = compose_report_email(make_context("warnings"), b"%PDF-", "r@example.com", ["t@example.com"])
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_content()
    assert "1 of 24 checks flagged" in text and "deals.amount" in text and "activities:" not in text
