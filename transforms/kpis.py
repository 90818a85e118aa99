"""The KPI catalogue: one declaration and one pure function per KPI, read by one generic runner.

Every function takes a team's data and a window (anything with `start` and `end` dates, inclusive)
and returns a number, or None when the KPI is undefined — a zero denominator is "n/a", never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from transforms.periods import Period
from transforms.results import Direction, KpiResult, Unit
from transforms.team_data import TeamData

KpiFunction = Callable[[TeamData, Period], float | None]


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    definition: str
    unit: Unit
    direction: Direction
    period_date: str  # the field that puts a record into a period
    tables: tuple[str, ...]
    additive: bool  # a sum over sub-windows equals the value over the whole window
    compute: KpiFunction


def _in(days: pd.Series, window: Period) -> pd.Series:
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end)
    return (days >= start) & (days <= end)


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def _closed(data: TeamData, window: Period, stage: str) -> pd.DataFrame:
    deals = data.deals
    return deals[(deals["stage"] == stage) & _in(deals["closed_day"], window)]


def won_revenue(data: TeamData, window: Period) -> float:
    return float(_closed(data, window, "won")["amount"].sum())


def deals_won(data: TeamData, window: Period) -> float:
    return float(len(_closed(data, window, "won")))


def win_rate(data: TeamData, window: Period) -> float | None:
    won, lost = len(_closed(data, window, "won")), len(_closed(data, window, "lost"))
    return _ratio(won, won + lost)


def average_deal_size(data: TeamData, window: Period) -> float | None:
    won = _closed(data, window, "won")
    return _ratio(float(won["amount"].sum()), len(won))


def new_leads(data: TeamData, window: Period) -> float:
    return float(_in(data.leads["created_day"], window).sum())


def lead_conversion(data: TeamData, window: Period) -> float | None:
    cohort = data.leads[_in(data.leads["created_day"], window)]
    converted = cohort["converted_day"] <= pd.Timestamp(window.end)
    return _ratio(float(converted.sum()), len(cohort))


def open_pipeline(data: TeamData, window: Period) -> float:
    """Deals open at the window's end, expected to close in the next period of the same length."""
    deals, end = data.deals, pd.Timestamp(window.end)
    open_at_end = (deals["created_day"] <= end) & ~(deals["closed_day"] <= end)
    expected_next = _in(deals["expected_close_on"], window.next())
    return float(deals.loc[open_at_end & expected_next, "amount"].sum())


def active_reps(data: TeamData, window: Period) -> int:
    reps = data.reps
    hired = reps["hired_on"] <= pd.Timestamp(window.end)
    still_there = reps["left_on"].isna() | (reps["left_on"] >= pd.Timestamp(window.start))
    return int((hired & still_there).sum())


def activities_per_rep(data: TeamData, window: Period) -> float | None:
    done = _in(data.activities["completed_day"], window).sum()
    return _ratio(float(done), active_reps(data, window))


KPI_CATALOGUE: dict[str, Kpi] = {
    k.id: k
    for k in (
        Kpi(
            "won_revenue",
            "Won revenue",
            "Sum of the amounts of deals won, by the date they closed.",
            "currency",
            "higher",
            "deals.closed_at",
            ("deals",),
            True,
            won_revenue,
        ),
        Kpi(
            "deals_won",
            "Deals won",
            "Number of deals won, by the date they closed.",
            "count",
            "higher",
            "deals.closed_at",
            ("deals",),
            True,
            deals_won,
        ),
        Kpi(
            "win_rate",
            "Win rate",
            "Deals won ÷ deals closed (won + lost) in the period; open deals excluded.",
            "percent",
            "higher",
            "deals.closed_at",
            ("deals",),
            False,
            win_rate,
        ),
        Kpi(
            "average_deal_size",
            "Average deal size",
            "Won revenue ÷ deals won; won deals only.",
            "currency",
            "higher",
            "deals.closed_at",
            ("deals",),
            False,
            average_deal_size,
        ),
        Kpi(
            "new_leads",
            "New leads",
            "Number of leads created in the period.",
            "count",
            "higher",
            "leads.created_at",
            ("leads",),
            True,
            new_leads,
        ),
        Kpi(
            "lead_conversion",
            "Lead conversion",
            "Share of the leads created in the period that had converted by the period's end.",
            "percent",
            "higher",
            "leads.created_at",
            ("leads",),
            False,
            lead_conversion,
        ),
        Kpi(
            "open_pipeline",
            "Open pipeline",
            "Amount of deals open at the period's end that are expected to close in the next period.",
            "currency",
            "higher",
            "deals.expected_close_on",
            ("deals",),
            False,
            open_pipeline,
        ),
        Kpi(
            "activities_per_rep",
            "Activities per rep",
            "Completed calls, emails, meetings and tasks ÷ reps employed during the period.",
            "count",
            "higher",
            "activities.completed_at",
            ("activities", "reps"),
            False,
            activities_per_rep,
        ),
    )
}


def kpi_results(data: TeamData, period: Period, kpi_ids: list[str]) -> list[KpiResult]:
    """Each requested KPI for the period, beside its value for the previous period."""
    previous = period.previous()
    return [
        KpiResult(
            kpi_id=kpi.id,
            name=kpi.name,
            definition=kpi.definition,
            unit=kpi.unit,
            direction=kpi.direction,
            value=kpi.compute(data, period),
            previous=kpi.compute(data, previous),
        )
        for kpi in (KPI_CATALOGUE[k] for k in kpi_ids)
    ]
