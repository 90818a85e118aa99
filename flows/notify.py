"""The owner hears of a team's failing runs once per streak, and once more when they work again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from salespulse.errors import EXIT_DELIVERED
from salespulse.flows import stages
from salespulse.plan import RunPlan, TeamRun
from salespulse.store.ledger import MessageKey, content_hash
from salespulse.store.state import Streak

if TYPE_CHECKING:
    from salespulse.flows.team_report import TeamOutcome


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


def notify_owners(plan: RunPlan, run: TeamRun, outcome: TeamOutcome, before: Streak) -> str | None:
    """Send a notice when this outcome starts or ends a failure streak; returns the .eml path, if any.
    `before` is the team's streak as it stood before this outcome was recorded."""
    from salespulse.reports.notices import compose_failure_notice, compose_recovery_notice

    failed = outcome.exit_code != EXIT_DELIVERED
    label = run.period.label
    if failed == (before.failures > 0):
        return None  # all well, or a streak the owner already knows of
    if not failed and not ends_streak(label, before):
        return None  # an older period's rerun: the failing period has not worked yet
    now = datetime.now(UTC).replace(microsecond=0)
    owners = list(plan.owners)
    if outcome.status == "withheld":
        # The data-quality alert already told the data owners everything; a second email says nothing new.
        owners = [owner for owner in owners if owner not in plan.data_owners]
    if failed and not owners:
        return None
    if failed:
        message = compose_failure_notice(
            plan.company, run.team_id, run.team_name, label, outcome.status, outcome.detail,
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
    key = MessageKey(run.team_id, label, kind, content_hash(identity))
    return str(stages.deliver(message, plan.smtp, plan.outbox, plan.state_db, key, locale=run.locale).path)
