"""Legacy Word formats: .doc (Word 97–2003 binary) and .rtf.

Both are converted to .docx by LibreOffice (``soffice --headless --convert-to docx``) in a private
temporary folder and then read by the docx reader, so merged and nested cells come out exactly as
they do for a .docx. LibreOffice is an external program: when it is not installed a .doc raises
:class:`~govreport.errors.MissingDependency`, and an .rtf is read by a small built-in RTF reader
(paragraphs and simple tables) with a warning.

Set ``GOVREPORT_SOFFICE`` to the LibreOffice program to use, and ``GOVREPORT_SOFFICE_TIMEOUT`` to
the seconds one conversion may take (default 120).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..document import Cell, Document, Grid, Location, Paragraph
from ..errors import EncryptedInput, MissingDependency, UnreadableInput
from ..source import Source
from .base import Reader
from .docx import DocxReader

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DEFAULT_TIMEOUT = 120.0

INSTALL_HINT = (
    "install LibreOffice (e.g. `apt-get install libreoffice-writer`, or from libreoffice.org) so that "
    "`soffice` is on PATH, or set GOVREPORT_SOFFICE to its path; or save the file as .docx and read that"
)


def find_soffice() -> str | None:
    """The LibreOffice program to convert with, or None when none is installed."""
    explicit = os.environ.get("GOVREPORT_SOFFICE")
    if explicit:
        return explicit if (os.path.isfile(explicit) or shutil.which(explicit)) else None
    for name in ("soffice", "libreoffice", "lowriter"):
        found = shutil.which(name)
        if found:
            return found
    return None


class WordFamilyReader(Reader):
    """Reads .doc and .rtf files by converting them to .docx with LibreOffice."""

    name = "word"
    version = "1"
    kinds = ("doc", "rtf")

    def claim(self, source: Source) -> float:
        return 0.9 if source.kind in self.kinds else 0.0

    def read(self, source: Source) -> Document:
        if source.kind == "doc" or source.data[:8] == _OLE_MAGIC:
            check_not_encrypted(source)
        soffice = find_soffice()
        if soffice is None:
            if source.kind == "rtf" or source.data.lstrip()[:5] == b"{\\rtf":
                doc = read_rtf(source)
                return Document(
                    blocks=doc.blocks,
                    reader=self.name,
                    problems=doc.problems
                    + ("read with govreport's basic RTF reader because LibreOffice is not installed; "
                       "merged cells and nested tables may come out less exactly",),
                )
            raise MissingDependency(f"{source.name}: reading a legacy Word .doc file needs LibreOffice: {INSTALL_HINT}")
        data = convert_to_docx(source, soffice)
        inner = DocxReader().read(Source(data=data, kind="docx", name=source.name, path=source.path))
        return Document(blocks=inner.blocks, reader=self.name, pages=inner.pages, problems=inner.problems)


def convert_to_docx(source: Source, soffice: str, timeout: float | None = None) -> bytes:
    """Convert ``source`` (a .doc or .rtf) to .docx bytes with LibreOffice."""
    if timeout is None:
        try:
            timeout = float(os.environ.get("GOVREPORT_SOFFICE_TIMEOUT", DEFAULT_TIMEOUT))
        except ValueError:
            timeout = DEFAULT_TIMEOUT
    ext = "rtf" if source.kind == "rtf" else "doc"
    with tempfile.TemporaryDirectory(prefix="govreport-soffice-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"input.{ext}"
        src.write_bytes(source.data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        # a private profile: concurrent conversions must not share (and lock) the user's one
        profile = (tmpdir / "profile").as_uri()
        cmd = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
            f"-env:UserInstallation={profile}", "--convert-to", "docx", "--outdir", str(outdir), str(src),
        ]
        try:
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=tmp,
            )
        except OSError as exc:
            raise MissingDependency(f"{source.name}: LibreOffice ({soffice}) could not be started ({exc}); {INSTALL_HINT}") from None
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise UnreadableInput(
                f"{source.name}: LibreOffice did not convert the file within {timeout:g} s "
                "(set GOVREPORT_SOFFICE_TIMEOUT to allow longer)"
            ) from None
        out = outdir / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            detail = [d for d in detail if "javaldx" not in d and d.strip()]
            why = f": {detail[-1][:200]}" if detail else ""
            raise UnreadableInput(
                f"{source.name}: LibreOffice could not convert this .{ext} file (damaged, protected, or not a "
                f"Word document; exit code {proc.returncode}){why}"
            )
        return out.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except Exception:  # pragma: no cover
        pass


# -- encryption ---------------------------------------------------------------------------------


def check_not_encrypted(source: Source) -> None:
    """Raise :class:`EncryptedInput` for a password-protected .doc or an encrypted .docx package, and
    :class:`UnreadableInput` for a compound file that holds no Word document."""
    data = source.data
    if data[:8] != _OLE_MAGIC:
        return
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedInput(f"{source.name}: the Word document is protected by a password")
    if _doc_fib_encrypted(data):
        raise EncryptedInput(f"{source.name}: the Word document is protected by a password")
    if "WordDocument".encode("utf-16-le") not in data:
        raise UnreadableInput(
            f"{source.name}: an Office compound file without a Word document in it "
            "(perhaps a spreadsheet or presentation, or a damaged file)"
        )


def _doc_fib_encrypted(data: bytes) -> bool:
    """True when the WordDocument stream's FIB has fEncrypted set (Word 97–2003 password)."""
    try:
        sector_size = 1 << int.from_bytes(data[0x1E:0x20], "little")
        if sector_size not in (512, 4096):
            return False
        name = "WordDocument".encode("utf-16-le")
        # directory entries are 128-byte records in sectors; the stream's name is at their start
        pos = data.find(name, 512)
        while pos != -1:
            if (pos - 512) % 128 == 0 or (pos % sector_size) % 128 == 0:
                entry = data[pos:pos + 128]
                if int.from_bytes(entry[0x40:0x42], "little") == len(name) + 2 and entry[0x42] == 2:
                    start = int.from_bytes(entry[0x74:0x78], "little")
                    off = (start + 1) * sector_size
                    fib = data[off:off + 16]
                    if len(fib) < 12 or int.from_bytes(fib[0:2], "little") != 0xA5EC:
                        return False
                    flags = int.from_bytes(fib[0x0A:0x0C], "little")
                    return bool(flags & 0x0100)
            pos = data.find(name, pos + 2)
    except (IndexError, ValueError):
        return False
    return False


