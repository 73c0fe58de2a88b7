"""Completeness: the sections and tables the national format requires, section 五's content, fees,
and the reporting year against the statistics period, the prose and the date (rule ids C-…)."""

from __future__ import annotations

import datetime
import re

from ..document import Document
from ..labels import label_key
from ..model import TABLES, Report
from ..template import load_template
from . import cells as C
from .findings import AuditFinding, Evidence
from .headings import SECTION_TITLES, Recognised, printed_heading
from .phrases import Phrases
from .prose import Sentence, fee_statements, not_levied_statements, statistics_period

# labels that only a printed table holds: seen in the document, the table is there but unread
_TABLE_MARKS = {
    "active_disclosure": ("第二十条第一项", "本年新制作数量", "本年制发件数", "上一年项目数量", "本年处理决定数量"),
    "applications": ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "结转下年度继续办理"),
    "review_litigation": ("未经复议直接起诉", "复议后起诉"),
}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_ONLY = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
#: the 2019 条例 (art. 50): by 31 January; before it, by 31 March
_NEW_DEADLINE_FROM = 2019


def national_structure(report: Report) -> bool:
    """Whether the report falls under the national format of 2019 (six sections, three tables)."""
    if report.format in ("2019", "2021"):
        return True
    return report.meta.year is not None and report.meta.year >= 2019


def completeness_findings(
    report: Report,
    sentences: list[Sentence],
    phrases: Phrases,
    document: Document | None = None,
    recognised: tuple[Recognised, ...] = (),
) -> list[AuditFinding]:
    """``report.sections`` are the sections as the audit sees them (:func:`headings.recognise`);
    ``recognised`` the ones it named by a heading printed unlike the national one."""
    out: list[AuditFinding] = []
    if national_structure(report):
        # a report without any section and without its document (tables-only JSON, a gold file)
        # says nothing about its sections: they are not checked rather than all reported missing
        if report.sections or document is not None:
            out += _sections(report, document, recognised)
        out += _tables(report, document)
    out += _problems(report, phrases)
    out += _fees(report, sentences, phrases)
    out += _years(report, sentences, phrases)
    out += _meta(report)
    return out


# ----------------------------------------------------------------------------------- sections, tables


def _sections(report: Report, document: Document | None, recognised: tuple[Recognised, ...] = ()) -> list[AuditFinding]:
    present = {s.key for s in report.sections}
    # a heading printed without its number is not worth a finding; one printed with a typo is
    out = [_as_printed(report, r.key, r.printed) for r in recognised if r.distance > 0]
    for key, title in SECTION_TITLES.items():
        if key in present:
            continue
        if document is not None and _heading_printed(document, key):
            continue  # printed as a heading the section reader did not number; not missing
        near = printed_heading((p.text for p in document.paragraphs), key) if document is not None else None
        if near is not None:  # printed unnumbered, and with a typo
            if near[1] > 0:
                out.append(_as_printed(report, key, near[0]))
            continue
        found = ", ".join(f"{s.number or ''}、{s.title}" for s in report.sections) or "none"
        out.append(AuditFinding(
            rule="C-SECTION-MISSING", severity="error",
            message=f"section {title} is missing (sections found: {found})",
            expected=title, found=None,
            evidence=(Evidence(kind="meta", where="sections", value=[s.title for s in report.sections],
                               report=report.source),),
        ))
    return out


def _as_printed(report: Report, key: str, printed: str) -> AuditFinding:
    title = SECTION_TITLES[key]
    return AuditFinding(
        rule="C-SECTION-HEADING", severity="info",
        message=f"section {title} is printed with the heading “{printed}”",
        expected=title, found=printed,
        evidence=(Evidence(kind="meta", where="section heading", value=printed, quote=printed, report=report.source),),
    )


def _heading_printed(document: Document, key: str) -> bool:
    phrases = dict(load_template().sections).get(key, ())
    for p in document.paragraphs:
        k = label_key(p.text)
        if 0 < len(k) <= 30 and any(ph in k for ph in phrases):
            return True
    return False


