"""Issue 27: salespulse beside the reference script a user would write instead, timed as whole processes.

The reference is `../shared/bench/reference_report.py` (the folder beside the repository's: /work/shared/bench
for /work/main), or `--reference PATH`. It runs with the bench's own Python, which has its matplotlib from the
`bench` extra. Each case takes turns on the same data, team and week (salespulse, reference, salespulse, ...),
so both sides of a ratio are measured in the same minutes of a shared host whose speed drifts.

Every salespulse run has a fresh output folder (no earlier reports, no kept history) and, but for the case
named "running server", no Prefect server configured: Prefect starts its temporary one, as it does for a user
who runs the command from a shell. Those runs share one PREFECT_HOME per bench (its database is created by the
first). The bench leaves the temporary server's start-up timeout to salespulse (salespulse/cli/temporary_server.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench_measure import BIN, PERIOD, ROOT, TEAM, WEEKS, PrefectServer, Sample, first_week, measure, write_config

REFERENCE = ROOT.parent / "shared" / "bench" / "reference_report.py"
PYTHON = str(BIN / "python")
SALESPULSE = str(BIN / "salespulse")
CHECKED = ("won_revenue", "deals_won", "win_rate")  # the values the reference's README says agree
COLD = {"PREFECT_API_URL": ""}
BACKFILL_OK = (0, 3)  # exit 3: the demo's 2026-W36 fails its data-quality checks, and the weeks it taints are withheld


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    scale: int
    target: float  # the largest ratio of medians (salespulse ÷ reference) the issue allows
    backfill: bool = False
    server: bool = False  # against the bench's running Prefect server instead of a temporary one
    memory_target: float | None = None  # the same for peak RSS


def cases(scales: list[int], backfill_scales: set[int]) -> list[Case]:
    out: list[Case] = []
    for scale in scales:
        if scale == 1:
            out += [
                Case("cold-1", "one cold `salespulse run`, 1× (temporary Prefect server)", 1, 3.0),
                Case("server-1", "one run, 1×, against a running Prefect server", 1, 2.5, server=True),
            ]
        else:
            out.append(Case(f"cold-{scale}", f"one cold run, {scale}×", scale, 1.5, memory_target=1.5))
        if scale in backfill_scales:
            label = f"{WEEKS}-week backfill, {scale}× (`--weeks {WEEKS}`)"
            out.append(Case(f"backfill-{scale}", label, scale, 2.0, backfill=True))
    return out


def locate(path: Path | None) -> Path:
    """The reference script, and a Python that can run it; a clear error when either is missing."""
    script = (path or REFERENCE).resolve()
    if not script.is_file():
        raise SystemExit(
            f"bench: the reference script is not at {script}.\n"
            f"It is expected beside the repository, at ../shared/bench/reference_report.py (from {ROOT}); "
            "pass --reference PATH, or --reference-scales '' to leave the comparison out."
        )
    probe = subprocess.run([PYTHON, "-c", "import matplotlib, jinja2, pandas, weasyprint"], capture_output=True)
    if probe.returncode:
        raise SystemExit(
            f"bench: {PYTHON} cannot run the reference script (it needs matplotlib, jinja2, pandas, weasyprint): "
            "`make bench` installs the bench extra; or `.venv/bin/uv pip install --python .venv/bin/python "
            "matplotlib`.\n" + probe.stderr.decode(errors="replace").strip().splitlines()[-1]
        )
    return script


def compare(
    chosen: list[Case],
    data: dict[int, Path],
    runs: dict[int, int],
    server: PrefectServer,
    work: Path,
    script: Path,
    out: dict[str, Any],
) -> None:
    """Every case's runs into `out`, salespulse and reference in turns, and the checked KPIs of each scale's first
    pair; `out` holds what was measured when the bench is stopped part-way."""
    home = Path(tempfile.mkdtemp(prefix="prefect-cold-", dir=work))
    out |= {"script": str(script), "python": PYTHON, "load_before": list(os.getloadavg()), "cases": [], "kpis": {}}
    for case in chosen:
        print(f"{case.label}: salespulse and reference in turns, {runs[case.scale]} run(s) each", flush=True)
        entry: dict[str, Any] = {**asdict(case), "salespulse": [], "reference": []}
        out["cases"].append(entry)
        for _ in range(runs[case.scale]):
            env = server.env() if case.server else {**COLD, "PREFECT_HOME": str(home)}
            ours, values = _salespulse(case, data[case.scale], work, env)
            entry["salespulse"].append(asdict(_show("salespulse", ours)))
            theirs, folder = _reference(case, data[case.scale], work, script)
            entry["reference"].append(asdict(_show("reference", theirs)))
            shutil.rmtree(folder, ignore_errors=True)
            if not case.backfill and str(case.scale) not in out["kpis"] and ours.ok and theirs.ok:
                out["kpis"][str(case.scale)] = _check(values, theirs.result.get("kpis", {}))
    out["load_after"] = list(os.getloadavg())


def _salespulse(case: Case, data: Path, work: Path, env: dict[str, str]) -> tuple[Sample, dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix=f"sp-{case.key}-", dir=work))
    config = str(write_config(data, folder))
    if case.backfill:
        span = ["--from", first_week(PERIOD, WEEKS), "--to", PERIOD, "--team", TEAM]
        sample = measure([SALESPULSE, "backfill", *span, "--config", config], env, ok_codes=BACKFILL_OK)
    else:  # no SMTP host in the config: the message goes to the outbox as an .eml, as the reference's does
        sample = measure([SALESPULSE, "run", "--team", TEAM, "--period", PERIOD, "--json", "--config", config], env)
    values = {}
    kpis = folder / "out" / "reports" / TEAM / PERIOD / "kpis.json"
    if kpis.is_file():
        values = {k["kpi"]: k["value"] for k in json.loads(kpis.read_text(encoding="utf-8"))["kpis"]}
    sample.result.pop("runs", None)  # paths into the folder removed below
    shutil.rmtree(folder, ignore_errors=True)
    return sample, values


def _reference(case: Case, data: Path, work: Path, script: Path) -> tuple[Sample, Path]:
    folder = Path(tempfile.mkdtemp(prefix=f"ref-{case.key}-", dir=work))
    command = [PYTHON, str(script), str(data), "--team", TEAM, "--week", PERIOD, "--out", str(folder)]
    return measure([*command, "--weeks", str(WEEKS if case.backfill else 1)]), folder


def _check(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    pairs = {k: [ours.get(k), theirs.get(k)] for k in CHECKED}
    same = all(a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in pairs.values())
    print(
        f"  KPIs ({TEAM} {PERIOD}; salespulse kpis.json vs reference): {pairs} -> {'equal' if same else 'MISMATCH'}",
        flush=True,
    )
    return {"values": pairs, "same": same}


def _show(side: str, sample: Sample) -> Sample:
    status = "ok" if sample.ok else f"FAILED {sample.error}"
    code = sample.result.get("exit_code")
    print(
        f"  {side:<10} {sample.wall:7.2f} s  cpu {sample.cpu:6.2f} s  {sample.rss_mb:6.0f} MB  "
        f"load {sample.load:.1f}  exit {code}  {status}",
        flush=True,
    )
    return sample
