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
stands. On a portal page the article body is preferred when one element clearly holds most of the
page's text (menus, breadcrumbs and footers around it are dropped; headings before it are kept).
"""

from __future__ import annotations

import re
from typing import Any, Iterator
from urllib.parse import unquote

from ..document import Cell, Document, Grid, Location, Paragraph
from ..errors import UnreadableInput
from ..source import Source, decode_text

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
    _inline_document_write(root, problems)
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
    import lxml.html  # type: ignore[import-untyped]  # lxml ships no type hints
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


# -- document.write -----------------------------------------------------------------------------

_DOC_WRITE = re.compile(r"\bdocument\s*\.\s*write(?:ln)?\s*\(")
_DECODERS = ("unescape", "decodeURIComponent", "decodeURI")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}


def _inline_document_write(root, problems: list[str]) -> None:
    """Replace each script that calls ``document.write`` with the HTML it writes."""
    import lxml.html

    body = root.find("body")
    head_inserts = 0
    for script in list(root.iter("script")):
        if script.get("src") or not script.text or "write" not in script.text:
            continue
        kind = (script.get("type") or "").lower()
        if kind and "javascript" not in kind and "ecmascript" not in kind:
            continue
        written = js_written_html(script.text)
        if written is None or not written.strip():
            continue
        try:
            nodes = lxml.html.fragments_fromstring(written)
        except Exception:  # a written fragment too broken to parse: read its text only
            problems.append(f"line {script.sourceline}: HTML written by a script could not be parsed")
            continue
        line = script.sourceline
        for n in nodes:
            if not isinstance(n, str):
                for e in n.iter():
                    try:
                        e.sourceline = line
                    except (AttributeError, TypeError):  # pragma: no cover
                        pass
        in_head = any(_tag(a) == "head" for a in script.iterancestors())
        if in_head and body is not None:
            # a script in <head> writes at the start of the body, as a browser shows it
            _remove(script)
            head_inserts = _insert(body, head_inserts, nodes)
        else:
            _replace(script, nodes)


def js_written_html(code: str) -> str | None:
    """The concatenated string literals passed to ``document.write``/``writeln`` in ``code``."""
    pieces: list[str] = []
    for m in _DOC_WRITE.finditer(code):
        pieces.extend(_call_literals(code, m.end()))
    # escapes can spell characters a page's text cannot hold (lxml refuses them in a tree)
    return _NOT_XML_TEXT.sub("", "".join(pieces)) if pieces else None


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _call_literals(code: str, pos: int) -> list[str]:
    """String literals at the top level of the call whose arguments start at ``pos``.

    Literals passed to ``unescape``/``decodeURIComponent`` are percent-decoded; literals inside
    any other nested call (a function's argument, not text to write) are left out.
    """
    out: list[str] = []
    depth = 0
    decoding: list[bool] = []  # per open parenthesis: is it a decoder call?
    i, n = pos, len(code)
    while i < n:
        ch = code[i]
        if ch in "\"'`":
            lit, i = _js_string(code, i)
            if depth == 0:
                out.append(lit)
            elif all(decoding):
                out.append(unquote(lit))
            continue
        if ch == "(":
            word = re.search(r"([A-Za-z_$][\w$]*)\s*$", code[max(pos, i - 40):i])
            depth += 1
            decoding.append(word is not None and word.group(1) in _DECODERS)
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
            decoding.pop()
        elif ch == ";" and depth == 0:
            break
        elif ch == "/" and code.startswith("//", i):
            j = code.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch == "/" and code.startswith("/*", i):
            j = code.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        i += 1
    return out


def _js_string(code: str, start: int) -> tuple[str, int]:
    """Read the JS string literal at ``start``; return its value and the index after it."""
    quote = code[start]
    buf: list[str] = []
    i, n = start + 1, len(code)
    while i < n:
        ch = code[i]
        if ch == "\\" and i + 1 < n:
            nxt = code[i + 1]
            if nxt == "x" and re.match(r"[0-9A-Fa-f]{2}", code[i + 2:i + 4]):
                buf.append(chr(int(code[i + 2:i + 4], 16)))
                i += 4
            elif nxt == "u" and code[i + 2:i + 3] == "{":
                j = code.find("}", i + 3)
                try:
                    # at most six hex digits: a longer run overflows chr() (OverflowError, not ValueError)
                    digits = code[i + 3:j] if 0 < j - i - 3 <= 6 else "x"
                    buf.append(chr(int(digits, 16)))
                    i = j + 1
                except ValueError:
                    buf.append("u")
                    i += 2
            elif nxt == "u" and re.match(r"[0-9A-Fa-f]{4}", code[i + 2:i + 6]):
                buf.append(chr(int(code[i + 2:i + 6], 16)))
                i += 6
            elif nxt == "\r" and code[i + 2:i + 3] == "\n":  # line continuation
                i += 3
            elif nxt in "\n\r\u2028\u2029":
                i += 2
            else:
                buf.append(_JS_ESCAPES.get(nxt, nxt))
                i += 2
            continue
        if ch == quote:
            return "".join(buf), i + 1
        if quote == "`" and ch == "$" and code[i + 1:i + 2] == "{":
            j = code.find("}", i)
            i = n if j < 0 else j + 1  # a template substitution: not literal text
            continue
        if ch == "\n" and quote != "`":
            return "".join(buf), i  # unterminated literal
        buf.append(ch)
        i += 1
    return "".join(buf), n


def _remove(el) -> None:
    """Remove ``el`` from the tree, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    _append_text_before(el, el.tail)
    parent.remove(el)


def _append_text_before(el, text: str | None) -> None:
    if not text:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def _replace(el, nodes: list) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    idx = parent.index(el)
    el.tail = None
    parent.remove(el)
    idx = _insert(parent, idx, nodes)
    if tail:
        if idx > 0:
            prev = parent[idx - 1]
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _insert(parent, idx: int, nodes: list) -> int:
    """Insert fragment ``nodes`` (leading text first, then elements) at ``idx``; return the next index."""
    for node in nodes:
        if isinstance(node, str):
            if idx > 0:
                prev = parent[idx - 1]
                prev.tail = (prev.tail or "") + node
            else:
                parent.text = (parent.text or "") + node
            continue
        parent.insert(idx, node)
        idx += 1
    return idx


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
