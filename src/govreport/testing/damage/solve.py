"""What a perfect reader could recover from a damaged table: brute-force enumeration under R1–R4.

A damaged rendering prints each stretch of a table as a :class:`Run` — the cells it covers and what
is left of their values: one glued string of digits (``glued``), the printed values with blanks
dropped (``spaced``), one field per cell (``fields``) or one field per cell with one cell lost
(``lost``). :func:`candidates` lists every way of reading a run back that the printed text allows
and that satisfies the run's own rules (R3 for a row of table B, R4 for each group of table C);
:func:`recover` then keeps the readings of table B that satisfy R1 and R2 across rows, and gives
each cell's value where every surviving reading agrees on it, or says why not.

Everything here is written for the generator alone (no code of the library's readers, engine or
validation), so it can tell where those go wrong.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence

import attrs

from ...model import Money, Scalar

#: marks a cell a converter dropped: nothing of it is printed
DROPPED = "<dropped>"

_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"(?:[+\-]|增加|减少)?(?:0|[1-9]\d*)")
_MONEY = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?")


@attrs.frozen
class CellSpec:
    """One cell: where it goes (``table/row/column``), what its printed value looks like
    (count, signed, money) and, for money, the unit the column header states."""

    table: str
    row: str
    column: str
    kind: str = "count"
    unit: str | None = None

    @property
    def id(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@attrs.frozen
class Run:
    """A stretch of a table as printed. ``groups`` are (first, last) cell indexes whose last cell
    is the sum of the others (blanks read as 0): R3 for a row of table B, R4 for table C.
    ``printed`` is the glued string (``glued``) or the list of printed fields."""

    cells: tuple[CellSpec, ...]
    form: str  # glued | spaced | fields | lost
    printed: str | tuple[str, ...]
    groups: tuple[tuple[int, int], ...] = ()
    #: whether a glued run may hold blank cells (printed as nothing); without, every cell printed
    blanks: bool = True


def parse_token(text: str, spec: CellSpec) -> Scalar:
    """The value a printed token stands for, or ``ValueError`` when it cannot be that cell's."""
    if text == "":
        return None
    pattern = {"count": _COUNT, "signed": _SIGNED, "money": _MONEY}[spec.kind]
    if not pattern.fullmatch(text):
        raise ValueError(text)
    if spec.kind == "count":
        return int(text)
    if spec.kind == "signed":
        sign = -1 if text.startswith(("-", "减少")) else 1
        return sign * int(text.lstrip("+-增加减少"))
    unit = "万元" if text.endswith("万元") else "元" if text.endswith("元") else spec.unit
    return Money(value=text.removesuffix("万元").removesuffix("元"), unit=unit)


