"""DocxReader at the Document level: fixtures against their gold numbers, and synthetic files for
spans, vertical merges, nested tables and tracked changes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from govreport.document import Grid, Paragraph
from govreport.errors import EncryptedInput, UnreadableInput
from govreport.readers.base import ReaderLike
from govreport.readers.docx import DocxReader
from govreport.source import Source, open_source

DATA = Path(__file__).parent / "data" / "office"
DOCX_FIXTURES = sorted(DATA.glob("*.docx"))
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元)?$")


def gold_numbers(gold_path: Path) -> Counter:
    """Every non-null number of a gold file (counts and money values), as normalised strings."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out: Counter = Counter()

    def walk(v):
        if isinstance(v, dict):
            if "value" in v and "unit" in v:
                if v["value"] is not None:
                    out[str(float(v["value"]))] += 1
                return
            for x in v.values():
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[str(float(v))] += 1

    for table in ("active_disclosure", "applications", "review_litigation", "legacy_statistics"):
        walk(gold.get(table) or {})
    return out


def grid_numbers(doc) -> Counter:
    """Every grid cell that is a bare number (optionally with a money unit), merged cells excluded."""
    out: Counter = Counter()
    for grid in doc.grids:
        for row in grid.rows:
            for cell in row:
                m = _NUMBER.match(cell.text.strip())
                if m and not cell.merged:
                    out[str(float(m.group(1)))] += 1
    return out


def gold_for(path: Path) -> Path:
    stem = re.sub(r"(\.gbk|\.page)?\.[a-z]+$", "", path.name)
    return path.with_name(stem + ".gold.json")


def read(data: bytes, name: str = "test.docx"):
    return DocxReader().read(Source(data=data, kind="docx", name=name))


def save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# -- fixtures -----------------------------------------------------------------------------------


def test_fixtures_present():
    assert len(DOCX_FIXTURES) >= 7


@pytest.mark.parametrize("path", DOCX_FIXTURES, ids=lambda p: p.name)
def test_fixture_numbers_match_gold(path):
    doc = DocxReader().read(open_source(path))
    assert doc.reader == "docx"
    assert grid_numbers(doc) == gold_numbers(gold_for(path))


@pytest.mark.parametrize("path", DOCX_FIXTURES, ids=lambda p: p.name)
def test_fixture_blocks_are_well_formed(path):
    doc = DocxReader().read(open_source(path))
    assert doc.paragraphs and doc.grids
    for b in doc.blocks:
        assert isinstance(b, (Paragraph, Grid))
        if isinstance(b, Paragraph):
            assert b.text == b.text.strip() and b.text
            assert b.loc.line is not None and b.loc.line >= 1
    # grids are numbered in reading order, and every cell knows its place
    for i, grid in enumerate(doc.grids):
        assert grid.loc.table == i
        for r, row in enumerate(grid.rows):
            cols = [c.loc.col for c in row]
            assert cols == sorted(cols) and len(set(cols)) == len(cols)
            for cell in row:
                assert (cell.loc.table, cell.loc.row) == (i, r)
                if cell.merged:
                    assert cell.text == ""
    lines = [p.loc.line for p in doc.paragraphs]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_linjiang_nested_table_and_tracked_deletion():
    doc = DocxReader().read(open_source(DATA / "linjiang-2022-synthetic.docx"))
    first = doc.grids[0]
    texts = [c.text for row in first.rows for c in row]
    # the 1x1 layout table is gone; the inner table is the first grid
    assert texts[0] == "第二十条第（一）项"
    assert "本年制发件数" in texts
    # the deleted "97" before the 7 is not read
    row = next(r for r in first.rows if r[0].text == "行政规范性文件")
    assert [c.text for c in row] == ["行政规范性文件", "7", "3", "41"]
    # the heading before the wrapped table still comes before it
    heading = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text == "二、主动公开政府信息情况")
    assert doc.blocks[heading + 1] is first


def test_vertical_text_cell_keeps_line_breaks():
    doc = DocxReader().read(open_source(DATA / "xinwei-2020-vertical.docx"))
    texts = {c.text for g in doc.grids for row in g.rows for c in row}
    assert "结\n果\n维\n持" in texts


def test_gridspan_value_printed_once_in_fixture():
    doc = DocxReader().read(open_source(DATA / "linjiang-2022-synthetic.docx"))
    row = next(r for g in doc.grids for r in g.rows if r[0].text == "行政许可")
    # the value spans three grid columns but is printed once
    assert [c.text for c in row] == ["行政许可", "18652"]
    assert [c.loc.col for c in row] == [0, 1]


