"""Text frames as read from files → typed frames, without losing what could not be read.

A cell that is not a valid number or date becomes missing in the typed column, and its raw text is
kept in the `parse_errors` column of that row, so the data-quality gate can name the row and value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from salespulse.transforms.schema import PARSE_ERRORS, TABLES, TRIMMED, Table


def normalise_table(raw: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Typed copy of one table: trimmed text, float numbers, dates, UTC timestamps, `parse_errors`, `trimmed`."""
    out = pd.DataFrame(index=raw.index)
    errors = pd.Series("", index=raw.index, dtype="object")
    padded = pd.Series("", index=raw.index, dtype="object")
    for column in raw.columns:
        text = _trimmed(raw[column])
        if column in table.text:
            spaced = _padded(raw[column], text)
            if spaced.any():
                padded[spaced] = padded[spaced] + f"{column}='" + raw[column][spaced].astype(str) + "'; "
        if column in table.numbers:
            typed = _numbers(text)
        elif column in table.dates:
            typed = _dates(text)
        elif column in table.timestamps:
            typed = _timestamps(text)
        else:
            out[column] = _as_objects(text, shared=column != table.key)
            continue
        failed = text.notna() & typed.isna()
        if failed.any():
            errors[failed] = errors[failed] + f"{column}=" + text[failed].astype(str) + "; "
        out[column] = typed
    out[PARSE_ERRORS] = _notes(errors, lambda notes: notes.str.rstrip("; "))
    out[TRIMMED] = _notes(padded, lambda notes: notes.str.removesuffix("; "))
    return out


def _numbers(text: pd.Series) -> pd.Series:
    """float64 (not the nullable Float64), also with no rows or nothing readable; a column of whole numbers
    only stays int64, as the data-quality samples show it ("-450", not "-450.0"). inf, -inf and nan in any
    spelling (or a number too large for a float) are no amount: missing, like any other unreadable cell."""
    typed = pd.to_numeric(text.astype("object"), errors="coerce")
    if typed.empty or typed.dtype.kind not in "iuf":
        typed = typed.astype(np.float64)
    finite = np.isfinite(typed.to_numpy())
    return typed if finite.all() else typed.where(finite)


def _dates(text: pd.Series) -> pd.Series:
    """Naive midnight datetimes, even when no cell holds a date (a header-only table)."""
    typed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    if not isinstance(typed.dtype, pd.DatetimeTZDtype) and typed.dtype.kind != "M":
        typed = typed.astype("datetime64[ns]")  # nothing parsed: all missing
    typed = typed.dt.normalize()
    return typed.dt.tz_localize(None) if typed.dt.tz is not None else typed


def _timestamps(text: pd.Series) -> pd.Series:
    """UTC instants, even when no cell holds one (a header-only table)."""
    typed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    return typed if isinstance(typed.dtype, pd.DatetimeTZDtype) else typed.astype("datetime64[ns, UTC]")


def _notes(notes: pd.Series, tidy: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`tidy` applied to the rows with a note, None elsewhere: most rows have none, and a string method over
    every row would pay for all of them in every note column of a large table."""
    written = notes != ""
    out = pd.Series(np.full(len(notes), None, dtype=object), index=notes.index)
    out[written] = tidy(notes[written])
    return out


def normalise(raw_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: normalise_table(frame, TABLES[name]) for name, frame in raw_tables.items()}


def _padded(raw: pd.Series, trimmed: pd.Series) -> pd.Series:
    """Cells whose text changed by trimming; a cell of spaces only is just empty, not a padded value."""
    return (trimmed.notna() & (raw.astype("string") != trimmed)).fillna(False).astype(bool)


def _trimmed(values: pd.Series) -> pd.Series:
    """The cells' text without surrounding spaces; blank cells missing. Dates and numbers are parsed from this
    as it is: a Python string per cell first would raise a large table's peak memory."""
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _as_objects(text: pd.Series, shared: bool) -> pd.Series:
    """Python strings, missing cells None. With `shared`, equal cells point to one string object: a rep id,
    type or stage repeats across millions of rows, and a string object per cell would multiply a large
    table's memory."""
    if not shared:  # a key: every value distinct, nothing to share
        return text.astype("object").where(text.notna(), None)
    codes, distinct = pd.factorize(text)  # missing → -1, the pool's last slot
    pool = np.append(np.asarray(distinct, dtype=object), None)
    return pd.Series(pool[codes], index=text.index, dtype="object")


def local_dates(timestamps: pd.Series, timezone: str) -> pd.Series:
    """Calendar dates of UTC instants in `timezone` (naive midnight datetimes, NaT kept)."""
    # Nanoseconds, not pandas 3's default microseconds: GX 1.24 compares other units row by row in Python.
    return timestamps.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
