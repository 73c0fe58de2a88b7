"""Tab-led cell-per-line text whose column headers are printed vertically, one character per line.

The cells of such headers (结/果/维/持) arrive either as continuation lines of one cell or as one
cell per character; this reader joins both back into one label so the engine sees 结果维持.
"""

from __future__ import annotations

import re

from ...document import Document
from ...source import Source, require_kind
from ..base import Reader
from .lines import cell_per_line_blocks, lines_of, tab_line_stats

_ONE_CHAR = re.compile(r"^\t?[\u3400-\u9fff]\s*$")


class VerticalTextReader(Reader):
    name = "vertical"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        lines = lines_of(source)
        single, multi, _ = tab_line_stats(lines)
        if single < 20 or single < 2 * multi:
            return 0.0
        # one-character lines standing in runs: headers read downwards
        in_runs = run = 0
        for line in lines + [""]:
            if _ONE_CHAR.match(line):
                run += 1
                continue
            in_runs += run if run >= 3 else 0
            run = 0
        return 0.85 if in_runs >= 12 else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        return Document(blocks=tuple(cell_per_line_blocks(lines_of(source), join_char_cells=True)), reader=self.name)
