"""Page 1 tells the whole story and the weekly PDF stays short: the demo's North week through the real flow
(demo data → checks → KPIs → WeasyPrint), once by default and once with `report: {full_pdf: true}`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from salespulse.demo.data import write_demo
from salespulse.reports.emails import compose_report_email
from salespulse.reports.render import render_html
from salespulse.reports.tables import top_movers
from salespulse.transforms.highlights import DealLine, Highlights
from tests.reports.demo_run import demo_config, dry_run_pdf


@pytest.fixture(scope="module")
def north_pdfs(tmp_path_factory, prefect_harness) -> dict[str, Path]:
    """North's 2026-W47 report, by default and with the full PDF (a dry run: files, no email)."""
    root = tmp_path_factory.mktemp("page-one")
    data = write_demo(root / "data", scale=0.5)
    return {
        name: dry_run_pdf(demo_config(root, data, name, **extra), "north", "2026-W47")
        for name, extra in (("default", {}), ("full", {"report": {"full_pdf": True}}))
    }


def test_the_weekly_pdf_is_four_pages_at_most_and_page_one_has_the_story(north_pdfs):
    reader = PdfReader(north_pdfs["default"])
    assert len(reader.pages) <= 4
    first = " ".join(reader.pages[0].extract_text().split())
    for words in ("GOAL STATUS", "OFF TRACK Raise $200,000", "expected by now", "projected $"):
        assert words in first
    for words in ("WHAT HAPPENED", "Largest deals won", "Largest deals lost", "Slipped", "Largest new deals"):
        assert words in first
    assert "THE THREE THINGS THAT MOVED MOST" in first
    assert reader.pages[1].extract_text().startswith("GOALS")  # page 1 ended where it should: nothing spilled
    rest = " ".join(page.extract_text() for page in reader.pages[1:])
    assert "GOALS" in rest and "ALL KPIS" in rest
    assert "GLOSSARY" not in rest and "FUNNEL" not in rest and "REP LEADERBOARD" not in rest


def test_full_pdf_keeps_every_section(north_pdfs):
    default, full = PdfReader(north_pdfs["default"]), PdfReader(north_pdfs["full"])
    assert len(full.pages) > len(default.pages)
    text = " ".join(page.extract_text() for page in full.pages)
    for heading in ("FUNNEL", "REP LEADERBOARD", "BREAKDOWNS", "DATA-QUALITY APPENDIX", "GLOSSARY"):
        assert heading in text


def test_the_html_keeps_the_sections_the_pdf_leaves_out(make_context):
    html = render_html(make_context())
    assert "@media print { .html-only { display: none; } }" in html
    assert 'class="glossary html-only"' in html and 'class="funnel html-only"' in html
    assert "html-only" not in render_html(replace(make_context(), full_pdf=True)).split("</head>")[0]


def test_a_kpi_that_is_another_kpis_change_is_never_a_mover(make_context):
    ctx = make_context()
    growth = replace(ctx.kpis[0], kpi_id="revenue_growth", name="Revenue growth", value=-4.0, previous=0.86)
    movers = top_movers(replace(ctx, kpis=[growth, *ctx.kpis]))
    assert movers and all(mover.kpi.kpi_id != "revenue_growth" for mover in movers)


HAPPENED = Highlights(
    won=[DealLine("D1", "Keystone Retail Ltd", "Jürgen Clarke", 5_664.0)],
    lost=[DealLine("D2", "Cascade Foods Ltd.", "Nadia López", 5_029.0)],
    slipped=[DealLine("D3", "Cascade Labs Inc.", "Elena Clarke", 2_833.0)],
    slipped_total=4,
)


def test_what_happened_is_in_the_email_too(make_context):
    ctx = replace(make_context(), highlights=HAPPENED)
    msg = compose_report_email(ctx, b"%PDF-1.7", "a@example.com", ["b@example.com"])
    text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
    for body in (text, html):
        assert "What happened" in body or "WHAT HAPPENED" in body
        assert "Keystone Retail Ltd" in body and "Nadia López" in body and "and 3 more" in body
        assert "$5,664" in body and "Largest new deals" in body
    assert 'width="640"' not in html and "max-width:640px" in html
    page = render_html(ctx)
    assert "What happened" in page and "Cascade Labs Inc." in page
