"""Audit reports as a transparency evaluator does: text against tables, year against year, completeness.

>>> from govreport.audit import audit_report, audit_reports, read_for_audit
>>> report, document = read_for_audit("report-2019.docx")
>>> audit_report(report, document=document)          # this report's own findings
>>> result = audit_reports([r1, r2, r3])               # also pairs the same body's consecutive years
>>> result.findings_of(r3)

Every finding is an :class:`AuditFinding` — a :class:`govreport.model.Finding` with the evidence it
rests on (the sentence, the table cells, the other year's report). Rule ids: ``A-TEXT-…`` (text
against tables, one per kind of statement in ``phrases.toml``), ``R5``/``R5-IN-FORCE``/``R5-ITEMS``
(year against year) and ``C-…`` (completeness); :func:`rule_catalogue` lists them and
``docs/audit.md`` documents each. Everything is deterministic: the same reports give the same
findings in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..document import Document
from ..model import Report
from .cells import rule_break_findings
from .completeness import completeness_findings
from .findings import RULES, SEVERITIES, AuditFinding, Evidence, RuleInfo, rule_catalogue, VALIDATION_RULES
from .headings import recognise
from .series import assume_series, assumed_findings, explicit, hints, titled_year
from .phrases import Phrases, load_phrases, parse_phrases
from .prose import Claim, read_claims, report_sentences
from .text import ClaimResult, compare_claim, text_findings
from .years import Comparison, CompareRow, YearPair, body_key, compare_reports, group_bodies, load_aliases, pair_reports

__all__ = [
    "audit_report",
    "parse_and_audit",
    "audit_reports",
    "examine",
    "read_for_audit",
    "compare_reports",
    "AuditFinding",
    "Evidence",
    "AuditResult",
    "ReportAudit",
    "ClaimResult",
    "Claim",
    "Comparison",
    "CompareRow",
    "YearPair",
    "RuleInfo",
    "RULES",
    "rule_catalogue",
    "body_key",
    "group_bodies",
    "load_aliases",
    "load_phrases",
    "parse_phrases",
]

_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@attrs.frozen(kw_only=True)
class ReportAudit:
    """One report's audit: its findings (its own and, as the later year, its year-over-year ones)
    and every statement read from its prose with what comparing it gave."""

    report: Report
    findings: tuple[AuditFinding, ...]
    claims: tuple[ClaimResult, ...] = ()
    body: str | None = None
    #: how the body was assumed when the report names none (``title: 示例综合实验区``), or ``None``
    assumed: str | None = None
    #: the report as parsed, when the audit read its reporting year from a title line the parser
    #: did not take for the title (``report`` then holds that year)
    read: Report | None = None

    @property
    def name(self) -> str:
        return self.report.source or f"{self.report.meta.agency or '?'} {self.report.meta.year or '?'}"

    def by_severity(self) -> dict[str, tuple[AuditFinding, ...]]:
        return {s: tuple(f for f in self.findings if f.severity == s) for s in SEVERITIES}

    def to_dict(self, *, claims: bool = True) -> dict[str, Any]:
        r = self.report
        out: dict[str, Any] = {
            "source": r.source, "agency": r.meta.agency, "body": self.body, "assumed": self.assumed,
            "year": r.meta.year, "format": r.format,
            "counts": {s: len(v) for s, v in self.by_severity().items()},
            "findings": [f.to_dict() for f in self.findings],
        }
        if claims:
            out["statements"] = [c.to_dict() for c in self.claims]
        return out


@attrs.frozen(kw_only=True)
class AuditResult:
    """The audit of several reports: each report's findings, and the consecutive-year pairs found."""

    reports: tuple[ReportAudit, ...]
    pairs: tuple[YearPair, ...] = ()

    @property
    def findings(self) -> tuple[AuditFinding, ...]:
        return tuple(f for ra in self.reports for f in ra.findings)

    def findings_of(self, report: Report) -> tuple[AuditFinding, ...]:
        for ra in self.reports:
            if ra.report is report or ra.read is report:
                return ra.findings
        raise KeyError("report not in this audit")

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    def series(self) -> dict[str, dict[int, list[str]]]:
        """Body → year → the reports of that body and year (reports without body or year left out)."""
        out: dict[str, dict[int, list[str]]] = {}
        for ra in self.reports:
            if ra.body and ra.report.meta.year is not None:
                out.setdefault(ra.body, {}).setdefault(ra.report.meta.year, []).append(ra.name)
        return {b: dict(sorted(ys.items())) for b, ys in sorted(out.items())}

    def to_dict(self, *, claims: bool = True) -> dict[str, Any]:
        names = [ra.name for ra in self.reports]
        series = self.series()
        gaps = {b: [y for y in range(min(ys), max(ys) + 1) if y not in ys] for b, ys in series.items()}
        return {
            "schema": "govreport-audit/1",
            "counts": self.counts(),
            "reports": [ra.to_dict(claims=claims) for ra in self.reports],
            "pairs": [{"body": p.body, "old": names[p.old], "new": names[p.new],
                       "findings": len(p.findings)} for p in self.pairs],
            "bodies": {b: {str(y): v for y, v in ys.items()} for b, ys in series.items()},
            "missing_years": {b: g for b, g in gaps.items() if g},
        }


