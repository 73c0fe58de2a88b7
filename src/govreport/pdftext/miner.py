"""Glyphs and ruling lines of a PDF's pages from pdfminer.six, one page at a time.

pdfminer.six interprets each page; only the characters and the straight lines drawn are kept and
handed to the layout engine (:func:`govreport.layout.layout_page`). pdfminer's own layout analysis
is not used: it groups characters across cell borders, and the layout engine groups characters per
cell itself, which also makes reading cheaper than a plain layout pass.
"""

from __future__ import annotations

import io
import logging
import threading
from typing import Container, Iterator

from ..errors import EncryptedInput, GovReportError, MissingDependency, UnreadableInput
from ..layout import Glyph, Page, Segment, segments_from_box, segments_from_path
from ..source import Source
from .page import counted_upright, finish_page

__all__ = ["guarded_document", "read_pages", "read_wanted_pages"]


def _pdfminer():
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MissingDependency("reading PDF files needs pdfminer.six (pip install pdfminer.six)") from exc
    return PDFParser, guarded_document(PDFDocument), PDFPage, PDFResourceManager, PDFPageAggregator, PDFPageInterpreter


_GUARDED: list = []


def guarded_document(base):
    """``base`` (pdfminer's PDFDocument) made to refuse reference cycles.

    An object whose body is only a reference to another object (``7 0 obj 8 0 R``) is legal, and
    pdfminer's ``resolve1`` follows such chains with no end: a cycle of them (7 → 8 → 7) hangs it
    forever. Every resolution goes through ``getobj``, so following the chain here, with the ids
    seen, turns a cycle into a typed error without touching pdfminer for anyone else.
    """
    if _GUARDED:
        return _GUARDED[0]
    from pdfminer.pdftypes import PDFObjRef

    class GuardedDocument(base):
        def getobj(self, objid: int):
            obj = super().getobj(objid)
            chain = [objid]
            while isinstance(obj, PDFObjRef):
                if obj.objid in chain:
                    raise UnreadableInput(f"a damaged PDF: its objects refer to each other in a cycle "
                                          f"({' -> '.join(map(str, (*chain, obj.objid)))})")
                chain.append(obj.objid)
                obj = super().getobj(obj.objid)
            return obj

    _GUARDED.append(GuardedDocument)
    return GuardedDocument


def read_pages(source: Source, problems: list[str]) -> Iterator[Page]:
    """Interpret the pages one at a time, keeping only glyphs and rules of each."""
    for _, page in _read(source, problems, None):
        yield page


def read_wanted_pages(source: Source, problems: list[str], wanted: Container[int]) -> Iterator[tuple[int, Page]]:
    """``(number, page)`` of the pages whose number is in ``wanted`` when the walk reaches them (the
    others are passed over uninterpreted), so that a caller may add to ``wanted`` as it goes."""
    return _read(source, problems, wanted)


