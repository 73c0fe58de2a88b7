"""A table found on a page (rows of ``[text, merged]`` cells with their edges), and how a lattice
of cells joined across missing rules becomes one; shared by ruled and rules-only tables."""

from __future__ import annotations

from .lines import build_lines, cell_text, is_open
from .primitives import DisjointSets, Glyph, Segment, is_number
from .settings import current


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


def merge_collinear(segs: list[Segment]) -> list[Segment]:
    """Snap parallel segments to shared coordinates and join the pieces of one rule."""
    if not segs:
        return []
    segs = sorted(segs, key=lambda s: s.pos)
    snap, join = current().snap, current().join
    clusters: list[list[Segment]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - clusters[-1][-1].pos <= snap:
            clusters[-1].append(s)
        else:
            clusters.append([s])
    out: list[Segment] = []
    for cl in clusters:
        pos = sum(s.pos for s in cl) / len(cl)
        cl.sort(key=lambda s: s.start)
        cur = Segment(cl[0].horizontal, pos, cl[0].start, cl[0].end)
        for s in cl[1:]:
            if s.start <= cur.end + join:
                cur.end = max(cur.end, s.end)
            else:
                out.append(cur)
                cur = Segment(s.horizontal, pos, s.start, s.end)
        out.append(cur)
    return out


def covered(segs: list[Segment], lo: float, hi: float, share: float | None = None) -> bool:
    """Whether segments (on one coordinate) cover most of [lo, hi] (``share`` of it; by default
    the settings' ``rule_cover_share``, which a caller asking for many spans looks up once)."""
    need = (hi - lo) * (current().rule_cover_share if share is None else share)
    got = 0.0
    for s in segs:
        # max() and min() spelt out: a lattice asks this of every pair of neighbouring cells
        a = s.start if s.start > lo else lo
        b = s.end if s.end < hi else hi
        if b > a:
            got += b - a
    return got >= need


def lattice_grid(xs: list[float], ys: list[float], dsu: "DisjointSets", content: dict[int, list[Glyph]]) -> Table:
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
            b = span.get(roots[r][c])
            if b is None:
                span[roots[r][c]] = [ri, ri, ci, ci]
                continue
            # rows and columns come in order: only the last row and column can grow (a joined
            # cell need not be a rectangle, so its first column may lie left of the one met first)
            b[1] = ri
            if ci < b[2]:
                b[2] = ci
            elif ci > b[3]:
                b[3] = ci
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
    pad = cell_pad(content, span, cxs)
    for root, (rmin, rmax, cmin, cmax) in span.items():
        left, right = cxs[cmin], cxs[cmax + 1]
        table.starts.append((rmin, rows[rmin][cmin], left, right))
        if rmin == 0:
            table.top.append((rows[rmin][cmin], left, right))
        if rmax == last:
            table.bottom.append((rows[rmin][cmin], left, right, runs_on(content.get(root, []), texts[root], left, right, pad)))
    return table


def cell_pad(content: dict[int, list[Glyph]], span: dict[int, list[int]], cxs: list[float]) -> float:
    """The padding of a table's cells: the least room text leaves to a side of its cell (left-
    aligned text shows it; centred text only bounds it from above), at most a usual padding."""
    pad = None
    size = []
    for root, (_, _, cmin, cmax) in span.items():
        ink = [g for g in content.get(root, ()) if not g.text.isspace()]
        if not ink:
            continue
        room = min(min([g.x0 for g in ink]) - cxs[cmin], cxs[cmax + 1] - max([g.x1 for g in ink]))
        pad = room if pad is None or room < pad else pad
        size.append(sorted([g.size for g in ink])[len(ink) // 2])
    if pad is None:
        return 0.0
    s = current()
    return min(max(pad, 0.0), max(s.cell_pad_max, s.cell_pad_ems * sorted(size)[len(size) // 2]))


def runs_on(glyphs: list[Glyph], text: str, left: float, right: float, pad: float) -> bool:
    """Whether a ruled cell's text may go on past the cell's bottom (cut by a page break): it ends
    open, or its last line fills the cell (``pad`` the cells' padding), whatever the text's
    alignment, or it is a label whose last line does not show whether it was cut (a line break
    of its own may end it): centred in the cell, or written one character a line."""
    if not glyphs or not text:
        return False
    number = is_number(text.replace("\n", ""))
    if is_open([text]) and not number:
        return True
    lines = build_lines(glyphs)
    if not number and len(lines) >= 2 and all(len(ln.text.strip()) == 1 for ln in lines):
        return True
    last = lines[-1]
    before, after = last.x0 - left, right - last.x1
    s = current()
    if before + after - 2 * pad < s.fill_room_ems * last.size:
        return True
    return not number and abs(before - after) <= s.centred_tol and min(before, after) > pad + s.centred_room
