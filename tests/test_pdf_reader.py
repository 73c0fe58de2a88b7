"""PdfReader at the Document level: the office PDFs against their gold numbers, synthetic PDFs
(written by ``tests/data/pdf/pdfgen.py``) for merged cells, blanks, vertical headers, tables
without rules, page breaks, running headers, and bad input (scans, encryption, damage)."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import govreport
from govreport import pdftext
from govreport.document import Cell, Grid, Paragraph
from govreport.errors import EncryptedInput, NeedsOCR, UnreadableInput
from govreport.readers.base import ReaderLike
from govreport.readers.pdf import PdfReader
from govreport.source import Source, open_source

DATA = Path(__file__).parent / "data" / "pdf"
PDFS = sorted(DATA.glob("*.pdf"))
SCAN = DATA / "scans" / "qingquan-2019-ocr.pdf"

sys.path.insert(0, str(DATA))
from pdfgen import PdfWriter  # noqa: E402

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|元)?$")

_SOURCES = [pytest.param("pdfminer"),
            pytest.param("pdfium", marks=pytest.mark.skipif(not pdftext.pdfium.available(), reason="no pypdfium2"))]


@pytest.fixture(autouse=True, params=_SOURCES)
def glyph_source(request, monkeypatch):
    """Every test of the reader runs with either glyph source (PDFium is the default where installed)."""
    monkeypatch.setenv(pdftext.ENV, request.param)
    return request.param


def read(obj) -> "govreport.document.Document":
    src = obj if isinstance(obj, Source) else open_source(obj)
    return PdfReader().read(src)


def gold_numbers(gold_path: Path) -> Counter:
    """Every non-null number of a gold file (counts and money values), as normalised strings."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out: Counter = Counter()

    def walk(v):
        if isinstance(v, dict):
            if "value" in v and "unit" in v:
                if v["value"] is not None:
                    out[str(float(v["value"]))] += 1
                return
            for x in v.values():
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[str(float(v))] += 1

    for table in ("active_disclosure", "applications", "review_litigation", "legacy_statistics"):
        walk(gold.get(table) or {})
    return out


def grid_numbers(doc) -> Counter:
    """Numeric cells of all grids; a number wrapped over lines in a narrow cell is read whole."""
    out: Counter = Counter()
    for grid in doc.grids:
        for row in grid.rows:
            for cell in row:
                if cell.merged:
                    continue
                m = _NUMBER.match(re.sub(r"\s+", "", cell.text))
                if m:
                    out[str(float(m.group(1)))] += 1
    return out


def texts(grid: Grid) -> list[list[str | None]]:
    """A grid as text, with ``None`` for the merged continuation of a cell."""
    return [[None if c.merged else c.text for c in row] for row in grid.rows]


def all_cells(doc):
    return [c for g in doc.grids for row in g.rows for c in row]


# --------------------------------------------------------------------------------------------
# the office fixtures


def test_fixtures_present():
    assert len(PDFS) == 7
    assert all(p.with_name(p.stem + ".gold.json").exists() for p in PDFS)
    assert SCAN.exists()


def test_reader_contract():
    reader = PdfReader()
    assert isinstance(reader, ReaderLike)
    assert reader.name == "pdf" and "pdf" in reader.kinds
    assert reader.claim(open_source(PDFS[0])) == 0.9
    assert reader.claim(Source(data=b"x", kind="docx")) == 0.0
    assert reader.claim(Source(data=b"x", kind="text", text="x")) == 0.0


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_fixture_numbers_match_gold(path):
    doc = read(path)
    assert doc.reader == "pdf"
    assert doc.pages == {"haicheng-2023-synthetic": 3, "langxia-2019-legacy": 5}.get(path.stem, 4)
    assert grid_numbers(doc) == gold_numbers(path.with_name(path.stem + ".gold.json"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_fixture_locations(path):
    doc = read(path)
    tables = [g.loc.table for g in doc.grids]
    assert tables == list(range(len(tables)))
    for g in doc.grids:
        width = len(g.rows[0])
        assert all(len(row) == width for row in g.rows), "rows of one grid have one width"
        for r, row in enumerate(g.rows):
            for c, cell in enumerate(row):
                assert (cell.loc.page, cell.loc.table, cell.loc.row, cell.loc.col) == (g.loc.page, g.loc.table, r, c)
    pages = [b.loc.page for b in doc.blocks]
    assert pages == sorted(pages), "blocks come in page order"
    assert all(isinstance(p.loc.line, int) and p.loc.line >= 1 for p in doc.paragraphs)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_fixture_end_to_end(path):
    report = govreport.parse(path)
    assert report.reader == "pdf"
    gold = json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))
    assert report.to_dict(full=False) == gold


