"""The YAML config, parsed into typed objects. Errors name the file, the key and what was expected."""

from __future__ import annotations

import difflib
import hashlib
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator, model_validator

from salespulse.errors import UserError
from salespulse.schedules import DEFAULT_SCHEDULES, check_schedule
from salespulse.sources.mapping_config import Source, merged_with_preset
from salespulse.transforms.checks import CHECKS
from salespulse.transforms.kpi_inputs import DEFAULT_STAGE_PROBABILITIES
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.periods import Cadence
from salespulse.transforms.schema import DEAL_STAGES_OPEN


class ConfigError(UserError):
    """A config problem the user can fix; the message is one line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoalFilters(_Strict):
    rep: str | None = None  # a rep_id
    product: str | None = None  # a product name, or "best": the best seller in the year before the start
    source: str | None = None  # a lead source


class Goal(_Strict):
    id: str
    objective: str
    kpi: str
    target: float | None = None  # absolute, in the KPI's unit (0.30 for 30%) ...
    change: float | None = None  # ... or relative to the value before the start: 0.15 for +15%
    start: date
    deadline: date
    aggregation: Literal["cumulative", "rate"] | None = None  # default: cumulative for sums, else a rate
    window_days: int | None = Field(default=None, ge=1)  # a rate over the trailing N days (365 = annual); 90
    min_records: int = Field(default=30, ge=0)  # a rate over fewer records in its window says "no data"
    filters: GoalFilters = GoalFilters()
    pacing: Literal["linear", "seasonal"] = "linear"  # seasonal: expected-by-now shaped like last year

    @field_validator("kpi")
    @classmethod
    def _known_kpi(cls, kpi: str) -> str:
        if kpi not in KPI_CATALOGUE:
            raise ValueError(f"unknown KPI {kpi!r}; choose one of {', '.join(KPI_CATALOGUE)}")
        return kpi

    @model_validator(mode="after")
    def _window(self) -> Goal:
        if self.deadline <= self.start:
            raise ValueError(f"deadline {self.deadline} must be after start {self.start}")
        if (self.target is None) == (self.change is None):
            raise ValueError("give either target (absolute) or change (relative, 0.15 for +15%), not both")
        if self.aggregation == "cumulative" and not KPI_CATALOGUE[self.kpi].additive:
            raise ValueError(f"{self.kpi} is a rate, not a sum: use aggregation: rate")
        return self


class Team(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    recipients: list[EmailStr] = Field(min_length=1)
    timezone: str | None = None
    locale: str | None = None  # default: the company's; es_ES gives a Spanish report
    cadence: Cadence | None = None  # default: the company's cadence
    schedule: str | None = None  # cron in the team's timezone; default by cadence (salespulse/schedules.py)
    quarterly_quota: float | None = Field(default=None, ge=0)  # per rep; enables quota attainment and coverage
    rep_quotas: dict[str, float] = {}  # rep_id -> its own quarterly quota
    goals: list[Goal] = []

    @field_validator("schedule")
    @classmethod
    def _valid_schedule(cls, expression: str | None) -> str | None:
        return None if expression is None else check_schedule(expression)


class Smtp(_Strict):
    host: str
    port: int = 587
    security: Literal["starttls", "ssl", "plain"] = "starttls"
    username: str | None = None
    # The password itself never lives in the file: only the name of the variable that holds it.
    password_env: str = "SALESPULSE_SMTP_PASSWORD"
    timeout_seconds: float = 30.0
    # Waits between attempts when the server is unreachable or answers 4xx (try again later).
    retry_delays_seconds: list[float] = [2, 10, 30]


class GoalThresholdSettings(_Strict):
    on_track: float = Field(default=0.99, gt=0)
    at_risk: float = Field(default=0.80, gt=0)
    too_early: float = Field(default=0.10, ge=0, lt=1)


class KpiOptions(_Strict):
    stage_probabilities: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES))
    response_sla_hours: float = Field(default=24.0, gt=0)
    active_customer_days: int = Field(default=365, ge=1)
    baseline_periods: int = Field(default=8, ge=1, le=104)
    benchmarks: dict[str, float] = {}  # kpi id -> industry value, used while history is shorter

    @field_validator("stage_probabilities")
    @classmethod
    def _open_stages(cls, probabilities: dict[str, float]) -> dict[str, float]:
        unknown = set(probabilities) - set(DEAL_STAGES_OPEN)
        if unknown:
            raise ValueError(f"{sorted(unknown)[0]!r} is not an open stage; use {', '.join(DEAL_STAGES_OPEN)}")
        if any(not 0 <= p <= 1 for p in probabilities.values()):
            raise ValueError("probabilities are fractions between 0 and 1")
        return probabilities

    @field_validator("benchmarks")
    @classmethod
    def _known_benchmarks(cls, benchmarks: dict[str, float]) -> dict[str, float]:
        unknown = [k for k in benchmarks if k not in KPI_CATALOGUE]
        if unknown:
            raise ValueError(f"unknown KPI {unknown[0]!r}")
        return benchmarks


class CheckOverride(_Strict):
    """One check's severity or action, changed from its default (README: Data-quality checks)."""

    severity: Literal["critical", "warning", "info"] | None = None
    action: Literal["flag", "exclude", "withhold"] | None = None


