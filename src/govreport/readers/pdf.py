"""PDF documents with a text layer: paragraphs and tables rebuilt from the page geometry.

pdfminer.six interprets each page; the reader keeps only the characters and the straight lines
drawn, one page at a time, and lets :mod:`._pdf_geometry` rebuild the page's tables (from ruling
lines; from horizontal rules and the text's columns when a table has no vertical rules; from text
positions when it has no rules) and its running text. pdfminer's own
layout analysis is not used: it groups characters across cell borders, and the reader groups
characters per cell itself, which also makes reading cheaper than a plain layout pass.

What the reader fixes on its own, being artefacts of the page rather than of the report:

* a table row broken over a page break: its tail at the top of the next page is put back into the
  row it came from (each page still gives its own grid), a number wrapped in a narrow cell too,
  and after the table's header when that is printed again on the new page;
* running headers and footers (page numbers, a title repeated on every page) are left out.

A PDF without any text layer (a scan) raises :class:`~govreport.errors.NeedsOCR`; pages without
text in an otherwise digital PDF are reported as problems.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from typing import Iterator

from ..document import Block, Cell, Document, Grid, Location, Paragraph
from ..errors import EncryptedInput, GovReportError, MissingDependency, NeedsOCR, UnreadableInput
from ..source import Source
from . import _pdf_geometry as geo
from .base import Reader

__all__ = ["PdfReader"]

#: Share of undecodable glyphs ("(cid:12)") above which the text layer counts as unusable.
_CID_LIMIT = 0.5
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(
    r"[-—–·\s]*(第\s*)?[0-9０-９]+(\s*页)?(\s*[/／]\s*[0-9０-９]+|\s*共\s*[0-9０-９]+\s*页)?[-—–·\s]*"
    r"|(page|Page|PAGE)\s*\d+(\s*(of|/)\s*\d+)?"
)
#: Fraction of the page height, at the top and at the bottom, where headers and footers live.
_MARGIN = 0.1


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


# --------------------------------------------------------------------------------------------
# pdfminer


class Page:
    """What the reader keeps of one page once its text is read: the page geometry's blocks
    (``items``) and counts of its characters, undecodable ones and images. Another reader that
    measures a page otherwise (OCR) fills one in and hands its pages to :func:`assemble`."""

    __slots__ = ("number", "height", "items", "glyphs", "cid", "images")

    def __init__(self, number: int, height: float, items: list, glyphs: int, cid: int, images: int) -> None:
        self.number, self.height, self.items = number, height, items
        self.glyphs, self.cid, self.images = glyphs, cid, images


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
            try:
                interp.process_page(page)
                layout = device.get_result()
            except GovReportError:
                raise
            except Exception as exc:
                problems.append(f"page {number} could not be read: {_why(exc)}")
                yield Page(number, 0.0, [], 0, 0, 0)
                continue
            glyphs: list[geo.Glyph] = []
            segments: list[geo.Segment] = []
            counts = [0] * 7  # undecodable glyphs, images, slanted glyphs, then glyphs turned 0-3 quarters
            _collect(layout, glyphs, segments, counts)
            height, width = float(layout.height), float(layout.width)
            quarter = max(range(4), key=lambda q: counts[3 + q] if q else 0)
            if quarter and counts[3 + quarter] > len(glyphs) / 2:
                # a page printed sideways (a landscape table in a portrait document): turn it back
                glyphs, segments, height = geo.turn_page(glyphs, segments, quarter, width, height)
            del layout, page
            device.cur_item = None  # let pdfminer's layout objects go now
            ink = sum(1 for g in glyphs if not g.text.isspace())
            try:
                items = geo.layout_page(glyphs, segments) if ink else []
            except Exception as exc:  # pragma: no cover - a bug, but never lose the document for it
                problems.append(f"page {number}: the layout could not be rebuilt ({type(exc).__name__}: {exc})")
                items = [geo.TextBlock([ln], k + 1) for k, ln in enumerate(geo.build_lines(glyphs))]
            for t in items:
                if isinstance(t, geo.Table):
                    t.glyphs.clear()  # a text layer's characters are exact: nothing to trace, keep no copies
            if counts[2]:
                problems.append(f"page {number}: {counts[2]} slanted characters (a watermark?) were left out")
            yield Page(number, height, items, ink, counts[0], counts[1])
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


def _collect(obj, glyphs: list[geo.Glyph], segments: list[geo.Segment], counts: list[int]) -> None:
    from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect

    for o in obj:
        if isinstance(o, LTChar):
            text = o.get_text()
            if not text:
                continue
            if text.startswith("(cid:"):
                counts[0] += 1
                text = "\ufffd"
            a, b = o.matrix[0], o.matrix[1]
            if abs(a) > 0.05 * abs(b) and abs(b) > 0.05 * abs(a):
                counts[2] += 1  # slanted text: a watermark, not content
                continue
            if abs(b) > abs(a):
                counts[4 if b > 0 else 6] += 1  # text running up / down
            elif a < 0:
                counts[5] += 1  # upside down
            glyphs.append(geo.Glyph(o.x0, o.y0, o.x1, o.y1, text, o.size))
        elif isinstance(o, LTCurve):
            if not (o.stroke or o.fill) or _invisible(o):
                continue
            if isinstance(o, (LTRect, LTLine)):
                if isinstance(o, LTLine):
                    (ax, ay), (bx, by) = o.pts[0], o.pts[-1]
                    segments.extend(geo.segments_from_path([(ax, ay), (bx, by)]))
                else:
                    segments.extend(geo.segments_from_box(o.x0, o.y0, o.x1, o.y1))
            else:
                path = getattr(o, "original_path", None) or []
                ops = "".join(str(p[0]) for p in path) if path else None
                segments.extend(geo.segments_from_path(o.pts, ops))
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


# --------------------------------------------------------------------------------------------
# the document


def _ocr_hint() -> str:
    """What to do about a page without text: install the extra only if it is missing."""
    import importlib.util

    if all(importlib.util.find_spec(m) for m in ("rapidocr_onnxruntime", "pypdfium2", "PIL", "numpy")):
        return "it needs OCR (the ocr reader reads such pages)"
    return 'install govreport[ocr] to read it with OCR (pip install "govreport[ocr]")'


def assemble(source: Source, pages: list[Page], problems: list[str]) -> Document:
    n = len(pages)
    total = sum(p.glyphs for p in pages)
    cid = sum(p.cid for p in pages)
    textless = tuple(p.number for p in pages if p.glyphs == 0)
    if total == 0:
        what = f"a scan of {n} page{'s' if n > 1 else ''}" if any(p.images for p in pages) else "its pages hold no characters"
        raise NeedsOCR(
            f"{source.name}: the PDF has no text layer ({what}); {_ocr_hint()}",
            pages=textless,
        )
    if cid > _CID_LIMIT * total:
        raise NeedsOCR(
            f"{source.name}: the PDF's text cannot be decoded (its fonts carry no character map); {_ocr_hint()}",
            pages=tuple(p.number for p in pages),
        )
    if cid:
        problems.append(f"{cid} characters could not be decoded (shown as \ufffd)")
    for p in pages:
        if p.glyphs == 0 and p.images:
            problems.append(f"page {p.number} has no text layer (a scanned image); {_ocr_hint()}")
    _drop_headers_footers(pages)
    _heal_broken_rows(pages)
    _align_carried_rows(pages)
    blocks: list[Block] = []
    table_no = 0
    for p in pages:
        for item in p.items:
            if isinstance(item, geo.TextBlock):
                text = item.text.strip()
                if text:
                    blocks.append(Paragraph(text=text, loc=Location(page=p.number, line=item.line_no or None)))
                continue
            if not item.rows:
                continue
            rows = tuple(
                tuple(
                    Cell(text=t, merged=m, loc=Location(page=p.number, table=table_no, row=r, col=c))
                    for c, (t, m) in enumerate(row)
                )
                for r, row in enumerate(item.rows)
            )
            blocks.append(Grid(rows=rows, loc=Location(page=p.number, table=table_no)))
            if not item.ruled:
                problems.append(f"page {p.number}: table {table_no + 1} has no ruling lines; rows and columns were rebuilt from text positions")
            table_no += 1
    return Document(blocks=tuple(blocks), reader="pdf", pages=n, problems=tuple(problems))


def _drop_headers_footers(pages: list[Page]) -> None:
    """Leave out page numbers and lines repeated at the same edge of several pages."""

    def line_text(it) -> str | None:
        """The text of a one-line block; a footer such as "年度报告  3" may also have been taken
        for a one-row table without rules (a label and a number set apart)."""
        if isinstance(it, geo.TextBlock) and len(it.lines) == 1:
            return it.text
        if isinstance(it, geo.Table) and not it.ruled and len(it.rows) == 1:
            return " ".join(t for t, _ in it.rows[0] if t)
        return None

    def candidates(p: Page) -> list[tuple[object, str, bool]]:
        out = []
        if not p.height:
            return out
        for seq, top in ((p.items[:2], True), (p.items[::-1][:2], False)):
            for it in seq:
                text = line_text(it)
                if text is None:
                    break
                if top and it.y0 < p.height * (1 - _MARGIN) or not top and it.y1 > p.height * _MARGIN:
                    break
                out.append((it, text, top))
        return out

    def key(text: str, top: bool) -> tuple[str, bool]:
        return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text)), top

    cands = {p.number: candidates(p) for p in pages}
    seen: dict[tuple[str, bool], int] = {}
    for p in pages:
        for k in {key(text, top) for _, text, top in cands[p.number]}:
            seen[k] = seen.get(k, 0) + 1
    for p in pages:
        drop = set()
        for it, text, top in cands[p.number]:
            if _PAGE_NUMBER.fullmatch(re.sub(r"\s+", " ", text).strip()) or seen.get(key(text, top), 0) >= 2:
                drop.add(id(it))
        if drop:
            p.items = [it for it in p.items if id(it) not in drop]


def _heal_broken_rows(pages: list[Page]) -> None:
    """Put the tail of a table row broken over a page break back into the row it came from.

    When a row is allowed to break across pages, the text of its cells goes on at the top of the
    next page, in a first row holding nothing else (the first after the header rows, when the
    table's header is printed again on each page). That row is recognised by: the table ends the
    previous page and starts this one, and every cell with text in the first row lies under a cell
    of the previous page's last row whose text ran to the cell's edge (or was left open) and goes
    on in it: the digits of a number go on a number (a number wrapped in a narrow cell), a number
    never goes on a label (it is a value of the next row).
    """
    for prev, cur in zip(pages, pages[1:]):
        if not prev.items or not cur.items:
            continue
        t1, t2 = prev.items[-1], cur.items[0]
        if not (isinstance(t1, geo.Table) and isinstance(t2, geo.Table) and t1.ruled and t2.ruled):
            continue
        # the header rows repeated on the new page come before the broken row's tail
        head = _repeated_header(t1, t2)
        if not t2.rows or len(t2.rows) < (head + 1 if head else 2):
            continue
        top = t2.top if not head else [(cell, x0, x1) for r, cell, x0, x1 in t2.starts if r == head]
        moves = []
        ok = True
        for cell, x0, x1 in top:
            if not cell[0]:
                continue
            mid = (x0 + x1) / 2
            hosts = [b for b in t1.bottom if b[1] - 1 <= mid <= b[2] + 1]
            if len(hosts) != 1 or not hosts[0][3] or not hosts[0][0][0] or not _goes_on(hosts[0][0][0], cell[0]):
                ok = False
                break
            moves.append((hosts[0][0], cell))
        if not ok or not moves:
            continue
        for host, cell in moves:
            host[0] += "\n" + cell[0]
            cell[0] = ""
            t1.glyphs.setdefault(id(host), []).extend(t2.glyphs.pop(id(cell), []))
        # the row is gone from this page; cells it started that reach further down stay merged below
        for cell in t2.rows[head]:
            t2.glyphs.pop(id(cell), None)
        del t2.rows[head]
        if not head:
            t2.top = []


def _align_carried_rows(pages: list[Page]) -> None:
    """Give the rows of a table without rules carried over to the next page the columns of the
    table they continue.

    Without rules, a table's columns are where its text starts; rows carried over to the next page
    (often the last row alone) show only the columns they have text in, so a blank value would
    leave the values after it one column to the left. When the first table of a page is such a
    tail (one or two rows of a label and numbers) with fewer columns than the table ending the
    page before, and each of its columns starts where one of that table's does, its cells are put
    in those columns (the others blank, or covered where a label of the table before spans them).
    """
    for prev, cur in zip(pages, pages[1:]):
        if not prev.items or not cur.items:
            continue
        t1, t2 = prev.items[-1], cur.items[0]
        if not (isinstance(t1, geo.Table) and isinstance(t2, geo.Table)) or t1.ruled or t2.ruled:
            continue
        c1, c2 = t1.columns, t2.columns
        if not c1 or not c2 or len(c2) >= len(c1) or any(len(row) != len(c2) for row in t2.rows):
            continue
        if len(t2.rows) > 2 or not all(_carried_row(row) for row in t2.rows):
            continue  # a table of its own, not the tail of the one before
        where = []
        for x in c2:
            k = min(range(len(c1)), key=lambda i: abs(c1[i] - x))
            room = min([abs(c1[k] - c1[i]) for i in (k - 1, k + 1) if 0 <= i < len(c1)] or [0.0])
            if abs(c1[k] - x) > room / 3:
                break
            where.append(k)
        if len(where) != len(c2) or any(a >= b for a, b in zip(where, where[1:])):
            continue
        last = t1.rows[-1] if t1.rows else []
        rows = []
        for row in t2.rows:
            # a position the table before covers with a label spanning rows stays covered
            out: list[list] = [["", bool(last[k][1]) if k < len(last) else False] for k in range(len(c1))]
            for k, cell in zip(where, row):
                out[k] = cell
            rows.append(out)
        t2.rows[:] = rows
        t2.columns = list(c1)


def _carried_row(row: list[list]) -> bool:
    """A row of a table's tail: a label, then numbers (blanks among them)."""
    texts = [t for t, _ in row if t]
    return len(texts) >= 2 and not geo._is_number(texts[0]) and all(geo._is_number(t) for t in texts[1:])


def _repeated_header(t1: geo.Table, t2: geo.Table) -> int:
    """How many rows at the top of ``t2`` repeat the rows at the top of ``t1`` (a table's header
    printed again on each page), by their text."""

    def key(row: list[list]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s+", "", t) for t, _ in row if t.strip())

    n = 0
    while n < min(len(t1.rows), len(t2.rows)) and key(t1.rows[n]) and key(t1.rows[n]) == key(t2.rows[n]):
        n += 1
    return n if n < len(t1.rows) else 0


def _goes_on(head: str, tail: str) -> bool:
    """Whether ``tail`` can be the rest of a cell's text ``head`` cut by a page break."""
    if geo._is_number(head.replace("\n", "")):
        return geo._is_number(head.replace("\n", "") + tail.replace("\n", ""))
    return not geo._is_number(tail.replace("\n", ""))
