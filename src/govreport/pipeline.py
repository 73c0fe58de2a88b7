"""One call from input to report: sniff the input, pick a reader, run the engine, check the rules."""

from __future__ import annotations

import os

import attrs

from .document import Cell, Document, Grid, Paragraph
from .engine import Extraction, extract
from .errors import GovReportError, NeedsOCR, NotAReport, ReaderError, UnsupportedInput
from .model import Finding, Report
from .proposals import propose_corrections
from .registry import ReaderInfo, Registry, default_registry
from .source import Source, open_source
from .template import load_template
from .validation import check_rules

#: Readers whose claims are this close to the best one are all run, and the best result is kept.
CLAIM_MARGIN = 0.1


@attrs.frozen
class _Attempt:
    info: ReaderInfo
    extraction: Extraction
    pages: int | None

    @property
    def quality(self) -> float:
        missing = sum(1 for f in self.extraction.findings if f.rule in ("row-missing", "table-missing", "row-short"))
        breaks = len(check_rules(self.extraction.tables))
        return self.extraction.cells_found - 5 * missing - 2 * breaks


def parse(
    obj: str | bytes | os.PathLike[str] | Source,
    *,
    reader: str | None = None,
    name: str | None = None,
    registry: Registry | None = None,
) -> Report:
    """Read one annual report from a path, its bytes, or its text.

    ``reader`` forces an installed reader by name (see :func:`govreport.available_readers`);
    otherwise every reader that claims the input is considered, best claim first. Raises a
    :class:`govreport.errors.GovReportError` subclass when the input cannot be read as a report.
    """
    source = obj if isinstance(obj, Source) else open_source(obj, name=name)
    registry = registry or default_registry()
    claim_problems: list[str] = []
    if reader is not None:
        infos = [(registry.get(reader), 1.0)]
    else:
        infos, claim_problems = _claimants(source, registry)
        if not infos:
            raise UnsupportedInput(
                f"{source.name}: no installed reader reads {source.kind} input "
                f"(readers: {', '.join(i.name for i in registry.readers) or 'none'})"
            )
    attempts: list[_Attempt] = []
    errors: list[GovReportError] = []
    best_claim = None
    for info, claim in infos:
        if best_claim is not None and claim < best_claim - CLAIM_MARGIN and attempts:
            break
        try:
            doc = _read(info, source)
        except GovReportError as exc:
            errors.append(exc)
            continue
        try:
            ext = extract(doc, load_template())
        except Exception as exc:  # keep a batch alive; the message says which reader's output
            errors.append(ReaderError(f"{source.name}: the table engine failed on the output of reader "
                                      f"{info.name!r}: {type(exc).__name__}: {exc}"))
            continue
        attempts.append(_Attempt(info, ext, doc.pages))
        if best_claim is None:
            best_claim = claim
    if not attempts:
        raise errors[0]
    # scoring (which re-checks the rules) only matters when readers compete
    best = attempts[0] if len(attempts) == 1 else max(attempts, key=lambda a: a.quality)
    ext = best.extraction
    if not ext.cells_found:
        raise NotAReport(f"{source.name}: read as {source.kind} by reader {best.info.name!r}, "
                         "but no table of an annual disclosure report was found")
    findings = list(ext.findings)
    findings += [Finding(rule="reader", severity="warning", message=p) for p in (*registry.problems, *claim_problems)]
    # a scan's "needs OCR" from the text reader says nothing once the OCR reader has read it
    findings += [Finding(rule="reader", severity="warning", message=str(e)) for e in errors if not isinstance(e, NeedsOCR)]
    tables = ext.tables
    report = Report(
        format=ext.format,  # type: ignore[arg-type]
        meta=ext.meta,
        active_disclosure=tables["active_disclosure"],
        applications=tables["applications"],
        review_litigation=tables["review_litigation"],
        legacy_statistics=ext.legacy_statistics,
        sections=ext.sections,
        findings=(*check_rules(tables), *findings),
        provenance=ext.provenance,
        source=source.name,
        reader=best.info.name,
        pages=best.pages,
    )
    if report.rule_breaks:
        # a doubtful digit that alone explains a break is proposed, never applied
        report = attrs.evolve(report, findings=(*report.findings, *propose_corrections(report)))
    return report


def _claimants(source: Source, registry: Registry) -> tuple[list[tuple[ReaderInfo, float]], list[str]]:
    out = []
    problems = []
    for info in registry.readers:
        if info.kinds and source.kind not in info.kinds:
            continue
        try:
            claim = float(info.reader.claim(source))
        except Exception as exc:  # a plugin's broken claim() must not stop the others
            problems.append(f"reader {info.name!r} ({info.distribution}) failed to claim {source.name}: "
                            f"{type(exc).__name__}: {exc}")
            continue
        if claim > 0:
            out.append((info, min(claim, 1.0)))
    out.sort(key=lambda x: -x[1])
    return out, problems


def _read(info: ReaderInfo, source: Source) -> Document:
    try:
        doc = info.reader.read(source)
    except GovReportError:
        raise
    except Exception as exc:  # a reader's bug becomes a typed error, never a stray traceback
        raise ReaderError(f"{source.name}: reader {info.name!r} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(doc, Document):
        raise ReaderError(f"{source.name}: reader {info.name!r} returned {type(doc).__name__}, not a Document")
    for block in doc.blocks:
        try:
            ok = isinstance(block, Paragraph) and isinstance(block.text, str) or isinstance(block, Grid) and all(
                isinstance(c, Cell) and isinstance(c.text, str) for row in block.rows for c in row)
        except TypeError:
            ok = False
        if not ok:
            raise ReaderError(f"{source.name}: reader {info.name!r} returned a malformed Document "
                              f"(a {type(block).__name__} block holding something other than text cells)")
    return doc
