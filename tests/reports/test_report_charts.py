"""The report's charts, movers and paper size, as they land in the HTML and the PDF."""

import io
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from salespulse.reports.context import ReportContext
from salespulse.reports.render import render_html, render_pdf
from salespulse.reports.tables import top_movers
from salespulse.transforms.results import KpiResult

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


def _moving(
    kpi_id: str, unit: str, earlier: list[float], previous: float, value: float, direction: str = "higher"
) -> KpiResult:
    labels = [f"2026-W{week}" for week in range(48 - len(earlier) - 2, 48)]
    trend = list(zip(labels, [*earlier, previous, value], strict=True))
    return KpiResult(kpi_id, kpi_id.title(), "def", unit, direction, value, previous, trend=trend)  # type: ignore[arg-type]


def test_movers_are_ranked_by_how_unusual_the_move_is_for_that_kpi(make_context: ContextFactory) -> None:
    kpis = [
        # a 200% rise with one earlier week: nothing to judge it by, so after the rest
        _moving("young", "count", [], 10.0, 30.0),
        # −60% of a KPI whose earlier values 40 160 50 150 100 100 have a standard deviation of 49.4: 1.2 of them
        _moving("volatile", "currency", [40.0, 160.0, 50.0, 150.0, 100.0], 100.0, 40.0),
        # +20% after 100 101 99 100 100 100 (deviation 0.63): 31.6 deviations
        _moving("calm", "currency", [100.0, 101.0, 99.0, 100.0, 100.0], 100.0, 120.0),
        # 0.7% → 0.0% after 0.6 0.8 0.7 0.9 0.5 0.7 (deviation 0.14 pts): 4.9 deviations
        _moving("churn", "percent", [0.006, 0.008, 0.007, 0.009, 0.005], 0.007, 0.0, "lower"),
        # +20% of a KPI that never moved before: the most unusual of all
        _moving("never", "count", [5.0, 5.0, 5.0, 5.0, 5.0], 5.0, 6.0),
    ]
    movers = top_movers(make_context(kpis=kpis), n=5)
    assert [m.kpi.kpi_id for m in movers] == ["never", "calm", "churn", "volatile", "young"]
    assert movers[2].sentence == "Churn is down 0.7 pts on the previous week (better): 0.0% against 0.7%."


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_pdf_paper_size(make_context: ContextFactory, paper: str, size: tuple[float, float]) -> None:
    pdf = render_pdf(render_html(make_context(paper=paper)))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1)
