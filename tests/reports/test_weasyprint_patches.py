"""The layout patches change how fast a report is laid out, never what it shows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

import pypdf
import pytest
import tinyhtml5
import weasyprint
from tinyhtml5 import inputstream
from weasyprint import svg

from reports import weasyprint_patches
from reports.render import render_html, render_pdf
from tests.reports.conftest import ContextFactory

LABELS = [("start", "Oct 1"), ("middle", "Expected pace"), ("end", "$200,000"), ("middle", "Café"), ("end", "Win %")]


@pytest.fixture(scope="module", autouse=True)
def patched() -> dict[str, bool]:
    return weasyprint_patches.apply()


@contextmanager
def svg_text_drawn_by(drawing: Any) -> Iterator[None]:
    """`drawing` draws SVG text for the duration, then the function it replaced again."""
    replaced = weasyprint_patches.install_svg_text(drawing)
    try:
        yield
    finally:
        weasyprint_patches.install_svg_text(replaced)


def weasyprint_own_svg_text() -> Any:
    """WeasyPrint's original text() for the duration, then the replacement back."""
    return svg_text_drawn_by(svg.text.original)


def chart_page(labels: list[tuple[str, str]], extra: str = "") -> str:
    texts = "".join(
        f'<text x="150" y="{20 + 16 * i}" font-size="9" text-anchor="{anchor}">{words}</text>'
        for i, (anchor, words) in enumerate(labels)
    )
    return f'<html><body><svg width="300" height="120" viewBox="0 0 300 120">{texts}{extra}</svg></body></html>'


def text_shows(pdf: bytes) -> list[tuple[float, float]]:
    """Where each text-showing operator of the page draws (the PDF's own coordinates, before any group's shift)."""
    shows: list[tuple[float, float]] = []

    def before(operator: bytes, _: Any, cm: list[float], tm: list[float]) -> None:
        if operator in (b"TJ", b"Tj"):
            shows.append((round(cm[4] + tm[4] * cm[0], 2), round(cm[5] + tm[5] * cm[3], 2)))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_operand_before=before)
    return shows


@contextmanager
def label_boxes() -> Iterator[list[tuple[str, tuple[float, ...]]]]:
    """Each label drawn meanwhile, with the box WeasyPrint works out for it (what text-anchor shifts by)."""
    boxes: list[tuple[str, tuple[float, ...]]] = []
    drawing = svg.text

    def recording(image: Any, node: Any, font_size: float) -> None:
        drawing(image, node, font_size)
        boxes.append((node.text, tuple(node.text_bounding_box)))

    with svg_text_drawn_by(recording):
        yield boxes


def test_each_replacement_is_made_exactly_when_the_code_is_the_verified_one(patched: dict[str, bool]) -> None:
    assert set(patched) == set(weasyprint_patches.VERIFIED)
    if weasyprint.__version__ == "70.0":
        assert patched["svg text"]
        assert all(svg.TAGS[tag] is svg.text for tag in ("text", "tspan", "textPath", "a"))
        assert weasyprint_patches.is_verified("svg text", svg.text.original)
    if version("tinyhtml5") == "2.1.0":
        assert patched["chars_until"]


def test_code_without_its_source_or_with_other_source_is_not_verified() -> None:
    assert not weasyprint_patches.is_verified("svg text", len)  # a builtin: no Python source to read
    assert not weasyprint_patches.is_verified("svg text", chart_page)


