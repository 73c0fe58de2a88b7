"""Rows of a run-together table: their digit runs split by the rules, with provenance saying so.

The arithmetic lives in :mod:`.split`; this module turns its decisions into values (each traced to
the run it was cut from and the rules that decided the cut) or, where the rules leave more than one
split, into blank cells and a finding that lists the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs

from ..model import Scalar, cell_id
from ..template import Template
from ..values import parse_value
from .cells import Collector, row_unit
from .split import Decision, SumRule, TooMany, decide_rows, fewest_blanks, row_rules, splits
from .stream import LogicalRow, Token

_RUN = re.compile(r"^(?:[+\-－]|增加|减少|增|减)?\d+(?:\.\d+)?(?:万元|元)?$")
_UNIT = re.compile(r"(万元|元)$")
# a change's sign, in figures or in words (增加3, 减少2), as the splitter reads it
_SIGN_WORDS = (("增加", "+"), ("减少", "-"), ("增", "+"), ("减", "-"), ("－", "-"))


def _plain(text: str) -> str:
    text = _UNIT.sub("", text.strip())
    for word, sign in _SIGN_WORDS:
        if text.startswith(word):
            return sign + text[len(word):]
    return text
#: Candidates listed in a finding at most.
LISTED = 20


def needs_split(lr: LogicalRow, width: int) -> bool:
    """A row of a run-together table with fewer printed values than columns, all plain digits."""
    vals = lr.values
    return (0 < len(vals) < width and all(t.joined for t in vals)
            and all(_RUN.match(t.cell.text.strip()) for t in vals))


@attrs.frozen(kw_only=True)
class SplitRow:
    key: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    logical: LogicalRow
    score: float


def fill_split_rows(col: Collector, template: Template, table: str, rows: Sequence[SplitRow],
                    printed: Mapping[str, Mapping[str, Scalar]]) -> dict[str, dict[str, Scalar]]:
    """Values for rows whose runs must be split, decided together with the table's printed rows."""
    runs = {r.key: (tuple(_plain(t.cell.text) for t in r.logical.values), r.columns, r.kinds) for r in rows}
    decisions = decide_rows(template, table, runs, printed)
    out: dict[str, dict[str, Scalar]] = {}
    for r in rows:
        d = decisions[r.key]
        printed_unit = next((m.group(1) for t in r.logical.values if (m := _UNIT.search(t.cell.text.strip()))), None)
        unit = (printed_unit or row_unit(r.logical)) if "money" in r.kinds else None
        out[r.key] = _fill(col, table, r.key, r.columns, r.kinds, r.logical.values, d, unit, r.score)
    return out


def split_review(col: Collector, template: Template, table: str, groups: Sequence[str], outcomes: Sequence[str],
                 run: Sequence[Token]) -> dict[str, dict[str, Scalar]]:
    """Table C printed as one run of digits: fifteen values, each group's total the sum of its four."""
    rules: list[SumRule] = []
    for g in range(len(groups)):
        rules += row_rules(template, table, outcomes, offset=g * len(outcomes))
    kinds = ("count",) * (len(groups) * len(outcomes))
    pieces = tuple(t.cell.text.strip() for t in run)
    ids = tuple(dict.fromkeys(r.id for r in rules))
    try:
        d = Decision.of(fewest_blanks(pieces, kinds, rules), ids)
    except TooMany:
        d = Decision(parts=None, candidates=(), rules=ids, too_many=True)
    columns = tuple(f"{g}/{o}" for g in groups for o in outcomes)
    flat = _fill(col, table, None, columns, kinds, run, d, None, 1.0)
    return {g: {o: flat[f"{g}/{o}"] for o in outcomes} for g in groups}


def place_review(col: Collector, template: Template, table: str, groups: Sequence[str], outcomes: Sequence[str],
                 lines: Sequence[Sequence[Token]]) -> dict[str, dict[str, Scalar]]:
    """Table C printed as values apart (``44 79 5 128``) with its blank cells left out: fewer values
    than cells, so the rules (each group's total the sum of its four) say where the blanks were.

    ``lines`` holds either one line per group, each the values of that group, or one sequence of all
    the table's values (then a blank may be in any group). Cells the placements disagree on stay blank.
    """
    width = len(outcomes)
    if len(lines) == len(groups):
        parts = [(list(line), [g]) for line, g in zip(lines, groups)]
    else:
        parts = [([t for line in lines for t in line], list(groups))]
    out: dict[str, dict[str, Scalar]] = {}
    for run, names in parts:
        rules: list[SumRule] = []
        for g in range(len(names)):
            rules += row_rules(template, table, outcomes, offset=g * width)
        kinds = ("count",) * (len(names) * width)
        ids = tuple(dict.fromkeys(r.id for r in rules))
        try:
            d = Decision.of(splits(tuple(t.cell.text.strip() for t in run), kinds, rules, blanks=True, whole=True), ids)
        except TooMany:
            d = Decision(parts=None, candidates=(), rules=ids, too_many=True)
        columns = tuple(f"{g}/{o}" for g in names for o in outcomes)
        flat = _fill(col, table, None, columns, kinds, run, d, None, 1.0, spaced=True)
        out.update({g: {o: flat[f"{g}/{o}"] for o in outcomes} for g in names})
    return out


