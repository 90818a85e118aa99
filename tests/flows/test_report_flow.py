"""The whole path through the real stack: demo data → GX → KPIs → WeasyPrint → SMTP on loopback."""

import hashlib
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from salespulse.demo.data import FAULT_WEEK, write_demo
from salespulse.errors import EXIT_DATA_QUALITY, EXIT_DELIVERED, EXIT_NOT_DELIVERED
from tests.flows.configs import make_config
from tests.flows.flow_runs import run
from tests.net import free_port

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "data", scale=0.5)


# Most tests here are about the path of a run, not the report's content: make_config writes a LEAN report
# (few KPIs and charts) unless told otherwise. The first test renders the full demo report.


def won_revenue_by_hand(folder, team, timezone):
    """The same figure in plain pandas, straight from the CSVs: what the report must agree with."""
    import pandas as pd

    reps, deals = pd.read_csv(folder / "reps.csv"), pd.read_csv(folder / "deals.csv")
    deals = deals[deals["owner_rep_id"].isin(reps.loc[reps["team"] == team, "rep_id"]) & (deals["stage"] == "won")]
    day = pd.to_datetime(deals["closed_at"], utc=True).dt.tz_convert(timezone).dt.strftime("%Y-%m-%d")
    return deals.loc[(day >= "2026-11-16") & (day <= "2026-11-22"), "amount"].sum()


def test_weekly_report_is_validated_rendered_and_emailed(tmp_path, demo_folder, smtp_inbox):
    state, outcome = run(make_config(tmp_path, demo_folder, smtp_inbox.port, lean=False), period="2026-W47")
    assert state.is_completed() and outcome.exit_code == EXIT_DELIVERED
    assert [(r.team, r.status) for r in outcome.runs] == [("north", "delivered"), ("south", "delivered")]

    (message,) = smtp_inbox.messages_to("north-sales@northwind.example")
    assert message["Subject"].startswith("Sales KPIs · North · 2026-W47")
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Sales KPIs North 2026-W47.pdf"
    north = outcome.runs[0]
    kpis = json.loads(Path(north.kpis).read_text(encoding="utf-8"))
    won = next(k for k in kpis["kpis"] if k["kpi"] == "won_revenue")
    # page 1, the summary: the team, the period and the headline figure (pypdf takes ~0.2 s a page)
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "North" in text and "2026-W47" in text and f"WON REVENUE\n${round(won['value']):,}\n" in text
    assert re.search(r"WIN RATE\n[\d.]+%\nPrevious [\d.]+%\n. (up|down) [\d.]+ pts\b", text)  # a rate: points
    assert won["value"] == pytest.approx(won_revenue_by_hand(demo_folder, "north", "America/New_York"))
    assert won["value"] > 0  # real numbers, not a template
    assert [row["key"] for row in won["breakdowns"]["team"]] == ["north", "south"]
    by_product = {row["key"]: row["value"] for row in won["breakdowns"]["product"]}
    assert sum(by_product.values()) == pytest.approx(won["value"])
    assert sum(row["won_revenue"] for row in kpis["leaderboard"]) == pytest.approx(won["value"])
    assert [step["stage"] for step in kpis["funnel"]][::4] == ["prospecting", "won"]
    assert {g["goal_id"]: g["status"] for g in kpis["goals"]}.keys() == {"q4-revenue", "rep-retention", "win-rate"}
    assert f"{won['value']:,.0f}" in text.replace("$", "")
    for path in (north.html, north.kpis, Path(north.kpis).with_suffix(".csv")):
        # an undefined KPI is "n/a" (null in JSON), never 0, inf or NaN, on every page and in every file
        assert not re.search(r"\b(nan|inf|infinity)\b", Path(path).read_text(encoding="utf-8"), re.IGNORECASE)
    kept = tmp_path / "out" / "state" / "history" / "team=north" / "period=2026-W47"
    assert sorted(p.name for p in kept.iterdir()) == [
        f"{t}.parquet" for t in ("activities", "deals", "leads", "orders")
    ]
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        assert db.execute("select team, period, status from runs").fetchall() == [
            ("north", "2026-W47", "delivered"),
            ("south", "2026-W47", "delivered"),
        ]
        ledger = "select status, content_hash from deliveries where team = 'north' and kind = 'report'"
        digest = hashlib.sha256(Path(north.html).read_bytes()).hexdigest()  # the ledger knows the report by its HTML
        assert db.execute(ledger).fetchall() == [("sent", digest), ("sent", digest)]  # both recipients


