"""The built-in markdown reader on converter output: tables in every shape converters print them,
loose rows, page-break leftovers, table C split into three small tables, and the claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import govreport
from govreport.document import Grid, Paragraph
from govreport.readers.text.markdown import MarkdownReader
from govreport.readers.text.markdown_lines import row_cells
from govreport.source import open_source

DATA = Path(__file__).parent / "data" / "markdown"
SAMPLES = sorted(DATA.glob("*.md"))
SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
READER = MarkdownReader()


def gold(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))


def read(text: str):
    return READER.read(open_source(text, name="report.md"))


def test_samples_present():
    assert len(SAMPLES) >= 2
    assert {gold(p)["format"] for p in SAMPLES} == {"2019", "2021"}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_matches_gold(path):
    report = govreport.parse(path)
    assert report.reader == "markdown"
    assert report.to_dict(full=False) == gold(path)
    assert report.rule_breaks == ()
    assert not [f for f in report.findings if f.severity != "info"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_markdown_without_its_file_name_is_recognised(path):
    report = govreport.parse(path.read_text("utf-8"))
    assert report.reader == "markdown"
    assert report.to_dict(full=False) == gold(path)


def test_every_value_is_located_by_line_table_row_and_col():
    path = DATA / "county-2021-mineru.md"
    lines = path.read_text("utf-8").split("\n")
    report = govreport.parse(path)
    located = 0
    for cell in report.cells():
        if cell.value is None:
            continue
        loc = cell.provenance.location
        assert loc.startswith("line ") and "table " in loc and "row " in loc and "col " in loc, loc
        line = int(loc.split(",")[0].removeprefix("line "))
        assert cell.provenance.raw.strip() in lines[line - 1], (loc, cell.provenance.raw)
        located += 1
    assert located > 150
    # the review table's third part is the last small table; its values sit on their own line
    prov = report.provenance_of("review_litigation", "litigation_after_review", "total")
    assert lines[int(prov.location.split(",")[0][5:]) - 1] == "| 0 | 1 | 0 | 0 | 1 |"


def test_pipe_table_cells_lose_markup_but_keep_text():
    doc = read(
        "# 标题\n\n"
        "| 信息内容 | 本年新<br>制作数量 | a\\|b |\n"
        "|:---|---:|:-:|\n"
        "| **规章** | *3* | &nbsp;[链接](http://x) |\n"
        "|  | 4 |  |\n"
    )
    (grid,) = doc.grids
    assert [[c.text for c in row] for row in grid.rows] == [
        ["信息内容", "本年新\n制作数量", "a|b"],
        ["规章", "3", "链接"],
        ["", "4", ""],
    ]
    assert grid.rows[1][1].loc.line == 5 and grid.rows[1][1].loc.row == 1 and grid.rows[1][1].loc.col == 1
    assert grid.rows[2][0].loc.table == 0


def test_empty_cells_of_label_columns_are_merged_not_blank_values():
    text = ("# 示例县2021年政府信息公开工作年度报告\n\n"
            "| 项目 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n"
            "| 三、本年度办理结果 | （一）予以公开 |  | 0 | 2 |  | 0 | 0 | 0 |  |\n"
            "|  | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    (grid,) = read(text).grids
    assert [c.merged for c in grid.rows[1]] == [False, False, True] + [False] * 7
    assert [c.merged for c in grid.rows[2]][:3] == [True, False, False]
    assert not any(c.merged for c in grid.rows[0][3:])  # header rows and value columns keep their blanks
    granted = govreport.parse(text, reader="markdown").applications["granted"]
    assert (granted["natural_person"], granted["commercial_enterprise"], granted["research_institution"],
            granted["total"]) == (0, 2, None, None)


def test_table_without_outer_pipes_and_without_separator():
    doc = read("# 标题\n\n信息内容 | 数量\n--- | ---\n行政许可 | 7\n\n| 行政处罚 | 9 |\n| 行政强制 | 1 |\n")
    assert [[[c.text for c in r] for r in g.rows] for g in doc.grids] == [
        [["信息内容", "数量"], ["行政许可", "7"]],
        [["行政处罚", "9"], ["行政强制", "1"]],
    ]
    assert [g.loc.table for g in doc.grids] == [0, 1]


def test_pandoc_grid_table_joins_the_lines_of_a_cell():
    doc = read(
        "+------+------+\n| 信息 | 本年 |\n| 内容 | 新制 |\n+======+======+\n| 规章 | 2    |\n+------+------+\n"
    )
    (grid,) = doc.grids
    assert [[c.text for c in r] for r in grid.rows] == [["信息\n内容", "本年\n新制"], ["规章", "2"]]
    assert grid.rows[1][1].loc.line == 5


def test_html_table_block_is_read_with_spans_and_lines():
    doc = read(
        "# 一、总体情况\n\n正文。\n\n"
        '<html><body><table><tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr>\n'
        "<tr><td>（二）部分公开</td><td>2</td></tr></table></body></html>\n\n"
        "| 规章 | 1 |\n|---|---|\n"
    )
    html_grid, pipe_grid = doc.grids
    assert [[c.text for c in r] for r in html_grid.rows] == [["三、本年度办理结果", "（一）予以公开", "5"],
                                                            ["", "（二）部分公开", "2"]]
    assert html_grid.rows[1][0].merged
    assert [r[-1].loc.line for r in html_grid.rows] == [5, 6]
    assert html_grid.loc.table == 0 and pipe_grid.loc.table == 1 and pipe_grid.rows[0][0].loc.line == 8


def test_page_break_leftovers_are_dropped():
    doc = read(
        "# 报告\n\n第一段。\n\n<!-- page 3 -->\n\n3\n\n- 4 -\n\n第 5 页 共 9 页\n\n![](images/ab12.jpg)\n\n"
        "<!--\nPageBreak\n-->\n---\n第二段。\n"
    )
    assert [b.text for b in doc.blocks] == ["报告", "第一段。", "第二段。"]
    assert doc.blocks[-1].loc.line == 19


def test_images_without_tables_are_reported():
    doc = read("# 报告\n\n## 二、主动公开\n\n![](images/table1.jpg)\n")
    assert doc.grids == () and any("image" in p for p in doc.problems)


@pytest.mark.parametrize("line, cells", [
    ("行政许可 97", ["行政许可", "97"]),
    ("规章 0 0 12", ["规章", "0", "0", "12"]),
    ("行政事业性收费 12.5", ["行政事业性收费", "12.5"]),
    ("行政许可 46 -3 1,210", ["行政许可", "46", "-3", "1,210"]),
    ("规范性文件 82 2 4", ["规范性文件", "82", "2", "4"]),
    ("行政事业性收费 0 减少29", ["行政事业性收费", "0", "减少29"]),
    ("政府集中采购 7 93225.1万元", ["政府集中采购", "7", "93225.1万元"]),
    ("一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5", ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5"]),
])
def test_label_and_numbers_line_is_a_row(line, cells):
    assert row_cells(line) == cells


@pytest.mark.parametrize("line", [
    "全年共受理申请 12件",          # unit glued to the number
    "主动公开信息 3127 条",         # unit after the numbers
    "全年主动公开政府信息，共 46",   # sentence punctuation
    "截至2022年 3",                 # a date, the label ends in 年
    "2022 12",                      # no text label
    "一、总体情况",                  # no numbers
])
def test_other_lines_are_not_rows(line):
    assert row_cells(line) is None


def test_loose_lines_become_one_row_grids_and_prose_stays_prose():
    doc = read("## 二、主动公开政府信息情况\n\n行政许可 97\n\n全年办理申请12件。\n\n- 行政处罚 3\n\n**行政强制 2**\n")
    assert isinstance(doc.blocks[1], Grid) and len(doc.blocks[1].rows) == 1
    assert [c.text for c in doc.blocks[1].rows[0]] == ["行政许可", "97"]
    assert doc.blocks[1].rows[0][1].loc.line == 3
    # prose, a list item and a bold line stay paragraphs
    assert [type(b) for b in doc.blocks[2:]] == [Paragraph, Paragraph, Paragraph]
    assert doc.blocks[-1].text == "行政强制 2"


def test_header_line_over_a_row_line_keeps_the_unit():
    text = ("# 示例县2021年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n"
            "信息内容 本年收费金额（单位：万元）\n\n行政事业性收费 8.25\n")
    doc = read(text)
    (grid,) = doc.grids
    assert [[c.text for c in r] for r in grid.rows] == [["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "8.25"]]
    report = govreport.parse(text, reader="markdown")
    assert report.active_disclosure["administrative_fees"]["amount"].unit == "万元"


def test_header_line_over_several_row_lines_is_one_grid():
    doc = read("### 第二十条第（一）项\n\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n\n"
               "规章 8 0 3\n\n规范性文件 82 2 4\n\n行政许可 5\n")
    first, second = doc.grids
    assert [[c.text for c in r] for r in first.rows][1:] == [["规章", "8", "0", "3"], ["规范性文件", "82", "2", "4"]]
    assert [r[0].loc.line for r in first.rows] == [3, 5, 7]
    assert [[c.text for c in r] for r in second.rows] == [["行政许可", "5"]]


def _review_doc(headings: list[str]) -> str:
    values = ["1 | 0 | 0 | 0 | 1", "0 | 2 | 0 | 0 | 2", "0 | 0 | 0 | 3 | 3"]
    parts = ["# 示例县2021年政府信息公开工作年度报告", "## 四、政府信息公开行政复议、行政诉讼情况"]
    for h, v in zip(headings, values):
        parts += [f"### {h}", "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n| " + v + " |"]
    parts.append("## 五、存在的主要问题及改进情况\n\n无。")
    return "\n\n".join(parts) + "\n"


def _totals(text: str) -> dict:
    report = govreport.parse(text, reader="markdown")
    return {g: report.review_litigation[g]["total"] for g in report.review_litigation}


def test_split_review_table_in_heading_order():
    assert _totals(_review_doc(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"])) == {
        "review": 1, "litigation_direct": 2, "litigation_after_review": 3}
    # 复议后起诉 printed first is still the third group
    assert _totals(_review_doc(["行政诉讼（复议后起诉）", "行政复议", "行政诉讼（未经复议直接起诉）"])) == {
        "review": 2, "litigation_direct": 3, "litigation_after_review": 1}


def test_split_review_table_in_document_order_when_headings_name_no_group():
    assert _totals(_review_doc(["表4-1", "表4-2", "表4-3"])) == {
        "review": 1, "litigation_direct": 2, "litigation_after_review": 3}


def test_claim_prefers_markdown_syntax_and_name():
    sample = (DATA / "district-2019-pandoc.md").read_text("utf-8")
    assert READER.claim(open_source(sample.encode(), name="r.md")) == 0.95
    assert READER.claim(open_source(sample.encode(), name="r.txt")) == 0.9
    assert READER.claim(open_source("普通文本的年度报告\n没有任何标记\n".encode(), name="r.md")) == 0.6
    assert READER.claim(open_source("普通文本的年度报告\n没有任何标记\n".encode(), name="r.txt")) == 0.0


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_plain_text_seeds_are_not_claimed(path):
    assert READER.claim(open_source(path)) == 0.0


def test_example_files_read_by_the_builtin_reader():
    example = Path(__file__).resolve().parents[1] / "examples" / "govreport-markdown" / "tests" / "data"
    for path in sorted(example.glob("*.md")):
        report = govreport.parse(path)
        assert report.reader == "markdown"
        assert report.to_dict(full=False) == gold(path)


def test_pipe_dump_named_md_stays_with_the_pipe_reader(tmp_path):
    seed = next(p for p in SEEDS if p.stem.endswith("-pipe"))
    path = tmp_path / "report.md"
    path.write_bytes(seed.read_bytes())
    report = govreport.parse(path)
    assert report.reader == "pipe"
    assert report.to_dict(full=False) == gold(seed)
