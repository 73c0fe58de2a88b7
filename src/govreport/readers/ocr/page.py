"""One scanned page through OCR: from pixels to the glyphs, rules and tables of the page geometry.

:func:`read_page` takes a page image (grey or colour, any resolution from 100 to 600 dpi) and
returns what the PDF reader would have got from a text layer: glyphs and ruling segments in PDF
user space, laid out by :func:`govreport.layout.layout_page`, with the confidence of every character.
The steps are described in :mod:`.image` (cleaning, skew, rules, stray ink), :mod:`.cells`
(ruled tables read cell by cell, the detector only around them) and :mod:`.glyphs` (text boxes to
glyphs); orientation is decided here:

* a page turned by 90° shows text boxes much taller than wide: it is turned and read again;
* a page upside down reads worse than its own text lines turned over: a few of the longest lines
  are read both ways, and when the turned ones read clearly better the page is turned and read
  again.
"""

from __future__ import annotations

import statistics

import attrs
import numpy as np

from . import cells as ruled
from . import image as im
from ... import layout as geo
from .engine import LOW_CONFIDENCE, OcrEngine, TextBox
from .glyphs import PageGlyphs, ink_box, boxes_to_glyphs

__all__ = ["OcrPage", "read_page", "WORK_DPI", "prepare"]

#: Resolutions pages are read at: lower ones are scaled up to the first, higher ones down to the second.
WORK_DPI = (150.0, 220.0)
#: How far, in pixels, a position measured from ink may be from where the character was set (the
#: ink's edge falls on either side of a pixel boundary, and characters' ink starts and ends a little
#: differently); the page geometry widens its tolerances by it.
POSITION_PX = 1.5
#: A box's own confidence below which its text is dropped unless it holds a digit (specks, noise).
_NOISE_CONFIDENCE = 0.5
#: Width, in line heights, of the piece of a line read both ways to tell an upside-down page.
_TEST_EMS = 8
#: Lines read to try which way up a poorly read page is, before reading it all that way.
_PROBE_LINES = 12
#: How much better, in mean confidence, a page's longest lines must read turned over for the
#: page to be taken as upside down.
_TURN_GAIN = 0.1
#: Readings of a cell's line below this confidence are dropped, as the engine drops the
#: detector's boxes read below it (``RapidOcrEngine``'s ``text_score``).
_TEXT_SCORE = 0.3


class OcrPage:
    """What OCR made of one page."""

    __slots__ = ("height", "items", "ink", "confidence", "rotated", "skew", "stamp", "boxes", "faint")

    def __init__(self) -> None:
        self.height = 0.0  # points
        self.items: list = []  # layout_page's blocks
        self.ink = 0  # characters read
        self.confidence: dict = {}  # glyph -> confidence of its character
        self.rotated = 0  # degrees the page was turned (counter-clockwise) to be upright
        self.skew = 0.0
        self.stamp = False
        self.boxes = 0
        self.faint: list[str] = []  # faint marks beside print in table cells, left out (their readings)


def prepare(image: np.ndarray, dpi: float) -> tuple[np.ndarray, float, bool]:
    """Grey page at a working resolution, with red stamps removed: ``(grey, dpi, had_stamp)``."""
    from PIL import Image

    stamp = False
    if image.ndim == 3 and image.shape[2] >= 3:
        rgb, n = im.drop_red(np.ascontiguousarray(image[:, :, :3]))
        stamp = n > 0.0005 * rgb.shape[0] * rgb.shape[1]
        grey = im.to_grey(rgb)
    else:
        grey = im.to_grey(image)
    lo, hi = WORK_DPI
    target = lo if dpi < lo else hi if dpi > hi else dpi
    if abs(target - dpi) > 1:
        f = target / dpi
        size = (max(1, round(grey.shape[1] * f)), max(1, round(grey.shape[0] * f)))
        grey = np.asarray(Image.fromarray(grey).resize(size, Image.Resampling.LANCZOS if f < 1 else Image.Resampling.BICUBIC))
        dpi = target
    return grey, dpi, stamp


