"""The OCR reader's ruled tables read cell by cell, and its detector run over strips of a page.

Constructed pages: numpy arrays with rules drawn in and digits set with Pillow's own font, so
nothing here needs a Chinese font. Tests that run RapidOCR are skipped without the ``ocr`` extra.
"""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("PIL")

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from govreport.readers.ocr import TextBox  # noqa: E402
from govreport.readers.ocr import cells as ruled  # noqa: E402
from govreport.readers.ocr import image as im  # noqa: E402
from govreport.readers.ocr import page as pg  # noqa: E402
from govreport.readers.ocr.strips import strip_map, strip_spans  # noqa: E402

DPI = 150
XS = [150, 450, 650, 850, 1050]
YS = [500, 560, 620, 720, 780]


def _text(img: np.ndarray, xy: tuple[int, int], text: str, size: int = 24) -> tuple[int, int, int, int]:
    """Set ``text`` in black at ``xy`` (its top left); returns the box of its ink."""
    pil = Image.fromarray(img)
    draw = ImageDraw.Draw(pil)
    font = ImageFont.load_default(size=size)
    draw.text(xy, text, fill=0, font=font)
    img[:] = np.asarray(pil)
    x0, y0, x1, y1 = draw.textbbox(xy, text, font=font)
    return x0, y0, x1, y1


def _table_page(*, merged: bool = False, prose: bool = True) -> np.ndarray:
    """An A4 page at 150 dpi: a line of text above a ruled table of 4 rows and 4 columns (the
    third row twice as high, its first cell holding two lines), a line of text below it."""
    h, w = round(11.69 * DPI), round(8.27 * DPI)
    img = np.full((h, w), 255, np.uint8)
    for y in YS:
        img[y : y + 2, XS[0] : XS[-1] + 2] = 0
    for i, x in enumerate(XS):
        if merged and i == 2:
            # no rule between the first row's second and third cells: they are one cell
            img[YS[1] : YS[-1] + 2, x : x + 2] = 0
        else:
            img[YS[0] : YS[-1] + 2, x : x + 2] = 0
    for r in range(4):
        for c in range(4):
            if r == 2 and c == 0:
                _text(img, (XS[0] + 12, YS[2] + 12), "2019")
                _text(img, (XS[0] + 12, YS[2] + 55), "2020")
            elif not (merged and r == 0 and c == 2):
                _text(img, (XS[c] + 12, YS[r] + 16), str(100 * r + 7 * c + 1))
    if prose:
        _text(img, (150, 300), "12 345 678 910 1112 1314")
        _text(img, (150, 1000), "98 765 432 10 9876 54321")
    return img


def _rules_and_clean(img: np.ndarray):
    ink = im.ink_mask(img, 128)
    rules = im.find_rules(ink, DPI)
    clean, clean_ink = im.erase_rules(img, ink, rules)
    return rules, clean, clean_ink


# --------------------------------------------------------------------------------------------
# cells from rules, lines from cells


def test_cells_come_from_the_rules_and_a_missing_rule_merges_two():
    rules, _, _ = _rules_and_clean(_table_page())
    (table,) = ruled.ruled_tables(rules, DPI)
    assert len(table.cells) == 16
    x0, y0, x1, y1 = table.box
    assert abs(x0 - XS[0]) <= 2 and abs(x1 - XS[-1]) <= 3 and abs(y0 - YS[0]) <= 2 and abs(y1 - YS[-1]) <= 3
    # each cell's inside lies within its rules, clear of them
    for cx0, cy0, cx1, cy1 in table.cells:
        assert any(XS[i] + 2 < cx0 and cx1 < XS[i + 1] for i in range(4))
        assert any(YS[i] + 2 < cy0 and cy1 < YS[i + 1] for i in range(4))

    rules, _, _ = _rules_and_clean(_table_page(merged=True))
    (table,) = ruled.ruled_tables(rules, DPI)
    assert len(table.cells) == 15
    wide = [c for c in table.cells if c[2] - c[0] > 300]
    assert len(wide) == 1 and wide[0][0] < XS[2] < wide[0][2] and wide[0][3] < YS[1]


