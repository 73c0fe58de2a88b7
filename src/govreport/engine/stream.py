"""Stage 1 of the table engine: the document's cells as one classified stream, then logical rows.

Every cell becomes a token — a label, a value (blanks included), a unit, or junk — in reading
order across all grids. Logical rows are then cut where labels start again: a run of label cells
followed by a run of value cells. This works the same whether the reader knew where rows end (a
Word table) or not (a pipe-delimited dump), and survives labels broken over several cells.
"""

from __future__ import annotations

import re

import attrs

from ..document import Cell, Document, Paragraph
from ..labels import bare_key, clean, label_key
from ..template import Template
from ..values import Parsed, parse_value

_CJK = re.compile(r"[\u3400-\u9fff]")


@attrs.frozen(kw_only=True)
class Token:
    index: int
    kind: str  # label | value | unit | junk
    cell: Cell
    grid: int
    row: int  # physical row id, unique across the document; -1 when rows are unknown
    key: str = ""  # label_key for labels
    header: bool = False
    parsed: Parsed | None = None
    joined: bool = False  # from a grid whose cells ran together: a value may hold several cells' digits


@attrs.frozen(kw_only=True)
class Break:
    """A paragraph between cells: ends every run."""

    paragraph: Paragraph


@attrs.define(kw_only=True)
class LogicalRow:
    labels: list[Token]
    values: list[Token] = attrs.Factory(list)
    context: list[Token] = attrs.Factory(list)  # label cells (headers too) since the previous valued row
    # short lines of text since the previous valued row: a layout that prints headers as lines of
    # their own (本年收费金额（单位：万元）) states its units there
    headings: list[Paragraph] = attrs.Factory(list)
    junk: list[Token] = attrs.Factory(list)  # cells after the label that are neither label nor value

    @property
    def text(self) -> str:
        return "".join(clean(t.cell.text) for t in self.labels)

    @property
    def start(self) -> int:
        return self.labels[0].index


@attrs.frozen(kw_only=True)
class Stream:
    items: tuple[Token | Break, ...]
    garbage_rows: int = 0

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for t in self.items if isinstance(t, Token))


def classify(cell: Cell, template: Template) -> tuple[str, str, bool, Parsed | None]:
    parsed = parse_value(cell.text)
    if parsed is not None:
        return "value", "", False, parsed
    text = clean(cell.text)
    if text.replace(" ", "") in template.units:
        return "unit", "", False, None
    if _CJK.search(text):
        return "label", label_key(text), template.is_header(bare_key(text)), None
    return "junk", "", False, None


def build_stream(doc: Document, template: Template) -> Stream:
    items: list[Token | Break] = []
    garbage = 0
    row_id = 0
    grid_no = -1
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                items.append(Break(paragraph=block))
            continue
        grid_no += 1
        for row in block.rows:
            row_id += 1
            toks = []
            for cell in (_cut_joined(row, template) if block.joined else row):
                if cell.merged:
                    continue
                kind, key, header, parsed = classify(cell, template)
                toks.append((kind, key, header, parsed, cell))
            kinds = {t[0] for t in toks}
            if block.rows_known and "junk" in kinds and "label" not in kinds:
                # a row of stray marks and digits (scanner noise, a stamp): no part of it is data
                garbage += 1
                continue
            for kind, key, header, parsed, cell in toks:
                items.append(
                    Token(index=len(items), kind=kind, cell=cell, grid=grid_no,
                          row=row_id if block.rows_known else -1, key=key, header=header, parsed=parsed,
                          joined=block.joined)
                )
    return Stream(items=tuple(items), garbage_rows=garbage)


def _cut_joined(row: tuple[Cell, ...], template: Template) -> list[Cell]:
    """Label cells of a run-together table, cut around the column headings glued into them.

    ``…现行有效件数规章`` holds three column headings and then the row's own label 规章; only the
    template knows where one stops and the next begins.
    """
    pattern = _header_pattern(template)
    out: list[Cell] = []
    for cell in row:
        if parse_value(cell.text) is not None or not pattern.search(cell.text):
            out.append(cell)
            continue
        cuts = sorted({0, len(cell.text), *(i for m in pattern.finditer(cell.text) for i in m.span())})
        for a, b in zip(cuts, cuts[1:]):
            piece = cell.text[a:b].strip()
            if piece:
                char = None if cell.loc.char is None else cell.loc.char + a
                out.append(attrs.evolve(cell, text=piece, loc=attrs.evolve(cell.loc, char=char)))
    return out


_HEADER_PATTERNS: dict[int, re.Pattern[str]] = {}


def _header_pattern(template: Template) -> re.Pattern[str]:
    """Column headings of four characters or more, spaces allowed between characters, longest first
    (short ones such as 总计 are also row labels: cutting there would break （七）总计)."""
    pat = _HEADER_PATTERNS.get(id(template))
    if pat is None:
        keys = sorted((k for k in template.header_keys if len(k) >= 4), key=len, reverse=True)
        cited = r"第二十条第[（(]?[一二三四五六七八九十]+[）)]?项"
        pat = re.compile("|".join([cited, *(r"\s*".join(map(re.escape, k)) for k in keys)]))
        _HEADER_PATTERNS[id(template)] = pat
    return pat


_HEADING_LINE = 40


def logical_rows(stream: Stream) -> list[LogicalRow]:
    """Cut the stream into rows: labels, then the values that follow them.

    Values at the start of a physical row, before any label, belong to the previous logical row
    only when that row has no values yet and the first of them is printed (a label wrapped onto its
    own line); otherwise they are left out (margin noise, or the blanks of a merged label column).
    """
    rows: list[LogicalRow] = []
    cur: LogicalRow | None = None
    context: list[Token] = []
    headings: list[Paragraph] = []
    last_row = None
    for item in stream.items:
        if isinstance(item, Break):
            cur = None
            last_row = None
            if len(item.paragraph.text) <= _HEADING_LINE:
                headings.append(item.paragraph)
            continue
        tok = item
        new_physical = tok.row != -1 and tok.row != last_row
        last_row = tok.row
        if new_physical and cur is not None:
            wrapped = tok.kind == "value" and not cur.values and tok.parsed is not None and not tok.parsed.is_blank
            if not wrapped:
                cur = None
        if tok.kind == "label":
            context.append(tok)
            if cur is None or cur.values:
                cur = LogicalRow(labels=[tok], context=context, headings=headings)
                rows.append(cur)
            else:
                cur.labels.append(tok)
        elif tok.kind == "value":
            if cur is None:
                continue
            cur.values.append(tok)
            if tok.parsed is not None and not tok.parsed.is_blank:
                context = []  # blank cells padding a header row do not end the header
                headings = []
        elif tok.kind == "junk" and cur is not None:
            cur.junk.append(tok)
        # units and junk neither start nor end a row
    return rows
