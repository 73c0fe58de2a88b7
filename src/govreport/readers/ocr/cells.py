"""Ruled tables read cell by cell, without the text detector.

Where a page's ruling lines (found by :func:`.image.find_rules`) enclose cells, the rules already
say where each piece of text is: a cell's ink, cut into lines by a horizontal projection profile,
is one line of text each. Those lines are cropped and read by the recogniser alone, in batches,
and the detector runs only on the bands of the page above and below the tables. A table page
holds about a hundred short texts, most of them a lone number; the detector's pass over the table
is the part of the time this saves.

Everything here works in pixels of the deskewed page, on the rules and the ink mask without rules
that :mod:`.image` makes. Where the cells do not account for the ink of the table's rows (text
beside a table, a rule the line finder missed and so two cells read as one region with text in
between), the page is left to the detector, as before.
"""

from __future__ import annotations

import numpy as np

from ...layout.primitives import DisjointSets, cluster
from .image import Rule, stray_ink

__all__ = ["RuledTable", "TextLine", "ruled_tables", "line_height", "cell_lines", "crop_line", "unexplained_ink"]

#: Room around a line's ink in its crop, in ink heights of the line: the margins the reader's
#: crops fitted to ink have always had (measured best for lone digits), about what the detector's
#: padded boxes leave around a line of text.
PAD_ACROSS = 0.15 / 0.65
PAD_ALONG = 0.3 / 0.65


class RuledTable:
    """A table drawn with rules: its outline and the inside of each of its (merged) cells,
    ``(left, top, right, bottom)`` in pixels (right and bottom exclusive)."""

    __slots__ = ("box", "cells")

    def __init__(self, box: tuple[int, int, int, int], cells: list[tuple[int, int, int, int]]) -> None:
        self.box, self.cells = box, cells

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"RuledTable({self.box}, {len(self.cells)} cells)"


class TextLine:
    """One line of text found in a cell: its ink box ``(left, top, right, bottom)`` in pixels,
    the cell it lies in, and whether it is text printed top to bottom (read turned, as a
    detector's tall box is)."""

    __slots__ = ("ink", "cell", "vertical")

    def __init__(self, ink: tuple[int, int, int, int], cell: tuple[int, int, int, int], vertical: bool) -> None:
        self.ink, self.cell, self.vertical = ink, cell, vertical

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"TextLine({self.ink}{' vertical' if self.vertical else ''})"


# --------------------------------------------------------------------------------------------
# cells from rules


def _covered(rules: list[Rule], a: float, b: float) -> bool:
    """Whether rules along one lattice line cover most of the stretch ``a``–``b`` of it."""
    spans = sorted((max(r.start, a), min(r.end, b)) for r in rules if r.end > a and r.start < b)
    total, reach = 0.0, a
    for s, e in spans:
        s = max(s, reach)
        if e > s:
            total += e - s
            reach = e
    return total >= 0.5 * (b - a)


def ruled_tables(rules: list[Rule], dpi: float) -> list[RuledTable]:
    """The tables the rules draw: rules that touch make one table, whose rules' positions make a
    lattice; neighbouring lattice cells no rule parts are one (merged) cell. A group of rules
    that encloses fewer than two cells (a frame, an underline) is no table."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return []
    gap = max(2.0, dpi * 0.02)
    sets = DisjointSets(len(hs) + len(vs))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            reach = gap + (h.width + v.width) / 2
            if h.start - reach <= v.pos <= h.end + reach and v.start - reach <= h.pos <= v.end + reach:
                sets.union(i, len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(sets.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(sets.find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for gh, gv in groups.values():
        if len(gh) >= 2 and len(gv) >= 2:
            t = _lattice(gh, gv, gap)
            if t is not None:
                out.append(t)
    return out


def _lattice(hs: list[Rule], vs: list[Rule], gap: float) -> RuledTable | None:
    tol = 2 * gap
    xs = cluster([v.pos for v in vs] + [min(h.start for h in hs), max(h.end for h in hs)], tol)
    ys = cluster([h.pos for h in hs] + [min(v.start for v in vs), max(v.end for v in vs)], tol)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None
    at_x: list[list[Rule]] = [[] for _ in xs]
    for v in vs:
        at_x[min(range(len(xs)), key=lambda i: abs(xs[i] - v.pos))].append(v)
    at_y: list[list[Rule]] = [[] for _ in ys]
    for h in hs:
        at_y[min(range(len(ys)), key=lambda i: abs(ys[i] - h.pos))].append(h)
    sets = DisjointSets(nr * nc)
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(at_x[c + 1], ys[r], ys[r + 1]):
                sets.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _covered(at_y[r + 1], xs[c], xs[c + 1]):
                sets.union(r * nc + c, (r + 1) * nc + c)
    spans: dict[int, list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            s = spans.setdefault(sets.find(r * nc + c), [c, r, c, r])
            s[0], s[1], s[2], s[3] = min(s[0], c), min(s[1], r), max(s[2], c), max(s[3], r)
    if len(spans) < 2:
        return None  # a frame around text, not a table
    # the inside of a cell stops short of its rules (erased with a margin: see erase_rules)
    inset = max(r.width for r in hs + vs) / 2 + 2
    cells = []
    for c0, r0, c1, r1 in spans.values():
        box = (int(np.ceil(xs[c0] + inset)), int(np.ceil(ys[r0] + inset)),
               int(np.floor(xs[c1 + 1] - inset)), int(np.floor(ys[r1 + 1] - inset)))
        if box[2] > box[0] and box[3] > box[1]:
            cells.append(box)
    outline = (int(np.floor(xs[0])), int(np.floor(ys[0])), int(np.ceil(xs[-1])), int(np.ceil(ys[-1])))
    return RuledTable(outline, cells)


# --------------------------------------------------------------------------------------------
# lines of text in cells


def _runs(profile: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True in ``profile`` joined across gaps of at most ``gap``: ``(start, end)``."""
    idx = np.flatnonzero(profile)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist()))


