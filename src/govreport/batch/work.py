"""Reading one file into the rows of the dataset. This runs in the worker processes.

:func:`process_file` never raises for a bad input: every failure becomes an error payload with the
error's class name and message, so one file can never end a batch.
"""

from __future__ import annotations

import importlib
import json
import math
import time
from collections.abc import Callable
from typing import Any

from ..errors import GovReportError
from ..jsonio import dumps
from ..model import Money, Report, cell_id
from ..pipeline import parse
from ..source import open_source
from .errors import OutOfMemory, ParseFailed
from .schema import json_text

Parser = Callable[..., Report]


def resolve_parser(parser: str | Parser | None) -> Parser | None:
    """A parser given as ``"module:function"`` or a callable (``None``: :func:`govreport.parse`)."""
    if parser is None or callable(parser):
        return parser
    mod, _, attr = str(parser).partition(":")
    obj: Any = importlib.import_module(mod)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def process_file(path: str, opts: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse ``path`` and return ``{"row": ..., "cells": [...], "findings": [...], "json": ...}``.

    ``row`` holds the parse's part of the ``reports`` row (status, error, kind, format, meta,
    counts, parse_seconds); the caller adds path, hashes and timestamps. ``opts``: ``reader``
    (force a reader), ``parser`` (a replacement for :func:`govreport.parse`, taking the path and the
    same keywords), ``want_json`` (also return the report as ``govreport/1`` JSON).
    """
    opts = opts or {}
    t0 = time.perf_counter()
    kind = None
    try:
        custom = resolve_parser(opts.get("parser"))
        if custom is not None:
            report = custom(path, reader=opts.get("reader"))
        else:
            source = open_source(path)
            kind = source.kind
            report = parse(source, reader=opts.get("reader"))
        out = report_payload(report, want_json=bool(opts.get("want_json")))
        out["row"]["kind"] = kind or _kind_of(path)
    except GovReportError as exc:
        out = error_payload(exc, kind)
    except MemoryError:
        out = error_payload(OutOfMemory(f"{path}: ran out of memory while reading"
                                        + (f" (limit {opts['max_memory_mb']} MB per worker)"
                                           if opts.get("max_memory_mb") else "")), kind)
    except RecursionError as exc:
        out = error_payload(ParseFailed(f"{path}: RecursionError: {exc}"), kind)
    except Exception as exc:  # a bug must not end the batch; it is recorded with its type
        out = error_payload(ParseFailed(f"{path}: {type(exc).__name__}: {exc}"), kind)
    out["row"]["parse_seconds"] = round(time.perf_counter() - t0, 6)
    return out


def _kind_of(path: str) -> str | None:
    from ..source import sniff_kind

    try:
        with open(path, "rb") as f:
            return sniff_kind(f.read(65536), path)
    except Exception:
        return None


def error_payload(exc: BaseException, kind: str | None = None) -> dict[str, Any]:
    return {"row": {"status": "error", "error_type": type(exc).__name__, "error_message": str(exc),
                    "kind": kind},
            "cells": [], "findings": [], "json": None}


def _value(v: Any) -> tuple[float | int | None, str | None, str | None]:
    """(value, kind, unit) of a cell value."""
    if v is None:
        return None, None, None
    if isinstance(v, Money):
        try:
            num: float | None = float(v.value)
        except ValueError:
            num = None
        if num is not None and not math.isfinite(num):
            num = None  # "raw" keeps what was printed
        return num, "money", v.unit
    return v, "count", None


def report_payload(report: Report, *, pages: int | None = None, want_json: bool = False) -> dict[str, Any]:
    """The rows of one parsed report (its reports-row fields, cells and findings)."""
    cells: list[dict[str, Any]] = []
    filled = 0
    for c in report.cells():
        value, kind, unit = _value(c.value)
        if c.value is not None:
            filled += 1
        p = c.provenance
        cells.append({
            "table_name": c.table, "row_key": c.row, "column_key": c.column or None,
            "cell": cell_id(c.table, c.row, c.column), "value": value, "kind": kind, "unit": unit,
            "raw": p.raw if p else None, "location": p.location if p else None,
            "confidence": p.confidence if p else None, "note": p.note if p else None,
        })
    for rec in cells:
        for k in ("raw", "location", "note", "unit"):
            if rec[k] == "":
                rec[k] = None  # empty text is null, as in every output kind (CSV cannot tell them apart)
    findings = [{
        "rule": f.rule, "severity": f.severity, "message": f.message or None,
        "cells": ";".join(f.cells) or None, "expected": json_text(f.expected), "found": json_text(f.found),
        "proposal": bool(f.proposal),
    } for f in report.findings]
    if pages is None:
        pages = getattr(report, "pages", None)
    if pages is None:
        pages = _pages_from_locations(report)
    sev = {"error": 0, "warning": 0, "info": 0}
    for f in report.findings:
        sev[f.severity] = sev.get(f.severity, 0) + 1
    m = report.meta
    row = {
        "status": "ok", "error_type": None, "error_message": None,
        "format": report.format, "agency": m.agency, "year": m.year, "published": m.published,
        "reader": report.reader, "pages": pages, "cells": len(cells), "cells_filled": filled,
        "findings_error": sev["error"], "findings_warning": sev["warning"], "findings_info": sev["info"],
        "rule_breaks": len(report.rule_breaks),
    }
    return {"row": row, "cells": cells, "findings": findings, "json": dumps(report) if want_json else None}


def _pages_from_locations(report: Report) -> int | None:
    best = None
    for p in report.provenance.values():
        loc = p.location
        if loc.startswith("page "):
            try:
                n = int(loc[5:].split(",", 1)[0])
            except ValueError:
                continue
            best = n if best is None else max(best, n)
    return best


def payload_size(payload: dict[str, Any]) -> int:
    return len(json.dumps(payload, default=str))
