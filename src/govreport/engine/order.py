"""Rows whose values were printed apart from their labels, placed by the national format's row order.

Converters lose a table's structure in two ways this pass undoes: the row labels printed as lines
of their own (all labels first, then all the rows of values, or the labels in another order), and
rows of values printed with no label at all. Label matching (:mod:`.rows`) leaves such values
unused. The format fixes the order of a table's rows, so the physical rows holding only values
(:func:`orphan_rows`), in reading order, are aligned to the template rows label matching did not
find: where the detached labels are there and as many as the rows of values, they say which row
is which; otherwise the order alone does, between the rows that were matched. Every alignment the
layout allows is checked with the rules (:mod:`.rulefit`: R3 in each row, R2/R1 over the columns
once every row they name is known); the values are placed only when one reading survives. Nothing
this pass does touches a row or a value label matching used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from ..document import Cell
from ..labels import best_match, label_key
from ..model import Finding, Scalar, cell_id
from ..template import Row, Template
from ..values import as_count, as_money, parse_value
from . import rulefit
from .cells import Collector, row_unit
from .rows import MIN_SCORE, Match, label_score
from .stream import Break, LogicalRow, Stream, Token

_SENTENCE = re.compile(r"[。；;！？]")
#: The most alignments of rows of values to template rows tried for one table.
MAX_ALIGNMENTS = 2000
#: Confidence factor of a value placed by the order of the rows (with the labels' order: LABELLED).
BY_ORDER = 0.6
LABELLED = 0.8
#: The most empty label cells taken off the front of a row of values (table B prints three label columns).
LABEL_COLUMNS = 3


@attrs.frozen(kw_only=True)
class Orphan:
    """A physical row of value cells that no matched row used."""

    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].index


@attrs.frozen(kw_only=True)
class Placed:
    table: str
    key: str
    tokens: tuple[Token, ...]


def _blank(t: Token) -> bool:
    return t.parsed is not None and t.parsed.is_blank


def _physical(stream: Stream) -> dict[int, list[Token]]:
    rows: dict[int, list[Token]] = {}
    for t in stream.tokens:
        if t.row != -1:
            rows.setdefault(t.row, []).append(t)
    return rows


def detach_wrapped(logical: list[LogicalRow], stream: Stream) -> list[LogicalRow]:
    """Labels printed apart from their values: undo the first row of values taken for a wrapped label.

    :func:`~.stream.logical_rows` gives a label alone on its line the values of the next line (a
    label wrapped in its cell). When labels are all printed before the values, that joins the last
    label to the *first* row of values. It is undone when the label follows other labels without
    values and the values are followed by another row of values only, as long: a run of rows of
    values, whose labels are elsewhere.
    """
    phys = _physical(stream)
    used = {t.index for lr in logical for t in lr.values}
    out = list(logical)
    for i, lr in enumerate(logical):
        if not lr.values or i == 0 or logical[i - 1].values:
            continue
        rows = {t.row for t in lr.values}
        if len(rows) != 1 or -1 in rows or rows & {t.row for t in lr.labels}:
            continue
        (row,) = rows
        if len(phys[row]) != len(lr.values):
            continue
        nxt = next((t for t in stream.items[lr.values[-1].index + 1:lr.values[-1].index + 2] if isinstance(t, Token)),
                   None)
        if nxt is None or nxt.row in (-1, row):
            continue
        after = phys[nxt.row]
        if len(after) == len(lr.values) and all(t.kind == "value" and t.index not in used for t in after):
            out[i] = attrs.evolve(lr, values=[])
    return out


def orphan_rows(stream: Stream, used: set[int], skip: set[int]) -> list[Orphan]:
    """Physical rows of value cells only (blanks among them, at least one number), unused by any match."""
    out = []
    for toks in _physical(stream).values():
        if any(t.kind != "value" or t.index in used or t.index in skip for t in toks):
            continue
        if all(_blank(t) for t in toks):
            continue  # the empty cells of a header row say nothing of any row
        out.append(Orphan(tokens=tuple(toks)))
    return sorted(out, key=lambda o: o.start)


def paragraph_rows(stream: Stream) -> list[Orphan]:
    """Lines of two or more values a reader left as paragraphs (``0 4687.34元`` alone between labels).

    A reader makes a grid of a run of lines that look like rows; a single line of values between
    label lines reads as running text. Once the labels are detached from it, such a line is a row
    of values like any other, so it is offered to the order pass as one (a lone number — a page
    number — is never taken for a row).
    """
    out = []
    for i, it in enumerate(stream.items):
        if not isinstance(it, Break):
            continue
        parts = it.paragraph.text.split()
        parsed = [parse_value(p) for p in parts]
        if len(parts) < 2 or any(v is None for v in parsed):
            continue
        out.append(Orphan(tokens=tuple(
            Token(index=i, kind="value", cell=Cell(text=p, loc=it.paragraph.loc), grid=-1, row=-1, parsed=v)
            for p, v in zip(parts, parsed))))
    return out


def _fit(o: Orphan, width: int) -> tuple[Token, ...] | None:
    """The row's values for a row of ``width`` columns: all of them, or after empty label cells."""
    n = len(o.tokens)
    if n == width:
        return o.tokens
    if width < n <= width + LABEL_COLUMNS and all(_blank(t) for t in o.tokens[:n - width]):
        return o.tokens[n - width:]
    return None


