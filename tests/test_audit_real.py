"""The audit on reports exactly as agencies published them (tests/data/real): every error-level finding
is one a person reading the report accepts, and the kinds of wording that gave false alarms on real
reports (a typoed heading, rows stated together, a look-alike activity) give none."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from govreport.audit import audit_reports, examine, read_for_audit

DATA = Path(__file__).parent / "data" / "real"
CRAWLED = DATA / "pingtan-2025-crawled.txt"


@pytest.fixture(scope="module")
def audited():
    paths = sorted(p for p in DATA.iterdir() if p.suffix in (".pdf", ".txt"))
    read = [read_for_audit(p) for p in paths]
    return audit_reports([r for r, _ in read], documents=[d for _, d in read])


def test_every_error_on_the_real_reports_is_printed_so(audited):
    errors = {(Path(ra.name).stem, f.rule, f.cells[0]) for ra in audited.reports for f in ra.findings
              if f.severity == "error"}
    # table 四 of the 2023 district report prints 总计 0 beside outcomes 10 + 1 (行政复议) and 5
    # (复议后起诉): breaks of R4 as printed, which validate reports and the audit now lists too
    assert errors == {
        ("hongze-2023", "R4", "review_litigation/review/total"),
        ("hongze-2023", "R4", "review_litigation/litigation_after_review/total"),
    }
    assert audited.counts()["error"] == 2


def test_the_crawled_report_has_all_six_sections(audited):
    # 一、总体情况 and 五、… are run together with the text after them in a crawler's copy
    ra = next(ra for ra in audited.reports if ra.name.endswith(CRAWLED.name))
    assert not [f for f in ra.findings if f.rule == "C-SECTION-MISSING"]
    got = {(c.claim.spec.id, c.status, c.table_value) for c in ra.claims if c.status == "agrees"}
    assert got == {("A-TEXT-REVIEW", "agrees", 36), ("A-TEXT-LITIGATION", "agrees", 9)}


def test_different_bodies_are_not_paired(audited):
    assert audited.pairs == ()
    assert not [f for ra in audited.reports for f in ra.findings if f.rule == "C-SERIES-ASSUMED"]


def _crawled(replace: dict[str, str]):
    text = CRAWLED.read_text("utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return read_for_audit(text, name="crawled-variant")


def test_a_typoed_heading_is_info_not_a_missing_section():
    report, document = _crawled({"四、政府信息公开行政复议、行政诉讼情况": "四、政府信息公开行政复议、行政诉论情况"})
    findings = examine(report, document=document).findings
    assert [f.rule for f in findings if f.severity == "error"] == []
    (info,) = [f for f in findings if f.rule == "C-SECTION-HEADING"]
    assert info.found == "四、政府信息公开行政复议、行政诉论情况"


def test_granted_and_partial_stated_together_agree_with_their_sum():
    # the table has 予以公开 33 and 部分公开 38
    report, document = _crawled({"结转至2026年6件。": "结转至2026年6件。依申请答复中，予以公开与部分公开的共71件。"})
    ra = examine(report, document=document)
    (c,) = [c for c in ra.claims if c.claim.spec.id == "A-TEXT-COMBINED"]
    assert (c.status, c.table_value, c.claim.value) == ("agrees", 71, 71)
    assert not [c for c in ra.claims if c.claim.spec.id == "A-TEXT-PARTIAL"]
    assert [f.rule for f in ra.findings if f.severity == "error"] == []


def test_a_look_alike_activity_is_at_most_a_warning():
    report, document = read_for_audit(DATA / "huaian-2024.pdf")  # 行政规范性文件 现行有效 66
    sections = tuple(attrs.evolve(s, text=s.text + "\n全年统一公布现行有效的行政规范性文件120件。")
                     if s.key == "active_disclosure" else s for s in report.sections)
    ra = examine(attrs.evolve(report, sections=sections), document=document)
    (f,) = [f for f in ra.findings if f.rule == "A-TEXT-NORMATIVE-IN-FORCE"]
    assert f.severity == "warning" and (f.expected, f.found) == (66, 120) and "公布" in f.message
