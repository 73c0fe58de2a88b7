"""Random reports rendered as Word (.docx) and web pages (.html); PDF is the Word document
converted by LibreOffice (:mod:`govreport.testing.pdf`).

Every renderer prints the parts :func:`~govreport.testing.parts.document_parts` builds — the same
title, headings, prose, tables (rows of ``PrintedCell``) and signature the text layouts print — so a
label or a sentence exists once. The tables are laid out as the national format's Word tables are (the
office fixtures): table A one grid of four columns whose block headers 第二十条第（…）项 span the
row and whose short rows span their last cell; table B ten columns, with the note and 申请人情况
headers merged, 三、本年度办理结果 and （三）不予公开 … （六）其他处理 vertically merged over their
rows; table C fifteen columns under 行政复议 (five) and 行政诉讼 (ten: 未经复议直接起诉 and 复议后起诉,
five each), its first five headers merged down two rows. Word gets ``w:gridSpan``/``w:vMerge``,
HTML ``colspan``/``rowspan``.

Variation (drawn from the ``random.Random`` given; never touching a number):

* **Word**: fonts and sizes; the title in one or two paragraphs (or one with a line break); runs
  split at random points as Word splits them (and ``w:proofErr``/bookmark markup between them);
  full grid borders, or (p=0.1) horizontal rules only as one office fixture; cells centred or
  left-aligned, vertically centred or not (``w:vAlign``); rows allowed to break across pages or
  not (``w:cantSplit``); table B's header rows now and then repeated on each page
  (``w:tblHeader``); table A now and then one table per block; long labels and table A's headers
  wrapped (a ``w:br`` or a second paragraph in the cell); 三、本年度办理结果 and table C's headers
  now and then one character per line; 商业/企业 wrapped; headings now and then with their
  numbering doubled (一、一、总体情况, as pasted auto-numbering leaves it); blank values as empty
  cells (now and then holding a space). Numbers keep the printed forms of the text layouts
  (增加3, 12,345, ０).
* **HTML**: LibreOffice's "save as HTML" (``<p class="western">``, ``<font>`` runs split at script
  changes, an empty paragraph as ``<p><br/></p>``, now and then the sliver column LibreOffice adds
  to table C, so that 总计 spans two columns and 行政诉讼 eleven, as in the fixtures) or a CMS
  editor's markup (``<td>`` with ``<span>``, headers now and then ``<th>``, ``&nbsp;`` for a
  blank, ``<br>`` inside wrapped labels, ``&nbsp;`` indentation); now and then wrapped in a portal
  page (header, menus, a layout table, an index table with 索引号 / 发布机构 / 生成日期, a
  statistics script writing a table with ``document.write``, footer); UTF-8 or GBK (declared as
  ``gbk`` or ``gb2312`` in a meta charset).
"""

from __future__ import annotations

import html as _html
import io
import random
import re
import zipfile

from ..errors import MissingDependency
from ..model import Report
from .form import C_HEADERS, FORMATS
from .parts import Part, PrintedCell, PrintedRow, document_parts

__all__ = ["render_docx", "render_html"]

# ---------------------------------------------------------------------------------------------
# the grid: where each printed cell sits, and how far down it is merged


def _placed(rows: list[PrintedRow]) -> list[list[tuple[int, PrintedCell, int]]]:
    """Per row, ``(grid column, cell, rows spanned)`` for each cell that starts a merge (an ``empty``
    cell continues the cell above it in the same grid column and is not listed)."""
    starts: list[list[tuple[int, PrintedCell]]] = []
    for row in rows:
        col = 0
        out = []
        for cell in row:
            out.append((col, cell))
            col += cell.span
        starts.append(out)
    placed: list[list[tuple[int, PrintedCell, int]]] = []
    for r, started in enumerate(starts):
        line = []
        for col, cell in started:
            if cell.kind == "empty":
                continue
            down = 1
            while r + down < len(starts) and any(c == col and x.kind == "empty" for c, x in starts[r + down]):
                down += 1
            line.append((col, cell, down))
        placed.append(line)
    return placed


def _continues(rows: list[PrintedRow]) -> list[list[tuple[int, PrintedCell, str | None]]]:
    """Per row, every cell with its grid column and its vertical merge: ``"restart"`` (merged with
    cells below), ``"continue"`` (an ``empty`` continuation) or ``None``."""
    placed = _placed(rows)
    out = []
    for r, row in enumerate(rows):
        spans = {col: down for col, _, down in placed[r]}
        col = 0
        line = []
        for cell in row:
            merge = "continue" if cell.kind == "empty" else "restart" if spans.get(col, 1) > 1 else None
            line.append((col, cell, merge))
            col += cell.span
        out.append(line)
    return out


