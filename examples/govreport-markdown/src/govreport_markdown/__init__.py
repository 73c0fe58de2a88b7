"""An example govreport reader for reports converted to Markdown, whose tables are pipe tables.

govreport has a built-in ``markdown`` reader for converter output; this plugin stays small, as an
example of writing one, under a name of its own (a plugin may not take a built-in reader's name).
It only turns Markdown into paragraphs and grids; finding the report's tables, rows and columns is
left to govreport's table engine, as for every reader.
"""

from __future__ import annotations

import re

from govreport.readers import Cell, Document, Grid, Location, Paragraph, Reader, Source

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


class MarkdownExampleReader(Reader):
    name = "markdown_example"
    version = "0.2.0"
    kinds = ("text",)
    extensions = ("md", "markdown")  # so that extract and audit take these files from folders

    def claim(self, source: Source) -> float:
        lines = (source.text or "").splitlines()
        rules = sum(1 for line in lines if _RULE.match(line))
        rows = sum(1 for line in lines if _ROW.match(line))
        return 0.9 if rules and rows >= 10 else 0.0

    def read(self, source: Source) -> Document:
        blocks: list[Paragraph | Grid] = []
        rows: list[tuple[Cell, ...]] = []
        for n, line in enumerate((source.text or "").splitlines(), start=1):
            m = _ROW.match(line)
            if m and not _RULE.match(line):
                texts = [t.strip().replace("\\|", "|") for t in _CELL_SPLIT.split(m.group(1))]
                rows.append(tuple(Cell(text=t, loc=Location(line=n, row=len(rows), col=i)) for i, t in enumerate(texts)))
                continue
            if m:  # the |---| line under a header row
                continue
            if rows:
                blocks.append(Grid(rows=tuple(rows), loc=rows[0][0].loc))
                rows = []
            if line.strip():
                blocks.append(Paragraph(text=line.lstrip("#").strip(), loc=Location(line=n)))
        if rows:
            blocks.append(Grid(rows=tuple(rows), loc=rows[0][0].loc))
        return Document(blocks=tuple(blocks), reader=self.name)