def _sorted(findings: Iterable[AuditFinding]) -> tuple[AuditFinding, ...]:
    return tuple(sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 9)))  # stable: check order kept


def examine(report: Report, *, document: Document | None = None, phrases: Phrases | None = None) -> ReportAudit:
    """One report's own checks (text against tables, completeness), its R1–R4 breaks (from
    ``report.findings``), and every statement read."""
    phrases = phrases or load_phrases()
    # sections whose heading the section reader did not know (a typo) are named again
    sections, recognised = recognise(report)
    seen = attrs.evolve(report, sections=sections) if recognised else report
    sentences = report_sentences(seen, document)
    results = [compare_claim(seen, c) for c in read_claims(seen, sentences, phrases)]
    findings = (rule_break_findings(report) + text_findings(seen, results)
                + completeness_findings(seen, sentences, phrases, document, recognised))
    return ReportAudit(report=report, findings=_sorted(findings), claims=tuple(results))


def audit_report(report: Report, *, document: Document | None = None, phrases: Phrases | None = None) -> tuple[AuditFinding, ...]:
    """The findings of one report's own checks, as :class:`govreport.model.Finding` values (each an
    :class:`AuditFinding`), ready to add to ``report.findings`` or a findings table.

    ``document`` (the reader's :class:`~govreport.document.Document`, see :func:`read_for_audit`)
    lets the checks see the text outside the numbered sections — the title and the statistics
    period before 一、总体情况 — and tell a section heading printed without a number from a missing
    section. Without it only ``report.sections`` is read.

    The report's R1–R4 breaks are left out (they are in ``report.findings`` already);
    :func:`examine` and :func:`audit_reports` list them with the audit's own.
    """
    return tuple(f for f in examine(report, document=document, phrases=phrases).findings
                 if f.rule not in VALIDATION_RULES)