@pytest.mark.parametrize(
    ("characters", "opposite"),
    [(("&", "<", "\u0000"), False), (frozenset(" \t\n\f\r"), True), (">", False), (("'", "&", "\u0000"), False)],
)
def test_the_parser_cache_keeps_what_it_builds_and_builds_tinyhtml5s_own_pattern(
    characters: Any, opposite: bool
) -> None:
    cache = inputstream.characters_until_regex
    assert isinstance(cache, weasyprint_patches.StopCharacterPatterns)
    tinyhtml5s = {}
    inputstream.characters_until_regex = tinyhtml5s  # tinyhtml5's own code, on a cache of its own
    try:
        stream = inputstream.HTMLUnicodeInputStream("ab<&'>\u0000 cd")
        stream.chars_until(characters, opposite)
    finally:
        inputstream.characters_until_regex = cache
    (own,) = tinyhtml5s.values()
    # A fresh cache, so the pattern is built from this very object: an equal frozenset built elsewhere may
    # iterate in another order (string hashes differ per process), which reorders the class, not its meaning.
    ours = weasyprint_patches.StopCharacterPatterns()
    assert ours[(characters, opposite)].pattern == own.pattern
    assert ours[(characters, opposite)] is ours[(characters, opposite)]  # the second look-up hits
    texts = ("ab<&'>\u0000 cd", " \t\n\f\rx", ">>a", "'&b", "plain")
    shared = cache[(characters, opposite)]  # whichever equal key built it, it stops where tinyhtml5's does
    assert [shared.findall(text) for text in texts] == [own.findall(text) for text in texts]


def test_the_report_parses_to_the_same_tree_with_the_cache(make_context: ContextFactory) -> None:
    html = render_html(make_context())
    cache = inputstream.characters_until_regex
    inputstream.characters_until_regex = {}
    try:
        own = tinyhtml5.parse(html)
    finally:
        inputstream.characters_until_regex = cache
    ours = tinyhtml5.parse(html)
    assert [(e.tag, e.attrib, e.text, e.tail) for e in ours.iter()] == [
        (e.tag, e.attrib, e.text, e.tail) for e in own.iter()
    ]
    assert len(cache) >= 5  # the tokenizer's stop sets, each built once


def test_a_simple_label_is_drawn_once_in_the_box_weasyprint_gives_its_letters() -> None:
    html = chart_page(LABELS)
    with weasyprint_own_svg_text(), label_boxes() as own_boxes:
        own = render_pdf(html)
    with label_boxes() as our_boxes:
        ours = render_pdf(html)
    assert len(text_shows(ours)) == len(LABELS)  # one text-showing operator a label
    assert len(text_shows(own)) > 3 * len(LABELS)  # the original shows letter by letter
    assert [text for text, _ in our_boxes] == [text for text, _ in own_boxes] == [words for _, words in LABELS]
    for (_, own_box), (_, our_box) in zip(own_boxes, our_boxes, strict=True):
        # x and width place the anchor: kerning moves them by less than half a point; y and height not at all
        assert our_box == pytest.approx(own_box, abs=0.5)


@pytest.mark.parametrize(
    "attributes", ['x="10 30 50"', 'x="10" dx="0 4 4"', 'x="10" rotate="0 10 20"', 'x="10" letter-spacing="3"']
)
def test_a_label_that_places_single_characters_keeps_weasyprints_own_layout(attributes: str) -> None:
    html = chart_page([], extra=f'<text y="60" font-size="9" {attributes}>abc</text>')
    with weasyprint_own_svg_text(), label_boxes() as own_boxes:
        own = render_pdf(html)
    with label_boxes() as our_boxes:
        ours = render_pdf(html)
    assert len(text_shows(ours)) == 3
    assert text_shows(ours) == text_shows(own)
    assert our_boxes == own_boxes


def test_a_whole_report_reads_the_same_with_labels_laid_out_whole(make_context: ContextFactory) -> None:
    html = render_html(make_context())
    with weasyprint_own_svg_text():
        own = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    ours = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    assert len(ours.pages) == len(own.pages)
    assert [page.extract_text() for page in ours.pages] == [page.extract_text() for page in own.pages]


def test_only_labels_without_per_character_positions_are_laid_out_whole() -> None:
    def node(text: str, **attrib: str) -> bool:
        return weasyprint_patches.laid_out_whole(type("Node", (), {"text": text, "attrib": attrib})())

    assert node("Oct 1", x="10", y="20")
    assert node("Target")  # placed where the previous text ended
    assert not node("")
    assert not node("abc", x="10 20 30")
    assert not node("abc", x="10,20")
    for name in weasyprint_patches.PER_CHARACTER:
        assert not node("abc", **{"x": "1", name: "2"})
