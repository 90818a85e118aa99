"""Report charts: matplotlib figures returned as inline SVG strings, so the PDF stays vector.

Pure functions (no file I/O, no global pyplot state): the same input gives byte-identical SVG. matplotlib is
imported lazily, on the first chart, so importing `reports` stays fast for callers that only send email.
One colour-blind-safe palette (Okabe–Ito) for every chart; each series also has its own line style and
marker, so the charts read the same printed in greyscale. Text stays text (`svg.fonttype = "none"`), set in
DejaVu Sans, which `make` installs: drawn as glyph paths instead, a report's charts took 4× longer to print
(WeasyPrint parses every glyph path) and their words could not be searched or copied from the PDF.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from babel.dates import format_skeleton

from reports import format as fmt
from reports.i18n import N_, gettext
from transforms.results import GoalProgress, KpiResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE = "#0072B2"  # actual values
ORANGE = "#E69F00"  # baseline, projection
GREY = "#6E6E6E"  # expected pace, reference lines
INK = "#1D232B"  # text and the target line
BAND = "#D9D9D9"  # the baseline band
CM = 1 / 2.54  # inches per centimetre

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 7,
    "axes.titlesize": 7.5,
    "axes.labelsize": 6.5,
    "xtick.labelsize": 6,
    "ytick.labelsize": 6,
    "axes.edgecolor": "#8C939C",
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#E3E6EA",
    "grid.linewidth": 0.5,
    "lines.linewidth": 1.4,
    "svg.fonttype": "none",
    "svg.hashsalt": "salespulse",
}

UNIT_LABELS = {
    "percent": N_("Percent"),
    "count": N_("Count"),
    "days": N_("Days"),
    "hours": N_("Hours"),
    "ratio": N_("Ratio"),
}


@contextmanager
def _figure(width_cm: float, height_cm: float) -> Iterator[Figure]:
    """A bare Figure (no pyplot: no global figure registry to leak between reports), built and saved
    under the report's style without changing matplotlib's global settings for anyone else."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):
        yield Figure(figsize=(width_cm * CM, height_cm * CM))


def _frame(width: float, height: float, left: float, bottom: float, top: float) -> tuple[float, ...]:
    """The axes rectangle as figure fractions from margins in cm (fixed margins: a layout engine would
    double the time a chart takes). The right margin is a fixed 0.3 cm."""
    return (left / width, bottom / height, (width - left - 0.3) / width, (height - bottom - top) / height)


def _to_svg(fig: Figure, title: str) -> str:
    """The figure as an inline-ready SVG: no XML prolog or doctype, no date, an accessible title."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)  # RDF: only noise
    svg = re.sub(r"\s*<!--.*?-->", "", svg)
    # matplotlib names every group (figure_1, axes_1, text_1): unused, and duplicated across inline charts
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)
    # its one CSS rule is `*{...}`, which inline would restyle the whole page: attributes on <svg> instead
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>", "", svg, count=1)
    svg = _own_ids(_presentation_attributes(svg))
    label = html.escape(title, quote=True)
    # the title is untrusted text (a KPI or goal name): escaped, and the glyphs themselves are only paths
    return re.sub(
        r"<svg\b", f'<svg role="img" aria-label="{label}" stroke-linejoin="round" stroke-linecap="butt"', svg, count=1
    ).replace(">", f"><title>{label}</title>", 1)


# SVG properties that are also presentation attributes: fill="#fff" draws as style="fill: #fff" does.
PRESENTATION = frozenset(
    {
        *("fill", "fill-opacity", "opacity", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"),
        *("stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "stroke-opacity", "text-anchor"),
        *("font-family", "font-size", "font-style", "font-weight"),
    }
)


def _presentation_attributes(svg: str) -> str:
    """matplotlib's `style="fill: #fff; stroke: #000"` as attributes `fill="#fff" stroke="#000"`: drawn the
    same, but an inline SVG's style attributes go through WeasyPrint's HTML cascade, which knows no fill or
    stroke and logged a warning for each (about 1,400 per report, half a second of the PDF's time)."""

    def attributes(match: re.Match[str]) -> str:
        declarations = [part.split(":", 1) for part in match[1].split(";") if ":" in part]
        moved = [(name.strip(), value.strip()) for name, value in declarations if name.strip() in PRESENTATION]
        kept = [f"{name.strip()}: {value.strip()}" for name, value in declarations if name.strip() not in PRESENTATION]
        text = "".join(f' {name}="{value}"' for name, value in moved)
        return text + (f' style="{"; ".join(kept)}"' if kept else "")

    return re.sub(r' style="([^"]*)"', attributes, svg)


def _own_ids(svg: str) -> str:
    """Give the glyph and clip-path ids a prefix of this chart's own: matplotlib names them after the font
    and the geometry, so two charts on one page would share ids (invalid HTML, and "Anchor defined twice"
    in WeasyPrint). The prefix comes from the content, so a chart renders the same bytes every time."""
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)


def unit_label(unit: str, currency: str, locale: str = "en_US") -> str:
    """The y-axis title for a unit: "USD", "USD per day", "Percent"."""
    if unit == "currency":
        return currency
    if unit == "per_rep":
        return gettext(locale, "%(currency)s per rep") % {"currency": currency}
    if unit == "currency_per_day":
        return gettext(locale, "%(currency)s per day") % {"currency": currency}
    label = UNIT_LABELS.get(unit, N_("Value"))  # not nested in gettext(): the extractor would miss it
    return gettext(locale, label)


