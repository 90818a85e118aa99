"""weekly_report: ingest → validate → compute → render → deliver → record, for each team."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from itertools import islice
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture, wait
from prefect.states import Failed
from prefect.task_runners import ProcessPoolTaskRunner

from salespulse.config import load_config
from salespulse.errors import (
    EXIT_BUSY,
    EXIT_DATA_QUALITY,
    EXIT_DELIVERED,
    EXIT_INTERNAL,
    EXIT_NOT_DELIVERED,
    EXIT_USAGE,
)
from salespulse.flows import stages
from salespulse.flows.artifacts import publish_artifacts
from salespulse.flows.global_locks import prefect_period_locks
from salespulse.flows.notify import notify_owners
from salespulse.flows.team_report import (
    ReadyReport,
    RunInputs,
    TeamOutcome,
    Withheld,
    publish_report,
    validate_and_compute,
    withhold_report,
)
from salespulse.plan import RunPlan, TeamRun, plan_run
from salespulse.store.locks import RunInProgress, period_lock, period_locks
from salespulse.store.records import record_report, write_archive
from salespulse.transforms.results import DqVerdict

__all__ = ["RunOutcome", "TeamOutcome", "report_runs", "weekly_report"]


@dataclass
class RunOutcome:
    runs: list[TeamOutcome]

    @property
    def exit_code(self) -> int:
        codes = {run.exit_code for run in self.runs}
        for code in (EXIT_INTERNAL, EXIT_USAGE, EXIT_DATA_QUALITY, EXIT_NOT_DELIVERED, EXIT_BUSY):
            if code in codes:
                return code
        return EXIT_DELIVERED

    def as_dict(self) -> dict[str, object]:
        periods = {run.period for run in self.runs}
        teams = [run.team for run in self.runs]
        return {
            "period": periods.pop() if len(periods) == 1 else None,
            "team": teams[0] if len(teams) == 1 else None,
            "status": "ok" if self.exit_code == EXIT_DELIVERED else "failed",
            "exit_code": self.exit_code,
            "runs": [asdict(run) for run in self.runs],
        }


@flow(name="weekly-report", log_prints=True)
def weekly_report(
    period: str | None = None,
    team: str | None = None,
    config_path: str = "salespulse.yaml",
    dry_run: bool = False,
    as_of: date | None = None,
    resend: bool = False,
) -> RunOutcome:
    """Report one period for one team, or for every team. The period defaults to the last one complete on
    each team's calendar at the scheduled start (or at noon UTC on `as_of`, for the demo and reruns)."""
    now = _scheduled_start() if as_of is None else datetime.combine(as_of, time(12), tzinfo=UTC)
    plan = plan_run(load_config(Path(config_path)), period, team, now)
    # Locked before ingest, so a busy flow run (from `serve` or a worker) ends before reading anything. The CLI
    # holds the machine's locks already; in its process they are re-entrant. Then, if configured, other machines'.
    keys = [(run.team_id, run.period.label) for run in plan.teams]
    with (
        period_locks(plan.locks_dir, keys) as refused,
        prefect_period_locks([key for key in keys if key not in refused]) as elsewhere,
    ):
        refused |= elsewhere
        runs = [run for run in plan.teams if (run.team_id, run.period.label) not in refused]
        done = report_runs(plan, runs, stages.ingest(plan.data_dir), dry_run, resend=resend) if runs else None
    busy = {key: TeamOutcome(*key, "busy", EXIT_BUSY, str(error)) for key, error in refused.items()}
    reported = {(outcome.team, outcome.period): outcome for outcome in done.runs} if done else {}
    return finished(plan, RunOutcome([(busy | reported)[key] for key in keys]))


def report_runs(
    plan: RunPlan,
    runs: Sequence[TeamRun],
    ingested: stages.Ingested,
    dry_run: bool,
    on_done: Callable[[TeamOutcome], None] | None = None,
    resend: bool = False,
) -> RunOutcome:
    """Report each team and period of `runs` from one ingest, in order: validate and compute it, lay it out,
    write and deliver it, and record it. With several reports, a report's pages are laid out in a process of
    Prefect's process pool task runner while the next `workers` periods are validated and computed here:
    layout is a large share of a report's time, and the checks run on one core."""
    inputs = _inputs(plan, runs, ingested)
    workers = render_workers(len(runs))
    outcomes: list[TeamOutcome] = []
    artifacts: list[PrefectFuture[list[str]]] = []
    with stages.layout_processes(workers) as layouts:
        started = (start_report(plan, run, inputs, layouts) for run in runs)
        for report in _ahead(started, workers):
            with report.lock:
                outcome = finish_report(plan, report, dry_run, resend)
                artifacts += record(plan, report, outcome, dry_run)
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    wait(artifacts)  # all published before the flow run ends
    return RunOutcome(outcomes)


def _inputs(plan: RunPlan, runs: Sequence[TeamRun], ingested: stages.Ingested) -> RunInputs:
    """What every report of the run reads: the ingest split by team, and the ids the checks compare against."""
    if ingested.problem:
        return RunInputs(ingested)
    teams = stages.split_teams(ingested.tables, plan.company_teams)
    return RunInputs(ingested, teams, stages.references(ingested.tables, (run.timezone for run in runs)))


