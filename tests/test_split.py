"""Splitting digit runs by the format's rules: every valid split found, only valid ones kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport.engine.split import SumRule, splits

R3 = [SumRule("R3", 6, (0, 1, 2, 3, 4, 5))]
COUNTS = ("count",) * 7


def brute(digits: str, kinds, rules) -> set[tuple[str, ...]]:
    """Every cut of ``digits`` into len(kinds) parts, by trying every set of cut positions."""
    from itertools import combinations

    out = set()
    n = len(kinds)
    for cuts in combinations(range(1, len(digits)), n - 1):
        parts = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, len(digits)))]
        if any(p != "0" and p.startswith("0") for p in parts):
            continue
        vals = [int(p) for p in parts]
        if all(vals[r.target] == sum(vals[i] for i in r.parts) for r in rules):
            out.add(tuple(parts))
    return out


def test_a_row_of_table_three():
    assert splits(["491000050"], COUNTS, R3) == [("49", "1", "0", "0", "0", "0", "50")]


def test_no_rule_leaves_every_cut():
    cands = splits(["5845546"], ("count",) * 3)
    assert len(cands) == 15 and ("58", "45", "546") in cands


def test_printed_boundaries_are_kept():
    # a space the crawler kept between two cells is a cut for certain
    assert splits(["12", "34"], ("count",) * 3) == [("1", "2", "34"), ("12", "3", "4")]


def test_an_amount_under_one_is_a_money_value():
    # "0." is the start of an amount such as 0.37 (万元), not a number with a leading zero
    assert splits(["840.37"], ["count", "money"]) == [("8", "40.37"), ("84", "0.37")]
    assert splits(["00.5"], ["money"]) == []


def test_a_decimal_point_only_in_a_money_column():
    assert splits(["124.5"], ("count", "money")) == [("1", "24.5"), ("12", "4.5")]
    assert splits(["124.5"], ("count", "count")) == []


@given(st.lists(st.integers(0, 150), min_size=6, max_size=6))
def test_the_printed_row_is_always_among_the_splits(parts):
    row = [str(v) for v in (*parts, sum(parts))]
    digits = "".join(row)
    found = splits([digits], COUNTS, R3)
    assert tuple(row) in found
    assert set(found) == brute(digits, COUNTS, R3)


RUNON = """标题: 示例县人民政府2022年度政府信息公开工作年度报告
发布时间: 2023-01-30 09:15
发布机构: 示例县人民政府办公室
==================== 正文 ====================
一、总体情况 2022年，本县持续推进政府信息公开。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件3112第二十条第（五）项信息内容本年处理决定数量行政许可75第二十条第（六）项信息内容本年处理决定数量行政处罚12行政强制0第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量212000023二、上年结转政府信息公开申请数量1000001三、本年度办理结果（一）予以公开121000013（二）部分公开（区分处理的，只计这一情形，不计其他情形）2000002（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息00000007.属于行政执法案卷00000008.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息50000052.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请10000012.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000（七）总计201000021四、结转下年度继续办理2100003四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计101021000100000五、存在的主要问题及改进情况本县信息公开仍有不足。六、其他需要报告的事项无。
"""


def test_a_crawled_page_reads_back():
    report = govreport.parse(RUNON)
    assert report.reader == "runon" and report.format == "2021"
    assert report.meta.agency == "示例县人民政府" and report.meta.year == 2022 and report.meta.published is None
    apps = report.applications
    assert apps["new_received"] == {"natural_person": 21, "commercial_enterprise": 2, "research_institution": 0,
                                    "social_organization": 0, "legal_service": 0, "other_organization": 0,
                                    "total": 23}
    assert apps["granted"]["natural_person"] == 12 and apps["granted"]["commercial_enterprise"] == 1
    assert apps["carried_forward"]["total"] == 3 and apps["total"]["total"] == 21
    assert report.review_litigation["review"] == {"upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2}
    assert report.review_litigation["litigation_direct"]["total"] == 1
    assert report.active_disclosure["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert report.active_disclosure["administrative_licensing"]["decisions"] == 75
    # "3112" into issued / repealed / in force: three ways, no rule to choose
    assert set(report.active_disclosure["normative_documents"].values()) == {None}
    assert not report.rule_breaks


def _lines_of_rows(text: str) -> str:
    """The same page as a crawler that keeps a line break after every table row."""
    import re

    return re.sub(r"(\d)(?=（|[一二三四五六七八九十]、|\d[.．][\u4e00-\u9fff])", r"\1\n", text)


def test_row_per_line_reads_the_same():
    one_line = govreport.parse(RUNON)
    rows = govreport.parse(_lines_of_rows(RUNON))
    assert rows.reader == "runon"
    assert rows.to_dict(full=False) == one_line.to_dict(full=False)


def test_cells_on_lines_of_their_own():
    text = "\n".join(["示例镇人民政府2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
                      "申请人情况", "自然人", "法人或其他组织", "总计",
                      *[x for label, vals in [("一、本年新收政府信息公开申请数量", "3 1 0 0 0 0 4"),
                                              ("二、上年结转政府信息公开申请数量", "0 0 0 0 0 0 0"),
                                              ("（一）予以公开", "2 1 0 0 0 0 3"),
                                              ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1 0 0 0 0 0 1"),
                                              ("（七）总计", "3 1 0 0 0 0 4"),
                                              ("四、结转下年度继续办理", "0 0 0 0 0 0 0")]
                        for x in (label, *vals.split())]] * 1)
    report = govreport.parse(text)
    assert report.reader == "runon"
    assert report.applications["granted"] == {"natural_person": 2, "commercial_enterprise": 1,
                                              "research_institution": 0, "social_organization": 0,
                                              "legal_service": 0, "other_organization": 0, "total": 3}
    assert report.applications["total"]["total"] == 4


def test_thousands_separators_are_numbers_not_sentences():
    text = ("示范市人民政府2024年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "第二十条第（五）项信息内容本年处理决定数量行政许可447,228第二十条第（六）项信息内容本年处理决定数量"
            "行政处罚3,985,758行政强制88,283第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费96171.6\n"
            "三、收到和处理政府信息公开申请情况\n申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
            "一、本年新收政府信息公开申请数量212000023二、上年结转政府信息公开申请数量1000001三、本年度办理结果"
            "（一）予以公开121000013（二）部分公开（区分处理的，只计这一情形，不计其他情形）2000002（三）不予公开"
            "1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000\n")
    report = govreport.parse(text)
    assert report.active_disclosure["administrative_penalty"]["decisions"] == 3985758
    assert report.active_disclosure["administrative_coercion"]["decisions"] == 88283
    assert report.active_disclosure["administrative_fees"]["amount"].value == "96171.6"


def test_a_sign_only_in_a_signed_column():
    # 本年增/减 may be printed with its sign; a sign is never part of a count
    assert splits(["12", "-335"], ("count", "signed", "count")) == [("12", "-3", "35"), ("12", "-33", "5")]
    assert splits(["12", "-335"], ("count", "count", "count")) == []


def test_an_undecided_cell_is_no_printed_rule_break():
    from govreport.validation import check_rules

    tables = {"review_litigation": {"review": {"upheld": 2, "corrected": None, "other": 0, "pending": 0, "total": 5}}}
    assert [f.rule for f in check_rules(tables)] == ["R4"]
    [f] = check_rules(tables, undecided={"review_litigation/review/corrected"})
    assert f.rule == "rule-unchecked" and f.severity == "info"
    # an equation that holds needs no word, decided or not
    tables["review_litigation"]["review"]["total"] = 2
    assert check_rules(tables, undecided={"review_litigation/review/corrected"}) == ()


R4 = [SumRule("R4", 5 * g + 4, tuple(range(5 * g, 5 * g + 4))) for g in range(3)]


@settings(max_examples=25)  # the brute force grows fast with the run's length
@given(st.lists(st.lists(st.integers(0, 9), min_size=4, max_size=4), min_size=3, max_size=3))
def test_table_c_run_against_brute_force(groups):
    row = [str(v) for g in groups for v in (*g, sum(g))]
    digits = "".join(row)
    found = splits([digits], ("count",) * 15, R4)
    assert tuple(row) in found
    assert set(found) == brute(digits, ("count",) * 15, R4)


@settings(max_examples=40)
@given(st.lists(st.integers(0, 120), min_size=5, max_size=5), st.sets(st.integers(0, 4), max_size=3))
def test_values_printed_apart_place_their_blanks_like_brute_force(outcomes, blank):
    """Whole pieces: a value printed apart is never cut; only where the left-out blanks were is open."""
    from itertools import combinations

    kept = [0 if i in blank else v for i, v in enumerate(outcomes[:4])]  # a blank cell counts 0 in the rule
    row = [str(v) for v in (*kept, sum(kept))]
    printed = [p for i, p in enumerate(row) if i not in blank or i == 4]
    rule = [SumRule("R4", 4, (0, 1, 2, 3))]
    found = set(splits(printed, ("count",) * 5, rule, blanks=True, whole=True))
    expected = set()
    for where in combinations(range(5), len(printed)):
        parts = [""] * 5
        for i, p in zip(where, printed):
            parts[i] = p
        if int(parts[4] or 0) == sum(int(p or 0) for p in parts[:4]):
            expected.add(tuple(parts))
    assert found == expected
    assert tuple("" if i in blank and i != 4 else p for i, p in enumerate(row)) in found


def _table_c_page(value_lines: list[str]) -> str:
    """A report printed with its labels apart from its values, table C's values replaced by ``value_lines``."""
    import re

    from govreport.testing.damage import damaged_from_seed

    text = damaged_from_seed(1, "detached", "2021").text
    head, rest = text.split("四、政府信息公开行政复议、行政诉讼情况")
    body, tail = rest.split("五、")
    labels = [line for line in body.splitlines() if line and not re.fullmatch(r"[\d\s+-]+", line)]
    return "\n".join([head + "四、政府信息公开行政复议、行政诉讼情况", *labels, *value_lines, "", "五、" + tail])


