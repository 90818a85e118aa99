"""A team without activities, orders or leads: the stages validate, compute and render its report with every
KPI its data supports, and say which KPIs were skipped and why. The stages run without Prefect (`.fn`)."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from salespulse.config import load_config
from salespulse.demo.data import write_demo
from salespulse.flows import stages
from salespulse.plan import plan_run
from salespulse.reports.context import ReportContext
from salespulse.reports.render import render_html
from salespulse.sources.load import read_tables
from salespulse.store.outputs import kpi_document
from salespulse.transforms.normalise import normalise
from tests.flows.configs import make_config

# Its module fixtures take seconds to build: one worker builds them once (`--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("partial-data")

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("partial") / "data", scale=0.2)


@pytest.fixture(scope="module")
def typed(demo):
    return normalise(read_tables(demo)[0])


@pytest.fixture(scope="module")
def report_without(tmp_path_factory, demo, typed):
    """(verdict, computed, soup) of a team's W47 report with `table` emptied; each case is built once."""
    built = {}

    def build(table, team):
        if (table, team) not in built:
            built[table, team] = _report(tmp_path_factory.mktemp("cfg"), demo, typed, table, team)
        return built[table, team]

    return build


def _report(tmp_path, demo, typed, table, team):
    plan = plan_run(load_config(make_config(tmp_path, demo, lean=False)), "2026-W47", team, NOW)
    (run,) = plan.teams
    tables = {**typed, table: typed[table].iloc[0:0]}
    teams = stages.split_teams.fn(tables, plan.company_teams)
    refs = stages.references.fn(tables, [run.timezone])
    verdict, data = stages.validate(teams[team], refs, run, plan.as_of, run_id="partial")
    computed = stages.compute(data, run, plan.kpi_ids, [(t, n, teams[t]) for t, n, _ in plan.company_teams])
    context = ReportContext(
        company=plan.company,
        team_id=team,
        team_name=run.team_name,
        period_label=run.period.label,
        period_start=run.period.start,
        period_end=run.period.end,
        currency=plan.currency,
        locale="en_US",
        kpis=computed.kpis,
        goals=computed.goals,
        dq=verdict,
        generated_at=NOW,
        funnel=computed.funnel,
        leaderboard=computed.leaderboard,
        skipped_kpis=computed.skipped,
    )
    return verdict, computed, BeautifulSoup(render_html(context), "html.parser")


@pytest.mark.parametrize(
    ("table", "team", "skipped"),
    [
        ("activities", "north", {"lead_response_hours", "lead_response_sla", "activities_per_rep", "task_completion"}),
        ("orders", "north", {"new_customers", "customer_retention", "customer_churn"}),
        ("leads", "south", {"new_leads", "lead_conversion", "lead_response_hours", "lead_response_sla"}),
    ],
)
def test_a_team_without_a_table_gets_every_other_kpi_and_is_told_what_was_skipped(report_without, table, team, skipped):
    verdict, computed, soup = report_without(table, team)
    assert verdict.passed
    assert not any(f.table == table or table in str(f.samples) for f in verdict.failures)  # the gap is no fault
    assert {s.kpi_id for s in computed.skipped} == skipped
    assert len(computed.kpis) == 26 - len(skipped) and all(k.kpi_id not in skipped for k in computed.kpis)

    entries = {dl["data-kpi"]: dl.get_text(" ", strip=True) for dl in soup.select("section.glossary .entry.skipped")}
    assert entries.keys() == skipped
    reason = f"Skipped: needs the {table} table, which this team's data does not have."
    assert all(reason in entry for entry in entries.values())
    assert "not shown" in soup.select_one(".skipped-note").get_text()
    shown = {tr["data-kpi"] for tr in soup.select("table.kpis tr[data-kpi]")}
    assert shown.isdisjoint(skipped)

    document = kpi_document(team, "2026-W47", computed)
    assert {s["kpi"] for s in document["skipped"]} == skipped
    assert all(s["missing_tables"] == [table] and table in s["reason"] for s in document["skipped"])


def test_a_goal_on_a_skipped_kpi_says_no_data(report_without):
    _, computed, soup = report_without("leads", "south")
    statuses = {g.goal_id: g.status for g in computed.goals}
    assert statuses["q4-leads"] == "no data"  # new_leads needs leads: no pacing from an empty table
    assert statuses["raise-93k"] != "no data"
    assert soup.select_one('[data-goal="q4-leads"] .status').get_text() == "no data"


def test_leaderboard_without_activities_says_n_a_not_zero(report_without):
    _, computed, soup = report_without("activities", "north")
    assert computed.leaderboard and all(row.activities is None for row in computed.leaderboard)
    assert soup.select("tr[data-rep] td")[-1].get_text() == "n/a"
