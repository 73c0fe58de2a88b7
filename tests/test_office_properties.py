"""Property tests for the office renderers: random valid reports survive Word, HTML and PDF.

* A random valid report (``govreport.testing.reports``) rendered with ``render_docx`` or
  ``render_html`` and parsed back from its bytes gives the same format, tables A/B/C cell by cell
  (value and blank-ness), meta and no rule break (the comparison is ``govreport.testing.cell_diffs``,
  shared with ``test_properties.py``).
* Reports carrying the legacy 统计指标 / 单位 / 统计数 table come back with it, in every text layout,
  in Word and in HTML.
* The Word tables are merged as the national format's (``w:gridSpan``/``w:vMerge`` row by row as in
  the office fixtures); the HTML tables mirror them with ``colspan``/``rowspan``.
* A generated corpus of text, Word and HTML documents reads back to its gold exactly, and the
  documents printed with a rule broken carry exactly the R* findings of the printed numbers.
* PDF (LibreOffice): a few generated reports read back exactly; skipped, saying why, when
  LibreOffice (``soffice``) is not installed (CI installs it).
* Reader bugs these renderers found are kept as plain tests of minimal inputs (they pass since the
  fixes). The one known loss still open — a generated PDF whose page geometry merges two columns of
  table 三 — is a strict xfail (it fails loudly once fixed), beside a test that its cells are left
  blank with findings, never shifted.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import re
import zipfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import govreport
from govreport import check_rules
from govreport.errors import MissingDependency
from govreport.testing import (
    LAYOUTS,
    READER_FOR_LAYOUT,
    as_rendered,
    cell_diffs,
    corpus_report,
    generate_corpus,
    random_report,
    render_docx,
    render_html,
    render_pdf,
    render_text,
    reports,
    with_rule_break,
)
from govreport.testing.pdf import convert_to_pdf, soffice

TABLES = ("active_disclosure", "applications", "review_litigation")
FIXTURES = Path(__file__).parent / "data" / "office"
NO_SOFFICE = "LibreOffice (soffice) is not installed: PDF rendering cannot be tested here (CI installs it)"
needs_soffice = pytest.mark.skipif(soffice() is None, reason=NO_SOFFICE)

# Renderers take a plain Random; Hypothesis draws its seed.
RENDER_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
# parsing a Word document takes ~50 ms: half the examples of the profile (30 under "ci", 250 under "thorough")
OFFICE = settings(max_examples=max(10, settings().max_examples // 2))


def rule_breaks(tables_of) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((f.rule, tuple(sorted(f.cells))) for f in tables_of)


def check_office_roundtrip(report: govreport.Report, kind: str, data: bytes) -> govreport.Report:
    parsed = govreport.parse(data)
    assert parsed.reader == kind, f"read by {parsed.reader!r}"
    assert cell_diffs(report, parsed) == []
    assert parsed.rule_breaks == ()
    return parsed


# ------------------------------------------------------------------------------- round trips

@OFFICE
@given(report=reports(), render_seed=RENDER_SEEDS)
def test_docx_roundtrip(report, render_seed):
    note(f"report: {report.source}; render_docx(report, rng=random.Random({render_seed}))")
    check_office_roundtrip(report, "docx", render_docx(report, rng=random.Random(render_seed)))


@OFFICE
@given(report=reports(), render_seed=RENDER_SEEDS, encoding=st.sampled_from(["utf-8", "gbk"]))
def test_html_roundtrip(report, render_seed, encoding):
    note(f"report: {report.source}; render_html(report, rng=random.Random({render_seed}), encoding={encoding!r})")
    data = render_html(report, rng=random.Random(render_seed), encoding=encoding)
    note(data.decode(encoding))
    check_office_roundtrip(report, "html", data)


@pytest.mark.parametrize("kind", LAYOUTS + ("docx", "html"))
@settings(max_examples=max(6, settings().max_examples // 5))
@given(report=reports(legacy=True), render_seed=RENDER_SEEDS)
def test_legacy_table_roundtrip(kind, report, render_seed):
    assert report.format == "2019" and report.legacy_statistics
    note(f"report: {report.source}; kind {kind}, rng=random.Random({render_seed})")
    rng = random.Random(render_seed)
    if kind in LAYOUTS:
        data: str | bytes = render_text(report, kind, rng=rng)
        note(data)
    else:
        data = render_docx(report, rng=rng) if kind == "docx" else render_html(report, rng=rng)
    parsed = govreport.parse(data)
    assert parsed.reader == READER_FOR_LAYOUT.get(kind, kind)
    assert cell_diffs(as_rendered(report, kind), parsed) == []
    assert parsed.rule_breaks == ()


# ------------------------------------------------------------------------------- the Word tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_tables(data: bytes) -> list[list[list[tuple[int, str | None, str]]]]:
    """Every table as rows of (gridSpan, vMerge, text) per w:tc; vMerge "restart", "continue" or None."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    out = []
    for tbl in root.iter(W + "tbl"):
        rows = []
        for tr in tbl.findall(W + "tr"):
            row = []
            for tc in tr.findall(W + "tc"):
                pr = tc.find(W + "tcPr")
                span = pr.find(W + "gridSpan") if pr is not None else None
                vm = pr.find(W + "vMerge") if pr is not None else None
                merge = None if vm is None else ("restart" if vm.get(W + "val") == "restart" else "continue")
                text = "".join(t.text or "" for t in tc.iter(W + "t")).replace(" ", "")
                row.append((int(span.get(W + "val")) if span is not None else 1, merge, text))
            rows.append(row)
        out.append(rows)
    return out


