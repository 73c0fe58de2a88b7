"""A report printed as a Document of paragraphs and grids, with the damage converters do to tables.

Used by the tests of the engine's row-order and lost-cell passes: the tables are built cell by cell
here (not through a reader), so a test says exactly which cells a converter lost or moved.
"""

from __future__ import annotations

from collections.abc import Sequence

from govreport import Money, Report
from govreport.document import Cell, Document, Grid, Location, Paragraph
from govreport.testing import form
from govreport.testing.form import A_BLOCKS, B_COLUMNS, C_GROUPS, C_HEADERS, C_OUTCOMES

B_HEADER = [["申请人情况"], ["自然人", "法人或其他组织", "总计"],
            ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]


def printed(v, fmt: str = "2019") -> str:
    if v is None:
        return ""
    if isinstance(v, Money):  # format 2021 states the unit in the column header
        return v.value + (v.unit or "" if fmt == "2019" else "")
    return str(v)


def grid(rows: Sequence[Sequence[str]]) -> Grid:
    return Grid(rows=tuple(tuple(Cell(text=t, loc=Location(row=r, col=c)) for c, t in enumerate(row))
                           for r, row in enumerate(rows)))


def a_rows(report: Report) -> list[tuple[str, str, list[str]]]:
    """(row key, label, printed values) of table A, in the format's order."""
    out = []
    for _block, cols, rows in A_BLOCKS[report.format]:
        for key, label in rows:
            out.append((key, label, [printed(report.active_disclosure[key].get(c), report.format) for c, _ in cols]))
    return out


def b_rows(report: Report) -> list[tuple[str, str, list[str]]]:
    """(row key, label, printed values) of table B, in the format's order."""
    return [(key, "".join(labels), [printed(report.applications[key].get(c)) for c in B_COLUMNS])
            for key, labels in form.b_rows(report.format)]


def table_a(report: Report, *, labelled: bool = True) -> list[list[str]]:
    rows: list[list[str]] = []
    for block, cols, items in A_BLOCKS[report.format]:
        rows.append([block])
        rows.append(["信息内容", *(h for _, h in cols)])
        for key, label in items:
            values = [printed(report.active_disclosure[key].get(c), report.format) for c, _ in cols]
            rows.append([label, *values] if labelled else values)
    return rows


def table_c(report: Report) -> list[list[str]]:
    return [["行政复议", "行政诉讼"], [*C_HEADERS, "未经复议直接起诉", "复议后起诉"], [*C_HEADERS, *C_HEADERS],
            [printed(report.review_litigation[g].get(o)) for g in C_GROUPS for o in C_OUTCOMES]]


def document(report: Report, *, a: list | None = None, b: list | None = None,
             before_a: Sequence[str] = (), before_b: Sequence[str] = ()) -> Document:
    """The report as a document; ``a``/``b`` replace the grids of tables A and B (lists of rows of
    cells), ``before_a``/``before_b`` are paragraphs printed after the table's heading."""
    if b is None:
        b = [*B_HEADER, *([label, *values] for _, label, values in b_rows(report))]
    blocks = [
        Paragraph(text=f"某某街道办事处{report.meta.year}年政府信息公开工作年度报告"),
        Paragraph(text="一、总体情况"),
        Paragraph(text="本年度政府信息公开工作有序开展。"),
        Paragraph(text="二、主动公开政府信息情况"),
        *(Paragraph(text=t) for t in before_a),
        grid(a if a is not None else table_a(report)),
        Paragraph(text="三、收到和处理政府信息公开申请情况"),
        *(Paragraph(text=t) for t in before_b),
        grid(b),
        Paragraph(text="四、政府信息公开行政复议、行政诉讼情况"),
        grid(table_c(report)),
        Paragraph(text="五、存在的主要问题及改进情况"),
        Paragraph(text="无。"),
    ]
    return Document(blocks=tuple(blocks), reader="test")