def _ahead(reports: Iterator[StartedReport], count: int) -> Iterator[StartedReport]:
    """`reports`, each started `count` reports before it is handed on: while one is laid out in a process of
    its own, the next ones are validated and computed here."""
    waiting = deque(islice(reports, count))
    for report in reports:
        waiting.append(report)
        yield waiting.popleft()
    yield from waiting


def render_workers(reports: int) -> int:
    """Processes that lay out pages beside the run: one per core, at most four, for three reports or more.
    None for fewer: starting one (it imports WeasyPrint) costs about what a layout saves.
    SALESPULSE_RENDER_WORKERS sets the number (0: lay out every report in the run's own process)."""
    chosen = os.environ.get("SALESPULSE_RENDER_WORKERS", "").strip()
    if chosen.isdigit():
        return int(chosen)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(cores, 4) if reports >= 3 and cores > 1 else 0
    if chosen:
        get_run_logger().warning(
            "SALESPULSE_RENDER_WORKERS=%r is not a whole number of processes; using %d", chosen, workers
        )
    return workers


@dataclass
class StartedReport:
    """One team and period, validated and computed under its lock, with its layout started when it passed;
    or ended before (busy, bad input, failed), its lock released."""

    run: TeamRun
    validated: ReadyReport | Withheld | TeamOutcome
    lock: ExitStack = field(default_factory=ExitStack)
    layout: stages.Layout | None = None

    @property
    def verdict(self) -> DqVerdict | None:
        return None if isinstance(self.validated, TeamOutcome) else self.validated.dq.verdict


def start_report(
    plan: RunPlan, run: TeamRun, inputs: RunInputs, layouts: ProcessPoolTaskRunner | None
) -> StartedReport:
    """Validate and compute one team and period under its lock, and start its layout (in a process of
    `layouts`, if any). A crash in any stage becomes a recorded failure of this team (exit 1) instead of
    ending the run for the others, or vanishing from the record."""
    label = run.period.label
    if inputs.ingested.problem:
        return StartedReport(run, TeamOutcome(run.team_id, label, "bad input", EXIT_USAGE, inputs.ingested.problem))
    lock = ExitStack()
    try:
        lock.enter_context(period_lock(plan.locks_dir, run.team_id, label))
        validated = validate_and_compute(plan, run, inputs)
        layout = stages.start_layout(layouts, validated.context) if isinstance(validated, ReadyReport) else None
        return StartedReport(run, validated, lock, layout)
    except RunInProgress as busy:
        ended = TeamOutcome(run.team_id, label, "busy", EXIT_BUSY, str(busy))
    except Exception as err:  # noqa: BLE001 - recorded and reported; the traceback goes to the log
        ended = _failed(run, err)
    lock.close()
    return StartedReport(run, ended)


def finish_report(plan: RunPlan, report: StartedReport, dry_run: bool, resend: bool) -> TeamOutcome:
    """Wait for the report's pages, then write and deliver them; or, for a withheld period, write its dq.html
    and alert the data owners."""
    validated = report.validated
    if isinstance(validated, TeamOutcome):
        return validated
    try:
        if isinstance(validated, Withheld):
            return withhold_report(plan, report.run, validated, dry_run, resend)
        html, pdf = stages.pages(report.layout, validated.context)
        return publish_report(plan, report.run, validated, html, pdf, dry_run, resend)
    except Exception as err:  # noqa: BLE001 - as in start_report
        return _failed(report.run, err)


def record(plan: RunPlan, report: StartedReport, outcome: TeamOutcome, dry_run: bool) -> list[PrefectFuture[list[str]]]:
    """The run path's record step, for every outcome, under the period's lock: the run's row and the period's
    verdict in the state database; the owners' notice when the outcome starts or ends a failure streak; and
    the Prefect artifacts, handed to the flow's task runner (returned, to be waited for before the run ends).
    The archive page is rebuilt once, when the run ends (`finished`)."""
    if outcome.status == "busy":
        return []  # the run that holds the lock records this period
    before = record_report(plan, report.verdict, outcome, dry_run)
    if not dry_run:
        notice = notify_owners(plan, report.run, outcome, before)
        if notice:
            outcome.messages.append(notice)
    if report.verdict is None:
        return []
    kpis = report.validated.computed.kpis if isinstance(report.validated, ReadyReport) and outcome.kpis else None
    return [publish_artifacts.submit(report.run, report.verdict, kpis)]


def _failed(run: TeamRun, err: Exception) -> TeamOutcome:
    """The outcome of a crash (called while handling it: the log gets the traceback)."""
    get_run_logger().exception("%s %s failed", run.team_id, run.period.label)
    detail = f"internal error: {type(err).__name__}: {err}"
    return TeamOutcome(run.team_id, run.period.label, "failed", EXIT_INTERNAL, detail)


def finished(plan: RunPlan, outcome: RunOutcome) -> RunOutcome:
    """The end of the record: the archive page, rebuilt once every period of the run is recorded."""
    write_archive(plan)
    if outcome.exit_code != EXIT_DELIVERED:
        # A withheld or undelivered report is a failed run in Prefect too, never a quiet success.
        return Failed(message="; ".join(f"{r.team}: {r.status} {r.detail}" for r in outcome.runs), data=outcome)
    return outcome


def _scheduled_start() -> datetime:
    """The planned start (UTC) of a scheduled run, so a late run still reports the intended period."""
    from prefect.runtime import flow_run

    start = flow_run.scheduled_start_time
    return start if isinstance(start, datetime) else datetime.now(UTC)
