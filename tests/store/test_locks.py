"""One run per team and period: the second asks, gets a clear answer at once, and the lock dies with its
holder; the CLI's hold is joined by the flow it calls in its own process."""

import re
import subprocess
import sys
import time
from datetime import datetime

import pytest

from salespulse.demo.data import write_demo
from salespulse.errors import EXIT_BUSY
from salespulse.store.locks import RunInProgress, all_busy, period_lock, period_locks
from tests.flows.run_helpers import SALESPULSE, cron_env, lean_config


def test_a_second_holder_is_refused_with_who_holds_it(tmp_path):
    busy = r"another run of north 2026-W47 is in progress \(pid \d+ since "
    with period_lock(tmp_path, "north", "2026-W47"):
        with pytest.raises(RunInProgress, match=busy), period_lock(tmp_path, "north", "2026-W47"):
            pass
        with period_lock(tmp_path, "north", "2026-W46"), period_lock(tmp_path, "south", "2026-W47"):
            pass  # other periods and teams run alongside
    with period_lock(tmp_path, "north", "2026-W47"):
        pass  # released on exit
    assert RunInProgress.exit_code == EXIT_BUSY


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    script = (
        "import time; from pathlib import Path; from salespulse.store.locks import period_lock\n"
        f"with period_lock(Path({str(tmp_path)!r}), 'north', '2026-W47'):\n"
        "    print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(RunInProgress), period_lock(tmp_path, "north", "2026-W47"):
        pass
    holder.kill()
    holder.wait()
    with period_lock(tmp_path, "north", "2026-W47"):
        pass


def test_a_reentrant_hold_is_joined_in_its_process_and_released_by_its_last_holder(tmp_path):
    probe = (
        "import sys; from pathlib import Path; from salespulse.store.locks import RunInProgress, period_lock\n"
        "try:\n"
        f"    with period_lock(Path({str(tmp_path)!r}), 'north', '2026-W47'): print('free')\n"
        "except RunInProgress: print('held')"
    )

    def seen_from_another_process() -> str:
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip()

    with period_lock(tmp_path, "north", "2026-W47", reentrant=True):
        with period_lock(tmp_path, "north", "2026-W47"):  # the flow, inside the CLI that locked for it
            pass
        assert seen_from_another_process() == "held"  # the inner holder left; the outer one still holds it
    assert seen_from_another_process() == "free"


def test_period_locks_hold_what_is_free_and_name_what_is_busy(tmp_path):
    with period_lock(tmp_path, "south", "2026-10"):
        with period_locks(tmp_path, [("north", "2026-W47"), ("south", "2026-10")]) as refused:
            assert list(refused) == [("south", "2026-10")]
            with pytest.raises(RunInProgress), period_lock(tmp_path, "south", "2026-10", reentrant=True):
                pass  # an exclusive hold is not joined, even in its own process
            with period_lock(tmp_path, "north", "2026-W47"):
                pass  # joined
        error = all_busy({("north", "2026-W47"): refused[("south", "2026-10")], **refused})
        assert str(error).startswith("other runs hold every team and period asked for (north 2026-W47, south 2026-10)")
        assert all_busy(refused) is refused[("south", "2026-10")]


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("busy") / "data", scale=0.2)


PREFECT_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \|")


def _prefect_time(stderr: str, event: str) -> datetime:
    """When the run's Prefect log says `event` (its lines carry the date: see the test's environment)."""
    line = next(line for line in stderr.splitlines() if event in line and PREFECT_TIME.match(line))
    return datetime.strptime(PREFECT_TIME.match(line)[1], "%Y-%m-%d %H:%M:%S.%f")


@pytest.mark.slow  # begun first: see tests/conftest.py
def test_ten_runs_of_one_period_at_once_deliver_once_and_the_nine_busy_exit_before_it_ingests(
    tmp_path, demo_data, smtp_inbox
):
    """As ten cron jobs on one host would: no Prefect API, so the run that gets the lock starts Prefect's
    temporary server; the others must not (they exit 5 before Prefect or ingest). The order is taken from
    this test's log: when this test saw each process end, and when the winner's flow began and ingested."""
    config = str(lean_config(tmp_path, demo_data, smtp_inbox))
    env = cron_env(tmp_path, PREFECT_LOGGING_FORMATTERS_STANDARD_DATEFMT="%Y-%m-%d %H:%M:%S")
    outputs = tmp_path / "runs"
    outputs.mkdir()
    launched = datetime.now()
    processes = []
    for number in range(10):
        with (outputs / f"{number}.out").open("w") as out, (outputs / f"{number}.err").open("w") as err:
            command = [str(SALESPULSE), "run", "--period", "2026-W47", "--team", "south", "--config", config]
            processes.append(subprocess.Popen(command, stdout=out, stderr=err, env=env))
    ended: dict[int, tuple[int, datetime]] = {}
    deadline = time.monotonic() + 600  # a safety net for a hung run, not a measurement
    while len(ended) < len(processes) and time.monotonic() < deadline:
        for number, process in enumerate(processes):
            if number not in ended and process.poll() is not None:
                ended[number] = (process.returncode, datetime.now())
        time.sleep(0.02)
    for process in processes:
        if process.poll() is None:
            process.kill()
    stderr = {number: (outputs / f"{number}.err").read_text() for number in range(10)}

    codes = sorted(code for code, _ in ended.values())
    assert codes == [0] + [5] * 9, stderr
    (winner,) = [number for number, (code, _) in ended.items() if code == 0]
    began = _prefect_time(stderr[winner], "Beginning flow run")
    ingested = _prefect_time(stderr[winner], "Task run 'ingest-")
    log = [f"{'run':>4} {'exit':>4} {'ended (s after launch)':>24}"]
    log += [f"{n:>4} {code:>4} {(at - launched).total_seconds():>24.2f}" for n, (code, at) in sorted(ended.items())]
    log += [f"winner {winner}: flow began {(began - launched).total_seconds():.2f} s, ingest done "
            f"{(ingested - launched).total_seconds():.2f} s after launch"]  # fmt: skip
    (tmp_path / "busy-runs.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    print("\n".join(log))

    busy = [number for number in ended if number != winner]
    for number in busy:
        (line,) = stderr[number].splitlines()  # one line, and no Prefect start-up: none was started
        assert line.startswith("salespulse: another run of south 2026-W47 is in progress (pid ")
        assert ended[number][1] < began  # exited before the winner's flow began, so before its ingest
    assert "delivered" in (outputs / f"{winner}.out").read_text()
    assert smtp_inbox.received
    for _, message in smtp_inbox.received:
        for recipient in message["To"].addresses:
            assert len(smtp_inbox.messages_to(recipient.addr_spec)) == 1
