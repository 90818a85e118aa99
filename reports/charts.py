"""Report charts: inline SVG strings, so the PDF stays vector and its words can be searched and copied.

Pure functions (no file I/O, no global state): the same input gives byte-identical SVG. Drawn with
`salespulse.reports.svg`, not a plotting library (its docstring says why). One colour-blind-safe palette (Okabe–Ito)
for every chart; each series also has its own line style or marker, so the charts read the same printed in
greyscale. Text stays text, in DejaVu Sans, which `make` installs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton

from salespulse.reports import format as fmt
from salespulse.reports.i18n import N_, gettext
from salespulse.reports.svg import PT_PER_CM, Canvas, Scale, date_ticks, nice_ticks, padded, text_width
from salespulse.transforms.results import GoalProgress, KpiResult

BLUE = "#0072B2"  # actual values
ORANGE = "#E69F00"  # baseline, projection
GREY = "#6E6E6E"  # expected pace, reference lines
INK = "#1D232B"  # text and the target line
BAND = "#D9D9D9"  # the baseline band
SPINE = "#8C939C"
GRID = "#E3E6EA"
TICK_SIZE, LABEL_SIZE, LEGEND_SIZE, TITLE_SIZE = 6.0, 6.5, 7.0, 7.5
# The pacing chart is as wide as the text column: 160 mm printed, about 340 px on a 390 px phone (the page's
# and the goal box's padding taken off). Its words are PACING_SIZE in a PACING_WIDTH_CM-wide viewBox, so they
# scale to 9 px there (10.3 px were the SVG the full 390 px) and to 12 pt printed, the trend charts' ratio.
PACING_WIDTH_CM, PACING_HEIGHT_CM, PACING_SIZE = 12.0, 5.2, 9.0
WHITE = "#ffffff"
# dash patterns, in points: expected pace, target, baseline
PACE_DASH, TARGET_DASH, BASELINE_DASH = "4.4 2.75", "0.9 1.35", "4.4 2.2"

UNIT_LABELS = {
    "percent": N_("Percent"),
    "count": N_("Count"),
    "days": N_("Days"),
    "hours": N_("Hours"),
    "ratio": N_("Ratio"),
}

Point = tuple[float, float | None]


@dataclass(frozen=True)
class Frame:
    """A chart's plotting area, in points from its top-left corner (fixed margins, in cm, for the labels;
    the right margin is a fixed 0.3 cm)."""

    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def of(cls, width_cm: float, height_cm: float, left: float, bottom: float, top: float) -> Frame:
        return cls(left * PT_PER_CM, top * PT_PER_CM, (width_cm - 0.3) * PT_PER_CM, (height_cm - bottom) * PT_PER_CM)


def _canvas(width_cm: float, height_cm: float) -> Canvas:
    return Canvas(width_cm * PT_PER_CM, height_cm * PT_PER_CM)


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


def expected_start(goal: GoalProgress) -> float:
    """Where the expected path starts: nothing yet for a cumulative goal; a rate starts at its baseline."""
    if goal.aggregation == "cumulative":
        return 0.0
    return goal.baseline if goal.baseline is not None else goal.target


def value_span(values: Sequence[float], unit: str) -> tuple[float, float]:
    """The value axis's range: the values padded; a count's axis starts at zero (never below: a count is
    never negative, and a band reaching under zero is cut at the axis)."""
    lo, hi = padded(values)
    return (0.0, max(hi, 1.0)) if unit == "count" else (lo, hi)


def value_ticks(span: tuple[float, float], unit: str) -> list[float]:
    """The value axis's ticks; a count's are whole numbers ("0 0 1 1" would be 0, 0.25, 0.5, 0.75 rounded)."""
    ticks = nice_ticks(*span)
    return [t for t in ticks if t == int(t)] if unit == "count" else ticks


def tick_labels(ticks: Sequence[float], unit: str, currency: str, locale: str) -> list[str]:
    """The value axis's labels in one money format ("$250" beside "$1,000", never "$250.00"); zero as a bare
    "0": "$0.00" under "$500,000" reads as a different scale."""
    return ["0" if tick == 0 else fmt.format_value(tick, unit, currency, locale, ticks) for tick in ticks]


def _y_axis(
    canvas: Canvas,
    frame: Frame,
    span: tuple[float, float],
    unit: str,
    currency: str,
    locale: str,
    size: float = TICK_SIZE,
    title_size: float = LABEL_SIZE,
) -> Scale:
    """Grid lines, ticks and labels of the value axis over `span`, and its title; returns its scale."""
    scale = Scale(span[0], span[1], frame.bottom, frame.top)
    ticks = value_ticks(span, unit)
    for tick, label in zip(ticks, tick_labels(ticks, unit, currency, locale), strict=True):
        y = scale(tick)
        _across(canvas, frame, y, GRID, 0.5)
        canvas.line([(frame.left - 3.5, y), (frame.left, y)], INK, 0.8)
        canvas.text(frame.left - 5.5, y + size * 0.35, label, size, "end")
    middle = (frame.top + frame.bottom) / 2
    canvas.text(
        12, middle, unit_label(unit, currency, locale), title_size, "middle", transform=f"rotate(-90 12 {middle:.2f})"
    )
    return scale


def _x_axis(
    canvas: Canvas, frame: Frame, ticks: Sequence[tuple[float, str]], title: str, size: float = TICK_SIZE
) -> None:
    """Tick marks at page x positions with their labels (a label may hold a line break), and the title (none
    when empty). A label is kept inside the canvas: against an edge, it is anchored to that edge."""
    lines, leading = 1, size * 7 / 6
    for x, label in ticks:
        canvas.line([(x, frame.bottom), (x, frame.bottom + 3.5)], INK, 0.8)
        rows = label.split("\n")
        half = max(text_width(words, size) for words in rows) / 2
        at, anchor = x, "middle"
        if x + half > canvas.width:
            at, anchor = min(x + 3, canvas.width - 1), "end"
        elif x - half < 0:
            at, anchor = max(x - 3, 1), "start"
        for row, words in enumerate(rows):
            canvas.text(at, frame.bottom + 3.5 + size * 4 / 3 + row * leading, words, size, anchor)
        lines = max(lines, len(rows))
    if title:
        centre = (frame.left + frame.right) / 2
        canvas.text(centre, frame.bottom + 14 + lines * 7, title, LABEL_SIZE, "middle")


def _across(canvas: Canvas, frame: Frame, y: float, colour: str, width: float, dash: str = "") -> None:
    """A line across the whole plotting area at height y: grid line, target, baseline."""
    canvas.line([(frame.left, y), (frame.right, y)], colour, width, dash)


def _spines(canvas: Canvas, frame: Frame) -> None:
    corner = [(frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom)]
    canvas.line(corner, SPINE, 0.8)


def _lone_value(canvas: Canvas, frame: Frame, x: float, y: float, words: str, size: float, dot: float) -> None:
    """The value of the one point a series has, beside its dot: on its left when the dot is in the right half
    of the plot, else on its right; over a white halo, so no line strikes it through."""
    gap = dot / 2 + 2.5
    if x > (frame.left + frame.right) / 2:
        canvas.text(x - gap, y + size * 0.35, words, size, "end", halo=WHITE, font_weight="bold")
    else:
        canvas.text(x + gap, y + size * 0.35, words, size, "start", halo=WHITE, font_weight="bold")


def _series(canvas: Canvas, points: Sequence[Point], dot: float) -> None:
    """The actual values as a line with a dot at each; a missing value (None) leaves a gap in the line."""
    run: list[tuple[float, float]] = []
    for x, y in [*points, (0.0, None)]:
        if y is None:
            canvas.line(run, BLUE, 1.4)
            run = []
            continue
        run.append((x, y))
    for x, y in points:
        if y is not None:
            canvas.dot(x, y, dot, BLUE)


def _legend_layout(
    entries: Sequence[tuple[str, str]], left: float, right: float, size: float
) -> list[tuple[float, int, str, str]]:
    """(x, row, kind, name) of each legend entry: in reading order, on as many rows as `right` needs."""
    placed, x, row = [], left, 0
    for kind, name in entries:
        width = 19.6 + text_width(name, size)
        if x > left and x + width > right:
            x, row = left, row + 1
        placed.append((x, row, kind, name))
        x += width + 14
    return placed


def _legend(canvas: Canvas, placed: Sequence[tuple[float, int, str, str]], top: float, size: float) -> None:
    """Rows above the plotting area, the first baseline at `top`: a sample of each series' line or marker, then
    its name."""
    for x, row, kind, name in placed:
        y = top + row * size * 1.5
        mid = y - size * 0.33
        sample = [(x, mid), (x + 14, mid)]
        if kind == "pace":
            canvas.line(sample, GREY, 1.1, PACE_DASH)
        elif kind == "actual":
            canvas.line(sample, BLUE, 1.4)
            canvas.dot(x + 7, mid, 3, BLUE)
        elif kind == "target":
            canvas.line(sample, INK, 0.9, TARGET_DASH)
        else:
            canvas.diamond(x + 7, mid, 6, ORANGE, 1.2)
        canvas.text(x + 19.6, y, name, size)


def _pacing_span(goal: GoalProgress) -> tuple[float, float]:
    values = [expected_start(goal), goal.target, *(v for _day, v in goal.path if v is not None)]
    if goal.projected is not None:
        values.append(goal.projected)
    lo, hi = value_span(values, goal.unit)
    return (min(0.0, lo), hi) if goal.aggregation == "cumulative" else (lo, hi)


def date_labels(ticks: Sequence[date], locale: str) -> list[str]:
    """Date-axis labels: years alone when every tick is a New Year's Day, month names when every tick is a
    month's first, else month and day; below the first label, and wherever the year changes, the year."""
    if all((t.month, t.day) == (1, 1) for t in ticks):
        return [format_skeleton("y", t, locale=locale) for t in ticks]
    labels = []
    for i, t in enumerate(ticks):
        words = (
            format_date(t, "LLL", locale=locale)
            if all(d.day == 1 for d in ticks)
            else format_skeleton("MMMd", t, locale=locale)
        )
        if i == 0 or ticks[i - 1].year != t.year:
            words += "\n" + format_skeleton("y", t, locale=locale)
        labels.append(words)
    return labels


