"""Splitting digit runs that a document printed with nothing between its cells.

A crawler's copy of a page prints a table row as one run: ``491000050`` for a row of seven columns
is 49, 1, 0, 0, 0, 0, 50 — but also 4, 9, 1, 0, 0, 0, 50 and many more. The format's arithmetic
decides: a split is kept only if the rules that tie the row's columns hold (R3: the total is the sum
of the six kinds of applicant; R4 for table C), and then if the rules over the table's columns hold
with the other rows (R1, R2). Where more than one split survives, nothing is guessed: the cells stay
blank and a finding lists the candidates.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

import attrs

from ..model import Scalar
from ..template import Template
from ..validation import check_rules

#: The most splits enumerated for one run; a longer enumeration is reported as undecidable.
MAX_NODES = 200_000
#: The most combinations of ambiguous rows checked together against the column rules.
MAX_COMBINATIONS = 5_000
#: Longest part (digits) a count may have in these tables.
MAX_DIGITS = 9


@attrs.frozen
class SumRule:
    """``values[target] == sum(values[i] for i in parts)`` over the columns of one run."""

    id: str
    target: int
    parts: tuple[int, ...]


class TooMany(Exception):
    """The enumeration passed :data:`MAX_NODES`."""


def _part_ok(text: str, kind: str) -> bool:
    if text[0] in "+-":
        return kind == "signed" and len(text) > 1 and _part_ok(text[1:], "count")
    if "." in text:
        whole, _, frac = text.partition(".")
        return kind == "money" and bool(whole) and bool(frac) and (whole == "0" or whole[0] != "0")
    return len(text) <= MAX_DIGITS and (text == "0" or text[0] != "0")


def _num(text: str) -> int | None:
    return None if "." in text else int(text.replace("+", ""))


def splits(pieces: Sequence[str], kinds: Sequence[str], rules: Sequence[SumRule] = ()) -> list[tuple[str, ...]]:
    """Every way to cut ``pieces`` (printed runs, in order) into ``len(kinds)`` values.

    A cut always falls between two pieces; inside a piece it may fall anywhere, as long as every part
    reads as a value of its column (no leading zero, a decimal point only in a money column) and every
    rule holds. Raises :class:`TooMany` past :data:`MAX_NODES` steps.
    """
    text = "".join(pieces)
    forced = set(itertools.accumulate(len(p) for p in pieces))
    n = len(kinds)
    by_target = {r.target: r for r in rules}
    done_at: dict[int, list[SumRule]] = {}
    for r in rules:
        done_at.setdefault(max(r.target, *r.parts), []).append(r)
    out: list[tuple[str, ...]] = []
    nodes = 0
    parts: list[str] = []

    def next_forced(p: int) -> int:
        return min(f for f in forced if f > p)

    def holds(j: int) -> bool:
        for r in done_at.get(j, ()):
            target = _num(parts[r.target])
            values = [_num(parts[i]) for i in r.parts]
            if target is None or any(v is None for v in values) or target != sum(values):  # type: ignore[arg-type]
                return False
        return True

    def bounded(j: int, p: int) -> bool:
        """A total still to come cannot be smaller than the parts already read."""
        for t, r in by_target.items():
            if t <= j:
                continue
            known = [_num(parts[i]) for i in r.parts if i <= j]
            room = len(text) - p - (n - j - 2)  # digits left for the total at most
            if known and all(v is not None for v in known) and sum(known) >= 10 ** max(room, 0):  # type: ignore[arg-type]
                return False
        return True

    def walk(p: int, j: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            raise TooMany
        if j == n:
            if p == len(text):
                out.append(tuple(parts))
            return
        stop = next_forced(p)
        pieces_left = sum(1 for f in forced if f > p)
        if pieces_left > n - j:
            return
        for end in range(p + 1, stop + 1):
            part = text[p:end]
            if not _part_ok(part, kinds[j]):
                if part[0] == "0" and part != "0" or part[0] in "+-" and kinds[j] != "signed":
                    break  # longer parts keep the leading zero
                continue
            if len(text) - end < n - j - 1:
                break
            parts.append(part)
            if holds(j) and bounded(j, end):
                walk(end, j + 1)
            parts.pop()

    walk(0, 0)
    return out


def row_rules(template: Template, table: str, columns: Sequence[str], offset: int = 0) -> list[SumRule]:
    """The template's rules over the columns of one row, as positions in ``columns``."""
    pos = {c: i + offset for i, c in enumerate(columns)}
    out = []
    for rule in template.rules:
        if rule.table != table or rule.over != "rows" or len(rule.lhs) != 1:
            continue
        if rule.lhs[0] in pos and all(c in pos for c in rule.rhs):
            out.append(SumRule(rule.id, pos[rule.lhs[0]], tuple(pos[c] for c in rule.rhs)))
    return out


