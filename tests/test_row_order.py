"""Rows of values printed apart from their labels: placed by the format's row order, confirmed by the
rules, or left blank with a finding — never put in the wrong row."""

from __future__ import annotations

import random

import attrs

from _report_grids import B_HEADER, a_rows, b_rows, document, table_a
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import check_rules
from govreport.model import Money
from govreport.engine import extract
from govreport.testing import report_from_seed, reports, with_rule_break

TABLES = ("active_disclosure", "applications", "review_litigation")


def expected(report, table):
    return {k: dict(v) for k, v in getattr(report, table).items()}


def wrong_cells(report, ext) -> list[str]:
    out = []
    for t in TABLES:
        for row, cols in expected(report, t).items():
            for c, v in cols.items():
                got = ext.tables[t].get(row, {}).get(c)
                if got is not None and got != v:
                    out.append(f"{t}/{row}/{c}: read {got!r}, printed {v!r}")
    return out


def blank_without_finding(report, ext) -> list[str]:
    """Cells read blank where a value was printed, that no finding names."""
    named = {c for f in ext.findings for c in f.cells}
    return [f"{t}/{row}/{c}" for t in TABLES for row, cols in expected(report, t).items() for c, v in cols.items()
            if v is not None and ext.tables[t].get(row, {}).get(c) is None and f"{t}/{row}/{c}" not in named]


def busy(seed, fmt="2019"):
    return report_from_seed(seed, fmt, blanks=False, activity=0.9)


def test_labels_printed_before_the_values_are_placed_in_their_order():
    r = busy(3)
    rows = b_rows(r)
    ext = extract(document(r, before_b=[label for _, label, _ in rows],
                           b=[*B_HEADER, *(["", *values] for _, _, values in rows)]))
    assert ext.tables["applications"] == expected(r, "applications")
    by_order = [f for f in ext.findings if f.rule == "row-by-order"]
    assert len(by_order) == len(rows) and all(f.severity == "warning" for f in by_order)
    prov = ext.provenance["applications/granted/natural_person"]
    assert prov.confidence < 1.0 and "confirmed by R1/R2/R3" in prov.note
    assert "by the order of their labels" in prov.note


def test_labels_alone_on_their_lines_before_the_values_do_not_take_the_first_values():
    # the last label would otherwise read the first row of values as its own (a wrapped label)
    r = busy(5)
    rows = b_rows(r)
    ext = extract(document(r, b=[*B_HEADER, *([label] for _, label, _ in rows), *(v for _, _, v in rows)]))
    assert ext.tables["applications"]["carried_forward"] == expected(r, "applications")["carried_forward"]
    assert ext.tables["applications"] == expected(r, "applications")


def test_values_without_any_label_are_placed_by_row_order_and_rules():
    r = busy(7, "2021")
    ext = extract(document(r, b=[*B_HEADER, *(v for _, _, v in b_rows(r))]))
    assert ext.tables["applications"] == expected(r, "applications")
    prov = ext.provenance["applications/total/total"]
    assert "assigned by row order, confirmed by" in prov.note and prov.confidence <= 0.6


def test_labels_in_another_order_do_not_override_what_the_rules_say():
    r = busy(11)
    rows = b_rows(r)
    labels = [label for _, label, _ in rows]
    random.Random(0).shuffle(labels)
    ext = extract(document(r, before_b=labels, b=[*B_HEADER, *(v for _, _, v in rows)]))
    assert ext.tables["applications"] == expected(r, "applications")


def test_one_unlabelled_row_between_matched_rows_takes_the_only_place_left():
    r = busy(13)
    rows = b_rows(r)
    b = [*B_HEADER, *([label, *values] if key != "partially_granted" else values for key, label, values in rows)]
    ext = extract(document(r, b=b))
    assert ext.tables["applications"]["partially_granted"] == expected(r, "applications")["partially_granted"]
    assert [f.cells[0].split("/")[1] for f in ext.findings if f.rule == "row-by-order"] == ["partially_granted"]


def test_a_missing_row_of_values_leaves_the_rows_blank_with_a_finding():
    r = busy(17)
    rows = [v for key, _, v in b_rows(r) if key != "withheld.internal_affairs"]
    ext = extract(document(r, b=[*B_HEADER, *rows]))
    assert wrong_cells(r, ext) == []
    assert all(v is None for cols in ext.tables["applications"].values() for v in cols.values())
    unresolved = [f for f in ext.findings if f.rule == "row-order-unresolved"]
    assert unresolved and "applications/new_received/total" in unresolved[0].cells


def test_rules_broken_in_print_leave_the_unlabelled_rows_blank():
    r = next(b for b in (with_rule_break(busy(19), random.Random(i)) for i in range(50))
             if check_rules({"applications": b.applications}))
    ext = extract(document(r, b=[*B_HEADER, *(v for _, _, v in b_rows(r))]))
    assert wrong_cells(r, ext) == []
    assert all(v is None for cols in ext.tables["applications"].values() for v in cols.values())
    assert any(f.rule == "row-order-unresolved" and "rules" in f.message for f in ext.findings)


def test_table_a_without_labels_is_placed_by_order_and_widths():
    r = busy(23)
    ext = extract(document(r, a=table_a(r, labelled=False)))
    assert ext.tables["active_disclosure"] == expected(r, "active_disclosure")
    assert "no rule could confirm it" in ext.provenance["active_disclosure/regulations/new_made"].note


def blanks_dropped(values: list[str]) -> list[str]:
    return [v for v in values if v]