def by_first_label(tables, label: str):
    return next(t for t in tables if any(label in text for row in t for _, _, text in row))


def shape(rows) -> list[list[tuple[int, str | None]]]:
    return [[(span, merge) for span, merge, _ in row] for row in rows]


def table_a_rows(tables) -> list:
    """Table A's rows, whether printed as one grid or one grid per block."""
    return [row for t in tables if sum(s for s, _, _ in t[0]) == 4 and t[0][0][2].startswith("第二十条") for row in t]


FIXTURE_FOR_FORMAT = {"2019": "hangu-2019-tabbed", "2021": "haicheng-2023-synthetic"}


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no office fixtures at {FIXTURES}")
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_word_tables_are_merged_as_in_the_fixtures(fmt, seed):
    """Row by row, the same gridSpan/vMerge as the fixture of the same format, and the same labels."""
    fixture = word_tables((FIXTURES / f"{FIXTURE_FOR_FORMAT[fmt]}.docx").read_bytes())
    ours = word_tables(render_docx(random_report(random.Random(seed), fmt), rng=random.Random(seed)))
    for label in ("申请人情况", "行政复议"):
        want, got = by_first_label(fixture, label), by_first_label(ours, label)
        assert shape(got) == shape(want), label
        labels = [[t for _, m, t in row if t and not re.fullmatch(r"[\d,，０-９]*", t)] for row in want]
        assert [[t for _, m, t in row if t and not re.fullmatch(r"[\d,，０-９]*", t)] for row in got] == labels
    assert shape(table_a_rows(ours)) == shape(table_a_rows(fixture))


