"""Real-world damage, generated: random valid reports printed the way published reports come out worst.

Four kinds (:data:`DAMAGE_KINDS`), each a text document:

``runon``     a crawler's innerText dump of the report's web page: the prose, the section headings
              and every table in one long line, each table row one run of digits glued to its label
              and to the next row's item number (``…1.本机关不掌握相关政府信息4910000502.没有现成…``),
              the header block run together; with crawler header lines (标题, 发布时间 — the page's
              time, not the signature date —, 文号, 发布机构, 栏目, 原文链接, a 正文 rule) or without.
``markdown``  converter Markdown: pipe tables; table 四 as three tables of the five result columns,
              each under its own heading; some of table 二's blocks as plain lines outside any table
              (``行政许可 97``) under their 第二十条 headings; ``<br>`` in wrapped header cells;
              page-number lines, now and then one breaking table 三 (the next page's table takes its
              first row for a header).
``detached``  text with labels away from their values: every row label on lines of its own before
              or after the value rows, or some value rows printed alone with their labels elsewhere;
              values tab-separated (a blank kept as an empty field) or space-separated (blanks gone).
``lostcell``  a clean conversion (Markdown or tab-separated rows) with one cell of one table 三 row
              dropped: the row is one value short.

Titles vary (``XX区2021年度政府信息公开工作年度报告``, the year before or after the body). Bodies
are named with characters no fixture's place name uses.

Gold: what a perfect reader could recover
-----------------------------------------
Every stretch of a table is enumerated by brute force (:mod:`.solve`, written for this generator
alone): every way to read it back that the printed text allows and that satisfies R1–R4 (blanks read
as 0). A cell on which all surviving readings agree keeps its value in the gold; a cell they
disagree on is blank in the gold and listed under ``damage.ambiguous`` with its printed value and
the values the readings allow (e.g. table 二's 本年制发件数 / 本年废止件数 / 现行有效件数 ``5845546``:
no rule ties them, 15 splits). A run-on table is taken to print every cell, as published tables
print 0 for none: its reports are drawn without blank cells and its runs split into exactly one
number per cell (a blank there would print as nothing, and no reader could place it). Where values
are separated (spaces, tabs, pipes), fewer values than cells say that some are blank, and every
placement of them is enumerated. A dropped
cell is blank in the gold and listed under ``damage.dropped``: the rules may imply its value, but
nothing printed it, so a reader may propose it, never fill it in. ``meta.published`` is the
signature date where one is printed, else null. The gold file is ``Report.to_dict(full=False)``
plus that ``damage`` record; scorers that know only the tables ignore it.

This package imports nothing from the library's readers, engine, labels or values, so that its
gold is independent of the code it measures (a test checks the imports).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ...model import Meta, Money, Report, Scalar
from ..form import FORMATS
from ..reports import random_report
from .form import B_RESULT_PREFIXES
from .render import RENDERERS, agency_name
from .solve import Recovered, TooAmbiguous, recover

__all__ = ["DAMAGE_KINDS", "Damaged", "render_damaged", "damaged_from_seed", "generate_damage_corpus",
           "unrecoverable_cells"]

DAMAGE_KINDS = ("runon", "markdown", "detached", "lostcell")


def _json_value(v: object) -> Any:
    if isinstance(v, Money):
        return {"value": v.value, "unit": v.unit}
    return v


@attrs.frozen
class Damaged:
    """One damaged rendering: its ``text``, the ``report`` it prints, the ``gold`` a perfect reader
    recovers, the ``ambiguous`` cells (id → the values the readings allow, the printed one among
    them) and the ``dropped`` ones."""

    kind: str
    text: str
    report: Report
    gold: Report
    ambiguous: Mapping[str, tuple[Scalar | str, ...]]  # str: a reading that leaves the cell out
    dropped: tuple[str, ...]
    ext: str = "txt"

    def gold_dict(self) -> dict[str, Any]:
        """The gold file's content: the gold report and the ``damage`` record."""
        out = self.gold.to_dict(full=False)
        out["damage"] = {
            "kind": self.kind,
            "ambiguous": {cell: {"printed": _json_value(_cell(self.report, cell)),
                                 "readings": [_json_value(v) for v in values]}
                          for cell, values in self.ambiguous.items()},
            "dropped": {cell: {"printed": _json_value(_cell(self.report, cell))} for cell in self.dropped},
        }
        return out


def _cell(report: Report, cell: str) -> Scalar:
    table, row, column = cell.split("/")
    return getattr(report, table)[row][column]


def _table_of(rec: Recovered, table: str, shape: Mapping[str, Mapping[str, Scalar]]) -> dict[str, dict[str, Scalar]]:
    return {r: {c: rec.values[f"{table}/{r}/{c}"] for c in cols} for r, cols in shape.items()}


