"""Rows that lost a cell in conversion: which column is missing, decided by the rules or not at all.

A converter that drops one cell of a row leaves six values for seven columns. Assigning them in
order would shift every value after the gap one column left — wrong numbers that look right. So
:func:`~.cells.fill_row` leaves such a row blank and this pass places it once the table's other rows
are read: for each column the lost cell may have been, the printed values go around it, the rules
over the row (R3) give the value the gap must hold, and the rules over the columns (R2, R1, with the
other rows) must hold too — for every short row of a table at once (:func:`.rulefit.joint`), since
two rows that each lost a cell are only consistent together. One position left: the values are
placed, the lost cell stays ``None``
and its value is offered as a proposal. Several left: the cells they disagree on stay blank. A table
no rule ties together (table A) cannot say which cell was lost: the row stays blank.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..model import Finding, Scalar, cell_id
from ..template import Template
from ..values import as_count, as_money
from ..validation import as_counted, rule_rows
from . import rulefit
from .cells import Collector, ShortRow, fits_kind, row_unit
from .stream import Token

#: Rows of one table whose positions are tried together (7 columns each: 343 combinations).
MAX_JOINT = 3


def place_short_rows(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], template: Template,
                     fmt: str) -> None:
    """Place the rows :func:`~.cells.fill_row` left blank for a lost cell, in ``tables``."""
    pending, col.short = col.short, []
    by_table: dict[str, list[ShortRow]] = {}
    for s in pending:
        by_table.setdefault(s.table, []).append(s)
    for name, rows in by_table.items():
        if name not in col.rule_tables:
            for s in rows:
                if not _place_by_kind(col, tables, s):
                    _blank_row(col, tables, s, "no rule ties this table's numbers together, so nothing tells which "
                               "cell was lost; the row is left blank")
            continue
        fmt_rows = [r.key for r in template.tables[name].rows_for(fmt)]
        if _place_jointly(col, tables, template, name, fmt_rows, rows):
            continue
        groups = [rows[i:i + MAX_JOINT] for i in range(0, len(rows), MAX_JOINT)] if len(rows) > MAX_JOINT else [rows]
        for group in groups:
            _place_group(col, tables, template, name, fmt_rows, group)


Placement = tuple[int | None, ...]  # per column: the index of the printed value it holds, or None


def _positions(s: ShortRow) -> list[int]:
    """Where the lost cell may be: anywhere, or where the row printed a cell that is not a number."""
    junk = [t.index for t in s.logical.junk]
    if len(junk) == 1 and len(s.values) + 1 == len(s.columns):
        return [sum(1 for t in s.values if t.index < junk[0])]
    return list(range(len(s.columns)))


def _lost(s: ShortRow) -> bool:
    """One cell lost, whose value the rules may give (a proposal); else the cells not printed are blanks."""
    return s.spreads is None and len(s.columns) - len(s.values) == 1


def _placements(s: ShortRow) -> list[Placement]:
    """Every way the row's values may sit in its columns, in their printed order."""
    if s.spreads is not None:
        return list(s.spreads)
    n, k = len(s.columns), len(s.values)
    gap_sets = [(p,) for p in _positions(s)] if n - k == 1 else list(itertools.combinations(range(n), n - k))
    out: list[Placement] = []
    for gaps in gap_sets:
        it = iter(range(k))
        out.append(tuple(None if i in gaps else next(it) for i in range(n)))
    return out


def _value(tok: Token, kind: str, unit: str | None) -> Scalar:
    assert tok.parsed is not None
    if kind == "money":
        return as_money(tok.parsed, unit)[0]
    return as_count(tok.parsed, signed=kind == "signed")[0]


def _implied(template: Template, s: ShortRow, row: dict[str, Scalar], lost: str) -> int | None:
    """The value the rules within the row (R3) give the lost cell, if one of them names it."""
    for rule in template.rules:
        if rule.table != s.table or rule.over != "rows":
            continue
        lhs = [c for c in rule.lhs if c in row]
        rhs = [c for c in rule.rhs if c in row]
        if lost in lhs:
            return sum(as_counted(row[c]) for c in rhs) - sum(as_counted(row[c]) for c in lhs if c != lost)
        if lost in rhs:
            return sum(as_counted(row[c]) for c in lhs) - sum(as_counted(row[c]) for c in rhs if c != lost)
    return None


