"""Markdown written by PDF/Word converters (MinerU, markitdown, pandoc, docling).

Tables come as pipe tables (with or without outer pipes, ``<br>`` and escaped pipes in cells, empty
cells where a merged cell was), pandoc grid tables, or HTML ``<table>`` blocks, which are read by
the HTML reader's table walker (``colspan``/``rowspan`` included). Headings, lists and prose are
paragraphs. Page-break leftovers — HTML comments (``<!-- page 3 -->``), lone page numbers, image
links — are dropped: they are neither text of the report nor cells.

Converters print the rows of small tables as plain lines (``行政许可 97``, ``规章 0 0 12``); a short
line made of a text label and numbers alone is read as a one-row grid. Every cell's location is
its 1-based line with the grid's index, row and column.
"""

from __future__ import annotations

import re

from ...document import Block, Cell, Document, Grid, Location, Paragraph
from ...source import Source, require_kind
from ...values import parse_value
from ..base import Reader
from ..html_blocks import fragment_blocks
from . import markdown_lines as md
from .lines import lines_of

_NAMES = (".md", ".markdown")
_GRID_BORDER = re.compile(r"^\+(?:[-=:]+\+)+$")
_TABLE_OPEN = re.compile(r"<table\b", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)


class MarkdownReader(Reader):
    name = "markdown"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        named = source.name.lower().endswith(_NAMES)
        if _has_markdown_syntax(lines_of(source)):
            return 0.95 if named else 0.9
        return 0.6 if named else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        out = _Builder()
        lines = [line.rstrip("\r") for line in lines_of(source)]
        i = 0
        while i < len(lines):
            i = out.take(lines, i)
        problems: tuple[str, ...] = ()
        if not out.grid_no and out.images:
            problems = (f"the document has no tables but {out.images} image(s): its tables may be pictures, "
                        "which need OCR",)
        return Document(blocks=tuple(out.blocks), reader=self.name, problems=problems)


def _has_markdown_syntax(lines: list[str]) -> bool:
    """A pipe or grid table, an HTML table beside a heading, or two headings."""
    headings = html_tables = 0
    prev = ""
    for line in lines:
        s = line.strip()
        if s:
            if s[0] == "#" and md.heading_text(s) is not None:
                headings += 1
            elif (s[0] == "|" or "|" in s) and md.is_separator(s) and md.has_pipe(prev):
                return True
            elif s[0] == "+" and _GRID_BORDER.match(s):
                return True
            elif "<table" in s.lower():
                html_tables += 1
            if headings >= 2 or (headings and html_tables):
                return True
        prev = line
    return False


class _Builder:
    """Turns the lines into blocks; each ``take`` consumes one block's lines and returns the next index."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.grid_no = 0
        self.images = 0

    # -- dispatch -------------------------------------------------------------------------------
    def take(self, lines: list[str], i: int) -> int:
        line = lines[i]
        s = line.strip()
        if not s:
            return i + 1
        if s.startswith("<!--"):
            return _comment_end(lines, i) + 1
        if s.startswith(("```", "~~~")):
            return i + 1  # a fence around a block of text: the lines inside are read as text
        if _TABLE_OPEN.search(s):
            return self.html_tables(lines, i)
        if _GRID_BORDER.match(s):
            return self.grid_table(lines, i)
        if md.has_pipe(line) and i + 1 < len(lines) and md.is_separator(lines[i + 1]):
            return self.pipe_table(lines, i, header=True)
        if _outer_pipes(s) and i + 1 < len(lines) and _outer_pipes(lines[i + 1].strip()):
            return self.pipe_table(lines, i, header=False)
        heading = md.heading_text(line)
        if heading is not None:
            self.paragraph(md.inline_text(heading), i + 1)
            return i + 1
        if md.is_rule(line) or md.is_page_noise(line):
            return i + 1
        if md.has_images(line):
            self.images += 1
        listed = md.strip_list_marker(line)
        plain = listed == line and not md.is_bold_line(line)  # lists and bold lines are never rows
        if plain:
            end = self.header_and_row(lines, i)
            if end:
                return end
        for piece in md.inline_text(listed).split("\n"):
            if md.is_page_noise(piece):
                continue
            cells = md.row_cells(piece) if plain else None
            if cells:
                self.grid([[(t, i + 1) for t in cells]], i + 1)
            else:
                self.paragraph(piece, i + 1)
        return i + 1

    def header_and_row(self, lines: list[str], i: int) -> int:
        """A header line and the label-and-numbers lines under it (as many cells each) as one grid;
        the next index, or 0 when no such line follows."""
        head = md.header_cells(md.inline_text(lines[i]))
        if not head:
            return 0
        rows = [[(t, i + 1) for t in head]]
        end = j = i + 1
        while True:
            while j < len(lines) and not lines[j].strip():
                j += 1
            if (j == len(lines) or md.heading_text(lines[j]) is not None
                    or md.strip_list_marker(lines[j]) != lines[j] or md.is_bold_line(lines[j])):
                break
            row = md.row_cells(md.inline_text(lines[j]))
            if not row or len(row) != len(head):
                break
            rows.append([(t, j + 1) for t in row])
            end = j = j + 1
        if len(rows) == 1:
            return 0
        self.grid(rows, i + 1)
        return end

    # -- emitting -------------------------------------------------------------------------------
    def paragraph(self, text: str, line: int) -> None:
        if text.strip():
            self.blocks.append(Paragraph(text=text.strip(), loc=Location(line=line)))

    def grid(self, rows: list[list[tuple[str, int]]], line: int) -> None:
        """Append a grid of (text, line) cells, skipping it when it holds no text at all."""
        if not any(t.strip() for row in rows for t, _ in row):
            return
        index = self.grid_no
        self.grid_no += 1
        labels = _label_columns(rows)
        self.blocks.append(Grid(
            rows=tuple(
                tuple(Cell(text=t, loc=Location(line=n, table=index, row=r, col=c), merged=c in labels and not t)
                      for c, (t, n) in enumerate(row))
                for r, row in enumerate(rows)
            ),
            loc=Location(line=line, table=index),
        ))

    # -- pipe and grid tables -------------------------------------------------------------------
    def pipe_table(self, lines: list[str], i: int, *, header: bool) -> int:
        start = i
        rows: list[list[tuple[str, int]]] = []
        while i < len(lines) and lines[i].strip() and md.has_pipe(lines[i]) and not _TABLE_OPEN.search(lines[i]):
            if not md.is_separator(lines[i]):
                rows.append([(md.inline_text(t), i + 1) for t in md.split_cells(lines[i])])
            i += 1
        if header and rows and not any(t for t, _ in rows[0]):
            rows = rows[1:]  # an empty header row: converters print one when the table had none
        self.grid(rows, start + 1)
        return i

    def grid_table(self, lines: list[str], i: int) -> int:
        """A pandoc grid table: ``+---+`` borders, cells running over several ``|`` lines."""
        start = i
        rows: list[list[tuple[str, int]]] = []
        current: list[list[str]] = []
        first_line = 0
        i += 1
        while i < len(lines):
            s = lines[i].strip()
            if _GRID_BORDER.match(s):
                if current:
                    rows.append([(md.inline_text("\n".join(parts)), first_line) for parts in current])
                current = []
            elif s.startswith("|") and s.endswith("|"):
                parts = md.split_cells(s)
                if not current:
                    current = [[] for _ in parts]
                    first_line = i + 1
                for c, part in enumerate(parts):
                    if c < len(current):
                        current[c].append(part.strip())
                    else:
                        current.append([part.strip()])
            else:
                break
            i += 1
        if current:
            rows.append([(md.inline_text("\n".join(parts)), first_line) for parts in current])
        self.grid(rows, start + 1)
        return i

    # -- HTML tables ----------------------------------------------------------------------------
    def html_tables(self, lines: list[str], i: int) -> int:
        """The lines from an opening ``<table`` to its closing tag, read by the HTML reader's walker."""
        end = _html_block_end(lines, i)
        chunk = "\n".join(lines[i:end + 1])
        self.blocks.extend(_html_blocks(chunk, i, self))
        return end + 1


