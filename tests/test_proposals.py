"""Proposed corrections for rule breaks that one doubtful digit explains (govreport.proposals)."""

from __future__ import annotations

import pytest

from govreport import check_rules
from govreport.model import Provenance, Report, cell_id
from govreport.proposals import propose_corrections
from govreport.template import load_template

B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_organization",
             "legal_service", "other_organization", "total")
C_GROUPS = ("review", "litigation_direct", "litigation_after_review")
C_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def _applications() -> dict[str, dict[str, int]]:
    """A valid 2019 table B: 3 granted and 2 withheld by natural persons, 1 granted to a company."""
    rows = [r.key for r in load_template().tables["applications"].rows_for("2019")]
    table = {r: {c: 0 for c in B_COLUMNS} for r in rows}

    def put(row: str, col: str, v: int) -> None:
        table[row][col] += v
        table[row]["total"] += v

    put("granted", "natural_person", 13)
    put("granted", "commercial_enterprise", 1)
    put("withheld.state_secret", "natural_person", 2)
    for col, v in (("natural_person", 15), ("commercial_enterprise", 1)):
        put("total", col, v)
        put("new_received", col, v)
    return table


def _review() -> dict[str, dict[str, int]]:
    out = {g: {o: 0 for o in C_OUTCOMES} for g in C_GROUPS}
    out["review"].update(upheld=3, corrected=1, total=4)
    return out


def _report(apps, review, doubtful: dict[str, float] | None = None, raw: dict[str, str] | None = None) -> Report:
    """A report whose every value has provenance; ``doubtful`` gives low confidences by cell id."""
    prov = {}
    for name, table in (("applications", apps), ("review_litigation", review)):
        for r, cols in table.items():
            for c, v in cols.items():
                cid = cell_id(name, r, c)
                prov[cid] = Provenance(reader="ocr", location="page 2, table 3", raw=(raw or {}).get(cid, str(v)),
                                       confidence=(doubtful or {}).get(cid, 0.98))
    report = Report(format="2019", applications=apps, review_litigation=review, provenance=prov)
    return Report(format="2019", applications=apps, review_litigation=review, provenance=prov,
                  findings=check_rules({"applications": report.applications, "review_litigation": report.review_litigation}))


def test_valid_report_gets_no_proposal():
    assert check_rules({"applications": _applications(), "review_litigation": _review()}) == ()
    assert propose_corrections(_report(_applications(), _review())) == ()


def test_one_misread_digit_in_table_c_is_proposed():
    review = _review()
    review["review"]["upheld"] = 8  # printed 3
    cid = "review_litigation/review/upheld"
    report = _report(_applications(), review, doubtful={cid: 0.61})
    assert [f.rule for f in report.rule_breaks] == ["R4"]
    (p,) = propose_corrections(report)
    assert p.proposal and p.severity == "info" and p.rule == "R4"
    assert p.cells == (cid,) and p.found == 8 and p.expected == 3
    assert "0.61" in p.message and "left as read" in p.message
    # the value itself is not touched, and the break is still reported as a break
    assert report.review_litigation["review"]["upheld"] == 8
    assert report.rule_breaks and p not in report.rule_breaks


def test_total_on_the_left_side_is_corrected_the_other_way():
    review = _review()
    review["review"]["total"] = 7  # printed 4
    cid = "review_litigation/review/total"
    (p,) = propose_corrections(_report(_applications(), review, doubtful={cid: 0.5}))
    assert (p.cells, p.found, p.expected) == ((cid,), 7, 4)


def test_confident_values_are_never_proposed():
    review = _review()
    review["review"]["upheld"] = 8
    assert propose_corrections(_report(_applications(), review)) == ()


def test_more_than_one_digit_is_not_a_misread():
    review = _review()
    review["review"]["upheld"] = 25  # 3 → 25 changes the number of digits
    cid = "review_litigation/review/upheld"
    assert propose_corrections(_report(_applications(), review, doubtful={cid: 0.4})) == ()


