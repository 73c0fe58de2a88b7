"""Year against year: body names, pairing, R5 / R5-IN-FORCE / R5-ITEMS, and the compare table."""

from __future__ import annotations

import random
from decimal import Decimal

import attrs
import pytest

from govreport.audit import audit_reports, body_key, compare_reports, group_bodies, load_aliases
from govreport.testing.series import consistent_series
from govreport.audit.years import year_findings
from govreport.model import Money


@pytest.mark.parametrize("a,b", [
    ("汉沽街道办事处", "汉沽街道"),
    ("汉沽街道办事处", "汉沽 街道办事处"),
    ("示例市临江区人民政府", "示例市临江区政府"),
    ("余姚市人民政府朗霞街道办事处", "余姚市朗霞街道"),
    ("松泰乡人民政府", "松泰乡"),
])
def test_same_body(a, b):
    assert body_key(a) == body_key(b)


@pytest.mark.parametrize("a,b", [
    ("汉沽街道办事处", "汉沽镇人民政府"),
    ("示例市临江区人民政府", "示例市临江区教育局"),
    ("临江区人民政府办公室", "临江区人民政府"),
])
def test_different_bodies(a, b):
    assert body_key(a) != body_key(b)


def test_short_name_joins_the_one_longer_name_after_a_place():
    assert group_bodies(["冠县清泉街道", "清泉街道办事处"]) == ["冠县清泉街道", "冠县清泉街道"]
    # two places with a 清泉街道: ambiguous, left apart
    got = group_bodies(["冠县清泉街道", "莘县清泉街道", "清泉街道办事处"])
    assert got == ["冠县清泉街道", "莘县清泉街道", "清泉街道"]
    # not after a place name: 新清泉街道 is another street
    assert group_bodies(["新清泉街道", "清泉街道"]) == ["新清泉街道", "清泉街道"]


def test_alias_file(tmp_path):
    f = tmp_path / "aliases.toml"
    f.write_text('[aliases]\n"哈尔滨市平房区新伟街道办事处" = "新伟街道"\n"平房区 新伟街道" = "新伟街道"\n', "utf-8")
    aliases = load_aliases(f)
    assert body_key("哈尔滨市平房区新伟街道办事处", aliases) == body_key("新伟街道办事处", aliases)
    assert body_key("平房区新伟街道", aliases) == "新伟街道"
    bad = tmp_path / "bad.toml"
    bad.write_text('[alias]\n"a" = "b"\n', "utf-8")
    with pytest.raises(ValueError, match=r"\[aliases\]"):
        load_aliases(bad)


def _series(fmts, start, seed=1):
    return consistent_series(random.Random(seed), years=len(fmts), start=start, formats=fmts, blanks=True)


@pytest.mark.parametrize("fmts,start", [(("2019", "2019"), 2019), (("2021", "2021"), 2022), (("2019", "2021"), 2020)])
@pytest.mark.parametrize("seed", range(5))
def test_consistent_years_give_nothing(fmts, start, seed):
    old, new = _series(fmts, start, seed)
    assert year_findings(old, new) == []


def _set(report, table, row, col, value):
    t = {r: dict(c) for r, c in getattr(report, table).items()}
    t[row][col] = value
    return attrs.evolve(report, **{table: t})


def test_r5_per_column_with_both_places():
    old, new = _series(("2019", "2021"), 2020)
    v = new.applications["carried_over"]["legal_service"] or 0
    new = _set(new, "applications", "carried_over", "legal_service", v + 2)
    (f,) = year_findings(old, new)
    assert f.rule == "R5" and f.severity == "error"
    assert f.cells == ("applications/carried_over/legal_service",)
    assert (f.expected, f.found) == (v, v + 2)
    assert [e.cell for e in f.evidence] == ["applications/carried_forward/legal_service",
                                            "applications/carried_over/legal_service"]
    assert "法律服务机构" in f.message


def test_r5_blank_and_zero_are_the_same():
    old, new = _series(("2019", "2019"), 2019)
    old = _set(old, "applications", "carried_forward", "research_institution", None)
    new = _set(new, "applications", "carried_over", "research_institution", 0)
    assert [f for f in year_findings(old, new) if f.rule == "R5"] == []


def test_in_force_is_a_warning_and_only_in_2021():
    old, new = _series(("2021", "2021"), 2022)
    v = new.active_disclosure["regulations"]["in_force"]
    bad = _set(new, "active_disclosure", "regulations", "in_force", v + 1)
    (f,) = year_findings(old, bad)
    assert (f.rule, f.severity) == ("R5-IN-FORCE", "warning") and f.found == v + 1 and f.expected == v
    old19, new21 = _series(("2019", "2021"), 2020)
    assert [f.rule for f in year_findings(old19, new21)] == []


def test_items_carry_on_in_2019():
    old, new = _series(("2019", "2019"), 2019)
    v = new.active_disclosure["administrative_penalty"]["previous_count"]
    (f,) = year_findings(old, _set(new, "active_disclosure", "administrative_penalty", "previous_count", v + 5))
    assert (f.rule, f.severity, f.expected, f.found) == ("R5-ITEMS", "warning", v, v + 5)


