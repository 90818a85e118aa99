"""A hand-built, realistic ReportContext: the reports/ tests need no pipeline, files or network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from reports.context import ReportContext
from transforms.results import CheckFailure, DqVerdict, GoalProgress, KpiResult


def make_kpis() -> list[KpiResult]:
    return [
        KpiResult(
            "revenue",
            "Closed-won revenue",
            "Sum of amounts of deals closed won in the period.",
            "currency",
            "higher",
            128_450.0,
            114_300.0,
        ),
        KpiResult(
            "win_rate",
            "Win rate",
            "Deals won divided by deals closed (won + lost) in the period.",
            "percent",
            "higher",
            0.275,
            0.31,
        ),
        KpiResult(
            "deals_won",
            "Deals won",
            "Number of deals closed won in the period.",
            "count",
            "higher",
            42.0,
            42.0,
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
            "revenue_per_rep",
            "Revenue per rep",
            "Closed-won revenue divided by active reps.",
            "per_rep",
            "higher",
            16_056.25,
            16_330.0,
        ),
    ]


def make_goals() -> list[GoalProgress]:
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
        ),
    ]


def make_warnings() -> DqVerdict:
    return DqVerdict(
        checks_run=24,
        run_id="dq-2026-W47-0001",
        failures=[
            CheckFailure(
                table="deals",
                column="amount",
                check="expect_column_values_to_be_between",
                severity="warning",
                failing=3,
                total=1_250,
                meaning="Three deals have a negative amount; revenue may be understated.",
                fix="Correct the amounts in the CRM, or mark the deals as refunds.",
                samples=[
                    {"deal_id": "D-1001", "amount": "-1200.00"},
                    {"deal_id": "D-1044", "amount": "-80.00"},
                ],
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


ContextFactory = Callable[..., ReportContext]


def build_context(dq: str | DqVerdict = "clean", **overrides: Any) -> ReportContext:
    """Any field can be overridden; dq="clean"/"warnings"/"critical" picks a verdict."""
    verdicts = {
        "clean": DqVerdict(checks_run=24, failures=[], run_id="dq-2026-W47-0000"),
        "warnings": make_warnings(),
        "critical": make_critical(),
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
        "lineage": {
            "deals.parquet sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "config hash": "c0ffee1234",
            "salespulse version": "0.1.0",
        },
    }
    fields.update(overrides)
    return ReportContext(**fields)


@pytest.fixture(scope="session")
def make_context() -> ContextFactory:
    """The context factory, as a fixture so tests ask for it by name."""
    return build_context
