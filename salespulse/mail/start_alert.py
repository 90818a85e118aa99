"""A run that could not even start its flow is recorded and alerted, never lost in a cron log.

Without Prefect (it is what failed to start) the owners' failure notice goes out as flows/notify.py sends it
from a flow: once per failure streak, through the same outbox, ledger and SMTP (salespulse/mail/delivery.py); the run is
recorded as failed, so the next run that works sends the recovery notice as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from salespulse.errors import EXIT_INTERNAL
from salespulse.mail.delivery import deliver_message
from salespulse.plan import RunPlan, TeamRun
from salespulse.store.ledger import MessageKey, content_hash
from salespulse.store.state import failure_streak, record_run


def alert_not_started(plan: RunPlan, runs: Iterable[TeamRun], detail: str, notify: bool) -> list[str]:
    """Record each run as failed (exit 1) with `detail`; when `notify`, send the owners the failure notice of
    each team whose streak this starts. Returns the paths of the notices' .eml files."""
    from salespulse.reports.notices import compose_failure_notice

    notices = []
    now = datetime.now(UTC).replace(microsecond=0)
    for run in runs:
        label = run.period.label
        before = failure_streak(plan.state_db, run.team_id)
        record_run(plan.state_db, run.team_id, label, "failed", EXIT_INTERNAL, detail, dry_run=not notify)
        if not notify or before.failures > 0 or not plan.owners:
            continue  # a dry run tells nobody; a streak's owners were told at its start
        message = compose_failure_notice(
            plan.company, run.team_id, run.team_name, label, "failed", detail,
            plan.sender, list(plan.owners), when=now, locale=run.locale,
        )  # fmt: skip
        key = MessageKey(run.team_id, label, "run-failed", content_hash(message.get_content()))
        sent = deliver_message(message, plan.smtp, plan.outbox, plan.state_db, key, locale=run.locale)
        notices.append(str(sent.path))
    return notices
