"""The columns of a table without vertical rules, from the gaps in its lines of text.

An edge lies where a line leaves a gap between two pieces of text and the other lines leave
room, placed by the alignment the columns' text shows (left, centred, right, or a shorter
rule's end; such an end is an edge even where no line shows a gap, as beside a label spanning
rows whose lines hold nothing else). Text reaching over an edge spans the columns.
"""

from __future__ import annotations

import bisect
from typing import Iterable

from .lines import Chunk
from .settings import current


def edge_pad(x0: float, x1: float, pieces: list[Chunk], size: float) -> float:
    """The cells' padding: the least room text leaves to the table's outer edges."""
    pad = size
    for p in pieces:
        pad = min(pad, p.x0 - x0, x1 - p.x1)
    return max(pad, 0.0)


def rule_table_columns(
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
    pad = edge_pad(x0, x1, pieces, size)
    s = current()
    least = max(s.edge_room, min(pad, s.edge_room_ems * size))  # text reaching into a cell's padding crosses its edge
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
            if p.x0 >= edges[2 * k] - s.column_margin and p.x1 <= edges[2 * k + 1] + s.column_margin:
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
            ("left", [p.x0 for p in m], s.align_tol),
            ("centre", [(p.x0 + p.x1) / 2 for p in m], s.align_centre_tol),
            ("right", [p.x1 for p in m], s.align_tol),
        ):
            count, at = _densest(vals, tol)
            if count >= max(2, s.align_share * len(m)):
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
        near = [h for h in hints if a - s.column_margin <= h <= b + s.column_margin]
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
                        min(a, found[k][2]) - s.column_margin <= x <= max(b, found[k][3]) + s.column_margin
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
    apart = max(s.edge_gap, s.edge_gap_ems * size)
    placed += [h for h in hints if all(abs(h - x) >= apart for x in placed)]
    xs = [x0]
    for x in sorted(placed):
        if x - xs[-1] >= apart:  # two rooms placing one edge
            xs.append(x)
    if len(xs) > 1 and x1 - xs[-1] < apart:
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
