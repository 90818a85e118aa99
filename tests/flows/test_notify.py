"""The "runs are working again" notice follows only the failing period, or a later one, working."""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from salespulse.errors import EXIT_DELIVERED, EXIT_INTERNAL
from salespulse.flows import notify
from salespulse.mail.owner_notices import ends_streak
from salespulse.store.state import Streak, failure_streak, record_run

FAILING_W45 = Streak(1, datetime(2026, 11, 10, tzinfo=UTC), ("2026-W45",))


def test_only_the_failing_period_or_a_later_one_ends_a_streak() -> None:
    assert not ends_streak("2026-W44", FAILING_W45)  # an older period's rerun
    assert ends_streak("2026-W45", FAILING_W45)
    assert ends_streak("2026-W46", FAILING_W45)
    assert not ends_streak("2026-W46", Streak(0, None))
    assert ends_streak("2026-W47", Streak(2, None, ("2026-W45", "2026-W46")))
    assert not ends_streak("2026-W45", Streak(2, None, ("2026-W44", "2026-W46")))


def _notify(tmp_path: Path, period: str, exit_code: int, before: Streak) -> list[str]:
    """notify_owners with a real outbox and ledger (no SMTP host: messages stay in the outbox); the kinds sent."""
    plan = SimpleNamespace(
        company="Northwind", owners=("owner@example.com",), data_owners=(), sender="salespulse@example.com",
        smtp=None, outbox=tmp_path / "outbox", state_db=tmp_path / "state.sqlite",
    )  # fmt: skip
    run = SimpleNamespace(team_id="north", team_name="North", locale="en_US", period=SimpleNamespace(label=period))
    status = "delivered" if exit_code == EXIT_DELIVERED else "failed"
    outcome = SimpleNamespace(exit_code=exit_code, status=status, detail="")
    notify.notify_owners(plan, run, outcome, before)  # type: ignore[arg-type]
    return sorted(p.stem.split("-north-")[-1] for p in (tmp_path / "outbox").glob("*.eml"))


def test_a_rerun_of_an_older_period_does_not_say_runs_work_again(tmp_path: Path) -> None:
    assert _notify(tmp_path, "2026-W44", EXIT_DELIVERED, FAILING_W45) == []


@pytest.mark.parametrize("period", ["2026-W45", "2026-W46"])
def test_the_failing_period_or_a_later_one_working_sends_the_notice(tmp_path: Path, period: str) -> None:
    assert _notify(tmp_path, period, EXIT_DELIVERED, FAILING_W45) == ["run-recovered"]


def test_a_failure_still_starts_a_streak(tmp_path: Path) -> None:
    assert _notify(tmp_path, "2026-W45", EXIT_INTERNAL, Streak(0, None)) == ["run-failed"]


def test_a_healthy_rerun_of_an_older_week_does_not_end_the_streak_it_did_not_fix(tmp_path: Path) -> None:
    """The state the next run reads: W45 failed, W44 rerun fine, W45 still failing, then W45 fixed."""
    db = tmp_path / "state.sqlite"
    record_run(db, "north", "2026-W45", "failed", EXIT_INTERNAL)
    record_run(db, "north", "2026-W44", "delivered", EXIT_DELIVERED)
    assert failure_streak(db, "north").periods == ("2026-W45",)
    record_run(db, "north", "2026-W45", "failed", EXIT_INTERNAL)
    assert failure_streak(db, "north").periods == ("2026-W45", "2026-W45")
    record_run(db, "north", "2026-W46", "delivered", EXIT_DELIVERED)
    assert failure_streak(db, "north") == Streak(0, None)
