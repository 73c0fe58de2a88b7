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

Values separated by spaces lose their blank cells, so a row may print fewer values than it has
cells. When no alignment of full rows fits, such a row is read every way its values can sit in
its cells in their order (:func:`_spread`); R3 filters each row and R1/R2 the rows together
(:func:`.rulefit.joint`). A cell on which the readings left standing agree is placed; one on which
they differ stays blank with a ``row-values-ambiguous`` finding.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

import attrs

from ..document import Cell
from ..labels import best_match, label_key
from ..model import Finding, Scalar, cell_id
from ..template import Row, Template
from ..validation import rule_rows
from ..values import as_count, as_money, parse_value
from . import rulefit
from .cells import Collector, ShortRow, fits_kind, row_unit
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


def _alignments(mine: list[Orphan], unfound: list[Row], allowed: list[list[int]], width: Callable[[Row], int],
                fits: Callable[[Orphan, int], bool]) -> list[tuple[int, ...]] | None:
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
            if lo <= j <= last and fits(mine[i], width(unfound[j])):
                walk(i + 1, j + 1, acc + (j,))
        return True

    walk(0, 0, ())
    return None if len(out) > MAX_ALIGNMENTS else out


def _place_table(col: Collector, stream: Stream, logical: list[LogicalRow],
                 tables: dict[str, dict[str, dict[str, Scalar]]], template: Template, fmt: str, name: str,
                 rows: tuple[Row, ...], unfound: list[Row], mine: list[Orphan], found: list[Match],
                 columns: Callable[[str, Row], tuple[str, ...]], label_begin: int, end: int,
                 pending: set[str]) -> list[Placed]:
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
    trials = _Trials(template, stream, name, columns, mine, unfound,
                     {k: v for k, v in tables[name].items() if k not in pending}, [r.key for r in rows])
    labels = _detached_labels(stream, logical, unfound, label_begin, end)
    idx = {id(r): j for j, r in enumerate(unfound)}
    guess = tuple(idx[id(r)] for r, _ in labels) if labels and len(labels) == len(mine) else None
    evaluate, values_of = trials.evaluate, trials.values_of

    chosen: tuple[tuple[int, ...], list[list[Reading]]] | str = "no order of the rows of values fits their rows"
    for short in (False, True):  # rows short of values (blanks not printed) only when no full reading fits
        def fits(o: Orphan, w: int, short: bool = short) -> bool:
            return _fit(o, w) is not None or (short and len(_bare(o)) < w)

        aligned = _alignments(mine, unfound, allowed, width, fits)
        if aligned is None:
            return _unresolved(col, name, unfound, columns, f"more than {MAX_ALIGNMENTS} ways to align "
                               f"{len(mine)} rows of values with them")
        by_label = guess if guess is not None and all(fits(o, width(unfound[j])) for o, j in zip(mine, guess)) else None
        first = evaluate(by_label, short) if by_label is not None else None
        if first is not None and by_label in aligned:
            survivors = [(by_label, first)]  # the labels' order, the rows' order and the rules agree
        else:
            survivors = [(a, kept) for a in aligned if a != by_label and (kept := evaluate(a, short)) is not None]
            survivors += [(by_label, first)] if first is not None and by_label is not None else []
        if any(not k for _, kept in survivors for k in kept):
            chosen = "the rows of values can be read in too many ways to tell them apart"
            continue
        chosen = _choose(survivors, aligned, by_label, unfound, values_of)
        if not isinstance(chosen, str):
            break
        if survivors:
            break  # the readings that fit disagree: reading fewer values would not settle it
    if isinstance(chosen, str):
        return _unresolved(col, name, unfound, columns, chosen)

    a, kept = chosen
    labelled = by_label is not None and a == by_label
    how = "by the order of their labels printed apart" if labelled else "by row order"
    return _record(col, stream, tables, name, mine, unfound, a, kept, columns, trials.kinds, trials.note(a, kept, how),
                   {id(r): text for r, text in labels or ()} if labelled else None)


