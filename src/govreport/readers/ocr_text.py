"""Text recognised from a scan: one table row per line, cells separated by tabs, with noise.

OCR output marks column gaps with tabs unreliably (two tabs for one gap, a tab for a wide space), so
empty cells carry no information and are dropped; stray marks in the margin stay as cells for the
engine to discard. Cells get a confidence below 1, as nothing here was printed as text.
"""

from __future__ import annotations

from ..document import Block, Cell, Document, Grid, Location, Paragraph
from ..source import Source, require_kind
from ._lines import lines_of, tab_line_stats
from .base import Reader

CONFIDENCE = 0.9


class OcrTextReader(Reader):
    name = "ocr_text"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        _, multi, nonblank = tab_line_stats(lines_of(source))
        if multi >= 15:
            return 0.8
        # any other text: a last resort that at least reads tab- or space-separated rows
        return 0.1 if nonblank else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        blocks: list[Block] = []
        rows: list[tuple[Cell, ...]] = []
        start = 0

        def flush() -> None:
            if rows:
                blocks.append(Grid(rows=tuple(rows), loc=Location(line=start)))
                rows.clear()

        for n, line in enumerate(lines_of(source), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("\t")]
            cells = [p for p in parts if p]
            if "\t" in line.strip("\n") and (len(cells) >= 2 or line.startswith("\t")):
                if not rows:
                    start = n
                rows.append(tuple(Cell(text=t, loc=Location(line=n, row=len(rows), col=i), confidence=CONFIDENCE)
                                  for i, t in enumerate(cells)))
            else:
                flush()
                blocks.append(Paragraph(text=line.strip(), loc=Location(line=n)))
        flush()
        return Document(blocks=tuple(blocks), reader=self.name)
