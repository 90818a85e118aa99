"""The report's charts, movers and paper size, as they land in the HTML and the PDF."""

import io
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from reports.context import ReportContext
from reports.render import render_html, render_pdf
from reports.tables import top_movers

ContextFactory = Callable[..., ReportContext]


def test_one_pacing_chart_per_goal_inside_its_section(make_context: ContextFactory) -> None:
    ctx = make_context()
    soup = BeautifulSoup(render_html(ctx), "html.parser")
    goals = soup.select("section.goal")
    assert len(soup.select("figure.chart.pacing")) == len(ctx.goals) == len(goals)
    for section, goal in zip(goals, ctx.goals, strict=True):
        figure = section.select_one("figure.chart.pacing")
        assert figure.find_previous_sibling("div", class_="bar") is not None  # below the progress bar
        assert figure.select_one("svg title").get_text() == f"Pacing chart: {goal.objective}"
        assert "target" in figure.select_one("figcaption").get_text()


def test_one_trend_chart_per_headline_kpi(make_context: ContextFactory) -> None:
    ctx = make_context(headline=("win_rate", "revenue", "cycle_days"))
    soup = BeautifulSoup(render_html(ctx), "html.parser")
    trends = soup.select("section.trends figure.chart.trend")
    assert [f["data-kpi"] for f in trends] == ["revenue", "win_rate", "cycle_days"]
    default = BeautifulSoup(render_html(make_context()), "html.parser")
    assert len(default.select("section.trends figure.chart.trend")) == 8
    assert default.select("img, image") == []


def test_movers_on_page_one_in_order(make_context: ContextFactory) -> None:
    soup = BeautifulSoup(render_html(make_context()), "html.parser")
    movers = soup.select_one("section.movers")
    assert movers.find_previous_sibling("section", class_="tiles") is not None
    items = [" ".join(li.get_text(" ").split()) for li in movers.select("li")]
    # |change|: coverage 2.4/2.1 = 14.3%, revenue 12.4%, velocity 12.2%; sales cycle (11.9%) is fourth
    assert [li["data-kpi"] for li in movers.select("li")] == ["coverage", "revenue", "velocity"]
    assert items[1].endswith("Closed-won revenue is up 12.4% on the previous week (better): $128,450 against $114,300.")


def test_top_movers_skips_undefined_changes_and_says_worse(make_context: ContextFactory) -> None:
    ctx = make_context(cadence="monthly")
    movers = top_movers(ctx, n=10)
    ids = [m.kpi.kpi_id for m in movers]
    assert "response_hours" not in ids and "new_pipeline" not in ids  # n/a value, previous 0
    assert len(movers) == len(ctx.kpis) - 2
    win_rate = next(m for m in movers if m.kpi.kpi_id == "win_rate")
    assert win_rate.sentence == "Win rate is down 3.5 pts on the previous month (worse): 27.5% against 31.0%."
    assert win_rate.tone == "bad"
    cycle = next(m for m in movers if m.kpi.kpi_id == "cycle_days")
    assert "is down 11.9%" in cycle.sentence and "(better)" in cycle.sentence  # lower is better
    flat = next(m for m in movers if m.kpi.kpi_id == "deals_won")
    assert flat.sentence == "Deals won is flat on the previous month: 42 against 42."


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_pdf_paper_size(make_context: ContextFactory, paper: str, size: tuple[float, float]) -> None:
    pdf = render_pdf(render_html(make_context(paper=paper)))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1)
