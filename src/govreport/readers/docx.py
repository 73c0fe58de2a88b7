"""The ``docx`` reader: Word 2007+ documents, read by :mod:`govreport.readers.docx_blocks`."""

from __future__ import annotations

from ..document import Document
from ..source import Source
from .base import Reader
from .docx_blocks import read_docx


class DocxReader(Reader):
    """Reads .docx files into paragraphs and grids."""

    name = "docx"
    version = "1"
    kinds = ("docx",)

    def claim(self, source: Source) -> float:
        return 0.9 if source.kind == "docx" else 0.0

    def read(self, source: Source) -> Document:
        return read_docx(source, self.name)
