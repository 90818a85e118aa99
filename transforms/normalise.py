"""Text frames as read from files → typed frames, without losing what could not be read.

A cell that is not a valid number or date becomes missing in the typed column, and its raw text is
kept in the `parse_errors` column of that row, so the data-quality gate can name the row and value.
"""

from __future__ import annotations

import pandas as pd

from transforms.schema import PARSE_ERRORS, TABLES, TRIMMED, Table


def normalise_table(raw: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Typed copy of one table: trimmed text, float numbers, dates, UTC timestamps, `parse_errors`, `trimmed`."""
    out = pd.DataFrame(index=raw.index)
    errors = pd.Series("", index=raw.index, dtype="object")
    padded = pd.Series("", index=raw.index, dtype="object")
    for column in raw.columns:
        values = _blank_to_na(raw[column])
        if column in table.text:
            spaced = _padded(raw[column], values)
            if spaced.any():
                padded[spaced] = padded[spaced] + f"{column}='" + raw[column][spaced].astype(str) + "'; "
        if column in table.numbers:
            typed = pd.to_numeric(values, errors="coerce")
        elif column in table.dates:
            typed = pd.to_datetime(values, errors="coerce", format="ISO8601").dt.normalize()
            typed = typed.dt.tz_localize(None) if typed.dt.tz is not None else typed
        elif column in table.timestamps:
            typed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
        else:
            out[column] = values
            continue
        failed = values.notna() & typed.isna()
        if failed.any():
            errors[failed] = errors[failed] + f"{column}=" + values[failed].astype(str) + "; "
        out[column] = typed
    out[PARSE_ERRORS] = errors.str.rstrip("; ").replace("", None)
    out[TRIMMED] = padded.str.removesuffix("; ").replace("", None)
    return out


def normalise(raw_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: normalise_table(frame, TABLES[name]) for name, frame in raw_tables.items()}


def _padded(raw: pd.Series, trimmed: pd.Series) -> pd.Series:
    """Cells whose text changed by trimming; a cell of spaces only is just empty, not a padded value."""
    text = raw.astype("string")
    return (trimmed.notna() & (text != trimmed.astype("string"))).fillna(False).astype(bool)


def _blank_to_na(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "").astype("object").where(text.notna(), None)


def local_dates(timestamps: pd.Series, timezone: str) -> pd.Series:
    """Calendar dates of UTC instants in `timezone` (naive midnight datetimes, NaT kept)."""
    # Nanoseconds, not pandas 3's default microseconds: GX 1.24 compares other units row by row in Python.
    return timestamps.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
