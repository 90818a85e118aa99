"""Three exports that used to get a misleading message (issue 25), each now one line naming the file and the
fix, exit 2, from the real `salespulse` command before Prefect starts: a value over csv's field-size limit,
a binary file named .csv, and a roster with no rows.

The data folder is the good corpus of tests/data/bad_files with one file replaced, as tests/flows/
test_bad_files.py builds it; the source block is tests/data/crm/salesforce with a header-only User.csv.
"""

import csv
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from salespulse.errors import EXIT_USAGE, DataSourceError
from salespulse.sources.load import check_tables, read_tables
from salespulse.sources.tables import read_table
from tests.flows.crm_helpers import CRM, salespulse

GOOD = Path(__file__).resolve().parents[1] / "data" / "bad_files" / "good"
LIMIT = csv.field_size_limit()  # 131,072: Python's default, which salespulse keeps
SALESFORCE = {"preset": "salesforce", "tables": {"reps": {"values": {"team": {"North America": "north"}}}}}


@pytest.fixture(autouse=True)
def no_prefect(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreachable API: had Prefect started, the run would fail with another message and exit code."""
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")


def data_folder(tmp_path: Path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data")


def config(tmp_path: Path, **source: object) -> Path:
    settings = {
        "company": "Acme",
        "currency": "USD",
        "output_dir": str(tmp_path / "out"),
        "data_owners": ["data@example.com"],
        "teams": [{"id": "north", "name": "North", "recipients": ["north@example.com"]}],
        **({"source": source} if source else {"data_dir": str(tmp_path / "data")}),
    }
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def run_error(config_path: Path) -> str:
    """The one line `salespulse run` prints, after asserting exit 2 and no traceback."""
    result = salespulse("run", "--config", str(config_path), "--period", "2026-W47")
    assert result.returncode == EXIT_USAGE, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    return lines[0]


def with_product(folder: Path, product: str) -> Path:
    """deals.csv with its second deal's product replaced by `product`, written as given (no quoting added)."""
    path = folder / "deals.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[2].split(",")
    fields[3] = product
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_50_mb_value_is_named_as_over_the_field_size_limit(tmp_path):
    deals = with_product(data_folder(tmp_path), "x" * 50_000_000)
    assert run_error(config(tmp_path)) == (
        f"salespulse: {deals}: row 3, column 'product': a value of 50,000,000 characters, more than the 131,072 "
        "a CSV value may hold; shorten it in the CRM or leave that column out of the export, then export again"
    )


def test_a_long_quoted_value_and_a_quote_never_closed_are_told_apart(tmp_path):
    folder = data_folder(tmp_path)
    deals = with_product(folder, '"' + "y" * (LIMIT + 1) + '"')
    with pytest.raises(DataSourceError) as caught:
        check_tables(folder)
    assert str(caught.value) == (
        f"{deals}: row 3, column 'product': a value of 131,073 characters, more than the 131,072 a CSV value may "
        "hold; shorten it in the CRM or leave that column out of the export, then export again; if it should be "
        "short, a quote in it is never closed"
    )
    with_product(folder, '"Widget')  # the rest of the file, and a long tail, is inside the quote
    deals.write_text(deals.read_text(encoding="utf-8") + ("z" * 1_000 + "\n") * 200, encoding="utf-8")
    with pytest.raises(DataSourceError) as caught:
        read_tables(folder)
    assert str(caught.value) == (
        f"{deals}: row 3, column 'product': a quoted value is never closed (it runs to the end of the file, past "
        "the 131,072 characters a CSV value may hold); close the quote or export the file again"
    )


def test_random_bytes_without_a_nul_are_called_binary_not_a_quote_problem(tmp_path):
    folder = data_folder(tmp_path)
    noise = bytes(b for b in random.Random(25).randbytes(4_096) if b)  # the NUL check alone would miss it
    (folder / "deals.csv").write_bytes(noise)
    line = run_error(config(tmp_path))
    assert line.startswith(f"salespulse: {folder / 'deals.csv'}: binary data (")
    assert line.endswith("), not CSV text; export the table again as CSV (in Excel use Save As → CSV UTF-8)")


def test_a_stray_control_character_in_a_real_export_still_reads(tmp_path):
    folder = data_folder(tmp_path)
    with_product(folder, "Widget\x0b")  # a vertical tab pasted into a CRM field
    assert "Widget\x0b" in read_table(folder / "deals.csv")["product"].tolist()


def test_a_header_only_reps_csv_says_the_roster_is_empty(tmp_path):
    folder = data_folder(tmp_path)
    reps = folder / "reps.csv"
    reps.write_text(reps.read_text(encoding="utf-8").splitlines()[0] + "\n\n", encoding="utf-8")
    assert run_error(config(tmp_path)) == (
        f"salespulse: {reps}: the reps table has no rows, only its header: every report needs the reps and their "
        "teams; add them (export the roster again), or read the folder through a source: block that builds it "
        "from the deals' owners (tables.reps: {from_owners: deals})"
    )


def test_a_header_only_reps_parquet_says_the_same(tmp_path):
    folder = data_folder(tmp_path)
    pd.read_csv(folder / "reps.csv", dtype=str).head(0).to_parquet(folder / "reps.parquet")
    (folder / "reps.csv").unlink()
    with pytest.raises(DataSourceError, match=r"reps\.parquet: the reps table has no rows, only its header"):
        check_tables(folder)


def test_a_header_only_user_csv_in_a_source_block_points_to_from_owners(tmp_path):
    export = shutil.copytree(CRM / "salesforce", tmp_path / "export")
    users = export / "User.csv"
    users.write_text(users.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8")
    expected = (
        f"{users}: the reps table has no rows, only its header: every report needs the reps and their teams; "
        "add them (export the roster again), or build it from the deals' owners: source.tables.reps: "
        "{from_owners: deals}"
    )
    path = config(tmp_path, path=str(export), **SALESFORCE)
    assert run_error(path) == f"salespulse: {expected}"
    checked = salespulse("check-config", "--config", str(path))
    assert checked.returncode == EXIT_USAGE and f"salespulse: reps: {expected}" in checked.stderr.splitlines()
