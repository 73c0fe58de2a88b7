"""One call from input to report: sniff the input, pick a reader, run the engine, check the rules."""

from __future__ import annotations

import os
import typing
from collections.abc import Iterable
from typing import Any

import attrs

from .document import Cell, Document, Grid, Paragraph
from .engine import Extraction, extract
from .errors import GovReportError, NeedsOCR, NotAReport, ReaderError, UnsupportedInput
from .model import Finding, Report, format_id
from .proposals import propose_corrections
from .registry import ReaderInfo, Registry, default_registry
from .source import Source, describe_kind, open_source
from . import guard
from .limits import Limits
from .template import load_template
from .validation import check_rules, undecided_cells

#: Readers whose claims are this close to the best one are all run, and the best result is kept.
CLAIM_MARGIN = 0.1


@attrs.frozen
class _Attempt:
    info: ReaderInfo
    extraction: Extraction
    pages: int | None
    document: Document | None = None

    @property
    def quality(self) -> float:
        missing = sum(1 for f in self.extraction.findings if f.rule in ("row-missing", "table-missing", "row-short"))
        breaks = len(check_rules(self.extraction.tables))
        return self.extraction.cells_found - 5 * missing - 2 * breaks


def parse(
    obj: str | bytes | os.PathLike[str] | typing.IO[Any] | Source,
    *,
    reader: str | None = None,
    name: str | None = None,
    registry: Registry | None = None,
    pages: Iterable[int] | None = None,
    limits: Limits | None = None,
    isolate: bool = False,
) -> Report:
    """Read one annual report from a path, its bytes, its text, or an open file or stream.

    ``reader`` forces an installed reader by name (see :func:`govreport.available_readers`);
    otherwise every reader that claims the input is considered, best claim first. ``pages``
    (1-based page numbers) keeps only what those pages hold, for inputs that have pages (PDF,
    scans). Raises a :class:`govreport.errors.GovReportError` subclass when the input cannot be
    read as a report; :class:`~govreport.errors.NotAReport` carries the reader's ``document``.

    ``limits`` bounds the parse (:class:`govreport.limits.Limits`: time, memory, decompression;
    :data:`~govreport.limits.DEFAULT_LIMITS` when not given); past a bound it raises a
    :class:`~govreport.errors.LimitExceeded`. ``isolate=True`` parses in a child process, so that
    a crash in native code on a hostile file is a :class:`~govreport.errors.WorkerCrashed`, not the
    caller's death (see ``docs/untrusted-input.md``).
    """
    if isolate or not guard.inside():
        report: Report = guard.guarded(parse, dict(locals()))
        return report
    source = obj if isinstance(obj, Source) else open_source(obj, name=name, limits=limits)
    registry = registry or default_registry()
    wanted = _page_set(pages)
    infos, claim_problems = _candidates(source, registry, reader)
    attempts, errors = _attempts(source, infos, wanted)
    if not attempts:
        raise errors[0]
    # scoring (which re-checks the rules) only matters when readers compete
    best = attempts[0] if len(attempts) == 1 else max(attempts, key=lambda a: a.quality)
    if not best.extraction.cells_found:
        found = best.document.grids if best.document is not None else ()
        raise NotAReport(
            f"{source.name}: not a government information-disclosure annual report "
            f"(政府信息公开工作年度报告): {describe_kind(source)} was read ({len(found)} table(s)), but none of "
            "the report's tables (主动公开政府信息情况, 收到和处理政府信息公开申请情况, "
            "政府信息公开行政复议、行政诉讼情况) was found",
            document=best.document,
        )
    notes = [*registry.problems, *claim_problems]
    # a scan's "needs OCR" from the text reader says nothing once the OCR reader has read it
    notes += [str(e) for e in errors if not isinstance(e, NeedsOCR)]
    return _report(source, best, notes)