class QualityOptions(_Strict):
    """Bounds of the data-quality checks that depend on the business (README: Data-quality checks)."""

    max_amount: float | None = Field(default=None, gt=0)  # a fixed plausible ceiling; default: the team's history
    amount_outlier_factor: float = Field(default=10, gt=1)  # implausible: above this × the 95th percentile
    currencies: list[str] = []  # accepted currencies; default: the company's
    future_tolerance_days: int = Field(default=1, ge=0)  # records dated after the run plus this are suspect
    freshness_days: int = Field(default=3, ge=0)  # the latest record should be this close to the period's end
    volume_band: float = Field(default=0.5, gt=0, lt=1)  # rows within ±50% of the trailing average
    volume_periods: int = Field(default=8, ge=1)
    reconciliation_tolerance: float = Field(default=0.01, ge=0)  # per won deal: |won − invoiced| ÷ won
    invoice_lag_days: int = Field(default=7, ge=0)  # a deal closed this recently need not be invoiced yet
    min_usual_rows: float = Field(default=5, ge=0)  # an empty or cut-short period alarms only above this usual count
    max_gap_share: float = Field(default=0.2, gt=0, lt=1)  # newest record this share of the period before its end
    checks: dict[str, CheckOverride] = {}  # per check id: {severity: ..., action: flag|exclude|withhold}

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, checks: dict[str, CheckOverride]) -> dict[str, CheckOverride]:
        unknown = [c for c in checks if c not in CHECKS]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(CHECKS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (README: Data-quality checks lists them)"
            raise ValueError(f"unknown check {unknown[0]!r}{hint}")
        return checks


class ReportOptions(_Strict):
    full_pdf: bool = False  # the PDF also carries the funnel, leaderboard, breakdowns and appendices


class Config(_Strict):
    company: str
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    locale: str = "en_US"
    timezone: str = "UTC"
    cadence: Cadence = "weekly"
    data_dir: Path | None = None  # the simple case: one canonical CSV or Parquet file per table
    source: Source | None = None  # or CRM exports or a database, with a mapping (README: Use your own CRM data)
    output_dir: Path = Path("out")
    public_url: str | None = None  # where a web server serves output_dir: emails link there (README: Share the reports)
    sender: EmailStr = "salespulse@localhost"
    data_owners: list[EmailStr] = Field(min_length=1)
    owners: list[EmailStr] = []  # told when a team's runs start failing and when they work again; default: data_owners
    smtp: Smtp | None = None
    kpis: list[str] = Field(default_factory=lambda: list(KPI_CATALOGUE))
    paper_size: Literal["A4", "Letter"] = "A4"
    max_attachment_mb: float = Field(default=8, gt=0)  # a larger PDF is linked, not attached
    headline_kpis: list[str] = []  # the tiles on page 1; default: the first eight of `kpis`
    leaderboard_rows: int = Field(default=30, ge=1)  # the report ranks this many reps; kpis.json has them all
    kpi_options: KpiOptions = KpiOptions()
    goal_thresholds: GoalThresholdSettings = GoalThresholdSettings()
    quality: QualityOptions = QualityOptions()
    report: ReportOptions = ReportOptions()
    teams: list[Team] = Field(min_length=1)
    source_path: Path = Path("salespulse.yaml")
    fingerprint: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        return _check_timezone(name)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, name: str) -> str:
        return _check_locale(name)

    @field_validator("kpis", "headline_kpis")
    @classmethod
    def _known_kpis(cls, kpis: list[str]) -> list[str]:
        unknown = [k for k in kpis if k not in KPI_CATALOGUE]
        if unknown:
            raise ValueError(f"unknown KPI {unknown[0]!r}; choose from {', '.join(KPI_CATALOGUE)}")
        return kpis

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        from urllib.parse import urlsplit

        if url is None:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"{url!r} is not a web address; write one such as https://reports.example.com")
        return url.strip().rstrip("/")

    @model_validator(mode="after")
    def _one_source(self) -> Config:
        if self.data_dir is not None and self.source is not None:
            raise ValueError("give either data_dir (canonical files) or source (exports with a mapping), not both")
        return self

    @model_validator(mode="after")
    def _teams(self) -> Config:
        ids = [t.id for t in self.teams]
        if len(set(ids)) != len(ids):
            raise ValueError("team ids must be unique")
        for team in self.teams:
            if team.timezone:
                _check_timezone(team.timezone)
            if team.locale:
                _check_locale(team.locale)
        return self

    def data_source(self) -> Path | Source:
        """Where ingest reads: the data folder as it always was, or the source block (currency defaulted)."""
        if self.source is None:
            assert self.data_dir is not None  # load_config refuses a config with neither
            return self.data_dir
        return self.source.model_copy(update={"currency": self.source.currency or self.currency})

    def team(self, team_id: str) -> Team:
        for team in self.teams:
            if team.id == team_id:
                return team
        raise ConfigError(f"{self.source_path}: no team {team_id!r}; teams are {', '.join(t.id for t in self.teams)}")

    def timezone_of(self, team: Team) -> str:
        return team.timezone or self.timezone

    def locale_of(self, team: Team) -> str:
        return team.locale or self.locale

    def cadence_of(self, team: Team) -> Cadence:
        return team.cadence or self.cadence

    def schedule_of(self, team: Team) -> str:
        return team.schedule or DEFAULT_SCHEDULES[self.cadence_of(team)]


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {name!r}; use an IANA name such as Europe/Madrid") from None
    return name