def test_a_frame_or_a_lone_rule_is_no_table():
    img = np.full((800, 800), 255, np.uint8)
    img[100:102, 100:700] = 0
    img[600:602, 100:700] = 0
    img[100:602, 100:102] = 0
    img[100:602, 698:700] = 0
    rules = im.find_rules(im.ink_mask(img, 128), DPI)
    assert len(rules) == 4 and ruled.ruled_tables(rules, DPI) == []


def test_a_cell_of_two_lines_is_split_by_its_rows_of_ink():
    img = _table_page()
    rules, clean, ink = _rules_and_clean(img)
    (table,) = ruled.ruled_tables(rules, DPI)
    line_h = ruled.line_height(ink, table.cells)
    two = next(c for c in table.cells if c[0] < XS[0] + 10 and c[1] > YS[2] and c[3] < YS[3])
    lines = ruled.cell_lines(ink, two, line_h)
    assert len(lines) == 2 and not any(ln.vertical for ln in lines)
    first, second = lines
    assert first.ink[3] < second.ink[1]  # one above the other, apart
    # each line's box is its ink: trimmed on every side
    for ln, y in zip(lines, (YS[2] + 12, YS[2] + 55)):
        x0, y0, x1, y1 = ln.ink
        assert x0 >= XS[0] + 12 and y0 >= y and y1 - y0 < 2 * line_h
        assert ink[y0:y1, x0:x1].any() and not ink[y0:y1, x0 - 1].any()


def test_strokes_of_one_line_stay_one_line_and_specks_are_dropped():
    ink = np.zeros((100, 200), bool)
    ink[30:33, 20:60] = True  # the two strokes of 二, 14 px apart
    ink[47:50, 15:65] = True
    ink[80:82, 150:152] = True  # a speck
    lines = ruled.cell_lines(ink, (0, 0, 200, 100), line_h=24.0)
    assert [ln.ink for ln in lines] == [(15, 30, 65, 50)]


def test_characters_stacked_in_a_narrow_cell_are_one_vertical_line():
    ink = np.zeros((200, 60), bool)
    for y in (20, 50, 80, 110):
        ink[y : y + 24, 18:42] = True  # four character squares, one below the other
    (line,) = ruled.cell_lines(ink, (0, 0, 60, 200), line_h=24.0)
    assert line.vertical and line.ink == (18, 20, 42, 134)
    crop, box = ruled.crop_line(np.where(ink, 0, 255).astype(np.uint8), line, 24.0)
    assert crop.shape[1] > crop.shape[0]  # turned to lie along the recogniser's input


def test_a_crop_frames_the_ink_and_leaves_out_what_lies_outside_its_cell():
    img = np.full((100, 300), 255, np.uint8)
    img[40:60, 100:140] = 0  # the line's ink
    img[40:60, 60:75] = 0  # a neighbour's ink, outside the cell (which starts at x = 80)
    cell = (80, 10, 290, 90)
    line = ruled.TextLine((100, 40, 140, 60), cell, False)
    crop, box = ruled.crop_line(img, line, 20.0)
    across, along = int(ruled.PAD_ACROSS * 20), int(ruled.PAD_ALONG * 20)
    assert crop.shape == (20 + 2 * across, 40 + 2 * along)
    assert (crop < 128).sum() == 20 * 40  # the line's ink and nothing else
    assert box == (max(100 - along, 80), 40 - across, 140 + along, 60 + across)


def test_text_beside_a_table_is_noticed():
    img = _table_page()
    rules, _, ink = _rules_and_clean(img)
    (table,) = ruled.ruled_tables(rules, DPI)
    line_h = ruled.line_height(ink, table.cells)
    assert not ruled.unexplained_ink(ink, table, line_h)
    _text(img, (XS[-1] + 40, YS[1] + 16), "42")
    rules, _, ink = _rules_and_clean(img)
    (table,) = ruled.ruled_tables(rules, DPI)
    assert ruled.unexplained_ink(ink, table, line_h)


