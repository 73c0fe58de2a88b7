"""Scanned reports: PDFs without a text layer, and page images, read with OCR.

Each page is rendered (``pypdfium2``) or decoded (Pillow; PNG, JPEG, TIFF with all its pages),
cleaned and turned upright, read by an OCR engine (RapidOCR by default, see
:mod:`.engine`), and its text boxes and ruling lines are handed to the same page geometry as
the PDF reader's (:func:`govreport.layout.layout_page`). Pages are then put together exactly as the
PDF reader does (running headers left out, rows broken over a page put back together), so the
table engine sees the same kind of document from a scan as from a digital PDF.

In a PDF that mixes digital pages and scanned ones, only the pages without a (decodable) text layer
go through OCR; the others are read from their text as the PDF reader reads them.

Every table cell carries the OCR engine's confidence in its characters (the lowest of them) as
:attr:`~govreport.document.Cell.confidence`, which the table engine multiplies into each value's
provenance; cells with a digit read below :data:`LOW_CONFIDENCE` are listed in the document's
problems. :func:`govreport.proposals.propose_corrections` can then offer corrections for rule
breaks that one doubtful digit explains.

Needs the ``ocr`` extra (``pip install "govreport[ocr]"``); without it, a scan is still claimed
and reading it raises :class:`~govreport.errors.OcrUnavailable` (a ``NeedsOCR`` and a
``MissingDependency``) saying what to install.
"""

from __future__ import annotations

import io
import re

import attrs

from ...document import Block, Document, Grid
from ...errors import GovReportError, UnreadableInput
from ...source import Source, require_kind
from ... import layout as geo
from .engine import LOW_CONFIDENCE, OcrEngine, TextBox, default_engine, require_extra
from ..base import Reader

__all__ = ["OcrReader", "OcrEngine", "TextBox", "LOW_CONFIDENCE"]

#: At most this many doubtful cells are listed one by one in the document's problems.
_LIST_AT_MOST = 12
#: Resolution assumed for an image that does not say (and whose size suggests no paper format).
_DEFAULT_DPI = 200.0
#: A page whose characters are mostly undecodable is read with OCR too.
_CID_SHARE = 0.5


class OcrReader(Reader):
    """Reads scanned PDFs and page images with OCR.

    ``engine`` is any :class:`OcrEngine` (see :mod:`.engine`); by default RapidOCR,
    loaded on first use and shared by the process. A plugin that wants another engine registers
    ``OcrReader(engine=MyEngine())`` (with ``replaces = "ocr"``) under the ``govreport.readers``
    entry point (see ``docs/ocr.md``).
    """

    name = "ocr"
    version = "1"
    kinds = ("pdf", "image")

    def __init__(self, engine: OcrEngine | None = None, *, replaces: str | None = None) -> None:
        self._engine = engine
        if replaces is not None:
            self.replaces = replaces

    @property
    def engine(self) -> OcrEngine:
        return self._engine if self._engine is not None else default_engine()

    # ---- claim

    def claim(self, source: Source) -> float:
        if source.kind == "image":
            return 0.9
        if source.kind != "pdf":
            return 0.0
        textless, total = _textless_pages(source)
        if not total:
            return 0.0
        if len(textless) == total:
            return 0.95  # a scan: made for it
        if textless:
            return 0.85  # a mixed PDF: run beside the PDF reader, the better reading wins
        return 0.0

    # ---- read

    def read(self, source: Source) -> Document:
        require_kind(source, "pdf", "image")
        require_extra(f"{source.name}: a scanned {'PDF' if source.kind == 'pdf' else 'image'}", pdf=source.kind == "pdf")
        engine = self.engine
        problems: list[str] = []
        ocr: dict[int, object] = {}
        if source.kind == "image":
            pages = []
            for n, img, dpi in _image_pages(source):
                o = ocr[n] = _ocr_page(n, img, dpi, engine, problems)
                pages.append(geo.Page(n, o.height, o.items, o.ink, 0, 0))
        else:
            pages = _pdf_pages(source, engine, problems, ocr)
        return _assemble(source, pages, ocr, problems, self.name)


