"""Which candidate values of a table satisfy the format's rules (R1–R4), for the passes that place
values the layout left in doubt (:mod:`.order`, :mod:`.lost_cell`).

The rules are evaluated by :func:`govreport.validation.check_rules`, never a second time here. What
this module adds is the question a reading pass asks: of the rules over *these* rows, which can be
checked at all, and does a candidate break one of them? A rule over columns names rows (R2: every
result row); if one of them was not found in the document, the rule says nothing (a missing row is
not a row of zeros), so it is left out rather than counted as broken.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Mapping, Sequence

import attrs

from ..model import Finding, Scalar
from ..template import Rule, Template
from ..validation import as_counted, check_rules, rule_rows

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


#: The most partial sums :func:`joint` keeps at one row: past it the readings are too many to tell apart.
BUDGET = 20_000


def joint(template: Template, table: str, fixed: Table, rows: Sequence[tuple[str, Sequence[Mapping[str, Scalar]]]],
          rules: tuple[Rule, ...]) -> list[list[int]] | None:
    """Which candidate readings of ``rows`` (row key, its readings) the column rules leave standing.

    Each row takes one of its readings; a reading stands when, with it, some choice of one reading
    in every other row makes every rule over columns in ``rules`` hold (blanks count 0, as in the
    rules' own check), the rows of ``fixed`` taken as read. The rules are linear, so the search
    keeps the reachable partial sums before and after each row instead of every combination.
    Returns the standing readings' indices per row (an empty list: no reading fits), or None when
    the partial sums pass :data:`BUDGET`. Rules over rows are the caller's to apply per reading.
    """
    keys = [*fixed, *(k for k, _ in rows)]
    sides = [(rule, set(rule_rows(rule.lhs, keys)), set(rule_rows(rule.rhs, keys)))
             for rule in rules if rule.over == "columns"]
    columns = sorted({c for v in fixed.values() for c in v} | {c for _, opts in rows for o in opts for c in o})

    def vector(key: str, values: Mapping[str, Scalar]) -> tuple[int, ...]:
        out: list[int] = []
        for _, lhs, rhs in sides:
            sign = (key in lhs) - (key in rhs)
            out.extend(sign * as_counted(values.get(c)) for c in columns)
        return tuple(out)

    def add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(x + y for x, y in zip(a, b))

    width = len(sides) * len(columns)
    start = (0,) * width
    for key, values in fixed.items():
        start = _add(start, vector(key, values))
    vecs = [[vector(k, o) for o in opts] for k, opts in rows]
    alive = _prune([sorted(set(vs)) for vs in vecs], start)
    if alive is None:
        return None
    ahead = _sweep(alive, start, (0,) * width)
    behind = _sweep(alive[::-1], (0,) * width, start)
    if ahead is None or behind is None:
        return None
    behind.reverse()
    out: list[list[int]] = []
    for i, vs in enumerate(vecs):
        need = {tuple(-x for x in b) for b in behind[i + 1]}
        ok = {v for v in alive[i] if any(_add(f, v) in need for f in ahead[i])}
        out.append([k for k, v in enumerate(vs) if v in ok])
    return out


Vector = tuple[int, ...]


def _add(a: Vector, b: Vector) -> Vector:
    return tuple(map(operator.add, a, b))


def _reach(rows: list[list[Vector]], j: int) -> list[set[int] | None]:
    """Per prefix of ``rows``, the sums of coordinate ``j`` it can reach (None: too many to list)."""
    out: list[set[int] | None] = [{0}]
    for vs in rows:
        prev = out[-1]
        nxt = None if prev is None else {x + v[j] for x in prev for v in vs}
        out.append(nxt if nxt is not None and len(nxt) <= BUDGET else None)
    return out


def _prune(rows: list[list[Vector]], start: Vector) -> list[list[Vector]] | None:
    """Each row's vectors that can balance every coordinate on its own, whatever the other rows
    read, until nothing changes (a vector that cannot balance one equation is in no solution)."""
    n = len(rows)
    changed = True
    while changed:
        changed = False
        for j in range(len(start)):
            pre = _reach(rows, j)
            suf = _reach(rows[::-1], j)[::-1]
            for k in range(n):
                p, s = pre[k], suf[k + 1]
                if p is None or s is None:
                    continue
                keep = [v for v in rows[k] if any(-(start[j] + x + v[j]) in s for x in p)]
                if len(keep) != len(rows[k]):
                    rows[k], changed = keep, True
                    if not keep:
                        return rows
    return rows


def _sweep(rows: list[list[Vector]], start: Vector, offset: Vector) -> list[set[Vector]] | None:
    """The partial sums after each row, from ``start``, kept only while every coordinate, with
    ``offset`` added, can still be brought back to 0 by the rows after; None past :data:`BUDGET`."""
    rest = [[_reach(rows[k + 1:][::-1], j)[-1] for j in range(len(start))] for k in range(len(rows))]
    sets = [{start}]
    for k, vs in enumerate(rows):
        checks = [(j, offset[j], r) for j, r in enumerate(rest[k]) if r is not None]
        nxt = set()
        for s in sets[-1]:
            for v in vs:
                u = tuple(map(operator.add, s, v))
                for j, off, r in checks:
                    if -(u[j] + off) not in r:
                        break
                else:
                    nxt.add(u)
        if len(nxt) > BUDGET:
            return None
        sets.append(nxt)
    return sets
