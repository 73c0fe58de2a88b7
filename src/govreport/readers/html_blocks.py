"""Web pages (.html/.htm, including Word and LibreOffice "save as web page" output) as paragraphs and grids.

Shared by the ``html`` reader (:func:`read_html`), the ``docx`` reader (HTML embedded through
``w:altChunk``) and the ``markdown`` reader (HTML ``<table>`` blocks, :func:`fragment_blocks`).

Block-level text (``p``, ``div``, ``h1``–``h6``, ``li`` …, and lines separated by ``<br>``) becomes
paragraphs; every ``<table>`` becomes a grid. A cell spanning columns (``colspan``) appears once;
the positions a ``rowspan`` cell covers in later rows are filled with empty cells marked
``merged`` (the same shape the docx reader gives a ``w:vMerge`` continuation). Layout tables —
tables whose rows hold other tables — are flattened: those rows are unpacked into paragraphs and
grids, so each inner data table comes out as a grid of its own.

Scripts, styles, forms and hidden elements are skipped. HTML a page writes with
``document.write("…")`` is recovered from the script's string literals and read where the script
stands (:mod:`govreport.readers.html_script`). On a portal page the article body is preferred when one element clearly holds most of the
page's text (menus, breadcrumbs and footers around it are dropped; headings before it are kept).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..document import Cell, Document, Grid, Location, Paragraph
from ..errors import UnreadableInput
from ..source import Source, decode_text
from .html_script import inline_document_write

#: Elements never shown as text.
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "frame",
        "frameset", "object", "embed", "applet", "svg", "math", "canvas", "map", "select", "option",
        "optgroup", "button", "input", "textarea", "datalist", "audio", "video", "img", "xml",
    }
)

#: Elements that start and end a line of text.
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
        "article", "header", "footer", "main", "aside", "nav", "blockquote", "pre", "address", "center",
        "form", "fieldset", "legend", "figure", "figcaption", "hr", "caption", "tr", "td", "th",
        "tbody", "thead", "tfoot", "table", "body", "html", "details", "summary", "menu", "dir",
        "listing", "xmp", "plaintext", "hgroup", "option",
    }
)

#: Containers the article-body search may descend into.
_CONTAINERS = frozenset(
    {"body", "div", "section", "article", "main", "center", "form", "table", "tbody", "thead", "tfoot",
     "tr", "td", "th", "span", "font", "blockquote"}
)

_HEADINGS = frozenset({"h1", "h2", "h3"})

_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u200b\u2028\u2029\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

#: Share of the page's text an element must hold to be taken as the article body.
_BODY_SHARE = 0.8


def read_html(source: Source, reader: str = "html") -> Document:
    """The paragraphs and grids of a web page; ``reader`` names the Document's reader."""
    text = source.text
    if text is None:
        text, _ = decode_text(source.data, source.name, html=True)
    root = _parse(text, source.name)
    problems: list[str] = []
    inline_document_write(root, problems)
    body = root.find("body")
    if body is None:
        body = root
    content, before = _article(body)
    walker = _Walker()
    try:
        for heading in before:
            walker.walk(heading)
            walker.flush()
        walker.walk(content)
        walker.flush()
    except RecursionError:
        raise UnreadableInput(f"{source.name}: tables nested too deeply to read") from None
    if not walker.grid_no:
        images = sum(1 for img in content.iter("img") if not _hidden(img))
        if images:
            problems.append(
                f"the page has no tables but {images} image(s): its tables may be pictures, which need OCR"
            )
    return Document(blocks=tuple(walker.blocks), reader=reader, problems=tuple(problems))


def fragment_blocks(text: str, name: str, first_grid: int = 0) -> tuple[list[Paragraph | Grid], list[int | None]]:
    """The paragraphs and grids of an HTML fragment, its grids numbered from ``first_grid``, and the
    source line of each row that is not a layout row, in document order.

    A fragment is read whole: no article body is looked for and no script is run.
    """
    root = _parse(text, name)
    body = root.find("body")
    walker = _Walker()
    walker.grid_no = first_grid
    walker.walk(root if body is None else body)
    walker.flush()
    row_lines = [tr.sourceline for tr in root.iter("tr") if not any(_is_layout_cell(td) for td in _cells(tr))]
    return walker.blocks, row_lines


# -- parsing ------------------------------------------------------------------------------------


def _parse(text: str, name: str):
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text.lstrip("\ufeff"), count=1)
    if not text.strip():
        raise UnreadableInput(f"{name}: the page is empty")
    try:
        # huge_tree lifts libxml2's nesting limit (256), past which it silently drops content
        return lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableInput(f"{name}: the page cannot be parsed as HTML ({exc})") from None


def _tag(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entities
    if tag[:1] == "{":
        tag = tag.rsplit("}", 1)[1]
    return tag.lower()


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(style))


