"""Property tests: random valid reports survive every text layout, JSON, and the rules.

* For each text layout, a random valid report (``govreport.testing.reports``) is rendered
  (``render_text``) and parsed back, once with the layout's reader forced and once auto-detected;
  format, tables A/B/C cell by cell (value and blank-ness) and meta must come back as generated.
* ``loads(dumps(r)) == r`` for generated reports, for parsed rendered documents and for the seeds.
* R1–R4 fire exactly when broken: one mutated cell of table B or C gives exactly the findings of the
  equations that cell takes part in (worked out here from FORMAT.md §8, not from the template).
"""

from __future__ import annotations

import datetime
import json
import random
import re
import unicodedata
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

import govreport
from govreport import Money, check_rules
from govreport.labels import label_key
from govreport.template import load_template
from govreport.testing import (
    FORMATS,
    LAYOUTS,
    READER_FOR_LAYOUT,
    as_rendered,
    cell_diffs,
    generate_corpus,
    random_report,
    render_text,
    report_from_seed,
    reports,
)

TABLES = ("active_disclosure", "applications", "review_litigation")
SEED_DIRS = (Path(__file__).parent / "data" / "seeds",)
SEED_DIR = next((d for d in SEED_DIRS if d.is_dir()), None)


# Renderers take a plain Random; Hypothesis draws its seed (st.randoms() would record every call, and
# the OCR noise makes too many for Hypothesis to accept as one input).
RENDER_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def check_layout_roundtrip(report: govreport.Report, layout: str, render_seed: int) -> None:
    note(f"report: {report.source}; render_text(report, {layout!r}, rng=random.Random({render_seed}))")
    text = render_text(report, layout, rng=random.Random(render_seed))
    note(f"rendered {layout} document:\n{text}")
    expected = as_rendered(report, layout)
    reader = READER_FOR_LAYOUT[layout]
    forced = govreport.parse(text, reader=reader)
    assert cell_diffs(expected, forced) == [], f"reader {reader!r} forced"
    auto = govreport.parse(text)
    assert auto.reader == reader, f"auto-detection chose {auto.reader!r} for the {layout} layout"
    assert cell_diffs(expected, auto) == [], "reader auto-detected"
    # the parse is valid and consistent: no rule breaks, and its full JSON round-trips
    assert auto.rule_breaks == ()
    assert govreport.loads(govreport.dumps(auto)) == auto


# ------------------------------------------------------------------------------- layouts

@given(report=reports(), render_seed=RENDER_SEEDS)
def test_tabbed_roundtrip(report, render_seed):
    check_layout_roundtrip(report, "tabbed", render_seed)


@given(report=reports(), render_seed=RENDER_SEEDS)
def test_vertical_roundtrip(report, render_seed):
    check_layout_roundtrip(report, "vertical", render_seed)


@given(report=reports(), render_seed=RENDER_SEEDS)
def test_pipe_roundtrip(report, render_seed):
    check_layout_roundtrip(report, "pipe", render_seed)


# The OCR layout prints a blank as 0 (the reader drops empty cells); as_rendered says so.
@given(report=reports(), render_seed=RENDER_SEEDS)
def test_ocr_roundtrip(report, render_seed):
    check_layout_roundtrip(report, "ocr", render_seed)


PIPE_BLANK = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n|\n信息内容\n|\n本年新制作数量\n|\n本年新公开数量\n|\n"
    "对外公开总数量\n|\n规章\n|\n\n|\n5\n|\n7\n|\n"
)


def test_pipe_blank_cell_is_read_as_blank():
    # a blank cell is an empty line before its '|': dropping it would shift the row's values left
    r = govreport.parse(PIPE_BLANK, reader="pipe")
    assert dict(r.active_disclosure["regulations"]) == {"new_made": None, "new_published": 5, "total_published": 7}


def test_pipe_without_blank_reads_in_place():
    """The control for the test above: the same document with the blank printed as 0."""
    r = govreport.parse(PIPE_BLANK.replace("规章\n|\n\n|", "规章\n|\n0\n|"), reader="pipe")
    assert dict(r.active_disclosure["regulations"]) == {"new_made": 0, "new_published": 5, "total_published": 7}


# ------------------------------------------------------------------------------- the generator

