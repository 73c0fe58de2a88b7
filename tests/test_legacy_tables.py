"""Reports under the 2008 regulation: the statistics table of their own design, read into
``legacy_statistics`` — one value per row, from the year's column and never the cumulative one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import govreport
from govreport.document import Cell, Document, Grid, Location, Paragraph
from govreport.engine import extract
from govreport.engine.meta import read_meta
from govreport.model import Money

DATA = Path(__file__).parent / "data"
LEGACY = sorted(p for p in (DATA / "legacy").iterdir() if not p.name.endswith(".gold.json"))


def gold(path: Path) -> dict:
    return json.loads(path.with_name(path.name.split(".")[0] + ".gold.json").read_text("utf-8"))


def test_legacy_samples_present():
    assert {p.suffix for p in LEGACY} == {".html", ".txt", ".docx"}


@pytest.mark.parametrize("path", LEGACY, ids=lambda p: p.name)
def test_legacy_report_matches_gold(path):
    report = govreport.parse(path)
    assert report.to_dict(full=False) == gold(path)
    # a pre-2019 report has no tables A-C: nothing is reported missing
    assert not [f for f in report.findings if f.rule in ("table-missing", "row-missing", "table-unreadable")]


def test_html_page_is_gbk_and_its_year_column_is_read():
    path = DATA / "legacy" / "qinglan-2012-annual.html"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    report = govreport.parse(path)
    prov = report.provenance_of("legacy_statistics", "active.total", "")
    assert prov is not None and prov.raw == "3256" and prov.location.endswith("col 3")
    assert any(f.rule == "column-skipped" and "历年累计" in f.message for f in report.findings)


def _grid(rows: list[list[str]], *, rows_known: bool = True) -> Grid:
    if not rows_known:
        cells = tuple(Cell(text=t) for r in rows for t in r)
        return Grid(rows=(cells,), rows_known=False)
    return Grid(rows=tuple(tuple(Cell(text=t, loc=Location(table=0, row=i, col=j)) for j, t in enumerate(r))
                           for i, r in enumerate(rows)))


def _legacy(rows: list[list[str]], *, rows_known: bool = True):
    doc = Document(blocks=(Paragraph(text="2013年青岚市水利局政府信息公开工作年度报告"),
                           Paragraph(text="青岚市水利局2013年政府信息公开情况统计表"),
                           _grid(rows, rows_known=rows_known)), reader="test")
    return extract(doc)


def test_cumulative_column_first_is_never_taken():
    ext = _legacy([
        ["指 标 名 称", "计量单位", "历年累计", "本年度"],
        ["一、主动公开政府信息数", "条", "9120", "1310"],
        ["二、依申请公开信息数", "件", "411", "52"],
    ])
    assert ext.format == "legacy"
    assert ext.legacy_statistics == {"active.total": 1310, "依申请公开信息数": 52}


def test_of_two_named_years_the_later_is_read():
    ext = _legacy([
        ["指标名称", "单位", "2012年", "2013年", "累计"],
        ["主动公开信息数", "条", "800", "950", "5000"],
    ])
    assert ext.legacy_statistics == {"active.total": 950}


def test_unlabelled_value_column_after_the_unit():
    ext = _legacy([
        ["指标名称", "计量单位", ""],
        ["（一）主动公开信息数", "条", "1234"],
        ["①网站公开", "条", "1200"],
        ["（二）受理依申请公开信息总数", "件", "31"],
    ])
    assert ext.legacy_statistics == {"active.total": 1234, "active.website": 1200, "受理依申请公开信息总数": 31}


def test_headings_are_left_out_but_a_blank_value_is_kept_blank():
    ext = _legacy([
        ["指标名称", "计量单位", "本年", "历年累计"],
        ["一、依申请公开情况", "", "", ""],
        ["（一）申请答复情况", "——", "——", "——"],
        ["1.同意公开答复数", "件", "", "17"],
        ["2.不同意公开答复数", "件", "3", "9"],
    ])
    assert ext.legacy_statistics == {"同意公开答复数": None, "不同意公开答复数": 3}


def test_money_from_the_unit_column_the_cell_or_the_label():
    ext = _legacy([
        ["指标名称", "计量单位", "本年度", "历年累计"],
        ["一、收取费用", "万元", "1.5", "3"],
        ["二、政府信息公开专项经费", "", "12万元", "40万元"],
        ["三、复制费（元）", "", "80", "300"],
        ["四、依申请公开收费", "", "60", "100"],
        ["五、召开新闻发布会次数", "次", "6", "20"],
    ])
    assert ext.legacy_statistics == {
        "收取费用": Money(value="1.5", unit="万元"),
        "政府信息公开专项经费": Money(value="12", unit="万元"),
        "复制费(元)": Money(value="80", unit="元"),
        "依申请公开收费": Money(value="60", unit=None),
        "responses.press_conferences": 6,
    }


def test_two_header_rows_and_a_numbering_column():
    ext = _legacy([
        ["序号", "指标名称", "单位", "数量", ""],
        ["", "", "", "本年", "累计"],
        ["1", "主动公开信息数", "条", "77", "300"],
        ["2", "行政复议数", "件", "1", "4"],
    ])
    assert ext.legacy_statistics == {"active.total": 77, "行政复议数": 1}


def test_a_grid_without_row_boundaries():
    ext = _legacy([
        ["指标名称", "计量单位", "本年度", "历年累计"],
        ["（一）主动公开信息数", "条", "640", "2000"],
        ["（二）举报投诉数", "", "2", "5"],
        ["（三）行政诉讼数", "件", "0", "1"],
    ], rows_known=False)
    assert ext.legacy_statistics == {"active.total": 640, "举报投诉数": 2, "行政诉讼数": 0}


def test_a_table_with_no_column_for_the_year_is_not_guessed():
    ext = _legacy([
        ["指标名称", "计量单位", "历年累计"],
        ["主动公开信息数", "条", "9000"],
    ])
    assert ext.legacy_statistics == {}
    assert any(f.rule == "table-unreadable" and "legacy_statistics" in f.message for f in ext.findings)


def test_a_2019_report_with_a_legacy_table_keeps_both():
    report = govreport.parse(DATA / "seeds" / "langxia-2019-legacy.txt")
    assert report.format == "2019"
    assert report.applications and report.legacy_statistics
    assert report.legacy_statistics["active.total"] == 970


@pytest.mark.parametrize("lines, agency, year", [
    (["青岚市人民政府2012年政府信息公开工作年度报告"], "青岚市人民政府", 2012),
    (["2012年青岚市水利局政府信息公开工作年度报告"], "青岚市水利局", 2012),
    (["青岚市水利局", "2013年度政府信息公开工作年度报告"], "青岚市水利局", 2013),
])
def test_meta_of_older_titles(lines, agency, year):
    meta = read_meta(tuple(Paragraph(text=t) for t in lines))
    assert (meta.agency, meta.year) == (agency, year)


def test_the_same_table_as_tab_separated_rows(tmp_path):
    """One line per row: heading rows come out as lines of their own, an empty cell an empty field."""
    path = DATA / "legacy" / "yunling-2015-tabbed.txt"
    out, row = [], []
    for line in path.read_text("utf-8").split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
            continue
        if row:
            out.append("\t".join(row))
            row = []
        out.append(line)
    rows_path = tmp_path / "rows.txt"
    rows_path.write_text("\n".join(out), "utf-8")
    report = govreport.parse(rows_path)
    assert report.reader != "tabbed"
    assert report.to_dict(full=False) == gold(path)
    # the empty field is the blank year cell, read as blank: nothing is short
    assert report.reader == "tab_rows"
    assert not [f.rule for f in report.findings if "传真申请数" in f.message]


def test_a_table_found_by_its_title_when_its_label_column_is_headed_otherwise():
    ext = _legacy([
        ["项目", "单位", "2013年"],
        ["一、主动公开政府信息", "——", "——"],
        ["（一）主动公开信息数", "条", "507"],
        ["（二）召开新闻发布会次数", "次", "3"],
    ])
    assert ext.format == "legacy"
    assert ext.legacy_statistics == {"active.total": 507, "responses.press_conferences": 3}


def test_a_titled_grid_without_a_unit_column_is_not_taken_for_the_table():
    doc = Document(blocks=(Paragraph(text="青岚市2013年政府信息公开情况统计表"),
                           _grid([["项目", "数目"], ["（一）主动公开信息数", "507"]])), reader="test")
    assert extract(doc).legacy_statistics is None


def test_the_format_is_told_by_the_table_headers():
    from govreport.engine.formats import detect_format
    from govreport.engine.stream import build_stream
    from govreport.readers.html import HtmlReader
    from govreport.source import open_source
    from govreport.template import load_template

    template = load_template()
    doc = HtmlReader().read(open_source(DATA / "legacy" / "qinglan-2012-annual.html"))
    assert detect_format(build_stream(doc, template), doc, template) == "legacy"


def test_a_blank_row_with_a_unit_is_kept_where_row_boundaries_are_unknown():
    ext = _legacy([
        ["统计指标", "单位", "统计数"],
        ["（一）主动公开政府信息数", "条", ""],
        ["（二）通过不同渠道和方式公开政府信息的情况", "——", "——"],
        ["1.政府公报公开政府信息数", "条", "4"],
    ], rows_known=False)
    assert ext.legacy_statistics == {"active.total": None, "active.gazette": 4}
