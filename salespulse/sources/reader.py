"""Rows of a `source:` block as they are in the export, every value as text: CSV, XLSX, Parquet, or SQL.

A folder holds either one full-history export per table (layout: export) or one sub-folder per period
(layout: drops, e.g. drops/2026-W47/deals.csv): every drop is read, oldest first, and the mapping step keeps
the latest row per key. Errors are one `DataSourceError` line naming the file or table.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from salespulse.errors import DataSourceError
from salespulse.sources.csv_problems import empty_roster
from salespulse.sources.mapping_config import CsvOptions, Reading, Source
from salespulse.sources.tables import (
    check_distinct,
    check_rows,
    csv_text,
    detect_delimiter,
    first_line,
    parquet_columns,
    read_table,
    sha256_of,
    table_has_rows,
    text_frame,
)

DEFAULT_SUFFIXES = (".csv", ".xlsx", ".parquet")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class RawTable:
    frame: pd.DataFrame
    label: str  # the file(s) or query it came from, for messages
    checksums: dict[str, str] = field(default_factory=dict)


def read_raw(source: Source, name: str, reading: Reading, lookup: bool = False) -> RawTable:
    """One table as the export has it, drops concatenated oldest first; a lookup from the folder itself."""
    if source.url:
        return _read_sql(source, name, reading)
    paths = table_files(source, name, reading, lookup)
    frames = [read_file(path, reading, reading.csv or source.csv) for path in paths]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame = frame.astype(object).where(frame.notna(), None)  # drops with different columns leave NaN
    checksums = {_relative(source, path): sha256_of(path) for path in paths}
    label = ", ".join(_relative(source, p) for p in paths)
    if name == "reps" and not lookup and frame.empty:
        raise empty_roster(paths[0] if len(paths) == 1 else label, source_block=True)
    return RawTable(frame=frame, label=label, checksums=checksums)


def raw_headers(source: Source, name: str, reading: Reading, lookup: bool = False) -> list[tuple[str, list[str]]]:
    """(label, header) of every file or query a table comes from, reading no more than that where it can."""
    if source.url:
        raw = _read_sql(source, name, reading, limit=0)
        return [(raw.label, [str(c) for c in raw.frame.columns])]
    options = reading.csv or source.csv
    files = table_files(source, name, reading, lookup)
    headers = [(str(path), _file_header(path, reading, options)) for path in files]
    if name == "reps" and not lookup and not any(_file_has_rows(path, reading, options) for path in files):
        raise empty_roster(files[0] if len(files) == 1 else ", ".join(_relative(source, p) for p in files), True)
    return headers


def table_files(source: Source, name: str, reading: Reading, lookup: bool = False) -> list[Path]:
    """The file of a table, or of each drop; a lookup (a price list) is reference data beside the drops."""
    folder = _folder(source)
    if source.layout == "export" or lookup:
        found = _find(folder, name, reading)
        if found is None:
            fix = f"put it there or set source.lookups.{name}.file" if lookup else _fix(name)
            raise DataSourceError(f"{folder}: {_wanted(name, reading)}; {fix}")
        return [found]
    drops = sorted((d for d in folder.iterdir() if d.is_dir()), key=lambda d: natural_key(d.name))
    found = [path for drop in drops if (path := _find(drop, name, reading)) is not None]
    if not found:
        raise DataSourceError(f"{folder}: no drop folder has {_wanted(name, reading)[3:]}; {_fix(name)}")
    return found


def _folder(source: Source) -> Path:
    assert source.path is not None
    if not source.path.is_dir():
        raise DataSourceError(f"{source.path}: source folder not found; set source.path in the config")
    return source.path


def _find(folder: Path, name: str, reading: Reading) -> Path | None:
    if reading.file is None:
        return next((p for s in DEFAULT_SUFFIXES if (p := folder / f"{name}{s}").exists()), None)
    matches = sorted(folder.glob(reading.file))
    if len(matches) > 1:
        shown = ", ".join(p.name for p in matches[:5])
        raise DataSourceError(
            f"{folder}: {len(matches)} files match {reading.file!r} ({shown}); keep one, "
            "or put each period's export in its own folder and set layout: drops"
        )
    return matches[0] if matches else None


def _wanted(name: str, reading: Reading) -> str:
    return f"no {reading.file}" if reading.file else f"no {name}.csv, {name}.xlsx or {name}.parquet"


def _fix(name: str) -> str:
    if name == "reps":  # Salesforce exports often come without User.csv: the deals' owners make a roster
        return (
            "export the reps table there (the roster: Salesforce's User.csv), set source.tables.reps.file, or build "
            "it from the deals' owners: source.tables.reps: {from_owners: deals}"
        )
    return f"export the {name} table there, set source.tables.{name}.file, or mark it absent: true"


def natural_key(name: str) -> list[Any]:
    # 2026-W9 before 2026-W10, as a person reads them.
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _relative(source: Source, path: Path) -> str:
    assert source.path is not None
    return path.relative_to(source.path).as_posix()


def read_file(path: Path, reading: Reading, options: CsvOptions) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_xlsx(path, reading.sheet)
    if suffix == ".parquet":
        return read_table(path)
    text = csv_text(path, options.encoding)
    return text_frame(path, text, detect_delimiter(text) if options.delimiter == "auto" else options.delimiter)


def _file_header(path: Path, reading: Reading, options: CsvOptions) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return [str(c) for c in _read_xlsx(path, reading.sheet, header_only=True).columns]
    if suffix == ".parquet":
        return parquet_columns(path)
    text = csv_text(path, options.encoding)
    return check_rows(path, text, detect_delimiter(text) if options.delimiter == "auto" else options.delimiter)


def _file_has_rows(path: Path, reading: Reading, options: CsvOptions) -> bool:
    """Whether a file has a row below its header; the roster's check, whose files are small."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return not _read_xlsx(path, reading.sheet).empty
    return table_has_rows(path, None if suffix == ".parquet" else csv_text(path, options.encoding))


