"""CSV files a spreadsheet opens as data: no cell of CRM text can run as a formula (OWASP, CSV injection).

Every CSV the tool writes for people goes through `csv_document`. A text cell that starts with = + - @ TAB
or CR gets a leading apostrophe, which Excel, LibreOffice and Google Sheets read as "this is text" and do not
show. Numbers are never touched: the tool writes its own numbers as int/float, never as text, so only text
can carry a CRM value, and a negative change stays a number a spreadsheet can sum. A text cell that merely
looks like a number ("+1", "-5.2" as a product name) is escaped too: it is a name, and kept as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """The cell as a spreadsheet should show it: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_document(columns: list[str], rows: Iterable[Mapping[str, object]]) -> str:
    """The header and rows as CSV text, every cell through `inert`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: inert(row.get(column, "")) for column in columns} for row in rows)
    return buffer.getvalue()