# -- the article body ---------------------------------------------------------------------------


def _text_sizes(root) -> dict:
    """Visible characters (whitespace excluded) under each element, by element.

    Computed bottom-up over the elements in reverse document order (children before parents), so
    deeply nested pages need no recursion.
    """
    sizes: dict = {}
    for el in reversed(list(root.iter())):
        if not _tag(el):
            continue
        total = _visible_len(el.text)
        for child in el:
            tag = _tag(child)
            if tag and tag not in _SKIP and not _hidden(child):
                total += sizes.get(child, 0)
            total += _visible_len(child.tail)
        sizes[el] = total
    return sizes


def _visible_len(s: str | None) -> int:
    return len(_WS.sub("", s)) if s else 0


def _article(body):
    """The element holding the article (``body`` itself unless one element clearly holds most text),
    and the headings that precede it outside it."""
    sizes = _text_sizes(body)
    total = sizes.get(body, 0)
    if total == 0:
        return body, []
    node = body
    while True:
        best = None
        for child in node:
            tag = _tag(child)
            if tag in _CONTAINERS and not _hidden(child) and sizes.get(child, 0) >= _BODY_SHARE * total:
                best = child
                break
        if best is None:
            break
        tag = _tag(best)
        if tag in ("table", "tbody", "thead", "tfoot", "tr") and not _is_layout(best):
            break  # a data table is read whole, never entered
        if _has_flow_text_beside(node, best, sizes):
            break  # paragraphs of text next to it: it is part of the document, not its body
        node = best
    if node is body:
        return body, []
    headings = []
    ancestors = set(node.iterancestors())
    for el in body.iter():
        if el is node:
            break
        if _tag(el) in _HEADINGS and el not in ancestors and not _hidden(el):
            if not any(a in headings for a in el.iterancestors()):
                headings.append(el)
    return node, headings


#: Elements that page chrome (menus, banners, breadcrumbs, footers) is built from.
_CHROME = frozenset(
    {"div", "ul", "ol", "nav", "header", "footer", "aside", "table", "form", "section", "dl", "menu", "a",
     "iframe", "center", "h1", "h2", "h3", "td", "th", "tr", "tbody", "thead", "tfoot"}
)


def _has_flow_text_beside(parent, child, sizes: dict) -> bool:
    """True when ``parent`` holds running text (bare text, paragraphs, inline elements) beside ``child``."""
    if _visible_len(parent.text):
        return True
    for sib in parent:
        if _visible_len(sib.tail):
            return True
        if sib is child:
            continue
        tag = _tag(sib)
        if tag and tag not in _CHROME and sizes.get(sib, 0) > 0:
            return True
    return False


def _is_layout(el) -> bool:
    """A table (or part of one) whose cells hold other tables."""
    tables = el.iter("table")
    if _tag(el) == "table":
        next(tables, None)  # itself
    return next(tables, None) is not None


# -- walking ------------------------------------------------------------------------------------


def _collapse(s: str) -> str:
    return _WS.sub(" ", s).strip()


