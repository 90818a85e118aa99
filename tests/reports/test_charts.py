import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from reports.charts import band_width, expected_start, pacing_chart, short_label, trend_chart
from reports.context import ReportContext

ContextFactory = Callable[..., ReportContext]


@pytest.fixture(scope="module")
def ctx(make_context: ContextFactory) -> ReportContext:
    return make_context()


def _assert_inline_vector_svg(svg: str) -> None:
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<image" not in svg  # vector only: no embedded raster
    assert not re.search(r'href="(?!#)', svg)  # only references into the SVG itself, never http or files
    assert "<metadata" not in svg
    # words stay text, in the one font the install guarantees, so the PDF can be searched
    fonts = set(re.findall(r'font-family="([^"]+)"', svg))
    assert "<text" in svg and fonts == {"'DejaVu Sans'"}
    # presentation attributes, not style="fill: ...": WeasyPrint's HTML cascade warns on every SVG property
    assert " style=" not in svg and 'fill="' in svg and 'stroke="' in svg


def test_charts_on_one_page_need_no_ids(ctx: ReportContext) -> None:
    """Many charts share a page: one with ids (clip paths, glyphs) could clash with the next, which is
    invalid HTML and "Anchor defined twice" in WeasyPrint. These draw without any."""
    svgs = [pacing_chart(goal, ctx.locale, ctx.currency) for goal in ctx.goals]
    svgs += [trend_chart(kpi, ctx.locale, ctx.currency) for kpi in ctx.kpis[:3]]
    for svg in svgs:
        assert ' id="' not in svg and "url(#" not in svg and "href=" not in svg


def test_a_gap_in_the_values_breaks_the_line(ctx: ReportContext) -> None:
    kpi = replace(ctx.kpis[0], trend=[("2026-W44", 1.0), ("2026-W45", 2.0), ("2026-W46", None), ("2026-W47", 3.0)])
    svg = trend_chart(kpi, ctx.locale, ctx.currency)
    blue = re.findall(r'<polyline points="([^"]+)" fill="none" stroke="#0072B2"', svg)
    assert [len(points.split()) for points in blue] == [2]  # W44–W45; W47 stands alone, as a dot
    assert len(re.findall(r'<circle [^>]*fill="#0072B2"', svg)) == 3 + 1  # a dot each, a larger one for W47


def test_pacing_chart_is_inline_vector_svg_titled_by_the_goal(ctx: ReportContext) -> None:
    goal = ctx.goals[0]
    svg = pacing_chart(goal, ctx.locale, ctx.currency)
    _assert_inline_vector_svg(svg)
    assert f"<title>Pacing chart: {goal.objective}</title>" in svg
    assert 'role="img"' in svg


def test_trend_chart_is_inline_vector_svg_titled_by_the_kpi(ctx: ReportContext) -> None:
    kpi = ctx.kpis[0]
    svg = trend_chart(kpi, ctx.locale, ctx.currency)
    _assert_inline_vector_svg(svg)
    assert f"<title>Trend chart: {kpi.name}</title>" in svg


def test_charts_are_deterministic(ctx: ReportContext) -> None:
    assert pacing_chart(ctx.goals[1], ctx.locale, ctx.currency) == pacing_chart(ctx.goals[1], ctx.locale, ctx.currency)
    assert trend_chart(ctx.kpis[5], ctx.locale, ctx.currency) == trend_chart(ctx.kpis[5], ctx.locale, ctx.currency)


def test_charts_differ_with_their_data(ctx: ReportContext) -> None:
    kpi = ctx.kpis[0]
    moved = replace(kpi, trend=[*kpi.trend[:-1], (kpi.trend[-1][0], 1.0)])
    assert trend_chart(kpi, ctx.locale, ctx.currency) != trend_chart(moved, ctx.locale, ctx.currency)


def test_chart_titles_are_escaped(ctx: ReportContext) -> None:
    goal = replace(ctx.goals[0], objective='<script>alert(1)</script> & "x"')
    svg = pacing_chart(goal, ctx.locale, ctx.currency)
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in svg


def test_charts_survive_missing_data(ctx: ReportContext) -> None:
    empty_goal = replace(ctx.goals[0], path=[], projected=None)
    _assert_inline_vector_svg(pacing_chart(empty_goal, "es_ES", "EUR"))
    gaps = replace(ctx.kpis[0], trend=[("2026-W46", None), ("2026-W47", None)], baseline=None)
    _assert_inline_vector_svg(trend_chart(gaps, ctx.locale, ctx.currency))
    _assert_inline_vector_svg(trend_chart(replace(ctx.kpis[0], trend=[]), ctx.locale, ctx.currency))


def test_band_is_one_standard_deviation_of_the_earlier_values(ctx: ReportContext) -> None:
    kpi = replace(ctx.kpis[0], trend=[("a", 1.0), ("b", None), ("c", 3.0), ("d", 5.0), ("e", 100.0)])
    assert band_width(kpi) == pytest.approx(2.0)  # stdev of 1, 3, 5; the current 100 and the gap left out
    assert band_width(replace(kpi, baseline=None)) is None
    assert band_width(replace(kpi, trend=[("a", 1.0), ("b", 3.0), ("c", 100.0)])) is None


def test_expected_path_starts_at_zero_or_the_baseline(ctx: ReportContext) -> None:
    cumulative, rate = ctx.goals
    assert expected_start(cumulative) == 0.0
    assert expected_start(rate) == rate.baseline
    assert expected_start(replace(rate, baseline=None)) == rate.target


def test_short_period_labels() -> None:
    assert short_label("2026-W47") == "W47\n2026"
    assert short_label("2026-Q4") == "Q4\n2026"
    assert short_label("Nov") == "Nov"
