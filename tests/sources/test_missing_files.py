"""A table's file missing, or a column name twice in a header: one line naming the file (and the column) and
the fix, exit 2 before anything runs; the pre-flight says word for word what the reader says."""

import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from salespulse.errors import DataSourceError
from salespulse.sources.load import check_tables, read_tables
from salespulse.sources.mapping_config import Source
from salespulse.transforms.schema import TABLES
from tests.flows.bad_file_corpus import CORPUS, data_folder, error_of
from tests.flows.cli_helpers import assert_one_line_error, salespulse
from tests.flows.configs import config_file

GOOD = CORPUS / "good"
DUPLICATE = "the column 'amount' appears 2 times; keep one (rename or delete the others)"
MISSING = {
    "deals": "no such file (nor deals.parquet); export the deals table there (the README lists its columns), "
    "or declare it absent in a source: block (tables.deals.absent: true)",
    "reps": "no such file (nor reps.parquet); export the reps table there (the README lists its columns): "
    "every report needs it, it says each rep's team",
}
# An unreachable API: if Prefect started, the run would fail loudly instead of stopping in the pre-flight.
NO_PREFECT = {"PREFECT_API_URL": "http://127.0.0.1:9/api", "PREFECT_CLIENT_MAX_RETRIES": "0"}


def with_second_amount(text: str) -> str:
    """The deals CSV with another `amount` column at the end: the header as a CRM export would repeat it."""
    lines = text.splitlines()
    return "\n".join([lines[0] + ",amount", *(line + ",1" for line in lines[1:] if line)]) + "\n"


def run(tmp_path: Path):
    return salespulse("run", "--config", str(config_file(tmp_path)), "--period", "2026-W47", env=NO_PREFECT)


def assert_nothing_written(tmp_path: Path) -> None:
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("table", ["deals", "reps"])
def test_a_missing_core_file_is_named_with_its_path_and_fix(tmp_path, table):
    folder = data_folder(tmp_path / "data")
    (folder / f"{table}.csv").unlink()
    assert error_of(folder) == f"{folder / f'{table}.csv'}: {MISSING[table]}"


@pytest.mark.parametrize("table", ["accounts", "leads", "activities", "orders"])
def test_another_missing_file_stops_the_run_as_before(tmp_path, table):
    """A data_dir cannot declare a table absent (README, Partial data): a missing file is still an error."""
    folder = data_folder(tmp_path / "data")
    (folder / f"{table}.csv").unlink()
    assert error_of(folder) == (
        f"{folder}: no {table}.csv or {table}.parquet; export the {table} table there (the README lists its columns)"
    )


def test_a_deleted_deals_csv_is_exit_2_with_one_line_before_anything_runs(tmp_path):
    (data_folder(tmp_path / "data") / "deals.csv").unlink()
    result = run(tmp_path)
    assert_one_line_error(result, 2, f"salespulse: {tmp_path / 'data' / 'deals.csv'}: {MISSING['deals']}")
    assert_nothing_written(tmp_path)


def test_deals_declared_absent_in_a_source_block_need_no_file(tmp_path):
    """The fix the message gives works: the same folder read through a source: block."""
    folder = data_folder(tmp_path / "data")
    (folder / "deals.csv").unlink()
    source = Source.model_validate({"path": folder, "tables": {"deals": {"absent": True}}})
    check_tables(source)
    frames, _ = read_tables(source)
    assert frames["deals"].empty and list(frames["deals"].columns) == list(TABLES["deals"].columns)


def test_a_column_twice_in_a_csv_header_is_named(tmp_path):
    folder = data_folder(tmp_path / "data")
    (folder / "deals.csv").write_text(with_second_amount((GOOD / "deals.csv").read_text(encoding="utf-8")))
    assert error_of(folder) == f"{folder / 'deals.csv'}: {DUPLICATE}"


def test_a_column_twice_is_exit_2_with_one_line_before_anything_runs(tmp_path):
    folder = data_folder(tmp_path / "data")
    (folder / "deals.csv").write_text(with_second_amount((GOOD / "deals.csv").read_text(encoding="utf-8")))
    result = run(tmp_path)
    assert_one_line_error(result, 2, f"salespulse: {folder / 'deals.csv'}: {DUPLICATE}")
    assert_nothing_written(tmp_path)


