"""The text layouts a report is printed in (:func:`render_text`), each with its noise model.

Every layout prints the parts :func:`~govreport.testing.parts.document_parts` builds; the layouts
are those of the seed fixtures, each written for one reader (:data:`READER_FOR_LAYOUT`).

Layouts (text)
--------------
Every layout prints each value as the same number, in one of its printed forms: ``+3``/``增加3`` and
``-3``/``减少3`` for a signed change, thousands separators (``12,345``, ``1,385.42``), now and then
full-width digits (``１２``), spaces and no-break spaces around a number. A blank cell is printed
as an empty cell, never 0 — except in ``"ocr"`` (below).

``tabbed``   one tab-led cell per line, a blank line after each table row; long column headers
             sometimes wrapped over two lines (本年新 / 制作数量); blank cells are ``\\t``,
             ``\\t\\xa0`` or ``\\t ``; long row labels sometimes wrapped inside their cell; in
             some documents table B's rows leave out the empty cells of the merged label columns.
``vertical`` as ``tabbed``, with table C's column headers (结果维持 … 总计) printed one character per
             line, as a vertical-header seed prints them (in some documents table B's 商业企业 … 其他 too).
``pipe``     every cell followed by a line holding only ``|``, no row structure; some headers broken
             over lines (商业 / 企业); a blank cell is an empty line followed by ``|``. A legacy
             note stays on its label's line (a long line before a cell's last line would read as
             prose, which the pipe dump cannot tell apart).
``ocr``      one table row per line, cells separated by tabs, with the noise model below.

OCR noise model
---------------
Applied by :func:`render_text` with the ``random.Random`` it is given (``random.Random(0)`` when
none is), so a seed always gives the same text. No noise ever touches a value cell's digits.

* **Blanks.** The ``ocr_text`` reader drops empty cells (OCR marks column gaps unreliably), so a
  blank value cannot be expressed: the OCR layout prints a blank as ``0``. :func:`~govreport.testing.corpus.as_rendered`
  gives the report as a layout can express it (blanks → 0 for ``ocr``, the legacy table's too),
  which is what reading the text must give; :func:`~govreport.testing.corpus.generate_corpus` draws blank-free reports for
  this layout, so its gold files need no such mapping.
* **Tab gaps** (each gap, p=0.15): two tabs where one belongs; rows often end in 1–4 extra tabs
  (p=0.3), and rows whose first printed column is empty start with a tab.
* **Broken labels** (each row label, p=0.2): a row label with at least six characters after its
  numbering is split into two cells, each piece at least three characters and neither piece a
  complete label on its own (a piece such as 其他 or 部分公开 is never left alone).
* **Merged group cell** (each first row of a group （三）…（六）, p=0.1): the group label and the
  item label printed in one cell, separated by a space (（三）不予公开 1.属于国家秘密).
* **Margin marks** (each label row after the first data row of a table, p=0.12): a stray first cell
  — one character of a vertically printed 本年度办理结果, a punctuation mark, or, only when the row
  before carried values, a one-to-three digit number (a value cell before a row's label belongs
  to no row, unless the row before has no values yet).
* **Garbage row** (p=0.7): before table C's values, one row of punctuation and digit fragments
  (``7,7``, ``>10``, ``711``, ``//``), at least one cell holding no digit, so that the whole row
  reads as scanner noise.
* **Bracket widths** (each label and header, p=0.5): （） as (), ： as : and ， as , — half-width
  instead of full-width.
* **Spaces in labels** (each label, p=0.15): one or two spaces between CJK characters, and a space
  after the numbering (1. 属于国家秘密) with p=0.5.
* **Letter O** (each printed 0, p=0.05): the letter ``O`` printed for the digit zero (read as 0, and
  flagged by the engine).
* **Prose**: stray spaces between characters, as OCR leaves them at line ends.
"""

from __future__ import annotations

import functools
import random
import re

from ..labels import label_key
from ..model import Report
from ..template import load_template
from .parts import Part, PrintedRow, document_parts

__all__ = ["LAYOUTS", "READER_FOR_LAYOUT", "render_text"]

LAYOUTS = ("tabbed", "vertical", "pipe", "ocr")
#: The reader each layout is written for.
READER_FOR_LAYOUT = {"tabbed": "tabbed", "vertical": "vertical", "pipe": "pipe", "ocr": "ocr_text"}


