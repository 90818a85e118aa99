"""A context as a real run builds it: the KPI catalogue's own names, definitions and formulas, canonical
funnel stages and activity types, goals with a scope, suite-worded data-quality findings and lineage keyed
as flows/ keys it. The hand-built factory context (contexts.py) uses made-up names the catalogue does not
know; this one is what a Spanish reader actually gets, so a scan for leftover English means something."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from salespulse.expectations.runner import load_suite
from salespulse.reports.context import ReportContext
from salespulse.transforms.checks import CHECKS
from salespulse.transforms.kpis import KPI_CATALOGUE
from salespulse.transforms.results import (
    BaselineBasis,
    BreakdownRow,
    CheckFailure,
    DqVerdict,
    KpiResult,
    LeftOut,
    ScopeTerm,
)
from tests.reports.contexts import build_context, make_funnel, make_goals, make_history

PRODUCTS = [("GTX Pro", "GTX Pro"), ("GTX Basic", "GTX Basic")]
SOURCES = [("web", "web"), ("referral", "referral")]
TYPES = [("call", "call"), ("email", "email"), ("meeting", "meeting"), ("task", "task")]
TEAMS = [("north", "North"), ("south", "South")]
VALUES = {"currency": 48_000.0, "count": 42.0, "percent": 0.31, "days": 26.5, "hours": 6.7, "ratio": 2.3}
VALUES |= {"per_rep": 16_000.0, "currency_per_day": 6_754.0}
MONTHS = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]


def suite_failure(check_id: str, **fields: Any) -> CheckFailure:
    """A failure worded as the check registry (or a derived suite) words it, as the runner reports it: its
    texts are the catalogue's msgids, so a Spanish render can be checked against the real ones."""
    table, name = check_id.split(".", 1)
    if check_id in CHECKS:
        check = CHECKS[check_id]
        column = next((c for c in check.taints if c != "*"), None) or (check.shows[0] if check.shows else None)
        base = {"meaning": check.meaning, "fix": check.fix, "note": check.note, "action": check.action}
        severity = check.severity
    else:
        (expectation,) = [e for e in load_suite(table)["expectations"] if e["meta"]["check"] == check_id]
        column, severity = expectation["kwargs"].get("column"), expectation["severity"]
        base = {"meaning": expectation["meta"]["meaning"], "fix": expectation["meta"]["fix"]}
    fields = {"failing": 1, "total": 100, **base, "check_id": check_id, **fields}
    return CheckFailure(table, column, name, fields.pop("severity", severity), **fields)


def make_suite_warnings() -> DqVerdict:
    """What a real run with warnings reports: registry texts, row samples, the intake check's derived frame."""
    amount = [{"deal_id": "D-1001", "amount": "990000.00"}, {"deal_id": "D-1044", "amount": "870000.00"}]
    intake = [{"table": "orders", "rows": "12", "usual": "40", "latest": "2026-11-12"}]
    cycle = [{"deal_id": "D-1200", "created_at": "2026-10-30", "closed_at": "2026-10-02"}]
    return DqVerdict(
        checks_run=114,
        run_id="e1565b247d64",
        failures=[
            suite_failure("deals.implausible_amount", failing=2, total=1_250, samples=amount),
            suite_failure("deals.closed_before_created", failing=3, total=1_250, excluded=3, samples=cycle),
            suite_failure("activities.unknown_owner", failing=2, total=4_100,
                          samples=[{"activity_id": "A-77", "rep_id": "r-gone"}]),
            suite_failure("intake.freshness", failing=1, total=6, samples=intake),
            suite_failure("deals.unknown_account", failing=5, total=1_250),  # info
        ],
    )  # fmt: skip


def make_suite_critical() -> DqVerdict:
    """A withheld run: a critical check on top of the warnings."""
    warnings = make_suite_warnings()
    samples = [{"deal_id": "D-2000", "stage": "Closed Won", "amount": "1200.00"}]
    critical = suite_failure("deals.closed_unknown_stage", failing=57, total=1_250, samples=samples,
                             unknowable=("won_revenue", "deals_won", "win_rate"))  # fmt: skip
    return DqVerdict(warnings.checks_run, [critical, *warnings.failures], "e1565b247d65")


def _breakdowns(kpi_id: str, dimensions: tuple[str, ...], value: float) -> dict[str, list[BreakdownRow]]:
    keys = {"product": PRODUCTS, "source": SOURCES, "type": TYPES, "team": TEAMS}
    shown = [d for d in dimensions if d in keys] + (["team"] if kpi_id in ("won_revenue", "new_leads") else [])
    return {d: [BreakdownRow(k, label, value * (i + 1) / 3) for i, (k, label) in enumerate(keys[d])] for d in shown}


BASES = ("average", "benchmark", "too_short", "no_values")
# the closed-before-created warning of make_suite_warnings, as the sales cycle says it
CYCLE_LEFT_OUT = (LeftOut("deals.closed_before_created", "deals", 3, "created date after the close date"),)


def catalogue_kpis() -> list[KpiResult]:
    """Every catalogue KPI as the runner returns it, each baseline basis in turn, on a monthly cadence."""
    kpis = []
    for index, kpi in enumerate(KPI_CATALOGUE.values()):
        value = VALUES[kpi.unit]
        kind = BASES[index % len(BASES)]
        baseline = value * 0.9 if kind in ("average", "benchmark") else None
        previous = value * (0.8 if index % 2 else 1.15)
        trend = [(month, value * (0.85 + 0.02 * i)) for i, month in enumerate(MONTHS[:-1])] + [(MONTHS[-1], value)]
        kpis.append(
            KpiResult(
                kpi.id,
                kpi.name,
                kpi.definition,
                kpi.unit,
                kpi.direction,
                value,
                previous,
                kpi.formula,
                baseline=baseline,
                basis=BaselineBasis(kind, 8, "monthly"),
                breakdowns=_breakdowns(kpi.id, kpi.breakdowns, value),
                trend=trend,
                left_out=CYCLE_LEFT_OUT if kpi.id == "sales_cycle_days" else (),
            )  # fmt: skip
        )
    return kpis


def demo_like_context(locale: str = "es_ES", currency: str = "EUR", **overrides: Any) -> ReportContext:
    revenue, rate = make_goals()
    goals = [
        replace(revenue, kpi_id="won_revenue"),
        replace(rate, kpi_id="win_rate", scope_terms=(ScopeTerm("product", "GTX Pro", best_seller=True),)),
    ]
    lineage = {
        "input deals.csv": "6f56486a84b50eee",
        "input reps.csv": "c68ec960dbe1a41a",
        "config": "f733841e9743ce94",
    }
    fields: dict[str, Any] = {
        "locale": locale,
        "currency": currency,
        "cadence": "monthly",
        "period_label": "2026-10",
        "kpis": catalogue_kpis(),
        "goals": goals,
        "funnel": make_funnel(),
        "dq_history": make_history(),
        "dq_report": "dq.html",
        "headline": ("won_revenue", "deals_won", "win_rate", "sales_velocity", "lead_response_hours"),
        "lineage": lineage | {"validation run": "e1565b247d64", "salespulse": "0.1.0"},
    }
    return build_context(make_suite_warnings(), **(fields | overrides))
