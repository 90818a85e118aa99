"""Benchmark the data-quality gate on the whole deals table: the row flags in pandas, and what GX adds on top.

Usage: .venv/bin/python bench/bench_validation.py [--scales 1,10,100] [--quick]

Each scale runs in its own subprocess (so peak RSS is per scale and a scale that runs out of time can
be stopped), on demo data cached as CSV in bench/data/scale-N/. Writes bench/RESULTS-validation.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salespulse.demo.data import DEMO_END, DEMO_TEAMS, write_demo  # noqa: E402
from salespulse.expectations.runner import validate_table  # noqa: E402
from salespulse.sources.load import read_tables  # noqa: E402
from salespulse.transforms.check_rows import CheckContext, row_flags  # noqa: E402
from salespulse.transforms.checks import CHECKS  # noqa: E402
from salespulse.transforms.normalise import normalise  # noqa: E402
from salespulse.transforms.team_data import with_local_dates  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "RESULTS-validation.md"
TARGET = 3.0
SLOW_RUN_S = 60.0  # a first run slower than this is not repeated
SCALE_TIMEOUT_S = 900


def context(tables: dict[str, pd.DataFrame]) -> CheckContext:
    return CheckContext(
        latest_allowed=pd.Timestamp(DEMO_END + timedelta(days=1)),
        currencies=("USD",),
        known_reps=frozenset(tables["reps"]["rep_id"].dropna()),
        known_accounts=frozenset(tables["accounts"]["account_id"].dropna()),
        max_amount={"deals": 250_000.0, "orders": 250_000.0},
    )


def pandas_checks(frame: pd.DataFrame, ctx: CheckContext) -> dict[str, int]:
    """The floor: every deals check's row flags in pandas (transforms/check_rows.py), failing rows per check."""
    flags = row_flags(frame, "deals", ctx)
    return {check: int(flags[check].sum()) for check in flags.columns}


def gx_checks(frame: pd.DataFrame, ctx: CheckContext) -> dict[str, int]:
    """The gate's own path: the flags, then GX's verdict on them (validate_table); failing rows per check."""
    flags = row_flags(frame, "deals", ctx)
    _, failures = validate_table("deals", frame, flags, CHECKS)
    failing = dict.fromkeys(flags.columns, 0)
    failing.update({f.check_id: f.failing for f in failures if f.check_id in failing})
    return failing


def timed(fn: Callable[[], dict[str, int]]) -> tuple[float, int, dict[str, int]]:
    """Median seconds over 3 runs (1 if the first is slower than SLOW_RUN_S), runs done, last result."""
    times: list[float] = []
    result: dict[str, int] = {}
    while len(times) < 3 and not (times and times[0] > SLOW_RUN_S):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), result


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def measure(scale: int) -> dict[str, Any]:
    """One scale, in this process: load (cached), normalise, localise, then time pandas and GX."""
    folder, started = DATA / f"scale-{scale}", time.perf_counter()
    if not (folder / "deals.csv").exists():
        write_demo(folder.with_name(f".tmp-{folder.name}"), scale).rename(folder)
    raw, _ = read_tables(folder)
    tables = normalise(raw)
    del raw
    timezone = DEMO_TEAMS["north"]
    view = {name: with_local_dates(frame, name, timezone) for name, frame in tables.items()}
    deals, ctx = view["deals"], context(tables)
    setup_s, rss_loaded = time.perf_counter() - started, rss_gb()
    gx_checks(deals.head(50), ctx)  # warm-up: GX import and context set-up, not timed
    pandas_s, pandas_runs, expected = timed(lambda: pandas_checks(deals, ctx))
    rss_pandas = rss_gb()
    gx_s, gx_runs, actual = timed(lambda: gx_checks(deals, ctx))
    mismatches = {k: [actual.get(k), v] for k, v in expected.items() if actual.get(k) != v}
    return {
        "scale": scale, "deals": len(deals), "activities": len(tables["activities"]), "setup_s": setup_s,
        "gx_s": gx_s, "gx_runs": gx_runs, "pandas_s": pandas_s, "pandas_runs": pandas_runs,
        "rss_loaded_gb": rss_loaded, "rss_pandas_gb": rss_pandas, "rss_gb": rss_gb(),
        "failing": {k: v for k, v in expected.items() if v}, "mismatches": mismatches,
    }  # fmt: skip