# -- basic RTF reader (used when LibreOffice is missing) ----------------------------------------

_RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with optional parameter and delimiter
    rb"|\\'([0-9a-fA-F]{2})"  # hex byte in the current code page
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"
    rb"|[\r\n]+"
    rb"|([^\\{}\r\n]+)"
)

#: Destinations whose content is not body text.
_RTF_SKIP_DEST = frozenset(
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

_RTF_SYMBOLS = {"emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
                "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": "\u2003",
                "enspace": "\u2002", "qmspace": "\u2005", "tab": "\t", "line": "\n"}


class _RtfState:
    __slots__ = ("skip", "uc", "codec", "font", "in_table")

    def __init__(self, skip: bool = False, uc: int = 1, codec: str = "cp1252", font: int | None = None,
                 in_table: bool = False):
        self.skip, self.uc, self.codec, self.font, self.in_table = skip, uc, codec, font, in_table

    def copy(self) -> "_RtfState":
        # formatting, paragraph properties included, is scoped to the group it is set in
        return _RtfState(self.skip, self.uc, self.codec, self.font, self.in_table)


def read_rtf(source: Source) -> Document:
    """Read an RTF document's paragraphs and (non-nested) tables without LibreOffice."""
    data = source.data
    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableInput(f"{source.name}: not an RTF document")
    fonts = _rtf_font_codecs(data)
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    default_codec = _codec(f"cp{int(m.group(1))}" if m else "cp1252")
    b = _RtfBuilder()
    state = _RtfState(codec=default_codec)
    stack: list[_RtfState] = []
    pending = bytearray()  # hex bytes waiting to be decoded together (double-byte characters)
    skip_chars = 0
    group_start = False

    def flush_bytes() -> None:
        if pending:
            if not state.skip:
                b.text(bytes(pending).decode(state.codec, "replace"))
            pending.clear()

    for m in _RTF_TOKEN.finditer(data):
        word, param, hexbyte, symbol, brace, text = m.groups()
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            pending.append(int(hexbyte, 16))
            group_start = False
            continue
        flush_bytes()
        if brace is not None:
            skip_chars = 0
            if brace == b"{":
                stack.append(state)
                state = state.copy()
                group_start = True
            else:
                state = stack.pop() if stack else state
                group_start = False
            continue
        first = group_start
        group_start = False
        if word is not None:
            w = word.decode("ascii")
            if skip_chars:
                skip_chars -= 1
                continue
            if first and w in _RTF_SKIP_DEST:
                state.skip = True
                continue
            n = int(param) if param is not None else None
            if w == "u" and n is not None:
                code = n + 65536 if n < 0 else n
                # RTF's \u takes a signed 16-bit number; anything outside Unicode is damage
                if not state.skip and 0 <= code < 0x110000:
                    b.text(chr(code))
                skip_chars = state.uc
            elif w == "uc" and n is not None:
                state.uc = n
            elif w == "f" and n is not None:
                state.font = n
                state.codec = fonts.get(n, default_codec)
            elif state.skip:
                continue
            elif w in ("par", "sect", "page"):
                b.end_paragraph(state.in_table)
            elif w in _RTF_SYMBOLS:
                b.text(_RTF_SYMBOLS[w])
            elif w == "pard":
                state.in_table = False
            elif w == "intbl":
                state.in_table = True
            elif w == "trowd":
                b.defs = []
                b.next_def = {}
            elif w in ("clvmgf", "clvmrg", "clmgf", "clmrg"):
                b.next_def[w] = True
            elif w == "cellx":
                b.defs.append(b.next_def)
                b.next_def = {}
            elif w == "cell":
                b.end_cell()
            elif w == "row":
                b.end_row()
            elif w in ("nestcell", "nestrow"):
                b.text("\n")
            continue
        if symbol is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            sym = symbol.decode("latin-1")
            if sym == "*" and first:
                state.skip = True
            elif state.skip:
                pass
            elif sym in "\\{}":
                b.text(sym)
            elif sym == "~":
                b.text("\u00a0")
            elif sym == "_":
                b.text("-")
            elif sym in "\r\n":
                b.end_paragraph(state.in_table)
            continue
        if text is not None:
            if skip_chars:
                cut = min(skip_chars, len(text))
                skip_chars -= cut
                text = text[cut:]
            if text and not state.skip:
                b.text(text.decode(state.codec, "replace"))
    flush_bytes()
    b.end_paragraph(False)
    b.end_table()
    return Document(blocks=tuple(b.blocks), reader="word", problems=())


def _codec(name: str) -> str:
    import codecs

    if name in ("cp936", "cp20936", "gb2312", "gbk"):
        return "gb18030"
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return "cp1252"


def _rtf_font_codecs(data: bytes) -> dict[int, str]:
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


class _RtfBuilder:
    def __init__(self) -> None:
        self.blocks: list[Paragraph | Grid] = []
        self.buf: list[str] = []
        self.defs: list[dict] = []
        self.next_def: dict = {}
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