def _value_axis(ax: Axes, unit: str, currency: str, locale: str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    # zero as a bare "0": "$0.00" under "$500,000" reads as a different scale
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda y, _pos: "0" if y == 0 else fmt.format_value(y, unit, currency, locale))
    )
    ax.set_ylabel(unit_label(unit, currency, locale))


def _nan(values: list[float | None]) -> list[float]:
    """None → NaN, which matplotlib draws as a gap in the line."""
    return [float("nan") if v is None else v for v in values]


def expected_start(goal: GoalProgress) -> float:
    """Where the expected path starts: nothing yet for a cumulative goal; a rate starts at its baseline."""
    if goal.aggregation == "cumulative":
        return 0.0
    return goal.baseline if goal.baseline is not None else goal.target


def _date_axis(ax: Axes, start: date, deadline: date, locale: str) -> None:
    from matplotlib.dates import AutoDateLocator, date2num, num2date
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_skeleton("MMMd", num2date(x), locale=locale)))
    span = max((deadline - start).days, 1)
    pad = span * 0.03
    ax.set_xlim(date2num(start) - pad, date2num(deadline) + pad)
    ax.set_xlabel(gettext(locale, "Date"))


def _pacing_axes(ax: Axes, goal: GoalProgress, locale: str) -> None:
    ax.plot(
        [goal.start, goal.deadline],
        [expected_start(goal), goal.target],
        color=GREY,
        linestyle=(0, (4, 2.5)),
        linewidth=1.1,
        label=gettext(locale, "Expected pace"),
    )
    if goal.path:
        days, values = zip(*goal.path, strict=True)
        ax.plot(days, _nan(list(values)), color=BLUE, marker="o", markersize=3, label=gettext(locale, "Actual"))
    target = gettext(locale, "Target")
    ax.axhline(goal.target, color=INK, linestyle=(0, (1, 1.5)), linewidth=0.9, label=target)
    ax.annotate(
        target, (0.005, goal.target), xycoords=("axes fraction", "data"), xytext=(0, 2),
        textcoords="offset points", fontsize=6, va="bottom",
    )  # fmt: skip
    if goal.projected is not None:
        ax.plot(
            [goal.deadline], [goal.projected], linestyle="none", marker="D", markersize=5, markerfacecolor="white",
            markeredgecolor=ORANGE, markeredgewidth=1.3, label=gettext(locale, "Projected at deadline"),
        )  # fmt: skip


def pacing_chart(goal: GoalProgress, locale: str, currency: str) -> str:
    """The goal's pacing to its deadline: expected path (dashed), actual path (solid, markers), the target
    as a labelled reference line, and the projected value at the deadline as a hollow marker."""
    with _figure(16, 6) as fig:
        ax = fig.add_axes(_frame(16, 6, left=2.1, bottom=1.0, top=0.75))
        _pacing_axes(ax, goal, locale)
        _date_axis(ax, goal.start, goal.deadline, locale)
        _value_axis(ax, goal.unit, currency, locale)
        if goal.aggregation == "cumulative":
            ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.03), ncol=4, frameon=False, borderaxespad=0)
        return _to_svg(fig, gettext(locale, "Pacing chart: %(goal)s") % {"goal": goal.objective})


def band_width(kpi: KpiResult) -> float | None:
    """Half-width of the baseline band: the sample standard deviation of the trend values before the
    current one; None without a baseline or with fewer than 3 earlier values."""
    earlier = [value for _label, value in kpi.trend[:-1] if value is not None]
    if kpi.baseline is None or len(earlier) < 3:
        return None
    return statistics.stdev(earlier)


def short_label(label: str) -> str:
    """A period label on two short lines, so twelve fit under a small chart: "2026-W47" → "W47\n2026"."""
    match = re.fullmatch(r"(\d{4})-(.+)", label)
    return f"{match.group(2)}\n{match.group(1)}" if match else label


def _tick_positions(count: int) -> list[int]:
    """Every period when few; every other one when crowded, always keeping the current (last) period."""
    step = 1 if count <= 6 else 2
    return [i for i in range(count) if (count - 1 - i) % step == 0]


def trend_chart(kpi: KpiResult, locale: str, currency: str) -> str:
    """The KPI over its last periods (None → a gap), the baseline as a line with a band of ± one standard
    deviation of the earlier values, the current period marked. A small multiple, about 8 × 4.5 cm."""
    labels = [label for label, _value in kpi.trend]
    values = _nan([value for _label, value in kpi.trend])
    positions = list(range(len(values)))
    spread = band_width(kpi)
    with _figure(8, 4.5) as fig:
        ax = fig.add_axes(_frame(8, 4.5, left=2.0, bottom=1.15, top=0.5))
        if kpi.baseline is not None:
            if spread is not None:
                ax.axhspan(kpi.baseline - spread, kpi.baseline + spread, color=BAND, alpha=0.6, linewidth=0)
            ax.axhline(kpi.baseline, color=ORANGE, linestyle=(0, (4, 2)), linewidth=1.1)
        ax.plot(positions, values, color=BLUE, marker="o", markersize=2.5)
        if values:  # the current period: a larger marker
            ax.plot(positions[-1:], values[-1:], linestyle="none", marker="o", markersize=5, color=BLUE)
        ticks = _tick_positions(len(labels))
        ax.set_xticks(ticks, [short_label(labels[i]) for i in ticks])
        ax.set_xlim(-0.5, max(len(values) - 0.5, 0.5))
        ax.set_xlabel(gettext(locale, "Period"), labelpad=1)
        _value_axis(ax, kpi.unit, currency, locale)
        name = gettext(locale, kpi.name)
        ax.set_title(name, loc="left", fontweight="bold", pad=3)
        return _to_svg(fig, gettext(locale, "Trend chart: %(kpi)s") % {"kpi": name})
