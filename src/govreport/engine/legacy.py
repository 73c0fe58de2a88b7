"""The legacy statistics table (统计指标 / 单位 / 统计数, or 指标名称 / 计量单位 / 本年度 / 历年累计),
flattened to ``{key: value}``.

The header says which column holds the year's figures; that one is read, the cumulative one never.
Rows valued —— (or blank, without a unit) are headings and are left out; a row the template does
not know keeps its printed label, numbering and whitespace stripped, as its key.
"""

from __future__ import annotations

import re

import attrs

from ..labels import clean, label_key, strip_numbering
from ..model import Scalar, cell_id
from ..template import TableSpec, Template
from ..values import header_unit
from .cells import Collector, row_unit
from .rows import match_rows
from .stream import Break, LogicalRow, Stream, Token, logical_rows

TABLE = "legacy_statistics"
_SPACE = re.compile(r"\s+")
_CIRCLED = re.compile(r"^[\s\u3000]*[\u2460-\u2473\u2776-\u277f\u24f5-\u24fe]")
_YEAR_COLUMN = re.compile(r"^((?:19|20)\d{2})年")
_MONEY_UNITS = ("元", "万元")
_MAX_HEADING = 30  # characters of a heading row printed as a line of its own
_MAX_HEADING_LINES = 2
_UNIT_HEADERS = ("单位", "计量单位")
# a fee or a budget is an amount of money even where no unit is printed
_MONEY_LABEL = re.compile(r"费用|经费|金额|收费")


def legacy_region(stream: Stream, template: Template) -> Stream | None:
    """The tokens of the grid whose header holds 统计指标 (or 指标名称), from that header row up to
    the next paragraph; failing that, of a grid titled …统计表 whose header has a unit column."""
    anchors = template.tables[TABLE].anchor
    items = stream.items
    start = next((i for i, it in enumerate(items)
                  if isinstance(it, Token) and it.kind == "label" and any(a in it.key for a in anchors)), None)
    if start is None:
        start = _titled_grid(items, template.tables[TABLE])
    if start is None:
        return None
    prev: Token = items[start]  # type: ignore[assignment]
    while start > 0 and prev.row != -1 and isinstance(items[start - 1], Token) \
            and items[start - 1].row == prev.row:  # type: ignore[union-attr]
        start -= 1  # the header row from its first cell
    region: list[Token | Break] = []
    i = start
    while i < len(items):
        it = items[i]
        if isinstance(it, Break):
            resumed = _resumes_after_headings(items, i)
            if resumed is None:
                break
            region.extend(items[i:resumed])
            i = resumed
            prev = items[i]  # type: ignore[assignment]
            continue
        if it.grid != prev.grid and not _continues_on_next_page(prev, it):
            break
        region.append(it)
        prev = it
        i += 1
    return Stream(items=tuple(region))


def _titled_grid(items: tuple[Token | Break, ...], spec: TableSpec) -> int | None:
    """The first cell of a grid right under a title such as XX市2012年政府信息公开情况统计表 whose
    first row heads a unit column (单位, 计量单位) and a column of values: a table whose label
    column is headed by something else (项目, 内容)."""
    for i, it in enumerate(items[:-1]):
        if not isinstance(it, Break):
            continue
        key = label_key(it.paragraph.text)
        first = items[i + 1]
        if "统计表" not in key or len(key) > 40 or not isinstance(first, Token) or first.row == -1:
            continue
        row = [t for t in items[i + 1:i + 20] if isinstance(t, Token) and t.row == first.row]
        roles = [_role(t, spec)[0] for t in row[1:]]
        if any(t.key in _UNIT_HEADERS for t in row[1:]) and {"year", "blank", "cumulative"} & set(roles):
            return i + 1
    return None


def _resumes_after_headings(items: tuple[Token | Break, ...], i: int) -> int | None:
    """Where the table goes on after short heading lines (一、依申请公开情况 printed with empty cells,
    which a text export leaves as a line of its own): the index of the next grid's first token, if
    that grid's first row has a unit cell and a number, as the table's rows do; else ``None``."""
    j = i
    while j < len(items) and j - i < _MAX_HEADING_LINES and isinstance(items[j], Break):
        text = items[j].paragraph.text  # type: ignore[union-attr]
        if len(label_key(text)) > _MAX_HEADING or "。" in text:
            return None
        j += 1
    if j >= len(items) or not isinstance(items[j], Token):
        return None
    first: Token = items[j]  # type: ignore[assignment]
    row = [t for t in items[j:j + 12] if isinstance(t, Token) and t.grid == first.grid and t.row == first.row]
    if any(t.kind == "unit" for t in row) and any(t.parsed is not None and t.parsed.kind == "number" for t in row):
        return j
    return None


