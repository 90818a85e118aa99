"""The owners' failure and recovery notices of a flow run, sent through the `deliver` task (the rule that
decides them is salespulse/mail/owner_notices.py, shared with a run that could not start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salespulse.flows import stages
from salespulse.mail.owner_notices import owner_notice
from salespulse.plan import RunPlan, TeamRun
from salespulse.store.state import Streak

if TYPE_CHECKING:
    from salespulse.flows.team_report import TeamOutcome


def notify_owners(plan: RunPlan, run: TeamRun, outcome: TeamOutcome, before: Streak) -> str | None:
    """Send a notice when this outcome starts or ends a failure streak; returns the .eml path, if any.
    `before` is the team's streak as it stood before this outcome was recorded."""
    notice = owner_notice(plan, run, outcome.status, outcome.exit_code, outcome.detail, before)
    if notice is None:
        return None
    message, key = notice
    return str(stages.deliver(message, plan.smtp, plan.outbox, plan.state_db, key, locale=run.locale).path)
