"""The stages of a report run. Ingest, layout, writing and delivery are Prefect tasks (only the I/O ones
retry); a period's history read, checks, history write and KPIs are plain functions that
`validate_and_compute` (flows/team_report.py) runs as one task run per period."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner

from salespulse.config import Smtp
from salespulse.errors import DataSourceError
from salespulse.mail.delivery import Delivery, deliver_message
from salespulse.plan import TeamRun
from salespulse.sources.load import read_tables
from salespulse.store.files import write_atomic
from salespulse.store.history import read_first_orders, read_periods, write_first_orders, write_period
from salespulse.store.ledger import MessageKey
from salespulse.transforms.goals import goal_progress
from salespulse.transforms.highlights import HIGHLIGHT_READS, Highlights, highlights
from salespulse.transforms.history import ORIGIN, first_orders, needed_since, rows_of_period, with_history
from salespulse.transforms.kpi_people import FUNNEL_READS, funnel
from salespulse.transforms.kpi_runner import kpi_results, leaderboard
from salespulse.transforms.normalise import normalise
from salespulse.transforms.partial import absent_tables, no_data_goal, split_kpis
from salespulse.transforms.quality import check_context, check_inputs
from salespulse.transforms.results import DqVerdict, FunnelStep, GoalProgress, KpiResult, LeaderboardRow, SkippedKpi
from salespulse.transforms.scope import kpi_rows
from salespulse.transforms.taints import flagged, readable
from salespulse.transforms.team_data import TeamData, team_data, unowned_data

if TYPE_CHECKING:
    from salespulse.reports.context import ReportContext
    from salespulse.sources.mapping_config import Source

# Every task passes DataFrames: NO_CACHE, since hashing them for Prefect's default cache key is slow and
# unstable (copies get new keys). A rerun of a period recomputes it; nothing is served from a cache.


@dataclass(frozen=True)
class Ingested:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # a user-fixable input problem, reported as one line


@task(retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def ingest(data_dir: Path | Source) -> Ingested:
    try:
        raw, checksums = read_tables(data_dir)
    except DataSourceError as err:
        return Ingested(problem=str(err))  # not retried: reading the same bad file again won't help
    return Ingested(tables=normalise(raw), checksums=checksums)


@task(cache_policy=NO_CACHE)
def split_teams(tables: dict[str, pd.DataFrame], teams: tuple[tuple[str, str, str], ...]) -> dict[str, TeamData]:
    """Every team's own rows, with dates on its own calendar."""
    return {team_id: team_data(tables, team_id, timezone) for team_id, _, timezone in teams}


@dataclass(frozen=True)
class References:
    """What every team's checks compare against, from one ingest: the known rep and account ids, and the rows
    no team owns on each calendar (by timezone). Worked out once per ingest, so every period of a backfill
    shares them: each is a scan of every row."""

    known_reps: set[str] = field(default_factory=set)
    known_accounts: set[str] = field(default_factory=set)
    strays: dict[str, TeamData] = field(default_factory=dict)


@task(cache_policy=NO_CACHE)
def references(tables: dict[str, pd.DataFrame], timezones: Iterable[str]) -> References:
    reps, accounts = tables["reps"], tables["accounts"]
    return References(
        known_reps=set(reps["rep_id"].dropna()) if "rep_id" in reps else set(),
        known_accounts=set(accounts["account_id"].dropna()) if "account_id" in accounts else set(),
        strays={timezone: unowned_data(tables, timezone) for timezone in set(timezones)},
    )


def recall(history_dir: Path | None, run: TeamRun, data: TeamData, kpi_ids: tuple[str, ...]) -> TeamData:
    """The team's export joined with the kept partitions of the periods this run reads, so baselines and
    reruns do not depend on old rows still being in the export."""
    if history_dir is None:
        return data
    since = needed_since(run.period, kpi_ids, run.settings, run.goals)
    since = min(since, run.period.preceding(run.quality.volume_periods)[-1].start)  # the volume check's window
    kept = read_periods(history_dir, run.team_id, since, run.period.end)
    return with_history(data, kept, run.period, run.timezone, read_first_orders(history_dir, run.team_id))


def keep(history_dir: Path | None, run: TeamRun, data: TeamData) -> None:
    """Keep a validated period (every row: flags are worked out anew each run) as its partition, replacing a
    previous run's."""
    if history_dir is None:
        return
    write_period(history_dir, run.team_id, run.period, rows_of_period(data, run.period))
    orders = data.orders
    exported = orders[orders[ORIGIN] == ""] if ORIGIN in orders.columns else orders
    write_first_orders(history_dir, run.team_id, first_orders(read_first_orders(history_dir, run.team_id), exported))


def validate(data: TeamData, refs: References, run: TeamRun, as_of: date, run_id: str) -> tuple[DqVerdict, TeamData]:
    """The verdict, and the team's data with its row flags: no row is removed; each KPI leaves out the rows
    flagged in a column it reads (transforms/taints.py)."""
    from salespulse.expectations.runner import validate as run_suites

    strays = refs.strays[run.timezone]
    absent = absent_tables(data)
    inputs = check_inputs(data, run.period, as_of, refs.known_reps, refs.known_accounts, run.quality, strays, absent)
    verdict = run_suites(inputs, run.quality.checks, run_id=run_id)
    return verdict, flag_rows(data, run, as_of, refs)


