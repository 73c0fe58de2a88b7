"""A benchmark's results as a terminal table, Markdown and JSON."""

from __future__ import annotations

from typing import Any

from .runner import BenchResult, Group, machine_info


def _pct(g: Group) -> str:
    return f"{100 * g.accuracy:.2f}%"


def _rows(result: BenchResult) -> list[tuple[str, dict[str, Group]]]:
    return [
        ("table", result.by_table()),
        ("format", result.by(lambda d: d.format)),
        ("input kind", result.by(lambda d: d.kind)),
        ("reader", result.by(lambda d: d.reader or "(none)")),
    ]


def to_dict(result: BenchResult) -> dict[str, Any]:
    return {
        "accuracy": result.accuracy,
        "cells": result.cells,
        "right": result.right,
        "informative_accuracy": result.informative_accuracy,
        "by": {name: {k: {"accuracy": g.accuracy, "right": g.right, "cells": g.cells, "docs": g.docs}
                      for k, g in groups.items()} for name, groups in _rows(result)},
        "tables_found": {t: {"found": a, "missed": b} for t, (a, b) in result.tables_found().items()},
        "meta_right": result.meta_right(),
        "format_right": result.format_right,
        "documents": [
            {"doc": d.doc, "kind": d.kind, "format": d.format, "reader": d.reader, "cells": d.cells,
             "right": d.right, "error": d.error, "seconds": d.seconds, "pages": d.pages,
             "meta_right": d.meta_right, "format_right": d.format_right, "tables_missed": list(d.tables_missed)}
            for d in result.docs
        ],
        "wrong_cells": [
            {"doc": w.doc, "cell": w.cell, "expected": w.expected, "got": w.got, "raw": w.raw} for w in result.wrong
        ],
        "speed": result.speed(),
        "machine": machine_info(),
        "predictions": result.predictions,
    }


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_w(x) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(c + " " * (w - _w(c)) for c, w in zip(r, widths))  # noqa: E731
    return [fmt(header), fmt(["-" * w for w in widths]), *map(fmt, rows)]


def _w(s: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def to_text(result: BenchResult, *, show_wrong: int = 20) -> str:
    lines = [
        f"{len(result.docs)} documents, {result.cells} cells: accuracy {100 * result.accuracy:.2f}% "
        f"({result.right}/{result.cells}); non-zero cells {100 * result.informative_accuracy:.2f}%",
        "",
    ]
    for name, groups in _rows(result):
        lines += _table([name, "accuracy", "cells", "docs"],
                        [[k, _pct(g), f"{g.right}/{g.cells}", str(g.docs)] for k, g in groups.items()])
        lines.append("")
    n = len(result.docs)
    found = result.tables_found()
    lines.append("tables found: " + ", ".join(f"{t} {a}/{a + b}" for t, (a, b) in found.items()))
    lines.append("meta right: " + ", ".join(f"{k} {v}/{n}" for k, v in result.meta_right().items())
                 + f"; format {result.format_right}/{n}")
    sp = result.speed()
    if sp["documents_per_s"]:
        lines.append(f"speed: {sp['documents_per_s']:.1f} documents/s"
                     + (f", {sp['pages_per_s']:.1f} pages/s" if sp["pages_per_s"] else "")
                     + f"; median {1000 * sp['median_s']:.0f} ms, worst {1000 * sp['worst_s']:.0f} ms ({sp['worst_doc']})"
                     + (f"; peak memory {sp['peak_rss_mb']:.0f} MB" if sp["peak_rss_mb"] else ""))
    for d in result.errors:
        lines.append(f"ERROR {d.doc}: {d.error}")
    wrong = result.wrong
    if wrong:
        lines.append(f"\n{len(wrong)} wrong cell(s)" + (f", first {show_wrong}:" if len(wrong) > show_wrong else ":"))
        for w in wrong[:show_wrong]:
            lines.append(f"  {w.doc} {w.cell}: expected {w.expected!r}, got {w.got!r}"
                         + (f" (read from {w.raw!r})" if w.raw is not None else ""))
    return "\n".join(lines)


def to_markdown(result: BenchResult, *, title: str = "govreport benchmark", show_wrong: int = 50) -> str:
    out = [f"# {title}", "",
           f"**{len(result.docs)} documents, {result.cells} cells: accuracy {100 * result.accuracy:.3f}%** "
           f"({result.right}/{result.cells}); non-zero cells {100 * result.informative_accuracy:.3f}%", ""]
    for name, groups in _rows(result):
        out += [f"| {name} | accuracy | cells | docs |", "|---|---:|---:|---:|"]
        out += [f"| {k} | {_pct(g)} | {g.right}/{g.cells} | {g.docs} |" for k, g in groups.items()]
        out.append("")
    n = len(result.docs)
    out += ["| check | right |", "|---|---:|"]
    out += [f"| table {t} found | {a}/{a + b} |" for t, (a, b) in result.tables_found().items()]
    out += [f"| meta {k} | {v}/{n} |" for k, v in result.meta_right().items()]
    out += [f"| format | {result.format_right}/{n} |", ""]
    sp = result.speed()
    out += ["## Speed", "", "| measure | value |", "|---|---:|"]
    for k, v in sp.items():
        if v is not None:
            out.append(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    out += ["", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in machine_info().items()]
    if result.errors or result.wrong:
        out += ["", "## Problems", ""]
        out += [f"- ERROR {d.doc}: {d.error}" for d in result.errors]
        out += [f"- {w.doc} `{w.cell}`: expected `{w.expected!r}`, got `{w.got!r}`"
                + (f" (read from `{w.raw!r}`)" if w.raw is not None else "") for w in result.wrong[:show_wrong]]
    return "\n".join(out) + "\n"
