"""The benchmark's data: demo CSVs per scale, cached in bench/data/ (git-ignored), and longer histories.

`scale_folder(n)` is `salespulse.demo.data.write_demo(folder, n)`: 78 weeks ending 2026-11-22; n scales every
table (and the number of reps: 6·n per team). `history_folder(n, k)` is the same data with k−1 copies of it
placed before it, each 78 weeks earlier than the last, with their own ids (and without the deals still
open at the end): k times the history, and the last 78 weeks row for row the same, so a report of a recent
period has the same rows in its window and the same KPI values.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from salespulse.demo.data import write_demo
from salespulse.transforms.schema import TABLES

DATA = Path(__file__).resolve().parent / "data"
SPAN_DAYS = 78 * 7
IDS = ("deal_id", "lead_id", "activity_id", "order_id", "account_id")  # every key and reference but rep_id
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
HISTORY_VERSION = 2  # v2: the earlier copies leave out the deals still open at their end (see _earlier)


def prepared(function: str, *args: int) -> Path:
    """`scale_folder(...)` or `history_folder(...)` called in a process of its own. Linux starts a child's
    `ru_maxrss` at its parent's peak resident size, so a bench process that grew to ~3 GB writing the 100×
    data would read ~3 GB as the peak of every case it started after (seen: 2,959 MB for the floor)."""
    if function not in ("scale_folder", "history_folder"):
        raise ValueError(function)
    code = f"import bench_data; print(bench_data.{function}(*{args!r}))"
    root = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root.parent)])}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def scale_folder(scale: int) -> Path:
    folder = DATA / f"scale-{scale}"
    if not all((folder / f"{table}.csv").exists() for table in TABLES):  # written whole, then renamed
        tmp = DATA / f".tmp-scale-{scale}"
        shutil.rmtree(tmp, ignore_errors=True)
        write_demo(tmp, scale)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    if not (folder / "rows.json").exists():
        _count_rows(folder)
    return folder


def history_folder(scale: int, copies: int) -> Path:
    if copies == 1:
        return scale_folder(scale)
    folder = DATA / f"scale-{scale}-history-{copies}-v{HISTORY_VERSION}"
    if not (folder / "rows.json").exists():
        source = scale_folder(scale)
        tmp = DATA / f".tmp-{folder.name}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for table in TABLES:
            frame = pd.read_csv(source / f"{table}.csv", dtype=str, keep_default_na=False)
            if table != "reps":  # the same team throughout
                frame = pd.concat([_earlier(frame, table, c) for c in range(copies - 1, 0, -1)] + [frame])
            frame.to_csv(tmp / f"{table}.csv", index=False, encoding="utf-8")
        _count_rows(tmp)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    return folder


def _earlier(frame: pd.DataFrame, table: str, copy: int) -> pd.DataFrame:
    """The table `copy` spans earlier, its ids suffixed: D000001 → D000001-h2. Deals still open at the end of
    the data are left out of the copies: 78 weeks later they would still be open (no closed_at), and KPIs
    that count every open deal (sales velocity) would see them once per copy."""
    out, shift = frame.copy(), pd.Timedelta(days=SPAN_DAYS * copy)
    if table == "deals":
        out = out[out["closed_at"] != ""]
    spec = TABLES[table]
    for column in spec.timestamps:
        stamps = pd.to_datetime(out[column].replace("", None), utc=True, format="ISO8601") - shift
        out[column] = stamps.dt.strftime(TIMESTAMP).fillna("")
    for column in spec.dates:
        days = pd.to_datetime(out[column].replace("", None), format="ISO8601", errors="coerce") - shift
        out[column] = days.dt.strftime("%Y-%m-%d").where(days.notna(), out[column])
    for column in IDS:
        if column in out.columns:
            out[column] = out[column].where(out[column] == "", out[column] + f"-h{copy}")
    return out


def _count_rows(folder: Path) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        with (folder / f"{table}.csv").open("rb") as handle:
            counts[table] = sum(1 for _ in handle) - 1
    (folder / "rows.json").write_text(json.dumps(counts), encoding="utf-8")
    return counts


def rows(folder: Path) -> dict[str, int]:
    return json.loads((folder / "rows.json").read_text(encoding="utf-8"))


def disk_free_gb(folder: Path = DATA) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    return shutil.disk_usage(folder).free / 1024**3