def _read(source: Source, problems: list[str], wanted: Container[int] | None) -> Iterator[tuple[int, Page]]:
    PDFParser, PDFDocument, PDFPage, PDFResourceManager, PDFPageAggregator, PDFPageInterpreter = _pdfminer()
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    name = source.name
    # pdfminer logs every oddity of a damaged file; the reader reports what matters itself
    quiet = _Quiet()
    with quiet:
        try:
            parser = PDFParser(io.BytesIO(source.data))
            doc = PDFDocument(parser, password="")
        except PDFPasswordIncorrect:
            raise EncryptedInput(f"{name}: the PDF is protected by a password") from None
        except PDFEncryptionError as exc:
            raise EncryptedInput(f"{name}: the PDF is encrypted in a way that cannot be opened ({exc})") from None
        except GovReportError:
            raise
        except Exception as exc:  # pdfminer raises many kinds on damaged files
            raise UnreadableInput(f"{name}: a damaged PDF that cannot be opened ({_why(exc)})") from None
        rsrc = PDFResourceManager(caching=True)
        device = PDFPageAggregator(rsrc, laparams=None)
        interp = PDFPageInterpreter(rsrc, device)
        try:
            page_iter = iter(PDFPage.create_pages(doc))
        except Exception as exc:
            raise UnreadableInput(f"{name}: a damaged PDF whose pages cannot be found ({_why(exc)})") from None
        number = 0
        while True:
            try:
                page = next(page_iter)
            except StopIteration:
                break
            except GovReportError:
                raise
            except Exception as exc:
                if number == 0:
                    raise UnreadableInput(f"{name}: a damaged PDF whose pages cannot be found ({_why(exc)})") from None
                problems.append(f"page {number + 1} and after could not be read: the PDF is damaged ({_why(exc)})")
                break
            number += 1
            if wanted is not None and number not in wanted:
                continue
            try:
                interp.process_page(page)
                layout = device.get_result()
            except GovReportError:
                raise
            except Exception as exc:
                problems.append(f"page {number} could not be read: {_why(exc)}")
                yield number, Page(number, 0.0, [], 0, 0, 0)
                continue
            glyphs: list[Glyph] = []
            segments: list[Segment] = []
            counts = [0] * 8  # undecodable glyphs, images, slanted glyphs, glyphs turned 0-3 quarters, glyphs nowhere
            _collect(layout, glyphs, segments, counts)
            height, width = float(layout.height), float(layout.width)
            del layout, page
            device.cur_item = None  # let pdfminer's layout objects go now
            yield number, finish_page(number, glyphs, segments, counts, width, height, problems)
        declared = _declared_pages(doc)
        if number and declared and declared > number:
            problems.append(f"the PDF declares {declared} pages but only {number} could be read: it is damaged")


def _declared_pages(doc) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        return int(count) if isinstance(count, int) else None
    except Exception:
        return None


def _collect(obj, glyphs: list[Glyph], segments: list[Segment], counts: list[int]) -> None:
    from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect

    for o in obj:
        if isinstance(o, LTChar):
            text = o.get_text()
            if not text:
                continue
            if text.startswith("(cid:"):
                counts[0] += 1
                text = "\ufffd"
            if not counted_upright(o.matrix[0], o.matrix[1], counts):
                continue
            where = o.x0 + o.y0 + o.x1 + o.y1 + o.size
            if where - where:  # inf or NaN somewhere (numbers that overflow): no place to put it
                counts[7] += 1
                continue
            glyphs.append(Glyph(o.x0, o.y0, o.x1, o.y1, text, o.size))
        elif isinstance(o, LTCurve):
            if not (o.stroke or o.fill) or _invisible(o):
                continue
            if isinstance(o, (LTRect, LTLine)):
                if isinstance(o, LTLine):
                    (ax, ay), (bx, by) = o.pts[0], o.pts[-1]
                    segments.extend(segments_from_path([(ax, ay), (bx, by)]))
                else:
                    segments.extend(segments_from_box(o.x0, o.y0, o.x1, o.y1))
            else:
                path = getattr(o, "original_path", None) or []
                ops = "".join(str(p[0]) for p in path) if path else None
                segments.extend(segments_from_path(o.pts, ops))
        elif isinstance(o, LTImage):
            counts[1] += 1
        elif isinstance(o, LTFigure):
            _collect(o, glyphs, segments, counts)


def _invisible(o) -> bool:
    """A white shape drawn without a stroke (a background) rules nothing."""
    if o.stroke:
        return False
    color = o.non_stroking_color
    if isinstance(color, (int, float)):
        return color >= 0.99
    if isinstance(color, (tuple, list)) and color and all(isinstance(c, (int, float)) for c in color):
        if len(color) == 4:  # CMYK: white is no ink
            return all(c <= 0.01 for c in color)
        return all(c >= 0.99 for c in color)
    return False


def _why(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    return f"{kind}: {msg[:120]}" if msg else kind


class _Quiet:
    """Silence pdfminer's logging while documents are read (safe when threads read at once)."""

    _lock = threading.Lock()
    _depth = 0
    _level = logging.NOTSET

    def __enter__(self):
        with _Quiet._lock:
            logger = logging.getLogger("pdfminer")
            if _Quiet._depth == 0:
                _Quiet._level = logger.level
                logger.setLevel(logging.CRITICAL)
            _Quiet._depth += 1
        return self

    def __exit__(self, *exc):
        with _Quiet._lock:
            _Quiet._depth -= 1
            if _Quiet._depth == 0:
                logging.getLogger("pdfminer").setLevel(_Quiet._level)
        return False
