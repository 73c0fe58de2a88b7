"""A report as the parts of a document: title, headings, prose, tables of printed cells, signature.

:func:`document_parts` is the one place where a report becomes a document; every renderer prints
its parts — the text layouts (:mod:`.layouts`) and Word, HTML and PDF (:mod:`.office`) — so a label
or a sentence exists once. A table is a list of rows of :class:`PrintedCell` (label, header, value,
unit, or ``empty`` for the continuation of a vertically merged cell; each with the grid columns it
spans). A legacy statistics table is printed as its own inserted section 三、… (the sections after
it renumbered), right after table A, or as an appendix after section 六.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..model import Money, Report, Scalar
from .form import (
    A_BLOCKS,
    B_COLUMNS,
    B_NOTE,
    C_GROUPS,
    C_HEADERS,
    C_OUTCOMES,
    FORMATS,
    LEGACY_ROWS,
    SECTIONS,
    b_rows,
)

__all__ = ["Part", "PrintedCell", "PrintedRow", "date_line", "document_parts", "table_rows", "title_lines"]


@attrs.frozen
class PrintedCell:
    """One printed cell. ``kind``: label (row label), header (column/block header), value, unit
    (the legacy table's 单位 column), empty (the continuation of a vertically merged cell above:
    an empty label column in the text layouts, ``w:vMerge`` in Word, covered by a ``rowspan`` in
    HTML). ``span`` is the number of grid columns the cell covers (``w:gridSpan``/``colspan``)."""

    text: str
    kind: str
    vertical: bool = False
    zero: bool = False  # a value printed as 0 (OCR may print it as the letter O)
    blank: bool = False  # a blank value
    span: int = 1


PrintedRow = list[PrintedCell]


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _grouped(digits: str, rng: random.Random) -> str:
    """Thousands separators now and then (1,234); the number is the same."""
    return f"{int(digits):,}" if len(digits) >= 4 and rng.random() < 0.2 else digits


def _value_cells(values: Iterable[Scalar], kinds: Iterable[str], rng: random.Random,
                 layout: str) -> list[PrintedCell]:
    out = []
    for v, kind in zip(values, kinds):
        if v is None and layout == "ocr":
            v = Money(value="0", unit=None) if kind.startswith("money") else 0
        if v is None:
            out.append(PrintedCell("", "value", blank=True))
        elif isinstance(v, Money):
            # 2019 prints the unit in the cell; 2021 states 万元 in the column header
            show_unit = kind == "money-cell-unit" or v.unit not in (None, "万元")
            whole, dot, frac = v.value.partition(".")
            text = _grouped(whole, rng) + dot + frac + ((v.unit or "") if show_unit else "")
            out.append(PrintedCell(text, "value", zero=text == "0"))
        else:
            text = _grouped(str(abs(v)), rng)
            if kind == "signed":
                r = rng.random()
                if v > 0 and r < 0.15:
                    text = f"+{text}"
                elif v > 0 and r < 0.25:
                    text = f"增加{text}"
                elif v < 0:
                    text = f"减少{text}" if r < 0.15 else f"-{text}"
            elif rng.random() < 0.03:
                text = text.translate(_FULL_WIDTH)  # ０, as some typists print it
            out.append(PrintedCell(text, "value", zero=text == "0"))
    return out


#: grid columns of each table as the national form lays it out (Word fixtures: tblGrid)
_GRID = {"A": 4, "B": 10, "C": 15, "L": 3}


def _spanned(cells: list[PrintedCell], width: int) -> list[PrintedCell]:
    """The last cell of a short row spans the rest of the grid (第二十条第（八）项's one column)."""
    used = sum(c.span for c in cells[:-1])
    return cells[:-1] + [attrs.evolve(cells[-1], span=width - used)]


def table_rows(report: Report, rng: random.Random,
               layout: str) -> tuple[list[PrintedRow], list[PrintedRow], list[PrintedRow]]:
    """Tables A, B and C as rows of printed cells (the intermediate form every emitter prints)."""
    fmt = report.format
    if fmt not in FORMATS:
        raise ValueError(f"can only render formats {FORMATS}, not {fmt!r}")
    # ---- A
    a: list[PrintedRow] = []
    for block, cols, rows in A_BLOCKS[fmt]:
        a.append([PrintedCell(block, "header", span=_GRID["A"])])
        a.append(_spanned([PrintedCell("信息内容", "header")] + [PrintedCell(h, "header") for _, h in cols], _GRID["A"]))
        for rkey, label in rows:
            values = [report.active_disclosure.get(rkey, {}).get(c) for c, _ in cols]
            kinds = ["money-cell-unit" if c == "amount" and fmt == "2019" else
                     "money" if c == "amount" else "signed" if c == "change" else "count" for c, _ in cols]
            a.append(_spanned([PrintedCell(label, "label")] + _value_cells(values, kinds, rng, layout), _GRID["A"]))
    # ---- B: three label columns (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密), seven values
    vert_b = layout == "vertical" and rng.random() < 0.3
    b: list[PrintedRow] = [
        [PrintedCell(B_NOTE, "header", span=3), PrintedCell("申请人情况", "header", span=7)],
        [PrintedCell("", "empty", span=3), PrintedCell("自然人", "header"), PrintedCell("法人或其他组织", "header", span=5), PrintedCell("总计", "header")],
        [PrintedCell("", "empty", span=3), PrintedCell("", "empty")]
        + [PrintedCell(h, "header", vertical=vert_b) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]
        + [PrintedCell("", "empty")],
    ]
    for key, labels in b_rows(fmt):
        row = report.applications.get(key, {})
        cells = [PrintedCell(t, "label") if t else PrintedCell("", "empty") for t in labels]
        cells[-1] = attrs.evolve(cells[-1], span=4 - len(cells))
        b.append(cells + _value_cells([row.get(c) for c in B_COLUMNS], ["count"] * 7, rng, layout))
    # ---- C: 行政复议 over five columns, 行政诉讼 over ten (未经复议直接起诉 / 复议后起诉, five each)
    vert = layout == "vertical"
    c: list[PrintedRow] = [
        [PrintedCell("行政复议", "header", span=5), PrintedCell("行政诉讼", "header", span=10)],
        [PrintedCell(h, "header", vertical=vert) for h in C_HEADERS]
        + [PrintedCell("未经复议直接起诉", "header", span=5), PrintedCell("复议后起诉", "header", span=5)],
        [PrintedCell("", "empty")] * 5 + [PrintedCell(h, "header", vertical=vert) for h in C_HEADERS] * 2,
    ]
    values = [report.review_litigation.get(g, {}).get(o) for g in C_GROUPS for o in C_OUTCOMES]
    c.append(_value_cells(values, ["count"] * 15, rng, layout))
    return a, b, c


def _legacy_table(report: Report, rng: random.Random, layout: str) -> list[PrintedRow]:
    """The legacy 统计指标 / 单位 / 统计数 table (FORMAT.md §5) of a report that has one."""
    stats = report.legacy_statistics or {}
    ocr = layout == "ocr"
    head = "统　计　指　标" if not ocr and rng.random() < 0.3 else "统计指标"
    rows: list[PrintedRow] = [[PrintedCell(head, "header"), PrintedCell("单位", "header"), PrintedCell("统计数", "header")]]
    indent = "" if ocr else rng.choice(("", "", "　　"))
    for key, label, unit, note in LEGACY_ROWS:
        if key is None:  # a heading row, valued ——
            rows.append([PrintedCell(indent + label, "label"), PrintedCell("——", "value"), PrintedCell("——", "value")])
            continue
        if key not in stats:
            continue
        text = (indent + ("　　　" if indent and label[0].isdigit() else "")) + label
        if note and rng.random() < 0.6:
            # on a line of its own in the cell, except where a line break would end the cell (OCR) or
            # make it look like prose before the cell (pipe: a long line before a cell's last line)
            text += ("" if ocr or layout == "pipe" or rng.random() < 0.5 else "\n") + note
        rows.append([PrintedCell(text, "label"), PrintedCell(unit, "unit")] + _value_cells([stats[key]], ["count"], rng, layout))
    return rows


# ---- prose

_OVERVIEW = (
    "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作扎实推进政府信息公开工作。",
    "一是加强组织领导，明确工作职责，健全政府信息公开工作机制。",
    "二是规范公开程序，严格落实保密审查，确保公开内容准确及时。",
    "三是拓宽公开渠道，充分发挥门户网站和政务新媒体作用。",
    "截至{year}年12月31日，{agency}主动公开政府信息{n}条，依申请公开信息{m}条。",
)
_ACTIVE = ("{year}年，本单位通过门户网站、公示栏等渠道主动公开政府信息。", "主动公开情况统计如下。")
_APPS = ("{year}年度本单位依法办理政府信息公开申请。", "本年度收到和处理政府信息公开申请情况如下。")
_REVIEW = ("{year}年，本单位因政府信息公开引起的行政复议、行政诉讼情况如下。",)
_PROBLEMS = (
    "{year}年，本单位政府信息公开工作取得了一定成效，但也存在不足：信息公开的及时性有待加强。",
    "下一步，将进一步完善信息公开工作机制，加强业务培训，提高公开质量。",
    "一是加大政策解读力度，及时回应社会关切。",
)
_OTHER = ("无。", "本年度无其他需要报告的事项。", "本单位未收取信息处理费。")


def _prose(pool: Sequence[str], rng: random.Random, k: tuple[int, int], **kw: Any) -> list[str]:
    lines = list(pool[:1]) + rng.sample(list(pool[1:]), min(len(pool) - 1, rng.randint(*k)))
    return [line.format(**kw) for line in lines]


def _cn_year(y: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(y))


def _cn_num(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def date_line(d: datetime.date, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{d.year}年{d.month}月{d.day}日"
    if style < 0.85:
        return f"{_cn_year(d.year)}年{_cn_num(d.month)}月{_cn_num(d.day)}日"
    return f"{d.year}-{d.month:02d}-{d.day:02d}"


def title_lines(agency: str, year: int, rng: random.Random, layout: str) -> list[str]:
    if layout == "ocr":
        return [f"{agency} {year} 年政府信息公开工作年度报告"]
    style = rng.randrange(4)
    if style == 0:
        return [f"{agency}{year}年", "政府信息公开工作年度报告"]
    if style == 1:
        return [agency, f"{year}年政府信息公开工作年度报告"]
    if style == 2:
        return [f"{agency}{year}年政府信息公开工作年度报告"]
    return [f"{year}年度{agency}政府信息公开工作年度报告"]


@attrs.frozen
class Part:
    """One block of a rendered document. ``kind`` is what the text emitters print it as: ``para``
    (a line of its own), ``prose`` (body text; OCR noise spaces it) or ``table`` (``item`` is
    ``(name, rows)``, name ``A``/``B``/``C``/``L`` for the legacy table). ``role`` is what the office
    emitters style it as: title, blank, heading, body, caption, table, signature or date."""

    kind: str
    item: Any
    role: str = "body"


#: where a legacy table goes: its own inserted section (as a seed does: 三、… with the rest shifted),
#: right after table A inside section 二, or an appendix after section 六
_LEGACY_PLACES = ("section", "after_a", "appendix")
_LEGACY_CAPTIONS = ("政府信息公开情况统计表", "附：政府信息公开情况统计表", "{year}年政府信息公开情况统计表")
_CN_NUMERALS = "一二三四五六七八九十"


def _renumbered(heading: str, number: int) -> str:
    """A section heading with its numeral replaced (an inserted section shifts the ones after it)."""
    return _CN_NUMERALS[number - 1] + heading[heading.index("、"):]


def document_parts(report: Report, rng: random.Random, layout: str) -> list[Part]:
    """The document as parts: title, headings, prose, tables (rows of :class:`PrintedCell`), signature.

    The one place where a report becomes a document; every emitter (text layouts, Word, HTML) prints
    these parts. ``layout`` is a text layout or ``"office"`` (no OCR or vertical-print specifics).
    """
    meta = report.meta
    if not meta.agency or not meta.year:
        raise ValueError("rendering needs a report with meta.agency and meta.year")
    a, b, c = table_rows(report, rng, layout)
    kw = dict(agency=meta.agency, year=meta.year, n=rng.randint(1, 2000), m=rng.randint(0, 20))
    parts = [Part("para", t, "title") for t in title_lines(meta.agency, meta.year, rng, layout)]
    parts.append(Part("para", "", "blank"))
    parts.append(Part("para", SECTIONS[0], "heading"))
    parts += [Part("prose", t) for t in _prose(_OVERVIEW, rng, (1, 4), **kw)]
    legacy: list[Part] = []
    place = None
    if report.legacy_statistics is not None:
        place = rng.choice(_LEGACY_PLACES)
        caption = rng.choice(_LEGACY_CAPTIONS).format(year=meta.year)
        legacy = ([Part("para", f"三、{caption.removeprefix('附：')}", "heading")] if place == "section" else
                  [Part("para", caption, "caption")])
        legacy.append(Part("table", ("L", _legacy_table(report, rng, layout)), "table"))
    shift = 0
    for heading, pool, table, name in ((SECTIONS[1], _ACTIVE, a, "A"), (SECTIONS[2], _APPS, b, "B"),
                                       (SECTIONS[3], _REVIEW, c, "C")):
        parts.append(Part("para", _renumbered(heading, int(_CN_NUMERALS.index(heading[0])) + 1 + shift)
                           if shift else heading, "heading"))
        if rng.random() < 0.5:
            parts += [Part("prose", t) for t in _prose(pool, rng, (0, 1), **kw)]
        parts.append(Part("table", (name, table), "table"))
        if name == "A" and place in ("section", "after_a"):
            parts += legacy
            shift = int(place == "section")
    for i, heading in ((4, SECTIONS[4]), (5, SECTIONS[5])):
        parts.append(Part("para", _renumbered(heading, i + 1 + shift) if shift else heading, "heading"))
        if i == 4:
            parts += [Part("prose", t) for t in _prose(_PROBLEMS, rng, (1, 2), **kw)]
        else:
            parts.append(Part("prose", rng.choice(_OTHER)))
    if place == "appendix":
        parts += legacy
    if meta.published:
        parts.append(Part("para", "", "blank"))
        parts.append(Part("para", (" " * rng.randint(0, 10)) + meta.agency, "signature"))
        parts.append(Part("para", date_line(meta.published, rng), "date"))
    return parts
