"""Ruled tables (lattices).

Horizontal and vertical segments (lines, thin rectangles, the edges of rectangles and of
polygon paths) are snapped to common coordinates and joined where they touch. Segments that
cross each other form one table; its distinct x and y coordinates form a lattice. Two
neighbouring lattice cells belong to one merged cell when no rule separates them. Each glyph
goes to the cell holding its centre.
"""

from __future__ import annotations

import bisect

from .lines import build_lines
from .primitives import DisjointSets, Glyph, Segment, cluster
from .table import Table, covered, lattice_grid, merge_collinear
from .settings import current


def find_ruled_tables(segments: list[Segment], glyphs: list[Glyph]) -> tuple[list[Table], list[Glyph]]:
    """Tables drawn with rules, and the glyphs left outside them."""
    tables, free, _ = find_lattices(segments, glyphs)
    return tables, free


def find_lattices(
    segments: list[Segment], glyphs: list[Glyph]
) -> tuple[list[Table], list[Glyph], list[Segment]]:
    """Tables drawn with horizontal and vertical rules, the glyphs left outside them, and the
    horizontal rules that touch no vertical one (for :func:`find_rule_tables`)."""
    hs = merge_collinear([s for s in segments if s.horizontal])
    vs = merge_collinear([s for s in segments if not s.horizontal])
    if not vs:
        return [], glyphs, hs
    if len(hs) < 2:
        return [], glyphs, []
    allsegs = hs + vs
    dsu = DisjointSets(len(allsegs))
    nh = len(hs)
    # sweep: sort verticals by x so each horizontal only looks at the verticals within its span
    vorder = sorted(range(len(vs)), key=lambda i: vs[i].pos)
    vxs = [vs[i].pos for i in vorder]
    join = current().join
    for hi, h in enumerate(hs):
        lo = bisect.bisect_left(vxs, h.start - join)
        hi_ = bisect.bisect_right(vxs, h.end + join)
        for k in range(lo, hi_):
            vi = vorder[k]
            v = vs[vi]
            if v.start - join <= h.pos <= v.end + join:
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
    if groups:
        centres = _Centres(glyphs)
        for _, ch, cv in groups:
            t = _lattice_table(ch, cv, glyphs, taken, centres)
            if t is not None:
                tables.append(t)
    free = [g for g, t in zip(glyphs, taken) if not t]
    return tables, free, loose


class _Centres:
    """Every glyph's centre, and the glyphs in the order of their centres' heights: each table
    looks only at the glyphs level with it, not at the whole page."""

    __slots__ = ("xs", "ys", "order", "heights")

    def __init__(self, glyphs: list[Glyph]) -> None:
        self.xs = [(g.x0 + g.x1) / 2 for g in glyphs]
        self.ys = [(g.y0 + g.y1) / 2 for g in glyphs]
        self.order = sorted(range(len(glyphs)), key=self.ys.__getitem__)
        self.heights = [self.ys[i] for i in self.order]

    def between(self, lo: float, hi: float) -> list[int]:
        """The glyphs whose centre lies at a height from ``lo`` to ``hi``, in page order."""
        a, b = bisect.bisect_left(self.heights, lo), bisect.bisect_right(self.heights, hi)
        return sorted(self.order[a:b])


def _lattice_table(hs: list[Segment], vs: list[Segment], glyphs: list[Glyph], taken: list[bool],
                   centres: _Centres) -> Table | None:
    snap = current().snap
    xs = cluster([v.pos for v in vs] + [min(h.start for h in hs), max(h.end for h in hs)], snap)
    ys = cluster([h.pos for h in hs] + [min(v.start for v in vs), max(v.end for v in vs)], snap)
    ys.reverse()  # top to bottom
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc < 2:
        return None
    x0, x1, y1, y0 = xs[0], xs[-1], ys[0], ys[-1]
    # rules on each lattice coordinate
    neg_ys = [-y for y in ys]  # ascending, for bisect
    vat: list[list[Segment]] = [[] for _ in xs]
    for v in vs:
        vat[_nearest(xs, xs, v.pos, v.pos)].append(v)
    hat: list[list[Segment]] = [[] for _ in ys]
    for h in hs:
        hat[_nearest(ys, neg_ys, h.pos, -h.pos)].append(h)
    dsu = DisjointSets(nr * nc)
    share = current().rule_cover_share
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not covered(vat[c + 1], ys[r + 1], ys[r], share):
                dsu.union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not covered(hat[r + 1], xs[c], xs[c + 1], share):
                dsu.union(r * nc + c, (r + 1) * nc + c)
    ncells = len({dsu.find(i) for i in range(nr * nc)})
    if ncells == 1:
        return None  # a box around text (a frame), not a table
    # glyphs to cells by their centre
    content: dict[int, list[Glyph]] = {}
    mine: list[int] = []
    tol = current().lattice_margin
    xcs, ycs = centres.xs, centres.ys
    for i in centres.between(y0 - tol, y1 + tol):
        if taken[i]:
            continue
        xc, yc = xcs[i], ycs[i]
        if not x0 - tol <= xc <= x1 + tol:
            continue
        g = glyphs[i]
        # the column and row (bisect_desc(ys, yc): how many ys are at or above yc, less one),
        # within the lattice; min() and max() spelt out: every glyph of the table comes here
        c = bisect.bisect_right(xs, xc) - 1
        c = 0 if c < 0 else nc - 1 if c >= nc else c
        r = bisect.bisect_right(neg_ys, -yc) - 1
        r = 0 if r < 0 else nr - 1 if r >= nr else r
        taken[i] = True
        mine.append(i)
        content.setdefault(dsu.find(r * nc + c), []).append(g)
    if _is_layout_box(content, ncells):
        for i in mine:
            taken[i] = False
        return None
    return lattice_grid(xs, ys, dsu, content)


def _nearest(coords: list[float], ascending: list[float], pos: float, key: float) -> int:
    """The first index of ``coords`` nearest to ``pos``; ``ascending`` is ``coords`` or, for
    descending ``coords``, their negation, and ``key`` is ``pos`` or ``-pos`` alike. The lattice's
    coordinates lie more than the snap apart, so the nearest is beside where ``key`` would go."""
    k = bisect.bisect_left(ascending, key)
    return min(range(max(k - 2, 0), min(k + 2, len(coords))), key=lambda i: abs(coords[i] - pos))


def _is_layout_box(content: dict[int, list[Glyph]], ncells: int) -> bool:
    """A few boxes holding running text (a page border with a rule, a framed paragraph) are page
    decoration, not a table: their text is read as paragraphs."""
    s = current()
    if ncells > s.frame_cells:
        return False
    for glyphs in content.values():
        lines = build_lines(glyphs)
        if len(lines) >= s.frame_lines and max(ln.x1 - ln.x0 for ln in lines) >= s.frame_width:
            return True
    return False
