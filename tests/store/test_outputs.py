"""kpis.json and kpis.csv keep English words for what transforms now hands over as data."""

import json
from datetime import date
from types import SimpleNamespace

from salespulse.store.outputs import kpi_csv_rows, kpi_document
from salespulse.transforms.results import BaselineBasis, GoalProgress, KpiResult, ScopeTerm

KPI = KpiResult(
    "won_revenue", "Won revenue", "d", "currency", "higher", 10.0, 8.0, baseline=9.0,
    basis=BaselineBasis("average", 8, "weekly"),
)  # fmt: skip
GOAL = GoalProgress(
    "g", "Sell GTX", "won_revenue", "currency", 100.0, date(2026, 10, 1), date(2026, 12, 31), 50.0, 40.0, "on track",
    scope_terms=(ScopeTerm("product", "GTX Pro", best_seller=True), ScopeTerm("source", "web")),
)  # fmt: skip


def test_kpi_files_carry_the_english_baseline_label_and_scope() -> None:
    document = kpi_document(
        "south", "2026-10", SimpleNamespace(kpis=[KPI], goals=[GOAL], funnel=[], leaderboard=[], skipped=[])
    )
    document = json.loads(json.dumps(document))  # as written to kpis.json
    assert document["kpis"][0]["baseline_label"] == "average of the last 8 weeks"
    goal = document["goals"][0]
    assert goal["scope"] == "product GTX Pro (best seller in the year before the start), source web"
    assert goal["scope_terms"][1] == {"dimension": "source", "value": "web", "best_seller": False}
    row = kpi_csv_rows("south", "2026-10", [KPI])[0]
    assert row["baseline_label"] == "average of the last 8 weeks"
