"""Plain result types handed from the compute stage to reports/ and flows/."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Unit = Literal["currency", "count", "percent", "days", "hours", "per_rep", "ratio", "currency_per_day"]
Direction = Literal["higher", "lower"]
GoalStatus = Literal["achieved", "on track", "at risk", "off track", "missed", "too early", "no data"]
# average: of the team's last N periods; benchmark: from config, the data being shorter than N periods;
# too_short: neither; no_values: N periods of data but the KPI was n/a in every one of them.
BaselineKind = Literal["average", "benchmark", "too_short", "no_values"]
PERIOD_NOUNS = {"weekly": ("week", "weeks"), "monthly": ("month", "months"), "quarterly": ("quarter", "quarters")}


@dataclass(frozen=True)
class BaselineBasis:
    """What a KPI's baseline is, as data: reports/ words it in the reader's language, `label` in English for
    the kpis.json/kpis.csv files."""

    kind: BaselineKind
    periods: int  # the N of "the last N weeks"
    cadence: str  # weekly, monthly or quarterly

    @property
    def label(self) -> str:
        """ "average of the last 8 weeks", "industry benchmark (less than 8 weeks of own history)"..."""
        singular, plural = PERIOD_NOUNS.get(self.cadence, ("period", "periods"))
        unit = singular if self.periods == 1 else plural
        return {
            "average": f"average of the last {self.periods} {unit}",
            "benchmark": f"industry benchmark (less than {self.periods} {unit} of own history)",
            "too_short": f"no baseline: less than {self.periods} {unit} of history",
            "no_values": f"no baseline: n/a in each of the last {self.periods} {unit}",
        }[self.kind]


@dataclass(frozen=True)
class BreakdownRow:
    key: str  # rep_id, product, source or activity type
    label: str  # what a reader sees: the rep's name, the product, ...
    value: float | None


@dataclass(frozen=True)
class LeftOut:
    """Rows of the period a KPI leaves out because a check flagged a column it reads."""

    check_id: str
    table: str
    rows: int
    note: str  # what the rows are, after "3 deals" (English; reports/ translates it): "created after they closed"


@dataclass(frozen=True)
class KpiResult:
    """One KPI for one period. `value` is None when it is undefined (a zero denominator): shown as n/a."""

    kpi_id: str
    name: str
    definition: str
    unit: Unit
    direction: Direction
    value: float | None
    previous: float | None
    formula: str = ""
    baseline: float | None = None
    basis: BaselineBasis | None = None  # what the baseline is, or why there is none
    breakdowns: dict[str, list[BreakdownRow]] = field(default_factory=dict)  # by rep, product, source, type
    trend: list[tuple[str, float | None]] = field(default_factory=list)  # (period, value), oldest first
    left_out: tuple[LeftOut, ...] = ()  # the period's rows it leaves out, by the check that flagged them

    @property
    def baseline_label(self) -> str:
        """The basis in English ("average of the last 8 weeks"); "" when the KPI has none."""
        return self.basis.label if self.basis else ""

    @property
    def earlier_spread(self) -> float | None:
        """The sample standard deviation of the trend's values before this period (the usual swing: the
        trend chart's band, and what ranks the movers); None with fewer than 3 of them."""
        earlier = [value for _label, value in self.trend[:-1] if value is not None and math.isfinite(value)]
        return statistics.stdev(earlier) if len(earlier) >= 3 else None

    @property
    def change(self) -> float | None:
        """Relative change against the previous period; None when either side is missing or zero."""
        if self.value is None or self.previous in (None, 0):
            return None
        return (self.value - self.previous) / abs(self.previous)

    @property
    def improved(self) -> bool | None:
        if self.value is None or self.previous is None or self.value == self.previous:
            return None
        return (self.value > self.previous) == (self.direction == "higher")


@dataclass(frozen=True)
class ScopeTerm:
    """One of a goal's filters, as data: reports/ words it in the reader's language."""

    dimension: str  # product, source or rep
    value: str
    best_seller: bool = False  # the product config asked for as "best": the year before the start's best seller

    @property
    def label(self) -> str:
        """In English: "product GTX Pro (best seller in the year before the start)", "source web"."""
        text = f"{self.dimension} {self.value}"
        return f"{text} (best seller in the year before the start)" if self.best_seller else text


@dataclass(frozen=True)
class SkippedKpi:
    """A KPI left out of the report because the tables it needs are not in the team's data."""

    kpi_id: str
    name: str
    definition: str
    formula: str
    missing: tuple[str, ...]  # the tables it needs that the team's data does not have


