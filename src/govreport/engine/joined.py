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
from .split import Decision, SumRule, TooMany, decide_rows, row_rules, splits
from .stream import LogicalRow, Token

_RUN = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
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
    runs = {r.key: (tuple(t.cell.text.strip().replace("－", "-") for t in r.logical.values), r.columns, r.kinds)
            for r in rows}
    decisions = decide_rows(template, table, runs, printed)
    out: dict[str, dict[str, Scalar]] = {}
    for r in rows:
        d = decisions[r.key]
        unit = row_unit(r.logical) if "money" in r.kinds else None
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
    try:
        cands = splits(pieces, kinds, rules)
        d = Decision(values=cands[0] if len(cands) == 1 else None, candidates=tuple(cands),
                     rules=tuple(dict.fromkeys(r.id for r in rules)))
    except TooMany:
        d = Decision(values=None, candidates=(), rules=tuple(dict.fromkeys(r.id for r in rules)), too_many=True)
    columns = tuple(f"{g}/{o}" for g in groups for o in outcomes)
    flat = _fill(col, table, None, columns, kinds, run, d, None, 1.0)
    return {g: {o: flat[f"{g}/{o}"] for o in outcomes} for g in groups}


def _fill(col: Collector, table: str, row: str | None, columns: Sequence[str], kinds: Sequence[str],
          run: Sequence[Token], d: Decision, unit: str | None, score: float) -> dict[str, Scalar]:
    # review columns are named "group/outcome" already
    cells = tuple(cell_id(table, row, c) if row else f"{table}/{c}" for c in columns)
    raw = " ".join(t.cell.text.strip() for t in run)
    out: dict[str, Scalar] = {c: None for c in columns}
    where = f"{table}/{row}" if row else table
    if d.values is None:
        if d.too_many:
            why = "too many ways to cut it to list"
        elif not d.candidates:
            why = "no way to cut it satisfies " + (", ".join(d.rules) or "the columns' value types")
        else:
            listed = ", ".join("/".join(c) for c in d.candidates[:LISTED])
            more = f" and {len(d.candidates) - LISTED} more" if len(d.candidates) > LISTED else ""
            rules = f"satisfy {', '.join(d.rules)}" if d.rules else "are possible (no rule ties these columns)"
            why = f"{len(d.candidates)} splits {rules}: {listed}{more}"
        col.warn("split-ambiguous", f"{where}: the printed run {raw!r} holds {len(columns)} values run together; "
                 f"{why}; left blank", cells)
        col.findings[-1] = attrs.evolve(col.findings[-1], found=raw,
                                        expected=[list(c) for c in d.candidates[:LISTED]] or None)
        return out
    how = f"by {', '.join(d.rules)}" if d.rules else "(the only way to cut it into these columns)"
    note = f"split from the run {raw!r} {how}"
    pieces = _pieces_at(run, d.values)
    for c, kind, (tok, part, at) in zip(columns, kinds, pieces):
        loc = tok.cell.loc if tok.cell.loc.char is None else attrs.evolve(tok.cell.loc, char=tok.cell.loc.char + at)
        cell = attrs.evolve(tok.cell, text=part, loc=loc)
        piece = attrs.evolve(tok, cell=cell, parsed=parse_value(part))
        out[c] = col.value(table, row or c.split("/")[0], c.split("/")[-1], piece, kind, unit=unit,
                           confidence=min(1.0, score), note=note)
    return out


def _pieces_at(run: Sequence[Token], parts: Sequence[str]) -> list[tuple[Token, str, int]]:
    """Each part with the token it was cut from and its offset in that token's text."""
    out = []
    ti, at = 0, 0
    for part in parts:
        text = run[ti].cell.text.strip()
        if at >= len(text):
            ti, at = ti + 1, 0
            text = run[ti].cell.text.strip()
        out.append((run[ti], part, at))
        at += len(part)
    return out