def test_word_merges_without_fixtures():
    """The merges FORMAT.md's tables need, checked without the fixtures."""
    ours = word_tables(render_docx(random_report(random.Random(1), "2021"), rng=random.Random(1)))
    c = by_first_label(ours, "行政复议")
    assert shape(c)[0] == [(5, None), (10, None)]
    assert shape(c)[1] == [(1, "restart")] * 5 + [(5, None), (5, None)]
    assert shape(c)[2] == [(1, "continue")] * 5 + [(1, None)] * 10
    b = by_first_label(ours, "申请人情况")
    first = [row[0] for row in b]
    # 三、本年度办理结果 merged down from （一）予以公开 to （七）总计: 1 + 1 + 8 + 3 + 5 + 3 + 1 rows in 2021
    restart = next(i for i, (_, m, t) in enumerate(first) if m == "restart" and "本年度办理结果" in t)
    assert [m for _, m, _ in first[restart + 1:restart + 22]] == ["continue"] * 21
    assert first[restart + 22][0] == 3 and "结转下年度" in first[restart + 22][2]
    fees = next(row for row in table_a_rows(ours) if row[0][2] == "信息内容" and "收费金额" in row[1][2])
    assert fees[1] == (3, None, "本年收费金额（单位：万元）")


def test_blank_values_are_empty_cells():
    r = random_report(random.Random(5), "2019", activity=0.9, blank_rate=0.0)
    blanked = attrs.evolve(r, applications={**r.applications, "granted": {**r.applications["granted"], "natural_person": None}})
    for seed in range(6):
        b = by_first_label(word_tables(render_docx(blanked, rng=random.Random(seed))), "申请人情况")
        row = next(row for row in b if any("予以公开" in t for _, _, t in row))
        assert row[2][2] == "", row  # the first value cell after the two label cells
        page = render_html(blanked, rng=random.Random(seed)).decode("utf-8")
        after = page[page.index("予以公开"):]
        after = after[after.index("<td"):]
        first_td = after[:after.index("</td>")]
        assert re.sub(r"<[^>]+>|&nbsp;|\s", "", first_td.split(">", 1)[1]) == "", first_td
        assert govreport.parse(render_docx(blanked, rng=random.Random(seed))).applications["granted"]["natural_person"] is None


# ------------------------------------------------------------------------------- HTML

def html_cells(page: str, label: str) -> list[tuple[int, int, str]]:
    """(rowspan, colspan, text) of every cell of the table holding ``label``."""
    import lxml.html

    root = lxml.html.document_fromstring(page)
    table = next(t for t in root.iter("table") if label in t.text_content() and not t.findall(".//table"))
    return [(int(td.get("rowspan", 1)), int(td.get("colspan", 1)), re.sub(r"\s", "", td.text_content()))
            for td in table.xpath(".//td|.//th")]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_html_tables_mirror_the_word_merges(fmt):
    r = random_report(random.Random(2), fmt)
    for seed in range(3):
        tables = word_tables(render_docx(r, rng=random.Random(seed)))
        page = render_html(r, rng=random.Random(seed)).decode("utf-8")
        for label in ("申请人情况", "行政复议"):
            cells = html_cells(page, label)
            if label == "行政复议" and any(c == 11 for _, c, _ in cells):
                # LibreOffice's sliver column after the review 总计: that 总计 spans 2 and 行政诉讼 11
                cells = [(n, c - 1 if c in (2, 11) else c, t) for n, c, t in cells]
            rows = by_first_label(tables, label)
            # every Word cell but the vMerge continuations is one HTML cell, with the same column span
            assert [c for _, c, _ in cells] == [s for row in rows for s, m, _ in row if m != "continue"]
            down = {t: n for n, _, t in cells if n > 1}
            if label == "申请人情况":
                assert down["三、本年度办理结果"] == (20 if fmt == "2019" else 22)
                assert down["（三）不予公开"] == 8
                if fmt == "2021":
                    assert down["（六）其他处理"] == 3
                assert down["自然人"] == down["总计"] == 2
            else:
                assert [n for n, _, t in cells if t in ("结果维持", "结果纠正", "其他结果", "尚未审结")][:4] == [2] * 4


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no office fixtures at {FIXTURES}")
def test_html_spans_match_the_libreoffice_fixture():
    """The LibreOffice-style page, sliver column and all, spans its cells as the fixture does."""
    fixture = (FIXTURES / "haicheng-2023-synthetic.html").read_text("utf-8")
    r = random_report(random.Random(0), "2021")
    pages = (render_html(r, rng=random.Random(seed)).decode("utf-8") for seed in range(100))
    page = next(p for p in pages if 'class="western"' in p and 'colspan="11"' in p)
    for label in ("申请人情况", "行政复议"):
        want = [(n, c) for n, c, t in html_cells(fixture, label)]
        assert [(n, c) for n, c, t in html_cells(page, label)] == want