def render_damaged(report: Report, kind: str, *, rng: random.Random | None = None) -> Damaged:
    """``report`` (format 2019 or 2021, valid under R1–R4) printed with damage ``kind``, and the gold.

    The body is renamed (a name of this package's own, as the title prints it). Deterministic for a
    given ``rng`` state (``random.Random(0)`` when ``None``).
    """
    if kind not in DAMAGE_KINDS:
        raise ValueError(f"kind must be one of {DAMAGE_KINDS}, not {kind!r}")
    if report.format not in FORMATS:
        raise ValueError(f"can only render formats {FORMATS}, not {report.format!r}")
    if kind == "runon" and any(v is None for t in (report.active_disclosure, report.applications,
                                                   report.review_litigation) for cols in t.values() for v in cols.values()):
        raise ValueError("a run-on rendering takes a report without blank cells (a blank would print as nothing)")
    rng = rng if rng is not None else random.Random(0)
    agency = agency_name(rng)
    printed = RENDERERS[kind](report, rng, agency)
    rec = recover(printed.runs, b_result_prefixes=B_RESULT_PREFIXES)
    for cell, value in rec.values.items():
        if cell not in rec.ambiguous and cell not in rec.dropped and value != _cell(report, cell):
            raise AssertionError(f"{kind}: {cell} recovered as {value!r}, printed {_cell(report, cell)!r}")
    shown = attrs.evolve(report, meta=Meta(agency=agency, year=printed.year, published=report.meta.published))
    gold = Report(
        format=report.format,
        meta=Meta(agency=printed.agency, year=printed.year, published=printed.published),
        active_disclosure=_table_of(rec, "active_disclosure", report.active_disclosure),
        applications=_table_of(rec, "applications", report.applications),
        review_litigation=_table_of(rec, "review_litigation", report.review_litigation),
    )
    return Damaged(kind=kind, text=printed.text, report=shown, gold=gold, ambiguous=rec.ambiguous,
                   dropped=rec.dropped, ext=printed.ext)


def _draw(rng: random.Random, fmt: str | None, kind: str) -> Report:
    # most printed tables have no blank cell; a blank prints as nothing, which the damage makes costly
    rate = 0.0 if kind == "runon" else rng.choice((0.0, 0.0, 0.0, 0.1))
    return random_report(rng, fmt or rng.choice(FORMATS), blank_rate=rate)


def damaged_from_seed(seed: int | str, kind: str, fmt: str | None = None) -> Damaged:
    """A random valid report (format ``fmt``, drawn when ``None``) printed with damage ``kind``.

    A report whose table 三 readings are too many to enumerate (:class:`~.solve.TooAmbiguous`:
    busy rows with blank cells, printed without separators) is drawn again from the same stream,
    so the corpus leans slightly towards tables a reader can untangle.
    """
    rng = random.Random(f"govreport-damage:{seed}")
    while True:
        try:
            return render_damaged(_draw(rng, fmt, kind), kind, rng=rng)
        except TooAmbiguous:
            continue  # a busy table with blanks whose readings are too many to enumerate: draw again


def generate_damage_corpus(n: int, seed: int | str, out_dir: str | Path,
                           kinds: Sequence[str] = DAMAGE_KINDS) -> list[Path]:
    """Write ``n`` damaged documents, cycling over ``kinds``, each with its ``<name>.gold.json``.

    Document ``i`` (``damage-<seed>-<i:05d>-<kind>-<format>.<txt|md>``) is drawn from
    ``random.Random(f"govreport-damage:{seed}:{i}")``: the same seed and kinds give the same corpus,
    byte for byte, and its first documents do not depend on ``n``. Returns the documents' paths.
    """
    kinds = tuple(kinds)
    if not kinds or any(k not in DAMAGE_KINDS for k in kinds):
        raise ValueError(f"kinds must be taken from {DAMAGE_KINDS}, not {kinds!r}")
    if n < 0:
        raise ValueError("n must be >= 0")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        d = damaged_from_seed(f"{seed}:{i}", kind)
        name = f"damage-{seed}-{i:05d}-{kind}-{d.report.format}"
        path = out / f"{name}.{d.ext}"
        path.write_text(d.text, encoding="utf-8")
        (out / f"{name}.gold.json").write_text(json.dumps(d.gold_dict(), ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
        paths.append(path)
    return paths


def unrecoverable_cells(gold: Mapping[str, Any]) -> dict[str, str]:
    """The cells of a damage gold file (its dict) that no reader can recover: id → ``"ambiguous"``
    or ``"dropped"``. Empty for any other gold file."""
    damage = gold.get("damage") or {}
    out = {cell: "ambiguous" for cell in damage.get("ambiguous", {})}
    out.update({cell: "dropped" for cell in damage.get("dropped", {})})
    return out

