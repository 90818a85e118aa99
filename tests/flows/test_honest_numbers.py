"""Exports shaped like real CRM exports, written by hand (tests/data/honest/), through the real stack: every
number the gate could change is compared with a value worked out by hand below, not only the exit code.

Team east (R1, R2), UTC, week 2026-W47 = Mon 16 – Sun 22 Nov 2026; the previous week W46 = 9 – 15 Nov.

deals closed in W47 (team east):
  W1 won 1,000 (created 2 Nov 09:00, closed 17 Nov 09:00: 15 days)
  W2 won 2,500 (10 Nov 12:00 → 18 Nov 12:00: 8 days)
  W3 won    55 (1 Nov 08:00 → 19 Nov 08:00: 18 days), account A2, Widget
  L1 lost   55 same account, product, amount and day as W3: a list-priced lost deal, a distinct deal
  B1 won 4,000 bulk-loaded: created 21 Nov, after its close on 18 Nov
  L2 lost    0
  → won revenue 1,000 + 2,500 + 55 + 4,000 = 7,555; deals won 4; win rate 4 ÷ 6;
    win rate by value 7,555 ÷ (7,555 + 55 + 0) = 7,555 ÷ 7,610; average deal 7,555 ÷ 4 = 1,888.75;
    sales cycle = median(15, 8, 18) = 15 days, B1 left out (its cycle is unknowable), and it says so.
open at the end of W47: O1 (no account, amount, product or expected close), O2 10,000 expected 27 Nov,
  O3 5,000 expected 15 Dec, O4 (no amount, no account) expected 25 Nov
  → open pipeline for W48 (23–29 Nov) = O2 = 10,000, leaving out O1 and O4 (no amount yet);
    quarter pipeline (23 Nov – 31 Dec) = O2 + O3 = 15,000.
W46: P1 won 1,500, P2 lost 0 → previous won revenue 1,500, previous win rate 0.5.
Team west: X1 won 700 in W47. The first record is O3's created date, 15 Oct (W42).
"""

import email
import email.policy
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from salespulse.errors import EXIT_DATA_QUALITY, EXIT_DELIVERED
from salespulse.flows.report_flow import weekly_report

pytestmark = pytest.mark.usefixtures("prefect_harness")
HONEST = Path(__file__).parents[1] / "data" / "honest"
KPIS = ["won_revenue", "deals_won", "win_rate", "win_rate_value", "average_deal_size", "sales_cycle_days",
        "open_pipeline", "open_pipeline_quarter", "revenue_growth"]  # fmt: skip


def config_for(tmp_path: Path, data: Path, **extra: object) -> Path:
    settings = {
        "company": "Honest Co",
        "timezone": "UTC",
        "data_dir": str(data),
        "output_dir": str(tmp_path / "out"),
        "data_owners": ["data@honest.example"],
        "kpis": KPIS,
        "headline_kpis": ["won_revenue", "win_rate", "sales_cycle_days", "open_pipeline"],
        "teams": [
            {"id": "east", "name": "East", "recipients": ["east@honest.example"]},
            {"id": "west", "name": "West", "recipients": ["west@honest.example"]},
        ],
        **extra,
    }
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def run(config: Path, period: str, team: str = "east"):
    state = weekly_report(config_path=str(config), period=period, team=team, return_state=True)
    return state.result(raise_on_failure=False)


