"""One run per team and period: the second asks, gets a clear answer, and the lock dies with its holder."""

import subprocess
import sys

import pytest

from flows.errors import EXIT_BUSY
from flows.locks import RunInProgress, period_lock


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
        "import time; from pathlib import Path; from flows.locks import period_lock\n"
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
