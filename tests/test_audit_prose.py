"""Reading numbers from the prose: every example and counter-example of phrases.toml, real sentences
from the fixtures, and the number readers."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport.audit.phrases import load_phrases, parse_phrases
from govreport.audit.prose import (
    claims_in_sentence,
    cn_number,
    fee_statements,
    money_in_yuan,
    normalize,
    read_claims,
    split_sentences,
    statistics_period,
)

SEEDS = Path(__file__).parent / "data" / "seeds"
OFFICE = Path(__file__).parent / "data" / "office"
PHRASES = load_phrases()
TITLES = {
    "overview": "总体情况",
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}


def _claims(text: str, *, section: str = "overview", fmt: str = "2021", context: str | None = None,
            year: int | None = None):
    body = f"{context}\n{text}" if context else text
    out = []
    for s in split_sentences(body, number="一", title=TITLES[section], key=section):
        out += claims_in_sentence(s, PHRASES, fmt, year)
    return out


def _expected(spec, value):
    if spec.kind == "money":
        m = re.fullmatch(r"([\d.]+)(万元|元)", value)
        return money_in_yuan(m[1], m[2])
    if spec.kind == "rate":
        return Decimal(str(value))
    return value


def _fmt(spec, ex):
    return ex.get("format") or (spec.formats[0] if spec.formats else "2021")


EXAMPLES = [(spec.id, i) for spec in PHRASES.claims for i in range(len(spec.examples))]
COUNTERS = [(spec.id, i) for spec in PHRASES.claims for i in range(len(spec.counter_examples))]


@pytest.mark.parametrize("rule,i", EXAMPLES, ids=[f"{r}-{i}" for r, i in EXAMPLES])
def test_example_is_read_with_its_value(rule, i):
    spec = PHRASES.claim(rule)
    ex = spec.examples[i]
    got = [c for c in _claims(ex["text"], section=ex.get("section", "overview"), fmt=_fmt(spec, ex),
                               context=ex.get("context")) if c.spec.id == rule and not c.skipped]
    assert [c.value for c in got] == [_expected(spec, ex["value"])], ex["text"]


@pytest.mark.parametrize("rule,i", COUNTERS, ids=[f"{r}-{i}" for r, i in COUNTERS])
def test_counter_example_gives_no_value(rule, i):
    spec = PHRASES.claim(rule)
    ex = spec.counter_examples[i]
    got = [c for c in _claims(ex["text"], section=ex.get("section", "overview"), fmt=_fmt(spec, ex),
                               context=ex.get("context"), year=2019) if c.spec.id == rule and not c.skipped]
    if ex.get("at_most") == "warning":  # may be read, but only as a doubtful statement
        assert got and all(c.severity == "warning" and c.uncertain for c in got), ex["text"]
    else:
        assert got == [], ex["text"]


COMBINED = PHRASES.combined


@pytest.mark.parametrize("i", range(len(COMBINED.examples)))
def test_rows_named_together_are_read_as_their_sum(i):
    ex = COMBINED.examples[i]
    got = [c for c in _claims(ex["text"], section=ex["section"]) if not c.skipped]
    assert [(c.spec.id, c.value, [p.id for p in c.parts]) for c in got] == [(COMBINED.id, ex["value"], ex["rows"])]
    # compared with the sum of the cells of every row named
    want = [cell for rid in ex["rows"] for cell in PHRASES.claim(rid).cells]
    assert list(got[0].spec.cells) == want


@pytest.mark.parametrize("i", range(len(COMBINED.counter_examples)))
def test_rows_not_named_together_are_not_combined(i):
    ex = COMBINED.counter_examples[i]
    got = [c for c in _claims(ex["text"], section=ex["section"]) if c.spec.id == COMBINED.id]
    assert got == [], ex["text"]


def test_a_row_named_with_an_unknown_outcome_is_listed_not_compared():
    (c,) = _claims("答复告知及部分公开12件。", section="applications")
    assert c.spec.id == "A-TEXT-PARTIAL" and c.skipped and "together" in c.skipped


def test_the_tables_own_wording_keeps_the_error():
    (c,) = _claims("经清理后行政规范性文件现行有效件数为41件。", section="active_disclosure")
    assert c.spec.id == "A-TEXT-NORMATIVE-IN-FORCE" and c.severity == "error" and not c.uncertain


def test_every_compared_claim_has_examples_and_a_meaning():
    for spec in PHRASES.claims:
        assert spec.id.startswith("A-TEXT-")
        assert spec.meaning
        assert spec.examples, spec.id
        if spec.kind == "rate":
            assert (spec.numerator and spec.denominator) or not spec.compare
        else:
            assert spec.cells, spec.id


# ------------------------------------------------------------------------------ real sentences


def _read(path: Path):
    report = govreport.parse(path)
    return report, read_claims(report)


def test_qingquan_no_applications_and_no_review_read_from_the_overview():
    # 一、总体情况 …（二）依申请公开政府信息情况 / 今年以来,我街道未接到相关申请, … 未涉及因政府信息公开申请
    # 提起行政复议、行政诉讼的情况。
    _, claims = _read(SEEDS / "qingquan-2019-ocr.txt")
    got = {(c.spec.id, c.value, c.matched) for c in claims}
    assert got == {
        ("A-TEXT-NEW-RECEIVED", 0, "未接到相关申请"),
        ("A-TEXT-REVIEW-LITIGATION", 0, "未涉及因政府信息公开申请提起行政复议、行政诉讼"),
    }


def test_qingquan_procurement_information_is_not_procurement_projects():
    # "发布政府采购信息 20条" is 20 pieces of information, not 20 projects (the table says 19 projects)
    _, claims = _read(SEEDS / "qingquan-2019-ocr.txt")
    assert not [c for c in claims if "PROCUREMENT" in c.spec.id]


def test_xinwei_no_applications_and_no_review():
    _, claims = _read(SEEDS / "xinwei-2020-vertical.txt")
    got = {(c.spec.id, c.value, c.sentence.section_key) for c in claims}
    assert got == {("A-TEXT-NEW-RECEIVED", 0, "applications"), ("A-TEXT-REVIEW-LITIGATION", 0, "review_litigation")}


def test_hangu_active_total_and_applied_information_are_not_compared():
    # 截至2019年12月31日，汉沽街道主动公开政府信息1350条 … 依申请公开信息1条: neither is in the 2019 tables
    _, claims = _read(SEEDS / "hangu-2019-tabbed.txt")
    assert claims == []


def test_bureau_active_total_is_read_but_not_in_the_2019_tables():
    from govreport.audit.text import compare_claim

    report, claims = _read(SEEDS / "bureau-2019-pipe.txt")
    assert [(c.spec.id, c.value) for c in claims] == [("A-TEXT-ACTIVE-TOTAL", 380)]
    assert compare_claim(report, claims[0]).status == "not-in-tables"


@pytest.mark.parametrize("name", ["haicheng-2023-synthetic", "linjiang-2022-synthetic"])
def test_website_channel_count_and_administrative_fees_are_not_read(name):
    # 全年通过政府门户网站主动公开政府信息3127条 (one channel); 本年度未收取信息处理费 (not 行政事业性收费)
    report, claims = _read(OFFICE / f"{name}.docx")
    assert claims == []
    none, charged = fee_statements([s for sec in report.sections
                                    for s in split_sentences(sec.text, number=sec.number, title=sec.title, key=sec.key)])
    assert [s.sentence.text for s in none] == ["本年度未收取信息处理费。"] and charged == []


def test_scope_period_and_year_guards_skip_instead_of_compare():
    got = _claims("全市共收到政府信息公开申请1720件。", year=2020)
    assert [c.skipped for c in got] == ["speaks of a wider scope (全市)"]
    got = _claims("上半年共收到政府信息公开申请72件。", year=2020)
    assert got[0].skipped.startswith("speaks of part of the year")
    got = _claims("2019年共收到政府信息公开申请90件。", year=2020)
    assert got[0].skipped == "names another year (2019)"
    assert _claims("2020年共收到政府信息公开申请90件。", year=2020)[0].skipped is None


def test_overlapping_statements_keep_the_longer_one():
    got = _claims("本年度因政府信息公开引起的行政复议、行政诉讼共3起。")
    assert [(c.spec.id, c.value) for c in got] == [("A-TEXT-REVIEW-LITIGATION", 3)]


def test_several_statements_in_one_sentence():
    got = _claims("全年共收到政府信息公开申请270件，其中予以公开109件，部分公开29件，结转下年度继续办理3件。",
                  section="applications")
    assert [(c.spec.id, c.value) for c in got] == [
        ("A-TEXT-NEW-RECEIVED", 270), ("A-TEXT-GRANTED", 109), ("A-TEXT-PARTIAL", 29), ("A-TEXT-CARRIED-FORWARD", 3)]


def test_ocr_spaces_are_ignored():
    assert normalize("主动公开信息 47 条") == "主动公开信息47条"
    assert normalize("1 000") == "1 000"
    got = _claims("全年共收到政府信息 公开申请 17 件。")
    assert [c.value for c in got] == [17]


# ------------------------------------------------------------------------------ numbers, period, fees


@pytest.mark.parametrize("text,value", [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                         ("三千二百", 3200), ("一万二千", 12000), ("二〇", None), ("", None)])
def test_chinese_numerals(text, value):
    assert cn_number(text) == value


def test_statistics_period_examples():
    for ex in PHRASES.raw["period"]["examples"]:
        p = statistics_period(split_sentences(ex["text"], number=None, title=None, key=None))
        assert (p.start, p.end) == (ex["start"], ex.get("end")), ex["text"]


def test_langxia_period_is_in_the_preamble():
    from govreport.audit import read_for_audit
    from govreport.audit.prose import report_sentences

    report, document = read_for_audit(SEEDS / "langxia-2019-legacy.txt")
    assert statistics_period(report_sentences(report)) is None
    p = statistics_period(report_sentences(report, document))
    assert (p.start, p.end) == (2019, 2019) and p.sentence.section_title is None


def test_fee_statement_examples():
    fees = PHRASES.raw["fees"]
    for text in fees["examples_none"]:
        none, charged = fee_statements(split_sentences(text, number=None, title="x", key=None))
        assert len(none) == 1 and not charged, text
    for text in fees["examples_charged"]:
        none, charged = fee_statements(split_sentences(text, number=None, title="x", key=None))
        assert len(charged) == 1 and charged[0].amount > 0 and not none, text
    for text in fees["counter_examples"]:
        assert fee_statements(split_sentences(text, number=None, title="x", key=None)) == ([], []), text


def test_fee_not_levied_examples():
    from govreport.audit.prose import not_levied_statements

    fees = PHRASES.raw["fees"]
    for text in fees["examples_not_levied"]:
        assert not_levied_statements(split_sentences(text, number=None, title="x", key=None)), text
    for text in fees["counter_examples_not_levied"]:  # 未收取: fee notices may have gone unpaid
        assert not not_levied_statements(split_sentences(text, number=None, title="x", key=None)), text


def test_a_phrases_file_with_a_typo_is_refused():
    text = (Path(govreport.__file__).parent / "audit" / "phrases.toml").read_text("utf-8")
    parse_phrases(text)  # the bundled file itself is valid
    with pytest.raises(ValueError, match="unknown key"):
        parse_phrases(text.replace('kind = "count"', 'kind = "count"\nsectoins = ["x"]', 1))
    with pytest.raises(ValueError, match="appears twice"):
        parse_phrases(text.replace('id = "A-TEXT-CARRIED-OVER"', 'id = "A-TEXT-NEW-RECEIVED"'))
    with pytest.raises(ValueError, match="unknown severity 'warn'"):
        parse_phrases(text.replace('severity = "warning"', 'severity = "warn"', 1))
