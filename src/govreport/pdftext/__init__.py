"""The text layer of a PDF: each page's glyphs and ruling lines, laid out into :class:`~govreport.layout.Page`s.

Shared by the readers that open PDFs (the text-layer reader, and OCR for the pages it must read
itself). Two glyph sources give the same pages: pdfminer.six (:mod:`.miner`, pure Python, always
installed) and PDFium (:mod:`.pdfium`, pypdfium2 of the ``pdfium`` and ``ocr`` extras, native and
much faster). ``GOVREPORT_PDF_BACKEND`` (``pdfminer`` or ``pdfium``) chooses one; unset,
:data:`DEFAULT` is used, and pdfminer where pypdfium2 is not installed.
"""

from __future__ import annotations

import os
from typing import Iterator

from ..errors import MissingDependency, UnknownReader
from ..layout import Page
from ..source import Source
from . import miner, pdfium
from .miner import guarded_document

__all__ = ["BACKENDS", "DEFAULT", "backend", "guarded_document", "read_pages"]

BACKENDS = ("pdfminer", "pdfium")
#: The source used when ``GOVREPORT_PDF_BACKEND`` is unset and pypdfium2 is installed: PDFium gives
#: the same report as pdfminer for every PDF the tests read (tests/test_pdf_sources.py), faster.
DEFAULT = "pdfium"
ENV = "GOVREPORT_PDF_BACKEND"


def backend() -> str:
    """The glyph source the next read will use: ``GOVREPORT_PDF_BACKEND`` if set, else :data:`DEFAULT`
    (pdfium falls back to pdfminer when pypdfium2 is missing, unless it was asked for by name)."""
    asked = os.environ.get(ENV, "").strip().lower()
    if asked:
        if asked not in BACKENDS:
            raise UnknownReader(f"{ENV}={asked!r}: expected one of {', '.join(BACKENDS)}")
        if asked == "pdfium" and not pdfium.available():
            raise MissingDependency(f'{ENV}=pdfium needs pypdfium2, a release whose PDFium has every function '
                                    f'the glyph source calls (pip install -U "govreport[pdfium]")')
        return asked
    if DEFAULT == "pdfium" and not pdfium.available():
        return "pdfminer"
    return DEFAULT


def read_pages(source: Source, problems: list[str]) -> Iterator[Page]:
    """The pages of ``source``, read by the glyph source :func:`backend` names."""
    if backend() == "pdfium":
        return pdfium.read_pages(source, problems)
    return miner.read_pages(source, problems)