def pacing_chart(goal: GoalProgress, locale: str, currency: str) -> str:
    """The goal's pacing to its deadline: expected path (dashed), actual path (solid, dots), the target as a
    labelled reference line, and the projected value at the deadline as a hollow diamond. Sized for a phone as
    much as for the page: every word is PACING_SIZE in a PACING_WIDTH_CM-wide viewBox; the legend wraps."""
    size = PACING_SIZE
    canvas = _canvas(PACING_WIDTH_CM, PACING_HEIGHT_CM)
    span = _pacing_span(goal)
    value_labels = tick_labels(value_ticks(span, goal.unit), goal.unit, currency, locale)
    widest = max(text_width(label, size) for label in value_labels)
    target = gettext(locale, "Target")
    entries = [("pace", gettext(locale, "Expected pace"))]
    if goal.path:
        entries.append(("actual", gettext(locale, "Actual")))
    if goal.projected is not None:
        entries.append(("projected", gettext(locale, "Projected at deadline")))
    # the target line is named where it is drawn, not in the legend: one label fewer to fit
    placed = _legend_layout(entries, 4, canvas.width - 4, size)
    rows = 1 + max(row for _x, row, _kind, _name in placed)
    frame = Frame(
        left=12 + 4 + widest + 5.5,
        top=4 + size + (rows - 1) * size * 1.5 + 8,
        right=canvas.width - 0.3 * PT_PER_CM,
        bottom=canvas.height - (3.5 + size * 4 / 3 + size * 7 / 6 + 4),
    )
    pad = max((goal.deadline - goal.start).days, 1) * 0.03
    day = Scale(goal.start.toordinal() - pad, goal.deadline.toordinal() + pad, frame.left, frame.right)
    start, deadline = day(goal.start.toordinal()), day(goal.deadline.toordinal())
    value = _y_axis(canvas, frame, span, goal.unit, currency, locale, size, size)
    ticks = date_ticks(date.fromordinal(math.ceil(day.lo)), date.fromordinal(math.floor(day.hi)), most=5)
    labels = date_labels(ticks, locale)
    _x_axis(canvas, frame, [(day(t.toordinal()), label) for t, label in zip(ticks, labels, strict=True)], "", size)
    _spines(canvas, frame)
    pace = [(start, value(expected_start(goal))), (deadline, value(goal.target))]
    canvas.line(pace, GREY, 1.1, PACE_DASH)
    line = value(goal.target)
    _across(canvas, frame, line, INK, 0.9, TARGET_DASH)
    # above the target line when there is room under the legend, else below it; on a white halo either way
    above = line - frame.top >= size + 1
    canvas.text(frame.left + 3, line - 2.5 if above else line + size + 1.5, target, size, halo=WHITE)
    if goal.path:
        points = [(day(d.toordinal()), None if v is None else value(v)) for d, v in goal.path]
        _series(canvas, points, 3.5)
        real = [(x, y, v) for (x, y), (_d, v) in zip(points, goal.path, strict=True) if v is not None and y is not None]
        if len(real) == 1:
            x, y, v = real[0]
            _lone_value(canvas, frame, x, y, fmt.format_value(v, goal.unit, currency, locale), size, 3.5)
    if goal.projected is not None:
        canvas.diamond(deadline, value(goal.projected), 8, ORANGE, 1.4)
    _legend(canvas, placed, 4 + size, size)
    return canvas.svg(gettext(locale, "Pacing chart: %(goal)s") % {"goal": goal.objective}, INK)


