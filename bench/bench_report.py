"""bench/RESULTS.md from the samples bench.py collected. Everything below KEEP in the old file is kept."""

from __future__ import annotations

import os
import platform
import statistics
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
KEEP = "<!-- Written by hand below this line; bench.py keeps it when it rewrites the tables above. -->"
STAGES = ("ingest", "validate", "kpis", "html", "pdf", "deliver")
HEADLINE = (
    "won_revenue",
    "deals_won",
    "win_rate",
    "average_deal_size",
    "open_pipeline",
    "quota_attainment",
    "new_leads",
    "lead_conversion",
    "lead_response_hours",
)
Samples = list[dict[str, Any]]


def load_now() -> float:
    return os.getloadavg()[0]


def med(samples: Samples, key: str = "wall") -> float | None:
    values = [s[key] for s in samples if s["ok"]]
    return statistics.median(values) if values else None


def med_of(samples: Samples, pick: Any) -> float | None:
    values = [pick(s["result"]) for s in samples if s["ok"]]
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def own_work(sample: dict[str, Any], key: str = "wall", render: bool = True) -> float:
    stages = sample["result"]["stages"]
    return sum(stages[s][key] for s in STAGES if render or s not in ("html", "pdf"))


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("pandas", "pyarrow", "great_expectations", "weasyprint", "prefect")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GB RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, {versions}"
    )


def rows_table(results: dict[str, Any]) -> list[str]:
    lines = ["| scale | reps | accounts | leads | deals | activities | orders |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scale, entry in results["scales"].items():
        r = entry["rows"]
        lines.append(
            f"| {scale}× | {r['reps']:,} | {r['accounts']:,} | {r['leads']:,} | {r['deals']:,} "
            f"| {r['activities']:,} | {r['orders']:,} |"
        )
    return lines


def case_rows(cases: dict[str, Samples]) -> list[str]:
    floor = med(cases["floor"]) if cases.get("floor") else None
    names = {
        "floor": "floor (plain pandas script, whole process)",
        "pipeline": "pipeline: every stage in-process",
        "cli": "cold run: `salespulse run --dry-run`",
        "backfill": "52-week backfill (CLI)",
        "ephemeral": "cold run, temporary Prefect server",
    }
    lines = []
    for name, samples in cases.items():
        if not samples:
            continue
        failed = next((s["error"] for s in samples if not s["ok"]), "")
        label = names.get(name, f"stage {name} (process)")
        wall = med(samples)
        ratio = f"{wall / floor:.1f}×" if wall and floor else "–"
        lines.append(
            f"| {label} | {fmt(wall)} | {fmt(med(samples, 'cpu'))} | {fmt(med(samples, 'rss_mb'), 0)} "
            f"| {len([s for s in samples if s['ok']])}/{len(samples)} | {fmt(med(samples, 'load'), 1)} "
            f"| {ratio} | {failed[:120]} |"
        )
    return lines


def stage_rows(results: dict[str, Any]) -> list[str]:
    """Per stage and scale: cold, again and in-pipeline seconds, each as wall / CPU."""
    scales = list(results["scales"])
    head = "| stage | " + " | ".join(f"{s}× cold | {s}× again | {s}× in pipeline" for s in scales) + " |"
    lines = [head, "|---|" + "---:|" * (3 * len(scales))]
    for stage in STAGES:
        cells = []
        for scale in scales:
            cases = results["scales"][scale]["cases"]
            for samples, path in (
                (cases.get(stage, []), ("first",)),
                (cases.get(stage, []), ("again",)),
                (cases.get("pipeline", []), ("stages", stage)),
            ):
                wall = med_of(samples, lambda r, p=path: _dig(r, p)["wall"])
                cpu = med_of(samples, lambda r, p=path: _dig(r, p)["cpu"])
                cells.append(f"{fmt(wall)} / {fmt(cpu)}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def _dig(result: dict[str, Any], path: tuple[str, ...]) -> dict[str, float]:
    for key in path:
        result = result[key]
    return result


def floor_agrees(cases: dict[str, Samples]) -> str:
    floors = [s["result"]["kpis"] for s in cases.get("floor", []) if s["ok"]]
    pipes = [s["result"]["kpis"] for s in cases.get("pipeline", []) if s["ok"]]
    if not floors or not pipes:
        return "not checked"
    bad = [k for k in HEADLINE if not _same(floors[0].get(k), pipes[0].get(k))]
    return "yes, all " + str(len(HEADLINE)) if not bad else "NO: " + ", ".join(bad)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def render(results: dict[str, Any]) -> str:
    from bench_targets import history_rows, reference_rows, target_rows

    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/bench.py), started {results['started']}. Machine: {machine()}.",
        f"Load average (1 min) at the end: {results['finished_load']:.1f}. Other engineers' jobs share these 2 "
        "cores, and every case runs under `nice -n 10`: wall times include waiting for a core; CPU times do not.",
    ]
    if results.get("reference"):
        lines += ["", *reference_rows(results)]
    if not results["scales"]:
        lines += ["", "The floor, stage and history cases were not run this time (`--reference-only`)."]
        return "\n".join(lines) + "\n\n" + kept()
    lines += [
        "",
        "## What each scale holds",
        "",
        "Scale N is `salespulse.demo.data.write_demo(folder, N)`: 78 weeks of data ending 2026-11-22, every table",
        "(and the team, 6·N reps each) N times the demo's. The issue's \"100× ≈ 1M deals and 10M activities\"",
        "is about 4× this 100× in deals and 2.5× in activities: see Targets for what that means.",
        "",
        *rows_table(results),
        "",
        f"Every case reports team north, week 2026-W47. Prefect server start-up (`prefect server start` until "
        f"/api/health answers): {fmt(results.get('prefect_startup_s'), 1)} s; the CLI cases run against it.",
        "",
        "## Targets",
        "",
        *target_rows(results),
        "",
        "## Stages on their own (seconds, median: wall / CPU)",
        "",
        "`cold`: the stage's first call in a fresh process after the imports (GX context, fonts, ...);",
        "`again`: a second call in the same process, as each further period of a backfill pays it;",
        "`in pipeline`: the same stage within the `pipeline` case (all stages in order in one process).",
        "",
        *stage_rows(results),
    ]
    for scale, entry in results["scales"].items():
        cases = entry["cases"]
        lines += [
            "",
            f"## {scale}×: every case",
            "",
            "| case | wall s | CPU s | peak RSS MB | runs ok | load | wall ÷ floor's | error |",
            "|---|---:|---:|---:|---|---:|---:|---|",
            *case_rows(cases),
            "",
            f"Floor and pipeline agree on the headline KPIs: {floor_agrees(cases)}.",
        ]
    imports, help_runs = results.get("imports", []), results["help"]
    lines += [
        "",
        "## Imports and --help",
        "",
        f"- imports of a run (flows, GX, WeasyPrint) in a fresh interpreter: {fmt(med(imports))} s "
        f"wall (median of {len(imports)})",
        f"- `salespulse --help`: {fmt(med(help_runs))} s wall (median of {len(help_runs)})",
    ]
    if "history" in results:
        lines += ["", *history_rows(results["history"])]
    return "\n".join(lines) + "\n\n" + kept()


def kept() -> str:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    return KEEP + text.split(KEEP, 1)[1] if KEEP in text else KEEP + "\n"
