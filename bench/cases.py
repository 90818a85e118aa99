"""The in-process cases of `make bench`: one report's stages, timed without Prefect (`task.fn`).

Usage: python bench/cases.py CASE CONFIG --team north --period 2026-W47
  CASE = pipeline   every stage once, in order, as `salespulse.flows.team_report` runs them (a cold run's
                    own work: everything after the imports)
       | ingest | validate | kpis | html | pdf | deliver
                    that stage twice, after the stages before it (untimed): `first` is its cost in a cold
                    run, `again` its cost for every further period of a backfill

bench.py runs each case in a process of its own (peak memory per case). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

started = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import great_expectations  # noqa: E402, F401  - imports are timed apart from the work
import weasyprint  # noqa: E402, F401

from salespulse.config import load_config  # noqa: E402
from salespulse.demo.data import DEMO_END  # noqa: E402
from salespulse.expectations import runner  # noqa: E402
from salespulse.flows import stages  # noqa: E402
from salespulse.flows.team_report import _context  # noqa: E402
from salespulse.plan import RunPlan, TeamRun, plan_run  # noqa: E402
from salespulse.reports.emails import compose_report_email  # noqa: E402
from salespulse.reports.render import render_html, render_pdf  # noqa: E402
from salespulse.store.identity import run_fingerprint  # noqa: E402
from salespulse.store.ledger import MessageKey, content_hash  # noqa: E402
from salespulse.store.outputs import write_kpis  # noqa: E402

runner.prepare()  # GX's context built here, so the validate case times the checks alone
IMPORT_S = time.perf_counter() - started
STAGES = ("ingest", "validate", "kpis", "html", "pdf", "deliver")
GENERATED_AT = datetime(2026, 11, 23, 7, tzinfo=UTC)


class Report:
    """One team and period, taken through the stages one call at a time."""

    def __init__(self, config: Path, team: str, period: str) -> None:
        now = datetime.combine(DEMO_END + timedelta(days=1), dt_time(12), tzinfo=UTC)  # as `salespulse demo`
        self.plan: RunPlan = plan_run(load_config(config), period, team, now)
        self.run: TeamRun = self.plan.teams[0]
        self.out: dict[str, Any] = {}

    def ingest(self) -> None:
        self.ingested = stages.ingest.fn(self.plan.data_dir)
        if self.ingested.problem:
            raise SystemExit(self.ingested.problem)
        self.teams = stages.split_teams.fn(self.ingested.tables, self.plan.company_teams)
        self.refs = stages.references.fn(self.ingested.tables, [self.run.timezone])

    def validate(self) -> None:
        run = self.run
        label = run.period.label
        fingerprint = run_fingerprint(self.ingested.checksums, self.plan.config_fingerprint, run.team_id, label)
        data = self.teams[run.team_id]
        self.verdict, self.data = stages.validate(data, self.refs, run, self.plan.as_of, fingerprint)
        self.out["dq"] = self.verdict.status

    def kpis(self) -> None:
        run, as_of = self.run, self.plan.as_of
        peers = [
            (
                team_id,
                name,
                self.data if team_id == run.team_id else stages.flag_rows(self.teams[team_id], run, as_of, self.refs),
            )
            for team_id, name, _ in self.plan.company_teams
        ]  # as flows/team_report.py: every team under the same rule
        self.computed = stages.compute(self.data, self.run, self.plan.kpi_ids, peers)
        self.out["kpis"] = {k.kpi_id: k.value for k in self.computed.kpis}

    def html(self) -> None:
        self.context = _context(self.plan, self.run, self.computed, self.verdict, GENERATED_AT)
        self.report_html = render_html(self.context)
        self.out["html_bytes"] = len(self.report_html)

    def pdf(self) -> None:
        self.report_pdf = render_pdf(self.report_html)
        self.out["pdf_bytes"] = len(self.report_pdf)

    def deliver(self) -> None:
        """write_report, kpis.json/csv, the email and its delivery to an outbox (no SMTP host), fresh each time."""
        run, plan = self.run, self.plan
        folder = Path(tempfile.mkdtemp(prefix="salespulse-bench-"))
        stages.write_report.fn(folder / "report", self.report_html, self.report_pdf)
        write_kpis(folder / "report", run.team_id, run.period.label, self.computed)
        message = compose_report_email(
            self.context,
            self.report_pdf,
            plan.sender,
            list(run.recipients),
            max_attachment_bytes=plan.max_attachment_bytes,
        )
        key = MessageKey(run.team_id, run.period.label, "report", content_hash(self.report_html))
        sent = stages.deliver.fn(message, None, folder / "outbox", folder / "state.sqlite", key, False, run.locale)
        self.out["delivery"] = sent.status


def timed(step: Callable[[], None]) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def run_case(case: str, report: Report) -> dict[str, Any]:
    steps = {name: getattr(report, name) for name in STAGES}
    if case == "pipeline":
        return {"stages": {name: timed(step) for name, step in steps.items()}}
    for name in STAGES[: STAGES.index(case)]:
        steps[name]()
    return {"first": timed(steps[case]), "again": timed(steps[case])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", choices=("pipeline", *STAGES))
    parser.add_argument("config", type=Path)
    parser.add_argument("--team", default="north")
    parser.add_argument("--period", default="2026-W47")
    args = parser.parse_args()
    report = Report(args.config, args.team, args.period)
    result = run_case(args.case, report)
    print(json.dumps({"import_s": IMPORT_S, **result, **report.out}, default=str))


if __name__ == "__main__":
    main()