def test_money_cell_keeps_its_unit():
    doc = read(DATA / "bureau-2019-pipe.pdf")
    assert "160.5964万元" in [c.text for c in all_cells(doc)]


def test_blanks_are_present_not_zero():
    doc = read(DATA / "hangu-2019-tabbed.pdf")
    rows = [texts(g) for g in doc.grids]
    granted = next(r for g in rows for r in g if "（一）予以公开" in r)
    values = granted[granted.index("（一）予以公开") + 1 :]
    assert [v for v in values if v is not None] == ["1", "", "", "", "", "", "1"]
    # table C: fourteen blanks and a 0 in the last column
    last = rows[-1][-1]
    assert last == [""] * 14 + ["0"]


def test_merged_cells_appear_once():
    doc = read(DATA / "hangu-2019-tabbed.pdf")
    first = texts(doc.grids[0])
    assert first[0] == ["第二十条第（一）项", None, None, None]
    assert first[1] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    b = texts(doc.grids[2])
    assert b[0][:4] == ["（本列数据的勾稽关系为：第\n一项加第二项之和，等于第三\n项加第四项之和）", None, None, "申请人情况"]
    assert b[1][3:5] == ["自然人", "法人或其他组织"] and b[1][-1] == "总计"


def test_vertical_headers_stay_in_one_cell():
    doc = read(DATA / "xinwei-2020-vertical.pdf")
    cells = [c.text for c in all_cells(doc)]
    assert cells.count("结\n果\n维\n持") == 3
    assert cells.count("尚\n未\n审\n结") == 3
    assert "三、本\n年度办\n理结果" in cells
    hangu = [c.text for c in all_cells(read(DATA / "hangu-2019-tabbed.pdf"))]
    assert "三\n、\n本\n年\n度\n办\n理\n结\n果" in hangu
    assert not any(t in ("结", "果", "维", "持") for t in cells + hangu)


def test_paragraphs_title_headings_signature():
    doc = read(DATA / "xinwei-2020-vertical.pdf")
    paras = [p.text for p in doc.paragraphs]
    assert paras[:3] == ["新伟街道办事处2020年", "政府信息公开工作年度报告", "一、总体情况"]
    assert paras[-2:] == ["新伟街道办事处", "2021年1月19日"]
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
        assert heading in paras
    # a wrapped paragraph is one paragraph; the title and heading lines stay apart
    assert any(p.startswith("2020年，新伟街道深入学习") and p.endswith("取得了阶段性成效。") for p in paras)


def test_reading_order_heading_before_its_table():
    doc = read(DATA / "hangu-2019-tabbed.pdf")
    kinds = [b.text if isinstance(b, Paragraph) else "GRID" for b in doc.blocks]
    i = kinds.index("三、收到和处理政府信息公开申请情况")
    assert kinds[i - 1] == "GRID" and kinds[i + 1] == "GRID"
    assert isinstance(doc.blocks[i + 1], Grid) and "申请人情况" in doc.blocks[i + 1].rows[0][3].text


def test_row_broken_over_page_is_put_back():
    doc = read(DATA / "bureau-2019-pipe.pdf")
    cells = [c.text for c in all_cells(doc)]
    assert "一、本年新收政府信息公开申\n请数量" in cells
    assert "请数量" not in cells
    # still one grid per page
    assert [g.loc.page for g in doc.grids] == [1, 1, 2, 3, 4, 4]
    doc = read(DATA / "linjiang-2022-synthetic.pdf")
    assert "（二）部分公开\n（区分处理的，\n只计这一情形，不\n计其他情形）" in [c.text for c in all_cells(doc)]


def test_table_without_rules_office_fixture():
    doc = read(DATA / "qingquan-2019-ocr.pdf")
    assert any("no ruling lines" in p for p in doc.problems)
    rows = [r for g in doc.grids for r in texts(g)]
    assert ["政府集中采购", "19", "5965713", ""] in rows
    assert ["三、本\n年度办\n理结果", "(一)予以公开", None] + ["0"] * 7 in rows
    # the heading between tables A and B is no part of either
    assert "三、收到和处理政府信息公开申请情况" in [p.text for p in doc.paragraphs]


def test_wrapped_numbers_in_narrow_columns():
    doc = read(DATA / "haicheng-2023-synthetic.pdf")
    rows = [r for g in doc.grids for r in texts(g)]
    first = next(r for r in rows if r[0] == "一、本年新收政府信息公开申请数量")
    assert first[2:] == ["73\n82", "72\n1", "93", "93", "45\n0", "27\n0", "90\n09"]
    withheld = next(r for r in rows if r[2] == "7.属于行政执法案卷")
    assert withheld[3:] == ["0", "0", "", "0", "0", "0", "0"]