def _tables(report: Report, document: Document | None) -> list[AuditFinding]:
    out = []
    text = label_key(document.text()) if document is not None else ""
    for t in TABLES:
        table = getattr(report, t)
        name = C.TABLE_NAMES[t]
        if not table:
            if text and any(m in text for m in _TABLE_MARKS[t]):
                out.append(AuditFinding(
                    rule="C-TABLE-UNREAD", severity="warning",
                    message=f"table {name} is printed in the document but its values could not be read",
                    evidence=(Evidence(kind="meta", where=f"table {name}", report=report.source),),
                ))
                continue
            extra = " (the report has the pre-2019 统计表 instead)" if report.legacy_statistics else ""
            out.append(AuditFinding(
                rule="C-TABLE-MISSING", severity="error",
                message=f"table {name} is missing{extra}",
                expected=name, found=None,
                evidence=(Evidence(kind="meta", where=f"table {name}", report=report.source),),
            ))
            continue
        values = [v for cols in table.values() for v in cols.values()]
        read = [k for k in report.provenance if k.startswith(t + "/")]
        if values and all(v is None for v in values) and (read or not report.provenance):
            out.append(AuditFinding(
                rule="C-TABLE-BLANK", severity="warning",
                message=f"table {name} is printed with every cell blank ({len(values)} cells)",
                cells=tuple(sorted(read)),
                evidence=(Evidence(kind="meta", where=f"table {name}", value=None, report=report.source),),
            ))
    return out


# ----------------------------------------------------------------------------------- section 五


def _problems(report: Report, phrases: Phrases) -> list[AuditFinding]:
    sec = next((s for s in report.sections if s.key == "problems"), None)
    if sec is None:
        return []
    title = f"{sec.number or ''}、{sec.title}"
    bare = label_key(sec.text)
    if phrases.problems_empty.match(bare):
        said = sec.text.strip() or "(nothing)"
        return [AuditFinding(
            rule="C-PROBLEMS-EMPTY", severity="error",
            message=f"section {title} states no problem and no improvement; it says: “{said}”",
            found=sec.text.strip(),
            evidence=(Evidence(kind="text", where=f"section {title}", quote=sec.text.strip(), report=report.source),),
        )]
    if not phrases.problems_plan.search(sec.text):
        return [AuditFinding(
            rule="C-PROBLEMS-NO-PLAN", severity="warning",
            message=f"section {title} names no improvement (none of: {phrases.problems_plan.pattern}); "
                    f"it says: “{sec.text.strip()[:200]}”",
            evidence=(Evidence(kind="text", where=f"section {title}", quote=sec.text.strip(), report=report.source),),
        )]
    return []


# ----------------------------------------------------------------------------------- fees


_NO_FEE_ROW = "applications/other.no_fee/total"


def _fees(report: Report, sentences: list[Sentence], phrases: Phrases) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    unpaid = (report.applications.get("other.no_fee") or {}).get("total")
    if isinstance(unpaid, int) and unpaid > 0 and C.was_read(report, _NO_FEE_ROW):
        levied = not_levied_statements(sentences, phrases)
        if levied:
            s = levied[0].sentence
            out.append(AuditFinding(
                rule="C-FEE-NOTICE", severity="warning",
                message=(f"the report says no fee was levied ({s.where}: “{s.text}”) but {unpaid} application(s) were "
                         f"closed because the applicant did not pay the fee notice ({C.where(report, _NO_FEE_ROW)})"),
                cells=(_NO_FEE_ROW,), expected=0, found=unpaid,
                evidence=(Evidence(kind="text", where=s.where, quote=s.text, value=0, report=report.source),
                          C.evidence(report, _NO_FEE_ROW)),
            ))
    none, charged = fee_statements(sentences, phrases)
    if not none or not charged:
        return out
    n, c = none[0], charged[0]
    return out + [AuditFinding(
        rule="C-FEE", severity="error",
        message=(f"the report says no information-processing fee was charged ({n.sentence.where}: “{n.sentence.text}”) "
                 f"but states a fee of {c.printed} ({c.sentence.where}: “{c.sentence.text}”)"),
        expected=0, found=c.printed,
        evidence=(Evidence(kind="text", where=n.sentence.where, quote=n.sentence.text, value=0, report=report.source),
                  Evidence(kind="text", where=c.sentence.where, quote=c.sentence.text, value=c.printed,
                           report=report.source)),
    )]


