"""Everything a report shows, as plain values: the only input reports/ takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reports.i18n import gettext
from transforms.highlights import Highlights
from transforms.results import (
    DqHistoryPoint,
    DqVerdict,
    FunnelStep,
    GoalProgress,
    KpiResult,
    LeaderboardRow,
    SkippedKpi,
)


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

    @property
    def file_stem(self) -> str:
        """Human file name for attachments; may hold accents (RFC 2231 keeps them intact)."""
        return f"{gettext(self.locale, 'Sales KPIs')} {self.team_name} {self.period_label}"