# --------------------------------------------------------------------------------------------
# synthetic documents


def _ruled_doc() -> bytes:
    w = PdfWriter()
    widths = [24, 96, 60, 60, 60]
    for n in (1, 2):
        page = w.page()
        page.text(200, 770, "某某单位2019年度报告", size=9)  # running header
        page.text(290, 30, f"- {n} -", size=9)  # page number
        if n == 1:
            page.text(180, 720, "某某街道2019年", size=16)
            page.text(150, 698, "政府信息公开工作年度报告", size=16)
            page.text(72, 670, "一、测试表格", size=12)
            cells = {
                (0, 0): ("合并的标题行", 1, 5),
                (1, 0): ("项目", 1, 2), (1, 2): "甲", (1, 3): "乙", (1, 4): "丙",
                (2, 0): ("结\n果\n维\n持", 3, 1), (2, 1): "第一项", (2, 2): "1", (2, 4): "3",
                (3, 1): "第二项", (3, 2): "160.5964万元", (3, 3): "0",
                (4, 1): "第三项", (4, 2): "-2", (4, 4): "7",
                (5, 1): "第四项很长的标签文", (5, 2): "4",
            }
            page.table(72, 650, widths, [18, 18, 20, 20, 20, 20], cells)
            page.text(72, 480, "表格之后的一段说明文字。", size=12)
            # a second table reaching the bottom of the page, its last row broken over the page
            page.table(72, 460, widths, [20] * 19, {(r, 1): f"第{r}行" for r in range(18)} | {(18, 1): "被分页断开的标签文", (18, 2): "8"})
        else:
            page.table(72, 740, widths, [20, 20], {(0, 1): "字", (1, 1): "第五项", (1, 2): "5", (1, 3): "6", (1, 4): "7"})
            page.text(400, 650, "某某街道办事处", size=12)
            page.text(400, 630, "2020年1月20日", size=12)
    return w.to_bytes()


@pytest.fixture(scope="module")
def ruled():
    return read(_ruled_doc())


def test_synthetic_merges_blanks_and_vertical_header(ruled):
    grid = texts(ruled.grids[0])
    assert grid == [
        ["合并的标题行", None, None, None, None],
        ["项目", None, "甲", "乙", "丙"],
        ["结\n果\n维\n持", "第一项", "1", "", "3"],
        [None, "第二项", "160.5964万元", "0", ""],
        [None, "第三项", "-2", "", "7"],
        ["", "第四项很长的标签文", "4", "", ""],
    ]
    blank = ruled.grids[0].rows[2][3]
    assert blank == Cell(text="", loc=blank.loc) and not blank.merged


def test_synthetic_paragraphs_and_headers_footers(ruled):
    paras = [p.text for p in ruled.paragraphs]
    assert paras == ["某某街道2019年", "政府信息公开工作年度报告", "一、测试表格", "表格之后的一段说明文字。",
                     "某某街道办事处", "2020年1月20日"]
    everything = ruled.text()
    assert "某某单位" not in everything and "- 1 -" not in everything and "- 2 -" not in everything
    assert [type(b).__name__ for b in ruled.blocks] == [
        "Paragraph", "Paragraph", "Paragraph", "Grid", "Paragraph", "Grid", "Grid", "Paragraph", "Paragraph"]


def test_synthetic_table_over_page_break(ruled):
    g1, g2 = ruled.grids[1], ruled.grids[2]
    assert (g1.loc.page, g2.loc.page) == (1, 2)
    assert texts(g1)[-1][1:3] == ["被分页断开的标签文\n字", "8"]
    assert texts(g2) == [["", "第五项", "5", "6", "7"]]


def test_broken_row_not_healed_when_values_follow():
    """A first row with a value of its own is a real row, not the tail of the row before."""
    w = PdfWriter()
    widths = [96, 60]
    p1 = w.page()
    p1.table(72, 200, widths, [20, 20], {(0, 0): "一", (1, 0): "长长长长长长长长长", (1, 1): "1"})
    p2 = w.page()
    p2.table(72, 740, widths, [20, 20], {(0, 0): "字", (0, 1): "2", (1, 0): "三", (1, 1): "3"})
    doc = read(w.to_bytes())
    assert texts(doc.grids[1])[0] == ["字", "2"]
    assert texts(doc.grids[0])[-1] == ["长长长长长长长长长", "1"]


