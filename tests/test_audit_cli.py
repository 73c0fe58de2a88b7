"""``govreport audit`` and ``govreport compare`` as a user runs them, on the real fixtures and on a
generated series; and docs/audit.md documents every rule id."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest

from govreport.audit import rule_catalogue
from govreport.audit.cli import register
from govreport.testing.series import main as write_series

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
OFFICE = DATA / "office"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"  # beside the project, as CI lays it


def run(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="govreport")
    sub = ap.add_subparsers(dest="command", required=True)
    register(sub)
    args = ap.parse_args(argv)
    return int(args.func(args))


def audit_json(paths, capsys, *extra) -> tuple[int, dict]:
    code = run(["audit", "--json", *extra, *map(str, paths)])
    out = capsys.readouterr().out
    return code, json.loads(out)


def findings_by_file(data: dict) -> dict[str, list[str]]:
    return {Path(r["source"]).name + ("" if "seeds" not in r["source"] else " (seed)"): [f["rule"] for f in r["findings"]]
            for r in data["reports"] if r["findings"]}


# ------------------------------------------------------------------------------ the real fixtures

# Every finding on the fixtures, each checked against the document:
# * hangu-2019-tabbed.txt ends with section 五; it has no 六、其他需要报告的事项 (the .docx has one: 无。)
# * bureau-2019-pipe.* start at 一、总体情况 with no title and no signature; the body is only "我局"
EXPECTED = {
    "hangu-2019-tabbed.txt (seed)": ["C-SECTION-MISSING"],
    "bureau-2019-pipe.txt (seed)": ["C-AGENCY-MISSING"],
    "bureau-2019-pipe.docx": ["C-AGENCY-MISSING"],
    "bureau-2019-pipe.html": ["C-AGENCY-MISSING"],
}


def office_fixtures() -> list[Path]:
    """The office fixtures to audit: all of them, but the one .doc only where LibreOffice can read it."""
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return [OFFICE]
    return [p for p in sorted(OFFICE.iterdir()) if p.suffix != ".doc" and not p.name.endswith(".gold.json")]


def test_audit_of_the_fixtures_reports_exactly_the_known_problems(capsys):
    inputs = office_fixtures()
    code, data = audit_json([SEEDS, *inputs], capsys)
    assert findings_by_file(data) == EXPECTED
    audited = {Path(r["source"]).name for r in data["reports"]}
    assert {"bureau-2019-pipe.docx", "hangu-2019-tabbed.page.html", "xinwei-2020-vertical.rtf"} <= audited
    assert ("linjiang-2022-synthetic.doc" in audited) == (inputs == [OFFICE])
    assert code == 1  # an error-level finding (the missing section)
    hangu = next(r for r in data["reports"] if r["source"].endswith("seeds/hangu-2019-tabbed.txt"))
    (f,) = hangu["findings"]
    assert "六、其他需要报告的事项" in f["message"] and f["severity"] == "error"
    # statements read and agreeing are listed with their evidence
    qq = next(r for r in data["reports"] if r["source"].endswith("seeds/qingquan-2019-ocr.txt"))
    assert {(s["rule"], s["status"], s["matched"]) for s in qq["statements"]} == {
        ("A-TEXT-NEW-RECEIVED", "agrees", "未接到相关申请"),
        ("A-TEXT-REVIEW-LITIGATION", "agrees", "未涉及因政府信息公开申请提起行政复议、行政诉讼")}
    assert data["pairs"] == []  # no body has two consecutive years among the fixtures


@pytest.mark.skipif(not SHARED.exists(), reason="shared fixtures not present")
def test_audit_of_the_shared_fixtures(capsys):
    code, data = audit_json([SHARED / "seeds", SHARED / "office"], capsys)
    got = findings_by_file(data)
    assert got == {"hangu-2019-tabbed.txt (seed)": ["C-SECTION-MISSING"], "bureau-2019-pipe.txt (seed)": ["C-AGENCY-MISSING"],
                   "bureau-2019-pipe.docx": ["C-AGENCY-MISSING"], "bureau-2019-pipe.html": ["C-AGENCY-MISSING"],
                   "bureau-2019-pipe.pdf": ["C-AGENCY-MISSING"]}


def test_terminal_output_groups_by_report_and_severity(capsys):
    code = run(["audit", str(SEEDS)])
    out = capsys.readouterr().out
    assert code == 1
    block = out[out.index("hangu-2019-tabbed.txt"):]
    assert block.splitlines()[1] == "  ERROR (1)"
    assert "C-SECTION-MISSING" in block
    assert "no finding:" in out and "qingquan-2019-ocr.txt" in out
    assert run(["audit", "--min-severity", "error", "--fail-on", "never", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "C-AGENCY-MISSING" not in out and "C-SECTION-MISSING" in out


def test_verbose_and_statements(capsys):
    run(["audit", "-v", "--statements", str(SEEDS / "qingquan-2019-ocr.txt"), str(SEEDS / "hangu-2019-tabbed.txt")])
    out = capsys.readouterr().out
    assert "[agrees] A-TEXT-NEW-RECEIVED" in out
    assert "· meta: sections" in out


def test_unreadable_input_is_reported_and_the_rest_audited(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("")
    shutil.copy(SEEDS / "xinwei-2020-vertical.txt", tmp_path)
    code = run(["audit", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "empty.txt: not audited" in err and "xinwei-2020-vertical.txt" in out


def test_bad_alias_file_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "a.toml"
    bad.write_text("not toml [")
    assert run(["audit", "--aliases", str(bad), str(SEEDS)]) == 3
    assert "--aliases" in capsys.readouterr().err


def test_json_inputs(tmp_path, capsys):
    from govreport import dumps, parse

    full = tmp_path / "hangu.json"
    full.write_text(dumps(parse(SEEDS / "hangu-2019-tabbed.txt")), "utf-8")
    run(["audit", "--json", str(full), str(SEEDS / "hangu-2019-tabbed.gold.json")])
    out, err = capsys.readouterr()
    data = json.loads(out)
    # the full JSON has the sections: 六 is missing; the gold file has none: not checked, and said so
    assert [[f["rule"] for f in r["findings"]] for r in data["reports"]] == [["C-SECTION-MISSING"], []]
    assert "hangu-2019-tabbed.gold.json: no sections" in err


# ------------------------------------------------------------------------------ a generated series


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    out = tmp_path_factory.mktemp("series")
    write_series([str(out), "--seed", "11", "--start", "2020", "--plant", "section-removed@2020",
                  "--plant", "prose-off-by-one@2021", "--plant", "carried-over@2022", "--plant", "in-force@2022"])
    return out


def test_audit_of_a_series_reports_exactly_the_planted_problems(series, capsys):
    code, data = audit_json([series], capsys)
    manifest = json.loads((series / "planted.json").read_text("utf-8"))
    want = sorted((m["year"], p["rule"], c) for m in manifest for p in m["planted"]
                  for c in (p["cells"] if p["rule"] == "R5" else [None]))
    got = sorted((r["year"], f["rule"], f["cells"][0] if f["rule"] == "R5" else None)
                 for r in data["reports"] for f in r["findings"])
    assert got == want and code == 1
    assert [(Path(p["old"]).name[:9], Path(p["new"]).name[:9]) for p in data["pairs"]] == [
        ("year-2020", "year-2021"), ("year-2021", "year-2022")]
    r5 = next(f for r in data["reports"] for f in r["findings"] if f["rule"] == "R5")
    assert [e["kind"] for e in r5["evidence"]] == ["table", "table"]
    assert {Path(e["report"]).name[:9] for e in r5["evidence"]} == {"year-2021", "year-2022"}


def test_compare_table_json_markdown(series, capsys):
    old, new = sorted(series.glob("year-2021-*.txt"))[0], sorted(series.glob("year-2022-*.txt"))[0]
    code = run(["compare", str(old), str(new)])
    out = capsys.readouterr().out
    assert code == 1  # the planted R5 break is shown below the table
    assert "收到和处理政府信息公开申请情况 (applications)" in out
    assert re.search(r"cell\s+2021\s+2022\s+change\s+% change", out)
    assert "year-over-year checks (R5…):" in out and "ERROR R5" in out

    run(["compare", "--json", str(old), str(new)])
    data = json.loads(capsys.readouterr().out)
    assert data["consecutive"] and data["same_body"]
    row = next(r for r in data["rows"] if r["cell"] == "applications/new_received/total")
    assert set(row) >= {"old", "new", "change", "pct_change", "label"}
    assert row["change"] == row["new"] - row["old"]

    run(["compare", "--markdown", "--changed", str(old), str(new)])
    md = capsys.readouterr().out
    assert md.startswith("# Year over year:")
    assert "| cell | key | 2021 | 2022 | change | % change |" in md
    assert "## Year-over-year checks" in md


def test_compare_of_unrelated_reports_says_so(capsys):
    code = run(["compare", str(SEEDS / "hangu-2019-tabbed.txt"), str(SEEDS / "xinwei-2020-vertical.txt")])
    out = capsys.readouterr().out
    assert code == 0
    assert "do not name the same body" in out
    assert "year-over-year checks" not in out  # consecutive years, but two bodies: not checked


# ------------------------------------------------------------------------------ docs


def test_docs_list_every_rule_id():
    doc = (ROOT / "docs" / "audit.md").read_text("utf-8")
    missing = [rid for rid in rule_catalogue() if f"`{rid}`" not in doc]
    assert missing == []
    from govreport.audit.phrases import load_phrases

    for spec in load_phrases().claims:  # also the statements read but never compared
        assert f"`{spec.id}`" in doc


def test_wired_into_govreport_cli():
    from govreport import cli

    parser = cli.build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"audit", "compare"} <= set(subs.choices)  # removing a command must not go unnoticed
    assert cli.main(["audit", "--fail-on", "never", str(SEEDS / "xinwei-2020-vertical.txt")]) == 0
