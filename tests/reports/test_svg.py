from datetime import date

import pytest

from salespulse.reports.svg import Canvas, Scale, date_ticks, nice_ticks, num, padded


def test_numbers_are_short_and_never_negative_zero() -> None:
    assert [num(v) for v in (12.5, 3.0, -0.25, -0.001, 1 / 3)] == ["12.5", "3", "-0.25", "0", "0.33"]


def test_a_scale_maps_the_ends_and_flips_for_y() -> None:
    y = Scale(0, 100, 140, 20)  # y grows downward: 0 at the bottom
    assert (y(0), y(100), y(50)) == (140, 20, 80)
    assert Scale(5, 5, 0, 10)(5) == 0  # an empty range does not divide by zero


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (0, 274_000, [0, 100_000, 200_000]),
        (0.8, 0.93, [0.8, 0.85, 0.9]),
        (-13.7, 5, [-10, -5, 0, 5]),
        (0.5, 8.4, [2, 4, 6, 8]),
    ],
)
def test_nice_ticks_are_round_and_inside(lo: float, hi: float, ticks: list[float]) -> None:
    assert nice_ticks(lo, hi) == pytest.approx(ticks)


def test_padding_adds_five_percent_and_centres_a_flat_line() -> None:
    assert padded([0, 100]) == (-5, 105)
    assert padded([50, 50]) == (47.5, 52.5)
    assert padded([0, 0]) == (-1, 1)
    assert padded([]) == (0, 1)


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        # a quarter: month starts (the padded range reaches Jan 1)
        (date(2026, 9, 28), date(2027, 1, 3), [date(2026, m, 1) for m in (10, 11, 12)] + [date(2027, 1, 1)]),
        # sixteen months: every third month
        (
            date(2026, 6, 16),
            date(2027, 11, 15),
            [date(2026, 7, 1), date(2026, 10, 1)] + [date(2027, m, 1) for m in (1, 4, 7, 10)],
        ),
        # a month: weeks from the 1st
        (date(2026, 11, 1), date(2026, 11, 30), [date(2026, 11, d) for d in (1, 8, 15, 22)]),
        # a decade: every other year
        (date(2020, 1, 1), date(2030, 1, 1), [date(y, 1, 1) for y in range(2020, 2031, 2)]),
    ],
)
def test_date_ticks_pick_the_coarsest_calendar_unit_that_fits(lo: date, hi: date, ticks: list[date]) -> None:
    assert date_ticks(lo, hi) == ticks


def test_canvas_escapes_words_and_skips_a_line_of_one_point() -> None:
    canvas = Canvas(100, 50)
    canvas.text(1, 2, "<b>&", 6)
    canvas.line([(0, 0)], "#000", 1)
    svg = canvas.svg('A "quoted" <title>', "#111")
    assert "&lt;b&gt;&amp;</text>" in svg and "<polyline" not in svg
    assert 'aria-label="A &quot;quoted&quot; &lt;title&gt;"' in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'viewBox="0 0 100 50"' in svg


def test_words_are_drawn_over_every_shape_and_a_halo_goes_behind_its_words() -> None:
    canvas = Canvas(100, 50)
    canvas.text(10, 20, "first", 6)
    canvas.line([(0, 20), (100, 20)], "#000", 1)
    canvas.text(50, 20, "mid", 10, "middle", halo="#ffffff")
    svg = canvas.svg("t", "#111")
    assert svg.index("<polyline") < svg.index(">first</text>") < svg.index("<rect") < svg.index(">mid</text>")
    # the box is centred on the words, one point wider than their (generous) width on each side
    assert '<rect x="39.7" y="11" width="20.6" height="11.5" fill="#ffffff"/>' in svg
