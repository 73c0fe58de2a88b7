"""HtmlReader at the Document level: fixtures against their gold numbers and against the docx
reader, and synthetic pages for spans, layout tables, document.write and portal chrome."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from govreport.document import Grid, Paragraph
from govreport.errors import UnreadableInput
from govreport.readers.base import ReaderLike
from govreport.readers.docx import DocxReader
from govreport.readers.html import HtmlReader
from govreport.readers.html_script import js_written_html
from govreport.source import Source, open_source

DATA = Path(__file__).parent / "data" / "office"
HTML_FIXTURES = sorted(DATA.glob("*.html"))

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元)?$")


def gold_numbers(gold_path: Path) -> Counter:
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
    out: Counter = Counter()
    for grid in doc.grids:
        for row in grid.rows:
            for cell in row:
                m = _NUMBER.match(cell.text.strip())
                if m and not cell.merged:
                    out[str(float(m.group(1)))] += 1
    return out


def stem_of(path: Path) -> str:
    return re.sub(r"(\.gbk|\.page)?\.[a-z]+$", "", path.name)


def read(html: str):
    return HtmlReader().read(Source(data=html.encode("utf-8"), kind="html", name="t.html", text=html))


def shape(doc):
    return [b.text if isinstance(b, Paragraph) else [[(c.text, c.merged) for c in r] for r in b.rows]
            for b in doc.blocks]


def texts(doc):
    return [b.text if isinstance(b, Paragraph) else [[c.text for c in r] for r in b.rows] for b in doc.blocks]


# -- fixtures -----------------------------------------------------------------------------------


def test_fixtures_present():
    names = {p.name for p in HTML_FIXTURES}
    assert {"linjiang-2022-synthetic.gbk.html", "hangu-2019-tabbed.page.html"} <= names
    assert len(HTML_FIXTURES) >= 9


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=lambda p: p.name)
def test_fixture_numbers_match_gold(path):
    doc = HtmlReader().read(open_source(path))
    assert doc.reader == "html"
    assert grid_numbers(doc) == gold_numbers(DATA / f"{stem_of(path)}.gold.json")


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=lambda p: p.name)
def test_fixture_reads_like_the_docx_of_the_same_report(path):
    """The pages are the Word files saved as HTML: both readers must give the same blocks."""
    html_doc = HtmlReader().read(open_source(path))
    docx_doc = DocxReader().read(open_source(DATA / f"{stem_of(path)}.docx"))
    assert shape(html_doc) == shape(docx_doc)


def test_gbk_page_decodes():
    src = open_source(DATA / "linjiang-2022-synthetic.gbk.html")
    assert src.encoding == "gb18030"
    doc = HtmlReader().read(src)
    assert doc.paragraphs[0].text == "示例市临江区人民政府2022年"
    assert texts(doc) == texts(HtmlReader().read(open_source(DATA / "linjiang-2022-synthetic.html")))


def test_portal_page_keeps_the_article_only():
    doc = HtmlReader().read(open_source(DATA / "hangu-2019-tabbed.page.html"))
    all_text = doc.text()
    for chrome in ("栏目1", "无障碍", "索引号", "生成日期", "分享到", "网站标识码", "法定主动公开内容", "统计"):
        assert chrome not in all_text.replace("统计数", "")
    assert doc.paragraphs[0].text == "汉沽街道办事处2019年"
    assert len(doc.grids) == 3


def test_paragraph_lines_are_source_lines():
    doc = HtmlReader().read(open_source(DATA / "linjiang-2022-synthetic.html"))
    lines = (DATA / "linjiang-2022-synthetic.html").read_text(encoding="utf-8").splitlines()
    for p in doc.paragraphs[:5]:
        assert p.loc.line is not None
        assert p.text[:4] in lines[p.loc.line - 1]


# -- spans --------------------------------------------------------------------------------------


def test_colspan_once_and_rowspan_continuations_merged():
    doc = read("""<table>
      <tr><td rowspan="3">三行</td><td colspan="2">两列</td><td>x</td></tr>
      <tr><td>a</td><td>b</td><td rowspan="2">竖</td></tr>
      <tr><td>c</td><td>d</td></tr>
    </table>""")
    rows = doc.grids[0].rows
    assert [(c.text, c.merged, c.loc.col) for c in rows[0]] == [("三行", False, 0), ("两列", False, 1), ("x", False, 3)]
    assert [(c.text, c.merged, c.loc.col) for c in rows[1]] == [("", True, 0), ("a", False, 1), ("b", False, 2), ("竖", False, 3)]
    assert [(c.text, c.merged, c.loc.col) for c in rows[2]] == [("", True, 0), ("c", False, 1), ("d", False, 2), ("", True, 3)]


def test_rowspan_with_colspan_gives_one_merged_cell_per_row():
    doc = read("""<table>
      <tr><td rowspan="2" colspan="2">块</td><td>1</td></tr>
      <tr><td>2</td></tr>
      <tr><td>a</td><td>b</td><td>3</td></tr>
    </table>""")
    rows = doc.grids[0].rows
    assert [(c.text, c.merged, c.loc.col) for c in rows[1]] == [("", True, 0), ("2", False, 2)]
    assert [c.text for c in rows[2]] == ["a", "b", "3"]


def test_rowspan_beyond_the_table_and_zero_are_capped():
    doc = read("""<table><tbody>
      <tr><td rowspan="9">长</td><td rowspan="0">零</td><td>1</td></tr>
      <tr><td>2</td></tr>
    </tbody></table>""")
    rows = doc.grids[0].rows
    assert len(rows) == 2
    assert [(c.text, c.merged) for c in rows[1]] == [("", True), ("", True), ("2", False)]


def test_thead_tbody_th_and_caption():
    doc = read("""<table><caption>表一</caption><thead><tr><th>项目</th><th>数</th></tr></thead>
      <tbody><tr><td>甲</td><td>1</td></tr></tbody><tfoot><tr><td>合计</td><td>1</td></tr></tfoot></table>""")
    assert texts(doc) == ["表一", [["项目", "数"], ["甲", "1"], ["合计", "1"]]]


# -- text ---------------------------------------------------------------------------------------


def test_block_text_br_lines_and_whitespace():
    doc = read("""<html><body>
      <h1>标题
        文字</h1>
      <div>前言<p>段落一</p>尾巴</div>
      <p>第一行<br>第二行<br/><br/>第三行&nbsp;&nbsp;结束</p>
      <ul><li>条目一</li><li>条目<b>二</b></li></ul>
      <span>行内</span><font>字体</font>
    </body></html>""")
    assert texts(doc) == ["标题 文字", "前言", "段落一", "尾巴", "第一行", "第二行", "第三行 结束", "条目一", "条目二",
                          "行内字体"]


def test_cell_text_joins_blocks_and_br_with_newlines():
    doc = read("<table><tr><td><p>上</p><p> </p><p>下</p></td><td>结<br>果</td><td> 7 </td></tr></table>")
    assert texts(doc) == [[["上\n下", "结\n果", "7"]]]


def test_scripts_styles_comments_and_hidden_are_skipped():
    doc = read("""<html><head><title>页面标题</title><style>p{color:red}</style></head><body>
      <script>var a = "不要";</script><noscript>请启用</noscript><!-- 注释 -->
      <p>可见</p><p style="display: none">隐藏</p><div hidden>也隐藏</div>
      <table><tr><td>甲</td><td style="display:none">9</td><td>1</td></tr><tr style="display:none"><td>藏</td></tr></table>
      <select><option>选项</option></select><textarea>文本框</textarea>
    </body></html>""")
    assert texts(doc) == ["可见", [["甲", "1"]]]


def test_xml_declaration_and_xhtml_namespace():
    html = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
            "<p>甲</p><table><tr><td>乙</td></tr></table></body></html>")
    assert texts(read(html)) == ["甲", [["乙"]]]


def test_word_saved_html_bits():
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
      <p class=MsoNormal><span lang=EN-US>2019<o:p></o:p></span><span>年报告</span></p>
      <![if !supportLists]><p>（一）<![endif]>条目</p>
      <table class=MsoTableGrid><tr><td><p class=MsoNormal>规章<o:p></o:p></p></td><td><p>0<o:p></o:p></p></td></tr></table>
    </body></html>"""
    assert texts(read(html)) == ["2019年报告", "（一）条目", [["规章", "0"]]]