def _region_starts(stream: Stream, template: Template, tables: Sequence[str], matches: Sequence[Match],
                   table_of: Callable[[Row], str]) -> dict[str, int]:
    """Where each table starts in the stream: its section heading, a header only it prints, or a matched row."""
    own: dict[str, set[str]] = {}
    for name in (*tables, "review_litigation"):
        spec = template.tables[name]
        own[name] = {k for c in spec.columns.values() for k in c.labels} | set(spec.anchor)
    shared = {k for n, v in own.items() for k in v if any(k in w for m, w in own.items() if m != n)}
    own = {n: v - shared for n, v in own.items()}
    phrases = dict(template.sections)
    first_match: dict[str, int] = {}
    for m in matches:
        n = table_of(m.row)
        first_match[n] = min(first_match.get(n, m.logical.start), m.logical.start)
    # the tables come in the format's order: each is looked for after the one before
    starts: dict[str, int] = {}
    at = 0
    for n in own:
        for i in range(at, len(stream.items)):
            it = stream.items[i]
            if isinstance(it, Break):
                key = label_key(it.paragraph.text)
                hit = len(key) <= 40 and any(p in key for p in phrases.get(n, ()))
            else:
                hit = it.kind == "label" and it.key in own[n]
            if hit or i == first_match.get(n):
                starts[n] = at = i
                break
    return starts


def place_by_order(col: Collector, stream: Stream, logical: list[LogicalRow], matches: Sequence[Match],
                   tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, fmt: str,
                   names: Sequence[str], columns: Callable[[str, Row], tuple[str, ...]],
                   skip: set[int]) -> list[Placed]:
    """Fill template rows label matching left unfound from rows of values printed without their labels."""
    table_of = {id(r): n for n in names for r in template.tables[n].rows_for(fmt)}
    used = {t.index for m in matches for t in m.logical.values}
    orphans = orphan_rows(stream, used, skip)
    lines = [o for o in paragraph_rows(stream) if o.start not in skip]
    if not orphans and not lines:
        return []
    starts = _region_starts(stream, template, names, matches, lambda r: table_of[id(r)])
    bounds = sorted((s, n) for n, s in starts.items())
    out: list[Placed] = []
    pending = {(s.table, s.row) for s in col.short}
    for name in names:
        if name not in starts:
            continue
        begin = starts[name]
        end = min((s for s, n in bounds if s > begin), default=len(stream.items))
        rows = template.tables[name].rows_for(fmt)
        unfound = [r for r in rows if r.key not in tables[name]]
        mine = [o for o in orphans if begin <= o.start < end]
        # a line of values joins them only where it can be one of the rows still to place
        mine += [o for o in lines if begin <= o.start < end
                 and any(_fit(o, len(columns(name, r))) is not None for r in unfound)]
        mine.sort(key=lambda o: o.start)
        if not unfound or not mine:
            continue
        found = [m for m in matches if table_of.get(id(m.row)) == name]
        # labels printed apart may stand before the table's own first cell (after the table before it)
        label_begin = max((s + 1 for s, n in bounds if s < begin), default=0)
        out.extend(_place_table(col, stream, logical, tables, template, fmt, name, rows, unfound, mine, found,
                                columns, label_begin, end, {k for t, k in pending if t == name}))
    return out


