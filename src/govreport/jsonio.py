"""The ``govreport/1`` JSON form of a report: :func:`dumps`, :func:`loads` and their dict forms.

The data keys (``schema``, ``format``, ``meta``, the tables) are exactly FORMAT.md's; the full form
adds ``sections``, ``findings``, ``provenance`` (keyed ``table/row/column``), ``source`` and
``reader``. :func:`loads` accepts both and gives back an equal :class:`~govreport.model.Report`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

from .errors import SchemaError
from .model import SCHEMA, TABLES, Finding, Meta, Money, Provenance, Report, Scalar, Section, format_id


def dumps(report: Report, *, full: bool = True, indent: int | None = None) -> str:
    """The report as ``govreport/1`` JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(report.to_dict(full=full), ensure_ascii=False, indent=indent)


def _value_in(v: Any, where: str) -> Scalar:
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    if isinstance(v, Mapping) and set(v) == {"value", "unit"} and isinstance(v["value"], str):
        return Money(value=v["value"], unit=v["unit"])
    raise SchemaError(f"{where}: {v!r} is neither a count, a money amount nor null")


def _mapping(d: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(d, Mapping):
        raise SchemaError(f"{where}: expected an object, got {type(d).__name__}")
    return d


def report_from_dict(d: Mapping[str, Any]) -> Report:
    """Build a :class:`Report` from its ``govreport/1`` dict; raise :class:`SchemaError` if it is not one."""
    d = _mapping(d, "report")
    if d.get("schema") != SCHEMA:
        raise SchemaError(f"not a {SCHEMA} document (schema: {d.get('schema')!r})")
    meta = _mapping(d.get("meta") or {}, "meta")
    try:
        published = datetime.date.fromisoformat(meta["published"]) if meta.get("published") else None
        tables = {
            t: {r: {c: _value_in(v, f"{t}/{r}/{c}") for c, v in _mapping(cols, f"{t}/{r}").items()}
                for r, cols in _mapping(d.get(t) or {}, t).items()}
            for t in TABLES
        }
        legacy = d.get("legacy_statistics")
        return Report(
            format=format_id(d.get("format", "unknown")),
            meta=Meta(agency=meta.get("agency"), year=meta.get("year"), published=published),
            legacy_statistics=None if legacy is None else {
                k: _value_in(v, f"legacy_statistics/{k}") for k, v in _mapping(legacy, "legacy_statistics").items()
            },
            sections=tuple(Section(**s) for s in d.get("sections") or ()),
            findings=tuple(Finding(**{**f, "cells": tuple(f.get("cells") or ())}) for f in d.get("findings") or ()),
            provenance={k: Provenance(**p) for k, p in (d.get("provenance") or {}).items()},
            source=d.get("source"),
            reader=d.get("reader"),
            pages=d.get("pages"),
            **tables,
        )
    except SchemaError:
        raise
    except (TypeError, ValueError, KeyError) as exc:
        raise SchemaError(f"not a valid {SCHEMA} document: {exc}") from None


def loads(text: str | bytes) -> Report:
    """Read a report back from :func:`dumps` output (or a gold file)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not JSON: {exc}") from None
    return report_from_dict(data)
