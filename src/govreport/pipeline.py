"""One call from input to report: sniff the input, pick a reader, run the engine, check the rules."""

from __future__ import annotations

import os

import attrs

from .document import Document
from .engine import Extraction, extract
from .errors import GovReportError, NotAReport, ReaderError, UnsupportedInput
from .model import Finding, Report
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
    if reader is not None:
        infos = [(registry.get(reader), 1.0)]
    else:
        infos = _claimants(source, registry)
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
        ext = extract(doc, load_template())
        attempts.append(_Attempt(info, ext))
        if best_claim is None:
            best_claim = claim
    if not attempts:
        raise errors[0]
    best = max(attempts, key=lambda a: a.quality)
    ext = best.extraction
    if not ext.cells_found:
        raise NotAReport(f"{source.name}: read as {source.kind} by reader {best.info.name!r}, "
                         "but no table of an annual disclosure report was found")
    findings = list(ext.findings)
    findings += [Finding(rule="reader", severity="warning", message=p) for p in registry.problems]
    findings += [Finding(rule="reader", severity="warning", message=str(e)) for e in errors]
    tables = ext.tables
    return Report(
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
    )


def _claimants(source: Source, registry: Registry) -> list[tuple[ReaderInfo, float]]:
    out = []
    for info in registry.readers:
        if info.kinds and source.kind not in info.kinds:
            continue
        try:
            claim = float(info.reader.claim(source))
        except Exception:  # a plugin's broken claim() must not stop the others
            continue
        if claim > 0:
            out.append((info, claim))
    out.sort(key=lambda x: -x[1])
    return out


def _read(info: ReaderInfo, source: Source) -> Document:
    try:
        doc = info.reader.read(source)
    except GovReportError:
        raise
    except Exception as exc:  # a reader's bug becomes a typed error, never a stray traceback
        raise ReaderError(f"{source.name}: reader {info.name!r} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(doc, Document):
        raise ReaderError(f"{source.name}: reader {info.name!r} returned {type(doc).__name__}, not a Document")
    return doc
