"""From OCR text boxes to the glyphs the PDF table engine reads, and cell confidences back.

An OCR engine reports lines of text, not characters. The PDF reader's page geometry
(:func:`govreport.layout.layout_page`) wants characters with their boxes in PDF user space, as a PDF
text layer gives them. So each text box is turned into glyphs:

* the box is trimmed to the ink inside it (detectors pad their boxes), and that ink is cut where
  it has a gap wider than 0.4 of the text height: a detector often reads a row of separate table
  cells (结果 结果 其他 尚未 总计) as one line, and the gaps are where the cells are;
* the characters are shared out over those pieces of ink by their expected widths (a Chinese
  character one em, a digit about half), the split that best fits the pieces' widths; within a
  piece they are spread evenly;
* a box much taller than wide holds text printed top to bottom (a narrow header cell), and its
  characters are stacked instead;
* the font size comes from the height of the ink (a Chinese character's ink is about 0.88 em high,
  a digit's 0.72 em) and is then snapped to the sizes that recur on the page, since the table
  engine compares sizes between lines to tell one flow of text from the next.

Each table the geometry builds keeps the glyphs every cell's text was made of;
:func:`cell_confidence` gives a cell the lowest confidence among its characters.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ... import layout as geo
from .engine import TextBox

__all__ = ["PageGlyphs", "boxes_to_glyphs", "cell_confidence"]

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WIDE = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026]")


def _weight(ch: str) -> float:
    """Expected ink width of a character, in em."""
    if _CJK.match(ch):
        return 0.95
    if ch in "（）【】《》":
        return 0.45
    if ch in "，。、：；！？":
        return 0.35
    if ch in "“”‘’":
        return 0.4
    if _WIDE.match(ch):
        return 0.9
    if ch in ".,:;'!|":
        return 0.2
    if ch in "()[]-+/":
        return 0.35
    if ch.isdigit():
        return 0.5
    if ch.isupper() or ch in "mw%":
        return 0.65
    return 0.5


#: Room, in em, between the edge of a wide punctuation mark's em box and its ink, beyond what a
#: Chinese character leaves (about 0.05 em), in common Chinese fonts (SimSun, FangSong, Hei): an
#: opening bracket or quote is inked towards its right, a closing one or a comma towards its left.
_LEAD = {ch: 0.35 for ch in "（《【“‘〔［"}
_TRAIL = {ch: 0.35 for ch in "）》】”’〕］"} | {ch: 0.55 for ch in "，。、：；"}


class PageGlyphs:
    """The glyphs of one page, each with the confidence of the character it stands for."""

    __slots__ = ("glyphs", "confidence")

    def __init__(self) -> None:
        self.glyphs: list[geo.Glyph] = []
        self.confidence: list[float] = []

    def add(self, g: geo.Glyph, conf: float) -> None:
        self.glyphs.append(g)
        self.confidence.append(conf)


def _ink_pieces(profile: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Runs of ink along one axis, joined across gaps of at most ``gap`` pixels."""
    idx = np.nonzero(profile)[0]
    if not len(idx):
        return []
    pieces = []
    start = prev = int(idx[0])
    for i in idx[1:].tolist():
        if i - prev - 1 > gap:
            pieces.append((start, prev + 1))
            start = i
        prev = i
    pieces.append((start, prev + 1))
    return pieces


def _band(profile: np.ndarray) -> tuple[int, int] | None:
    """The rows (or columns) of the line of text itself within a detector's padded box.

    A padded box also holds the edges of the lines above and below; those lie at its rims, apart
    from the text by a gap. Runs of ink that lie mostly within the middle 70 % of the box make the
    line (both strokes of a lone 二 among them).
    """
    n = len(profile)
    pieces = _ink_pieces(profile, max(1.0, 0.06 * n))
    if not pieces:
        return None
    lo, hi = 0.15 * n, 0.85 * n
    inner = [p for p in pieces if min(p[1], hi) - max(p[0], lo) >= 0.5 * (p[1] - p[0])]
    if not inner:
        mid = n / 2
        inner = [min(pieces, key=lambda p: abs((p[0] + p[1]) / 2 - mid))]
    return inner[0][0], inner[-1][1]


