"""Benchmark the data-quality gate: GX on the whole deals table vs the same checks in plain pandas.

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

from expectations import runner  # noqa: E402
from expectations.runner import load_suite, validate_table  # noqa: E402
from flows.demo_data import DEMO_END, DEMO_TEAMS, write_demo  # noqa: E402
from flows.sources import read_tables  # noqa: E402
from transforms.normalise import normalise  # noqa: E402
from transforms.team_data import with_local_dates  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "RESULTS-validation.md"
TARGET = 3.0
SLOW_RUN_S = 60.0  # a first run slower than this is not repeated
SCALE_TIMEOUT_S = 900
Key = tuple[str, str, str]  # (check, columns, severity), as CheckFailure names a check


def parameters(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    latest = pd.Timestamp(DEMO_END + timedelta(days=1))
    return {
        # As transforms.quality.check_inputs does: the ids these deals name that no rep (account) has.
        "unknown_rep_ids": sorted(set(tables["deals"]["owner_rep_id"].dropna()) - set(tables["reps"]["rep_id"])),
        "unknown_account_ids": sorted(
            set(tables["deals"]["account_id"].dropna()) - set(tables["accounts"]["account_id"])
        ),
        "currencies": ["USD"],
        "max_amount": 250_000,
        "latest_allowed": latest,
        "fresh_since": pd.Timestamp(DEMO_END - timedelta(days=3)),
    }


def _key(config: dict[str, Any]) -> Key:
    kwargs = config["kwargs"]
    names = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
    columns = "+".join(sorted(n for n in names if n))
    return config["type"].removeprefix("expect_"), columns, config.get("severity", "critical")


def _value(value: Any, params: dict[str, object]) -> Any:
    return params[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value


def _condition(frame: pd.DataFrame, condition: dict[str, Any] | None) -> pd.Series:
    """The rows a GX row_condition keeps: nullity, IN, NOT_IN, and "and"/"or" of those (what the suites use)."""
    if condition is None:
        return pd.Series(True, index=frame.index)
    if condition["type"] in ("and", "or"):
        parts = [_condition(frame, part) for part in condition["conditions"]]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if condition["type"] == "and" else combined | part
        return combined
    column = frame[condition["column"]["name"]]
    if condition["type"] == "nullity":
        return column.isna() if condition["is_null"] else column.notna()
    if condition["type"] == "comparison" and condition["operator"] in ("IN", "NOT_IN"):
        inside = column.isin(condition["parameter"])
        return inside if condition["operator"] == "IN" else ~inside
    raise ValueError(f"row condition not covered by the pandas baseline: {condition}")


def pandas_checks(frame: pd.DataFrame, suite: dict[str, Any], params: dict[str, object]) -> dict[Key, int]:
    """Failing rows per expectation, computed with vectorised pandas (the floor GX is held to)."""
    failing: dict[Key, int] = {}
    for config in suite["expectations"]:
        kind, kwargs = config["type"], config["kwargs"]
        if kind == "expect_column_to_exist":
            failing[_key(config)] = 0 if kwargs["column"] in frame.columns else len(frame)
            continue
        rows = frame[_condition(frame, kwargs.get("row_condition"))] if "row_condition" in kwargs else frame
        col = rows[kwargs["column"]] if "column" in kwargs else None
        if kind == "expect_column_values_to_not_be_null":
            bad = int(col.isna().sum())
        elif kind == "expect_column_values_to_be_null":
            bad = int(col.notna().sum())
        elif kind == "expect_column_values_to_be_unique":
            bad = int(col.dropna().duplicated(keep=False).sum())
        elif kind == "expect_column_values_to_be_in_set":
            bad = int((col.notna() & ~col.isin(_value(kwargs["value_set"], params))).sum())
        elif kind == "expect_column_values_to_not_be_in_set":
            bad = int((col.notna() & col.isin(_value(kwargs["value_set"], params))).sum())
        elif kind == "expect_column_values_to_be_between":
            low, high = _value(kwargs.get("min_value"), params), _value(kwargs.get("max_value"), params)
            outside = pd.Series(False, index=col.index)
            outside |= col < low if low is not None else False
            outside |= col > high if high is not None else False
            bad = int((col.notna() & outside).sum())
        elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
            a, b = rows[kwargs["column_A"]], rows[kwargs["column_B"]]
            worse = a < b if kwargs.get("or_equal") else a <= b
            bad = int((a.notna() & b.notna() & worse).sum())
        elif kind == "expect_compound_columns_to_be_unique":
            subset = rows[kwargs["column_list"]].dropna()
            bad = int(subset.duplicated(keep=False).sum())
        else:
            raise ValueError(f"expectation not covered by the pandas baseline: {kind}")
        failing[_key(config)] = bad
    return failing


def gx_checks(frame: pd.DataFrame, suite: dict[str, Any], params: dict[str, object]) -> dict[Key, int]:
    """The gate's own path: validate_table, then failing rows per check (0 for a passing check)."""
    runner._RECENT.clear()  # time GX itself, not the reuse of the previous call's result for the same frame
    result = validate_table("deals", frame, params)
    failing = dict.fromkeys((_key(c) for c in suite["expectations"]), 0)
    for failure in result.failures:
        failing[(failure.check, failure.column or "", failure.severity)] += failure.failing
    return failing


