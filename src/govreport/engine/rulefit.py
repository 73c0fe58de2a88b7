"""Which candidate values of a table satisfy the format's rules (R1–R4), for the passes that place
values the layout left in doubt (:mod:`.order`, :mod:`.lost_cell`).

The rules are evaluated by :func:`govreport.validation.check_rules`, never a second time here. What
this module adds is the question a reading pass asks: of the rules over *these* rows, which can be
checked at all, and does a candidate break one of them? A rule over columns names rows (R2: every
result row); if one of them was not found in the document, the rule says nothing (a missing row is
not a row of zeros), so it is left out rather than counted as broken.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import attrs

from ..model import Finding, Scalar
from ..template import Rule, Template
from ..validation import check_rules, rule_rows

Table = Mapping[str, Mapping[str, Scalar]]


def checkable(template: Template, table: str, fmt_rows: Collection[str], present: Collection[str]) -> tuple[Rule, ...]:
    """The rules of ``table`` that can be checked when only the rows ``present`` are known.

    ``fmt_rows`` are the row keys of the table in the report's format. A rule over rows (R3) is
    checked in each present row; a rule over columns only when every row it names is present.
    """
    present = set(present)
    out = []
    for rule in template.rules:
        if rule.table != table:
            continue
        if rule.over == "columns" and not set(rule_rows((*rule.lhs, *rule.rhs), fmt_rows)) <= present:
            continue
        out.append(rule)
    return tuple(out)


def breaks(template: Template, table: str, values: Table, rules: tuple[Rule, ...]) -> tuple[Finding, ...]:
    """The breaks of ``rules`` in ``values`` (row → column → value) of ``table``."""
    if not rules:
        return ()
    return check_rules({table: values}, attrs.evolve(template, rules=rules))


def holds(template: Template, table: str, values: Table, rules: tuple[Rule, ...], cells: Collection[str]) -> bool:
    """True when no rule of ``rules`` that involves one of ``cells`` (``table/row/column``) is broken."""
    cells = set(cells)
    return not any(cells.intersection(f.cells) for f in breaks(template, table, values, rules))


def involved(template: Template, table: str, values: Table, rules: tuple[Rule, ...],
             cells: Collection[str]) -> tuple[str, ...]:
    """The ids of the rules in ``rules`` that check at least one of ``cells`` (what confirmed them)."""
    cells = set(cells)
    ids: list[str] = []
    for rule in rules:
        rows = list(values) if rule.over == "rows" else rule_rows((*rule.lhs, *rule.rhs), values)
        for c in cells:
            _, row, col = c.split("/", 2)
            if row not in rows:
                continue
            if rule.over == "rows" and col not in (*rule.lhs, *rule.rhs):
                continue
            ids.append(rule.id)
            break
    return tuple(dict.fromkeys(ids))