def print_value(value: Scalar, spec: CellSpec, style: float = 0.0) -> str:
    """A value as a cell prints it; ``style`` (0–1) picks among the signed forms (+3, 增加3, 减少3)."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return value.value + (value.unit if value.unit and value.unit != spec.unit else "")
    if spec.kind == "signed" and value > 0:
        return f"+{value}" if style < 0.15 else f"增加{value}" if style < 0.25 else str(value)
    if spec.kind == "signed" and value < 0:
        return f"减少{-value}" if style < 0.15 else str(value)
    return str(value)


def _number(v: object) -> int:
    if isinstance(v, Dropped):
        return v.value
    return v if isinstance(v, int) else 0


@attrs.frozen
class Dropped:
    """A lost cell in a candidate reading: nothing printed; ``value`` is what the rules imply."""

    value: int


Reading = tuple[Scalar | Dropped, ...]  # one value per cell of a run


def _token_options(text: str, pos: int, spec: CellSpec, blanks: bool) -> Iterator[tuple[int, Scalar]]:
    """Every (end, value) of a token of ``spec``'s kind starting at ``pos`` (with ``blanks``, an
    empty one too)."""
    if blanks:
        yield pos, None
    for end in range(pos + 1, len(text) + 1):
        try:
            yield end, parse_token(text[pos:end], spec)
        except ValueError:
            continue


def _free(text: str, cells: Sequence[CellSpec], blanks: bool) -> list[Reading]:
    """Every split of ``text`` into ``cells`` (any of them blank) that nothing ties."""
    @functools.lru_cache(maxsize=None)
    def rest(pos: int, i: int) -> tuple[Reading, ...]:
        if i == len(cells):
            return ((),) if pos == len(text) else ()
        return tuple((v,) + tail for end, v in _token_options(text, pos, cells[i], blanks) for tail in rest(end, i + 1))

    return list(rest(0, 0))


def _bounded(text: str, cells: tuple[CellSpec, ...], bound: int, blanks: bool) -> dict[int, list[Reading]]:
    """Every split of ``text`` into ``cells`` (blanks allowed) with no value above ``bound``, by sum."""
    out: dict[int, list[Reading]] = {}

    def walk(pos: int, i: int, acc: tuple[Scalar, ...], total: int) -> None:
        if i == len(cells):
            if pos == len(text):
                out.setdefault(total, []).append(acc)
            return
        if len(text) - pos > (len(cells) - i) * len(str(bound - total)):
            return  # more digits left than the cells still to come can hold under the bound
        for end, v in _token_options(text, pos, cells[i], blanks):
            n = _number(v)
            if n > bound - total:
                break  # a longer token is larger still
            walk(end, i + 1, acc + (v,), total + n)

    walk(0, 0, (), 0)
    return out


def _summed(text: str, cells: Sequence[CellSpec], blanks: bool) -> list[Reading]:
    """Every split of ``text`` into ``cells`` whose last cell is the sum of the others (blanks read
    as 0). The total is a suffix of the text; for each way to cut it off, the parts are met in the
    middle: the first half's splits of a prefix and the second half's of the rest, matched by sum."""
    out: list[Reading] = []
    parts = tuple(cells[:-1])
    half = len(parts) // 2
    for cut in range(len(text), -1, -1):
        if cut == len(text) and not blanks:
            continue
        try:
            total = parse_token(text[cut:], cells[-1])
        except ValueError:
            continue
        if not isinstance(total, (int, type(None))):
            continue
        want = total or 0
        head = text[:cut]
        if want >= 10 ** len(head) and head:
            continue  # the parts' digits cannot add up to it
        for mid in range(len(head) + 1):
            left = _bounded(head[:mid], parts[:half], want, blanks)
            if not left:
                continue
            right = _bounded(head[mid:], parts[half:], want, blanks)
            for s, readings in left.items():
                for r in readings:
                    out += [r + q + (total,) for q in right.get(want - s, ())]
    return out


def _glued(run: Run) -> list[Reading]:
    """Every split of the glued string: groups (R3/R4) one after another, each ending where some
    prefix of the rest ends; cells outside every group split freely."""
    text = run.printed
    assert isinstance(text, str)
    if not run.groups:
        return _free(text, run.cells, run.blanks)
    groups = sorted(run.groups)
    if groups[0][0] != 0 or groups[-1][1] != len(run.cells) - 1 or any(
            a[1] + 1 != b[0] for a, b in zip(groups, groups[1:])):
        raise ValueError("the groups of a glued run must cover its cells one after another")

    @functools.lru_cache(maxsize=None)
    def rest(pos: int, g: int) -> tuple[Reading, ...]:
        if g == len(groups):
            return ((),) if pos == len(text) else ()
        a, b = groups[g]
        out = []
        ends = [len(text)] if g == len(groups) - 1 else range(pos, len(text) + 1)
        for end in ends:
            for r in _summed(text[pos:end], run.cells[a:b + 1], run.blanks):
                out += [r + tail for tail in rest(end, g + 1)]
        return tuple(out)

    return list(rest(0, 0))


def _satisfies(reading: Reading, groups: Sequence[tuple[int, int]]) -> bool:
    return all(sum(_number(reading[i]) for i in range(a, b)) == _number(reading[b]) for a, b in groups)


def _spaced(run: Run) -> list[Reading]:
    tokens = tuple(run.printed)
    n = len(run.cells)
    out: list[Reading] = []
    for where in itertools.combinations(range(n), len(tokens)):
        values: list[Scalar] = [None] * n
        try:
            for i, t in zip(where, tokens):
                values[i] = parse_token(t, run.cells[i])
        except ValueError:
            continue
        if _satisfies(tuple(values), run.groups):
            out.append(tuple(values))
    return out


def _fields(run: Run) -> list[Reading]:
    try:
        values = tuple(parse_token(t, c) for t, c in zip(run.printed, run.cells))
    except ValueError:
        return []
    return [values] if len(values) == len(run.cells) and _satisfies(values, run.groups) else []


def _lost(run: Run) -> list[Reading]:
    """One field is missing: every place it could have been, its value implied by the run's rule."""
    fields = tuple(run.printed)
    n = len(run.cells)
    out: list[Reading] = []
    for j in range(n):
        rest = fields[:j] + ("",) + fields[j:]
        try:
            values: list[Scalar | Dropped] = [parse_token(t, c) for t, c in zip(rest, run.cells)]
        except ValueError:
            continue
        g = next((g for g in run.groups if g[0] <= j <= g[1]), None)
        if g is None:
            continue  # nothing ties a lost cell outside a group: its place cannot be told
        others = sum(_number(values[i]) for i in range(g[0], g[1]) if i != j)
        implied = others if j == g[1] else _number(values[g[1]]) - others
        if implied < 0:
            continue
        values[j] = Dropped(implied)
        if _satisfies(tuple(values), run.groups):
            out.append(tuple(values))
    return out


