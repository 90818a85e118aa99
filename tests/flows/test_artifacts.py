"""The Prefect artifacts of a team run: built without a server, then published through the harness's API
(a scheduled run's are read back from a real server in tests/flows/test_prefect_server.py)."""

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from salespulse.config import load_config
from salespulse.flows import artifacts
from salespulse.flows.artifacts import artifact_key, dq_markdown, kpi_rows, publish_artifacts
from salespulse.plan import plan_run
from salespulse.transforms.results import CheckFailure, DqVerdict, KpiResult
from tests.flows.configs import EXAMPLE


@pytest.fixture
def team_run(tmp_path):
    (run,) = plan_run(load_config(EXAMPLE), "2026-W47", "north", datetime(2026, 11, 23, 12, tzinfo=UTC)).teams
    return replace(run, report_dir=tmp_path / "north" / "2026-W47")


def kpi(kpi_id, value, previous=None, baseline=None):
    return KpiResult(kpi_id, kpi_id.title(), "d", "count", "higher", value, previous, baseline=baseline)


FAILURES = [
    CheckFailure("deals", "stage", "column_values_to_be_in_set", "critical", 1, 36, "bad | stage", "fix"),
    CheckFailure("deals", "amount", "column_values_to_be_between", "warning", 3, 36, "too big", "fix", excluded=3),
    CheckFailure("intake", None, "row_count", "info", 1, 3, "few rows", "fix"),
]


@pytest.mark.parametrize(
    ("team", "period", "kind", "key"),
    [
        ("north", "2026-W47", "kpis", "north-2026-w47-kpis"),
        ("north_east", "2026-Q4", "dq", "north-east-2026-q4-dq"),
        ("south", "2026-11", "report", "south-2026-11-report"),
    ],
)
def test_keys_use_lowercase_letters_digits_and_dashes_only(team, period, kind, key):
    assert artifact_key(team, period, kind) == key


def test_the_kpi_table_holds_plain_json_values_only():
    rows = kpi_rows([kpi("won_revenue", np.float64(1234.5678912), 1000.0, 1100.0), kpi("win_rate", float("nan"))])
    assert json.loads(json.dumps(rows, allow_nan=False)) == rows  # no NaN, numpy scalars or timestamps
    assert rows[0] == {
        "kpi": "won_revenue",
        "name": "Won_Revenue",
        "unit": "count",
        "value": 1234.567891,
        "previous": 1000.0,
        "change": 0.234568,
        "baseline": 1100.0,
    }
    assert type(rows[0]["value"]) is float and rows[1]["value"] is None and rows[1]["change"] is None


def test_the_dq_summary_counts_failures_by_severity_and_lists_them(team_run):
    team_run.report_dir.mkdir(parents=True)
    (team_run.report_dir / "dq.html").write_text("<html></html>", encoding="utf-8")
    text = dq_markdown(team_run, DqVerdict(114, FAILURES))
    assert "## Data quality · North · 2026-W47" in text
    assert "**failed**: 114 checks run; failed: 1 critical · 1 warning · 1 info." in text
    assert "The report was **withheld**" in text
    assert "| critical | deals | stage | column_values_to_be_in_set | 1 | 36 | 0 | bad \\| stage |" in text
    assert "| info | intake |  | row_count | 1 | 3 | 0 | few rows |" in text
    assert f"({(team_run.report_dir / 'dq.html').resolve().as_uri()})" in text
    clean = dq_markdown(team_run, DqVerdict(114, []))
    assert "**clean**: 114 checks run; failed: 0 critical · 0 warning · 0 info." in clean and "|" not in clean


@pytest.fixture
def created(monkeypatch):
    """Prefect's create_*_artifact functions, recording their calls instead of calling the API."""
    import prefect.artifacts

    calls = []
    for kind in ("table", "markdown", "link"):

        def create(kind=kind, **arguments):
            calls.append((kind, arguments))

        monkeypatch.setattr(prefect.artifacts, f"create_{kind}_artifact", create)
    return calls


def test_a_rendered_report_publishes_the_table_the_summary_and_both_links(team_run, created):
    team_run.report_dir.mkdir(parents=True)
    for name in ("report.html", "report.pdf"):
        (team_run.report_dir / name).write_bytes(b"x")
    keys = publish_artifacts.fn(team_run, DqVerdict(114, FAILURES[1:]), [kpi("won_revenue", 1.0)])
    assert keys == ["north-2026-w47-dq", "north-2026-w47-kpis", "north-2026-w47-report", "north-2026-w47-pdf"]
    links = {args["key"]: args["link"] for kind, args in created if kind == "link"}
    assert links["north-2026-w47-pdf"] == (team_run.report_dir / "report.pdf").resolve().as_uri()
    assert links["north-2026-w47-report"].startswith("file:///") and links["north-2026-w47-report"].endswith(".html")
    assert all(args["description"] == "North · 2026-W47" for _, args in created)


def test_a_withheld_report_publishes_the_dq_summary_only(team_run, created):
    keys = publish_artifacts.fn(team_run, DqVerdict(114, FAILURES))
    assert keys == ["north-2026-w47-dq"] and created[0][0] == "markdown"


def test_an_artifact_the_api_refuses_is_logged_and_the_run_goes_on(team_run, created, monkeypatch, caplog):
    import prefect.artifacts

    def refuse(**arguments):
        raise ValueError("Artifact key must only contain lowercase letters, numbers, and dashes")

    monkeypatch.setattr(prefect.artifacts, "create_table_artifact", refuse)
    monkeypatch.setattr(artifacts, "get_run_logger", lambda: logging.getLogger("test"))
    with caplog.at_level(logging.WARNING):
        keys = publish_artifacts.fn(team_run, DqVerdict(114, []), [kpi("won_revenue", 1.0)])
    assert keys == ["north-2026-w47-dq"]
    assert "artifact north-2026-w47-kpis not published: ValueError" in caplog.text
