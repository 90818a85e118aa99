"""Read the canonical tables from a data folder (one CSV or Parquet file per table) as text frames.

Every problem with a file is a `DataSourceError` of one line naming the file, the row or column, and
what to do. `check_tables` runs the same checks without building frames, so the CLI can call it before
Prefect starts and a bad export costs no seconds, no state and no email.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from salespulse.errors import DataSourceError
from salespulse.sources.csv_problems import (
    SAVE_AS_CSV,
    check_text,
    has_rows,
    quote_problem,
    too_few,
    too_many,
)
from salespulse.sources.plain_csv import as_str, plain_table
from salespulse.transforms.schema import TABLES

if TYPE_CHECKING:
    pass

SUFFIXES = (".csv", ".parquet")
DELIMITERS = (";", "\t", "|")
MAX_SHOWN = 20  # header names listed in a message; CRM exports can have a hundred columns
# First bytes of formats people save under a .csv name by mistake.
SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an Excel workbook (.xls)",
}


# The tables a report stands on: a missing one is named by its path, with the fix. A missing file of another
# table is an error too (a data_dir cannot declare a table absent; a source: block can), in its own words.
LISTS_COLUMNS = "(the README lists its columns)"
CORE_TABLES = {
    "reps": f"export the reps table there {LISTS_COLUMNS}: every report needs it, it says each rep's team",
    "deals": f"export the deals table there {LISTS_COLUMNS}, or declare it absent in a source: block "
    "(tables.deals.absent: true)",
}


def table_path(folder: Path, table: str) -> Path:
    for suffix in SUFFIXES:
        path = folder / f"{table}{suffix}"
        if path.exists():
            return path
    if table in CORE_TABLES:
        raise DataSourceError(f"{folder / f'{table}.csv'}: no such file (nor {table}.parquet); {CORE_TABLES[table]}")
    raise DataSourceError(
        f"{folder}: no {table}.csv or {table}.parquet; export the {table} table there (the README lists its columns)"
    )


def read_table(path: Path) -> pd.DataFrame:
    """Every column as text: typing is normalise's job, so bad values can be reported, not lost."""
    path = Path(path)
    if path.suffix == ".parquet":
        parquet_columns(path)  # a column name twice: named as in a CSV, not in pandas' words
        try:
            frame = pd.read_parquet(path)
        except (ValueError, OSError) as err:
            raise DataSourceError(f"{path}: cannot be read as parquet ({first_line(err)})") from None
        return frame.astype("string").astype(object).where(frame.notna(), None)
    return text_frame(path, csv_text(path))


def text_frame(path: Path, text: str, delimiter: str = ",") -> pd.DataFrame:
    """A CSV file's decoded text as a frame of text columns, once its rows are checked."""
    plain = plain_table(text) if delimiter == "," else None
    if plain is not None:  # the common case, read in C++ by Arrow: what read_csv below returns, no per-row check
        return plain.to_pandas(types_mapper=as_str)
    _check_each_row(path, text, delimiter)
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:  # the row checks should have said why; never a traceback
        raise DataSourceError(f"{path}: cannot be read as csv ({first_line(err)}); export it again") from None


def table_has_rows(path: Path, text: str | None) -> bool:
    """Whether a CSV's text (or, with None, the parquet file at `path`) has a row below its header."""
    if text is not None:
        return has_rows(text)
    import pyarrow.parquet as pq  # the footer only

    return bool(pq.read_metadata(path).num_rows)


def csv_text(path: Path, encoding: str = "auto") -> str:
    """The file decoded, or a one-line reason why it is not CSV text at all."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataSourceError(f"{path}: cannot be read ({err.strerror or type(err).__name__})") from None
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            raise DataSourceError(f"{path} is {kind}, not CSV text: {SAVE_AS_CSV}")
    if not data:
        raise DataSourceError(f"{path}: the file is empty (0 bytes); export the table again with its header row")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text": UTF-16 with a byte-order mark
        text = data.decode("utf-16")
    elif (nul := data.find(b"\x00")) >= 0:
        raise DataSourceError(
            f"{path}: binary data (a NUL byte at offset {nul}), not CSV text; "
            f"export the table again as CSV ({SAVE_AS_CSV})"
        )
    else:
        text = _decode(data) if encoding == "auto" else _decode_as(path, data, encoding)
    check_text(path, text)
    if not text or text.isspace():  # not text.strip(): that copies the whole export to find out
        raise DataSourceError(
            f"{path}: the file is empty (only blank space, no header row); export the table again with its header row"
        )
    return text


def _decode(data: bytes) -> str:
    # Exports are UTF-8 (maybe with Excel's BOM) or, from older Windows tools, cp1252; latin-1 letters
    # are the same bytes in cp1252. latin-1 decodes anything, so it catches cp1252's five undefined bytes.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _decode_as(path: Path, data: bytes, encoding: str) -> str:
    # A stated UTF-8 still drops Excel's byte-order mark, which would otherwise stick to the first column name.
    codec = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise DataSourceError(
            f"{path}: not {encoding} text (byte {err.start}); set the source's csv encoding to auto or to the "
            "file's encoding (utf-8, cp1252)"
        ) from None


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most fields; a comma when none splits it."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in (",", *DELIMITERS)}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def check_rows(path: Path, text: str, delimiter: str = ",") -> list[str]:
    """The header, once every row has as many fields as it and no quote is left open. Single-threaded: the
    CLI's pre-flight exits at once after a bad file (see plain_table)."""
    if delimiter == "," and (plain := plain_table(text, threads=False)) is not None:
        return plain.column_names
    return _check_each_row(path, text, delimiter)