def _check(report: Report) -> None:
    if report.format not in FORMATS:
        raise ValueError(f"can only render formats {FORMATS}, not {report.format!r}")
    if not report.meta.agency or not report.meta.year:
        raise ValueError("rendering needs a report with meta.agency and meta.year")


# ---------------------------------------------------------------------------------------------
# text variation shared by Word and HTML


_COLUMN_WIDTHS = {  # twentieths of a point (dxa); each table 8640 wide (6 in)
    "A": (2400, 2080, 2080, 2080),
    "B": (560, 900, 2280) + (700,) * 6 + (700,),
    "C": (576,) * 15,
    "L": (5200, 1200, 2240),
}


class _Look:
    """One document's choices: fonts, sizes, wrapping habits."""

    def __init__(self, rng: random.Random, kind: str) -> None:
        self.kind = kind
        self.title_font = rng.choice(("方正小标宋简体", "宋体", "黑体", "华文中宋"))
        self.body_font = rng.choice(("仿宋_GB2312", "仿宋", "宋体"))
        self.heading_font = rng.choice(("黑体", self.body_font))
        self.title_size = rng.choice((36, 40, 44))
        self.body_size = rng.choice((28, 32))
        self.table_size = rng.choice((18, 21, 24))
        self.title_one_para = rng.random() < 0.3
        self.rules_only = rng.random() < 0.1  # horizontal rules, no vertical lines, as one office fixture
        self.centered = rng.random() < 0.7  # cells centred (else left-aligned, as that fixture's)
        self.split_a = rng.random() < 0.2
        self.vertical_result = rng.random() < 0.15  # 三、本年度办理结果 one character per line
        self.vertical_c = rng.random() < 0.15
        self.wrap_b_headers = rng.random() < 0.2  # 商业/企业
        self.wrap_a_headers = rng.random() < 0.3
        self.double_numbering = rng.random() < 0.1
        self.break_as_para = rng.random() < 0.5  # a wrapped cell: a second paragraph, not a line break
        self.split_runs = rng.random() < 0.5
        self.blank_space = rng.random() < 0.2
        self.cant_split = rng.random() < 0.3  # rows kept whole at a page break (w:cantSplit)
        self.valign_center = rng.random() < 0.6  # cells centred vertically (w:vAlign)
        self.repeat_header = rng.random() < 0.2  # table B's header rows repeated on each page (w:tblHeader)
        # LibreOffice's HTML export of table C now and then adds a sixteenth, sliver column after
        # 行政复议's 总计 (the rows' cell edges disagree by a hair): 总计 spans two, 行政诉讼 eleven
        self.lo_sliver_column = rng.random() < 0.5


def _cell_lines(cell: PrintedCell, name: str, look: _Look, rng: random.Random) -> list[str]:
    """The lines a cell's text is printed on (a label or header wrapped in its narrow column)."""
    text = cell.text
    if cell.kind == "value":
        return [text.strip()] if text.strip() else []
    if "\n" in text:
        return text.split("\n")
    if name == "B" and cell.kind == "label" and text == "三、本年度办理结果" and look.vertical_result:
        return list(text)
    if name == "C" and cell.kind == "header" and text in C_HEADERS[:4] and look.vertical_c:
        return list(text)
    if name == "B" and cell.kind == "header" and len(text) in (4, 6) and look.wrap_b_headers:
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    if name == "A" and cell.kind == "header" and len(text) >= 6 and "（" not in text and look.wrap_a_headers:
        return [text[:3], text[3:]]
    if cell.kind == "label" and len(text) >= 10 and rng.random() < 0.1:
        cut = rng.randint(4, len(text) - 3)
        return [text[:cut], text[cut:]]
    return [text]


def _heading_text(text: str, look: _Look) -> str:
    if look.double_numbering and "、" in text[:3]:
        return text[: text.index("、") + 1] + text
    return text


def _tables_of(part: Part, look: _Look) -> list[tuple[str, list[PrintedRow]]]:
    """A table part as the grids it is printed in (table A now and then one grid per block)."""
    name, rows = part.item
    if name != "A" or not look.split_a:
        return [(name, rows)]
    out: list[tuple[str, list[PrintedRow]]] = []
    for row in rows:
        if len(row) == 1 and row[0].text.startswith("第二十条"):
            out.append((name, []))
        out[-1][1].append(row)
    return out


