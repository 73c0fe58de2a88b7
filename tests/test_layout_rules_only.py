"""Tables ruled with horizontal lines only, built from glyphs and rules and laid out directly.

Word prints a table whose vertical borders are off as a stack of horizontal rules; a header over
several columns is closed by a rule as long as it is, and the cells beside it span rows. The
columns come from the gaps in the text, so these pages put text where a column edge is hard to
see and check the grid the layout engine gives.
"""

from __future__ import annotations

from govreport import layout as geo

SIZE = 9.0
PITCH = 10.5  # between the lines of one cell's wrapped text


def _width(text: str) -> float:
    return sum(SIZE if ord(ch) > 0x2E80 else 0.63 * SIZE for ch in text)


def _centred(out: list[geo.Glyph], a: float, b: float, top: float, bottom: float, lines: list[str]) -> None:
    """``lines`` of one cell, centred across ``a``-``b`` and vertically between ``top`` and ``bottom``."""
    block = SIZE + (len(lines) - 1) * PITCH
    _lines_across(out, a, b, (top + bottom + block) / 2 - 0.88 * SIZE, lines, _width)


def _lines_across(out: list[geo.Glyph], a: float, b: float, base: float, lines: list[str], width) -> None:
    """``lines`` centred across ``a``-``b``, the first on baseline ``base``, each ``PITCH`` below the last."""
    for k, line in enumerate(lines):
        x = (a + b - width(line)) / 2
        for ch in line:
            w = width(ch)
            out.append(geo.Glyph(x, base - k * PITCH - 0.12 * SIZE, x + w, base - k * PITCH + 0.88 * SIZE, ch, SIZE))
            x += w


KINDS = [["自然", "人"], ["商业", "企业"], ["科研", "机构"], ["社会", "公益", "组织"], ["法律", "服务", "机构"], ["其他"], ["总计"]]


def _applicants_page(body: list[tuple[str, list[str]]]) -> tuple[list[geo.Glyph], list[geo.Segment]]:
    """The applications table's head as Word prints it without vertical borders: a label cell
    spanning the three header rows; 申请人情况 over every column of values, closed by a rule as long
    as it; 法人或其他组织 centred over the five columns between the first and the last, closed by a
    rule as long as those; the kinds of applicant wrapped over one to three lines, each centred
    vertically, so that two neighbours' lines never meet on one line. Then ``body`` rows."""
    left, label_w, col_w = 90.0, 187.0, 35.0
    xs = [left + label_w + k * col_w for k in range(len(KINDS) + 1)]
    right = xs[-1]
    ys = [560.0, 548.7, 537.4, 505.1]
    glyphs: list[geo.Glyph] = []
    rules = [geo.Segment(True, ys[0], left, right), geo.Segment(True, ys[1], xs[0], right),
             geo.Segment(True, ys[2], xs[1], xs[-2]), geo.Segment(True, ys[3], left, right)]
    _centred(glyphs, left, xs[0], ys[0], ys[3], ["项目"])
    _centred(glyphs, xs[0], right, ys[0], ys[1], ["申请人情况"])
    _centred(glyphs, xs[1], xs[-2], ys[1], ys[2], ["法人或其他组织"])
    _centred(glyphs, xs[0], xs[1], ys[1], ys[3], KINDS[0])
    _centred(glyphs, xs[-2], xs[-1], ys[1], ys[3], KINDS[-1])
    for k in range(1, len(KINDS) - 1):
        _centred(glyphs, xs[k], xs[k + 1], ys[2], ys[3], KINDS[k])
    y = ys[3]
    for label, values in body:
        _centred(glyphs, left, xs[0], y, y - 12.4, [label])
        for k, v in enumerate(values):
            if v:
                _centred(glyphs, xs[k], xs[k + 1], y, y - 12.4, [v])
        y -= 12.4
        rules.append(geo.Segment(True, y, left, right))
    return glyphs, rules


def _grid(items: list) -> list[list[str | None]]:
    tables = [t for t in items if isinstance(t, geo.Table)]
    assert len(tables) == 1, items
    return [[None if merged else text for text, merged in row] for row in tables[0].rows]


