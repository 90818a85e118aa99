"""A user's mapping over a preset's, a roster built from the deals' owners, and errors that name the fix.

tests/data/crm/salesforce_no_users/ is a Salesforce Data Export written by hand without User.csv (UTF-8 with a
BOM, CRLF, 1/blank booleans, +0000 timestamps). Task.csv has a custom Type__c beside Salesforce's own Type
(blank) and TaskSubtype (mostly "Task"). Three owners: Ana Peña (…AbcDAAS), Ben Okafor (…AbcEAAS) and
Chloé Martin (…AbcFAAS), all in team north (America/New_York).

Week 2024-W04 = Mon 22 – Sun 28 Jan 2024. A CloseDate is read as noon UTC, 07:00 in New York: the same day.
  won in W04:  P1 12,500.50 (23 Jan, Ana), P2 4,000 (25 Jan, Ben), P8 1,800 (27 Jan, Ana),
               P9 950 (28 Jan, Chloé; stage "Closed Won - Renewal", won by IsClosed = IsWon = 1)
  lost in W04: P3 3,000 (24 Jan), P4 0 (26 Jan; IsWon blank)
  not in W04:  P5 won 2,200 on 16 Jan (W03); P6 and P7 open
  → won revenue 12,500.50 + 4,000 + 1,800 + 950 = 19,250.50
  → win rate won ÷ (won + lost) = 4 ÷ (4 + 2) = 0.666667
"""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from salespulse.config import load_config
from salespulse.errors import DataSourceError
from salespulse.onboarding.check_config import check_config, summary
from salespulse.sources.mapped import check_source, map_source
from salespulse.sources.mapping_config import merged_with_preset
from tests.flows.cli_helpers import salespulse
from tests.flows.configs import config_with
from tests.flows.crm_helpers import salespulse_here

EXPORT = Path(__file__).resolve().parents[1] / "data" / "crm" / "salesforce_no_users"
NOW = datetime(2024, 2, 5, 12, tzinfo=UTC)
ANA, BEN, CHLOE = "0058d000001AbcDAAS", "0058d000001AbcEAAS", "0058d000001AbcFAAS"
TASK_TYPES = {"columns": {"Type__c": "type"}, "values": {"type": {"Demo": "meeting"}}}
ROSTER = {
    "from_owners": "deals",
    "values": {"team": {ANA: "north", "ben okafor": "north"}},  # by owner id, by owner name (any case)
    "defaults": {"team": "north"},  # Chloé
}
NORTH = [{"id": "north", "name": "North", "recipients": ["north@example.com"], "timezone": "America/New_York"}]
LEAN = {"kpis": ["won_revenue", "deals_won", "win_rate", "new_leads"], "headline_kpis": ["won_revenue"]}


def config(tmp_path: Path, folder: Path = EXPORT, **tables: object) -> Path:
    source = {"path": str(folder), "preset": "salesforce", "tables": tables}
    return config_with(tmp_path, source=source, teams=NORTH, **LEAN)


def problems_and_lines(path: Path) -> tuple[list[str], list[str]]:
    lines, problems = summary(check_config(load_config(path), "2024-W04", NOW))
    return problems, lines


def test_a_users_column_replaces_every_preset_mapping_of_that_canonical_column():
    merged = merged_with_preset({"preset": "salesforce", "tables": {"activities": TASK_TYPES}}, Path("x.yaml"))
    columns = merged["tables"]["activities"]["columns"]
    assert "Type" not in columns and "TaskSubtype" not in columns and columns["Type__c"] == "type"
    assert columns["CompletedDateTime"] == "completed_at"  # the preset's other columns are kept
    # a list loses only the target the user maps; the user's own order is kept for their fallbacks
    deals = {"columns": {"ClosedOn__c": "closed_at"}}
    tasks = {"columns": {"Type__c": "type", "TaskSubtype": "type"}}
    merged = merged_with_preset({"preset": "salesforce", "tables": {"deals": deals, "activities": tasks}}, Path("x"))
    assert merged["tables"]["deals"]["columns"]["CloseDate"] == "expected_close_on"
    types = [k for k, v in merged["tables"]["activities"]["columns"].items() if v == "type"]
    assert types == ["Type__c", "TaskSubtype"]


def test_the_override_wins_and_check_config_lists_what_was_overridden(tmp_path):
    path = config(tmp_path, activities=TASK_TYPES, reps=ROSTER)
    tasks = map_source(load_config(path).data_source())["activities"].mapped.frame
    # Type__c, not the preset's Type (blank) then TaskSubtype ("Task", "Email"), which used to win
    assert tasks["type"].tolist() == ["call", "email", "meeting", "call", "meeting", "call", "email"]
    problems, lines = problems_and_lines(path)
    assert problems == []
    assert (
        "activities  info        type: the salesforce preset's Type, TaskSubtype → type is not read: replaced by "
        "your Type__c → type"
    ) in lines
    assert (
        "deals       info        product: no export column; every row is 'unspecified' (the salesforce preset's "
        "default)"
    ) in lines


def test_check_config_names_a_mapped_column_the_export_lacks_without_failing(tmp_path):
    deals = {"columns": {"Product__c": "product"}}  # not in this export: the preset's default still fills product
    problems, lines = problems_and_lines(config(tmp_path, deals=deals, reps=ROSTER))
    assert problems == []
    assert (
        "deals       info        Product__c → product: your config maps it, but the export has no column "
        "'Product__c': unused"
    ) in lines


