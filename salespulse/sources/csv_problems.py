"""What is wrong with a CSV export, in one line that names the file, the row or column, and the fix.

`salespulse.sources.tables` reads the files; this module words what it finds: a row with too many or too few fields, a
quote problem, a value over csv's field-size limit, text that is binary data, a roster with no rows.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NoReturn

from salespulse.errors import DataSourceError

SAVE_AS_CSV = "in Excel use Save As → CSV UTF-8"
# Control characters a text export does not hold (tab, line ends and form feed apart). In random bytes about
# a fifth of the characters are such; a real export may have a stray one in a note, not one in a hundred.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
BINARY_SHARE = 0.01
SAMPLE_CHARS = 1 << 16
# A quoted value: possessive, so a quote never closed costs one pass, not a backtrack per character.
QUOTED = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')


def check_text(path: Path, text: str) -> None:
    """Refuse decoded text that is binary data: otherwise csv reports a random quote or delimiter in it."""
    sample = text[:SAMPLE_CHARS]
    controls = len(CONTROL.findall(sample))
    if controls > BINARY_SHARE * len(sample):
        raise DataSourceError(
            f"{path}: binary data ({controls:,} control characters in its first {len(sample):,}), not CSV text; "
            f"export the table again as CSV ({SAVE_AS_CSV})"
        )


def too_many(path: Path, row: int, fields: list[str], expected: int) -> NoReturn:
    # pandas would shift such a row's values into the wrong columns, or take the first column as an index.
    cause = "a value likely holds a comma without quotes around it"
    if not any(value.strip() for value in fields[expected:]):  # a shifted row with an empty last value looks alike
        cause += ", or the row ends with an extra comma"
    raise DataSourceError(
        f"{path}: row {row} has {len(fields)} fields, the header {expected}: {cause}; "
        "fix that row or export the file again"
    )


def too_few(path: Path, row: int, fields: int, expected: int, truncated: bool) -> NoReturn:
    hint = (
        "the file looks truncated; export it again"
        if truncated
        else "every row needs a comma for each column, even an empty one; fix that row or export the file again"
    )
    raise DataSourceError(f"{path}: row {row} has {fields} of {expected} fields: {hint}")


def quote_problem(path: Path, text: str, row: int, reason: str, header: list[str] | None, delimiter: str) -> str:
    """The message for csv's error `reason` in the row that starts on file line `row`."""
    if "field larger" in reason:
        return _oversized(path, text, row, header, delimiter)
    # An open quote swallows the rest of the file and ends at EOF.
    if "end of data" in reason:
        return (
            f"{path}: row {row}: cannot be read as csv, a quoted value is never closed "
            "(the file may be truncated); export it again"
        )
    return (
        f"{path}: row {row}: a quote inside a value ({reason}); put quotes around the whole value "
        "and double the inner quote, or export the file again"
    )


def _oversized(path: Path, text: str, row: int, header: list[str] | None, delimiter: str) -> str:
    limit = csv.field_size_limit()
    found = _long_field(text, _line_start(text, row), delimiter, limit)
    if found is None:  # the scan lost the row's structure: a quote opened somewhere and never closed
        return (
            f"{path}: row {row}: a value longer than {limit:,} characters, the most a CSV value may hold, "
            "or a quote never closed; shorten that value in the CRM or export the file again"
        )
    index, length, quoted = found
    column = "the header" if header is None else f"column {_column_name(header, index)!r}"
    if length is None:
        return (
            f"{path}: row {row}, {column}: a quoted value is never closed (it runs to the end of the file, past "
            f"the {limit:,} characters a CSV value may hold); close the quote or export the file again"
        )
    hint = "; if it should be short, a quote in it is never closed" if quoted else ""
    return (
        f"{path}: row {row}, {column}: a value of {length:,} characters, more than the {limit:,} a CSV value may "
        f"hold; shorten it in the CRM or leave that column out of the export, then export again{hint}"
    )


def _column_name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) else f"column {index + 1}"


def _line_start(text: str, line: int) -> int:
    """The offset where file line `line` (1 = the first) starts; csv's line count is by \\n."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start


def _long_field(text: str, start: int, delimiter: str, limit: int) -> tuple[int, int | None, bool] | None:
    """(column index, length, quoted) of the first value over `limit` in the row at `start` (length None: a
    quote never closed), or None when the row does not split into values."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    column, position = 0, start
    while True:
        quoted = text.startswith('"', position)
        match = QUOTED.match(text, position) if quoted else unquoted.match(text, position)
        if match is None:  # only a quoted value can fail to match
            return column, None, True
        length = match.end() - position - (2 if quoted else 0)
        if length > limit:
            return column, length, quoted
        position = match.end()
        if not text.startswith(delimiter, position):
            return None
        column, position = column + 1, position + len(delimiter)


def has_rows(text: str) -> bool:
    """Whether anything but blank lines follows the first non-blank line (the header)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            rest = text[end:]
            return bool(rest) and not rest.isspace()
        start = end + 1
    return False


def empty_roster(where: Path | str, source_block: bool) -> DataSourceError:
    """A roster with no rows: every report needs the reps, whose team says whose report a deal is in."""
    fix = (
        "or build it from the deals' owners: source.tables.reps: {from_owners: deals}"
        if source_block
        else "or read the folder through a source: block that builds it from the deals' owners "
        "(tables.reps: {from_owners: deals})"
    )
    return DataSourceError(
        f"{where}: the reps table has no rows, only its header: every report needs the reps and their teams; "
        f"add them (export the roster again), {fix}"
    )
