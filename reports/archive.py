"""The archive page: every team's periods with their status and links to the HTML, PDF and DQ page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from salespulse.reports.i18n import N_
from salespulse.reports.render import html_env, localized, stylesheet

STATUS_WORDS = {
    "delivered": N_("Delivered"),
    "outbox": N_("In the outbox: not sent"),
    "dry-run": N_("Rendered (dry run)"),
    "withheld": N_("Withheld: data-quality failure"),
    "not delivered": N_("Rendered, not delivered"),
    "bad input": N_("Not rendered: bad input"),
    "failed": N_("Failed: internal error"),
}
# The status cell's look, so a glance down the column tells them apart (words say it without colour too):
# sent green, held back red, waiting in the outbox amber, a dry run grey, a run that broke outlined in red.
STATUS_KINDS = {
    "delivered": "delivered",
    "outbox": "outbox",
    "dry-run": "dry-run",
    "withheld": "withheld",
    "not delivered": "failed",
    "bad input": "failed",
    "failed": "failed",
}


@dataclass(frozen=True)
class ArchiveEntry:
    team_name: str
    period: str
    status: str
    html: str | None  # links relative to the archive page; None when the file does not exist
    pdf: str | None
    dq: str | None

    @property
    def status_word(self) -> str:
        return STATUS_WORDS.get(self.status, self.status)

    @property
    def status_kind(self) -> str:
        """delivered / outbox / dry-run / withheld / failed, or "other": the status cell's CSS class."""
        return STATUS_KINDS.get(self.status, "other")


def render_archive(company: str, entries: list[ArchiveEntry], generated_at: datetime, locale: str) -> str:
    """Newest period first within each team, teams in name order."""
    teams: dict[str, list[ArchiveEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.team_name, e.period), reverse=True):
        teams.setdefault(entry.team_name, []).append(entry)
    template = html_env().get_template("archive.html")
    with localized(locale):
        return template.render(
            company=company,
            teams=dict(sorted(teams.items())),
            generated_at=generated_at,
            locale=locale,
            stylesheet=Markup(stylesheet()),  # our own CSS must reach <style> verbatim
        )