def test_html_encodings():
    r = random_report(random.Random(3))
    gbk = render_html(r, rng=random.Random(1), encoding="gbk")
    text = gbk.decode("gbk")
    assert re.search(r'charset="?(gbk|gb2312)', text)
    assert r.meta.agency in text
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert "charset=utf-8" in render_html(r, rng=random.Random(1)).decode("utf-8").replace('"', "")
    with pytest.raises(ValueError):
        render_html(r, encoding="latin-1")


def test_office_variation_all_occurs():
    """Over a fixed set of seeds, every documented variation shows up."""
    docx_xml, pages = [], []
    for i in range(40):
        r = random_report(random.Random(i), "2019", legacy=True) if i % 4 == 0 else random_report(random.Random(i))
        docx_xml.append(zipfile.ZipFile(io.BytesIO(render_docx(r, rng=random.Random(i)))).read("word/document.xml").decode())
        pages.append(render_html(r, rng=random.Random(i)).decode("utf-8"))
    assert any("<w:br/>" in x for x in docx_xml), "line breaks in cells or titles"
    assert any("<w:proofErr" in x or "_GoBack" in x for x in docx_xml), "run markup"
    assert any('w:val="nil"' in x for x in docx_xml) and any('<w:insideV w:val="single"' in x for x in docx_xml)
    assert any("<w:t xml:space=\"preserve\">结</w:t>" in x for x in docx_xml), "headers one character per line"
    assert any(re.search(r"一、一、总体情况", x) for x in docx_xml), "doubled numbering"
    assert any("统计指标" in x or "统　计　指　标" in x for x in docx_xml), "legacy table"
    assert any(x.count("<w:tbl>") >= 6 for x in docx_xml), "table A one table per block"
    assert any("cantSplit" in x for x in docx_xml) and any("w:vAlign" in x for x in docx_xml)
    assert any("tblHeader" in x for x in docx_xml), "header rows repeated on each page"
    assert any("<th" in p for p in pages) and any('colspan="11"' in p for p in pages)
    assert any('class="western"' in p for p in pages) and any("TRS_Editor" in p for p in pages)
    assert any("索引号" in p and "document.write" in p for p in pages), "portal page"
    assert any("&nbsp;" in p for p in pages) and any(re.search(r"<br ?/?>", p) for p in pages)


def test_office_renderers_are_deterministic():
    r = random_report(random.Random(8))
    assert render_docx(r, rng=random.Random(2)) == render_docx(r, rng=random.Random(2))
    assert render_docx(r) == render_docx(r)  # rng=None: a fixed seed
    assert render_html(r, rng=random.Random(2)) == render_html(r, rng=random.Random(2))
    assert render_docx(r, rng=random.Random(2)) != render_docx(r, rng=random.Random(3))
    with pytest.raises(ValueError):
        render_docx(attrs.evolve(r, format="legacy"))


def test_pdf_without_libreoffice_is_a_missing_dependency(monkeypatch, tmp_path):
    monkeypatch.setattr(govreport.testing.pdf.shutil, "which", lambda name: None)
    r = random_report(random.Random(0))
    with pytest.raises(MissingDependency, match="LibreOffice"):
        render_pdf(r)
    with pytest.raises(MissingDependency):
        generate_corpus(1, 0, tmp_path, kinds=("pdf",))
    assert "pdf" not in govreport.testing.available_kinds()


# ------------------------------------------------------------------------------- rule breaks