@dataclass(frozen=True)
class GoalProgress:
    """Where a goal stands at the end of the report's period."""

    goal_id: str
    objective: str
    kpi_id: str
    unit: Unit
    target: float
    start: date
    deadline: date
    actual: float | None
    expected_by_now: float
    status: GoalStatus
    period_value: float | None = None  # the KPI in the report's own period, beside the goal-to-date
    baseline: float | None = None  # the goal start value: the KPI before the start (see `start_value`)
    projected: float | None = None  # the value at the deadline if the current run rate holds
    pace_needed: float | None = None  # per report period, for the rest of the window, to reach the target
    aggregation: Literal["cumulative", "rate"] = "cumulative"
    scope_terms: tuple[ScopeTerm, ...] = ()  # the goal's filters, e.g. product GTX Pro
    path: list[tuple[date, float | None]] = field(default_factory=list)  # actual at each period end so far
    direction: Direction = "higher"  # the KPI's: a lower-is-better goal falls from its start value to the target
    window_days: int | None = None  # a rate goal's trailing window, ending at the period's end
    records: int | None = None  # the records in that window the rate counts (closed deals for win rate)
    min_records: int = 0  # fewer records than this in the window: too few to judge, status "no data"
    record_table: str | None = None  # what the records are: "deals", "leads", ...

    @property
    def scope(self) -> str:
        """The filters in English, e.g. "product GTX Pro"; "" for the whole team."""
        return ", ".join(term.label for term in self.scope_terms)

    @property
    def start_value(self) -> float | None:
        """The goal start value: the KPI before the goal started, what a relative target grows from."""
        return self.baseline

    @property
    def too_few_records(self) -> bool:
        return self.records is not None and self.records < self.min_records

    @property
    def progress_from(self) -> float | None:
        """Where the bar starts. A sum counts from 0; a rate from its goal start value when the target lies on
        the KPI's better side of it (above for higher-is-better, below for lower); a rate without one (or
        whose target was already met at the start) from 0, or no bar at all for a lower-is-better rate."""
        start = self.start_value
        if self.aggregation == "cumulative":
            return 0.0
        if start is not None and (self.target > start if self.direction == "higher" else self.target < start):
            return start
        return 0.0 if self.direction == "higher" else None

    @property
    def progress(self) -> float | None:
        """(actual − start) ÷ (target − start): 0 at the start, 1 at the target, negative going backwards."""
        origin = self.progress_from
        if self.actual is None or origin is None or self.target == origin:
            return None
        return (self.actual - origin) / (self.target - origin)

    @property
    def expected_progress(self) -> float:
        """The same share for the value expected by now, within 0–1: never past the target."""
        origin = self.progress_from
        if origin is None or self.target == origin:
            return 0.0
        return min(max((self.expected_by_now - origin) / (self.target - origin), 0.0), 1.0)


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    reached: int  # deals of the cohort that reached at least this stage
    conversion: float | None  # reached here ÷ reached at the previous stage


@dataclass(frozen=True)
class LeaderboardRow:
    rep_id: str
    name: str
    won_revenue: float
    deals_won: int
    win_rate: float | None
    quota_attainment: float | None
    activities: int | None  # None when the team's data has no activities table


@dataclass(frozen=True)
class CheckFailure:
    """One failed data-quality expectation, in the words the data owner needs."""

    table: str
    column: str | None
    check: str
    severity: Literal["critical", "warning", "info"]
    failing: int
    total: int
    meaning: str
    fix: str
    samples: list[dict[str, str]] = field(default_factory=list)
    excluded: int = 0  # rows left out of the KPIs that read a column the check taints
    check_id: str = ""  # `table.check`, as config overrides name it
    action: str = "flag"  # flag: counted and reported; exclude: left out of the KPIs that read the tainted columns
    unknowable: tuple[str, ...] = ()  # a critical failure: the KPIs it makes unknowable
    note: str = ""  # what the flagged rows are, after "3 deals": "created after they closed"

    @property
    def percent(self) -> float:
        return 0.0 if self.total == 0 else 100.0 * self.failing / self.total


@dataclass(frozen=True)
class DqHistoryPoint:
    """One period's data-quality outcome for a team, for the trend in the appendix and `salespulse dq`."""

    period: str
    checks: int
    critical: int
    warning: int
    info: int

    @property
    def status(self) -> Literal["clean", "warnings", "failed"]:
        if self.critical:
            return "failed"
        return "warnings" if self.warning else "clean"


@dataclass(frozen=True)
class DqVerdict:
    checks_run: int
    failures: list[CheckFailure]
    run_id: str = ""

    @property
    def critical(self) -> list[CheckFailure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def warnings(self) -> list[CheckFailure]:
        return [f for f in self.failures if f.severity == "warning"]

    @property
    def infos(self) -> list[CheckFailure]:
        return [f for f in self.failures if f.severity == "info"]

    @property
    def passed(self) -> bool:
        return not self.critical

    def point(self, period: str) -> DqHistoryPoint:
        """This verdict as one period of a data-quality trend."""
        return DqHistoryPoint(period, self.checks_run, len(self.critical), len(self.warnings), len(self.infos))

    @property
    def status(self) -> Literal["clean", "warnings", "failed"]:
        """Info findings are recorded in the DQ report only: they never make a report "warnings"."""
        if self.critical:
            return "failed"
        return "warnings" if self.warnings else "clean"
