"""Cell-by-cell comparison of a prediction with its gold answer.

A cell is right when value and blank-ness both match. Money is compared as a number with its unit
(160.50 and 160.5 are the same amount). The cells counted are the gold's; a cell the prediction
lacks is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

TABLES = ("active_disclosure", "applications", "review_litigation", "legacy_statistics")
META = ("agency", "year", "published")


def flatten(doc: Mapping[str, Any]) -> dict[tuple[str, str, str], Any]:
    out: dict[tuple[str, str, str], Any] = {}
    for t in TABLES:
        table = doc.get(t) or {}
        if not isinstance(table, Mapping):
            continue
        for row, cols in table.items():
            if isinstance(cols, Mapping) and not {"value", "unit"} <= set(cols):
                for col, v in cols.items():
                    out[(t, row, col)] = v
            else:
                out[(t, row, "")] = cols
    return out


def _norm(v: Any) -> Any:
    if isinstance(v, Mapping) and "value" in v:
        try:
            return ("money", Decimal(str(v["value"])).normalize(), v.get("unit"))
        except (InvalidOperation, ValueError):
            return ("money", v.get("value"), v.get("unit"))
    if isinstance(v, bool):
        return ("other", v)
    return v


def same(a: Any, b: Any) -> bool:
    return _norm(a) == _norm(b)


def informative(v: Any) -> bool:
    """A cell that a constant guess of 0 or blank would not get right."""
    n = _norm(v)
    if isinstance(n, tuple) and n[0] == "money":
        return n[1] not in (None, Decimal(0))
    return n not in (None, 0)


@attrs.frozen(kw_only=True)
class WrongCell:
    doc: str
    cell: str
    expected: Any
    got: Any
    raw: str | None


@attrs.frozen(kw_only=True)
class DocScore:
    doc: str
    kind: str
    format: str
    reader: str | None
    cells: int
    right: int
    informative: int
    informative_right: int
    per_table: dict[str, tuple[int, int]]
    tables_found: tuple[str, ...]
    tables_missed: tuple[str, ...]
    meta_right: dict[str, bool]
    format_right: bool
    wrong: tuple[WrongCell, ...]
    error: str | None = None
    seconds: float = 0.0
    pages: int | None = None


def score_doc(doc: str, kind: str, gold: Mapping[str, Any], pred: Mapping[str, Any] | None, *,
              reader: str | None = None, error: str | None = None, seconds: float = 0.0,
              pages: int | None = None) -> DocScore:
    pred = pred or {}
    want, got = flatten(gold), flatten(pred)
    prov = pred.get("provenance") or {}
    per_table: dict[str, list[int]] = {}
    right = inf = inf_right = 0
    wrong: list[WrongCell] = []
    for key, v in want.items():
        ok = key in got and same(got[key], v)
        t = per_table.setdefault(key[0], [0, 0])
        t[1] += 1
        if ok:
            right += 1
            t[0] += 1
        if informative(v):
            inf += 1
            inf_right += ok
        if not ok:
            cid = "/".join(k for k in key if k)
            raw = prov.get(cid, {}).get("raw") if isinstance(prov, Mapping) else None
            wrong.append(WrongCell(doc=doc, cell=cid, expected=v, got=got.get(key, "MISSING"), raw=raw))
    found: list[str] = []
    missed: list[str] = []
    for table in TABLES:
        if gold.get(table):
            (found if pred.get(table) else missed).append(table)
    gm, pm = gold.get("meta") or {}, pred.get("meta") or {}
    return DocScore(
        doc=doc, kind=kind, format=str(gold.get("format", "unknown")), reader=reader or pred.get("reader"),
        cells=len(want), right=right, informative=inf, informative_right=inf_right,
        per_table={k: (a, b) for k, (a, b) in per_table.items()},
        tables_found=tuple(found), tables_missed=tuple(missed),
        meta_right={k: gm.get(k) == pm.get(k) for k in META},
        format_right=gold.get("format") == pred.get("format"),
        wrong=tuple(wrong), error=error, seconds=seconds, pages=pages,
    )