def _fill(col: Collector, table: str, row: str | None, columns: Sequence[str], kinds: Sequence[str],
          run: Sequence[Token], d: Decision, unit: str | None, score: float, *,
          spaced: bool = False) -> dict[str, Scalar]:
    # review columns are named "group/outcome" already
    cells = tuple(cell_id(table, row, c) if row else f"{table}/{c}" for c in columns)
    raw = " ".join(t.cell.text.strip() for t in run)
    out: dict[str, Scalar] = {c: None for c in columns}
    where = f"{table}/{row}" if row else table
    parts = d.parts or (None,) * len(columns)
    open_cells = tuple(cid for cid, p in zip(cells, parts) if p is None)
    if open_cells:
        _explain(col, where, raw, len(columns), d, open_cells, spaced)
    if d.parts is None:
        return out
    how = f"by {', '.join(d.rules)}" if d.rules else "(the only way to cut it into these columns)"
    if spaced:
        note = f"placed among the values printed apart {raw!r}, which leave out their blank cells, {how}"
    else:
        # a blank leaves nothing in a run: say which reading of blanks the cut rests on
        how += ", no cell read as blank" if "" not in parts else ", a column with no digits left in the run read as blank"
        note = f"split from the run {raw!r} {how}"
    if open_cells:
        note += "; the cells the splits disagree on are left blank"
    # where each value stands in the run (splits that agree on a value may still place it apart
    # only around the open cells; the first split's places are given)
    placed = _pieces_at(run, d.candidates[0])
    for i, (c, kind) in enumerate(zip(columns, kinds)):
        part = parts[i]
        if part is None:
            continue
        tok, _, at = placed[i]
        loc = tok.cell.loc if tok.cell.loc.char is None else attrs.evolve(tok.cell.loc, char=tok.cell.loc.char + at)
        cell = attrs.evolve(tok.cell, text=part, loc=loc)
        piece = attrs.evolve(tok, cell=cell, parsed=parse_value(part))
        out[c] = col.value(table, row or c.split("/")[0], c.split("/")[-1], piece, kind, unit=unit,
                           confidence=min(1.0, score), note=note)
    return out


def _explain(col: Collector, where: str, raw: str, width: int, d: Decision, open_cells: tuple[str, ...],
             spaced: bool = False) -> None:
    """A finding for the cells no split decides, listing the splits that remain."""
    # splits that leave no cell blank first: a blank in a run is possible, but the rarer reading
    candidates = sorted(d.candidates, key=lambda c: sum(1 for p in c if not p))
    if d.too_many:
        why = "too many ways to cut it to list"
    elif not d.candidates:
        why = "no way to cut it satisfies " + (", ".join(d.rules) or "the columns' value types")
    else:
        listed = ", ".join("/".join(p or "(blank)" for p in c) for c in candidates[:LISTED])
        more = f" and {len(candidates) - LISTED} more" if len(candidates) > LISTED else ""
        rules = f"satisfy {', '.join(d.rules)}" if d.rules else "are possible (no rule ties these columns)"
        full = sum(1 for c in candidates if all(c))
        noun = "placements of the blanks" if spaced else "splits"
        counted = f"{len(candidates)} {noun} ({full} with no blank cell)" if full < len(candidates) and not spaced \
            else f"{len(candidates)} {noun}"
        why = f"{counted} {rules}: {listed}{more}"
    what = (f"the values printed apart {raw!r} leave out blank cells of {width}" if spaced
            else f"the printed run {raw!r} holds {width} values run together")
    col.warn("split-ambiguous", f"{where}: {what}; {why}; {len(open_cells)} cell(s) they disagree on left blank",
             open_cells)
    col.findings[-1] = attrs.evolve(col.findings[-1], found=raw,
                                    expected=[list(c) for c in candidates[:LISTED]] or None)


def _pieces_at(run: Sequence[Token], parts: Sequence[str]) -> list[tuple[Token, str, int]]:
    """Each part with the token it was cut from and its offset in that token's text."""
    out = []
    ti, at = 0, 0
    for part in parts:
        if part and at >= len(_plain(run[ti].cell.text)):
            ti, at = ti + 1, 0
        out.append((run[ti], part, at))
        at += len(part)
    return out
