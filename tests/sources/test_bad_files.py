"""Bad export files: one line naming the file, the row or column, and what to do; nothing else happens.

The corpus in tests/data/bad_files holds six good tables (good/) and one broken file per case; each test
copies the good folder and puts one broken file in place of its table.
"""

import zipfile
from pathlib import Path

import pytest

from salespulse.errors import DataSourceError
from salespulse.sources.load import check_tables, read_tables
from salespulse.sources.tables import check_columns, read_table
from tests.flows.bad_file_corpus import CORPUS, data_folder, error_of
from tests.flows.cli_helpers import assert_one_line_error, salespulse
from tests.flows.configs import config_file

SAVE_AS = "in Excel use Save As → CSV UTF-8"
SAVE_COMMAS = "save it comma-separated, or read it through a source: block, which detects the delimiter"
DEALS_HEADER = "deal_id, account_id, owner_rep_id, product, stage, currency"


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("deals_empty.csv", ": the file is empty (0 bytes); export the table again with its header row"),
        (
            "deals_whitespace.csv",
            ": the file is empty (only blank space, no header row); export the table again with its header row",
        ),
        (
            "deals_semicolon.csv",
            f": looks ';'-separated; {SAVE_COMMAS}",
        ),
        (
            "deals_tab.csv",
            f": looks tab-separated; {SAVE_COMMAS}",
        ),
        # Excel's "Unicode Text" is UTF-16 and tab-separated: decoded, then caught as tab-separated.
        (
            "deals_utf16.csv",
            f": looks tab-separated; {SAVE_COMMAS}",
        ),
        ("deals_is_xlsx.csv", f" is an Excel workbook (.xlsx), not CSV text: {SAVE_AS}"),
        ("deals_is_xls.csv", f" is an Excel workbook (.xls), not CSV text: {SAVE_AS}"),
        (
            "deals_gzip.csv",
            f": binary data (a NUL byte at offset 3), not CSV text; export the table again as CSV ({SAVE_AS})",
        ),
        (
            "deals_truncated_quote.csv",
            ": row 4: cannot be read as csv, a quoted value is never closed (the file may be truncated); "
            "export it again",
        ),
        ("deals_truncated_row.csv", ": row 4 has 5 of 10 fields: the file looks truncated; export it again"),
        (
            "deals_short_row.csv",
            ": row 3 has 5 of 10 fields: every row needs a comma for each column, even an empty one; "
            "fix that row or export the file again",
        ),
        (
            "deals_extra_field.csv",
            ": row 3 has 11 fields, the header 10: a value likely holds a comma without quotes around it; "
            "fix that row or export the file again",
        ),
        (
            "deals_trailing_commas.csv",
            ": row 2 has 11 fields, the header 10: a value likely holds a comma without quotes around it, "
            "or the row ends with an extra comma; "
            "fix that row or export the file again",
        ),
        (
            "deals_stray_quote.csv",
            ": row 3: a quote inside a value (',' expected after '\"'); put quotes around the whole value "
            "and double the inner quote, or export the file again",
        ),
        (
            "deals_missing_column.csv",
            f": no column 'amount' (found: {DEALS_HEADER}, expected_close_on, created_at, closed_at); "
            "rename the export's column to amount (the README lists the columns)",
        ),
        ("deals_renamed_column.csv", ": no column 'amount'; found 'Amount': rename it to amount"),
        (
            "deals_renamed_columns.csv",
            ": no columns 'deal_id', 'stage' (found: Deal ID, account_id, owner_rep_id, product, deal-stage, "
            "currency, amount, expected_close_on, created_at, closed_at); found 'Deal ID': rename it to deal_id; "
            "rename the export's column to stage (the README lists the columns)",
        ),
    ],
    ids=lambda value: value.removesuffix(".csv") if value.endswith(".csv") else "",
)
def test_a_bad_file_gives_one_line_naming_it_and_what_to_do(tmp_path, broken, expected):
    folder = data_folder(tmp_path / "data", broken)
    assert error_of(folder) == f"{folder / 'deals.csv'}{expected}"