@given(report=reports(), seed=RENDER_SEEDS)
@settings(max_examples=40)
def test_with_rule_break_changes_one_printed_number(report, seed):
    broken = with_rule_break(report, random.Random(seed))
    changed = [(t, r, c) for t in TABLES for r, cols in getattr(report, t).items() for c, v in cols.items()
               if getattr(broken, t)[r][c] != v]
    assert len(changed) == 1
    t, r, c = changed[0]
    assert t in ("applications", "review_litigation")
    new = getattr(broken, t)[r][c]
    assert isinstance(new, int) and new >= 0 and new != (getattr(report, t)[r][c] or 0)
    found = check_rules({x: getattr(broken, x) for x in TABLES})
    assert found and all(f"{t}/{r}/{c}" in f.cells for f in found)


# ------------------------------------------------------------------------------- corpora

# seed 162: among its first 12 documents, legacy tables (vertical, ocr, docx) and rule breaks
# (tabbed, pipe, docx) — checked below so the test keeps its teeth if the generator changes
CORPUS_SEED = 162


def gold_of(p: Path) -> govreport.Report:
    return govreport.report_from_dict(json.loads(p.with_name(p.name.split(".")[0] + ".gold.json").read_text("utf-8")))


def test_generated_corpus_reads_back_as_its_gold(tmp_path):
    paths = generate_corpus(12, CORPUS_SEED, tmp_path, kinds=("txt", "docx", "html"))
    assert [p.suffix for p in paths[:6]] == [".txt"] * 4 + [".docx", ".html"]
    kinds_broken, kinds_legacy = set(), set()
    for p in paths:
        gold = gold_of(p)
        parsed = govreport.parse(p)
        unit = p.name.split("-")[3]
        assert parsed.reader == READER_FOR_LAYOUT.get(unit, unit), p.name
        assert cell_diffs(gold, parsed) == [], p.name
        expected = check_rules({t: getattr(gold, t) for t in TABLES})
        assert bool(expected) == ("-rulebreak" in p.name), p.name
        assert rule_breaks(parsed.rule_breaks) == rule_breaks(expected), p.name
        assert (gold.legacy_statistics is not None) == ("-legacy" in p.name) and (
            gold.legacy_statistics is None or gold.format == "2019")
        if expected:
            kinds_broken.add(unit)
        if gold.legacy_statistics:
            kinds_legacy.add(unit)
    assert "docx" in kinds_broken and len(kinds_broken) >= 2
    assert "docx" in kinds_legacy and len(kinds_legacy) >= 2


def test_generated_office_corpus_is_deterministic(tmp_path):
    a = generate_corpus(4, 5, tmp_path / "a", kinds=("docx", "html"))
    b = generate_corpus(4, 5, tmp_path / "b", kinds=("docx", "html"))
    assert [p.name for p in a] == [p.name for p in b] and [p.suffix for p in a] == [".docx", ".html"] * 2
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in generate_corpus(2, 5, tmp_path / "c", kinds=("docx", "html"))] == \
        [p.read_bytes() for p in a[:2]]


# ------------------------------------------------------------------------------- PDF

# Seeds whose PDFs keep clear of the known PDF reader bugs pinned below (found by
# `govreport bench --generate`): with those fixed, any seed should do.
PDF_SEED = 1
PDF_DOCS = 4


@pytest.fixture(scope="module")
def pdf_corpus(tmp_path_factory):
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    return generate_corpus(PDF_DOCS, PDF_SEED, tmp_path_factory.mktemp("pdf"), kinds=("pdf",))


def test_pdf_corpus_reads_back_as_its_gold(pdf_corpus):
    for p in pdf_corpus:
        assert p.suffix == ".pdf" and p.read_bytes().startswith(b"%PDF")
        parsed = govreport.parse(p)
        assert parsed.reader == "pdf"
        gold = gold_of(p)
        assert cell_diffs(gold, parsed) == [], p.name
        assert rule_breaks(parsed.rule_breaks) == rule_breaks(check_rules({t: getattr(gold, t) for t in TABLES}))