def test_table_drawn_with_thin_rectangles():
    w = PdfWriter()
    p = w.page()
    xs, ys = [72, 172, 232, 292], [700, 680, 660, 640]
    for y in ys:
        p.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, fill=True)
    for x in xs:
        p.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1], fill=True)
    for r, row in enumerate([["名称", "甲", "乙"], ["第一项", "10", ""], ["第二项", "", "20"]]):
        for c, t in enumerate(row):
            p.text(xs[c] + 4, ys[r] - 14, t, size=9)
    doc = read(w.to_bytes())
    assert len(doc.grids) == 1
    assert texts(doc.grids[0]) == [["名称", "甲", "乙"], ["第一项", "10", ""], ["第二项", "", "20"]]
    assert doc.paragraphs == ()


def test_table_without_rules_synthetic():
    w = PdfWriter()
    p = w.page()
    p.text(72, 720, "二、没有框线的表格", size=12)
    rows = [["指标", "本年数", "上年数"], ["第一项", "1", "2"], ["第二项", "3", "4"], ["第三项", "", "5"]]
    cells = {(r, c): t for r, row in enumerate(rows) for c, t in enumerate(row)}
    p.table(72, 700, [120, 80, 80], [18] * 4, cells, rules=False)
    p.text(72, 600, "表格后的正文。", size=12)
    doc = read(w.to_bytes())
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Grid", "Paragraph"]
    assert texts(doc.grids[0]) == rows


def test_text_outside_tables_kept_apart_from_a_table_beside_no_lines():
    """Prose with a wide gap inside a line is not mistaken for a table."""
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "甲单位", size=12)
    p.text(400, 700, "乙单位", size=12)
    p.text(72, 680, "正文第一行。", size=12)
    doc = read(w.to_bytes())
    assert doc.grids == ()
    assert [x.text for x in doc.paragraphs] == ["甲单位 乙单位", "正文第一行。"] or [x.text for x in doc.paragraphs] == [
        "甲单位乙单位", "正文第一行。"]


# --------------------------------------------------------------------------------------------
# bad input


def test_scan_needs_ocr():
    with pytest.raises(NeedsOCR) as err:
        read(SCAN)
    assert err.value.pages == (1, 2, 3, 4)
    msg = str(err.value)
    # the extra is named only when it is missing (test_hostile checks both wordings)
    assert "no text layer" in msg and "OCR" in msg


def test_image_only_synthetic_needs_ocr_and_partial_scan_is_a_problem():
    w = PdfWriter()
    w.page().image_placeholder()
    w.page().image_placeholder()
    with pytest.raises(NeedsOCR) as err:
        read(w.to_bytes())
    assert err.value.pages == (1, 2)
    w = PdfWriter()
    w.page().text(72, 700, "有文字的一页", size=12)
    w.page().image_placeholder()
    doc = read(w.to_bytes())
    assert [p.text for p in doc.paragraphs] == ["有文字的一页"]
    assert any("page 2 has no text layer" in p for p in doc.problems)


def test_encrypted_pdf():
    w = PdfWriter()
    w.page().text(72, 700, "机密内容", size=12)
    with pytest.raises(EncryptedInput) as err:
        read(w.to_bytes(user_password="secret"))
    assert "password" in str(err.value)
    # encrypted with an empty user password: opens like any other file
    doc = read(w.to_bytes(user_password=""))
    assert [p.text for p in doc.paragraphs] == ["机密内容"]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        (DATA / "hangu-2019-tabbed.pdf").read_bytes()[:3000],
        b"%PDF-1.4\n%%EOF",
    ],
    ids=["random", "no-pages", "truncated", "empty-body"],
)
def test_corrupt_pdf_is_unreadable(data):
    with pytest.raises(UnreadableInput) as err:
        read(data)
    assert not isinstance(err.value, (NeedsOCR, EncryptedInput))
    msg = str(err.value)
    assert msg.startswith("<bytes>:") and "Traceback" not in msg and "\n" not in msg


def test_corrupt_pdf_through_parse_is_a_typed_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(UnreadableInput):
        govreport.parse(path)


def test_page_frame_is_no_table_but_a_table_inside_it_is():
    w = PdfWriter()
    p = w.page()
    p.rect(40, 40, 532, 712)  # a border around the page
    p.line(40, 730, 572, 730)  # a rule under the running title, touching the border
    p.text(60, 738, "页眉标题", size=9)
    for k in range(8):
        p.text(72, 700 - k * 20, f"第{k + 1}行正文，这是一段较长的说明文字，用来占满一行的宽度。", size=12)
    p.table(72, 500, [120, 60], [20, 20], {(0, 0): "名称", (0, 1): "数", (1, 0): "第一项", (1, 1): "9"})
    doc = read(w.to_bytes())
    assert len(doc.grids) == 1 and texts(doc.grids[0]) == [["名称", "数"], ["第一项", "9"]]
    paras = [x.text for x in doc.paragraphs]
    assert any(t.startswith("第1行正文") for t in paras) and any(t.startswith("第8行正文") for t in paras)


