"""What a batch yields per input file (:class:`Result`), the events around the results
(:class:`Total`, :class:`Skipped`), and how a file's ``reports`` row is built: from a worker's
payload, from an error, or as a duplicate of a content already read.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import GovReportError
from ..model import Report
from .errors import make_error
from .inputs import Identity
from .schema import REPORTS, govreport_version


@attrs.define(eq=False)
class Result:
    """The outcome for one input file: its ``reports`` row, and its cells and findings.

    ``new_content`` is True for the file whose content was parsed in this run (its cells and
    findings are to be stored). A file with the same content as another has ``duplicate_of`` set
    to that file's path and no cells, findings or report of its own: they are the other file's
    (same ``report_id``). This keeps a batch's memory independent of its size.
    """

    path: str
    row: dict[str, Any]
    cells: list[dict[str, Any]] = attrs.Factory(list)
    findings: list[dict[str, Any]] = attrs.Factory(list)
    json: str | None = attrs.field(default=None, repr=False)
    new_content: bool = False
    _report: Report | None = attrs.field(default=None, repr=False, alias="_report")

    @property
    def sha256(self) -> str | None:
        return self.row.get("sha256")

    @property
    def report_id(self) -> str | None:
        return self.row.get("report_id")

    @property
    def status(self) -> str:
        return self.row["status"]

    @property
    def ok(self) -> bool:
        return self.row["status"] == "ok"

    @property
    def error_type(self) -> str | None:
        return self.row.get("error_type")

    @property
    def error_message(self) -> str | None:
        return self.row.get("error_message")

    @property
    def error(self) -> GovReportError | None:
        """The error as an instance of its class (``None`` when the file was read)."""
        return None if self.ok else make_error(self.error_type, self.error_message)

    @property
    def duplicate_of(self) -> str | None:
        return self.row.get("duplicate_of")

    @property
    def seconds(self) -> float | None:
        return self.row.get("parse_seconds")

    @property
    def report(self) -> Report | None:
        """The :class:`~govreport.model.Report` (``None`` for a failed file, or when the batch ran
        with ``reports=False``)."""
        if self._report is None and self.json is not None:
            from ..jsonio import loads

            self._report = loads(self.json)
        return self._report


@attrs.frozen
class Total:
    """Event: the number of input files found."""

    files: int
    skipped_files: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()


@attrs.frozen
class Skipped:
    """Event: a file already in the output with the same content (``--resume``)."""

    path: str
    status: str | None = None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _row(path: str, ident: Identity | None, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name, _ in REPORTS}
    row["path"] = path
    if ident is not None:
        row["sha256"] = ident.sha256
        row["size"] = ident.size
    row.update(fields)
    row["report_id"] = row.get("sha256") if row["status"] == "ok" else None
    row["govreport_version"] = govreport_version()
    row["extracted_at"] = _now()
    return row


def _with_report_id(cells: list[dict[str, Any]], report_id: str | None) -> list[dict[str, Any]]:
    for c in cells:
        c["report_id"] = report_id
    return cells


_CONTENT_FIELDS = ("status", "error_type", "error_message", "kind", "format", "agency", "year", "published",
                   "reader", "pages", "cells", "cells_filled", "findings_error", "findings_warning",
                   "findings_info", "rule_breaks")


def duplicate_result(ident: Identity, primary_row: Mapping[str, Any]) -> Result:
    """The result of a file whose content is that of ``primary_row``: parsed once, so it carries the
    row (with ``duplicate_of``) but not the cells, findings and report, which are the primary's."""
    fields = {k: primary_row.get(k) for k in _CONTENT_FIELDS}
    first = primary_row.get("duplicate_of") or primary_row["path"]
    row = _row(ident.path, ident, duplicate_of=first, parse_seconds=0.0, **fields)
    return Result(path=ident.path, row=row, new_content=False)


def content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """What duplicate detection keeps of a parsed file: its content fields, not its cells."""
    return {"path": row["path"], "duplicate_of": row.get("duplicate_of"), **{k: row.get(k) for k in _CONTENT_FIELDS}}


def result_from_payload(ident: Identity, payload: Mapping[str, Any]) -> Result:
    row = _row(ident.path, ident, **payload["row"])
    return Result(path=ident.path, row=row, cells=_with_report_id(payload["cells"], row["report_id"]),
                  findings=_with_report_id(payload["findings"], row["report_id"]),
                  json=payload.get("json"), new_content=row["report_id"] is not None)


def error_result(ident: Identity, error: BaseException) -> Result:
    row = _row(ident.path, ident, status="error", error_type=type(error).__name__,
               error_message=str(error), parse_seconds=0.0)
    return Result(path=ident.path, row=row)
