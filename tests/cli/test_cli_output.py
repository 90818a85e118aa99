"""What the operator reads: a backfill's line per period, a withheld run's dq.html, the dq history in time."""

from datetime import UTC, datetime

from salespulse.cli.output import dq_listing, print_human, print_summary, teams_without_periods
from salespulse.flows.report_flow import RunOutcome
from salespulse.flows.team_report import TeamOutcome
from salespulse.store.state import dq_table, record_dq
from salespulse.transforms.results import CheckFailure, DqVerdict


def _failure(severity):
    return CheckFailure("deals", "amount", "column_values_to_be_between", severity, 3, 120, "m", "f")


def test_a_backfill_ends_with_a_line_per_period_and_the_teams_it_skipped(capsys):
    from salespulse.config import load_config
    from salespulse.plan import plan_backfill
    from tests.flows.configs import EXAMPLE

    outcome = RunOutcome([
        TeamOutcome("north", "2026-W40", "dry-run", 0, "rendered, not delivered"),
        TeamOutcome("north", "2026-W41", "withheld", 3, "2 critical data-quality checks failed"),
        TeamOutcome("north", "2026-W42", "delivered", 0),
    ])  # fmt: skip
    plan, runs = plan_backfill(load_config(EXAMPLE), "2026-W40", "2026-W42", None, datetime(2026, 11, 25, tzinfo=UTC))
    assert {run.team_id for run in runs} == {"north"}  # south reports monthly: no month lies within three weeks
    print_summary(outcome, teams_without_periods(list(plan.teams), runs, "2026-W40", "2026-W42"))
    assert capsys.readouterr().out.splitlines() == [
        "1 delivered, 1 dry-run, 1 withheld",
        "north 2026-W40: dry-run (exit 0: rendered, not delivered)",
        "north 2026-W41: withheld (exit 3: 2 critical data-quality checks failed)",
        "north 2026-W42: delivered (exit 0)",
        "south: no complete monthly period between 2026-W40 and 2026-W42",
    ]


def test_a_withheld_run_names_its_dq_html_or_links_to_it(capsys, tmp_path):
    folder = tmp_path / "out" / "reports" / "north" / "2026-W41"
    withheld = TeamOutcome("north", "2026-W41", "withheld", 3, "failed", report_dir=str(folder))
    sent = TeamOutcome("north", "2026-W42", "delivered", 0, html="r.html", report_dir=str(folder.with_name("2026-W42")))
    print_human(RunOutcome([withheld, sent]))
    out = capsys.readouterr().out
    assert f"  dq     {folder / 'dq.html'}\n" in out and out.count("dq.html") == 1  # the delivered run: no dq line
    print_human(RunOutcome([withheld]), "http://reports.example:8000")
    assert "  dq     http://reports.example:8000/reports/north/2026-W41/dq.html\n" in capsys.readouterr().out


def test_the_dq_history_runs_in_time_with_a_status_per_period(tmp_path):
    db = tmp_path / "state.sqlite"
    record_dq(db, "north", "2026-W10", DqVerdict(10, [_failure("warning")]))
    record_dq(db, "north", "2026-W9", DqVerdict(10, []))  # an unpadded label, from an older state folder
    record_dq(db, "north", "2026-W09", DqVerdict(10, []))
    record_dq(db, "south", "2026-02", DqVerdict(10, [_failure("critical")]))  # February starts before W09
    record_dq(db, "south", "2026-03", DqVerdict(10, [_failure("critical")]))
    rows = dq_table(db)
    assert [row["period"] for row in rows] == ["2026-02", "2026-W09", "2026-W9", "2026-03", "2026-W10"]
    lines = dq_listing(rows, None, [], {("south", "2026-02"): "withheld", ("north", "2026-W10"): "delivered"})
    assert lines.splitlines()[0].split()[:3] == ["period", "team", "status"]
    assert [line.split()[:3] for line in lines.splitlines()[2:]] == [
        ["2026-02", "south", "withheld"],
        ["2026-W09", "north", "clean"],
        ["2026-W9", "north", "clean"],
        ["2026-03", "south", "failed"],  # critical checks failed, but no run withheld it (or none is recorded)
        ["2026-W10", "north", "warnings"],  # March begins on Sunday the 1st, week 10 on Monday the 2nd
    ]
