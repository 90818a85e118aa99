"""One run per team and period across machines: a Prefect global concurrency limit of one slot per team and
period, held by the flow from before ingest to the end. Off unless SALESPULSE_PREFECT_LOCKS=1 on every
machine that runs reports; every machine must then use the same Prefect server (PREFECT_API_URL).

The per-machine lock (salespulse/store/locks.py) stays: it answers before Prefect starts. This one needs the server,
so a run that another machine holds ends once its flow has started, still before reading any data.
Prefect only hands out slots of limits that exist: the flow creates its period's limit the first time
(`prefect gcl create salespulse-north-2026-W47 --limit 1` does the same by hand). A machine that dies
holding a slot frees it when its lease expires (Prefect's default lease: 300 s).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress

from salespulse.store.locks import RunInProgress

SWITCH = "SALESPULSE_PREFECT_LOCKS"
# A slot held elsewhere is a busy run, answered rather than queued behind; the wait is long enough that a slow
# answer from a loaded server is not taken for a busy period.
WAIT_SECONDS = 5.0


def enabled() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in {"1", "true", "yes", "on"}


def limit_name(team: str, period: str) -> str:
    return f"salespulse-{team}-{period}"


@contextmanager
def prefect_period_locks(keys: Iterable[tuple[str, str]]) -> Iterator[dict[tuple[str, str], RunInProgress]]:
    """With SALESPULSE_PREFECT_LOCKS on, hold the limit's one slot for each (team, period) of `keys` until the
    block ends; yields the refusals of those another run holds. Off, holds nothing and refuses nothing."""
    refused: dict[tuple[str, str], RunInProgress] = {}
    if not enabled():
        yield refused
        return
    from prefect.concurrency.sync import concurrency

    with ExitStack() as stack:
        for team, period in dict.fromkeys(keys):
            name = limit_name(team, period)
            _create_if_missing(name)
            try:
                stack.enter_context(concurrency(name, occupy=1, timeout_seconds=WAIT_SECONDS, strict=True))
            except TimeoutError:
                refused[(team, period)] = RunInProgress(
                    f"another run of {team} {period} is in progress on another machine (Prefect concurrency "
                    f"limit {name}); wait for it to finish, then rerun"
                )
        yield refused


def _create_if_missing(name: str) -> None:
    from prefect import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists

    # Made already by an earlier run, by another machine just now, or by hand: all the same.
    with get_client(sync_client=True) as client, suppress(ObjectAlreadyExists):
        client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
