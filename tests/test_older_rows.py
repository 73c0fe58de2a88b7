"""A 2021 table that keeps the 2019 single （六）其他处理 row (FORMAT.md §3)."""

from __future__ import annotations

from govreport.document import Cell, Document, Grid, Location, Paragraph
from govreport.engine import extract

B_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def grid(*rows):
    return Grid(rows=tuple(tuple(Cell(text=t, loc=Location(row=r, col=c)) for c, t in enumerate(row))
                           for r, row in enumerate(rows)))


def report(other_rows):
    a = grid(["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["规章", "0", "0", "3"], ["行政规范性文件", "2", "1", "9"])
    b = grid(["申请人情况"], ["自然人", "法人或其他组织", "总计"], B_COLS[1:6],
             ["（一）予以公开", *"2000002"], *other_rows, ["（七）总计", *"5000005"])
    return Document(blocks=(Paragraph(text="某区人民政府2023年度政府信息公开工作年度报告"), a, b), reader="test")


def test_single_other_row_goes_to_other_other_with_a_finding():
    ext = extract(report([["（六）其他处理", *"3000003"]]))
    assert ext.format == "2021"
    apps = ext.tables["applications"]
    assert apps["other.other"]["natural_person"] == 3 and apps["other.other"]["total"] == 3
    assert all(v is None for k in ("other.no_correction", "other.no_fee") for v in apps[k].values())
    older = [f for f in ext.findings if f.rule == "older-row"]
    assert len(older) == 1 and "other.no_fee" in older[0].message
    # the two rows it stands for are not reported missing: the document never split its numbers
    assert not any(f.rule == "row-missing" and "other." in f.message for f in ext.findings)


def test_the_2021_sub_rows_win_over_the_group_heading():
    ext = extract(report([["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", *"1000001"],
                          ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", *"0000000"],
                          ["3.其他", *"2000002"]]))
    apps = ext.tables["applications"]
    assert apps["other.no_correction"]["total"] == 1 and apps["other.other"]["total"] == 2
    assert not any(f.rule == "older-row" for f in ext.findings)
