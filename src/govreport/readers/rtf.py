"""A basic RTF parser: an RTF document's paragraphs and (non-nested) tables, without LibreOffice.

Used by the ``word`` reader when LibreOffice is not installed and by the ``docx`` reader for RTF
embedded in a Word document (``w:altChunk``). It reads what a report's tables need — text in the
fonts' code pages, ``\\u`` characters, cells, rows and vertically merged cells — and skips
destinations that are not body text (font tables, headers, pictures, field instructions …).
"""

from __future__ import annotations

import codecs
import re

from ..document import Cell, Document, Grid, Location, Paragraph
from ..errors import UnreadableInput
from ..source import Source

__all__ = ["read_rtf"]

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with optional parameter and delimiter
    rb"|\\'([0-9a-fA-F]{2})"  # hex byte in the current code page
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"
    rb"|[\r\n]+"
    rb"|([^\\{}\r\n]+)"
)

#: Destinations whose content is not body text.
_SKIP_DEST = frozenset(
    """fonttbl colortbl stylesheet info pict object header headerl headerr headerf footer footerl footerr
    footerf footnote annotation atnid atnauthor xmlnstbl listtable listoverridetable rsidtbl generator
    themedata colorschememapping datastore latentstyles pgdsctbl fldinst bkmkstart bkmkend shpinst
    nonshppict revtbl mmathPr docvar template userprops filetbl fchars lchars author operator title
    subject keywords comment doccomm company manager category creatim revtim printim buptim pn pntxta
    pntxtb txe tc xe private falt panose fname""".split()
)

#: Windows font charsets (\fcharsetN) to Python codecs.
_CHARSETS = {0: "cp1252", 128: "cp932", 129: "cp949", 134: "gb18030", 136: "cp950", 161: "cp1253",
             162: "cp1254", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
             238: "cp1250"}

_SYMBOLS = {"emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
            "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": "\u2003",
            "enspace": "\u2002", "qmspace": "\u2005", "tab": "\t", "line": "\n"}

#: Cell definitions marking a cell as the continuation of a merged one.
_MERGE_MARKS = ("clvmgf", "clvmrg", "clmgf", "clmrg")


def read_rtf(source: Source, reader: str = "word") -> Document:
    """Read an RTF document's paragraphs and (non-nested) tables; ``reader`` names the Document's reader."""
    data = source.data
    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableInput(f"{source.name}: not an RTF document")
    parser = _Parser(_font_codecs(data), _default_codec(data))
    for m in _TOKEN.finditer(data):
        parser.feed(m)
    return Document(blocks=parser.finish(), reader=reader, problems=())


def _default_codec(data: bytes) -> str:
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    return _codec(f"cp{int(m.group(1))}" if m else "cp1252")


def _codec(name: str) -> str:
    if name in ("cp936", "cp20936", "gb2312", "gbk"):
        return "gb18030"
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return "cp1252"


def _font_codecs(data: bytes) -> dict[int, str]:
    """Font number -> codec from the font table's \\fcharset declarations."""
    out: dict[int, str] = {}
    start = data.find(b"{\\fonttbl")
    if start < 0:
        return out
    depth, end = 0, start
    for i in range(start, min(len(data), start + 200_000)):
        c = data[i]
        if c == 0x7B and data[i - 1:i] != b"\\":
            depth += 1
        elif c == 0x7D and data[i - 1:i] != b"\\":
            depth -= 1
            if depth == 0:
                end = i
                break
    for fm in re.finditer(rb"\\f(\d+)[^{}]*?\\fcharset(\d+)", data[start:end]):
        cs = int(fm.group(2))
        if cs in _CHARSETS:
            out[int(fm.group(1))] = _CHARSETS[cs]
    return out


class _State:
    __slots__ = ("skip", "uc", "codec", "font", "in_table")

    def __init__(self, skip: bool = False, uc: int = 1, codec: str = "cp1252", font: int | None = None,
                 in_table: bool = False):
        self.skip, self.uc, self.codec, self.font, self.in_table = skip, uc, codec, font, in_table

    def copy(self) -> _State:
        # formatting, paragraph properties included, is scoped to the group it is set in
        return _State(self.skip, self.uc, self.codec, self.font, self.in_table)