class _Lines:
    """Collects inline text; each flush ends a line."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.lines: list[tuple[str, int | None]] = []
        self.line_no: int | None = None

    def add(self, text: str | None, line: int | None = None) -> None:
        if text:
            if self.line_no is None and text.strip():
                self.line_no = line
            self.buf.append(text)

    def flush(self) -> None:
        if self.buf:
            text = _collapse("".join(self.buf))
            if text:
                self.lines.append((text, self.line_no))
            self.buf = []
            self.line_no = None


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Grid] = []
        self.lines = _Lines()
        self.grid_no = 0

    def flush(self) -> None:
        self.lines.flush()
        for text, line in self.lines.lines:
            self.blocks.append(Paragraph(text=text, loc=Location(line=line)))
        self.lines.lines = []

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag == "table":
            self.flush()
            self.table(el)
            return
        _inline(el, self.lines, on_table=self._table_in_flow)

    def _table_in_flow(self, el) -> None:
        self.flush()
        self.table(el)

    # -- tables ---------------------------------------------------------------------------------
    def table(self, table) -> None:
        caption = None
        for child in table:
            if _tag(child) == "caption":
                caption = child
        if caption is not None:
            _inline(caption, self.lines, on_table=self._table_in_flow)
            self.flush()
        pending: list = []
        for tr in _rows(table):
            tds = list(_cells(tr))
            if any(_is_layout_cell(td) for td in tds):
                self.emit_grid(pending)
                pending = []
                for td in tds:  # a layout row: its cells' content in reading order
                    _inline(td, self.lines, on_table=self._table_in_flow)
                    self.flush()
            else:
                pending.append(tds)
        self.emit_grid(pending)

    def emit_grid(self, rows: list[list]) -> None:
        if not rows:
            return
        index = self.grid_no
        out_rows: list[tuple[Cell, ...]] = []
        # grid column -> (rows it still covers below, its colspan), for cells with rowspan > 1
        covered: dict[int, tuple[int, int]] = {}
        for r, tds in enumerate(rows):
            cells: list[Cell] = []
            used: set[int] = set()
            col = 0

            def merged_at(c: int) -> int:
                used.add(c)
                cells.append(Cell(text="", loc=Location(table=index, row=r, col=c), merged=True))
                return covered[c][1]

            for td in tds:
                while col in covered and col not in used:
                    col += merged_at(col)
                colspan = _span(td.get("colspan"), 1, 1000) or 1
                rowspan = _span(td.get("rowspan"), 1, 10000)
                if rowspan == 0:  # "to the end of the table section"
                    rowspan = len(rows) - r
                rowspan = min(rowspan, len(rows) - r)
                cells.append(Cell(text=_cell_text(td), loc=Location(table=index, row=r, col=col)))
                if rowspan > 1:
                    covered[col] = (rowspan, colspan)  # decremented below, with this row
                    used.add(col)
                col += colspan
            for c in sorted(covered):
                if c not in used and c >= col:
                    merged_at(c)
            for c in list(covered):  # every covered position moves down one row
                left, span = covered[c]
                if left <= 1:
                    del covered[c]
                else:
                    covered[c] = (left - 1, span)
            out_rows.append(tuple(cells))
        if not any(out_rows):
            return
        self.grid_no += 1
        self.blocks.append(Grid(rows=tuple(out_rows), loc=Location(table=index, line=_line(rows))))


def _line(rows: list[list]) -> int | None:
    for tds in rows:
        for td in tds:
            return td.sourceline
    return None


def _span(value: str | None, default: int, cap: int) -> int:
    if value is None:
        return default
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return default
    return min(int(m.group(1)), cap)


def _rows(table) -> Iterator:
    """The rows of ``table`` itself (not of tables nested in it), in order."""
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            if not _hidden(child):
                yield child
        elif tag in ("thead", "tbody", "tfoot") and not _hidden(child):
            for tr in child:
                if _tag(tr) == "tr" and not _hidden(tr):
                    yield tr


def _cells(tr) -> Iterator:
    for child in tr:
        if _tag(child) in ("td", "th") and not _hidden(child):
            yield child


#: A cell holding at least this many blocks of text and characters is running text (a frame
#: around the page's content), not a table cell: its blocks are read as paragraphs.
LAYOUT_BLOCKS = 4
LAYOUT_CHARS = 100


def _is_layout_cell(td) -> bool:
    """A cell used for page layout: it holds a table, or several blocks of running text."""
    if next(td.iter("table"), None) is not None:
        return True
    if len(_WS.sub("", "".join(td.itertext()))) < LAYOUT_CHARS:
        return False
    return _block_count(td) >= LAYOUT_BLOCKS


def _block_count(td) -> int:
    """Innermost block elements holding text in the cell (paragraphs, not <br> lines)."""
    n = 0
    for el in td.iter():
        if el is td or _tag(el) not in _BLOCK or _hidden(el):
            continue
        if any(_tag(d) in _BLOCK for d in el.iterdescendants()):
            continue
        if "".join(el.itertext()).strip():
            n += 1
    return n


def _cell_text(td) -> str:
    lines = _Lines()

    def nested(table) -> None:  # only reached for tables inside hidden-from-layout contexts
        lines.flush()
        for tr in _rows(table):
            for cell in _cells(tr):
                lines.add(_cell_text(cell))
                lines.flush()

    _inline(td, lines, on_table=nested)
    lines.flush()
    return "\n".join(text for text, _ in lines.lines)


def _inline(el, lines: _Lines, *, on_table) -> None:
    """Feed the text of ``el`` into ``lines``, ending lines at block elements and ``<br>``.

    Walks with an explicit stack (no recursion), so any depth of nesting is read.
    """
    # actions: (0, node) open an element; (1, node) a child's turn; (2, node) a child's tail;
    # (3, block) close an element
    stack: list[tuple[int, Any]] = [(0, el)]  # lxml elements (untyped) and closing flags
    top = True
    while stack:
        action, node = stack.pop()
        if action == 0:
            block = _tag(node) in _BLOCK and not top
            top = False
            if block:
                lines.flush()
            lines.add(node.text, node.sourceline)
            stack.append((3, block))
            for child in reversed(node):
                stack.append((2, child))
                stack.append((1, child))
        elif action == 1:
            ctag = _tag(node)
            if ctag and ctag not in _SKIP and not _hidden(node):
                if ctag == "table":
                    on_table(node)
                elif ctag == "br":
                    lines.flush()
                else:
                    stack.append((0, node))
        elif action == 2:
            lines.add(node.tail, node.sourceline)
        elif node:  # closing a block element
            lines.flush()
