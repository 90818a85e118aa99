"""The installed `salespulse` command run as a user runs it (a process of its own), and the one-line error it
must give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SALESPULSE = Path(sys.executable).parent / "salespulse"


def salespulse(*args, env=None, cwd=None):
    environment = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **(env or {})}
    return subprocess.run(
        [str(SALESPULSE), *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=300
    )


def assert_one_line_error(result, code, *fragments):
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
