import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from salespulse.reports.charts import band_width, date_labels, expected_start, pacing_chart, short_label, trend_chart
from salespulse.reports.context import ReportContext

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


# "Charts that read" (a sales manager's review): each point checked on the SVG itself.


def _texts(svg: str) -> list[tuple[float, float, float, str]]:
    """(x, y, font size, words) of every text element, in drawing order."""
    found = re.findall(r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    return [(float(x), float(y), float(size), words) for x, y, size, words in found]


def _lowest_y_tick(svg: str) -> str:
    """The words of the lowest value-axis label: the right-anchored ones at the left, lowest on the page."""
    labels = re.findall(r'<text x="[-\d.]+" y="([-\d.]+)" font-size="[\d.]+" text-anchor="end">([^<]*)</text>', svg)
    return max(labels, key=lambda label: float(label[0]))[1]


def _view_width(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))


def test_a_weekly_axis_across_new_year_shows_the_year_on_every_label(ctx: ReportContext) -> None:
    weeks = ["2025-W50", "2025-W51", "2025-W52", "2026-W01", "2026-W02", "2026-W03"]
    kpi = replace(ctx.kpis[0], trend=[(week, 100.0 + i) for i, week in enumerate(weeks)])
    words = [t[3] for t in _texts(trend_chart(kpi, ctx.locale, ctx.currency))]
    assert [w for w in words if re.fullmatch(r"W\d\d|\d{4}", w)] == [
        "W50",
        "2025",
        "W51",
        "2025",
        "W52",
        "2025",
        "W01",
        "2026",
        "W02",
        "2026",
        "W03",
        "2026",
    ]


def test_a_monthly_axis_names_its_months_and_their_years(ctx: ReportContext) -> None:
    months = ["2025-11", "2025-12", "2026-01", "2026-02"]
    kpi = replace(ctx.kpis[0], trend=[(month, 100.0 + i) for i, month in enumerate(months)])
    words = [t[3] for t in _texts(trend_chart(kpi, ctx.locale, ctx.currency))]
    assert "Nov" in words and "Jan" in words and "2025" in words and "2026" in words
    assert not [w for w in words if re.fullmatch(r"\d{4}-\d\d|\d\d", w)]  # never "2026-01" nor "01"
    spanish = [t[3] for t in _texts(trend_chart(kpi, "es_ES", "EUR"))]
    assert "nov" in spanish and "ene" in spanish
    assert short_label("2025-11") == "Nov\n2025" and short_label("2026-01", "es_ES") == "ene\n2026"


def test_the_pacing_axis_shows_the_year_where_it_changes(ctx: ReportContext) -> None:
    goal = ctx.goals[0]  # Oct 1 – Dec 31, 2026: the padded axis reaches Jan 1, 2027
    assert (goal.start.year, goal.deadline.year) == (2026, 2026)
    words = [t[3] for t in _texts(pacing_chart(goal, ctx.locale, ctx.currency))]
    assert words.count("2026") == 1 and words.count("2027") == 1  # under the first month and under January
    assert words.index("Oct") < words.index("2026") < words.index("Nov") < words.index("Jan") < words.index("2027")
    assert date_labels([date(2026, 12, 1), date(2027, 1, 1)], "en_US") == ["Dec\n2026", "Jan\n2027"]
    assert date_labels([date(2026, 11, 1), date(2026, 11, 8)], "en_US") == ["Nov 1\n2026", "Nov 8"]
    assert date_labels([date(2026, 1, 1), date(2028, 1, 1)], "en_US") == ["2026", "2028"]


def test_a_count_axis_starts_from_zero(ctx: ReportContext) -> None:
    count = next(k for k in ctx.kpis if k.unit == "count")
    assert min(v for _label, v in count.trend if v is not None) > 20  # far from zero: padding alone would not
    assert _lowest_y_tick(trend_chart(count, ctx.locale, ctx.currency)) == "0"
    # ...and stays there with a band that reaches under zero, on whole numbers only
    low = replace(count, trend=[("2026-W44", 0.0), ("2026-W45", 3.0), ("2026-W46", 0.0), ("2026-W47", 1.0)])
    svg = trend_chart(replace(low, baseline=1.0), ctx.locale, ctx.currency)
    ticks = [words for _y, words in re.findall(r'y="([-\d.]+)" font-size="[\d.]+" text-anchor="end">([^<]*)<', svg)]
    assert _lowest_y_tick(svg) == "0" and len(ticks) == len(set(ticks))
    money = ctx.kpis[0]  # any other unit keeps its padded range
    assert money.unit == "currency" and _lowest_y_tick(trend_chart(money, ctx.locale, ctx.currency)) != "0"


