"""The ``html`` reader: web pages, read by :mod:`govreport.readers.html_blocks`."""

from __future__ import annotations

from ..document import Document
from ..source import Source
from .base import Reader
from .html_blocks import read_html


class HtmlReader(Reader):
    """Reads HTML pages into paragraphs and grids."""

    name = "html"
    version = "1"
    kinds = ("html",)

    def claim(self, source: Source) -> float:
        return 0.9 if source.kind == "html" else 0.0

    def read(self, source: Source) -> Document:
        return read_html(source, self.name)