class _Parser:
    """Feeds the tokens of one document, in order, to a :class:`_Builder`."""

    def __init__(self, fonts: dict[int, str], default_codec: str) -> None:
        self.fonts = fonts
        self.default_codec = default_codec
        self.out = _Builder()
        self.state = _State(codec=default_codec)
        self.stack: list[_State] = []
        self.pending = bytearray()  # hex bytes waiting to be decoded together (double-byte characters)
        self.skip_chars = 0  # characters still to drop after a \u character (its \uc fallback)
        self.group_start = False  # the previous token opened a group: a destination may follow

    def feed(self, m: re.Match[bytes]) -> None:
        word, param, hexbyte, symbol, brace, text = m.groups()
        if hexbyte is not None:
            self.hex_byte(int(hexbyte, 16))
            return
        self.flush_bytes()
        if brace is not None:
            self.brace(brace)
            return
        first, self.group_start = self.group_start, False
        if word is not None:
            self.control_word(word.decode("ascii"), int(param) if param is not None else None, first)
        elif symbol is not None:
            self.control_symbol(symbol.decode("latin-1"), first)
        elif text is not None:
            self.plain_text(text)

    def finish(self) -> tuple[Paragraph | Grid, ...]:
        self.flush_bytes()
        self.out.end_paragraph(False)
        self.out.end_table()
        return tuple(self.out.blocks)

    def take_skipped(self) -> bool:
        """Drop this token when it is part of a \\u character's fallback."""
        if self.skip_chars:
            self.skip_chars -= 1
            return True
        return False

    def hex_byte(self, value: int) -> None:
        if self.take_skipped():
            return
        self.pending.append(value)
        self.group_start = False

    def flush_bytes(self) -> None:
        if self.pending:
            if not self.state.skip:
                self.out.text(bytes(self.pending).decode(self.state.codec, "replace"))
            self.pending.clear()

    def brace(self, brace: bytes) -> None:
        self.skip_chars = 0
        if brace == b"{":
            self.stack.append(self.state)
            self.state = self.state.copy()
            self.group_start = True
        else:
            self.state = self.stack.pop() if self.stack else self.state
            self.group_start = False

    def control_word(self, w: str, n: int | None, first: bool) -> None:
        state = self.state
        if self.take_skipped():
            return
        if first and w in _SKIP_DEST:
            state.skip = True
        elif w == "u" and n is not None:
            code = n + 65536 if n < 0 else n
            # RTF's \u takes a signed 16-bit number; anything outside Unicode is damage
            if not state.skip and 0 <= code < 0x110000:
                self.out.text(chr(code))
            self.skip_chars = state.uc
        elif w == "uc" and n is not None:
            state.uc = n
        elif w == "f" and n is not None:
            state.font = n
            state.codec = self.fonts.get(n, self.default_codec)
        elif not state.skip:
            self.structure(w)

    def structure(self, w: str) -> None:
        """Control words that shape paragraphs and tables (or stand for a character)."""
        out = self.out
        if w in ("par", "sect", "page"):
            out.end_paragraph(self.state.in_table)
        elif w in _SYMBOLS:
            out.text(_SYMBOLS[w])
        elif w == "pard":
            self.state.in_table = False
        elif w == "intbl":
            self.state.in_table = True
        elif w == "trowd":
            out.defs = []
            out.next_def = {}
        elif w in _MERGE_MARKS:
            out.next_def[w] = True
        elif w == "cellx":
            out.defs.append(out.next_def)
            out.next_def = {}
        elif w == "cell":
            out.end_cell()
        elif w == "row":
            out.end_row()
        elif w in ("nestcell", "nestrow"):
            out.text("\n")

    def control_symbol(self, sym: str, first: bool) -> None:
        if self.take_skipped():
            return
        if sym == "*" and first:
            self.state.skip = True
        elif self.state.skip:
            pass
        elif sym in "\\{}":
            self.out.text(sym)
        elif sym == "~":
            self.out.text("\u00a0")
        elif sym == "_":
            self.out.text("-")
        elif sym in "\r\n":
            self.out.end_paragraph(self.state.in_table)

    def plain_text(self, text: bytes) -> None:
        if self.skip_chars:
            cut = min(self.skip_chars, len(text))
            self.skip_chars -= cut
            text = text[cut:]
        if text and not self.state.skip:
            self.out.text(text.decode(self.state.codec, "replace"))


class _Builder:
    """Collects paragraphs, cells and rows into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | Grid] = []
        self.buf: list[str] = []
        self.defs: list[dict[str, bool]] = []
        self.next_def: dict[str, bool] = {}
        self.cell_parts: list[str] = []
        self.row: list[str] = []
        self.rows: list[tuple[Cell, ...]] = []
        self.paragraph_no = 0
        self.grid_no = 0

    def text(self, s: str) -> None:
        self.buf.append(s)

    def _take(self) -> str:
        s = "".join(self.buf)
        self.buf = []
        return s

    def end_paragraph(self, in_table: bool) -> None:
        s = self._take()
        if in_table:
            self.cell_parts.append(s)
            return
        self.end_table()
        self.paragraph_no += 1
        s = s.strip()
        if s:
            self.blocks.append(Paragraph(text=s, loc=Location(line=self.paragraph_no)))

    def end_cell(self) -> None:
        self.cell_parts.append(self._take())
        lines = [ln.strip() for part in self.cell_parts for ln in part.split("\n")]
        self.row.append("\n".join(ln for ln in lines if ln))
        self.cell_parts = []

    def end_row(self) -> None:
        if self.buf or self.cell_parts:
            self.end_cell()
        r = len(self.rows)
        cells = []
        for i, text in enumerate(self.row):
            d = self.defs[i] if i < len(self.defs) else {}
            loc = Location(table=self.grid_no, row=r, col=i)
            if d.get("clvmrg") or d.get("clmrg"):
                cells.append(Cell(text="", loc=loc, merged=True))
            else:
                cells.append(Cell(text=text, loc=loc))
        self.rows.append(tuple(cells))
        self.row = []

    def end_table(self) -> None:
        if self.row:
            self.end_row()
        if self.rows:
            self.blocks.append(Grid(rows=tuple(self.rows), loc=Location(table=self.grid_no)))
            self.grid_no += 1
            self.rows = []
