"""The JSON Lines output: one line per input file, appended with a single write."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..results import Result
from ..schema import row_from_json, row_to_json
from .base import Writer, atomic_bytes, latest_rows, stem, write_all
from .readback import read_jsonl_tables, read_lines, wide_from


def json_line(result: Result, *, with_content: bool, extra: Mapping[str, Any] | None = None) -> bytes:
    obj: dict[str, Any] = {"report": row_to_json(result.row, "reports")}
    if with_content:
        obj["cells"] = [row_to_json(c, "cells") for c in result.cells]
        obj["findings"] = [row_to_json(f, "findings") for f in result.findings]
    else:
        obj["cells"] = []
        obj["findings"] = []
    if extra:
        obj.update(extra)
    return (json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


class JsonlWriter(Writer):
    """One line per input file, ``{"report": {...}, "cells": [...], "findings": [...]}``, appended
    with a single write and flushed: a killed run loses at most a cut last line, which readers skip
    and ``--resume`` cuts off. Cells and findings are on the line of the first file with that
    content; a later line for the same path supersedes an earlier one."""

    format = "jsonl"

    def owned_paths(self) -> list[Path]:
        return [self.out, self.wide_path]

    @property
    def wide_path(self) -> Path:
        return self.out.with_name(stem(self.out) + ".wide.jsonl")

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False) -> None:
        super().__init__(out, mode=mode, wide=wide)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._stored: set[str] = set()
        self._prev: dict[str, dict[str, Any]] = {}
        if self.out.exists():
            rows = []
            for obj in read_lines(self.out, repair=True):
                rep = obj.get("report") or {}
                rows.append(row_from_json(rep, "reports"))
                if obj.get("cells") or obj.get("findings") or (rep.get("status") == "ok" and not rep.get("duplicate_of")):
                    if rep.get("report_id"):
                        self._stored.add(rep["report_id"])
            self._prev = latest_rows(rows)
        self.fd = os.open(self.out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def previous(self) -> dict[str, dict[str, Any]]:
        return self._prev

    def write(self, result: Result) -> None:
        rid = result.report_id
        with_content = bool(result.new_content and rid and rid not in self._stored)
        write_all(self.fd, json_line(result, with_content=with_content))
        if with_content and rid:
            self._stored.add(rid)
        self.written += 1

    def close(self) -> None:
        if getattr(self, "fd", None) is None:
            return
        os.fsync(self.fd)
        os.close(self.fd)
        del self.fd  # closed: a second close() finds no descriptor
        if self.wide:
            reports, cells = read_jsonl_tables(self.out)
            data = b"".join((json.dumps(row_to_json(w, "wide"), ensure_ascii=False) + "\n").encode("utf-8")
                            for w in wide_from(reports, cells))
            atomic_bytes(self.wide_path, data)
