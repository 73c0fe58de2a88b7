"""Every seed report reads to its hand-checked gold answer, through every entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import govreport

DATA = Path(__file__).parent / "data" / "seeds"
SEEDS = sorted(p for p in DATA.glob("*.txt"))
EXPECTED_READER = {"hangu": "tabbed", "bureau": "pipe", "qingquan": "ocr_text", "xinwei": "vertical", "langxia": "tabbed"}


def gold(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))


def test_seed_fixtures_present():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_gold(path):
    report = govreport.parse(path)
    assert report.to_dict(full=False) == gold(path)
    assert report.rule_breaks == ()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_reader_choice(path):
    assert govreport.parse(path).reader == EXPECTED_READER[path.stem.split("-")[0]]


@pytest.mark.parametrize("path", SEEDS[:2], ids=lambda p: p.stem)
def test_bytes_and_text_give_the_same_report(path):
    by_path = govreport.parse(path).to_dict(full=False)
    assert govreport.parse(path.read_bytes()).to_dict(full=False) == by_path
    assert govreport.parse(path.read_text("utf-8")).to_dict(full=False) == by_path


def test_gb18030_text_is_decoded():
    path = DATA / "hangu-2019-tabbed.txt"
    data = path.read_text("utf-8").encode("gb18030")
    assert govreport.parse(data).to_dict(full=False) == gold(path)


def test_cli_parse_prints_gold(tmp_path):
    path = DATA / "bureau-2019-pipe.txt"
    out = subprocess.run([sys.executable, "-m", "govreport", "parse", "--tables-only", str(path)],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == gold(path)


def test_every_value_has_provenance():
    report = govreport.parse(DATA / "qingquan-2019-ocr.txt")
    for cell in report.cells():
        if cell.value is not None:
            assert cell.provenance is not None, cell
            assert cell.provenance.reader == "ocr_text"
            assert cell.provenance.location.startswith("line ")
            assert 0 < cell.provenance.confidence <= 1
    prov = report.provenance_of("active_disclosure", "centralized_procurement", "amount")
    assert prov is not None and prov.raw.strip() == "5965713"


def test_blank_is_not_zero():
    report = govreport.parse(DATA / "hangu-2019-tabbed.txt")
    review = report.review_litigation["review"]
    assert review["upheld"] is None
    assert report.table("review_litigation", blank=0)["review"]["upheld"] == 0
    assert report.review_litigation["litigation_after_review"]["total"] == 0


def test_sections_found_by_content():
    report = govreport.parse(DATA / "xinwei-2020-vertical.txt")
    keys = [s.key for s in report.sections if s.key]
    assert keys[:4] == ["overview", "active_disclosure", "applications", "review_litigation"]
    assert report.sections[2].number == "3"


def test_money_unit_from_the_cell():
    report = govreport.parse(DATA / "bureau-2019-pipe.txt")
    amount = report.active_disclosure["centralized_procurement"]["amount"]
    assert amount == govreport.Money(value="160.5964", unit="万元")


def test_ocr_noise_is_reported_not_hidden():
    report = govreport.parse(DATA / "qingquan-2019-ocr.txt")
    assert any(f.rule == "noise-skipped" for f in report.findings)
