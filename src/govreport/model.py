"""The report model: immutable, typed, and every value traceable to where it was read.

Tables are read-only mappings of row key → column key → value, where a value is an ``int`` (a
count), a :class:`Money` amount, or ``None`` for a cell the document leaves blank. Blank is never
turned into 0 here; :meth:`Report.table` offers that view on request.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal, Union, overload

import attrs

SCHEMA = "govreport/1"
TABLES = ("active_disclosure", "applications", "review_litigation")
Severity = Literal["error", "warning", "info"]
FormatId = Literal["2019", "2021", "legacy", "unknown"]
FORMATS: tuple[FormatId, ...] = ("2019", "2021", "legacy", "unknown")


def format_id(name: str) -> FormatId:
    """``name`` as a :data:`FormatId`; ``ValueError`` for a name that is not one."""
    for known in FORMATS:
        if known == name:
            return known
    raise ValueError(f"not a report format: {name!r} (one of {', '.join(FORMATS)})")


@attrs.frozen
class Money:
    """An amount of money as printed: ``value`` is the decimal string without separators."""

    value: str
    unit: str | None = None

    def __str__(self) -> str:
        return f"{self.value}{self.unit or ''}"


Scalar = Union[int, Money, None]
Table = Mapping[str, Mapping[str, Scalar]]


def freeze_table(table: Mapping[str, Mapping[str, Scalar]] | None) -> Table:
    """A read-only copy of a nested table mapping."""
    return MappingProxyType({r: MappingProxyType(dict(cols)) for r, cols in (table or {}).items()})


def _freeze_flat(table: Mapping[str, Scalar] | None) -> Mapping[str, Scalar] | None:
    return None if table is None else MappingProxyType(dict(table))


def _value_out(v: Scalar) -> Any:
    if isinstance(v, Money):
        return {"value": v.value, "unit": v.unit}
    return v


def _freeze_provenance(provenance: Mapping[str, Provenance]) -> Mapping[str, Provenance]:
    return MappingProxyType(dict(provenance))


@attrs.frozen(kw_only=True)
class Provenance:
    """Where one value came from: the reader, the place in the document, the raw text, and how sure
    the reading is (1.0: printed plainly and matched exactly; lower: guessed, OCR, or ambiguous)."""

    reader: str
    location: str
    raw: str
    confidence: float = 1.0
    note: str | None = None


@attrs.frozen(kw_only=True)
class Finding:
    """A rule the report breaks, or a doubt about reading it.

    ``rule`` is a rule id (``R1``–``R4`` of the format, or a reading check such as
    ``row-missing``); ``cells`` names the cells involved as ``table/row/column``. A finding with
    ``proposal=True`` suggests a correction; the value itself is never changed.
    """

    rule: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    expected: Any = None
    found: Any = None
    proposal: bool = False


@attrs.frozen(kw_only=True)
class Meta:
    agency: str | None = None
    year: int | None = None
    published: datetime.date | None = None


@attrs.frozen(kw_only=True)
class Section:
    """One numbered section of the report. ``key`` is its canonical role (``overview``,
    ``active_disclosure``, ``applications``, ``review_litigation``, ``problems``, ``other``) or
    ``None`` for a section the national format does not have."""

    number: str | None
    title: str
    key: str | None
    text: str


@attrs.frozen(kw_only=True)
class CellRecord:
    """One cell in long form, as yielded by :meth:`Report.cells`."""

    table: str
    row: str
    column: str
    value: Scalar
    provenance: Provenance | None


def cell_id(table: str, row: str, column: str = "") -> str:
    return f"{table}/{row}/{column}" if column else f"{table}/{row}"


@attrs.frozen(kw_only=True)
class Report:
    """One annual report, as read. Build it with :func:`govreport.parse` or :func:`govreport.loads`."""

    format: FormatId = "unknown"
    meta: Meta = Meta()
    active_disclosure: Table = attrs.field(factory=dict, converter=freeze_table)
    applications: Table = attrs.field(factory=dict, converter=freeze_table)
    review_litigation: Table = attrs.field(factory=dict, converter=freeze_table)
    legacy_statistics: Mapping[str, Scalar] | None = attrs.field(default=None, converter=_freeze_flat)
    sections: tuple[Section, ...] = ()
    findings: tuple[Finding, ...] = ()
    provenance: Mapping[str, Provenance] = attrs.field(factory=dict, converter=_freeze_provenance)
    source: str | None = None
    reader: str | None = None
    pages: int | None = None

    schema = SCHEMA

    def cells(self) -> Iterator[CellRecord]:
        """Every cell of every table in long form, blanks included (as ``None``)."""
        for t in TABLES:
            for row, cols in getattr(self, t).items():
                for col, v in cols.items():
                    yield CellRecord(table=t, row=row, column=col, value=v,
                                     provenance=self.provenance.get(cell_id(t, row, col)))
        for row, v in (self.legacy_statistics or {}).items():
            yield CellRecord(table="legacy_statistics", row=row, column="", value=v,
                             provenance=self.provenance.get(cell_id("legacy_statistics", row)))

    def provenance_of(self, table: str, row: str, column: str = "") -> Provenance | None:
        """Where the value of one cell was read, or ``None`` if it was not found in the document.

        Raises ``KeyError`` (naming the valid names) for a table, row or column the report does not have.
        """
        self.value(table, row, column)
        return self.provenance.get(cell_id(table, row, column))

    def value(self, table: str, row: str, column: str = "") -> Scalar:
        """One cell's value (``None`` when blank). ``KeyError`` names the valid names on a typo."""
        rows = self._rows(table)
        if table == "legacy_statistics":
            if column:
                raise KeyError(f"legacy_statistics has no columns; leave out column (got {column!r})")
            if row not in rows:
                raise KeyError(f"legacy_statistics has no row {row!r}; rows: {', '.join(rows) or 'none'}")
            flat: Scalar = rows[row]
            return flat
        if row not in rows:
            raise KeyError(f"{table} has no row {row!r}; rows: {', '.join(rows)}")
        cols: Mapping[str, Scalar] = rows[row]
        if column not in cols:
            raise KeyError(f"{table}/{row} has no column {column!r}; columns: {', '.join(cols)}")
        return cols[column]

    def count(self, table: str, row: str, column: str = "") -> int | None:
        """A count cell as ``int`` (``None`` when blank), typed for user code; ``TypeError`` for an
        amount of money (use :meth:`amount`)."""
        v = self.value(table, row, column)
        if isinstance(v, Money):
            raise TypeError(f"{cell_id(table, row, column)} is an amount of money ({v}), not a count: use amount()")
        return v

    def amount(self, table: str, row: str, column: str = "") -> Money | None:
        """A money cell as :class:`Money` (``None`` when blank); ``TypeError`` for a count."""
        v = self.value(table, row, column)
        if v is not None and not isinstance(v, Money):
            raise TypeError(f"{cell_id(table, row, column)} is a count ({v}), not an amount: use count()")
        return v

    def _rows(self, table: str) -> Mapping[str, Any]:
        if table not in (*TABLES, "legacy_statistics"):
            raise KeyError(f"no table {table!r}; tables: {', '.join((*TABLES, 'legacy_statistics'))}")
        return getattr(self, table) or {}

    @overload
    def table(self, name: Literal["legacy_statistics"], *,
              blank: Scalar | Literal["keep"] = "keep") -> dict[str, Scalar]: ...

    @overload
    def table(self, name: Literal["active_disclosure", "applications", "review_litigation"], *,
              blank: Scalar | Literal["keep"] = "keep") -> dict[str, dict[str, Scalar]]: ...

    # a name known only at run time: either shape
    @overload
    def table(self, name: str, *, blank: Scalar | Literal["keep"] = "keep") -> dict[str, Any]: ...

    def table(self, name: str, *,
              blank: Scalar | Literal["keep"] = "keep") -> dict[str, dict[str, Scalar]] | dict[str, Scalar]:
        """A plain-dict copy of one table. ``blank=0`` gives the common "treat blank as 0" view;
        the default keeps blanks as ``None``. ``KeyError`` names the tables on a typo.
        ``legacy_statistics`` has no columns: its copy maps row → value."""
        src = self._rows(name)
        if name == "legacy_statistics":
            src = {"": src or {}}
        out: dict[str, dict[str, Scalar]] = {}
        for row, cols in src.items():
            out[row] = {c: (blank if v is None and blank != "keep" else v) for c, v in cols.items()}
        return out[""] if name == "legacy_statistics" else out

    @property
    def rule_breaks(self) -> tuple[Finding, ...]:
        """Findings for the format's consistency rules R1–R4 (proposals excluded)."""
        return tuple(f for f in self.findings if f.rule.startswith("R") and not f.proposal)

    def to_dict(self, *, full: bool = True) -> dict[str, Any]:
        """The ``govreport/1`` JSON shape. ``full=False`` leaves out sections, findings and provenance."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "format": self.format,
            "meta": {
                "agency": self.meta.agency,
                "year": self.meta.year,
                "published": self.meta.published.isoformat() if self.meta.published else None,
            },
        }
        for t in TABLES:
            out[t] = {r: {c: _value_out(v) for c, v in cols.items()} for r, cols in getattr(self, t).items()}
        if self.legacy_statistics is not None:
            out["legacy_statistics"] = {k: _value_out(v) for k, v in self.legacy_statistics.items()}
        if full:
            out["sections"] = [
                {"number": s.number, "title": s.title, "key": s.key, "text": s.text} for s in self.sections
            ]
            out["findings"] = [
                {"rule": f.rule, "severity": f.severity, "message": f.message, "cells": list(f.cells),
                 "expected": f.expected, "found": f.found, "proposal": f.proposal}
                for f in self.findings
            ]
            out["provenance"] = {
                k: {"reader": p.reader, "location": p.location, "raw": p.raw, "confidence": p.confidence, "note": p.note}
                for k, p in self.provenance.items()
            }
            out["source"] = self.source
            out["reader"] = self.reader
            out["pages"] = self.pages
        return out