def read_page(image: np.ndarray, dpi: float, engine: OcrEngine) -> OcrPage:
    """Read one page image (``(h, w)`` grey or ``(h, w, 3)`` RGB, ``uint8``) at ``dpi``."""
    grey, dpi, stamp = prepare(image, dpi)
    page = OcrPage()
    page.stamp = stamp
    threshold = im.ink_threshold(grey)

    def attempt(grey: np.ndarray):
        ink = im.ink_mask(grey, threshold)
        skew = im.skew_angle(ink, dpi)
        if skew:
            grey = im.rotate(grey, -skew)
            ink = im.ink_mask(grey, threshold)
        rules = im.find_rules(ink, dpi)
        clean, clean_ink = im.erase_rules(grey, ink, rules)
        faint: list[str] = []
        boxes, fitted = _read_text(clean, clean_ink, rules, dpi, engine, faint)
        return grey, skew, rules, clean, clean_ink, boxes, fitted, faint

    turned = 0
    state = attempt(grey)
    if _sideways(state[5]):
        turned = 90
        state = attempt(im.rotate(state[0], 90))
    if _upside_down(state[5], state[3], engine):
        turned = (turned + 180) % 360
        state = attempt(im.rotate(state[0], 180))
    elif _poor(state[5]):
        # few or doubtful readings: the page may be upside down or sideways with too little
        # running text to tell; read it the other ways round and keep the best reading
        base, best, best_q = state[0], (turned, state), _quality(state[5])
        for turn in (180, 90, 270):
            rotated = im.rotate(base, turn)
            if _probe(rotated, engine) <= 1.2 * best_q + 10:
                continue  # a quick look at its longest lines finds nothing better: not read in full
            other = attempt(rotated)
            q = _quality(other[5])
            if q > 1.2 * best_q + 10:
                best, best_q = ((turned + turn) % 360, other), q
                if not _poor(other[5]):
                    break
        turned, state = best
    grey, skew, rules, clean, clean_ink, boxes, fitted, page.faint = state
    page.rotated, page.skew = turned, skew
    boxes = _reread_doubtful(boxes, clean, clean_ink, engine, fitted)
    boxes = _reread_stray(boxes, clean, clean_ink, engine)
    page.boxes = len(boxes)
    # a "rule" inside a line of text is a long stroke of a character
    rules = [r for r in rules if not _inside_text(r, boxes)]
    k = 72.0 / dpi
    h_px = grey.shape[0]
    page.height = h_px * k
    glyphs = PageGlyphs()
    boxes_to_glyphs(boxes, clean_ink, dpi, glyphs)
    segments = [_segment(r, k, page.height) for r in rules]
    page.ink = sum(1 for g in glyphs.glyphs if not g.text.isspace())
    if page.ink:
        precision = POSITION_PX * k
        page.items = geo.layout_page(glyphs.glyphs, segments, precision=precision)
        page.confidence = dict(zip(glyphs.glyphs, glyphs.confidence))
    return page


def _read_text(clean: np.ndarray, ink: np.ndarray, rules: list[im.Rule], dpi: float,
               engine: OcrEngine, faint: list[str] | None = None) -> tuple[list[TextBox], set[int]]:
    """The text boxes of a page without rules (``clean``, its ink ``ink``), and the ids of those
    read from crops already fitted to their ink; the readings of faint marks left out of table
    cells (:func:`_faint_marks`) are added to ``faint``.

    The lines of text in the cells of ruled tables are cropped and read without the detector
    (:mod:`.cells`); the detector reads the bands of the page above, between and below those
    tables. A page without ruled tables, or whose tables' rows hold ink no cell explains, is read
    by the detector as a whole, and so is every page for an engine that cannot read a crop
    without detecting (no ``read_lines``: it would run its detector on each crop instead).
    """
    if not callable(getattr(engine, "read_lines", None)):
        return _clean_boxes(engine(clean)), set()
    tables = ruled.ruled_tables(rules, dpi)
    line_h = ruled.line_height(ink, [c for t in tables for c in t.cells]) if tables else 0.0
    if not tables or line_h <= 0 or any(ruled.unexplained_ink(ink, t, line_h) for t in tables):
        return _clean_boxes(engine(clean)), set()
    lines = [ln for t in tables for c in t.cells for ln in ruled.cell_lines(ink, c, line_h)]
    crops = [ruled.crop_line(clean, ln, line_h) for ln in lines]
    read = _read_crops_chars(engine, [c for c, _ in crops])
    marks = _faint_marks(lines, crops, read)
    found: list[TextBox] = []
    for k, ((_, (x0, y0, x1, y1)), (text, conf, chars)) in enumerate(zip(crops, read)):
        if not text.strip() or conf < _TEXT_SCORE:
            continue
        if k in marks:
            if faint is not None:
                faint.append(text)
            continue
        quad = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
        found.append(TextBox(quad=quad, text=text, confidence=conf, char_confidences=chars))
    fitted = {id(b) for b in found}
    for top, bottom in _bands(ink, tables):
        found += _read_band(clean, top, bottom, engine)
    return _clean_boxes(found), fitted