def _template_shape(fmt: str) -> dict[str, dict[str, tuple[str, ...]]]:
    t = load_template()
    shape = {}
    for name in TABLES:
        spec = t.tables[name]
        shape[name] = {r.key: r.columns_for(fmt, spec.default_columns) for r in spec.rows_for(fmt)}
    return shape


@given(report=reports())
def test_reports_are_valid_and_complete(report):
    fmt = report.format
    assert fmt in FORMATS
    assert check_rules({t: getattr(report, t) for t in TABLES}) == ()
    for name, rows in _template_shape(fmt).items():
        table = getattr(report, name)
        assert list(table) == list(rows), name
        for r, cols in rows.items():
            assert tuple(table[r]) == cols, f"{name}/{r}"
    for t in TABLES:
        for r, cols in getattr(report, t).items():
            for c, v in cols.items():
                if c == "amount":
                    assert v is None or isinstance(v, Money)
                    if v is not None:
                        assert re.fullmatch(r"\d+(\.\d+)?", v.value)
                        assert v.unit in ((None, "万元", "元") if fmt == "2019" else ("万元",))
                elif v is not None:
                    assert type(v) is int
                    assert v >= 0 or c == "change", f"{t}/{r}/{c} = {v}"
                    if "total" not in (r, c) and r not in ("new_received", "carried_over"):  # drawn, not derived
                        assert abs(v) < 10**6, f"{t}/{r}/{c} = {v}"
    m = report.meta
    assert re.fullmatch(r"[\u4e00-\u9fff]+(街道办事处|人民政府|局)", m.agency)
    assert 2019 <= m.year <= 2025
    assert m.published is None or m.published.year == m.year + 1


@given(report=reports(formats=("2021",), blanks=False))
def test_reports_honour_formats_and_blanks(report):
    assert report.format == "2021"
    assert None not in [v for t in TABLES for cols in getattr(report, t).values() for v in cols.values()]


def test_generator_covers_the_interesting_cases():
    """Over a fixed set of seeds: blanks, large counts, negative changes, both formats, every money
    unit, published and unpublished, reports without any blank."""
    rs = [random_report(random.Random(i)) for i in range(300)]
    cells = [(t, r, c, v) for rep in rs for t in TABLES for r, cols in getattr(rep, t).items() for c, v in cols.items()]
    assert {rep.format for rep in rs} == set(FORMATS)
    blank_share = sum(v is None for *_, v in cells) / len(cells)
    assert 0.01 < blank_share < 0.25, blank_share
    assert any(isinstance(v, int) and v >= 100_000 for *_, v in cells)
    assert any(c == "change" and isinstance(v, int) and v < 0 for _, _, c, v in cells)
    assert {v.unit for *_, v in cells if isinstance(v, Money)} == {None, "万元", "元"}
    assert any(rep.meta.published for rep in rs) and any(not rep.meta.published for rep in rs)
    assert any(all(v is not None for t in TABLES for cols in getattr(rep, t).values() for v in cols.values()) for rep in rs)
    assert all(v is not None for rep in (random_report(random.Random(i), blanks=False) for i in range(50))
               for t in TABLES for cols in getattr(rep, t).values() for v in cols.values())


def test_random_report_is_deterministic():
    for i in range(20):
        assert random_report(random.Random(i)) == random_report(random.Random(i))
    assert random_report(random.Random(1)) != random_report(random.Random(2))


@given(report=reports())
def test_report_from_seed_rebuilds_the_example(report):
    rebuilt = eval(report.source, {"govreport": govreport})  # noqa: S307 - our own recorded call
    assert rebuilt == report


# ------------------------------------------------------------------------------- rendering