def test_header_centred_over_a_gap_between_columns_does_not_join_them():
    """申请人情况, centred over the columns of values, starts in the gap between the values of 科研机构
    and 社会公益组织, just past the end of 科研 (whose header shares no line with 社会); the shorter
    rule under it shows that it spans the columns, so it takes no room from that gap: the two
    columns stay apart, and so do the values of a row missing one."""
    body = [("一、本年新收申请", ["1", "2", "3", "4", "5", "6", "21"]),
            ("二、上年结转申请", ["0", "", "7", "9", "0", "", "16"]),
            ("（一）予以公开", ["3", "0", "", "8", "1", "0", "12"])]
    glyphs, rules = _applicants_page(body)
    grid = _grid(geo.layout_page(glyphs, rules))
    kinds = ["\n".join(k) for k in KINDS]
    assert grid == [
        ["项目", "申请人情况", None, None, None, None, None, None],
        [None, kinds[0], "法人或其他组织", None, None, None, None, kinds[-1]],
        [None, None, *kinds[1:-1], None],
        *[[label, *values] for label, values in body],
    ]


def test_a_row_of_headers_over_a_shorter_rule_keeps_a_column_each():
    """A shorter rule under a row of single-column headers instead (the cells beside them span
    rows): the middle one is centred on the rule as a header over all of them would be, yet each
    header stays in its own column, and 申请人情况 above still joins no two."""
    glyphs, rules = _applicants_page([("一、本年新收申请", ["1", "2", "3", "4", "5", "6", "21"])])
    # the row of 法人或其他组织 now holds one header per column instead (商业 … 其他)
    glyphs = [g for g in glyphs if not (537.4 < g.yc < 548.7 and 312.0 < g.xc < 487.0)]
    for k, name in enumerate(["甲", "乙", "丙", "丁", "戊"]):
        _centred(glyphs, 312.0 + 35.0 * k, 347.0 + 35.0 * k, 548.7, 537.4, [name])
    grid = _grid(geo.layout_page(glyphs, rules))
    assert grid[1][2:7] == ["甲", "乙", "丙", "丁", "戊"]
    assert grid[3] == ["一、本年新收申请", "1", "2", "3", "4", "5", "6", "21"]


def _digits_width(text: str) -> float:
    """Widths as a Chinese font sets digits and a full stop beside CJK characters."""
    return sum(0.33 * SIZE if ch == "." else 0.63 * SIZE if ch.isascii() else SIZE for ch in text)


def _top_aligned(out: list[geo.Glyph], a: float, b: float, top: float, lines: list[str]) -> None:
    """``lines`` of one cell, centred across ``a``-``b`` from the top of the cell down."""
    _lines_across(out, a, b, top - 1.2 - 0.88 * SIZE, lines, _digits_width)


def test_a_number_wrapped_beside_labels_centred_on_cells_of_different_widths_stays_whole():
    """The rest of table 三 at the top of a page (as in corpus document synthetic-0-00377): labels
    centred on cells starting at three different rules' ends but all ending at the first column of
    values, two of them ending within a point of each other by chance. They look right-aligned, but
    the centred values beside them place the edge; taken from the labels' ends, it cut the values'
    column short, so 954298 wrapped in it seemed not to fill it and its second line became a row."""
    xs = [277.0 + 35.0 * k for k in range(8)]
    ys = [719.6, 708.3, 686.6, 675.3]
    rules = [geo.Segment(True, ys[0], 90.0, 522.0), geo.Segment(True, ys[1], 118.0, 522.0),
             geo.Segment(True, ys[2], 90.0, 522.0), geo.Segment(True, ys[3], 90.0, 522.0)]
    rows = [((163.0, "3.其他"), ["5", "0", "0", "0", "0", "65", "70"]),
            ((118.0, "（七）总计"), ["9542\n98", "2131", "9348\n04", "96", "135", "123", "1891\n587"]),
            ((90.0, "四、结转下年度继续办理"), ["0", "0", "16", "0", "31", "6", "53"])]
    glyphs: list[geo.Glyph] = []
    for r, ((left, label), values) in enumerate(rows):
        _top_aligned(glyphs, left, xs[0], ys[r], [label])
        for k, v in enumerate(values):
            _top_aligned(glyphs, xs[k], xs[k + 1], ys[r], v.split("\n"))
    grid = _grid(geo.layout_page(glyphs, rules))
    assert [row[-7:] for row in grid] == [values for _, values in rows]
