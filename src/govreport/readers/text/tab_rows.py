"""Text with a table row per line and its cells separated by tabs, an empty cell kept as an empty field.

What a browser gives for a page's tables when its text is copied (``innerText``), and what
spreadsheets export: ``2.其他法律行政法规禁止公开<TAB><TAB>2<TAB>6…`` — the empty field is a blank
cell, and dropping it would shift every value after it one column left. (OCR output looks alike but
marks gaps with tabs unreliably; the ``ocr_text`` reader reads that. Both claim such text, and the
reading whose tables hold together better is kept.)
"""

from __future__ import annotations

import re

from ...document import Document
from ...source import Source, require_kind
from ..base import Reader
from .lines import lines_of, row_per_line_blocks, tab_line_stats


_NUMBERS = re.compile(r"^\s*(?:[+\-]?\d+(?:\.\d+)?(?:万元|元)?\s+)+[+\-]?\d+(?:\.\d+)?(?:万元|元)?\s*$")
# a number alone on its line: a row of one value whose label the page printed elsewhere
_NUMBER = re.compile(r"^\s*[+\-]?\d+(?:\.\d+)?(?:万元|元)?\s*$")


class TabRowsReader(Reader):
    name = "tab_rows"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        lines = lines_of(source)
        _, multi, _ = tab_line_stats(lines)
        multi += sum(1 for line in lines if "\t" not in line and _NUMBERS.match(line))
        # OCR text looks alike and claims it too: both readings are made, the one whose tables hold
        # together better is kept (an OCR gap printed as two tabs would shift this reading's cells)
        return 0.75 if multi >= 15 else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        return Document(blocks=tuple(row_per_line_blocks(lines_of(source), _cells)), reader=self.name)


def _cells(line: str) -> list[str] | None:
    text = line.rstrip("\r\n")
    # numbers spaced inside a field (规章<TAB>0 0 0, or a row of numbers alone): each a cell
    fields = [c for f in text.split("\t") for c in (f.split() if _NUMBERS.match(f) else [f])]
    # a label whose cells are all empty (规范性文件<TAB><TAB><TAB>) is a row of blanks, not a heading
    empty_row = len(fields) >= 2 and bool(fields[0].strip()) and not any(f.strip() for f in fields[1:])
    if len([f for f in fields if f.strip()]) >= 2 or _NUMBER.match(text) or empty_row:
        # a trailing empty field is a blank last cell (5<TAB>4<TAB>): kept, since the engine ignores
        # blanks beyond a row's columns anyway
        return [f.strip() for f in fields]
    return None
