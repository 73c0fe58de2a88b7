"""What a page is made of, for the layout engine: glyphs (characters with their boxes) and
straight ruling segments, in PDF user space (y grows upwards), and small helpers over them."""

from __future__ import annotations

import re
from typing import Sequence
from .settings import current


class Glyph:
    """One character as drawn: its box, text and font size."""

    __slots__ = ("x0", "y0", "x1", "y1", "text", "size")

    def __init__(self, x0: float, y0: float, x1: float, y1: float, text: str, size: float) -> None:
        self.x0, self.y0, self.x1, self.y1, self.text, self.size = x0, y0, x1, y1, text, size

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Glyph({self.text!r} {self.x0:.1f},{self.y0:.1f},{self.x1:.1f},{self.y1:.1f})"


class Segment:
    """An axis-aligned straight segment: ``pos`` is y for horizontal ones, x for vertical ones."""

    __slots__ = ("horizontal", "pos", "start", "end")

    def __init__(self, horizontal: bool, pos: float, start: float, end: float) -> None:
        if start > end:
            start, end = end, start
        self.horizontal, self.pos, self.start, self.end = horizontal, pos, start, end

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{'H' if self.horizontal else 'V'}({self.pos:.1f}: {self.start:.1f}-{self.end:.1f})"


def segments_from_path(pts: Sequence[tuple[float, float]], ops: str | None = None) -> list[Segment]:
    """The axis-aligned straight pieces of a path (curve pieces are skipped)."""
    out = []
    for i in range(1, len(pts)):
        if ops is not None and len(ops) == len(pts) and ops[i] not in "lh":
            continue
        (ax, ay), (bx, by) = pts[i - 1], pts[i]
        out.extend(segments_from_box(ax, ay, bx, by, outline=False))
    return out


def segments_from_box(x0: float, y0: float, x1: float, y1: float, *, outline: bool = True) -> list[Segment]:
    """A line or rectangle as rules: a thin box is one rule; a wider box gives its four edges."""
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    w, h = x1 - x0, y1 - y0
    thin = current().thin
    if w <= thin and h <= thin:
        return []
    if h <= thin:
        return [Segment(True, (y0 + y1) / 2, x0, x1)]
    if w <= thin:
        return [Segment(False, (x0 + x1) / 2, y0, y1)]
    if not outline:
        return []  # a diagonal piece of a path
    return [
        Segment(True, y0, x0, x1),
        Segment(True, y1, x0, x1),
        Segment(False, x0, y0, y1),
        Segment(False, x1, y0, y1),
    ]


def turn_page(
    glyphs: list[Glyph], segments: list[Segment], quarter: int, width: float, height: float
) -> tuple[list[Glyph], list[Segment], float]:
    """Turn a page whose text runs up (``quarter`` 1), upside down (2) or down (3) so that it reads
    left to right; returns the glyphs, segments and the page height after the turn."""
    if quarter == 1:
        def f(x, y):
            return y, width - x
        new_height = width
    elif quarter == 3:
        def f(x, y):
            return height - y, x
        new_height = width
    else:
        def f(x, y):
            return width - x, height - y
        new_height = height
    out = []
    for g in glyphs:
        ax, ay = f(g.x0, g.y0)
        bx, by = f(g.x1, g.y1)
        x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        out.append(Glyph(x0, y0, x1, y1, g.text, y1 - y0))
    segs = []
    for s in segments:
        a = f(s.start, s.pos) if s.horizontal else f(s.pos, s.start)
        b = f(s.end, s.pos) if s.horizontal else f(s.pos, s.end)
        segs.extend(segments_from_path([a, b]))
    return out, segs, new_height


_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]"
)


def is_wide(ch: str) -> bool:
    return bool(_CJK.match(ch))


def cluster(values: list[float], tol: float) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


class DisjointSets:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra < rb:
            self.p[rb] = ra
        elif rb < ra:
            self.p[ra] = rb


def bisect_desc(ys: list[float], y: float) -> int:
    """Index r such that ys[r] >= y > ys[r+1] for descending ys."""
    lo, hi = 0, len(ys) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ys[mid + 1] >= y:
            lo = mid + 1
        else:
            hi = mid
    return lo


NUMBER = re.compile(r"[+\-−]?\d[\d,，.]*(%|％|万元|元)?")


def is_number(text: str) -> bool:
    return bool(NUMBER.fullmatch(text.replace(" ", "")))