@pytest.fixture(scope="module")
def east_w47(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("honest")
    data = shutil.copytree(HONEST, tmp / "data")
    outcome = run(config_for(tmp, data), "2026-W47")
    (team,) = outcome.runs
    kpis = {k["kpi"]: k for k in json.loads(Path(team.kpis).read_text(encoding="utf-8"))["kpis"]}
    html = " ".join(Path(team.html).read_text(encoding="utf-8").split())
    dq = json.loads((Path(team.report_dir) / "dq.json").read_text(encoding="utf-8"))
    return team, kpis, html, dq


def test_the_report_goes_out_with_every_real_deal_counted(east_w47):
    team, kpis, _, dq = east_w47
    assert (team.status, team.exit_code) == ("outbox", EXIT_DELIVERED)
    assert kpis["won_revenue"]["value"] == pytest.approx(7_555)
    assert kpis["deals_won"]["value"] == 4
    assert kpis["win_rate"]["value"] == pytest.approx(4 / 6)  # L1 and W3 are two deals, not one
    assert kpis["win_rate_value"]["value"] == pytest.approx(7_555 / 7_610)
    assert kpis["average_deal_size"]["value"] == pytest.approx(1_888.75)
    assert kpis["won_revenue"]["previous"] == pytest.approx(1_500) and kpis["win_rate"]["previous"] == 0.5
    assert kpis["revenue_growth"]["value"] == pytest.approx((7_555 - 1_500) / 1_500)
    assert dq["status"] == "warnings"


def test_a_bulk_loaded_created_date_leaves_only_the_cycle_time_and_says_so(east_w47):
    team, kpis, html, dq = east_w47
    assert kpis["sales_cycle_days"]["value"] == pytest.approx(15)
    (warning,) = [f for f in dq["failures"] if f["severity"] == "warning"]
    assert (warning["check_id"], warning["failing"], warning["excluded"]) == ("deals.closed_before_created", 1, 1)
    assert "Leaves out 1 deal: created date after the close date" in html
    outbox = Path(team.report_dir).parents[2] / "outbox"
    eml = email.message_from_bytes((outbox / "2026-W47-east-dq-notice.eml").read_bytes(), policy=email.policy.default)
    notice = eml.get_body(("plain",)).get_content()
    assert "closed_before_created" in notice and "deal_id=B1" in notice  # the data owners hear of it too


def test_open_deals_without_account_amount_or_close_date_do_not_withhold_and_the_pipeline_says_what_it_skips(
    east_w47,
):
    _, kpis, html, dq = east_w47
    assert kpis["open_pipeline"]["value"] == pytest.approx(10_000)
    assert kpis["open_pipeline_quarter"]["value"] == pytest.approx(15_000)
    assert "Leaves out 2 deals: no amount yet on an open deal" in html
    notes = {f["check_id"]: f["failing"] for f in dq["failures"] if f["severity"] == "info"}
    # an account with no industry or country is a note, never a reason to withhold
    assert notes == {"deals.open_amount_unknown": 2, "deals.missing_account": 2, "deals.missing_product": 1,
                     "accounts.missing_details": 1}  # fmt: skip


def test_trends_before_the_data_are_no_data_and_the_by_team_table_uses_the_same_rows(east_w47):
    _, kpis, _, _ = east_w47
    values = {point["period"]: point["value"] for point in kpis["won_revenue"]["trend"]}
    assert all(values[f"2026-W{w}"] is None for w in range(36, 42))  # before 15 Oct: no data, not $0
    assert [values[w] for w in ("2026-W42", "2026-W43", "2026-W44", "2026-W45")] == [0, 0, 0, 0]  # real zeros
    by_team = {row["key"]: row["value"] for row in kpis["won_revenue"]["breakdowns"]["team"]}
    assert by_team == {"east": pytest.approx(7_555), "west": pytest.approx(700)}


def test_a_header_only_deals_export_is_withheld_not_checks_passed(tmp_path):
    data = shutil.copytree(HONEST, tmp_path / "data")
    (data / "deals.csv").write_text((HONEST / "deals.csv").read_text(encoding="utf-8").splitlines()[0] + "\n")
    outcome = run(config_for(tmp_path, data), "2026-W47")
    (team,) = outcome.runs
    assert (team.status, team.exit_code) == ("withheld", EXIT_DATA_QUALITY)
    dq = json.loads((Path(team.report_dir) / "dq.json").read_text(encoding="utf-8"))
    (critical,) = [f for f in dq["failures"] if f["severity"] == "critical"]
    assert critical["check_id"] == "intake.incomplete"
    assert critical["samples"][0]["explanation"] == (
        "no deals for this team at all: the export is header-only, or no rep of the team owns any (check reps.team)"
    )


def _daily_deals(first: date, last: date, weekdays: int = 6) -> str:
    """One won deal of 100 a day, Monday to Saturday, created and closed at noon that day (team east)."""
    header = (HONEST / "deals.csv").read_text(encoding="utf-8").splitlines()[0]
    rows, day = [header], first
    while day <= last:
        if day.weekday() < weekdays:
            stamp = f"{day.isoformat()}T12:00:00Z"
            rows.append(f"D{day:%m%d},A1,R1,Widget,won,USD,100.00,{day},{stamp},{stamp}")
        day += timedelta(days=1)
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("last_day", "period", "explanation"),
    [
        # nine weeks of 6 deals, then the W47 export stops on Wednesday 18 Nov
        (date(2026, 11, 18), "2026-W47", "the deals export looks incomplete: newest deal 18 Nov 2026, period ends "
                                         "22 Nov 2026 (4 of 7 days without a record; usually 6 a week)"),
        # the same export with nothing at all in W47
        (date(2026, 11, 15), "2026-W47", "no deals dated in 2026-W47, while the last 8 weeks had 6 a week on average: "
                                         "the export looks incomplete"),
    ],
)  # fmt: skip
def test_an_export_that_stops_early_is_withheld_with_the_reason(tmp_path, last_day, period, explanation):
    data = shutil.copytree(HONEST, tmp_path / "data")
    (data / "deals.csv").write_text(_daily_deals(date(2026, 9, 14), last_day), encoding="utf-8")
    outcome = run(config_for(tmp_path, data), period)
    (team,) = outcome.runs
    assert (team.status, team.exit_code) == ("withheld", EXIT_DATA_QUALITY)
    dq = json.loads((Path(team.report_dir) / "dq.json").read_text(encoding="utf-8"))
    (critical,) = [f for f in dq["failures"] if f["severity"] == "critical"]
    assert critical["check_id"] == "intake.incomplete" and critical["samples"][0]["explanation"] == explanation
    alert = next((tmp_path / "out" / "outbox").glob(f"{period}-east-dq-alert.eml")).read_text(encoding="utf-8")
    assert "looks incomplete" in alert or "export looks" in alert


