"""The national report formats, loaded once from ``template/formats.toml``.

Everything the engine knows about the report — labels, keys, columns, rules — comes from here,
so a new label variant or format is a data change.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

import attrs

from .labels import label_key


@attrs.frozen(kw_only=True)
class Column:
    key: str
    labels: tuple[str, ...]
    type: str = "count"  # count | signed | money


@attrs.frozen(kw_only=True)
class Row:
    key: str
    labels: tuple[str, ...]  # normalised (label_key)
    formats: tuple[str, ...] | None = None  # None: every format
    columns: dict[str, tuple[str, ...]] | None = attrs.field(default=None, eq=False)
    #: format id → the key this row's values take when a table of that format prints this row as
    #: it was (a 2021 table keeping the 2019 single （六）其他处理 row)
    printed_in: dict[str, str] = attrs.field(factory=dict, eq=False)

    def in_format(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats

    def columns_for(self, fmt: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if self.columns is None:
            return default
        return self.columns.get(fmt, ())


@attrs.frozen(kw_only=True)
class TableSpec:
    name: str
    title: str
    rows: tuple[Row, ...]
    columns: dict[str, Column] = attrs.field(eq=False)
    default_columns: tuple[str, ...] = ()
    anchor: tuple[str, ...] = ()

    def rows_for(self, fmt: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.in_format(fmt) and (r.columns is None or r.columns_for(fmt, ())))


@attrs.frozen(kw_only=True)
class Rule:
    id: str
    table: str
    over: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    text: str


@attrs.frozen(kw_only=True)
class Template:
    formats: dict[str, tuple[str, ...]] = attrs.field(eq=False)  # format id → marker keys
    tables: dict[str, TableSpec] = attrs.field(eq=False)
    header_keys: frozenset[str]
    header_patterns: tuple[re.Pattern[str], ...]
    units: frozenset[str]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    rules: tuple[Rule, ...]

    def is_header(self, bare: str) -> bool:
        return bare in self.header_keys or any(p.search(bare) for p in self.header_patterns)


def _keys(labels: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(label_key(x) for x in labels))


@functools.cache
def load_template() -> Template:
    raw = tomllib.loads(resources.files("govreport").joinpath("template/formats.toml").read_text("utf-8"))
    tables: dict[str, TableSpec] = {}
    header_keys: set[str] = {label_key(x) for x in raw["headers"]["labels"]}
    for name, t in raw["tables"].items():
        cols = {
            k: Column(key=k, labels=_keys(v["labels"]), type=v.get("type", "count"))
            for k, v in t.get("columns", {}).items()
        }
        for c in cols.values():
            header_keys.update(c.labels)
        rows = tuple(
            Row(
                key=r["key"],
                labels=_keys(r["labels"]),
                formats=tuple(r["formats"]) if "formats" in r else None,
                columns={f: tuple(v) for f, v in r["columns"].items()} if "columns" in r else None,
                printed_in=dict(r.get("printed_in", {})),
            )
            for r in t.get("rows", [])
        )
        tables[name] = TableSpec(
            name=name,
            title=t.get("title", name),
            rows=rows,
            columns=cols,
            default_columns=tuple(t.get("default_columns", ())),
            anchor=_keys(t.get("anchor", [])),
        )
    # table C's group labels head columns; they are headers, not rows
    header_keys.update(k for r in tables["review_litigation"].rows for k in r.labels)
    return Template(
        formats={f: _keys(v["markers"]) for f, v in raw["formats"].items()},
        tables=tables,
        header_keys=frozenset(header_keys),
        header_patterns=tuple(re.compile(p) for p in raw["headers"].get("patterns", [])),
        units=frozenset(raw["headers"].get("units", [])),
        sections=tuple((s["key"], _keys(s["phrases"])) for s in raw["sections"]),
        rules=tuple(
            Rule(id=r["id"], table=r["table"], over=r["over"], lhs=tuple(r["lhs"]), rhs=tuple(r["rhs"]), text=r["text"])
            for r in raw["rules"]
        ),
    )
