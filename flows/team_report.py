"""One team and period, in two halves around the layout: `validate_and_compute` (checks and KPIs, one task
run), then `publish_report` (files and email), or `withhold_report` (the data owners' alert) for a period
that failed a critical check.

The halves are apart so that a run of many reports can lay out one report's pages in another process while
the next period is validated (flows/report_flow.py); one report runs them back to back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from salespulse.errors import EXIT_DATA_QUALITY, EXIT_DELIVERED, EXIT_NOT_DELIVERED
from salespulse.flows import stages
from salespulse.plan import RunPlan, TeamRun
from salespulse.reports.context import ReportContext
from salespulse.store.identity import VERSION, report_identity, run_fingerprint, validation_id
from salespulse.store.ledger import MessageKey, content_hash, verdict_hash
from salespulse.store.outputs import write_dq_page, write_kpis
from salespulse.store.state import first_generated
from salespulse.transforms.results import DqVerdict
from salespulse.transforms.team_data import TeamData


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


@dataclass(frozen=True)
class RunInputs:
    """What every team and period of a run reads: one ingest, split by team, and the ids its checks know."""

    ingested: stages.Ingested
    teams: dict[str, TeamData] = field(default_factory=dict)
    refs: stages.References = field(default_factory=stages.References)


@dataclass(frozen=True)
class PeriodVerdict:
    """A period's verdict, when it was first reached from these inputs, and what it was reached from (the
    input files' checksums, the config, the validation run): what its dq.html shows and its record keeps."""

    verdict: DqVerdict
    checked_at: datetime
    lineage: dict[str, str]


@dataclass(frozen=True)
class ReadyReport:
    """A period that passed its critical checks, with its KPIs worked out: all its report needs but pages."""

    context: ReportContext
    computed: stages.Computed
    dq: PeriodVerdict


@dataclass(frozen=True)
class Withheld:
    """A period that failed a critical check: no KPIs, no report; its data owners get the alert."""

    dq: PeriodVerdict


@task(cache_policy=NO_CACHE, task_run_name="checks-{run.team_id}-{run.period.label}")
def validate_and_compute(plan: RunPlan, run: TeamRun, inputs: RunInputs) -> ReadyReport | Withheld:
    """Validate the period and compute its KPIs, as one task run: the history read, the checks, the history
    write and the KPIs are plain calls inside it. Each task run costs the Prefect server CPU (its state changes
    are events the server stores), which a backfill of 52 periods feels. The history read and write are not
    retried on their own: a failed period is rerun by rerunning it, which replaces what it wrote."""
    data = stages.recall(plan.history_dir, run, inputs.teams[run.team_id], plan.kpi_ids)  # with past periods
    now = datetime.now(UTC).replace(microsecond=0)
    checksums, config, label = inputs.ingested.checksums, plan.config_fingerprint, run.period.label
    checked_at = first_generated(plan.state_db, run_fingerprint(checksums, config, run.team_id, label), now)
    verdict, data = stages.validate(data, inputs.refs, run, plan.as_of, run_id="")
    verdict = replace(verdict, run_id=validation_id(verdict, run.team_id, label))
    files = {f"input {name}": digest[:16] for name, digest in sorted(checksums.items())}
    dq = PeriodVerdict(verdict, checked_at, files | {"config": config} | _lineage(verdict))
    if not verdict.passed:
        return Withheld(dq)
    stages.keep(plan.history_dir, run, data)
    peers = [(team_id, name, inputs.teams[team_id]) for team_id, name, _ in plan.company_teams]
    computed = stages.compute(data, run, plan.kpi_ids, peers)
    context = _context(plan, run, computed, verdict, now)
    # Known by what it shows: a rerun that shows the same keeps the first time, so its files are byte-identical.
    generated_at = first_generated(plan.state_db, report_identity(context), now)
    return ReadyReport(replace(context, generated_at=generated_at), computed, dq)