def test_the_first_repeated_name_is_named_with_its_count(tmp_path):
    folder = data_folder(tmp_path / "data")
    lines = (GOOD / "reps.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",team,email,team"  # rep_id,name,email,team,...: email twice and team three times
    (folder / "reps.csv").write_text("\n".join([header, *(line + ",x,y,z" for line in lines[1:])]) + "\n")
    assert error_of(folder) == (  # email is the first name of the header that comes again
        f"{folder / 'reps.csv'}: the column 'email' appears 2 times; keep one (rename or delete the others)"
    )
    (folder / "reps.csv").write_text("\n".join([lines[0] + ",team,team", *(ln + ",x,y" for ln in lines[1:])]) + "\n")
    assert error_of(folder) == (
        f"{folder / 'reps.csv'}: the column 'team' appears 3 times; keep one (rename or delete the others)"
    )


def test_blank_names_of_a_header_ending_in_commas_are_not_duplicates(tmp_path):
    folder = data_folder(tmp_path / "data")
    lines = (GOOD / "deals.csv").read_text(encoding="utf-8").splitlines()
    (folder / "deals.csv").write_text("\n".join([lines[0] + ",,", *(line + ",," for line in lines[1:])]) + "\n")
    check_tables(folder)
    frames, _ = read_tables(folder)
    assert frames["deals"]["deal_id"].tolist() == ["d1", "d2", "d3"]


def assert_refused_by_both(source: Source, message: str) -> None:
    """The pre-flight check and the reader give the same one line."""
    for read in (check_tables, read_tables):
        with pytest.raises(DataSourceError) as caught:
            read(source)
        assert str(caught.value) == message


def test_a_column_twice_in_a_source_blocks_semicolon_csv(tmp_path):
    folder = data_folder(tmp_path / "data")
    text = with_second_amount((GOOD / "deals.csv").read_text(encoding="utf-8")).replace(",", ";")
    (folder / "deals.csv").write_text(text)
    source = Source.model_validate({"path": folder})
    assert_refused_by_both(source, f"{folder / 'deals.csv'}: {DUPLICATE}")


def test_a_column_twice_in_an_xlsx_export(tmp_path):
    folder = data_folder(tmp_path / "data")
    (folder / "deals.csv").unlink()
    rows = pd.read_csv(GOOD / "deals.csv", dtype=str, keep_default_na=False).values.tolist()
    book = Workbook()
    sheet = book.active
    sheet.append([*TABLES["deals"].columns[:6], "amount", "amount", *TABLES["deals"].columns[7:]])
    for row in rows:
        sheet.append([*row[:7], row[6], *row[7:]])
    book.save(folder / "deals.xlsx")
    source = Source.model_validate({"path": folder})
    assert_refused_by_both(source, f"{folder / 'deals.xlsx'}: {DUPLICATE}")


def test_a_column_twice_in_a_parquet_file(tmp_path):
    folder = data_folder(tmp_path / "data")
    (folder / "deals.csv").unlink()
    frame = pd.read_csv(GOOD / "deals.csv", dtype=str, keep_default_na=False)
    arrays = [pa.array(frame[c]) for c in frame.columns] + [pa.array(frame["amount"])]
    pq.write_table(pa.Table.from_arrays(arrays, names=[*frame.columns, "amount"]), folder / "deals.parquet")
    assert error_of(folder) == f"{folder / 'deals.parquet'}: {DUPLICATE}"


def test_a_column_twice_in_a_query(tmp_path):
    database = tmp_path / "crm.db"
    with sqlite3.connect(database) as db:
        for name in TABLES:
            pd.read_csv(GOOD / f"{name}.csv", dtype=str, keep_default_na=False).to_sql(name, db, index=False)
    query = {"query": "SELECT d.*, d.amount FROM deals d"}
    source = Source.model_validate({"url": f"sqlite:///{database}", "tables": {"deals": query}})
    assert_refused_by_both(source, f"sqlite:///{database} deals (query): {DUPLICATE}")
