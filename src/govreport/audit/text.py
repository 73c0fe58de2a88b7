"""Text against tables: every number the prose states is compared with the cells it restates.

A statement is compared only when the report's tables really hold what it states (``phrases.toml``
says which cells; a cell the format does not have, or the reader did not find, is not compared) and
the sentence speaks of the body's own tables for the reporting year (no 全市, no 上半年, no other
year). A disagreement is an :class:`AuditFinding` citing the sentence and the cells, with both values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..model import Money, Report
from . import cells as C
from .findings import AuditFinding, Evidence, _jsonable
from .prose import Claim


@attrs.frozen(kw_only=True)
class ClaimResult:
    """A statement read from the prose and what comparing it gave.

    ``status``: ``agrees``, ``disagrees``, ``skipped`` (another scope or period: ``reason``),
    ``unverifiable`` (the tables do not record it, or a rate of nothing), ``not-in-tables`` (this
    report's tables have no such cell) or ``not-read`` (the cell was not found in the document).
    """

    claim: Claim
    status: str
    table_value: Any = None
    cells: tuple[str, ...] = ()
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "rule": c.spec.id, "meaning": c.spec.meaning, "value": _jsonable(c.value), "printed": c.printed,
            "matched": c.matched, "where": c.sentence.where, "sentence": c.sentence.text, "status": self.status,
            "table_value": _jsonable(self.table_value), "cells": list(self.cells), "reason": self.reason,
            "severity": c.severity, "uncertain": c.uncertain,
        }


def compare_claim(report: Report, claim: Claim) -> ClaimResult:
    spec = claim.spec
    if claim.skipped:
        return ClaimResult(claim=claim, status="skipped", reason=claim.skipped)
    if not spec.compare:
        return ClaimResult(claim=claim, status="unverifiable", reason="the tables do not record this")
    if spec.kind == "rate":
        return _compare_rate(report, claim)
    cells = C.expand(report, spec.cells)
    if not cells:
        return ClaimResult(claim=claim, status="not-in-tables",
                           reason=f"the tables of this report (format {report.format}) do not hold it")
    unread = [c for c in cells if not C.was_read(report, c)]
    if unread:
        return ClaimResult(claim=claim, status="not-read", cells=tuple(cells),
                           reason=f"cell {unread[0]} was not found in the document")
    if spec.kind == "money":
        return _compare_money(report, claim, cells)
    total = C.count_sum(report, cells)
    if total is None:
        return ClaimResult(claim=claim, status="unverifiable", cells=tuple(cells), reason="the cell holds money")
    status = "agrees" if total == claim.value else "disagrees"
    return ClaimResult(claim=claim, status=status, table_value=total, cells=tuple(cells))


def _compare_money(report: Report, claim: Claim, cells: list[str]) -> ClaimResult:
    v = C.value(report, cells[0])
    stated = claim.value
    amount, unit_known = C.money_yuan(v)
    if amount is None:
        return ClaimResult(claim=claim, status="unverifiable", cells=tuple(cells), reason="the cell is not a number")
    if unit_known:
        ok = amount == stated
    else:  # the table prints no unit: agree if the number is the same in 元 or in 万元
        ok = stated in (amount, amount * 10000)
    return ClaimResult(claim=claim, status="agrees" if ok else "disagrees", table_value=v, cells=tuple(cells))


def _compare_rate(report: Report, claim: Claim) -> ClaimResult:
    spec = claim.spec
    num = C.expand(report, spec.numerator)
    den = C.expand(report, spec.denominator)
    if not num or not den:
        return ClaimResult(claim=claim, status="not-in-tables", reason="the tables of this report do not hold it")
    cells = tuple(num + den)
    unread = [c for c in cells if not C.was_read(report, c)]
    if unread:
        return ClaimResult(claim=claim, status="not-read", cells=cells, reason=f"cell {unread[0]} was not found in the document")
    n, d = C.count_sum(report, num), C.count_sum(report, den)
    if n is None or d is None or d == 0:
        return ClaimResult(claim=claim, status="unverifiable", cells=cells, reason="no applications to make a rate of")
    rate = Decimal(n) * 100 / Decimal(d)
    # printed to `decimals` places, rounded or cut: anything within one unit of the last place agrees
    tolerance = Decimal(1).scaleb(-claim.decimals)
    ok = abs(rate - Decimal(claim.value)) < tolerance
    shown = rate.quantize(Decimal(1).scaleb(-max(claim.decimals, 1) - 1))
    return ClaimResult(claim=claim, status="agrees" if ok else "disagrees", table_value=shown, cells=cells,
                       reason=f"{n} / {d}")


def text_findings(report: Report, results: list[ClaimResult]) -> list[AuditFinding]:
    return [_finding(report, r) for r in results if r.status == "disagrees"]


def _finding(report: Report, r: ClaimResult) -> AuditFinding:
    c = r.claim
    spec = c.spec
    s = c.sentence
    text_ev = Evidence(kind="text", where=s.where, value=c.value, quote=s.text, report=report.source)
    if spec.kind == "rate":
        table_where = (f"tables give {r.reason} = {C.show(r.table_value)}% "
                       f"({' + '.join(C.cell_label(x, report.format) for x in spec.numerator)} ÷ "
                       f"({' + '.join(C.cell_label(x, report.format) for x in spec.denominator)}))")
        table_ev = [C.evidence(report, x) for x in r.cells]
        stated = f"{C.show(c.value)}%"
        table_value = f"{C.show(r.table_value)}%"
    else:
        if len(r.cells) == 1:
            table_where = C.where(report, r.cells[0])
        else:
            table_where = (f"table {C.TABLE_NAMES.get(C.split_cell(r.cells[0])[0])}, "
                           f"the sum of {', '.join(C.cell_label(x, report.format) for x in r.cells)}")
        table_ev = [C.evidence(report, x) for x in r.cells]
        stated = _show_value(c)
        table_value = _show_table(r.table_value)
        blank = all(C.value(report, x) is None for x in r.cells)
        if blank:
            table_value += " (blank, read as 0)"
    zero = " (a statement that there were none)" if c.zero_statement else ""
    doubt = f" A warning, not an error: {c.uncertain}." if c.uncertain and c.severity != spec.severity else ""
    message = (f"{spec.meaning}: the text says {stated}{zero}, the table {table_value}. "
               f"Text: {s.where}: “{s.text}”. Table: {table_where}.{doubt}")
    return AuditFinding(
        rule=spec.id,
        severity=c.severity,
        message=message,
        cells=r.cells,
        expected=_jsonable(r.table_value),
        found=_jsonable(c.value),
        evidence=(text_ev, *table_ev),
    )


def _show_value(c: Claim) -> str:
    if c.spec.kind == "money":
        return c.printed or f"{C.show(c.value)}元"
    return C.show(c.value)


def _show_table(v: Any) -> str:
    if isinstance(v, Money):
        return f"{v.value}{v.unit or ''}"
    return C.show(v)
