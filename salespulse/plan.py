"""The composition root: turns the config and a request into fully wired team runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from salespulse.config import Config, Goal, Smtp, Team
from salespulse.errors import UserError
from salespulse.sources.mapping_config import Source
from salespulse.transforms.checks import CheckOverride, effective_checks
from salespulse.transforms.goals import GoalSpec, GoalThresholds
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.periods import Period, PeriodError, last_complete_period, parse_period, periods_within
from salespulse.transforms.quality import QualitySettings
from salespulse.transforms.taints import taint_rules


@dataclass(frozen=True)
class TeamRun:
    team_id: str
    team_name: str
    timezone: str
    locale: str
    period: Period
    recipients: tuple[str, ...]
    goals: tuple[GoalSpec, ...]
    report_dir: Path
    settings: KpiSettings
    thresholds: GoalThresholds
    quality: QualitySettings


@dataclass(frozen=True)
class RunPlan:
    company: str
    currency: str
    locale: str
    kpi_ids: tuple[str, ...]
    headline: tuple[str, ...]
    paper: str
    max_attachment_bytes: int
    leaderboard_rows: int
    data_dir: Path | Source  # the folder of canonical files, or the config's source block (exports + mapping)
    outbox: Path
    state_db: Path
    locks_dir: Path
    reports_dir: Path
    sender: str
    data_owners: tuple[str, ...]
    owners: tuple[str, ...]
    smtp: Smtp | None
    config_fingerprint: str
    teams: tuple[TeamRun, ...]  # the runs asked for
    company_teams: tuple[tuple[str, str, str], ...]  # (id, name, timezone) of every team, for comparisons
    as_of: date  # the day the run stands on: records dated after it (plus a tolerance) are in the future
    history_dir: Path | None = None  # validated period data (salespulse/store/history.py); None keeps none
    full_pdf: bool = False  # the PDF carries the HTML-only sections too (config report.full_pdf)
    public_url: str | None = None  # where output_dir is served (config public_url, no trailing slash): emails link


def state_db(config: Config) -> Path:
    return config.output_dir / "state" / "salespulse.sqlite"


def plan_run(config: Config, period: str | None, team: str | None, now: datetime) -> RunPlan:
    """`now` decides the default period: the last complete one on each team's own calendar."""
    teams = [config.team(team)] if team else list(config.teams)
    out = config.output_dir
    return RunPlan(
        company=config.company,
        currency=config.currency,
        locale=config.locale,
        kpi_ids=tuple(config.kpis),
        headline=tuple(config.headline_kpis),
        paper=config.paper_size,
        leaderboard_rows=config.leaderboard_rows,
        max_attachment_bytes=int(config.max_attachment_mb * 1024 * 1024),
        data_dir=config.data_source(),
        outbox=out / "outbox",
        state_db=state_db(config),
        locks_dir=state_db(config).parent / "locks",
        reports_dir=out / "reports",
        sender=str(config.sender),
        data_owners=tuple(str(a) for a in config.data_owners),
        owners=tuple(str(a) for a in config.owners or config.data_owners),
        smtp=config.smtp,
        config_fingerprint=config.fingerprint,
        teams=tuple(_team_run(config, t, period, now) for t in teams),
        company_teams=tuple((t.id, t.name, config.timezone_of(t)) for t in config.teams),
        as_of=now.date(),
        history_dir=state_db(config).parent / "history",
        full_pdf=config.report.full_pdf,
        public_url=config.public_url,
    )


def _team_run(config: Config, team: Team, label: str | None, now: datetime) -> TeamRun:
    timezone = config.timezone_of(team)
    period = (
        _ended(label, team.id, timezone, now) if label else last_complete_period(now, timezone, config.cadence_of(team))
    )
    options = config.kpi_options
    quality = _quality(config)
    settings = KpiSettings(
        stage_probabilities=dict(options.stage_probabilities),
        response_sla_hours=options.response_sla_hours,
        active_customer_days=options.active_customer_days,
        quarterly_quota=team.quarterly_quota,
        rep_quotas=dict(team.rep_quotas),
        baseline_periods=options.baseline_periods,
        benchmarks=dict(options.benchmarks),
        taints=taint_rules(quality.checks),
    )
    return TeamRun(
        locale=config.locale_of(team),
        team_id=team.id,
        team_name=team.name,
        timezone=timezone,
        period=period,
        recipients=tuple(str(r) for r in team.recipients),
        goals=tuple(_goal(g) for g in team.goals),
        report_dir=config.output_dir / "reports" / team.id / period.label,
        settings=settings,
        thresholds=GoalThresholds(**config.goal_thresholds.model_dump()),
        quality=quality,
    )


def _quality(config: Config) -> QualitySettings:
    options = config.quality.model_dump(exclude={"checks"})
    options["currencies"] = tuple(options["currencies"] or [config.currency])
    overrides = {check_id: CheckOverride(o.severity, o.action) for check_id, o in config.quality.checks.items()}
    deals_absent = config.source is not None and config.source.table("deals").absent
    core = () if deals_absent else ("deals",)
    return QualitySettings(**options, core_tables=core, checks=effective_checks(overrides))


def _goal(goal: Goal) -> GoalSpec:
    filters = tuple((dim, value) for dim, value in goal.filters.model_dump().items() if value is not None)
    return GoalSpec(**goal.model_dump(exclude={"filters"}), filters=filters)


def _ended(label: str, team_id: str, timezone: str, now: datetime) -> Period:
    """A period asked for by name, refused until it has ended on the team's calendar: a report of a week
    still going (or not begun) would show its partial numbers against whole periods, and be emailed."""
    period = period_option(label)
    latest = last_complete_period(now, timezone, period.cadence)
    if period.end > latest.end:
        raise UserError(
            f"--period {label} has not ended yet on team {team_id}'s calendar ({timezone}); "
            f"reports cover complete periods: the latest is {latest.label}"
        )
    return period


def period_option(label: str, option: str = "--period") -> Period:
    """A period given on the command line; a bad one is a UserError naming the option."""
    try:
        return parse_period(label)
    except PeriodError as err:
        raise UserError(f"{option} {err}") from None


def plan_backfill(
    config: Config, first: str, last: str, team: str | None, now: datetime
) -> tuple[RunPlan, list[TeamRun]]:
    """Every complete period of each team's cadence between `first` and `last`, oldest first, team by team."""
    start, end = period_option(first, "--from"), period_option(last, "--to")
    if end.end < start.start:
        raise UserError(f"--to {last} ends before --from {first} starts; swap them")
    plan = plan_run(config, None, team, now)
    runs = []
    for team_run in plan.teams:
        cadence = team_run.period.cadence  # the team's last complete period: nothing after it is complete
        for period in periods_within(start.start, min(end.end, team_run.period.end), cadence):
            runs.append(_team_run(config, config.team(team_run.team_id), period.label, now))
    if not runs:
        raise UserError(
            f"no complete {'/'.join(sorted({r.period.cadence for r in plan.teams}))} period "
            f"lies wholly between {first} and {last}; widen the range"
        )
    return plan, runs
