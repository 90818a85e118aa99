"""The temporary Prefect server of a one-off command (`run`, `demo`, `backfill` without PREFECT_API_URL),
started before the flow so that a slow start is waited for and retried instead of losing the run.

Prefect starts that server itself on the first API call and gives it 20 s to answer (the setting
PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); on a loaded 2-core host it sometimes needs more, and the run
then ended with exit 1. Here the same server class is started first, with a timeout sized for a loaded host
unless that setting is given, and started afresh when it still does not answer; the flow's own API calls then
find it running. With PREFECT_API_URL set (a `prefect server start`, `serve`, a worker) nothing is started.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from salespulse.errors import EXIT_INTERNAL, UserError

TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS = 90  # Prefect's own default is 20 s: too short while other jobs load the host
ATTEMPTS = 3  # the first start and two more


class ServerDidNotStart(UserError):
    """The temporary server never answered: nothing ran, and the run is recorded as failed."""

    exit_code = EXIT_INTERNAL


def startup_timeout() -> int:
    """The setting when it is given (environment or Prefect profile), else DEFAULT_TIMEOUT_SECONDS."""
    from prefect.settings import get_current_settings

    ephemeral = get_current_settings().server.ephemeral
    given = "startup_timeout_seconds" in ephemeral.model_fields_set
    return ephemeral.startup_timeout_seconds if given else DEFAULT_TIMEOUT_SECONDS


def needs_temporary_server() -> bool:
    """No API URL, and Prefect would start a temporary server for the flow."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    return not settings.api.url and settings.server.ephemeral.enabled


def start_temporary_server(note: Callable[[str], None]) -> None:
    """Start the temporary server when the flow would need one, retrying a start that does not answer in time;
    `note` gets one line per retry. Raises ServerDidNotStart after the last attempt."""
    if not needs_temporary_server():
        return
    from prefect.server.api.server import SubprocessASGIServer

    timeout = startup_timeout()
    for attempt in range(1, ATTEMPTS + 1):
        server = SubprocessASGIServer()  # the instance Prefect's clients use when no API URL is set
        try:
            server.start(timeout=timeout)
            return
        except (RuntimeError, OSError, httpx.HTTPError) as err:
            # A start that timed out leaves its process running: stopped here, or a retry would race it for
            # the port and the process would outlive the run.
            server.stop()
            reason = " ".join(str(err).split())[:200]
            if attempt == ATTEMPTS:
                raise ServerDidNotStart(
                    f"the temporary Prefect server did not start in {ATTEMPTS} attempts of {timeout} s ({reason}); "
                    f"set {TIMEOUT_SETTING} higher, or run `prefect server start` and set PREFECT_API_URL"
                ) from None
            note(
                f"salespulse: the temporary Prefect server did not answer within {timeout} s; "
                f"starting it again (attempt {attempt + 1} of {ATTEMPTS})"
            )
