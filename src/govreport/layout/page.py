"""A whole page: its tables (ruled, ruled with horizontal lines only, without rules) and the
paragraphs of running text around them, top to bottom."""

from __future__ import annotations

from .lines import Line, build_lines
from .positional import find_positional_tables
from .primitives import Glyph, Segment, is_wide
from .ruled import find_lattices
from .rules_only import find_rule_tables
from .table import Table
from .settings import LayoutSettings, current, using


class TextBlock:
    """Running text outside tables: one paragraph (one or more lines)."""

    __slots__ = ("lines", "line_no")

    def __init__(self, lines: list[Line], line_no: int) -> None:
        self.lines, self.line_no = lines, line_no

    @property
    def y1(self) -> float:
        return self.lines[0].y1

    @property
    def y0(self) -> float:
        return self.lines[-1].y0

    @property
    def text(self) -> str:
        out = ""
        for ln in self.lines:
            t = ln.text.strip()
            if out and t and not (is_wide(out[-1]) or is_wide(t[0])):
                out += " "
            out += t
        return out

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"TextBlock({self.text!r})"


_ENDS_PARAGRAPH = frozenset("。！？!?：:；;")


def layout_page(
    glyphs: list[Glyph], segments: list[Segment], *, precision: float = 0.0, settings: LayoutSettings | None = None
) -> list[Table | TextBlock]:
    """The blocks of one page, top to bottom: tables and paragraphs.

    ``precision`` is how far, in points, a glyph's measured position may be from where it was set:
    0 for a text layer, which gives positions exactly; about a pixel and a half for text found by
    OCR. Tables without rules are told from the spacing of their lines, to a few tenths of a point
    in a text layer; measured positions widen those tolerances by their precision.

    ``settings`` replaces the engine's tolerances for this page (:class:`.settings.LayoutSettings`).
    """
    with using(settings):
        return _layout(glyphs, segments, precision)


def _layout(glyphs: list[Glyph], segments: list[Segment], precision: float) -> list[Table | TextBlock]:
    tables, free, loose = find_lattices(segments, glyphs)
    if len(loose) >= 2:
        more, free = find_rule_tables(loose, free)
        tables.extend(more)
    lines = build_lines(free)
    # the flow of text between ruled tables: positional tables never reach across a ruled one
    items: list[Table | TextBlock] = list(tables)
    flows: list[list[Line]] = [[]]
    tops = sorted(tables, key=lambda t: -t.y1)
    ti = 0
    for ln in lines:
        crossed = False
        while ti < len(tops) and tops[ti].y1 >= ln.yc:
            ti += 1
            crossed = True
        if crossed and flows[-1]:
            flows.append([])
        flows[-1].append(ln)
    numbers = {id(ln): k + 1 for k, ln in enumerate(lines)}
    for flow in flows:
        used = [False] * len(flow)
        for first, last, table in find_positional_tables(flow, precision):
            items.append(table)
            for k in range(first, last + 1):
                used[k] = True
        rest = [ln for ln, u in zip(flow, used) if not u]
        items.extend(_paragraphs(rest, numbers))
    items.sort(key=lambda b: -b.y1)
    return items


def _paragraphs(lines: list[Line], numbers: dict[int, int]) -> list[TextBlock]:
    """Join wrapped lines into paragraphs: a line filling the text width, followed by an unindented
    line of the same size at the usual spacing, goes on in that line."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out: list[TextBlock] = []
    # the text width the lines span tells wrapped lines only when it is that of a text column (a
    # page holding a few short lines, such as a signature set right, spans only their width)
    s = current()
    for ln in lines:
        if out:
            prev = out[-1].lines[-1]
            size = max(prev.size, ln.size)
            t = prev.text.rstrip()
            if (
                right - left >= s.column_ems * size
                and abs(prev.size - ln.size) <= s.wrap_size_share * size
                and right - prev.x1 <= s.wrap_end_ems * size
                and ln.x0 - left <= s.wrap_indent_ems * size
                and 0 <= prev.y0 - ln.y1 <= s.wrap_gap_ems * size
                and t[-1:] not in _ENDS_PARAGRAPH
                and len(prev.chunks()) == 1
                and len(ln.chunks()) == 1
            ):
                out[-1].lines.append(ln)
                continue
        out.append(TextBlock([ln], numbers.get(id(ln), 0)))
    return out
