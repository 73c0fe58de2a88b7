"""The input stage: a path, bytes or text becomes a :class:`Source` with a sniffed kind and encoding.

Kinds are decided from the content first and the file name second, because published files are
often misnamed (a PDF saved as ``.doc``, a web page saved as ``.txt``).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import typing
import zipfile
from pathlib import Path
from typing import Any

import attrs

from .errors import EmptyInput, UnreadableInput, UnsupportedInput
from .inflate import check_pdf, check_zip
from .limits import DEFAULT_LIMITS, Limits

#: Every kind of input govreport can tell apart. Readers claim inputs by these names.
KINDS = ("text", "html", "docx", "pdf", "doc", "rtf", "image", "zip", "binary")

_TEXT_ENCODINGS = ("utf-8", "gb18030", "big5")


@attrs.frozen(kw_only=True)
class Source:
    """One input document, read into memory, with what was learnt about it.

    ``text`` is the decoded content for text-like kinds (``text``, ``html``, ``rtf``) and ``None``
    otherwise. ``name`` is the file name (or ``"<bytes>"``), used in messages and outputs.
    """

    data: bytes = attrs.field(repr=False)
    kind: str
    name: str = "<bytes>"
    path: Path | None = None
    encoding: str | None = None
    text: str | None = attrs.field(default=None, repr=False)


def open_source(obj: str | bytes | os.PathLike[str] | typing.IO[Any], *, name: str | None = None,
                limits: Limits | None = None) -> Source:
    """Read ``obj`` (a path, the document's bytes, the document's text, or an open file or stream
    such as ``sys.stdin.buffer`` or ``io.BytesIO``) into a :class:`Source`.

    A ``str`` is taken as a path when it names an existing file and as the document's text otherwise
    (text always holds line breaks or CJK characters; a path rarely does). The compressed parts
    of a PDF or zip are measured against ``limits`` (:data:`govreport.limits.DEFAULT_LIMITS`).
    """
    path: Path | None = None
    if hasattr(obj, "read") and not isinstance(obj, (str, bytes, os.PathLike)):
        content = obj.read()
        label = name or _stream_name(obj)
        if isinstance(content, str):
            return _from_text(content, label)
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise UnsupportedInput(f"{label}: the stream gave {type(content).__name__}, not bytes or text")
        obj, name = bytes(content), label
    if isinstance(obj, str) and not obj.strip():
        raise EmptyInput("the input is empty (an empty string was given, neither a path nor a document's text)")
    if isinstance(obj, (bytes, bytearray, memoryview)):
        data = bytes(obj)
    elif isinstance(obj, str) and not _looks_like_path(obj):
        return _from_text(obj, name or "<text>")
    else:
        path = Path(obj)
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise UnsupportedInput(f"{path}: is a folder, not a document") from None
        except FileNotFoundError:
            raise UnreadableInput(f"{path}: no such file") from None
        except PermissionError:
            raise UnreadableInput(f"{path}: permission denied") from None
        except OSError as exc:
            raise UnreadableInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    label = name or (str(path) if path else "<bytes>")
    if not data.strip():
        raise EmptyInput(f"{label}: the input is empty")
    kind = sniff_kind(data, path.name if path else None)
    # measured before any reader (PDFium, pdfminer, zipfile) inflates a part in one piece
    if kind == "pdf":
        check_pdf(data, label, limits or DEFAULT_LIMITS)
    elif kind in ("docx", "zip"):
        check_zip(data, label, limits or DEFAULT_LIMITS)
    text = encoding = None
    if kind in ("text", "html", "rtf"):
        text, encoding = decode_text(data, label, html=kind == "html")
    return Source(data=data, kind=kind, name=label, path=path, encoding=encoding, text=text)


def _stream_name(stream: object) -> str:
    n = getattr(stream, "name", None)
    # an open file knows its path; sys.stdin's name is "<stdin>", a BytesIO has none
    return n if isinstance(n, str) and n else "<stream>"


def describe_kind(source: Source) -> str:
    """The input's kind in a user's words ("a spreadsheet (.xlsx)", "a zip archive"), for messages."""
    if source.kind == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(source.data)) as z:
                names = set(z.namelist())
        except Exception:  # as in sniff_kind: any failure of zipfile is a broken zip
            names = set()
        for marker, what in _ZIP_DOCUMENTS:
            if marker in names:
                return what
        if "mimetype" in names and "content.xml" in names:
            return "an OpenDocument file (.odt/.ods)"
        return "a zip archive"
    return _KIND_WORDS.get(source.kind, f"{source.kind} input")


_ZIP_DOCUMENTS = (
    ("xl/workbook.xml", "a spreadsheet (.xlsx)"),
    ("ppt/presentation.xml", "a presentation (.pptx)"),
    ("word/document.xml", "a Word document (.docx)"),
)
_KIND_WORDS = {
    "text": "plain text", "html": "a web page (HTML)", "docx": "a Word document (.docx)", "pdf": "a PDF",
    "doc": "a Word 97-2003 document (.doc)", "rtf": "an RTF document", "image": "an image",
    "binary": "binary data of no known kind",
}


def _looks_like_path(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    try:
        return Path(s).exists() or not re.search(r"[\u3400-\u9fff]{4,}", s)
    except (OSError, ValueError):
        return False


def _from_text(text: str, name: str) -> Source:
    if not text.strip():
        raise EmptyInput(f"{name}: the input is empty")
    text = text.lstrip("\ufeff")
    data = text.encode("utf-8")
    kind = sniff_kind(data, None)
    if kind not in ("text", "html", "rtf"):
        kind = "text"
    return Source(data=data, kind=kind, name=name, encoding="utf-8", text=text)


def sniff_kind(data: bytes, filename: str | None = None) -> str:
    """Tell the kind of a document from its first bytes (falling back on the file name)."""
    head = data[:4096]
    ext = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        # zipfile raises NotImplementedError for an unknown "version needed", EOFError, struct.error
        # and more on a damaged directory: any of them means a broken zip, not a bug
        except Exception:
            if ext in ("docx", "wps", "docm"):
                raise UnreadableInput(f"{filename}: a damaged Word file (broken zip)") from None
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head[:8] in (b"\x89PNG\r\n\x1a\n",) or head[:3] == b"\xff\xd8\xff" or head[:4] in (
        b"II*\x00",
        b"MM\x00*",
    ):
        return "image"
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<table")) or (
        ext in ("html", "htm", "xhtml", "shtml") and b"<" in head
    ):
        return "html"
    if _is_text(data):
        return "text"
    if ext in ("docx", "doc", "wps", "pdf"):
        raise UnreadableInput(f"{filename}: not a valid .{ext} file (its content is of no known kind)")
    return "binary"


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in sample:
        return False
    for enc in _TEXT_ENCODINGS:
        try:
            # a multi-byte character may be cut at the sample's end: an incremental decoder keeps
            # the cut bytes back (cutting a fixed 4 bytes off could split the character before)
            codecs.getincrementaldecoder(enc)().decode(sample, final=len(sample) == len(data))
            return True
        except UnicodeDecodeError:
            continue
    return False


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ENC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def decode_text(data: bytes, label: str = "<bytes>", *, html: bool = False) -> tuple[str, str]:
    """Decode text: BOM first, then a declared HTML charset, then UTF-8, then GB18030.

    GB2312 and GBK declarations are read as GB18030, their superset, since pages declaring GB2312
    routinely hold characters outside it.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _newlines(data.decode(enc)), enc
            except UnicodeDecodeError:
                break
    candidates: list[str] = []
    if html:
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            declared = _ENC_ALIASES.get(declared, declared)
            if _is_charset(declared):
                candidates.append(declared)
    candidates += [e for e in _TEXT_ENCODINGS if e not in candidates]
    for enc in candidates:
        try:
            return _newlines(data.decode(enc)), enc
        # a declared codec may fail in its own way (UnicodeError, ValueError), not only by decoding
        except (UnicodeError, LookupError, ValueError):
            continue
    raise UnreadableInput(f"{label}: the text is in no encoding govreport knows (tried {', '.join(candidates)})")


#: Codecs Python registers as text encodings that are no character set a page can be written in:
#: a page naming one (by mistake or to attack the reader) is decoded as if it named none.
_NOT_CHARSETS = frozenset({"punycode", "undefined", "idna", "unicode-escape", "raw-unicode-escape",
                           "utf-7", "palmos"})


def _is_charset(name: str) -> bool:
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return getattr(info, "_is_text_encoding", True) and info.name not in _NOT_CHARSETS


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def require_kind(source: Source, *kinds: str) -> None:
    """Raise :class:`UnsupportedInput` unless ``source`` is of one of ``kinds``."""
    if source.kind not in kinds:
        raise UnsupportedInput(f"{source.name}: the input is {describe_kind(source)}, "
                               f"not {' or '.join(_KIND_WORDS.get(k, k) for k in kinds)}")