def candidates(run: Run) -> list[Reading]:
    """Every reading of ``run`` its printed text allows that satisfies the run's own rules."""
    return {"glued": _glued, "spaced": _spaced, "fields": _fields, "lost": _lost}[run.form](run)


# ---- table B across rows: R1 and R2 per column


def _b_terms(row: str, result_prefixes: tuple[str, ...]) -> tuple[int, int]:
    """(coefficient in R2, coefficient in R1) of a table B row, each equation written as = 0:
    R2 Σ results − total = 0; R1 new + over − total − forward = 0."""
    if row == "total":
        return (-1, -1)
    if row in ("new_received", "carried_over"):
        return (0, 1)
    if row == "carried_forward":
        return (0, -1)
    if row.startswith(result_prefixes):
        return (1, 0)
    return (0, 0)


@attrs.frozen
class Recovered:
    """What a perfect reader gets from a table: ``values`` for every cell id it can tell (blank for
    a dropped cell), and for each cell it cannot, the values the surviving readings give it."""

    values: dict[str, Scalar]
    ambiguous: dict[str, tuple[Scalar | str, ...]]  # str: DROPPED, a reading that leaves the cell out
    dropped: tuple[str, ...]


def recover(runs: Sequence[Run], *, b_result_prefixes: tuple[str, ...] = ()) -> Recovered:
    """Enumerate every run's readings, keep those that fit R1/R2 across table B's rows, and say per
    cell whether all surviving readings agree. A run with no reading at all is a generator bug."""
    options = [candidates(r) for r in runs]
    for r, opts in zip(runs, options):
        if not opts:
            raise AssertionError(f"no reading of {r.form} run {r.printed!r} fits its rules")
    b = [k for k, r in enumerate(runs) if r.cells and r.cells[0].table == "applications"]
    if b:
        col_index = {c: i for i, c in enumerate(dict.fromkeys(c.column for k in b for c in runs[k].cells))}
        terms = []
        for k in b:
            per_cell = []
            for c in runs[k].cells:
                pair = [0] * (2 * len(col_index))
                r2, r1 = _b_terms(c.row, b_result_prefixes)
                pair[2 * col_index[c.column]], pair[2 * col_index[c.column] + 1] = r2, r1
                per_cell.append(tuple(pair))
            terms.append(tuple(per_cell))
        kept = _joint_cells([options[k] for k in b], terms)
        for k, opts in zip(b, kept):
            options[k] = opts
    values: dict[str, Scalar] = {}
    ambiguous: dict[str, tuple[Scalar | str, ...]] = {}
    dropped: list[str] = []
    for r, opts in zip(runs, options):
        for i, spec in enumerate(r.cells):
            seen: list[Scalar | str] = list(dict.fromkeys(DROPPED if isinstance(v, Dropped) else v
                                                          for v in (o[i] for o in opts)))
            if len(seen) == 1:
                only = seen[0]
                if isinstance(only, str):  # DROPPED: nothing printed it
                    values[spec.id] = None
                    dropped.append(spec.id)
                else:
                    values[spec.id] = only
            else:
                values[spec.id] = None
                ambiguous[spec.id] = tuple(seen)
    return Recovered(values=values, ambiguous=ambiguous, dropped=tuple(dropped))


class TooAmbiguous(Exception):
    """The readings of a table are too many to enumerate within :data:`BUDGET` partial sums."""


