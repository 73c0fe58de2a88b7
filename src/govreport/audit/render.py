"""Printing audits and comparisons: terminal text, JSON and Markdown."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..model import Money, Scalar
from . import AuditResult, ReportAudit
from .cells import TABLE_NAMES
from .findings import SEVERITIES, AuditFinding
from .years import CompareRow, Comparison, select_rows

_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


# ------------------------------------------------------------------------------------------ width


def width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit(text: str, cols: int) -> str:
    if width(text) <= cols:
        return text
    out, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > cols - 1:
            break
        out += ch
        w += cw
    return out + "…"


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(0, cols - width(text))
    return gap + text if right else text + gap


# ------------------------------------------------------------------------------------------ audit


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def _header(ra: ReportAudit) -> str:
    r = ra.report
    return f"{ra.name} — {r.meta.agency or '(body not named)'}, {r.meta.year or '(year unknown)'}, format {r.format}"


def audit_text(result: AuditResult, *, min_severity: str = "info", verbose: bool = False,
               statements: bool = False, wrap: int = 100) -> str:
    """The audit grouped by report, then severity, as terminal text."""
    keep = _RANK[min_severity]
    lines: list[str] = []
    counts = result.counts()
    lines.append(f"govreport audit: {_plural(len(result.reports), 'report')}; "
                 + ", ".join(_plural(counts[s], s) for s in SEVERITIES if _RANK[s] <= keep))
    clean: list[str] = []
    for ra in result.reports:
        shown = [f for f in ra.findings if _RANK.get(f.severity, 9) <= keep]
        if not shown and not statements:
            clean.append(ra.name)
            continue
        lines.append("")
        lines.append(_header(ra))
        for sev in SEVERITIES:
            group = [f for f in shown if f.severity == sev]
            if not group:
                continue
            lines.append(f"  {sev.upper()} ({len(group)})")
            for f in group:
                lines += _finding_lines(f, verbose=verbose, wrap=wrap)
        if statements:
            lines.append("  statements read from the prose:" if ra.claims else "  no statement read from the prose")
            for c in ra.claims:
                extra = f" (table: {_cell_text(c.table_value)})" if c.table_value is not None else ""
                why = f" — {c.reason}" if c.reason and c.status != "agrees" else ""
                if c.claim.uncertain and c.status in ("agrees", "disagrees"):
                    why += f" — at most a warning: {c.claim.uncertain}"
                lines.append(f"    [{c.status}] {c.claim.spec.id} {c.claim.printed or c.claim.matched}{extra}: "
                             f"“{c.claim.matched}” ({c.claim.sentence.where}){why}")
    if clean:
        lines.append("")
        lines.append(f"no finding{'' if keep == 2 else ' at ' + min_severity + ' or above'}: " + ", ".join(clean))
    lines += _series_lines(result)
    return "\n".join(lines) + "\n"


def wrap_width(text: str, cols: int) -> list[str]:
    """``text`` in lines of at most ``cols`` terminal columns, broken at spaces where there are
    any and anywhere in a run of CJK text."""
    lines: list[str] = []
    line, w = "", 0
    for word in re.findall(r"\S+\s*", text):
        ww = width(word.rstrip())
        if line and w + ww > cols:
            # a long CJK run is split where the line is full, not moved whole to the next line
            if ww != len(word.rstrip()) and cols - w >= 8:  # CJK text: fill the line
                room = cols - w
                head = fit_exact(word, room)
                line += head
                lines.append(line.rstrip())
                word = word[len(head):].lstrip()
                line, w = "", 0
            else:
                lines.append(line.rstrip())
                line, w = "", 0
        while width(word.rstrip()) > cols:
            head = fit_exact(word, cols)
            lines.append(head)
            word = word[len(head):].lstrip()
        line += word
        w = width(line)
    if line.strip():
        lines.append(line.rstrip())
    return lines


_NO_LINE_START = set(",.;:!?)]}、。，；：！？）》”’")


def fit_exact(text: str, cols: int) -> str:
    """The longest start of ``text`` that takes at most ``cols`` columns (a closing mark that would
    start the next line stays on this one)."""
    out, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > cols:
            break
        out += ch
        w += cw
    while len(out) < len(text) and text[len(out)] in _NO_LINE_START:
        out += text[len(out)]
    return out


def _finding_lines(f: AuditFinding, *, verbose: bool, wrap: int) -> list[str]:
    body = wrap_width(f.message, max(40, wrap - 6 - len(f.rule)))
    out = [f"    {f.rule}: {body[0] if body else ''}"]
    out += [f"      {line}" for line in body[1:]]
    if verbose:
        for e in f.evidence:
            quote = f" “{e.quote}”" if e.quote else ""
            value = f" = {_cell_text(e.value)}" if e.value is not None or e.kind == "table" else ""
            src = f" [{e.report}]" if e.report else ""
            out.append(f"      · {e.kind}: {e.where}{value}{quote}{src}")
    return out


def _series_lines(result: AuditResult) -> list[str]:
    lines: list[str] = []
    names = [ra.name for ra in result.reports]
    series = result.series()
    multi = {b: ys for b, ys in series.items() if len(ys) > 1}
    if result.pairs:
        lines += ["", "consecutive years compared (R5…):"]
        for p in result.pairs:
            old, new = result.reports[p.old].report, result.reports[p.new].report
            why = [how for how in (result.reports[i].assumed for i in (p.old, p.new)) if how]
            assumed = f" (series assumed by {'; '.join(dict.fromkeys(why))})" if why else ""
            lines.append(f"  {p.body} {old.meta.year}→{new.meta.year}: {names[p.old]} → {names[p.new]}: "
                         f"{_plural(len(p.findings), 'finding')}{assumed}")
    gaps = {b: [y for y in range(min(ys), max(ys) + 1) if y not in ys] for b, ys in multi.items()}
    gaps = {b: g for b, g in gaps.items() if g}
    if gaps:
        lines += ["", "years missing between a body's reports (not compared across the gap):"]
        lines += [f"  {b}: {', '.join(map(str, g))}" for b, g in gaps.items()]
    unpaired = [ra.name for ra in result.reports if not ra.body or ra.report.meta.year is None]
    if unpaired:
        lines += ["", "not matched to other years (body or year unknown; name the series with --series or an "
                      "alias file): " + ", ".join(unpaired)]
    return lines


def audit_json(result: AuditResult, *, statements: bool = True, min_severity: str = "info") -> str:
    data = result.to_dict(claims=statements)
    keep = _RANK[min_severity]
    for rep in data["reports"]:
        rep["findings"] = [f for f in rep["findings"] if _RANK.get(f["severity"], 9) <= keep]
    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------------------------------ compare


def _cell_text(v: Any) -> str:
    if v is None:
        return "blank"
    if isinstance(v, Money):
        return f"{v.value}{v.unit or ''}"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)


def _side(r: CompareRow, v: Scalar, present: bool) -> str:
    return _cell_text(v) if present else "—"


def _change(r: CompareRow) -> str:
    if r.change is None:
        return "—"
    c = r.change
    sign = "+" if c > 0 else ""
    text = format(Decimal(c).normalize(), "f") if isinstance(c, Decimal) else str(c)
    return f"{sign}{text}{r.unit or ''}"


def _pct(r: CompareRow) -> str:
    if r.pct is None:
        if r.change is not None and r.change != 0:
            return "new"  # from 0 (or blank) to something
        return "—" if r.change is None else "0%"
    p = r.pct.quantize(Decimal("0.1"))
    sign = "+" if p > 0 else ""
    return f"{sign}{p}%"


def _row_name(r: CompareRow, keys: bool) -> str:
    if keys:
        return f"{r.row}/{r.column}" if r.column else r.row
    return r.label


def _title(c: Comparison) -> list[str]:
    def one(r: Any) -> str:
        return f"{r.source} ({r.meta.agency or 'body not named'}, {r.meta.year or 'year unknown'}, format {r.format})"

    lines = [f"old: {one(c.old)}", f"new: {one(c.new)}"]
    if not c.same_body and c.old.meta.agency and c.new.meta.agency:
        lines.append("note: the two reports do not name the same body; the year-over-year rules (R5…) were not "
                     "checked (an --aliases file can say they are the same)")
    elif not c.same_body:
        lines.append("note: a report does not name its body; taken to be the same body")
    if not c.consecutive:
        lines.append("note: the reports are not of consecutive years; the year-over-year rules (R5…) were not checked")
    return lines


def compare_text(c: Comparison, *, changed_only: bool = False, nonzero: bool = True, keys: bool = False,
                 label_width: int = 44) -> str:
    rows = select_rows(c.rows, changed_only=changed_only, nonzero=nonzero)
    lines = _title(c)
    y0, y1 = str(c.old.meta.year or "old"), str(c.new.meta.year or "new")
    head = ["cell", y0, y1, "change", "% change"]
    by_table: dict[str, list[CompareRow]] = {}
    for r in rows:
        by_table.setdefault(r.table, []).append(r)
    cells = [[fit(_row_name(r, keys), label_width), _side(r, r.old, r.in_old), _side(r, r.new, r.in_new),
              _change(r), _pct(r)] for r in rows]
    widths = [max([width(head[i])] + [width(x[i]) for x in cells]) for i in range(5)]
    sep = "  "
    i = 0
    for table, group in by_table.items():
        lines += ["", f"{TABLE_NAMES.get(table, table)} ({table})"]
        lines.append(sep.join(pad(h, widths[k], right=k > 0) for k, h in enumerate(head)))
        lines.append(sep.join("-" * widths[k] for k in range(5)))
        for _ in group:
            lines.append(sep.join(pad(x, widths[k], right=k > 0) for k, x in enumerate(cells[i])))
            i += 1
    if not rows:
        lines += ["", "no cell to show" + (" (every cell is 0 or blank in both years; --all shows them)" if nonzero else "")]
    hidden = len(c.rows) - len(rows)
    if hidden:
        lines.append("")
        lines.append(f"({hidden} cell(s) not shown: " + ("unchanged or " if changed_only else "") +
                     "0 or blank in both years; --all shows every cell)")
    lines += _compare_findings(c)
    return "\n".join(lines) + "\n"


def _compare_findings(c: Comparison) -> list[str]:
    if not c.checked:
        return []
    if not c.findings:
        return ["", f"year-over-year checks (R5…): {c.new.meta.year} continues {c.old.meta.year}, no finding"]
    out = ["", "year-over-year checks (R5…):"]
    for f in c.findings:
        out.append(f"  {f.severity.upper()} {f.rule}: {f.message}")
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def compare_markdown(c: Comparison, *, changed_only: bool = False, nonzero: bool = True) -> str:
    rows = select_rows(c.rows, changed_only=changed_only, nonzero=nonzero)
    y0, y1 = str(c.old.meta.year or "old"), str(c.new.meta.year or "new")
    lines = [f"# Year over year: {c.new.meta.agency or c.old.meta.agency or ''} {y0} → {y1}".rstrip(), ""]
    lines += [f"- {line}" for line in _title(c)]
    by_table: dict[str, list[CompareRow]] = {}
    for r in rows:
        by_table.setdefault(r.table, []).append(r)
    for table, group in by_table.items():
        lines += ["", f"## {TABLE_NAMES.get(table, table)} (`{table}`)", "",
                  f"| cell | key | {y0} | {y1} | change | % change |", "|---|---|---:|---:|---:|---:|"]
        for r in group:
            lines.append(f"| {_md(_row_name(r, False))} | `{r.cell}` | {_md(_side(r, r.old, r.in_old))} | "
                         f"{_md(_side(r, r.new, r.in_new))} | {_md(_change(r))} | {_md(_pct(r))} |")
    hidden = len(c.rows) - len(rows)
    if hidden:
        lines += ["", f"{hidden} cell(s) not shown (0 or blank in both years" + (", or unchanged" if changed_only else "") + ")."]
    if c.checked:
        lines += ["", "## Year-over-year checks", ""]
        if not c.findings:
            lines.append(f"No finding: the {y1} report continues the {y0} report (R5, R5-IN-FORCE, R5-ITEMS).")
        for f in c.findings:
            lines.append(f"- **{f.severity}** `{f.rule}`: {_md(f.message)}")
    return "\n".join(lines) + "\n"


def compare_json(c: Comparison, *, changed_only: bool = False, nonzero: bool = False) -> str:
    return json.dumps(c.to_dict(changed_only=changed_only, nonzero=nonzero), ensure_ascii=False, indent=2)


def dump_findings(findings: Sequence[AuditFinding]) -> list[dict[str, Any]]:
    return [f.to_dict() for f in findings]