def read_legacy(region: Stream | None, template: Template, col: Collector) -> dict[str, Scalar] | None:
    """The legacy table's rows, from the region :func:`legacy_region` found (``None``: no table).

    Each row gives one value: the cell under the year's column (本年度, 2012年度, 统计数, or the
    first unlabelled column after the unit), never the cumulative one (历年累计), wherever the two
    stand. Rows with no number and no unit are headings and are left out.
    """
    if region is None:
        return None
    spec = template.tables[TABLE]
    header = _read_header(region, spec)
    if header.year is None:
        col.warn("table-unreadable", f"{TABLE}: no column of the year's figures among the headers "
                 f"{' / '.join(header.texts)}; the table was not read")
        return {}
    if header.skipped:
        col.warn("column-skipped", f"{TABLE}: read the column {header.texts[header.year]!r}; "
                 f"left out {', '.join(repr(t) for t in header.skipped)}", severity="info")
    unit_cells = [t for t in region.tokens if t.kind == "unit"]
    by_row: dict[int, list[Token]] = {}
    for tok in region.tokens:
        if tok.row != -1:
            by_row.setdefault(tok.row, []).append(tok)
    rows: list[LogicalRow] = []
    units: dict[int, str | None] = {}
    absent: set[int] = set()  # rows with no cell under the year's column
    for lr in logical_rows(region):
        if not lr.values or lr.values[0].row in header.rows or all(t.row in header.rows for t in lr.labels):
            continue
        row = lr.values[0].row
        own = {id(t) for t in lr.labels}
        if row != -1 and any(t.kind == "label" and id(t) not in own for t in by_row[row]):
            continue  # a heading that took the numbering cell (1, 2 …) of the row below for its value
        slots = _slots(lr, header, by_row, unit_cells)
        picked = _row(lr, slots, header)
        if picked is not None:
            rows.append(picked)
            units[id(picked)] = _unit(slots, header, lr)
            if slots[header.year] is None:
                absent.add(id(picked))
    matches = {id(m.logical): m for m in match_rows(rows, spec.rows, lambda r: 1)}
    out: dict[str, Scalar] = {}
    for lr in rows:
        m = matches.get(id(lr))
        key = m.row.key if m else _printed_key(lr)
        if not key or key in out:
            col.warn("row-duplicate", f"{TABLE}: a second row for {key!r} (label {lr.text!r}) was left out")
            continue
        tok = lr.values[0]
        if id(lr) in absent:
            col.warn("row-short", f"{TABLE}/{key}: no cell under the year's column (label {lr.text!r}); left blank",
                     (cell_id(TABLE, key, ""),))
            out[key] = None
            continue
        if tok.kind != "value":
            col.warn("value-unreadable", f"{TABLE}/{key}: the cell under the year's column ({tok.cell.loc}) "
                     f"holds {clean(tok.cell.text)!r}, not a number; left blank", (cell_id(TABLE, key, ""),))
            out[key] = None
            continue
        unit = units[id(lr)]
        money = unit in _MONEY_UNITS or (tok.parsed is not None and tok.parsed.unit is not None) \
            or bool(_MONEY_LABEL.search(lr.text))
        out[key] = col.value(TABLE, key, "", tok, "money" if money else "count",
                             unit=unit if unit in _MONEY_UNITS else None, confidence=m.score if m else 0.9,
                             note=None if m else "row not in the template; keyed by its printed label")
    return out


@attrs.frozen(kw_only=True)
class _Header:
    """The columns right of the label column, as the header names them."""

    roles: tuple[str, ...]  # year | cumulative | unit | other | blank, one per column, left to right
    texts: tuple[str, ...]
    cols: tuple[int | None, ...]  # the grid column of each, where the reader knows it
    rows: frozenset[int]  # the header's physical rows
    year: int | None  # the index of the column read

    @property
    def skipped(self) -> list[str]:
        return [t for i, (r, t) in enumerate(zip(self.roles, self.texts)) if r == "cumulative" and i != self.year]


def _role(tok: Token, spec: TableSpec) -> tuple[str, int | None]:
    """What a header cell says its column holds, and the year it names (2012年度)."""
    if tok.kind == "value" and tok.parsed is not None and tok.parsed.is_blank:
        return "blank", None
    key = label_key(tok.cell.text)
    if any(v in key for v in spec.columns["cumulative"].labels):
        return "cumulative", None
    if any(v in key for v in spec.columns["unit"].labels):
        return "unit", None
    m = _YEAR_COLUMN.match(key)
    if m:
        return "year", int(m.group(1))
    if key in spec.columns["year"].labels:
        return "year", None
    return "other", None


