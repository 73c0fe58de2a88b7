"""Text lines from glyphs: glyphs sharing a baseline make a line, a wide gap cuts it into chunks
(text in separate columns), and the text of glyphs joins Chinese without spaces, Latin with them."""

from __future__ import annotations

from operator import attrgetter, itemgetter
from typing import Iterable

from .primitives import Glyph, is_wide
from .settings import current


class _Joined:
    """Glyphs of one line whose text is joined when first asked for (most chunks, a line of prose
    being one, are only counted), with the settings of the page they were laid out on."""

    __slots__ = ("glyphs", "_text", "_space")

    def __init__(self, glyphs: list[Glyph]) -> None:
        self.glyphs = glyphs
        self._text: str | None = None
        self._space = current().space_gap_ems

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = join_glyphs(self.glyphs, self._space)
        return self._text


class Line(_Joined):
    """A row of glyphs sharing a baseline, left to right."""

    __slots__ = ("x0", "x1", "y0", "y1", "size", "_chunks")

    def __init__(self, glyphs: list[Glyph]) -> None:
        glyphs.sort(key=_X0)
        super().__init__(_dedupe(glyphs))
        ink = [g for g in self.glyphs if not g.text.isspace()] or self.glyphs
        self.x0 = ink[0].x0  # sorted by it
        self.x1 = max([g.x1 for g in ink])
        self.y0 = min([g.y0 for g in ink])
        self.y1 = max([g.y1 for g in ink])
        sizes = sorted([g.size for g in ink])
        self.size = sizes[len(sizes) // 2] or 1.0
        self._chunks: list[Chunk] | None = None

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    def chunks(self) -> list["Chunk"]:
        """The line cut where the gap between glyphs exceeds one em (text in separate columns)."""
        if self._chunks is None:
            out: list[Chunk] = []
            cur: list[Glyph] = []
            last: Glyph | None = None
            gap = current().chunk_gap_ems
            for g in self.glyphs:
                if g.text.isspace():
                    cur.append(g)
                    continue
                if last is not None:
                    em = last.size if last.size > g.size else g.size  # max(.., 1.0), spelt out
                    if g.x0 - last.x1 > (em if em > 1.0 else 1.0) * gap:
                        out.append(Chunk(cur))
                        cur = []
                cur.append(g)
                last = g
            if any(not g.text.isspace() for g in cur):
                out.append(Chunk(cur))
            self._chunks = out
        return self._chunks

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Line({self.text!r} @{self.x0:.1f},{self.y0:.1f})"


_X0 = attrgetter("x0")


class Chunk(_Joined):
    """A run of glyphs within a line, with no wide gap inside."""

    __slots__ = ("x0", "x1")

    def __init__(self, glyphs: list[Glyph]) -> None:
        super().__init__(glyphs)
        ink = [g for g in glyphs if not g.text.isspace()]
        self.x0 = ink[0].x0
        self.x1 = max(g.x1 for g in ink)


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop glyphs printed twice at (almost) the same place: fake bold, shadows."""
    out: list[Glyph] = []
    share = current().duplicate_share
    for g in glyphs:
        if out:
            p = out[-1]
            if p.text == g.text and abs(p.x0 - g.x0) < share * (p.x1 - p.x0 if p.x1 - p.x0 > 1.0 else 1.0) \
                    and abs(p.y0 - g.y0) < share * p.size:
                continue
        out.append(g)
    return out


def join_glyphs(glyphs: Iterable[Glyph], space: float | None = None) -> str:
    """Text of glyphs on one line. A space is kept where one is printed, or where a gap separates
    two Latin characters (wider than ``space`` ems: by default the current settings'
    ``space_gap_ems``); Chinese characters (and digits next to them) are joined without one."""
    out: list[str] = []
    prev: Glyph | None = None
    spaced = False
    if space is None:
        space = current().space_gap_ems
    for g in glyphs:
        if g.text.isspace():
            spaced = prev is not None
            continue
        if prev is not None:
            gap = g.x0 - prev.x1
            size = prev.size if prev.size > g.size else g.size  # max(), spelt out: every glyph
            if spaced or (gap > space * size and not (is_wide(prev.text[-1:]) or is_wide(g.text[:1]))):
                out.append(" ")
        out.append(g.text)
        prev = g
        spaced = False
    return "".join(out)


def build_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Group glyphs into lines, top to bottom."""
    lines = [Line(grp) for grp in _rows(glyphs) if any(not g.text.isspace() for g in grp)]
    lines.sort(key=lambda ln: (-ln.y1, ln.x0))
    return lines


def _rows(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """The glyphs of each line, in order of their centres, top to bottom."""
    gs = list(glyphs)
    if gs:
        # glyphs of one font and size on one baseline (a number, a one-line label) are one line,
        # in their order, as the sort on equal centres below would leave them
        y0, y1 = gs[0].y0, gs[0].y1
        centre = (y0 + y1) / 2
        for g in gs:
            if g.y0 != y0 or g.y1 != y1:
                break
        else:
            if centre - centre == 0:  # finite: an infinite or NaN centre is no line's (see below)
                return [gs]
    # every glyph's centre once, for the sort and the grouping; a descending sort keeps equal
    # centres in their order, as the ascending sort on -yc did
    ycs = [(g.y0 + g.y1) / 2 for g in gs]
    groups: list[list[Glyph]] = []
    cur: list[Glyph] | None = None
    cur_y = cur_h = 0.0
    same = current().same_line_share
    for i in sorted(range(len(gs)), key=ycs.__getitem__, reverse=True):
        g = gs[i]
        yc = ycs[i]
        h = g.y1 - g.y0
        if h < 0.1:  # max(h, 0.1) and min(cur_h, h) below, spelt out: this loop sees every glyph
            h = 0.1
        if cur is not None and abs(cur_y - yc) <= same * (h if h < cur_h else cur_h):
            cur.append(g)
            continue
        cur = [g]
        groups.append(cur)
        cur_y, cur_h = yc, h
    return groups


def cell_text(glyphs: list[Glyph]) -> str:
    if not glyphs:
        return ""
    if len(glyphs) == 1:  # a lone digit or mark, as many cells hold: its line is itself
        return glyphs[0].text.strip()
    # each line's text as its Line would give it, in the order of build_lines, from only the
    # measures it sorts lines by, and none for one line, as most cells hold (a line of spaces
    # only, which build_lines leaves out, joins to "")
    rows = _rows(glyphs)
    placed: list[tuple[float, float, str]] = []
    for row in rows:
        row.sort(key=_X0)
        kept = _dedupe(row)
        if len(rows) == 1:
            return join_glyphs(kept).strip()
        ink = [g for g in kept if not g.text.isspace()]
        if ink:
            placed.append((-max([g.y1 for g in ink]), ink[0].x0, join_glyphs(kept)))
    placed.sort(key=_PLACE)
    return "\n".join(t for t in (text.strip() for _, _, text in placed) if t)


_PLACE = itemgetter(0, 1)


def cell_pieces(line: Line) -> list[Chunk]:
    """A line of a table cut where the gap between glyphs could part two cells."""
    out: list[Chunk] = []
    cur: list[Glyph] = []
    gap = current().cell_gap_ems
    for g in line.glyphs:
        if g.text.isspace():
            continue
        if cur:
            last = cur[-1]
            em = last.size  # max(last.size, g.size, 1.0), spelt out as max() goes: every glyph
            if g.size > em:
                em = g.size
            if 1.0 > em:
                em = 1.0
            if g.x0 - last.x1 > gap * em:
                out.append(Chunk(cur))
                cur = []
        cur.append(g)
    if cur:
        out.append(Chunk(cur))
    return out


_OPENERS, _CLOSERS = "（(【[《“‘", "）)】]》”’"


_GOES_ON = frozenset("，、（(【[《“‘—-")


def is_open(lines: list[str]) -> bool:
    """Whether a cell's text so far cannot end here: an unclosed bracket, a trailing comma."""
    text = "".join(lines)
    if text[-1:] in _GOES_ON:
        return True
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
    return depth > 0