@pytest.mark.parametrize("layout", LAYOUTS)
def test_render_is_deterministic(layout):
    r = random_report(random.Random(7))
    assert render_text(r, layout, rng=random.Random(3)) == render_text(r, layout, rng=random.Random(3))
    assert render_text(r, layout) == render_text(r, layout)  # rng=None: a fixed seed


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rendered_document_has_the_seed_shape(layout):
    r = random_report(random.Random(11), "2021")
    r = attrs.evolve(r, meta=attrs.evolve(r.meta, published=datetime.date(2024, 1, 5)))
    text = render_text(r, layout, rng=random.Random(0))
    # OCR noise spaces and breaks labels: compare its labels in normalised form
    key = label_key if layout == "ocr" else (lambda x: x)
    # (tabbed and pipe wrap long headers over lines: 本年制 / 发件数)
    flat = "".join(label_key(line) for line in text.split("\n")) if layout == "ocr" else text.replace("\n", "")
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in text.split("\n")
    for block in "一五六八":
        assert re.search(rf"第二十条第[（(]{block}[）)]项", text)
    assert "第二十条第（九）项" not in text and "采购总金额" not in text  # 2019 only
    for label in ("本年收费金额", "行政规范性文件", "本年制发件数", "申请人无正当理由逾期不补正", "结转下年度继续办理"):
        assert key(label) in flat, label
    assert r.meta.agency in text.split("\n")[0].replace(" ", "") or r.meta.agency in "".join(text.split("\n")[:2])
    assert str(r.meta.year) in text.split("\n")[0] + text.split("\n")[1]
    assert text.rstrip("\n").split("\n")[-1] in ("2024年1月5日", "二〇二四年一月五日", "2024-01-05")
    if layout == "vertical":
        assert "\t结\n果\n维\n持\n" in text and "\t尚\n未\n审\n结\n" in text
    else:
        assert "\t结\n果" not in text
    if layout == "pipe":
        assert text.count("\n|\n") >= 150
    if layout in ("tabbed", "vertical"):
        assert all(line == "" or line.startswith("\t") or "\t" not in line for line in text.split("\n"))


def test_blank_cells_render_empty_not_zero():
    r = random_report(random.Random(5), "2019", activity=0.9, blank_rate=0.0)
    assert r.applications["granted"]["natural_person"] is not None
    blanked = attrs.evolve(r, applications={**r.applications,
                                            "granted": {**r.applications["granted"], "natural_person": None}})
    for layout in ("tabbed", "vertical"):
        text = render_text(blanked, layout, rng=random.Random(0))
        first_value = text[text.index("（一）予以公开"):].split("\n")[1]
        assert first_value.startswith("\t") and first_value.strip("\t \xa0") == "", repr(first_value)
    text = render_text(blanked, "pipe", rng=random.Random(0))
    assert text[text.index("（一）予以公开"):].split("\n")[1:4] == ["|", "", "|"]
    # the OCR layout cannot print a blank: it prints 0, and as_rendered says so
    text = render_text(blanked, "ocr", rng=random.Random(0))
    line = next(x for x in text.split("\n") if "予以公开" in x.replace(" ", "").replace("\t", ""))
    values = [c for c in line.split("\t") if re.fullmatch(r"\d+|O", c.strip())]
    assert values[0] in ("0", "O")
    assert as_rendered(blanked, "ocr").applications["granted"]["natural_person"] == 0
    assert as_rendered(blanked, "tabbed") is blanked


def test_unknown_layout_and_format_are_refused():
    r = random_report(random.Random(0))
    with pytest.raises(ValueError):
        render_text(r, "docx")
    with pytest.raises(ValueError):
        random_report(random.Random(0), "2021", legacy=True)  # the legacy table comes with 2019 only
    with pytest.raises(ValueError):
        random_report(random.Random(0), "legacy")
    with pytest.raises(ValueError):
        reports(formats=("2018",))


# ------------------------------------------------------------------------------- OCR noise model

def _ocr_texts(n: int = 40) -> list[str]:
    return [render_text(random_report(random.Random(i), blanks=False), "ocr", rng=random.Random(i)) for i in range(n)]


