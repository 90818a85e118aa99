"""kpis.json and kpis.csv keep English words for what transforms now hands over as data; dq.html's trend."""

import json
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

from salespulse.config import load_config
from salespulse.plan import plan_run
from salespulse.store.outputs import kpi_csv_rows, kpi_document, write_dq_page
from salespulse.store.state import record_run
from salespulse.transforms.results import BaselineBasis, CheckFailure, DqVerdict, GoalProgress, KpiResult, ScopeTerm
from tests.flows.configs import EXAMPLE

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


def test_dq_page_trend_shows_this_period_s_verdict_in_place_of_the_one_recorded_before(tmp_path) -> None:
    """A rerun after a fix: W47 was recorded with a critical failure; its page shows the new, clean verdict
    once, after the periods recorded before it, and nothing of the later W48."""
    config = load_config(EXAMPLE).model_copy(update={"output_dir": tmp_path / "out"})
    plan = plan_run(config, "2026-W47", "north", datetime(2026, 11, 23, 12, tzinfo=UTC))
    (run,) = plan.teams
    failure = CheckFailure("deals", "stage", "column_values_to_be_in_set", "critical", 1, 36, "bad stage", "fix")
    for label, verdict in (("2026-W46", DqVerdict(90, [])), ("2026-W47", DqVerdict(90, [failure]))):
        record_run(plan.state_db, "north", label, "withheld", 3, verdict=verdict)
    record_run(plan.state_db, "north", "2026-W48", "dry-run", 0, verdict=DqVerdict(90, []))
    page = write_dq_page(plan, run, DqVerdict(91, []), datetime(2026, 11, 30, tzinfo=UTC), {"config": "abc"})
    text = page.read_text(encoding="utf-8")
    assert re.findall(r'data-period="([^"]+)"', text) == ["2026-W46", "2026-W47"]
    this_period = text[text.index('data-period="2026-W47"') :].split("</tr>")[0]
    assert re.findall(r'<td class="r num">(\d+)</td>', this_period) == ["91", "0", "0", "0"]
    assert json.loads((run.report_dir / "dq.json").read_text(encoding="utf-8"))["checks_run"] == 91
