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


Room = tuple[float, float, float, float]  # a room free of text, and the gap (a, b) it is part of


def rule_table_columns(
    x0: float,
    x1: float,
    lines: list[list[Chunk]],
    size: float,
    hints: Iterable[float] = (),
    spanning: Iterable[Chunk] = (),
) -> list[float]:
    """Column edges, left to right, of a table without vertical rules between ``x0`` and ``x1``,
    from the pieces of text of each line.

    A column edge lies where a line leaves a gap between two pieces, in the part of the gap that
    the text of the other lines leaves free (text reaching over the whole gap spans columns; text
    that would leave next to no room is taken to span too). The narrowest such room locates an
    edge best; wider ones over it (a blank cell between) add nothing. Within the room the edge is
    where a rule shorter than the table stops (``hints``: it closes some columns only), else a
    cell's padding before a column whose text is left-aligned (after one whose text is
    right-aligned), else in the middle. Pieces known to span columns (``spanning``, such as a
    header over the columns a shorter rule closes) take no room from the gaps under them.
    """
    pieces = sorted((p for ps in lines for p in ps), key=lambda p: p.x0)
    pad = edge_pad(x0, x1, pieces, size)
    s = current()
    least = max(s.edge_room, min(pad, s.edge_room_ems * size))  # text reaching into a cell's padding crosses its edge
    over = {id(p) for p in spanning}
    found = _narrowest(_rooms(lines, [p for p in pieces if id(p) not in over], least))
    if not found:
        return [x0, x1]
    zones = [(a, b) for a, b, _, _ in found]
    members = _column_members(pieces, zones, x0, x1)
    kinds, middles = _alignments(members)
    hints = sorted(hints)
    edge = _aligned_edges(zones, kinds, hints, pad)
    _centred_edges(edge, found, kinds, middles, members, x0, x1)
    for k, (a, b) in enumerate(zones):
        if edge[k] is None and kinds[k] == "right":  # the centred column beside it did not place it
            edge[k] = min(b, a + pad)
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


def _rooms(lines: list[list[Chunk]], pieces: list[Chunk], least: float) -> list[Room]:
    """Every room between two pieces of a line that the text of the other lines leaves free (at
    least ``least`` wide), with the gap it lies in."""
    starts = [p.x0 for p in pieces]
    rooms: list[Room] = []
    for ps in lines:
        for left, right in zip(ps, ps[1:]):
            a, b = left.x1, right.x0
            gap = (a, b)
            # the text of other lines within the gap, left to right
            cuts = []
            for p in pieces[: bisect.bisect_left(starts, b)]:
                if p.x1 <= a or (p.x0 <= a and p.x1 >= b):
                    continue
                lo = a if a > p.x0 else p.x0  # max(p.x0, a) and min(p.x1, b), spelt out as they go
                hi = b if b < p.x1 else p.x1
                if p.x0 <= a and b - hi < least or p.x1 >= b and lo - a < least:
                    continue  # it would leave no room: it spans the columns
                cuts.append((lo, hi))
            cuts.sort()
            for lo, hi in cuts:
                if lo - a >= least:
                    rooms.append((a, lo, *gap))
                if hi > a:
                    a = hi
            if b - a >= least:
                rooms.append((a, b, *gap))
    return rooms


def _narrowest(rooms: list[Room]) -> list[Room]:
    """The rooms that place an edge, left to right: the narrowest first, a wider one over it adds nothing."""
    found: list[Room] = []
    for room in sorted(rooms, key=lambda g: g[1] - g[0]):
        if not any(room[0] < zb and room[1] > za for za, zb, _, _ in found):
            found.append(room)
    found.sort()
    return found


def _column_members(pieces: list[Chunk], zones: list[tuple[float, float]], x0: float, x1: float) -> list[list[Chunk]]:
    """The pieces of each column: those lying between two zones (not spanning one)."""
    margin = current().column_margin
    edges = [x0] + [e for z in zones for e in z] + [x1]
    members: list[list[Chunk]] = [[] for _ in range(len(zones) + 1)]
    for p in pieces:
        for k in range(len(zones) + 1):
            if p.x0 >= edges[2 * k] - margin and p.x1 <= edges[2 * k + 1] + margin:
                members[k].append(p)
                break
    return members


def _alignments(members: list[list[Chunk]]) -> tuple[list[str], list[float | None]]:
    """How each column's text is aligned ("left", "centre", "right" or "mixed"), and the middle its
    centred text shows.

    The left ends, right ends or middles of most of a column's pieces line up (text spanning
    columns may lie in it too); where that is ambiguous (pieces of one width), or a column holds
    a single piece, it is aligned as most columns that show it."""
    s = current()
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
    resolved = [
        k if k in ("left", "centre", "right", "mixed") else usual if k is None or usual in k.split("/") else k.split("/")[0]
        for k in kinds
    ]
    return resolved, middles


def _aligned_edges(zones: list[tuple[float, float]], kinds: list[str], hints: list[float], pad: float) -> list[float | None]:
    """The edge within each zone that a shorter rule's end, or the alignment of the columns on
    either side, places (``None`` where neither does)."""
    margin = current().column_margin
    edge: list[float | None] = [None] * len(zones)
    for k, (a, b) in enumerate(zones):
        near = [h for h in hints if a - margin <= h <= b + margin]
        if near:
            edge[k] = near[len(near) // 2]
        elif kinds[k + 1] == "left":
            edge[k] = max(a, b - pad)
        elif kinds[k] == "right" and kinds[k + 1] != "centre":
            # text centred beside places the edge exactly once the column's other edge is known
            # (a few labels centred on cells sharing only their right edge may end together by chance)
            edge[k] = min(b, a + pad)
    return edge


def _centred_edges(
    edge: list[float | None],
    found: list[Room],
    kinds: list[str],
    middles: list[float | None],
    members: list[list[Chunk]],
    x0: float,
    x1: float,
) -> None:
    """Fill in ``edge`` where a centred column lies between a known edge and an unknown one: the
    middle of its text is the middle of the column (the edge may then lie beyond the room other
    lines leave, in the gap of the line that shows it: text reaching over it spans columns)."""
    margin = current().column_margin
    n = len(edge)
    changed = True
    while changed:
        changed = False
        for k in range(n):
            if edge[k] is not None:
                continue
            a, b = found[k][0], found[k][1]
            before = x0 if k == 0 else edge[k - 1]
            after = x1 if k == n - 1 else edge[k + 1]
            for known, col in ((before, k), (after, k + 1)):
                middle = middles[col]
                if known is None or kinds[col] != "centre" or middle is None:
                    continue
                x = 2 * middle - known
                if (
                    min(a, found[k][2]) - margin <= x <= max(b, found[k][3]) + margin
                    and (before is None or x > before)
                    and (after is None or x < after)
                    and all(p.x0 < x for p in members[k])
                    and all(p.x1 > x for p in members[k + 1])
                ):
                    edge[k] = x
                    changed = True
                    break


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
