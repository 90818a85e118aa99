"""The HTML report on screen: a viewport meta, screen-only rules that reflow at phone widths, wide tables that
scroll inside their own box and charts that shrink. Checked through the markup and the parsed stylesheet; the
PDF tests (test_render.py) check that print is untouched. A real browser is not a test dependency: the
README's screenshots were taken with Chromium by hand."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import tinycss2
from bs4 import BeautifulSoup, Tag

from salespulse.reports.archive import render_archive
from salespulse.reports.context import ReportContext
from salespulse.reports.dq import render_dq_html
from salespulse.reports.render import render_html, stylesheet
from tests.reports.contexts import make_history
from tests.reports.demo_like import make_suite_critical

ContextFactory = Callable[..., ReportContext]
VIEWPORT = "width=device-width, initial-scale=1"


def _rules(css: str) -> list[tuple[str, str, dict[str, str]]]:
    """(media condition or "", selector, declarations) for every style rule; nested @media blocks are joined
    with "and", as a browser reads them."""
    found = []

    def style_rules(nodes: list, media: str) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                declarations = tinycss2.parse_declaration_list(node.content, skip_whitespace=True, skip_comments=True)
                values = {
                    d.lower_name: tinycss2.serialize(d.value).strip() for d in declarations if d.type == "declaration"
                }
                found.append((media, tinycss2.serialize(node.prelude).strip(), values))
            elif node.type == "at-rule" and node.lower_at_keyword == "media":
                inner = tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True)
                prelude = " ".join(tinycss2.serialize(node.prelude).split())
                style_rules(inner, f"{media} and {prelude}" if media else prelude)

    style_rules(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), "")
    return found


def _declared(media: str, selector: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for rule_media, rule_selector, declarations in _rules(stylesheet()):
        if rule_media == media and selector in [s.strip() for s in rule_selector.split(",")]:
            values |= declarations
    return values


@pytest.fixture(scope="module")
def report(make_context: ContextFactory) -> BeautifulSoup:
    ctx = make_context("warnings", dq_history=make_history())
    return BeautifulSoup(render_html(ctx), "html.parser")


def _viewport(soup: BeautifulSoup) -> str:
    meta = soup.select_one('head meta[name="viewport"]')
    assert isinstance(meta, Tag)
    return str(meta["content"])


def test_every_page_has_a_viewport_meta(report: BeautifulSoup) -> None:
    generated = datetime(2026, 11, 23, tzinfo=UTC)
    dq = render_dq_html("Acme", "Sur", "2026-10", make_suite_critical(), make_history(), "es_ES", generated)
    archive = render_archive("Acme", [], generated, "en_US")
    for soup in (report, BeautifulSoup(dq, "html.parser"), BeautifulSoup(archive, "html.parser")):
        assert _viewport(soup) == VIEWPORT


def test_phone_widths_reflow_tiles_and_grids() -> None:
    phone = "screen and (max-width: 600px)"
    assert _declared("", ".tiles")["grid-template-columns"] == "repeat(4, 1fr)"  # the printed page
    assert _declared(phone, ".tiles")["grid-template-columns"] == "repeat(2, minmax(0, 1fr))"
    assert _declared(phone, ".trend-grid")["grid-template-columns"] == "minmax(0, 1fr)"
    assert _declared(phone, "figure.chart.trend")["max-width"] == "none"


def test_wide_tables_scroll_and_charts_shrink_on_screen() -> None:
    assert _declared("screen", ".scroll-x")["overflow-x"] == "auto"
    svg = _declared("screen", "figure.chart svg")
    assert (svg["max-width"], svg["height"]) == ("100%", "auto")


def test_the_layout_rules_for_screens_never_reach_print() -> None:
    """WeasyPrint lays out print media: every rule added for screens sits in an @media screen block (and the
    few that fit the PDF's pages, in @media print)."""
    media = {rule_media for rule_media, _selector, _values in _rules(stylesheet())}
    assert media == {"", "screen", "screen and (max-width: 600px)", "print"}
    top_level = [selector for rule_media, selector, _values in _rules(stylesheet()) if not rule_media]
    assert ".scroll-x" not in top_level


def test_weasyprint_reads_the_stylesheet_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """It parses media types only: a "screen and (max-width)" prelude was a warning in every run's log."""
    from weasyprint import CSS

    with caplog.at_level("WARNING", logger="weasyprint"):
        CSS(string=stylesheet())
    assert not [r.getMessage() for r in caplog.records if r.name == "weasyprint"]


def test_every_data_table_sits_in_a_scrolling_box(report: BeautifulSoup) -> None:
    tables = report.select("table.data, section.dq-banner table")
    assert len(tables) >= 8
    unwrapped = [t.get("class") for t in tables if t.find_parent("div", class_="scroll-x") is None]
    assert not unwrapped
