"""Tables without rules.

Some tables are printed without any borders. Runs of consecutive lines of one font size whose
text falls into aligned columns are rebuilt from positions: columns from the left edges of the
text chunks, rows from where cells start (a column starting new text, or a number, which never
wraps), and a cell continuing into the next row when its text filled the column's width.
"""

from __future__ import annotations

import bisect

from .lines import Chunk, Line, is_open
from .primitives import cluster, is_number
from .table import Table
from .settings import current


def find_positional_tables(lines: list[Line], precision: float = 0.0) -> list[tuple[int, int, Table]]:
    """Tables without rules among consecutive ``lines`` (top to bottom, one flow of text).

    Returns ``(first, last, table)`` with the indices of the first and last line each table took.
    ``precision`` is how far (in points) a measured position may be off (see :func:`layout_page`).
    """
    spans: list[tuple[int, int, list[float]]] = []
    s = current()
    tol = s.anchor_tol + 2 * precision
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
        if pitch is None and learnt is not None and pairs and all(p >= learnt[1] + s.pitch_learnt_margin + 2 * precision for p in pairs):
            pitch = learnt  # every line of this table starts a row
        out.append((first, last, _grid_from_positions(part, anchors, pitch, precision)))
    return out


def _baseline(chunk: Chunk) -> float:
    return min(g.y0 for g in chunk.glyphs if not g.text.isspace())


def _pitches(lines: list[Line], anchors: list[float], tol: float) -> list[float]:
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
    s = current()
    if not precision:
        low = min(pairs)
        small = [p for p in pairs if p <= low + s.pitch_within]
        large = [p for p in pairs if p >= low + s.pitch_between]
        if len(small) >= 2 and len(large) >= 2 and len(small) + len(large) == len(pairs):
            return max(small) - s.pitch_band, max(small) + s.pitch_band
        return None
    ordered = sorted(pairs)
    for i in range(1, len(ordered) - 2):
        gap = ordered[i + 1] - ordered[i]
        if gap > s.pitch_between + 4 * precision:
            small, large = ordered[: i + 1], ordered[i + 1 :]
            if gap > small[-1] - small[0]:
                band = s.pitch_band + 2 * precision
                return small[0] - band, min(small[-1] + band, (small[-1] + large[0]) / 2)
            return None
    return None


def _same_flow(a: Line, b: Line) -> bool:
    size = max(a.size, b.size)
    s = current()
    if abs(a.size - b.size) > s.flow_size_share * size:
        return False
    gap = a.y0 - b.y1
    return -s.flow_overlap_ems * size <= gap <= s.flow_gap_ems * size