def test_slanted_watermark_is_left_out():
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "正文", size=12)
    p.text(150, 300, "样本水印", size=60, angle=45)
    p.table(72, 650, [120, 60], [20, 20], {(0, 0): "名称", (0, 1): "数", (1, 0): "第一项", (1, 1): "9"})
    doc = read(w.to_bytes())
    assert "样" not in doc.text() and "水印" not in doc.text()
    assert texts(doc.grids[0]) == [["名称", "数"], ["第一项", "9"]]
    assert any("watermark" in x for x in doc.problems)


def test_page_printed_sideways_is_turned_back():
    w = PdfWriter()
    w.page().text(72, 700, "第一页正文", size=12)
    p = w.page(sideways=True)  # laid out on 792 x 612, printed turned on the portrait page
    p.text(72, 560, "横排表格标题", size=12)
    p.table(72, 540, [200, 80, 80, 80], [20, 20, 20],
            {(0, 0): "项目", (0, 1): "甲", (0, 2): "乙", (0, 3): "丙", (1, 0): "第一项", (1, 1): "1", (1, 3): "3",
             (2, 0): "第二项", (2, 1): "4", (2, 2): "5", (2, 3): "6"})
    doc = read(w.to_bytes())
    assert [x.text for x in doc.paragraphs] == ["第一页正文", "横排表格标题"]
    assert texts(doc.grids[0]) == [["项目", "甲", "乙", "丙"], ["第一项", "1", "", "3"], ["第二项", "4", "5", "6"]]
    assert doc.grids[0].loc.page == 2


def test_damaged_page_is_a_problem_not_a_crash():
    w = PdfWriter()
    w.page().text(72, 700, "第一页", size=12)
    w.page().text(72, 700, "第二页内容", size=12)
    data = w.to_bytes()
    k = data.rfind(b"stream\n") + 7  # the second page's content
    doc = read(data[:k] + b"\x00garbage" + data[k + 9 :])
    assert [p.text for p in doc.paragraphs] == ["第一页"]
    assert any("declares 2 pages but only 1" in p for p in doc.problems)


def test_threads_read_alike_and_logging_is_restored():
    import logging
    from concurrent.futures import ThreadPoolExecutor

    logging.getLogger("pdfminer").setLevel(logging.INFO)
    try:
        alone = [read(p).text() for p in PDFS[:4]]
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda p: read(p).text(), PDFS[:4]))
        assert together == alone
        assert logging.getLogger("pdfminer").level == logging.INFO
    finally:
        logging.getLogger("pdfminer").setLevel(logging.NOTSET)


def test_table_without_rules_roomy_rows_and_prose_around():
    w = PdfWriter()
    p = w.page()
    p.text(76, 720, "上面一段正文，字号与表格相同。", size=9)
    rows = [["指标", "本年数", "上年数"], ["第一项", "10", "20"], ["第二项", "", "40"], ["第三项", "50", ""]]
    cells = {(r, c): t for r, row in enumerate(rows) for c, t in enumerate(row)}
    p.table(72, 690, [120, 80, 80], [32] * 4, cells, rules=False)
    p.text(76, 540, "下面一段正文，字号也相同。", size=9)
    doc = read(w.to_bytes())
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Grid", "Paragraph"]
    assert texts(doc.grids[0]) == rows


# --------------------------------------------------------------------------------------------
# tables ruled with horizontal lines only, rows broken over pages, lines set apart


def _width(text: str, size: float) -> float:
    return sum(500 if ord(ch) < 0x2E80 else 1000 for ch in text) * size / 1000


def _rules_only_table(page, x: float, top: float, widths: list[float], rows: list[list[str]], *, height: float = 26,
                      size: float = 11, align: str = "left", middle: bool = True, rules: list | None = None) -> float:
    """A table ruled with horizontal lines only (as Word prints a table whose vertical borders are
    off): ``rows`` of cells, "\\n" wrapping a cell's text; cells centred vertically (``middle``)
    and aligned ``left`` or ``centre``. ``rules`` (default: every row edge, full width) gives
    each rule as (y, x0, x1). Returns the y of the table's bottom."""
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top - k * height for k in range(len(rows) + 1)]
    for y, a, b in rules if rules is not None else [(y, xs[0], xs[-1]) for y in ys]:
        page.line(a, y, b, y)
    pitch = size * 1.3
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            lines = text.split("\n") if text else []
            block = size + (len(lines) - 1) * pitch
            first = (ys[r] + ys[r + 1] + block) / 2 - size if middle else ys[r] - 4 - size
            for k, ln in enumerate(lines):
                left = xs[c] + 5.5 if align == "left" else (xs[c] + xs[c + 1] - _width(ln, size)) / 2
                page.text(left, first - k * pitch + 0.12 * size, ln, size=size)
    return ys[-1]