# --------------------------------------------------------------------------------------------
# inputs


def _textless_pages(source: Source) -> tuple[list[int], int]:
    """1-based numbers of the pages without a usable text layer, and the number of pages."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return _textless_pages_pdfminer(source)
    from ...pdftext import text_layer

    try:
        # the text layer read here is kept for the reader that reads the PDF next (this one or
        # the PDF reader): claiming costs no second reading of the pages
        pages = text_layer(source)
    except GovReportError:
        return [], 0  # damaged or encrypted: the PDF reader says what is wrong
    # the same test as _pdf_pages applies to each page: no characters, or mostly undecodable ones
    return [p.number for p in pages if not p.glyphs or p.cid > _CID_SHARE * p.glyphs], len(pages)


def _textless_pages_pdfminer(source: Source) -> tuple[list[int], int]:
    """Without pypdfium2: pages whose resources name no font at all (cheap, no page is drawn)."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1
    except ImportError:  # pragma: no cover - a declared dependency
        return [], 0
    try:
        from ...pdftext import guarded_document

        doc = guarded_document(PDFDocument)(PDFParser(io.BytesIO(source.data)), password="")
        out, n = [], 0
        for n, page in enumerate(PDFPage.create_pages(doc), start=1):
            res = resolve1(page.resources) or {}
            if not resolve1(res.get("Font")):
                out.append(n)
        return out, n
    except Exception:
        return [], 0


