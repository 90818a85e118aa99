"""Report charts: inline SVG strings, so the PDF stays vector and its words can be searched and copied.

Pure functions (no file I/O, no global state): the same input gives byte-identical SVG. Drawn with
`reports.svg`, not a plotting library (its docstring says why). One colour-blind-safe palette (Okabe–Ito)
for every chart; each series also has its own line style or marker, so the charts read the same printed in
greyscale. Text stays text, in DejaVu Sans, which `make` installs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton

from reports import format as fmt
from reports.i18n import N_, gettext
from reports.svg import PT_PER_CM, Canvas, Scale, date_ticks, nice_ticks, padded, text_width
from transforms.results import GoalProgress, KpiResult

BLUE = "#0072B2"  # actual values
ORANGE = "#E69F00"  # baseline, projection
GREY = "#6E6E6E"  # expected pace, reference lines
INK = "#1D232B"  # text and the target line
BAND = "#D9D9D9"  # the baseline band
SPINE = "#8C939C"
GRID = "#E3E6EA"
TICK_SIZE, LABEL_SIZE, LEGEND_SIZE, TITLE_SIZE = 6.0, 6.5, 7.0, 7.5
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


def _y_axis(canvas: Canvas, frame: Frame, span: tuple[float, float], unit: str, currency: str, locale: str) -> Scale:
    """Grid lines, ticks and labels of the value axis over `span`, and its title; returns its scale."""
    scale = Scale(span[0], span[1], frame.bottom, frame.top)
    for tick in nice_ticks(*span):
        y = scale(tick)
        _across(canvas, frame, y, GRID, 0.5)
        canvas.line([(frame.left - 3.5, y), (frame.left, y)], INK, 0.8)
        # zero as a bare "0": "$0.00" under "$500,000" reads as a different scale
        label = "0" if tick == 0 else fmt.format_value(tick, unit, currency, locale)
        canvas.text(frame.left - 5.5, y + TICK_SIZE * 0.35, label, TICK_SIZE, "end")
    middle = (frame.top + frame.bottom) / 2
    canvas.text(
        12, middle, unit_label(unit, currency, locale), LABEL_SIZE, "middle", transform=f"rotate(-90 12 {middle:.2f})"
    )
    return scale


def _x_axis(canvas: Canvas, frame: Frame, ticks: Sequence[tuple[float, str]], title: str) -> None:
    """Tick marks at page x positions with their labels (a label may hold a line break), and the title."""
    lines = 1
    for x, label in ticks:
        canvas.line([(x, frame.bottom), (x, frame.bottom + 3.5)], INK, 0.8)
        for row, words in enumerate(label.split("\n")):
            canvas.text(x, frame.bottom + 11.5 + row * 7, words, TICK_SIZE, "middle")
        lines = max(lines, label.count("\n") + 1)
    centre = (frame.left + frame.right) / 2
    canvas.text(centre, frame.bottom + 14 + lines * 7, title, LABEL_SIZE, "middle")


def _across(canvas: Canvas, frame: Frame, y: float, colour: str, width: float, dash: str = "") -> None:
    """A line across the whole plotting area at height y: grid line, target, baseline."""
    canvas.line([(frame.left, y), (frame.right, y)], colour, width, dash)


def _spines(canvas: Canvas, frame: Frame) -> None:
    corner = [(frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom)]
    canvas.line(corner, SPINE, 0.8)


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


def _legend(canvas: Canvas, frame: Frame, entries: Sequence[tuple[str, str]]) -> None:
    """One row above the plotting area: a sample of each series' line or marker, then its name."""
    x, y = frame.left, frame.top - 8
    for kind, name in entries:
        sample = [(x, y - 2.3), (x + 14, y - 2.3)]
        if kind == "pace":
            canvas.line(sample, GREY, 1.1, PACE_DASH)
        elif kind == "actual":
            canvas.line(sample, BLUE, 1.4)
            canvas.dot(x + 7, y - 2.3, 3, BLUE)
        elif kind == "target":
            canvas.line(sample, INK, 0.9, TARGET_DASH)
        else:
            canvas.diamond(x + 7, y - 2.3, 6, ORANGE, 1.2)
        canvas.text(x + 19.6, y, name, LEGEND_SIZE)
        x += 19.6 + text_width(name, LEGEND_SIZE) + 14