# --------------------------------------------------------------------------------------------
# which path a page goes


class _RecordingEngine:
    """Detects nothing but records what it is given: whole images to detect in, crops to read."""

    name = "recording"

    def __init__(self):
        self.detected: list[tuple[int, int]] = []
        self.read: list[np.ndarray] = []

    def __call__(self, image):
        self.detected.append(image.shape[:2])
        return []

    def read_lines(self, images):
        self.read += list(images)
        return [("1", 0.99) for _ in images]


def test_a_ruled_page_is_read_cell_by_cell_and_the_detector_sees_only_the_bands_outside():
    img = _table_page()
    rules, clean, ink = _rules_and_clean(img)
    engine = _RecordingEngine()
    boxes, fitted = pg._read_text(clean, ink, rules, DPI, engine)
    # one crop per line of the table: 15 cells of one line, one of two
    assert len(engine.read) == 17 and len(boxes) == 17 and len(fitted) == 17
    assert all(c.shape[0] < 60 for c in engine.read)
    # the detector saw two bands, above the table and below it, at full width; none of the table
    assert len(engine.detected) == 2 and all(w == img.shape[1] for _, w in engine.detected)
    assert sum(h for h, _ in engine.detected) <= img.shape[0] - (YS[-1] - YS[0])
    for b in boxes:
        x0, y0, x1, y1 = b.bbox
        assert YS[0] < y0 < y1 < YS[-1] + 2


class _InkEngine(_RecordingEngine):
    """Reads a crop as firm print where its darkest pixel is black, as a doubtful 衡 where it is pale."""

    def read_lines(self, images):
        self.read += list(images)
        return [("1", 0.99) if c.min() < 60 else ("衡", 0.5) for c in images]


def test_a_faint_mark_beside_print_in_a_cell_is_left_out_and_said():
    img = _table_page()
    pil = Image.fromarray(img)
    draw = ImageDraw.Draw(pil)
    font = ImageFont.load_default(size=24)
    # a stamp's pale trace under the number of the second row's second cell, and one alone in the
    # first row's last cell, whose number is taken away
    draw.text((XS[1] + 12, YS[1] + 50), "xx", fill=110, font=font)
    draw.rectangle((XS[3] + 4, YS[0] + 4, XS[4] - 4, YS[1] - 4), fill=255)
    draw.text((XS[3] + 12, YS[0] + 16), "0", fill=110, font=font)
    img[:] = np.asarray(pil)
    rules, clean, ink = _rules_and_clean(img)
    engine = _InkEngine()
    faint: list[str] = []
    boxes, _ = pg._read_text(clean, ink, rules, DPI, engine, faint)
    texts = sorted(b.text for b in boxes)
    assert faint == ["衡"]  # the trace beside print, said
    assert texts.count("衡") == 1  # the pale line alone in its cell is kept: it may be a faint digit
    assert len(boxes) == len(engine.read) - 1


def test_a_page_without_rules_or_with_text_beside_its_table_goes_to_the_detector_whole():
    img = np.full((round(11.69 * DPI), round(8.27 * DPI)), 255, np.uint8)
    for y in range(200, 1400, 60):
        _text(img, (150, y), "12 345 678 910 1112 1314 1516")
    rules, clean, ink = _rules_and_clean(img)
    engine = _RecordingEngine()
    pg._read_text(clean, ink, rules, DPI, engine)
    assert engine.detected == [img.shape] and engine.read == []

    img = _table_page()
    _text(img, (XS[-1] + 40, YS[1] + 16), "42")
    rules, clean, ink = _rules_and_clean(img)
    engine = _RecordingEngine()
    pg._read_text(clean, ink, rules, DPI, engine)
    assert engine.detected == [img.shape] and engine.read == []


