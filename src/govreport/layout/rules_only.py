"""Tables ruled with horizontal lines only.

Word prints a table whose vertical borders are off as a stack of horizontal rules. Rules of one
width, stacked, with rows of text between them, make a table whose rows are the bands between
the rules (whatever the lines of a cell's text, centred vertically or not; a shorter rule
closes only the columns it spans, as under a header spanning columns). Its columns come from
the text (:mod:`.columns`), less a header centred on such a shorter rule: it spans the columns
the rule closes and tells nothing of them. Text centred on a run of columns left empty around it
spans them.
A band between rules shows several rows only when a column holds two values there (rules
around groups of rows).
"""

from __future__ import annotations

import bisect
from typing import Callable

from .columns import edge_pad, rule_table_columns
from .lines import Chunk, Line, build_lines, cell_pieces, cell_text
from .primitives import DisjointSets, Glyph, Segment, bisect_desc, cluster, is_number
from .table import Table, covered, lattice_grid
from .settings import current


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
    join = current().join
    for h in sorted(hs, key=lambda s: -s.pos):
        if stacks and stacks[-1][0].start - join <= h.start and h.end <= stacks[-1][0].end + join:
            stacks[-1].append(h)
        else:
            stacks.append([h])
    return [s for s in stacks if len(s) >= 2]


