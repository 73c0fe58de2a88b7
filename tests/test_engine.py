"""The table engine on hand-built documents: what it reads, and what it refuses to guess."""

from __future__ import annotations

import datetime

import pytest

import govreport
from govreport.document import Cell, Document, Grid, Location, Paragraph
from govreport.engine import extract
from govreport.errors import NotAReport

B_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def grid(*rows, rows_known=True):
    return Grid(rows=tuple(tuple(Cell(text=t, loc=Location(row=r, col=c)) for c, t in enumerate(row))
                           for r, row in enumerate(rows)), rows_known=rows_known)


def doc(*blocks):
    return Document(blocks=tuple(Paragraph(text=b) if isinstance(b, str) else b for b in blocks), reader="test")


def table_b(rows):
    return grid(["申请人情况"], ["自然人", "法人或其他组织", "总计"], B_COLS[1:6], *rows)


def test_blank_cells_stay_blank_and_rows_missing_are_reported():
    d = doc("某某街道办事处2019年政府信息公开工作年度报告",
            table_b([["一、本年新收政府信息公开申请数量", "3", "", "", "", "", "", "3"]]))
    ext = extract(d)
    row = ext.tables["applications"]["new_received"]
    assert row["natural_person"] == 3 and row["commercial_enterprise"] is None and row["total"] == 3
    missing = {f.message.split(":")[0] for f in ext.findings if f.rule == "row-missing"}
    assert "applications/carried_over" in missing
    assert ext.tables["applications"]["carried_over"]["total"] is None
    assert any(f.rule == "table-missing" and f.message.startswith("active_disclosure") for f in ext.findings)


def test_a_row_that_lost_several_cells_is_left_blank_not_read_in_order():
    # 2 values for 7 columns: which five were lost the order cannot say (1 need not be 自然人's)
    ext = extract(doc(table_b([["（一）予以公开", "1", "2"]])))
    assert set(ext.tables["applications"]["granted"].values()) == {None}
    short = [f for f in ext.findings if f.rule == "row-short"]
    assert short and "'1', '2'" in short[0].message and "applications/granted/natural_person" in short[0].cells
    assert "applications/granted/natural_person" not in ext.provenance


def test_label_split_over_two_cells():
    ext = extract(doc(table_b([["(一) 予", "以公开", *"1000001"]])))
    assert ext.tables["applications"]["granted"]["natural_person"] == 1


def test_header_total_is_not_the_total_row():
    ext = extract(doc(table_b([["（七）总计", *"2000002"]])))
    assert ext.tables["applications"]["total"]["total"] == 2


def test_rows_found_without_row_boundaries():
    cells = ["规章", "1", "2", "3", "规范性文件", "4", "5", "6"]
    d = doc(grid(["第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", *cells][:0] or
                 ["第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", *cells],
                 rows_known=False))
    ext = extract(d)
    assert ext.format == "2019"
    assert ext.tables["active_disclosure"]["regulations"] == {"new_made": 1, "new_published": 2, "total_published": 3}
    assert ext.tables["active_disclosure"]["normative_documents"]["total_published"] == 6


def test_2021_fee_unit_comes_from_the_header():
    d = doc(grid(["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12.5"],
                 ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "4"]))
    ext = extract(d)
    assert ext.format == "2021"
    assert ext.tables["active_disclosure"]["administrative_fees"]["amount"] == govreport.Money("12.5", "万元")
    assert ext.tables["active_disclosure"]["regulations"] == {"issued": 1, "repealed": 0, "in_force": 4}


def test_review_table_takes_the_first_run_of_fifteen():
    header = grid(["", "行政复议", "行政诉讼"], ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                  [str(i) for i in range(15)])
    ext = extract(doc("四、政府信息公开行政复议、行政诉讼情况", header))
    rl = ext.tables["review_litigation"]
    assert rl["review"] == {"upheld": 0, "corrected": 1, "other": 2, "pending": 3, "total": 4}
    assert rl["litigation_after_review"]["total"] == 14


def test_review_table_header_in_pieces_with_blank_header_cells():
    """A header of stacked characters broken into pieces: prose between pieces of it, blank header
    cells before the values. Prose ends the table only after numbers, and the blank ending the
    header row is no value (taking it would shift all fifteen by one)."""
    values = ["841", "0", "0", "9", "850", "0", "8", "9", "0", "17", "9", "8", "0", "", "17"]
    d = doc("四、政府信息公开行政复议、行政诉讼情况",
            grid(["行政复议", "", "", "", "", "行政诉讼", ""], ["结", "结", "其", "尚", "总", "未经复议直接起诉", "复议后起诉"]),
            grid(["果", "果", "他", "未", "计"] + [""] * 10),
            "持正果结果果他未计果果他未计",
            grid(["", "", "", "", "", "持", "正", "果", "结", "", "持", "正", "果", "结", ""], values))
    rl = extract(d).tables["review_litigation"]
    assert rl["review"] == {"upheld": 841, "corrected": 0, "other": 0, "pending": 9, "total": 850}
    assert rl["litigation_after_review"] == {"upheld": 9, "corrected": 8, "other": 0, "pending": None, "total": 17}


