"""The intermediate document: what every reader returns and the table engine consumes.

A reader knows its file format, not the annual report: it turns the input into paragraphs and
grids of cells, each carrying its location and the raw text it holds. Recognising tables, rows and
columns is the table engine's job, so a reader never needs to know a row label.
"""

from __future__ import annotations

from typing import Union

import attrs


@attrs.frozen(kw_only=True)
class Location:
    """Where a piece of text was found. Every field is optional; readers fill what they know.

    ``line`` is 1-based in text inputs; ``page`` is 1-based; ``table``, ``row`` and ``col`` are
    0-based indices of the grid within the document and of the cell within that grid; ``char`` is
    the 0-based character offset within the line, for text that runs many cells into one line.
    """

    line: int | None = None
    char: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.char is not None:
            parts.append(f"char {self.char + 1}")
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
        if self.row is not None:
            parts.append(f"row {self.row + 1}")
        if self.col is not None:
            parts.append(f"col {self.col + 1}")
        return ", ".join(parts) or "unknown"


@attrs.frozen(kw_only=True)
class Cell:
    """One table cell as printed.

    ``merged`` marks the continuation of a cell merged across rows or columns (Word's ``vMerge``,
    HTML's ``rowspan``): it repeats no value and the engine skips it. ``confidence`` is the reader's
    certainty that ``text`` is what the document shows (1.0 for digital text, lower for OCR).
    """

    text: str
    loc: Location = Location()
    merged: bool = False
    confidence: float = 1.0


@attrs.frozen(kw_only=True)
class Paragraph:
    """Running text outside tables: titles, headings, prose, the signature."""

    text: str
    loc: Location = Location()


@attrs.frozen(kw_only=True)
class Grid:
    """A table as rows of cells, in reading order.

    ``rows_known`` is False when the reader could not tell where rows end (a pipe-delimited dump
    gives one long run of cells): the engine then relies on labels alone to split rows.

    ``joined`` is True when the document printed neighbouring cells with nothing between them (a
    crawler's copy of a page's text): one value cell may then hold the digits of several cells
    (``4910000050``), and the engine splits it by the format's arithmetic rules where exactly one
    split satisfies them.
    """

    rows: tuple[tuple[Cell, ...], ...]
    loc: Location = Location()
    rows_known: bool = True
    joined: bool = False


Block = Union[Paragraph, Grid]


@attrs.frozen(kw_only=True)
class Document:
    """A reader's result: the blocks of the document in reading order.

    ``problems`` carries what the reader noticed but could not fix (unreadable glyphs, a table it
    had to guess); each becomes a warning finding on the report.
    """

    blocks: tuple[Block, ...]
    reader: str
    pages: int | None = None
    problems: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    @property
    def grids(self) -> tuple[Grid, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Grid))

    def text(self) -> str:
        """All text in reading order, cells joined by tabs and rows by newlines (for searching)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend("\t".join(c.text for c in row) for row in b.rows)
        return "\n".join(out)
