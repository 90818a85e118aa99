"""Read the canonical tables from a data folder (one CSV or Parquet file per table) as text frames."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from flows.errors import DataSourceError
from transforms.schema import TABLES

SUFFIXES = (".csv", ".parquet")


def table_path(folder: Path, table: str) -> Path:
    for suffix in SUFFIXES:
        path = folder / f"{table}{suffix}"
        if path.exists():
            return path
    raise DataSourceError(
        f"{folder}: no {table}.csv or {table}.parquet; export the {table} table there (the README lists its columns)"
    )


def read_table(path: Path) -> pd.DataFrame:
    """Every column as text: typing is normalise's job, so bad values can be reported, not lost."""
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            return frame.astype("string").astype(object).where(frame.notna(), None)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataSourceError(f"{path}: the file is empty; export the table again with its header row") from None
    except UnicodeDecodeError as err:
        raise DataSourceError(f"{path}: not UTF-8 text (byte {err.start}); save the export as UTF-8 CSV") from None
    except (pd.errors.ParserError, ValueError, OSError) as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DataSourceError(f"{path}: cannot be read as {path.suffix[1:]} ({first_line})") from None


def read_tables(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """All canonical tables and the sha256 of each file they came from (for the report's lineage)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataSourceError(f"{folder}: data folder not found; set data_dir in the config or run `salespulse demo`")
    frames, checksums = {}, {}
    for table in TABLES:
        path = table_path(folder, table)
        frames[table] = read_table(path)
        checksums[path.name] = _sha256(path)
    return frames, checksums


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
