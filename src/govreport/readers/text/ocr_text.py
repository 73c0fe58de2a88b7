"""Text recognised from a scan: one table row per line, cells separated by tabs, with noise.

OCR output marks column gaps with tabs unreliably (two tabs for one gap, a tab for a wide space), so
empty cells carry no information and are dropped; stray marks in the margin stay as cells for the
engine to discard. Cells get a confidence below 1, as nothing here was printed as text.
"""

from __future__ import annotations

from ...document import Document
from ...source import Source, require_kind
from ..base import Reader
from .lines import lines_of, row_per_line_blocks, tab_line_stats

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
        blocks = row_per_line_blocks(lines_of(source), _cells, confidence=CONFIDENCE)
        return Document(blocks=tuple(blocks), reader=self.name)


def _cells(line: str) -> list[str] | None:
    cells = [p.strip() for p in line.split("\t") if p.strip()]
    if "\t" in line.strip("\n") and (len(cells) >= 2 or line.startswith("\t")):
        return cells
    return None