# -- synthetic documents ------------------------------------------------------------------------


def test_paragraphs_and_tables_interleaved_in_order():
    d = docx.Document()
    d.add_paragraph("标题")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "甲"
    t.cell(0, 1).text = "1"
    d.add_paragraph("")  # empty paragraphs are not blocks, but they count as paragraph numbers
    d.add_paragraph("中间")
    t2 = d.add_table(rows=1, cols=1)
    t2.cell(0, 0).text = "乙"
    d.add_paragraph("结尾")
    doc = read(save(d))
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else b.rows[0][0].text) for b in doc.blocks]
    assert kinds == [("Paragraph", "标题"), ("Grid", "甲"), ("Paragraph", "中间"), ("Grid", "乙"), ("Paragraph", "结尾")]
    assert [p.loc.line for p in doc.paragraphs] == [1, 3, 4]
    assert [g.loc.table for g in doc.grids] == [0, 1]


def test_horizontal_span_appears_once():
    d = docx.Document()
    t = d.add_table(rows=2, cols=4)
    merged = t.cell(0, 1).merge(t.cell(0, 3))
    merged.text = "42"
    t.cell(0, 0).text = "行"
    for i, v in enumerate(["a", "1", "2", "3"]):
        t.cell(1, i).text = v
    # python-docx itself repeats the spanned cell once per grid column
    assert [c.text for c in t.rows[0].cells].count("42") == 3
    doc = read(save(d))
    row0, row1 = doc.grids[0].rows
    assert [c.text for c in row0] == ["行", "42"]
    assert [c.loc.col for c in row0] == [0, 1]
    assert not any(c.merged for c in row0)
    assert [c.text for c in row1] == ["a", "1", "2", "3"]


def test_vertical_merge_continuation_is_merged():
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    top = t.cell(0, 0).merge(t.cell(2, 0))
    top.text = "合并"
    for r in range(3):
        t.cell(r, 1).text = f"r{r}"
        t.cell(r, 2).text = str(r)
    doc = read(save(d))
    rows = doc.grids[0].rows
    assert [(c.text, c.merged) for c in rows[0]] == [("合并", False), ("r0", False), ("0", False)]
    for r in (1, 2):
        assert rows[r][0].merged and rows[r][0].text == ""
        assert rows[r][0].loc.col == 0 and rows[r][0].loc.row == r
        assert [c.text for c in rows[r][1:]] == [f"r{r}", str(r)]


def test_block_merge_spans_both_ways():
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 1)).text = "块"
    t.cell(0, 2).text = "x"
    t.cell(1, 2).text = "y"
    for i in range(3):
        t.cell(2, i).text = str(i)
    rows = read(save(d)).grids[0].rows
    assert [(c.text, c.merged, c.loc.col) for c in rows[0]] == [("块", False, 0), ("x", False, 2)]
    assert [(c.text, c.merged, c.loc.col) for c in rows[1]] == [("", True, 0), ("y", False, 2)]
    assert [c.text for c in rows[2]] == ["0", "1", "2"]


def test_nested_tables_become_their_own_grids():
    d = docx.Document()
    d.add_paragraph("前")
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "说明"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "标签"
    inner.cell(0, 1).text = "7"
    inner.cell(1, 0).text = "另一"
    inner.cell(1, 1).text = "8"
    cell.add_paragraph("注")
    inner2 = cell.add_table(rows=1, cols=2)
    inner2.cell(0, 0).text = "第二"
    inner2.cell(0, 1).text = "9"
    d.add_paragraph("后")
    doc = read(save(d))
    shape = [b.text if isinstance(b, Paragraph) else [[c.text for c in r] for r in b.rows] for b in doc.blocks]
    assert shape == ["前", "说明", [["标签", "7"], ["另一", "8"]], "注", [["第二", "9"]], "后"]
    assert [g.loc.table for g in doc.grids] == [0, 1]


def test_layout_row_between_data_rows_splits_the_grid():
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "上"
    t.cell(0, 1).text = "1"
    inner = t.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "内"
    t.cell(1, 0).text = "左"
    t.cell(2, 0).text = "下"
    t.cell(2, 1).text = "2"
    doc = read(save(d))
    shape = [b.text if isinstance(b, Paragraph) else [[c.text for c in r] for r in b.rows] for b in doc.blocks]
    assert shape == [[["上", "1"]], "左", [["内"]], [["下", "2"]]]


