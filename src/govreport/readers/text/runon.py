"""Text whose table cells run together: what crawlers keep of a web page (its ``innerText``).

Such a dump prints a whole table as one run of characters — every row's label glued to its numbers,
the numbers of a row glued to each other and to the next row's item number:
``（四）无法提供1.本机关不掌握相关政府信息4910000502.没有现成信息…``. Often the whole page, prose and
tables, is a single line, preceded by the crawler's own header lines (标题:, 发布时间:, …).

This reader separates prose from table stretches, and within a stretch label text from digit runs;
it cuts labels where a list item begins (（一）, 一、, 1.), moving an item number glued to the digits
before it (``…502.没有`` → ``…50`` | ``2.没有``) to its label. It cannot know how many cells a digit
run holds: that takes the report's columns and rules, so its grids are marked ``joined`` and the
table engine splits the runs.
"""

from __future__ import annotations

import re

import attrs

from ...document import Block, Cell, Document, Grid, Location, Paragraph
from ...source import Source, require_kind
from ..base import Reader
from .lines import lines_of

_CJK = r"\u3400-\u9fff"
# what follows a number in prose (申请154件, 2025年): a unit or a date, never the next cell
_UNIT_AFTER = "件条个次篇人年月日号余万元起家项名户期场亿部份台本多"
# a digit run glued between two pieces of text, no unit after it
_GLUED = re.compile(rf"[{_CJK}）)](?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?"
                    rf"(?=[{_CJK}（(]|\d[.．、][{_CJK}])(?![{_UNIT_AFTER}])")