def _trial(template: Template, s: ShortRow, values: Sequence[Scalar], at: Placement) -> tuple[dict[str, Scalar], int | None]:
    """The row under placement ``at``; a lost cell holds the value the row's rules give it."""
    row: dict[str, Scalar] = {c: None if j is None else values[j] for c, j in zip(s.columns, at)}
    if not _lost(s):
        return row, None
    gap = s.columns[at.index(None)]
    x = _implied(template, s, row, gap)
    row[gap] = x
    return row, x


def _printed(s: ShortRow) -> list[Scalar]:
    unit = row_unit(s.logical) if "money" in s.kinds.values() else None
    return [_value(t, s.kinds.get(c, "count"), unit) for t, c in zip(s.values, s.columns)]


def _options(template: Template, name: str, s: ShortRow,
             row_rules: tuple) -> list[tuple[Placement, dict[str, Scalar], int | None]]:
    """The placements of a row that keep the rules within the row holding."""
    printed = _printed(s)
    cells = [cell_id(name, s.row, c) for c in s.columns]
    opts = []
    for at in _placements(s):
        row, x = _trial(template, s, printed, at)
        if (x is None or x >= 0) and rulefit.holds(template, name, {s.row: row}, row_rules, cells):
            opts.append((at, row, x))
    return opts


def _place_jointly(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, name: str,
                   fmt_rows: list[str], rows: list[ShortRow]) -> bool:
    """Every short row of the table at once: each placement of its values (a lost cell holding the
    value R3 gives it) is one reading of its row; R1/R2 over the columns keep the readings that fit
    together with some reading of every other short row (:func:`.rulefit.joint`). Rows tried a few
    at a time would count the others' cells as 0 and fail the column rules wherever two rows lost a
    cell. False when the readings are too many to follow (then rows are tried in small groups)."""
    table = tables[name]
    short = {s.row for s in rows}
    base = {k: v for k, v in table.items() if k not in short}
    rules = rulefit.checkable(template, name, fmt_rows, [*base, *short])
    row_rules = tuple(r for r in rules if r.over == "rows")
    # a rule over none of the short rows says nothing of them (a break in print is not theirs to mend)
    col_rules = tuple(r for r in rules if r.over == "columns" and short & set(rule_rows((*r.lhs, *r.rhs), fmt_rows)))
    options = [_options(template, name, s, row_rules) for s in rows]
    kept = rulefit.joint(template, name, base, [(s.row, [o[1] for o in opts]) for s, opts in zip(rows, options)],
                         col_rules)
    if kept is not None and any(not k for k in kept) and len(col_rules) > 1:
        # no reading fits every rule at once (a rule broken by a row read elsewhere): each rule
        # then speaks only for its own rows, and a row keeps what every rule over it allows
        allowed = [set(range(len(o))) for o in options]
        for rule in col_rules:
            named = set(rule_rows((*rule.lhs, *rule.rhs), fmt_rows))
            mine = [i for i, s in enumerate(rows) if s.row in named]
            one = rulefit.joint(template, name, base, [(rows[i].row, [o[1] for o in options[i]]) for i in mine],
                                (rule,))
            if one is None:
                return False
            for i, k in zip(mine, one):
                allowed[i] &= set(k)
        kept = [sorted(k) for k in allowed]
    if kept is None:
        return False
    for s, opts, k in zip(rows, options, kept):
        standing = [opts[i] for i in k]
        _decide(col, tables, template, name, rules, s, [at for at, _, _ in standing], {x for _, _, x in standing})
    return True


