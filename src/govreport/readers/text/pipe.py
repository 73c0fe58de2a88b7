"""Text where every table cell is followed by a line holding only ``|``.

Such dumps keep no row boundaries, so the grid is one long run of cells (``rows_known=False``) and
the engine splits rows by their labels. A blank cell is an empty line (or nothing) before its
``|``. A cell may span several lines (商业/企业); a heading that
runs into the table (三、…情况 right before the first cell) is told apart by its numbering or length.
"""

from __future__ import annotations

import re

from ...document import Block, Cell, Document, Grid, Location, Paragraph
from ...source import Source, require_kind
from ..base import Reader
from .lines import lines_of

_SEP = re.compile(r"^\s*[|｜]\s*$")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_MAX_FRAGMENT = 12


class PipeTextReader(Reader):
    name = "pipe"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        seps = sum(1 for line in lines_of(source) if _SEP.match(line))
        return 0.85 if seps >= 20 else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        blocks: list[Block] = []
        cells: list[Cell] = []
        run: list[tuple[str, int]] = []

        def flush_grid() -> None:
            if cells:
                blocks.append(Grid(rows=(tuple(cells),), loc=cells[0].loc, rows_known=False))
                cells.clear()

        gap = False  # an empty line since the last separator
        for n, line in enumerate(lines_of(source), start=1):
            if _SEP.match(line):
                if not run and cells:
                    # an empty line (or nothing) before the separator: a blank cell, kept as blank
                    cells.append(Cell(text="", loc=Location(line=n - 1 if gap else n, col=len(cells))))
                gap = False
                if run:
                    head, cell_lines = _split_run(run)
                    if head:
                        flush_grid()
                        blocks.extend(Paragraph(text=t.strip(), loc=Location(line=k)) for t, k in head)
                    cells.append(Cell(text="\n".join(t for t, _ in cell_lines), loc=Location(line=cell_lines[0][1], col=len(cells))))
                    run = []
                continue
            if line.strip():
                run.append((line, n))
            else:
                gap = True
        # lines after the last separator are prose
        flush_grid()
        blocks.extend(Paragraph(text=t.strip(), loc=Location(line=k)) for t, k in run)
        return Document(blocks=tuple(blocks), reader=self.name)


def _split_run(run: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Split the lines before a separator into leading prose and the cell's own lines."""
    cut = len(run) - 1
    while cut > 0:
        text = run[cut - 1][0].strip()
        if len(text) > _MAX_FRAGMENT or _HEADING.match(text) or text.endswith(("。", "：", ":")):
            break
        cut -= 1
    return run[:cut], run[cut:]
