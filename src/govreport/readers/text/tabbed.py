"""Text with one table cell per tab-led line, rows ended by blank lines (a common Word export)."""

from __future__ import annotations

from ...document import Document
from ...source import Source, require_kind
from ..base import Reader
from .lines import cell_per_line_blocks, lines_of, tab_line_stats


class TabbedTextReader(Reader):
    name = "tabbed"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        single, multi, _ = tab_line_stats(lines_of(source))
        if single < 20 or single < 2 * multi:
            return 0.0
        return 0.8

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        return Document(blocks=tuple(cell_per_line_blocks(lines_of(source))), reader=self.name)