def test_rows_printed_without_their_blanks_are_read_where_the_rules_place_their_values():
    # values separated by spaces lose their blank cells: every placement R1-R3 allow is tried
    r = report_from_seed(11, "2019", blanks=True, activity=0.9)
    rows = b_rows(r)
    assert any("" in v for _, _, v in rows) and any("" not in v for _, _, v in rows)
    ext = extract(document(r, before_b=[label for _, label, _ in rows],
                           b=[*B_HEADER, *(blanks_dropped(v) for _, _, v in rows)]))
    assert wrong_cells(r, ext) == [] and blank_without_finding(r, ext) == []
    want = expected(r, "applications")
    full = [k for k, _, v in rows if "" not in v]
    assert {k: ext.tables["applications"][k] for k in full} == {k: want[k] for k in full}
    doubtful = {c for f in ext.findings if f.rule == "row-values-ambiguous" for c in f.cells}
    read = [f"applications/{k}/{c}" for k, cols in want.items() for c in cols
            if ext.tables["applications"][k][c] is not None]
    assert doubtful and doubtful.isdisjoint(read) and len(read) > len(full) * 7


def test_a_row_short_of_values_whose_placements_differ_stays_blank_with_a_finding():
    r = busy(13)
    # one row of zeros and a blank: printed without its blank, any of its cells may be the blank one
    old = r.applications["withheld.state_secret"]
    zeros = {c: (None if c == "natural_person" else 0) for c in old}
    total = {c: v - old[c] for c, v in r.applications["total"].items()}  # R2 still holds
    forward = {c: v + old[c] for c, v in r.applications["carried_forward"].items()}  # and R1
    r = attrs.evolve(r, applications={**r.applications, "withheld.state_secret": zeros, "total": total,
                                      "carried_forward": forward})
    assert not check_rules({"applications": r.applications})
    rows = b_rows(r)
    ext = extract(document(r, before_b=[label for _, label, _ in rows],
                           b=[*B_HEADER, *(blanks_dropped(v) for _, _, v in rows)]))
    assert wrong_cells(r, ext) == []
    got = ext.tables["applications"]
    assert set(got["withheld.state_secret"].values()) == {None}
    (finding,) = [f for f in ext.findings if f.rule == "row-values-ambiguous"]
    assert set(finding.cells) == {f"applications/withheld.state_secret/{c}" for c in zeros}
    others = {k: v for k, v in expected(r, "applications").items() if k != "withheld.state_secret"}
    assert {k: got[k] for k in others} == others


DETACHED_A = """丰通街道办事处2019年度政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容
本年新制作数量
本年新公开数量
对外公开总数量
规章
规范性文件
3\t1\t12
5\t2\t40

第二十条第（九）项
信息内容
采购项目数量
采购总金额
政府集中采购
7 4687.34元
{page}
三、收到和处理政府信息公开申请情况
"""


def test_a_line_of_values_read_as_a_paragraph_is_a_row_of_values():
    # the reader keeps a lone line of values between label lines as text; its label is detached
    report = govreport.parse(DETACHED_A.format(page="").encode(), name="report.txt")
    a = report.active_disclosure
    assert dict(a["centralized_procurement"]) == {"projects": 7, "amount": Money("4687.34", "元")}
    assert dict(a["normative_documents"]) == {"new_made": 5, "new_published": 2, "total_published": 40}
    assert report.provenance["active_disclosure/centralized_procurement/projects"].confidence < 1.0


def test_a_lone_number_between_the_lines_is_not_a_row():
    report = govreport.parse(DETACHED_A.format(page="12").encode(), name="report.txt")
    assert report.active_disclosure["centralized_procurement"]["projects"] == 7


def test_a_well_printed_report_gets_no_row_order_findings():
    r = busy(29)
    ext = extract(document(r))
    assert not any(f.rule.startswith("row-") for f in ext.findings)
    assert ext.tables["applications"] == expected(r, "applications")


LAYOUTS = ("labels-first", "labels-first-in-grid", "no-labels", "labels-shuffled", "some-labels")


def detached(report, layout: str, seed: int):
    """The report with tables A and B printed with their labels detached from their values."""
    rng = random.Random(seed)
    brows = b_rows(report)
    alabels = [label for _, label, _ in a_rows(report)]
    blabels = [label for _, label, _ in brows]
    values = [v for _, _, v in brows]
    a = table_a(report, labelled=False)
    if layout == "labels-first":
        return document(report, before_a=alabels, a=a, before_b=blabels, b=[*B_HEADER, *values])
    if layout == "labels-first-in-grid":
        return document(report, a=a, b=[*B_HEADER, *([lab] for lab in blabels), *values])
    if layout == "no-labels":
        return document(report, a=a, b=[*B_HEADER, *values])
    if layout == "labels-shuffled":
        rng.shuffle(blabels)
        return document(report, a=a, before_b=blabels, b=[*B_HEADER, *values])
    keep = [rng.random() < 0.5 for _ in brows]
    return document(report, b=[*B_HEADER, *([lab, *v] if k else v for lab, v, k in zip(blabels, values, keep))])


@given(report=reports(), layout=st.sampled_from(LAYOUTS), seed=st.integers(0, 2**16))
def test_detached_labels_read_right_or_blank_with_a_finding(report, layout, seed):
    ext = extract(detached(report, layout, seed))
    assert wrong_cells(report, ext) == []
    assert blank_without_finding(report, ext) == []
