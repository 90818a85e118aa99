"""A hand-built, realistic ReportContext and its parts: the reports/ tests need no pipeline, files or network.
Tests ask for the factory as the `make_context` fixture (conftest.py) or import what they need from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from salespulse.reports.context import ReportContext
from salespulse.transforms.results import (
    BaselineBasis,
    BreakdownRow,
    CheckFailure,
    DqHistoryPoint,
    DqVerdict,
    FunnelStep,
    GoalProgress,
    KpiResult,
    LeaderboardRow,
    ScopeTerm,
)

PRODUCTS = [("gtx-pro", "GTX Pro"), ("gtx-basic", "GTX Basic"), ("mg-special", "MG Special")]
SOURCES = [("web", "Website"), ("referral", "Referral"), ("event", "Trade show")]
ACTIVITY_TYPES = [("call", "Call"), ("email", "Email"), ("meeting", "Meeting")]
REPS = [("r1", "Ana García"), ("r2", "Bob Smith"), ("r3", "Chloé Martin")]


def _rows(keys: list[tuple[str, str]], values: list[float | None]) -> list[BreakdownRow]:
    return [BreakdownRow(key, label, value) for (key, label), value in zip(keys, values, strict=True)]


# Ten earlier periods as multiples of the previous period's value: a deterministic, plausible wobble.
TREND_FACTORS = [0.92, 1.05, 0.97, 1.08, 0.95, 1.02, 0.9, 1.06, 0.99, 1.03]
TREND_LABELS = [f"2026-W{week}" for week in range(36, 48)]  # twelve weeks, the report's own (W47) last


def make_trend(kpi: KpiResult) -> list[tuple[str, float | None]]:
    """Twelve (label, value) pairs, oldest first, ending with the KPI's previous and current values."""
    if kpi.kpi_id == "new_pipeline":  # the previous week had none: earlier weeks did
        earlier: list[float | None] = [40_000.0, 52_000.0, 0.0, 61_000.0, 45_000.0, 38_000.0, None, 50_000.0]
        earlier += [47_000.0, 30_000.0]
    else:
        base = kpi.previous or 0.0
        earlier = [base * factor for factor in TREND_FACTORS]
    return list(zip(TREND_LABELS, [*earlier, kpi.previous, kpi.value], strict=True))


def make_kpis() -> list[KpiResult]:
    """Every KPI with its twelve-period trend."""
    return [replace(kpi, trend=make_trend(kpi)) for kpi in _make_kpis()]