def test_critical_faults_withhold_the_report_and_alert_the_data_owner_once_per_verdict(
    tmp_path, demo_folder, smtp_inbox
):
    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    state, outcome = run(config, period=FAULT_WEEK, team="north")
    assert state.is_failed() and outcome.exit_code == EXIT_DATA_QUALITY
    assert smtp_inbox.messages_to("north-sales@northwind.example") == []
    (alert,) = smtp_inbox.messages_to("data@northwind.example")
    assert alert["Subject"].startswith(f"Data-quality alert · North · {FAULT_WEEK}")
    body = alert.get_body(preferencelist=("plain",)).get_content()
    for expected in ("deals.amount", "deals.stage", "deals.deal_id", "Closed Won", "−450"):
        assert expected in body
    assert outcome.runs[0].html is None  # nothing rendered for the team
    assert not (tmp_path / "out" / "state" / "history" / "team=north" / f"period={FAULT_WEEK}").exists()  # not kept
    # the alert points to the data-quality page (under the system's temp folder here: named, not linked)
    page = tmp_path / "out" / "reports" / "north" / FAULT_WEEK / "dq.html"
    assert "dq.html, in the run's output folder" in body and "Closed Won" in page.read_text(encoding="utf-8")
    # a rerun with the same verdict alerts nobody again, unless asked to resend
    _, outcome = run(config, period=FAULT_WEEK, team="north")
    assert outcome.exit_code == EXIT_DATA_QUALITY and len(smtp_inbox.messages_to("data@northwind.example")) == 1
    run(config, period=FAULT_WEEK, team="north", resend=True)
    assert len(smtp_inbox.messages_to("data@northwind.example")) == 2
    assert [status for _, status in deliveries(tmp_path, "dq-alert")] == ["sent", "skipped-duplicate", "sent"]


def test_smtp_outage_is_exit_4_with_the_message_kept(tmp_path, demo_folder):
    state, outcome = run(make_config(tmp_path, demo_folder, free_port()), period="2026-W47", team="north")
    assert state.is_failed() and outcome.exit_code == EXIT_NOT_DELIVERED
    report, notice = sorted((tmp_path / "out" / "outbox").glob("*.eml"))
    assert report.name == "2026-W47-north-report.eml"
    assert notice.name == "2026-W47-north-run-failed.eml"  # the owner's notice waits there too


