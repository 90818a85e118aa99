"""The standalone data-quality page (dq.html) the data owner's alert links to: every failure, critical
ones included, with samples, meaning and fix, the trend across periods and the files the run read.
Self-contained like the report: CSS inlined, autoescaped, rendered by the report's own Jinja environment.

The trend and the files live here, not in the report: this page is rewritten by every run, while the report
must depend on its own period alone (another period's run or a week added to the export would change it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from markupsafe import Markup

from salespulse.reports import quality
from salespulse.reports.i18n import N_, gettext
from salespulse.reports.render import html_env, localized, stylesheet
from salespulse.transforms.results import DqHistoryPoint, DqVerdict

STATUS_WORDS = {
    "clean": N_("No critical failures or warnings"),
    "warnings": N_("Warnings: the team's report goes out with a data-quality banner"),
    "failed": N_("Critical failures: the team's report was withheld"),
}


def render_dq_html(
    company: str,
    team_name: str,
    period_label: str,
    verdict: DqVerdict,
    history: list[DqHistoryPoint],
    locale: str,
    generated_at: datetime,
    lineage: Mapping[str, str] | None = None,
) -> str:
    """dq.html for one team and period: failures grouped critical → warning → info, then the trend, then
    `lineage` (the input files' checksums, config, validation run) when given."""
    template = html_env().get_template("dq.html")
    with localized(locale):
        return template.render(
            company=company,
            team_name=team_name,
            period_label=period_label,
            verdict=verdict,
            status_word=gettext(locale, STATUS_WORDS[verdict.status]),
            groups=quality.by_severity(verdict.failures),
            trend=quality.history_rows(history),
            locale=locale,
            generated_at=generated_at,
            lineage=dict(lineage or {}),
            # Markup: our own stylesheet must reach <style> verbatim, as in render_html.
            stylesheet=Markup(stylesheet()),
        )