@needs_soffice
def test_render_pdf_roundtrip():
    r = random_report(random.Random(11), "2021")
    data = render_pdf(r, rng=random.Random(4))
    assert data.startswith(b"%PDF")
    check_office_roundtrip(r, "pdf", data)


# ------------------------------------------------------------------------------- known bugs
# Found by the office renderers, fixed: minimal inputs (or the corpus document that showed one) that
# now read right.


@pytest.fixture(scope="module")
def merged_columns_pdf(tmp_path_factory):
    """Document 272 of the seed-0 corpus (the benchmark's synthetic-0-00272), as LibreOffice prints it."""
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    tmp = tmp_path_factory.mktemp("merged_columns")
    name, report, rng = corpus_report(0, 272, "pdf")
    source = tmp / f"{name}.docx"
    source.write_bytes(render_docx(report, rng=rng))
    (pdf,) = convert_to_pdf([source], tmp)
    return as_rendered(report, "pdf"), pdf.read_bytes()


def test_pdf_with_a_header_centred_over_two_columns_reads_back(merged_columns_pdf):
    """Table 三 drawn with horizontal rules only: 申请人情况, centred over the columns of values,
    stands over the gap between two of them (the page geometry used to merge them, leaving the
    rows one value short); the shorter rule under it shows it spans them."""
    expected, data = merged_columns_pdf
    check_office_roundtrip(expected, "pdf", data)


@pytest.fixture(scope="module")
def minimal_pdfs(tmp_path_factory):
    """The minimal Word documents of the PDF reader bugs below, converted in one LibreOffice run."""
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt, Twips

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tmp = tmp_path_factory.mktemp("minimal")
    made = {}

    # 1. horizontal rules only (no vertical lines), cells centred vertically, one wrapped label
    d = docx.Document()
    rows = [["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "1", "2", "3"],
            ["其他对外管理服务事项", "4", "5", "6"], ["行政处罚", "7", "8", "9"]]
    t = d.add_table(rows=len(rows), cols=4)
    t._tbl.tblPr.append(parse_xml(
        f'<w:tblBorders {ns}><w:top w:val="single" w:sz="6"/><w:left w:val="nil"/><w:bottom w:val="single" w:sz="6"/>'
        '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6"/><w:insideV w:val="nil"/></w:tblBorders>'))
    for row, texts in zip(t.rows, rows):
        for j, (c, text) in enumerate(zip(row.cells, texts)):
            c.width = Twips(1200 if j == 0 else 2400)
            c.text = text
            c._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {ns} w:val="center"/>'))
    d.save(tmp / "rules_only.docx")
    made["rules_only"] = rows

    # 2. a header row (centred) ends page 1; the next row starts page 2, whole
    d = docx.Document()
    t = d.add_table(rows=52, cols=4)
    t.style = "Table Grid"
    for i, row in enumerate(t.rows):
        for j, c in enumerate(row.cells):
            c.text = (["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"][j] if i == 47 else
                      f"行政处罚{i}" if j == 0 else str(i * 10 + j))
            c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.save(tmp / "page_top_row.docx")

    # 3. a row whose 8-digit number wraps in a narrow cell, broken over the page break
    d = docx.Document()
    t = d.add_table(rows=60, cols=8)
    t.style = "Table Grid"
    for i, row in enumerate(t.rows):
        for j, c in enumerate(row.cells):
            c.width = Twips(2000 if j == 0 else 700)
            c.text = f"项目{i}" if j == 0 else ("12345678" if j == 7 else str(j))
    d.save(tmp / "row_over_page.docx")

    # 4. the signature block alone at the top of the last page, right-aligned, 16 pt
    d = docx.Document()
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("本年度无其他需要报告的事项。")
    d.add_page_break()
    for text in ("山江市林业局", "2023年1月7日"):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run(text).font.size = Pt(16)
    d.save(tmp / "signature_page.docx")

    convert_to_pdf(sorted(tmp.glob("*.docx")), tmp)
    return tmp


def _pdf_blocks(path: Path):
    from govreport.readers.pdf import PdfReader
    from govreport.source import open_source

    return PdfReader().read(open_source(path)).blocks


def _grid_rows(path: Path) -> list[list[str]]:
    from govreport.document import Grid

    return [[c.text for c in row] for b in _pdf_blocks(path) if isinstance(b, Grid) for row in b.rows]


def test_pdf_rules_only_table_keeps_its_rows(minimal_pdfs):
    rows = _grid_rows(minimal_pdfs / "rules_only.pdf")
    assert [[c.replace("\n", "") for c in row] for row in rows] == [
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "1", "2", "3"],
        ["其他对外管理服务事项", "4", "5", "6"], ["行政处罚", "7", "8", "9"]]


