"""Text with a table row per line and its cells separated by tabs, an empty cell kept as an empty field.

What a browser gives for a page's tables when its text is copied (``innerText``), and what
spreadsheets export: ``2.其他法律行政法规禁止公开<TAB><TAB>2<TAB>6…`` — the empty field is a blank
cell, and dropping it would shift every value after it one column left. (OCR output looks alike but
marks gaps with tabs unreliably; the ``ocr_text`` reader reads that. Both claim such text, and the
reading whose tables hold together better is kept.)
"""

from __future__ import annotations

import re

from ..document import Block, Cell, Document, Grid, Location, Paragraph
from ..source import Source, require_kind
from ._lines import lines_of, tab_line_stats
from .base import Reader


_NUMBERS = re.compile(r"^\s*(?:[+\-]?\d+(?:\.\d+)?\s+){2,}[+\-]?\d+(?:\.\d+)?\s*$")


class TabRowsReader(Reader):
    name = "tab_rows"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        lines = lines_of(source)
        _, multi, _ = tab_line_stats(lines)
        if multi < 15:
            return 0.0
        # empty fields inside rows are what this layout has and OCR text rarely keeps consistently
        gaps = sum(1 for line in lines if "\t\t" in line.strip("\t\n "))
        return 0.75 if gaps else 0.7

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
            text = line.rstrip("\r\n")
            fields = text.split("\t")
            if len(fields) == 1 and _NUMBERS.match(text):
                fields = text.split()  # a row of numbers only, spaced: each number a cell
            if len([f for f in fields if f.strip()]) >= 2:
                if not rows:
                    start = n
                # trailing empty fields pad a row out to the table's width and say nothing
                while fields and not fields[-1].strip():
                    fields.pop()
                rows.append(tuple(Cell(text=f.strip(), loc=Location(line=n, row=len(rows), col=i))
                                  for i, f in enumerate(fields)))
            elif text.strip():
                flush()
                blocks.append(Paragraph(text=text.strip(), loc=Location(line=n)))
        flush()
        return Document(blocks=tuple(blocks), reader=self.name)
