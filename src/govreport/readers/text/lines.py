"""Shared pieces of the plain-text readers: cell-per-line parsing and claim statistics.

Text extracts of Word tables come in a few shapes. The common one puts each cell on its own line
behind a tab, ends a row with a blank line, and lets a cell's second line run on without the tab
(a label wrapped in a narrow column, or a vertical header printed one character per line).
"""

from __future__ import annotations

import re

from collections.abc import Callable

from ...document import Block, Cell, Grid, Location, Paragraph
from ...source import Source

_CJK_CHAR = re.compile(r"^[\u3400-\u9fff]$")


def lines_of(source: Source) -> list[str]:
    return (source.text or "").split("\n")


def cell_per_line_blocks(lines: list[str], *, join_char_cells: bool = False) -> list[Block]:
    """Parse the tab-per-cell layout into paragraphs and grids.

    A line starting with a tab opens a cell; a line without a tab continues the open cell while a
    row is open, and is a paragraph otherwise; a blank line closes the row. Consecutive rows form
    one grid until a paragraph intervenes.
    """
    blocks: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    row: list[tuple[str, int]] = []  # (text, line number)
    grid_start = 0

    def close_row() -> None:
        nonlocal row
        if row:
            cells = _join_char_runs(row) if join_char_cells else row
            rows.append(tuple(Cell(text=t, loc=Location(line=n, row=len(rows), col=i)) for i, (t, n) in enumerate(cells)))
        row = []

    def close_grid() -> None:
        nonlocal rows
        close_row()
        if rows:
            blocks.append(Grid(rows=tuple(rows), loc=Location(line=grid_start)))
        rows = []

    for n, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not rows and not row:
                grid_start = n
            row.append((line[1:], n))
        elif not line.strip():
            close_row()
        elif row:
            text, start = row[-1]
            row[-1] = (text + "\n" + line, start)
        else:
            close_grid()
            blocks.append(Paragraph(text=line.strip(), loc=Location(line=n)))
    close_grid()
    return blocks


def _join_char_runs(cells: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join runs of one-character cells (a vertical header split into a cell per character)."""
    out: list[tuple[str, int]] = []
    run: list[tuple[str, int]] = []
    for text, n in cells + [("", -1)]:
        if _CJK_CHAR.match(text.strip()):
            run.append((text.strip(), n))
            continue
        if len(run) >= 2:
            out.append(("".join(t for t, _ in run), run[0][1]))
        else:
            out.extend(run)
        run = []
        if n != -1:
            out.append((text, n))
    return out


def tab_line_stats(lines: list[str]) -> tuple[int, int, int]:
    """(lines that are one tab-led cell, lines holding several tab-separated cells, non-blank lines)."""
    single = multi = nonblank = 0
    for line in lines:
        if not line.strip():
            continue
        nonblank += 1
        if line.startswith("\t") and "\t" not in line[1:]:
            single += 1
        elif len([c for c in line.split("\t") if c.strip()]) >= 2:
            multi += 1
    return single, multi, nonblank


def row_per_line_blocks(lines: list[str], cells_of: Callable[[str], list[str] | None], *,
                        confidence: float = 1.0) -> list[Block]:
    """Blocks of a text with a table row per line: ``cells_of`` says whether a line is a row (its
    cells' texts) or not (None: a paragraph, which ends the grid)."""
    blocks: list[Block] = []
    rows: list[tuple[Cell, ...]] = []
    start = 0

    def flush() -> None:
        if rows:
            blocks.append(Grid(rows=tuple(rows), loc=Location(line=start)))
            rows.clear()

    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = cells_of(line)
        if cells is None:
            flush()
            blocks.append(Paragraph(text=line.strip(), loc=Location(line=n)))
            continue
        if not rows:
            start = n
        rows.append(tuple(Cell(text=t, loc=Location(line=n, row=len(rows), col=i), confidence=confidence)
                          for i, t in enumerate(cells)))
    flush()
    return blocks
