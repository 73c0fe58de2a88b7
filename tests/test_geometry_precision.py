"""Tables without rules rebuilt from measured positions (OCR): ``layout_page(..., precision=p)``.

A text layer gives positions exactly and the page geometry tells a wrapped cell from a new row by
its line pitch to a few tenths of a point. Positions measured from pixels scatter by a pixel or
so; with the precision of the measuring given, the same tables come out. The property: a random
table without rules (labels wrapping over one to three lines, a blank here and there, the last
row carried over to the next page), its text positions each moved by up to the precision, reads
back as typeset.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport import layout as geo
from govreport.layout import pages as pdf_reader

CJK = "申请数量政府信息公开办理结果予以部分不其他处理法律行政规章文件"


def _text(x: float, base: float, text: str, size: float, jitter, out: list) -> None:
    """Glyphs of ``text`` set from ``x`` on baseline ``base``, as one measured box: the whole run
    moved by the same error (an OCR box), each glyph's width as a Chinese font sets it."""
    dx, dy = jitter(), jitter()
    for ch in text:
        w = size if ord(ch) > 0x2E80 else 0.55 * size
        out.append(geo.Glyph(x + dx, base + dy - 0.12 * size, x + dx + w, base + dy + 0.88 * size, ch, size))
        x += w


def _typeset(rows: list[tuple[list[str], list[str]]], size: float, jitter, top: float = 760.0):
    """A table without rules: a label column (lines of a wrapped label) and number columns, rows
    set apart by cell padding as a table whose borders were switched off."""
    pad, pitch = 0.6 * size, 1.35 * size
    label_w = 6 * size + 2 * pad
    num_w = 5 * size
    glyphs: list[geo.Glyph] = []
    y = top
    for label, values in rows:
        base = y - pad - size
        for i, part in enumerate(label):
            _text(72 + pad, base - i * pitch, part, size, jitter, glyphs)
        for c, v in enumerate(values):
            for i, part in enumerate(v.split("\n") if v else []):  # a number too long for its cell wraps
                _text(72 + label_w + c * num_w + pad, base - i * pitch, part, size, jitter, glyphs)
        y -= max(len(label), *(v.count("\n") + 1 for v in values)) * pitch + 2 * pad
    return glyphs


def _grid(items) -> list[list[str]]:
    tables = [t for t in items if isinstance(t, geo.Table)]
    assert len(tables) == 1, items
    return [[text for text, _ in row] for row in tables[0].rows]


rows_strategy = st.lists(
    st.tuples(
        st.lists(st.text(CJK, min_size=1, max_size=5), min_size=1, max_size=3),
        st.lists(st.one_of(st.just(""), st.integers(0, 99999).map(str)), min_size=3, max_size=3),
    ),
    min_size=3,
    max_size=9,
)


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy, size=st.floats(7.0, 12.0), seed=st.integers(0, 2**32 - 1), dpi=st.sampled_from([150, 200, 220]))
def test_measured_positions_rebuild_the_same_table(rows, size, seed, dpi):
    # at least one wrapped label and two single-line rows, so the table shows both pitches; the
    # first rows full (a column blank in every row leaves no trace), a number on every row
    rows = [(["一" + rows[0][0][0]] + rows[0][0][1:] + ["项"], rows[0][1])] + [([r[0][0]], r[1]) for r in rows[1:3]] + rows[3:]
    rows = [(label, [v or str(k) for v in values] if k < 3 else ["1"] + values[1:]) for k, (label, values) in enumerate(rows)]
    precision = 1.5 * 72 / dpi
    rng = random.Random(seed)
    glyphs = _typeset(rows, size, lambda: rng.uniform(-precision / 2, precision / 2))
    got = _grid(geo.layout_page(glyphs, [], precision=precision))
    assert got == [["\n".join(label)] + values for label, values in rows]


def test_exact_positions_are_read_as_before():
    """Precision 0 keeps the tolerances of a text layer: exact positions read the same table."""
    rows = [(["本年新收", "申请数量"], ["12", "", "7"]), (["上年结转"], ["0", "3", "1"]), (["予以公开"], ["5", "6", ""])]
    glyphs = _typeset(rows, 10.0, lambda: 0.0)
    assert _grid(geo.layout_page(glyphs, [])) == [["本年新收\n申请数量", "12", "", "7"], ["上年结转", "0", "3", "1"], ["予以公开", "5", "6", ""]]


def test_exact_tolerances_do_not_stretch_to_measured_positions():
    """The same table moved by OCR's errors needs the precision said: without it, the line pitch
    is not learnt and the tail of a number wrapped in its cell becomes a row of its own (which is
    why the OCR reader passes it)."""
    rows = [(["本年新收", "申请数量"], ["12", "", "7"]), (["上年结转", "政府信息"], ["0", "21397\n1", "1"]),
            (["予以公开"], ["5", "6", "2"]), (["其他处理"], ["1", "0", "9"])]
    errors = iter([0.0, 0.4, -0.4, 0.3, -0.3, 0.2, 0.4, -0.4] * 20)
    glyphs = _typeset(rows, 10.0, lambda: next(errors))
    want = [["\n".join(label)] + values for label, values in rows]
    assert _grid(geo.layout_page(glyphs, [], precision=0.5)) == want
    assert _grid(geo.layout_page(glyphs, [])) != want


