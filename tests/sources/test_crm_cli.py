"""`salespulse inspect` and `salespulse check-config` as a user runs them, and a report run from a mapped export."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import yaml

from tests.flows.cli_helpers import assert_one_line_error, salespulse
from tests.flows.configs import config_with
from tests.flows.crm_helpers import salespulse_here

CRM = Path(__file__).resolve().parents[1] / "data" / "crm"


def test_inspect_shows_kinds_samples_and_a_suggestion():
    result = salespulse("inspect", str(CRM / "salesforce" / "Opportunity.csv"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Opportunity.csv: 4 rows, 11 columns; looks like deals" in out
    assert "boolean-like (1 / blank)" in out and "datetime (ISO datetime with offset)" in out
    assert "decimal" in out and "StageName → stage" in out and "Closed Won" in out
    assert "start from `preset: salesforce`" in out


def test_inspect_yaml_and_check_config_round_trip(tmp_path):
    """The snippet inspect prints, with its one TODO answered (which team the reps are in), is a config
    check-config passes; unanswered, check-config names the TODO."""
    result = salespulse("inspect", str(CRM / "salesforce"), "--yaml")
    assert result.returncode == 0, result.stderr
    source = yaml.safe_load(result.stdout)["source"]
    assert source["preset"] == "salesforce"
    assert source["tables"] == {
        "reps": {"values": {"team": {"North America": "TODO"}}},
        "deals": {"columns": {"Product__c": "product"}},
    }
    assert "# TODO: the id of the team in your config whose report has these reps" in result.stdout
    config = config_with(tmp_path, source=source)
    first = salespulse("check-config", "--config", str(config))
    assert first.returncode == 2 and "Traceback" not in first.stderr
    assert first.stderr.strip() == (
        "salespulse: reps (User.csv): team: 'TODO' (2) is no team id of the config (north, south); "
        "map them under source.tables.reps.values.team"
    )
    source["tables"]["reps"] = {"values": {"team": {"North America": "north"}}}
    # every rep is now in north: south would get a report of zeros, which the gate withholds, and this 2024
    # export would give north's current week zeros too; check-config says both before any run
    result = salespulse("check-config", "--config", str(config_with(tmp_path, source=source)))
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [
        "salespulse: deals (Opportunity.csv): the deals export ends on 26 Jan 2024, before 2026-W48 and the 8 weeks "
        "it is compared with: export the data again, or report an earlier period (team north, 2026-W48); the report "
        "would be withheld",
        "salespulse: deals (Opportunity.csv): no deals for this team at all: the export is header-only, or no rep "
        "of the team owns any (check reps.team) (team south, 2026-11); the report would be withheld",
    ]
    north = [team for team in yaml.safe_load(config.read_text(encoding="utf-8"))["teams"] if team["id"] == "north"]
    config = config_with(tmp_path, source=source, teams=north)
    result = salespulse("check-config", "--config", str(config), "--period", "2024-W04")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "reps        OK          2 rows from User.csv",
        "reps        info        left_on: no export column; left empty (the salesforce preset's default)",
        "accounts    OK          2 rows from Account.csv",
        "leads       OK          3 rows from Lead.csv",
        "deals       OK          4 rows from Opportunity.csv",
        "deals       info        currency: no export column; every row is 'USD' (source.currency, else the company's "
        "currency)",
        "activities  OK          3 rows from Task.csv",
        "orders      absent (declared): its KPIs are skipped",
        f"{tmp_path / 'salespulse.yaml'}: OK, ready for `salespulse run --period 2024-W04`; not checked here: "
        "warnings and notes "
        "(a run reports them with the report), and rows kept from earlier runs (history joins them at run time)",
    ]


def test_check_config_lists_every_problem_one_line_each(tmp_path):
    folder = shutil.copytree(CRM / "hubspot", tmp_path / "hubspot")
    deals = next(folder.glob("*deals*.csv"))
    text = deals.read_text(encoding="utf-8-sig")
    deals.write_text(
        text.replace("Contract Sent", "Verbal Yes").replace("2500", "2500 EUR").replace("Ben Okafor", "B. Okafor")
    )
    contacts = next(folder.glob("*contacts*.csv"))
    text = re.sub(r"(2024)-(01)-(\d\d) (\d\d:\d\d)", r"\3/\2/\1 \4", contacts.read_text(encoding="utf-8-sig"))
    contacts.write_text(text)  # every date day-first: a format to state, not a few bad values
    config = config_with(tmp_path, source={"path": str(folder), "preset": "hubspot"})
    result = salespulse("check-config", "--config", str(config))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    problems = result.stderr.strip().splitlines()
    label = deals.name
    assert problems == [
        f"salespulse: leads ({contacts.name}): Create Date → created_at: dates like '22/01/2024 16:14' are not ISO "
        "(day-first (a first number above 12 is seen)); state their format as "
        "source.tables.leads.dates.created_at: day-first, month-first, epoch-ms or a pattern such as '%d.%m.%Y %H:%M'",
        f"salespulse: leads ({contacts.name}): Became an Opportunity Date → converted_at: dates like "
        "'12/01/2024 10:00' are not ISO (day-first or month-first: ambiguous (no number above 12 tells them apart)); "
        "state their format as source.tables.leads.dates.converted_at: day-first, month-first, epoch-ms or a "
        "pattern such as '%d.%m.%Y %H:%M'",
        f"salespulse: deals ({label}): owner_rep_id: 'B. Okafor' (2) match no reps name or id (or more than one)",
        f"salespulse: deals ({label}): stage: unmapped values 'Verbal Yes' (1); map each to one of prospecting, "
        "qualification, proposal, negotiation, won, lost",
        f"salespulse: deals ({label}): amount: 1 values are not numbers, e.g. '2500 EUR'",
    ]
    assert "leads       2 problems" in result.stdout and "accounts    OK" in result.stdout


def test_inspect_a_drops_folder_reads_its_latest_drop(tmp_path):
    from salespulse.onboarding.inspect import inspect_path
    from salespulse.onboarding.inspect_yaml import as_yaml

    for week in ("2026-W9", "2026-W10"):
        shutil.copytree(CRM / "pipedrive", tmp_path / week)
    inspection = inspect_path(tmp_path)
    assert inspection.folder == tmp_path / "2026-W10" and len(inspection.files) == 4
    assert yaml.safe_load(as_yaml(inspection))["source"] == {
        "path": str(tmp_path),
        "layout": "drops",
        "preset": "pipedrive",
    }


def test_inspect_and_check_config_errors_are_one_line(tmp_path):
    assert_one_line_error(salespulse("inspect", str(tmp_path / "nowhere.csv")), 2, "no such file or folder")
    config = config_with(tmp_path, source={"path": str(tmp_path), "preset": "pipedrive"})
    result = salespulse("check-config", "--config", str(config))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"salespulse: reps: {tmp_path}: no reps.csv; export the reps table there" in result.stderr


def test_a_report_runs_from_a_mapped_xlsx_export(tmp_path, api_url, capfd, monkeypatch):  # noqa: F811 - the fixture
    from salespulse.demo.data import write_demo

    folder = tmp_path / "exports"
    write_demo(folder, scale=0.2)
    deals = pd.read_csv(folder / "deals.csv", dtype=str, keep_default_na=False)
    labels = {"won": "Closed Won", "lost": "Closed Lost", "proposal": "Proposal/Price Quote"}
    deals = deals.replace({"stage": labels}).rename(columns={"deal_id": "Id", "stage": "StageName", "amount": "Amount"})
    with pd.ExcelWriter(folder / "crm.xlsx") as book:
        deals.to_excel(book, sheet_name="Deals", index=False)
    (folder / "deals.csv").unlink()
    mapping = {
        "file": "crm.xlsx",
        "sheet": "Deals",
        "columns": {"Id": "deal_id", "StageName": "stage", "Amount": "amount"},
        "values": {"stage": {label: stage for stage, label in labels.items()}},
    }
    lean = {"kpis": ["won_revenue", "win_rate"], "headline_kpis": ["won_revenue"]}
    config = str(config_with(tmp_path, source={"path": "exports", "tables": {"deals": mapping}}, **lean))
    checked = salespulse("check-config", "--config", config)  # the demo's planted faults are listed, as in a run
    assert "rows from crm.xlsx" in checked.stdout and "'2026-09-31'" in checked.stderr
    result = salespulse_here(
        capfd, monkeypatch, "run", "--config", config, "--period", "2026-W47", "--team", "south", "--json"
    )
    assert result.returncode == 0, result.stderr
    (run,) = json.loads(result.stdout)["runs"]
    kpis = json.loads(Path(run["kpis"]).read_text(encoding="utf-8"))["kpis"]
    assert next(k for k in kpis if k["kpi"] == "won_revenue")["value"] > 0  # "Closed Won" deals counted as won
    # The lineage (on dq.html, beside the report: the report itself carries only its validation run and version)
    dq_page = Path(run["html"]).with_name("dq.html").read_text(encoding="utf-8")
    assert "crm.xlsx</th>" in dq_page and "crm.xlsx</th>" not in Path(run["html"]).read_text(encoding="utf-8")