# ----------------------------------------------------------------------------------- years, dates


def _years(report: Report, sentences: list[Sentence], phrases: Phrases) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    year = report.meta.year
    if year is None:
        out.append(AuditFinding(
            rule="C-YEAR-MISSING", severity="warning",
            message="the report states no reporting year (no year in its title, no statistics period)",
            evidence=(Evidence(kind="meta", where="title", report=report.source),),
        ))
        return out
    period = statistics_period(sentences, phrases)
    if period is not None and (period.start != year or (period.end is not None and period.end != year)):
        span = f"{period.start}" + (f"–{period.end}" if period.end is not None and period.end != period.start else "")
        out.append(AuditFinding(
            rule="C-YEAR-PERIOD", severity="error",
            message=(f"the reporting year is {year} (title) but the statistics period is {span}: "
                     f"{period.sentence.where}: “{period.sentence.text}”"),
            expected=year, found=period.start if period.end in (None, period.start) else [period.start, period.end],
            evidence=(Evidence(kind="meta", where="title", value=year, report=report.source),
                      Evidence(kind="text", where=period.sentence.where, quote=period.sentence.text,
                               value=period.start, report=report.source)),
        ))
    # prose copied from another year's report: the reporting year never named, an earlier one is
    prose = [s for s in sentences if s.section_title is not None and not _DATE_ONLY.match(s.text)]
    named = {int(y) for s in prose for y in _YEAR.findall(s.norm)}
    earlier = sorted(y for y in named if y < year)
    if prose and named and year not in named and earlier:
        first = next(s for s in prose if any(int(y) in earlier for y in _YEAR.findall(s.norm)))
        out.append(AuditFinding(
            rule="C-YEAR-PROSE", severity="warning",
            message=(f"the report is for {year} but its prose never names {year}; it names "
                     f"{', '.join(map(str, earlier))} (first: {first.where}: “{first.text}”)"),
            expected=year, found=earlier,
            evidence=(Evidence(kind="meta", where="title", value=year, report=report.source),
                      Evidence(kind="text", where=first.where, quote=first.text, value=earlier[0], report=report.source)),
        ))
    return out


def _meta(report: Report) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    m = report.meta
    if not m.agency:
        out.append(AuditFinding(
            rule="C-AGENCY-MISSING", severity="warning",
            message="the report does not name its issuing body (no title naming it, no signature); "
                    "it is matched with the body's other years only where its title, page metadata or file name "
                    "agrees with theirs, or by --series",
            evidence=(Evidence(kind="meta", where="title and signature", report=report.source),),
        ))
    if m.year is not None and m.published is not None:
        if m.published <= datetime.date(m.year, 12, 31):
            out.append(AuditFinding(
                rule="C-DATE-EARLY", severity="warning",
                message=f"the report for {m.year} is dated {m.published.isoformat()}, before the year ended",
                expected=f"after {m.year}-12-31", found=m.published.isoformat(),
                evidence=(Evidence(kind="meta", where="signature date", value=m.published.isoformat(), report=report.source),),
            ))
        else:
            deadline = datetime.date(m.year + 1, 1, 31) if m.year >= _NEW_DEADLINE_FROM else datetime.date(m.year + 1, 3, 31)
            if m.published > deadline:
                out.append(AuditFinding(
                    rule="C-DATE-LATE", severity="info",
                    message=(f"the report for {m.year} is dated {m.published.isoformat()}, after the deadline "
                             f"{deadline.isoformat()} (政府信息公开条例)"),
                    expected=f"by {deadline.isoformat()}", found=m.published.isoformat(),
                    evidence=(Evidence(kind="meta", where="signature date", value=m.published.isoformat(),
                                       report=report.source),),
                ))
    if m.year is not None and m.year >= 2021 and report.format == "2019":
        out.append(AuditFinding(
            rule="C-FORMAT-OUTDATED", severity="info",
            message=f"the report for {m.year} uses the 2019 trial format; reports from 2021 on use 国办公开办函〔2021〕30号",
            expected="2021", found="2019",
            evidence=(Evidence(kind="meta", where="tables", value=report.format, report=report.source),),
        ))
    return out