def audit_reports(
    reports: Iterable[Report],
    *,
    documents: Sequence[Document | None] | None = None,
    aliases: Mapping[str, str] | None = None,
    phrases: Phrases | None = None,
    series: str | None = None,
) -> AuditResult:
    """Audit several reports: each one's own checks, and every pair of the same body's consecutive
    years (R5…), the findings of a pair going to the later report. ``documents[i]`` is the document
    of ``reports[i]`` (or ``None``); ``aliases`` maps printed body names to canonical ones
    (:func:`load_aliases`).

    A report that names no body joins the series its title, page metadata or file name agrees on
    with another report's (a ``C-SERIES-ASSUMED`` finding says so); ``series`` instead states that
    every report given is of one series of that name."""
    parsed = list(reports)
    if documents is not None and len(documents) != len(parsed):
        raise ValueError("documents must be as many as reports")
    docs = list(documents) if documents is not None else [None] * len(parsed)
    reports = [titled_year(r, d) for r, d in zip(parsed, docs)]
    audits = [examine(r, document=d, phrases=phrases) for r, d in zip(reports, docs)]
    if series is not None:
        assumed_bodies, how = explicit(reports, body_key(series, aliases) or series)
    else:
        known = group_bodies([r.meta.agency for r in reports], aliases)
        assumed_bodies, how = assume_series(reports, known, [hints(r, d) for r, d in zip(reports, docs)],
                                            lambda name: body_key(name, aliases))
    extra: dict[int, list[AuditFinding]] = {}
    for i, a in enumerate(how):
        if a is None or a.source == "--series":
            continue
        years = sorted({r.meta.year for j, r in enumerate(reports) if j != i and assumed_bodies[j] == assumed_bodies[i]
                        and r.meta.year is not None and r.meta.year != reports[i].meta.year})
        if not years:  # only the same report in other files: no other year to pair with, nothing assumed
            assumed_bodies[i], how[i] = None, None
            continue
        extra.setdefault(i, []).append(assumed_findings(reports[i], a, assumed_bodies[i] or "", years))
    bodies, pairs = pair_reports(reports, aliases, bodies=assumed_bodies)
    for p in pairs:
        extra.setdefault(p.new, []).extend(p.findings)
    out = []
    for i, (ra, body) in enumerate(zip(audits, bodies)):
        findings = _sorted([*ra.findings, *extra.get(i, [])])
        a = how[i]
        out.append(attrs.evolve(ra, findings=findings, body=body,
                                assumed=f"{a.source}: {a.name}" if a is not None and body is not None else None,
                                read=parsed[i] if parsed[i] is not reports[i] else None))
    return AuditResult(reports=tuple(out), pairs=tuple(pairs))


def read_for_audit(
    obj: str | bytes | os.PathLike[str],
    *,
    reader: str | None = None,
    name: str | None = None,
) -> tuple[Report, Document | None]:
    """Parse a document (a path, its bytes or its text, as :func:`govreport.parse` takes) and keep
    the reader's :class:`Document` for the audit's text checks.

    A path ending in ``.json`` is read as ``govreport/1`` JSON (no document). Raises what
    :func:`govreport.parse` raises.
    """
    from ..jsonio import loads
    from ..pipeline import parse
    from ..registry import default_registry
    from ..source import open_source

    if isinstance(obj, os.PathLike) or (isinstance(obj, str) and "\n" not in obj and obj.lower().endswith(".json")):
        p = os.fspath(obj)
        if p.lower().endswith(".json"):
            with open(p, "rb") as fh:
                return loads(fh.read()), None
    source = open_source(obj, name=name)
    report = parse(source, reader=reader)
    document: Document | None = None
    try:
        info = default_registry().get(report.reader or "")
        doc = info.reader.read(source)
        document = doc if isinstance(doc, Document) else None
    except Exception:  # the report was read; without its document only the sections are checked
        document = None
    return report, document


def parse_and_audit(path: str | os.PathLike[str], *, reader: str | None = None) -> Report:
    """:func:`govreport.parse` with the audit's own checks added to ``report.findings``.

    Made to be a batch's parser: ``govreport.batch.extract(paths, parser="govreport.audit:parse_and_audit")``
    puts the A-TEXT-… and C-… findings into the findings table beside R1–R4. The year-over-year
    rules need the other years: run :func:`audit_reports` on the batch's reports for them.
    """
    report, document = read_for_audit(path, reader=reader)
    return attrs.evolve(report, findings=(*report.findings, *audit_report(report, document=document)))
