"""The Prefect tasks of a report run. Each is small; only the I/O ones retry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.config import Smtp
from flows.delivery import Delivery, deliver_message
from flows.errors import DataSourceError
from flows.files import write_atomic
from flows.ledger import MessageKey
from flows.plan import TeamRun
from flows.sources import read_tables
from transforms.goals import goal_progress
from transforms.kpi_people import funnel
from transforms.kpi_runner import kpi_results, leaderboard
from transforms.normalise import normalise
from transforms.quality import check_inputs, without
from transforms.results import DqVerdict, FunnelStep, GoalProgress, KpiResult, LeaderboardRow
from transforms.team_data import TeamData, team_data, unowned_data

if TYPE_CHECKING:
    from flows.mapping_config import Source

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


@task(cache_policy=NO_CACHE)
def validate(
    data: TeamData, tables: dict[str, pd.DataFrame], run: TeamRun, as_of: date, run_id: str
) -> tuple[DqVerdict, TeamData]:
    """The verdict, and the team's data without the rows its warnings leave out."""
    from expectations.runner import validate as run_suites

    known_reps = set(tables["reps"]["rep_id"].dropna()) if "rep_id" in tables["reps"] else set()
    known_accounts = set(tables["accounts"]["account_id"].dropna()) if "account_id" in tables["accounts"] else set()
    strays = unowned_data(tables, run.timezone)
    inputs = check_inputs(data, run.period, as_of, known_reps, known_accounts, run.quality, strays)
    verdict, excluded = run_suites(inputs.frames, inputs.parameters, run_id=run_id)
    return verdict, without(data, excluded)


@dataclass(frozen=True)
class Computed:
    kpis: list[KpiResult]
    goals: list[GoalProgress]
    funnel: list[FunnelStep]
    leaderboard: list[LeaderboardRow]


@task(cache_policy=NO_CACHE)
def compute(data: TeamData, run: TeamRun, kpi_ids: tuple[str, ...], peers: list[tuple[str, str, TeamData]]) -> Computed:
    """The team's KPIs, goals, funnel and leaderboard; `peers` (every team) gives the by-team breakdown."""
    return Computed(
        kpis=kpi_results(data, run.period, list(kpi_ids), run.settings, teams=peers if len(peers) > 1 else None),
        goals=[goal_progress(goal, data, run.period, run.settings, run.thresholds) for goal in run.goals],
        funnel=funnel(data, run.period),
        leaderboard=leaderboard(data, run.period, run.settings),
    )


@task(cache_policy=NO_CACHE)
def render(context: object) -> tuple[str, bytes]:
    from reports.render import render_html, render_pdf

    html = render_html(context)
    return html, render_pdf(html)


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