def _paragraph_with(xml_runs: str):
    return parse_xml(f"<w:p {W}>{xml_runs}</w:p>")


def test_tracked_changes_fields_and_breaks():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    tc = t.cell(0, 1)._tc
    for p in list(tc.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")):
        tc.remove(p)
    tc.append(_paragraph_with(
        '<w:del w:id="1" w:author="a"><w:r><w:delText>99</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>12</w:t></w:r></w:ins>'
    ))
    t.cell(0, 0).text = "标签"
    body = d.element.body
    body.insert(0, _paragraph_with(
        '<w:r><w:t>页</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve">行 </w:t><w:br/><w:t>二</w:t><w:tab/><w:t>三</w:t></w:r>'
        '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
        '<w:hyperlink><w:r><w:t>链</w:t></w:r></w:hyperlink>'
    ))
    doc = read(save(d))
    assert doc.paragraphs[0].text == "页3行 \n二\t三链"
    assert [c.text for c in doc.grids[0].rows[0]] == ["标签", "12"]


def test_field_without_separator_leaves_no_code():
    p = _paragraph_with(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>正文</w:t></w:r>'
    )
    from govreport.readers.docx_blocks import paragraph_text

    assert paragraph_text(p) == "正文"


def test_cell_paragraphs_joined_with_newline():
    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    c = t.cell(0, 0)
    c.text = "第一行"
    c.add_paragraph("")
    c.add_paragraph("  第二行  ")
    doc = read(save(d))
    assert doc.grids[0].rows[0][0].text == "第一行\n第二行"


def test_content_control_around_table_is_read():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "控件"
    t.cell(0, 1).text = "5"
    tbl = t._tbl
    body = tbl.getparent()
    idx = body.index(tbl)
    sdt = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    body.remove(tbl)
    sdt[1].append(tbl)
    body.insert(idx, sdt)
    doc = read(save(d))
    assert [c.text for c in doc.grids[0].rows[0]] == ["控件", "5"]


def _with_alt_chunk(blob: bytes, content_type: str, partname: str) -> bytes:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    d = docx.Document()
    d.add_paragraph("前")
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "甲"
    part = Part(PackURI(partname), content_type, blob, d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    body = d.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:altChunk {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
    ))
    d.add_paragraph("后")
    return save(d)


CHUNK_HTML = ('<html><head><meta charset="gbk"></head><body><p>嵌入段落</p>'
              '<table><tr><td rowspan="2">合</td><td>1</td></tr><tr><td>2</td></tr></table></body></html>')


def _chunk_shape(doc):
    return [b.text if isinstance(b, Paragraph) else [[(c.text, c.merged, c.loc.table) for c in r] for r in b.rows]
            for b in doc.blocks]


def test_embedded_html_alt_chunk_is_read_in_place():
    doc = read(_with_alt_chunk(CHUNK_HTML.encode("gbk"), "text/html", "/word/afchunk1.htm"))
    assert _chunk_shape(doc) == [
        "前", [[("甲", False, 0)]], "嵌入段落", [[("合", False, 1), ("1", False, 1)], [("", True, 1), ("2", False, 1)]], "后",
    ]
    assert [g.loc.table for g in doc.grids] == [0, 1]
    assert not doc.problems


def test_embedded_mht_alt_chunk_is_read():
    import base64

    html = CHUNK_HTML.replace('charset="gbk"', 'charset="utf-8"').encode("utf-8")
    mht = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"BOUND\"\r\n\r\n"
        b"--BOUND\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(html) + b"\r\n--BOUND--\r\n"
    )
    doc = read(_with_alt_chunk(mht, "message/rfc822", "/word/afchunk1.mht"))
    assert "嵌入段落" in [p.text for p in doc.paragraphs]
    assert len(doc.grids) == 2


def test_embedded_rtf_alt_chunk_is_read_in_place():
    rtf = (rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}\f0 \'c7\'b6\'c8\'eb\par "
           rb"\trowd\clvmgf\cellx1000\cellx2000\intbl \'ba\'cf\cell 1\cell\row "
           rb"\trowd\clvmrg\cellx1000\cellx2000\intbl \cell 2\cell\row\pard }")
    doc = read(_with_alt_chunk(rtf, "application/rtf", "/word/afchunk1.rtf"))
    assert _chunk_shape(doc) == [
        "前", [[("甲", False, 0)]], "嵌入", [[("合", False, 1), ("1", False, 1)], [("", True, 1), ("2", False, 1)]], "后",
    ]
    assert not doc.problems