def test_garbage_rows_are_skipped():
    d = doc("四、政府信息公开行政复议、行政诉讼情况",
            grid(["行政复议", "行政诉讼"], ["7,7", ">10", "711", ",,,", "71"], ["0"] * 15))
    ext = extract(d)
    assert ext.tables["review_litigation"]["review"]["upheld"] == 0
    assert any(f.rule == "noise-skipped" for f in ext.findings)


def test_dash_reads_as_zero_but_is_flagged():
    ext = extract(doc(table_b([["（一）予以公开", "—", *"000000"]])))
    assert ext.tables["applications"]["granted"]["natural_person"] == 0
    assert any(f.rule == "dash-as-zero" for f in ext.findings)
    assert "dash-as-zero" in ext.provenance["applications/granted/natural_person"].note


def test_legacy_table_keys_known_and_printed_labels():
    d = doc(grid(["统计指标", "单位", "统计数"], ["（一）主动公开政府信息数", "条", "12"],
                 ["（二）通过不同渠道和方式公开政府信息的情况", "——", "——"], ["1.政府公报公开政府信息数", "条", "3"],
                 ["（九）某项新指标", "件", "7"]))
    ext = extract(d)
    assert ext.legacy_statistics == {"active.total": 12, "active.gazette": 3, "某项新指标": 7}
    assert ext.format == "legacy"


def test_text_without_tables_is_not_a_report():
    with pytest.raises(NotAReport):
        govreport.parse("这是一段与年度报告无关的文字。\n第二段。\n")


def _paged(rows, page, table):
    return Grid(rows=tuple(tuple(Cell(text=t, loc=Location(page=page, table=table, row=r, col=c)) for c, t in enumerate(row))
                           for r, row in enumerate(rows)))


def test_legacy_table_continues_over_a_page_break_but_not_into_the_next_table():
    first = _paged([["统计指标", "单位", "统计数"], ["（一）主动公开政府信息数", "条", "12"]], 2, 0)
    cont = _paged([["3.政策解读稿件发布数", "篇", "4"]], 3, 1)
    assert extract(doc(first, cont)).legacy_statistics == {"active.total": 12, "responses.interpretations": 4}
    same_page = _paged([["3.政策解读稿件发布数", "篇", "4"]], 2, 1)
    assert extract(doc(first, same_page)).legacy_statistics == {"active.total": 12}


def test_unreadable_value_is_reported():
    ext = extract(doc(table_b([["（一）予以公开", "1", "(cid:12)", *"00000"]])))
    assert any(f.rule == "value-unreadable" and "(cid:12)" in f.message for f in ext.findings)
    assert any(f.rule == "row-short" for f in ext.findings)


def test_meta_signature_forms():
    from govreport.engine.meta import read_meta

    def meta(*lines):
        return read_meta(tuple(Paragraph(text=t) for t in lines))

    assert meta("兴顺街道办事处2023年政府信息公开工作", "年度报告", "正文。").agency == "兴顺街道办事处"
    assert meta("某局2020年政府信息公开工作年度报告", "正文。", "某局2021年1月7日").published == datetime.date(2021, 1, 7)
    # a date ending a sentence of prose is no signature
    assert meta("某局2020年政府信息公开工作年度报告", "本报告统计时限截至2020年12月31日").published is None
    assert meta("某局2020年政府信息公开工作年度报告", "某局", "二〇二一年一月十九日").published == datetime.date(2021, 1, 19)


@pytest.mark.parametrize("lines", [
    ["兴顺街道办事处2023年政府信息公开工作年", "度报告"],
    ["兴顺街道办事处2023年政府信息公开工作年度", "报告"],
    ["兴顺街道办事处", "2023年政府信息公开工作年度报", "告"],
    ["首页", "兴顺街道办事处2023年政府信息公开工作年度报告"],
])
def test_title_wrapped_anywhere(lines):
    from govreport.engine.meta import read_meta

    m = read_meta(tuple(Paragraph(text=t) for t in [*lines, "一、总体情况", "正文。"]))
    assert (m.agency, m.year) == ("兴顺街道办事处", 2023)


def test_empty_label_cell_before_the_values_is_not_a_value():
    ext = extract(doc(table_b([["四、结转下年度继续办理", "", *"1000001"], ["（一）予以公开", *"2000002", ""]])))
    assert ext.tables["applications"]["carried_forward"]["natural_person"] == 1
    assert ext.tables["applications"]["carried_forward"]["total"] == 1
    assert ext.tables["applications"]["granted"]["total"] == 2  # trailing padding still ignored
    assert not any(f.rule == "row-long" for f in ext.findings)