def publish_report(
    plan: RunPlan, run: TeamRun, ready: ReadyReport, html: str, pdf: bytes, dry_run: bool, resend: bool
) -> TeamOutcome:
    """Write the report's files, then email it (a dry run stops at the files)."""
    from salespulse.reports.emails import compose_report_email, page_links

    label = run.period.label
    write_dq_page(plan, run, ready.dq.verdict, ready.dq.checked_at, ready.dq.lineage)
    html_path, pdf_path = stages.write_report(run.report_dir, html, pdf)
    kpis_path = write_kpis(run.report_dir, run.team_id, label, ready.computed)
    paths = {"html": str(html_path), "pdf": str(pdf_path), "kpis": str(kpis_path), "report_dir": str(run.report_dir)}
    if dry_run:
        return TeamOutcome(run.team_id, label, "dry-run", EXIT_DELIVERED, "rendered, not delivered", **paths)
    message = compose_report_email(
        ready.context,
        pdf,
        plan.sender,
        list(run.recipients),
        max_attachment_bytes=plan.max_attachment_bytes,
        report_location=str(pdf_path),
        links=page_links(plan.public_url, plan.reports_dir, run.report_dir),
    )
    key = MessageKey(run.team_id, label, "report", content_hash(html))
    sent = stages.deliver(message, plan.smtp, plan.outbox, plan.state_db, key, resend, run.locale)
    code = EXIT_NOT_DELIVERED if sent.status == "failed" else EXIT_DELIVERED
    status = {"sent": "delivered", "outbox": "outbox", "failed": "not delivered"}[sent.status]
    messages = [str(sent.path), *_warning_notice(plan, run, ready.context, resend)]
    return TeamOutcome(run.team_id, label, status, code, sent.detail, messages=messages, **paths)


def _warning_notice(plan: RunPlan, run: TeamRun, context: ReportContext, resend: bool) -> list[str]:
    """A report that went out with warnings: the data owners get the findings (the rows named, what each
    leaves out), since some ask a person to decide (an implausible amount is counted until someone says it
    is a typo). Once per verdict: a rerun with the same findings sends nothing again."""
    from salespulse.reports.emails import compose_alert_email, page_links

    verdict = context.dq
    if not verdict.warnings:
        return []
    notice = compose_alert_email(
        plan.company,
        run.team_name,
        run.period.label,
        verdict,
        plan.sender,
        list(plan.data_owners),
        str(run.report_dir / "dq.html"),
        generated_at=context.generated_at,
        locale=run.locale,
        links=page_links(plan.public_url, plan.reports_dir, run.report_dir),
    )
    key = MessageKey(run.team_id, run.period.label, "dq-notice", verdict_hash(verdict))
    return [str(stages.deliver(notice, plan.smtp, plan.outbox, plan.state_db, key, resend, run.locale).path)]


def withhold_report(plan: RunPlan, run: TeamRun, withheld: Withheld, dry_run: bool, resend: bool) -> TeamOutcome:
    """The team's report is withheld: its dq.html is written, and the data owners get the alert linking to
    it, unless this is a dry run."""
    from salespulse.reports.emails import compose_alert_email, page_links

    label, verdict = run.period.label, withheld.dq.verdict
    write_dq_page(plan, run, verdict, withheld.dq.checked_at, withheld.dq.lineage)
    alert = compose_alert_email(
        plan.company,
        run.team_name,
        label,
        verdict,
        plan.sender,
        list(plan.data_owners),
        str(run.report_dir / "dq.html"),
        generated_at=withheld.dq.checked_at,
        locale=run.locale,
        links=page_links(plan.public_url, plan.reports_dir, run.report_dir, report=False),
    )
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


def _context(
    plan: RunPlan, run: TeamRun, computed: stages.Computed, verdict: DqVerdict, now: datetime
) -> ReportContext:
    """What the report shows: its own period's numbers and findings, and the version, nothing else. The
    data-quality trend across periods and the checksums of the input files and config file are on dq.html:
    a week added to the export or a comment added to the config must not make the report a new version."""
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
        dq_report="dq.html",
        paper=plan.paper,
        leaderboard_rows=plan.leaderboard_rows,
        dq=verdict,
        generated_at=now,
        lineage=_lineage(verdict),
        skipped_kpis=computed.skipped,
        highlights=computed.highlights,
        full_pdf=plan.full_pdf,
    )


def _lineage(verdict: DqVerdict) -> dict[str, str]:
    return {"validation run": verdict.run_id, "salespulse": VERSION}