def flag_rows(data: TeamData, run: TeamRun, as_of: date, refs: References) -> TeamData:
    """The data with the flags of the checks that exclude rows from the KPIs reading a tainted column."""
    known_accounts = None if "accounts" in absent_tables(data) else refs.known_accounts
    ctx = check_context(data, run.period, as_of, refs.known_reps, known_accounts, run.quality)
    return flagged(data, ctx, run.quality.checks)


@dataclass(frozen=True)
class Computed:
    kpis: list[KpiResult]
    goals: list[GoalProgress]
    funnel: list[FunnelStep]
    leaderboard: list[LeaderboardRow]
    skipped: list[SkippedKpi] = field(default_factory=list)  # KPIs whose tables the team's data lacks
    highlights: Highlights = field(default_factory=Highlights)  # the period's largest deals won, lost, slipped, new


def compute(data: TeamData, run: TeamRun, kpi_ids: tuple[str, ...], peers: list[tuple[str, str, TeamData]]) -> Computed:
    """The team's KPIs, goals, funnel and leaderboard; `peers` (every team) gives the by-team breakdown.
    KPIs (and goals) whose tables the team's data lacks are skipped, not computed from empty frames."""
    data = kpi_rows(data, needed_since(run.period, kpi_ids, run.settings, run.goals))
    absent = absent_tables(data)
    kept, skipped = split_kpis(list(kpi_ids), absent)
    lacking = {s.kpi_id for s in split_kpis([g.kpi for g in run.goals], absent)[1]}
    return Computed(
        kpis=kpi_results(data, run.period, kept, run.settings, teams=peers if len(peers) > 1 else None),
        goals=[
            no_data_goal(goal)
            if goal.kpi in lacking
            else goal_progress(goal, data, run.period, run.settings, run.thresholds)
            for goal in run.goals
        ],
        funnel=[] if "deals" in absent else funnel(readable(data, FUNNEL_READS, run.settings.taints), run.period),
        leaderboard=leaderboard(data, run.period, run.settings, absent),
        skipped=skipped,
        highlights=Highlights()
        if "deals" in absent
        else highlights(readable(data, HIGHLIGHT_READS, run.settings.taints), run.period),
    )


# A report's pages on their way from a layout process: its HTML and PDF.
Layout = PrefectFuture[tuple[str, bytes]]


@task(cache_policy=NO_CACHE)
def render(context: ReportContext) -> tuple[str, bytes]:
    # Refers to no module global: a process pool task runner ships this function by value (cloudpickle).
    from salespulse.reports.render import render_report

    return render_report(context)


@contextmanager
def layout_processes(workers: int) -> Iterator[ProcessPoolTaskRunner | None]:
    """`workers` processes (Prefect's process pool task runner) that lay out the reports `start_layout` hands
    them while this process goes on; None for 0, and every report is laid out in this process."""
    if workers < 1:
        yield None
        return
    # The runner hands each process the settings current at `submit`. Without an API URL in them (a one-off
    # command talks to its temporary server) each layout process would start a Prefect server of its own:
    # name this run's, once for the whole run (entering Prefect's settings context rebuilds every setting).
    with temporary_settings({PREFECT_API_URL: _api_url()}), ProcessPoolTaskRunner(max_workers=workers) as runner:
        yield runner


def start_layout(runner: ProcessPoolTaskRunner | None, context: ReportContext) -> Layout | None:
    """`render` submitted to a layout process, or None without one (`pages` then lays the report out)."""
    if runner is None:
        return None
    try:
        return runner.submit(render, {"context": context})
    except BrokenProcessPool as err:  # the process died before this report was handed over
        _laying_out_here(err, context)
        return None


def _api_url() -> str:
    """The API this flow run reports to, the temporary server included."""
    flow_run = FlowRunContext.get()
    return str(flow_run.client.api_url) if flow_run is not None else PREFECT_API_URL.value()


def pages(layout: Layout | None, context: ReportContext) -> tuple[str, bytes]:
    """The report's HTML and PDF: from its layout process, or laid out here when it has none or that process
    died (killed, out of memory), so a lost process costs no report."""
    if layout is None:
        return render(context)
    try:
        return layout.result()
    except BrokenProcessPool as err:
        _laying_out_here(err, context)
        return render(context)


def _laying_out_here(err: BrokenProcessPool, context: ReportContext) -> None:
    get_run_logger().warning("a report layout process stopped (%s); laying out %s here", err, context.period_label)


@task(retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def write_report(folder: Path, html: str, pdf: bytes) -> tuple[Path, Path]:
    return write_atomic(folder / "report.html", html), write_atomic(folder / "report.pdf", pdf)


@task(cache_policy=NO_CACHE)
def deliver(
    message: EmailMessage,
    smtp: Smtp | None,
    outbox: Path,
    db: Path,
    key: MessageKey,
    resend: bool = False,
    locale: str = "en_US",
) -> Delivery:
    """Outbox first, so an outage loses nothing; then SMTP to whoever lacks this version, retrying only the
    recipients a transient error left pending. Not a Prefect retry: that would offer it to everyone again."""
    return deliver_message(message, smtp, outbox, db, key, resend=resend, locale=locale)