def render_text(report: Report, layout: str, *, rng: random.Random | None = None) -> str:
    """The report printed as a text document in ``layout`` (one of :data:`LAYOUTS`).

    Deterministic for a given ``rng`` state (``random.Random(0)`` when ``None``). The report must
    have format 2019 or 2021 and an agency and year. See the module docstring for each layout and
    for the OCR noise model.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    rng = rng if rng is not None else random.Random(0)
    parts = document_parts(report, rng, layout)
    emit = {"tabbed": _emit_tabbed, "vertical": _emit_tabbed, "pipe": _emit_pipe, "ocr": _emit_ocr}[layout]
    return emit(parts, rng)


# ---- tabbed / vertical

def _wrap(text: str, rng: random.Random, p: float) -> str:
    """A long header wrapped in a narrow column (本年新 / 制作数量)."""
    if len(text) >= 6 and "（" not in text and rng.random() < p:
        return text[:3] + "\n" + text[3:]
    return text


def _pad(rng: random.Random) -> str:
    """Stray spacing around a printed number (`` 0``, ``1\xa0``, as seed fixtures print them)."""
    r = rng.random()
    return " " if r < 0.05 else "\xa0" if r < 0.1 else ""


def _emit_tabbed(parts: list[Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind in ("para", "prose"):
            lines.append(item)
            continue
        name, rows = item
        # some exports leave out the empty cells of merged label columns
        skip_empty = name == "B" and rng.random() < 0.3
        for row in rows:
            for cell in row:
                if skip_empty and cell.kind == "empty" and any(c.kind == "value" for c in row):
                    continue
                if cell.kind == "value" and cell.blank:
                    text = rng.choice(("", "\xa0", " "))
                elif cell.kind == "value":
                    text = _pad(rng) + cell.text + _pad(rng)
                elif cell.vertical:
                    text = "\n".join(cell.text)
                elif cell.kind == "header" and name == "A":
                    text = _wrap(cell.text, rng, 0.3)
                elif cell.kind == "label" and len(cell.text) >= 10 and "\n" not in cell.text and rng.random() < 0.15:
                    cut = rng.randint(4, len(cell.text) - 3)  # a long label wrapped in its cell
                    text = cell.text[:cut] + "\n" + cell.text[cut:]
                else:
                    text = cell.text
                lines.append("\t" + text)
            lines.append("")
        lines += ["", ""]
    return "\n".join(lines) + "\n"


# ---- pipe

def _emit_pipe(parts: list[Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind in ("para", "prose"):
            if item:
                lines.append(item)
            continue
        name, rows = item
        for row in rows:
            for cell in row:
                if cell.kind == "empty":
                    continue  # the dump keeps no empty label columns (as the pipe seed)
                text = cell.text
                if cell.kind == "header" and name == "B" and len(text) in (4, 6) and rng.random() < 0.5:
                    text = "\n".join(text[i:i + 2] for i in range(0, len(text), 2))  # 商业 / 企业
                lines += [text, "|"]
    return "\n".join(lines) + "\n"


# ---- OCR

_PUNCT_SWAPS = (("（", "("), ("）", ")"), ("：", ":"), ("，", ","))
_MARGIN_CHARS = tuple("本年度办理结果") + (",", ".", "'", "`", "|", "、")
_GARBAGE_PUNCT = (",,,", "//", "''", "~", ".:", ">", "、、")
_GARBAGE_DIGITS = ("7,7", ">10", "711", "71", "1l", "3.")


_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、])")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GROUP_HEADS = ("（三）", "（四）", "（五）", "（六）")


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every label the template knows (rows, columns, headers): a broken label leaves none alone."""
    t = load_template()
    keys = set(t.header_keys)
    for spec in t.tables.values():
        for row in spec.rows:
            keys.update(row.labels)
        for col in spec.columns.values():
            keys.update(col.labels)
    return frozenset(keys)


def _half_width(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        for full, half in _PUNCT_SWAPS:
            text = text.replace(full, half)
    return text


def _spaced(text: str, rng: random.Random) -> str:
    m = _NUMBERING.match(text)
    head, body = (text[: m.end()], text[m.end():]) if m else ("", text)
    if head and rng.random() < 0.5:
        head += " "
    if rng.random() < 0.15:
        gaps = [i for i in range(1, len(body)) if _CJK.match(body[i - 1]) and _CJK.match(body[i])]
        for i in sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 2))), reverse=True):
            body = body[:i] + " " + body[i:]
    return head + body