def test_pdf_row_at_page_top_stays_a_row(minimal_pdfs):
    rows = _grid_rows(minimal_pdfs / "page_top_row.pdf")
    assert ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"] in rows
    assert ["行政处罚48", "481", "482", "483"] in rows
    assert len(rows) == 52


def test_pdf_row_broken_over_a_page_is_healed(minimal_pdfs):
    rows = _grid_rows(minimal_pdfs / "row_over_page.pdf")
    assert len(rows) == 60
    assert all(row[-1].replace("\n", "") == "12345678" for row in rows)


def test_pdf_signature_lines_stay_apart(minimal_pdfs):
    texts = [b.text for b in _pdf_blocks(minimal_pdfs / "signature_page.pdf")]
    assert texts[-2:] == ["山江市林业局", "2023年1月7日"]


def _tabbed_with(title: list[str] | None = None, signature: list[str] | None = None) -> str:
    r = random_report(random.Random(1), "2021", blank_rate=0.0)
    r = attrs.evolve(r, meta=attrs.evolve(r.meta, published=datetime.date(2023, 1, 7)))
    lines = render_text(r, "tabbed", rng=random.Random(1)).rstrip("\n").split("\n")
    body = lines[lines.index("一、总体情况"):-2]
    return "\n".join((title or lines[:1]) + [""] + body + (lines[-2:] if signature is None else signature)) + "\n"


def test_minimal_meta_controls():
    r = govreport.parse(_tabbed_with(title=["兴顺街道办事处2023年政府信息公开工作年度报告"]))
    assert (r.meta.agency, r.meta.year, r.meta.published) == ("兴顺街道办事处", 2023, datetime.date(2023, 1, 7))
    r = govreport.parse(_tabbed_with(title=["兴顺街道办事处2023年", "政府信息公开工作年度报告"]))
    assert r.meta.agency == "兴顺街道办事处"


def test_title_wrapped_mid_phrase_keeps_the_agency():
    r = govreport.parse(_tabbed_with(title=["兴顺街道办事处2023年政府信息公开工作", "年度报告"]))
    assert (r.meta.agency, r.meta.year) == ("兴顺街道办事处", 2023)


def test_signature_and_date_on_one_line():
    r = govreport.parse(_tabbed_with(signature=["兴顺街道办事处2023年1月7日"]))
    assert r.meta.published == datetime.date(2023, 1, 7)


@pytest.mark.parametrize("title", [["兴顺街道办事处2023年政府信息公开工作年", "度报告"],
                                   ["兴顺街道办事处2023年政府信息公开工作年度", "报告"],
                                   ["2023年度兴顺街道办事处政府信息公开工作年度报", "告"]])
def test_title_wrapped_inside_nian_du_bao_gao(title):
    r = govreport.parse(_tabbed_with(title=title, signature=[]))  # no signature: the title alone names the agency
    assert (r.meta.agency, r.meta.year) == ("兴顺街道办事处", 2023)