def test_cell_in_two_rules_must_satisfy_both():
    apps = _applications()
    apps["granted"]["natural_person"] = 18  # printed 13: breaks R3 (its row) and R2 (its column)
    cid = "applications/granted/natural_person"
    report = _report(apps, _review(), doubtful={cid: 0.55})
    assert {f.rule for f in report.rule_breaks} == {"R2", "R3"}
    (p,) = propose_corrections(report)
    assert p.cells == (cid,) and (p.found, p.expected) == (18, 13)
    assert p.rule == "R2/R3" and "R2 and R3" in p.message


def test_correction_that_leaves_another_break_is_not_proposed():
    apps = _applications()
    apps["granted"]["natural_person"] = 18
    # only the row total is doubtful: changing it fixes R3 but leaves R2 of the column broken
    cid = "applications/granted/total"
    assert propose_corrections(_report(apps, _review(), doubtful={cid: 0.3})) == ()


def test_several_doubtful_cells_are_all_offered_and_say_so():
    review = _review()
    review["review"]["upheld"] = 8  # 3 + 1 + 0 + 0 != 4; 8 → 3 fixes it, and so would total 4 → 9
    ids = ["review_litigation/review/upheld", "review_litigation/review/total"]
    props = propose_corrections(_report(_applications(), review, doubtful={ids[0]: 0.7, ids[1]: 0.6}))
    assert [p.cells[0] for p in props] == [ids[1], ids[0]]  # least confident first
    assert {(p.found, p.expected) for p in props} == {(8, 3), (4, 9)}
    assert all("1 other cell could explain" in p.message for p in props)


def test_blank_and_money_are_left_alone():
    review = _review()
    review["review"]["upheld"] = None  # a blank cannot be a misread digit
    cid = "review_litigation/review/upheld"
    report = _report(_applications(), review, doubtful={cid: 0.2})
    assert report.rule_breaks
    assert propose_corrections(report) == ()


@pytest.mark.parametrize("value,new,ok", [(3, 8, True), (10, 16, True), (10, 61, False), (7, 17, False), (0, 0, False)])
def test_one_digit_apart(value, new, ok):
    from govreport.proposals import _one_digit_apart

    assert _one_digit_apart(value, new) is ok


def test_a_count_left_blank_for_a_full_stop_between_its_thousands_is_proposed_whole():
    """OCR reads a thousands separator as a full stop ("276.976"): the count is refused as a
    fraction and left blank, and the rules it breaks say which number it was."""
    apps = _applications()
    for row in ("new_received", "granted", "total"):
        apps[row]["other_organization"] += 276976
        apps[row]["total"] += 276976
    cid = "applications/new_received/other_organization"
    apps["new_received"]["other_organization"] = None
    report = _report(apps, _review(), doubtful={cid: 0.36}, raw={cid: "2 7 6.9\n7 6"})
    prov = dict(report.provenance)
    prov[cid] = Provenance(reader="ocr", location="page 2, table 3", raw="2 7 6.9\n7 6", confidence=0.36,
                           note="fraction-in-count")
    report = Report(format="2019", applications=apps, review_litigation=_review(), provenance=prov,
                    findings=report.findings)
    assert {f.rule for f in report.rule_breaks} == {"R1", "R3"}
    (p,) = propose_corrections(report)
    assert p.proposal and p.cells == (cid,) and (p.found, p.expected) == (None, 276976)
    assert p.rule == "R1/R3" and "thousands separators" in p.message and "left blank" in p.message
    assert report.applications["new_received"]["other_organization"] is None  # the cell stays blank
    # a real fraction, or digits not grouped by threes, is no such misreading
    for raw in ("276.97", "2769.76", "0.5"):
        prov[cid] = Provenance(reader="ocr", location="page 2, table 3", raw=raw, confidence=0.36,
                               note="fraction-in-count")
        report = Report(format="2019", applications=apps, review_litigation=_review(), provenance=prov,
                        findings=report.findings)
        assert propose_corrections(report) == (), raw