def band_width(kpi: KpiResult) -> float | None:
    """Half-width of the baseline band: the sample standard deviation of the trend values before the
    current one; None without a baseline or with fewer than 3 earlier values."""
    return None if kpi.baseline is None else kpi.earlier_spread


def short_label(label: str, locale: str = "en_US") -> str:
    """A period label on two short lines, the year on the second, so twelve fit under a small chart and an axis
    that crosses a New Year says so: "2026-W47" → "W47\n2026", "2026-11" → "Nov\n2026" (the month's name in
    the report's language), "2026-Q4" → "Q4\n2026"."""
    match = re.fullmatch(r"(\d{4})-(.+)", label)
    if not match:
        return label
    year, part = match.groups()
    if re.fullmatch(r"\d{2}", part) and 1 <= int(part) <= 12:
        part = format_date(date(int(year), int(part), 1), "LLL", locale=locale)
    return f"{part}\n{year}"


def _tick_positions(count: int) -> list[int]:
    """Every period when few; every other one when crowded, always keeping the current (last) period."""
    step = 1 if count <= 6 else 2
    return [i for i in range(count) if (count - 1 - i) % step == 0]


def trend_chart(kpi: KpiResult, locale: str, currency: str) -> str:
    """The KPI over its last periods (None → a gap), the baseline as a line with a band of ± one standard
    deviation of the earlier values, the current period marked. A small multiple, 8 × 4.5 cm."""
    canvas, frame = _canvas(8, 4.5), Frame.of(8, 4.5, left=2.0, bottom=1.15, top=0.5)
    values = [value for _label, value in kpi.trend]
    spread = band_width(kpi)
    reference = [] if kpi.baseline is None else [kpi.baseline - (spread or 0), kpi.baseline + (spread or 0)]
    span = value_span([*(v for v in values if v is not None), *reference], kpi.unit)
    value = _y_axis(canvas, frame, span, kpi.unit, currency, locale)
    period = Scale(-0.5, max(len(values) - 0.5, 0.5), frame.left, frame.right)
    if kpi.baseline is not None:
        if spread is not None:  # cut at the axis: a count's band may reach under zero
            top, bottom = value(kpi.baseline + spread), min(value(kpi.baseline - spread), frame.bottom)
            canvas.rect(frame.left, top, frame.right - frame.left, bottom - top, BAND, 0.6)
        _across(canvas, frame, value(kpi.baseline), ORANGE, 1.1, BASELINE_DASH)
    labels = [label for label, _value in kpi.trend]
    _x_axis(
        canvas,
        frame,
        [(period(i), short_label(labels[i], locale)) for i in _tick_positions(len(labels))],
        gettext(locale, "Period"),
    )
    _spines(canvas, frame)
    _series(canvas, [(period(i), None if v is None else value(v)) for i, v in enumerate(values)], 2.5)
    if values and values[-1] is not None:  # the current period: a larger dot
        canvas.dot(period(len(values) - 1), value(values[-1]), 5, BLUE)
    real = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(real) == 1:  # one value and no line: say what it is
        i, v = real[0]
        dot = 5  # the current period's large dot, or one as large for a lone earlier value
        if i < len(values) - 1:
            canvas.dot(period(i), value(v), dot, BLUE)
        _lone_value(canvas, frame, period(i), value(v), fmt.format_value(v, kpi.unit, currency, locale), TICK_SIZE, dot)
    name = gettext(locale, kpi.name)
    canvas.text(frame.left, frame.top - 3, name, TITLE_SIZE, font_weight="bold")
    return canvas.svg(gettext(locale, "Trend chart: %(kpi)s") % {"kpi": name}, INK)
