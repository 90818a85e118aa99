import io
import re
import socket
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import salespulse.reports.render as render
from salespulse.reports.context import ReportContext
from salespulse.reports.render import bar_width, render_html, render_pdf

ContextFactory = Callable[..., ReportContext]
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture(scope="module")
def report_pdf(make_context: ContextFactory) -> bytes:
    return render_pdf(render_html(make_context("warnings")))


def test_one_tile_per_headline_kpi_with_value_previous_and_trend_word(make_context: ContextFactory) -> None:
    ctx = make_context()
    soup = _soup(render_html(ctx))
    tiles = soup.select("section.tiles div.tile")
    # no headline configured: the first eight KPIs are tiles, and every KPI is in the table
    assert [tile["data-kpi"] for tile in tiles] == [kpi.kpi_id for kpi in ctx.kpis[:8]]
    assert len(ctx.kpis) > 8 and len(soup.select("table.kpis tbody tr")) == len(ctx.kpis)
    chosen = _soup(render_html(make_context(headline=("win_rate", "revenue"))))
    # the configured headline, in the order of the KPI list
    assert [t["data-kpi"] for t in chosen.select("section.tiles div.tile")] == ["revenue", "win_rate"]
    revenue = soup.select_one('div.tile[data-kpi="revenue"]')
    assert revenue is not None
    text = " ".join(revenue.get_text(" ").split())
    assert "$128,450" in text and "$114,300" in text and "up 12.4%" in text and "+12.4%" not in text
    assert "tone-good" in revenue["class"]
    win_rate = soup.select_one('div.tile[data-kpi="win_rate"]')
    assert "tone-bad" in win_rate["class"]
    assert win_rate.select_one(".tile-change .num").get_text(strip=True) == "3.5 pts"  # unsigned: "down" says it
    spanish = _soup(render_html(make_context(locale="es_ES"))).select_one('div.tile[data-kpi="win_rate"]')
    assert spanish.select_one(".tile-change .num").get_text(strip=True) == "3,5 p. p."


def test_undefined_value_and_zero_previous_show_na_and_direction(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context()))
    none_tile = soup.select_one('div.tile[data-kpi="response_hours"]')
    assert none_tile.select_one(".tile-value").get_text(strip=True) == "n/a"
    assert none_tile.select_one(".word").get_text(strip=True) == "n/a"
    from_zero = soup.select_one('div.tile[data-kpi="new_pipeline"]')
    assert from_zero.select_one(".word").get_text(strip=True) == "up"
    assert "n/a" not in from_zero.select_one(".tile-change").get_text()


def test_one_section_per_goal_with_bar_marker_status_deadline(make_context: ContextFactory) -> None:
    ctx = make_context()
    soup = _soup(render_html(ctx))
    goals = soup.select("section.goal")
    assert [g["data-goal"] for g in goals] == [g.goal_id for g in ctx.goals]
    first = goals[0]
    assert ctx.goals[0].objective in first.get_text()
    assert first.select_one(".bar-fill")["style"] == "width: 70.0%"
    assert first.select_one(".bar-expected")["style"] == "left: 60.0%"
    assert first.select_one(".status").get_text(strip=True) == "on track"
    assert "Dec 31, 2026" in first.get_text()


def test_progress_bar_is_capped() -> None:
    assert bar_width(1.7) == "100.0%"
    assert bar_width(-0.2) == "0.0%"
    assert bar_width(None) == "0%"


def test_kpi_table_and_glossary(make_context: ContextFactory) -> None:
    ctx = make_context()
    soup = _soup(render_html(ctx))
    assert len(soup.select("table.kpis tbody tr")) == len(ctx.kpis)
    glossary = soup.select_one("section.glossary")
    names = [dt.get_text(strip=True) for dt in glossary.select("dt")]
    definitions = [dd.get_text(" ", strip=True) for dd in glossary.select("dd")]
    assert names == [kpi.name for kpi in ctx.kpis]
    assert all(kpi.definition in dd for kpi, dd in zip(ctx.kpis, definitions, strict=True))


