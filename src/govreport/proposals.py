"""Proposed corrections: rule breaks that one doubtful digit explains.

A scanned report read with OCR sometimes breaks a consistency rule (R1–R4, FORMAT.md §8) because
one digit was misread: a 3 read as 8, a 0 as 6. When the cell holding that digit was read with low
confidence and changing that single digit makes the broken rules hold again, without breaking any
other, the change is offered as a :class:`~govreport.model.Finding` with ``proposal=True``. So is
a count left blank for a fraction whose digits are grouped by threes (``276.976``: a thousands
separator read as a full stop) when, taken whole, it makes the rules it broke hold. The value in
the report stays as it was read: FORMAT.md §8 wants breaks reported, never corrected.

Run after validation, on a finished report::

    report = govreport.parse("scan.pdf")
    for f in propose_corrections(report):
        print(f.message)          # applications/granted/total: read 18 (OCR confidence 0.62) ...
        f.cells, f.found, f.expected   # the cell, the value read, the value proposed
"""

from __future__ import annotations

import re

from .model import Finding, Provenance, Report, Scalar, cell_id
from .template import Template, load_template
from .validation import check_rules
from .values import parse_value

__all__ = ["propose_corrections", "DOUBTFUL"]

#: Values read with a confidence below this are candidates for a correction.
DOUBTFUL = 0.9


def propose_corrections(report: Report, *, doubtful: float = DOUBTFUL,
                        template: Template | None = None) -> tuple[Finding, ...]:
    """Corrections of single doubtful digits that would make the report's broken rules hold.

    A cell is a candidate when its value is a count, it took part in a broken rule, and its
    provenance confidence is below ``doubtful``. Its correction is the value that balances the
    broken equation; it is proposed when it differs from the value read in exactly one digit (same
    number of digits), and, with it, every rule break involving that cell is gone and no new one
    appears. Several candidates for the same break are all proposed (each message says how many
    there are); each finding names one cell, with ``found`` the value read and ``expected`` the
    value proposed. A blank cell is a candidate when it was left blank as a count with a fraction
    and its printed digits are grouped by threes (``found`` is then ``None``; see
    :func:`_grouped_count`); whatever its confidence, the full stop being the doubt.
    """
    template = template or load_template()
    tables = _tables(report)
    breaks = check_rules(tables, template)
    if not breaks:
        return ()
    before = {_key(f) for f in breaks}
    rules = {r.id: r for r in template.rules}
    candidates: dict[tuple[str, str, str], tuple[int, set]] = {}
    for f in breaks:
        rule = rules.get(f.rule)
        if rule is None or not isinstance(f.expected, int) or not isinstance(f.found, int):
            continue
        for cid in f.cells:
            where = _split(cid)
            if where is None:
                continue
            t, r, c = where
            value = tables.get(t, {}).get(r, {}).get(c)
            if value is None:
                grouped = _grouped_count(report.provenance.get(cid))
                if grouped is not None and candidates.setdefault((t, r, c), (grouped, set()))[0] == grouped:
                    candidates[(t, r, c)][1].add(_key(f))
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            prov = report.provenance.get(cid)
            if prov is None or prov.confidence >= doubtful:
                continue
            # expected is the left side's sum, found the right side's
            left = _on_left(rule.lhs, r if rule.over == "columns" else c)
            new = value + (f.found - f.expected) if left else value + (f.expected - f.found)
            if new < 0 or not _one_digit_apart(value, new):
                continue
            candidates.setdefault((t, r, c), (new, set()))
            if candidates[(t, r, c)][0] == new:
                candidates[(t, r, c)][1].add(_key(f))
    out: list[tuple[float, Finding]] = []
    accepted: list[tuple[tuple[str, str, str], int, set]] = []
    for (t, r, c), (new, _) in candidates.items():
        trial = {name: {row: dict(cols) for row, cols in tbl.items()} for name, tbl in tables.items()}
        trial[t][r][c] = new
        after = {_key(f) for f in check_rules(trial, template)}
        cid = cell_id(t, r, c)
        mine = {k for k in before if cid in k[1]}
        if after - before or mine & after:
            continue  # leaves a break of this cell, or makes a new one
        accepted.append(((t, r, c), new, mine))
    for (t, r, c), new, mine in accepted:
        cid = cell_id(t, r, c)
        prov = report.provenance[cid]
        rivals = sum(1 for _, _, other in accepted if other & mine) - 1
        ids = sorted({k[0] for k in mine})
        old = tables[t][r][c]
        alt = f"; {rivals} other cell{'s' if rivals > 1 else ''} could explain the same break" if rivals else ""
        if old is None:
            message = (f"{cid}: left blank ({prov.location}, printed {prov.raw.strip()!r}, a count with a "
                       f"fraction); {new}, its full stops taken for thousands separators, would satisfy "
                       f"{' and '.join(ids)}{alt}. The cell is left blank.")
        else:
            message = (f"{cid}: read {old} ({prov.location}, printed {prov.raw.strip()!r}, confidence "
                       f"{prov.confidence:.2f}); {new} would satisfy {' and '.join(ids)}{alt}. "
                       "The value is left as read.")
        out.append((prov.confidence, Finding(
            rule=ids[0] if len(ids) == 1 else "/".join(ids),
            severity="info",
            message=message,
            cells=(cid,),
            expected=new,
            found=old,
            proposal=True,
        )))
    out.sort(key=lambda x: (x[0], x[1].cells))
    return tuple(f for _, f in out)


def _tables(report: Report) -> dict[str, dict[str, dict[str, Scalar]]]:
    return {name: report.table(name) for name in ("applications", "review_litigation")}


def _key(f: Finding) -> tuple[str, tuple[str, ...]]:
    return f.rule, f.cells


def _on_left(lhs: tuple[str, ...], key: str) -> bool:
    """Whether a row (or column) key is on the left of a rule (patterns ending in ``.*`` match a prefix)."""
    return any(key.startswith(p[:-1]) if p.endswith(".*") else key == p for p in lhs)


def _split(cid: str) -> tuple[str, str, str] | None:
    parts = cid.split("/")
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def _grouped_count(prov: Provenance | None) -> int | None:
    """The count a cell left blank as "a count with a fraction" makes when the full stop in what it
    printed is taken for a thousands separator (OCR reads one for the other, and some reports print
    them so): ``2 7 6.9 / 7 6`` → 276976. ``None`` unless three digits follow the full stop."""
    if prov is None or "fraction-in-count" not in (prov.note or ""):
        return None
    p = parse_value(prov.raw)
    if p is None or p.number is None or p.unit or not re.fullmatch(r"\d{1,3}\.\d{3}", p.number):
        return None
    return int(p.number.replace(".", ""))


def _one_digit_apart(a: int, b: int) -> bool:
    """Whether ``b`` is ``a`` with exactly one digit changed (same number of digits)."""
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb)) == 1