#: A cell's line read below this confidence is a doubtful reading (the threshold below which the
#: reader reports a cell holding digits as doubtful).
_FIRM = LOW_CONFIDENCE
#: Grey levels by which the darkest pixel of a faint mark is lighter than that of print beside it.
_FAINT_GAP = 50


def _faint_marks(lines: list[ruled.TextLine], crops: list[tuple[np.ndarray, tuple[int, int, int, int]]],
                 read: list[tuple[str, float, tuple[float, ...] | None]]) -> set[int]:
    """The indices of the lines that are faint marks beside print in the same cell: read with
    doubt, and much lighter at their darkest than a line of the cell read firmly. What is left of a
    stamp once its red is taken out, or print showing through the paper, lies over a cell as a
    pale trace that the detector never took for text; read as a line of its own, it would join the
    cell's number and make it unreadable. A faint line alone in its cell (a faint digit of a
    blurred scan) is kept: nothing in the cell shows it is not print."""
    by_cell: dict[tuple[int, int, int, int], list[int]] = {}
    for k, ln in enumerate(lines):
        by_cell.setdefault(ln.cell, []).append(k)
    marks: set[int] = set()
    for ks in by_cell.values():
        if len(ks) < 2:
            continue
        darkest = {k: int(crops[k][0].min()) for k in ks}
        firm = [darkest[k] for k in ks if read[k][1] >= _FIRM and read[k][0].strip()]
        if firm:
            marks.update(k for k in ks if read[k][1] < _FIRM and darkest[k] >= min(firm) + _FAINT_GAP)
    return marks


def _bands(ink: np.ndarray, tables: list[ruled.RuledTable]) -> list[tuple[int, int]]:
    """The rows of the page outside every table's rows that hold ink, as ``(top, bottom)``."""
    h = ink.shape[0]
    taken = np.zeros(h, dtype=bool)
    for t in tables:
        taken[max(t.box[1] - 2, 0) : min(t.box[3] + 3, h)] = True
    free = ~taken
    out = []
    for s, e in ruled._runs(free, 0):
        if ink[s:e].any():
            out.append((s, e))
    return out


