"""PDF documents with a text layer: paragraphs and tables rebuilt from the page geometry.

Each page's characters and straight lines (:mod:`govreport.pdftext`) go to the layout engine
(:mod:`govreport.layout`), which rebuilds the page's tables (from ruling lines; from horizontal rules
and the text's columns when a table has no vertical rules; from text positions when it has no rules)
and its running text; :func:`govreport.layout.assemble` puts the pages together, mending rows broken
over a page break and leaving out running headers and footers.

A PDF without any text layer (a scan) raises :class:`~govreport.errors.NeedsOCR`; pages without
text in an otherwise digital PDF are reported as problems.

The characters and lines come from the glyph source :func:`govreport.pdftext.backend` names
(PDFium where pypdfium2 is installed, else pdfminer.six; ``GOVREPORT_PDF_BACKEND`` chooses); the
reader is the same for both, and so is its version: both sources give the layout engine the same page.
"""

from __future__ import annotations

from ..document import Document
from ..errors import UnreadableInput
from ..layout import Page, assemble
from ..pdftext import read_pages
from ..source import Source
from .base import Reader

__all__ = ["PdfReader"]


class PdfReader(Reader):
    """Reads PDF files that carry a text layer."""

    name = "pdf"
    version = "1"
    kinds = ("pdf",)

    def claim(self, source: Source) -> float:
        return 0.9 if source.kind == "pdf" else 0.0

    def read(self, source: Source) -> Document:
        pages: list[Page] = []
        problems: list[str] = []
        for page in read_pages(source, problems):
            pages.append(page)
        if not pages:
            raise UnreadableInput(f"{source.name}: the PDF has no readable pages")
        return assemble(source, pages, problems)
