"""The text layer of a PDF: each page's glyphs and ruling lines, laid out into :class:`~govreport.layout.Page`s.

Shared by the readers that open PDFs (the text-layer reader, and OCR for the pages it must read
itself)."""

from .miner import guarded_document, read_pages

__all__ = ["guarded_document", "read_pages"]