class _Trials:
    """Readings of the rows of values of one table under an alignment with its rows, checked
    against the rules (``base``: the table's rows already read; ``fmt_rows``: its rows in order)."""

    def __init__(self, template: Template, stream: Stream, name: str, columns: Callable[[str, Row], tuple[str, ...]],
                 mine: list[Orphan], unfound: list[Row], base: dict[str, dict[str, Scalar]],
                 fmt_rows: list[str]) -> None:
        self.template, self.stream, self.name, self.columns = template, stream, name, columns
        self.mine, self.unfound, self.base, self.fmt_rows = mine, unfound, base, fmt_rows
        spec = template.tables[name]
        self.kinds = {c: spec.columns[c].type for c in spec.columns}
        self.row_rules = tuple(r for r in template.rules if r.table == name and r.over == "rows")

    def values(self, o: Orphan, r: Row, reading: Reading) -> dict[str, Scalar]:
        cols = self.columns(self.name, r)
        unit = _unit(o, cols, self.kinds, self.stream)
        return {c: None if t is None else _value(t, self.kinds.get(c, "count"), unit) for c, t in zip(cols, reading)}

    def readings(self, o: Orphan, r: Row, short: bool) -> list[Reading]:
        cols = self.columns(self.name, r)
        toks = _fit(o, len(cols))
        options: list[Reading] = [tuple(toks)] if toks is not None else []
        # an empty cell in front may be the label's; but a row as wide as its cells that keeps an
        # empty one (\t\t0) printed its blanks in place, so none of them was left out
        in_place = len(o.tokens) == len(cols) and any(_blank(t) for t in o.tokens)
        if short and len(_bare(o)) < len(cols) and not in_place:
            # a value goes only where its kind may stand (+822, 减少2: the change column; 515元: an amount)
            kinds = [self.kinds.get(c, "count") for c in cols]
            options += [x for x in _spread(_bare(o), len(cols)) if x not in options
                        and all(t is None or fits_kind(t, k) for t, k in zip(x, kinds))]
        cells = [cell_id(self.name, r.key, c) for c in cols]
        return [x for x in options
                if rulefit.holds(self.template, self.name, {r.key: self.values(o, r, x)}, self.row_rules, cells)]

    def evaluate(self, a: tuple[int, ...], short: bool) -> list[list[Reading]] | None:
        """The readings of each row of values that keep the rules holding under alignment ``a``
        (None: none does; an empty list inside: cannot be told within the budget)."""
        mine, unfound, name = self.mine, self.unfound, self.name
        opts = [self.readings(o, unfound[j], short) for o, j in zip(mine, a)]
        if any(not x for x in opts):
            return None
        keys = [unfound[j].key for j in a]
        rules = tuple(r for r in rulefit.checkable(self.template, name, self.fmt_rows, [*self.base, *keys])
                      if r.over == "columns" and set(rule_rows((*r.lhs, *r.rhs), keys)))
        kept = rulefit.joint(self.template, name, self.base,
                             [(k, [self.values(o, unfound[j], x) for x in xs]) for k, o, j, xs in zip(keys, mine, a, opts)],
                             rules)
        if kept is None:
            return [[] for _ in opts]
        if any(not k for k in kept):
            return None
        return [[xs[i] for i in k] for xs, k in zip(opts, kept)]

    def values_of(self, a: tuple[int, ...], kept: list[list[Reading]]) -> tuple:
        unfound = self.unfound
        return tuple((unfound[j].key, tuple(tuple(sorted({repr(self.values(o, unfound[j], x)[c]) for x in xs}))
                                           for c in self.columns(self.name, unfound[j])))
                     for o, j, xs in zip(self.mine, a, kept))

    def note(self, a: tuple[int, ...], kept: list[list[Reading]], how: str) -> str:
        """How the rows were placed, and the rules that confirm it."""
        unfound, name = self.unfound, self.name
        keys = [unfound[j].key for j in a]
        rules = rulefit.checkable(self.template, name, self.fmt_rows, [*self.base, *keys])
        trial = dict(self.base)
        for o, j, xs in zip(self.mine, a, kept):
            trial[unfound[j].key] = self.values(o, unfound[j], xs[0])
        cells = [cell_id(name, unfound[j].key, c) for j in a for c in self.columns(name, unfound[j])]
        confirmed = "/".join(sorted(rulefit.involved(self.template, name, trial, rules, cells)))
        return f"assigned {how}, " + (f"confirmed by {confirmed}" if confirmed else "no rule could confirm it")


Reading = tuple["Token | None", ...]


def _bare(o: Orphan) -> tuple[Token, ...]:
    """The row's cells after the empty label cells in front of them."""
    n = 0
    while n < min(LABEL_COLUMNS, len(o.tokens) - 1) and _blank(o.tokens[n]):
        n += 1
    return o.tokens[n:]


def _spread(tokens: tuple[Token, ...], width: int) -> list[Reading]:
    """Every way to put ``tokens``, in their order, in ``width`` cells, the others blank: a row
    printed with spaces between its values loses its blank cells, and nothing says which they were."""
    out: list[Reading] = []
    for where in itertools.combinations(range(width), len(tokens)):
        cells: list[Token | None] = [None] * width
        for i, t in zip(where, tokens):
            cells[i] = t
        out.append(tuple(cells))
    return out


