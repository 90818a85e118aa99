"""tests/xdist_groups.py: under `-n 2 --dist loadgroup` (as `make test` runs), the tests of one `xdist_group`
run on one worker, across files, and keep their own ids; the others are shared out as before. A small suite in
a pytest of its own, with the plugin and nothing else of this project."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPED = """\
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("i", range(4))
def test_grouped(i):
    pass
"""
LOOSE = """\
import pytest


@pytest.mark.parametrize("i", range(8))
def test_loose(i):
    pass
"""


def test_one_group_runs_on_one_worker_and_keeps_its_ids(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_a.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "test_b.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "test_c.py").write_text(LOOSE, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    args = ["-p", "tests.xdist_groups", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup", "-v"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "scheduling tests via MarkedGroupScheduling" in result.stdout
    workers = defaultdict(set)
    for worker, test in re.findall(r"^\[(gw\d)\] \[ *\d+%\] PASSED (\S+) *$", result.stdout, re.MULTILINE):
        workers[test.split("[")[0]].add(worker)
    assert set(workers) == {"test_a.py::test_grouped", "test_b.py::test_grouped", "test_c.py::test_loose"}
    assert len(workers["test_a.py::test_grouped"] | workers["test_b.py::test_grouped"]) == 1
    assert "@together" not in result.stdout
