"""What a run leaves behind when it goes wrong or is repeated: the record, the lock, the owner's notices,
and byte-identical reports for identical inputs."""

from pathlib import Path

import pytest

from salespulse.demo.data import write_demo
from salespulse.errors import EXIT_BUSY, EXIT_DELIVERED, EXIT_INTERNAL
from salespulse.store.locks import period_lock
from salespulse.store.state import failure_streak
from tests.flows.configs import make_config
from tests.flows.flow_runs import block_report_folder, recorded_runs, run

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "data", scale=0.5)


def test_a_rerun_on_the_same_inputs_is_byte_identical_and_sends_nothing_twice(tmp_path, demo_folder, smtp_inbox):
    from salespulse.store.ledger import history

    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    _, first = run(config, period="2026-W46", team="north")
    html, pdf = Path(first.runs[0].html).read_bytes(), Path(first.runs[0].pdf).read_bytes()
    _, second = run(config, period="2026-W46", team="north")
    assert Path(second.runs[0].html).read_bytes() == html
    assert Path(second.runs[0].pdf).read_bytes() == pdf
    assert b"validation run" in html.lower()  # the fingerprint of the inputs is in the report
    assert len(smtp_inbox.messages_to("north-sales@northwind.example")) == 1  # the rerun sent nothing
    statuses = [row["status"] for row in history(tmp_path / "out" / "state" / "salespulse.sqlite", "2026-W46")]
    assert statuses == ["sent", "sent", "skipped-duplicate", "skipped-duplicate"]  # two recipients, two runs
    assert second.exit_code == EXIT_DELIVERED


def test_a_second_run_of_the_same_team_and_period_exits_with_a_clear_message(tmp_path, demo_folder, smtp_inbox):
    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    with period_lock(tmp_path / "out" / "state" / "locks", "north", "2026-W47"):
        state, outcome = run(config, period="2026-W47")
    north, south = outcome.runs
    assert (north.status, north.exit_code) == ("busy", EXIT_BUSY)
    assert "another run of north 2026-W47 is in progress (pid" in north.detail
    assert south.status == "delivered" and state.is_failed() and outcome.exit_code == EXIT_BUSY
    assert smtp_inbox.messages_to("north-sales@northwind.example") == []  # nothing sent twice
    # the holder records north
    assert [row[:3] for row in recorded_runs(tmp_path)] == [("south", "2026-W47", "delivered")]


def test_a_crashed_stage_is_recorded_as_a_failure_and_the_other_teams_still_report(tmp_path, demo_folder, smtp_inbox):
    block_report_folder(tmp_path, "north", "2026-W47")
    state, outcome = run(make_config(tmp_path, demo_folder, smtp_inbox.port), period="2026-W47")
    north, south = outcome.runs
    assert (north.status, north.exit_code) == ("failed", EXIT_INTERNAL) and "internal error" in north.detail
    assert south.status == "delivered" and state.is_failed()
    assert recorded_runs(tmp_path) == [("north", "2026-W47", "failed", 1), ("south", "2026-W47", "delivered", 0)]


def test_the_owner_hears_once_per_failure_streak_and_once_when_it_ends(tmp_path, demo_folder, smtp_inbox):
    config = make_config(tmp_path, demo_folder, smtp_inbox.port)
    for period in ("2026-W45", "2026-W46"):
        block_report_folder(tmp_path, "north", period)
        run(config, period=period, team="north")
    streak = failure_streak(tmp_path / "out" / "state" / "salespulse.sqlite", "north")
    assert (streak.failures, streak.periods) == (2, ("2026-W45", "2026-W46"))
    (notice,) = smtp_inbox.messages_to("data@northwind.example")
    assert notice["Subject"] == "salespulse · North · 2026-W45: the report run failed"
    body = notice.get_content()
    assert "did not go through (Failed: internal error)" in body
    assert "salespulse run --period 2026-W45 --team north" in body

    _, outcome = run(config, period="2026-W47", team="north")
    assert outcome.exit_code == EXIT_DELIVERED
    first, recovered = smtp_inbox.messages_to("data@northwind.example")
    assert recovered["Subject"] == "salespulse · North · 2026-W47: runs are working again"
    assert "after 2 failed runs since" in recovered.get_content()
    assert failure_streak(tmp_path / "out" / "state" / "salespulse.sqlite", "north").failures == 0
