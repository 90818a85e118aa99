"""One run per team and period: a second one, from the CLI, a schedule or a worker on this machine, exits
at once with a clear message instead of racing the first to the same files and the same recipients."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flows.errors import EXIT_BUSY, UserError


class RunInProgress(UserError):
    exit_code = EXIT_BUSY


@contextmanager
def period_lock(locks_dir: Path, team: str, period: str) -> Iterator[Path]:
    """Hold an exclusive lock for team + period. The kernel drops it when the process ends, so a crashed
    run never leaves a stale lock behind (a lock file that stays is harmless)."""
    locks_dir.mkdir(parents=True, exist_ok=True)
    path = locks_dir / f"{team}-{period}.lock"
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RunInProgress(
                f"another run of {team} {period} is in progress ({holder}); wait for it to finish, then rerun"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
