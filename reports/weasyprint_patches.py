"""Two of a PDF layout's costs that buy nothing, removed only where the library's code is the code verified.

Profiled on the demo report (8 pages, 11 charts, 184 chart labels; CPU, min of 7 in one process):

1. **The HTML parser's regex cache never hits.** tinyhtml5 2.1.0 (WeasyPrint's parser) caches the pattern
   `chars_until` builds for each set of stop characters, but its chained assignment rebinds the set to the
   pattern before storing, so every call misses and builds the pattern again: 25,000 times in one report.
   A cache that builds the same pattern on a miss, under the key looked up, halves parsing: 0.150 s to
   0.068 s.
2. **SVG labels are laid out one character at a time.** WeasyPrint 70 gives each character of a `<text>`
   its own Pango layout so that each could carry its own `x`, `y`, `dx`, `dy` or `rotate`. Ours carry none.
   Laying each label out as one piece, as WeasyPrint's maintainers suggest for this case
   (Kozea/WeasyPrint#2249), takes 1.59 s to 1.51 s and keeps combining accents and ligatures whole. It hands
   WeasyPrint's own `text()` a label that iterates as one piece, so placement, anchors, bounding boxes and
   drawing stay WeasyPrint's code; a label that positions single characters goes through untouched.

Each replacement is made only while the replaced code's source is the one verified (WeasyPrint 70.0,
tinyhtml5 2.1.0); any other release keeps its own code, correct and slower. Nothing here changes what a
report shows: tests/reports/test_weasyprint_patches.py compares the patched output with the original's.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

# The first 16 hex digits of the sha256 of each replaced function's source, as verified
VERIFIED = {
    "svg text": "67a30c3e181b4a80",  # weasyprint.svg.text.text, WeasyPrint 70.0
    "chars_until": "dfe353323dff1fdc",  # tinyhtml5.inputstream.HTMLUnicodeInputStream.chars_until, 2.1.0
}
PER_CHARACTER = ("dx", "dy", "rotate", "letter-spacing", "textLength")


def is_verified(name: str, function: Callable[..., Any]) -> bool:
    """Whether `function`'s source is the one verified under `name` (expectations/gx_patches.py checks GX's
    the same way; reports/ may not import expectations/, so the four lines are not shared)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):  # no source shipped: cannot tell, so leave the library's own
        return False
    return hashlib.sha256(source.encode()).hexdigest()[:16] == VERIFIED[name]


class StopCharacterPatterns(dict[tuple[Any, bool], re.Pattern[str]]):
    """tinyhtml5's cache of `chars_until` patterns, keyed as it looks them up; a miss builds the pattern
    exactly as tinyhtml5 would and keeps it."""

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        ranges = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = self[key] = re.compile(f"[{ranges if opposite else '^' + ranges}]+")
        return pattern


class WholeLabel(str):
    """A string that iterates as itself: WeasyPrint's per-character loop then lays it out in one pass."""

    def __iter__(self) -> Iterator[str]:
        yield str(self)


def laid_out_whole(node: Any) -> bool:
    """A label with one position at most and nothing that moves a single character."""
    if not node.text or any(name in node.attrib for name in PER_CHARACTER):
        return False
    return all(len(node.attrib.get(axis, "").replace(",", " ").split()) <= 1 for axis in ("x", "y"))


def whole_label_text(original: Callable[..., None]) -> Callable[..., None]:
    """WeasyPrint's `text()`, given each simple label as one piece."""

    def text(svg: Any, node: Any, font_size: float) -> None:
        if not laid_out_whole(node):
            return original(svg, node, font_size)
        element = node._etree_node
        plain = element.text
        element.text = WholeLabel(plain)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = plain

    text.original = original  # type: ignore[attr-defined]
    return text


def install_svg_text(drawing: Callable[..., None]) -> Callable[..., None]:
    """Make `drawing` draw every SVG tag the current text function draws; returns the function replaced."""
    from weasyprint import svg

    current = svg.text
    for tag, draw in list(svg.TAGS.items()):
        if draw is current:
            svg.TAGS[tag] = drawing
    svg.text = drawing  # draw_node finds text nodes by comparing TAGS entries with this name
    return current


def _patch_svg_text() -> bool:
    from weasyprint import svg

    if hasattr(svg.text, "original"):
        return True
    if not is_verified("svg text", svg.text):
        return False
    install_svg_text(whole_label_text(svg.text))
    return True


def _patch_parser_cache() -> bool:
    from tinyhtml5 import inputstream

    if isinstance(inputstream.characters_until_regex, StopCharacterPatterns):
        return True
    if not is_verified("chars_until", inputstream.HTMLUnicodeInputStream.chars_until):
        return False
    inputstream.characters_until_regex = StopCharacterPatterns()
    return True


@functools.cache
def apply() -> dict[str, bool]:
    """Make each replacement whose code is the one verified (once per process); which ones are in place."""
    return {"svg text": _patch_svg_text(), "chars_until": _patch_parser_cache()}