# … or ending a line (a crawler that breaks the line after each row)
_GLUED_AT_END = re.compile(rf"[{_CJK}）)]\d{{3,}}\s*$", re.M)
# a number that can be a cell: not followed by a unit or a date word
_CELL_NUMBER = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?![\d.,{_UNIT_AFTER}])")
# where prose and tables part: a sentence's end, or a section heading glued to the digits before it
_PIECE_END = re.compile(r"(?<=[。；;！？!?])|(?<=\d)(?=[一二三四五六七八九十]{1,2}、)")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_PROSE_MARK = re.compile(r"[，,。；;：:！!？?]")
# a section heading at the start of a table stretch: 二、主动公开政府信息情况
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]{1,2}、[^\d（(]{2,30}?情况")
# a sign glued between two numbers or after a label is the next value's (本年增/减: 12-335 is 12 then -3…)
_NUMBER = re.compile(r"(?:(?<=\d)(?:增加|减少|增|减)|(?<=[\d\u3400-\u9fff）)])[+\-－])?"
                     r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:万元|元)?")
# a thousands separator is no comma of a sentence
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# where a list item begins inside label text: （一） (一) 一、 or 1. 1、 1． — not 第（一）项, a citation
_ITEM = re.compile(r"(?<!第)[（(][一二三四五六七八九十]{1,2}[）)](?!项)|[一二三四五六七八九十]{1,2}、"
                   r"|\d{1,2}[.．、](?=[" + _CJK + r"])")
# numbering that belongs to a label: an item number glued to the digits of the row before it
_ITEM_AFTER_DIGITS = re.compile(rf"^[.．、](?=[{_CJK}])")
_MIN_GLUED = 6
# a line of numbers only (a page's table copied a cell or a row per line)
_NUMBERS_ONLY = re.compile(r"^(?:\d+(?:\.\d+)?|[-—–－]+)(?:\s+(?:\d+(?:\.\d+)?|[-—–－]+))*$")
_MAX_LABEL = 80
# lines that hold numbers only, for the claim: a table copied a cell per line
_NUMBER_LINE = re.compile(r"^\s*\d+(?:\.\d+)?\s*$", re.M)


class RunOnTextReader(Reader):
    name = "runon"
    version = "1"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        if source.kind != "text":
            return 0.0
        text = source.text or ""
        if "\t" in text and text.count("\t") > text.count("\n"):
            return 0.0  # cells separated by tabs: a layout of its own
        glued = len(_GLUED.findall(text)) + len(_GLUED_AT_END.findall(text))
        if glued >= 3 * _MIN_GLUED:
            return 0.9
        if glued >= _MIN_GLUED:
            return 0.6
        # a table copied one cell per line, with nothing to mark where its rows end
        return 0.5 if len(_NUMBER_LINE.findall(text)) >= 4 * _MIN_GLUED else 0.0

    def read(self, source: Source) -> Document:
        require_kind(source, "text")
        blocks: list[Block] = []
        stretch: list[_Piece] = []

        def close() -> None:
            """A stretch of label and number pieces: a table between its first and last number."""
            numbered = [i for i, p in enumerate(stretch) if p.kind in "TN"]
            found = [m.group(0) for i in numbered for m in _CELL_NUMBER.finditer(stretch[i].text)]
            if len(found) < 2 and sum(map(len, found)) < 5:  # one short number is no table; one long run may be
                numbered = []
            first, last = (numbered[0], numbered[-1]) if numbered else (len(stretch), len(stretch) - 1)
            blocks.extend(p.paragraph() for p in stretch[:first])
            if numbered:
                table = len([b for b in blocks if isinstance(b, Grid)])
                cells = [Cell(text=text, loc=Location(line=p.line, char=p.char + at, table=table, row=0, col=col))
                         for col, (p, at, text) in enumerate((p, at, t) for p in stretch[first:last + 1]
                                                              for at, t in _cells(p.text))]
                blocks.append(Grid(rows=(tuple(cells),), loc=Location(line=stretch[first].line, table=table),
                                   rows_known=False, joined=True))
            blocks.extend(p.paragraph() for p in stretch[last + 1:])
            stretch.clear()

        for piece in _all_pieces(lines_of(source)):
            if piece.kind == "P":
                close()
                blocks.append(piece.paragraph())
            else:
                stretch.append(piece)
        close()
        return Document(blocks=tuple(blocks), reader=self.name)


@attrs.frozen
class _Piece:
    line: int
    char: int
    text: str
    kind: str  # P prose · T label text and numbers · N numbers only · L a short label

    def paragraph(self) -> Paragraph:
        return Paragraph(text=self.text.strip(), loc=Location(line=self.line, char=self.char))


def _all_pieces(lines: list[str]) -> list[_Piece]:
    out: list[_Piece] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for offset, piece in _pieces(line):
            heading = _SECTION.match(piece)
            if heading and piece[heading.end():].strip() and _kind(piece) != "P":
                # a section's heading glued to its table: a paragraph of its own, and the table before is over
                out.append(_Piece(n, offset, heading.group(0), "P"))
                offset, piece = offset + heading.end(), piece[heading.end():]
            out.append(_Piece(n, offset, piece, _kind(piece)))
    return out


def _kind(piece: str) -> str:
    text = piece.strip()
    bare = _BRACKETED.sub("", _THOUSANDS.sub("", text))
    if _PROSE_MARK.search(bare):
        return "P"
    if _NUMBERS_ONLY.match(text):
        return "N"
    if not re.search(f"[{_CJK}]", text):
        return "P"
    if _CELL_NUMBER.search(bare):
        return "T"
    return "L" if len(text) <= _MAX_LABEL else "P"


def _grids(blocks: list[Block]) -> int:
    return sum(1 for b in blocks if isinstance(b, Grid))


def _pieces(line: str) -> list[tuple[int, str]]:
    out = []
    at = 0
    for m in _PIECE_END.finditer(line):
        if m.start() > at:
            out.append((at, line[at:m.start()]))
            at = m.start()
    if at < len(line):
        out.append((at, line[at:]))
    return [(o, p) for o, p in out if p.strip()]


def _cells(piece: str) -> list[tuple[int, str]]:
    """Label and number cells of a table stretch, each with its offset in the piece."""
    out: list[tuple[int, str]] = []
    at = 0
    for m in _NUMBER.finditer(piece):
        if m.start() < at:
            continue
        digits_start, digits_end = m.start(), m.end()
        rest = piece[digits_end:]
        numbered = _ITEM_AFTER_DIGITS.match(rest) is not None and "." not in m.group(0)
        if numbered and digits_end - digits_start == 1:
            continue  # 1.属于国家秘密: an item number inside label text
        if numbered:
            # the last digit numbers the next row's label (items run 1–8 in these tables)
            digits_end -= 1
        if digits_end <= digits_start:
            continue
        _labels(piece[at:digits_start], at, out)
        out.append((digits_start, piece[digits_start:digits_end]))
        at = digits_end
    _labels(piece[at:], at, out)
    return out


def _labels(text: str, at: int, out: list[tuple[int, str]]) -> None:
    """Label text, cut where a list item begins (其他一、本年新收 → 其他 | 一、本年新收)."""
    cuts = [m.start() for m in _ITEM.finditer(text) if m.start() > 0]
    for a, b in zip([0, *cuts], [*cuts, len(text)]):
        if text[a:b].strip():
            out.append((at + a, text[a:b].strip()))
