"""The report's newer parts: baselines, goal detail, funnel, leaderboard, breakdowns and formulas."""

import dataclasses
import io
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup, Tag
from pypdf import PdfReader

from salespulse.reports.context import ReportContext
from salespulse.reports.render import breakdown_tables, render_html, render_pdf
from salespulse.transforms.results import BreakdownRow, LeaderboardRow

ContextFactory = Callable[..., ReportContext]


def _soup(ctx: ReportContext) -> BeautifulSoup:
    return BeautifulSoup(render_html(ctx), "html.parser")


def _text(node: Tag | None) -> str:
    assert node is not None
    return " ".join(node.get_text(" ").split())


def _goal(soup: BeautifulSoup, goal_id: str) -> Tag:
    goal = soup.select_one(f'section.goal[data-goal="{goal_id}"]')
    assert goal is not None
    return goal


@pytest.fixture(scope="module")
def soup(make_context: ContextFactory) -> BeautifulSoup:
    return _soup(make_context())


def test_tile_baseline_line(soup: BeautifulSoup) -> None:
    line = _text(soup.select_one('div.tile[data-kpi="revenue"] .tile-baseline'))
    assert line == "Baseline $114,688 (average of the last 8 weeks) · ▲ +12.0% above"
    assert "tone-good" in soup.select_one('div.tile[data-kpi="revenue"] .vs-baseline')["class"]


def test_tile_without_baseline_explains_why_muted(soup: BeautifulSoup) -> None:
    line = soup.select_one('div.tile[data-kpi="deals_won"] .tile-baseline')
    assert "muted" in line["class"]
    assert _text(line) == "no baseline: less than 8 weeks of history"


def test_industry_benchmark_is_named(soup: BeautifulSoup) -> None:
    line = soup.select_one('div.tile[data-kpi="win_rate"] .tile-baseline')
    assert "benchmark" in line["class"]
    assert "industry benchmark" in _text(line) and "25.0%" in _text(line) and "above" in _text(line)
    row = soup.select_one('table.kpis tr[data-kpi="win_rate"] td.baseline')
    assert "industry benchmark" in _text(row)


def test_kpi_table_has_baseline_column(soup: BeautifulSoup) -> None:
    headers = [th.get_text(strip=True) for th in soup.select("table.kpis thead th")]
    assert headers[-1] == "Baseline"
    assert _text(soup.select_one('table.kpis tr[data-kpi="revenue"] td.baseline')) == "$114,688"
    assert _text(soup.select_one('table.kpis tr[data-kpi="deals_won"] td.baseline')) == "n/a"


def test_goal_period_value_projection_and_pace(soup: BeautifulSoup) -> None:
    goal = _goal(soup, "q4_revenue")
    assert _text(goal.select_one(".period-value")) == "This week: $128,450"
    assert _text(goal.select_one(".projected")) == "Projected at deadline: $1,560,000"
    assert _text(goal.select_one(".pace")) == "Needed per week: $75,000"
    assert goal.select_one(".start-value") is None and goal.select_one(".goal-scope") is None
    assert "to date" in _text(goal.select_one(".goal-figures"))


def test_rate_goal_with_scope_and_baseline(soup: BeautifulSoup) -> None:
    goal = _goal(soup, "win_rate_30")
    assert _text(goal.select_one(".goal-scope")) == "Scope: product GTX Pro"
    assert _text(goal.select_one(".start-value")) == "Goal start value: 24.0%"  # the goal's, not a KPI baseline
    figures = _text(goal.select_one(".goal-figures"))
    assert "measured as a rate" in figures and "to date" not in figures
    assert goal.select_one(".status").get_text(strip=True) == "at risk"


def test_goal_labels_follow_cadence_and_status(make_context: ContextFactory) -> None:
    goals = make_context().goals
    done = [dataclasses.replace(goals[0], status="achieved"), goals[1]]
    soup = _soup(make_context(cadence="quarterly", goals=done))
    achieved = _goal(soup, "q4_revenue")
    assert _text(achieved.select_one(".period-value")).startswith("This quarter:")
    assert achieved.select_one(".pace") is None  # nothing more is needed once achieved
    assert _text(_goal(soup, "win_rate_30").select_one(".pace")) == "Needed per quarter: 32.0%"
    monthly = _soup(make_context(cadence="monthly"))
    assert _text(_goal(monthly, "q4_revenue").select_one(".period-value")).startswith("This month:")


def test_funnel_rows_and_bars(make_context: ContextFactory, soup: BeautifulSoup) -> None:
    section = soup.select_one("section.funnel")
    assert "no stage history" in _text(section.select_one(".note"))
    rows = section.select("tbody tr")
    assert len(rows) == 5
    cells = [[_text(td) for td in row.select("td")[:3]] for row in rows]
    assert cells[0] == ["Prospecting", "120", "n/a"]  # the stage id, named
    assert cells[2] == ["Proposal", "50", "59.5%"]
    widths = [row.select_one(".funnel-fill")["style"] for row in rows]
    assert widths[0] == "width: 100.0%" and widths[-1] == "width: 10.0%"
    assert _soup(make_context(funnel=[])).select_one("section.funnel") is None


def test_leaderboard_sorted_by_won_revenue(make_context: ContextFactory, soup: BeautifulSoup) -> None:
    rows = soup.select("section.leaderboard tbody tr")
    assert [row["data-rep"] for row in rows] == ["r1", "r2", "r3"]
    assert [_text(td) for td in rows[0].select("td")] == ["1", "Ana García", "$61,000", "18", "33.0%", "112.0%", "162"]
    assert _text(rows[2].select("td")[5]) == "n/a"  # no quota set
    headers = [th.get_text(strip=True) for th in soup.select("section.leaderboard thead th")]
    assert headers == ["#", "Rep", "Won revenue", "Deals won", "Win rate", "Quota attainment", "Activities"]
    assert _soup(make_context(leaderboard=[])).select_one("section.leaderboard") is None