def _image_pages(source: Source):
    """``(number, array, dpi)`` for each frame of an image (a TIFF may hold many pages)."""
    import numpy as np
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, 300_000_000)
    try:
        img = Image.open(io.BytesIO(source.data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UnreadableInput(f"{source.name}: a damaged or unsupported image ({exc})") from None
    for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
        dpi = _dpi(frame)
        frame = ImageOps.exif_transpose(frame)
        if frame.mode not in ("L", "RGB"):
            frame = frame.convert("RGB") if frame.mode in ("P", "RGBA", "CMYK", "YCbCr", "LA", "PA") else frame.convert("L")
        yield n, np.asarray(frame), dpi


def _dpi(frame) -> float:
    info = getattr(frame, "info", {}) or {}
    d = info.get("dpi")
    if d:
        try:
            x = float(d[0])
            if 72 <= x <= 1200:
                return x
        except (TypeError, ValueError, IndexError):
            pass
    # no (or a meaningless) resolution: take the page for A4 if its proportions say so
    w, h = frame.size
    long_, short = max(w, h), min(w, h)
    if 1.25 <= long_ / max(short, 1) <= 1.6:
        return long_ / 11.69
    return _DEFAULT_DPI


def _pdf_pages(source: Source, engine: OcrEngine, problems: list[str], ocr: dict) -> list:
    """Every page of a PDF: its text layer where it has one, OCR where it does not."""
    from ...pdftext import read_pages
    from ...pdftext.pdfium import open_document, pdfium_lock

    pages = list(read_pages(source, problems))
    # PDFium is not thread-safe: every call on it under its lock, the OCR of a drawn page outside it
    with open_document(source.data, source.name) as doc:
        for p in pages:
            if p.glyphs and p.cid <= _CID_SHARE * p.glyphs:
                continue
            with pdfium_lock():
                if p.number > len(doc):
                    continue
                page = doc[p.number - 1]
                try:
                    dpi = _pdf_page_dpi(page)
                    bitmap = page.render(scale=dpi / 72, rev_byteorder=True, fill_color=(255, 255, 255, 255))
                    img = bitmap.to_numpy()[:, :, :3].copy()
                    bitmap.close()
                finally:
                    page.close()
            o = ocr[p.number] = _ocr_page(p.number, img, dpi, engine, problems)
            p.height, p.items, p.glyphs, p.cid, p.images = o.height, o.items, o.ink, 0, 0
    return pages


def _pdf_page_dpi(page) -> float:
    """The resolution of the largest image on the page (the scan), within the working range."""
    from .page import WORK_DPI

    best = None
    try:
        import pypdfium2.raw as raw

        w_pt = page.get_width() or 612.0
        for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            try:
                px_w, _ = obj.get_px_size()
                l, b, r, t = obj.get_bounds()
            except Exception:
                continue
            width_pt = r - l
            if width_pt > 0.3 * w_pt and px_w:
                dpi = px_w / (width_pt / 72)
                best = max(best or 0, dpi)
    except Exception:
        best = None
    lo, hi = WORK_DPI
    return min(max(best or hi, lo), hi)


# --------------------------------------------------------------------------------------------
# pages


def _ocr_page(number: int, img, dpi: float, engine: OcrEngine, problems: list[str]):
    from .page import read_page

    # a MemoryError is not caught here: it says the memory ran out, and parse says so (no
    # "the image is too large", which blamed the input for the machine's state)
    ocr = read_page(img, dpi, engine)
    if ocr.rotated:
        problems.append(f"page {number} was upside down or sideways; it was turned by {ocr.rotated}° before reading")
    if ocr.stamp:
        problems.append(f"page {number}: red ink (a stamp) was left out before reading")
    if ocr.faint:
        shown = ", ".join(repr(t) for t in ocr.faint[:5]) + (" …" if len(ocr.faint) > 5 else "")
        problems.append(f"page {number}: {len(ocr.faint)} faint marks beside print in table cells were left out "
                        f"(read with doubt as {shown}; a stamp's trace or print showing through)")
    if not ocr.ink:
        problems.append(f"page {number}: OCR found no text")
    return ocr


# --------------------------------------------------------------------------------------------
# the document


def _assemble(source: Source, pages: list, ocr: dict, problems: list[str], reader: str) -> Document:
    """The PDF reader's assembly of pages into a Document, with OCR confidences on the cells.

    :func:`govreport.layout.assemble` does the page-level work (running headers and footers,
    rows broken over pages) and makes cells of the tables' ``[text, merged]`` lists; each table
    keeps the glyphs of every cell (moved along with the tail of a row broken over a page), and a
    cell's confidence is the lowest of its characters'.
    """
    from .glyphs import cell_confidence  # needs numpy: the ocr extra

    if not pages:
        raise UnreadableInput(f"{source.name}: no pages to read")
    if not sum(p.glyphs for p in pages):
        raise UnreadableInput(
            f"{source.name}: OCR found no text on {'the page' if len(pages) == 1 else f'any of the {len(pages)} pages'}"
        )
    confidence: dict = {}
    for o in ocr.values():
        confidence.update(o.confidence)
    doc = geo.assemble(source, pages, problems)
    grids = iter([t for p in pages for t in p.items if isinstance(t, geo.Table) and t.rows])
    blocks: list[Block] = []
    doubtful: list[str] = []
    for block in doc.blocks:
        if not isinstance(block, Grid):
            blocks.append(block)
            continue
        t = next(grids, None)
        if t is None or len(t.rows) != len(block.rows):
            blocks.append(block)
            continue
        rows = []
        for row, cells in zip(t.rows, block.rows):
            out = []
            for cell, c in zip(row, cells):
                conf = cell_confidence(t, cell, confidence) if c.text else None
                if conf is None:
                    out.append(c)
                    continue
                out.append(attrs.evolve(c, confidence=conf) if conf != c.confidence else c)
                if conf < LOW_CONFIDENCE and re.search(r"\d", c.text):
                    doubtful.append(f"{c.loc}: {c.text!r} (confidence {conf:.2f})")
            rows.append(tuple(out))
        blocks.append(Grid(rows=tuple(rows), loc=block.loc, rows_known=block.rows_known))
    problems = list(doc.problems)
    if doubtful:
        shown = "; ".join(doubtful[:_LIST_AT_MOST])
        more = f"; and {len(doubtful) - _LIST_AT_MOST} more" if len(doubtful) > _LIST_AT_MOST else ""
        problems.append(f"OCR is unsure of {len(doubtful)} table cell{'s' if len(doubtful) > 1 else ''} "
                        f"holding digits (below {LOW_CONFIDENCE}): {shown}{more}")
    return Document(blocks=tuple(blocks), reader=reader, pages=doc.pages, problems=tuple(problems))
