from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

import govreport
from govreport.model import Finding, Meta, Money, Provenance, Report

SEEDS = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_round_trip_parsed(path):
    report = govreport.parse(path)
    again = govreport.loads(govreport.dumps(report))
    assert again == report
    assert again.provenance == report.provenance and again.findings == report.findings


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_gold_files_load(path):
    gold = path.with_name(path.stem + ".gold.json").read_text("utf-8")
    assert govreport.loads(gold).to_dict(full=False) == json.loads(gold)


def test_round_trip_by_hand():
    r = Report(format="2021", meta=Meta(agency="某局", year=2022, published=datetime.date(2023, 1, 31)),
               active_disclosure={"administrative_fees": {"amount": Money("1.5", "万元")}},
               applications={"total": {"total": None}},
               findings=(Finding(rule="R1", severity="error", message="m", cells=("a/b/c",), expected=1, found=2),),
               provenance={"a/b/c": Provenance(reader="x", location="page 1", raw="1", confidence=0.5)})
    d = r.to_dict()
    assert d["meta"]["published"] == "2023-01-31"
    assert d["active_disclosure"]["administrative_fees"]["amount"] == {"value": "1.5", "unit": "万元"}
    assert govreport.loads(govreport.dumps(r, indent=2)) == r


def test_report_is_immutable():
    r = govreport.parse(SEEDS[0])
    with pytest.raises(Exception):
        r.format = "2021"  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.applications["total"]["total"] = 5  # type: ignore[index]