#: the most partial sums the joint enumeration of table B keeps at one step
BUDGET = 20_000


def _joint_cells(options: list[list[Reading]], terms: list[tuple[tuple[int, ...], ...]]) -> list[list[Reading]]:
    """The readings of each run that take part in at least one choice (one reading per run) whose
    summed terms are all 0 (``terms``: per run, per cell, the cell's coefficient in each equation).

    Each run's readings are first pruned equation by equation; then forward and backward sets of
    partial sums are met in the middle, a partial sum being dropped when, in some equation, no sum
    of the runs still to come brings it back to 0. More than :data:`BUDGET` sums at one step raises
    :class:`TooAmbiguous`.
    """
    def vec(reading: Reading, t: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
        out = [0] * len(t[0])
        for v, coeffs in zip(reading, t):
            n = _number(v)
            if n:
                for j, c in enumerate(coeffs):
                    if c:
                        out[j] += c * n
        return tuple(out)

    if not options:
        return []
    vecs = [[vec(r, t) for r in opts] for opts, t in zip(options, terms)]
    # readings that differ only where no equation looks (blanks against 0s) count once; each run's
    # readings are taken as changes from its first, so runs with one reading add nothing
    distinct = [sorted(set(vs)) for vs in vecs]
    width = len(vecs[0][0])
    n = len(distinct)
    deltas = [[tuple(a - b for a, b in zip(v, ds[0])) for v in ds] for ds in distinct]
    target = tuple(-sum(ds[0][j] for ds in distinct) for j in range(width))
    # first each equation on its own, until nothing changes: a reading that cannot balance one
    # equation whatever the other runs read cannot be part of a choice that balances all of them
    alive = [list(range(len(ds))) for ds in deltas]
    changed = True
    while changed:
        changed = False
        for j in range(width):
            pre: list[set[int]] = [{0}]
            for k in range(n):
                pre.append({x + deltas[k][i][j] for x in pre[-1] for i in alive[k]})
            suf: list[set[int]] = [{0}]
            for k in reversed(range(n)):
                suf.append({x + deltas[k][i][j] for x in suf[-1] for i in alive[k]})
            suf.reverse()
            for k in range(n):
                keep = [i for i in alive[k] if any(target[j] - deltas[k][i][j] - x in suf[k + 1] for x in pre[k])]
                if len(keep) != len(alive[k]):
                    alive[k], changed = keep, True
    distinct = [[ds[i] for i in a] for ds, a in zip(distinct, alive)]
    deltas = [[ds[i] for i in a] for ds, a in zip(deltas, alive)]

    def reach(order: list[int]) -> list[list[set[int] | None]]:
        """Per equation, the sums the runs after each step of ``order`` can still add (None: too many
        to list, no pruning)."""
        out: list[list[set[int] | None]] = [[{0}] * width]
        for k in reversed(order):
            prev = out[-1]
            row: list[set[int] | None] = []
            for j, sums in enumerate(prev):
                if sums is None:
                    row.append(None)
                    continue
                s = {d[j] + x for d in deltas[k] for x in sums}
                row.append(s if len(s) <= BUDGET else None)
            out.append(row)
        out.reverse()
        return out

    def sweep(order: list[int]) -> list[set[tuple[int, ...]]]:
        rest = reach(order)
        sets = [{(0,) * width}]
        for step, k in enumerate(order):
            after = rest[step + 1]
            nxt = set()
            for s in sets[-1]:
                for d in deltas[k]:
                    u = tuple(a + b for a, b in zip(s, d))
                    if all(sums is None or target[j] - u[j] in sums for j, sums in enumerate(after)):
                        nxt.add(u)
            if len(nxt) > BUDGET:
                raise TooAmbiguous(f"more than {BUDGET} partial sums")
            sets.append(nxt)
        return sets

    fwd = sweep(list(range(n)))
    bwd = sweep(list(range(n))[::-1])[::-1]
    out = []
    for k in range(n):
        need = {tuple(t_ - b for t_, b in zip(target, s)) for s in bwd[k + 1]}
        ok = {v for v, d in zip(distinct[k], deltas[k]) if any(tuple(a + b for a, b in zip(f, d)) in need for f in fwd[k])}
        out.append([r for r, v in zip(options[k], vecs[k]) if v in ok])
    return out
