"""The columns of the dataset ``govreport extract`` writes, the same in every output kind.

Three tables: ``reports`` (one row per input file), ``cells`` (one row per value, long form) and
``findings`` (one row per rule break or reading problem), plus the optional ``wide`` table (one row
per input file, one column per canonical cell). Column types are given once here as tags
(``str``, ``int``, ``float``, ``bool``, ``date``, ``timestamp``) and turned into SQLite, Arrow and
text forms by the writers.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

#: Version of the dataset layout; stored in every output.
DATASET_SCHEMA = "govreport-extract/1"

REPORTS: tuple[tuple[str, str], ...] = (
    ("path", "str"),               # the input file as found (as given, or given folder + relative path)
    ("report_id", "str"),          # = sha256; joins cells and findings (null when the file could not be read)
    ("sha256", "str"),             # of the file's bytes
    ("size", "int"),               # bytes
    ("status", "str"),             # "ok" | "error"
    ("error_type", "str"),         # a govreport.errors / govreport.batch class name
    ("error_message", "str"),
    ("kind", "str"),               # input kind as sniffed: text, html, docx, pdf, doc, rtf, ...
    ("format", "str"),             # the report's national format: 2019 | 2021 | legacy | unknown
    ("agency", "str"),
    ("year", "int"),
    ("published", "date"),
    ("reader", "str"),
    ("pages", "int"),
    ("cells", "int"),              # cells of the report (blank ones included)
    ("cells_filled", "int"),       # cells with a printed value
    ("findings_error", "int"),
    ("findings_warning", "int"),
    ("findings_info", "int"),
    ("rule_breaks", "int"),        # R1-R4 breaks, proposals excluded
    ("parse_seconds", "float"),
    ("duplicate_of", "str"),       # path of the file with the same content that was parsed
    ("govreport_version", "str"),
    ("extracted_at", "timestamp"),
)

CELLS: tuple[tuple[str, str], ...] = (
    ("report_id", "str"),
    ("table_name", "str"),         # active_disclosure | applications | review_litigation | legacy_statistics
    ("row_key", "str"),
    ("column_key", "str"),         # null for legacy_statistics (one value per row)
    ("cell", "str"),               # table/row/column, the id used in findings and wide columns
    ("value", "float"),            # null: blank in the document
    ("kind", "str"),               # count | money (null when blank)
    ("unit", "str"),               # money unit as printed (元, 万元), else null
    ("raw", "str"),                # the text as printed
    ("location", "str"),           # page/line/table/row/col in the document
    ("confidence", "float"),
    ("note", "str"),
)

FINDINGS: tuple[tuple[str, str], ...] = (
    ("report_id", "str"),
    ("rule", "str"),
    ("severity", "str"),           # error | warning | info
    ("message", "str"),
    ("cells", "str"),              # cell ids joined by ";"
    ("expected", "str"),           # JSON text
    ("found", "str"),              # JSON text
    ("proposal", "bool"),
)

#: The reports columns that head each row of the wide table.
WIDE_KEYS: tuple[str, ...] = ("path", "report_id", "status", "error_type", "format", "agency", "year",
                              "published", "reader")

TABLE_NAMES = ("reports", "cells", "findings")


def govreport_version() -> str:
    """govreport's version."""
    from ..version import __version__

    return __version__


def columns(table: str) -> tuple[tuple[str, str], ...]:
    if table == "wide":
        return wide_columns()
    return {"reports": REPORTS, "cells": CELLS, "findings": FINDINGS}[table]


def names(table: str) -> list[str]:
    return [n for n, _ in columns(table)]


@functools.cache
def canonical_cells() -> tuple[str, ...]:
    """Every cell id the national formats define (table/row/column), in template order."""
    from ..model import TABLES, cell_id
    from ..template import load_template

    t = load_template()
    out: dict[str, None] = {}
    for name in TABLES:
        spec = t.tables[name]
        for row in spec.rows:
            fmts = list(row.columns) if row.columns is not None else ["2019", "2021"]
            for fmt in fmts:
                for col in row.columns_for(fmt, spec.default_columns):
                    out[cell_id(name, row.key, col)] = None
    for row in t.tables["legacy_statistics"].rows:
        out[cell_id("legacy_statistics", row.key)] = None
    return tuple(out)


@functools.cache
def wide_columns() -> tuple[tuple[str, str], ...]:
    types = dict(REPORTS)
    return tuple((k, types[k]) for k in WIDE_KEYS) + tuple((c, "float") for c in canonical_cells())


# ---------------------------------------------------------------- conversions

def to_text(value: Any, typ: str) -> str | None:
    """A value as text for CSV (None stays None: written as an empty field)."""
    if value is None:
        return None
    if typ in ("date", "timestamp"):
        return iso(value)
    if typ == "bool":
        return "true" if value else "false"
    if typ == "float":
        return number_text(value)
    return str(value)


def number_text(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def iso(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def from_text(text: str | None, typ: str) -> Any:
    """The inverse of :func:`to_text` (and of JSON/SQLite storage): text or JSON scalars to Python."""
    if text is None or text == "":
        return None
    if typ == "str":
        return str(text)
    if typ == "int":
        return int(text)
    if typ == "float":
        return float(text)
    if typ == "bool":
        if isinstance(text, bool):
            return text
        if isinstance(text, int):
            return bool(text)
        return str(text).lower() in ("true", "1", "yes")
    if typ == "date":
        if isinstance(text, datetime.date):
            return text
        return datetime.date.fromisoformat(str(text)[:10])
    if typ == "timestamp":
        if isinstance(text, datetime.datetime):
            return text
        s = str(text)
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        return datetime.datetime.fromisoformat(s)
    raise ValueError(typ)


def row_to_json(row: Mapping[str, Any], table: str) -> dict[str, Any]:
    """A row with dates and timestamps as ISO text (JSON Lines, SQLite)."""
    out = {}
    for name, typ in columns(table):
        v = row.get(name)
        out[name] = iso(v) if v is not None and typ in ("date", "timestamp") else v
    return out


def row_from_json(d: Mapping[str, Any], table: str) -> dict[str, Any]:
    return {name: (from_text(d.get(name), typ) if typ in ("date", "timestamp", "bool") else d.get(name))
            for name, typ in columns(table)}


def json_text(v: Any) -> str | None:
    if v is None:
        return None
    return json.dumps(v, ensure_ascii=False, default=str)


# ---------------------------------------------------------------- arrow

def arrow_schema(table: str) -> Any:  # a pyarrow.Schema (pyarrow ships no type hints)
    from .deps import require_pyarrow

    pa = require_pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "date": pa.date32(), "timestamp": pa.timestamp("ms", tz="UTC")}
    return pa.schema([(n, types[t]) for n, t in columns(table)])


def arrow_table(rows: Iterable[Mapping[str, Any]], table: str) -> Any:  # a pyarrow.Table
    from .deps import require_pyarrow

    pa = require_pyarrow()
    schema = arrow_schema(table)
    rows = list(rows)
    arrays = [pa.array([r.get(n) for r in rows], type=schema.field(n).type) for n in schema.names]
    return pa.Table.from_arrays(arrays, schema=schema)


def wide_rows(reports: Iterable[Mapping[str, Any]], cells_by_report: Mapping[str, Mapping[str, Any]]
              ) -> Iterator[dict[str, Any]]:
    """Wide rows for ``reports`` given each report_id's {cell id: value}."""
    canon = canonical_cells()
    for r in reports:
        values = cells_by_report.get(r.get("report_id") or "", {})
        row = {k: r.get(k) for k in WIDE_KEYS}
        for c in canon:
            row[c] = values.get(c)
        yield row
