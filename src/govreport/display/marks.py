"""What happened to each cell of a report: the marks ``govreport show`` draws.

A mark joins a report's value to the document cell it was read from (by the provenance's
location, which is the reader's :class:`~govreport.document.Location` as text) and sorts it into
one status, the most telling first: a rule break, a low reading confidence, a value split or
assigned by the format's rules, a reading doubt, a blank, a plain reading.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..document import Cell, Document, Grid
from ..model import Finding, Money, Report, Scalar

#: Status names, in order of precedence, with what each means (shown in the page's legend).
STATUSES: dict[str, str] = {
    "rule": "part of a rule break (R1–R4)",
    "low": "read with low confidence (OCR)",
    "ruled": "split or assigned by the format's rules",
    "doubt": "a reading doubt (a warning finding)",
    "blank": "blank in the document (None, never 0)",
    "read": "read as printed",
}
#: Below this confidence a reading is marked low (OCR confidences of clean print are above 0.95).
LOW_CONFIDENCE = 0.9


@attrs.frozen(kw_only=True)
class Mark:
    """One value of the report and where it was read."""

    id: str
    table: str
    row: str
    column: str
    value: Scalar
    status: str
    raw: str | None = None
    location: str | None = None
    reader: str | None = None
    confidence: float | None = None
    note: str | None = None
    findings: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        """The value as the page shows it (blank as an empty string, money with its unit)."""
        if self.value is None:
            return ""
        return str(self.value) if isinstance(self.value, Money) else f"{self.value}"


def _finding_text(f: Finding) -> str:
    return f"{f.severity} {f.rule}: {f.message}"


def marks(report: Report) -> list[Mark]:
    """A mark for every cell of the report, blanks included, in the tables' order."""
    by_cell: dict[str, list[Finding]] = {}
    for f in report.findings:
        for c in f.cells:
            by_cell.setdefault(c, []).append(f)
    out = []
    for rec in report.cells():
        cid = f"{rec.table}/{rec.row}/{rec.column}" if rec.column else f"{rec.table}/{rec.row}"
        fs = by_cell.get(cid, [])
        p = rec.provenance
        out.append(Mark(
            id=cid, table=rec.table, row=rec.row, column=rec.column, value=rec.value,
            status=_status(rec.value, p.confidence if p else None, p.note if p else None, fs),
            raw=p.raw if p else None, location=p.location if p else None, reader=p.reader if p else None,
            confidence=p.confidence if p else None, note=p.note if p else None,
            findings=tuple(_finding_text(f) for f in fs),
        ))
    return out


def _status(value: Scalar, confidence: float | None, note: str | None, findings: list[Finding]) -> str:
    if any(f.rule.startswith("R") and f.severity == "error" and not f.proposal for f in findings):
        return "rule"
    if confidence is not None and confidence < LOW_CONFIDENCE:
        return "low"
    if note:
        return "ruled"
    if any(f.severity == "warning" for f in findings):
        return "doubt"
    return "blank" if value is None else "read"


def document_cells(doc: Document) -> Iterator[tuple[int, Grid, int, int, Cell]]:
    """Every cell of the document's grids: (grid number, grid, row, column, cell)."""
    n = 0
    for block in doc.blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    yield n, block, r, c, cell
            n += 1


def by_location(report_marks: list[Mark]) -> dict[str, list[Mark]]:
    """Marks keyed by the location text of the cell they were read from (one cell may give two
    values when the rules split it)."""
    out: dict[str, list[Mark]] = {}
    for m in report_marks:
        if m.location:
            out.setdefault(m.location, []).append(m)
    return out


def strongest(ms: list[Mark]) -> str:
    """The status a cell holding these values is drawn with."""
    order = list(STATUSES)
    return min((m.status for m in ms), key=order.index) if ms else "read"


__all__ = ["Mark", "STATUSES", "marks", "document_cells", "by_location", "strongest"]
