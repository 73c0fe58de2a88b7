"""Stage 2 of the table engine: matching logical rows to the template's rows.

Every (template row, logical row) pair is scored by how well the labels match and whether the row
holds as many values as the template has columns; rows are then assigned best-first, each template
row and each logical row used once. A label is tried as printed in its last cell, then joined with
the cell before it (一个标签被拆成两格), then as the whole run of label cells.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..labels import best_match
from ..template import Row
from .stream import LogicalRow

MIN_SCORE = 0.6


@attrs.frozen(kw_only=True)
class Match:
    row: Row
    logical: LogicalRow
    score: float


def label_candidates(lr: LogicalRow) -> list[tuple[str, float]]:
    keys = [t.key for t in lr.labels if t.key]
    if not keys:
        return []
    out = [(keys[-1], 1.0)]
    if len(keys) >= 2:
        out.append((keys[-2] + keys[-1], 0.98))
    if len(keys) >= 3:
        out.append(("".join(keys), 0.95))
    return out


def label_score(lr: LogicalRow, row: Row) -> float:
    return _score(label_candidates(lr), lr.labels[-1].header, row)


def _score(candidates: list[tuple[str, float]], header: bool, row: Row) -> float:
    best = 0.0
    for key, weight in candidates:
        score = weight * best_match(key, row.labels)
        if score > best:
            best = score
    if header:
        best *= 0.5  # a column header is never a row, even when it reads like one (总计)
    return best


def match_rows(
    logical: list[LogicalRow], rows: tuple[Row, ...], width: Callable[[Row], int]
) -> list[Match]:
    """Assign template rows to logical rows, best scores first, each used at most once."""
    if not rows:
        return []
    cands: list[tuple[float, int, int]] = []
    for li, lr in enumerate(logical):
        if not lr.values:
            continue
        n = len(lr.values)
        candidates, header = label_candidates(lr), lr.labels[-1].header
        for ri, row in enumerate(rows):
            s = _score(candidates, header, row)
            if s < MIN_SCORE:
                continue
            w = width(row)
            s *= 1.0 if n == w else (0.9 if n > w else 0.8)
            cands.append((s, li, ri))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_l: set[int] = set()
    used_r: set[int] = set()
    out: list[Match] = []
    for s, li, ri in cands:
        if li in used_l or ri in used_r:
            continue
        used_l.add(li)
        used_r.add(ri)
        out.append(Match(row=rows[ri], logical=logical[li], score=s))
    out.sort(key=lambda m: m.logical.start)
    return out