def ink_box(ink: np.ndarray, box: tuple[int, int, int, int], *, vertical: bool) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)`` of the text of a detector's box ``(x0, y0, x1, y1)``, in pixels.

    Detectors pad some boxes and clip others, so the search looks a little beyond the box across
    the line, keeps the band of ink in its middle, and along the line drops pieces of ink that lie
    wholly outside the box (a neighbour's).
    """
    X0, Y0, X1, Y1 = box
    H, W = ink.shape
    if vertical:
        X0, Y0, X1, Y1 = Y0, X0, Y1, X1
        ink = ink.T
        H, W = W, H
    h = Y1 - Y0
    e = int(round(0.25 * h))
    a, b = max(Y0 - e, 0), min(Y1 + e, H)
    sub = ink[a:b, X0:X1]
    if not sub.any():
        out = (Y0, Y1, X0, X1)
    else:
        rows = _band(np.asarray(sub.any(axis=1))) or (0, b - a)
        inner = sub[rows[0] : rows[1]]
        # along the line: a little beyond the box too, for clipped ends
        ex = int(round(0.3 * h))
        c, d = max(X0 - ex, 0), min(X1 + ex, W)
        line = np.asarray(ink[a + rows[0] : a + rows[1], c:d].any(axis=0))
        pieces = _ink_pieces(line, 0.4 * max(rows[1] - rows[0], 1))
        # a piece belongs to this box when most of it lies inside (a neighbour's box may overlap)
        pieces = [(s + c, t + c) for s, t in pieces if min(t + c, X1) - max(s + c, X0) >= 0.5 * (t - s)]
        if not pieces:
            cols = np.nonzero(inner.any(axis=0))[0]
            pieces = [(X0 + int(cols[0]), X0 + int(cols[-1]) + 1)] if len(cols) else [(X0, X1)]
        out = (a + rows[0], a + rows[1], pieces[0][0], pieces[-1][1])
    if vertical:
        top, bottom, left, right = out
        return left, right, top, bottom
    return out


def _column_height(sub: np.ndarray) -> float:
    """The height of the ink of most columns of a line: brackets and quotes, which reach above and
    below the characters, do not count."""
    cols = sub.any(axis=0)
    if not cols.any():
        return float(sub.shape[0])
    s = sub[:, cols]
    top = s.argmax(axis=0)
    bottom = s.shape[0] - s[::-1].argmax(axis=0)
    return float(np.percentile(bottom - top, 80))


def _share(weights: list[float], pieces: list[tuple[int, int]], em: float) -> list[int]:
    """How many characters go to each piece of ink (in order), the best fit of their widths.

    Every piece gets at least one character while there are enough; the cost of a split is how far
    each piece's width is from the widths of the characters given to it.
    """
    n, k = len(weights), len(pieces)
    if k <= 1:
        return [n] if k else []
    if n < k:
        # fewer characters than pieces (a lone digit beside specks of noise): the widest pieces, in order
        keep = sorted(sorted(range(k), key=lambda i: -(pieces[i][1] - pieces[i][0]))[:n])
        return [1 if i in keep else 0 for i in range(k)]
    cum = [0.0]
    for w in weights:
        cum.append(cum[-1] + w)
    widths = [(e - s) / em for s, e in pieces]
    inf = float("inf")
    # best[j][i]: cost of giving the first i characters to the first j pieces
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n - (k - j) + 1):
            for p in range(j - 1, i):
                if best[j - 1][p] == inf:
                    continue
                c = best[j - 1][p] + abs(cum[i] - cum[p] - widths[j - 1])
                if c < best[j][i]:
                    best[j][i] = c
                    back[j][i] = p
    counts = []
    i = n
    for j in range(k, 0, -1):
        p = back[j][i]
        counts.append(i - p)
        i = p
    return counts[::-1]


def boxes_to_glyphs(boxes: Sequence[TextBox], ink: np.ndarray, dpi: float, out: PageGlyphs) -> None:
    """Turn the text boxes of one page into glyphs in PDF user space (points, y upwards)."""
    h_px, w_px = ink.shape
    k = 72.0 / dpi
    page_h = h_px * k
    # first pass: each box's characters with their ink boxes in pixels, and a size estimate
    placed: list[tuple[list[tuple[str, float, float, float, float, float]], float, bool, float]] = []
    size_px: float
    for box in boxes:
        text = "".join(ch for ch in box.text if not ch.isspace())
        if not text:
            continue
        confs = list(box.char_confidences) if box.char_confidences else None
        if confs is not None:
            confs = [c for ch, c in zip(box.text, confs) if not ch.isspace()]
            if len(confs) != len(text):
                confs = None
        if confs is None:
            confs = [box.confidence] * len(text)
        x0, y0, x1, y1 = box.bbox
        X0, Y0 = max(int(np.floor(x0)), 0), max(int(np.floor(y0)), 0)
        X1, Y1 = min(int(np.ceil(x1)), w_px), min(int(np.ceil(y1)), h_px)
        if X1 <= X0 or Y1 <= Y0:
            continue
        vertical = (Y1 - Y0) > 1.6 * (X1 - X0) and len(text) >= 2
        iy0, iy1, ix0, ix1 = ink_box(ink, (X0, Y0, X1, Y1), vertical=vertical)
        sub = ink[iy0:iy1, ix0:ix1]
        weights = [_weight(ch) for ch in text]
        chars: list[tuple[str, float, float, float, float, float]] = []
        if vertical:
            em = max(ix1 - ix0, 1) / max(max(weights), 0.5)
            pieces = _ink_pieces(np.asarray(sub.any(axis=1)), 0.25 * em) or [(0, iy1 - iy0)]
            counts = _share([1.0] * len(text), pieces, em * 1.0)
            pos = 0
            for (s, e), c in zip(pieces, counts):
                for j in range(c):
                    a = iy0 + s + (e - s) * j / c
                    b = iy0 + s + (e - s) * (j + 1) / c
                    chars.append((text[pos], confs[pos], ix0, a, ix1, b))
                    pos += 1
            size_px = em
            reliable = False
        else:
            ih = iy1 - iy0
            n_cjk = sum(1 for ch in text if _CJK.match(ch))
            pieces = _ink_pieces(np.asarray(sub.any(axis=0)), 0.4 * ih) or [(0, ix1 - ix0)]
            reliable = n_cjk >= 4 and len(text) - n_cjk <= max(1, 0.2 * len(text))
            if reliable:
                # Chinese characters advance by exactly one em: the width of the ink (without the
                # gaps between table cells) says the size best
                inked = sum(e - s for s, e in pieces)
                em = inked / max(n_cjk + 0.5 * (len(text) - n_cjk) - 0.1 * len(pieces), 0.9)
            elif n_cjk:
                # (a lone character of thin, slanting strokes, 人 or 八, has short columns of ink)
                em = max(_column_height(sub) / 0.9, ih / 1.1)
            elif any(ch in "gjpqy" for ch in text) and any(ch.isupper() or ch.isdigit() or ch in "bdfhklt@" for ch in text):
                em = ih / 0.95  # ascenders and descenders
            else:
                em = ih / 0.72  # digits, capitals
            # the characters' share of the ink, with the em fitted to this box (the size estimate
            # is for the page; a box of digits filling its cell must not lose one to the next)
            inked = sum(e - s for s, e in pieces)
            counts = _share(weights, pieces, inked / max(sum(weights), 0.1))
            pos = 0
            for (s, e), c in zip(pieces, counts):
                if not c:
                    continue
                total = sum(weights[pos : pos + c])
                x = float(ix0 + s)
                for j in range(c):
                    wdt = (e - s) * weights[pos] / total
                    a, b = x, x + wdt
                    # the ink of wide punctuation sits off-centre in its em: where it starts or
                    # ends a piece (a cell's text), its em box, not its ink, says where the text is
                    if j == 0:
                        a -= _LEAD.get(text[pos], 0.0) * em
                    if j == c - 1:
                        b += _TRAIL.get(text[pos], 0.0) * em
                    chars.append((text[pos], confs[pos], a, iy0, b, iy1))
                    x += wdt
                    pos += 1
            size_px = em
        if chars:
            # the baseline is the bottom of the ink, but for Latin letters that descend (g, p, y)
            drop = 0.22 if not vertical and any(ch in "gjpqy" for ch in text) and not _CJK.search(text) else 0.0
            placed.append((chars, size_px, reliable, drop))
    if not placed:
        return
    sizes = _snap_sizes([p[1] for p in placed], [p[2] for p in placed])
    # glyphs as [x0, x1, baseline, size, text, confidence], in points (y upwards)
    raw: list[list] = []
    for (chars, _, _, drop), size_px in zip(placed, sizes):
        size = size_px * k
        for ch, conf, a, top, b, bottom in chars:
            gx0, gx1 = a * k, b * k
            if gx1 - gx0 < 0.2 * size:  # a sliver (a dot, a bracket): give it some width around its centre
                m = (gx0 + gx1) / 2
                gx0, gx1 = m - 0.1 * size, m + 0.1 * size
            raw.append([gx0, gx1, page_h - (bottom - drop * size_px) * k, size, ch, conf])
    _steady_lines(raw, tol=2.5 * k)
    for gx0, gx1, base, size, ch, conf in raw:
        # a font's em box reaches about 0.12 em below the baseline, as a PDF's glyph boxes do
        out.add(geo.Glyph(gx0, base - 0.12 * size, gx1, base + 0.88 * size, ch, round(size, 2)), conf)


def _steady_lines(glyphs: list[list], tol: float) -> None:
    """Take the measuring noise out of the vertical positions (in place).

    ``glyphs`` hold ``[x0, x1, baseline, size, text, confidence]``. A text layer puts every
    character of a line on one baseline, and consecutive lines of a paragraph or a table column
    exactly one line pitch apart; the page geometry relies on both (it learns a table's line pitch
    to tell a wrapped cell from a new row, to 0.3 pt). Measured from pixels, positions scatter by a
    pixel or two. So the characters of one line get the line's median baseline, and a run of lines whose spacings agree within ``tol`` is laid on an exact
    arithmetic progression (spacings that differ by more, such as the extra room between table
    rows, are kept).
    """
    if not glyphs:
        return
    order = sorted(range(len(glyphs)), key=lambda i: -glyphs[i][2])
    lines: list[list[int]] = []
    cur_y = cur_h = 0.0
    for i in order:
        y, h = glyphs[i][2], glyphs[i][3]
        if lines and abs(cur_y - y) <= 0.4 * min(cur_h, h):
            lines[-1].append(i)
            continue
        lines.append([i])
        cur_y, cur_h = y, h
    ys = []
    for ln in lines:
        y = float(np.median([glyphs[i][2] for i in ln]))
        ys.append(y)
    sizes = [float(np.median([glyphs[i][3] for i in ln])) for ln in lines]
    # runs of steady spacing between lines of one size
    start = 0
    n = len(lines)
    while start < n - 1:
        end = start + 1
        lo = hi = ys[start] - ys[start + 1]
        while end + 1 < n and abs(sizes[end + 1] - sizes[start]) <= 0.15 * sizes[start]:
            p = ys[end] - ys[end + 1]
            if max(hi, p) - min(lo, p) > tol:
                break
            lo, hi = min(lo, p), max(hi, p)
            end += 1
        if end - start >= 2 and hi - lo <= tol and abs(sizes[end] - sizes[start]) <= 0.15 * sizes[start]:
            idx = np.arange(start, end + 1, dtype=np.float64)
            slope, icpt = np.polyfit(idx, np.array(ys[start : end + 1]), 1)
            for j in range(start, end + 1):
                ys[j] = float(icpt + slope * j)
            start = end
        else:
            start += 1
    for ln, y in zip(lines, ys):
        for i in ln:
            glyphs[i][2] = y


def _snap_sizes(sizes: list[float], reliable: list[bool]) -> list[float]:
    """Snap size estimates to the sizes that recur on the page.

    Sizes measured from the width of Chinese text are reliable; they are clustered (within 10 %)
    and each takes its cluster's median. Every other box (digits, a short label, Latin text, whose
    ink says less about the font) takes the nearest cluster within 30 %, so that the digits of a
    table row get the size of the labels beside them.
    """
    anchors = sorted(s for s, r in zip(sizes, reliable) if r)
    if not anchors:
        anchors = sorted(sizes)
    clusters: list[list[float]] = []
    for s in anchors:
        if clusters and s <= clusters[-1][0] * 1.1:
            clusters[-1].append(s)
        else:
            clusters.append([s])
    centres = [float(np.median(c)) for c in clusters]
    weight = [len(c) for c in clusters]
    out = []
    for s, r in zip(sizes, reliable):
        near = [(abs(c - s), -w, c) for c, w in zip(centres, weight) if abs(c - s) <= (0.1 if r else 0.3) * c]
        out.append(min(near)[2] if near else s)
    return out


# --------------------------------------------------------------------------------------------
# confidences back from the layout


def cell_confidence(table: geo.Table, cell: list, confidence: dict[geo.Glyph, float]) -> float | None:
    """The lowest confidence among the characters a table cell's text was made of (each table
    keeps them, see :attr:`govreport.layout.Table.glyphs`), from ``confidence`` keyed by glyph
    (glyphs compare by identity); ``None`` when none of them was read by OCR (a text layer's)."""
    found = [confidence[g] for g in table.glyphs.get(id(cell), ()) if g in confidence and not g.text.isspace()]
    return round(min(found), 3) if found else None