def test_empty_page_is_unreadable():
    with pytest.raises(UnreadableInput):
        HtmlReader().read(Source(data=b"  ", kind="html", name="e.html", text="  \n "))


def test_source_without_text_is_decoded():
    raw = '<html><head><meta charset="gbk"></head><body><p>政府信息公开</p></body></html>'.encode("gbk")
    doc = HtmlReader().read(Source(data=raw, kind="html", name="g.html"))
    assert texts(doc) == ["政府信息公开"]


# -- layout tables ------------------------------------------------------------------------------


def test_one_cell_layout_table_is_flattened():
    doc = read("""<p>前</p><table><tr><td><p></p>
      <table><tr><td>标签</td><td>7</td></tr><tr><td>另一</td><td>8</td></tr></table>
      <p>注</p><table><tr><td>第二</td><td>9</td></tr></table></td></tr></table><p>后</p>""")
    assert texts(doc) == ["前", [["标签", "7"], ["另一", "8"]], "注", [["第二", "9"]], "后"]
    assert [g.loc.table for g in doc.grids] == [0, 1]
    assert all(c.loc.table == 1 for row in doc.grids[1].rows for c in row)


def test_layout_row_splits_data_rows():
    doc = read("""<table><tr><td>上</td><td>1</td></tr>
      <tr><td>左</td><td><table><tr><td>内</td></tr></table></td></tr>
      <tr><td>下</td><td>2</td></tr></table>""")
    assert texts(doc) == [[["上", "1"]], "左", [["内"]], [["下", "2"]]]


