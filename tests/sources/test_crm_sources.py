"""A source: block — CSV settings, XLSX, SQLite, drop folders, absent tables — and its config errors."""

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from salespulse.config import ConfigError, load_config
from salespulse.errors import DataSourceError
from salespulse.sources.load import check_tables, read_tables
from salespulse.sources.mapping_config import Source
from salespulse.transforms.normalise import normalise
from salespulse.transforms.schema import TABLES
from tests.flows.configs import config_with

GOOD = Path(__file__).resolve().parents[1] / "data" / "bad_files" / "good"


def canonical_folder(folder: Path) -> Path:
    shutil.copytree(GOOD, folder)
    return folder


def source(**settings) -> Source:
    return Source.model_validate(settings)


def test_a_source_folder_of_canonical_files_reads_like_data_dir(tmp_path):
    frames, checksums = read_tables(source(path=canonical_folder(tmp_path / "data")))
    plain, plain_checksums = read_tables(tmp_path / "data")
    assert checksums == plain_checksums
    typed, plain_typed = normalise(frames), normalise(plain)
    for name in TABLES:  # blanks are None rather than "": the same once normalised
        left, right = typed[name], plain_typed[name][typed[name].columns]
        pd.testing.assert_frame_equal(left.where(left.notna(), None), right.where(right.notna(), None))


def test_semicolons_and_cp1252_are_detected_or_stated(tmp_path):
    folder = canonical_folder(tmp_path / "data")
    text = (GOOD / "reps.csv").read_text(encoding="utf-8").replace(",", ";").replace("Ana", "Añá")
    (folder / "reps.csv").write_bytes(text.encode("cp1252"))
    frames, _ = read_tables(source(path=folder))
    assert frames["reps"]["name"].str.contains("Añá").any()
    reps = {"csv": {"delimiter": ";", "encoding": "cp1252"}}  # per table: other files stay comma-separated UTF-8
    stated, _ = read_tables(source(path=folder, tables={"reps": reps}))
    assert stated["reps"].equals(frames["reps"])
    with pytest.raises(DataSourceError, match=r"reps.csv: not utf-8 text \(byte \d+\); set the source's csv encoding"):
        read_tables(source(path=folder, csv={"encoding": "utf-8"}))


def test_xlsx_with_a_named_sheet(tmp_path):
    from openpyxl import Workbook

    folder = canonical_folder(tmp_path / "data")
    (folder / "deals.csv").unlink()
    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Opportunities")
    sheet.append(["Deal", "account_id", "owner_rep_id", "product", "stage", "currency", "amount", "Close", "created"])
    sheet.append(
        ["d1", "a1", "r1", "Core", "won", "EUR", 12500.5, pd.Timestamp("2026-11-20").date(), "2026-11-10T10:00:00Z"]
    )
    sheet.append([1001.0, "a2", "r2", "Core", "proposal", "EUR", 8000, None, "2026-11-12T11:00:00Z", None, None])
    book.save(folder / "export.xlsx")
    deals = {
        "file": "export.xlsx",
        "sheet": "Opportunities",
        "columns": {"Deal": "deal_id", "Close": ["expected_close_on", "closed_at"], "created": "created_at"},
    }
    frames, checksums = read_tables(source(path=folder, tables={"deals": deals}))
    assert frames["deals"]["deal_id"].tolist() == ["d1", "1001"]  # Excel's 1001.0 is still the id 1001
    assert frames["deals"]["amount"].tolist() == ["12500.5", "8000"]
    assert frames["deals"]["expected_close_on"].tolist() == ["2026-11-20", None]
    assert "export.xlsx" in checksums
    with pytest.raises(DataSourceError, match="export.xlsx: no sheet 'Deals'; its sheets are Notes, Opportunities"):
        read_tables(source(path=folder, tables={"deals": {**deals, "sheet": "Deals"}}))


def sqlite_crm(path: Path) -> str:
    with sqlite3.connect(path) as db:
        for name in TABLES:
            frame = pd.read_csv(GOOD / f"{name}.csv", dtype=str, keep_default_na=False)
            frame.to_sql(name, db, index=False)
        db.execute("CREATE TABLE opportunity (Id INTEGER, StageName TEXT, Amount REAL)")
        db.executemany("INSERT INTO opportunity VALUES (?, ?, ?)", [(1, "Closed Won", 12500.5), (2, None, None)])
    return f"sqlite:///{path}"


def test_sqlite_tables_and_queries(tmp_path):
    url = sqlite_crm(tmp_path / "crm.db")
    query = "SELECT d.*, o.StageName FROM deals d JOIN opportunity o ON o.Id = CAST(substr(d.deal_id, 2) AS INTEGER)"
    deals = {"query": query, "columns": {"StageName": "stage"}, "values": {"stage": {"Closed Won": "won"}}}
    frames, checksums = read_tables(source(url=url, tables={"deals": deals, "orders": {"table": "orders"}}))
    assert frames["deals"]["stage"].tolist() == ["won", None]
    assert len(frames["orders"]) == len(pd.read_csv(GOOD / "orders.csv")) and "deals.sql" in checksums
    check_tables(source(url=url, tables={"deals": deals}))
    with pytest.raises(DataSourceError, match=r"crm.db deals \(query\): the database refused: no such table: nope"):
        read_tables(source(url=url, tables={"deals": {"query": "SELECT * FROM nope"}}))