def _check_locale(name: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown locale {name!r}; use a code such as en_US or es_ES") from None
    return name


def load_config(path: Path) -> Config:
    """Read and check the config; relative folders are taken from the config file's own folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; copy salespulse.example.yaml to start") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the config file ({err})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise ConfigError(f"{path}: not valid YAML{line}: {getattr(err, 'problem', err)}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings (company, teams, ...) at the top level")
    base = path.resolve().parent
    for key in ("data_dir", "output_dir"):
        if isinstance(raw.get(key), str) and not Path(raw[key]).is_absolute():
            raw[key] = str(base / raw[key])
    _resolve_source(raw, path, base)
    raw["source_path"] = path
    raw["fingerprint"] = hashlib.sha256(text.encode()).hexdigest()[:16]
    try:
        return Config.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError(f"{path}: {key}: {_plain(first)}") from None


def _resolve_source(raw: dict, path: Path, base: Path) -> None:
    """Preset merged under the user's source block; its folder and a SQLite file taken from the config's folder."""
    if "data_dir" not in raw and "source" not in raw:
        raise ConfigError(f"{path}: data_dir: is required but missing (or a source: block for CRM exports)")
    source = raw.get("source")
    if not isinstance(source, dict):
        return
    try:
        source = raw["source"] = merged_with_preset(source, path)
    except ValueError as err:
        raise ConfigError(f"{path}: {err}") from None
    if isinstance(source.get("path"), str) and not Path(source["path"]).is_absolute():
        source["path"] = str(base / source["path"])
    url = source.get("url")
    if isinstance(url, str) and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        file = url.removeprefix("sqlite:///")
        if file and file != ":memory:":
            source["url"] = f"sqlite:///{base / file}"


def _plain(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        return "is required but missing"
    if error["type"] == "extra_forbidden":
        return "is not a known setting (check the spelling)"
    return message
