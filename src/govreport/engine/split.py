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
from collections.abc import Mapping, Sequence

import attrs

from ..model import Scalar
from ..template import Template
from ..validation import as_counted, rule_rows

#: The most splits enumerated for one run; a longer enumeration is reported as undecidable.
MAX_NODES = 200_000
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
    if not text:
        return 0  # a blank counts as 0 in the rules
    return None if "." in text else int(text.replace("+", ""))


def splits(pieces: Sequence[str], kinds: Sequence[str], rules: Sequence[SumRule] = (), *,
           blanks: bool = False, whole: bool = False) -> list[tuple[str, ...]]:
    """Every way to cut ``pieces`` (printed runs, in order) into ``len(kinds)`` values.

    A cut always falls between two pieces; inside a piece it may fall anywhere, as long as every part
    reads as a value of its column (no leading zero, a decimal point only in a money column) and every
    rule holds (a blank counting as 0). With ``blanks``, a column may also be blank — an empty part,
    since a blank cell leaves nothing in a run. With ``whole``, no cut falls inside a piece: the
    pieces are values printed apart (``3 0 726``) whose blank cells left nothing between them, so only
    where the blanks go is open. Raises :class:`TooMany` past :data:`MAX_NODES` steps.
    """
    n = len(kinds)
    closing = [r for r in rules if r.target == n - 1]
    if not closing or not pieces or kinds[-1] != "count":
        return _splits(pieces, kinds, rules, blanks, (), [0], whole)
    # a row ending in its total (R3): read the total off the end first, then the parts must sum to it
    out: list[tuple[str, ...]] = []
    budget = [0]
    tail = pieces[-1]
    lasts = [tail] if whole else [tail[len(tail) - k:] for k in range(1, min(MAX_DIGITS, len(tail)) + 1)]
    lasts += [""] if blanks else []
    for last in lasts:
        if last and not _part_ok(last, "count"):
            continue
        rest = tail[:len(tail) - len(last)]
        head = [*pieces[:-1], rest] if rest else list(pieces[:-1])
        if not last and not rest:
            continue  # a printed piece is never all blank
        known = tuple((r.parts, _num(last) or 0) for r in closing)
        others = [r for r in rules if r.target != n - 1]
        out += [(*c, last) for c in _splits(head, kinds[:-1], others, blanks, known, budget, whole)]
    return out


def _splits(pieces: Sequence[str], kinds: Sequence[str], rules: Sequence[SumRule], blanks: bool,
            known: tuple[tuple[tuple[int, ...], int], ...], budget: list[int],
            whole: bool = False) -> list[tuple[str, ...]]:
    """:func:`splits`, with totals already read: ``known`` pairs the parts of a rule with its total."""
    search = _Search(pieces, kinds, rules, blanks, known, budget, whole)
    search.walk(0, 0)
    return search.out


