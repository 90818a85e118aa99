"""Plain CSV exports (no quotes anywhere, the usual CRM export) read by Arrow's C++ reader.

`plain_table(text)` gives the same text columns as `pd.read_csv(..., dtype=str, keep_default_na=False)`
after `sources.check_rows` found nothing wrong, in C++ and without a Python loop per row.
It declines (None) whatever it cannot vouch for: quotes, lone carriage returns, a header of one column,
duplicate or empty names, a row whose fields do not match the header, an over-long field. Those files take
`sources`' own path, whose checks name the file, row and fix.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd


def _plain_header(text: str) -> list[str] | None:
    """The first non-blank line split on commas, if the text has no quotes and only \n or \r\n line ends
    (then that is what csv.reader makes of it) and its names are distinct and not empty."""
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if line := text[start:end].rstrip("\r"):
            header = line.split(",")
            return header if len(header) > 1 and len(set(header)) == len(header) and all(header) else None
        start = end + 1
    return None


def plain_table(text: str, threads: bool = True) -> Any:
    """A CSV without any quote read by Arrow as text (a pyarrow Table), or None when only the checks in
    `check_rows` can tell what is wrong with it, or the file needs quoting rules: then the slow path reads it.
    Arrow refuses a row with more or fewer fields than the header; a field longer than csv's limit is left
    for csv to refuse, as before. `threads=False` keeps Arrow's thread pool out of it: a process that exits
    moments after a threaded read (the CLI, when the pre-flight finds a bad file among good ones) could abort
    in Arrow's teardown ("terminate called without an active exception", apache/arrow#34314; one CI run)."""
    header = _plain_header(text)
    if header is None:
        return None
    import pyarrow as pa
    from pyarrow import compute
    from pyarrow import csv as arrow_csv

    try:
        table = arrow_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=arrow_csv.ReadOptions(use_threads=threads),
            parse_options=arrow_csv.ParseOptions(quote_char=False, ignore_empty_lines=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    limit = csv.field_size_limit()
    if table.column_names != header or any(
        len(column) and (compute.max(compute.utf8_length(column)).as_py() or 0) > limit for column in table.columns
    ):
        return None
    return table


def as_str(arrow_type: Any) -> Any:
    """Arrow text as pandas' "str" dtype, the dtype read_csv(dtype=str) gives."""
    import pyarrow as pa

    return pd.StringDtype("pyarrow", na_value=np.nan) if arrow_type == pa.string() else None