def test_words_are_drawn_after_every_line_and_labels_in_the_plot_have_a_halo(ctx: ReportContext) -> None:
    for svg in [pacing_chart(goal, ctx.locale, ctx.currency) for goal in ctx.goals] + [
        trend_chart(kpi, ctx.locale, ctx.currency) for kpi in ctx.kpis[:3]
    ]:
        last_shape = max(svg.rfind("<polyline"), svg.rfind("<circle"), svg.rfind("<polygon"))
        assert last_shape < svg.find("<text")  # no grid, data or reference line over any word
    svg = pacing_chart(ctx.goals[0], ctx.locale, ctx.currency)
    target = re.search(r'(<rect [^>]*fill="#ffffff"/>)<text [^>]*>Target</text>', svg)
    assert target is not None  # the target line's name sits on a white box, in front of the lines


def test_a_single_value_is_drawn_and_labelled(ctx: ReportContext) -> None:
    count = next(k for k in ctx.kpis if k.unit == "count")
    labels = [label for label, _value in count.trend]
    for where in (5, len(labels) - 1):
        trend = [(label, 17.0 if i == where else None) for i, label in enumerate(labels)]
        svg = trend_chart(replace(count, trend=trend, baseline=None), ctx.locale, ctx.currency)
        assert not re.findall(r'<polyline [^>]*stroke="#0072B2"', svg)  # no line: one value
        assert re.findall(r'<circle [^>]*r="2.5" fill="#0072B2"', svg)  # the point, as large as the current one
        assert re.search(r'<rect [^>]*fill="#ffffff"/><text [^>]*font-weight="bold">17</text>', svg)
    goal = replace(ctx.goals[0], path=[(ctx.goals[0].start, 250_000.0)])
    assert ">$250,000</text>" in pacing_chart(goal, ctx.locale, ctx.currency)


@pytest.mark.parametrize("locale", ["en_US", "es_ES"])
def test_pacing_chart_words_stay_nine_pixels_on_a_phone(ctx: ReportContext, locale: str) -> None:
    """The SVG scales with its column: its words are font-size × (shown width / viewBox width). At 390 px,
    the whole phone screen, at least 9 px; at about 340 px, the goal box's width there, still about 9."""
    for goal in ctx.goals:
        svg = pacing_chart(goal, locale, "EUR")
        sizes = [size for _x, _y, size, _words in _texts(svg)]
        smallest = min(sizes) / _view_width(svg)
        assert smallest * 390 >= 9.5 and smallest * 340 >= 8.9
        assert all(x >= 0 for x, _y, _size, _words in _texts(svg))


def _y_tick_labels(svg: str) -> list[str]:
    """The value axis's labels, lowest first: the right-anchored texts that share the axis's x."""
    found = re.findall(r'<text x="([-\d.]+)" y="([-\d.]+)" font-size="[\d.]+" text-anchor="end">([^<]*)</text>', svg)
    axis_x = min(float(x) for x, _y, _words in found)
    return [words for x, y, words in sorted(found, key=lambda t: -float(t[1])) if float(x) == axis_x]


def test_a_money_axis_has_one_format(ctx: ReportContext) -> None:
    """ "$500" beside "$1,000", never "$500.00"; an axis whose steps have cents keeps them on every label."""
    revenue = ctx.kpis[0]
    # 0 … 1,200 padded by 5%: −60 … 1,260, four bins of 330 → a step of 500
    whole = [("2026-W44", 0.0), ("2026-W45", 400.0), ("2026-W46", 800.0), ("2026-W47", 1_200.0)]
    svg = trend_chart(replace(revenue, trend=whole, baseline=None), ctx.locale, ctx.currency)
    assert _y_tick_labels(svg) == ["0", "$500", "$1,000"]
    # 0 … 0.60 padded: −0.03 … 0.63, four bins of 0.165 → a step of 0.20
    cents = [("2026-W45", 0.0), ("2026-W46", 0.3), ("2026-W47", 0.6)]
    svg = trend_chart(replace(revenue, trend=cents, baseline=None), ctx.locale, ctx.currency)
    assert _y_tick_labels(svg) == ["0", "$0.20", "$0.40", "$0.60"]
    # a goal of $1,500: 0 … 1,500 padded to −75 … 1,575, bins of 412.5 → a step of 500
    goal = replace(ctx.goals[0], target=1_500.0, expected_by_now=900.0, projected=None, path=[])
    assert _y_tick_labels(pacing_chart(goal, "es_ES", "EUR")) == ["0", "500\xa0€", "1.000\xa0€", "1.500\xa0€"]