def _tables_in_cluster(lines: list[Line], first: int, last: int, tol: float) -> list[tuple[int, int, list[float]]]:
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
    s = current()
    limit = gaps[len(gaps) // 2] * s.table_gap_share + s.table_gap_ems * lines[first].size if gaps else 0.0
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
    return len(chunks) >= 2 and not is_number(chunks[0].text) and all(is_number(c.text) for c in chunks[1:])


def _anchors(chunks: list[Chunk], size: float, tol: float) -> list[float]:
    """The left edges of a table's columns: where its chunks start (measured positions, whose
    ``tol`` is wider than the exact one, scatter more)."""
    s = current()
    return cluster([c.x0 for c in chunks], max(s.anchor_cluster, s.anchor_cluster_ems * size) + tol - s.anchor_tol)


def _anchor_of(anchors: list[float], x: float, tol: float) -> int | None:
    k = bisect.bisect_left(anchors, x)
    best = None
    for cand in (k - 1, k):
        if 0 <= cand < len(anchors) and abs(anchors[cand] - x) <= tol:
            if best is None or abs(anchors[cand] - x) < abs(anchors[best] - x):
                best = cand
    return best


def _on_anchors(line: Line, anchors: list[float], tol: float) -> bool:
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


def _grid_from_positions(
    lines: list[Line], anchors: list[float], pitch: tuple[float, float] | None = None, precision: float = 0.0
) -> Table:
    """Rows and cells of a table without rules.

    With ``pitch`` (the band of distances between baselines within a cell, see
    :func:`_inner_pitch`) a chunk continues the cell above it when it sits one pitch lower, and
    starts a new cell (and row) otherwise. Without it,
    rows are told apart by where text starts: a column starting new text, or a number.
    """
    tol = current().anchor_tol + 2 * precision
    build = _GridBuilder(lines, anchors, tol)
    for ln in lines:
        placed = []
        for ch in ln.chunks():
            col = _anchor_of(anchors, ch.x0, tol)
            if col is None:  # pragma: no cover - lines off the anchors are never part of a table
                continue
            placed.append((col, ch))
        if pitch is not None and build.row >= 0:
            build.by_pitch(placed, pitch)
        # a row starts where a column starts new text, or with a number (numbers never wrap)
        elif build.row < 0 or any(col not in build.prev or is_number(ch.text) for col, ch in placed):
            build.new_row(placed)
        else:
            build.go_on(placed)
        build.prev = {}
        for col, ch in placed:
            for c in range(col, build.span_end(col, ch) + 1):
                build.prev[c] = ch
    return build.table()


class _GridBuilder:
    """The cells of a table without rules, built line by line (see :func:`_grid_from_positions`)."""

    def __init__(self, lines: list[Line], anchors: list[float], tol: float) -> None:
        self.lines, self.anchors = lines, anchors
        self.size = sorted(ln.size for ln in lines)[len(lines) // 2]
        self.pad = self._padding(tol)
        self.cells: list[_PCell] = []
        self.owner: dict[int, _PCell] = {}  # column -> the cell holding it in the current row
        self.prev: dict[int, Chunk] = {}  # columns covered by the previous line -> its chunk there
        self.row = -1

    def _padding(self, tol: float) -> float:
        """The room a cell leaves between its text and the next column's text (cell padding),
        measured where the next column holds text on the same line, so the cell surely ends there."""
        s, size, anchors = current(), self.size, self.anchors
        gaps = []
        for ln in self.lines:
            chunks = ln.chunks()
            for ch, nxt in zip(chunks, chunks[1:]):
                k = bisect.bisect_right(anchors, ch.x1 + s.span_reach_ems * size)
                if k < len(anchors) and abs(anchors[k] - nxt.x0) <= tol:
                    gaps.append(anchors[k] - ch.x1)
        return min(max(min(gaps) if gaps else size, s.pad_min_ems * size), s.pad_max_ems * size)

    def span_end(self, col: int, chunk: Chunk) -> int:
        """The last column a chunk starting in ``col`` reaches into."""
        reach = current().span_reach_ems * self.size
        end = col
        while end + 1 < len(self.anchors) and chunk.x1 > self.anchors[end + 1] + reach:
            end += 1
        return end

    def full(self, chunk: Chunk) -> bool:
        """Whether the chunk fills its column, so that its text goes on in the next line."""
        s = current()
        k = bisect.bisect_right(self.anchors, chunk.x1 + s.span_reach_ems * self.size)
        if k >= len(self.anchors):
            return False
        return chunk.x1 + s.full_ems * self.size > self.anchors[k] - self.pad + s.fill_slack

    def _start(self, col: int, ch: Chunk) -> _PCell:
        cell = _PCell(self.row, col, self.span_end(col, ch), ch)
        self.cells.append(cell)
        return cell

    def by_pitch(self, placed: list[tuple[int, Chunk]], pitch: tuple[float, float]) -> None:
        """Place a line by the distance of its baselines from the line above."""
        prev, owner = self.prev, self.owner
        goes_on = {
            col: prev[col] is owner[col].last and pitch[0] <= _baseline(prev[col]) - _baseline(ch) <= pitch[1]
            for col, ch in placed
            if col in prev and col in owner
        }
        if all(goes_on.get(col, False) for col, _ in placed):
            for col, ch in placed:
                owner[col].add(ch, self.row)
            return
        self.row += 1
        new_owner: dict[int, _PCell] = {}
        for col, ch in placed:
            if goes_on.get(col, False):
                cell = owner[col]
                cell.add(ch, self.row)
            else:
                cell = self._start(col, ch)
            for c in range(cell.col, cell.end + 1):
                new_owner[c] = cell
        self.owner = new_owner

    def new_row(self, placed: list[tuple[int, Chunk]]) -> None:
        """Start a row with this line; text running on over the row boundary stays one merged cell."""
        self.row += 1
        # the label printed next to a row's first number belongs to that row
        numeric = [col for col, ch in placed if is_number(ch.text)]
        inner = max((col for col, ch in placed if numeric and col < numeric[0] and not is_number(ch.text)), default=None)
        starts = {col for col, _ in placed}
        new_owner: dict[int, _PCell] = {}
        for col, ch in placed:
            above = self.owner.get(col)
            if (
                above is not None
                and above.col == col
                and above.last is self.prev.get(col)
                and col != inner
                and not is_number(ch.text)
                and not any(above.col < c <= above.end for c in starts)
                and (self.full(above.last) or is_open(above.lines))
            ):
                above.add(ch, self.row)
                cell = above
            else:
                cell = self._start(col, ch)
            for c in range(cell.col, cell.end + 1):
                new_owner[c] = cell
        self.owner = new_owner

    def go_on(self, placed: list[tuple[int, Chunk]]) -> None:
        """The line goes on in the cells of the current row."""
        for col, ch in placed:
            cell = self.owner.get(col)
            if cell is None:  # pragma: no cover - excluded by the new-row test
                self.owner[col] = self._start(col, ch)
            else:
                cell.add(ch, self.row)

    def table(self) -> Table:
        na, lines = len(self.anchors), self.lines
        grid: list[list[list]] = [[["", False] for _ in range(na)] for _ in range(self.row + 1)]
        for cell in self.cells:
            for r in range(cell.row, cell.row_end + 1):
                for c in range(cell.col, cell.end + 1):
                    grid[r][c] = ["", True]
            grid[cell.row][cell.col] = ["\n".join(t for t in cell.lines if t), False]
        _close_label_columns(grid, self.cells)
        x0 = min(ln.x0 for ln in lines)
        x1 = max(ln.x1 for ln in lines)
        table = Table(x0, lines[-1].y0, x1, lines[0].y1, grid, ruled=False)
        table.columns = list(self.anchors)
        for cell in self.cells:
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
    numeric_rows: set[int] = set()
    for cell in cells:
        if is_number("".join(cell.lines).replace("\n", "")):
            numbers[cell.col] = True
            numeric_rows.update(range(cell.row, cell.row_end + 1))
    for cell in cells:
        text = "".join(cell.lines)
        if text and not is_number(text.replace("\n", "")) and cell.row in numeric_rows:
            text_rows[cell.col] += 1
    for c in range(ncols):
        if numbers[c] or text_rows[c] < current().label_rows:
            continue
        for r in range(nrows):
            if grid[r][c] == ["", False]:
                grid[r][c] = ["", True]
