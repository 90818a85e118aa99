"""The owners hear of a team's failing runs once per streak, and once more when they work again.

One rule for both ways a run can fail: from a flow (flows/notify.py sends the notice through the `deliver`
task) and before the flow could start (Prefect's temporary server never answered: `alert_not_started` sends
it without Prefect, through the same outbox, ledger and SMTP). The run is recorded as failed either way, so
the next run that works sends the recovery notice as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from email.message import EmailMessage

from salespulse.errors import EXIT_DELIVERED, EXIT_INTERNAL
from salespulse.mail.delivery import deliver_message
from salespulse.plan import RunPlan, TeamRun
from salespulse.store.ledger import MessageKey, content_hash
from salespulse.store.state import Streak, failure_streak, record_run


def ends_streak(period: str, before: Streak) -> bool:
    """Whether a successful run of `period` ends the failure streak `before`: only a run of the failing
    period, or of a later one, shows that runs work again. A rerun of an older period (W44, while W45 is the
    one that failed) proves nothing about the period that broke. Periods compare by their start (2026-W09
    before 2026-W10); a label that is not a period compares as text."""
    if before.failures == 0:
        return False
    return not before.periods or _when(period) >= max(_when(label) for label in before.periods)


def _when(label: str) -> tuple[date, str]:
    from salespulse.transforms.periods import PeriodError, parse_period

    try:
        return parse_period(label).start, label
    except PeriodError:
        return date.max, label


def owner_notice(
    plan: RunPlan, run: TeamRun, status: str, exit_code: int, detail: str, before: Streak
) -> tuple[EmailMessage, MessageKey] | None:
    """The notice (and its ledger key) when this outcome starts or ends a failure streak, else None.
    `before` is the team's streak as it stood before this outcome was recorded."""
    from salespulse.reports.notices import compose_failure_notice, compose_recovery_notice

    failed = exit_code != EXIT_DELIVERED
    label = run.period.label
    if failed == (before.failures > 0):
        return None  # all well, or a streak the owner already knows of
    if not failed and not ends_streak(label, before):
        return None  # an older period's rerun: the failing period has not worked yet
    now = datetime.now(UTC).replace(microsecond=0)
    owners = list(plan.owners)
    if status == "withheld":
        # The data-quality alert already told the data owners everything; a second email says nothing new.
        owners = [owner for owner in owners if owner not in plan.data_owners]
    if failed and not owners:
        return None
    if failed:
        message = compose_failure_notice(
            plan.company, run.team_id, run.team_name, label, status, detail,
            plan.sender, owners, when=now, locale=run.locale,
        )  # fmt: skip
        kind = "run-failed"
    else:
        message = compose_recovery_notice(
            plan.company, run.team_name, label, before.failures, before.since or now,
            plan.sender, list(plan.owners), when=now, locale=run.locale,
        )  # fmt: skip
        kind = "run-recovered"
    # A recovery notice's text names when the streak began, which a rerun of the same failed periods records
    # anew: its identity is the periods it follows, so a rerun (of a backfill, say) does not send it twice.
    identity = message.get_content() if failed else f"after {' '.join(before.periods)}"
    return message, MessageKey(run.team_id, label, kind, content_hash(identity))


def alert_not_started(plan: RunPlan, runs: Iterable[TeamRun], detail: str, notify: bool) -> list[str]:
    """Record each run as failed (exit 1) with `detail`; when `notify`, send the owners the failure notice of
    each team whose streak this starts. Returns the paths of the notices' .eml files."""
    notices = []
    for run in runs:
        before = failure_streak(plan.state_db, run.team_id)
        record_run(plan.state_db, run.team_id, run.period.label, "failed", EXIT_INTERNAL, detail, dry_run=not notify)
        notice = owner_notice(plan, run, "failed", EXIT_INTERNAL, detail, before) if notify else None
        if notice is not None:  # a dry run tells nobody; a streak's owners were told at its start
            message, key = notice
            sent = deliver_message(message, plan.smtp, plan.outbox, plan.state_db, key, locale=run.locale)
            notices.append(str(sent.path))
    return notices
