"""The legacy statistics table (统计指标 / 单位 / 统计数), flattened to ``{key: value}``.

Rows valued —— are headings and are left out; a row the template does not know keeps its printed
label, numbering and whitespace stripped, as its key.
"""

from __future__ import annotations

import re

from ..labels import clean, strip_numbering
from ..model import Scalar
from ..template import Template
from .cells import Collector, row_unit
from .rows import match_rows
from .stream import Break, LogicalRow, Stream, Token, logical_rows

TABLE = "legacy_statistics"
_SPACE = re.compile(r"\s+")


def legacy_region(stream: Stream, template: Template) -> Stream | None:
    """The tokens of the grid that starts with the 统计指标 header, up to the next paragraph."""
    anchors = template.tables[TABLE].anchor
    items = stream.items
    start = next((i for i, it in enumerate(items)
                  if isinstance(it, Token) and it.kind == "label" and any(a in it.key for a in anchors)), None)
    if start is None:
        return None
    prev: Token = items[start]  # type: ignore[assignment]
    region: list[Token | Break] = []
    for it in items[start + 1:]:
        if isinstance(it, Break):
            break
        if it.grid != prev.grid and not _continues_on_next_page(prev, it):
            break
        region.append(it)
        prev = it
    return Stream(items=tuple(region))


def read_legacy(region: Stream | None, template: Template, col: Collector) -> dict[str, Scalar] | None:
    """The legacy table's rows, from the region :func:`legacy_region` found (``None``: no table)."""
    if region is None:
        return None
    rows = [lr for lr in logical_rows(region) if lr.values and not all(_is_dash(t) for t in lr.values)]
    spec = template.tables[TABLE]
    matches = {id(m.logical): m for m in match_rows(rows, spec.rows, lambda r: 1)}
    out: dict[str, Scalar] = {}
    for lr in rows:
        m = matches.get(id(lr))
        key = m.row.key if m else _printed_key(lr)
        if not key or key in out:
            col.warn("row-duplicate", f"{TABLE}: a second row for {key!r} (label {lr.text!r}) was left out")
            continue
        kind = "money" if row_unit(lr) or any(t.parsed and t.parsed.unit for t in lr.values) else "count"
        if len(lr.values) > 1:
            col.warn("row-long", f"{TABLE}/{key}: {len(lr.values)} values where one belongs; read the first")
        out[key] = col.value(TABLE, key, "", lr.values[0], kind, confidence=m.score if m else 0.9,
                             note=None if m else "row not in the template; keyed by its printed label")
    return out


def _continues_on_next_page(last: Token, first: Token) -> bool:
    """A grid right after another, with no text between, on the next page: one table split by a page break."""
    a, b = last.cell.loc.page, first.cell.loc.page
    return a is not None and b is not None and b == a + 1


def _is_dash(tok: Token) -> bool:
    return tok.parsed is not None and tok.parsed.kind == "dash"


def _printed_key(lr: LogicalRow) -> str:
    return _SPACE.sub("", strip_numbering(clean(lr.labels[-1].cell.text)))