def line_height(ink: np.ndarray, cells: list[tuple[int, int, int, int]]) -> float:
    """The usual height of a line's ink in these cells (the median height of the runs of inked
    rows in each cell); 0 where the cells hold no ink."""
    heights = []
    for x0, y0, x1, y1 in cells:
        rows = np.asarray(ink[y0:y1, x0:x1].any(axis=1))
        heights += [e - s for s, e in _runs(rows, 1) if e - s >= 4]
    return float(np.median(heights)) if heights else 0.0


def cell_lines(ink: np.ndarray, cell: tuple[int, int, int, int], line_h: float) -> list[TextLine]:
    """The lines of text in one cell, top to bottom, cut where its rows of ink have a gap.

    Runs of inked rows that together are no taller than a line and a third are one line (the two
    strokes of 二, a line whose accents stand apart); specks smaller than a third of a line both
    ways are left out. Several lines each about a character square, stacked in a column no wider
    than a character, are one line printed top to bottom.
    """
    x0, y0, x1, y1 = cell
    sub = ink[y0:y1, x0:x1]
    if not sub.any():
        return []
    lines: list[list[int]] = []
    for s, e in _runs(np.asarray(sub.any(axis=1)), 1):
        if lines and e - lines[-1][0] <= 1.35 * line_h:
            lines[-1][1] = e
        else:
            lines.append([s, e])
    out = []
    for s, e in lines:
        cols = np.flatnonzero(sub[s:e].any(axis=0))
        left, right = int(cols[0]), int(cols[-1]) + 1
        if e - s < line_h / 3 and right - left < line_h / 3:
            continue  # a speck
        out.append((x0 + left, y0 + s, x0 + right, y0 + e))
    if len(out) >= 2:
        left = min(b[0] for b in out)
        right = max(b[2] for b in out)
        top, bottom = out[0][1], out[-1][3]
        square = all(0.6 * line_h <= b[2] - b[0] <= 1.4 * line_h for b in out)
        if square and right - left <= 1.4 * line_h and bottom - top >= 1.5 * (right - left):
            return [TextLine((left, top, right, bottom), cell, True)]
    return [TextLine(b, cell, False) for b in out]


def crop_line(img: np.ndarray, line: TextLine, line_h: float) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The image the recogniser reads for one line, and its box ``(left, top, right, bottom)`` on
    the page (the quad of the text box the line becomes).

    The line's ink is framed by the margins of :data:`PAD_ACROSS` and :data:`PAD_ALONG` (of an ink
    height no less than most lines', so that a row of dashes is not framed as if it were a line
    of its own height); what lies outside the cell is painted white (a neighbour's ink, the place
    of an erased rule). A vertical line is turned a quarter counter-clockwise, as RapidOCR turns a
    detector's tall box before reading it.
    """
    left, top, right, bottom = line.ink
    cx0, cy0, cx1, cy1 = line.cell
    if line.vertical:
        ih = max(right - left, 0.8 * line_h)
        across, along = max(2, int(PAD_ACROSS * ih)), max(3, int(PAD_ALONG * ih))
        box = (left - across, top - along, right + across, bottom + along)
    else:
        ih = max(bottom - top, 0.8 * line_h)
        extra = max(0, int(round((ih - (bottom - top)) / 2)))
        across, along = max(2, int(PAD_ACROSS * ih)), max(3, int(PAD_ALONG * ih))
        box = (left - along, top - across - extra, right + along, bottom + across + extra)
    h, w = img.shape[:2]
    out = np.full((box[3] - box[1], box[2] - box[0]), 255, dtype=img.dtype)
    a, b = max(box[1], cy0, 0), min(box[3], cy1, h)
    c, d = max(box[0], cx0, 0), min(box[2], cx1, w)
    if b > a and d > c:
        out[a - box[1] : b - box[1], c - box[0] : d - box[0]] = img[a:b, c:d]
    if line.vertical:
        out = np.ascontiguousarray(np.rot90(out))
    shown = (max(box[0], cx0), max(box[1], cy0), min(box[2], cx1), min(box[3], cy1))
    return out, shown


def unexplained_ink(ink: np.ndarray, table: RuledTable, line_h: float) -> bool:
    """Whether the rows of a table hold ink, across the whole page width, that no cell holds
    (text beside the table, or within it where the cells found do not match the drawing)."""
    x0, y0, x1, y1 = table.box
    h, w = ink.shape
    a, b = max(y0, 0), min(y1, h)
    if b <= a:
        return False
    band = ink[a:b]
    boxes = [(float(cx0), float(cy0 - a), float(cx1), float(cy1 - a)) for cx0, cy0, cx1, cy1 in table.cells]
    for gx0, gy0, gx1, gy1 in stray_ink(band, boxes, text_height=line_h, min_height=0.4 * line_h):
        if gx1 - gx0 >= 0.2 * line_h:
            return True
    return False
