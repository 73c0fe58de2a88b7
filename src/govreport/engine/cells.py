"""Stage 3 of the table engine: turning a matched row's value cells into typed, traced values."""

from __future__ import annotations

import re

import attrs

from ..document import Cell
from ..labels import clean
from ..model import Finding, Money, Provenance, Scalar, cell_id
from ..values import as_count, as_money, header_unit
from .stream import LogicalRow, Token


@attrs.define
class Collector:
    """Accumulates the values, provenance and findings of one extraction."""

    reader: str
    provenance: dict[str, Provenance] = attrs.Factory(dict)
    findings: list[Finding] = attrs.Factory(list)
    #: tables whose rows the format's rules tie together (short rows there are placed by the rules)
    rule_tables: frozenset[str] = frozenset()
    #: rows short of values, left blank by :func:`fill_row` for :mod:`.lost_cell` to place
    short: list[ShortRow] = attrs.Factory(list)

    def warn(self, rule: str, message: str, cells: tuple[str, ...] = (), severity: str = "warning") -> None:
        self.findings.append(Finding(rule=rule, severity=severity, message=message, cells=cells))  # type: ignore[arg-type]

    def value(self, table: str, row: str, col: str, tok: Token, kind: str, *, unit: str | None = None,
              confidence: float = 1.0, note: str | None = None) -> Scalar:
        """Read one value cell, record where it came from, and flag anything doubtful."""
        assert tok.parsed is not None
        cid = cell_id(table, row, col)
        flags: tuple[str, ...]
        value: Scalar
        if kind == "money":
            value, flags = as_money(tok.parsed, unit)
        else:
            value, flags = as_count(tok.parsed, signed=kind == "signed")
        cell: Cell = tok.cell
        notes = [n for n in (note, *flags) if n]
        self.provenance[cid] = Provenance(
            reader=self.reader,
            location=str(cell.loc),
            raw=cell.text,
            confidence=round(cell.confidence * confidence * (0.8 if flags else 1.0), 3),
            note="; ".join(notes) or None,
        )
        for flag in flags:
            self.warn(flag, f"{cid}: {_FLAG_TEXT.get(flag, flag)} (printed {clean(cell.text)!r})", (cid,))
        return value


_FLAG_TEXT = {
    "dash-as-zero": "a dash read as 0",
    "letter-o-as-zero": "the letter O read as the digit 0",
    "fraction-in-count": "a count with a fraction, left blank",
    "money-in-count": "a money amount where a count belongs",
    "negative-count": "a negative count",
    "not-a-number": "not a number, left blank",
    "number-too-long": "a number too long to be a real value, left blank",
}


#: The most cells a row of a table the rules tie together may lack and still be placed by them
#: (three of seven: 35 placements a row).
MAX_LOST = 3


@attrs.frozen(kw_only=True)
class ShortRow:
    """A matched row printed with fewer values than its columns, its cells not yet placed."""

    table: str
    row: str
    columns: tuple[str, ...]
    kinds: dict[str, str] = attrs.field(eq=False)
    logical: LogicalRow = attrs.field(eq=False)
    values: tuple[Token, ...]
    confidence: float
    #: the placements of ``values`` in ``columns`` another pass left open (per column, the index of
    #: the value it holds or None: a blank cell not printed); None: any cell may be the one lost
    spreads: tuple[tuple[int | None, ...], ...] | None = None
    #: how that pass placed the row (its provenance note)
    note: str | None = None


def _blank(tok: Token) -> bool:
    return tok.parsed is not None and tok.parsed.is_blank


def row_unit(lr: LogicalRow) -> str | None:
    """The money unit stated by the headers above a row or by its own label cells (单位：万元)."""
    for text in reversed([*(p.text for p in lr.headings), *(t.cell.text for t in (*lr.context, *lr.labels))]):
        unit = header_unit(text)
        if unit:
            return unit
    return None


def fill_row(col: Collector, table: str, row: str, columns: tuple[str, ...], kinds: dict[str, str],
             lr: LogicalRow, score: float) -> dict[str, Scalar]:
    """Assign a logical row's values to the template columns in order."""
    vals = lr.values
    surplus = len(vals) - len(columns)
    if surplus > 0 and all(_blank(t) for t in vals[:surplus]) and not all(_blank(t) for t in vals[-surplus:]):
        # an empty cell of the label columns (a label narrower than its neighbours') before the values
        vals = vals[surplus:]
    out: dict[str, Scalar] = {c: None for c in columns}
    confidence = min(1.0, score)
    note = None
    missing = len(columns) - len(vals)
    if 0 < missing <= MAX_LOST or (missing > 1 and table not in col.rule_tables):
        # which cell was lost is not for the order of the values to say: shifting them left would
        # put numbers in the wrong columns (decided with the table's other rows, in .lost_cell)
        for tok in lr.junk:
            col.warn("value-unreadable", f"{table}/{row}: the cell {clean(tok.cell.text)!r} ({tok.cell.loc}) is not "
                     "a number", tuple(cell_id(table, row, c) for c in columns))
        col.short.append(ShortRow(table=table, row=row, columns=columns, kinds=kinds, logical=lr, values=tuple(vals),
                                  confidence=confidence))
        return out
    if len(vals) < len(columns):
        # many cells lost: the order of the values cannot say which, and the rules leave too many
        # readings to try; a wrong number in the right-looking place is worse than a blank row
        col.warn("row-short", f"{table}/{row}: the row has {len(vals)} values for {len(columns)} columns; which "
                 f"cells were lost cannot be told, so the row is left blank (label {lr.text!r}; values "
                 f"{', '.join(repr(clean(t.cell.text)) for t in vals)})",
                 tuple(cell_id(table, row, c) for c in columns))
        return out
    elif len(vals) > len(columns) and not all(_blank(t) for t in vals[len(columns):]):
        # (empty cells padding a row out to the table's width say nothing and are ignored)
        extra = ", ".join(repr(clean(t.cell.text)) for t in vals[len(columns):])
        col.warn("row-long", f"{table}/{row}: {len(vals)} values for {len(columns)} columns; ignored the extra {extra}",
                 tuple(cell_id(table, row, c) for c in columns))
    for tok in lr.junk:
        col.warn("value-unreadable", f"{table}/{row}: the cell {clean(tok.cell.text)!r} ({tok.cell.loc}) is not a "
                 "number and was left out; the row's values were taken from its other cells",
                 tuple(cell_id(table, row, c) for c in columns))
    unit = row_unit(lr) if "money" in (kinds.get(c) for c in columns) else None
    for c, tok in zip(columns, vals):
        out[c] = col.value(table, row, c, tok, kinds.get(c, "count"), unit=unit, confidence=confidence, note=note)
    return out


_SIGNED = re.compile(r"^(增加|减少|增|减|[+＋\-－−])")


def fits_kind(tok: Token, kind: str) -> bool:
    """Whether a printed value can stand in a column of ``kind``: an amount (a money unit, or a
    fraction) only under money; a plain whole number under a count or under money alike, so a row
    of bare numbers is placed only where the columns' kinds leave one way."""
    p = tok.parsed
    if p is None or p.is_blank:
        return False
    if kind != "signed" and (p.negative or _SIGNED.match(clean(tok.cell.text))):
        return False  # 增加6, +3, -2: a change, which only a signed column (本年增/减) holds
    amount = p.unit in ("元", "万元") or (p.number is not None and "." in p.number)
    return True if kind == "money" else not amount and p.unit in (None, "件", "条", "个", "项", "次")
