"""A small SVG drawing surface for the report's charts: data scales, "nice" axis ticks and a handful of
shapes, written as compact inline SVG that WeasyPrint draws quickly.

Why not a plotting library: matplotlib is slow to draw a report's charts, and its SVG (ten nodes and
attributes for every tick, a group per artist) is slow for WeasyPrint to lay out; these charts are lines,
dots and labels, and this writes them with a few elements each. Pure: no I/O,
and the same calls give the same bytes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

PT_PER_CM = 72 / 2.54
FONT = "'DejaVu Sans'"
# DejaVu Sans's advance is about 0.55–0.64 em for letters and digits: this errs wide, so that labels
# placed by it (the legend) never overlap.
EM_PER_CHAR = 0.62


def num(value: float) -> str:
    """A coordinate with two decimals and no trailing zeros: "12.5", "3", "-0.25"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def text_width(text: str, size: float) -> float:
    return len(text) * size * EM_PER_CHAR


@dataclass(frozen=True)
class Scale:
    """Data values → page coordinates along one axis, `lo` at `start` and `hi` at `end` (end < start for y,
    which grows downward on the page)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo or 1.0
        return self.start + (value - self.lo) / span * (self.end - self.start)


def padded(values: Iterable[float], margin: float = 0.05) -> tuple[float, float]:
    """The data range with `margin` of its span added at both ends; a single value gets ±5% of itself (or ±1
    for zero), as matplotlib's autoscale does, so a flat line sits mid-chart."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    lo, hi = min(finite), max(finite)
    if lo == hi:
        pad = abs(lo) * 0.05 or 1.0
        return lo - pad, hi + pad
    span = hi - lo
    return lo - span * margin, hi + span * margin


def nice_ticks(lo: float, hi: float, bins: int = 4) -> list[float]:
    """At most `bins` + 1 round values inside [lo, hi]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    raw = (hi - lo) / bins
    if raw <= 0 or not math.isfinite(raw):
        return [lo]
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    first = math.ceil(lo / step - 1e-9)
    ticks = [round(k * step, 10) for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    return [0.0 if t == 0 else t for t in ticks]


def _months(lo: date, hi: date, every: int) -> list[date]:
    ticks, year, month = [], lo.year, lo.month
    while (day := date(year, month, 1)) <= hi:
        if day >= lo and (month - 1) % every == 0:
            ticks.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


def _days(lo: date, hi: date, every: int) -> list[date]:
    days = (lo + timedelta(days=i) for i in range((hi - lo).days + 1))
    return [day for day in days if (day.day - 1) % every == 0 and day.day + every <= 32]


def date_ticks(lo: date, hi: date, most: int = 6, fewest: int = 3) -> list[date]:
    """Calendar ticks between lo and hi, as matplotlib's AutoDateLocator picks them: the coarsest unit (years,
    then months, then days) whose finest interval that gives at most `most` ticks gives at least `fewest`."""
    units: list[list[Callable[[], list[date]]]] = [
        [lambda every=every: [d for d in _months(lo, hi, 12) if d.year % every == 0] for every in (1, 2, 5, 10)],
        [lambda every=every: _months(lo, hi, every) for every in (1, 2, 3, 4, 6)],
        [lambda every=every: _days(lo, hi, every) for every in (1, 2, 3, 7, 14)],
    ]
    found: list[date] = [lo]
    for intervals in units:
        found = next((ticks for make in intervals if len(ticks := make()) <= most), found)
        if len(found) >= fewest:
            break
    return found


@dataclass
class Canvas:
    """An SVG of `width` × `height` points, built up one shape at a time. Words go on a layer of their own,
    drawn after every line, dot and band whatever the order of the calls, so no line strikes a label through;
    a label inside the plot can also have a white `halo` behind it, which hides the lines that pass under it."""

    width: float
    height: float
    shapes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def line(self, points: Sequence[tuple[float, float]], colour: str, width: float, dash: str = "") -> None:
        if len(points) < 2:
            return
        coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.shapes.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{num(width)}"{dashes}/>'
        )

    def dot(self, x: float, y: float, diameter: float, colour: str) -> None:
        self.shapes.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(diameter / 2)}" fill="{colour}"/>')

    def diamond(self, x: float, y: float, size: float, colour: str, width: float) -> None:
        r = size / 2
        corners = ((x, y - r), (x + r, y), (x, y + r), (x - r, y))
        points = " ".join(f"{num(px)},{num(py)}" for px, py in corners)
        self.shapes.append(f'<polygon points="{points}" fill="#ffffff" stroke="{colour}" stroke-width="{num(width)}"/>')

    def rect(self, x: float, y: float, width: float, height: float, colour: str, opacity: float = 1.0) -> None:
        alpha = f' fill-opacity="{num(opacity)}"' if opacity < 1 else ""
        self.shapes.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}" fill="{colour}"{alpha}/>'
        )

    def text(
        self, x: float, y: float, words: str, size: float, anchor: str = "start", halo: str = "", **extra: str
    ) -> None:
        """`words` at baseline (x, y), above every shape; `halo`, a colour, fills a box behind them first (not
        with a transform). `extra` attributes such as font_weight="bold", transform="…"."""
        if halo:
            width = text_width(words, size) + 2
            left = {"start": x - 1, "middle": x - width / 2, "end": x - width + 1}[anchor]
            self.words.append(
                f'<rect x="{num(left)}" y="{num(y - size * 0.9)}" width="{num(width)}" height="{num(size * 1.15)}" '
                f'fill="{halo}"/>'
            )
        attributes = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in extra.items())
        anchored = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.words.append(
            f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{anchored}{attributes}>{html.escape(words)}</text>'
        )

    def svg(self, title: str, ink: str) -> str:
        """The chart as inline SVG: sized in points, titled for screen readers, one font for all its words."""
        label = html.escape(title, quote=True)
        size = f'width="{num(self.width)}pt" height="{num(self.height)}pt"'
        body = "".join(self.shapes) + "".join(self.words)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" {size} '
            f'viewBox="0 0 {num(self.width)} {num(self.height)}" font-family="{FONT}" fill="{ink}" '
            f'stroke-linejoin="round" stroke-linecap="butt"><title>{label}</title>{body}</svg>'
        )
