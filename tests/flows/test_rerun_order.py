"""Reruns that change nothing: a report depends on its own period's inputs, config and version alone.

Real flow runs (GX, WeasyPrint, SMTP on loopback): reruns in any order, and a rerun after a later week was
added to the export, leave each report byte-identical and email nobody again; a change to the period's own
data still goes out as a correction."""

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from salespulse.demo.data import write_demo
from salespulse.flows.report_flow import weekly_report

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "salespulse.example.yaml"
AS_OF = date(2026, 11, 23)  # the day after the demo data ends: every run stands on the same day
RECIPIENTS = ("north-sales@northwind.example", "owner@northwind.example")
OUTPUTS = ("report.html", "report.pdf", "kpis.json", "kpis.csv")
# The subject is the run's path, not the report's breadth: a few KPIs render in a third of the time.
LEAN = {"kpis": ["won_revenue", "deals_won", "win_rate", "new_leads"], "headline_kpis": ["won_revenue"]}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "data", scale=0.5)


def write_config(tmp_path: Path, data_dir: Path, smtp_port: int) -> Path:
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings |= {"data_dir": str(data_dir), "output_dir": str(tmp_path / "out"), **LEAN}
    settings["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "plain", "retry_delays_seconds": [0.05]}
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def report_north(config: Path, period: str) -> dict[str, bytes]:
    """One delivered run of North's `period`; the bytes of its report and KPI files."""
    outcome = weekly_report(config_path=str(config), period=period, team="north", as_of=AS_OF)
    (run,) = outcome.runs
    assert run.status == "delivered", run.detail
    return {name: (Path(run.report_dir) / name).read_bytes() for name in OUTPUTS}


def report_ledger(tmp_path: Path, period: str) -> list[str]:
    with sqlite3.connect(tmp_path / "out" / "state" / "salespulse.sqlite") as db:
        query = "select status from deliveries where period = ? and kind = 'report' order by id"
        return [status for (status,) in db.execute(query, (period,))]


def subjects(inbox, period: str) -> list[str]:  # noqa: ANN001 - tests/smtp_server.py's Inbox
    return [str(m["Subject"]) for rcpts, m in inbox.received if period in str(m["Subject"]) and RECIPIENTS[0] in rcpts]


def test_reruns_in_any_order_are_byte_identical_and_send_nothing_again(tmp_path, demo_folder, smtp_inbox):
    """W45, W44, W45, W44: each period reruns after the other one ran (the order the issue found)."""
    config = write_config(tmp_path, demo_folder, smtp_inbox.port)
    first = {period: report_north(config, period) for period in ("2026-W45", "2026-W44")}
    again = {period: report_north(config, period) for period in ("2026-W45", "2026-W44")}
    for period, files in first.items():
        for name in OUTPUTS:
            assert again[period][name] == files[name], f"{period} {name} changed on a rerun"
        assert b"data-period=" not in files["report.html"]  # no period's row of a data-quality trend
        (subject,) = subjects(smtp_inbox, period)
        assert subject.startswith(f"Sales KPIs · North · {period} (")
        assert report_ledger(tmp_path, period) == ["sent", "sent", "skipped-duplicate", "skipped-duplicate"]
    for recipient in RECIPIENTS:
        assert len(smtp_inbox.messages_to(recipient)) == 2  # one report a period, no correction
    # The trend across periods lives on the live page instead: W45's, rewritten by its rerun, lists W44 too.
    page = (tmp_path / "out" / "reports" / "north" / "2026-W45" / "dq.html").read_text(encoding="utf-8")
    assert 'data-period="2026-W44"' in page and 'data-period="2026-W45"' in page


def test_a_later_week_in_the_export_leaves_the_report_alone_and_a_change_to_its_own_is_a_correction(
    tmp_path, demo_folder, smtp_inbox
):
    """The export holds every week, so its checksums change when one is added; the report must not."""
    first = report_north(write_config(tmp_path, demo_folder, smtp_inbox.port), "2026-W45")
    grown = shutil.copytree(demo_folder, tmp_path / "grown")
    with (grown / "leads.csv").open("a", encoding="utf-8") as leads:  # two leads of W47, after W45
        leads.write("L900001,web,R001,new,,2026-11-17T15:00:00Z,\nL900002,event,R003,new,,2026-11-18T16:30:00Z,\n")
    again = report_north(write_config(tmp_path, grown, smtp_inbox.port), "2026-W45")
    assert again == first
    assert report_ledger(tmp_path, "2026-W45") == ["sent", "sent", "skipped-duplicate", "skipped-duplicate"]
    # The files each run read are on the live dq.html, which the rerun rewrote: the grown export's leads.
    page = (tmp_path / "out" / "reports" / "north" / "2026-W45" / "dq.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((grown / "leads.csv").read_bytes()).hexdigest()[:16]
    assert f'<th>input leads.csv</th><td class="mono">{digest}</td>' in page

    changed = shutil.copytree(grown, tmp_path / "changed")
    _double_a_won_deal_of_w45(changed)
    corrected = report_north(write_config(tmp_path, changed, smtp_inbox.port), "2026-W45")
    assert corrected["report.html"] != first["report.html"] and corrected["kpis.json"] != first["kpis.json"]
    sent, correction = subjects(smtp_inbox, "2026-W45")
    assert sent.startswith("Sales KPIs · North · 2026-W45 (")
    assert correction.startswith("Correction: Sales KPIs · North · 2026-W45 (")


def _double_a_won_deal_of_w45(folder: Path) -> None:
    """North's first deal won in W45 (Nov 2-8, New York), at twice its amount; every other cell as it was."""
    deals = pd.read_csv(folder / "deals.csv", dtype=str, keep_default_na=False)
    reps = pd.read_csv(folder / "reps.csv", dtype=str, keep_default_na=False)
    north = deals["owner_rep_id"].isin(reps.loc[reps["team"] == "north", "rep_id"])
    won = (deals["stage"] == "won") & deals["closed_at"].between("2026-11-03", "2026-11-08")
    index = deals.index[north & won][0]
    deals.loc[index, "amount"] = f"{float(deals.loc[index, 'amount']) * 2:.2f}"
    deals.to_csv(folder / "deals.csv", index=False)
