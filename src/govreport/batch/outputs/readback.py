"""Reading the tables of an output back: for ``--resume``, for the wide table written at the end,
and for :func:`govreport.batch.to_frame`.

Readers take only what a finished write left: a JSON line or CSV row cut by a kill is skipped, and
a later ``reports`` row for a path supersedes an earlier one (:func:`~.base.latest_rows`).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..schema import canonical_cells, columns, from_text, row_from_json, wide_rows
from .base import latest_rows


def read_lines(path: Path, *, repair: bool) -> Iterator[dict[str, Any]]:
    """The complete JSON lines of ``path``; a cut last line (a killed write) is skipped, and with
    ``repair`` cut off the file."""
    good_end = 0
    with open(path, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError:
                break
            good_end += len(raw)
            yield obj
    if repair and good_end != path.stat().st_size:
        with open(path, "r+b") as f:
            f.truncate(good_end)


def read_jsonl_tables(path: Path) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
    """(live reports rows, a generator of the live cells) of a JSON Lines output."""
    reports = list(latest_rows(row_from_json(o.get("report") or {}, "reports")
                               for o in read_lines(path, repair=False)).values())
    live = {r["report_id"] for r in reports if r.get("report_id")}

    def cells() -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for o in read_lines(path, repair=False):
            cs = o.get("cells") or []
            rid = (o.get("report") or {}).get("report_id")
            if not cs or rid is None or rid not in live or rid in seen:
                continue
            seen.add(rid)
            yield from (row_from_json(c, "cells") for c in cs)

    return reports, cells()


def read_jsonl_findings(path: Path, live: set[str]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for o in read_lines(path, repair=False):
        rid = (o.get("report") or {}).get("report_id")
        if rid not in live or rid in seen or not (o.get("cells") or o.get("findings")):
            continue
        seen.add(rid)
        yield from (row_from_json(f, "findings") for f in o.get("findings") or [])


def wide_from(reports: list[dict[str, Any]], cells: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Wide rows from live reports and their cells (cells of one report need not be contiguous)."""
    canon = set(canonical_cells())
    values: dict[str, dict[str, Any]] = {}
    for c in cells:
        if c.get("cell") in canon and c.get("value") is not None:
            values.setdefault(c["report_id"], {})[c["cell"]] = c["value"]
    return wide_rows(reports, values)


_TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def read_csv_rows(path: Path, table: str) -> Iterator[dict[str, Any]]:
    """Rows of one CSV table; a row cut by a killed write (wrong width, or a cut ``extracted_at``)
    is skipped."""
    cols = columns(table)
    width = len(cols)
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a quoted field cut at the end of the file
                return
            if len(rec) != width:
                continue
            d = {n: rec[i] for i, (n, _) in enumerate(cols)}
            if table == "reports" and not _TS_RE.match(d["extracted_at"]):
                continue
            try:
                yield {n: from_text(d[n], t) for n, t in cols}
            except ValueError:
                continue
