"""Rows a table keeps from an older format.

Some agencies filled the 2021 table but kept a row as the 2019 format printed it — most often the
single （六）其他处理 row instead of its three 2021 sub-rows. The template says where such a row's
values belong in the newer format (``printed_in``); the sub-rows it stands for are then left blank,
since the document never split the numbers between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ..template import Row, Template
from .rows import Match, match_rows
from .stream import LogicalRow


@attrs.frozen(kw_only=True)
class OlderRow:
    table: str
    match: Match  # the older row as matched
    key: str  # where its values go in this format
    siblings: tuple[str, ...]  # the rows of this format it stands for, left blank


def older_rows(
    logical: list[LogicalRow],
    matches: Iterable[Match],
    template: Template,
    fmt: str,
    tables: Iterable[str],
    width: Callable[[Row], int],
) -> list[OlderRow]:
    """Older-format rows printed in a table of ``fmt`` where none of the rows they stand for was found."""
    matches = list(matches)
    used = {id(m.logical) for m in matches}
    found = {m.row.key for m in matches}
    free = [lr for lr in logical if id(lr) not in used]
    out: list[OlderRow] = []
    for name in tables:
        spec = template.tables[name]
        current = spec.rows_for(fmt)
        for row in spec.rows:
            target = row.printed_in.get(fmt)
            if target is None or row.in_format(fmt):
                continue
            group = target.rsplit(".", 1)[0] + "."
            siblings = tuple(r.key for r in current if r.key.startswith(group))
            if any(k in found for k in siblings):
                continue
            printed_as = next(r for r in current if r.key == target)

            def printed_width(_row: Row, printed: Row = printed_as) -> int:
                return width(printed)

            got = match_rows(free, (row,), printed_width)
            if got:
                out.append(OlderRow(table=name, match=got[0], key=target, siblings=siblings))
                free = [lr for lr in free if lr is not got[0].logical]
    return out
