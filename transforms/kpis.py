"""The KPI catalogue: one declaration and one pure function per KPI, read by one generic runner.

Every function takes a team's data, a window (anything with `start`, `end`, `next()`...) and the KPI
settings, and returns a number, or None when the KPI is undefined: a zero denominator is "n/a", never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from salespulse.transforms import kpi_people as people
from salespulse.transforms import kpi_sales as sales
from salespulse.transforms.kpi_inputs import KpiSettings
from salespulse.transforms.periods import Period
from salespulse.transforms.results import Direction, Unit
from salespulse.transforms.team_data import TeamData

KpiFunction = Callable[[TeamData, Period, KpiSettings], float | None]

DEALS, LEADS, ACTS, REPS, ORDERS = ("deals",), ("leads",), ("activities",), ("reps",), ("orders",)
# The columns each KPI reads (`table.column`): a row a check flags in one of them is left out of that KPI only.
CLOSED_READS = ("deals.stage", "deals.closed_at")
WON_READS = (*CLOSED_READS, "deals.amount")
PIPELINE_READS = ("deals.created_at", "deals.closed_at", "deals.expected_close_on", "deals.amount")
ROSTER_READS = ("reps.hired_on", "reps.left_on")
ORDER_READS = ("orders.ordered_at", "orders.account_id")
# The deal stages a KPI counts, for saying how many of the period's deals it left out.
WON, CLOSED, OPEN = ("won",), ("won", "lost"), ("prospecting", "qualification", "proposal", "negotiation")
BY_REP_PRODUCT = ("rep", "product")


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    definition: str
    formula: str
    unit: Unit
    direction: Direction
    period_date: str  # the field that puts a record into a period
    tables: tuple[str, ...]
    additive: bool  # a sum over sub-windows equals the value over the whole window
    compute: KpiFunction
    breakdowns: tuple[str, ...] = ()  # dimensions it is also shown by: rep, product, source, type
    reads: tuple[str, ...] = ()  # the columns it reads, `table.column`
    stages: tuple[str, ...] = ()  # for deal KPIs: the stages of the deals it counts


def _kpi(
    id_: str,
    name: str,
    definition: str,
    formula: str,
    unit: Unit,
    direction: Direction,
    period_date: str,
    tables: tuple[str, ...],
    compute: KpiFunction,
    *,
    additive: bool = False,
    breakdowns: tuple[str, ...] = (),
    reads: tuple[str, ...] = (),
    stages: tuple[str, ...] = (),
) -> Kpi:
    return Kpi(
        id_, name, definition, formula, unit, direction, period_date, tables, additive, compute, breakdowns,
        tuple(dict.fromkeys(reads)), stages,
    )  # fmt: skip


# fmt: off
_CATALOGUE = (
    _kpi("won_revenue", "Won revenue", "Sum of the amounts of deals won in the period.",
         "Σ amount of deals with stage won and closed_at in the period",
         "currency", "higher", "deals.closed_at", DEALS, sales.won_revenue, additive=True, breakdowns=BY_REP_PRODUCT, reads=WON_READS, stages=WON),
    _kpi("deals_won", "Deals won", "Number of deals won in the period.",
         "count of deals with stage won and closed_at in the period",
         "count", "higher", "deals.closed_at", DEALS, sales.deals_won, additive=True, breakdowns=BY_REP_PRODUCT, reads=CLOSED_READS, stages=WON),
    _kpi("win_rate", "Win rate", "Share of the deals closed in the period that were won; open deals excluded.",
         "won ÷ (won + lost), deals closed in the period",
         "percent", "higher", "deals.closed_at", DEALS, sales.win_rate, breakdowns=BY_REP_PRODUCT, reads=CLOSED_READS, stages=CLOSED),
    _kpi("win_rate_value", "Win rate by value", "Share of the value of deals closed in the period that was won.",
         "Σ amount won ÷ Σ amount (won + lost), deals closed in the period",
         "percent", "higher", "deals.closed_at", DEALS, sales.win_rate_value, breakdowns=("product",), reads=WON_READS, stages=CLOSED),
    _kpi("average_deal_size", "Average deal size", "Average amount of the deals won in the period.",
         "won revenue ÷ deals won",
         "currency", "higher", "deals.closed_at", DEALS, sales.average_deal_size, breakdowns=BY_REP_PRODUCT, reads=WON_READS, stages=WON),
    _kpi("sales_cycle_days", "Sales cycle", "Median days from creation to close of the deals won in the period.",
         "median(closed_at − created_at) in days, won deals closed in the period",
         "days", "lower", "deals.closed_at", DEALS, sales.sales_cycle_days, breakdowns=("product",), reads=CLOSED_READS + ("deals.created_at",), stages=WON),
    _kpi("open_pipeline", "Open pipeline", "Amount of open deals expected to close in the next period.",
         "Σ amount of deals open at the period's end with expected_close_on in the next period",
         "currency", "higher", "deals.expected_close_on", DEALS, sales.open_pipeline, breakdowns=("product",), reads=PIPELINE_READS, stages=OPEN),
    _kpi("open_pipeline_quarter", "Quarter pipeline", "Amount of open deals expected to close by the quarter's end.",
         "Σ amount of deals open at the period's end expected to close from then to the quarter's end",
         "currency", "higher", "deals.expected_close_on", DEALS, sales.open_pipeline_quarter, reads=PIPELINE_READS, stages=OPEN),
    _kpi("weighted_pipeline", "Weighted pipeline", "Quarter pipeline weighted by the chance of winning at each stage.",
         "Σ amount × stage probability (from config), quarter pipeline",
         "currency", "higher", "deals.expected_close_on", DEALS, sales.weighted_pipeline, reads=PIPELINE_READS + ("deals.stage",), stages=OPEN),
    _kpi("pipeline_coverage", "Pipeline coverage", "How many times the quarter pipeline covers the quota still to win.",
         "quarter pipeline ÷ (quarter quota − won revenue in the quarter to date)",
         "ratio", "higher", "deals.expected_close_on", DEALS + REPS, sales.pipeline_coverage, reads=PIPELINE_READS + WON_READS + ROSTER_READS, stages=OPEN),
    _kpi("quota_attainment", "Quota attainment", "Won revenue against quota, for the team and for each rep.",
         "Σ won revenue ÷ Σ quota pro-rated to the period (never the mean of the reps' percentages)",
         "percent", "higher", "deals.closed_at", DEALS + REPS, sales.quota_attainment, breakdowns=("rep",), reads=WON_READS + ROSTER_READS, stages=WON),
    _kpi("revenue_per_rep", "Revenue per active rep", "Won revenue divided by the reps employed in the period.",
         "won revenue ÷ reps employed on any day of the period",
         "currency", "higher", "deals.closed_at", DEALS + REPS, sales.revenue_per_rep, reads=WON_READS + ROSTER_READS, stages=WON),
    _kpi("revenue_growth", "Revenue growth", "Change in won revenue against the previous period.",
         "(won revenue − previous period's) ÷ previous period's; n/a on a zero base",
         "percent", "higher", "deals.closed_at", DEALS, sales.revenue_growth, reads=WON_READS, stages=WON),
    _kpi("revenue_growth_yoy", "Revenue growth, year on year", "Change in won revenue against the same period last year.",
         "(won revenue − same period last year's) ÷ same period last year's; n/a on a zero base",
         "percent", "higher", "deals.closed_at", DEALS, sales.revenue_growth_yoy, reads=WON_READS, stages=WON),
    _kpi("new_leads", "New leads", "Number of leads created in the period.",
         "count of leads with created_at in the period",
         "count", "higher", "leads.created_at", LEADS, people.new_leads, additive=True, breakdowns=("rep", "source"), reads=("leads.created_at",), stages=()),
    _kpi("lead_conversion", "Lead conversion", "Share of the leads created in the period that became opportunities.",
         "leads of the period's cohort converted by its end ÷ leads created in the period",
         "percent", "higher", "leads.created_at", LEADS, people.lead_conversion, breakdowns=("rep", "source"), reads=("leads.created_at", "leads.converted_at"), stages=()),
    _kpi("stage_conversion", "Funnel conversion", "Share of the deals created in the 13 weeks to the period's end that have reached won.",
         "deals created in those 13 weeks (or in the period, when longer) now won ÷ deals created then",
         "percent", "higher", "deals.created_at", DEALS, people.stage_conversion, reads=("deals.created_at", "deals.stage"), stages=()),
    _kpi("lead_response_hours", "Lead response time", "Median hours from a lead's creation to its first completed activity.",
         "median(first completed activity − lead created_at), leads created in the period",
         "hours", "lower", "leads.created_at", LEADS + ACTS, people.lead_response_hours, breakdowns=("rep", "source"), reads=("leads.created_at", "activities.completed_at", "activities.lead_id"), stages=()),
    _kpi("lead_response_sla", "Leads answered within SLA", "Share of new leads answered within the SLA hours from config.",
         "leads answered within the SLA ÷ leads created in the period",
         "percent", "higher", "leads.created_at", LEADS + ACTS, people.lead_response_sla, breakdowns=("source",), reads=("leads.created_at", "activities.completed_at", "activities.lead_id"), stages=()),
    _kpi("activities_per_rep", "Activities per rep", "Completed calls, emails, meetings and tasks per rep employed.",
         "activities completed in the period ÷ reps employed in the period",
         "count", "higher", "activities.completed_at", ACTS + REPS, people.activities_per_rep, breakdowns=("rep", "type"), reads=("activities.completed_at",) + ROSTER_READS, stages=()),
    _kpi("task_completion", "Task completion", "Share of the activities due in the period that were completed by its end.",
         "activities due in the period and completed by its end ÷ activities due in the period",
         "percent", "higher", "activities.due_at", ACTS, people.task_completion, breakdowns=("rep", "type"), reads=("activities.due_at", "activities.completed_at"), stages=()),
    _kpi("new_customers", "New customers", "Accounts whose first order falls in the period.",
         "count of accounts with their first ordered_at in the period",
         "count", "higher", "orders.ordered_at", ORDERS, people.new_customers, additive=True, reads=ORDER_READS, stages=()),
    _kpi("customer_retention", "Customer retention", "Share of the customers active at the start still active at the end.",
         "(active at the end − new in the period) ÷ active at the start; active = ordered within the configured days",
         "percent", "higher", "orders.ordered_at", ORDERS, people.customer_retention, reads=ORDER_READS, stages=()),
    _kpi("customer_churn", "Customer churn", "Share of the customers active at the start who were lost.",
         "1 − customer retention",
         "percent", "lower", "orders.ordered_at", ORDERS, people.customer_churn, reads=ORDER_READS, stages=()),
    _kpi("rep_retention", "Rep retention", "Share of the reps employed at the start still employed at the end.",
         "(headcount at the end − hires in the period) ÷ headcount at the start",
         "percent", "higher", "reps.hired_on", REPS, people.rep_retention, reads=ROSTER_READS, stages=()),
    _kpi("sales_velocity", "Sales velocity", "Revenue the open pipeline is expected to bring in per day.",
         "open deals × average deal size × win rate ÷ sales cycle days, inputs from the period",
         "currency_per_day", "higher", "deals.closed_at", DEALS, sales.sales_velocity, reads=WON_READS + ("deals.created_at",), stages=WON),
)
# fmt: on

KPI_CATALOGUE: dict[str, Kpi] = {k.id: k for k in _CATALOGUE}
