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


def test_a_label_with_only_empty_fields_is_a_row_of_blanks():
    """规范性文件<TAB><TAB><TAB>: the row was printed, its cells empty. Not a label printed apart from
    its values, which would leave one label too many for the rows of values printed without theirs."""
    text = "\n".join([
        "示例区2019年度政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第（一）项",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", "规章\t1\t2\t30", "规范性文件\t\t\t",
        "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政许可\t3\t0\t5",
        "其他对外管理服务事项\t0\t0\t0",
        "第二十条第（六）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "行政处罚", "行政强制",
        "4\t+1\t7", "2\t-7", "第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", "行政事业性收费\t0\t0",
        "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额", "政府集中采购\t0 0元",
        "三、收到和处理政府信息公开申请情况", *TEXT.splitlines()[2:]])
    report = govreport.parse(text)
    assert report.reader == "tab_rows"
    a = report.active_disclosure
    assert set(a["normative_documents"].values()) == {None}
    assert not any(f.rule == "row-missing" and "normative_documents" in f.message for f in report.findings)
    assert dict(a["administrative_penalty"]) == {"previous_count": 4, "change": 1, "decisions": 7}
    # two values for three cells, the blank not printed: -7 is a change, which only 本年增/减 holds
    assert dict(a["administrative_coercion"]) == {"previous_count": 2, "change": -7, "decisions": None}
    # values with their unit spaced inside one field are cells too
    assert a["centralized_procurement"]["projects"] == 0


def test_rows_of_values_apart_from_their_labels_keep_their_empty_fields_in_place():
    """Labels on lines of their own, the values below: a row that keeps its empty fields (<TAB><TAB>0)
    printed its blanks where they are, and a lone amount (12.9元) is a row of values too."""
    text = "\n".join([
        "示例区2019年度政府信息公开工作年度报告", "二、主动公开政府信息情况", "第二十条第（一）项",
        "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "规范性文件", "9\t0\t0", "\t\t0",
        "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政许可\t3\t0\t5",
        "其他对外管理服务事项\t0\t0\t0",
        "第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政处罚\t4\t+1\t7", "行政强制\t0\t0\t0",
        "第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", "行政事业性收费\t0\t0",
        "第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额", "12.9元", "政府集中采购",
        "三、收到和处理政府信息公开申请情况", *TEXT.splitlines()[2:]])
    report = govreport.parse(text)
    a = report.active_disclosure
    assert dict(a["regulations"]) == {"new_made": 9, "new_published": 0, "total_published": 0}
    assert dict(a["normative_documents"]) == {"new_made": None, "new_published": None, "total_published": 0}
    assert a["centralized_procurement"]["projects"] is None
    assert str(a["centralized_procurement"]["amount"].value) == "12.9"
    assert not [f for f in report.findings if f.rule in ("row-values-ambiguous", "row-order-unresolved")]
