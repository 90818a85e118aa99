"""check-config predicts the data-quality gate: "OK, ready" means the run is not withheld for the data, and
each critical problem a run would withhold for is named before the run (the same exports as
test_honest_numbers, through check_config and through the real flow)."""

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from salespulse.config import load_config
from salespulse.flows.report_flow import weekly_report
from salespulse.onboarding.check_config import check_config

pytestmark = pytest.mark.usefixtures("prefect_harness")
HONEST = Path(__file__).parents[1] / "data" / "honest"
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def _config(tmp_path: Path, data: Path) -> Path:
    settings = {
        "company": "Honest Co", "timezone": "UTC", "data_dir": str(data), "output_dir": str(tmp_path / "out"),
        "data_owners": ["data@honest.example"], "kpis": ["won_revenue", "win_rate", "sales_cycle_days"],
        "teams": [{"id": "east", "name": "East", "recipients": ["east@honest.example"]},
                  {"id": "west", "name": "West", "recipients": ["west@honest.example"]}],
    }  # fmt: skip
    path = tmp_path / "salespulse.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def _edited(text: str, variant: str) -> str:
    lines = text.splitlines()
    if variant == "negative won amount":
        lines = [line.replace(",won,USD,2500.00,", ",won,USD,-2500.00,") for line in lines]
    if variant == "header only":
        lines = lines[:1]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("variant", "predicted"),
    [
        ("as exported", []),  # a bulk-loaded date, open deals without amounts: warnings and notes, not withheld
        ("negative won amount", ["1 rows fail deals.won_amount_unknown (team east, 2026-W47), e.g. deal_id=W2"]),
        (
            "header only",
            [
                f"no deals for this team at all: the export is header-only, or no rep of the team owns any "
                f"(check reps.team) (team {team}, 2026-W47)"
                for team in ("east", "west")
            ],
        ),
    ],
)
def test_check_config_says_beforehand_what_the_run_withholds(tmp_path, variant, predicted):
    data = shutil.copytree(HONEST, tmp_path / "data")
    (data / "deals.csv").write_text(_edited((HONEST / "deals.csv").read_text(encoding="utf-8"), variant))
    config = _config(tmp_path, data)
    problems = [p for check in check_config(load_config(config), "2026-W47", NOW) for p in check.problems]
    assert len(problems) == len(predicted) and all(
        p.startswith(want) for p, want in zip(problems, predicted, strict=True)
    )
    state = weekly_report(config_path=str(config), period="2026-W47", team="east", return_state=True)
    (run,) = state.result(raise_on_failure=False).runs
    assert (run.status == "withheld") == bool(predicted)