def test_database_password_comes_from_the_environment_never_the_file(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="the URL holds a password: remove it and set password_env: SALESPULSE_DB"):
        source(url="postgresql+psycopg://reports:secret@db.example/crm")
    url = sqlite_crm(tmp_path / "crm.db")
    monkeypatch.delenv("CRM_DB_PASSWORD", raising=False)
    with pytest.raises(DataSourceError, match=r"\$CRM_DB_PASSWORD is empty"):
        read_tables(source(url=url, password_env="CRM_DB_PASSWORD"))


def test_drop_folders_are_read_oldest_first_and_the_latest_drop_wins(tmp_path):
    for week in ("2026-W9", "2026-W10"):  # W10 is the later drop, though it sorts first as text
        canonical_folder(tmp_path / "drops" / week)
    later = tmp_path / "drops" / "2026-W10" / "deals.csv"
    later.write_text(later.read_text(encoding="utf-8").replace("d2,a2,r2,Core,proposal", "d2,a2,r2,Core,negotiation"))
    frames, checksums = read_tables(source(path=tmp_path / "drops", layout="drops"))
    plain = pd.read_csv(GOOD / "deals.csv", dtype=str)
    assert len(frames["deals"]) == len(plain) and frames["deals"]["deal_id"].is_unique
    assert frames["deals"].set_index("deal_id").loc["d2", "stage"] == "negotiation"
    assert {"2026-W9/deals.csv", "2026-W10/deals.csv"} <= set(checksums)


def test_absent_tables_are_empty_with_their_columns_and_a_missing_one_says_how_to_fix(tmp_path):
    folder = canonical_folder(tmp_path / "data")
    (folder / "orders.csv").unlink()
    with pytest.raises(DataSourceError, match="no orders.csv, orders.xlsx or orders.parquet; .* mark it absent: true"):
        read_tables(source(path=folder))
    frames, _ = read_tables(source(path=folder, tables={"orders": {"absent": True}}))
    assert frames["orders"].empty and list(frames["orders"].columns) == list(TABLES["orders"].columns)
    assert normalise(frames)["orders"].empty


def test_unmapped_column_and_ambiguous_dates_stop_with_one_line(tmp_path):
    folder = canonical_folder(tmp_path / "data")
    deals = folder / "deals.csv"
    deals.write_text(deals.read_text(encoding="utf-8").replace("stage,", "Stage Name,", 1))
    with pytest.raises(DataSourceError) as caught:
        check_tables(source(path=folder))
    assert "no column for deals.stage: map an export column to it" in str(caught.value)
    deals.write_text(
        deals.read_text(encoding="utf-8").replace("2026-11-20", "03/11/2026").replace("2026-12-05", "05/12/2026")
    )
    mapped = {"deals": {"columns": {"Stage Name": "stage"}}}
    with pytest.raises(DataSourceError) as caught:
        read_tables(source(path=folder, tables=mapped))
    assert "deals.csv: expected_close_on → expected_close_on: dates like '03/11/2026' are not ISO" in str(caught.value)
    assert "state their format as source.tables.deals.dates.expected_close_on: day-first" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "data_dir: is required but missing (or a source: block"),
        ({"data_dir": "d", "source": {"path": "d"}}, "give either data_dir (canonical files) or source"),
        (
            {"source": {"path": "d", "tables": {"deals": {"columns": {"X": "stage_name"}}}}},
            "'stage_name' is not a deals",
        ),
        ({"source": {"path": "d", "tables": {"deals": {"dates": {"created_at": "dd/mm"}}}}}, "unknown date format"),
        ({"source": {"path": "d", "layout": "drops", "url": "sqlite:///x.db"}}, "give either path"),
        ({"source": {"path": "d", "tables": {"reps": {"by_name": ["rep_id"]}}}}, "rep_id cannot be matched by name"),
    ],
)
def test_config_errors_name_the_key(tmp_path, changes, message):
    with pytest.raises(ConfigError) as caught:
        load_config(config_with(tmp_path, **changes))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_relative_paths_and_sqlite_files_are_taken_from_the_config_folder(tmp_path):
    settings = load_config(config_with(tmp_path, source={"url": "sqlite:///crm.db"}))
    assert settings.data_source().url == f"sqlite:///{tmp_path}/crm.db"
    settings = load_config(config_with(tmp_path, source={"path": "exports"}))
    data_source = settings.data_source()
    assert data_source.path == tmp_path / "exports" and data_source.currency == settings.currency
