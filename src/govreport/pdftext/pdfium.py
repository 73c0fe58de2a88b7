"""Glyphs and ruling lines of a PDF's pages from PDFium (pypdfium2), one page at a time.

The same contract as :mod:`govreport.pdftext.miner`, about twenty times faster: PDFium interprets
the page natively, and only its characters, straight lines and image count are taken over. Each
character's box is rebuilt the way pdfminer builds an ``LTChar`` (the advance width, from the font's
descent to one font size above it, through the character's matrix) rather than taken from PDFium's
loose or tight boxes, so that the layout engine sees the same page from either source; paths are
split into subpaths and told apart (line, rectangle, other) by pdfminer's rules for the same reason.

The input's decompression caps (:mod:`govreport.inflate`) have run when the :class:`Source` was
made, before PDFium sees the file: PDFium aborts the process when an allocation fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import os
import threading
from typing import Any, Iterator

from ..errors import EncryptedInput, MissingDependency, UnreadableInput
from ..layout import Glyph, Page, Segment, segments_from_box, segments_from_path
from ..source import Source
from . import miner
from .page import finish_page, turn_of

__all__ = ["LOCK", "available", "open_document", "pdfium_lock", "read_pages"]

#: PDFium may not be called from two threads at once, not even on different documents (a crash or
#: a corrupted heap, not an error): every call here holds this lock, and so must any other caller
#: (through :func:`pdfium_lock` and :func:`open_document`).
LOCK = threading.RLock()

#: Nested form XObjects deeper than this are not looked into (pdfminer has no limit; no report nests deeper).
_MAX_FORM_DEPTH = 16

#: PDFium's text page leaves out a text object narrower than this (its kSizeEpsilon, in points).
_FLAT = 0.01
#: No character advances further than this many em: a loose box wider is not an advance.
_WIDEST = 4.0
#: Below any place: where the first character of a text object steps down from.
_NO_STEP = -math.inf
#: How a page's characters are walked: first making glyphs at once, then keeping every character
#: until its neighbours are known (see _collect_glyphs).
_WALKS = (True, False)

Matrix = tuple[float, float, float, float, float, float]


#: The PDFium functions this source calls; an older pypdfium2 whose PDFium lacks one is not used.
NEEDED = (
    "FPDFFont_GetDescent",
    "FPDFFormObj_CountObjects",
    "FPDFFormObj_GetObject",
    "FPDFPageObj_GetBounds",
    "FPDFPageObj_GetFillColor",
    "FPDFPageObj_GetMatrix",
    "FPDFPageObj_GetType",
    "FPDFPageObj_SetStrokeWidth",
    "FPDFPageObj_Transform",
    "FPDFPage_CountObjects",
    "FPDFPage_GetMediaBox",
    "FPDFPage_GetObject",
    "FPDFPage_GetRotation",
    "FPDFPathSegment_GetClose",
    "FPDFPathSegment_GetPoint",
    "FPDFPathSegment_GetType",
    "FPDFPath_CountSegments",
    "FPDFPath_GetDrawMode",
    "FPDFPath_GetPathSegment",
    "FPDFTextObj_GetFont",
    "FPDFTextObj_GetFontSize",
    "FPDFTextObj_SetTextRenderMode",
    "FPDFText_ClosePage",
    "FPDFText_CountChars",
    "FPDFText_GetCharOrigin",
    "FPDFText_GetFontSize",
    "FPDFText_GetLooseCharBox",
    "FPDFText_GetMatrix",
    "FPDFText_GetTextObject",
    "FPDFText_GetText",
    "FPDFText_GetUnicode",
    "FPDFText_HasUnicodeMapError",
    "FPDFText_IsGenerated",
    "FPDFText_LoadPage",
    "FPDF_CloseDocument",
    "FPDF_ClosePage",
    "FPDF_GetLastError",
    "FPDF_GetPageCount",
    "FPDF_GetPageHeightF",
    "FPDF_GetPageWidthF",
    "FPDF_LoadMemDocument",
    "FPDF_LoadPage",
)


def available() -> bool:
    """Whether pypdfium2 can be imported, with every PDFium function this source calls."""
    try:
        import pypdfium2.raw as raw
    except ImportError:
        return False
    return all(hasattr(raw, name) for name in NEEDED)


@contextlib.contextmanager
def pdfium_lock() -> Iterator[None]:
    """Hold PDFium for the calls made in the block.

    Code outside this module that calls pypdfium2 (drawing a page, reading its text) wraps each
    stretch of calls in this, closing there the pages, text pages and bitmaps it opened (their
    finalisers would otherwise call PDFium from whichever thread collects them), and does its own
    work (OCR, encoding an image) outside it, so that other threads may use PDFium meanwhile.
    """
    with LOCK:
        yield


@contextlib.contextmanager
def open_document(data: bytes, name: str = "<bytes>") -> Iterator[Any]:
    """pypdfium2's ``PdfDocument`` of ``data``, opened and closed under :func:`pdfium_lock`.

    ``data`` should be a :class:`Source`'s, whose decompression was capped when it was opened
    (PDFium aborts the process when an allocation fails). A password or a damaged file is a typed
    error. Calls on the document and its pages still go inside :func:`pdfium_lock`.
    """
    pdfium = _module()
    with LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
                raise EncryptedInput(f"{name}: the PDF is protected by a password") from None
            raise UnreadableInput(f"{name}: a damaged PDF that cannot be opened ({exc})") from None
    try:
        yield pdf
    finally:
        with LOCK:
            pdf.close()


def _module() -> Any:
    try:
        import pypdfium2
    except ImportError as exc:
        raise MissingDependency('drawing PDF pages with PDFium needs pypdfium2 (pip install "govreport[pdfium]")') from exc
    return pypdfium2


def _raw() -> Any:
    try:
        import pypdfium2.raw as raw
    except ImportError as exc:
        raise MissingDependency('reading PDF files with PDFium needs pypdfium2 (pip install "govreport[pdfium]")') from exc
    return raw


def read_pages(source: Source, problems: list[str]) -> Iterator[Page]:
    """Interpret the pages one at a time, keeping only glyphs and rules of each."""
    raw = _raw()
    name = source.name
    data = source.data
    # PDFium reads from this buffer for as long as the document is open: keep it referenced
    buf = ctypes.create_string_buffer(data, len(data))
    with LOCK:
        doc = raw.FPDF_LoadMemDocument64(buf, len(data), None)
        err = 0 if doc else raw.FPDF_GetLastError()
    if not doc:
        if err == raw.FPDF_ERR_PASSWORD:
            raise EncryptedInput(f"{name}: the PDF is protected by a password")
        if err == raw.FPDF_ERR_SECURITY:
            raise EncryptedInput(f"{name}: the PDF is encrypted in a way that cannot be opened")
        # damage PDFium cannot get past, pdfminer's repairs sometimes can: it reads the file, or
        # says why it cannot (the same error the pdfminer source gives)
        yield from miner.read_pages(source, problems)
        return
    try:
        with LOCK:
            count = raw.FPDF_GetPageCount(doc)
        if count <= 0:
            yield from miner.read_pages(source, problems)
            return
        blank: set[int] = set()
        again: Iterator[tuple[int, Page]] | None = None
        for number in range(1, count + 1):
            page, objects = _read_page(raw, doc, number, problems)
            if objects <= 0:
                # PDFium reads contents it cannot interpret (a stream that refers to itself, say) as
                # a blank page and says nothing, and a page it cannot load says little: pdfminer
                # reads such a page again, to find it blank too, or to say what is wrong with it
                # as it would have (a typed error, a problem), or to read what PDFium could not
                blank.add(number)
                again = again or miner.read_wanted_pages(source, problems, blank)
                said = len(problems)
                found = next((p for n, p in again if n == number), None)
                if found is None and objects < 0:
                    if len(problems) == said:
                        problems.append(f"page {number} could not be read: the PDF is damaged")
                    continue  # no such page for pdfminer either
                if found is not None:
                    page = found
            yield page
    finally:
        with LOCK:
            raw.FPDF_CloseDocument(doc)
        del buf


def _read_page(raw: Any, doc: Any, number: int, problems: list[str]) -> tuple[Page, int]:
    """The page, and how many objects PDFium found on it (-1: PDFium could not load it)."""
    glyphs: list[Glyph] = []
    segments: list[Segment] = []
    counts = [0] * 8  # undecodable glyphs, images, slanted glyphs, glyphs turned 0-3 quarters, glyphs nowhere
    with LOCK:  # PDFium's part of the page; the layout below runs while other threads use PDFium
        page = raw.FPDF_LoadPage(doc, number - 1)
        if not page:
            return Page(number, 0.0, [], 0, 0, 0), -1
        try:
            width, height, ctm = _page_frame(raw, page)
            n = raw.FPDFPage_CountObjects(page)
            # before the text page is built: _collect_objects widens the text objects it would skip
            pdf = _calls(raw)
            handle = pdf.handle(page)
            get_object = pdf.page_object
            _collect_objects(raw, pdf, [get_object(handle, i) for i in range(n)], ctm, segments, counts, 0)
            text = raw.FPDFText_LoadPage(page)
            if text:
                try:
                    _collect_glyphs(pdf, text, ctm, glyphs, counts)
                finally:
                    raw.FPDFText_ClosePage(text)
        finally:
            raw.FPDF_ClosePage(page)
    return finish_page(number, glyphs, segments, counts, width, height, problems), n


def _page_frame(raw: Any, page: Any) -> tuple[float, float, Matrix]:
    """The page's width and height and the matrix from PDF user space to the page as pdfminer lays
    it out: its MediaBox (not the CropBox PDFium's size follows) moved to the origin and turned by
    the page's /Rotate, as pdfminer's interpreter does before drawing anything."""
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if raw.FPDFPage_GetMediaBox(page, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
        x0, y0, x1, y1 = min(l.value, r.value), min(b.value, t.value), max(l.value, r.value), max(b.value, t.value)
    else:
        x0, y0, x1, y1 = 0.0, 0.0, float(raw.FPDF_GetPageWidthF(page)), float(raw.FPDF_GetPageHeightF(page))
    quarter = raw.FPDFPage_GetRotation(page) % 4
    ctm: Matrix
    if quarter == 1:
        ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif quarter == 2:
        ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif quarter == 3:
        ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
    w, h = x1 - x0, y1 - y0
    return (h, w, ctm) if quarter % 2 else (w, h, ctm)


class _Calls:
    """PDFium's per-page and per-character functions, declared again with plain addresses for handles.

    pypdfium2 declares them with typed pointers: every handle returned is a new pointer object, and
    telling two text objects or fonts apart takes a cast each. Declared here with handles as
    integers, a handle comes back as an int, compares and hashes as one, and nothing is allocated
    for it. The functions are those of the library pypdfium2 loaded (taken by address), called as
    declared in PDFium's public headers.

    A page makes some 60 000 of these calls a second, most of them four a character: with cffi
    installed (the ``pdfium`` extra) they go through cffi, which calls a C function in about 60%
    of the time ctypes takes; else through ctypes. ``GOVREPORT_PDFIUM_CALLS=ctypes`` chooses
    ctypes. What they write goes to buffers made here once, read back the same way either way.
    """

    def __init__(self, raw: Any, ffi: Any = None) -> None:
        vp, i, f, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_double
        # a handle of a page or text page (made once a page by handle()), and buffers written to:
        # addresses for ctypes; pointers for cffi, which takes a pointer faster than an address
        page, out_f, out_d, out_i = _Param("void *"), _Param("float *"), _Param("double *"), _Param("int *")
        names = {vp: "intptr_t", i: "int", f: "float", d: "double", ctypes.c_uint: "unsigned int",
                 ctypes.c_ulong: "unsigned long"}
        self.via = "cffi" if ffi is not None else "ctypes"
        self._ffi = ffi

        def fn(name: str, res: Any, *args: Any) -> Any:
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            if not address:
                raise MissingDependency(f"the PDFium library pypdfium2 loaded has no {name}")
            if ffi is not None:
                params = ", ".join(a.c if isinstance(a, _Param) else names[a] for a in args)
                return ffi.cast(f"{names[res]}(*)({params})", address)
            return ctypes.CFUNCTYPE(res, *(vp if isinstance(a, _Param) else a for a in args))(address)

        self.count_chars = fn("FPDFText_CountChars", i, page)
        self.text = fn("FPDFText_GetText", i, page, i, i, vp)
        self.is_generated = fn("FPDFText_IsGenerated", i, page, i)
        self.unicode = fn("FPDFText_GetUnicode", ctypes.c_uint, page, i)
        self.map_error = fn("FPDFText_HasUnicodeMapError", i, page, i)
        self.matrix = fn("FPDFText_GetMatrix", i, page, i, out_f)
        self.text_object = fn("FPDFText_GetTextObject", vp, page, i)
        self.object_size = fn("FPDFTextObj_GetFontSize", i, vp, out_f)
        self.font = fn("FPDFTextObj_GetFont", vp, vp)
        self.descent = fn("FPDFFont_GetDescent", i, vp, f, out_f)
        self.char_size = fn("FPDFText_GetFontSize", d, page, i)
        self.origin_at = fn("FPDFText_GetCharOrigin", i, page, i, out_d, out_d)
        self.loose_box_at = fn("FPDFText_GetLooseCharBox", i, page, i, out_f)
        self.tight_box = fn("FPDFText_GetCharBox", i, page, i, out_d, out_d, out_d, out_d)
        self.glyph_width = fn("FPDFFont_GetGlyphWidth", i, vp, ctypes.c_uint, f, out_f)
        self.bounds = fn("FPDFPageObj_GetBounds", i, vp, out_f, out_f, out_f, out_f)
        self.page_object = fn("FPDFPage_GetObject", vp, page, i)
        self.form_object = fn("FPDFFormObj_GetObject", vp, vp, ctypes.c_ulong)
        self.object_type = fn("FPDFPageObj_GetType", i, vp)
        self.object_matrix = fn("FPDFPageObj_GetMatrix", i, vp, out_f)
        self.draw_mode = fn("FPDFPath_GetDrawMode", i, vp, out_i, out_i)
        self.count_segments = fn("FPDFPath_CountSegments", i, vp)
        self.segment = fn("FPDFPath_GetPathSegment", vp, vp, i)
        self.segment_point = fn("FPDFPathSegment_GetPoint", i, vp, out_f, out_f)
        self.segment_type = fn("FPDFPathSegment_GetType", i, vp)
        self.segment_close = fn("FPDFPathSegment_GetClose", i, vp)
        # what the functions above write, made once: a matrix (a, b, c, d, e, f), one float, two
        # ints, a point, the four corners FPDFPageObj_GetBounds writes (left, bottom, right, top),
        # a character's loose box (an FS_RECTF: left, top, right, bottom), its origin (x, y) and
        # the box of its ink (left, right, bottom, top); each read through its ctypes array,
        # written through its ``_at``
        self.matrix_out = (f * 6)()
        self.float_out = (f * 1)()
        self.ints_out = (ctypes.c_int * 2)()
        self.point_out = (f * 2)()
        self.box = (f * 4)()
        self.corners = (f * 4)()
        self.xy = (d * 2)()
        self.tight = (d * 4)()
        self.matrix_at, self.float_at = self._at(self.matrix_out, "float *"), self._at(self.float_out, "float *")
        self.ints_at = tuple(self._at(self.ints_out, "int *", k) for k in range(2))
        self.point_at = tuple(self._at(self.point_out, "float *", k) for k in range(2))
        self.box_at = tuple(self._at(self.box, "float *", k) for k in range(4))
        self.corners_at = self._at(self.corners, "float *")
        self.x_at, self.y_at = self._at(self.xy, "double *"), self._at(self.xy, "double *", 1)
        self.tight_at = tuple(self._at(self.tight, "double *", k) for k in range(4))

    def _at(self, array: Any, c_type: str, k: int = 0) -> Any:
        address = ctypes.addressof(array) + k * ctypes.sizeof(array._type_)
        return address if self._ffi is None else self._ffi.cast(c_type, address)

    def handle(self, pointer: Any) -> Any:
        """What the functions above take for a page or text page pypdfium2 gave as a typed pointer."""
        address = ctypes.cast(pointer, ctypes.c_void_p).value
        return address if self._ffi is None else self._ffi.cast("void *", address or 0)


class _Param:
    """A parameter passed as a pointer to cffi (``c``, its C type) and as an address to ctypes."""

    def __init__(self, c: str) -> None:
        self.c = c


#: Set to ``ctypes`` to call PDFium through ctypes though cffi is installed.
CALLS_ENV = "GOVREPORT_PDFIUM_CALLS"


def _ffi() -> Any:
    """cffi's FFI when it is installed and not declined by :data:`CALLS_ENV`, else None."""
    if os.environ.get(CALLS_ENV, "").strip().lower() == "ctypes":
        return None
    return _cffi()


@functools.cache
def _cffi() -> Any:
    try:
        import cffi
    except ImportError:
        return None
    return cffi.FFI()


_CALLS: dict[str, _Calls] = {}


def _calls(raw: Any) -> _Calls:
    """The calls to use now (cffi's or ctypes', as :data:`CALLS_ENV` and what is installed say), made once each."""
    ffi = _ffi()
    via = "ctypes" if ffi is None else "cffi"
    calls = _CALLS.get(via)
    if calls is None:
        calls = _CALLS[via] = _Calls(raw, ffi)
    return calls


def _collect_glyphs(pdf: _Calls, text: Any, ctm: Matrix, glyphs: list[Glyph], counts: list[int]) -> None:
    is_generated, map_error = pdf.is_generated, pdf.map_error
    text_object, origin_at, loose_box_at = pdf.text_object, pdf.origin_at, pdf.loose_box_at
    char_matrix, matrix_at, matrix_out = pdf.matrix, pdf.matrix_at, pdf.matrix_out
    object_size, object_font, float_at, float_out = pdf.object_size, pdf.font, pdf.float_at, pdf.float_out
    page = pdf.handle(text)
    corners, at_corners = pdf.corners, pdf.corners_at  # an FS_RECTF: left, top, right, bottom
    xy, at_x, at_y = pdf.xy, pdf.x_at, pdf.y_at
    p, q, r, s, e, f = ctm
    fonts: dict[tuple[int, float], float] = {}
    shapes: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    # matrix, direction, font size and descent belong to the text object, which a run of characters
    # shares (PDFium gives each character its object's matrix): asked for once an object
    known: dict[int, tuple[Any, ...]] = {}
    # the advance per unit of font size of a character whose glyph's ink may have widened its
    # loose box, by font, text, box width and em (so that two codes of one text, or a ligature
    # split into its letters, each keep their own): worked out once for each
    advances: dict[tuple[int, str, float, float], float] = {}
    lookups = [_GLYPH_WIDTH_LOOKUPS]
    pending: list[tuple[Any, ...]] = []
    count = pdf.count_chars(page)
    chars = _page_text(pdf, page, count)
    start, undecodable, nowhere = len(glyphs), counts[0], counts[7]
    # A character becomes a glyph once its neighbours in its text object are known (a neighbour
    # straight below means a font written top to bottom), so each is kept until the page is
    # walked. On a page of upright text neither turned nor slanted whose text objects never step
    # down, each is a glyph at once: the page is walked so first (``eager``), and walked again
    # keeping every character only when it meets another one.
    for eager in _WALKS:
        del glyphs[start:]
        counts[0], counts[7] = undecodable, nowhere
        last_obj = None
        last_y = _NO_STEP  # where the last character of the current text object sits (eager)
        for i in range(count):
            ch: str | None
            adv: float | None
            down: float | None
            if chars is not None:
                ch = chars[i]
                # PDFium generates only spaces and line breaks (between words and lines it infers)
                if ch in _MAYBE_GENERATED and is_generated(page, i):
                    continue
                if ch == "\x00" or map_error(page, i) == 1:
                    counts[0] += 1
                    ch = "\ufffd"
            else:
                ch = _char(pdf, page, i, counts)
                if ch is None:
                    continue
            obj = text_object(page, i)
            if obj != last_obj or not obj:
                seen = known.get(obj) if obj else None
                if seen is None:
                    # the character's matrix, and its text object's font size and font: what they
                    # make of it is worked out once a page (see _shape)
                    if not char_matrix(page, i, matrix_at):
                        if eager:
                            # the character is skipped; so must its object be again if a later
                            # character of it is met first in the second walk: it starts afresh
                            break
                        continue
                    ma, mb, mc, md = matrix_out[:4]
                    fsize, font = 0.0, 0
                    if obj and object_size(obj, float_at):
                        fsize, font = float_out[0], object_font(obj) or 0
                    shape = (ma, mb, mc, md, fsize, font, bool(obj))
                    seen = shapes.get(shape)
                    if seen is None:
                        seen = shapes[shape] = _shape(pdf, shape, ctm, fonts)
                    if obj:
                        known[obj] = seen
                a, b, c, d, scale, way, upright, fsize, desc, plain_box, font, across = seen
                last_obj = obj
                last_y = _NO_STEP
            if plain_box is not None:  # upright, neither turned nor slanted: nearly every character
                origin_at(page, i, at_x, at_y)
                x, y = xy[0], xy[1]
                if not loose_box_at(page, i, at_corners):
                    adv, down = 0.0, None
                else:
                    wide = abs(corners[2] - corners[0])
                    if wide > plain_box[2]:
                        high = abs(corners[1] - corners[3])
                        adv, down = fsize, (high if fsize / 2 <= high <= 2 * fsize else fsize)
                    else:
                        adv, down = wide / a, None
                        em = plain_box[3]
                        # the loose box is the advance joined with the glyph's ink: ink reaching an edge
                        # may have widened it (see _ink_checked); a box of exactly one em or half an em
                        # (Chinese characters, and the Latin ones of Chinese fonts) is an advance
                        if em and font and ch != "\ufffd" and abs(wide - em) > _EDGE and abs(2 * wide - em) > _EDGE:
                            key = (font, ch, wide, em)
                            per_size = advances.get(key)
                            if per_size is None:
                                per_size = advances[key] = _ink_checked(pdf, page, i, ch, font, fsize, wide,
                                                                        across, adv, lookups) / fsize
                            adv = per_size * fsize
                x, y = p * x + r * y + e, q * x + s * y + f
                if eager:
                    if down is not None or y < last_y:
                        break
                    last_y = y
                    _add_plain(glyphs, counts, x, y, a, adv, plain_box, ch)
                    continue
                pending.append((x, y, a, b, c, d, desc, fsize, adv, down, ch, obj, plain_box))
                continue
            if eager:
                break
            if way is not None:
                counts[way] += 1
            if not upright:
                continue  # slanted: a watermark, not content (counted above)
            origin_at(page, i, at_x, at_y)
            x, y = xy[0], xy[1]
            size = fsize
            if not size:
                size = pdf.char_size(page, i)
            adv, down = _advance(pdf, page, i, a, b, scale, size, ch, font, across, lookups)
            pending.append((p * x + r * y + e, q * x + s * y + f, a, b, c, d, desc, size, adv, down, ch, obj,
                            plain_box))
        else:
            break  # the whole page walked
    last = len(pending) - 1
    for k, (x, y, a, b, c, d, desc, fsize, adv, down, ch, obj_id, plain_box) in enumerate(pending):
        if adv is not None and down is None:
            # a neighbour in its text object straight below it means a font written top to bottom;
            # beside or above it (the next character of a line), it cannot be
            if plain_box is not None:
                if k < last and pending[k + 1][11] == obj_id:
                    below = pending[k + 1][1] < y
                else:
                    below = k > 0 and pending[k - 1][11] == obj_id and y < pending[k - 1][1]
                if not below:
                    _add_plain(glyphs, counts, x, y, a, adv, plain_box, ch)
                    continue
            down = _steps_down(pending, k)
            if down is not None:
                adv = fsize  # written top to bottom: one font size wide, as pdfminer has it
        if adv is None:
            # PDFium gives a turned character no loose box: its advance is the step to the next
            # character of the same text object (the last one's: one font size, a CJK character's)
            nxt = pending[k + 1] if k + 1 < len(pending) else None
            adv = fsize
            if nxt is not None and nxt[11] == obj_id:
                adv = math.hypot(nxt[0] - x, nxt[1] - y) / (math.hypot(a, b) or 1.0)
        # pdfminer's box: from the descent to one font size above it, the advance wide; written top
        # to bottom, one font size wide and its advance high, hanging from one font size above
        # the origin PDFium gives (its vertical origin already taken off)
        y_lo, y_hi = (desc, desc + fsize) if down is None else (fsize - down, fsize)
        xs = (c * y_lo, adv * a + c * y_lo, c * y_hi, adv * a + c * y_hi)
        ys = (d * y_lo, adv * b + d * y_lo, d * y_hi, adv * b + d * y_hi)
        x0, x1 = x + min(xs), x + max(xs)
        y0, y1 = y + min(ys), y + max(ys)
        where = x0 + x1 + y0 + y1
        if where - where:
            counts[7] += 1
            continue
        glyphs.append(Glyph(x0, y0, x1, y1, ch, y1 - y0))


def _add_plain(glyphs: list[Glyph], counts: list[int], x: float, y: float, a: float, adv: float,
               plain_box: tuple[float, float, float, float], ch: str) -> None:
    """The glyph of a character written across, neither turned nor slanted, at ``x, y`` on the
    page: its box from its text object's (``plain_box``), ``adv`` wide in text space. A character
    at no finite place (numbers that overflow) is counted instead."""
    lo, hi = plain_box[0], plain_box[1]
    where = x + adv * a + y + lo + hi
    if where - where:  # inf or NaN somewhere
        counts[7] += 1
        return
    glyphs.append(Glyph(x, y + lo, x + adv * a, y + hi, ch, (y + hi) - (y + lo)))


def _shape(pdf: "_Calls", key: tuple[Any, ...], ctm: Matrix, fonts: dict[tuple[int, float], float]) -> tuple[Any, ...]:
    """What a character shares with the rest of its text object, from ``key`` (its matrix's first
    four numbers, the object's font size and font, and whether it has an object): its matrix on
    the page, how it is turned (an index into the page's counts), whether it is upright, the font
    size and descent, and, for text neither turned nor slanted (nearly all of it), the offsets of
    its box (from the descent to one font size above it) and the widest loose box that is an
    advance. A page of a few fonts in a few sizes repeats each key in thousands of text objects."""
    ma, mb, mc, md, fsize, font, has_object = key
    p, q, r, s, _, _ = ctm
    a, b, c, d = ma * p + mb * r, ma * q + mb * s, mc * p + md * r, mc * q + md * s
    way = turn_of(a, b)
    upright = way != 2
    desc = 0.0
    if font:
        known = fonts.get((font, fsize))
        if known is None:
            known = fonts[(font, fsize)] = pdf.float_out[0] if pdf.descent(font, fsize, pdf.float_at) else 0.0
        desc = known
    plain = has_object and upright and a > 0 and d > 0 and not b and not c and fsize > 0
    # the loose box's width is checked against the glyph's ink where the text runs along x in
    # PDF user space (where PDFium's boxes are): on a page not turned, all upright text
    across = ma if ma > 0 and not mb and not mc else 0.0
    return (a, b, c, d, abs(ma), way, upright, fsize, desc,
            (d * desc, d * (desc + fsize), _WIDEST * fsize * abs(ma), across * fsize) if plain else None,
            font, across)


#: The characters PDFium may generate (a space between words, a line break between lines).
_MAYBE_GENERATED = frozenset(" \r\n")


def _page_text(pdf: "_Calls", page: Any, count: int) -> str | None:
    """Every character of the text page in one call, one str character each; None when the text
    PDFium gives does not match its characters one to one (a character without a code, or one
    outside the BMP given as two), which are then asked for one at a time."""
    if count <= 0:
        return None
    buf = (ctypes.c_ushort * (count + 1))()
    got = pdf.text(page, 0, count, ctypes.addressof(buf))
    if got != count + 1:
        return None
    try:
        out = ctypes.string_at(buf, 2 * count).decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    return out if len(out) == count else None


def _char(pdf: "_Calls", page: Any, i: int, counts: list[int]) -> str | None:
    """Character ``i`` asked for alone: None when PDFium generated it."""
    if pdf.is_generated(page, i):
        return None
    code = pdf.unicode(page, i)
    if pdf.map_error(page, i) == 1 or not code:
        counts[0] += 1
        return "\ufffd"
    try:
        return chr(code)
    except ValueError:
        counts[0] += 1
        return "\ufffd"


def _steps_down(pending: list[Any], k: int) -> float | None:
    """How far character ``k`` steps down in text space when its font is written top to bottom,
    which the next (or, for the last, the previous) character of its text object shows: one show
    of text moves only along its writing direction, so a neighbour straight below in text space
    means a vertical font. None when the object holds one character or runs across."""
    for j, sign in ((k + 1, 1.0), (k - 1, -1.0)):
        if 0 <= j < len(pending) and pending[j][11] == pending[k][11] and pending[k][11] is not None:
            x, y, a, b, c, d = pending[k][:6]
            det = a * d - b * c
            if not det:
                return None
            sx, sy = sign * (pending[j][0] - x), sign * (pending[j][1] - y)
            across, along = (d * sx - c * sy) / det, (a * sy - b * sx) / det
            fsize = pending[k][7]
            if abs(across) <= 0.01 * fsize and along < -0.01 * fsize:
                return -along
            return None
    return None


def _advance(pdf: _Calls, page: Any, i: int, a: float, b: float, scale: float, fsize: float,
             ch: str, font: int, across: float, lookups: list[int]) -> tuple[float | None, float | None]:
    """The character's advance in text space, and how far it steps down if its font is written top
    to bottom (else None). PDFium's loose box of an upright character is the advance wide, scaled
    by the matrix (``scale``); None for a character turned in PDF user space, whose loose box
    PDFium leaves flat (text upright there, ``across`` its scale, keeps its box on a turned page).
    A font written top to bottom has a loose box about one font size wide and its advance high
    that PDFium does not scale: under a matrix that scales down (a page drawn at 1/20, font size
    200) that box is absurd as an advance, more than :data:`_WIDEST` em, and tells such a font
    apart. Unscaled, the two read alike but for where the box starts, and the character is taken
    as written across."""
    if not across and (abs(a) < abs(b) or not a):
        return None, None
    if not pdf.loose_box_at(page, i, pdf.corners_at):
        return 0.0, None
    box = pdf.corners  # left, top, right, bottom
    wide, high = abs(box[2] - box[0]), abs(box[1] - box[3])
    if fsize and wide > _WIDEST * fsize * scale:
        return fsize, (high if fsize / 2 <= high <= 2 * fsize else fsize)
    adv = wide / (across or abs(a))
    if font and across and fsize and ch != "\ufffd":  # as for plain text (see _collect_glyphs)
        em = across * fsize
        if abs(wide - em) > _EDGE and abs(2 * wide - em) > _EDGE:
            adv = _ink_checked(pdf, page, i, ch, font, fsize, wide, across, adv, lookups)
    return adv, None


#: How many characters of a page may have their advance looked up by their text in their font
#: (PDFium finds the character code by searching the font's map from codes to text).
_GLYPH_WIDTH_LOOKUPS = 256
#: How near (in points) the ink of a glyph must come to an edge of its loose box to have made it.
_EDGE = 1e-3


def _ink_checked(pdf: _Calls, page: Any, i: int, ch: str, font: int, fsize: float, wide: float, scale: float,
                 adv: float, lookups: list[int]) -> float:
    """The advance in text space of character ``i``, written along +x in PDF user space (``scale``:
    the width there of one unit of text space), whose loose box is ``wide`` (``adv`` as the box
    has it); its origin is in ``pdf.xy``, as :func:`_collect_glyphs` asked for it.

    PDFium's loose box is the advance box (from the origin) joined with the glyph's own box, so
    where the ink reaches past the advance (a glyph wider than the width the PDF gives it, as a
    stand-in for a font not embedded often is) or hangs left of the origin, the box is wider than
    the advance: for a font not embedded, by as much as the stand-in font that PDFium happened to
    pick, which its font cache may change from one document to the next. Ink hanging left only:
    the advance ends where the box does. Ink at the right edge: the advance is the font's width
    for the character (as pdfminer has it), which PDFium finds from the character's text, kept
    when it fits between the origin and that edge; else, or for a character that is not one
    UTF-16 unit, from the origin to the edge. ``lookups`` bounds the searches a page makes, each
    a walk through the font's map of codes."""
    if not pdf.tight_box(page, i, *pdf.tight_at):
        return adv
    lo, hi = pdf.tight[0], pdf.tight[1]
    box = pdf.corners  # left, top, right, bottom
    left, right = min(box[0], box[2]), max(box[0], box[2])
    if hi <= lo or (lo - left > _EDGE and right - hi > _EDGE):
        return adv  # no ink, or ink inside the advance: the box is the advance
    origin = pdf.xy[0]
    if not left - _EDGE <= origin < right:
        return adv  # not a box PDFium made from this origin: keep it as it is
    reach = right - origin  # the advance, unless the ink made the right edge
    if right - hi > _EDGE:
        return reach / scale
    if len(ch) == 1 and lookups[0] > 0:
        lookups[0] -= 1
        if pdf.glyph_width(font, ord(ch), fsize, pdf.float_at):
            width = pdf.float_out[0]
            if 0.0 < width * scale <= reach + _EDGE:
                return width
    return reach / scale


def _collect_objects(raw: Any, pdf: _Calls, objs: list[int | None], outer: Matrix, segments: list[Segment],
                     counts: list[int], depth: int) -> None:
    """Rules and images of page objects given by address (most are text, looked at through :class:`_Calls`
    only; a path or form is handed to pypdfium2's typed functions)."""
    object_type, text_kind = pdf.object_type, raw.FPDF_PAGEOBJ_TEXT
    bounds, box = pdf.bounds, pdf.box
    left, bottom, right, top = pdf.box_at
    for address in objs:
        if not address:
            continue
        kind = object_type(address)
        if kind == text_kind:
            # a text object of no width is given a hair of stroke (see _widen_if_flat)
            if bounds(address, left, bottom, right, top) and abs(box[2] - box[0]) < _FLAT:
                _widen_if_flat(raw, pdf, address)
            continue
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            counts[1] += 1
            continue
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if not pdf.object_matrix(address, pdf.matrix_at):
                continue
            _path_segments(raw, pdf, address, _mult(tuple(pdf.matrix_out), outer), segments)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            if not pdf.object_matrix(address, pdf.matrix_at):
                continue
            inner = _mult(tuple(pdf.matrix_out), outer)
            n = raw.FPDFFormObj_CountObjects(ctypes.cast(address, raw.FPDF_PAGEOBJECT))
            inside = [pdf.form_object(address, k) for k in range(max(n, 0))]
            _collect_objects(raw, pdf, inside, inner, segments, counts, depth + 1)


def _widen_if_flat(raw: Any, pdf: _Calls, address: int) -> None:
    """Give a text object whose box has no width a hair of stroke, so that PDFium's text page keeps it.

    The text page skips such an object whole, and pdfminer does not: a run of drawn spaces (a space
    has no outline), characters of a font not embedded whose stand-in has no glyph for them, or
    text turned a quarter whose box of no height now stands on its edge. A stroked text object's box
    is grown by half its line width when PDFium places it (the identity transform below makes it
    place it again); the change lives in memory only, and only the box is read from it.
    """
    if not pdf.bounds(address, *pdf.box_at):
        return
    box = pdf.box
    if abs(box[2] - box[0]) >= _FLAT:
        return
    obj = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
    if raw.FPDFTextObj_SetTextRenderMode(obj, raw.FPDF_TEXTRENDERMODE_STROKE) and \
            raw.FPDFPageObj_SetStrokeWidth(obj, 10 * _FLAT):
        raw.FPDFPageObj_Transform(obj, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row vectors, as PDF writes them)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _path_segments(raw: Any, pdf: _Calls, address: int, mtx: Matrix, segments: list[Segment]) -> None:
    modes = pdf.ints_out
    if not pdf.draw_mode(address, *pdf.ints_at):
        return
    fill, stroke = modes[0], modes[1]
    if not (stroke or fill):
        return
    if not stroke and _white_fill(raw, ctypes.cast(address, raw.FPDF_PAGEOBJECT)):
        return  # a white shape drawn without a stroke (a background) rules nothing
    a, b, c, d, e, f = mtx
    point, (point_x, point_y) = pdf.point_out, pdf.point_at
    get_segment, get_point, get_type, get_close = pdf.segment, pdf.segment_point, pdf.segment_type, pdf.segment_close
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for k in range(pdf.count_segments(address)):
        seg = get_segment(address, k)
        if not seg or not get_point(seg, point_x, point_y):
            continue
        x, y = point[0], point[1]
        pt = (a * x + c * y + e, b * x + d * y + f)
        kind = get_type(seg)
        closed = bool(get_close(seg))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if ops:
                subpaths.append(("".join(ops), pts))
            ops, pts, bezier = ["m"], [pt], 0
            continue
        if not ops:
            continue  # a path must begin with a move
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point: pdfminer keeps only a curve's end
            ops.append("c")
            pts.append(pt)
            if closed:
                ops.append("h")
                pts.append(pts[0])
        elif closed:
            # PDFium closes a subpath with a line back to its start: pdfminer's "h"
            if pt != pts[0]:
                ops.append("l")
                pts.append(pt)
            ops.append("h")
            pts.append(pts[0])
        else:
            ops.append("l")
            pts.append(pt)
    if ops:
        subpaths.append(("".join(ops), pts))
    for shape, p in subpaths:
        _subpath_segments(shape, p, segments)


def _subpath_segments(shape: str, pts: list[tuple[float, float]], segments: list[Segment]) -> None:
    """One subpath as pdfminer classifies it (line, rectangle, curve), then as rules."""
    ops = shape
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        segments.extend(segments_from_path([pts[0], pts[1]]))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            segments.extend(segments_from_box(x0, y0, x2, y2))
            return
    segments.extend(segments_from_path(pts, ops if len(ops) == len(pts) else None))


def _white_fill(raw: Any, obj: Any) -> bool:
    r, g, b, alpha = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(alpha)):
        return False
    return min(r.value, g.value, b.value) >= 252  # 0.99 of full intensity, pdfminer's threshold