def test_from_owners_builds_the_roster_from_the_deals_owners(tmp_path):
    tables = map_source(load_config(config(tmp_path, reps=ROSTER)).data_source())
    reps = tables["reps"].mapped.frame
    assert reps["rep_id"].tolist() == [ANA, BEN, CHLOE]  # OwnerId: the id the deals carry
    assert reps["name"].tolist() == ["Ana Peña", "Ben Okafor", "Chloé Martin"]  # Owner.Name
    assert reps["team"].tolist() == ["north"] * 3  # by id, by name (any case), by default
    assert reps["hired_on"].isna().all() and reps["email"].isna().all()
    assert set(tables["deals"].mapped.frame["owner_rep_id"]) == {ANA, BEN, CHLOE}
    assert all(table.mapped.problems == () for table in tables.values())


def test_from_owners_without_a_team_for_every_owner_names_them(tmp_path):
    roster = {"from_owners": "deals", "values": {"team": {ANA: "north", "Ben Okafor": "north"}}}
    problems, lines = problems_and_lines(config(tmp_path, reps=roster))
    assert problems == [
        f"reps (owners in Opportunity.csv): team: owners '{CHLOE}' (Chloé Martin) are in no team; give each one "
        "under source.tables.reps.values.team (owner id or name → team id), or set source.tables.reps.defaults.team"
    ]
    assert any(line.startswith("reps        info        email, hired_on, left_on: no export column") for line in lines)


def test_a_missing_user_csv_suggests_from_owners_and_the_owner_ids_are_not_called_names(tmp_path):
    path = config(tmp_path)
    with pytest.raises(DataSourceError, match=r"no User\.csv; .*source\.tables\.reps: \{from_owners: deals\}"):
        map_source(load_config(path).data_source())
    problems, _ = problems_and_lines(path)
    assert problems[0].startswith(f"reps: {EXPORT}: no User.csv; export the reps table there")
    deals = next(p for p in problems if p.startswith("deals"))
    assert deals == (
        f"deals (Opportunity.csv): owner_rep_id: ids such as '{ANA}' are kept as they are, but cannot be checked: "
        "the reps table is empty or was not read (see its line; or build it from the owners: reps: {from_owners: "
        "deals})"
    )
    assert not any("cannot be matched" in p or "names" in p for p in problems)


def test_a_missing_completed_at_names_the_export_column_the_preset_expected(tmp_path):
    folder = shutil.copytree(EXPORT, tmp_path / "exports")
    tasks = pd.read_csv(folder / "Task.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    tasks.drop(columns=["CompletedDateTime"]).to_csv(folder / "Task.csv", index=False, encoding="utf-8-sig")
    path = config(tmp_path, folder, reps=ROSTER)
    with pytest.raises(DataSourceError) as caught:
        check_source(load_config(path).data_source())  # a run's pre-flight
    problems, _ = problems_and_lines(path)
    assert problems == [f"activities (Task.csv): {str(caught.value).split(': ', 1)[1]}"]
    assert problems[0].startswith(
        "activities (Task.csv): no column for activities.completed_at: the salesforce preset expects "
        "CompletedDateTime (read only where IsClosed is true), which the export lacks; fix: map the export column "
        "that holds it ({YourColumn: completed_at}) under source.tables.activities.columns, or set "
        'source.tables.activities.defaults.completed_at: "" to leave it empty; found: Id, OwnerId, Subject'
    )


def test_a_replaced_preset_column_is_offered_back_when_the_users_column_is_missing(tmp_path):
    folder = shutil.copytree(EXPORT, tmp_path / "exports")
    tasks = pd.read_csv(folder / "Task.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    tasks.drop(columns=["Type__c"]).to_csv(folder / "Task.csv", index=False, encoding="utf-8-sig")
    problems, _ = problems_and_lines(config(tmp_path, folder, activities=TASK_TYPES, reps=ROSTER))
    assert problems[0].startswith(
        "activities (Task.csv): no column for activities.type: your config expects Type__c (replacing the "
        "salesforce preset's Type, else TaskSubtype), which the export lacks; fix: map 'Type' to it ({Type: type})"
    )


def test_a_run_from_the_owners_roster_gives_the_hand_computed_numbers(tmp_path, api_url, capfd, monkeypatch):  # noqa: F811
    path = str(config(tmp_path, activities=TASK_TYPES, reps=ROSTER))
    checked = salespulse("check-config", "--config", path, "--period", "2024-W04", env={"PREFECT_API_URL": api_url})
    assert checked.returncode == 0, checked.stderr
    assert "reps        OK          3 rows from owners in Opportunity.csv" in checked.stdout
    assert "replaced by your Type__c → type" in checked.stdout and "OK, ready" in checked.stdout
    result = salespulse_here(
        capfd, monkeypatch, "run", "--config", path, "--period", "2024-W04", "--team", "north", "--dry-run", "--json"
    )
    assert result.returncode == 0, result.stderr
    (run,) = json.loads(result.stdout)["runs"]
    kpis = {k["kpi"]: k for k in json.loads(Path(run["kpis"]).read_text(encoding="utf-8"))["kpis"]}
    assert kpis["won_revenue"]["value"] == pytest.approx(19_250.50)  # P1 + P2 + P8 + P9
    assert kpis["win_rate"]["value"] == pytest.approx(4 / 6, abs=1e-6)  # 4 won ÷ (4 won + 2 lost)
    assert kpis["deals_won"]["value"] == 4 and kpis["won_revenue"]["previous"] == pytest.approx(2_200)  # P5 in W03
    dq = json.loads((Path(run["report_dir"]) / "dq.json").read_text(encoding="utf-8"))
    hired = next(f for f in dq["failures"] if f["check_id"] == "reps.missing_hired")
    assert (hired["severity"], hired["failing"]) == ("warning", 3)  # no hire date from owners: a warning, not withheld
