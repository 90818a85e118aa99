"""Validated period data on disk: one Parquet file per table under one folder per team and period.

    <output_dir>/state/history/team=<id>/period=<label>/<table>.parquet
    <output_dir>/state/history/team=<id>/first_orders.parquet

A period's folder is written whole to a temporary folder and renamed into place, so a rerun replaces the
period's partition in one step and a crash leaves the old one (or nothing) behind, never half of one. A run
opens only the folders of the periods it needs (`read_periods`), so its cost follows the period and its
baseline window, not the years kept. Which rows go in and how they join the export: transforms/history.py.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from salespulse.transforms.history import KEPT_TABLES, ORIGIN
from salespulse.transforms.periods import Period, PeriodError, parse_period

PREFIX = "period="
FIRST_ORDERS = "first_orders.parquet"


def team_dir(root: Path, team_id: str) -> Path:
    return root / f"team={team_id}"


def partition_dir(root: Path, team_id: str, label: str) -> Path:
    return team_dir(root, team_id) / f"{PREFIX}{label}"


def write_period(root: Path, team_id: str, period: Period, tables: dict[str, pd.DataFrame]) -> Path:
    """Replace the period's partition with `tables`: written aside, then swapped in by renames."""
    target = partition_dir(root, team_id, period.label)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".*-{target.name}-*"):  # left by a crash of an earlier write
        shutil.rmtree(stale, ignore_errors=True)
    fresh = target.with_name(f".new-{target.name}-{uuid.uuid4().hex[:8]}")
    fresh.mkdir()
    for table, frame in tables.items():
        frame.to_parquet(fresh / f"{table}.parquet", index=False)
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)  # a directory cannot be renamed over a non-empty one: move the old one aside first
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def read_periods(root: Path, team_id: str, since: date, until: date) -> dict[str, pd.DataFrame]:
    """Per table, the rows of the team's partitions whose periods overlap [since, until], oldest period first,
    each row labelled with its partition (ORIGIN). Folder names are listed; only the matching ones are opened.
    Files are read and joined as Arrow tables and converted to pandas once, not once per file: each
    conversion has a fixed cost, and a team's history is many small files."""
    folder = team_dir(root, team_id)
    found = sorted(
        (period, entry)
        for entry in (folder.iterdir() if folder.is_dir() else ())
        if (period := _period_of(entry.name)) and period.end >= since and period.start <= until
    )
    kept = {}
    for table in KEPT_TABLES:
        parts = [
            labelled
            for period, entry in found
            if (labelled := _read_labelled(entry / f"{table}.parquet", period.label)) is not None
        ]
        if parts:
            kept[table] = pa.concat_tables(parts, promote_options="permissive").to_pandas()
    return kept


class _Partitions:
    """The partition files this process read last, by path and the file's identity (inode, size, mtime):
    each period of a backfill reads the same window of partitions as the one before, plus the one that
    period just kept. A rewritten partition is a new file (renamed into place), so it is never served stale.
    Bounded by bytes, oldest read first out, so a long-lived `serve` holds at most `budget` of them."""

    def __init__(self, budget: int = 256 * 2**20) -> None:
        self.budget, self.used = budget, 0
        self.tables: dict[tuple[str, int, int, int], pa.Table] = {}
        self.lock = threading.Lock()  # teams' tasks may read from threads of one process

    def read(self, path: Path, label: str) -> pa.Table | None:
        with self.lock:
            return self._read(path, label)

    def _read(self, path: Path, label: str) -> pa.Table | None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if (table := self.tables.pop(key, None)) is None:
            table = pq.read_table(path)
            table = table.append_column(ORIGIN, pa.array([label] * table.num_rows, pa.string()))
            self.used += table.nbytes
        self.tables[key] = table  # now the most recent
        while self.used > self.budget and len(self.tables) > 1:
            self.used -= self.tables.pop(next(iter(self.tables))).nbytes
        return table


_read_labelled = _Partitions().read


def read_first_orders(root: Path, team_id: str) -> pd.DataFrame | None:
    path = team_dir(root, team_id) / FIRST_ORDERS
    return pd.read_parquet(path) if path.exists() else None


def write_first_orders(root: Path, team_id: str, frame: pd.DataFrame) -> Path:
    path = team_dir(root, team_id) / FIRST_ORDERS
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    frame.to_parquet(temporary, index=False)
    os.replace(temporary, path)  # atomic: readers see the old file or the new one
    return path


def _period_of(name: str) -> Period | None:
    if not name.startswith(PREFIX):
        return None  # temporary and set-aside folders of a write in progress
    try:
        return parse_period(name.removeprefix(PREFIX))
    except PeriodError:
        return None
