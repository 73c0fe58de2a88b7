"""Table cells for the audit: their printed names, their values summed, where they were read, and
the report's own rule breaks with those cells as evidence."""

from __future__ import annotations

import functools
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from ..model import TABLES, Money, Report, Scalar
from .findings import VALIDATION_RULES, AuditFinding, Evidence
from .prose import money_in_yuan

TABLE_NAMES = {
    "active_disclosure": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "legacy_statistics": "政府信息公开情况统计表",
}
_REVIEW_GROUPS = {"review": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
                  "litigation_after_review": "行政诉讼 复议后起诉"}


@functools.cache
def _template_labels() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    raw = tomllib.loads(resources.files("govreport").joinpath("template/formats.toml").read_text("utf-8"))
    rows: dict[str, dict[str, str]] = {}
    cols: dict[str, dict[str, str]] = {}
    for name, t in raw["tables"].items():
        rows[name] = {}
        for r in t.get("rows", []):
            rows[name].setdefault(r["key"], r["labels"][0])
        cols[name] = {k: v["labels"][0] for k, v in t.get("columns", {}).items()}
    rows["review_litigation"] = dict(_REVIEW_GROUPS)
    return rows, cols


# shorter or format-specific names where the template's first label is not the one to show
_ROW_NAMES = {
    ("applications", "partially_granted"): "部分公开",
    ("applications", "other"): "其他处理",
    ("applications", "other.no_correction"): "其他处理 逾期不补正",
    ("applications", "other.no_fee"): "其他处理 逾期未缴纳费用",
    ("applications", "other.other"): "其他处理 其他",
    ("applications", "total"): "办理结果总计",
}
_ROW_NAMES_2021 = {("active_disclosure", "normative_documents"): "行政规范性文件"}
_COLUMN_NAMES_2021 = {("active_disclosure", "decisions"): "本年处理决定数量"}


def row_label(table: str, row: str, fmt: str | None = None) -> str:
    if fmt == "2021" and (table, row) in _ROW_NAMES_2021:
        return _ROW_NAMES_2021[(table, row)]
    return _ROW_NAMES.get((table, row)) or _template_labels()[0].get(table, {}).get(row, row)


def column_label(table: str, column: str, fmt: str | None = None, row: str | None = None) -> str:
    if table == "active_disclosure" and column == "amount":
        return "本年收费金额" if row == "administrative_fees" else "采购总金额"
    if fmt == "2021" and (table, column) in _COLUMN_NAMES_2021:
        return _COLUMN_NAMES_2021[(table, column)]
    return _template_labels()[1].get(table, {}).get(column, column)


def cell_label(cell: str, fmt: str | None = None) -> str:
    """``applications/new_received/total`` → ``本年新收政府信息公开申请数量 / 总计``."""
    table, row, column = split_cell(cell)
    if table == "legacy_statistics":
        return row_label(table, row)
    return f"{row_label(table, row, fmt)} / {column_label(table, column, fmt, row)}"


def split_cell(cell: str) -> tuple[str, str, str]:
    table, _, rest = cell.partition("/")
    if table == "legacy_statistics":
        return table, rest, ""
    row, _, column = rest.rpartition("/")
    return table, row, column


def expand(report: Report, cells: tuple[str, ...]) -> list[str]:
    """Cell ids with ``row.*`` patterns expanded against the report's rows; cells the report's
    tables do not have are left out."""
    out: list[str] = []
    for cell in cells:
        table, row, column = split_cell(cell)
        if table == "legacy_statistics":
            if report.legacy_statistics is not None and row in report.legacy_statistics:
                out.append(cell)
            continue
        rows = getattr(report, table, {}) if table in TABLES else {}
        if row.endswith(".*"):
            names = [r for r in rows if r.startswith(row[:-1])]
        else:
            names = [row] if row in rows else []
        out += [f"{table}/{r}/{column}" for r in names if column in rows[r]]
    return list(dict.fromkeys(out))


def value(report: Report, cell: str) -> Scalar:
    table, row, column = split_cell(cell)
    if table == "legacy_statistics":
        return (report.legacy_statistics or {}).get(row)
    return getattr(report, table).get(row, {}).get(column)


def was_read(report: Report, cell: str) -> bool:
    """False when the report has provenance but none for this cell: the cell was not found in the
    document (the engine filled it blank). A report built in memory (no provenance) counts as read."""
    return not report.provenance or cell in report.provenance


def count_sum(report: Report, cells: list[str]) -> int | None:
    """The cells' sum with blanks as 0, or ``None`` if a cell holds money."""
    total = 0
    for c in cells:
        v = value(report, c)
        if isinstance(v, Money):
            return None
        total += v or 0
    return total


def money_yuan(v: Scalar) -> tuple[Decimal | None, bool]:
    """(amount in 元, unit known). A blank is 0 元."""
    if v is None:
        return Decimal(0), True
    if isinstance(v, Money):
        if v.unit is None:
            return money_in_yuan(v.value, "元"), False
        return money_in_yuan(v.value, v.unit), True
    return Decimal(v), False


def where(report: Report, cell: str) -> str:
    """``table 收到和处理政府信息公开申请情况, row 本年新收政府信息公开申请数量, column 总计``, with the place
    in the document the value was read from."""
    table, row, column = split_cell(cell)
    text = f"table {TABLE_NAMES.get(table, table)}, row {row_label(table, row, report.format)}"
    if column:
        text += f", column {column_label(table, column, report.format, row)}"
    prov = report.provenance.get(cell)
    if prov is not None:
        text += f" ({prov.location})"
    return text


def evidence(report: Report, cell: str, *, label: str | None = None) -> Evidence:
    prov = report.provenance.get(cell)
    v = value(report, cell)
    return Evidence(kind="table", where=label or where(report, cell), value=v, cell=cell,
                    quote=prov.raw.strip() if prov is not None else None, report=report.source)


def rule_break_findings(report: Report) -> list[AuditFinding]:
    """The report's own breaks of R1–R4 (from ``report.findings``, as :mod:`govreport.validation`
    found them when the report was read), with the cells as evidence: an evaluator's one command
    counts every problem of the report, not only the audit's own."""
    out = []
    for f in report.findings:
        if f.rule not in VALIDATION_RULES or f.proposal:
            continue
        out.append(AuditFinding(rule=f.rule, severity=f.severity, message=f.message, cells=f.cells,
                                expected=f.expected, found=f.found,
                                evidence=tuple(evidence(report, c) for c in f.cells)))
    return out


def show(v: Any) -> str:
    if v is None:
        return "blank"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    return str(v)
