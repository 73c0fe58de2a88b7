"""The table engine: from a reader's :class:`~govreport.document.Document` to the report's data.

Stages, each in its own module: :mod:`.stream` (cells → classified tokens → logical rows),
:mod:`.formats` (which national format), :mod:`.rows` (logical rows → template rows),
:mod:`.cells` (values with provenance), :mod:`.review` (table C), :mod:`.legacy`,
:mod:`.meta` and :mod:`.sections` (the prose). Nothing here knows a file format.
"""

from __future__ import annotations

from typing import Callable

import attrs

from ..document import Document
from ..model import Finding, Meta, Provenance, Scalar, Section
from ..template import Row, Template, load_template
from .cells import Collector, fill_row
from .formats import detect_format
from .legacy import legacy_region, read_legacy
from .meta import read_meta
from .joined import SplitRow, fill_split_rows, needs_split
from .lost_cell import place_short_rows
from .older_rows import older_rows
from .order import detach_wrapped, place_by_order
from .review import read_review
from .rows import match_rows
from .sections import read_sections
from .stream import LogicalRow, build_stream, logical_rows

__all__ = ["Extraction", "extract"]

ROW_TABLES = ("active_disclosure", "applications")


@attrs.frozen(kw_only=True)
class Extraction:
    format: str
    meta: Meta
    tables: dict[str, dict[str, dict[str, Scalar]]]
    legacy_statistics: dict[str, Scalar] | None
    sections: tuple[Section, ...]
    provenance: dict[str, Provenance]
    findings: tuple[Finding, ...]

    @property
    def cells_found(self) -> int:
        return len(self.provenance)


def extract(doc: Document, template: Template | None = None) -> Extraction:
    template = template or load_template()
    stream = build_stream(doc, template)
    fmt = detect_format(stream, doc, template)
    col = Collector(reader=doc.reader, rule_tables=frozenset(r.table for r in template.rules))
    for problem in doc.problems:
        col.warn("reader", problem)
    if stream.garbage_rows:
        col.warn("noise-skipped", f"skipped {stream.garbage_rows} table row(s) holding only stray marks and digits",
                 severity="info")

    legacy = legacy_region(stream, template)
    in_legacy = {t.index for t in legacy.tokens} if legacy else set()
    rows_fmt = fmt if fmt in ("2019", "2021") else "2019"
    candidates: list[tuple[str, Row]] = [
        (name, row) for name in ROW_TABLES for row in template.tables[name].rows_for(rows_fmt)
    ]
    table_of = {id(r): name for name, r in candidates}
    logical = detach_wrapped([lr for lr in logical_rows(stream) if lr.start not in in_legacy], stream)

    def width(row: Row) -> int:
        return len(_columns(template, table_of[id(row)], row, rows_fmt))

    matches = match_rows(logical, tuple(r for _, r in candidates), width)
    # a pre-2019 report: its statistics table is all there is, and tables A-C are not missing
    legacy_only = legacy is not None and not matches and fmt in ("legacy", "unknown")
    tables: dict[str, dict[str, dict[str, Scalar]]] = {name: {} for name in ROW_TABLES}
    to_split: dict[str, list[SplitRow]] = {name: [] for name in ROW_TABLES}

    def fill(name: str, key: str, cols: tuple[str, ...], lr: LogicalRow, score: float) -> None:
        spec = template.tables[name]
        kinds = {c: spec.columns[c].type for c in cols if c in spec.columns}
        if needs_split(lr, len(cols)):  # decided below, with the table's printed rows
            to_split[name].append(SplitRow(key=key, columns=cols, kinds=tuple(kinds.get(c, "count") for c in cols),
                                           logical=lr, score=score))
            tables[name][key] = {c: None for c in cols}
        else:
            tables[name][key] = fill_row(col, name, key, cols, kinds, lr, score)

    for m in matches:
        name = table_of[id(m.row)]
        fill(name, m.row.key, _columns(template, name, m.row, rows_fmt), m.logical, m.score)
    _fill_older_rows(col, template, rows_fmt, logical, matches, width, fill, tables)
    for name, rows in to_split.items():
        if rows:
            printed = {k: v for k, v in tables[name].items() if k not in {r.key for r in rows}}
            tables[name].update(fill_split_rows(col, template, name, rows, printed))
    placed = [] if legacy_only else place_by_order(
        col, stream, logical, matches, tables, template, rows_fmt, ROW_TABLES,
        lambda name, row: _columns(template, name, row, rows_fmt), in_legacy)
    place_short_rows(col, tables, template, rows_fmt)
    for name in ROW_TABLES:
        if not legacy_only:
            _complete(tables, name, template, rows_fmt, col)

    if legacy_only:
        tables["review_litigation"] = {}
    else:
        # table C follows table B: start looking after the last token B's rows took
        b_rows = [m for m in matches if table_of[id(m.row)] == "applications"]
        after_b = max((t.index for m in b_rows for t in m.logical.values), default=-1) + 1
        after_b = max([after_b, *(p.tokens[-1].index + 1 for p in placed if p.table == "applications")])
        tables["review_litigation"] = read_review(stream, after_b, template, col)
        if not tables["review_litigation"]:
            col.warn("table-missing", "review_litigation: table not found")
    legacy_stats = read_legacy(legacy, template, col)
    if fmt == "unknown" and legacy_stats and not any(tables[n] for n in ROW_TABLES):
        fmt = "legacy"

    return Extraction(
        format=fmt,
        meta=read_meta(doc.paragraphs),
        tables=tables,
        legacy_statistics=legacy_stats,
        sections=read_sections(doc, template),
        provenance=col.provenance,
        findings=tuple(col.findings),
    )


