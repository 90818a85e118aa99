"""Everything a report shows, as plain values: the only input reports/ takes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar

from salespulse.reports.format import LABEL_CHARS, short_label
from salespulse.reports.i18n import gettext
from salespulse.transforms.highlights import DealLine, Highlights
from salespulse.transforms.results import (
    BreakdownRow,
    DqHistoryPoint,
    DqVerdict,
    FunnelStep,
    GoalProgress,
    KpiResult,
    LeaderboardRow,
    SkippedKpi,
)

Labelled = TypeVar("Labelled", BreakdownRow, FunnelStep, LeaderboardRow, DealLine)


@dataclass(frozen=True)
class ReportContext:
    company: str
    team_id: str
    team_name: str
    period_label: str  # 2026-W47, 2026-11 or 2026-Q4
    period_start: date
    period_end: date
    currency: str  # ISO 4217, e.g. USD
    locale: str  # e.g. en_US, es_ES
    kpis: list[KpiResult]
    goals: list[GoalProgress]
    dq: DqVerdict
    generated_at: datetime
    lineage: dict[str, str] = field(default_factory=dict)  # input checksums, config hash, version
    funnel: list[FunnelStep] = field(default_factory=list)
    leaderboard: list[LeaderboardRow] = field(default_factory=list)
    cadence: str = "weekly"
    headline: tuple[str, ...] = ()  # KPI ids shown as tiles; default: the first eight
    dq_history: list[DqHistoryPoint] = field(default_factory=list)  # oldest first, this period last
    dq_report: str = ""  # file name of the full data-quality page beside the report (dq.html)
    paper: str = "A4"  # A4 or Letter
    leaderboard_rows: int = 30  # the leaderboard shows the reps with the most won revenue, this many
    skipped_kpis: list[SkippedKpi] = field(default_factory=list)  # configured KPIs the team's data cannot support
    highlights: Highlights = field(default_factory=Highlights)  # page 1's "What happened": the period's deals
    full_pdf: bool = False  # the PDF carries every section; by default the HTML-only ones stay out of it

    def __post_init__(self) -> None:
        # Every CRM name a report prints is cut to LABEL_CHARS here, once, so the templates, charts, tables and
        # emails cannot miss one; kpis.json is written from the computed results and keeps the whole name.
        # object.__setattr__: the documented way for a frozen dataclass to settle its own fields.
        object.__setattr__(self, "kpis", [_bounded_kpi(kpi) for kpi in self.kpis])
        object.__setattr__(self, "goals", [_bounded_goal(goal) for goal in self.goals])
        object.__setattr__(self, "funnel", [_bounded(step, "stage") for step in self.funnel])
        object.__setattr__(self, "leaderboard", [_bounded(row, "name") for row in self.leaderboard])
        object.__setattr__(self, "highlights", _bounded_highlights(self.highlights))

    @property
    def file_stem(self) -> str:
        """Human file name for attachments; may hold accents (RFC 2231 keeps them intact)."""
        return f"{gettext(self.locale, 'Sales KPIs')} {self.team_name} {self.period_label}"


def _bounded(item: Labelled, *names: str) -> Labelled:
    """The item with each named text field cut to LABEL_CHARS; the same object when none is longer."""
    long = {name: short_label(text) for name in names if len(text := getattr(item, name)) > LABEL_CHARS}
    return replace(item, **long) if long else item


def _bounded_kpi(kpi: KpiResult) -> KpiResult:
    """The KPI with its breakdowns' labels cut; the keys stay whole, since tables match rows by them."""
    if all(len(row.label) <= LABEL_CHARS for rows in kpi.breakdowns.values() for row in rows):
        return kpi
    breakdowns = {dimension: [_bounded(row, "label") for row in rows] for dimension, rows in kpi.breakdowns.items()}
    return replace(kpi, breakdowns=breakdowns)


def _bounded_goal(goal: GoalProgress) -> GoalProgress:
    terms = tuple(replace(term, value=short_label(term.value)) for term in goal.scope_terms)
    return replace(goal, scope_terms=terms) if terms != goal.scope_terms else goal


def _bounded_highlights(highlights: Highlights) -> Highlights:
    groups = {
        name: [_bounded(line, "account", "owner") for line in getattr(highlights, name)]
        for name in ("won", "lost", "slipped", "new")
    }
    return replace(highlights, **groups)