def test_ocr_noise_kinds_all_occur():
    texts = _ocr_texts()
    lines = [line for t in texts for line in t.split("\n")]
    cells = [[c for c in line.split("\t")] for line in lines if "\t" in line]
    data_rows = [line for line in lines if re.search(r"[\u4e00-\u9fff]", line) and re.search(r"\t\d", line)]
    assert any(re.search(r"\d\t\t\d", line) for line in data_rows), "doubled tabs between values"
    assert any(re.search(r"\d\t+$", line) for line in data_rows), "trailing tabs"
    assert any("(一)" in line for line in lines) and any("（一）" in line for line in lines), "bracket widths"
    assert any(re.search(r"\d\. [\u4e00-\u9fff]", line) for line in lines), "space after numbering"
    assert any("\tO" in line or line.startswith("O\t") for line in lines), "letter O for 0"
    garbage = [row for row in cells if not any(re.search(r"[\u4e00-\u9fff]", c) for c in row)
               and any(c.strip() and not re.search(r"\d", c) for c in row) and any(re.search(r"\d", c) for c in row)
               and len([c for c in row if c.strip()]) < 15]
    assert garbage, "garbage row before table C"
    known = {k for r in load_template().tables["applications"].rows for k in r.labels if len(k) >= 6}
    split = [row for row in cells
             if any(label_key(a) + label_key(b) in known and label_key(b) not in known
                    for a, b in zip([c for c in row if c.strip()], [c for c in row if c.strip()][1:]))]
    assert split, "labels broken across two cells"
    margin = [row for row in cells if row and len(row[0].strip()) == 1 and len(row) > 3
              and re.search(r"[\u4e00-\u9fff]{2}", row[1] + (row[2] if len(row) > 2 else ""))]
    assert margin, "margin marks"
    assert any(re.search(r"(予以|不予|无法|其他)\S* 1\.", line) or re.search(r"\) 1\.|） 1\.", line) for line in lines), \
        "group and item label merged in one cell"


@pytest.mark.parametrize("fmt", FORMATS)
def test_ocr_noise_never_touches_a_number(fmt):
    """Every value of the report appears, in order, among the OCR rows' numeric cells."""
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKC", s).replace(",", "")
        return s.replace("O", "0").replace("增加", "").replace("+", "").replace("减少", "-")

    def shown(v) -> str:
        return f"{v.value}{v.unit or ''}" if isinstance(v, Money) and fmt == "2019" else \
            v.value if isinstance(v, Money) else str(v)

    for i in range(20):
        r = random_report(random.Random(i), fmt, blanks=False)
        text = render_text(r, "ocr", rng=random.Random(i))
        printed = [norm(c.strip()) for line in text.split("\n") if "\t" in line for c in line.split("\t")
                   if re.fullmatch(r"\s*([+\-]|增加|减少)?[\d,０-９]+(\.\d+)?(万元|元)?\s*|O", c)]
        values = [shown(v) for t in TABLES for cols in getattr(r, t).values() for v in cols.values()]
        it = iter(printed)
        assert all(any(p == v for p in it) for v in values), f"seed {i}"


# ------------------------------------------------------------------------------- corpora

def _gold_of(p: Path) -> Path:
    return p.with_name(p.name.split(".")[0] + ".gold.json")


def test_generate_corpus_is_deterministic(tmp_path):
    a = generate_corpus(8, 42, tmp_path / "a", kinds=("txt",))
    b = generate_corpus(8, 42, tmp_path / "b", kinds=("txt",))
    c = generate_corpus(8, 43, tmp_path / "c", kinds=("txt",))
    assert [p.name for p in a] == [p.name for p in b]
    assert len(a) == 8 and {p.name.split("-")[3] for p in a} == set(LAYOUTS)
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes()
        assert _gold_of(pa).read_bytes() == _gold_of(pb).read_bytes()
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    # the first documents do not depend on n
    assert [p.read_bytes() for p in generate_corpus(3, 42, tmp_path / "d", kinds=("txt",))] == [p.read_bytes() for p in a[:3]]
    for p in a:
        gold = json.loads(_gold_of(p).read_text("utf-8"))
        assert set(gold) - {"legacy_statistics"} == {"schema", "format", "meta", *TABLES}
        assert ("legacy_statistics" in gold) == ("-legacy" in p.name)
        if p.name.split("-")[3] == "ocr":
            assert None not in [v for t in TABLES for cols in gold[t].values() for v in cols.values()]


@pytest.mark.parametrize("layouts", [("tabbed", "vertical", "ocr"), ("pipe",)])
def test_generate_corpus_reads_back_as_its_gold(tmp_path, layouts):
    for p in generate_corpus(6, 7, tmp_path, layouts=layouts, kinds=("txt",)):
        gold = govreport.report_from_dict(json.loads(_gold_of(p).read_text("utf-8")))
        parsed = govreport.parse(p)
        assert parsed.reader == READER_FOR_LAYOUT[p.name.split("-")[3]]
        assert cell_diffs(gold, parsed) == [], p.name
        assert sorted(f.rule for f in parsed.rule_breaks) == sorted(f.rule for f in check_rules(
            {t: getattr(gold, t) for t in TABLES}))