def _detached_labels(stream: Stream, logical: list[LogicalRow], unfound: list[Row], begin: int,
                     end: int) -> list[tuple[Row, str]] | None:
    """The unfound rows' labels printed without values in the table's region, in printed order."""
    seen: list[tuple[int, Row, str]] = []
    for lr in logical:
        if lr.values or not begin <= lr.start < end or lr.labels[-1].header:
            continue
        scores = sorted(((label_score(lr, r), i) for i, r in enumerate(unfound)), reverse=True)
        if scores and scores[0][0] >= MIN_SCORE and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            seen.append((lr.start, unfound[scores[0][1]], lr.text))
    for i in range(begin, end):
        it = stream.items[i]
        if not isinstance(it, Break):
            continue
        key = label_key(it.paragraph.text)
        scores = sorted(((best_match(key, r.labels), j) for j, r in enumerate(unfound)), reverse=True)
        if not scores or scores[0][0] < MIN_SCORE or (len(scores) > 1 and scores[1][0] >= scores[0][0]):
            continue
        row = unfound[scores[0][1]]
        if len(key) <= 40 and not _SENTENCE.search(it.paragraph.text):  # a label, not a sentence naming one
            seen.append((i, row, it.paragraph.text.strip()))
    seen.sort(key=lambda x: x[0])
    if len({id(r) for _, r, _ in seen}) != len(seen):
        return None  # a label printed twice: its position says nothing
    return [(r, text) for _, r, text in seen]


def _alignments(mine: list[Orphan], unfound: list[Row], allowed: list[list[int]], width: Callable[[Row], int]
                ) -> list[tuple[int, ...]] | None:
    """Every way to give each row of values, in order, a distinct unfound row, in template order."""
    out: list[tuple[int, ...]] = []

    def walk(i: int, lo: int, acc: tuple[int, ...]) -> bool:
        if len(out) > MAX_ALIGNMENTS:
            return False
        if i == len(mine):
            out.append(acc)
            return True
        last = len(unfound) - (len(mine) - i)  # leave a row for each row of values still to place
        for j in allowed[i]:
            if lo <= j <= last and _fit(mine[i], width(unfound[j])) is not None:
                walk(i + 1, j + 1, acc + (j,))
        return True

    walk(0, 0, ())
    return None if len(out) > MAX_ALIGNMENTS else out


def _place_table(col: Collector, stream: Stream, logical: list[LogicalRow],
                 tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, fmt: str, name: str,
                 rows: tuple[Row, ...], unfound: list[Row], mine: list[Orphan], found: list[Match],
                 columns: Callable[[str, Row], tuple[str, ...]], label_begin: int, end: int,
                 pending: set[str]) -> list[Placed]:
    spec = template.tables[name]
    order = {r.key: i for i, r in enumerate(rows)}

    def width(r: Row) -> int:
        return len(columns(name, r))

    # between two matched rows only the rows the template puts between them
    anchors = sorted((m.logical.start, order[m.row.key]) for m in found)
    if [o for _, o in anchors] != sorted(o for _, o in anchors):
        return _unresolved(col, name, unfound, columns, "the rows that were found are not in the format's order")
    allowed: list[list[int]] = []
    for o in mine:
        lo = max((t for s, t in anchors if s < o.start), default=-1)
        hi = min((t for s, t in anchors if s > o.start), default=len(rows))
        allowed.append([j for j, r in enumerate(unfound) if lo < order[r.key] < hi])
    aligned = _alignments(mine, unfound, allowed, width)
    if aligned is None:
        return _unresolved(col, name, unfound, columns, f"more than {MAX_ALIGNMENTS} ways to align "
                           f"{len(mine)} rows of values with them")
    candidates: list[tuple[tuple[int, ...], bool]] = [(a, False) for a in aligned]
    labels = _detached_labels(stream, logical, unfound, label_begin, end)
    by_label: tuple[int, ...] | None = None
    if labels and len(labels) == len(mine):
        idx = {id(r): j for j, r in enumerate(unfound)}
        guess = tuple(idx[id(r)] for r, _ in labels)
        if all(_fit(o, width(unfound[j])) is not None for o, j in zip(mine, guess)):
            by_label = guess
            if guess not in aligned:
                candidates.append((guess, True))
    fmt_rows = [r.key for r in rows]
    present_base = [k for k in tables[name] if k not in pending]
    kinds = {c: spec.columns[c].type for c in spec.columns}

    def trial(a: tuple[int, ...]) -> dict[str, dict[str, Scalar]]:
        t = {k: v for k, v in tables[name].items() if k not in pending}
        for o, j in zip(mine, a):
            r = unfound[j]
            cols = columns(name, r)
            toks = _fit(o, len(cols))
            assert toks is not None
            unit = _unit(o, cols, kinds, stream)
            t[r.key] = {c: _value(tok, kinds.get(c, "count"), unit) for c, tok in zip(cols, toks)}
        return t

    def checks(a: tuple[int, ...]) -> tuple[tuple, list[str]]:
        rules = rulefit.checkable(template, name, fmt_rows, [*present_base, *(unfound[j].key for j in a)])
        return rules, [cell_id(name, unfound[j].key, c) for j in a for c in columns(name, unfound[j])]

    survivors: list[tuple[tuple[int, ...], dict]] = []
    for a, _ in candidates:
        t = trial(a)
        rules, cells = checks(a)
        if rulefit.holds(template, name, t, rules, cells):
            survivors.append((a, t))
    chosen = _choose(survivors, aligned, by_label, unfound)
    if isinstance(chosen, str):
        return _unresolved(col, name, unfound, columns, chosen)
    labelled = chosen == by_label
    rules, cells = checks(chosen)
    confirmed = "/".join(sorted(rulefit.involved(template, name, trial(chosen), rules, cells)))
    how = "by the order of their labels printed apart" if labelled else "by row order"
    note = f"assigned {how}, " + (f"confirmed by {confirmed}" if confirmed else "no rule could confirm it")
    return _record(col, stream, tables, name, mine, unfound, chosen, columns, kinds, note,
                   {id(r): text for r, text in labels or ()} if labelled else None)