def timed(fn: Callable[[], dict[Key, int]]) -> tuple[float, int, dict[Key, int]]:
    """Median seconds over 3 runs (1 if the first is slower than SLOW_RUN_S), runs done, last result."""
    times: list[float] = []
    result: dict[Key, int] = {}
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
    deals, params, suite = view["deals"], parameters(tables), load_suite("deals")
    setup_s, rss_loaded = time.perf_counter() - started, rss_gb()
    validate_table("deals", deals.head(50), params)  # warm-up: GX import and context set-up, not timed
    pandas_s, pandas_runs, expected = timed(lambda: pandas_checks(deals, suite, params))
    rss_pandas = rss_gb()
    gx_s, gx_runs, actual = timed(lambda: gx_checks(deals, suite, params))
    mismatches = {" / ".join(k): [actual.get(k), v] for k, v in expected.items() if actual.get(k) != v}
    return {
        "scale": scale, "deals": len(deals), "activities": len(tables["activities"]), "setup_s": setup_s,
        "gx_s": gx_s, "gx_runs": gx_runs, "pandas_s": pandas_s, "pandas_runs": pandas_runs,
        "rss_loaded_gb": rss_loaded, "rss_pandas_gb": rss_pandas, "rss_gb": rss_gb(),
        "failing": {" / ".join(k): v for k, v in expected.items() if v}, "mismatches": mismatches,
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
        "| scale | deals rows | GX s | pandas s | GX/pandas | target | result | peak RSS GB | counts agree |",
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
        "- Data: `flows.demo_data.write_demo(folder, scale)` cached as CSV in `bench/data/scale-N/`, read with",
        "  `flows.sources.read_tables`, typed by `transforms.normalise.normalise`, and given local dates",
        "  (America/New_York) by `transforms.team_data.with_local_dates` for every table. Not timed.",
        "- Validated: the WHOLE deals table (all rows, all teams, no period scoping), to stress the gate.",
        "  Parameters: the ids the deals name that no rep/account has, currencies [USD], max_amount 250000,",
        f"  latest_allowed {DEMO_END + timedelta(days=1)}, fresh_since {DEMO_END - timedelta(days=3)}.",
        "- GX s: `expectations.runner.validate_table('deals', frame, parameters)` end to end (a pass/fail run, SUMMARY",
        "  when a check fails, COMPLETE when a warning check fails), after one untimed warm-up call.",
        "- pandas s: every expectation of `expectations/suites/deals.json` as vectorised pandas, returning the",
        "  failing-row count per check; the counts are asserted equal to GX's for every check.",
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
        print(f"  {row['deals']:,} deals: GX {row['gx_s']:.2f} s, pandas {row['pandas_s']:.3f} s, "
              f"ratio {row['gx_s'] / row['pandas_s']:.1f}×, peak RSS {row['rss_gb']:.1f} GB", flush=True)  # fmt: skip
        if row["mismatches"]:
            print(f"  !!! MISMATCH GX vs pandas failing counts: {row['mismatches']}", flush=True)
    RESULTS.write_text(report(rows), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    bad = any("error" in r or r["mismatches"] for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
