"""Pure helpers that shape ReportContext lists into rows the report template prints as they are.

Kept out of the template so the tables' logic (which KPIs join a breakdown, ordering, bar widths) is plain
Python that tests can call directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from salespulse.reports import format as fmt
from salespulse.reports import terms
from salespulse.reports.context import ReportContext
from salespulse.reports.i18n import N_, gettext, ngettext
from salespulse.transforms.highlights import DealLine
from salespulse.transforms.results import KpiResult, LeaderboardRow

# The breakdown dimensions the report shows, in order, with their titles. "rep" is the leaderboard's job.
BREAKDOWN_TITLES = {
    "team": N_("By team"),
    "product": N_("By product"),
    "source": N_("By lead source"),
    "type": N_("By activity type"),
}
KEY_HEADINGS = {"team": N_("Team"), "product": N_("Product"), "source": N_("Lead source"), "type": N_("Activity type")}
MAX_BREAKDOWN_COLUMNS = 5
# KPIs that are another KPI's change: their move repeats that KPI's ("revenue growth is down 486 pts" says
# again that revenue is down), so they are never a mover.
DERIVED_KPIS = frozenset({"revenue_growth", "revenue_growth_yoy"})
# Page 1's "What happened": the highlights' groups, in order, with their headings.
HAPPENED_TITLES = {
    "won": N_("Largest deals won"),
    "lost": N_("Largest deals lost"),
    "slipped": N_("Slipped: open past their expected close"),
    "new": N_("Largest new deals"),
}
PERIOD_WORDS = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
# The period in the phrases the report uses, whole, so each language can inflect them (gender, plural).
PERIOD_PHRASES = {
    "weekly": {
        "this": N_("This week"),
        "this_lower": N_("this week"),
        "per": N_("per week"),
        "plural": N_("weeks"),
        "previous": N_("the previous week"),
    },
    "monthly": {
        "this": N_("This month"),
        "this_lower": N_("this month"),
        "per": N_("per month"),
        "plural": N_("months"),
        "previous": N_("the previous month"),
    },
    "quarterly": {
        "this": N_("This quarter"),
        "this_lower": N_("this quarter"),
        "per": N_("per quarter"),
        "plural": N_("quarters"),
        "previous": N_("the previous quarter"),
    },
    "": {
        "this": N_("This period"),
        "this_lower": N_("this period"),
        "per": N_("per period"),
        "plural": N_("periods"),
        "previous": N_("the previous period"),
    },
}


@dataclass(frozen=True)
class BreakdownTable:
    dimension: str  # product | source | type
    title: str
    key_heading: str  # the row labels' column header
    columns: list[str]  # KPI names, in ctx.kpis order
    kpi_ids: list[str]
    rows: list[tuple[str, list[str]]]  # (row label, one formatted cell per column)


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    reached: str
    conversion: str
    width: str  # CSS width of the bar, reached ÷ first step's reached


@dataclass(frozen=True)
class Mover:
    kpi: KpiResult
    tone: str  # good / bad / neutral, as in the tiles
    sentence: str  # "Won revenue is down 84.9% on the previous week (worse): $7,883 against $52,204."


@dataclass(frozen=True)
class HappenedGroup:
    key: str  # won | lost | slipped | new
    title: str
    lines: list[DealLine]
    more: str = ""  # "and 9 more", when the group holds more deals than it names


@dataclass(frozen=True)
class RankedRep:
    rank: int
    row: LeaderboardRow


def bar_width(fraction: float | None) -> str:
    """A CSS width for a progress bar: clamped to 0–100 % so overachievement cannot overflow the track."""
    if fraction is None or not math.isfinite(fraction):
        return "0%"
    return f"{max(0.0, min(fraction, 1.0)) * 100:.1f}%"


def period_word(cadence: str) -> str:
    """ "week" / "month" / "quarter" for a cadence; "period" for anything unexpected."""
    return PERIOD_WORDS.get(cadence, "period")


def period_phrases(cadence: str, locale: str) -> dict[str, str]:
    """ "This week", "per week", "weeks", "the previous week"... in the locale's language."""
    phrases = PERIOD_PHRASES.get(cadence, PERIOD_PHRASES[""])
    return {key: gettext(locale, text) for key, text in phrases.items()}