def test_the_good_corpus_reads_and_passes_the_pre_flight(tmp_path):
    folder = data_folder(tmp_path / "data")
    check_tables(folder)
    frames, checksums = read_tables(folder)
    assert frames["deals"]["deal_id"].tolist() == ["d1", "d2", "d3"]
    assert set(checksums) == {path.name for path in folder.iterdir()}


def test_the_xlsx_in_the_corpus_is_a_real_workbook():
    with zipfile.ZipFile(CORPUS / "deals_is_xlsx.csv") as book:
        assert book.testzip() is None and "xl/worksheets/sheet1.xml" in book.namelist()


@pytest.mark.parametrize("broken", ["reps_latin1.csv", "reps_bom.csv"])
def test_latin1_and_utf8_bom_names_survive(tmp_path, broken):
    frames, _ = read_tables(data_folder(tmp_path / "data", broken))
    assert frames["reps"].columns[0] == "rep_id"
    assert frames["reps"]["name"].tolist() == ["Ana Peña", "Jürgen Müller", "José Álvarez"]


def test_cp1252_letters_and_punctuation_survive(tmp_path):
    frames, _ = read_tables(data_folder(tmp_path / "data", "deals_cp1252.csv"))
    assert frames["deals"]["product"].tolist()[0] == "Café – Premium"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    frame = read_table(CORPUS / "reps_latin1_c1.csv")
    assert frame["name"].tolist() == ["Ana Peña", "Jürgen Müller", "José Álvarez", "Zoë\x81"]


def test_unparseable_values_are_read_as_text_for_the_quality_gate(tmp_path):
    frames, _ = read_tables(data_folder(tmp_path / "data", "deals_bad_values.csv"))
    row = frames["deals"].iloc[0]
    assert (row["amount"], row["expected_close_on"]) == ("12.500,50 €", "20/11/26")


def test_extra_columns_are_fine_and_a_long_header_is_cut_short(tmp_path):
    check_columns(Path("deals.csv"), "reps", ["rep_id", "name", "email", "team", "hired_on", "left_on", "notes"])
    with pytest.raises(DataSourceError) as caught:
        check_columns(Path("reps.csv"), "reps", [f"col{i}" for i in range(60)])
    assert ", col19, … (60 in all)); rename the export's columns to rep_id, name," in str(caught.value)


def test_missing_table_still_named(tmp_path):
    folder = data_folder(tmp_path / "data")
    (folder / "orders.csv").unlink()
    assert "no orders.csv or orders.parquet" in error_of(folder)


def test_cli_stops_on_a_bad_file_before_anything_runs(tmp_path):
    """Needs salespulse/cli/app.py to call `check_tables(settings.data_dir)` before Prefect starts."""
    data_folder(tmp_path / "data", "deals_semicolon.csv")
    earlier = tmp_path / "out" / "reports" / "north" / "2026-W46" / "report.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"<html>last week's report</html>")
    # An unreachable API: if Prefect started, the run would fail loudly instead of passing.
    env = {"PREFECT_API_URL": "http://127.0.0.1:9/api", "PREFECT_CLIENT_MAX_RETRIES": "0"}
    result = salespulse("run", "--config", str(config_file(tmp_path)), "--period", "2026-W47", env=env)
    assert_one_line_error(result, 2, f"salespulse: {tmp_path / 'data' / 'deals.csv'}: looks ';'-separated")
    assert earlier.read_bytes() == b"<html>last week's report</html>"
    assert not list((tmp_path / "out").rglob("*.eml")) and not (tmp_path / "out" / "state").exists()
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")) == [
        "reports",
        "reports/north",
        "reports/north/2026-W46",
        "reports/north/2026-W46/report.html",
    ]