def test_unknown_alt_chunk_is_reported_not_fatal():
    doc = read(_with_alt_chunk(b"\x00\x01binary", "application/octet-stream", "/word/afchunk1.bin"))
    assert [p.text for p in doc.paragraphs] == ["前", "后"]
    assert doc.problems and "embedded document" in doc.problems[0]


def _rewrite_zip(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, edit(item.filename, src.read(item.filename)))
    return out.getvalue()


def _small_doc() -> bytes:
    d = docx.Document()
    d.add_paragraph("标题")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "合"
    t.cell(0, 1).text = "1"
    t.cell(1, 1).text = "2"
    return save(d)


EXPECTED_SMALL = ["标题", [[("合", False, 0), ("1", False, 0)], [("", True, 0), ("2", False, 0)]]]


def test_macro_enabled_document_is_read():
    def edit(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"officedocument.wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        return data

    doc = read(_rewrite_zip(_small_doc(), edit), "test.docm")
    assert _chunk_shape(doc) == EXPECTED_SMALL


def test_strict_ooxml_document_is_read():
    def edit(name, data):
        data = data.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                            b"http://purl.oclc.org/ooxml/wordprocessingml/main")
        return data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                            b"http://purl.oclc.org/ooxml/officeDocument/relationships")

    doc = read(_rewrite_zip(_small_doc(), edit))
    assert _chunk_shape(doc) == EXPECTED_SMALL


# -- bad input ----------------------------------------------------------------------------------


def _assert_clean_error(excinfo):
    msg = str(excinfo.value)
    assert "test.docx" in msg
    exc = excinfo.value
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)


def test_truncated_zip_is_unreadable():
    data = (DATA / "hangu-2019-tabbed.docx").read_bytes()[:5000]
    with pytest.raises(UnreadableInput) as excinfo:
        read(data)
    _assert_clean_error(excinfo)


def test_random_bytes_are_unreadable():
    with pytest.raises(UnreadableInput) as excinfo:
        read(b"this is not a word file at all" * 10)
    _assert_clean_error(excinfo)


def test_zip_without_document_part_is_unreadable():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableInput) as excinfo:
        read(buf.getvalue())
    _assert_clean_error(excinfo)


def test_malformed_document_xml_is_unreadable():
    src = zipfile.ZipFile(DATA / "hangu-2019-tabbed.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            z.writestr(item, data)
    with pytest.raises(UnreadableInput) as excinfo:
        read(buf.getvalue())
    _assert_clean_error(excinfo)


def test_encrypted_package_is_reported_as_encrypted():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedInput):
        read(fake)


# -- contract -----------------------------------------------------------------------------------


def test_reader_contract_and_claim():
    r = DocxReader()
    assert isinstance(r, ReaderLike)
    assert r.name == "docx" and r.kinds == ("docx",)
    assert r.claim(open_source(DATA / "hangu-2019-tabbed.docx")) == 0.9
    assert r.claim(open_source(DATA / "hangu-2019-tabbed.html")) == 0.0


def test_registered_as_entry_point():
    from importlib.metadata import entry_points

    eps = {ep.name: ep for ep in entry_points(group="govreport.readers")}
    assert eps["docx"].load() is DocxReader


def test_frame_cell_of_running_text_is_read_as_paragraphs():
    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    c = t.cell(0, 0)
    c.text = "第一段：这是一段足够长的正文文字，说明整篇报告被放在一个边框表格里面。"
    for i in range(4):
        c.add_paragraph(f"第{i + 2}段：同样是正文，不是表格里的一个格子，应当作为段落读出。")
    doc = read(save(d))
    assert not doc.grids
    assert len(doc.paragraphs) == 5 and doc.paragraphs[0].text.startswith("第一段")


def test_cell_with_a_few_short_paragraphs_stays_a_cell():
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "（二）部分公开"
    t.cell(0, 0).add_paragraph("（区分处理的）")
    t.cell(0, 1).text = "3"
    doc = read(save(d))
    assert [c.text for c in doc.grids[0].rows[0]] == ["（二）部分公开\n（区分处理的）", "3"]


def test_document_of_pictures_without_tables_is_flagged():
    d = docx.Document()
    d.add_paragraph("报告")
    run = d.add_paragraph().add_run()
    run._r.append(parse_xml(f"<w:drawing {W}/>"))
    doc = read(save(d))
    assert doc.problems and "1 picture(s)" in doc.problems[0]
    assert not read(_small_doc()).problems
