"""A context as a real run builds it: the KPI catalogue's own names, definitions and formulas, canonical
funnel stages and activity types, goals with a scope, suite-worded data-quality findings and lineage keyed
as flows/ keys it. The hand-built factory context in conftest uses made-up names the catalogue does not
know; this one is what a Spanish reader actually gets, so a scan for leftover English means something."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from expectations.runner import load_suite
from reports.context import ReportContext
from tests.reports.conftest import build_context, make_funnel, make_goals, make_history
from transforms.kpis import KPI_CATALOGUE
from transforms.results import BaselineBasis, BreakdownRow, CheckFailure, DqVerdict, KpiResult, ScopeTerm

PRODUCTS = [("GTX Pro", "GTX Pro"), ("GTX Basic", "GTX Basic")]
SOURCES = [("web", "web"), ("referral", "referral")]
TYPES = [("call", "call"), ("email", "email"), ("meeting", "meeting"), ("task", "task")]
TEAMS = [("north", "North"), ("south", "South")]
VALUES = {"currency": 48_000.0, "count": 42.0, "percent": 0.31, "days": 26.5, "hours": 6.7, "ratio": 2.3}
VALUES |= {"per_rep": 16_000.0, "currency_per_day": 6_754.0}
MONTHS = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]


def suite_failure(table: str, check: str, column: str, severity: str = "", **fields: Any) -> CheckFailure:
    """A failure worded as expectations/suites/ words it (meaning, fix, severity), as the runner reports it:
    its texts are the catalogue's msgids, so a Spanish render can be checked against the real ones."""
    for expectation in load_suite(table)["expectations"]:
        kwargs = expectation["kwargs"]
        if (
            expectation["type"] == f"expect_{check}"
            and column in (kwargs.get("column"), kwargs.get("column_A"))
            and severity in ("", expectation["severity"])
        ):
            meta = expectation["meta"]
            fields = {"failing": 1, "total": 100, "meaning": meta["meaning"], "fix": meta["fix"], **fields}
            return CheckFailure(table, column, check, expectation["severity"], **fields)
    raise LookupError(f"no {check} on {table}.{column} in the suites")


def make_suite_warnings() -> DqVerdict:
    """What a real run with warnings reports: suite texts, row samples, the intake check's derived frame."""
    amount = [{"deal_id": "D-1001", "amount": "990000.00"}, {"deal_id": "D-1044", "amount": "870000.00"}]
    intake = [{"table": "orders", "rows": "12", "usual": "40", "latest": "2026-11-12"}]
    return DqVerdict(
        checks_run=114,
        run_id="e1565b247d64",
        failures=[
            # the plausible maximum (a warning), not the critical negative-amount check on the same column
            suite_failure("deals", "column_values_to_be_between", "amount", "warning", failing=3, total=1_250,
                          excluded=3, samples=amount),
            suite_failure("activities", "column_values_to_not_be_in_set", "rep_id", failing=2, total=4_100, excluded=2,
                          samples=[{"activity_id": "A-77", "rep_id": "r-gone"}]),
            suite_failure("intake", "column_values_to_be_between", "latest", failing=1, total=6, samples=intake),
            suite_failure("deals", "column_values_to_not_be_in_set", "account_id", failing=5, total=1_250),  # info
        ],
    )  # fmt: skip


def make_suite_critical() -> DqVerdict:
    """A withheld run: a critical suite check on top of the warnings."""
    warnings = make_suite_warnings()
    samples = [{"deal_id": "D-2000", "stage": ""}]
    critical = suite_failure("deals", "column_values_to_not_be_null", "stage", failing=57, total=1_250, samples=samples)
    return DqVerdict(warnings.checks_run, [critical, *warnings.failures], "e1565b247d65")


def _breakdowns(kpi_id: str, dimensions: tuple[str, ...], value: float) -> dict[str, list[BreakdownRow]]:
    keys = {"product": PRODUCTS, "source": SOURCES, "type": TYPES, "team": TEAMS}
    shown = [d for d in dimensions if d in keys] + (["team"] if kpi_id in ("won_revenue", "new_leads") else [])
    return {d: [BreakdownRow(k, label, value * (i + 1) / 3) for i, (k, label) in enumerate(keys[d])] for d in shown}


BASES = ("average", "benchmark", "too_short", "no_values")


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
