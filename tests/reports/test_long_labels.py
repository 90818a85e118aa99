"""A CRM name of any length costs the report a line, not pages: every label the report prints is cut to
60 characters with an ellipsis (reports/format.py short_label, applied once in reports/context.py), and a
sample value on the data-quality pages likewise. Real HTML, real WeasyPrint PDFs read back with pypdf."""

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from salespulse.reports.context import ReportContext
from salespulse.reports.dq import render_dq_html
from salespulse.reports.format import LABEL_CHARS, short_label
from salespulse.reports.render import render_html, render_pdf
from salespulse.transforms.highlights import DealLine, Highlights
from salespulse.transforms.results import BreakdownRow, FunnelStep, LeaderboardRow, ScopeTerm
from tests.reports.contexts import ContextFactory, make_warnings

GEORGIAN = "სამშენებლო კომპანია " * 450  # 9,000 characters in a script DejaVu Sans draws
GREEK = "Αλέξανδρος Παπαδόπουλος " * 20  # 480
ETHIOPIC = "".join(chr(0x1200 + i % 90) for i in range(9_000))  # one word, in a script no installed font has
CUT = 59  # characters kept before the ellipsis


def _long(ctx: ReportContext, product: str) -> ReportContext:
    """The context with a long product, rep, account, stage and goal product, built as the flow builds it."""
    kpis = [
        replace(
            k,
            breakdowns={
                **k.breakdowns,
                "product": [BreakdownRow(product, product, 1_000.0), *k.breakdowns.get("product", [])],
            },
        )
        for k in ctx.kpis
    ]
    deal = DealLine("D-9", GEORGIAN, GREEK, 4_200.0, date(2026, 11, 18))
    return replace(  # through __init__, as the flow builds it
        ctx,
        kpis=kpis,
        leaderboard=[LeaderboardRow("r9", GREEK, 70_000.0, 20, 0.4, None, 10), *ctx.leaderboard],
        funnel=[*ctx.funnel, FunnelStep(GEORGIAN, 3, 0.25)],
        highlights=Highlights(won=[deal], new=[deal]),
        goals=[replace(g, scope_terms=(ScopeTerm("product", GEORGIAN),)) for g in ctx.goals],
        full_pdf=True,
    )


def _pdf(ctx: ReportContext) -> tuple[str, int]:
    pages = PdfReader(io.BytesIO(render_pdf(render_html(ctx)))).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages), len(pages)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def normal(make_context: ContextFactory) -> ReportContext:
    deal = DealLine("D-9", "Acme", "Ana", 4_200.0, date(2026, 11, 18))
    return make_context("warnings", full_pdf=True, highlights=Highlights(won=[deal], new=[deal]))


@pytest.fixture(scope="module")
def normal_pages(normal: ReportContext) -> int:
    return _pdf(normal)[1]


def test_short_label_keeps_short_text_and_cuts_long_text_to_the_limit() -> None:
    assert short_label("GTX Pro") == "GTX Pro"
    assert short_label("x" * LABEL_CHARS) == "x" * LABEL_CHARS
    assert short_label(GEORGIAN) == GEORGIAN[:CUT] + "…" and len(short_label(GEORGIAN)) == LABEL_CHARS == 60


def test_the_context_cuts_every_label_and_keeps_ids_whole(normal: ReportContext) -> None:
    ctx = _long(normal, ETHIOPIC)
    (row,) = [r for r in ctx.kpis[0].breakdowns["product"] if r.key == ETHIOPIC]  # the key matches whole
    assert row.label == ETHIOPIC[:CUT] + "…"
    assert ctx.leaderboard[0].name == GREEK[:CUT] + "…" and ctx.funnel[-1].stage == GEORGIAN[:CUT] + "…"
    assert (ctx.highlights.won[0].account, ctx.highlights.won[0].owner) == (GEORGIAN[:CUT] + "…", GREEK[:CUT] + "…")
    assert ctx.goals[0].scope_terms[0].value == GEORGIAN[:CUT] + "…"


def test_a_long_georgian_and_greek_name_is_cut_in_the_pdf_text_and_costs_no_pages(
    normal: ReportContext, normal_pages: int
) -> None:
    text, pages = _pdf(_long(normal, GEORGIAN))
    for name in (GEORGIAN, GREEK):  # spaces apart: a cell wraps the cut name over lines
        assert _squeezed(name[:CUT] + "…") in _squeezed(text)
        assert _squeezed(name[: CUT + 5]) not in _squeezed(text)
    assert pages <= normal_pages + 1, (pages, normal_pages)


def test_a_name_in_a_script_no_font_has_is_cut_in_the_html_and_costs_no_pages(
    normal: ReportContext, normal_pages: int
) -> None:
    """Drawn as 59 .notdef boxes where it shows, never 9,000 of them. (pypdf cannot read the text of a PDF
    with .notdef glyphs, WeasyPrint then writes its own CMap: the HTML is checked instead.)"""
    ctx = _long(normal, ETHIOPIC)
    html = render_html(ctx)
    assert ETHIOPIC[:CUT] + "…" in html and ETHIOPIC[: CUT + 1] not in html
    assert GEORGIAN[:CUT] + "…" in html and GEORGIAN[: CUT + 1] not in html
    pages = len(PdfReader(io.BytesIO(render_pdf(html))).pages)
    assert pages <= normal_pages + 1, (pages, normal_pages)


def test_a_long_sample_value_is_cut_on_the_data_quality_page() -> None:
    verdict = make_warnings()
    failure = verdict.failures[0]
    samples = [{"deal_id": "D-1001", "product": ETHIOPIC, "amount": "-1200.00"}]
    verdict = replace(verdict, failures=[replace(failure, samples=samples), *verdict.failures[1:]])
    page = render_dq_html("Acme", "East", "2026-W47", verdict, [], "en_US", datetime(2026, 11, 23, 7, tzinfo=UTC))
    assert ETHIOPIC[:CUT] + "…" in page and ETHIOPIC[: CUT + 1] not in page
