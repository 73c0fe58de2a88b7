"""See what was read: one self-contained HTML page of a report (``govreport show``).

>>> import govreport
>>> govreport.show("report.pdf", "report.html")          # or a Report parsed before

For a PDF each page is drawn (PDFium, of the ``ocr`` extra) with every table the library found
outlined and every cell it took a value from boxed, coloured by what happened to the value (see
:data:`~govreport.display.marks.STATUSES`). Scans are drawn without boxes (OCR keeps no positions
for the page). Text, Word and web pages are shown as the reader's paragraphs and tables, text
also line by line, with the same marks. Beside them: the three tables as read, and the findings
linked to their cells. The page needs no network: images are inline, script and style too.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path
from typing import Any

from ..document import Document
from ..model import Report
from ..pipeline import parse
from ..registry import default_registry
from ..source import Source, open_source
from . import pages as _pages
from .marks import STATUSES, Mark, marks
from .page import render

__all__ = ["show", "show_html", "Mark", "STATUSES", "marks"]


def show(obj: Report | str | bytes | os.PathLike[str] | typing.IO[Any], out: str | os.PathLike[str] | None = None,
         *, reader: str | None = None) -> Path:
    """Write the page for ``obj`` (a :class:`Report`, or what :func:`govreport.parse` takes) to
    ``out`` (default: the input's file name with ``.html`` added, in the current folder); return its path."""
    page, name = _build(obj, reader)
    path = Path(out) if out is not None else Path(Path(name).name + ".html")
    path.write_text(page, "utf-8")
    return path


def show_html(obj: Report | str | bytes | os.PathLike[str] | typing.IO[Any], *, reader: str | None = None) -> str:
    """The page for ``obj`` as a string."""
    return _build(obj, reader)[0]


def _build(obj: Any, reader: str | None) -> tuple[str, str]:
    notes: list[str] = []
    source: Source | None = None
    if isinstance(obj, Report):
        report = obj
        if report.source and Path(report.source).is_file():
            source = open_source(report.source)
        else:
            notes.append("the report's source document was not found: only the tables are shown")
    else:
        source = obj if isinstance(obj, Source) else open_source(obj)
        report = parse(source, reader=reader)
    drawn = source is not None and source.kind in ("pdf", "image") and _pages.can_draw()
    # a scan's document is not drawn (no positions), and reading it again would repeat the OCR
    wanted = not (drawn and report.reader == "ocr")
    document = _document(report, source, notes) if source is not None and wanted else None
    page_images: list[_pages.PageImage] = []
    placed: list[_pages.Placed] = []
    if source is not None and source.kind in ("pdf", "image"):
        if not _pages.can_draw():
            notes.append('pages are not drawn: that needs pypdfium2 and Pillow (pip install "govreport[ocr]")')
        elif source.kind == "image":
            page_images = [_pages.image_page(source.data)]
        else:
            page_images = _pages.pdf_pages(source.data)
            if document is not None and report.reader != "ocr":
                placed = _pages.place_cells(source.data, document)
        if page_images and report.reader == "ocr":
            notes.append("a scan: OCR keeps no cell positions, so the pages are drawn without boxes; "
                         "the values' confidences are coloured in the tables")
    text = source.text if source is not None and source.kind == "text" else None
    report_marks = marks(report)
    page = render(report, report_marks, document=document, pages=page_images, placed=placed,
                  source_text=text, notes=notes)
    return page, (source.name if source is not None else report.source or "report")


def _document(report: Report, source: Source, notes: list[str]) -> Document | None:
    """The reader's document again (the report keeps values, not the document's layout)."""
    try:
        doc = default_registry().get(report.reader or "").reader.read(source)
    except Exception as exc:  # noqa: BLE001 - a reader failing again: the tables can still be shown
        notes.append(f"the document could not be read again to draw it ({type(exc).__name__}: {exc})")
        return None
    return doc if isinstance(doc, Document) else None