def _candidates(source: Source, registry: Registry,
                reader: str | None) -> tuple[list[tuple[ReaderInfo, float]], list[str]]:
    """The readers to try, best claim first (the one asked for by name alone), and what went wrong
    while they claimed the input."""
    if reader is not None:
        forced = registry.get(reader)
        if forced.kinds and source.kind not in forced.kinds:
            # the reader would only report the input as damaged, which it is not
            raise UnsupportedInput(f"{source.name}: the input is {describe_kind(source)}; reader {reader!r} "
                                   f"reads {', '.join(forced.kinds)} input")
        return [(forced, 1.0)], []
    infos, claim_problems = _claimants(source, registry)
    if not infos:
        raise UnsupportedInput(
            f"{source.name}: the input is {describe_kind(source)}, which no installed reader reads "
            f"(readers: {', '.join(i.name for i in registry.readers) or 'none'})"
        )
    return infos, claim_problems


def _attempts(source: Source, infos: list[tuple[ReaderInfo, float]],
              wanted: frozenset[int] | None) -> tuple[list[_Attempt], list[GovReportError]]:
    """Each reader's reading put through the table engine, as long as the claims stay close to the
    best one that read the input; and the typed errors of those that could not."""
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
        if wanted is not None:
            doc = _only_pages(doc, wanted, source.name)
        try:
            ext = extract(doc, load_template())
        except MemoryError:  # not the reader's fault: the guard says so
            raise
        except Exception as exc:  # keep a batch alive; the message says which reader's output
            errors.append(ReaderError(f"{source.name}: the table engine failed on the output of reader "
                                      f"{info.name!r}: {type(exc).__name__}: {exc}"))
            continue
        attempts.append(_Attempt(info, ext, doc.pages, doc))
        if best_claim is None:
            best_claim = claim
    return attempts, errors


def _report(source: Source, best: _Attempt, notes: list[str]) -> Report:
    """The report of the chosen reading, checked against the format's rules; ``notes`` become the
    reader warnings among its findings."""
    ext = best.extraction
    findings = [*ext.findings, *(Finding(rule="reader", severity="warning", message=n) for n in notes)]
    tables = ext.tables
    report = Report(
        format=format_id(ext.format),
        meta=ext.meta,
        active_disclosure=tables["active_disclosure"],
        applications=tables["applications"],
        review_litigation=tables["review_litigation"],
        legacy_statistics=ext.legacy_statistics,
        sections=ext.sections,
        findings=(*check_rules(tables, undecided=undecided_cells(findings)), *findings),
        provenance=ext.provenance,
        source=source.name,
        reader=best.info.name,
        pages=best.pages,
    )
    if report.rule_breaks:
        # a doubtful digit that alone explains a break is proposed, never applied
        report = attrs.evolve(report, findings=(*report.findings, *propose_corrections(report)))
    return report


def _page_set(pages: Iterable[int] | None) -> frozenset[int] | None:
    if pages is None:
        return None
    wanted = frozenset(pages)
    if not wanted or any(not isinstance(p, int) or isinstance(p, bool) or p < 1 for p in wanted):
        raise ValueError(f"pages must be 1-based page numbers, not {sorted(pages, key=str)!r}")
    return wanted


def _only_pages(doc: Document, wanted: frozenset[int], name: str) -> Document:
    if doc.pages is None:
        raise UnsupportedInput(f"{name}: the input has no pages (only PDFs and scans do); leave out pages=")
    missing = sorted(p for p in wanted if p > doc.pages)
    if missing:
        raise UnsupportedInput(f"{name}: has {doc.pages} page(s); no page {', '.join(map(str, missing))}")
    return attrs.evolve(doc, blocks=tuple(b for b in doc.blocks if b.loc.page in wanted))


def _claimants(source: Source, registry: Registry) -> tuple[list[tuple[ReaderInfo, float]], list[str]]:
    out = []
    problems = []
    for info in registry.readers:
        if info.kinds and source.kind not in info.kinds:
            continue
        try:
            claim = float(info.reader.claim(source))
        except MemoryError:  # not the reader's fault: the guard says so
            raise
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
    except MemoryError:  # not the reader's fault: the guard says so
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
