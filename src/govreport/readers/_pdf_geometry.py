"""Page geometry for the PDF reader: text lines from glyphs, tables from ruling lines or positions.

Everything here works on plain coordinates (PDF user space, y grows upwards) and knows nothing of
pdfminer or of annual reports. The PDF reader feeds one page at a time: its glyphs and the straight
segments drawn on it. Out come the page's blocks in reading order: text lines outside tables and
tables as rows of cells.

Ruled tables
    Horizontal and vertical segments (lines, thin rectangles, the edges of rectangles and of
    polygon paths) are snapped to common coordinates and joined where they touch. Segments that
    cross each other form one table; its distinct x and y coordinates form a lattice. Two
    neighbouring lattice cells belong to one merged cell when no rule separates them. Each glyph
    goes to the cell holding its centre.

Tables ruled with horizontal lines only
    Word prints a table whose vertical borders are off as a stack of horizontal rules. Rules of one
    width, stacked, with rows of text between them, make a table whose rows are the bands between
    the rules (whatever the lines of a cell's text, centred vertically or not; a shorter rule
    closes only the columns it spans, as under a header spanning columns). Its columns come from
    the text: an edge lies where a line leaves a gap between two pieces of text and the other
    lines leave room, placed by the alignment the columns' text shows (left, centred, right, or a
    shorter rule's end; such an end is an edge even where no line shows a gap, as beside a label
    spanning rows whose lines hold nothing else). Text reaching over an edge, or centred on a run of columns left empty
    around it, spans them. A band between rules shows several rows only when a column holds two
    values there (rules around groups of rows).

Tables without rules
    Some tables are printed without any borders. Runs of consecutive lines of one font size whose
    text falls into aligned columns are rebuilt from positions: columns from the left edges of the
    text chunks, rows from where cells start (a column starting new text, or a number, which never
    wraps), and a cell continuing into the next row when its text filled the column's width.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable, Sequence

# --------------------------------------------------------------------------------------------
# primitives


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


#: How far apart two parallel rules may be and still be one rule (double borders, thin rectangles).
SNAP = 3.0
#: How far a rule may stop short of another and still touch it.
JOIN = 3.0
#: Thickness below which a filled rectangle is a rule, not a box.
THIN = 2.5


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
    if w <= THIN and h <= THIN:
        return []
    if h <= THIN:
        return [Segment(True, (y0 + y1) / 2, x0, x1)]
    if w <= THIN:
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


# --------------------------------------------------------------------------------------------
# text lines

_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]"
)


def _is_wide(ch: str) -> bool:
    return bool(_CJK.match(ch))


class Line:
    """A row of glyphs sharing a baseline, left to right."""

    __slots__ = ("glyphs", "x0", "x1", "y0", "y1", "size", "_chunks")

    def __init__(self, glyphs: list[Glyph]) -> None:
        glyphs.sort(key=lambda g: g.x0)
        self.glyphs = _dedupe(glyphs)
        ink = [g for g in self.glyphs if not g.text.isspace()] or self.glyphs
        self.x0 = min(g.x0 for g in ink)
        self.x1 = max(g.x1 for g in ink)
        self.y0 = min(g.y0 for g in ink)
        self.y1 = max(g.y1 for g in ink)
        sizes = sorted(g.size for g in ink)
        self.size = sizes[len(sizes) // 2] or 1.0
        self._chunks: list[Chunk] | None = None

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def text(self) -> str:
        return join_glyphs(self.glyphs)

    def chunks(self) -> list["Chunk"]:
        """The line cut where the gap between glyphs exceeds one em (text in separate columns)."""
        if self._chunks is None:
            out: list[Chunk] = []
            cur: list[Glyph] = []
            last: Glyph | None = None
            for g in self.glyphs:
                if g.text.isspace():
                    cur.append(g)
                    continue
                if last is not None and g.x0 - last.x1 > max(last.size, g.size, 1.0) * 1.0:
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


class Chunk:
    """A run of glyphs within a line, with no wide gap inside."""

    __slots__ = ("glyphs", "x0", "x1", "text")

    def __init__(self, glyphs: list[Glyph]) -> None:
        ink = [g for g in glyphs if not g.text.isspace()]
        self.glyphs = glyphs
        self.x0 = ink[0].x0
        self.x1 = max(g.x1 for g in ink)
        self.text = join_glyphs(glyphs)


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop glyphs printed twice at (almost) the same place: fake bold, shadows."""
    out: list[Glyph] = []
    for g in glyphs:
        if out:
            p = out[-1]
            if p.text == g.text and abs(p.x0 - g.x0) < 0.3 * max(p.x1 - p.x0, 1.0) and abs(p.y0 - g.y0) < 0.3 * p.size:
                continue
        out.append(g)
    return out


def join_glyphs(glyphs: Iterable[Glyph]) -> str:
    """Text of glyphs on one line. A space is kept where one is printed, or where a gap separates
    two Latin characters; Chinese characters (and digits next to them) are joined without one."""
    out: list[str] = []
    prev: Glyph | None = None
    spaced = False
    for g in glyphs:
        if g.text.isspace():
            spaced = prev is not None
            continue
        if prev is not None:
            gap = g.x0 - prev.x1
            if spaced or (gap > 0.25 * max(prev.size, g.size) and not (_is_wide(prev.text[-1:]) or _is_wide(g.text[:1]))):
                out.append(" ")
        out.append(g.text)
        prev = g
        spaced = False
    return "".join(out)