def _read_xlsx(path: Path, sheet: str | None, header_only: bool = False) -> pd.DataFrame:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)  # data_only: a formula's value, not its text
    except (InvalidFileException, BadZipFile, OSError, KeyError) as err:
        raise DataSourceError(f"{path}: cannot be read as an Excel workbook ({first_line(err)})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataSourceError(f"{path}: no sheet {sheet!r}; its sheets are {', '.join(book.sheetnames)}")
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        header = next((row for row in rows if any(v not in (None, "") for v in row)), None)
        if header is None:
            raise DataSourceError(f"{path}: the sheet {sheet or book.sheetnames[0]!r} is empty")
        width = max(i for i, v in enumerate(header) if v not in (None, "")) + 1  # Excel's used range runs wider
        names = check_distinct(path, [cell_text(v) or f"column {i + 1}" for i, v in enumerate(header[:width])])
        body = [] if header_only else [[cell_text(v) for v in row[:width]] for row in rows]
    finally:
        book.close()
    body = [row + [None] * (width - len(row)) for row in body if any(v is not None for v in row)]
    return pd.DataFrame(body, columns=names, dtype=object)


def cell_text(value: object) -> str | None:
    """A spreadsheet or database value as the text a CSV export would hold."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1001 as 1001.0: an id must not become "1001.0"
    if isinstance(value, datetime) and value.tzinfo is None and value == datetime.combine(value.date(), time()):
        return value.date().isoformat()  # Excel has no date type: a date is a datetime at midnight
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _read_sql(source: Source, name: str, reading: Reading, limit: int | None = None) -> RawTable:
    """The rows of a query or table; `limit=0`: the header only (the query still runs: a bad one shows)."""
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    whole = sa.select(sa.text("*")).select_from(sa.table(reading.table or name))
    statement = sa.text(reading.query) if reading.query else whole
    label = f"{_safe_url(source)} {name} ({'query' if reading.query else reading.table or name})"
    try:
        with _engine(source).connect() as connection:
            result = connection.execute(statement)
            columns = [str(c) for c in result.keys()]  # noqa: SIM118 - a Result, not a dict
            rows = result.fetchall() if limit is None else []
    except SQLAlchemyError as err:
        reason = first_line(getattr(err, "orig", None) or err)
        raise DataSourceError(f"{label}: the database refused: {reason}") from None
    check_distinct(label, columns)  # SELECT a.id, b.id: say which, not the mapping's confusion later
    frame = pd.DataFrame([[cell_text(v) for v in row] for row in rows], columns=columns, dtype=object)
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()
    return RawTable(frame=frame, label=label, checksums={f"{name}.sql": digest})


def _engine(source: Source) -> Any:
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    assert source.url is not None
    url = sa.engine.make_url(source.url)
    if source.password_env:
        password = os.environ.get(source.password_env)
        if not password:
            raise DataSourceError(f"source.password_env is set but ${source.password_env} is empty; export it")
        url = url.set(password=password)
    try:
        return sa.create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise DataSourceError(
            f"{_safe_url(source)}: no database driver ({first_line(err)}); install it, e.g. pip install psycopg"
        ) from None


def _safe_url(source: Source) -> str:
    from sqlalchemy.engine import make_url

    return make_url(source.url or "").render_as_string(hide_password=True)