def _choose(survivors: list[tuple[tuple[int, ...], dict]], aligned: list[tuple[int, ...]],
            by_label: tuple[int, ...] | None, unfound: list[Row]) -> tuple[int, ...] | str:
    """The alignment to place the rows by, or why none can be chosen."""
    if by_label is not None and by_label in aligned and any(a == by_label for a, _ in survivors):
        return by_label  # the labels' order and the rows' order agree, and the rules do not object
    outcomes = {_frozen(t, [unfound[j].key for j in a]) for a, t in survivors}
    if len(outcomes) == 1:
        if by_label is not None and any(a == by_label for a, _ in survivors):
            return by_label
        return survivors[0][0]
    if not survivors:
        return "no order of the rows of values keeps the rules (R1–R3) holding"
    return f"{len(outcomes)} different readings keep the rules holding"


def _record(col: Collector, stream: Stream, tables: dict[str, dict[str, dict[str, Scalar]]], name: str,
            mine: list[Orphan], unfound: list[Row], chosen: tuple[int, ...],
            columns: Callable[[str, Row], tuple[str, ...]], kinds: dict[str, str], note: str,
            label_text: dict[int, str] | None) -> list[Placed]:
    """Write the placed rows into ``tables`` with their provenance and a finding each
    (``label_text``: the detached labels they were placed by, if any)."""
    labelled = label_text is not None
    out: list[Placed] = []
    for o, j in zip(mine, chosen):
        r = unfound[j]
        cols = columns(name, r)
        toks = _fit(o, len(cols))
        assert toks is not None
        unit = _unit(o, cols, kinds, stream)
        tables[name][r.key] = {
            c: col.value(name, r.key, c, tok, kinds.get(c, "count"), unit=unit,
                         confidence=LABELLED if labelled else BY_ORDER, note=note)
            for c, tok in zip(cols, toks)
        }
        where = f"label {label_text[id(r)]!r}" if label_text is not None else f"values at {toks[0].cell.loc}"
        col.findings.append(Finding(rule="row-by-order", severity="warning",
                                    message=f"{name}/{r.key}: a row of values printed without its label ({where}); "
                                            f"{note}", cells=tuple(cell_id(name, r.key, c) for c in cols)))
        out.append(Placed(table=name, key=r.key, tokens=toks))
    return out


def _frozen(t: dict[str, dict[str, Scalar]], keys: list[str]) -> tuple:
    return tuple(sorted((k, tuple(sorted(t[k].items()))) for k in keys))


def _value(tok: Token, kind: str, unit: str | None) -> Scalar:
    assert tok.parsed is not None
    if kind == "money":
        return as_money(tok.parsed, unit)[0]
    return as_count(tok.parsed, signed=kind == "signed")[0]


def _unit(o: Orphan, cols: tuple[str, ...], kinds: dict[str, str], stream: Stream) -> str | None:
    """A money column's unit from the nearest header above the row (单位：万元)."""
    if "money" not in (kinds.get(c) for c in cols):
        return None
    items = stream.items[max(0, o.start - 200):o.start]
    above = [t for t in items if isinstance(t, Token) and t.kind == "label"][-8:]
    # headers printed as lines of their own (本年收费金额（单位：万元）) come as paragraphs
    lines = [t.paragraph for t in items if isinstance(t, Break)][-8:]
    return row_unit(LogicalRow(labels=above[-1:] or list(o.tokens[:1]), context=above, headings=lines))


def _unresolved(col: Collector, name: str, unfound: list[Row], columns: Callable[[str, Row], tuple[str, ...]],
                why: str) -> list[Placed]:
    col.warn("row-order-unresolved", f"{name}: rows of values printed without labels were not placed: {why}; "
             f"{', '.join(r.key for r in unfound)} left blank",
             tuple(cell_id(name, r.key, c) for r in unfound for c in columns(name, r)))
    return []