def _read_header(region: Stream, spec: TableSpec) -> _Header:
    toks = list(region.tokens)
    # (a table found by its title: its first cell heads the label column)
    anchor = next((i for i, t in enumerate(toks) if t.kind == "label" and any(a in t.key for a in spec.anchor)), 0)
    first = toks[anchor]
    if first.row != -1:
        cells = [t for t in toks[anchor + 1:] if t.row == first.row]
        rows = {first.row}
        nxt = next((t.row for t in toks[anchor + 1:] if t.row != first.row), None)
        below = [t for t in toks if nxt is not None and t.row == nxt]
        below_roles = [_role(t, spec)[0] for t in below]
        if below and all(t.kind == "label" or r == "blank" for t, r in zip(below, below_roles)) \
                and {"year", "cumulative"} & set(below_roles):
            # a second header row splitting 数量 into 本年度 / 历年累计
            cells = [t for t in cells if _role(t, spec)[0] == "unit"] + [t for t in below if t.kind == "label"]
            rows.add(nxt)  # type: ignore[arg-type]
    else:
        cells = []
        for t in toks[anchor + 1:]:
            if t.kind != "label" or not (t.header or _role(t, spec)[0] != "other"):
                break
            cells.append(t)
        rows = set()
    found = [_role(t, spec) for t in cells]
    roles = tuple(r for r, _ in found)
    years = [(y or 9999, i) for i, (r, y) in enumerate(found) if r == "year"]
    year: int | None
    if years:
        year = max(years)[1]  # 本年度 before a named year; of two named years, the later
    else:
        after_unit = max((i for i, r in enumerate(roles) if r == "unit"), default=-1) + 1
        year = next((i for i in range(after_unit, len(roles)) if roles[i] in ("blank", "other")), None)
    return _Header(roles=roles, texts=tuple(clean(t.cell.text) for t in cells),
                   cols=tuple(t.cell.loc.col for t in cells), rows=frozenset(rows), year=year)


def _slots(lr: LogicalRow, header: _Header, by_row: dict[int, list[Token]],
           unit_cells: list[Token]) -> list[Token | None]:
    """The row's cells under the header's columns (``None`` where the row has no cell)."""
    n = len(header.roles)
    row = lr.values[0].row
    if row == -1:
        # no row boundaries: the values in order, after the unit cell if the unit column is blank here
        vals: list[Token | None] = list(lr.values)
        value_cols = [i for i, r in enumerate(header.roles) if r != "unit"]
        if "unit" in header.roles and len(vals) > len(value_cols) and lr.values[0].parsed is not None \
                and lr.values[0].parsed.is_blank:
            vals = vals[1:]
        out: list[Token | None] = [None] * n
        for i, v in zip(value_cols, vals):
            out[i] = v
        if "unit" in header.roles:
            # the unit printed between the label and the values (a row with a unit is no heading)
            lo, hi = lr.labels[-1].index, lr.values[-1].index
            out[header.roles.index("unit")] = next((t for t in unit_cells if lo < t.index < hi), None)
        return out
    cells = by_row[row]
    if len(cells) < n + 1 and all(c is not None for c in header.cols) and all(
            t.cell.loc.col is not None for t in cells):
        # a short row (a cell spanning columns): place its cells by grid column
        at = {t.cell.loc.col: t for t in cells}
        return [at.get(c) for c in header.cols]
    # label cells left, one cell per column right: align from the right (a label split over two
    # cells, or a numbering column, only adds cells on the left)
    right = cells[-n:] if n else []
    return [None] * (n - len(right)) + list(right)


def _row(lr: LogicalRow, slots: list[Token | None], header: _Header) -> LogicalRow | None:
    """The row reduced to its label and the year's cell, or ``None`` for a heading row."""
    value_cells = [t for t, r in zip(slots, header.roles) if t is not None and r != "unit"]
    numbers = any(t.kind == "value" and t.parsed is not None and t.parsed.kind == "number" for t in value_cells)
    unit_cell = next((t for t, r in zip(slots, header.roles) if r == "unit" and t is not None), None)
    has_unit = unit_cell is not None and unit_cell.kind == "unit"
    dashes = bool(value_cells) and all(_is_dash(t) for t in value_cells)
    if not numbers and (not has_unit or dashes):
        return None
    assert header.year is not None
    # a row missing the year's cell (a text export drops empty cells) is kept, blank; its other
    # cells stand in for it only to match the label
    tok = slots[header.year] or next((t for t in slots if t is not None), None)
    if tok is None:
        return None
    taken = {id(t) for t in slots if t is not None}
    labels = [t for t in lr.labels if id(t) not in taken]
    if not labels:
        return None
    return LogicalRow(labels=labels, values=[tok], context=lr.context, junk=lr.junk)


def _unit(slots: list[Token | None], header: _Header, lr: LogicalRow) -> str | None:
    """The unit the row states: in its unit column, in its label or the headers above (（万元）)."""
    for t, r in zip(slots, header.roles):
        if r == "unit" and t is not None:
            text = clean(t.cell.text).replace(" ", "")
            if text:
                return header_unit(text) or text
    return row_unit(lr)


def _continues_on_next_page(last: Token, first: Token) -> bool:
    """A grid right after another, with no text between, on the next page: one table split by a page break."""
    a, b = last.cell.loc.page, first.cell.loc.page
    return a is not None and b is not None and b == a + 1


def _is_dash(tok: Token) -> bool:
    return tok.parsed is not None and tok.parsed.kind == "dash"


def _printed_key(lr: LogicalRow) -> str:
    # circled numbers (①当面申请数) must go before width folding turns them into plain digits
    text = _CIRCLED.sub("", lr.labels[-1].cell.text)
    return _SPACE.sub("", strip_numbering(clean(text)))
