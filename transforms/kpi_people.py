"""KPIs of leads, activities, customers and the sales team itself."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from salespulse.transforms.kpi_inputs import KpiSettings, in_window, median_or_none, ratio
from salespulse.transforms.membership import is_in
from salespulse.transforms.periods import Period
from salespulse.transforms.results import FunnelStep
from salespulse.transforms.schema import DEAL_STAGES_OPEN
from salespulse.transforms.team_data import TeamData, active_reps


def _cohort(data: TeamData, window: Period) -> pd.DataFrame:
    return data.memo(
        ("cohort", window.start, window.end), lambda: data.leads[in_window(data.leads["created_day"], window)]
    )


def new_leads(data: TeamData, window: Period, _: KpiSettings) -> float:
    return float(len(_cohort(data, window)))


def lead_conversion(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    cohort = _cohort(data, window)
    return ratio((cohort["converted_day"] <= pd.Timestamp(window.end)).sum(), len(cohort))


def _response_hours(data: TeamData, window: Period) -> pd.Series:
    """Hours from each new lead to its first completed activity; NaN while nobody has answered."""
    cohort = _cohort(data, window)
    if not data.leads.index.is_unique:
        return _hours_to_first_touch(cohort, first_touch(data))
    # every lead's hours once per data, then each window's cohort picks its own: the same values
    every_lead = data.memo("response hours", lambda: _hours_to_first_touch(data.leads, first_touch(data)))
    return every_lead.loc[cohort.index]


def _hours_to_first_touch(leads: pd.DataFrame, first: pd.Series) -> pd.Series:
    if leads.empty:  # a header-only table's columns may be plain objects, which have no `.dt`
        return pd.Series(index=leads.index, dtype="float64")
    # reindex, not map: it keeps the datetime dtype (NaT) when no lead has been answered at all
    answered = pd.Series(first.reindex(leads["lead_id"]).array, index=leads.index)
    return (_instants(answered) - _instants(leads["created_at"])).dt.total_seconds() / 3_600


def _instants(values: pd.Series) -> pd.Series:
    """UTC timestamps as they are; anything else (first touches from a header-only activities table, which
    are objects: every lead unanswered) read as UTC timestamps, missing ones NaT."""
    return values if isinstance(values.dtype, pd.DatetimeTZDtype) else pd.to_datetime(values, utc=True)


FIRST_TOUCH = "first_touch"


def first_touch(data: TeamData) -> pd.Series:
    """Each lead's first completed activity: the same whatever the window, so worked out once per data."""
    return data.memo(FIRST_TOUCH, lambda: _first_touch(data.activities))


def _first_touch(acts: pd.DataFrame) -> pd.Series:
    return acts[acts["lead_id"].notna()].groupby("lead_id")["completed_at"].min()


def share_first_touch(data: TeamData, rows: TeamData, parts: dict[str, TeamData], column: str | None) -> None:
    """Give every part of `rows` (some of `data`'s rows) its first touches from one grouping of `data`'s
    activities by `column` (each part's activities being rows of one value of it), or `data`'s own when the
    parts share its activities: the same values as each part's own grouping, without a grouping per rep.
    Only the leads of `rows` are looked up, so only their activities are grouped (not years of them)."""
    if column is None:
        whole = first_touch(data)
        for part in parts.values():
            part.memo(FIRST_TOUCH, lambda: whole)
        return
    leads = rows.leads["lead_id"]
    by_key = rows.memo(("first_touch_by", column), lambda: _first_touch_by(data.activities, column, leads))
    none = _first_touch(data.activities.iloc[0:0])
    for key, part in parts.items():
        part.memo(FIRST_TOUCH, lambda key=key: by_key.get(key, none))


def _first_touch_by(acts: pd.DataFrame, column: str, leads: pd.Series) -> dict[str, pd.Series]:
    touching = acts[acts["lead_id"].notna() & is_in(acts["lead_id"], leads)]
    grouped = touching.groupby([column, "lead_id"])["completed_at"].min()
    return {key: rows.droplevel(0) for key, rows in grouped.groupby(level=0, sort=False)}


