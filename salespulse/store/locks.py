"""One run per team and period: a second one, from the CLI, a schedule or a worker on this machine, exits
at once with a clear message instead of racing the first to the same files and the same recipients.

A lock taken `reentrant` is shared within its process: the CLI takes it before Prefect starts and before any
data is read (so a busy run says so at once), and the flow it then calls takes it again, as a flow run from
`serve` or a worker must; the flow's stages take it once more. flock() on a second open() of the same file
conflicts even in the process that holds the first, so the process keeps a registry of the locks it holds and
counts their holders instead of opening them twice. A lock taken without `reentrant` (by a tool or a test
standing in for another run) is exclusive in its own process too.

Scope: one machine (flock on a local file). Runs on several machines need a Prefect global concurrency limit
(README: Locks).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from salespulse.errors import EXIT_BUSY, UserError


class RunInProgress(UserError):
    exit_code = EXIT_BUSY


@dataclass
class _Held:
    handle: IO[str]
    holders: int
    reentrant: bool


_held: dict[Path, _Held] = {}  # the lock files this process holds, by resolved path
_guard = threading.Lock()


@contextmanager
def period_lock(locks_dir: Path, team: str, period: str, reentrant: bool = False) -> Iterator[Path]:
    """Hold an exclusive lock for team + period, or join this process's `reentrant` hold of it. The kernel
    drops it when the process ends, so a crashed run never leaves a stale lock behind (a lock file that stays
    is harmless)."""
    locks_dir.mkdir(parents=True, exist_ok=True)
    path = (locks_dir / f"{team}-{period}.lock").resolve()
    with _guard:
        held = _held.get(path)
        if held is None:
            _held[path] = _Held(_acquire(path, team, period), 1, reentrant)
        elif held.reentrant:
            held.holders += 1
        else:
            raise _refusal(path.read_text(encoding="utf-8"), team, period)
    try:
        yield path
    finally:
        with _guard:
            held = _held[path]
            held.holders -= 1
            if held.holders == 0:
                del _held[path]
                fcntl.flock(held.handle, fcntl.LOCK_UN)
                held.handle.close()


def _acquire(path: Path, team: str, period: str) -> IO[str]:
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read()
        handle.close()
        raise _refusal(holder, team, period) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
    handle.flush()
    return handle


def _refusal(holder: str, team: str, period: str) -> RunInProgress:
    who = holder.strip() or "another process"
    return RunInProgress(f"another run of {team} {period} is in progress ({who}); wait for it to finish, then rerun")


@contextmanager
def period_locks(locks_dir: Path, keys: Iterable[tuple[str, str]]) -> Iterator[dict[tuple[str, str], RunInProgress]]:
    """Hold every (team, period) of `keys` that no other run holds, re-entrant, until the block ends; yields
    the refusals of the others, by key. The caller decides what a refusal means (busy outcome or exit 5)."""
    refused: dict[tuple[str, str], RunInProgress] = {}
    with ExitStack() as stack:
        for team, period in dict.fromkeys(keys):
            try:
                stack.enter_context(period_lock(locks_dir, team, period, reentrant=True))
            except RunInProgress as busy:
                refused[(team, period)] = busy
        yield refused


def all_busy(refused: dict[tuple[str, str], RunInProgress]) -> RunInProgress:
    """One error for a run whose every team and period another process holds: one line, exit 5."""
    if len(refused) == 1:
        return next(iter(refused.values()))
    busy = ", ".join(f"{team} {period}" for team, period in refused)
    return RunInProgress(f"other runs hold every team and period asked for ({busy}); wait for them, then rerun")