def test_an_engine_that_cannot_read_crops_reads_a_ruled_page_whole():
    class DetectOnly:
        name = "whole"

        def __init__(self):
            self.shapes = []

        def __call__(self, image):
            self.shapes.append(image.shape)
            return [TextBox(quad=((0, 0), (10, 0), (10, 10), (0, 10)), text="1", confidence=0.9)]

    img = _table_page()
    rules, clean, ink = _rules_and_clean(img)
    engine = DetectOnly()
    boxes, fitted = pg._read_text(clean, ink, rules, DPI, engine)
    assert engine.shapes == [img.shape] and len(boxes) == 1 and not fitted


# --------------------------------------------------------------------------------------------
# the detector over strips


def test_strips_tile_the_input_with_one_shape_and_their_margins():
    for height in (100, 512, 513, 1000, 2432, 2560):
        spans = strip_spans(height, 512, 64)
        kept = [(a, b) for _, _, a, b in spans]
        assert kept[0][0] == 0 and kept[-1][1] == height
        assert all(b == c for (_, b), (c, _) in zip(kept, kept[1:]))
        if height > 512:
            assert all(stop - start == 512 for start, stop, _, _ in spans)
            # the detector's inputs are multiples of 32 rows high: so are the strips' starts
            assert height % 32 or all(start % 32 == 0 for start, _, _, _ in spans)
            for start, stop, a, b in spans:
                assert a == 0 or a - start >= 64
                assert b == height or stop - b >= 64
    with pytest.raises(ValueError):
        strip_spans(1000, 128, 64)


def test_cuts_between_strips_fall_on_the_blankest_rows_near_them():
    rng = np.random.default_rng(3)
    for height in (900, 1755, 2573, 3508):
        # lines of text 40 rows high every 64 rows, paper between them
        ink = [0.0 if (y % 64) >= 40 else float(rng.integers(50, 500)) for y in range(height)]
        spans = strip_spans(height, 768, 96, ink)
        kept = [(a, b) for _, _, a, b in spans]
        assert kept[0][0] == 0 and kept[-1][1] == height
        assert all(b == c for (_, b), (c, _) in zip(kept, kept[1:]))
        for start, stop, a, b in spans:
            assert stop - start == 768 and (a == 0 or a - start >= 96) and (b == height or stop - b >= 96)
            assert b == height or ink[b] == 0.0  # never through a line
        # without the profile the cuts are where the margins put them, through lines or not
        assert [b for *_, b in strip_spans(height, 768, 96)][:-1] == [
            b for *_, b in strip_spans(height, 768, 96, [0.0] * height)][:-1]


def test_a_map_put_together_from_strips_is_the_whole_one_for_a_network_that_sees_near_pixels():
    rng = np.random.default_rng(5)
    image = rng.integers(0, 255, (1500, 90, 3)).astype(np.float32)

    def blur(part):  # each output pixel from the 9 × 9 pixels around it, as a stack of convolutions
        p = np.pad(part[:, :, 0], 4)
        out = sum(p[dy : dy + part.shape[0], dx : dx + part.shape[1]] for dy in range(9) for dx in range(9))
        return out[None, None].astype(np.float32)

    whole = blur(image)
    parts = strip_map(image, blur, rows=256, margin=32)
    assert parts.shape == whole.shape and np.array_equal(parts, whole)
    # with a margin narrower than the network's reach, the rows next to the cuts differ
    assert not np.array_equal(strip_map(image, blur, rows=256, margin=0 + 2), whole)