def _read_band(img: np.ndarray, top: int, bottom: int, engine: OcrEngine) -> list[TextBox]:
    """The text boxes the engine finds in rows ``top:bottom`` of ``img``, on the page's pixels
    (cropped, not rescaled); a band too low for the engine to take as it is (RapidOCR pads a
    strip more than 8 times wider than high, in black) gets white rows added below it."""
    band = img[top:bottom]
    need = max(32, -(-band.shape[1] // 8) + 1)
    if band.shape[0] < need:
        band = np.pad(band, ((0, need - band.shape[0]), (0, 0)), constant_values=255)
    out = []
    for b in engine(np.ascontiguousarray(band)):
        quad = tuple((x, y + top) for x, y in b.quad)
        out.append(TextBox(quad=quad, text=b.text, confidence=b.confidence, char_confidences=b.char_confidences))
    return out


def _segment(r: im.Rule, k: float, page_h: float) -> geo.Segment:
    if r.horizontal:
        return geo.Segment(True, page_h - r.pos * k, r.start * k, r.end * k)
    return geo.Segment(False, r.pos * k, page_h - r.end * k, page_h - r.start * k)


def _clean_boxes(boxes: list[TextBox]) -> list[TextBox]:
    out = []
    for b in boxes:
        text = b.text.strip()
        if not text:
            continue
        if b.confidence < _NOISE_CONFIDENCE and not any(ch.isdigit() for ch in text):
            continue
        out.append(b)
    return out


def _size(b: TextBox) -> tuple[float, float]:
    x0, y0, x1, y1 = b.bbox
    return x1 - x0, y1 - y0


def _sideways(boxes: list[TextBox]) -> bool:
    """Whether most lines of several characters stand upright (the page is turned by 90°)."""
    tall = wide = 0
    for b in boxes:
        if len(b.text.strip()) < 3:
            continue
        w, h = _size(b)
        if h > 1.5 * w:
            tall += 1
        elif w > 1.5 * h:
            wide += 1
    return tall >= 3 and tall > 2 * wide


def _quality(boxes: list[TextBox]) -> float:
    """Characters read with confidence on lines lying across the page: the measure by which two
    readings of a page compare (a detector may still find a few lines of a page turned sideways,
    standing upright, and read them well)."""
    total = 0.0
    for b in boxes:
        n = len(b.text.strip())
        w, h = _size(b)
        if b.confidence >= 0.8 and (n == 1 or h <= 1.5 * w):
            total += b.confidence * n
    return total


def _poor(boxes: list[TextBox]) -> bool:
    chars = sum(len(b.text.strip()) for b in boxes)
    sure = sum(len(b.text.strip()) for b in boxes if b.confidence >= 0.9)
    return chars < 30 or sure < 0.75 * chars


def _probe(img: np.ndarray, engine: OcrEngine) -> float:
    """An upper estimate of the :func:`_quality` of reading ``img`` in full, from its longest
    lines only, found by the detector on a reduced page; ``inf`` (read it in full) for an engine
    that cannot detect without reading."""
    detect = getattr(engine, "detect", None)
    if not callable(detect):
        return float("inf")
    quads = detect(img)
    boxes = sorted((TextBox(quad=q, text="", confidence=0.0) for q in quads), key=lambda b: -_size(b)[0])
    boxes = [b for b in boxes if min(_size(b)) >= 4][:_PROBE_LINES]
    if not boxes:
        return 0.0
    read = _read_crops(engine, [_crop(img, b.bbox, 2) for b in boxes])
    found = [TextBox(quad=b.quad, text=t, confidence=c) for b, (t, c) in zip(boxes, read)]
    # each line not read counts as much as the narrowest one read (lines were taken widest first)
    rest = max(len(quads) - len(boxes), 0)
    return _quality(found) + rest * min(_quality([b]) for b in found)


def _read_crops_chars(engine: OcrEngine, crops: list[np.ndarray]) -> list[tuple[str, float, tuple[float, ...] | None]]:
    """:func:`_read_crops` with each character's confidence where the engine gives them."""
    reader = getattr(engine, "read_chars", None)
    if callable(reader):
        return list(reader(crops)) if crops else []
    return [(t, c, None) for t, c in _read_crops(engine, crops)]


def _read_crops(engine: OcrEngine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    reader = getattr(engine, "read_lines", None)
    if callable(reader):
        return list(reader(crops))
    out = []
    for c in crops:
        pad = max(4, c.shape[0] // 3)
        framed = np.pad(c, pad, constant_values=255)
        found = sorted(engine(framed), key=lambda b: b.bbox[0])
        if found:
            text = "".join(b.text for b in found)
            conf = min(b.confidence for b in found)
            out.append((text, conf))
        else:
            out.append(("", 0.0))
    return out


def _crop(img: np.ndarray, box: tuple[float, float, float, float], pad: int, hpad: int | None = None) -> np.ndarray:
    x0, y0, x1, y1 = box
    h, w = img.shape[:2]
    hpad = pad if hpad is None else hpad
    a, b = max(int(y0) - pad, 0), min(int(np.ceil(y1)) + pad, h)
    c, d = max(int(x0) - hpad, 0), min(int(np.ceil(x1)) + hpad, w)
    return np.ascontiguousarray(img[a:b, c:d])


def _upside_down(boxes: list[TextBox], img: np.ndarray, engine: OcrEngine) -> bool:
    """Whether the longest lines read better turned over."""
    lines = sorted((b for b in boxes if len(b.text.strip()) >= 4 and _size(b)[0] > 2 * _size(b)[1]),
                   key=lambda b: -len(b.text))[:6]
    if len(lines) < 2:
        return False
    # the first few characters of a line tell as well as the whole line, at a fraction of the
    # recogniser's time (it works in proportion to a crop's width)
    crops = [_crop(img, b.bbox, 2)[:, : _TEST_EMS * max(int(_size(b)[1]), 1)] for b in lines]
    n = len(crops)
    as_is = sum(c for _, c in _read_crops(engine, crops)) / n
    if as_is + _TURN_GAIN >= 1.0:
        # no confidence is over 1: the lines turned over cannot read better by the margin
        return False
    turned = [np.ascontiguousarray(c[::-1, ::-1]) for c in crops]
    over = sum(c for _, c in _read_crops(engine, turned)) / n
    return over > as_is + _TURN_GAIN


def _text_height(boxes: list[TextBox]) -> float:
    hs = [_size(b)[1] for b in boxes if len(b.text.strip()) >= 2 and _size(b)[0] > _size(b)[1]]
    if not hs:
        hs = [_size(b)[1] for b in boxes]
    return statistics.median(hs) if hs else 0.0


def _reread_stray(boxes: list[TextBox], img: np.ndarray, ink: np.ndarray, engine: OcrEngine) -> list[TextBox]:
    """``boxes`` and the groups of ink that no text box covers, read again (lone digits the
    detector missed). Ink beside the end of a box on its line that reads as nothing clearly may be
    a piece of the line the box cut off (the thin first digit of a number): the box's character at
    that end is given the piece's confidence, so that a cell read from it is reported as doubtful
    rather than trusted short of a digit."""
    th = _text_height(boxes)
    if th <= 0:
        return boxes
    # the detector's boxes are padded: the ink itself is about two thirds of a box's height
    ink_h = 0.65 * th
    regions = im.stray_ink(ink, [b.bbox for b in boxes], text_height=ink_h, min_height=0.4 * ink_h)
    if not regions:
        return boxes
    regions = regions[:400]
    # a little room around the ink, more along the line than across it (measured best for lone digits)
    crops = [_crop(img, r, max(2, int(0.15 * ink_h)), max(3, int(0.3 * ink_h))) for r in regions]
    out = list(boxes)
    found = []
    for (x0, y0, x1, y1), (text, conf) in zip(regions, _read_crops(engine, crops)):
        text = text.strip()
        if not text or conf < 0.6:
            i = _beside_end(boxes, (x0, y0, x1, y1), ink_h)
            if i is not None:
                out[i] = _doubt_at_end(out[i], x1 <= boxes[i].bbox[0], conf)
            continue
        quad = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
        found.append(TextBox(quad=quad, text=text, confidence=conf))
    return out + found


def _beside_end(boxes: list[TextBox], r: tuple[int, int, int, int], ink_h: float) -> int | None:
    """The box whose line the ink ``r`` lies on, within a character's gap of its start or end."""
    x0, y0, x1, y1 = r
    for i, b in enumerate(boxes):
        bx0, by0, bx1, by1 = b.bbox
        if not b.text.strip() or min(y1, by1) - max(y0, by0) < 0.5 * (y1 - y0):
            continue
        gap = bx0 - x1 if x1 <= bx0 else x0 - bx1 if x0 >= bx1 else None
        if gap is not None and gap <= 0.5 * ink_h:
            return i
    return None


def _doubt_at_end(box: TextBox, start: bool, conf: float) -> TextBox:
    """``box`` with the confidence of its first (``start``) or last character lowered to ``conf``."""
    confs = list(box.char_confidences) if box.char_confidences and len(box.char_confidences) == len(box.text) \
        else [box.confidence] * len(box.text)
    ks = [k for k, ch in enumerate(box.text) if not ch.isspace()]
    k = ks[0] if start else ks[-1]
    confs[k] = min(confs[k], conf)
    return attrs.evolve(box, char_confidences=tuple(confs))


def _reread_doubtful(boxes: list[TextBox], img: np.ndarray, ink: np.ndarray, engine: OcrEngine,
                     fitted: set[int] | frozenset[int] = frozenset()) -> list[TextBox]:
    """Short texts read with doubt are read again from a crop fitted to their ink.

    A detector's box around a lone digit in a wide cell can be several times wider than the
    digit, and the recogniser then sees mostly paper (a 0 read as 。 or D); fitted to the ink, the
    digit reads plainly. The better of the two readings is kept.
    """
    # (a box read from a crop fitted to its ink would be read from the same crop again)
    todo = [i for i, b in enumerate(boxes) if b.confidence < 0.9 and len(b.text.strip()) <= 4 and id(b) not in fitted]
    if not todo:
        return boxes
    h, w = ink.shape
    crops, fits = [], []
    for i in todo:
        x0, y0, x1, y1 = boxes[i].bbox
        box = (max(int(x0), 0), max(int(y0), 0), min(int(np.ceil(x1)), w), min(int(np.ceil(y1)), h))
        top, bottom, left, right = ink_box(ink, box, vertical=False)
        ih = max(bottom - top, 1)
        fits.append((left, top, right, bottom))
        crops.append(_crop(img, (left, top, right, bottom), max(2, int(0.15 * ih / 0.65)), max(3, int(0.3 * ih / 0.65))))
    out = list(boxes)
    for i, (left, top, right, bottom), (text, conf) in zip(todo, fits, _read_crops(engine, crops)):
        text = text.strip()
        if text and conf > boxes[i].confidence + 0.05:
            quad = ((float(left), float(top)), (float(right), float(top)), (float(right), float(bottom)), (float(left), float(bottom)))
            out[i] = TextBox(quad=quad, text=text, confidence=conf)
    return out


def _inside_text(r: im.Rule, boxes: list[TextBox]) -> bool:
    for b in boxes:
        x0, y0, x1, y1 = b.bbox
        if r.horizontal:
            if y0 - 1 <= r.pos <= y1 + 1 and r.start >= x0 - 2 and r.end <= x1 + 2:
                return True
        elif x0 - 1 <= r.pos <= x1 + 1 and r.start >= y0 - 2 and r.end <= y1 + 2:
            return True
    return False