def test_table_ruled_with_horizontal_lines_only_keeps_its_rows():
    """The rules give the rows: a wrapped label and the values centred beside it stay one row."""
    w = PdfWriter()
    p = w.page()
    p.text(90, 740, "二、主动公开政府信息情况", size=12)
    rows = [["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "1", "2", "3"],
            ["其他对外管理服务\n事项", "4", "5", "6"], ["行政处罚", "7", "8", "9"]]
    _rules_only_table(p, 84.6, 720, [108] * 4, rows, height=26)
    p.text(90, 590, "表格之后的正文。", size=12)
    doc = read(w.to_bytes())
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Grid", "Paragraph"]
    assert texts(doc.grids[0]) == rows
    assert not any("no ruling lines" in x for x in doc.problems)


def test_horizontal_rules_only_centred_cells_and_spans():
    """Columns come from the text's alignment: centred text; a header over two columns closed by a
    shorter rule; centred text in the middle of a run of columns spans it (with the values under it)."""
    w = PdfWriter()
    p = w.page()
    widths = [120, 104, 104, 104]
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "12", "", "7"],
            ["行政规范性文件", "3", "4", "5"], ["信息内容", "", "本年处理决定数量", ""], ["行政许可", "", "512155", ""]]
    _rules_only_table(p, 90, 700, widths, rows, height=20, size=10, align="centre")
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == rows[:3] + [["信息内容", "本年处理决定数量", None, None], ["行政许可", "512155", None, None]]
    # a header spanning two columns over two headers of its own: the shorter rule under it closes
    # only these columns; the label beside it spans both rows
    w = PdfWriter()
    p = w.page()
    rows = [["项目", "", ""], ["", "自然人", "法人"], ["第一项", "1", "2"], ["第二项", "3", "4"]]
    rules = [(700, 90, 390), (680, 210, 390), (660, 90, 390), (640, 90, 390), (620, 90, 390)]
    _rules_only_table(p, 90, 700, [120, 90, 90], rows, height=20, size=10, rules=rules, align="centre")
    p.text(300 - _width("申请人", 10) / 2, 686.2, "申请人", size=10)
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == [["项目", "申请人", None], [None, "自然人", "法人"], ["第一项", "1", "2"], ["第二项", "3", "4"]]


def test_horizontal_rules_around_groups_of_rows():
    """Rules only above and below the header and under the last row (a three-line table): the body's
    rows are told apart by their values, a number wrapped in its narrow column stays one value."""
    w = PdfWriter()
    p = w.page()
    rules = [(700, 90, 390), (680, 90, 390), (626, 90, 390)]
    _rules_only_table(p, 90, 700, [150, 60, 90], [["指标", "数量", "备注"]], height=20, size=10, rules=rules)
    for k, (label, value, note) in enumerate([("第一项", "15", "无"), ("第二项", "7", "有"), ("第三项", "0", "")]):
        y = 664 - k * 16
        p.text(95.5, y, label, size=10)
        p.text(245.5, y, value, size=10)
        p.text(305.5, y, note, size=10)
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == [["指标", "数量", "备注"], ["第一项", "15", "无"], ["第二项", "7", "有"], ["第三项", "0", ""]]
    # a rule above and one below a whole table: its rows as in a table without rules (a wrapped label
    # goes on, a column starting new text or a number starts a row)
    w = PdfWriter()
    p = w.page()
    rows = [["指标", "本年数", "上年数"], ["第一项", "1", "2"], ["第二项很长的标签\n文字", "3", "4"], ["第三项", "", "5"]]
    bottom = p.table(72, 700, [160, 80, 80], [18, 18, 30, 18], {(r, c): t for r, row in enumerate(rows) for c, t in enumerate(row)},
                     rules=False)
    p.line(72, 700, 392, 700)
    p.line(72, bottom, 392, bottom)
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == rows
    # one row between two rules: a wrapped number (in a column too narrow for it) stays whole
    w = PdfWriter()
    p = w.page()
    _rules_only_table(p, 90, 700, [150, 24, 24], [["指标", "甲", "乙"], ["第一项", "73\n82", "5"]], height=30, size=9,
                      middle=False)
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == [["指标", "甲", "乙"], ["第一项", "73\n82", "5"]]


