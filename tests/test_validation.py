"""Rules R1–R4 fire exactly when broken, and never change a value."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import govreport
from govreport.validation import check_rules

GOLD = Path(__file__).parent / "data" / "seeds" / "hangu-2019-tabbed.gold.json"


def tables():
    d = json.loads(GOLD.read_text("utf-8"))
    return {t: d[t] for t in ("active_disclosure", "applications", "review_litigation")}


def test_gold_tables_break_no_rule():
    assert check_rules(tables()) == ()


@pytest.mark.parametrize("row,col,rules", [
    ("new_received", "natural_person", {"R1", "R3"}),
    ("carried_forward", "total", {"R1", "R3"}),
    ("granted", "legal_service", {"R2", "R3"}),
    ("withheld.state_secret", "total", {"R2", "R3"}),
    ("total", "commercial_enterprise", {"R1", "R2", "R3"}),
])
def test_one_changed_cell_breaks_the_rules_it_is_in(row, col, rules):
    t = tables()
    t["applications"][row][col] = (t["applications"][row][col] or 0) + 1
    found = check_rules(t)
    assert {f.rule for f in found} == rules
    assert all(f"applications/{row}/{col}" in f.cells for f in found)


def test_review_rule_and_its_numbers():
    t = tables()
    t["review_litigation"]["litigation_direct"]["pending"] = 2
    (f,) = check_rules(t)
    assert f.rule == "R4" and f.severity == "error"
    assert (f.expected, f.found) == (0, 2)
    assert "review_litigation/litigation_direct/total" in f.cells


def test_blank_counts_as_zero_in_rules():
    t = tables()
    for cols in t["applications"].values():
        for c, v in cols.items():
            if v == 0:
                cols[c] = None
    assert check_rules(t) == ()
    t["applications"]["granted"]["natural_person"] = None  # 1 → blank, read as 0: now it breaks
    assert {f.rule for f in check_rules(t)} == {"R2", "R3"}


def test_report_keeps_the_printed_values():
    text = (Path(__file__).parent / "data" / "seeds" / "hangu-2019-tabbed.txt").read_text("utf-8")
    # the first table-B total printed as 1 becomes 5: the report must say so, and keep the 5
    broken = re.sub(r"(\t一、本年新收政府信息公开申请数量\n\t)1", r"\g<1>5", text, count=1)
    assert broken != text
    report = govreport.parse(broken)
    assert report.applications["new_received"]["natural_person"] == 5
    assert {f.rule for f in report.rule_breaks} >= {"R1", "R3"}