def test_audit_reports_pairs_only_consecutive_years_of_one_body():
    a, b, c = _series(("2019", "2019", "2021"), 2019)
    other = attrs.evolve(_series(("2019",), 2020, seed=9)[0], meta=attrs.evolve(b.meta, agency="别的街道办事处"))
    c_gap = attrs.evolve(c, meta=attrs.evolve(c.meta, year=2022))
    b_bad = _set(b, "applications", "carried_over", "natural_person", (b.applications["carried_over"]["natural_person"] or 0) + 1)
    res = audit_reports([a, b_bad, other, c_gap])
    assert [(p.old, p.new) for p in res.pairs] == [(0, 1)]
    assert [f.rule for f in res.findings_of(b_bad) if f.rule.startswith("R5")] == ["R5"]
    assert res.to_dict()["missing_years"] == {body_key(a.meta.agency): [2021]}


def test_the_same_report_twice_is_paired_with_each():
    a, b = _series(("2019", "2019"), 2019)
    res = audit_reports([a, a, b])
    assert sorted((p.old, p.new) for p in res.pairs) == [(0, 2), (1, 2)]


def test_compare_table():
    old, new = _series(("2021", "2021"), 2022, seed=4)
    old = _set(old, "applications", "new_received", "total", 40)
    new = _set(new, "applications", "new_received", "total", 50)
    old = _set(old, "active_disclosure", "administrative_fees", "amount", Money("1.5", "万元"))
    new = _set(new, "active_disclosure", "administrative_fees", "amount", Money("20000", "元"))
    c = compare_reports(old, new)
    assert c.same_body and c.consecutive
    rows = {r.cell: r for r in c.rows}
    r = rows["applications/new_received/total"]
    assert (r.old, r.new, r.change, r.pct) == (40, 50, 10, Decimal(25))
    m = rows["active_disclosure/administrative_fees/amount"]
    assert m.change == Decimal(5000) and m.unit == "元" and m.pct.quantize(Decimal("0.01")) == Decimal("33.33")
    assert len(c.rows) == sum(len(cols) for t in ("active_disclosure", "applications", "review_litigation")
                              for cols in getattr(new, t).values())


def test_compare_across_formats_shows_cells_of_either():
    old, new = _series(("2019", "2021"), 2020)
    c = compare_reports(old, new)
    only_old = [r for r in c.rows if r.in_old and not r.in_new]
    only_new = [r for r in c.rows if r.in_new and not r.in_old]
    assert any(r.cell == "applications/other/total" for r in only_old)
    assert any(r.cell == "applications/other.no_fee/total" for r in only_new)
    assert all(r.change is None for r in only_old + only_new)


def test_compare_not_consecutive_checks_nothing():
    old, new = _series(("2019", "2019"), 2019)
    new = _set(new, "applications", "carried_over", "total", 999)
    c = compare_reports(old, attrs.evolve(new, meta=attrs.evolve(new.meta, year=2022)))
    assert not c.consecutive and c.findings == ()


# ------------------------------------------------------------------------------ series of reports without a body


def _nameless(series, sources):
    """The series' reports with no body, each with the source name given."""
    return [attrs.evolve(r, meta=attrs.evolve(r.meta, agency=None), source=s) for r, s in zip(series, sources)]


def _page(tmp_path, name: str, body: str) -> str:
    p = tmp_path / name
    p.write_text(f'<html><head><meta name="ContentSource" content="{body}"><title>年报</title></head>'
                 "<body>…</body></html>", encoding="utf-8")
    return str(p)


def test_reports_without_a_body_are_paired_by_file_name_and_say_so():
    series = consistent_series(random.Random(5), years=3, start=2020)
    reports = _nameless(series, ["zone-2020.html", "zone-2021.html", "zone-2022.html"])
    result = audit_reports(reports)
    assert [(p.old, p.new) for p in result.pairs] == [(0, 1), (1, 2)]
    for ra in result.reports:
        (f,) = [f for f in ra.findings if f.rule == "C-SERIES-ASSUMED"]
        assert f.severity == "info" and "file name" in f.message and ra.assumed == "file name: zone"


def test_a_nameless_report_joins_the_body_other_years_name_by_its_page_metadata(tmp_path):
    series = consistent_series(random.Random(6), years=3, start=2020)
    named = [attrs.evolve(r, source=_page(tmp_path, f"a{i}.html", "示例县政务公开办")) for i, r in enumerate(series)]
    reports = [named[0], _nameless([named[1]], [named[1].source])[0], named[2]]
    result = audit_reports(reports)
    assert len(result.pairs) == 2
    assert result.reports[1].assumed == "page metadata: 示例县政务公开办"
    assert result.reports[1].body == result.reports[0].body


def test_nothing_agreeing_means_nothing_assumed():
    series = consistent_series(random.Random(7), years=2, start=2020)
    result = audit_reports(_nameless(series, ["one.txt", "two.txt"]))
    assert result.pairs == () and all(ra.body is None for ra in result.reports)
    assert not [f for f in result.findings if f.rule == "C-SERIES-ASSUMED"]


def test_a_name_agreeing_with_two_bodies_assumes_neither():
    a = consistent_series(random.Random(8), years=2, start=2020)
    b = consistent_series(random.Random(9), years=1, start=2022)
    reports = [attrs.evolve(a[0], source="x-2020.txt"), attrs.evolve(b[0], source="x-2022.txt"),
               _nameless([a[1]], ["x-2021.txt"])[0]]
    result = audit_reports(reports)
    assert result.reports[2].body is None and result.pairs == ()


def test_a_stated_series_pairs_reports_that_name_no_body():
    series = consistent_series(random.Random(10), years=3, start=2020)
    result = audit_reports(_nameless(series, ["a.txt", "b.txt", "c.txt"]), series="示例区")
    assert len(result.pairs) == 2 and {ra.body for ra in result.reports} == {"示例区"}
