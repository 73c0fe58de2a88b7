"""Corpora of rendered documents with their gold answers, and the comparison of a reading with its gold.

:func:`generate_corpus` writes ``n`` rendered documents of the kinds :data:`KINDS` with their
``<name>.gold.json``, deterministically for a seed; :func:`as_rendered` gives the report a layout
can express (what reading it must give); :func:`cell_diffs` compares a reading with its gold
(tables A/B/C, the legacy table, format and meta).

Kinds (files)
-------------
``txt`` (each text layout of :mod:`.layouts`), ``docx``, ``html`` and ``pdf``; see :mod:`govreport.testing.office`
for the Word tables (``w:gridSpan``/``w:vMerge`` as the national format merges them), the HTML
(``rowspan``/``colspan``, LibreOffice or CMS markup, ``<br>`` and ``&nbsp;``, UTF-8 or GBK, portal
chrome) and what varies in them (fonts, title breaks, wrapped labels, vertical headers, doubled
heading numbering, borders, table A per block, …). PDFs are the Word documents converted by
LibreOffice; without it (``soffice`` on the PATH) ``pdf`` is not available.

Corpora
-------
:func:`generate_corpus` cycles its documents over the units (each text layout for ``txt``, then
``docx``, ``html``, ``pdf``: default every kind this machine can make), draws the format, gives
:data:`LEGACY_SHARE` (15 %) of the format-2019 reports the legacy table and prints
:data:`RULE_BREAK_SHARE` (5 %) of all reports with one rule broken (one number of table B or C
changed after the totals were computed; the gold holds the printed numbers, and reading must
report the breaks). :data:`GBK_SHARE` of the web pages are GBK. Same seed → byte-identical text,
Word and HTML documents and gold files (PDF: identical gold; LibreOffice stamps the time), and
document ``i`` does not depend on ``n``.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import MissingDependency
from ..model import Money, Report, Scalar
from . import office
from .form import FORMATS
from .layouts import LAYOUTS, render_text
from .pdf import convert_to_pdf, soffice
from .reports import random_report, with_rule_break

__all__ = ["GBK_SHARE", "KINDS", "LEGACY_SHARE", "OFFICE_KINDS", "RULE_BREAK_SHARE", "as_rendered",
           "available_kinds", "cell_diffs", "corpus_report", "generate_corpus"]

#: document kinds :func:`generate_corpus` writes (``txt`` in every text layout)
KINDS = ("txt", "docx", "html", "pdf")
OFFICE_KINDS = ("docx", "html", "pdf")
#: share of format-2019 reports in a generated corpus that carry the legacy statistics table
LEGACY_SHARE = 0.15
#: share of reports in a generated corpus printed with one rule broken (:func:`with_rule_break`)
RULE_BREAK_SHARE = 0.05
#: share of generated web pages encoded in GBK
GBK_SHARE = 0.25


def as_rendered(report: Report, layout: str) -> Report:
    """``report`` as ``layout`` can express it, i.e. what reading the rendered document should give.

    ``layout`` is a text layout or an office kind (``"docx"``, ``"html"``, ``"pdf"``). Every one
    expresses every value except ``"ocr"``, which prints a blank as 0 (its reader drops empty
    cells): there a blank count becomes 0 and a blank amount ``Money("0", unit)`` with the unit the
    column states (万元 in format 2021, none in 2019).
    """
    if layout not in LAYOUTS + OFFICE_KINDS:
        raise ValueError(f"layout must be one of {LAYOUTS + OFFICE_KINDS}, not {layout!r}")
    if layout != "ocr":
        return report
    money_unit = "万元" if report.format == "2021" else None

    def fill(table: Any) -> dict[str, dict[str, Scalar]]:
        return {r: {c: (Money("0", money_unit) if c == "amount" else 0) if v is None else v for c, v in cols.items()}
                for r, cols in table.items()}

    legacy = report.legacy_statistics
    return attrs.evolve(report, active_disclosure=fill(report.active_disclosure),
                        applications=fill(report.applications), review_litigation=fill(report.review_litigation),
                        legacy_statistics=None if legacy is None else {k: 0 if v is None else v for k, v in legacy.items()})


def cell_diffs(expected: Report, got: Report) -> list[str]:
    """Every difference that matters between two reports, as ``"where: expected …, got …"`` lines.

    Compared: the format; every cell of tables A/B/C and of the legacy statistics table (value and
    blank-ness; a cell missing on one side is ``<absent>``, a table missing ``<no table>``); meta
    (agency, year, published). Empty when the reports agree.
    """
    e, g = expected.to_dict(full=False), got.to_dict(full=False)
    out = []
    if e["format"] != g["format"]:
        out.append(f"format: expected {e['format']!r}, got {g['format']!r}")
    for t in ("active_disclosure", "applications", "review_litigation"):
        for r in sorted(set(e[t]) | set(g[t])):
            for c in sorted(set(e[t].get(r, {})) | set(g[t].get(r, {}))):
                ev, gv = e[t].get(r, {}).get(c, "<absent>"), g[t].get(r, {}).get(c, "<absent>")
                if ev != gv:
                    out.append(f"{t}/{r}/{c}: expected {ev!r}, got {gv!r}")
    el, gl = e.get("legacy_statistics"), g.get("legacy_statistics")
    if el is not None or gl is not None:
        if el is None or gl is None:
            out.append(f"legacy_statistics: expected {'<no table>' if el is None else len(el)}, "
                       f"got {'<no table>' if gl is None else len(gl)} rows")
        else:
            for k in sorted(set(el) | set(gl)):
                ev, gv = el.get(k, "<absent>"), gl.get(k, "<absent>")
                if ev != gv:
                    out.append(f"legacy_statistics/{k}: expected {ev!r}, got {gv!r}")
    for m in ("agency", "year", "published"):
        if e["meta"][m] != g["meta"][m]:
            out.append(f"meta/{m}: expected {e['meta'][m]!r}, got {g['meta'][m]!r}")
    return out


def corpus_report(seed: int | str, i: int, layout: str, formats: Sequence[str] = FORMATS, *,
                  blanks: bool = True) -> tuple[str, Report, random.Random]:
    """Document ``i`` of the corpus of ``seed`` as :func:`generate_corpus` draws it, for ``layout``
    (a text layout, or the kind for ``docx``/``html``/``pdf``): its name without the extension,
    the report as printed, and the ``random.Random`` its renderer goes on with. So one document of
    a corpus can be rebuilt alone, e.g. to pin what reading it gets wrong."""
    rng = random.Random(f"govreport-corpus:{seed}:{i}")
    fmt = rng.choice(tuple(formats))
    legacy = fmt == "2019" and rng.random() < LEGACY_SHARE
    broken = rng.random() < RULE_BREAK_SHARE
    report = random_report(rng, fmt, blanks=blanks and layout != "ocr", legacy=legacy)
    if broken:
        report = with_rule_break(report, rng)
    name = f"synthetic-{seed}-{i:05d}-{layout}-{fmt}" + ("-legacy" if legacy else "") + ("-rulebreak" if broken else "")
    return name, report, rng


def available_kinds() -> tuple[str, ...]:
    """The kinds this machine can make: every kind but ``pdf`` when LibreOffice is missing."""
    return KINDS if soffice() else tuple(k for k in KINDS if k != "pdf")


def generate_corpus(
    n: int,
    seed: int | str,
    out_dir: str | Path,
    layouts: Sequence[str] = LAYOUTS,
    formats: Sequence[str] = FORMATS,
    *,
    blanks: bool = True,
    kinds: Sequence[str] | None = None,
    pdf_batch: int = 40,
) -> list[Path]:
    """Write ``n`` random reports as documents, each with its ``<name>.gold.json``.

    Documents cycle over the units (each text layout of ``layouts`` for kind ``txt``, then
    ``docx``, ``html``, ``pdf``, in the order of ``kinds``; default :func:`available_kinds`).
    Document ``i`` (``synthetic-<seed>-<i:05d>-<layout or kind>-<format>[-legacy][-rulebreak].<ext>``)
    is drawn from ``random.Random(f"govreport-corpus:{seed}:{i}")`` and its unit, so the corpus is
    the same for the same seed and kinds (and its first ``k`` documents do not depend on ``n``):
    byte for byte for txt, docx and html; for pdf the same gold (LibreOffice stamps the time).

    Formats are drawn; :data:`LEGACY_SHARE` of the format-2019 reports carry the legacy statistics
    table; :data:`RULE_BREAK_SHARE` of all reports are printed with one number of table B or C
    changed after the totals were computed (:func:`with_rule_break`; the gold holds the printed
    numbers). Reports for the ``ocr`` layout never have blank cells (it cannot print them), so
    every gold file is exactly what its document prints; ``blanks=False`` leaves blanks out of
    every document. PDFs are converted from their Word documents in batches of ``pdf_batch`` per
    LibreOffice run. Returns the paths of the documents, in order.
    """
    layouts = tuple(layouts)
    formats = tuple(formats)
    if not layouts or any(lay not in LAYOUTS for lay in layouts):
        raise ValueError(f"layouts must be taken from {LAYOUTS}, not {layouts!r}")
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be taken from {FORMATS}, not {formats!r}")
    kinds = available_kinds() if kinds is None else tuple(kinds)
    if not kinds or any(k not in KINDS for k in kinds) or len(set(kinds)) != len(kinds):
        raise ValueError(f"kinds must be taken from {KINDS}, not {kinds!r}")
    if n < 0:
        raise ValueError("n must be >= 0")
    if "pdf" in kinds and soffice() is None:
        raise MissingDependency("generating PDF documents needs LibreOffice (soffice) on the PATH")
    units: list[tuple[str, str]] = []
    for k in kinds:
        units += [("txt", lay) for lay in layouts] if k == "txt" else [(k, k)]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    pending_pdf: list[tuple[Path, Path]] = []  # (docx written to the work folder, the PDF wanted)
    work = None
    try:
        for i in range(n):
            kind, layout = units[i % len(units)]
            name, report, rng = corpus_report(seed, i, layout, formats, blanks=blanks)
            path = out / f"{name}.{kind}"
            if kind == "txt":
                path.write_text(render_text(report, layout, rng=rng), encoding="utf-8")
            elif kind == "docx":
                path.write_bytes(office.render_docx(report, rng=rng))
            elif kind == "html":
                encoding = "gbk" if rng.random() < GBK_SHARE else "utf-8"
                path.write_bytes(office.render_html(report, rng=rng, encoding=encoding))
            else:
                if work is None:
                    work = Path(tempfile.mkdtemp(prefix="govreport-corpus-"))
                src = work / f"{name}.docx"
                src.write_bytes(office.render_docx(report, rng=rng))
                pending_pdf.append((src, path))
            gold = as_rendered(report, layout).to_dict(full=False)
            (out / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            paths.append(path)
        for start in range(0, len(pending_pdf), max(1, pdf_batch)):
            batch = pending_pdf[start:start + max(1, pdf_batch)]
            # the Word documents sit in the work folder; their PDFs go to a folder inside it
            pdfs = convert_to_pdf([s for s, _ in batch], batch[0][0].parent / "pdf")
            for pdf, (_, want) in zip(pdfs, batch):
                shutil.move(str(pdf), want)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return paths