# ---------------------------------------------------------------------------------------------
# Word

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _x(text: str) -> str:
    return _html.escape(text, quote=False)


def _split_points(text: str, rng: random.Random, look: _Look, p: float) -> list[str]:
    """The text as Word's runs: split now and then where an edit left a run boundary."""
    if not look.split_runs or len(text) < 4 or rng.random() >= p:
        return [text]
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(1, 2))))
    return [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]


def _w_run(text: str, font: str, size: int, *, bold: bool = False) -> str:
    rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
           + ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    pieces = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_x(t)}</w:t>' for t in pieces)
    return f"<w:r>{rpr}{body}</w:r>"


def _w_runs(text: str, rng: random.Random, look: _Look, font: str, size: int, *, bold: bool = False,
            p: float = 0.3) -> str:
    out = []
    for i, piece in enumerate(_split_points(text, rng, look, p)):
        if i and rng.random() < 0.2:
            out.append(rng.choice(('<w:proofErr w:type="spellStart"/>', '<w:proofErr w:type="gramEnd"/>',
                                   '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>')))
        out.append(_w_run(piece, font, size, bold=bold))
    return "".join(out)


def _w_para(runs: str, *, jc: str | None = None, indent: bool = False, spacing: bool = False) -> str:
    ppr = ""
    if spacing:
        ppr += '<w:spacing w:line="560" w:lineRule="exact"/>'
    if indent:
        ppr += '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{runs}</w:p>"


