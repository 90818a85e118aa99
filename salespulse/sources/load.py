"""The tables of a run, from either kind of source: a folder of canonical files (data_dir) or exports read
through a mapping (a `source:` block). The one entry point flows, the pre-flight and check-config use."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salespulse.sources.csv_problems import empty_roster
from salespulse.sources.mapped import check_source, read_source
from salespulse.sources.mapping_config import Source
from salespulse.sources.tables import (
    check_columns,
    check_rows,
    csv_text,
    data_folder,
    parquet_columns,
    read_table,
    sha256_of,
    table_has_rows,
    table_path,
)
from salespulse.transforms.schema import TABLES


def read_tables(folder: Path | Source) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """All canonical tables and the sha256 of each file they came from (for the report's lineage).

    `folder` is the config's data_dir (canonical files) or its source block (exports read through a mapping).
    """
    if not isinstance(folder, str | Path):
        return read_source(folder)
    folder = data_folder(folder)
    frames, checksums = {}, {}
    for table in TABLES:
        path = table_path(folder, table)
        frames[table] = read_table(path)
        check_columns(path, table, [str(c) for c in frames[table].columns])
        if table == "reps" and frames[table].empty:
            raise empty_roster(path, source_block=False)
        checksums[path.name] = sha256_of(path)
    return frames, checksums


def check_tables(folder: Path | Source) -> None:
    """Pre-flight: every table present, readable, well-formed and with its columns; builds no frames."""
    if not isinstance(folder, str | Path):
        return check_source(folder)
    folder = data_folder(folder)
    for table in TABLES:
        path = table_path(folder, table)
        text = None if path.suffix == ".parquet" else csv_text(path)
        check_columns(path, table, parquet_columns(path) if text is None else check_rows(path, text))
        if table == "reps" and not table_has_rows(path, text):
            raise empty_roster(path, source_block=False)
