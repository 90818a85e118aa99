"""ReportContext → self-contained HTML → PDF.

The HTML carries its CSS inline and references nothing outside itself, and the PDF step refuses every
URL, so a report renders the same with or without a network and cannot be made to read local files.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from salespulse.reports import charts, i18n, quality, terms
from salespulse.reports import format as fmt
from salespulse.reports.context import ReportContext
from salespulse.reports.tables import (
    bar_width,
    breakdown_tables,
    funnel_rows,
    period_phrases,
    period_word,
    ranked_leaderboard,
    top_movers,
    what_happened,
)
from salespulse.transforms.results import KpiResult

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

AT_RISK = ("at risk", "off track")


def status_class(status: str) -> str:
    """CSS-safe token for a goal status ("on track" → "on-track")."""
    return status.replace(" ", "-")


def goals_at_risk(ctx: ReportContext) -> int:
    return sum(1 for goal in ctx.goals if goal.status in AT_RISK)


def _make_env(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader(__package__, "templates"),
        # A plain bool, not select_autoescape: every HTML template escapes, whatever its file name.
        autoescape=autoescape,
        undefined=StrictUndefined,  # a renamed field must fail the render, not print an empty tile
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # English until localized() installs a catalogue
    env.filters.update(
        value=fmt.format_value,
        date=fmt.format_date,
        datetime=fmt.format_datetime,
        period_range=fmt.format_period_range,
        share=fmt.format_plain_percent,
        word_list=fmt.format_word_list,
        bar_width=bar_width,
        status_class=status_class,
    )
    env.globals.update(
        trend_of=fmt.trend_of,
        trend_text=fmt.trend_text,
        change_text=fmt.change_text,
        baseline_comparison=fmt.baseline_comparison,
        baseline_tone=fmt.baseline_tone,
        baseline_short=fmt.baseline_short,
        is_benchmark=fmt.is_benchmark,
        kpi_amounts=fmt.kpi_amounts,
        goal_amounts=fmt.goal_amounts,
        baseline_parts=fmt.baseline_parts,
        baseline_label=terms.baseline_label,
        scope_text=terms.scope_text,
        lineage_key=terms.lineage_key,
        sample_table=quality.sample_table,
        excluded_text=quality.excluded_text,
        left_out_lines=quality.left_out_lines,
        unknowable_text=quality.unknowable_text,
        named_rows=quality.named_rows,
        severity_titles=quality.SEVERITY_TITLES,
        severity_heading=quality.severity_heading,
        tr=str,  # translates a runtime string (a KPI name, a status word); escaped like any value
    )
    return env


@lru_cache(maxsize=1)
def html_env() -> Environment:
    """The escaping environment for every HTML template (report and emails)."""
    return _make_env(autoescape=True)


@lru_cache(maxsize=1)
def text_env() -> Environment:
    """Plain-text templates only: escaping would print "&amp;" into a text/plain email."""
    return _make_env(autoescape=False)


_RENDER_LOCK = threading.RLock()


@contextmanager
def localized(locale: str) -> Iterator[None]:
    """Render in `locale`'s language: installs its catalogue in both (shared, module-level) environments
    for the duration. A lock keeps two renders in different languages from overlapping."""
    catalogue = i18n.translations(locale)
    with _RENDER_LOCK:
        try:
            for env in (html_env(), text_env()):
                env.install_gettext_callables(catalogue.gettext, catalogue.ngettext, newstyle=True)
                env.globals["tr"] = i18n.translator(locale)
            yield
        finally:
            for env in (html_env(), text_env()):
                env.install_null_translations(newstyle=True)
                env.globals["tr"] = str


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files(__package__).joinpath("static", "report.css").read_text(encoding="utf-8")


HEADLINE_TILES = 8


def headline_kpis(ctx: ReportContext) -> list[KpiResult]:
    """The tiles of page 1: the configured headline, or the first eight KPIs; the rest go to the tables."""
    chosen = [kpi for kpi in ctx.kpis if kpi.kpi_id in ctx.headline]
    return chosen or ctx.kpis[:HEADLINE_TILES]


def template_vars(ctx: ReportContext) -> dict[str, Any]:
    """What every report-shaped template sees: the context plus the few values derived from it."""
    return {
        "ctx": ctx,
        "date_range": fmt.format_period_range(ctx.period_start, ctx.period_end, ctx.locale),
        "at_risk": goals_at_risk(ctx),
        "kpi_names": {kpi.kpi_id: kpi.name for kpi in ctx.kpis},
        "headline_kpis": headline_kpis(ctx),
        "period_word": period_word(ctx.cadence),
        "period": period_phrases(ctx.cadence, ctx.locale),
        "happened": what_happened(ctx),
    }


def chart_vars(ctx: ReportContext) -> dict[str, Any]:
    """The report's charts as inline SVG (Markup: our own markup, any context text in it is escaped):
    one pacing chart per goal, in goal order, and one trend chart per headline KPI that has a trend."""
    pacing = [Markup(charts.pacing_chart(goal, ctx.locale, ctx.currency)) for goal in ctx.goals]
    trends = [
        (kpi, Markup(charts.trend_chart(kpi, ctx.locale, ctx.currency))) for kpi in headline_kpis(ctx) if kpi.trend
    ]
    return {"pacing_charts": pacing, "trend_charts": trends}


def report_vars(ctx: ReportContext) -> dict[str, Any]:
    """The PDF report's extra tables and charts, built here so the template only prints them."""
    return {
        **chart_vars(ctx),
        "movers": top_movers(ctx),
        "funnel": funnel_rows(ctx),
        "leaderboard": ranked_leaderboard(ctx),
        "breakdowns": breakdown_tables(ctx),
        "dq_banner": quality.banner_failures(ctx.dq),
        "row_tables": ("deals", "leads", "activities", "orders", "reps", "accounts"),
        "dq_exclusions": quality.exclusion_sentences(ctx.dq, ctx.locale),
        "dq_groups": quality.by_severity(ctx.dq.failures),
        "dq_trend": quality.history_rows(ctx.dq_history),
    }


def render_html(ctx: ReportContext) -> str:
    """The report as one self-contained HTML document (CSS inlined, no external references)."""
    template = html_env().get_template("report.html")
    # Markup: our own stylesheet must reach <style> verbatim; escaping would turn its quotes into entities.
    with localized(ctx.locale):
        return template.render(**template_vars(ctx), **report_vars(ctx), stylesheet=Markup(stylesheet()))


def _refusing_fetcher() -> URLFetcher:
    """A WeasyPrint fetcher that refuses every URL. WeasyPrint catches the ValueError, logs a warning and
    renders without the resource; subclassing URLFetcher is required because WeasyPrint 70 reads its
    private `_fail_on_errors` flag when a fetch fails."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            self.refused.append(url)
            raise ValueError(f"salespulse reports load no external resources: {url[:200]}")

    return RefusingFetcher()


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML string produced by render_html. Imports WeasyPrint here: it is slow to import,
    which callers that only need HTML or email should not pay."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_refusing_fetcher())
    return document.write_pdf()


def render_report(ctx: ReportContext) -> tuple[str, bytes]:
    """The report's HTML and its PDF. A module-level function, so a process pool can run it."""
    html = render_html(ctx)
    return html, render_pdf(html)
