"""What an audit finds: :class:`AuditFinding` (a :class:`govreport.model.Finding` with evidence) and
the catalogue of every rule id the audit uses."""

from __future__ import annotations

from typing import Any

import attrs

from ..model import Finding, Severity

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@attrs.frozen(kw_only=True)
class Evidence:
    """One place a finding rests on.

    ``kind`` is ``"text"`` (a sentence: ``where`` names the section and sentence, ``quote`` is the
    sentence as printed), ``"table"`` (a cell: ``where`` names the table, row and column, ``cell``
    its ``table/row/column`` id, ``quote`` the raw printed text) or ``"meta"`` (the title, signature,
    or a fact about the report). ``report`` is the source of the report the place is in.
    """

    kind: str
    where: str
    value: Any = None
    quote: str | None = None
    cell: str | None = None
    report: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "value": _jsonable(self.value), "quote": self.quote,
                "cell": self.cell, "report": self.report}


@attrs.frozen(kw_only=True)
class AuditFinding(Finding):
    """A :class:`~govreport.model.Finding` of the audit, with the evidence it rests on.

    It is a ``Finding`` (same fields, same meaning), so it can go wherever findings go; ``expected``
    is what the reference (usually the table) says and ``found`` what was found against it.
    """

    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "severity": self.severity, "message": self.message, "cells": list(self.cells),
            "expected": _jsonable(self.expected), "found": _jsonable(self.found), "proposal": self.proposal,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def _jsonable(v: Any) -> Any:
    from decimal import Decimal

    from ..model import Money

    if isinstance(v, Money):
        return {"value": v.value, "unit": v.unit}
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


@attrs.frozen(kw_only=True)
class RuleInfo:
    id: str
    severity: Severity
    title: str


#: Every rule id of the audit other than the A-TEXT-… ids, which come from ``phrases.toml``
#: (one per kind of statement; see :func:`rule_catalogue`). docs/audit.md documents each.
RULES: tuple[RuleInfo, ...] = (
    RuleInfo(id="R1", severity="error", title="新收 + 上年结转 = 办理结果总计 + 结转下年度 (the report's own table, as read)"),
    RuleInfo(id="R2", severity="error", title="办理结果总计 = the sum of the outcomes (the report's own table, as read)"),
    RuleInfo(id="R3", severity="error", title="总计 = the sum of the applicant columns (the report's own table, as read)"),
    RuleInfo(id="R4", severity="error", title="review and litigation totals = the sum of their outcomes (as read)"),
    RuleInfo(id="R5", severity="error",
             title="last year's 结转下年度继续办理 equals this year's 上年结转, column by column"),
    RuleInfo(id="R5-IN-FORCE", severity="warning",
             title="format 2021: 现行有效件数(N) = 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N)"),
    RuleInfo(id="R5-ITEMS", severity="warning",
             title="format 2019: 上一年项目数量(N) = 上一年项目数量(N−1) + 本年增/减(N−1)"),
    RuleInfo(id="C-SECTION-MISSING", severity="error", title="one of the six sections of the national format is missing"),
    RuleInfo(id="C-SECTION-HEADING", severity="info",
             title="a section's heading is printed unlike the national one (a typo): the section is there"),
    RuleInfo(id="C-TABLE-MISSING", severity="error", title="one of the three tables of the national format is missing"),
    RuleInfo(id="C-TABLE-UNREAD", severity="warning", title="a table is printed but its values could not be read"),
    RuleInfo(id="C-TABLE-BLANK", severity="warning", title="a table is printed with every cell blank"),
    RuleInfo(id="C-PROBLEMS-EMPTY", severity="error", title="section 五 (problems and improvements) is empty or says only 无"),
    RuleInfo(id="C-PROBLEMS-NO-PLAN", severity="warning", title="section 五 states problems but no improvement"),
    RuleInfo(id="C-FEE", severity="error", title="the report says no fee was charged, and states a fee charged"),
    RuleInfo(id="C-FEE-NOTICE", severity="warning",
             title="the report says no fee was levied, and the table closes applications for an unpaid fee notice"),
    RuleInfo(id="C-YEAR-PERIOD", severity="error", title="the statistics period is not the reporting year of the title"),
    RuleInfo(id="C-YEAR-PROSE", severity="warning", title="the prose never names the reporting year but names an earlier one"),
    RuleInfo(id="C-YEAR-MISSING", severity="warning", title="the report states no reporting year"),
    RuleInfo(id="C-AGENCY-MISSING", severity="warning", title="the report does not name its issuing body"),
    RuleInfo(id="C-SERIES-ASSUMED", severity="info",
             title="the report names no body; its title, page metadata or file name put it in a series with other reports"),
    RuleInfo(id="C-DATE-EARLY", severity="warning", title="the report is dated before its reporting year ended"),
    RuleInfo(id="C-DATE-LATE", severity="info", title="the report is dated after the statutory publication deadline"),
    RuleInfo(id="C-FORMAT-OUTDATED", severity="info", title="a report for 2021 or later uses the 2019 trial format"),
)


def rule_catalogue() -> dict[str, RuleInfo]:
    """Every rule id the audit can report: the fixed ones and one A-TEXT-… id per statement kind."""
    from .phrases import load_phrases

    out = {r.id: r for r in RULES}
    phrases = load_phrases()
    if phrases.combined is not None:
        out[phrases.combined.id] = RuleInfo(id=phrases.combined.id, severity="error",
                                            title=f"the prose states {phrases.combined.meaning}, other than the tables")
    for spec in phrases.claims:
        if spec.compare:
            out[spec.id] = RuleInfo(id=spec.id, severity=spec.severity,
                                    title=f"the prose states {spec.meaning} other than the table")
    return out


#: the format's own rules, checked when the report is read (:mod:`govreport.validation`)
VALIDATION_RULES = ("R1", "R2", "R3", "R4")