def test_horizontal_rules_that_rule_no_table():
    """Rules above and below prose (a running header's rule, a footer's) make no table, nor does a
    rule under a title; a lone row of text between two rules is one only when it holds a value."""
    w = PdfWriter()
    p = w.page()
    p.line(90, 750, 522, 750)
    p.text(90, 755, "某某单位2023年度报告", size=9)
    p.text(90, 720, "一、总体情况", size=12)
    for k in range(4):
        p.text(90, 690 - k * 20, "本单位认真贯彻落实政府信息公开条例，持续深化政务公开，取得了较好成效。", size=12)
    p.line(90, 600, 522, 600)
    p.text(90, 580, "联系人：张三      电话：办公室", size=12)
    p.line(90, 570, 522, 570)
    doc = read(w.to_bytes())
    assert doc.grids == ()
    assert "联系人：张三" in doc.text() and "一、总体情况" in [x.text for x in doc.paragraphs]
    w = PdfWriter()
    p = w.page()
    _rules_only_table(p, 90, 720, [120, 104], [["行政事业性收费", "1632"]], height=20, size=10, align="centre")
    doc = read(w.to_bytes())
    assert texts(doc.grids[0]) == [["行政事业性收费", "1632"]]


def _centred_cells(page, x: float, top: float, widths: list[float], height: float, rows: list[list[str]], size: float = 9):
    """Text of ruled cells centred in them, one line each (the rules drawn by ``page.table``)."""
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.text((xs[c] + xs[c + 1] - _width(text, size)) / 2, top - r * height - height / 2 - 0.35 * size, text, size)


def test_centred_row_ending_a_page_keeps_the_next_pages_first_row():
    """A centred header row ends page 1 and a whole row of values starts page 2: no row was broken
    (a value never goes on a label)."""
    w = PdfWriter()
    widths = [108, 108, 108, 108]
    header = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    p1 = w.page()
    body = [[f"行政处罚{i}", str(i * 10 + 1), str(i * 10 + 2), str(i * 10 + 3)] for i in range(3)]
    p1.table(84.6, 200, widths, [20] * 4, {})
    _centred_cells(p1, 84.6, 200, widths, 20, body + [header])
    p2 = w.page()
    p2.table(84.6, 740, widths, [20] * 2, {})
    _centred_cells(p2, 84.6, 740, widths, 20, [["行政处罚48", "481", "482", "483"], ["行政处罚49", "491", "492", "493"]])
    doc = read(w.to_bytes())
    assert texts(doc.grids[0])[-1] == header
    assert texts(doc.grids[1]) == [["行政处罚48", "481", "482", "483"], ["行政处罚49", "491", "492", "493"]]


def test_number_broken_over_a_page_is_put_back():
    """A number wrapped in a narrow cell and cut by the page break: its digits on the next page go
    back into it; a value under a label that fills its cell stays a value of its own."""
    w = PdfWriter()
    widths = [100, 35, 35, 35]
    p1 = w.page()
    rows = {(r, 0): f"项目{r}" for r in range(3)} | {(r, c): str(c) for r in range(3) for c in (1, 2)}
    rows |= {(r, 3): "12345\n678" for r in range(2)} | {(2, 3): "12345"}
    p1.table(72, 200, widths, [26, 26, 14], rows, size=9)
    p2 = w.page()
    p2.table(72, 740, widths, [14, 26], {(0, 3): "678", (1, 0): "项目3", (1, 1): "1", (1, 2): "2", (1, 3): "12345\n678"}, size=9)
    doc = read(w.to_bytes())
    assert [r[3].replace("\n", "") for g in doc.grids for r in texts(g)] == ["12345678"] * 4
    assert len(doc.grids[1].rows) == 1
    w = PdfWriter()
    p1 = w.page()
    p1.table(72, 200, [54, 60], [20, 20], {(0, 0): "一", (0, 1): "1", (1, 0): "长长长长长", (1, 1): "2"})
    p2 = w.page()
    p2.table(72, 740, [54, 60], [20], {(0, 0): "3"})
    doc = read(w.to_bytes())
    assert texts(doc.grids[1]) == [["3", ""]]


def test_lines_set_right_alone_on_a_page_stay_apart():
    """A signature and its date set right, alone on the last page, span no text column: they are
    two paragraphs, not one wrapped line."""
    w = PdfWriter()
    w.page().text(90, 700, "六、其他需要报告的事项", size=16)
    p = w.page()
    for y, text in ((705, "山江市林业局"), (674, "2023年1月7日")):
        p.text(522 - _width(text, 16), y, text, size=16)
    doc = read(w.to_bytes())
    assert [x.text for x in doc.paragraphs][-2:] == ["山江市林业局", "2023年1月7日"]
    # a paragraph wrapped over a text column still goes on in its next line
    w = PdfWriter()
    p = w.page()
    p.text(90, 700, "本年度，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，持续", size=16)
    p.text(90, 678, "深化政务公开。", size=16)
    doc = read(w.to_bytes())
    assert [x.text for x in doc.paragraphs] == ["本年度，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开。"]