def build_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Group glyphs into lines, top to bottom."""
    gs = sorted(glyphs, key=lambda g: -g.yc)
    groups: list[list[Glyph]] = []
    cur_y = cur_h = 0.0
    for g in gs:
        h = max(g.y1 - g.y0, 0.1)
        if groups and abs(cur_y - g.yc) <= 0.5 * min(cur_h, h):
            groups[-1].append(g)
            continue
        groups.append([g])
        cur_y, cur_h = g.yc, h
    lines = [Line(grp) for grp in groups if any(not g.text.isspace() for g in grp)]
    lines.sort(key=lambda ln: (-ln.y1, ln.x0))
    return lines


def cell_text(glyphs: list[Glyph]) -> str:
    if not glyphs:
        return ""
    return "\n".join(t for t in (ln.text.strip() for ln in build_lines(glyphs)) if t)


# --------------------------------------------------------------------------------------------
# ruled tables


class Table:
    """A table found on a page: its box and rows of ``[text, merged]`` cells."""

    __slots__ = ("x0", "y0", "x1", "y1", "rows", "ruled", "top", "bottom", "starts", "columns", "glyphs")

    def __init__(self, x0: float, y0: float, x1: float, y1: float, rows: list[list[list]], ruled: bool) -> None:
        self.x0, self.y0, self.x1, self.y1, self.rows, self.ruled = x0, y0, x1, y1, rows, ruled
        #: cells starting at the table's top edge: (cell, x0, x1)
        self.top: list[tuple[list, float, float]] = []
        #: cells reaching its bottom edge: (cell, x0, x1, whether the text runs on)
        self.bottom: list[tuple[list, float, float, bool]] = []
        #: every cell with the row it starts in: (row, cell, x0, x1)
        self.starts: list[tuple[int, list, float, float]] = []
        #: the left edges of the columns of a table without rules (where their text starts)
        self.columns: list[float] = []
        #: the glyphs each cell's text was made of, by ``id()`` of the cell (its ``[text, merged]``
        #: list): what a reader measuring its glyphs (OCR) traces its measures through
        self.glyphs: dict[int, list[Glyph]] = {}

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Table({len(self.rows)} rows, ruled={self.ruled}, y {self.y0:.1f}-{self.y1:.1f})"


def _merge_collinear(segs: list[Segment]) -> list[Segment]:
    """Snap parallel segments to shared coordinates and join the pieces of one rule."""
    if not segs:
        return []
    segs = sorted(segs, key=lambda s: s.pos)
    clusters: list[list[Segment]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - clusters[-1][-1].pos <= SNAP:
            clusters[-1].append(s)
        else:
            clusters.append([s])
    out: list[Segment] = []
    for cl in clusters:
        pos = sum(s.pos for s in cl) / len(cl)
        cl.sort(key=lambda s: s.start)
        cur = Segment(cl[0].horizontal, pos, cl[0].start, cl[0].end)
        for s in cl[1:]:
            if s.start <= cur.end + JOIN:
                cur.end = max(cur.end, s.end)
            else:
                out.append(cur)
                cur = Segment(s.horizontal, pos, s.start, s.end)
        out.append(cur)
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


class _DSU:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def find_ruled_tables(segments: list[Segment], glyphs: list[Glyph]) -> tuple[list[Table], list[Glyph]]:
    """Tables drawn with rules, and the glyphs left outside them."""
    tables, free, _ = _find_lattices(segments, glyphs)
    return tables, free


def _find_lattices(
    segments: list[Segment], glyphs: list[Glyph]
) -> tuple[list[Table], list[Glyph], list[Segment]]:
    """Tables drawn with horizontal and vertical rules, the glyphs left outside them, and the
    horizontal rules that touch no vertical one (for :func:`find_rule_tables`)."""
    hs = _merge_collinear([s for s in segments if s.horizontal])
    vs = _merge_collinear([s for s in segments if not s.horizontal])
    if not vs:
        return [], glyphs, hs
    if len(hs) < 2:
        return [], glyphs, []
    allsegs = hs + vs
    dsu = _DSU(len(allsegs))
    nh = len(hs)
    # sweep: sort verticals by x so each horizontal only looks at the verticals within its span
    vorder = sorted(range(len(vs)), key=lambda i: vs[i].pos)
    vxs = [vs[i].pos for i in vorder]
    for hi, h in enumerate(hs):
        lo = bisect.bisect_left(vxs, h.start - JOIN)
        hi_ = bisect.bisect_right(vxs, h.end + JOIN)
        for k in range(lo, hi_):
            vi = vorder[k]
            v = vs[vi]
            if v.start - JOIN <= h.pos <= v.end + JOIN:
                dsu.union(hi, nh + vi)
    comps: dict[int, list[int]] = {}
    for i in range(len(allsegs)):
        comps.setdefault(dsu.find(i), []).append(i)
    tables: list[Table] = []
    taken = [False] * len(glyphs)
    groups = []
    loose: list[Segment] = []
    for members in comps.values():
        ch = [allsegs[i] for i in members if i < nh]
        cv = [allsegs[i] for i in members if i >= nh]
        if not cv:
            loose.extend(ch)
        if len(ch) >= 2 and len(cv) >= 1:
            area = (max(h.end for h in ch) - min(h.start for h in ch)) * (max(v.end for v in cv) - min(v.start for v in cv))
            groups.append((area, ch, cv))
    # smaller first: a table drawn inside a frame takes its glyphs before the frame is looked at
    groups.sort(key=lambda g: g[0])
    for _, ch, cv in groups:
        t = _lattice_table(ch, cv, glyphs, taken)
        if t is not None:
            tables.append(t)
    free = [g for g, t in zip(glyphs, taken) if not t]
    return tables, free, loose


def _covered(segs: list[Segment], lo: float, hi: float) -> bool:
    """Whether segments (on one coordinate) cover most of [lo, hi]."""
    need = (hi - lo) * 0.5
    got = 0.0
    for s in segs:
        a, b = max(s.start, lo), min(s.end, hi)
        if b > a:
            got += b - a
    return got >= need


def _lattice_table(hs: list[Segment], vs: list[Segment], glyphs: list[Glyph], taken: list[bool]) -> Table | None:
    xs = _cluster([v.pos for v in vs] + [min(h.start for h in hs), max(h.end for h in hs)], SNAP)
    ys = _cluster([h.pos for h in hs] + [min(v.start for v in vs), max(v.end for v in vs)], SNAP)
    ys.reverse()  # top to bottom
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc < 2:
        return None
    x0, x1, y1, y0 = xs[0], xs[-1], ys[0], ys[-1]
    # rules on each lattice coordinate
    vat: list[list[Segment]] = [[] for _ in xs]
    for v in vs:
        vat[min(range(len(xs)), key=lambda k: abs(xs[k] - v.pos))].append(v)
    hat: list[list[Segment]] = [[] for _ in ys]
    for h in hs:
        hat[min(range(len(ys)), key=lambda k: abs(ys[k] - h.pos))].append(h)
    dsu = _DSU(nr * nc)
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(vat[c + 1], ys[r + 1], ys[r]):
                dsu.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _covered(hat[r + 1], xs[c], xs[c + 1]):
                dsu.union(r * nc + c, (r + 1) * nc + c)
    if len({dsu.find(i) for i in range(nr * nc)}) == 1:
        return None  # a box around text (a frame), not a table
    # glyphs to cells by their centre
    content: dict[int, list[Glyph]] = {}
    mine: list[int] = []
    tol = 1.0
    for i, g in enumerate(glyphs):
        if taken[i]:
            continue
        xc, yc = g.xc, g.yc
        if not (x0 - tol <= xc <= x1 + tol and y0 - tol <= yc <= y1 + tol):
            continue
        c = min(max(bisect.bisect_right(xs, xc) - 1, 0), nc - 1)
        r = min(max(_bisect_desc(ys, yc), 0), nr - 1)
        taken[i] = True
        mine.append(i)
        content.setdefault(dsu.find(r * nc + c), []).append(g)
    if _is_layout_box(content, len({dsu.find(i) for i in range(nr * nc)})):
        for i in mine:
            taken[i] = False
        return None
    return _lattice_grid(xs, ys, dsu, content)


def _lattice_grid(xs: list[float], ys: list[float], dsu: "_DSU", content: dict[int, list[Glyph]]) -> Table:
    """The table of a lattice (``xs`` left to right, ``ys`` top to bottom) whose lattice cells
    ``dsu`` joins into the table's cells, ``content`` holding the glyphs of each cell (by root)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    x0, x1, y1, y0 = xs[0], xs[-1], ys[0], ys[-1]
    roots = [[dsu.find(r * nc + c) for c in range(nc)] for r in range(nr)]
    # lattice rows and columns holding no cell of their own come from stray rules: drop them
    keep_r = [r for r in range(nr) if any(roots[r][c] != roots[r - 1][c] for c in range(nc)) or r == 0]
    keep_c = [c for c in range(nc) if c == 0 or any(roots[r][c] != roots[r][c - 1] for r in range(nr))]
    span: dict[int, list[int]] = {}  # root -> [rmin, rmax, cmin, cmax] in kept indices
    for ri, r in enumerate(keep_r):
        for ci, c in enumerate(keep_c):
            b = span.setdefault(roots[r][c], [ri, ri, ci, ci])
            b[0], b[1], b[2], b[3] = min(b[0], ri), max(b[1], ri), min(b[2], ci), max(b[3], ci)
    cxs = [xs[c] for c in keep_c] + [xs[-1]]
    rows: list[list[list]] = []
    seen: set[int] = set()
    texts: dict[int, str] = {}
    cells: dict[int, list] = {}  # root -> the cell's [text, merged] list
    for ri, r in enumerate(keep_r):
        row: list[list] = []
        for ci, c in enumerate(keep_c):
            root = roots[r][c]
            if root in seen:
                row.append(["", True])
            else:
                seen.add(root)
                texts[root] = cell_text(content.get(root, []))
                row.append([texts[root], False])
                cells[root] = row[-1]
        rows.append(row)
    table = Table(x0, y0, x1, y1, rows, ruled=True)
    # (a joined cell need not be a rectangle: its list is where it was first met, not its corner)
    table.glyphs = {id(cell): content[root] for root, cell in cells.items() if content.get(root)}
    last = len(keep_r) - 1
    pad = _cell_pad(content, span, cxs)
    for root, (rmin, rmax, cmin, cmax) in span.items():
        left, right = cxs[cmin], cxs[cmax + 1]
        table.starts.append((rmin, rows[rmin][cmin], left, right))
        if rmin == 0:
            table.top.append((rows[rmin][cmin], left, right))
        if rmax == last:
            table.bottom.append((rows[rmin][cmin], left, right, _runs_on(content.get(root, []), texts[root], left, right, pad)))
    return table


