"""Rows copied from a web page: a line per row, tabs between cells, an empty cell an empty field."""

from __future__ import annotations

import govreport

B_ROWS = [
    ("一、本年新收政府信息公开申请数量", "5\t\t1\t0\t0\t0\t6"),
    ("二、上年结转政府信息公开申请数量", "0\t0\t0\t0\t0\t0\t0"),
    ("三、本年度办理结果\t（一）予以公开", "3\t\t1\t0\t0\t0\t4"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1\t0\t0\t0\t0\t0\t1"),
    ("（四）无法提供\t1.本机关不掌握相关政府信息", "1\t0\t0\t0\t0\t0\t1"),
    ("（七）总计", "5\t\t1\t0\t0\t0\t6"),
    ("四、结转下年度继续办理", "0\t0\t0\t0\t0\t0\t0"),
]
TEXT = "\n".join([
    "示例区2022年度政府信息公开工作年度报告",
    "三、收到和处理政府信息公开申请情况",
    "申请人情况",
    "自然人\t法人或其他组织\t\t\t\t\t总计",
    "\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
    *[f"{label}\t{vals}" for label, vals in B_ROWS],
    *[f"{label}\t0\t0\t0\t0\t0\t0\t0" for label in [
        "（三）不予公开\t1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
        "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
        "8.属于行政查询事项"]],
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议\t行政诉讼",
    "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0",
])


def test_an_empty_field_is_a_blank_cell_not_a_shift():
    report = govreport.parse(TEXT)
    assert report.reader == "tab_rows"
    row = report.applications["new_received"]
    assert row["natural_person"] == 5 and row["commercial_enterprise"] is None
    assert row["research_institution"] == 1 and row["total"] == 6
    assert report.applications["granted"]["commercial_enterprise"] is None
    # numbers spaced on a line of their own are cells too (table C)
    assert report.review_litigation["review"]["total"] == 1
    assert not report.rule_breaks


def test_ocr_text_keeps_its_own_seed():
    # the OCR seed has tabbed rows too, read better by the OCR reader: the better reading is kept
    from pathlib import Path

    seed = Path(__file__).parent / "data" / "seeds" / "qingquan-2019-ocr.txt"
    assert govreport.parse(seed).reader == "ocr_text"