def test_horizontal_rules_only_rest_of_a_table_with_labels_spanning_rows():
    """The rest of a rules-only table at the top of a page: the columns of the row labels hold no
    line with a gap between them (a label spanning rows beside its items, each on lines of its
    own), so the shorter rules' ends give those edges; the centred items' column may not take the
    values' column beside it (its edge inferred from the middle of its text would lie past them)."""
    w = PdfWriter()
    p = w.page()
    x, top, size = 90.0, 720.0, 10
    widths = [28, 45, 114] + [35] * 4
    xs = [x]
    for wd in widths:
        xs.append(xs[-1] + wd)
    ys = [top, top - 50, top - 100, top - 120, top - 140]
    for y, a in zip(ys, [xs[0], xs[2], xs[1], xs[0], xs[0]]):
        p.line(a, y, xs[-1], y)
    pitch = 13.0

    def centred(a: float, b: float, middle: float, lines: list[str]) -> None:
        first = middle + (len(lines) - 1) * pitch / 2
        for k, ln in enumerate(lines):
            p.text((a + b - _width(ln, size)) / 2, first - k * pitch - 0.35 * size, ln, size=size)

    items = [["1.申请人无正当理", "由逾期不补正", "不再处理申请"], ["2.申请人逾期未", "按收费通知缴纳", "费用不再处理"]]
    values = [["23", "3", "679\n516", "78"], ["6", "0", "4", "53"]]
    for r in range(2):
        mid = (ys[r] + ys[r + 1]) / 2
        centred(xs[2], xs[3], mid, items[r])
        for c, v in enumerate(values[r]):
            centred(xs[3 + c], xs[4 + c], mid, v.split("\n"))
    centred(xs[1], xs[2], ys[1], ["（六）"])
    centred(xs[1], xs[3], (ys[2] + ys[3]) / 2, ["（七）总计"])
    for c, v in enumerate(["29", "3", "683", "131"]):
        centred(xs[3 + c], xs[4 + c], (ys[2] + ys[3]) / 2, [v])
    centred(xs[0], xs[3], (ys[3] + ys[4]) / 2, ["四、结转下年度"])
    for c, v in enumerate(["4", "", "289", "5"]):
        centred(xs[3 + c], xs[4 + c], (ys[3] + ys[4]) / 2, [v] if v else [])
    doc = read(w.to_bytes())
    rows = texts(doc.grids[0])
    assert len(rows[0]) == 7
    assert [r[3:] for r in rows] == [["23", "3", "679\n516", "78"], ["6", "0", "4", "53"], ["29", "3", "683", "131"],
                                      ["4", "", "289", "5"]]
    assert [r[2] for r in rows[:2]] == ["\n".join(items[0]), "\n".join(items[1])]
    assert rows[0][1] == "（六）" and rows[3][0] == "四、结转下年度"


def test_row_broken_over_a_page_under_a_repeated_header_is_put_back():
    """The table's header printed again at the top of the next page: the broken row's tail comes
    after it and still goes back into the row it came from."""
    w = PdfWriter()
    widths = [100, 35, 35, 35]
    header = {(0, 0): "项目", (0, 1): "甲", (0, 2): "乙", (0, 3): "合计"}
    p1 = w.page()
    p1.table(72, 200, widths, [20, 26, 14], header | {(1, 0): "项目1", (1, 1): "1", (1, 2): "2", (1, 3): "12345\n678",
                                                   (2, 0): "项目2", (2, 1): "3", (2, 2): "4", (2, 3): "12345"}, size=9)
    p2 = w.page()
    p2.table(72, 740, widths, [20, 14, 20], header | {(1, 3): "678", (2, 0): "项目3", (2, 1): "5", (2, 2): "6", (2, 3): "7"},
             size=9)
    doc = read(w.to_bytes())
    assert texts(doc.grids[0])[-1] == ["项目2", "3", "4", "12345\n678"]
    assert texts(doc.grids[1]) == [["项目", "甲", "乙", "合计"], ["项目3", "5", "6", "7"]]
    # a first row after the header that is a row of its own stays
    w = PdfWriter()
    p1 = w.page()
    p1.table(72, 200, widths, [20, 20], header | {(1, 0): "项目1", (1, 1): "1", (1, 2): "2", (1, 3): "3"}, size=9)
    p2 = w.page()
    p2.table(72, 740, widths, [20, 20], header | {(1, 0): "项目2", (1, 1): "4", (1, 2): "5", (1, 3): "6"}, size=9)
    doc = read(w.to_bytes())
    assert texts(doc.grids[1]) == [["项目", "甲", "乙", "合计"], ["项目2", "4", "5", "6"]]
