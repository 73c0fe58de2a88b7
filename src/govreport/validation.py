"""The format's arithmetic rules (FORMAT.md §8), checked on a report's values.

A break is reported with the cells involved and both sides of the equation; the values are never
changed. Blanks count as 0 here, as the national format intends.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .model import Finding, Money, Scalar, Table, cell_id
from .template import Rule, Template, load_template


def check_rules(tables: Mapping[str, Table], template: Template | None = None, *,
                undecided: Collection[str] = ()) -> tuple[Finding, ...]:
    """Every break of the template's rules in ``tables`` (table name → row → column → value).

    ``undecided`` names cells left blank because the document did not decide their value (a run
    of digits that splits more than one way): an equation holding one of them is not checked, and an
    info finding (``rule-unchecked``) says so instead of a break the document never printed.
    """
    template = template or load_template()
    findings: list[Finding] = []
    for rule in template.rules:
        table = tables.get(rule.table) or {}
        if not table:
            continue
        if rule.over == "columns":
            columns = list(dict.fromkeys(c for cols in table.values() for c in cols))
            for c in columns:
                lhs = [(r, c) for r in _expand(rule.lhs, table)]
                rhs = [(r, c) for r in _expand(rule.rhs, table)]
                findings.extend(_check(rule, table, lhs, rhs, f"column {c}", undecided))
        else:
            for r in table:
                lhs = [(r, c) for c in rule.lhs if c in table[r]]
                rhs = [(r, c) for c in rule.rhs if c in table[r]]
                findings.extend(_check(rule, table, lhs, rhs, f"row {r}", undecided))
    return tuple(findings)


def rule_rows(patterns: tuple[str, ...], rows: Iterable[str]) -> list[str]:
    """The row keys a rule's side names among ``rows`` (``withheld.*`` names every withheld row)."""
    return _expand(patterns, dict.fromkeys(rows))


def _expand(patterns: tuple[str, ...], rows: Collection[str]) -> list[str]:
    out: list[str] = []
    for p in patterns:
        if p.endswith(".*"):
            out.extend(r for r in rows if r.startswith(p[:-1]))
        elif p in rows:
            out.append(p)
    return list(dict.fromkeys(out))


def as_counted(v: Scalar) -> int:
    """A value as the rules count it: a blank (and an amount, which no rule sums) as 0."""
    if isinstance(v, Money) or v is None:
        return 0
    return v


def _check(rule: Rule, table: Table, lhs: list[tuple[str, str]], rhs: list[tuple[str, str]], where: str,
           undecided: Collection[str] = ()) -> list[Finding]:
    if not lhs or not rhs:
        return []

    values = [table[r].get(c) for r, c in lhs + rhs]
    if all(v is None for v in values):
        return []  # nothing printed: nothing to check
    left = sum(as_counted(table[r].get(c)) for r, c in lhs)
    right = sum(as_counted(table[r].get(c)) for r, c in rhs)
    if left == right:
        return []
    open_cells = [cell_id(rule.table, r, c) for r, c in lhs + rhs if cell_id(rule.table, r, c) in undecided]
    if open_cells:
        # the equation fails only for want of cells the document did not decide: no printed break
        return [Finding(rule="rule-unchecked", severity="info",
                        message=f"{rule.id} not checked in {rule.table} {where}: {', '.join(open_cells)} left blank "
                                "where the document allows more than one value",
                        cells=tuple(open_cells))]
    names = lambda side: " + ".join(f"{r}/{c}" if rule.over == "columns" else c for r, c in side)  # noqa: E731
    return [Finding(
        rule=rule.id,
        severity="error",
        message=f"{rule.id} broken in {rule.table} {where}: {names(lhs)} = {left}, but {names(rhs)} = {right} ({rule.text})",
        cells=tuple(cell_id(rule.table, r, c) for r, c in lhs + rhs),
        expected=left,
        found=right,
    )]


def undecided_cells(findings: Iterable[Finding]) -> frozenset[str]:
    """Cells a reading left blank because the document allows more than one value for them."""
    return frozenset(c for f in findings if f.rule == "split-ambiguous" for c in f.cells)