def _rule_tables(rules: list[Segment], glyphs: list[Glyph], taken: list[bool]) -> list[Table]:
    """The tables of one stack of rules: runs of bands between rules that hold table rows (a band
    holding a paragraph, or text reaching out of the rules' extent, or much empty room around its
    text, separates them: it is no row). A table's first and last rules span its full width."""
    s = current()
    x0, x1 = rules[0].start, rules[0].end
    ys = cluster([r.pos for r in rules], s.snap)
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
        k = min(max(bisect_desc(ys, g.yc), 0), nb - 1)
        if x0 - s.rules_margin <= g.xc <= x1 + s.rules_margin:
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
            pieces = cell_pieces(ln)
            if len(pieces) == 1 and pieces[0].x1 - pieces[0].x0 >= s.prose_share * (x1 - x0):
                prose += 1
        good = slack <= s.row_slack_ems * size + s.row_slack and prose < 2
        ok.append(good)
        if good:
            heights.append(height)
    typical = sorted(heights)[len(heights) // 2] if heights else 0.0
    for k in range(nb):
        if ok[k] is None:
            ok[k] = ys[k] - ys[k + 1] <= s.empty_row_share * typical

    def full_width(k: int, a: float, b: float) -> bool:
        return any(r.start <= a + s.snap and r.end >= b - s.snap for r in hat[k])

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
    s = current()
    pieces = {id(ln): cell_pieces(ln) for lines in band_lines for ln in lines}
    hints = [e for rs in hat for r in rs for e in (r.start, r.end) if x0 + s.snap < e < x1 - s.snap]
    headers = _headers_over_rules(x0, x1, band_lines, hat[1:], pieces, size)
    xs = rule_table_columns(x0, x1, [ps for ps in pieces.values()], size, hints, headers)
    nc = len(xs) - 1
    if nc < 2:
        return None

    def cols(p: Chunk) -> tuple[int, int]:
        lo = min(max(bisect.bisect_right(xs, p.x0 + s.column_margin) - 1, 0), nc - 1)
        hi = min(max(bisect.bisect_right(xs, p.x1 - s.column_margin) - 1, lo), nc - 1)
        return lo, hi

    # a table: text starting in two columns or more in two rows or more; a single row between two
    # rules (the rest of a table at the top of a page) when it holds a value
    rows = [{cols(p)[0] for ln in lines for p in pieces[id(ln)]} for lines in band_lines]
    if sum(1 for r in rows if len(r) >= 2) < min(2, len(band_lines)):
        return None
    if len(band_lines) == 1 and not any(is_number(p.text) for ps in pieces.values() for p in ps):
        return None
    pad = edge_pad(x0, x1, [p for ps in pieces.values() for p in ps], size)

    def fills(p: Chunk, nxt: Chunk) -> bool:
        """Whether ``p`` (nearly) fills its cell, so that ``nxt`` may go on after it: the first
        character of ``nxt`` would not fit after it, or only just (the columns' edges are estimates)."""
        lo, hi = cols(p)
        first = next(g for g in nxt.glyphs if not g.text.isspace())
        room = xs[hi + 1] - xs[lo] - 2 * pad - (p.x1 - p.x0)
        return room < (first.x1 - first.x0) + max(s.fill_spare, s.fill_spare_ems * size)

    # a band holding several rows (rules only around groups of rows, or around the whole table)
    rows_y = list(ys)
    for lines in band_lines:
        rows_y.extend(_rows_in_band(lines, pieces, cols, fills))
    rows_y.sort(reverse=True)
    split = set(rows_y) - set(ys)
    at = [hat[ys.index(y)] if y not in split else [Segment(True, y, x0, x1)] for y in rows_y]
    nr = len(rows_y) - 1
    dsu = DisjointSets(nr * nc)
    for r in range(nr - 1):
        for c in range(nc):
            if not covered(at[r + 1], xs[c], xs[c + 1]):
                dsu.union(r * nc + c, (r + 1) * nc + c)
    for ps in pieces.values():
        for p in ps:
            lo, hi = cols(p)
            if hi > lo:
                yc = sum(g.yc for g in p.glyphs) / len(p.glyphs)
                r = min(max(bisect_desc(rows_y, yc), 0), nr - 1)
                for c in range(lo, hi):
                    dsu.union(r * nc + c, r * nc + c + 1)
    cells: dict[int, list[Glyph]] = {}  # lattice cell -> its glyphs
    for b in bands:
        for g in b:
            c = min(max(bisect.bisect_right(xs, g.xc) - 1, 0), nc - 1)
            r = min(max(bisect_desc(rows_y, g.yc), 0), nr - 1)
            cells.setdefault(r * nc + c, []).append(g)
    _centred_spans(dsu, xs, nr, cells, size)
    content: dict[int, list[Glyph]] = {}
    for i, gs in cells.items():
        content.setdefault(dsu.find(i), []).extend(gs)
    return lattice_grid(xs, rows_y, dsu, content)


def _headers_over_rules(
    x0: float, x1: float, band_lines: list[list[Line]], under: list[list[Segment]], pieces: dict[int, list[Chunk]], size: float
) -> list[Chunk]:
    """Text spanning the columns that a rule shorter than the table closes under it (``under``:
    the rules at the bottom of each band): its band holds no other text over the rule, and its
    lines are centred on the rule.

    Such a header's cell ends where the rule does, so its text says nothing of the columns under
    it; yet, centred, it may stand over the gap between two of them, where the lines of the
    columns' own headers (wrapped or centred vertically apart) leave no room to tell them apart.
    """
    s = current()
    tol = max(s.centred_span_tol, s.centred_span_ems * size)
    out: list[Chunk] = []
    for lines, rules in zip(band_lines, under):
        band = [p for ln in lines for p in pieces[id(ln)]]
        for r in rules:
            if r.start <= x0 + s.snap and r.end >= x1 - s.snap:
                continue  # a rule across the table closes every column alike
            over = [p for p in band if p.x1 > r.start and p.x0 < r.end]
            if over and all(
                r.start <= p.x0 and p.x1 <= r.end and abs((p.x0 + p.x1) / 2 - (r.start + r.end) / 2) <= tol for p in over
            ):
                out.extend(over)
    return out


def _centred_spans(dsu: DisjointSets, xs: list[float], nr: int, cells: dict[int, list[Glyph]], size: float) -> None:
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
    tol = max(current().centred_span_tol, current().centred_span_ems * size)
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
        return "value" if is_number(cell_text(gs).replace("\n", "")) else "text"

    spans: set[tuple[int, int]] = set()
    for r in range(nr):
        roots_of = [dsu.find(r * nc + c) for c in range(nc)]
        for a in range(nc):
            roots = {roots_of[a]}
            for b in range(a + 1, nc):
                roots.add(roots_of[b])
                # a run that already takes in a cell reaching left of it, or two cells with text,
                # has no state but None, nor has any wider run from the same column
                if a > 0 and roots_of[a - 1] in roots or sum(1 for root in roots if ink.get(root)) > 1:
                    break
                if state(r, a, b) in ("text", "value"):
                    spans.add((a, b))
    for a, b in sorted(spans, key=lambda s: s[0] - s[1]):  # the widest first
        r = 0
        while r < nr:
            states: list[str] = []
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
        is_number(u.text) and is_number(v.text) and not fills(u, v)
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
            c not in above or is_number(p.text) and not (is_number(above[c].text) and fills(above[c], p))
            for c, p in placed
        ):
            out.append((bottom + ln.y1) / 2)
        above = dict(placed)
        bottom = ln.y0
    return out
