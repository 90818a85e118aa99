"""Start-up and Python's cyclic collector: a run's process imports Prefect, pandas and Great Expectations
(about 390,000 objects that live as long as the process), and the collector's full passes over them free
next to nothing. Measured on a cold `salespulse run` at 1×: seven full passes, 1.3–1.5 s, one of them
0.36–0.46 s inside the first stage; with start-up paused and frozen, three passes of 0.12–0.16 s in all.
At 100×: 2.8–3.2 s in the collector before, 1.3 s after, for a peak 5% higher (2.44 → 2.57 GB): `settle`
imports GX before the data is read, so GX is resident during ingest's peak. Frozen without that import, the
peak stays at 2.45 GB but GX's objects are walked again (1.0–1.4 s of full passes).

`gc.freeze` is what Python's documentation suggests after start-up: frozen objects are skipped by every later
collection, and reference counting still frees any of them that is dropped."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_frozen = False
_paused = False  # the collector is off because `starting_up` turned it off (not because a caller did)


@contextmanager
def starting_up() -> Iterator[None]:
    """Around a command that runs a flow: the collector stays off through imports and Prefect's start-up until
    the flow calls `settle`, and is back on when the command ends however it ends."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
    try:
        yield
    finally:
        _resume()


def settle() -> None:
    """Called by a flow once its plan is made, before it reads any data: import what checking needs, freeze what
    start-up made (once per process: a long-lived process's later freeze would also set aside what earlier
    runs left), resume collecting."""
    global _frozen
    if not _frozen:
        from expectations.runner import prepare

        prepare()
        gc.freeze()
        _frozen = True
    _resume()


def settle_renderer() -> None:
    """A layout process's start-up (the initializer of its pool): WeasyPrint imported and frozen the same way."""
    from reports.render import prepare

    with starting_up():
        prepare()
        gc.freeze()


def _resume() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()
