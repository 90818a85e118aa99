"""Files beside each report: the KPI values as JSON and CSV, the data-quality verdict as JSON and its page."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Protocol

from salespulse.plan import RunPlan, TeamRun
from salespulse.store.files import write_atomic
from salespulse.store.inert_csv import csv_document
from salespulse.store.state import DQ_TREND_PERIODS, dq_history
from salespulse.transforms.results import (
    DqVerdict,
    FunnelStep,
    GoalProgress,
    KpiResult,
    LeaderboardRow,
    SkippedKpi,
)

NOT_AVAILABLE = "n/a"  # never 0, inf or NaN for an undefined KPI
CSV_COLUMNS = [
    "team",
    "period",
    "kpi",
    "name",
    "unit",
    "dimension",
    "key",
    "label",
    "value",
    "previous",
    "change",
    "baseline",
    "baseline_label",
]


class ComputedKpis(Protocol):
    kpis: list[KpiResult]
    goals: list[GoalProgress]
    funnel: list[FunnelStep]
    leaderboard: list[LeaderboardRow]
    skipped: list[SkippedKpi]


def skipped_reason(kpi: SkippedKpi) -> str:
    tables = " and ".join(kpi.missing)
    return f"needs the {tables} table{'s' if len(kpi.missing) > 1 else ''}, which this team's data does not have"


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def kpi_document(team: str, period: str, computed: ComputedKpis) -> dict[str, object]:
    def kpi(k: KpiResult) -> dict[str, object]:
        return {
            "kpi": k.kpi_id,
            "name": k.name,
            "unit": k.unit,
            "value": _number(k.value),
            "previous": _number(k.previous),
            "change": _number(k.change),
            "baseline": _number(k.baseline),
            "baseline_label": k.baseline_label,
            "definition": k.definition,
            "formula": k.formula,
            "trend": [{"period": label, "value": _number(value)} for label, value in k.trend],
            "breakdowns": {
                dim: [{"key": r.key, "label": r.label, "value": _number(r.value)} for r in rows]
                for dim, rows in k.breakdowns.items()
            },
        }

    goals = [
        {
            **asdict(g),
            "scope": g.scope,  # in words, beside the terms, as before the terms were data
            "start": g.start.isoformat(),
            "deadline": g.deadline.isoformat(),
            "progress": g.progress,
            "path": [{"date": day.isoformat(), "value": _number(value)} for day, value in g.path],
        }
        for g in computed.goals
    ]
    return {
        "team": team,
        "period": period,
        "kpis": [kpi(k) for k in computed.kpis],
        "goals": goals,
        "funnel": [asdict(step) for step in computed.funnel],
        "leaderboard": [asdict(row) for row in computed.leaderboard],
        # Listed, not left out: a reader of the JSON learns why a configured KPI has no value.
        "skipped": [
            {"kpi": s.kpi_id, "name": s.name, "missing_tables": list(s.missing), "reason": skipped_reason(s)}
            for s in computed.skipped
        ],
    }


def kpi_csv_rows(team: str, period: str, kpis: list[KpiResult]) -> list[dict[str, object]]:
    """One row per KPI, then one per breakdown value; "n/a" wherever a value is undefined."""
    rows: list[dict[str, object]] = []
    for k in kpis:
        base = {"team": team, "period": period, "kpi": k.kpi_id, "name": k.name, "unit": k.unit}
        rows.append(
            {
                **base,
                "dimension": "",
                "key": "",
                "label": "",
                "value": _number(k.value),
                "previous": _number(k.previous),
                "change": _number(k.change),
                "baseline": _number(k.baseline),
                "baseline_label": k.baseline_label,
            }
        )
        for dimension, breakdown in k.breakdowns.items():
            rows += [
                {**base, "dimension": dimension, "key": r.key, "label": r.label, "value": _number(r.value)}
                for r in breakdown
            ]
    return [
        {column: NOT_AVAILABLE if row.get(column, "") is None else row.get(column, "") for column in CSV_COLUMNS}
        for row in rows
    ]


def write_kpis(folder: Path, team: str, period: str, computed: ComputedKpis) -> Path:
    """kpis.json (null where undefined) and kpis.csv ("n/a" where undefined, CRM text made inert for
    spreadsheets: salespulse/store/inert_csv.py); returns the JSON path."""
    document = kpi_document(team, period, computed)
    path = write_atomic(folder / "kpis.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    write_atomic(folder / "kpis.csv", csv_document(CSV_COLUMNS, kpi_csv_rows(team, period, computed.kpis)))
    return path


def write_verdict(folder: Path, verdict: DqVerdict) -> Path:
    document = {
        "status": verdict.status,
        "checks_run": verdict.checks_run,
        "run_id": verdict.run_id,
        "failures": [asdict(f) for f in verdict.failures],
    }
    return write_atomic(folder / "dq.json", json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")


def write_dq_page(
    plan: RunPlan, run: TeamRun, verdict: DqVerdict, checked_at: datetime, lineage: dict[str, str]
) -> Path:
    """dq.json and dq.html, before anything that links to them is sent. dq.html is the live page: beside the
    verdict it shows the team's trend up to this period and the files this run read, neither of which may
    enter the report (another period's run, or a week added to the export, would change it). The trend is the
    periods recorded so far, with this period's verdict in place of any earlier one (it is recorded after)."""
    from salespulse.reports.dq import render_dq_html

    label = run.period.label
    recorded = [point for point in dq_history(plan.state_db, run.team_id, up_to=label) if point.period != label]
    trend = [*recorded, verdict.point(label)][-DQ_TREND_PERIODS:]
    write_verdict(run.report_dir, verdict)
    page = render_dq_html(plan.company, run.team_name, label, verdict, trend, run.locale, checked_at, lineage=lineage)
    return write_atomic(run.report_dir / "dq.html", page)