def _place_group(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, name: str,
                 fmt_rows: list[str], group: list[ShortRow]) -> None:
    table = tables[name]
    present = [k for k in table if k not in {s.row for s in group}] + [s.row for s in group]
    rules = rulefit.checkable(template, name, fmt_rows, present)
    row_rules = tuple(r for r in rules if r.over == "rows")
    cells = [cell_id(name, s.row, c) for s in group for c in s.columns]
    options = [_options(template, name, s, row_rules) for s in group]
    valid: list[tuple[Placement, ...]] = []
    implied: list[tuple[int | None, ...]] = []
    for combo in itertools.product(*options):
        trial = dict(table)
        for s, (_, row, _) in zip(group, combo):
            trial[s.row] = row
        if rulefit.holds(template, name, trial, rules, cells):
            valid.append(tuple(at for at, _, _ in combo))
            implied.append(tuple(x for _, _, x in combo))
    for i, s in enumerate(group):
        _decide(col, tables, template, name, rules, s, [v[i] for v in valid], {x[i] for x in implied})


def _decide(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, name: str,
            rules: tuple, s: ShortRow, placements: list[Placement], implied: set[int | None]) -> None:
    """Place row ``s`` once the rules have left ``placements`` of its values (``implied``: the
    values the rules give a lost cell in the readings left)."""
    trial_rules = rulefit.involved(template, name, tables[name] | {s.row: dict.fromkeys(s.columns)}, rules,
                                   [cell_id(name, s.row, c) for c in s.columns])
    by = "/".join(trial_rules) or "no rule"
    layout = _positions(s)
    placements = list(dict.fromkeys(placements))
    if not placements and _lost(s) and len(layout) == 1:
        # the row printed a cell that is no number: where the gap is, the layout says itself
        _place(col, tables, s, _placements(s)[0], "the cell that is not a number", None, ())
    elif not placements:
        what = "with the lost cell in any column" if _lost(s) else "with its values in any of their places"
        _blank_row(col, tables, s, f"{what}, {by} would not hold; the row is left blank")
    elif len(placements) == 1:
        _place(col, tables, s, placements[0], by, implied.pop() if len(implied) == 1 else None, trial_rules)
    else:
        _place_doubtful(col, tables, s, placements, by)


def _gaps(s: ShortRow, at: Placement) -> list[str]:
    return [c for c, j in zip(s.columns, at) if j is None]


def _place(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], s: ShortRow, at: Placement, by: str,
           implied: int | None, rules: tuple[str, ...]) -> None:
    gaps = _gaps(s, at)
    cells = tuple(cell_id(s.table, s.row, c) for c in s.columns)
    if s.spreads is not None:
        note = f"{s.note}; placed among its cells by {by}, with the table's other rows" if s.note else f"placed by {by}"
        confidence = s.confidence
    else:
        what = f"the lost cell is {gaps[0]}" if _lost(s) else f"the cells not printed are {', '.join(gaps)}"
        note = f"row has {len(s.values)} values for {len(s.columns)} columns; {what} (placed by {by})"
        confidence = s.confidence * 0.8
        col.warn("row-short", f"{s.table}/{s.row}: {note}; {'it is' if len(gaps) == 1 else 'they are'} left blank "
                 f"(label {s.logical.text!r})", cells)
    out: dict[str, Scalar] = {c: None for c in s.columns}
    unit = row_unit(s.logical) if "money" in s.kinds.values() else None
    for c, j in zip(s.columns, at):
        if j is not None:
            out[c] = col.value(s.table, s.row, c, s.values[j], s.kinds.get(c, "count"), unit=unit,
                               confidence=confidence, note=note)
        else:
            col.provenance.pop(cell_id(s.table, s.row, c), None)
    tables[s.table][s.row] = out
    if implied is not None and rules and _lost(s):
        cid = cell_id(s.table, s.row, gaps[0])
        what = "a cell printed as no number" if s.logical.junk else "a cell lost in print"
        col.findings.append(Finding(
            rule="cell-lost", severity="warning", cells=(cid,), expected=implied, found=None, proposal=True,
            message=f"{cid}: {what}; {'/'.join(rules)} give it the value {implied} "
                    "(a proposal: the cell is left blank)"))