def _make_kpis() -> list[KpiResult]:
    return [
        KpiResult(
            "revenue",
            "Closed-won revenue",
            "Sum of amounts of deals closed won in the period.",
            "currency",
            "higher",
            128_450.0,
            114_300.0,
            formula="sum(amount) where stage = won and close_date in period",
            baseline=114_687.5,
            basis=BaselineBasis("average", 8, "weekly"),
            breakdowns={
                "product": _rows(PRODUCTS, [80_000.0, 38_450.0, 10_000.0]),
                "source": _rows(SOURCES, [60_000.0, 50_450.0, 18_000.0]),
                "rep": _rows(REPS, [61_000.0, 45_450.0, 22_000.0]),
            },
        ),
        KpiResult(
            "win_rate",
            "Win rate",
            "Deals won divided by deals closed (won + lost) in the period.",
            "percent",
            "higher",
            0.275,
            0.31,
            formula="won ÷ (won + lost)",
            baseline=0.25,
            basis=BaselineBasis("benchmark", 8, "weekly"),
            breakdowns={
                "product": _rows(PRODUCTS, [0.31, 0.22, None]),
                "source": _rows(SOURCES, [0.2, 0.4, 0.25]),
            },
        ),
        KpiResult(
            "deals_won",
            "Deals won",
            "Number of deals closed won in the period.",
            "count",
            "higher",
            42.0,
            42.0,
            baseline=None,
            basis=BaselineBasis("too_short", 8, "weekly"),
            breakdowns={"product": _rows(PRODUCTS[:2], [30.0, 12.0])},
        ),
        KpiResult(
            "cycle_days",
            "Sales cycle",
            "Median days from deal creation to close, for deals won.",
            "days",
            "lower",
            18.5,
            21.0,
        ),
        KpiResult(
            "response_hours",
            "First response time",
            "Median hours from lead creation to first touch.",
            "hours",
            "lower",
            None,  # no leads this period: undefined, shown as n/a
            3.2,
        ),
        KpiResult(
            "new_pipeline",
            "New pipeline",
            "Amount of deals created in the period.",
            "currency",
            "higher",
            56_000.0,
            0.0,  # previous 0: no % change, still "up"
        ),
        KpiResult(
            "activities",
            "Activities",
            "Calls, emails and meetings logged in the period.",
            "count",
            "higher",
            412.0,
            398.0,
            breakdowns={"type": _rows(ACTIVITY_TYPES, [210.0, 150.0, 52.0])},
        ),
        KpiResult(
            "coverage",
            "Pipeline coverage",
            "Open pipeline divided by the remaining quota.",
            "ratio",
            "higher",
            2.4,
            2.1,
            formula="open pipeline ÷ (quota − won to date)",
        ),
        KpiResult(
            "velocity",
            "Sales velocity",
            "Revenue the pipeline is expected to produce per day.",
            "currency_per_day",
            "higher",
            1_234.0,
            1_100.0,
            formula="open deals × win rate × average deal size ÷ sales cycle",
        ),
        KpiResult(
            "revenue_per_rep",
            "Revenue per rep",
            "Closed-won revenue divided by active reps.",
            "per_rep",
            "higher",
            16_056.25,
            16_330.0,
        ),
    ]


WEEK_ENDS = [date(2026, 10, 4) + timedelta(weeks=i) for i in range(8)]  # Sundays, up to 2026-11-22


def make_goals() -> list[GoalProgress]:
    """The goals with their paths: the actual at each week's end since the goal started."""
    revenue = [95_000.0, 210_000.0, 330_000.0, 440_000.0, 580_000.0, 730_000.0, 921_550.0, 1_050_000.0]
    rate = [0.24, 0.25, None, 0.262, 0.27, 0.268, 0.281, 0.275]  # one week with no closed deals
    paths = [list(zip(WEEK_ENDS, revenue, strict=True)), list(zip(WEEK_ENDS, rate, strict=True))]
    return [replace(goal, path=path) for goal, path in zip(_make_goals(), paths, strict=True)]


def _make_goals() -> list[GoalProgress]:
    return [
        GoalProgress(
            "q4_revenue",
            "Close $1.5M of new business in Q4",
            "revenue",
            "currency",
            1_500_000.0,
            date(2026, 10, 1),
            date(2026, 12, 31),
            1_050_000.0,
            900_000.0,
            "on track",
            period_value=128_450.0,
            projected=1_560_000.0,
            pace_needed=75_000.0,
        ),
        GoalProgress(
            "win_rate_30",
            "Lift win rate to 30% by year end",
            "win_rate",
            "percent",
            0.30,
            date(2026, 10, 1),
            date(2026, 12, 31),
            0.275,
            0.29,
            "at risk",
            period_value=0.275,
            baseline=0.24,
            projected=0.285,
            pace_needed=0.32,
            aggregation="rate",
            scope_terms=(ScopeTerm("product", "GTX Pro"),),
        ),
    ]


def make_funnel() -> list[FunnelStep]:
    return [
        FunnelStep("prospecting", 120, None),  # canonical stage ids, as kpi_people.funnel gives them
        FunnelStep("qualification", 84, 0.7),
        FunnelStep("proposal", 50, 50 / 84),
        FunnelStep("negotiation", 31, 0.62),
        FunnelStep("won", 12, 12 / 31),
    ]


