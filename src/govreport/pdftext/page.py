"""A text layer's page, from whichever glyph source read it: turned back if printed sideways, laid
out, and counted (shared by :mod:`.miner` and :mod:`.pdfium`, so both give the same pages)."""

from __future__ import annotations

import math
from operator import attrgetter

from ..layout import Glyph, Page, Segment, Table, TextBlock, build_lines, layout_page, turn_page

_TEXT = attrgetter("text")


def turn_of(a: float, b: float) -> int | None:
    """Which of a page's counts a glyph of text matrix column ``a, b`` falls in: 2 slanted (a
    watermark, not content, left out), 4 / 6 running up / down, 5 upside down; None upright."""
    if abs(a) > 0.05 * abs(b) and abs(b) > 0.05 * abs(a):
        return 2
    if abs(b) > abs(a):
        return 4 if b > 0 else 6
    if a < 0:
        return 5
    return None


def counted_upright(a: float, b: float, counts: list[int]) -> bool:
    """Count a glyph by its direction (the first column ``a, b`` of its text matrix) into ``counts``;
    False for slanted text (a watermark, not content), which is left out."""
    way = turn_of(a, b)
    if way is not None:
        counts[way] += 1
    return way != 2


def finish_page(number: int, glyphs: list[Glyph], segments: list[Segment], counts: list[int],
                width: float, height: float, problems: list[str]) -> Page:
    """The :class:`~govreport.layout.Page` of one page's glyphs and rules. ``counts``: undecodable
    glyphs, images, slanted glyphs, glyphs turned 0–3 quarters, then glyphs left out for lying at
    no finite place (which the sources do not hand over: the layout compares and sorts
    coordinates, which an inf or a NaN would make meaningless)."""
    finite = [s for s in segments if math.isfinite(s.pos + s.start + s.end)]
    if len(finite) < len(segments) or counts[7]:
        problems.append(f"page {number}: {counts[7]} characters and {len(segments) - len(finite)} lines at no "
                        "finite place (numbers too large for the page) were left out")
        segments = finite
    quarter = max(range(4), key=lambda q: counts[3 + q] if q else 0)
    if quarter and counts[3 + quarter] > len(glyphs) / 2:
        # a page printed sideways (a landscape table in a portrait document): turn it back
        glyphs, segments, height = turn_page(glyphs, segments, quarter, width, height)
    ink = len(glyphs) - sum(map(str.isspace, map(_TEXT, glyphs)))  # in C: it sees every glyph
    items: list[Table | TextBlock]
    try:
        items = layout_page(glyphs, segments) if ink else []
    except Exception as exc:  # pragma: no cover - a bug, but never lose the document for it
        problems.append(f"page {number}: the layout could not be rebuilt ({type(exc).__name__}: {exc})")
        items = [TextBlock([ln], k + 1) for k, ln in enumerate(build_lines(glyphs))]
    for t in items:
        if isinstance(t, Table):
            t.glyphs.clear()  # a text layer's characters are exact: nothing to trace, keep no copies
    if counts[2]:
        problems.append(f"page {number}: {counts[2]} slanted characters (a watermark?) were left out")
    return Page(number, height, items, ink, counts[0], counts[1])