def _place_doubtful(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], s: ShortRow,
                    placements: list[Placement], by: str) -> None:
    """Several placements keep the rules holding: a cell is read only where every one of them puts
    the same value there; the others stay blank."""
    unit = row_unit(s.logical) if "money" in s.kinds.values() else None
    vals = _printed(s)
    out: dict[str, Scalar] = {c: None for c in s.columns}
    doubtful: list[str] = []
    if s.spreads is not None:
        note = (f"{s.note}; " if s.note else "") + f"{len(placements)} placements of its values keep {by} holding"
        confidence = s.confidence
    else:
        may = [c for c in s.columns if any(c in _gaps(s, at) for at in placements)]
        note = (f"row has {len(s.values)} values for {len(s.columns)} columns; the cells not printed may be any of "
                f"{', '.join(may)} ({by} hold either way)")
        confidence = s.confidence * 0.5
    for i, c in enumerate(s.columns):
        seen = {vals[j] if (j := at[i]) is not None else None for at in placements}
        if len(seen) > 1:
            doubtful.append(c)
        if len(seen) > 1 or None in seen:
            col.provenance.pop(cell_id(s.table, s.row, c), None)
            continue
        j = placements[0][i]
        assert j is not None
        out[c] = col.value(s.table, s.row, c, s.values[j], s.kinds.get(c, "count"), unit=unit,
                           confidence=confidence * (0.5 if s.spreads is not None else 1.0), note=note)
    cells = tuple(cell_id(s.table, s.row, c) for c in doubtful)
    if s.spreads is not None:
        col.warn("row-values-ambiguous", f"{s.table}/{s.row}: {len(s.values)} values printed for {len(s.columns)} "
                 f"cells without their blanks; {len(placements)} placements keep the rules holding with the table's "
                 f"other rows and they differ in {', '.join(doubtful)}, left blank", cells)
    else:
        col.warn("row-short", f"{s.table}/{s.row}: {note}; {', '.join(doubtful)} left blank "
                 f"(label {s.logical.text!r})", tuple(cell_id(s.table, s.row, c) for c in s.columns))
    tables[s.table][s.row] = out


def _place_by_kind(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], s: ShortRow) -> bool:
    """Place a short row whose values fit its columns in one order-keeping way only (政府集中采购 515元:
    an amount, so the project count is the cell lost). Returns False when no single way exists."""
    kinds = [s.kinds.get(c, "count") for c in s.columns]
    ways = [pos for pos in itertools.combinations(range(len(s.columns)), len(s.values))
            if all(fits_kind(t, kinds[i]) for t, i in zip(s.values, pos))]
    if len(ways) != 1:
        return False
    unit = row_unit(s.logical)
    row: dict[str, Scalar] = {c: None for c in s.columns}
    note = "placed by what each value is (an amount, a count); the other cells were not printed"
    for tok, i in zip(s.values, ways[0]):
        row[s.columns[i]] = col.value(s.table, s.row, s.columns[i], tok, kinds[i], unit=unit,
                                      confidence=s.confidence, note=note)
    tables[s.table][s.row] = row
    lost = [cell_id(s.table, s.row, c) for i, c in enumerate(s.columns) if i not in ways[0]]
    col.warn("row-short", f"{s.table}/{s.row}: row has {len(s.values)} values for {len(s.columns)} columns; only one "
             f"placement fits what each value is, so {', '.join(lost)} is left blank (label {s.logical.text!r})",
             tuple(lost))
    return True


def _blank_row(col: Collector, tables: dict[str, dict[str, dict[str, Scalar]]], s: ShortRow, why: str) -> None:
    col.warn("row-short", f"{s.table}/{s.row}: row has {len(s.values)} values for {len(s.columns)} columns; {why} "
             f"(label {s.logical.text!r})", tuple(cell_id(s.table, s.row, c) for c in s.columns))
    for c in s.columns:
        col.provenance.pop(cell_id(s.table, s.row, c), None)
    tables[s.table][s.row] = {c: None for c in s.columns}