def test_a_label_and_its_numbers_alone_are_a_table_row():
    """The last row of a table carried over to the next page stands alone: still a row."""
    glyphs: list[geo.Glyph] = []
    _text(72, 760, "结转下年度继续办理", 9, lambda: 0.0, glyphs)
    for c, v in enumerate(["4", "6", "0", "46"]):
        _text(200 + 40 * c, 760, v, 9, lambda: 0.0, glyphs)
    _text(72, 720, "四、政府信息公开行政复议、行政诉讼情况", 11, lambda: 0.0, glyphs)
    items = geo.layout_page(glyphs, [])
    assert isinstance(items[0], geo.Table) and _grid(items[:1]) == [["结转下年度继续办理", "4", "6", "0", "46"]]
    assert isinstance(items[1], geo.TextBlock)


def test_prose_with_a_number_is_no_table_row():
    glyphs: list[geo.Glyph] = []
    _text(72, 760, "本年度共收到申请", 9, lambda: 0.0, glyphs)
    _text(200, 760, "第3页", 9, lambda: 0.0, glyphs)
    assert not any(isinstance(t, geo.Table) for t in geo.layout_page(glyphs, []))


class _Page:
    def __init__(self, items):
        self.items = items


def test_rows_carried_over_take_the_columns_of_the_table_they_continue():
    """A carried-over row with a blank shows fewer columns; it takes its table's columns again."""
    first: list[geo.Glyph] = []
    rows = [(["信息内容"], ["数量一", "数量二", "金额"]), (["行政许可"], ["1", "2", "3"]), (["行政处罚"], ["4", "5", "6"])]
    for r, (label, values) in enumerate(rows):
        _text(72, 760 - 20 * r, label[0], 9, lambda: 0.0, first)
        for c, v in enumerate(values):
            _text(200 + 60 * c, 760 - 20 * r, v, 9, lambda: 0.0, first)
    second: list[geo.Glyph] = []
    _text(72, 760, "政府集中采购", 9, lambda: 0.0, second)
    _text(321, 760, "873581", 9, lambda: 0.0, second)  # the first value blank
    pages = [_Page(geo.layout_page(first, [])), _Page(geo.layout_page(second, []))]
    assert _grid(pages[1].items) == [["政府集中采购", "873581"]]
    pdf_reader._align_carried_rows(pages)
    assert _grid(pages[1].items) == [["政府集中采购", "", "", "873581"]]


def test_a_repeated_footer_taken_for_a_one_row_table_is_still_dropped():
    """A footer "title … page number" looks like a label and a number: it is left out as a
    repeated line at the page edge, so the table ending the page stays the page's last item."""
    pages = []
    for n in (1, 2):
        glyphs: list[geo.Glyph] = []
        _text(72, 760, "正文第一段，说明本年度的工作情况。", 10, lambda: 0.0, glyphs)
        _text(72, 30, "某某区政府信息公开工作年度报告", 9, lambda: 0.0, glyphs)
        _text(480, 30, str(n), 9, lambda: 0.0, glyphs)
        pages.append(pdf_reader.Page(n, 842.0, geo.layout_page(glyphs, []), len(glyphs), 0, 0))
    assert any(isinstance(t, geo.Table) for t in pages[0].items)  # the footer, as a one-row table
    pdf_reader._drop_headers_footers(pages)
    assert not any(isinstance(t, geo.Table) for p in pages for t in p.items)


def test_a_new_table_on_the_next_page_keeps_its_own_columns():
    """Only a carried tail (one or two rows of a label and numbers) takes the columns of the table
    before; a table of its own that happens to start the page does not."""
    first: list[geo.Glyph] = []
    for r in range(3):
        _text(72, 760 - 20 * r, f"项目{r}", 9, lambda: 0.0, first)
        for c in range(4):
            _text(200 + 60 * c, 760 - 20 * r, str(r + c), 9, lambda: 0.0, first)
    second: list[geo.Glyph] = []
    for r, label in enumerate(["信息内容", "行政许可", "行政处罚"]):
        _text(72, 760 - 20 * r, label, 9, lambda: 0.0, second)
        for c in (1, 3):
            _text(200 + 60 * c, 760 - 20 * r, "数量" if r == 0 else str(10 * r + c), 9, lambda: 0.0, second)
    pages = [_Page(geo.layout_page(first, [])), _Page(geo.layout_page(second, []))]
    before = _grid(pages[1].items)
    pdf_reader._align_carried_rows(pages)
    assert _grid(pages[1].items) == before == [["信息内容", "数量", "数量"], ["行政许可", "11", "13"], ["行政处罚", "21", "23"]]


def test_glyphs_of_a_cell_that_is_not_a_rectangle_are_its_own():
    """Rules drawn partly (as OCR finds them) can join lattice cells into an L: each cell's glyphs
    are filed under that cell, so their confidences are traced to the right value."""
    S = geo.Segment
    segments = [S(True, 100, 0, 200), S(True, 0, 0, 200), S(False, 0, 0, 100), S(False, 200, 0, 100),
                S(False, 100, 50, 100), S(True, 50, 0, 100)]
    glyphs: list[geo.Glyph] = []
    _text(10, 70, "甲乙", 10, lambda: 0.0, glyphs)
    _text(120, 20, "123", 10, lambda: 0.0, glyphs)
    tables = [t for t in geo.layout_page(glyphs, segments) if isinstance(t, geo.Table)]
    assert tables
    for t in tables:
        for row in t.rows:
            for cell in row:
                if cell[0]:
                    traced = "".join(g.text for g in t.glyphs.get(id(cell), []))
                    assert sorted(traced) == sorted(cell[0].replace("\n", "")), (cell, traced)