def _split_label(text: str, rng: random.Random) -> list[str]:
    """Break a row label into two cells, each piece ≥ 3 characters and no piece a label by itself."""
    m = _NUMBERING.match(text)
    start = m.end() if m else 0
    known = _known_keys()
    cuts = [i for i in range(start + 1, len(text))
            if len(label_key(text[:i])) >= 3 and len(label_key(text[i:])) >= 3
            and label_key(text[:i]) not in known and label_key(text[i:]) not in known
            and _CJK.search(text[i])]
    if not cuts:
        return [text]
    i = rng.choice(cuts)
    return [text[:i], text[i:]]


def _ocr_prose(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if _CJK.match(ch) and rng.random() < 0.02:
            out.append(" ")
    return "".join(out)


def _garbage_row(rng: random.Random) -> list[str]:
    cells = [rng.choice(_GARBAGE_PUNCT)] + [rng.choice(_GARBAGE_PUNCT + _GARBAGE_DIGITS) for _ in range(rng.randint(2, 7))]
    rng.shuffle(cells)
    # empty columns in between, as the scan's gaps come out
    out: list[str] = []
    for c in cells:
        out += [""] * rng.randint(0, 2) + [c]
    return [""] + out


def _ocr_row(row: PrintedRow, rng: random.Random, *, data_seen: bool, prev_valued: bool) -> list[str]:
    has_values = any(c.kind == "value" for c in row)
    labels = [i for i, c in enumerate(row) if c.kind == "label"]
    texts: list[str] = []
    merged_into: int | None = None
    # a group label and its first item in one cell
    if (len(labels) >= 2 and row[labels[-2]].text.startswith(_GROUP_HEADS)
            and len(label_key(row[labels[-1]].text)) >= 4 and rng.random() < 0.1):
        merged_into = labels[-2]
    for i, cell in enumerate(row):
        if cell.kind == "empty":
            texts.append("")
        elif cell.kind == "value":
            texts.append("O" if cell.zero and rng.random() < 0.05 else cell.text)
        elif cell.kind == "header":
            texts.append(_half_width(cell.text, rng))
        else:
            if merged_into is not None and i == labels[-1]:
                texts[-1] = texts[-1] + " " + _half_width(_spaced(cell.text, rng), rng)
                continue
            pieces = [cell.text]
            if i == labels[-1] and has_values and merged_into is None and len(label_key(cell.text)) >= 6 and rng.random() < 0.2:
                pieces = _split_label(cell.text, rng)
            texts += [_half_width(_spaced(p, rng), rng) for p in pieces]
    if labels and has_values and data_seen and rng.random() < 0.12:
        marks = list(_MARGIN_CHARS) + ([str(rng.randint(1, 999))] if prev_valued else [])
        texts.insert(0, rng.choice(marks))
    return texts


def _join_ocr(texts: list[str], rng: random.Random) -> str:
    line = texts[0] if texts else ""
    for t in texts[1:]:
        line += ("\t\t" if rng.random() < 0.15 else "\t") + t
    if rng.random() < 0.3:
        line += "\t" * rng.randint(1, 4)
    return line


def _emit_ocr(parts: list[Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind == "para":
            lines += [item, ""] if item else [""]
            continue
        if kind == "prose":
            lines += [_ocr_prose(item, rng), ""]
            continue
        name, rows = item
        data_seen = prev_valued = False
        for row in rows:
            has_values = any(c.kind == "value" for c in row)
            if name == "C" and all(c.kind == "value" for c in row) and rng.random() < 0.7:
                lines.append(_join_ocr(_garbage_row(rng), rng))
            texts = _ocr_row(row, rng, data_seen=data_seen, prev_valued=prev_valued)
            if len(texts) == 1 and rng.random() < 0.5:
                lines.append(texts[0])  # a lone cell comes out as a line of its own (第二十条第(一)项)
            else:
                lines.append(_join_ocr(texts, rng))
            data_seen = data_seen or (has_values and any(c.kind == "label" for c in row))
            prev_valued = has_values
        lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# What a layout can express, and corpora
