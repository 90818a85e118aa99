"""The "runs are working again" notice follows only the failing period, or a later one, working."""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from flows import notify
from flows.errors import EXIT_DELIVERED, EXIT_INTERNAL
from flows.state import Streak

FAILING_W45 = Streak(1, datetime(2026, 11, 10, tzinfo=UTC), ("2026-W45",))


def test_only_the_failing_period_or_a_later_one_ends_a_streak() -> None:
    assert not notify.ends_streak("2026-W44", FAILING_W45)  # an older period's rerun
    assert notify.ends_streak("2026-W45", FAILING_W45)
    assert notify.ends_streak("2026-W46", FAILING_W45)
    assert not notify.ends_streak("2026-W46", Streak(0, None))
    assert notify.ends_streak("2026-W47", Streak(2, None, ("2026-W45", "2026-W46")))
    assert not notify.ends_streak("2026-W45", Streak(2, None, ("2026-W44", "2026-W46")))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What notify_owners delivers, by kind, without SMTP or a state database."""
    kinds: list[str] = []

    def deliver(message, smtp, outbox, db, key, locale):  # noqa: ANN001, ANN202, ARG001
        kinds.append(key.kind)
        return SimpleNamespace(path=Path("out/outbox") / f"{key.kind}.eml")

    monkeypatch.setattr(notify.stages, "deliver", deliver)
    return kinds


def _notify(period: str, exit_code: int, before: Streak) -> str | None:
    plan = SimpleNamespace(
        company="Northwind", owners=("owner@example.com",), data_owners=(), sender="salespulse@example.com",
        smtp=None, outbox=Path("out/outbox"), state_db=Path("state.sqlite"),
    )  # fmt: skip
    run = SimpleNamespace(team_id="north", team_name="North", locale="en_US", period=SimpleNamespace(label=period))
    status = "delivered" if exit_code == EXIT_DELIVERED else "failed"
    outcome = SimpleNamespace(exit_code=exit_code, status=status, detail="")
    return notify.notify_owners(plan, run, outcome, before)  # type: ignore[arg-type]


def test_a_rerun_of_an_older_period_does_not_say_runs_work_again(sent: list[str]) -> None:
    assert _notify("2026-W44", EXIT_DELIVERED, FAILING_W45) is None
    assert sent == []


@pytest.mark.parametrize("period", ["2026-W45", "2026-W46"])
def test_the_failing_period_or_a_later_one_working_sends_the_notice(sent: list[str], period: str) -> None:
    assert _notify(period, EXIT_DELIVERED, FAILING_W45) is not None
    assert sent == ["run-recovered"]


def test_a_failure_still_starts_a_streak(sent: list[str]) -> None:
    assert _notify("2026-W45", EXIT_INTERNAL, Streak(0, None)) is not None
    assert sent == ["run-failed"]
