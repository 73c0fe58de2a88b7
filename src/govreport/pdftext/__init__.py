"""The text layer of a PDF: each page's glyphs and ruling lines, laid out into :class:`~govreport.layout.Page`s.

Shared by the readers that open PDFs (the text-layer reader, and OCR for the pages it must read
itself). Two glyph sources give the same pages: pdfminer.six (:mod:`.miner`, pure Python, always
installed) and PDFium (:mod:`.pdfium`, pypdfium2 of the ``pdfium`` and ``ocr`` extras, native and
much faster). ``GOVREPORT_PDF_BACKEND`` (``pdfminer`` or ``pdfium``) chooses one; unset,
:data:`DEFAULT` is used, and pdfminer where pypdfium2 is not installed.
"""

from __future__ import annotations

import os
import threading
from typing import Iterator

from ..errors import GovReportError, MissingDependency, UnknownReader
from ..layout import Page
from ..source import Source
from . import miner, pdfium
from .miner import guarded_document

__all__ = ["BACKENDS", "DEFAULT", "backend", "guarded_document", "read_pages", "text_layer"]

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
    """The pages of ``source``, read by the glyph source :func:`backend` names (or the pages
    :func:`text_layer` has just read of this very source in this thread)."""
    kept = getattr(_kept, "entry", None)
    if kept is not None and kept[0] is source:
        _kept.entry = None
        problems.extend(kept[2])
        if isinstance(kept[1], GovReportError):
            raise kept[1]
        return iter(kept[1])
    return _read_pages(source, problems)


def text_layer(source: Source) -> list[Page]:
    """Every page of ``source``'s text layer, read now, for a reader that must look at it to claim
    the PDF (how many pages carry text). The pages, the problems met and a typed error are kept for
    the next :func:`read_pages` of the same :class:`~govreport.source.Source` in this thread, which
    takes them instead of reading the PDF a second time: loading a page in PDFium costs as much
    as reading its characters. One document is kept, until it is read or another one is looked at."""
    problems: list[str] = []
    try:
        pages = list(_read_pages(source, problems))
    except GovReportError as exc:
        _kept.entry = (source, exc, problems)
        raise
    _kept.entry = (source, pages, problems)
    return list(pages)


_kept = threading.local()


def _read_pages(source: Source, problems: list[str]) -> Iterator[Page]:
    if backend() == "pdfium":
        return pdfium.read_pages(source, problems)
    return miner.read_pages(source, problems)
