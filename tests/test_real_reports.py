"""Reports exactly as agencies published them or crawlers archived them (tests/data/real, copied
from the shared fixtures with their hand-checked gold): the only material no one here made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import govreport

DATA = Path(__file__).parent / "data" / "real"
DOCS = sorted(p for p in DATA.iterdir() if p.suffix in (".pdf", ".txt"))
TABLES = ("active_disclosure", "applications", "review_litigation")


def gold(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))


def cells(d: dict) -> dict:
    return {(t, r, c): v for t in TABLES for r, cols in (d.get(t) or {}).items() for c, v in cols.items()}


def test_real_fixtures_present():
    assert len(DOCS) == 3


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_real_report_matches_gold_except_undecidable_cells(path):
    report = govreport.parse(path)
    got, want = cells(report.to_dict(full=False)), cells(gold(path))
    assert report.to_dict(full=False)["meta"] == gold(path)["meta"]
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    ambiguous = {c for f in report.findings if f.rule == "split-ambiguous" for c in f.cells}
    # a cell may differ from the gold only by being blank, and only where a finding says why
    for (t, r, c), (have, _) in wrong.items():
        assert have is None and f"{t}/{r}/{c}" in ambiguous, (t, r, c)
    assert len(wrong) <= 3


def test_crawled_run_together_split_only_where_unique():
    report = govreport.parse(DATA / "pingtan-2025-crawled.txt")
    assert report.reader == "runon"
    assert report.format == "2021"
    # no rule ties issued / repealed / in force: fifteen splits, none chosen
    row = report.active_disclosure["normative_documents"]
    assert list(row.values()) == [None, None, None]
    [finding] = [f for f in report.findings if f.rule == "split-ambiguous"]
    assert finding.found == "5845546" and ["58", "45", "546"] in finding.expected
    # fifteen cuts leave no cell blank, and they are listed first (a blank leaves nothing in a run)
    assert sum(1 for c in finding.expected if all(c)) == 15 and all(all(c) for c in finding.expected[:15])
    # a split value says it was split, and by which rules
    prov = report.provenance_of("applications", "unable.not_held", "natural_person")
    assert prov.raw == "49" and "491000050" in prov.note and "R3" in prov.note
    assert report.applications["unable.not_held"]["total"] == 50
    assert not report.rule_breaks
    # the crawler's page fields are not the report's: posting time is no signature date
    assert report.meta.published is None


def test_2021_table_with_the_2019_single_other_row():
    report = govreport.parse(DATA / "hongze-2023.pdf")
    assert report.applications["other.other"]["total"] == 0
    assert report.applications["other.no_fee"]["total"] is None
    assert any(f.rule == "older-row" for f in report.findings)
    # the two R4 breaks are printed that way: reported, not mended
    assert sorted(f.rule for f in report.rule_breaks) == ["R4", "R4"]