def test_leaderboard_sort_is_stable(make_context: ContextFactory) -> None:
    tied = [LeaderboardRow(f"r{i}", f"Rep {i}", 1_000.0, 1, None, None, 0) for i in (3, 1, 2)]
    rows = _soup(make_context(leaderboard=tied)).select("section.leaderboard tbody tr")
    assert [row["data-rep"] for row in rows] == ["r3", "r1", "r2"]


def test_a_long_leaderboard_shows_the_top_reps_and_says_where_the_rest_are(make_context: ContextFactory) -> None:
    reps = [LeaderboardRow(f"r{i}", f"Rep {i}", 100.0 * i, 1, None, None, 0) for i in range(1, 8)]
    soup = _soup(make_context(leaderboard=reps, leaderboard_rows=3))
    assert [row["data-rep"] for row in soup.select("section.leaderboard tbody tr")] == ["r7", "r6", "r5"]
    note = _text(soup.select_one("section.leaderboard .leaderboard-more"))
    assert note == "The 3 of 7 reps with the most won revenue; kpis.json beside this report lists every rep."
    spanish = _soup(make_context(leaderboard=reps, leaderboard_rows=3, locale="es_ES"))
    assert "Los 3 de 7 comerciales" in _text(spanish.select_one(".leaderboard-more"))
    whole = _soup(make_context(leaderboard=reps, leaderboard_rows=7))
    assert len(whole.select("section.leaderboard tbody tr")) == 7 and whole.select_one(".leaderboard-more") is None


def test_breakdown_tables_headers_and_cells(soup: BeautifulSoup) -> None:
    tables = soup.select("section.breakdowns div.breakdown")
    assert [t["data-dimension"] for t in tables] == ["product", "source", "type"]
    assert [_text(t.select_one("h3")) for t in tables] == ["By product", "By lead source", "By activity type"]
    product = tables[0]
    headers = [_text(th) for th in product.select("thead th")]
    assert headers == ["Product", "Closed-won revenue", "Win rate", "Deals won"]
    rows = {_text(r.select_one("th")): [_text(td) for td in r.select("td")] for r in product.select("tbody tr")}
    assert rows == {
        "GTX Pro": ["$80,000", "31.0%", "30"],
        "GTX Basic": ["$38,450", "22.0%", "12"],
        "MG Special": ["$10,000", "n/a", "n/a"],  # None, and a key deals_won lacks
    }
    assert [_text(th) for th in tables[2].select("thead th")] == ["Activity type", "Activities"]
    assert [_text(th) for th in tables[2].select("tbody th")] == ["Call", "Email", "Meeting"]
    assert "Ana García" not in _text(soup.select_one("section.breakdowns"))  # "rep" is the leaderboard's


def test_breakdown_tables_helper_splits_wide_dimensions(make_context: ContextFactory) -> None:
    rows = [BreakdownRow("a", "A", 1.0)]
    kpis = [dataclasses.replace(kpi, breakdowns={"product": rows}) for kpi in make_context().kpis]
    tables = breakdown_tables(make_context(kpis=kpis))
    assert [t.title for t in tables] == ["By product", "By product (continued)"]
    assert [name for t in tables for name in t.columns] == [kpi.name for kpi in kpis]
    assert breakdown_tables(make_context(kpis=[dataclasses.replace(k, breakdowns={}) for k in kpis])) == []


def test_glossary_shows_definition_and_formula(make_context: ContextFactory, soup: BeautifulSoup) -> None:
    entries = {_text(e.select_one("dt")): e.select_one("dd") for e in soup.select("section.glossary .entry")}
    revenue = entries["Closed-won revenue"]
    assert "Sum of amounts of deals closed won" in _text(revenue.select_one("p.definition"))
    assert _text(revenue.select_one("p.formula")) == "Formula: sum(amount) where stage = won and close_date in period"
    assert entries["Deals won"].select_one("p.formula") is None  # no formula given: no empty line


def test_new_units_render(make_context: ContextFactory) -> None:
    soup = BeautifulSoup(render_html(make_context(headline=("coverage", "velocity"))), "html.parser")
    assert _text(soup.select_one('div.tile[data-kpi="coverage"] .tile-value')) == "2.4×"
    assert _text(soup.select_one('div.tile[data-kpi="velocity"] .tile-value')) == "$1,234/day"


def test_pdf_contains_new_sections(make_context: ContextFactory) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(render_html(make_context(full_pdf=True)))))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for heading in ("Funnel", "Rep leaderboard", "Breakdowns", "Glossary"):  # h2 are uppercased by the stylesheet
        assert heading.upper() in text
    assert "Ana García" in text and "By lead source" in text


def test_team_breakdown_table(make_context: ContextFactory) -> None:
    ctx = make_context()
    first = dataclasses.replace(
        ctx.kpis[0], breakdowns={"team": [BreakdownRow("north", "North", 10.0), BreakdownRow("south", "South", 20.0)]}
    )
    soup = BeautifulSoup(render_html(dataclasses.replace(ctx, kpis=[first, *ctx.kpis[1:]])), "html.parser")
    table = next(t for t in soup.select("section.breakdowns table") if "Team" in t.get_text())
    assert [_text(tr.select_one("th, td")) for tr in table.select("tbody tr")] == ["North", "South"]