# -- document.write -----------------------------------------------------------------------------


def test_js_written_html_literals_and_escapes():
    code = r"""
      var x = 1; // document.write("commented out") is still a call in this simple scan
      document.write('<p>\u653f\u5e9c' + "\x3cb>信息\x3c/b>" + `公开</p>`);
      document.writeln("<table><tr><td>\"引号\"</td><td>1\
2</td></tr></table>");
      document.write(unescape("%3Cp%3E%E7%BC%96%E7%A0%81%3C/p%3E"));
      document.write("<p>" + title("忽略") + "</p>");
    """
    html = js_written_html(code)
    assert "<p>政府<b>信息</b>公开</p>" in html
    assert '<td>"引号"</td><td>12</td>' in html
    assert "<p>编码</p>" in html
    assert "忽略" not in html
    assert js_written_html("var a = 'no writing here';") is None


def test_report_written_by_script_is_read_in_place():
    page = """<html><body><div class="menu"><a>首页</a></div><div id="c">
      <p>前言</p>
      <script type="text/javascript">
        document.write("<p>\\u6807\\u9898</p>");
        document.write("<table><tr><td>\\u89c4\\u7ae0</td><td>3</td></tr></table>");
      </script>
      <p>结尾</p></div></body></html>"""
    doc = read(page)
    assert texts(doc)[-4:] == ["前言", "标题", [["规章", "3"]], "结尾"]


def test_head_script_writes_at_body_start():
    page = """<html><head><script>document.write("<p>头部写入</p>");</script></head>
      <body><p>正文</p></body></html>"""
    assert texts(read(page)) == ["头部写入", "正文"]


def test_external_and_non_js_scripts_are_not_run():
    page = """<html><body><script src="x.js">document.write("<p>外部</p>")</script>
      <script type="text/template">document.write("<p>模板</p>")</script><p>正文</p></body></html>"""
    assert texts(read(page)) == ["正文"]


# -- portal chrome ------------------------------------------------------------------------------