def lead_response_hours(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    return median_or_none(_response_hours(data, window))


def lead_response_sla(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    hours = _response_hours(data, window)  # unanswered leads count as outside the SLA
    return ratio((hours <= settings.response_sla_hours).sum(), len(hours))


def activities_per_rep(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    done = in_window(data.activities["completed_day"], window).sum()
    return ratio(done, int(active_reps(data.reps, window).sum()))


def task_completion(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    due = data.activities[in_window(data.activities["due_day"], window)]
    return ratio((due["completed_day"] <= pd.Timestamp(window.end)).sum(), len(due))


def _customers(data: TeamData, on: pd.Timestamp, settings: KpiSettings) -> set[str]:
    """Accounts whose latest order up to `on` is at most `active_customer_days` old. Remembered per day:
    a week's start-1 is the week before's end, and churn asks again for what retention just worked out."""

    def active() -> set[str]:
        orders = data.orders[data.orders["ordered_day"] <= on]
        last = orders.groupby("account_id")["ordered_day"].max()
        return set(last[last > on - pd.Timedelta(days=settings.active_customer_days)].index)

    return data.memo(("customers", on, settings.active_customer_days), active)


def _new_customers(data: TeamData, window: Period) -> set[str]:
    first = data.memo("first_order", lambda: data.orders.groupby("account_id")["ordered_day"].min())
    return set(first[in_window(first, window)].index)


def new_customers(data: TeamData, window: Period, _: KpiSettings) -> float:
    return float(len(_new_customers(data, window)))


def customer_retention(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    start = _customers(data, pd.Timestamp(window.start - timedelta(days=1)), settings)
    end = _customers(data, pd.Timestamp(window.end), settings)
    return ratio(len(end) - len(_new_customers(data, window) & end), len(start))


def customer_churn(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    retained = customer_retention(data, window, settings)
    return None if retained is None else 1.0 - retained


def _headcount(reps: pd.DataFrame, on: pd.Timestamp) -> pd.Series:
    return (reps["hired_on"] <= on) & (reps["left_on"].isna() | (reps["left_on"] > on))


def rep_retention(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    reps = data.reps
    start, end = pd.Timestamp(window.start - timedelta(days=1)), pd.Timestamp(window.end)
    hires = in_window(reps["hired_on"], window).sum()
    return ratio(_headcount(reps, end).sum() - hires, _headcount(reps, start).sum())


def _reached(deals: pd.DataFrame) -> pd.Series:
    """Furthest stage index each deal reached; lost deals count at the first stage (no stage history)."""
    order = {stage: i for i, stage in enumerate((*DEAL_STAGES_OPEN, "won"))}
    return deals["stage"].map(order).fillna(0)


FUNNEL_DAYS = 91
FUNNEL_READS = frozenset({"deals.created_at", "deals.stage"})


def funnel_window(window: Period) -> Period:
    """The 13 weeks to the window's end, or the window when longer: a week's new deals are all still
    prospecting, so a weekly funnel would say nothing."""
    if window.days >= FUNNEL_DAYS:
        return window
    return Period(window.end - timedelta(days=FUNNEL_DAYS - 1), window.end, window.cadence)


def funnel(data: TeamData, window: Period) -> list[FunnelStep]:
    """Deals created in the funnel window, by the furthest stage they reached."""
    deals = data.deals[in_window(data.deals["created_day"], funnel_window(window))]
    reached = _reached(deals)
    steps, before = [], None
    for index, stage in enumerate((*DEAL_STAGES_OPEN, "won")):
        count = int((reached >= index).sum())
        steps.append(FunnelStep(stage, count, None if before is None else ratio(count, before)))
        before = count
    return steps


def stage_conversion(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    """Prospecting → won across the funnel (deals created in the 13 weeks to the period's end)."""
    steps = funnel(data, window)
    return ratio(steps[-1].reached, steps[0].reached)