def _label_columns(rows: list[list[tuple[str, int]]]) -> set[int]:
    """Columns of row labels: a label in some row holding numbers, and never a number.

    Markdown has no merged cells; converters leave an empty cell where a label spanned rows or
    columns. In a label column such an empty cell is that continuation (``merged``), never a
    blank value: taken for one, it would shift the row's values by a column.
    """
    labelled: set[int] = set()
    numeric: set[int] = set()
    for row in rows:
        kinds = [_cell_kind(t) for t, _ in row]
        numeric.update(c for c, k in enumerate(kinds) if k == "number")
        if "number" in kinds:
            labelled.update(c for c, k in enumerate(kinds) if k == "label")
    return labelled - numeric


def _cell_kind(text: str) -> str:
    if not text.strip():
        return "empty"
    parsed = parse_value(text)
    return "label" if parsed is None else "number"


def _outer_pipes(s: str) -> bool:
    """A row printed between outer pipes with at least two cells (a lone ``|`` is a pipe dump's separator)."""
    return len(s) > 2 and s[0] == "|" and s[-1] == "|" and len(md.split_cells(s)) >= 2


def _comment_end(lines: list[str], i: int) -> int:
    j = i
    while j < len(lines):
        if "-->" in (lines[j] if j > i else lines[j].split("<!--", 1)[1]):
            return j
        j += 1
    return i  # never closed: a stray marker, not a comment swallowing the rest


def _html_block_end(lines: list[str], i: int) -> int:
    """The line closing the table opened on line ``i``; without one, the line before the next blank."""
    depth = 0
    for j in range(i, len(lines)):
        depth += len(_TABLE_OPEN.findall(lines[j])) - len(_TABLE_CLOSE.findall(lines[j]))
        if depth <= 0:
            return j
        if not lines[j].strip():
            return j - 1
    return len(lines) - 1


def _html_blocks(chunk: str, first: int, out: _Builder) -> list[Block]:
    """Grids and paragraphs of an HTML chunk whose first line is line ``first + 1`` of the document."""
    found, tr_lines = fragment_blocks(chunk, "<markdown html block>", first_grid=out.grid_no)
    grids = [b for b in found if isinstance(b, Grid)]
    out.grid_no += len(grids)
    # a grid carries one line; each of its rows is given the line of its own <tr>
    rows = sum(len(g.rows) for g in grids)
    per_row = iter(tr_lines) if len(tr_lines) == rows else None
    blocks: list[Block] = []
    for b in found:
        base = first + (b.loc.line or 1)
        if isinstance(b, Paragraph):
            if not md.is_page_noise(b.text):
                blocks.append(Paragraph(text=b.text, loc=Location(line=base)))
            continue
        new_rows = []
        for row in b.rows:
            line = first + (next(per_row) or 1) if per_row is not None else base
            new_rows.append(tuple(
                Cell(text=c.text, merged=c.merged,
                     loc=Location(line=line, table=c.loc.table, row=c.loc.row, col=c.loc.col))
                for c in row
            ))
        blocks.append(Grid(rows=tuple(new_rows), loc=Location(line=base, table=b.loc.table)))
    return blocks
