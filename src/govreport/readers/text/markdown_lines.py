"""Line-level pieces of the Markdown reader: inline markup, page-break noise, and label-and-numbers lines.

Converters (MinerU, markitdown, pandoc, docling) leave Markdown's inline syntax in the text:
emphasis marks, backslash escapes, ``<br>`` inside table cells, links and image links, HTML
entities. A cell or paragraph is read as the text it shows once that markup is removed.
"""

from __future__ import annotations

import html
import re

#: Backslash escapes Markdown defines: the character stands for itself, never for markup.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_BR = re.compile(r"<br\s*/?>", re.I)
# spans are bounded so that a long line of unclosed marks is read in linear time
_IMAGE = re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,300}\)")
_LINK = re.compile(r"\[([^\]]{0,300})\]\([^)]{0,300}\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRONG = re.compile(r"(\*\*|__|~~)(?=\S)(.{1,300}?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_LIST = re.compile(r"^\s*(?:[-*+]|>+)\s+")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_RULE_LINE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")

#: Page-break leftovers: a lone page number (3, - 3 -, 第3页, 第3页 共12页, 3/12).
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)

# a value as the engine reads one: a sign (also 增加/减少), and on an amount its money unit; a count
# unit glued on (12件) makes the line prose about a quantity
_NUM = r"(?:[+\-]|增加|减少|增|减)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)?|[-—－]{1,2}"
_LOOSE = re.compile(rf"^(?P<label>\S(?:.*?\S)?)\s+(?P<nums>(?:{_NUM})(?:\s+(?:{_NUM}))*)$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
#: Sentence punctuation: a line holding it is prose that happens to end in a number.
_SENTENCE = re.compile(r"[。，；！？,;!?]")
#: A label ending in a date's word is a date with a number after it (2022年 3), not a row. (Count
#: words are not checked at the label's end: 规范性文件 is a row label.)
_UNIT_END = ("年", "月", "日")
#: Longest line and label read as a table row: rows are short, prose is long.
MAX_ROW_LINE = 120
MAX_ROW_LABEL = 40
MAX_ROW_VALUES = 12


def _protect(text: str) -> str:
    # escaped characters go to the private-use area so that no markup pattern sees them
    return _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)


def _restore(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - 0xE000), text)


def split_cells(line: str) -> list[str]:
    """The raw cells of a pipe-table row, leading and trailing pipes optional, ``\\|`` kept literal."""
    s = _protect(line.strip())
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [_restore(part) for part in s.split("|")]


def has_pipe(line: str) -> bool:
    return "|" in _protect(line)


def is_separator(line: str) -> bool:
    """The ``|---|:--:|`` line under a pipe table's header row."""
    s = line.strip()
    if "|" not in s or "-" not in s:
        return False
    return all(re.fullmatch(r"\s*:?-+:?\s*", p) for p in split_cells(s))


def inline_text(text: str) -> str:
    """The text ``text`` shows, Markdown and inline HTML removed; ``<br>`` becomes a line break."""
    s = _protect(text)
    s = _drop_comments(s)
    s = _BR.sub("\n", s)
    s = _IMAGE.sub("", s)
    s = _LINK.sub(r"\1", s)
    s = _TAG.sub("", s)
    s = _CODE.sub(r"\1", s)
    prev = None
    while prev != s:
        prev = s
        s = _STRONG.sub(r"\2", s)
    s = _EM.sub(r"\1", s)
    s = html.unescape(_restore(s))
    return "\n".join(part.strip() for part in s.split("\n")).strip()


def _drop_comments(s: str) -> str:
    out: list[str] = []
    pos = 0
    while (start := s.find("<!--", pos)) >= 0:
        end = s.find("-->", start + 4)
        if end < 0:
            break  # an unclosed marker is text
        out.append(s[pos:start])
        pos = end + 3
    out.append(s[pos:])
    return "".join(out)


def heading_text(line: str) -> str | None:
    """The text of an ATX heading (``## 二、…``), or None when ``line`` is no heading."""
    m = _ATX.match(line)
    return m.group(2) if m else None


def is_rule(line: str) -> bool:
    """A thematic break or setext underline: a line of ``---``, ``***`` or ``===``."""
    return bool(_RULE_LINE.match(line))


def is_bold_line(line: str) -> bool:
    """A line set wholly in bold (**第二十条第（五）项**): a heading by its looks, never a row."""
    s = line.strip()
    return len(s) > 4 and s[:2] in ("**", "__") and s[-2:] == s[:2]


def strip_list_marker(line: str) -> str:
    return _LIST.sub("", line, count=1)


def is_page_noise(text: str) -> bool:
    """A page number left where a page broke, or nothing left once images were removed."""
    return not text.strip() or bool(_PAGE_NUMBER.match(text))


def has_images(line: str) -> bool:
    return bool(_IMAGE.search(line)) or "<img" in line.lower()


def row_cells(text: str) -> list[str] | None:
    """A short line of a text label followed by numbers (行政许可 97, 规章 0 0 12) as its cells, or None.

    Converters print the rows of small tables as plain lines. Everything else — prose ending in a
    number, a count with its unit glued on (共12件), a date — stays a paragraph.
    """
    if len(text) > MAX_ROW_LINE or "\n" in text:
        return None
    m = _LOOSE.match(text.strip())
    if not m:
        return None
    label = m.group("label").strip()
    values = m.group("nums").split()
    if (
        len(label) > MAX_ROW_LABEL
        or len(values) > MAX_ROW_VALUES
        or not _CJK.search(label)
        or _SENTENCE.search(label)
        or label.endswith(_UNIT_END)
        or not any(_DIGIT.search(v) for v in values)
    ):
        return None
    return [label, *values]


_WORDS = re.compile(r"[ \t\u3000]+")
MAX_HEADER_WORD = 24


def header_cells(text: str) -> list[str] | None:
    """A line of column headers printed as words (信息内容 本年处理决定数量), or None.

    Only read as a header when a label-and-numbers line with as many cells follows it: the two
    together are the small table the converter flattened, and the header keeps its unit (单位：万元).
    """
    if len(text) > MAX_ROW_LINE or "\n" in text:
        return None
    words = _WORDS.split(text.strip())
    if not 2 <= len(words) <= MAX_ROW_VALUES + 1:
        return None
    if any(len(w) > MAX_HEADER_WORD or not _CJK.search(w) or _SENTENCE.search(w) for w in words):
        return None
    return words