class _Search:
    """A depth-first search over the ways to cut a run of digits into parts, one per column,
    pruned by the rules as soon as a rule's parts are read (see :func:`_splits`)."""

    def __init__(self, pieces: Sequence[str], kinds: Sequence[str], rules: Sequence[SumRule], blanks: bool,
                 known: tuple[tuple[tuple[int, ...], int], ...], budget: list[int], whole: bool = False) -> None:
        self.text = text = "".join(pieces)
        self.whole = whole
        self.forced = set(itertools.accumulate(len(p) for p in pieces))
        self.kinds, self.blanks, self.known, self.budget = kinds, blanks, known, budget
        self.n = n = len(kinds)
        self.by_target = {r.target: r for r in rules}
        self.done_at: dict[int, list[SumRule]] = {}
        for r in rules:
            self.done_at.setdefault(max(r.target, *r.parts), []).append(r)
        self.out: list[tuple[str, ...]] = []
        self.parts: list[str] = []
        # the longest a part can be: no part of a sum is longer than its total
        self.longest = longest = [MAX_DIGITS if k != "money" else len(text) for k in kinds]
        for idx, total in known:
            for i in idx:
                longest[i] = min(longest[i], len(str(total)))
        self.room_after = [sum(longest[j + 1:]) for j in range(n)]
        self.closing = [(set(idx), total) for idx, total in known if set(range(min(idx), n)) <= set(idx)]

    def next_forced(self, p: int) -> int:
        return min((f for f in self.forced if f > p), default=p)

    def holds(self, j: int) -> bool:
        """The rules whose last part is part ``j`` hold, and no known total is exceeded so far."""
        parts = self.parts
        for idx, total in self.known:
            if j == max(idx):
                if sum(_num(parts[i]) or 0 for i in idx) != total:
                    return False
            elif j < max(idx) and sum(_num(parts[i]) or 0 for i in idx if i <= j) > total:
                return False
        for r in self.done_at.get(j, ()):
            target = _num(parts[r.target])
            values = [_num(parts[i]) for i in r.parts]
            if target is None or any(v is None for v in values) or target != sum(values):  # type: ignore[arg-type]
                return False
        return True

    def bounded(self, j: int, p: int) -> bool:
        """A total still to come cannot be smaller than the parts already read."""
        for t, r in self.by_target.items():
            if t <= j:
                continue
            got = [_num(self.parts[i]) for i in r.parts if i <= j]
            room = len(self.text) - p - (0 if self.blanks else self.n - j - 2)  # digits left for the total at most
            if got and all(v is not None for v in got) and sum(got) >= 10 ** max(room, 0):  # type: ignore[arg-type]
                return False
        return True

    def reachable(self, j: int, end: int) -> bool:
        """Can the digits left still make up what a known total lacks? The parts to come hold them
        all, so one of them is at least their share long (a lower bound), and their sum is largest
        with the digits in as few parts as may be (an upper bound)."""
        left = len(self.text) - end
        for idx, total in self.closing:
            if j + 1 < min(idx):
                continue  # columns outside the sum come first
            k = self.n - j - 1
            need = total - sum(_num(self.parts[i]) or 0 for i in idx if i <= j)
            if k == 0 or need < 0:
                continue
            if left == 0:
                if need and not self.blanks:
                    return False
                continue
            share = -(-left // k)
            if share >= 2 and need < 10 ** (share - 1):
                return False
            # all digits in one part is the most they can sum to, or with one digit for each other
            # part, those adding at most 9 each
            most = 10 ** left if self.blanks else 10 ** (left - k + 1) + 9 * (k - 1)
            if need >= most:
                return False
        return True

    def _try(self, part: str, j: int, end: int) -> None:
        self.parts.append(part)
        if self.holds(j) and self.bounded(j, end) and self.reachable(j, end):
            self.walk(end, j + 1)
        self.parts.pop()

    def walk(self, p: int, j: int) -> None:
        """Cut part ``j`` from position ``p`` on, in every way the rules leave open."""
        self.budget[0] += 1
        if self.budget[0] > MAX_NODES:
            raise TooMany
        text, n = self.text, self.n
        if j == n:
            if p == len(text):
                self.out.append(tuple(self.parts))
            return
        stop = min(self.next_forced(p), p + self.longest[j])
        pieces_left = sum(1 for f in self.forced if f > p)
        if pieces_left > n - j or len(text) - p > self.longest[j] + self.room_after[j]:
            return
        ends = ([stop] if p < stop == self.next_forced(p) else []) if self.whole else range(p + 1, stop + 1)
        for end in ends:
            part = text[p:end]
            if not _part_ok(part, self.kinds[j]):
                decimal = self.kinds[j] == "money" and part[:2] == "0."  # "0." goes on to "0.37"
                if part[0] == "0" and part != "0" and not decimal or part[0] in "+-" and self.kinds[j] != "signed":
                    break  # longer parts keep the leading zero
                continue
            if not self.blanks and len(text) - end < n - j - 1:
                break
            self._try(part, j, end)
        if self.blanks and n - j > pieces_left:
            self._try("", j, p)


def fewest_blanks(pieces: Sequence[str], kinds: Sequence[str], rules: Sequence[SumRule] = ()) -> list[tuple[str, ...]]:
    """The splits of a run that leave no cell blank or, when none satisfies the rules, those with blanks.

    A blank cell leaves nothing in a run, so a reading with blanks is always possible in principle —
    ``10102`` could be 10, blank, 1, 0, 2 — but a page that prints its zeros gives runs that only
    blank-free readings fit, while a page that leaves cells empty gives runs too short for them.
    """
    return splits(pieces, kinds, rules) or splits(pieces, kinds, rules, blanks=True)


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
    """What the rules made of one run.

    ``parts`` holds, for each column, the part every surviving split agrees on (``""`` for a blank
    cell) or ``None`` where they differ; ``parts`` is ``None`` when no split survives.
    """

    parts: tuple[str | None, ...] | None
    candidates: tuple[tuple[str, ...], ...]
    rules: tuple[str, ...]  # the rule ids that decided (or narrowed) the split
    too_many: bool = False

    @classmethod
    def of(cls, candidates: Sequence[tuple[str, ...]], rules: tuple[str, ...]) -> Decision:
        if not candidates:
            return cls(parts=None, candidates=(), rules=rules)
        parts = tuple(col[0] if len(set(col)) == 1 else None for col in zip(*candidates))
        return cls(parts=parts, candidates=tuple(sorted(candidates)), rules=rules)

    @property
    def complete(self) -> bool:
        return self.parts is not None and all(p is not None for p in self.parts)


def decide_rows(
    template: Template,
    table: str,
    runs: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
    printed: Mapping[str, Mapping[str, Scalar]],
) -> dict[str, Decision]:
    """Split the runs of several rows of ``table`` together.

    ``runs`` maps a row key to (pieces, column keys, column kinds); ``printed`` holds the table's
    rows that needed no split. Each row's splits are first narrowed by the rules within the row, then
    by the rules over the table's columns (R1, R2) together with the printed rows: a split survives if
    some choice of splits for the other rows satisfies them all.
    """
    decided: dict[str, Decision] = {}
    row_ids: dict[str, tuple[str, ...]] = {}
    narrow: dict[str, list[tuple[str, ...]]] = {}
    wide: dict[str, list[tuple[str, ...]]] = {}
    for key, (pieces, cols, kinds) in runs.items():
        rules = row_rules(template, table, cols)
        row_ids[key] = tuple(r.id for r in rules)
        try:
            narrow[key] = fewest_blanks(pieces, kinds, rules)
        except TooMany:
            decided[key] = Decision(parts=None, candidates=(), rules=row_ids[key], too_many=True)
    column_ids = tuple(r.id for r in template.rules if r.table == table and r.over == "columns")
    survivors = _solve(template, table, narrow, runs, printed) if column_ids else None
    if survivors is None and column_ids:
        # no blank-free reading fits the columns: a blank may hide in any run
        for key in narrow:
            pieces, cols, kinds = runs[key]
            try:
                wide[key] = splits(pieces, kinds, row_rules(template, table, cols), blanks=True)
            except TooMany:
                wide[key] = narrow[key]
        survivors = _solve(template, table, wide, runs, printed)
    for key, cands in narrow.items():
        if survivors is not None and key in survivors:
            decided[key] = Decision.of(sorted(survivors[key]), row_ids[key] + column_ids)
        else:
            decided[key] = Decision.of(cands, row_ids[key])
    return decided


#: The most partial sums kept while checking the column rules over all rows.
MAX_STATES = 200_000


Domains = Mapping[str, "list[tuple[str, ...]] | set[tuple[str, ...]]"]


def _solve(template: Template, table: str, domains: Domains, runs: Mapping[str, tuple],
           printed: Mapping[str, Mapping[str, Scalar]]) -> dict[str, set[tuple[str, ...]]] | None:
    """The splits that survive the column rules, or None when no choice of splits satisfies them.

    Each column is first checked on its own (cheap, and it never drops a split that a full solution
    uses), then the rows together; when the rows together are too many to walk, the column-by-column
    survivors are returned — fewer decided cells, never a wrong one.
    """
    pruned = _by_each_column(template, table, domains, runs, printed)
    if pruned is None:
        return None
    try:
        return _by_columns(template, table, pruned, runs, printed)
    except TooMany:
        return pruned


def _coefficients(template: Template, table: str, rows: list[str]) -> tuple[list, dict[str, tuple[int, ...]]]:
    rules = [r for r in template.rules if r.table == table and r.over == "columns"]
    coef = {row: tuple(1 if row in rule_rows(r.lhs, rows) else -1 if row in rule_rows(r.rhs, rows) else 0
                       for r in rules) for row in rows}
    return rules, coef


def _by_each_column(template: Template, table: str, domains: Domains, runs: Mapping[str, tuple],
                    printed: Mapping[str, Mapping[str, Scalar]]) -> dict[str, set[tuple[str, ...]]] | None:
    """Splits pruned one rule and one column at a time, until nothing changes."""
    rules, coef = _coefficients(template, table, [*printed, *domains])
    live = {k: set(v) for k, v in domains.items()}
    position = {k: {c: i for i, c in enumerate(runs[k][1])} for k in domains}
    for _ in range(10):
        changed = False
        for ri in range(len(rules)):
            for c in _columns(runs, domains, printed):
                start = sum(coef[r][ri] * as_counted(printed[r].get(c)) for r in printed if coef[r][ri])
                steps = [(coef[k][ri], {_int_part(cand[position[k][c]]) for cand in live[k]})
                         for k in live if coef[k][ri] and c in position[k]]
                allowed = _sums(start, steps)
                if allowed is None:
                    return None
                for k, ok, (_, vals) in zip((k for k in live if coef[k][ri] and c in position[k]), allowed, steps):
                    if ok is not None and ok != vals:
                        live[k] = {cand for cand in live[k] if _int_part(cand[position[k][c]]) in ok}
                        changed = True
        if not changed:
            break
    return live


def _sums(start: int, steps: list[tuple[int, set[int]]]) -> list[set[int] | None] | None:
    """For ``start + Σ sign·value = 0``, the values of each step that some choice of the others allows.

    None when no choice gives 0; a step's entry is None when the partial sums grew past
    :data:`MAX_STATES` (nothing is pruned then).
    """
    forward = [{start}]
    for sign, vals in steps:
        forward.append({s + sign * v for s in forward[-1] for v in vals})
        if len(forward[-1]) > MAX_STATES:
            return [None] * len(steps)
    if 0 not in forward[-1]:
        return None
    backward = [{0}]
    for sign, vals in reversed(steps):
        backward.append({g - sign * v for g in backward[-1] for v in vals})
        if len(backward[-1]) > MAX_STATES:
            return [None] * len(steps)
    backward.reverse()
    return [{v for v in vals if any(s + sign * v in backward[i + 1] for s in forward[i])}
            for i, (sign, vals) in enumerate(steps)]


def _columns(runs: Mapping[str, tuple], domains: Domains, printed: Mapping[str, Mapping[str, Scalar]]) -> list[str]:
    return list(dict.fromkeys([*(c for r in printed.values() for c in r), *(c for k in domains for c in runs[k][1])]))


def _int_part(part: str) -> int:
    return 0 if not part or "." in part else int(part)


def _by_columns(template: Template, table: str, domains: Domains,
                runs: Mapping[str, tuple], printed: Mapping[str, Mapping[str, Scalar]]) -> dict[str, set[tuple[str, ...]]] | None:
    """The splits of each row that take part in some choice of splits satisfying the column rules.

    Every rule over the columns is linear (Σ lhs rows − Σ rhs rows = 0 in each column), so the
    choices are walked row by row keeping only the distinct partial sums: forwards what the rows so
    far can sum to, backwards what the rows still to come can make up. None when no choice satisfies
    the rules (the table breaks them in print); raises :class:`TooMany` when the sums grow past
    :data:`MAX_STATES`.
    """
    rules, coef = _coefficients(template, table, [*printed, *domains])
    columns = _columns(runs, domains, printed)
    width = len(rules) * len(columns)

    def vector(row: str, values: Mapping[str, Scalar]) -> tuple[int, ...]:
        nums = [v if isinstance(v, int) else 0 for v in (values.get(c) for c in columns)]
        return tuple(k * n for k in coef[row] for n in nums)

    start = (0,) * width
    for row, values in printed.items():
        if any(coef[row]):
            start = tuple(a + b for a, b in zip(start, vector(row, values)))
    steps: list[tuple[str, dict[tuple[int, ...], list[tuple[str, ...]]]]] = []
    for row, cands in domains.items():
        if not any(coef[row]) or not cands:
            continue
        by_vec: dict[tuple[int, ...], list[tuple[str, ...]]] = {}
        for cand in cands:
            by_vec.setdefault(vector(row, _values(runs[row][1], cand)), []).append(cand)
        steps.append((row, by_vec))
    forward = [{start}]
    for _, by_vec in steps:
        nxt = {tuple(a + b for a, b in zip(s, v)) for s in forward[-1] for v in by_vec}
        if len(nxt) > MAX_STATES:
            raise TooMany
        forward.append(nxt)
    zero = (0,) * width
    if zero not in forward[-1]:
        return None
    backward = [{zero}]
    for _, by_vec in reversed(steps):
        prev = {tuple(a - b for a, b in zip(g, v)) for g in backward[-1] for v in by_vec}
        if len(prev) > MAX_STATES:
            raise TooMany
        backward.append(prev)
    backward.reverse()
    out: dict[str, set[tuple[str, ...]]] = {}
    for i, (row, by_vec) in enumerate(steps):
        ahead = backward[i + 1]
        out[row] = {c for v, cands in by_vec.items()
                    if any(tuple(a + b for a, b in zip(s, v)) in ahead for s in forward[i]) for c in cands}
    return out


def _values(columns: Sequence[str], parts: Sequence[str]) -> dict[str, Scalar]:
    return {c: (None if not p or "." in p else int(p)) for c, p in zip(columns, parts)}