def _fill_older_rows(col: Collector, template: Template, rows_fmt: str, logical: list[LogicalRow], matches: list,
                     width: Callable[[Row], int], fill: Callable[..., None], tables: dict) -> None:
    """Fill the rows of a 2021 table printed as the single row of the 2019 format (see
    :mod:`.older_rows`): the values go to the row that holds them now, its siblings stay blank."""
    for old in older_rows(logical, matches, template, rows_fmt, ROW_TABLES, width):
        spec = template.tables[old.table]
        row = next(r for r in spec.rows_for(rows_fmt) if r.key == old.key)
        cols = _columns(template, old.table, row, rows_fmt)
        fill(old.table, old.key, cols, old.match.logical, old.match.score)
        blank = [k for k in old.siblings if k != old.key]
        for k in blank:  # not missing: the document never split its numbers between them
            tables[old.table][k] = {c: None for c in cols}
        col.warn("older-row", f"{old.table}/{old.match.row.key}: printed as one row in the manner of an older format "
                 f"(label {old.match.logical.text!r}); its values are read as {old.key}, and "
                 f"{', '.join(blank)} stay blank", tuple(f"{old.table}/{k}" for k in old.siblings), severity="info")
        matches.append(attrs.evolve(old.match, row=row))


def _columns(template: Template, table: str, row: Row, fmt: str) -> tuple[str, ...]:
    return row.columns_for(fmt, template.tables[table].default_columns)


def _complete(tables: dict, name: str, template: Template, fmt: str, col: Collector) -> None:
    """Put every template row in the table, in template order; a row not found stays blank."""
    found = tables[name]
    if not found:
        tables[name] = {}
        col.warn("table-missing", f"{name}: table not found")
        return
    out: dict[str, dict[str, Scalar]] = {}
    for row in template.tables[name].rows_for(fmt):
        if row.key in found:
            out[row.key] = found[row.key]
        else:
            cols = _columns(template, name, row, fmt)
            out[row.key] = {c: None for c in cols}
            col.warn("row-missing", f"{name}/{row.key}: row not found in the document; left blank",
                     tuple(f"{name}/{row.key}/{c}" for c in cols))
    tables[name] = out