def _w_table(name: str, rows: list[PrintedRow], look: _Look, rng: random.Random) -> str:
    widths = _COLUMN_WIDTHS[name]
    if look.rules_only:
        borders = ('<w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                   '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                   '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                   '<w:insideV w:val="nil"/>')
    else:
        borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
           'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    font, size = look.body_font if look.body_font != "仿宋_GB2312" else "宋体", look.table_size
    for row in _continues(rows):
        trpr = "<w:cantSplit/>" if look.cant_split else ""
        if look.repeat_header and name == "B" and all(c.kind in ("header", "empty") for _, c, _ in row):
            trpr += "<w:tblHeader/>"
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>" if trpr else "<w:tr>")
        for col, cell, merge in row:
            width = sum(widths[col:col + cell.span])
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if merge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif merge == "continue":
                tcpr += "<w:vMerge/>"
            if look.valign_center:
                tcpr += '<w:vAlign w:val="center"/>'
            jc = "left" if (cell.kind == "label" and name in ("A", "L")) or not look.centered else "center"
            if merge == "continue":
                paras = "<w:p/>"
            elif cell.kind == "value" and cell.blank:
                paras = _w_para(_w_run(" ", font, size) if look.blank_space and rng.random() < 0.5 else "", jc=jc)
            else:
                lines = _cell_lines(cell, name, look, rng)
                bold = cell.kind == "header"
                if len(lines) > 1 and not look.break_as_para:
                    paras = _w_para(_w_runs("\n".join(lines), rng, look, font, size, bold=bold), jc=jc)
                else:
                    p = 0.05 if cell.kind == "value" else 0.2
                    paras = "".join(_w_para(_w_runs(t, rng, look, font, size, bold=bold, p=p), jc=jc) for t in lines)
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _w_body(parts: list[Part], rng: random.Random, look: _Look) -> str:
    out: list[str] = []
    titles = [p.item for p in parts if p.role == "title"]
    for part in parts:
        role = part.role
        if role == "title":
            if look.title_one_para and len(titles) == 2:
                if part.item == titles[0]:
                    out.append(_w_para(_w_runs("\n".join(titles), rng, look, look.title_font, look.title_size, bold=True),
                                       jc="center"))
                continue
            out.append(_w_para(_w_runs(part.item, rng, look, look.title_font, look.title_size, bold=True), jc="center"))
        elif role == "blank":
            out.append("<w:p/>")
        elif role == "heading":
            out.append(_w_para(_w_runs(_heading_text(part.item, look), rng, look, look.heading_font, look.body_size,
                                       bold=look.heading_font != "黑体"), spacing=True,
                               indent=rng.random() < 0.5))
        elif role == "caption":
            out.append(_w_para(_w_runs(part.item, rng, look, look.heading_font, look.body_size, bold=True), jc="center"))
        elif role == "table":
            for i, (name, rows) in enumerate(_tables_of(part, look)):
                if i:
                    out.append("<w:p/>")
                out.append(_w_table(name, rows, look, rng))
            out.append("<w:p/>")  # Word keeps a paragraph after a table
        elif role in ("signature", "date"):
            out.append(_w_para(_w_runs(part.item.strip(), rng, look, look.body_font, look.body_size), jc="right"))
        else:
            out.append(_w_para(_w_runs(part.item, rng, look, look.body_font, look.body_size, p=0.4), indent=True,
                               spacing=True))
    return "".join(out)


_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _package_docx(body_xml: str) -> bytes:
    try:
        import docx
        from docx.oxml import parse_xml
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise MissingDependency("render_docx needs python-docx (pip install python-docx)") from exc
    document = docx.Document()
    body = document.element.body
    sect = body.sectPr
    for el in list(body):
        if el is not sect:
            body.remove(el)
    fragment = parse_xml(f'<w:body xmlns:w="{_W_NS}">{body_xml}</w:body>')
    for el in list(fragment):
        sect.addprevious(el)
    raw = io.BytesIO()
    document.save(raw)
    # python-docx stamps every zip member with the current time: rewrite with a fixed one
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def render_docx(report: Report, *, rng: random.Random | None = None) -> bytes:
    """The report as a Word document (.docx bytes), its tables laid out as the national format's.

    Deterministic for a given ``rng`` state (``random.Random(0)`` when ``None``): the same state
    gives the same bytes. See the module docstring for what varies.
    """
    _check(report)
    rng = rng if rng is not None else random.Random(0)
    parts = document_parts(report, rng, "office")
    look = _Look(rng, "docx")
    return _package_docx(_w_body(parts, rng, look))


# ---------------------------------------------------------------------------------------------
# HTML


def _h(text: str) -> str:
    return _html.escape(text, quote=False)


def _lo_runs(text: str, font: str, size_pt: int, *, bold: bool = False) -> str:
    """LibreOffice's runs: CJK text in a ``<font face>``, other characters outside it."""
    sz = {9: 2, 10: 2, 12: 3, 14: 4, 16: 4, 18: 5, 22: 6}.get(size_pt, 3)
    out = []
    for m in re.finditer(r"[\u3000-\u9fff\uff00-\uffef“”]+|[^\u3000-\u9fff\uff00-\uffef“”]+", text):
        piece = _h(m.group())
        if bold:
            piece = f"<b>{piece}</b>"
        inner = f'<font size="{sz}" style="font-size: {size_pt}pt">{piece}</font>'
        if re.match(r"[\u3000-\u9fff\uff00-\uffef“”]", m.group()):
            inner = f'<font face="{font}">{inner}</font>'
        out.append(inner)
    return "".join(out)


class _Html:
    def __init__(self, rng: random.Random, look: _Look) -> None:
        self.rng = rng
        self.look = look
        self.style = rng.choice(("libreoffice", "cms"))
        self.th = rng.random() < 0.3  # CMS markup: header cells as <th>
        self.font = look.body_font
        self.table_pt = {18: 9, 21: 10, 24: 12}[look.table_size]

    # -- blocks
    def para(self, text: str, role: str) -> str:
        look, lo = self.look, self.style == "libreoffice"
        if role == "blank":
            return '<p class="western" style="margin-bottom: 0.14in"><br/>\n</p>' if lo else "<p>&nbsp;</p>"
        if role == "heading":
            text = _heading_text(text, look)
        if role == "title":
            if lo:
                return (f'<p class="western" align="center" style="margin-bottom: 0.14in">'
                        f'{_lo_runs(text, look.title_font, look.title_size // 2, bold=True)}</p>')
            return f'<p style="text-align: center;"><strong><span style="font-size: 22px;">{_h(text)}</span></strong></p>'
        if role in ("heading", "caption"):
            if lo:
                align = ' align="center"' if role == "caption" else ""
                return (f'<p class="western"{align} style="margin-bottom: 0.14in">'
                        f'{_lo_runs(text, look.heading_font, look.body_size // 2, bold=True)}</p>')
            tag = self.rng.choice(("p", "p", "h3")) if role == "heading" else "p"
            style = ' style="text-align: center;"' if role == "caption" else ' style="text-indent: 2em;"'
            return f"<{tag}{style}><strong>{_h(text)}</strong></{tag}>"
        if role in ("signature", "date"):
            text = text.strip()
            if lo:
                return (f'<p class="western" align="right" style="margin-bottom: 0.14in">'
                        f'{_lo_runs(text, self.font, look.body_size // 2)}</p>')
            return f'<p style="text-align: right;">{_h(text)}</p>'
        if lo:
            return (f'<p class="western" style="text-indent: 0.44in; margin-bottom: 0.14in">'
                    f'{_lo_runs(text, self.font, look.body_size // 2)}</p>')
        lead = "&nbsp;" * 4 if self.rng.random() < 0.3 else ""
        style = "" if lead else ' style="text-indent: 2em;"'
        return f'<p{style}><span style="font-family: {self.font}; font-size: 16px;">{lead}{_h(text)}</span></p>'

    # -- tables
    def cell_html(self, cell: PrintedCell, name: str) -> str:
        look, rng, lo = self.look, self.rng, self.style == "libreoffice"
        align = "left" if (cell.kind == "label" and name in ("A", "L")) or not look.centered else "center"
        if cell.kind == "value" and cell.blank:
            if lo:
                return f'<p class="western" align="{align}"><br/>\n</p>'
            return rng.choice(("&nbsp;", "", "<p>&nbsp;</p>", '<p style="text-align: center;">&nbsp;</p>'))
        lines = _cell_lines(cell, name, look, rng)
        bold = cell.kind == "header"
        if lo:
            if len(lines) > 1 and not look.break_as_para:
                inner = "<br/>".join(_lo_runs(t, self.font, self.table_pt, bold=bold) for t in lines)
                return f'<p class="western" align="{align}">{inner}</p>'
            return "".join(f'<p class="western" align="{align}">{_lo_runs(t, self.font, self.table_pt, bold=bold)}</p>'
                           for t in lines)
        text = rng.choice(("<br>", "<br/>", "<br />")).join(_h(t) for t in lines)
        if cell.kind == "value" and rng.random() < 0.05:
            text = "&nbsp;" + text  # a stray no-break space before a number
        if bold:
            text = f"<strong>{text}</strong>"
        if rng.random() < 0.5:
            return f'<p style="text-align: {align};"><span style="font-size: 12px;">{text}</span></p>'
        return text

    def table(self, name: str, rows: list[PrintedRow]) -> str:
        lo = self.style == "libreoffice"
        widths = [round(w / 15) for w in _COLUMN_WIDTHS[name]]
        sliver = lo and name == "C" and self.look.lo_sliver_column
        if sliver:
            widths = widths[:5] + [2] + widths[5:]
        if lo:
            head = [f'<table width="{sum(widths)}" cellpadding="7" cellspacing="0">']
            head += [f'\t<col width="{w}"/>\n' for w in widths]
        else:
            head = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" '
                    'style="border-collapse: collapse;"><tbody>']
        out = head
        border = ("border-top: 1px solid #000000; border-bottom: 1px solid #000000; "
                  + ("border-left: none; border-right: none" if self.look.rules_only else
                     "border-left: 1px solid #000000; border-right: 1px solid #000000"))
        for row in _placed(rows):
            out.append('\t<tr valign="top">' if lo else "<tr>")
            for col, cell, down in row:
                attrs = ""
                span = cell.span
                if sliver and (col == 4 and span == 1 or col == 5 and span == 10):
                    span += 1  # 总计 (review) and 行政诉讼 take in the sliver column
                elif sliver and col >= 5:
                    col += 1
                if down > 1:
                    attrs += f' rowspan="{down}"'
                if span > 1:
                    attrs += f' colspan="{span}"'
                if lo:
                    attrs += f' width="{sum(widths[col:col + span])}" style="{border}; padding: 0in 0.08in"'
                    out.append(f"\t\t<td{attrs}>{self.cell_html(cell, name)}\n\t\t</td>")
                else:
                    if self.rng.random() < 0.3:
                        attrs += ' valign="middle"'
                    tag = "th" if self.th and cell.kind == "header" else "td"
                    out.append(f"<{tag}{attrs}>{self.cell_html(cell, name)}</{tag}>")
            out.append("\t</tr>" if lo else "</tr>")
        out.append("</table>" if lo else "</tbody></table>")
        return "\n".join(out)

    def body(self, parts: list[Part]) -> str:
        out = []
        for part in parts:
            if part.role == "table":
                for i, (name, rows) in enumerate(_tables_of(part, self.look)):
                    if i:
                        out.append(self.para("", "blank"))
                    out.append(self.table(name, rows))
            else:
                out.append(self.para(part.item, part.role))
        return "\n".join(out)


