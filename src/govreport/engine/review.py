"""Table C (行政复议、行政诉讼): fifteen numbers in three groups of five.

Its headers are the most mangled part of any report (vertical text, three header rows, merged
cells), but its values are one run of fifteen cells. So the engine finds where the table starts and
takes the first uninterrupted run of fifteen value cells after it, never reading values out of the
header rows.
"""

from __future__ import annotations

import re

from ..labels import label_key
from ..model import Scalar
from ..template import TableSpec, Template
from .cells import Collector
from .joined import place_review, split_review
from .stream import Break, Stream, Token

TABLE = "review_litigation"
_HEADING = re.compile(r"\s*[一二三四五六七八九十]+\s*[、.．]")
_START_KEYS = ("行政复议", "行政诉讼", "复议后起诉", "直接起诉", "结果维持", "结果纠正", "尚未审结")


def _starts_table(item: Token | Break, phrases: tuple[str, ...]) -> bool:
    if isinstance(item, Break):
        key = label_key(item.paragraph.text)
        return len(key) <= 40 and any(p in key for p in phrases)
    return item.kind == "label" and any(k in item.key for k in _START_KEYS)


def _blank(t: Token) -> bool:
    return not t.cell.text.strip()


#: Longest heading taken for the name of one of the table's parts (### 行政诉讼（复议后起诉）).
_PART_HEADING = 16


def _part_heading(item: Token | Break) -> bool:
    """A short heading over one part of the table, as converters print each group as a table of its own."""
    if not isinstance(item, Break) or _HEADING.match(item.paragraph.text):
        return False
    key = label_key(item.paragraph.text)
    return len(key) <= _PART_HEADING and any(k in key for k in _START_KEYS)


def _short_title(item: Break, last: list[Token], part: int) -> bool:
    """A short title (### 表4-2) right after a run of one part's values: the next part's heading."""
    text = item.paragraph.text
    return (len(last) == part and len(label_key(text)) <= _PART_HEADING and not _HEADING.match(text)
            and not re.search(r"[。；;，,：:]", text))


def _in_heading_order(runs: list[list[Token]], items: list[Token | Break], spec: TableSpec) -> list[list[Token]]:
    """``runs`` in the order of the groups their headings name; in document order unless every run
    has a heading naming a different group."""
    starts = {id(r[0]): r for r in runs}
    named: list[tuple[int, list[Token]]] = []
    group = None
    for item in items:
        if _part_heading(item):
            key = label_key(item.paragraph.text)  # type: ignore[union-attr]
            hits = [(len(lab), g) for g, row in enumerate(spec.rows) for lab in row.labels if lab in key]
            group = max(hits)[1] if hits else None
        elif isinstance(item, Token) and id(item) in starts:
            if group is None:
                return runs
            named.append((group, starts[id(item)]))
            group = None
    if len({g for g, _ in named}) != len(runs):
        return runs
    return [r for _, r in sorted(named, key=lambda x: x[0])]


def _runs(items: list[Token | Break], part: int = 0) -> list[list[Token]]:
    """Runs of value cells (blanks among them) between labels and prose.

    Prose ends the table once some number was seen, or at the next section's heading: a header
    broken into pieces by the page geometry may leave text between blank header cells. A heading
    over one of the table's parts, or a short title after a run of ``part`` values, does not.
    """
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for item in items:
        if isinstance(item, Token) and item.kind == "value":
            cur.append(item)
            continue
        if isinstance(item, Token) and item.kind == "unit":
            continue
        if cur:
            runs.append(cur)
        cur = []
        if isinstance(item, Break) and runs and not (_part_heading(item) or _short_title(item, runs[-1], part)) and (
            any(not _blank(t) for r in runs for t in r) or _HEADING.match(item.paragraph.text)
        ):
            # prose after the values, or the next section: the table is over
            break
    if cur:
        runs.append(cur)
    return runs


def _spaced(runs: list[list[Token]], width: int, groups: int, part: int) -> list[list[Token]] | None:
    """The table's values printed apart with their blank cells left out (fewer than ``width``): one
    line per group when the lines say so (three lines of at most five), else one sequence."""
    lines: list[list[Token]] = []
    for r in runs:
        values = [t for t in r if not _blank(t)]
        if any(t.joined for t in values):
            return None
        for t in values:
            if lines and (t.row < 0 or t.row == lines[-1][-1].row):
                lines[-1].append(t)
            else:
                lines.append([t])
        if sum(map(len, lines)) >= width or len(lines) >= groups:
            break
    count = sum(map(len, lines))
    if not count or count >= width:
        return None
    if len(lines) == groups and all(len(line) <= part for line in lines):
        return lines
    return [[t for line in lines for t in line]]


def read_review(stream: Stream, start: int, template: Template, col: Collector) -> dict[str, dict[str, Scalar]]:
    spec: TableSpec = template.tables[TABLE]
    phrases = next(p for k, p in template.sections if k == TABLE)
    items = list(stream.items[start:])
    first = next((i for i, it in enumerate(items) if _starts_table(it, phrases)), None)
    if first is None:
        return {}
    if first and _part_heading(items[first - 1]):
        first -= 1  # the heading naming the first part, printed above its own small table
    groups = [r.key for r in spec.rows]
    outcomes = spec.default_columns
    width = len(groups) * len(outcomes)
    runs = _runs(items[first:], part=len(outcomes))
    chosen: list[Token] | None = next((r for r in runs if len(r) >= width), None)
    if chosen is None:
        # one row per group: three runs of five
        fives = [r for r in runs if len(r) == len(outcomes)]
        if len(fives) >= len(groups):
            chosen = [t for r in _in_heading_order(fives[: len(groups)], items[first:], spec) for t in r]
    if chosen is None:
        # a run-together table: one run of digits holding all fifteen values
        # (fewer digits than fifteen cells: some were blank and left nothing in the run)
        joined = next((r for r in runs if r and all(t.joined for t in r) and len(r) < width), None)
        if joined is not None:
            return split_review(col, template, TABLE, groups, outcomes, joined)
        spaced = _spaced(runs, width, len(groups), len(outcomes))
        if spaced is not None:
            return place_review(col, template, TABLE, groups, outcomes, spaced)
    if chosen is None:
        longest = max(runs, key=len, default=[])
        col.warn("table-unreadable", f"{TABLE}: found no run of {width} values after the table's header "
                 f"(longest run: {len(longest)}); left blank")
        return {}
    # blank cells ending a header row (a row holding no number) are no values of the row below
    valued = {t.row for t in chosen if not _blank(t)}
    while len(chosen) > width and _blank(chosen[0]) and chosen[0].row >= 0 and chosen[0].row not in valued:
        chosen = chosen[1:]
    if len(chosen) > width:
        col.warn("row-long", f"{TABLE}: {len(chosen)} values in a row where {width} belong; read the first {width}")
    table: dict[str, dict[str, Scalar]] = {}
    it = iter(chosen)
    for g in groups:
        table[g] = {o: col.value(TABLE, g, o, next(it), "count") for o in outcomes}
    return table
