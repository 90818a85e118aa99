"""Files beside each report: the KPI values as JSON and CSV, the data-quality verdict as JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path

from flows.files import write_atomic
from transforms.results import DqVerdict, GoalProgress, KpiResult

NOT_AVAILABLE = "n/a"  # never 0, inf or NaN for an undefined KPI


def kpi_rows(kpis: list[KpiResult]) -> list[dict[str, object]]:
    return [
        {
            "kpi": k.kpi_id,
            "name": k.name,
            "unit": k.unit,
            "value": k.value,
            "previous": k.previous,
            "change": k.change,
        }
        for k in kpis
    ]


def write_kpis(folder: Path, team: str, period: str, kpis: list[KpiResult], goals: list[GoalProgress]) -> Path:
    """kpis.json (null where undefined) and kpis.csv ("n/a" where undefined); returns the JSON path."""
    document = {
        "team": team,
        "period": period,
        "kpis": kpi_rows(kpis),
        "goals": [
            {
                **asdict(g),
                "start": g.start.isoformat(),
                "deadline": g.deadline.isoformat(),
                "progress": g.progress,
            }
            for g in goals
        ],
    }
    path = write_atomic(folder / "kpis.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["team", "period", "kpi", "name", "unit", "value", "previous", "change"])
    writer.writeheader()
    for row in kpi_rows(kpis):
        writer.writerow(
            {"team": team, "period": period, **{k: NOT_AVAILABLE if v is None else v for k, v in row.items()}}
        )
    write_atomic(folder / "kpis.csv", buffer.getvalue())
    return path


def write_verdict(folder: Path, verdict: DqVerdict) -> Path:
    document = {
        "status": verdict.status,
        "checks_run": verdict.checks_run,
        "run_id": verdict.run_id,
        "failures": [asdict(f) for f in verdict.failures],
    }
    return write_atomic(folder / "dq.json", json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
