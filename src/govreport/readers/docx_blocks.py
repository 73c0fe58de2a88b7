"""Word 2007+ (.docx) documents: body paragraphs and tables, in reading order.

Shared by the ``docx`` reader and the ``word`` reader, which has LibreOffice convert a .doc or
.rtf to .docx first (:func:`read_docx`).

The package is opened with python-docx, but the body is walked on the underlying XML so that the
cells come out as Word stores them: a cell spanning several grid columns (``w:gridSpan``) appears
once, and the continuation of a vertically merged cell (``w:vMerge`` without ``val="restart"``)
becomes an empty cell marked ``merged``. A table nested inside a cell (a one-cell layout table
wrapping the real one is common) is flattened: its rows holding tables are unpacked into
paragraphs and grids, so an inner table becomes a grid of its own.

Tracked changes are read as accepted: deleted text (``w:del``) is left out, inserted text kept.
Headers, footers, footnotes and text boxes are not read.
"""

from __future__ import annotations

import email
import email.policy
import io
import zipfile
from typing import TYPE_CHECKING, Iterator

import attrs

from ..document import Cell, Document, Grid, Location, Paragraph
from ..errors import EncryptedInput, GovReportError, MissingDependency, UnreadableInput
from ..source import Source
from .html_blocks import read_html
from .rtf import read_rtf

if TYPE_CHECKING:
    from lxml.etree import _Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W_NS


def _w(tag: str) -> str:
    return _W + tag


P, TBL, TR, TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
T, TAB, BR, CR = _w("t"), _w("tab"), _w("br"), _w("cr")
TCPR, TRPR, VMERGE, HMERGE, GRIDSPAN = _w("tcPr"), _w("trPr"), _w("vMerge"), _w("hMerge"), _w("gridSpan")
FLDCHAR, INSTR, FLDSIMPLE = _w("fldChar"), _w("instrText"), _w("fldSimple")
VAL, FLDCHARTYPE = _w("val"), _w("fldCharType")
NOBREAKHYPHEN, SOFTHYPHEN, SYM, PTAB = _w("noBreakHyphen"), _w("softHyphen"), _w("sym"), _w("ptab")
DEL, MOVEFROM = _w("del"), _w("moveFrom")
ALTCHUNK = _w("altChunk")
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

