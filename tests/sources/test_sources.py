import pandas as pd
import pytest

from salespulse.errors import DataSourceError
from salespulse.sources.load import read_tables
from salespulse.sources.tables import read_table
from salespulse.transforms.schema import TABLES


def write_all(folder, rows=1):
    folder.mkdir(exist_ok=True)
    for name, table in TABLES.items():
        pd.DataFrame({c: ["x"] * rows for c in table.columns}).to_csv(folder / f"{name}.csv", index=False)


def test_reads_every_table_as_text_with_checksums(tmp_path):
    write_all(tmp_path)
    frames, checksums = read_tables(tmp_path)
    assert set(frames) == set(TABLES)
    assert set(checksums) == {f"{n}.csv" for n in TABLES} and all(len(c) == 64 for c in checksums.values())


def test_parquet_is_read_as_text_too(tmp_path):
    path = tmp_path / "deals.parquet"
    pd.DataFrame({"deal_id": ["d1", None], "amount": [12.5, None]}).to_parquet(path)
    frame = read_table(path)
    assert frame["amount"].tolist() == ["12.5", None] and frame["deal_id"].tolist() == ["d1", None]


def test_utf8_bom_and_accents_survive(tmp_path):
    path = tmp_path / "reps.csv"
    path.write_bytes("rep_id,name\nr1,Ana Peña\nr2,Jürgen Müller\n".encode("utf-8-sig"))
    assert read_table(path).columns[0] == "rep_id"
    assert read_table(path)["name"].tolist() == ["Ana Peña", "Jürgen Müller"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b'rep_id,name\nr1,"unclosed\n', "cannot be read as csv"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(tmp_path, content, expected):
    path = tmp_path / "reps.csv"
    path.write_bytes(content)
    with pytest.raises(DataSourceError) as caught:
        read_table(path)
    assert str(caught.value).startswith(str(path)) and expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_folder_and_missing_table(tmp_path):
    with pytest.raises(DataSourceError, match="data folder not found"):
        read_tables(tmp_path / "nowhere")
    write_all(tmp_path)
    (tmp_path / "orders.csv").unlink()
    with pytest.raises(DataSourceError, match="no orders.csv or orders.parquet"):
        read_tables(tmp_path)