def test_generate_corpus_refuses_unknown_kinds(tmp_path):
    with pytest.raises(ValueError):
        generate_corpus(1, 0, tmp_path, kinds=("txt", "rtf"))
    with pytest.raises(ValueError):
        generate_corpus(1, 0, tmp_path, kinds=())


# ------------------------------------------------------------------------------- JSON

@given(report=reports())
def test_json_roundtrip_generated(report):
    assert govreport.loads(govreport.dumps(report)) == report
    slim = govreport.loads(govreport.dumps(report, full=False))
    assert slim == attrs.evolve(report, source=None)


@pytest.mark.skipif(SEED_DIR is None, reason="no seed fixtures found")
@pytest.mark.parametrize("name", ["bureau-2019-pipe", "hangu-2019-tabbed", "langxia-2019-legacy",
                                  "qingquan-2019-ocr", "xinwei-2020-vertical"])
def test_json_roundtrip_parsed_seed(name):
    r = govreport.parse(SEED_DIR / f"{name}.txt")
    assert r.provenance and r.sections  # the full form has something to round-trip
    back = govreport.loads(govreport.dumps(r))
    assert back == r
    assert govreport.dumps(back) == govreport.dumps(r)


# ------------------------------------------------------------------------------- rules

# FORMAT.md §8, written out independently of the template's rule data.
R1_ROWS = {"new_received", "carried_over", "total", "carried_forward"}
R2_PREFIXES = ("total", "granted", "partially_granted", "withheld.", "unable.", "not_processed.", "other")


def expected_breaks(table: str, row: str, col: str) -> set[tuple[str, str]]:
    if table == "review_litigation":
        return {("R4", f"row {row}")}
    out = {("R3", f"row {row}")}
    if row in R1_ROWS:
        out.add(("R1", f"column {col}"))
    if row.startswith(R2_PREFIXES) and row not in ("carried_over", "carried_forward"):
        out.add(("R2", f"column {col}"))
    return out


def scope(f: govreport.Finding) -> str:
    rows = {c.split("/")[1] for c in f.cells}
    cols = {c.split("/")[2] for c in f.cells}
    if f.rule in ("R1", "R2"):
        assert len(cols) == 1, f.cells
        return f"column {cols.pop()}"
    assert len(rows) == 1, f.cells
    return f"row {rows.pop()}"


@given(report=reports(), data=st.data())
def test_rules_fire_exactly_when_broken(report, data):
    tables = {t: getattr(report, t) for t in TABLES}
    assert check_rules(tables) == ()
    table = data.draw(st.sampled_from(["applications", "review_litigation"]), label="table")
    rows = tables[table]
    row = data.draw(st.sampled_from(list(rows)), label="row")
    col = data.draw(st.sampled_from(list(rows[row])), label="column")
    old = rows[row][col]
    new = data.draw(st.none() | st.integers(min_value=-5, max_value=10**6), label="new value")
    assume((new or 0) != (old or 0))  # blanks count as 0: None → 0 is no break
    mutated = {r: dict(cols) for r, cols in rows.items()}
    mutated[row][col] = new
    broken = attrs.evolve(report, **{table: mutated})
    findings = check_rules({t: getattr(broken, t) for t in TABLES})
    assert sorted((f.rule, scope(f)) for f in findings) == sorted(expected_breaks(table, row, col))
    cid = f"{table}/{row}/{col}"
    for f in findings:
        assert cid in f.cells and f.expected != f.found and f.severity == "error" and not f.proposal
    # and the parsed report says the same: a rendered broken report reads back with the same breaks
    if table == "applications" and new is not None and new >= 0:
        parsed = govreport.parse(render_text(broken, "tabbed", rng=random.Random(0)), reader="tabbed")
        assert sorted((f.rule, scope(f)) for f in parsed.rule_breaks) == sorted(expected_breaks(table, row, col))


def test_rules_need_a_printed_value():
    """A wholly blank equation is not checked; one printed value that does not balance is a break."""
    r = report_from_seed(3, "2019", activity=0.05, blank_rate=0.0)
    apps = {k: {c: None for c in cols} for k, cols in r.applications.items()}
    assert check_rules({"applications": apps}) == ()
    apps["granted"]["natural_person"] = 2
    assert sorted(f.rule for f in check_rules({"applications": apps})) == ["R2", "R3"]