def test_table_c_printed_apart_without_its_blanks():
    """One line per group, blank cells left out: the rule of each group (R4) says where they were;
    where it cannot, the cells stay blank and a finding lists the placements."""
    report = govreport.parse(_table_c_page(["0 0 5 5", "0 0 0 1 1", "0 4 0 0 4"]))
    c = report.review_litigation
    assert c["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert c["litigation_after_review"] == {"upheld": 0, "corrected": 4, "other": 0, "pending": 0, "total": 4}
    # 0, 0, 5 in four cells, one blank: any of the four may be it
    assert c["review"] == {"upheld": None, "corrected": None, "other": None, "pending": None, "total": 5}
    [f] = [f for f in report.findings if f.rule == "split-ambiguous"]
    assert "'0 0 5 5'" in f.message and "4 placements" in f.message
    assert set(f.cells) == {f"review_litigation/review/{o}" for o in ("upheld", "corrected", "other", "pending")}
    prov = report.provenance["review_litigation/litigation_after_review/corrected"]
    assert prov.raw == "4" and "leave out their blank cells" in prov.note and "R4" in prov.note


def test_table_c_on_one_line_without_its_blanks():
    """All fifteen cells on one line, three blanks left out: the groups' rules decide across the line."""
    report = govreport.parse(_table_c_page(["3 0 3 0 726 0 0 726 0 0 0 0"]))
    c = report.review_litigation
    assert c["litigation_direct"] == {"upheld": 0, "corrected": 726, "other": 0, "pending": 0, "total": 726}
    assert c["review"]["total"] == 3 and c["review"]["upheld"] is None
    assert set(c["litigation_after_review"].values()) == {None}
    assert any(f.rule == "split-ambiguous" for f in report.findings)
