"""One run per team and period across machines, through a Prefect global concurrency limit on the real server
of the session: a run on "another machine" (its own output folder, so its own local locks) is busy while this
process holds the period's slot, and the slot is free again once released."""

import pytest

from salespulse.demo.data import write_demo
from salespulse.flows.global_locks import SWITCH, limit_name, prefect_period_locks
from tests.flows.run_helpers import cron_env, lean_config, run_cli

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

KEY = ("south", "2026-W47")


def test_off_by_default_it_holds_and_refuses_nothing(monkeypatch):
    monkeypatch.delenv(SWITCH, raising=False)
    with prefect_period_locks([KEY]) as outer, prefect_period_locks([KEY]) as inner:
        assert outer == inner == {}


def test_a_period_held_on_one_machine_is_busy_on_another(tmp_path, smtp_inbox, monkeypatch):
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv(SWITCH, "1")
    name = limit_name(*KEY)
    config = str(lean_config(tmp_path, write_demo(tmp_path / "data", scale=0.2), smtp_inbox))
    other_machine = cron_env(tmp_path, PREFECT_API_URL=PREFECT_API_URL.value(), **{SWITCH: "1"})
    with prefect_period_locks([KEY]) as refused:
        assert refused == {}
        with prefect_period_locks([KEY]) as again:
            assert str(again[KEY]).startswith("another run of south 2026-W47 is in progress on another machine")
        result = run_cli("run", "--period", KEY[1], "--team", KEY[0], "--config", config, env=other_machine)
    assert result.returncode == 5, result.stderr[-3000:]
    assert f"(Prefect concurrency limit {name})" in result.stdout + result.stderr
    assert smtp_inbox.received == [] and not (tmp_path / "out" / "reports" / "south").exists()
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(name).limit == 1  # made by the first holder
    with prefect_period_locks([KEY]) as refused:
        assert refused == {}  # released with the block