def _pacing_span(goal: GoalProgress) -> tuple[float, float]:
    values = [expected_start(goal), goal.target, *(v for _day, v in goal.path if v is not None)]
    if goal.projected is not None:
        values.append(goal.projected)
    lo, hi = padded(values)
    return (min(0.0, lo), hi) if goal.aggregation == "cumulative" else (lo, hi)


def pacing_chart(goal: GoalProgress, locale: str, currency: str) -> str:
    """The goal's pacing to its deadline: expected path (dashed), actual path (solid, dots), the target as a
    labelled reference line, and the projected value at the deadline as a hollow diamond."""
    canvas, frame = _canvas(16, 6), Frame.of(16, 6, left=2.1, bottom=1.0, top=0.75)
    pad = max((goal.deadline - goal.start).days, 1) * 0.03
    day = Scale(goal.start.toordinal() - pad, goal.deadline.toordinal() + pad, frame.left, frame.right)
    start, deadline = day(goal.start.toordinal()), day(goal.deadline.toordinal())
    value = _y_axis(canvas, frame, _pacing_span(goal), goal.unit, currency, locale)
    ticks = date_ticks(date.fromordinal(math.ceil(day.lo)), date.fromordinal(math.floor(day.hi)))
    _x_axis(
        canvas,
        frame,
        [(day(t.toordinal()), format_skeleton("MMMd", t, locale=locale)) for t in ticks],
        gettext(locale, "Date"),
    )
    _spines(canvas, frame)
    pace = [(start, value(expected_start(goal))), (deadline, value(goal.target))]
    canvas.line(pace, GREY, 1.1, PACE_DASH)
    _across(canvas, frame, value(goal.target), INK, 0.9, TARGET_DASH)
    target = gettext(locale, "Target")
    canvas.text(frame.left + 2, value(goal.target) - 2, target, TICK_SIZE)
    entries = [("pace", gettext(locale, "Expected pace"))]
    if goal.path:
        _series(canvas, [(day(d.toordinal()), None if v is None else value(v)) for d, v in goal.path], 3)
        entries.append(("actual", gettext(locale, "Actual")))
    entries.append(("target", target))
    if goal.projected is not None:
        canvas.diamond(deadline, value(goal.projected), 7, ORANGE, 1.3)
        entries.append(("projected", gettext(locale, "Projected at deadline")))
    _legend(canvas, frame, entries)
    return canvas.svg(gettext(locale, "Pacing chart: %(goal)s") % {"goal": goal.objective}, INK)


def band_width(kpi: KpiResult) -> float | None:
    """Half-width of the baseline band: the sample standard deviation of the trend values before the
    current one; None without a baseline or with fewer than 3 earlier values."""
    return None if kpi.baseline is None else kpi.earlier_spread


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
    deviation of the earlier values, the current period marked. A small multiple, 8 × 4.5 cm."""
    canvas, frame = _canvas(8, 4.5), Frame.of(8, 4.5, left=2.0, bottom=1.15, top=0.5)
    values = [value for _label, value in kpi.trend]
    spread = band_width(kpi)
    reference = [] if kpi.baseline is None else [kpi.baseline - (spread or 0), kpi.baseline + (spread or 0)]
    value = _y_axis(
        canvas, frame, padded([*(v for v in values if v is not None), *reference]), kpi.unit, currency, locale
    )
    period = Scale(-0.5, max(len(values) - 0.5, 0.5), frame.left, frame.right)
    if kpi.baseline is not None:
        if spread is not None:
            top, bottom = value(kpi.baseline + spread), value(kpi.baseline - spread)
            canvas.rect(frame.left, top, frame.right - frame.left, bottom - top, BAND, 0.6)
        _across(canvas, frame, value(kpi.baseline), ORANGE, 1.1, BASELINE_DASH)
    labels = [label for label, _value in kpi.trend]
    _x_axis(
        canvas,
        frame,
        [(period(i), short_label(labels[i])) for i in _tick_positions(len(labels))],
        gettext(locale, "Period"),
    )
    _spines(canvas, frame)
    _series(canvas, [(period(i), None if v is None else value(v)) for i, v in enumerate(values)], 2.5)
    if values and values[-1] is not None:  # the current period: a larger dot
        canvas.dot(period(len(values) - 1), value(values[-1]), 5, BLUE)
    name = gettext(locale, kpi.name)
    canvas.text(frame.left, frame.top - 3, name, TITLE_SIZE, font_weight="bold")
    return canvas.svg(gettext(locale, "Trend chart: %(kpi)s") % {"kpi": name}, INK)