def test_an_implausible_amount_is_counted_and_named_on_page_1(tmp_path, demo_folder, smtp_inbox):
    import shutil

    import pandas as pd

    folder = tmp_path / "data"
    shutil.copytree(demo_folder, folder)
    deals = pd.read_csv(folder / "deals.csv", dtype=str, keep_default_na=False)
    reps = pd.read_csv(folder / "reps.csv", dtype=str)
    north = deals["owner_rep_id"].isin(reps.loc[reps["team"] == "north", "rep_id"])
    in_w47 = deals["closed_at"].str[:10].between("2026-11-17", "2026-11-21")
    typo = deals[(deals["stage"] == "won") & north & in_w47].iloc[[0]].copy()
    typo[["deal_id", "amount"]] = ["D-TYPO", "4500000.00"]  # an extra zero or three: far above this team's deals
    pd.concat([deals, typo]).to_csv(folder / "deals.csv", index=False)
    state, outcome = run(make_config(tmp_path, folder, smtp_inbox.port), period="2026-W47", team="north")

    assert state.is_completed() and outcome.runs[0].status == "delivered"
    kpis = json.loads(Path(outcome.runs[0].kpis).read_text(encoding="utf-8"))
    won = next(k for k in kpis["kpis"] if k["kpi"] == "won_revenue")
    # an implausible amount is flagged, not removed: a person decides; the banner on page 1 names the deal
    by_hand = won_revenue_by_hand(demo_folder, "north", "America/New_York")
    with_typo = won_revenue_by_hand(folder, "north", "America/New_York")
    assert won["value"] == pytest.approx(by_hand + 4_500_000) == pytest.approx(with_typo)
    text = " ".join(Path(outcome.runs[0].html).read_text(encoding="utf-8").split())
    assert "far larger than this team" in text and "(D-TYPO 4,500,000.00)" in text and "left out" not in text
    (message,) = smtp_inbox.messages_to("north-sales@northwind.example")
    dq_page = Path(outcome.runs[0].html).with_name("dq.html").read_text(encoding="utf-8")
    assert "D-TYPO" in dq_page and message["Subject"].startswith("Sales KPIs · North · 2026-W47")
    (notice,) = smtp_inbox.messages_to("data@northwind.example")  # a person decides whether it is a typo
    assert "D-TYPO" in notice.get_body(("plain",)).get_content() and "implausible_amount" in str(notice)


def test_a_dry_run_sends_nothing_and_the_archive_lists_every_period(tmp_path, demo_folder, smtp_inbox):
    from bs4 import BeautifulSoup

    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    _, dry = run(config, period="2026-W47", team="north", dry_run=True)
    assert dry.exit_code == EXIT_DELIVERED and dry.runs[0].status == "dry-run"
    assert smtp_inbox.received == [] and dry.runs[0].pdf.endswith("report.pdf")
    run(config, period=FAULT_WEEK, team="north")
    index = tmp_path / "out" / "reports" / "index.html"
    rows = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select("tr[data-period]")
    assert [(r["data-period"], r.select_one(".status").get_text()) for r in rows] == [
        ("2026-W47", "Rendered (dry run)"),
        (FAULT_WEEK, "Withheld: data-quality failure"),
    ]
    links = [a["href"] for a in rows[0].select("a")]
    assert links == ["north/2026-W47/report.html", "north/2026-W47/report.pdf", "north/2026-W47/dq.html"]
    assert all((index.parent / link).exists() for link in links)
    assert [a.get_text() for a in rows[1].select("a")] == ["checks"]  # withheld: only the DQ page


def test_a_dry_run_of_a_delivered_report_keeps_its_status_in_the_archive(tmp_path, demo_folder, smtp_inbox):
    from datetime import UTC, datetime

    from bs4 import BeautifulSoup

    from salespulse.config import load_config
    from salespulse.plan import plan_run
    from salespulse.store.records import write_archive

    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    run(config, period="2026-W47", team="north")
    run(config, period="2026-W47", team="north", dry_run=True)  # a preview on the same inputs: the same report
    index = tmp_path / "out" / "reports" / "index.html"

    def shown() -> str:
        row = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select_one('tr[data-period="2026-W47"]')
        return row.select_one(".status").get_text()

    assert shown() == "Delivered" and len(smtp_inbox.messages_to("north-sales@northwind.example")) == 1
    # Had the preview rendered something else (the data changed), its links would open what nobody was sent
    report = tmp_path / "out" / "reports" / "north" / "2026-W47" / "report.html"
    report.write_text(report.read_text(encoding="utf-8").replace("</body>", "<p>changed</p></body>"), encoding="utf-8")
    write_archive(plan_run(load_config(config), "2026-W47", "north", datetime.now(UTC)))
    assert shown() == "Rendered (dry run)"


def deliveries(tmp_path, kind):
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        return db.execute("select recipient, status from deliveries where kind = ? order by id", (kind,)).fetchall()