def _row_label(dimension: str, key: str, label: str, locale: str) -> str:
    """Activity types are canonical (salespulse.transforms.schema): named in the reader's language. Teams, products and
    sources are the company's own names and stay as they are."""
    return terms.activity_type_name(key, locale) if dimension == "type" else label


def _breakdown_tables(ctx: ReportContext, dimension: str) -> list[BreakdownTable]:
    kpis = [kpi for kpi in ctx.kpis if kpi.breakdowns.get(dimension)]
    labels: dict[str, str] = {}  # key → label, first-seen order across the KPIs
    values: dict[tuple[str, str], float | None] = {}
    for kpi in kpis:
        for row in kpi.breakdowns[dimension]:
            labels.setdefault(row.key, row.label)
            values[(kpi.kpi_id, row.key)] = row.value
    tables = []
    # More KPI columns than fit across A4 continue in a second table with the same rows.
    for start in range(0, len(kpis), MAX_BREAKDOWN_COLUMNS):
        chunk = kpis[start : start + MAX_BREAKDOWN_COLUMNS]
        # One money format per column: no cents in a column whose amounts have none ("$0" beside "$13,471").
        column = {k.kpi_id: [values.get((k.kpi_id, key)) for key in labels] for k in chunk}
        rows = [
            (
                _row_label(dimension, key, label, ctx.locale),
                [
                    fmt.format_value(values.get((k.kpi_id, key)), k.unit, ctx.currency, ctx.locale, column[k.kpi_id])
                    for k in chunk
                ],
            )
            for key, label in labels.items()
        ]
        title = gettext(ctx.locale, BREAKDOWN_TITLES[dimension])
        if start:
            title = gettext(ctx.locale, "%(title)s (continued)") % {"title": title}
        tables.append(
            BreakdownTable(
                dimension=dimension,
                title=title,
                key_heading=gettext(ctx.locale, KEY_HEADINGS[dimension]),
                columns=[gettext(ctx.locale, kpi.name) for kpi in chunk],
                kpi_ids=[kpi.kpi_id for kpi in chunk],
                rows=rows,
            )
        )
    return tables


def breakdown_tables(ctx: ReportContext) -> list[BreakdownTable]:
    """One table per dimension other than "rep" that at least one KPI breaks down by: rows are the
    dimension's keys (first-seen order), columns the KPIs that have that breakdown, cells in each KPI's unit.
    A key one KPI lacks shows n/a in that KPI's column. Beyond MAX_BREAKDOWN_COLUMNS KPIs, the dimension
    continues in another table, so no table is wider than the page."""
    return [table for dimension in BREAKDOWN_TITLES for table in _breakdown_tables(ctx, dimension)]


def funnel_rows(ctx: ReportContext) -> list[FunnelRow]:
    """The funnel with counts, conversions and bar widths relative to the first stage."""
    if not ctx.funnel:
        return []
    first = ctx.funnel[0].reached
    rows = []
    for step in ctx.funnel:
        share = step.reached / first if first > 0 else None
        rows.append(
            FunnelRow(
                stage=terms.stage_name(step.stage, ctx.locale),
                reached=fmt.format_value(step.reached, "count", ctx.currency, ctx.locale),
                conversion=fmt.format_value(step.conversion, "percent", ctx.currency, ctx.locale),
                width=bar_width(share),
            )
        )
    return rows