def make_leaderboard() -> list[LeaderboardRow]:
    """Deliberately not in revenue order: the report sorts it."""
    return [
        LeaderboardRow("r2", "Bob Smith", 45_450.0, 14, 0.28, 0.91, 130),
        LeaderboardRow("r1", "Ana García", 61_000.0, 18, 0.33, 1.12, 162),
        LeaderboardRow("r3", "Chloé Martin", 22_000.0, 10, 0.21, None, 120),  # no quota set
    ]


def make_warnings() -> DqVerdict:
    return DqVerdict(
        checks_run=24,
        run_id="dq-2026-W47-0001",
        failures=[
            CheckFailure(
                table="deals",
                column="amount",
                check="lost_amount_unknown",
                severity="warning",
                failing=3,
                total=1_250,
                meaning="Three lost deals have a negative amount; the win rate by value leaves them out.",
                fix="Correct the amounts in the CRM, or mark the deals as refunds.",
                samples=[
                    {"deal_id": "D-1001", "amount": "-1200.00"},
                    {"deal_id": "D-1044", "amount": "-80.00"},
                ],
                excluded=3,
                check_id="deals.lost_amount_unknown",
                action="exclude",
                note="no usable amount on a lost deal",
            ),
            CheckFailure(
                table="activities",
                column=None,
                check="expect_table_row_count_to_be_between",
                severity="info",
                failing=1,
                total=1,
                meaning="Fewer activities were logged than usual this week.",
                fix="Check that the activity sync ran every day.",
            ),
        ],
    )


def make_critical() -> DqVerdict:
    return DqVerdict(
        checks_run=24,
        run_id="dq-2026-W47-0002",
        failures=[
            CheckFailure(
                table="deals",
                column="close_date",
                check="expect_column_values_to_not_be_null",
                severity="critical",
                failing=57,
                total=1_250,
                meaning="Won deals without a close date cannot be assigned to a period.",
                fix="Fill close_date for won deals in the CRM, then rerun the week.",
                samples=[{"deal_id": f"D-{2000 + i}", "stage": "won", "close_date": ""} for i in range(12)],
            ),
            make_warnings().failures[0],
        ],
    )


def make_info_only() -> DqVerdict:
    """Only an info finding: the verdict is clean, the note goes to the appendix."""
    return DqVerdict(checks_run=24, run_id="dq-2026-W47-0003", failures=[make_warnings().failures[1]])


def make_history() -> list[DqHistoryPoint]:
    """Four periods, oldest first; the last is the report's own (one warning, one info)."""
    return [
        DqHistoryPoint("2026-W44", 24, 0, 0, 0),
        DqHistoryPoint("2026-W45", 24, 2, 1, 0),
        DqHistoryPoint("2026-W46", 24, 0, 0, 2),
        DqHistoryPoint("2026-W47", 24, 0, 1, 1),
    ]


ContextFactory = Callable[..., ReportContext]


def build_context(dq: str | DqVerdict = "clean", **overrides: Any) -> ReportContext:
    """Any field can be overridden; dq="clean"/"warnings"/"critical"/"info" picks a verdict."""
    verdicts = {
        "clean": DqVerdict(checks_run=24, failures=[], run_id="dq-2026-W47-0000"),
        "warnings": make_warnings(),
        "critical": make_critical(),
        "info": make_info_only(),
    }
    fields: dict[str, Any] = {
        "company": "Acme Iberia S.L.",
        "team_id": "peninsula",
        "team_name": "Península",
        "period_label": "2026-W47",
        "period_start": date(2026, 11, 16),
        "period_end": date(2026, 11, 22),
        "currency": "USD",
        "locale": "en_US",
        "kpis": make_kpis(),
        "goals": make_goals(),
        "dq": verdicts[dq] if isinstance(dq, str) else dq,
        "generated_at": datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
        "funnel": make_funnel(),
        "leaderboard": make_leaderboard(),
        "cadence": "weekly",
        "lineage": {
            # keyed as flows/report_flow.py keys it
            "input deals.csv": "9f86d081884c7d65",
            "config": "c0ffee1234",
            "validation run": "dq-2026-W47-0000",
            "salespulse": "0.1.0",
        },
    }
    fields.update(overrides)
    return ReportContext(**fields)