def test_rapidocr_finds_the_same_lines_over_strips_as_over_the_whole_page():
    pytest.importorskip("rapidocr_onnxruntime", reason='the OCR engine is not installed (pip install "govreport[ocr]")')
    from govreport.readers.ocr import strips
    from govreport.readers.ocr.engine import RapidOcrEngine, _bgr

    img = np.full((1700, 1240), 255, np.uint8)
    lines = [_text(img, (120, y), f"{y} 345 678 910 1112 1314 {y * 7}", size=30) for y in range(120, 1600, 70)]
    engine = RapidOcrEngine(threads=1)
    page = _bgr(img)
    by_strips = engine._detect(page, upscale=False)
    old = strips.STRIP_ROWS
    try:
        strips.STRIP_ROWS = 1 << 20
        whole = engine._detect(page, upscale=False)
    finally:
        strips.STRIP_ROWS = old

    def key(q):
        return tuple(int(v) for v in (*q.min(axis=0), *q.max(axis=0)))

    def on_line(boxes, line):
        return [k for k in map(key, boxes) if line[1] <= (k[1] + k[3]) / 2 <= line[3]]

    def span(ks):  # the pieces of one line as one box
        return (min(k[0] for k in ks), min(k[1] for k in ks), max(k[2] for k in ks), max(k[3] for k in ks))

    # every box over strips lies on a line, and every line is found (the detector may cut a line
    # in two at a wide space, over a strip or over the page: the reader joins the pieces of a line)
    assert sum(len(on_line(by_strips, line)) for line in lines) == len(by_strips)
    # the same lines as over the whole page, each edge within a sixth of the line's height: the
    # detector's squeeze-and-excitation blocks weigh channels by their mean over the input, so a
    # strip's map is not the page's to the last digit (see strips.py)
    for line in lines:
        got, ref = on_line(by_strips, line), on_line(whole, line)
        assert got and ref, line
        assert max(abs(p - q) for p, q in zip(span(got), span(ref))) <= 5, line


def test_the_detector_reads_only_the_inked_part_of_a_page_and_places_its_boxes_on_the_page(monkeypatch):
    pytest.importorskip("rapidocr_onnxruntime", reason='the OCR engine is not installed (pip install "govreport[ocr]")')
    from govreport.readers.ocr import engine as eng

    img = np.full((1700, 1240), 255, np.uint8)
    lines = [_text(img, (420, y), f"{y} 345 678 {y * 7}", size=30) for y in range(700, 1000, 70)]
    engine = eng.RapidOcrEngine(threads=1)
    seen: list[tuple[int, ...]] = []
    infer = engine._ocr.text_det.infer

    def spy(x):
        seen.append(x.shape)
        return infer(x)

    monkeypatch.setattr(engine._ocr.text_det, "infer", spy)
    cut = engine._detect(img, upscale=False)
    # the network saw the ink and the room around it, sides whole multiples of its stride
    assert seen and all(s[2] % 32 == 0 and s[3] % 32 == 0 for s in seen)
    assert max(s[3] for s in seen) < 0.6 * img.shape[1] and sum(s[2] for s in seen) < 0.6 * img.shape[0]
    monkeypatch.setattr(eng, "_inked_part", lambda image: (0, 0, image))
    whole = engine._detect(img, upscale=False)

    def key(q):
        return tuple(int(v) for v in (*q.min(axis=0), *q.max(axis=0)))

    for line in lines:
        got = [key(q) for q in cut if line[1] <= (q[:, 1].min() + q[:, 1].max()) / 2 <= line[3]]
        ref = [key(q) for q in whole if line[1] <= (q[:, 1].min() + q[:, 1].max()) / 2 <= line[3]]
        assert len(got) == len(ref) == 1, line
        # on the page, where the whole page's reading puts them (within a sixth of a line's height)
        assert max(abs(p - q) for p, q in zip(got[0], ref[0])) <= 5, line


def test_the_inked_part_keeps_room_around_the_ink_and_a_page_of_ink_or_none_whole():
    from govreport.readers.ocr.engine import _INK_ROOM, _inked_part

    page = np.full((2560, 1800), 255, np.uint8)
    assert _inked_part(page)[0:2] == (0, 0) and _inked_part(page)[2] is page  # blank: nothing to cut to
    page[1000:1040, 700:900] = 0
    page[5, 5] = 0  # a speck is not ink
    top, left, part = _inked_part(page)
    assert top <= 1000 - _INK_ROOM and left <= 700 - _INK_ROOM
    assert top + part.shape[0] >= 1040 + _INK_ROOM and left + part.shape[1] >= 900 + _INK_ROOM
    assert part.shape[0] % 32 == 0 and part.shape[1] % 32 == 0
    assert np.array_equal(part, page[top : top + part.shape[0], left : left + part.shape[1]])
    page[2400:2410, 1500:1600] = 185  # faint print (a pale page number) is ink the cut keeps
    top, left, part = _inked_part(page)
    assert top + part.shape[0] >= 2410 and left + part.shape[1] >= 1600
    full = np.full((400, 300), 255, np.uint8)
    full[:, :] = 0
    assert _inked_part(full)[2] is full  # nothing worth leaving out


