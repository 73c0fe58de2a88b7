"""The plain-text readers on small inputs: cells, rows, paragraphs, and what they claim."""

from govreport.document import Grid, Paragraph
from govreport.readers.text.ocr_text import OcrTextReader
from govreport.readers.text.pipe import PipeTextReader
from govreport.readers.text.tabbed import TabbedTextReader
from govreport.readers.text.vertical import VerticalTextReader
from govreport.source import open_source

TABBED = "标题\n\n\t规章\n\t0\n\t\n\n\t结\n果\n\t1\n正文\n"


def grids(doc):
    return [b for b in doc.blocks if isinstance(b, Grid)]


def texts(grid):
    return [[c.text for c in row] for row in grid.rows]


def test_tabbed_cells_rows_and_continuations():
    doc = TabbedTextReader().read(open_source(TABBED))
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "标题"
    (g,) = grids(doc)
    assert texts(g) == [["规章", "0", ""], ["结\n果", "1\n正文"]]
    assert g.rows[0][1].loc.line == 4


def test_vertical_joins_one_character_cells():
    src = open_source("\t结\n\t果\n\t维\n\t持\n\t0\n\n")
    (g,) = grids(VerticalTextReader().read(src))
    assert texts(g) == [["结果维持", "0"]]


def test_pipe_cells_and_headings():
    text = "一、总体情况\n正文。\n三、收到和处理政府信息公开申请情况\n申请人情况\n|\n商业\n企业\n|\n0\n|\n五、问题\n"
    doc = PipeTextReader().read(open_source(text))
    (g,) = grids(doc)
    assert not g.rows_known
    assert texts(g) == [["申请人情况", "商业\n企业", "0"]]
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras == ["一、总体情况", "正文。", "三、收到和处理政府信息公开申请情况", "五、问题"]


def test_ocr_drops_empty_cells_and_lowers_confidence():
    doc = OcrTextReader().read(open_source("标题\n行政事业性收费\t0\t\t0\t\t\n\t(一) 予\t以公开\t0\n"))
    (g,) = grids(doc)
    assert texts(g) == [["行政事业性收费", "0", "0"], ["(一) 予", "以公开", "0"]]
    assert all(c.confidence < 1 for row in g.rows for c in row)


def test_claims_pick_the_layout():
    tabbed = open_source("\n".join(f"\t标签{i}\n\t{i}\n" for i in range(30)))
    pipe = open_source("\n".join(f"标签{i}\n|\n{i}\n|" for i in range(30)))
    ocr = open_source("\n".join(f"标签{i}\t{i}\t{i}" for i in range(30)))
    prose = open_source("只是一段文字。\n另一段。")
    assert TabbedTextReader().claim(tabbed) > OcrTextReader().claim(tabbed)
    assert VerticalTextReader().claim(tabbed) == 0
    assert PipeTextReader().claim(pipe) > max(TabbedTextReader().claim(pipe), OcrTextReader().claim(pipe))
    assert OcrTextReader().claim(ocr) > max(TabbedTextReader().claim(ocr), PipeTextReader().claim(ocr))
    assert OcrTextReader().claim(prose) == 0.1  # the last resort
    assert PipeTextReader().claim(prose) == TabbedTextReader().claim(prose) == 0
