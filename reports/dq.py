"""The standalone data-quality page (dq.html) the data owner's alert links to: every failure, critical
ones included, with samples, meaning and fix, and the trend across periods. Self-contained like the
report: CSS inlined, autoescaped, rendered by the report's own Jinja environment."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from reports import quality
from reports.i18n import N_, gettext
from reports.render import html_env, localized, stylesheet
from transforms.results import DqHistoryPoint, DqVerdict

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
) -> str:
    """dq.html for one team and period: failures grouped critical → warning → info, then the trend."""
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
            # Markup: our own stylesheet must reach <style> verbatim, as in render_html.
            stylesheet=Markup(stylesheet()),
        )