def run_scale(scale: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", str(scale)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=SCALE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return {"scale": scale, "error": f"did not finish within {SCALE_TIMEOUT_S} s"}
    if done.returncode != 0:
        return {"scale": scale, "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    import great_expectations as gx

    versions = f"Python {platform.python_version()}, pandas {pd.__version__}, great_expectations {gx.__version__}"
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GB RAM; {platform.system()} {platform.release()}; {versions}"


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Data-quality gate benchmark",
        "",
        f"Generated by `bench/bench_validation.py` on {date.today().isoformat()}.",
        f"Machine: {machine()}; load average at the end {os.getloadavg()[0]:.1f} (other jobs share the cores).",
        "",
        "| scale | deals rows | flags + GX s | flags only s | ratio | target | result | peak RSS GB | counts agree |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['scale']}× | – | – | – | – | ≤ {TARGET:g}× | not run: {r['error']} | – | – |")
            continue
        ratio = r["gx_s"] / r["pandas_s"]
        runs = f" ({r['gx_runs']} run)" if r["gx_runs"] == 1 else ""
        lines.append(
            f"| {r['scale']}× | {r['deals']:,} | {r['gx_s']:.2f}{runs} | {r['pandas_s']:.3f} | {ratio:.1f}× "
            f"| ≤ {TARGET:g}× | {'pass' if ratio <= TARGET else 'FAIL'} | {r['rss_gb']:.1f} "
            f"| {'yes' if not r['mismatches'] else 'NO: ' + json.dumps(r['mismatches'])} |"
        )
    lines += ["", "Failing rows per check (both implementations agree unless marked above):", ""]
    lines += [f"- {r['scale']}×: " + (json.dumps(r["failing"]) or "none") for r in rows if "failing" in r]
    lines += [
        "",
        "## What was measured",
        "",
        "- Data: `salespulse.demo.data.write_demo(folder, scale)` cached as CSV in `bench/data/scale-N/`, read",
        "  with `salespulse.sources.tables.read_tables`, typed by `salespulse.transforms.normalise.normalise`, and",
        "  given local dates (America/New_York) by `salespulse.transforms.team_data.with_local_dates` for every",
        "  table. Not timed.",
        "- Validated: the WHOLE deals table (all rows, all teams, no period scoping), to stress the gate.",
        "- flags only s: `salespulse.transforms.check_rows.row_flags(deals)`, every deals check's boolean column",
        "  in pandas.",
        "- flags + GX s: the same flags, then `salespulse.expectations.runner.validate_table` (GX's public API: the",
        "  table's suite of column-set expectations and one `ExpectColumnValuesToBeInSet([False])` per flag column,",
        "  run with `batch.validate` in BOOLEAN_ONLY), after one untimed warm-up call. The ratio is what GX adds.",
        "- Times are the median of 3 runs (1 run when the first took over 60 s). Peak RSS is",
        "  `ru_maxrss` of the subprocess that ran that scale (data load included).",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated demo scales")
    parser.add_argument("--quick", action="store_true", help="scales 1 and 10 only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one scale, print JSON
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one), default=str))
        return 0
    scales = [1, 10] if args.quick else [int(s) for s in args.scales.split(",") if s.strip()]
    rows = []
    for scale in scales:
        print(f"scale {scale}× ...", flush=True)
        rows.append(run_scale(scale))
        row = rows[-1]
        if "error" in row:
            print(f"  not run: {row['error']}", flush=True)
            continue
        print(f"  {row['deals']:,} deals: flags + GX {row['gx_s']:.2f} s, flags {row['pandas_s']:.3f} s, "
              f"ratio {row['gx_s'] / row['pandas_s']:.1f}×, peak RSS {row['rss_gb']:.1f} GB", flush=True)  # fmt: skip
        if row["mismatches"]:
            print(f"  !!! MISMATCH GX vs the flags' failing counts: {row['mismatches']}", flush=True)
    RESULTS.write_text(report(rows), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    bad = any("error" in r or r["mismatches"] for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
