"""Printed, page 1 never spills onto page 2: South's Spanish month through the real flow, and hand-built pages
crowded on purpose (a long data-quality banner, six goals, ten tiles, long names, Letter paper). Each PDF is
rendered by WeasyPrint; page 1 is whole when page 2 starts with the Goals heading. What page 1 leaves out is
counted on it, and the HTML keeps all of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from salespulse.demo.data import write_demo
from salespulse.reports.context import ReportContext
from salespulse.reports.render import render_html, render_pdf
from salespulse.transforms.highlights import DealLine, Highlights
from salespulse.transforms.results import DqVerdict, GoalStatus, LeftOut
from tests.reports.demo_like import make_suite_warnings, suite_failure
from tests.reports.demo_run import demo_config, dry_run_pdf

ContextFactory = Callable[..., ReportContext]
LONG_ACCOUNT = "Compañía Internacional de Distribución y Logística del Mediterráneo S.A. de C.V."
# Goal i has status STATUSES[i - 1]: page 1 lists the off-track and at-risk ones first.
STATUSES: list[GoalStatus] = ["on track", "at risk", "on track", "off track", "achieved", "on track"]


def _pages(pdf: bytes) -> list[str]:
    """Each page's words, whitespace made single spaces (the margins' header and footer are not in it)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def _printed(ctx: ReportContext) -> list[str]:
    return _pages(render_pdf(render_html(ctx)))


def _long_banner() -> DqVerdict:
    """Seven warnings (the suite's four and three more), one of them leaving rows out, and a note."""
    suite = make_suite_warnings()
    more = [
        suite_failure("deals.closed_before_created", failing=31, total=1_250, excluded=31),
        suite_failure("activities.unknown_owner", failing=12, total=4_100),
        suite_failure("deals.implausible_amount", failing=9, total=1_250),
    ]
    return DqVerdict(suite.checks_run, [*suite.failures, *more], suite.run_id)


def _crowded(make_context: ContextFactory, locale: str, **overrides: object) -> ReportContext:
    """Everything at once: the long banner, six goals, four tiles each leaving rows out, and three deals of a
    long-named account in every "what happened" list, fourteen slipped in all."""
    ctx = make_context(locale=locale)
    left_out = (LeftOut("deals.closed_before_created", "deals", 31, "created date after the close date"),)
    kpis = [replace(kpi, left_out=left_out) if i < 4 else kpi for i, kpi in enumerate(ctx.kpis)]
    goals = [
        replace(
            ctx.goals[0], goal_id=f"g{i}", objective=f"Goal {i}: grow won revenue in the northern accounts", status=s
        )
        for i, s in enumerate(STATUSES, 1)
    ]
    deals = [DealLine(f"D{i}", LONG_ACCOUNT, "María José Fernández-Castellanos", 120_000.0 - i) for i in range(3)]
    slipped = [replace(deal, day=date(2026, 9, 22)) for deal in deals]
    highlights = Highlights(won=deals, lost=deals, slipped=slipped, new=deals, slipped_total=14)
    return replace(ctx, dq=_long_banner(), kpis=kpis, goals=goals, highlights=highlights, **overrides)


@pytest.fixture(scope="module")
def south_pdf(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """South's October 2026: monthly, in Spanish, as the demo makes it."""
    root = tmp_path_factory.mktemp("south")
    return dry_run_pdf(demo_config(root, write_demo(root / "data"), "south"), "south", "2026-10")


def test_souths_spanish_month_is_four_pages_and_page_one_is_whole(south_pdf: Path) -> None:
    pages = _pages(south_pdf.read_bytes())
    assert len(pages) <= 4
    first = pages[0]
    for heading in ("ESTADO DE LOS OBJETIVOS", "LOS TRES INDICADORES QUE MÁS HAN CAMBIADO", "QUÉ PASÓ"):
        assert heading in first
    for group in ("Mayores operaciones ganadas", "Mayores operaciones perdidas", "Mayores operaciones nuevas"):
        assert group in first
    assert "Retrasadas: abiertas después de su cierre previsto" in first
    assert "más en la página 2" not in first  # three goals: all on page 1
    assert pages[1].startswith("OBJETIVOS")


def test_a_crowded_spanish_page_one_stays_on_page_one(make_context: ContextFactory) -> None:
    pages = _printed(_crowded(make_context, "es_ES"))
    first = pages[0]
    assert pages[1].startswith("OBJETIVOS")
    # with a banner: its first three findings, the two goals that need attention and two deals a list
    assert "+4 hallazgos más." in first and "+4 objetivos más en la página 2." in first
    shown = [i for i in range(1, 7) if f"Goal {i}:" in first]
    assert shown == [2, 4]
    assert "+4 operaciones más en el informe HTML." in first and "y 11 más" in first
    assert "LOS TRES INDICADORES" not in first  # the movers give way to the banner in print
    # a long name is cut to its line, with an ellipsis; the tiles still say they leave rows out
    assert "Compañía Internacional de" in first and LONG_ACCOUNT not in first and "…" in first
    assert first.count("Excluye 31 operaciones") == 4


def test_the_html_of_a_crowded_page_one_keeps_everything(make_context: ContextFactory) -> None:
    soup = BeautifulSoup(render_html(_crowded(make_context, "es_ES")), "html.parser")
    page_one = soup.select_one("div.page-one")
    assert page_one is not None
    goals = [li["data-goal"] for li in page_one.select("li.goal-line")]
    assert goals == ["g2", "g4", "g1", "g3", "g5", "g6"]  # attention first, then in the config's order
    hidden = [li["data-goal"] for li in page_one.select("li.goal-line.p1-extra")]
    assert hidden == ["g1", "g3", "g5", "g6"]
    assert len(page_one.select("section.dq-banner tbody tr")) == 7
    assert len(page_one.select("section.dq-banner tbody tr.p1-extra")) == 4
    assert len(page_one.select("table.happened-table tr")) == 12
    assert len(page_one.select("table.happened-table tr.p1-extra")) == 4
    assert "p1-extra" in page_one.select_one("section.movers")["class"]
    assert "@media screen { .print-only { display: none; } }" in soup.select_one("style").get_text()


def test_more_goals_and_tiles_than_page_one_holds(make_context: ContextFactory) -> None:
    """A clean week, five goals and ten headline tiles: three goals and eight tiles are printed on page 1."""
    ctx = make_context()
    goals = [
        replace(
            ctx.goals[0], goal_id=f"g{i}", objective=f"Goal {i}: grow won revenue in the northern accounts", status=s
        )
        for i, s in enumerate(["on track", "achieved", "at risk", "on track", "off track"], 1)
    ]
    pages = _printed(replace(ctx, goals=goals, headline=tuple(kpi.kpi_id for kpi in ctx.kpis)))
    first = pages[0]
    assert pages[1].startswith("GOALS")
    assert [i for i in range(1, 6) if f"Goal {i}:" in first] == [1, 3, 5]
    assert "+2 more goals on page 2." in first and "+2 more KPIs in the table of all KPIs." in first
    assert "THE THREE THINGS THAT MOVED MOST" in first  # no banner: the movers stay


def test_letter_paper_prints_a_goal_fewer(make_context: ContextFactory) -> None:
    """Letter is 18 mm shorter than A4: with the banner, one goal line on page 1."""
    pages = _printed(_crowded(make_context, "en_US", paper="Letter"))
    assert pages[1].startswith("GOALS")
    assert [i for i in range(1, 7) if f"Goal {i}:" in pages[0]] == [2]
    assert "+5 more goals on page 2." in pages[0] and "+4 more findings." in pages[0]
