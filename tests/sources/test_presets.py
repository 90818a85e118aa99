"""Each shipped preset maps its synthetic export (tests/data/crm/<preset>) to canonical tables that normalise cleanly.

The fixtures imitate each export's quirks: a UTF-8 byte-order mark and CRLF lines, 1/blank booleans,
+0000 or offset-less timestamps, CRM stage labels, owners named instead of identified, and (Pipedrive)
a file re-saved by a European Excel as cp1252 and ';'-separated.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from salespulse.config import ConfigError, load_config
from salespulse.sources.mapped import map_source
from salespulse.transforms.normalise import normalise_table
from salespulse.transforms.schema import TABLES
from tests.flows.configs import config_with

CRM = Path(__file__).resolve().parents[1] / "data" / "crm"
# What a user adds to each preset: their team names, a product field, the export's timezone.
OVERRIDES = {
    "salesforce": {
        "tables": {
            "reps": {"values": {"team": {"North America": "north"}}},
            "deals": {"columns": {"Product__c": "product"}},
        }
    },
    "hubspot": {"timezone": "America/New_York"},
    "pipedrive": {"timezone": "Europe/Madrid"},
}
ABSENT = {"salesforce": {"orders"}, "hubspot": {"activities", "orders"}, "pipedrive": {"leads", "orders"}}


def mapped(tmp_path: Path, preset: str) -> dict:
    path = config_with(
        tmp_path, currency="EUR", source={"path": str(CRM / preset), "preset": preset, **OVERRIDES[preset]}
    )
    tables = map_source(load_config(path).data_source())
    return {name: table.mapped.frame for name, table in tables.items()} | {"_problems": tables}


@pytest.mark.parametrize("preset", sorted(OVERRIDES))
def test_preset_maps_its_export_to_tables_that_normalise_without_errors(tmp_path, preset):
    frames = mapped(tmp_path, preset)
    for name, table in frames.pop("_problems").items():
        assert table.mapped.problems == (), (name, table.mapped.problems)
        typed = normalise_table(frames[name], TABLES[name])
        assert typed["parse_errors"].isna().all(), (name, typed["parse_errors"].dropna().tolist())
        assert frames[name].empty == (name in ABSENT[preset]), name
        assert list(frames[name].columns) == list(TABLES[name].columns)


def test_salesforce_values(tmp_path):
    frames = mapped(tmp_path, "salesforce")
    deals = frames["deals"].set_index("deal_id")
    won, lost, open_ = deals.loc["0068d00000O1AAAAA1"], deals.loc["0068d00000O3AAAAA3"], deals.loc["0068d00000O4AAAAA4"]
    assert (won["stage"], won["owner_rep_id"], won["amount"], won["currency"]) == (
        "won",
        "0058d000001AbcDAAS",
        "12500.50",
        "EUR",
    )
    assert won["closed_at"] == "2024-01-26T12:00:00+00:00" and open_["closed_at"] is None
    assert (lost["stage"], open_["stage"], open_["product"]) == ("lost", "negotiation", "unspecified")
    assert frames["reps"]["name"].tolist() == ["Ana Peña", "Ben Okafor"] and set(frames["reps"]["team"]) == {"north"}
    leads = frames["leads"].set_index("lead_id")
    assert leads["status"].tolist() == ["new", "converted", "working"]
    assert leads["converted_at"].tolist() == [None, "2024-01-25T12:00:00+00:00", None]
    tasks = frames["activities"]
    assert tasks["type"].tolist() == ["call", "email", "meeting"]
    assert tasks["deal_id"].tolist() == ["0068d00000O1AAAAA1", None, "0068d00000O2AAAAA2"]  # WhatId of an Account
    assert tasks["lead_id"].tolist() == [None, "00Q8d00000L3AAAAA3", None]  # WhoId of a Contact
    assert tasks["completed_at"].tolist() == ["2024-01-22T15:00:00.000+0000", None, "2024-01-25T17:30:00.000+0000"]


def test_hubspot_values(tmp_path):
    frames = mapped(tmp_path, "hubspot")
    deals = frames["deals"].set_index("deal_id")
    assert deals["stage"].tolist() == ["won", "prospecting", "lost", "negotiation"]
    assert deals["owner_rep_id"].tolist() == ["r1", "r2", "r1", "r2"]  # "ana peña" too
    assert deals.loc["9001", "created_at"] == "2024-01-05T14:00:00+00:00"  # 09:00 in New York
    assert deals.loc["9001", "closed_at"] == "2024-01-26T20:30:00+00:00" and deals.loc["9002", "closed_at"] is None
    assert deals.loc["9001", "account_id"] == "5001" and deals.loc["9001", "currency"] == "EUR"
    leads = frames["leads"].set_index("lead_id")
    assert leads["status"].tolist() == ["new", "converted", "working"]
    assert leads.loc["7002", "source"] == "Referrals" and leads.loc["7002", "owner_rep_id"] == "r2"
    assert frames["accounts"]["country"].tolist() == ["United States", "Canada"]


def test_pipedrive_values(tmp_path):
    frames = mapped(tmp_path, "pipedrive")
    deals = frames["deals"].set_index("deal_id")
    assert deals["stage"].tolist() == ["won", "qualification", "lost"]  # Status wins over the stage it closed in
    assert deals["owner_rep_id"].tolist() == ["r1", "r2", "r1"] and deals["account_id"].tolist() == ["1", "2", "3"]
    assert deals.loc["101", "amount"] == "12500.5" and deals.loc["101", "currency"] == "EUR"
    assert deals["closed_at"].tolist() == ["2024-01-26T14:30:00+00:00", None, "2024-01-19T09:00:00+00:00"]
    activities = frames["activities"].set_index("activity_id")
    assert activities["type"].tolist() == ["call", "meeting", "task"]
    assert activities["completed_at"].tolist() == ["2024-01-22T15:00:00+00:00", None, "2024-01-24T08:15:00+00:00"]
    assert activities["rep_id"].tolist() == ["r1", "r2", "r1"]


def test_user_settings_override_the_preset_key_by_key(tmp_path):
    source = {
        "path": str(CRM / "salesforce"),
        "preset": "salesforce",
        "tables": {"deals": {"columns": {"Owner.Name": None}}, "orders": {"absent": False, "file": "orders.csv"}},
    }
    settings = load_config(config_with(tmp_path, source=source)).data_source()
    deals = settings.table("deals")
    assert "Owner.Name" not in deals.columns and deals.columns["StageName"] == "stage"
    assert deals.values["stage"]["Closed Won"] == "won"  # the rest of the preset kept
    assert not settings.table("orders").absent and settings.table("orders").file == "orders.csv"
    with pytest.raises(ConfigError, match="source.preset: unknown preset 'zoho'; choose one of hubspot, pipedrive"):
        load_config(config_with(tmp_path, source={"path": ".", "preset": "zoho"}))


def test_presets_are_valid_yaml_mappings():
    for path in (Path(__file__).resolve().parents[2] / "flows" / "presets").glob("*.yaml"):
        preset = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(preset["tables"]) == set(TABLES), path.name


def readme_example() -> dict:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\nsource:", 1)[1].split("```", 1)[0]
    return yaml.safe_load("source:" + block)["source"]


def test_the_readme_example_reads_weekly_drops_with_a_price_list_and_an_invoice_workbook(tmp_path):
    from openpyxl import Workbook

    exports = tmp_path / "exports"
    for week in ("2026-W46", "2026-W47"):
        shutil.copytree(CRM / "salesforce", exports / week)
    later = exports / "2026-W47" / "Opportunity.csv"  # a week on, the pilot is lost and its amount zeroed
    text = later.read_text(encoding="utf-8-sig").replace(
        "Negotiation/Review,5000,2024-02-28,,", "Closed Lost,0,2024-01-30,1,"
    )
    later.write_text(text.replace("2024-01-15T10:00:00.000+0000,\n", "2024-01-15T10:00:00.000+0000,GTXPro\n"))
    (exports / "products.csv").write_text("product,list_price\nGTX Pro,4821\nCore,100\nAdd-on,10\n")
    book = Workbook()
    book.active.title = "Invoices"
    book.active.append(["Invoice #", "Account", "Total", "Date", "deal_id", "product", "currency"])
    book.active.append(
        ["INV-1", "0018d00000A1AAAAA1", 12500.5, "2024-01-29T10:00:00Z", "0068d00000O1AAAAA1", "Core", "USD"]
    )
    book.save(exports / "2026-W47" / "invoices.xlsx")  # a drop need not hold every table
    source = readme_example()
    source["tables"]["deals"]["dates"] = {}  # the fixture's CloseDate is ISO; the README shows a month-first one
    settings = load_config(config_with(tmp_path, source=source)).data_source()
    frames = {name: table.mapped.frame for name, table in map_source(settings).items()}
    deals = frames["deals"].set_index("deal_id")
    assert len(deals) == 4  # each deal once, from the latest drop
    pilot = deals.loc["0068d00000O4AAAAA4"]
    assert (pilot["stage"], pilot["product"], pilot["amount"]) == ("lost", "GTX Pro", "4821")
    assert pilot["closed_at"] == "2024-01-30T12:00:00+00:00"
    assert frames["orders"]["amount"].tolist() == ["12500.5"] and set(frames["reps"]["team"]) == {"north"}