def _check_each_row(path: Path, text: str, delimiter: str) -> list[str]:
    """check_rows by csv.reader, row by row: slow, but it names the row and what is wrong with it."""
    # strict: a quote still open at EOF is an error
    reader = csv.reader(io.StringIO(text), strict=True, delimiter=delimiter)
    header: list[str] | None = None
    last: tuple[int, int] | None = None  # (row, fields) of the last non-blank row, checked for truncation
    line = 0
    try:
        for fields in reader:
            row, line = line + 1, reader.line_num  # file line where this row starts, as an editor shows it
            if not fields:
                continue  # blank line: pandas skips it too
            if header is None:
                header = _header(path, fields, delimiter)
                continue
            if len(fields) > len(header):
                too_many(path, row, fields, len(header))
            if last and last[1] < len(header):
                too_few(path, *last, len(header), truncated=False)
            last = (row, len(fields))
    except csv.Error as err:
        raise DataSourceError(quote_problem(path, text, line + 1, str(err), header, delimiter)) from None
    if header is None:  # only blank lines, which `csv_text` already caught
        raise DataSourceError(f"{path}: no header row; export the table again with its header row")
    if last and last[1] < len(header):
        too_few(path, *last, len(header), truncated=True)
    return header


def _header(path: Path, fields: list[str], expected: str = ",") -> list[str]:
    # A ';'- or tab-separated export read as CSV is one column whose name holds every column name.
    if len(fields) == 1:
        counts = {d: fields[0].count(d) for d in (",", *DELIMITERS) if d != expected}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter]:
            shown = "tab" if delimiter == "\t" else repr(delimiter)
            raise DataSourceError(
                f"{path}: looks {shown}-separated; save it comma-separated, "
                "or read it through a source: block, which detects the delimiter"
            )
    return check_distinct(path, fields)


def check_distinct(where: Path | str, names: list[str]) -> list[str]:
    """The header, unless a column name appears more than once: pandas would read the second `amount` as
    `amount.1`, which nothing reads, so one of the two would be silently ignored. Blank names are left to
    the reader (a header ending in commas)."""
    counts = Counter(name for name in names if name.strip())
    twice = next((name for name, count in counts.items() if count > 1), None)  # the first, in header order
    if twice is not None:
        raise DataSourceError(
            f"{where}: the column {twice!r} appears {counts[twice]} times; keep one (rename or delete the others)"
        )
    return names


def check_columns(path: Path, table: str, found: list[str]) -> None:
    """Every column of the canonical table is in the header; extra columns are fine (ignored later)."""
    missing = [column for column in TABLES[table].columns if column not in found]
    if not missing:
        return
    unknown = [name for name in found if name not in TABLES[table].columns]
    near = {column: near_name(column, unknown) for column in missing}
    label = "column" if len(missing) == 1 else "columns"
    message = f"{path}: no {label} {', '.join(map(repr, missing))}"
    fixes = [f"found {near[c]!r}: rename it to {c}" for c in missing if near[c]]
    rest = [c for c in missing if not near[c]]
    if rest:
        shown = ", ".join(found[:MAX_SHOWN]) + (f", … ({len(found)} in all)" if len(found) > MAX_SHOWN else "")
        message += f" (found: {shown})"
        fixes.append(
            f"rename the export's column{'s' if len(rest) > 1 else ''} to {', '.join(rest)} "
            "(the README lists the columns)"
        )
    raise DataSourceError(f"{message}; {'; '.join(fixes)}")


def near_name(column: str, candidates: list[str]) -> str | None:
    """A header name that differs from `column` only in case, spacing, dashes or underscores."""
    key = _squash(column)
    return next((name for name in candidates if _squash(name) == key), None)


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.lower().removeprefix("\ufeff"))


def parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq  # only the schema: the pre-flight reads no rows

    try:
        names = list(pq.read_schema(path).names)
    except (ValueError, OSError) as err:
        raise DataSourceError(f"{path}: cannot be read as parquet ({first_line(err)})") from None
    return check_distinct(path, names)


def data_folder(folder: Path) -> Path:
    folder = Path(folder)
    if not folder.is_dir():
        raise DataSourceError(f"{folder}: data folder not found; set data_dir in the config or run `salespulse demo`")
    return folder


def first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