def test_dq_banner_only_with_warnings(make_context: ContextFactory) -> None:
    clean = _soup(render_html(make_context("clean")))
    assert clean.select_one(".dq-banner") is None
    assert "Data checks passed (24 checks)" in clean.select_one(".dq-ok").get_text()
    warned = _soup(render_html(make_context("warnings")))
    banner = warned.select_one("section.dq-banner")
    assert banner is not None and warned.select_one(".dq-ok") is None
    text = " ".join(banner.get_text(" ").split())
    assert "deals.amount" in text and "warning" in text and "3 (0.2%)" in text
    assert "the win rate by value leaves them out" in text


def test_header_and_lineage(make_context: ContextFactory) -> None:
    ctx = make_context()
    soup = _soup(render_html(ctx))
    header = soup.select_one("header.masthead").get_text(" ")
    assert all(part in header for part in ("Acme Iberia S.L.", "Península", "2026-W47", "Nov 16"))
    footer = soup.select_one("footer.lineage").get_text(" ")
    assert all(key in footer and value in footer for key, value in ctx.lineage.items())
    assert "Nov 23, 2026" in footer


def test_html_is_self_contained(make_context: ContextFactory) -> None:
    soup = _soup(render_html(make_context("warnings")))
    assert soup.select("link, script, img, iframe") == []
    style = soup.select_one("style").string
    assert "@page" in style and "counter(pages)" in style and "&#34;" not in style


def test_untrusted_text_is_escaped(make_context: ContextFactory) -> None:
    goals = [g.__class__(**{**g.__dict__, "objective": XSS_IMG}) for g in make_context().goals]
    ctx = make_context(team_name=XSS_SCRIPT, company=XSS_IMG, goals=goals)
    html = render_html(ctx)
    soup = _soup(html)
    assert soup.find("script") is None
    assert soup.find(attrs={"onerror": True}) is None and soup.find("img") is None
    assert soup.select_one("h1").get_text() == XSS_SCRIPT
    assert soup.select_one("section.goal h3").get_text() == XSS_IMG
    pdf_text = _pdf_text(render_pdf(html))
    assert XSS_SCRIPT in pdf_text and XSS_IMG in pdf_text


@pytest.mark.xdist_group("render-pdf")  # shares a module fixture
def test_pdf_has_pages_and_the_reports_text(report_pdf: bytes) -> None:
    assert report_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(report_pdf))
    assert len(reader.pages) >= 1
    text = _pdf_text(report_pdf)
    for expected in ("Península", "2026-W47", "$128,450", "Data-quality warnings".upper(), "n/a"):
        assert expected in text
    assert re.search(r"page 1 of \d", text)


@pytest.mark.xdist_group("render-pdf")  # shares a module fixture
def test_pdf_has_a_bookmark_per_section_and_goal(report_pdf: bytes) -> None:
    def titles(outline: list) -> list[str]:
        return [t for item in outline for t in (titles(item) if isinstance(item, list) else [item.title])]

    bookmarks = titles(PdfReader(io.BytesIO(report_pdf)).outline)
    for section in ("Goal status", "Goals", "Trends", "All KPIs"):
        assert section in bookmarks
    # the funnel, leaderboard, breakdowns and appendices stay in the HTML unless report.full_pdf asks for them
    for section in ("Funnel", "Rep leaderboard", "Glossary", "About this report", "Data-quality appendix"):
        assert section not in bookmarks


def test_render_pdf_refuses_external_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    fetchers = []
    original = render._refusing_fetcher

    def spy():  # noqa: ANN202 - returns WeasyPrint's private fetcher type
        fetcher = original()
        fetchers.append(fetcher)
        return fetcher

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("render_pdf opened a network connection")

    monkeypatch.setattr(render, "_refusing_fetcher", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    html = (
        '<html><head><link rel="stylesheet" href="https://example.com/x.css"></head>'
        '<body><p>hello</p><img src="http://example.com/x.png"><img src="file:///etc/passwd"></body></html>'
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    refused = fetchers[0].refused
    assert "http://example.com/x.png" in refused
    assert "https://example.com/x.css" in refused
    assert "file:///etc/passwd" in refused
