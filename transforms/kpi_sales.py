"""KPIs of deals and revenue: what was won, how fast, and what is still in the pipeline."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from salespulse.transforms.kpi_inputs import KpiSettings, in_window, median_or_none, ratio
from salespulse.transforms.periods import Period, period_containing
from salespulse.transforms.schema import DEAL_STAGES_OPEN
from salespulse.transforms.team_data import TeamData, active_reps, before_data, open_at


def closed(data: TeamData, window: Period, stage: str) -> pd.DataFrame:
    deals = data.deals  # asked for by a dozen KPIs per window: worked out once per data and window
    return data.memo(
        ("closed", stage, window.start, window.end),
        lambda: deals[(deals["stage"] == stage) & in_window(deals["closed_day"], window)],
    )


def won_revenue(data: TeamData, window: Period, _: KpiSettings) -> float:
    return float(closed(data, window, "won")["amount"].sum())


def deals_won(data: TeamData, window: Period, _: KpiSettings) -> float:
    return float(len(closed(data, window, "won")))


def win_rate(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    won, lost = len(closed(data, window, "won")), len(closed(data, window, "lost"))
    return ratio(won, won + lost)


def win_rate_value(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    won = closed(data, window, "won")["amount"].sum()
    lost = closed(data, window, "lost")["amount"].sum()
    return ratio(won, won + lost)


def average_deal_size(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    won = closed(data, window, "won")
    return ratio(won["amount"].sum(), len(won))


def sales_cycle_days(data: TeamData, window: Period, _: KpiSettings) -> float | None:
    won = closed(data, window, "won")
    if won.empty:  # nothing won, or a header-only table whose columns may be plain objects: no `.dt`
        return None
    return median_or_none((won["closed_at"] - won["created_at"]).dt.total_seconds() / 86_400)


def open_at_end(data: TeamData, window: Period) -> pd.DataFrame:
    """Deals created by the window's end and not closed by then (a deal won later was open then)."""
    deals, end = data.deals, pd.Timestamp(window.end)
    return data.memo(("open_at_end", end), lambda: deals[open_at(deals, end)])


def open_pipeline(data: TeamData, window: Period, _: KpiSettings) -> float:
    deals = open_at_end(data, window)
    return float(deals.loc[in_window(deals["expected_close_on"], window.next()), "amount"].sum())


def forecast_quarter(window: Period) -> Period:
    """The quarter the next day falls in: the current quarter for a week or month, the next one for a quarter."""
    return period_containing(window.end + timedelta(days=1), "quarterly")


def _quarter_pipeline(data: TeamData, window: Period) -> pd.DataFrame:
    deals = open_at_end(data, window)
    quarter = forecast_quarter(window)
    horizon = Period(window.end + timedelta(days=1), quarter.end, "quarterly")
    return deals[in_window(deals["expected_close_on"], horizon)]


def open_pipeline_quarter(data: TeamData, window: Period, _: KpiSettings) -> float:
    return float(_quarter_pipeline(data, window)["amount"].sum())


def weighted_pipeline(data: TeamData, window: Period, settings: KpiSettings) -> float:
    """Amount × the probability of the deal's stage. A deal that has closed since the window's end has lost
    its stage of the time (exports carry no stage history): it is weighted as if in the last open stage."""
    deals = _quarter_pipeline(data, window)
    stage = deals["stage"].where(deals["stage"].isin(DEAL_STAGES_OPEN), DEAL_STAGES_OPEN[-1])
    return float((deals["amount"] * stage.map(settings.stage_probabilities).fillna(0.0)).sum())


def quota_for(data: TeamData, window: Period, settings: KpiSettings) -> float:
    """Σ quarterly quota of the reps employed in the window, pro-rated to the window's days."""
    reps = data.reps.loc[active_reps(data.reps, window), "rep_id"]
    # a dict lookup per rep, not Series.map(dict): map builds a Series of the whole dict on every call, and
    # this runs once per rep of a 600-rep breakdown
    default = settings.quarterly_quota or 0.0
    quotas = sum(settings.rep_quotas.get(rep, default) for rep in reps)
    quarter = period_containing(window.start, "quarterly")
    return float(quotas) * window.days / quarter.days


def quota_attainment(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    # Σ won ÷ Σ quota: the team figure is never the mean of the reps' percentages.
    return ratio(won_revenue(data, window, settings), quota_for(data, window, settings))


def pipeline_coverage(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    quarter = forecast_quarter(window)
    to_date = Period(quarter.start, window.end, "quarterly") if window.end >= quarter.start else None
    won = won_revenue(data, to_date, settings) if to_date else 0.0
    remaining = quota_for(data, quarter, settings) - won
    return None if remaining <= 0 else ratio(open_pipeline_quarter(data, window, settings), remaining)


def revenue_per_rep(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    return ratio(won_revenue(data, window, settings), int(active_reps(data.reps, window).sum()))


def _growth(data: TeamData, window: Period, earlier: Period, settings: KpiSettings) -> float | None:
    """Won revenue's change from `earlier` to `window`: n/a on a zero base, and when `earlier` ends before
    the first deal (no data then, not a zero base: growth from it is unknown)."""
    if before_data(data, "deals", earlier):
        return None
    now, before = won_revenue(data, window, settings), won_revenue(data, earlier, settings)
    return None if before == 0 else (now - before) / abs(before)


def revenue_growth(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    return _growth(data, window, window.previous(), settings)


def revenue_growth_yoy(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    return _growth(data, window, window.year_before(), settings)


def sales_velocity(data: TeamData, window: Period, settings: KpiSettings) -> float | None:
    """(open opportunities × average deal × win rate) ÷ cycle days: expected won revenue per day."""
    size, rate = average_deal_size(data, window, settings), win_rate(data, window, settings)
    cycle = sales_cycle_days(data, window, settings)
    if size is None or rate is None or not cycle:
        return None
    return len(open_at_end(data, window)) * size * rate / cycle