def test_article_body_preferred_when_it_holds_most_text():
    body = "".join(f"<p>第{i}段，这里是报告的正文内容，足够长，让正文占页面文字的绝大部分。</p>" for i in range(12))
    page = f"""<html><body><ul class="nav"><li>首页</li><li>机构</li></ul>
      <div class="wrap"><h1>某某街道2023年报告</h1><div class="meta">发布日期：2024-01-02</div>
      <div class="article">{body}<table><tr><td>规章</td><td>1</td></tr></table></div></div>
      <div class="footer">版权所有 网站标识码</div></body></html>"""
    doc = read(page)
    t = texts(doc)
    assert t[0] == "某某街道2023年报告"  # a heading before the article is kept
    assert "首页" not in doc.text() and "发布日期" not in doc.text() and "版权所有" not in doc.text()
    assert t[-1] == [["规章", "1"]]


def test_whole_page_kept_when_no_element_dominates():
    page = """<html><body><div><p>报告标题</p></div><div><p>另一部分正文</p></div>
      <table><tr><td>规章</td><td>1</td></tr></table></body></html>"""
    assert texts(read(page)) == ["报告标题", "另一部分正文", [["规章", "1"]]]


def test_data_table_holding_most_text_is_not_entered():
    cells = "".join(f"<tr><td>很长的行标签文字第{i}项内容</td><td>{i}</td></tr>" for i in range(30))
    page = f"<html><body><p>标题</p><table>{cells}</table></body></html>"
    doc = read(page)
    assert texts(doc)[0] == "标题" and len(doc.grids) == 1 and len(doc.grids[0].rows) == 30


# -- contract -----------------------------------------------------------------------------------


def test_reader_contract_and_claim():
    r = HtmlReader()
    assert isinstance(r, ReaderLike)
    assert r.name == "html" and r.kinds == ("html",)
    assert r.claim(open_source(DATA / "hangu-2019-tabbed.html")) == 0.9
    assert r.claim(open_source(DATA / "hangu-2019-tabbed.docx")) == 0.0


def test_registered_as_entry_point():
    from importlib.metadata import entry_points

    eps = {ep.name: ep for ep in entry_points(group="govreport.readers")}
    assert eps["html"].load() is HtmlReader


def test_blocks_are_paragraphs_and_grids():
    doc = HtmlReader().read(open_source(DATA / "langxia-2019-legacy.html"))
    assert all(isinstance(b, (Paragraph, Grid)) for b in doc.blocks)
    assert [g.loc.table for g in doc.grids] == list(range(len(doc.grids)))


def test_deeply_nested_markup_is_read():
    n = 600  # beyond libxml2's default nesting limit of 256 and Python's recursion limit per frame
    html = ("<html><body>" + "<div>" * n + "<p>深处</p>" + "</div>" * n
            + "<table><tr><td>" + "<span>" * n + "7" + "</span>" * n + "</td></tr></table></body></html>")
    assert texts(read(html)) == ["深处", [["7"]]]


def test_cell_of_running_text_is_a_frame_not_a_cell():
    prose = "".join(f"<p>第{i}段：这是一段足够长的正文文字，用来说明这是页面的正文而不是表格里的一个格子。</p>" for i in range(5))
    page = f"<html><body><table><tr><td><a>首页</a></td><td>{prose}</td></tr></table></body></html>"
    t = texts(read(page))
    assert t[0] == "首页" and t[1].startswith("第0段") and len(t) == 6


def test_cell_with_a_few_short_paragraphs_stays_a_cell():
    doc = read("<table><tr><td><p>（二）部分公开</p><p>（区分处理的）</p></td><td>3</td></tr></table>")
    assert texts(doc) == [[["（二）部分公开\n（区分处理的）", "3"]]]


def test_page_of_images_without_tables_is_flagged():
    doc = read('<html><body><p>某街道2023年报告</p><img src="p1.png"><img src="p2.png"></body></html>')
    assert not doc.grids and doc.problems and "2 image(s)" in doc.problems[0]
    assert not read("<html><body><p>无图</p></body></html>").problems