def test_a_month_built_from_three_of_its_four_weeks_is_withheld_and_a_whole_one_goes_out(tmp_path):
    data = shutil.copytree(HONEST, tmp_path / "data")
    config = config_for(tmp_path, data, cadence="monthly")
    # January to October every day but Sundays, then November only to Saturday the 21st: 9 of 30 days missing
    (data / "deals.csv").write_text(_daily_deals(date(2026, 1, 1), date(2026, 11, 21)), encoding="utf-8")
    (team,) = run(config, "2026-11").runs
    assert team.status == "withheld"
    # October, complete, goes out: 27 working days × 100
    (team,) = run(config, "2026-10").runs
    kpis = {k["kpi"]: k for k in json.loads(Path(team.kpis).read_text(encoding="utf-8"))["kpis"]}
    assert team.status == "outbox" and kpis["won_revenue"]["value"] == pytest.approx(2_700)


def test_a_bulk_load_that_dated_every_closed_deal_after_its_close_changes_only_the_cycle_time(tmp_path):
    """As in a Salesforce org loaded from another system: every closed opportunity's CreatedDate is the load's
    day, after its CloseDate. Revenue, counts and win rate are the same as in the export as it should be."""
    data = shutil.copytree(HONEST, tmp_path / "data")
    lines = (HONEST / "deals.csv").read_text(encoding="utf-8").splitlines()
    loaded = [lines[0]] + [
        ",".join([*row.split(",")[:8], "2026-11-30T02:00:00Z", row.split(",")[9]]) if row.split(",")[9] else row
        for row in lines[1:]
    ]
    (data / "deals.csv").write_text("\n".join(loaded) + "\n", encoding="utf-8")
    (team,) = run(config_for(tmp_path, data), "2026-W47").runs
    kpis = {k["kpi"]: k for k in json.loads(Path(team.kpis).read_text(encoding="utf-8"))["kpis"]}
    assert team.status == "outbox"
    assert kpis["won_revenue"]["value"] == pytest.approx(7_555) and kpis["deals_won"]["value"] == 4
    assert kpis["win_rate"]["value"] == pytest.approx(4 / 6) and kpis["won_revenue"]["previous"] == 1_500
    assert kpis["sales_cycle_days"]["value"] is None  # n/a: no won deal of the week has a cycle one can trust
    html = " ".join(Path(team.html).read_text(encoding="utf-8").split())
    assert "Leaves out 4 deals: created date after the close date" in html
