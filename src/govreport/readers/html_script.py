"""HTML that a page's scripts write with ``document.write``, recovered without running them.

Some portals assemble a report's table in a script: ``document.write("<table>…")``, its pieces
often concatenated or passed through ``unescape``. The string literals of each call are joined
(escapes decoded, literals inside other calls left out) and parsed in place of the script, so the
table is read where the page shows it. Nothing is executed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["inline_document_write", "js_written_html"]

_DOC_WRITE = re.compile(r"\bdocument\s*\.\s*write(?:ln)?\s*\(")
_DECODERS = ("unescape", "decodeURIComponent", "decodeURI")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}


def inline_document_write(root: _Element, problems: list[str]) -> None:
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
            # a list of leading text and elements (lxml-stubs declares a single element)
            nodes = cast(list[Any], lxml.html.fragments_fromstring(written))
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
        in_head = any(_is_head(a) for a in script.iterancestors())
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


def _remove(el: _Element) -> None:
    """Remove ``el`` from the tree, keeping its tail text (lxml removes it with the element)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _replace(el: _Element, nodes: list[Any]) -> None:
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


def _insert(parent: _Element, idx: int, nodes: list[Any]) -> int:
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


def _is_head(el: _Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return False  # comments, processing instructions
    if tag[:1] == "{":
        tag = tag.rsplit("}", 1)[1]
    return tag.lower() == "head"