#: Elements whose content is never body text: properties, deletions, drawings, text boxes.
_SKIP = frozenset(
    {
        _w("pPr"), _w("rPr"), _w("tblPr"), _w("tblGrid"), _w("trPr"), _w("tcPr"), _w("sectPr"),
        DEL, MOVEFROM, _w("delText"), _w("delInstrText"), INSTR,
        _w("drawing"), _w("pict"), _w("object"), _w("footnoteReference"), _w("endnoteReference"),
        _w("commentReference"), _w("sdtPr"), _w("sdtEndPr"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
    }
)

#: Run content that is not text (w:t is handled on its own); w:softHyphen shows nothing.
_RUN_CONTENT = frozenset({TAB, PTAB, BR, CR, NOBREAKHYPHEN, SOFTHYPHEN, SYM})

#: Containers that only wrap block content (content controls, custom XML, tracked insertions).
_BLOCK_WRAPPERS = frozenset({_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo"), _w("smartTag")})


def read_docx(source: Source, reader: str = "docx") -> Document:
    """The paragraphs and grids of a Word 2007+ document; ``reader`` names the Document's reader."""
    body, part = _open_body(source)
    walker = _Walker(part, source.name)
    try:
        walker.blocks_of(body)
    except RecursionError:
        raise UnreadableInput(f"{source.name}: tables nested too deeply to read") from None
    if not walker.grid_no:
        pictures = sum(1 for _ in body.iter(_w("drawing"), _w("pict")))
        if pictures:
            walker.problems.append(
                f"the document has no tables but {pictures} picture(s): its tables may be images "
                "(a scan pasted into Word), which need OCR"
            )
    return Document(blocks=tuple(walker.blocks), reader=reader, problems=tuple(walker.problems))


def _open_body(source: Source):
    """The ``w:body`` element and the main document part (None when read without python-docx)."""
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MissingDependency("reading .docx files needs python-docx (pip install python-docx)") from exc
    data = source.data
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedInput(f"{source.name}: the Word document is protected by a password")
    if not data.startswith(b"PK"):
        raise UnreadableInput(f"{source.name}: not a .docx file (no zip container)")
    try:
        document = docx.Document(io.BytesIO(data))
        return document.element.body, document.part
    except GovReportError:
        raise
    except zipfile.BadZipFile:
        raise UnreadableInput(f"{source.name}: a damaged Word file (broken zip)") from None
    except ValueError as exc:
        if "content type" not in str(exc):
            raise UnreadableInput(f"{source.name}: a damaged Word file ({str(exc)[:160]})") from None
        # a macro-enabled document or a template (.docm, .dotx, .dotm), or a Strict OOXML file:
        # python-docx refuses them, but their body is the same WordprocessingML
        return _body_from_zip(data, source.name), None
    except KeyError as exc:
        try:  # Strict OOXML names its relationships differently; python-docx finds no document
            return _body_from_zip(data, source.name), None
        except UnreadableInput:
            raise UnreadableInput(f"{source.name}: a damaged Word file (missing part {exc})") from None
    except Exception as exc:  # lxml syntax errors, package errors, zlib errors ...
        kind = type(exc).__name__
        if "XMLSyntax" in kind:
            why = "its XML is malformed"
        elif "PackageNotFound" in kind:
            why = "not a Word package"
        elif "zlib" in kind.lower() or "CRC" in str(exc):
            why = "a compressed part is corrupt"
        else:
            why = f"{kind}: {str(exc)[:120]}"
        raise UnreadableInput(f"{source.name}: a damaged Word file ({why})") from None


_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def _body_from_zip(data: bytes, name: str):
    """Find and parse the main document part directly (no python-docx)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            target = "word/document.xml"
            try:
                rels = etree.fromstring(z.read("_rels/.rels"))
                for rel in rels:
                    found = rel.get("Target")
                    if (rel.get("Type") or "").endswith("/officeDocument") and found:
                        target = found.lstrip("/")
                        break
            except (KeyError, etree.XMLSyntaxError):
                pass
            xml = z.read(target)
        parser = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)
        root = etree.fromstring(xml, parser)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, etree.XMLSyntaxError) as exc:
        raise UnreadableInput(f"{name}: a damaged Word file ({type(exc).__name__})") from None
    if root.tag.startswith("{" + _STRICT_W + "}"):
        _unstrict(root)
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableInput(f"{name}: a damaged Word file (the document has no body)")
    return body


def _unstrict(root) -> None:
    """Rename Strict OOXML's WordprocessingML namespace to the transitional one, in place."""
    strict = "{" + _STRICT_W + "}"
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith(strict):
            el.tag = _W + el.tag[len(strict):]
        for key in [k for k in el.attrib if k.startswith(strict)]:
            el.set(_W + key[len(strict):], el.attrib.pop(key))


def paragraph_text(p: _Element) -> str:
    """The visible text of a ``w:p`` element (tracked deletions and field codes left out)."""
    out: list[str] = []
    _collect(p, out, [])
    return "".join(out)


def _collect(el: _Element, out: list[str], fields: list[bool]) -> None:
    # ``fields`` is the stack of open complex fields: True while in a field's instruction part
    # (between begin and separate), False in its result part (between separate and end).
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == T:
            if child.text and not (fields and any(fields)):
                out.append(child.text)
        elif tag == FLDCHAR:
            typ = child.get(FLDCHARTYPE)
            if typ == "begin":
                fields.append(True)
            elif typ == "separate" and fields:
                fields[-1] = False
            elif typ == "end" and fields:
                fields.pop()
        elif tag == P or tag == TBL:
            continue  # never inside a paragraph in valid files
        elif tag in _RUN_CONTENT:
            if fields and any(fields):
                continue  # part of a field's instruction
            if tag == TAB or tag == PTAB:
                out.append("\t")
            elif tag == BR or tag == CR:
                out.append("\n")
            elif tag == NOBREAKHYPHEN:
                out.append("-")
            elif tag == SYM:
                ch = child.get(_w("char"))
                if ch:
                    try:
                        code = int(ch, 16)
                        if code >= 0xF000:  # symbol-font private use area: no meaning outside that font
                            code -= 0xF000
                        if 0x20 <= code < 0x110000:
                            out.append(chr(code))
                    except ValueError:
                        pass
        else:
            _collect(child, out, fields)  # runs, hyperlinks, insertions, smart tags, simple fields


def _clean_cell_text(parts: list[str]) -> str:
    lines = []
    for part in parts:
        for line in part.split("\n"):
            line = line.strip()
            if line:
                lines.append(line)
    return "\n".join(lines)


class _Walker:
    def __init__(self, part=None, name: str = "<docx>") -> None:
        self.part = part
        self.name = name
        self.blocks: list[Paragraph | Grid] = []
        self.problems: list[str] = []
        self.paragraph_no = 0
        self.grid_no = 0

    # -- blocks -------------------------------------------------------------------------------
    def blocks_of(self, container) -> None:
        for child in _block_children(container):
            if child.tag == P:
                self.paragraph(child)
            elif child.tag == TBL:
                self.table(child)
            else:
                self.alt_chunk(child)

    def alt_chunk(self, el) -> None:
        """Content embedded whole from another format (``w:altChunk``): HTML, MHT or RTF."""
        part = None
        try:
            part = self.part.related_parts.get(el.get(R_ID)) if self.part is not None else None
        except (KeyError, AttributeError):
            part = None
        if part is None:
            self.problems.append("an embedded document (altChunk) is missing from the file")
            return
        blob = part.blob
        ctype = (getattr(part, "content_type", "") or "").lower()
        try:
            doc = _read_chunk(blob, ctype, self.name)
        except GovReportError as exc:
            self.problems.append(f"an embedded document (altChunk, {ctype or 'unknown type'}) was not read: {exc}")
            return
        if doc is None:
            self.problems.append(f"an embedded document of type {ctype or 'unknown'} was not read")
            return
        self.problems.extend(doc.problems)
        offset = self.grid_no
        for b in doc.blocks:
            if isinstance(b, Grid):
                rows = tuple(
                    tuple(attrs.evolve(c, loc=attrs.evolve(c.loc, table=(c.loc.table or 0) + offset)) for c in row)
                    for row in b.rows
                )
                self.blocks.append(attrs.evolve(b, rows=rows, loc=Location(table=self.grid_no)))
                self.grid_no += 1
            else:
                self.paragraph_no += 1
                self.blocks.append(attrs.evolve(b, loc=Location(line=self.paragraph_no)))

    def paragraph(self, p) -> None:
        self.paragraph_no += 1
        text = paragraph_text(p).strip()
        if text:
            self.blocks.append(Paragraph(text=text, loc=Location(line=self.paragraph_no)))

    def table(self, tbl) -> None:
        rows = list(_rows(tbl))
        pending: list[list] = []  # rows (lists of tc) without nested tables
        for tr in rows:
            tcs = list(_cells(tr))
            if any(_is_layout_cell(tc) for tc in tcs):
                self.emit_grid(pending)
                pending = []
                for tc in tcs:  # a layout row: unpack its cells in reading order
                    if _is_continuation(tc):
                        continue
                    self.blocks_of(tc)
            else:
                pending.append(tcs)
        self.emit_grid(pending)

    def emit_grid(self, rows: list[list]) -> None:
        if not rows:
            return
        index = self.grid_no
        out_rows = []
        for r, tcs in enumerate(rows):
            cells = []
            col = 0
            for tc in tcs:
                span = _grid_span(tc)
                if _is_continuation(tc):
                    cells.append(Cell(text="", loc=Location(table=index, row=r, col=col), merged=True))
                else:
                    parts = [paragraph_text(p) for p in _block_children(tc) if p.tag == P]
                    cells.append(Cell(text=_clean_cell_text(parts), loc=Location(table=index, row=r, col=col)))
                col += span
            out_rows.append(tuple(cells))
        if not any(out_rows):
            return
        self.grid_no += 1
        self.blocks.append(Grid(rows=tuple(out_rows), loc=Location(table=index)))


def _block_children(container) -> Iterator:
    """The ``w:p`` and ``w:tbl`` children of a body or cell, looking through content controls."""
    for child in container:
        tag = child.tag
        if tag == P or tag == TBL or tag == ALTCHUNK:
            yield child
        elif tag in _BLOCK_WRAPPERS:
            yield from _block_children(child)


def _rows(tbl) -> Iterator:
    for child in tbl:
        tag = child.tag
        if tag == TR:
            if _row_deleted(child):
                continue
            yield child
        elif tag in _BLOCK_WRAPPERS:
            yield from _rows(child)


def _cells(tr) -> Iterator:
    for child in tr:
        tag = child.tag
        if tag == TC:
            yield child
        elif tag in _BLOCK_WRAPPERS:
            yield from _cells(child)


def _row_deleted(tr) -> bool:
    trpr = tr.find(TRPR)
    return trpr is not None and trpr.find(DEL) is not None


#: A cell holding at least this many non-empty paragraphs and characters is running text (a
#: frame around the document), not a table cell: its paragraphs are read as paragraphs.
LAYOUT_PARAGRAPHS = 4
LAYOUT_CHARS = 100


def _is_layout_cell(tc) -> bool:
    """A cell used for page layout: it holds a table, or several paragraphs of running text."""
    paragraphs = chars = 0
    for child in _block_children(tc):
        if child.tag == TBL or child.tag == ALTCHUNK:
            return True
        text = paragraph_text(child).strip()
        if text:
            paragraphs += 1
            chars += len(text)
    return paragraphs >= LAYOUT_PARAGRAPHS and chars >= LAYOUT_CHARS


def _grid_span(tc) -> int:
    tcpr = tc.find(TCPR)
    if tcpr is not None:
        gs = tcpr.find(GRIDSPAN)
        if gs is not None:
            try:
                return max(1, int(gs.get(VAL, "1")))
            except ValueError:
                return 1
    return 1


def _is_continuation(tc) -> bool:
    """True for the continuation of a merged cell (vMerge, or the legacy hMerge)."""
    tcpr = tc.find(TCPR)
    if tcpr is None:
        return False
    for tag in (VMERGE, HMERGE):
        m = tcpr.find(tag)
        if m is not None and m.get(VAL, "continue") != "restart":
            return True
    return False


def _read_chunk(blob: bytes, ctype: str, name: str) -> Document | None:
    """Read an altChunk part (HTML, XHTML, MHT web archive, RTF or plain text) into a Document."""
    from ..source import decode_text

    head = blob[:2048].lstrip().lower()
    if "rfc822" in ctype or head.startswith(b"mime-version") or b"multipart/related" in head:
        msg = email.message_from_bytes(blob, policy=email.policy.compat32)
        for sub in msg.walk():
            if sub.get_content_type() in ("text/html", "application/xhtml+xml"):
                payload = sub.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    payload = b""  # a part without a body of its own
                charset = sub.get_content_charset()
                if charset:
                    try:
                        text = payload.decode(_charset(charset))
                    except (LookupError, UnicodeDecodeError):
                        text, _ = decode_text(payload, name, html=True)
                else:
                    text, _ = decode_text(payload, name, html=True)
                return _read_html(text, payload, name)
        return None
    if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
        text, _ = decode_text(blob, name, html=True)
        return _read_html(text, blob, name)
    if "rtf" in ctype or head.startswith(b"{\\rtf"):
        return read_rtf(Source(data=blob, kind="rtf", name=name), "docx")
    if ctype.startswith("text/plain"):
        text, _ = decode_text(blob, name)
        paras = tuple(Paragraph(text=t.strip(), loc=Location(line=i))
                      for i, t in enumerate(text.split("\n"), 1) if t.strip())
        return Document(blocks=paras, reader="docx")
    return None


def _charset(name: str) -> str:
    name = name.lower()
    return "gb18030" if name in ("gb2312", "gbk", "x-gbk", "cp936") else name


def _read_html(text: str, data: bytes, name: str) -> Document:
    return read_html(Source(data=data, kind="html", name=name, text=text), "docx")