def _cell_pad(content: dict[int, list[Glyph]], span: dict[int, list[int]], cxs: list[float]) -> float:
    """The padding of a table's cells: the least room text leaves to a side of its cell (left-
    aligned text shows it; centred text only bounds it from above), at most a usual padding."""
    pad = None
    size = []
    for root, (_, _, cmin, cmax) in span.items():
        ink = [g for g in content.get(root, ()) if not g.text.isspace()]
        if not ink:
            continue
        room = min(min(g.x0 for g in ink) - cxs[cmin], cxs[cmax + 1] - max(g.x1 for g in ink))
        pad = room if pad is None else min(pad, room)
        size.append(sorted(g.size for g in ink)[len(ink) // 2])
    if pad is None:
        return 0.0
    return min(max(pad, 0.0), max(6.0, 0.6 * sorted(size)[len(size) // 2]))


def _is_layout_box(content: dict[int, list[Glyph]], ncells: int) -> bool:
    """A few boxes holding running text (a page border with a rule, a framed paragraph) are page
    decoration, not a table: their text is read as paragraphs."""
    if ncells > 4:
        return False
    for glyphs in content.values():
        lines = build_lines(glyphs)
        if len(lines) >= 6 and max(ln.x1 - ln.x0 for ln in lines) >= 200:
            return True
    return False


def _runs_on(glyphs: list[Glyph], text: str, left: float, right: float, pad: float) -> bool:
    """Whether a ruled cell's text may go on past the cell's bottom (cut by a page break): it ends
    open, or its last line fills the cell (``pad`` the cells' padding), whatever the text's
    alignment, or it is a label whose last line does not show whether it was cut (a line break
    of its own may end it): centred in the cell, or written one character a line."""
    if not glyphs or not text:
        return False
    number = _is_number(text.replace("\n", ""))
    if _open([text]) and not number:
        return True
    lines = build_lines(glyphs)
    if not number and len(lines) >= 2 and all(len(ln.text.strip()) == 1 for ln in lines):
        return True
    last = lines[-1]
    before, after = last.x0 - left, right - last.x1
    if before + after - 2 * pad < 0.9 * last.size:
        return True
    return not number and abs(before - after) <= 1.0 and min(before, after) > pad + 0.5


def _bisect_desc(ys: list[float], y: float) -> int:
    """Index r such that ys[r] >= y > ys[r+1] for descending ys."""
    lo, hi = 0, len(ys) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ys[mid + 1] >= y:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --------------------------------------------------------------------------------------------
# tables ruled with horizontal lines only

#: Gap between glyphs on a line of a table, in ems, that separates the text of two cells.
_CELL_GAP = 0.6


def find_rule_tables(hs: list[Segment], glyphs: list[Glyph]) -> tuple[list[Table], list[Glyph]]:
    """Tables ruled with horizontal lines only, and the glyphs left outside them.

    ``hs`` are horizontal rules that touch no vertical one. Rules of one extent, stacked, with text
    between them that falls into columns, make a table: the rules give its rows (a shorter rule
    within the extent closes only the columns it spans, as under a header spanning columns), the
    gaps between the text of a line give its columns (whatever the cells' alignment) and text
    running across a column gap gives a cell spanning columns.
    """
    tables: list[Table] = []
    taken = [False] * len(glyphs)
    for rules in _rule_stacks(hs):
        tables.extend(_rule_tables(rules, glyphs, taken))
    if not tables:
        return [], glyphs
    return tables, [g for g, t in zip(glyphs, taken) if not t]


def _rule_stacks(hs: list[Segment]) -> list[list[Segment]]:
    """Rules that may rule one table, top to bottom: a rule and the rules under it that lie within
    its extent (the shorter ones close only some columns, as under a header spanning columns)."""
    stacks: list[list[Segment]] = []
    for h in sorted(hs, key=lambda s: -s.pos):
        if stacks and stacks[-1][0].start - JOIN <= h.start and h.end <= stacks[-1][0].end + JOIN:
            stacks[-1].append(h)
        else:
            stacks.append([h])
    return [s for s in stacks if len(s) >= 2]


def _rule_tables(rules: list[Segment], glyphs: list[Glyph], taken: list[bool]) -> list[Table]:
    """The tables of one stack of rules: runs of bands between rules that hold table rows (a band
    holding a paragraph, or text reaching out of the rules' extent, or much empty room around its
    text, separates them: it is no row). A table's first and last rules span its full width."""
    x0, x1 = rules[0].start, rules[0].end
    ys = _cluster([r.pos for r in rules], SNAP)
    ys.reverse()
    hat: list[list[Segment]] = [[] for _ in ys]
    for r in rules:
        hat[min(range(len(ys)), key=lambda k: abs(ys[k] - r.pos))].append(r)
    nb = len(ys) - 1
    members: list[list[int]] = [[] for _ in range(nb)]
    outside = [False] * nb
    for i, g in enumerate(glyphs):
        if taken[i] or not ys[-1] < g.yc < ys[0]:
            continue
        k = min(max(_bisect_desc(ys, g.yc), 0), nb - 1)
        if x0 - 1 <= g.xc <= x1 + 1:
            members[k].append(i)
        elif not g.text.isspace():
            outside[k] = True
    ok: list[bool | None] = []
    heights = []
    for k in range(nb):
        ink = [glyphs[i] for i in members[k] if not glyphs[i].text.isspace()]
        height = ys[k] - ys[k + 1]
        if outside[k]:
            ok.append(False)
            continue
        if not ink:
            ok.append(None)  # an empty row, if it is no taller than the rows with text
            continue
        size = sorted(g.size for g in ink)[len(ink) // 2] or 1.0
        slack = height - (max(g.y1 for g in ink) - min(g.y0 for g in ink))
        prose = 0
        for ln in build_lines(ink):
            pieces = _pieces(ln)
            if len(pieces) == 1 and pieces[0].x1 - pieces[0].x0 >= 0.7 * (x1 - x0):
                prose += 1
        good = slack <= 2.0 * size + 4.0 and prose < 2
        ok.append(good)
        if good:
            heights.append(height)
    typical = sorted(heights)[len(heights) // 2] if heights else 0.0
    for k in range(nb):
        if ok[k] is None:
            ok[k] = ys[k] - ys[k + 1] <= 2.5 * typical

    def full_width(k: int, a: float, b: float) -> bool:
        return any(r.start <= a + SNAP and r.end >= b - SNAP for r in hat[k])

    tables = []
    k = 0
    while k < nb:
        if not ok[k]:
            k += 1
            continue
        j = k
        while j + 1 < nb and ok[j + 1]:
            j += 1
        nxt = j + 1
        # the run's width is that of its widest rule; it starts and ends with rules of that width
        a = min(r.start for m in range(k, j + 2) for r in hat[m])
        b = max(r.end for m in range(k, j + 2) for r in hat[m])
        while k <= j and not full_width(k, a, b):
            k += 1
        while j >= k and not full_width(j + 1, a, b):
            j -= 1
        if j >= k:
            band = [[glyphs[i] for i in members[m]] for m in range(k, j + 1)]
            table = _rule_table(a, b, ys[k : j + 2], hat[k : j + 2], band)
            if table is not None:
                tables.append(table)
                for m in range(k, j + 1):
                    for i in members[m]:
                        taken[i] = True
        k = nxt
    return tables


def _pieces(line: Line) -> list[Chunk]:
    """A line of a table cut where the gap between glyphs could part two cells."""
    out: list[Chunk] = []
    cur: list[Glyph] = []
    for g in line.glyphs:
        if g.text.isspace():
            continue
        if cur and g.x0 - cur[-1].x1 > _CELL_GAP * max(cur[-1].size, g.size, 1.0):
            out.append(Chunk(cur))
            cur = []
        cur.append(g)
    if cur:
        out.append(Chunk(cur))
    return out


def _rule_table(
    x0: float, x1: float, ys: list[float], hat: list[list[Segment]], bands: list[list[Glyph]]
) -> Table | None:
    """One table ruled with horizontal lines only: ``ys`` its rules top to bottom, ``hat`` the
    rules at each, ``bands`` the glyphs between each two rules."""
    band_lines = [build_lines(b) for b in bands]
    ink = [g for b in bands for g in b if not g.text.isspace()]
    if not ink:
        return None
    size = sorted(g.size for g in ink)[len(ink) // 2] or 1.0
    pieces = {id(ln): _pieces(ln) for lines in band_lines for ln in lines}
    hints = [e for rs in hat for r in rs for e in (r.start, r.end) if x0 + SNAP < e < x1 - SNAP]
    xs = _rule_table_columns(x0, x1, [ps for ps in pieces.values()], size, hints)
    nc = len(xs) - 1
    if nc < 2:
        return None

    def cols(p: Chunk) -> tuple[int, int]:
        lo = min(max(bisect.bisect_right(xs, p.x0 + 1.0) - 1, 0), nc - 1)
        hi = min(max(bisect.bisect_right(xs, p.x1 - 1.0) - 1, lo), nc - 1)
        return lo, hi

    # a table: text starting in two columns or more in two rows or more; a single row between two
    # rules (the rest of a table at the top of a page) when it holds a value
    rows = [{cols(p)[0] for ln in lines for p in pieces[id(ln)]} for lines in band_lines]
    if sum(1 for r in rows if len(r) >= 2) < min(2, len(band_lines)):
        return None
    if len(band_lines) == 1 and not any(_is_number(p.text) for ps in pieces.values() for p in ps):
        return None
    pad = _edge_pad(x0, x1, [p for ps in pieces.values() for p in ps], size)

    def fills(p: Chunk, nxt: Chunk) -> bool:
        """Whether ``p`` (nearly) fills its cell, so that ``nxt`` may go on after it: the first
        character of ``nxt`` would not fit after it, or only just (the columns' edges are estimates)."""
        lo, hi = cols(p)
        first = next(g for g in nxt.glyphs if not g.text.isspace())
        room = xs[hi + 1] - xs[lo] - 2 * pad - (p.x1 - p.x0)
        return room < (first.x1 - first.x0) + max(2.0, 0.5 * size)

    # a band holding several rows (rules only around groups of rows, or around the whole table)
    rows_y = list(ys)
    for lines in band_lines:
        rows_y.extend(_rows_in_band(lines, pieces, cols, fills))
    rows_y.sort(reverse=True)
    split = set(rows_y) - set(ys)
    at = [hat[ys.index(y)] if y not in split else [Segment(True, y, x0, x1)] for y in rows_y]
    nr = len(rows_y) - 1
    dsu = _DSU(nr * nc)
    for r in range(nr - 1):
        for c in range(nc):
            if not _covered(at[r + 1], xs[c], xs[c + 1]):
                dsu.union(r * nc + c, (r + 1) * nc + c)
    for ps in pieces.values():
        for p in ps:
            lo, hi = cols(p)
            if hi > lo:
                yc = sum(g.yc for g in p.glyphs) / len(p.glyphs)
                r = min(max(_bisect_desc(rows_y, yc), 0), nr - 1)
                for c in range(lo, hi):
                    dsu.union(r * nc + c, r * nc + c + 1)
    cells: dict[int, list[Glyph]] = {}  # lattice cell -> its glyphs
    for b in bands:
        for g in b:
            c = min(max(bisect.bisect_right(xs, g.xc) - 1, 0), nc - 1)
            r = min(max(_bisect_desc(rows_y, g.yc), 0), nr - 1)
            cells.setdefault(r * nc + c, []).append(g)
    _centred_spans(dsu, xs, nr, cells, size)
    content: dict[int, list[Glyph]] = {}
    for i, gs in cells.items():
        content.setdefault(dsu.find(i), []).extend(gs)
    return _lattice_grid(xs, rows_y, dsu, content)


def _centred_spans(dsu: _DSU, xs: list[float], nr: int, cells: dict[int, list[Glyph]], size: float) -> None:
    """Join the cells of a table without vertical rules that centred text spans.

    Centred text in a cell spanning columns sits at the middle of its span, and only text that
    crosses a column edge shows that it spans. Text sitting at the middle of a run of columns
    otherwise empty in its row, where rows above and below leave that run empty or hold centred
    text of their own there, spans the run: a header over a block of rows with one value (a
    value alone would be a value among blanks), with the values and blanks of those rows.
    """
    nc = len(xs) - 1
    if nc < 3:
        return
    tol = max(1.5, 0.15 * size)
    ink: dict[int, list[Glyph]] = {}
    for i, gs in cells.items():
        ink.setdefault(dsu.find(i), []).extend(g for g in gs if not g.text.isspace())

    def state(r: int, a: int, b: int) -> str | None:
        """How row ``r`` fills columns ``a``-``b``: "text" or "value" centred across them, "empty",
        or None (other text, or a cell reaching out of them)."""
        roots = {dsu.find(r * nc + c) for c in range(a, b + 1)}
        if a > 0 and dsu.find(r * nc + a - 1) in roots or b + 1 < nc and dsu.find(r * nc + b + 1) in roots:
            return None
        full = [root for root in roots if ink.get(root)]
        if not full:
            return "empty"
        if len(full) > 1:
            return None
        gs = ink[full[0]]
        if abs((min(g.x0 for g in gs) + max(g.x1 for g in gs)) / 2 - (xs[a] + xs[b + 1]) / 2) > tol:
            return None
        return "value" if _is_number(cell_text(gs).replace("\n", "")) else "text"

    spans = {(a, b) for r in range(nr) for a in range(nc) for b in range(a + 1, nc) if state(r, a, b) in ("text", "value")}
    for a, b in sorted(spans, key=lambda s: s[0] - s[1]):  # the widest first
        r = 0
        while r < nr:
            states = []
            while r + len(states) < nr and (st := state(r + len(states), a, b)) is not None:
                states.append(st)
            end = r + len(states)
            # a cell of the run reaching rows above or below it (an empty cell spanning rows beside
            # text that only happens to sit at the run's middle) would be dragged into the span
            reaches = any(
                0 <= m < nr and dsu.find(m * nc + c) == dsu.find(inside * nc + c)
                for m, inside in ((r - 1, r), (end, end - 1))
                for c in range(a, b + 1)
            )
            if "text" in states and not reaches:
                for m in range(r, r + len(states)):
                    for c in range(a, b):
                        dsu.union(m * nc + c, m * nc + c + 1)
            r += max(len(states), 1)


def _edge_pad(x0: float, x1: float, pieces: list[Chunk], size: float) -> float:
    """The cells' padding: the least room text leaves to the table's outer edges."""
    pad = size
    for p in pieces:
        pad = min(pad, p.x0 - x0, x1 - p.x1)
    return max(pad, 0.0)


def _rule_table_columns(
    x0: float, x1: float, lines: list[list[Chunk]], size: float, hints: Iterable[float] = ()
) -> list[float]:
    """Column edges, left to right, of a table without vertical rules between ``x0`` and ``x1``,
    from the pieces of text of each line.

    A column edge lies where a line leaves a gap between two pieces, in the part of the gap that
    the text of the other lines leaves free (text reaching over the whole gap spans columns; text
    that would leave next to no room is taken to span too). The narrowest such room locates an
    edge best; wider ones over it (a blank cell between) add nothing. Within the room the edge is
    where a rule shorter than the table stops (``hints``: it closes some columns only), else a
    cell's padding before a column whose text is left-aligned (after one whose text is
    right-aligned), else in the middle.
    """
    pieces = sorted((p for ps in lines for p in ps), key=lambda p: p.x0)
    starts = [p.x0 for p in pieces]
    pad = _edge_pad(x0, x1, pieces, size)
    least = max(2.0, min(pad, 0.6 * size))  # text reaching into a cell's padding crosses its edge
    rooms: list[tuple[float, float, float, float]] = []  # a room, and the gap it is part of
    for ps in lines:
        for left, right in zip(ps, ps[1:]):
            a, b = gap = left.x1, right.x0
            # the text of other lines within the gap, left to right
            cuts = []
            for p in pieces[: bisect.bisect_left(starts, b)]:
                if p.x1 <= a or (p.x0 <= a and p.x1 >= b):
                    continue
                lo, hi = max(p.x0, a), min(p.x1, b)
                if p.x0 <= a and b - hi < least or p.x1 >= b and lo - a < least:
                    continue  # it would leave no room: it spans the columns
                cuts.append((lo, hi))
            cuts.sort()
            for lo, hi in cuts:
                if lo - a >= least:
                    rooms.append((a, lo, *gap))
                a = max(a, hi)
            if b - a >= least:
                rooms.append((a, b, *gap))
    found: list[tuple[float, float, float, float]] = []
    for room in sorted(rooms, key=lambda g: g[1] - g[0]):
        if not any(room[0] < zb and room[1] > za for za, zb, _, _ in found):
            found.append(room)
    if not found:
        return [x0, x1]
    found.sort()
    zones = [(a, b) for a, b, _, _ in found]
    # the pieces of each column: those lying between two zones (not spanning one)
    edges = [x0] + [e for z in zones for e in z] + [x1]
    members: list[list[Chunk]] = [[] for _ in range(len(zones) + 1)]
    for p in pieces:
        for k in range(len(zones) + 1):
            if p.x0 >= edges[2 * k] - 1.0 and p.x1 <= edges[2 * k + 1] + 1.0:
                members[k].append(p)
                break

    # how each column's text is aligned: its left ends, right ends or middles in line (most of its
    # pieces: text spanning columns may lie in it too); where that is ambiguous (pieces of one
    # width), as most columns that show it
    kinds: list[str | None] = []
    middles: list[float | None] = []
    for m in members:
        if len(m) < 2:
            kinds.append(None)
            middles.append((m[0].x0 + m[0].x1) / 2 if m else None)
            continue
        shown: dict[str, int] = {}
        for kind, vals, tol in (
            ("left", [p.x0 for p in m], 1.0),
            ("centre", [(p.x0 + p.x1) / 2 for p in m], 1.5),
            ("right", [p.x1 for p in m], 1.0),
        ):
            count, at = _densest(vals, tol)
            if count >= max(2, 0.6 * len(m)):
                shown[kind] = count
            if kind == "centre":
                middles.append(at)
        most = max(shown.values(), default=0)
        kinds.append("/".join(k for k, v in shown.items() if v == most) or "mixed")
    plain = [k for k in kinds[1:] if k in ("left", "centre", "right")] or [k for k in kinds if k in ("left", "centre", "right")]
    usual = max(("left", "centre", "right"), key=plain.count) if plain else "left"
    kinds = [
        k if k in ("left", "centre", "right", "mixed") else usual if k is None or usual in k.split("/") else k.split("/")[0]
        for k in kinds
    ]
    hints = sorted(hints)
    n = len(zones)
    edge: list[float | None] = [None] * n
    for k, (a, b) in enumerate(zones):
        near = [h for h in hints if a - 1.0 <= h <= b + 1.0]
        if near:
            edge[k] = near[len(near) // 2]
        elif kinds[k + 1] == "left":
            edge[k] = max(a, b - pad)
        elif kinds[k] == "right":
            edge[k] = min(b, a + pad)
    # a centred column between a known edge and an unknown one: the middle of its text is the
    # middle of the column (the edge may then lie beyond the room other lines leave, in the gap
    # of the line that shows it: text reaching over it spans columns)
    changed = True
    while changed:
        changed = False
        for k in range(n):
            if edge[k] is not None:
                continue
            a, b = zones[k]
            before = x0 if k == 0 else edge[k - 1]
            after = x1 if k == n - 1 else edge[k + 1]
            for known, col in ((before, k), (after, k + 1)):
                if known is not None and kinds[col] == "centre" and middles[col] is not None:
                    x = 2 * middles[col] - known
                    if (
                        min(a, found[k][2]) - 1.0 <= x <= max(b, found[k][3]) + 1.0
                        and (before is None or x > before)
                        and (after is None or x < after)
                        and all(p.x0 < x for p in members[k])
                        and all(p.x1 > x for p in members[k + 1])
                    ):
                        edge[k] = x
                        changed = True
                        break
    placed = [e if e is not None else (a + b) / 2 for e, (a, b) in zip(edge, zones)]
    # a shorter rule's end is a column edge even where no line shows a gap there (the cells on
    # either side never hold text on one line, as a header spanning rows beside its items)
    placed += [h for h in hints if all(abs(h - x) >= max(3.0, 0.5 * size) for x in placed)]
    xs = [x0]
    for x in sorted(placed):
        if x - xs[-1] >= max(3.0, 0.5 * size):  # two rooms placing one edge
            xs.append(x)
    if len(xs) > 1 and x1 - xs[-1] < max(3.0, 0.5 * size):
        xs.pop()
    xs.append(x1)
    return xs


def _densest(vals: list[float], tol: float) -> tuple[int, float]:
    """The most values lying within ``tol`` of each other, and their middle."""
    vals = sorted(vals)
    best, at, j = 0, vals[0], 0
    for i, v in enumerate(vals):
        while v - vals[j] > tol:
            j += 1
        if i - j + 1 > best:
            best, at = i - j + 1, (vals[j] + v) / 2
    return best, at


def _rows_in_band(
    lines: list[Line],
    pieces: dict[int, list[Chunk]],
    cols: Callable[[Chunk], tuple[int, int]],
    fills: Callable[[Chunk, Chunk], bool],
) -> list[float]:
    """Where a band between two rules holds more than one row, the y of each boundary.

    A band is one row (its cells' text wrapped over lines, centred vertically or not) unless it
    shows two values in one column: a number that does not fill its column, with another under
    it. Then, as in a table without rules, a line starts a row where a column starts new text or
    holds a number (unless it goes on a number above that filled its column)."""
    percol: dict[int, list[Chunk]] = {}
    for ln in lines:
        for p in pieces[id(ln)]:
            percol.setdefault(cols(p)[0], []).append(p)
    if not any(
        _is_number(u.text) and _is_number(v.text) and not fills(u, v)
        for ps in percol.values()
        for u, v in zip(ps, ps[1:])
    ):
        return []
    out = []
    above: dict[int, Chunk] = {}  # the columns of the line above -> its piece there
    bottom = None
    for ln in lines:
        placed = [(cols(p)[0], p) for p in pieces[id(ln)]]
        if bottom is not None and any(
            c not in above or _is_number(p.text) and not (_is_number(above[c].text) and fills(above[c], p))
            for c, p in placed
        ):
            out.append((bottom + ln.y1) / 2)
        above = dict(placed)
        bottom = ln.y0
    return out


# --------------------------------------------------------------------------------------------
# tables without rules

_NUMBER = re.compile(r"[+\-−]?\d[\d,，.]*(%|％|万元|元)?")
#: How far (in points) text may start from its column's left edge and still be in that column.
_ANCHOR_TOL = 2.5


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.replace(" ", "")))


def find_positional_tables(lines: list[Line], precision: float = 0.0) -> list[tuple[int, int, Table]]:
    """Tables without rules among consecutive ``lines`` (top to bottom, one flow of text).

    Returns ``(first, last, table)`` with the indices of the first and last line each table took.
    ``precision`` is how far (in points) a measured position may be off (see :func:`layout_page`).
    """
    spans: list[tuple[int, int, list[float]]] = []
    tol = _ANCHOR_TOL + 2 * precision
    n = len(lines)
    i = 0
    while i < n:
        # a cluster: consecutive lines of one size, closely spaced
        j = i
        while j + 1 < n and _same_flow(lines[j], lines[j + 1]):
            j += 1
        spans.extend(_tables_in_cluster(lines, i, j, tol))
        i = j + 1
    # The distance between baselines tells rows apart where the layout leaves a little room between
    # rows: lines of one cell follow at the font's line pitch, a new row starts a bit lower. Learn
    # that pitch from tables showing both distances, and use it for all tables of the same size.
    pitches: dict[float, tuple[float, float]] = {}
    stats = []
    for first, last, anchors in spans:
        pairs = _pitches(lines[first : last + 1], anchors, tol)
        stats.append(pairs)
        inner = _inner_pitch(pairs, precision)
        if inner is not None:
            size = round(lines[first].size, 1)
            pitches[size] = min(pitches.get(size, inner), inner, key=lambda band: band[1])
    out = []
    for (first, last, anchors), pairs in zip(spans, stats):
        part = lines[first : last + 1]
        pitch = _inner_pitch(pairs, precision)
        learnt = pitches.get(round(lines[first].size, 1))
        if pitch is None and learnt is not None and pairs and all(p >= learnt[1] + 0.1 + 2 * precision for p in pairs):
            pitch = learnt  # every line of this table starts a row
        out.append((first, last, _grid_from_positions(part, anchors, pitch, precision)))
    return out


def _baseline(chunk: Chunk) -> float:
    return min(g.y0 for g in chunk.glyphs if not g.text.isspace())


def _pitches(lines: list[Line], anchors: list[float], tol: float = _ANCHOR_TOL) -> list[float]:
    """Baseline distances between chunks of one column on consecutive lines."""
    out = []
    for a, b in zip(lines, lines[1:]):
        above = {_anchor_of(anchors, ch.x0, tol): ch for ch in a.chunks()}
        for ch in b.chunks():
            up = above.get(_anchor_of(anchors, ch.x0, tol))
            if up is not None:
                out.append(_baseline(up) - _baseline(ch))
    return out


def _inner_pitch(pairs: list[float], precision: float = 0.0) -> tuple[float, float] | None:
    """The distances between baselines at which a line goes on in the cell above it, ``(low,
    high)``, when the table shows two distinct pitches: within cells, and a larger one between rows.

    Exact positions (``precision`` 0) keep the pitch within a cell to a few hundredths of a point;
    the inner pitch is then the distances up to 0.25 pt above the smallest, all others at least
    0.45 pt above it. Measured positions scatter (each distance by up to twice ``precision``, more
    where the measuring is rough): the inner pitch is then the distances below the first gap of
    more than ``0.45 + 4 * precision`` between them, a gap wider than the spread of the distances
    below it, and a line goes on in a cell up to halfway to the pitch between rows.
    """
    if len(pairs) < 4:
        return None
    if not precision:
        low = min(pairs)
        small = [p for p in pairs if p <= low + 0.25]
        large = [p for p in pairs if p >= low + 0.45]
        if len(small) >= 2 and len(large) >= 2 and len(small) + len(large) == len(pairs):
            return max(small) - 0.3, max(small) + 0.3
        return None
    ordered = sorted(pairs)
    for i in range(1, len(ordered) - 2):
        gap = ordered[i + 1] - ordered[i]
        if gap > 0.45 + 4 * precision:
            small, large = ordered[: i + 1], ordered[i + 1 :]
            if gap > small[-1] - small[0]:
                return small[0] - 0.3 - 2 * precision, min(small[-1] + 0.3 + 2 * precision, (small[-1] + large[0]) / 2)
            return None
    return None


def _same_flow(a: Line, b: Line) -> bool:
    size = max(a.size, b.size)
    if abs(a.size - b.size) > 0.15 * size:
        return False
    gap = a.y0 - b.y1
    return -0.3 * size <= gap <= 3.0 * size


def _tables_in_cluster(lines: list[Line], first: int, last: int, tol: float = _ANCHOR_TOL) -> list[tuple[int, int, list[float]]]:
    multi = [k for k in range(first, last + 1) if len(lines[k].chunks()) >= 2]
    if len(multi) == 1 and _lone_row(lines[multi[0]]):
        k = multi[0]
        return [(k, k, _anchors(lines[k].chunks(), lines[k].size, tol))]
    if len(multi) < 2:
        return []
    anchors = _anchors([c for k in multi for c in lines[k].chunks()], lines[first].size, tol)
    # take in lines before the first / after the last multi-chunk line that sit on the anchors and
    # follow at the spacing the table's lines keep (a paragraph set off by more space stays out)
    lo, hi = multi[0], multi[-1]
    gaps = sorted(lines[k].y0 - lines[k + 1].y1 for k in range(lo, hi))
    limit = gaps[len(gaps) // 2] * 1.5 + 0.1 * lines[first].size if gaps else 0.0
    while lo > first and _on_anchors(lines[lo - 1], anchors, tol) and lines[lo - 1].y0 - lines[lo].y1 <= limit:
        lo -= 1
    while hi < last and _on_anchors(lines[hi + 1], anchors, tol) and lines[hi].y0 - lines[hi + 1].y1 <= limit:
        hi += 1
    # inside, every line must sit on the anchors; otherwise split there
    result: list[tuple[int, int, list[float]]] = []
    start = lo
    for k in range(lo, hi + 2):
        if k == hi + 1 or not _on_anchors(lines[k], anchors, tol):
            part = [m for m in multi if start <= m < k]
            if k - start >= 2 and len(part) >= 2:
                own = _anchors([c for m in part for c in lines[m].chunks()], lines[first].size, tol)
                # columns must be shared: at least two lines with text starting on two common anchors
                shared = sum(1 for m in part if len({_anchor_of(own, c.x0, tol) for c in lines[m].chunks()} - {None}) >= 2)
                if shared >= 2 and all(_on_anchors(lines[m], own, tol) for m in range(start, k)):
                    result.append((start, k - 1, own))
            start = k + 1
    # a row left out by the split (its text a little off the anchors of the whole cluster, which
    # mix the columns of every table in it) still belongs to the table beside it when it sits on
    # that table's own columns
    for i, (a, b, own) in enumerate(result):
        before = result[i - 1][1] if i else lo - 1
        nxt = result[i + 1][0] if i + 1 < len(result) else hi + 1
        while a - 1 > before and len(lines[a - 1].chunks()) >= 2 and _on_anchors(lines[a - 1], own, tol):
            a -= 1
        while b + 1 < nxt and len(lines[b + 1].chunks()) >= 2 and _on_anchors(lines[b + 1], own, tol):
            b += 1
        result[i] = (a, b, own)
    # a row still left out, a label and its numbers, is a table row of its own
    taken = {k for a, b, _ in result for k in range(a, b + 1)}
    for k in multi:
        if k not in taken and _lone_row(lines[k]):
            result.append((k, k, _anchors(lines[k].chunks(), lines[k].size, tol)))
    result.sort()
    return result


def _lone_row(line: Line) -> bool:
    """Whether a line standing alone is a table row: a label followed by numbers set apart from it
    and from each other (the last row of a table carried over to the next page)."""
    chunks = line.chunks()
    return len(chunks) >= 2 and not _is_number(chunks[0].text) and all(_is_number(c.text) for c in chunks[1:])


def _anchors(chunks: list[Chunk], size: float, tol: float = _ANCHOR_TOL) -> list[float]:
    """The left edges of a table's columns: where its chunks start (measured positions, whose
    ``tol`` is wider than the exact one, scatter more)."""
    return _cluster([c.x0 for c in chunks], max(2.0, 0.3 * size) + tol - _ANCHOR_TOL)


def _anchor_of(anchors: list[float], x: float, tol: float = _ANCHOR_TOL) -> int | None:
    k = bisect.bisect_left(anchors, x)
    best = None
    for cand in (k - 1, k):
        if 0 <= cand < len(anchors) and abs(anchors[cand] - x) <= tol:
            if best is None or abs(anchors[cand] - x) < abs(anchors[best] - x):
                best = cand
    return best


def _on_anchors(line: Line, anchors: list[float], tol: float = _ANCHOR_TOL) -> bool:
    return all(_anchor_of(anchors, c.x0, tol) is not None for c in line.chunks())


class _PCell:
    __slots__ = ("row", "row_end", "col", "end", "lines", "last", "glyphs")

    def __init__(self, row: int, col: int, end: int, chunk: Chunk) -> None:
        self.row = self.row_end = row
        self.col, self.end = col, end
        self.lines = [chunk.text.strip()]
        self.last = chunk
        self.glyphs = list(chunk.glyphs)

    def add(self, chunk: Chunk, row: int) -> None:
        self.lines.append(chunk.text.strip())
        self.last = chunk
        self.row_end = row
        self.glyphs.extend(chunk.glyphs)


_OPENERS, _CLOSERS = "（(【[《“‘", "）)】]》”’"
_GOES_ON = frozenset("，、（(【[《“‘—-")


def _open(lines: list[str]) -> bool:
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


def _grid_from_positions(
    lines: list[Line], anchors: list[float], pitch: tuple[float, float] | None = None, precision: float = 0.0
) -> Table:
    """Rows and cells of a table without rules.

    With ``pitch`` (the band of distances between baselines within a cell, see
    :func:`_inner_pitch`) a chunk continues the cell above it when it sits one pitch lower, and
    starts a new cell (and row) otherwise. Without it,
    rows are told apart by where text starts: a column starting new text, or a number.
    """
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    na = len(anchors)
    tol = _ANCHOR_TOL + 2 * precision

    def span_end(col: int, chunk: Chunk) -> int:
        end = col
        while end + 1 < na and chunk.x1 > anchors[end + 1] + 0.2 * size:
            end += 1
        return end

    # the room a cell leaves between its text and the next column's text (cell padding)
    # (measured where the next column holds text on the same line, so the cell surely ends there)
    gaps = []
    for ln in lines:
        chunks = ln.chunks()
        for ch, nxt in zip(chunks, chunks[1:]):
            k = bisect.bisect_right(anchors, ch.x1 + 0.2 * size)
            if k < na and abs(anchors[k] - nxt.x0) <= tol:
                gaps.append(anchors[k] - ch.x1)
    pad = min(max(min(gaps) if gaps else size, 0.5 * size), 2.0 * size)

    def full(chunk: Chunk) -> bool:
        """Whether the chunk fills its column, so that its text goes on in the next line."""
        k = bisect.bisect_right(anchors, chunk.x1 + 0.2 * size)
        if k >= na:
            return False
        return chunk.x1 + 0.9 * size > anchors[k] - pad + 0.5

    cells: list[_PCell] = []
    owner: dict[int, _PCell] = {}  # column -> the cell holding it in the current row
    prev: dict[int, Chunk] = {}  # columns covered by the previous line -> its chunk there
    row = -1
    for ln in lines:
        placed = []
        for ch in ln.chunks():
            col = _anchor_of(anchors, ch.x0, tol)
            if col is None:  # pragma: no cover - lines off the anchors are never part of a table
                continue
            placed.append((col, ch))
        if pitch is not None and row >= 0:
            goes_on = {
                col: prev[col] is owner[col].last
                and pitch[0] <= _baseline(prev[col]) - _baseline(ch) <= pitch[1]
                for col, ch in placed
                if col in prev and col in owner
            }
            if all(goes_on.get(col, False) for col, _ in placed):
                for col, ch in placed:
                    owner[col].add(ch, row)
            else:
                row += 1
                new_owner = {}
                for col, ch in placed:
                    if goes_on.get(col, False):
                        cell = owner[col]
                        cell.add(ch, row)
                    else:
                        cell = _PCell(row, col, span_end(col, ch), ch)
                        cells.append(cell)
                    for c in range(cell.col, cell.end + 1):
                        new_owner[c] = cell
                owner = new_owner
        # a row starts where a column starts new text, or with a number (numbers never wrap)
        elif row < 0 or any(col not in prev or _is_number(ch.text) for col, ch in placed):
            row += 1
            # the label printed next to a row's first number belongs to that row
            numeric = [col for col, ch in placed if _is_number(ch.text)]
            inner = max((col for col, ch in placed if numeric and col < numeric[0] and not _is_number(ch.text)), default=None)
            starts = {col for col, _ in placed}
            new_owner: dict[int, _PCell] = {}
            for col, ch in placed:
                above = owner.get(col)
                if (
                    above is not None
                    and above.col == col
                    and above.last is prev.get(col)
                    and col != inner
                    and not _is_number(ch.text)
                    and not any(above.col < c <= above.end for c in starts)
                    and (full(above.last) or _open(above.lines))
                ):
                    above.add(ch, row)  # text running on over the row boundary: one merged cell
                    cell = above
                else:
                    cell = _PCell(row, col, span_end(col, ch), ch)
                    cells.append(cell)
                for c in range(cell.col, cell.end + 1):
                    new_owner[c] = cell
            owner = new_owner
        else:
            for col, ch in placed:
                cell = owner.get(col)
                if cell is None:  # pragma: no cover - excluded by the new-row test
                    cell = _PCell(row, col, span_end(col, ch), ch)
                    cells.append(cell)
                    owner[col] = cell
                else:
                    cell.add(ch, row)
        prev = {}
        for col, ch in placed:
            for c in range(col, span_end(col, ch) + 1):
                prev[c] = ch

    grid: list[list[list]] = [[["", False] for _ in range(na)] for _ in range(row + 1)]
    for cell in cells:
        for r in range(cell.row, cell.row_end + 1):
            for c in range(cell.col, cell.end + 1):
                grid[r][c] = ["", True]
        grid[cell.row][cell.col] = ["\n".join(t for t in cell.lines if t), False]
    _close_label_columns(grid, cells)
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    table = Table(x0, lines[-1].y0, x1, lines[0].y1, grid, ruled=False)
    table.columns = list(anchors)
    for cell in cells:
        table.glyphs[id(grid[cell.row][cell.col])] = cell.glyphs
    return table


def _close_label_columns(grid: list[list[list]], cells: list[_PCell]) -> None:
    """Mark the gaps of label columns as covered by a neighbouring cell.

    Without rules, a label merged over two columns or several rows leaves the positions it covers
    looking empty. In a column that holds text in many rows and never a number, such a position is
    no blank value: it is marked ``merged`` (a blank of a value column stays a blank). Only text
    beside numbers counts, as labels stand beside their values: the column headings above a row of
    values (行政复议 / 未经复议直接起诉 / 结果维持) make no label column of one whose value is blank.
    """
    if not grid:
        return
    nrows, ncols = len(grid), len(grid[0])
    text_rows = [0] * ncols
    numbers = [False] * ncols
    numeric_rows = set()
    for cell in cells:
        if _is_number("".join(cell.lines).replace("\n", "")):
            numbers[cell.col] = True
            numeric_rows.update(range(cell.row, cell.row_end + 1))
    for cell in cells:
        text = "".join(cell.lines)
        if text and not _is_number(text.replace("\n", "")) and cell.row in numeric_rows:
            text_rows[cell.col] += 1
    for c in range(ncols):
        if numbers[c] or text_rows[c] < 3:
            continue
        for r in range(nrows):
            if grid[r][c] == ["", False]:
                grid[r][c] = ["", True]


# --------------------------------------------------------------------------------------------
# a whole page


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
            if out and t and not (_is_wide(out[-1]) or _is_wide(t[0])):
                out += " "
            out += t
        return out

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"TextBlock({self.text!r})"


_ENDS_PARAGRAPH = frozenset("。！？!?：:；;")


def layout_page(glyphs: list[Glyph], segments: list[Segment], *, precision: float = 0.0) -> list[Table | TextBlock]:
    """The blocks of one page, top to bottom: tables and paragraphs.

    ``precision`` is how far, in points, a glyph's measured position may be from where it was set:
    0 for a text layer, which gives positions exactly; about a pixel and a half for text found by
    OCR. Tables without rules are told from the spacing of their lines, to a few tenths of a point
    in a text layer; measured positions widen those tolerances by their precision.
    """
    tables, free, loose = _find_lattices(segments, glyphs)
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


#: Width of the text, in ems, below which lines are no column of running text: the text width
#: the lines of a page span tells wrapped lines only when it is that of a text column (a page
#: holding a few short lines, such as a signature set right, spans only their width).
_COLUMN_EMS = 15


def _paragraphs(lines: list[Line], numbers: dict[int, int]) -> list[TextBlock]:
    """Join wrapped lines into paragraphs: a line filling the text width, followed by an unindented
    line of the same size at the usual spacing, goes on in that line."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    out: list[TextBlock] = []
    for ln in lines:
        if out:
            prev = out[-1].lines[-1]
            size = max(prev.size, ln.size)
            t = prev.text.rstrip()
            if (
                right - left >= _COLUMN_EMS * size
                and abs(prev.size - ln.size) <= 0.1 * size
                and right - prev.x1 <= 2.5 * size
                and ln.x0 - left <= 0.5 * size
                and 0 <= prev.y0 - ln.y1 <= 1.2 * size
                and t[-1:] not in _ENDS_PARAGRAPH
                and len(prev.chunks()) == 1
                and len(ln.chunks()) == 1
            ):
                out[-1].lines.append(ln)
                continue
        out.append(TextBlock([ln], numbers.get(id(ln), 0)))
    return out