@pytest.mark.parametrize("lo,hi,size", [(0, 10, 100), (90, 100, 100), (5, 60, 64), (40, 41, 2000), (17, 1999, 2000)])
def test_a_span_grows_to_whole_strides_inside_its_edges(lo, hi, size):
    from govreport.readers.ocr.engine import _stride_span

    a, b = _stride_span(lo, hi, size)
    assert 0 <= a <= lo and hi <= b <= size
    if -(-(hi - lo) // 32) * 32 <= size:
        assert (b - a) % 32 == 0 and b - a < (hi - lo) + 32
    else:
        assert (a, b) == (lo, hi)


class _LinesEngine:
    """Reads every crop with the confidence given for its orientation (upright crops are darker
    in their upper half, as the test page draws them)."""

    def __init__(self, upright: float, turned: float) -> None:
        self.upright, self.turned, self.calls = upright, turned, 0

    def __call__(self, image):
        return []

    def read_lines(self, images):
        self.calls += 1
        half = [len(im_) // 2 for im_ in images]
        return [("字字字字", self.upright if im_[:h].mean() < im_[h:].mean() else self.turned)
                for im_, h in zip(images, half)]


@pytest.mark.parametrize("upright,turned,reads,over", [(0.95, 0.99, 1, False), (0.5, 0.9, 2, True), (0.85, 0.9, 2, False)])
def test_lines_are_read_turned_over_only_when_that_could_win(upright, turned, reads, over):
    img = np.full((300, 600), 255, np.uint8)
    boxes = []
    for k in range(3):
        y = 40 + 80 * k
        img[y : y + 10, 50:450] = 0  # the dark top of each line
        img[y + 10 : y + 30, 50:450] = 200
        boxes.append(TextBox(quad=((50, y), (450, y), (450, y + 30), (50, y + 30)), text="字字字字字", confidence=0.9))
    engine = _LinesEngine(upright, turned)
    assert pg._upside_down(boxes, img, engine) is over
    assert engine.calls == reads


class _BlankReader:
    """Reads every crop as nothing (a sliver of a character means nothing alone)."""

    def __call__(self, image):
        return []

    def read_lines(self, images):
        return [("", 0.0) for _ in images]


@pytest.mark.parametrize("side", ["start", "end", "apart"])
def test_ink_beside_a_box_that_reads_as_nothing_makes_the_box_doubtful_at_that_end(side):
    """A box that cut the thin first digit off ``1,207`` reads a confident ``207``: the ink left
    beside it, unreadable alone, must make the cell doubtful, not let ``207`` stand trusted."""
    img = np.full((120, 400), 255, np.uint8)
    img[40:70, 150:230] = 0  # the text the box read
    x = {"start": 140, "end": 234, "apart": 300}[side]
    img[42:68, x : x + 4] = 0  # ink outside the box on its line: beside it, or a column away
    ink = img < 128
    box = TextBox(quad=((148, 36), (232, 36), (232, 74), (148, 74)), text="2 07", confidence=0.99,
                  char_confidences=(0.99, 1.0, 0.98, 0.97))
    other = TextBox(quad=((10, 90), (60, 90), (60, 110), (10, 110)), text="ab", confidence=0.95)
    out = pg._reread_stray([box, other], img, ink, _BlankReader())
    assert out[1] == other and len(out) == 2  # nothing new read, the other box as it was
    got = out[0]
    assert (got.text, got.quad, got.confidence) == (box.text, box.quad, box.confidence)
    want = {"start": (0.0, 1.0, 0.98, 0.97), "end": (0.99, 1.0, 0.98, 0.0), "apart": box.char_confidences}[side]
    assert got.char_confidences == want