def ranked_leaderboard(ctx: ReportContext) -> list[RankedRep]:
    """Reps by won revenue, highest first (a stable sort, so ties keep the order they came in), the first
    `ctx.leaderboard_rows` of them: a team of 600 reps would otherwise print 19 pages of leaderboard, which
    nobody reads on a Monday and which would slow that PDF's layout."""
    ordered = sorted(ctx.leaderboard, key=lambda row: -row.won_revenue)[: ctx.leaderboard_rows]
    return [RankedRep(rank, row) for rank, row in enumerate(ordered, start=1)]


def _mover_sentence(kpi: KpiResult, ctx: ReportContext) -> str:
    trend = fmt.trend_of(kpi)
    locale = ctx.locale
    size = fmt.change_text(kpi, locale, signed=False)  # the sentence says up or down
    values = {
        "kpi": gettext(locale, kpi.name),
        "size": size,
        "previous_period": period_phrases(ctx.cadence, locale)["previous"],
        "verdict": f" ({gettext(locale, trend.verdict)})" if trend.verdict else "",
        "value": fmt.format_value(kpi.value, kpi.unit, ctx.currency, locale, fmt.kpi_amounts(kpi)),
        "before": fmt.format_value(kpi.previous, kpi.unit, ctx.currency, locale, fmt.kpi_amounts(kpi)),
    }
    if trend.word == "up":
        message = gettext(
            locale, "%(kpi)s is up %(size)s on %(previous_period)s%(verdict)s: %(value)s against %(before)s."
        )
    elif trend.word == "down":
        message = gettext(
            locale, "%(kpi)s is down %(size)s on %(previous_period)s%(verdict)s: %(value)s against %(before)s."
        )
    else:
        message = gettext(locale, "%(kpi)s is flat on %(previous_period)s%(verdict)s: %(value)s against %(before)s.")
    return message % values


def top_movers(ctx: ReportContext, n: int = 3) -> list[Mover]:
    """The n KPIs (of all, not only the headline) whose move from the previous period is largest against
    their own usual swing: the move over the standard deviation of their values before this period (the
    grey band of the trend charts). A 58% fall of a revenue that swings 60% a week is news to nobody; a
    pipeline that doubles after weeks of calm is. KPIs with fewer than 3 earlier values follow, by relative
    change. KPIs the report cannot say a change for (n/a, or a count rising from zero) and those that are
    another KPI's change (DERIVED_KPIS) are skipped; ties keep KPI order."""
    moved = [kpi for kpi in ctx.kpis if kpi.kpi_id not in DERIVED_KPIS and fmt.change_text(kpi, ctx.locale)]
    ranked = sorted(moved, key=_unusualness)[:n]
    return [Mover(kpi, fmt.trend_of(kpi).tone, _mover_sentence(kpi, ctx)) for kpi in ranked]


def _unusualness(kpi: KpiResult) -> tuple[int, float]:
    """A sort key, most unusual first: (0, −move ÷ spread) with a spread to judge by, else (1, −|change|)."""
    assert kpi.value is not None and kpi.previous is not None  # a change was shown
    move, spread = abs(kpi.value - kpi.previous), kpi.earlier_spread
    if spread is None:
        change = kpi.change
        return 1, -abs(change) if change is not None and math.isfinite(change) else 0.0
    if spread == 0:
        return 0, -math.inf if move else 0.0  # a KPI that never moved, moving
    return 0, -move / spread


def what_happened(ctx: ReportContext) -> list[HappenedGroup]:
    """The highlights' four groups with their headings in the reader's language; [] when the period has
    none at all (no deals, or a team without a deals table)."""
    found = ctx.highlights
    if found.empty:
        return []
    lists = {"won": found.won, "lost": found.lost, "slipped": found.slipped, "new": found.new}
    groups = []
    for key, title in HAPPENED_TITLES.items():
        extra = found.slipped_total - len(found.slipped) if key == "slipped" else 0
        more = ngettext(ctx.locale, "and %(num)s more", "and %(num)s more", extra) % {"num": extra} if extra > 0 else ""
        groups.append(HappenedGroup(key, gettext(ctx.locale, title), lists[key], more))
    return groups
