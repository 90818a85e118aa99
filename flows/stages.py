"""The Prefect tasks of a report run. Each is small; only the I/O ones retry. A backfill calls the four
stages of a period's checks (`step`) as plain functions inside one task run per period."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext

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
    from prefect import Task

    from salespulse.reports.context import ReportContext
    from salespulse.sources.mapping_config import Source

P = ParamSpec("P")
R = TypeVar("R")

# Every task passes DataFrames: NO_CACHE, since hashing them for Prefect's default cache key is slow and
# unstable (copies get new keys). A rerun of a period recomputes it; nothing is served from a cache.


def step(stage: Task[P, R]) -> Callable[P, R]:
    """`stage` as a task run of its own; called inside another task run (a backfill's `period_checks`), a
    plain call in that run rather than a task run nested in it."""
    return stage.fn if TaskRunContext.get() is not None else stage


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


@task(retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def recall(history_dir: Path | None, run: TeamRun, data: TeamData, kpi_ids: tuple[str, ...]) -> TeamData:
    """The team's export joined with the kept partitions of the periods this run reads, so baselines and
    reruns do not depend on old rows still being in the export."""
    if history_dir is None:
        return data
    since = needed_since(run.period, kpi_ids, run.settings, run.goals)
    since = min(since, run.period.preceding(run.quality.volume_periods)[-1].start)  # the volume check's window
    kept = read_periods(history_dir, run.team_id, since, run.period.end)
    return with_history(data, kept, run.period, run.timezone, read_first_orders(history_dir, run.team_id))


@task(retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def keep(history_dir: Path | None, run: TeamRun, data: TeamData) -> None:
    """Keep a validated period (every row: flags are worked out anew each run) as its partition, replacing a
    previous run's."""
    if history_dir is None:
        return
    write_period(history_dir, run.team_id, run.period, rows_of_period(data, run.period))
    orders = data.orders
    exported = orders[orders[ORIGIN] == ""] if ORIGIN in orders.columns else orders
    write_first_orders(history_dir, run.team_id, first_orders(read_first_orders(history_dir, run.team_id), exported))


@task(cache_policy=NO_CACHE)
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


@task(cache_policy=NO_CACHE)
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


# Set while `rendering_in_processes` is open: the pool `render` hands reports to. A context variable, because
# Prefect runs a submitted task in a thread with a copy of the submitting code's context.
_RENDERERS: ContextVar[Executor | None] = ContextVar("salespulse_renderers", default=None)


@contextmanager
def rendering_in_processes(workers: int) -> Iterator[None]:
    """While open, `render` lays each report out in one of `workers` processes of its own (0: in this one).
    Spawned, not forked: the run's process has Prefect's threads, which a fork would copy mid-flight."""
    if workers < 1:
        yield
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    token = _RENDERERS.set(pool)
    try:
        yield
    finally:
        _RENDERERS.reset(token)
        pool.shutdown(cancel_futures=True)


@task(cache_policy=NO_CACHE)
def render(context: ReportContext) -> tuple[str, bytes]:
    from salespulse.reports.render import render_report

    pool = _RENDERERS.get()
    if pool is None:
        return render_report(context)
    try:
        return pool.submit(render_report, context).result()
    except BrokenProcessPool as err:  # a layout process died (killed, out of memory): lay this one out here
        get_run_logger().warning("a report layout process stopped (%s); laying out %s here", err, context.period_label)
        return render_report(context)


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
