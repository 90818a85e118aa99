"""Prefect artifacts of one team run: the KPI table, the data-quality summary and links to the report.

Keys are stable per team and period (`north-2026-w47-kpis`), so the UI shows a rerun as a new version of
the same artifact. Prefect takes only plain JSON values: no DataFrames, numpy scalars, NaN or timestamps.
"""

from __future__ import annotations

import math
import re

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from salespulse.plan import TeamRun
from salespulse.transforms.results import CheckFailure, DqVerdict, KpiResult

KPI_COLUMNS = ("kpi", "name", "unit", "value", "previous", "change", "baseline")


def artifact_key(team_id: str, period: str, kind: str) -> str:
    """Prefect allows lowercase letters, digits and dashes only: `north_east`, `2026-W47` → `north-east-2026-w47`."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{team_id}-{period}-{kind}".lower()).strip("-")


@task(cache_policy=NO_CACHE)
def publish_artifacts(run: TeamRun, verdict: DqVerdict, kpis: list[KpiResult] | None = None) -> list[str]:
    """The KPI table (when the report was computed), the DQ summary, and links to the files written so far.
    Returns the keys created. A failure here is logged, never raised: the report itself is what matters."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    label, keys = run.period.label, []
    calls = [(create_markdown_artifact, "dq", {"markdown": dq_markdown(run, verdict)})]
    if kpis is not None:
        calls.append((create_table_artifact, "kpis", {"table": kpi_rows(kpis)}))
    for kind, name, text in (("report", "report.html", "Report (HTML)"), ("pdf", "report.pdf", "Report (PDF)")):
        path = run.report_dir / name
        if path.exists():
            calls.append((create_link_artifact, kind, {"link": path.resolve().as_uri(), "link_text": text}))
    for create, kind, content in calls:
        key = artifact_key(run.team_id, label, kind)
        try:
            create(key=key, description=f"{run.team_name} · {label}", **content)
        except Exception as err:  # noqa: BLE001 - an artifact is a convenience; never fail a report over it
            get_run_logger().warning("artifact %s not published: %s: %s", key, type(err).__name__, err)
            continue
        keys.append(key)
    return keys


def kpi_rows(kpis: list[KpiResult]) -> list[dict[str, object]]:
    """One row per KPI; None (shown empty) where a value is undefined, never NaN or inf."""
    return [
        {
            "kpi": k.kpi_id,
            "name": k.name,
            "unit": k.unit,
            "value": _plain(k.value),
            "previous": _plain(k.previous),
            "change": _plain(k.change),
            "baseline": _plain(k.baseline),
        }
        for k in kpis
    ]


def dq_markdown(run: TeamRun, verdict: DqVerdict) -> str:
    """Checks run, failures by severity, each failed check, and where the full data-quality page is."""
    counts = f"{len(verdict.critical)} critical · {len(verdict.warnings)} warning · {len(verdict.infos)} info"
    lines = [
        f"## Data quality · {run.team_name} · {run.period.label}",
        "",
        f"**{verdict.status}**: {verdict.checks_run} checks run; failed: {counts}.",
    ]
    if not verdict.passed:
        lines.append("The report was **withheld** and the data owners alerted.")
    if verdict.failures:
        lines += ["", "| severity | table | column | check | failing | rows | left out | meaning |", "|---" * 8 + "|"]
        lines += [_failure_row(f) for f in verdict.failures]
    page = run.report_dir / "dq.html"
    if page.exists():
        lines += ["", f"Full page: [{page.name}]({page.resolve().as_uri()})"]
    return "\n".join(lines) + "\n"


def _failure_row(failure: CheckFailure) -> str:
    cells = [
        failure.severity,
        failure.table,
        failure.column or "",
        failure.check,
        str(failure.failing),
        str(failure.total),
        str(failure.excluded),
        failure.meaning,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    # A pipe or a line break would end the markdown table cell early.
    return text.replace("|", "\\|").replace("\n", " ")


def _plain(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)  # numpy scalars become plain floats
    return round(number, 6) if math.isfinite(number) else None