@attrs.frozen(kw_only=True)
class Decision:
    """What the rules made of one row's run: its values, or the candidates left open."""

    values: tuple[str, ...] | None
    candidates: tuple[tuple[str, ...], ...]
    rules: tuple[str, ...]  # the rule ids that decided (or narrowed) the split
    too_many: bool = False


def decide_rows(
    template: Template,
    table: str,
    runs: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
    printed: Mapping[str, Mapping[str, Scalar]],
) -> dict[str, Decision]:
    """Split the runs of several rows of ``table`` together.

    ``runs`` maps a row key to (pieces, column keys, column kinds); ``printed`` holds the table's
    rows that needed no split. Each row's splits are first narrowed by the rules within the row, then
    the remaining combinations by the rules over the table's columns (R1, R2), checked with the
    printed rows.
    """
    per_row: dict[str, list[tuple[str, ...]]] = {}
    decided: dict[str, Decision] = {}
    used_rules: dict[str, tuple[str, ...]] = {}
    for key, (pieces, cols, kinds) in runs.items():
        rules = row_rules(template, table, cols)
        used_rules[key] = tuple(r.id for r in rules)
        try:
            per_row[key] = splits(pieces, kinds, rules)
        except TooMany:
            decided[key] = Decision(values=None, candidates=(), rules=used_rules[key], too_many=True)
    open_rows = [k for k, c in per_row.items() if len(c) > 1]
    column_rules = tuple(r.id for r in template.rules if r.table == table and r.over == "columns")
    survivors: dict[str, set[tuple[str, ...]]] | None = None
    combos = 1
    for k in open_rows:
        combos *= len(per_row[k])
    if open_rows and column_rules and combos <= MAX_COMBINATIONS:
        survivors = _by_columns(template, table, runs, per_row, printed, open_rows)
    for key, cands in per_row.items():
        if key in decided:
            continue
        if len(cands) == 1:
            decided[key] = Decision(values=cands[0], candidates=tuple(cands), rules=used_rules[key])
            continue
        left = sorted(survivors[key]) if survivors and survivors.get(key) else cands
        rules = used_rules[key] + (column_rules if survivors and survivors.get(key) else ())
        decided[key] = Decision(values=left[0] if len(left) == 1 else None, candidates=tuple(left), rules=rules)
    return decided


def _by_columns(template: Template, table: str, runs: Mapping[str, tuple], per_row: dict[str, list[tuple[str, ...]]],
                printed: Mapping[str, Mapping[str, Scalar]], open_rows: list[str]) -> dict[str, set[tuple[str, ...]]]:
    """The candidates of each open row that take part in some combination satisfying the column rules."""
    base: dict[str, dict[str, Scalar]] = {r: dict(v) for r, v in printed.items()}
    for key, cands in per_row.items():
        if len(cands) == 1:
            base[key] = _values(runs[key][1], cands[0])
    found: dict[str, set[tuple[str, ...]]] = {k: set() for k in open_rows}
    split_cells = {f"{table}/{k}/" for k in open_rows}
    for combo in itertools.product(*(per_row[k] for k in open_rows)):
        trial = dict(base)
        for key, cand in zip(open_rows, combo):
            trial[key] = _values(runs[key][1], cand)
        breaks = check_rules({table: trial}, template)
        if any(f.cells and any(c.startswith(p) for c in f.cells for p in split_cells) for f in breaks):
            continue
        for key, cand in zip(open_rows, combo):
            found[key].add(cand)
    return found


def _values(columns: Sequence[str], parts: Sequence[str]) -> dict[str, Scalar]:
    return {c: (None if "." in p else int(p)) for c, p in zip(columns, parts)}


def iter_candidates(decision: Decision, limit: int = 20) -> Iterator[str]:
    for cand in decision.candidates[:limit]:
        yield "/".join(cand)