def _page(report: Report, body: str, rng: random.Random, style: str, charset: str, *, portal: bool) -> str:
    meta = report.meta
    agency, year = meta.agency, meta.year
    if not agency or not year:  # refused by _check before anything was drawn
        raise ValueError("rendering needs a report with meta.agency and meta.year")
    title = f"{agency}{year}年政府信息公开工作年度报告"
    if style == "libreoffice":
        head = (f'<!DOCTYPE html>\n<html>\n<head>\n\t<meta http-equiv="content-type" content="text/html; charset={charset}"/>\n'
                '\t<title></title>\n\t<meta name="generator" content="LibreOffice 7.4.7.2 (Linux)"/>\n'
                '\t<style type="text/css">\n\t\tp { line-height: 115%; margin-bottom: 0.08in }\n'
                '\t\tp.western { font-family: "Times New Roman", serif }\n\t</style>\n</head>\n')
    else:
        head = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{charset}">\n<title>{_h(title)}</title>\n'
                "<style>.TRS_Editor p{line-height:2}</style>\n</head>\n")
    content = (body if style == "libreoffice" else
               f'<div class="TRS_Editor">\n{body}\n</div>')
    if not portal:
        return head + f'<body lang="zh-CN" dir="ltr">\n{content}\n</body>\n</html>\n'
    made = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    if meta.published:
        made = meta.published.isoformat()
    index = f"{rng.randint(10**7, 10**8 - 1)}MB{rng.randint(1000, 9999)}/{year + 1}-{rng.randint(1, 999):05d}"
    menu = "".join(f"<tr><td>{t}</td></tr>" for t in ("信息公开指南", "信息公开制度", "法定主动公开内容", "政府信息公开年报"))
    nav = "".join(f'<li><a href="/col/{i}">栏目{i}</a></li>' for i in range(1, rng.randint(6, 12)))
    script = ('<script>var _hmt = _hmt || []; document.write("<table><tr><td>统计</td></tr></table>");</script>\n'
              if rng.random() < 0.5 else "")
    return (head.replace("</head>", script + "<style>.nav li{display:inline}</style>\n</head>")
            + f'<body><div class="top"><table width="100%"><tr><td><img src="/logo.png" alt="{_h(agency)}"></td>'
            "<td>无障碍 | 长者模式 | English</td></tr></table></div>\n"
            f'<ul class="nav">{nav}</ul>\n'
            '<table class="layout" width="1000"><tr><td width="200" valign="top">'
            f"<table>{menu}</table></td>\n"
            '<td valign="top"><div class="xxgk_table"><table class="meta"><tr><td>索引号：</td>'
            f"<td>{index}</td><td>发布机构：</td><td>{_h(agency)}</td></tr>"
            f"<tr><td>生成日期：</td><td>{made}</td><td>主题分类：</td><td>政务公开</td></tr></table></div>\n"
            f'<div class="article-content">{content}</div>\n'
            '<div class="share">分享到：微信 微博 &nbsp;&nbsp;【打印本页】【关闭窗口】</div></td></tr></table>\n'
            f'<div class="footer"><table><tr><td>主办单位：{_h(agency)} &nbsp; 网站标识码：'
            f"{rng.randint(10**9, 10**10 - 1)}</td></tr></table></div>\n</body></html>\n")


def render_html(report: Report, *, rng: random.Random | None = None, encoding: str = "utf-8") -> bytes:
    """The report as a web page (bytes in ``encoding``: ``utf-8`` or ``gbk``, declared in a meta charset).

    Tables use ``rowspan``/``colspan`` where the Word tables merge cells. Deterministic for a
    given ``rng`` state (``random.Random(0)`` when ``None``). See the module docstring.
    """
    _check(report)
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf8", "utf-8"):
        enc, charset = "utf-8", "utf-8"
    elif enc in ("gbk", "gb2312", "cp936", "gb18030"):
        enc = "gb18030" if enc == "gb18030" else "gbk"
        charset = None
    else:
        raise ValueError(f"encoding must be utf-8 or gbk, not {encoding!r}")
    rng = rng if rng is not None else random.Random(0)
    parts = document_parts(report, rng, "office")
    look = _Look(rng, "html")
    page = _Html(rng, look)
    portal = rng.random() < 0.3
    if charset is None:
        charset = enc if enc == "gb18030" else rng.choice(("gbk", "gb2312"))
    text = _page(report, page.body(parts), rng, page.style, charset, portal=portal)
    return text.encode(enc, errors="xmlcharrefreplace")