def _choose(survivors: list[tuple[tuple[int, ...], list[list[Reading]]]], aligned: list[tuple[int, ...]],
            by_label: tuple[int, ...] | None, unfound: list[Row],
            outcome: Callable[[tuple[int, ...], list[list[Reading]]], tuple]
            ) -> tuple[tuple[int, ...], list[list[Reading]]] | str:
    """The alignment to place the rows by (with the readings of each row it leaves), or why none can be chosen."""
    labelled = [s for s in survivors if s[0] == by_label]
    if by_label is not None and by_label in aligned and labelled:
        return labelled[0]  # the labels' order and the rows' order agree, and the rules do not object
    outcomes = {outcome(a, kept) for a, kept in survivors}
    if len(outcomes) == 1:
        return labelled[0] if labelled else survivors[0]
    if not survivors:
        return "no order of the rows of values keeps the rules (R1–R3) holding"
    return f"{len(outcomes)} different readings keep the rules holding"


def _record(col: Collector, stream: Stream, tables: dict[str, dict[str, dict[str, Scalar]]], name: str,
            mine: list[Orphan], unfound: list[Row], chosen: tuple[int, ...], kept: list[list[Reading]],
            columns: Callable[[str, Row], tuple[str, ...]], kinds: dict[str, str], note: str,
            label_text: dict[int, str] | None) -> list[Placed]:
    """Write the placed rows into ``tables`` with their provenance and a finding each
    (``label_text``: the detached labels they were placed by, if any). A cell on which the row's
    readings disagree stays blank, named by a ``row-values-ambiguous`` finding."""
    labelled = label_text is not None
    out: list[Placed] = []
    for o, j, readings in zip(mine, chosen, kept):
        r = unfound[j]
        cols = columns(name, r)
        unit = _unit(o, cols, kinds, stream)
        row: dict[str, Scalar] = {}
        doubtful: list[str] = []
        for i, c in enumerate(cols):
            kind = kinds.get(c, "count")
            seen = {repr(_value(t, kind, unit)) if (t := x[i]) is not None else 'None' for x in readings}
            tok = readings[0][i]
            if len(seen) > 1:
                row[c] = None
                doubtful.append(c)
            elif tok is None:
                row[c] = None  # every reading leaves it blank: a blank not printed
            else:
                row[c] = col.value(name, r.key, c, tok, kind, unit=unit,
                                   confidence=LABELLED if labelled else BY_ORDER, note=note)
        tables[name][r.key] = row
        where = f"label {label_text[id(r)]!r}" if label_text is not None else f"values at {o.tokens[0].cell.loc}"
        col.findings.append(Finding(rule="row-by-order", severity="warning",
                                    message=f"{name}/{r.key}: a row of values printed without its label ({where}); "
                                            f"{note}", cells=tuple(cell_id(name, r.key, c) for c in cols)))
        if doubtful and name in col.rule_tables:
            # the rows the rules place later (a cell lost, blanks not printed) may settle it: decided with them
            col.short.append(_deferred(name, r.key, cols, kinds, o, readings,
                                       LABELLED if labelled else BY_ORDER, note))
        elif doubtful:
            col.warn("row-values-ambiguous",
                     f"{name}/{r.key}: {len(o.tokens)} values printed for {len(cols)} cells without their blanks; "
                     f"{len(readings)} placements keep the rules holding and they differ in "
                     f"{', '.join(doubtful)}, left blank",
                     tuple(cell_id(name, r.key, c) for c in doubtful))
        out.append(Placed(table=name, key=r.key, tokens=o.tokens))
    return out


def _deferred(name: str, key: str, cols: tuple[str, ...], kinds: dict[str, str], o: Orphan,
              readings: list[Reading], confidence: float, note: str) -> ShortRow:
    """A row whose placements the rules left open, for :mod:`.lost_cell` to decide with the
    table's other open rows."""
    tokens = sorted({t.index: t for x in readings for t in x if t is not None}.values(), key=lambda t: t.index)
    at = {t.index: i for i, t in enumerate(tokens)}
    spreads = tuple(dict.fromkeys(tuple(None if t is None else at[t.index] for t in x) for x in readings))
    return ShortRow(table=name, row=key, columns=cols, kinds=kinds,
                    logical=LogicalRow(labels=list(o.tokens[:1]), values=list(o.tokens)), values=tuple(tokens),
                    confidence=confidence, spreads=spreads, note=note)


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
