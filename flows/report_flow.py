"""weekly_report: ingest → validate → compute → render → deliver → record, for each team."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.states import Failed

from flows import stages
from flows.artifacts import publish_artifacts
from flows.config import load_config
from flows.errors import (
    EXIT_BUSY,
    EXIT_DATA_QUALITY,
    EXIT_DELIVERED,
    EXIT_INTERNAL,
    EXIT_NOT_DELIVERED,
    EXIT_USAGE,
)
from flows.ledger import MessageKey, content_hash, verdict_hash
from flows.locks import RunInProgress, period_lock
from flows.notify import notify_owners
from flows.outputs import write_kpis
from flows.plan import RunPlan, TeamRun, plan_run
from flows.records import record_verdict, write_archive
from flows.state import failure_streak, first_generated, record_run
from reports.context import ReportContext
from transforms.results import DqHistoryPoint, DqVerdict
from transforms.team_data import TeamData

VERSION = "0.1.0"


@dataclass
class TeamOutcome:
    team: str
    period: str
    status: str  # delivered, outbox, dry-run, withheld, not delivered, bad input, failed, busy
    exit_code: int
    detail: str = ""
    html: str | None = None
    pdf: str | None = None
    kpis: str | None = None
    messages: list[str] = field(default_factory=list)
    report_dir: str | None = None


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
    outcome = report_runs(plan, plan.teams, stages.ingest(plan.data_dir), dry_run, resend=resend)
    return finished(plan, outcome)


def report_runs(
    plan: RunPlan,
    runs: Sequence[TeamRun],
    ingested: stages.Ingested,
    dry_run: bool,
    on_done: Callable[[TeamOutcome], None] | None = None,
    resend: bool = False,
) -> RunOutcome:
    """Report each team and period of `runs` from one ingest, recording every outcome as it ends."""
    teams, refs = {}, stages.References()
    if not ingested.problem:
        teams = stages.split_teams(ingested.tables, plan.company_teams)
        refs = stages.references(ingested.tables, (run.timezone for run in runs))
    outcomes = []
    for run in runs:
        if ingested.problem:
            outcome = TeamOutcome(run.team_id, run.period.label, "bad input", EXIT_USAGE, ingested.problem)
        else:
            outcome = guarded_report(plan, run, ingested, teams, refs, dry_run, resend)
        record_outcome(plan, run, outcome, dry_run)
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
    return RunOutcome(outcomes)


def guarded_report(
    plan: RunPlan,
    run: TeamRun,
    ingested: stages.Ingested,
    teams: dict[str, TeamData],
    refs: stages.References,
    dry_run: bool,
    resend: bool = False,
) -> TeamOutcome:
    """One team and period under its lock. A crash in any stage becomes a recorded failure of this team
    (exit 1) instead of ending the run for the others, or vanishing from the record."""
    label = run.period.label
    try:
        with period_lock(plan.locks_dir, run.team_id, label):
            return report_team(plan, run, ingested, teams, refs, dry_run, resend)
    except RunInProgress as busy:
        return TeamOutcome(run.team_id, label, "busy", EXIT_BUSY, str(busy))
    except Exception as err:  # noqa: BLE001 - recorded and reported; the traceback goes to the log
        get_run_logger().exception("%s %s failed", run.team_id, label)
        return TeamOutcome(run.team_id, label, "failed", EXIT_INTERNAL, f"internal error: {type(err).__name__}: {err}")


def record_outcome(plan: RunPlan, run: TeamRun, outcome: TeamOutcome, dry_run: bool) -> None:
    if outcome.status == "busy":
        return  # the run that holds the lock records this period
    streak = failure_streak(plan.state_db, run.team_id)
    record_run(
        plan.state_db,
        outcome.team,
        outcome.period,
        outcome.status,
        outcome.exit_code,
        outcome.detail,
        report_dir=outcome.report_dir,
        dry_run=dry_run,
    )
    if not dry_run:
        notice = notify_owners(plan, run, outcome, streak)
        if notice:
            outcome.messages.append(notice)


def finished(plan: RunPlan, outcome: RunOutcome) -> RunOutcome:
    write_archive(plan)
    if outcome.exit_code != EXIT_DELIVERED:
        # A withheld or undelivered report is a failed run in Prefect too, never a quiet success.
        return Failed(message="; ".join(f"{r.team}: {r.status} {r.detail}" for r in outcome.runs), data=outcome)
    return outcome


def report_team(
    plan: RunPlan,
    run: TeamRun,
    ingested: stages.Ingested,
    teams: dict[str, TeamData],
    refs: stages.References,
    dry_run: bool,
    resend: bool = False,
) -> TeamOutcome:
    from reports.emails import compose_alert_email, compose_report_email

    label = run.period.label
    data = stages.recall(plan.history_dir, run, teams[run.team_id], plan.kpi_ids)  # past periods, from history
    fingerprint = _fingerprint(ingested.checksums, plan.config_fingerprint, run)
    generated_at = first_generated(plan.state_db, fingerprint, datetime.now(UTC).replace(microsecond=0))
    verdict, data = stages.validate(data, refs, run, plan.as_of, run_id=fingerprint)
    history = record_verdict(plan, run, verdict, generated_at)
    if not verdict.passed:
        alert = compose_alert_email(
            plan.company,
            run.team_name,
            label,
            verdict,
            plan.sender,
            list(plan.data_owners),
            str(run.report_dir / "dq.html"),
            generated_at=generated_at,
            locale=run.locale,
        )
        publish_artifacts(run, verdict)
        failed = f"{len(verdict.critical)} critical data-quality checks failed"
        if dry_run:  # a dry run or a backfill without --send tells nobody, the data owners included
            return TeamOutcome(
                run.team_id, label, "withheld", EXIT_DATA_QUALITY, f"{failed}; alert not sent (dry run)",
                report_dir=str(run.report_dir),
            )  # fmt: skip
        key = MessageKey(run.team_id, label, "dq-alert", verdict_hash(verdict))
        sent = stages.deliver(alert, plan.smtp, plan.outbox, plan.state_db, key, resend, run.locale)
        return TeamOutcome(
            run.team_id,
            label,
            "withheld",
            EXIT_DATA_QUALITY,
            f"{failed}; alert: {sent.status}",
            messages=[str(sent.path)],
            report_dir=str(run.report_dir),
        )
    stages.keep(plan.history_dir, run, data)
    peers = [(team_id, name, teams[team_id]) for team_id, name, _ in plan.company_teams]
    computed = stages.compute(data, run, plan.kpi_ids, peers)
    context = _context(plan, run, computed, verdict, ingested.checksums, fingerprint, generated_at, history)
    html, pdf = stages.render(context)
    html_path, pdf_path = stages.write_report(run.report_dir, html, pdf)
    kpis_path = write_kpis(run.report_dir, run.team_id, label, computed)
    publish_artifacts(run, verdict, computed.kpis)
    paths = {"html": str(html_path), "pdf": str(pdf_path), "kpis": str(kpis_path), "report_dir": str(run.report_dir)}
    if dry_run:
        return TeamOutcome(run.team_id, label, "dry-run", EXIT_DELIVERED, "rendered, not delivered", **paths)
    message = compose_report_email(
        context,
        pdf,
        plan.sender,
        list(run.recipients),
        max_attachment_bytes=plan.max_attachment_bytes,
        report_location=str(pdf_path),
    )
    key = MessageKey(run.team_id, label, "report", content_hash(html))
    sent = stages.deliver(message, plan.smtp, plan.outbox, plan.state_db, key, resend, run.locale)
    code = EXIT_NOT_DELIVERED if sent.status == "failed" else EXIT_DELIVERED
    status = {"sent": "delivered", "outbox": "outbox", "failed": "not delivered"}[sent.status]
    return TeamOutcome(run.team_id, label, status, code, sent.detail, messages=[str(sent.path)], **paths)


def _context(
    plan: RunPlan,
    run: TeamRun,
    computed: stages.Computed,
    verdict: DqVerdict,
    checksums: dict[str, str],
    fingerprint: str,
    generated_at: datetime,
    history: list[DqHistoryPoint],
) -> ReportContext:
    lineage = {f"input {name}": digest[:16] for name, digest in sorted(checksums.items())}
    lineage |= {"config": plan.config_fingerprint, "validation run": fingerprint, "salespulse": VERSION}
    return ReportContext(
        company=plan.company,
        team_id=run.team_id,
        team_name=run.team_name,
        period_label=run.period.label,
        period_start=run.period.start,
        period_end=run.period.end,
        currency=plan.currency,
        locale=run.locale,
        kpis=computed.kpis,
        goals=computed.goals,
        funnel=computed.funnel,
        leaderboard=computed.leaderboard,
        cadence=run.period.cadence,
        headline=plan.headline,
        dq_history=history,
        dq_report="dq.html",
        paper=plan.paper,
        dq=verdict,
        generated_at=generated_at,
        lineage=lineage,
        skipped_kpis=computed.skipped,
    )


def _fingerprint(checksums: dict[str, str], config: str, run: TeamRun) -> str:
    """Same inputs, config, team and period → same id: a rerun is recognisable as the same run."""
    text = "|".join([*sorted(checksums.values()), config, run.team_id, run.period.label, VERSION])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _scheduled_start() -> datetime:
    """The planned start (UTC) of a scheduled run, so a late run still reports the intended period."""
    from prefect.runtime import flow_run

    start = flow_run.scheduled_start_time
    return start if isinstance(start, datetime) else datetime.now(UTC)
