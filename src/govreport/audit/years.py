"""Year against year: which reports are the same body's, and whether this year continues last year.

Bodies are matched by a normalised name (:func:`body_key`: 东岭街道办事处 = 东岭街道; 示例市南湖区人民政府 =
南湖区政府), then a name that is the tail of exactly one longer name after a place prefix
(桃溪街道 = 示例县桃溪街道), then a user's alias file (:func:`load_aliases`) for the rest.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..model import TABLES, Money, Report, Scalar
from . import cells as C
from .findings import AuditFinding, Evidence

_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
# the body's own name ends in one of these; what comes before a place suffix is a parent body
_SUFFIXES = (
    ("街道办事处", "街道"),
    ("街道办", "街道"),
    ("人民政府办公室", "政府办公室"),
    ("人民政府办公厅", "政府办公厅"),
    ("人民政府", ""),
    ("政府", ""),
)
_PLACE_END = "省市区县州盟旗"


def body_key(name: str | None, aliases: Mapping[str, str] | None = None) -> str | None:
    """The comparable form of a body's name: 东岭街道办事处 → 东岭街道, 示例市人民政府西岭街道办事处 →
    示例市西岭街道, 示例市南湖区人民政府 → 示例市南湖区. ``aliases`` (normalised name → canonical
    name) is applied before and after normalising."""
    if not name:
        return None
    aliases = aliases or {}
    s = _KEEP.sub("", unicodedata.normalize("NFKC", name))
    s = aliases.get(s, s)
    for suffix, repl in _SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)] + repl
            break
    # a parent government named before the body: 示例市人民政府西岭街道 → 示例市西岭街道
    s = re.sub(r"(?<=[市区县州旗])人民政府(?=.)", "", s)
    s = aliases.get(s, s)
    return _KEEP.sub("", unicodedata.normalize("NFKC", s)) or None


def load_aliases(path: str | Path) -> dict[str, str]:
    """Read an alias file: TOML with an ``[aliases]`` table of ``"name as printed" = "canonical name"``.

    Both sides are normalised like printed names (white space and punctuation dropped), so the
    keys may be written as the reports print them.
    """
    raw = tomllib.loads(Path(path).read_text("utf-8"))
    table = raw.get("aliases")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError(f"{path}: expected an [aliases] table of \"name\" = \"canonical name\"")
    unknown = set(raw) - {"aliases"}
    if unknown:
        raise ValueError(f"{path}: unknown section(s) {sorted(unknown)}; only [aliases] is read")
    norm = lambda s: _KEEP.sub("", unicodedata.normalize("NFKC", s))  # noqa: E731
    return {norm(k): norm(v) for k, v in table.items()}


def group_bodies(names: Sequence[str | None], aliases: Mapping[str, str] | None = None) -> list[str | None]:
    """The body of each name: its :func:`body_key`, with a short key merged into the one longer key
    it is the tail of after a place prefix (桃溪街道 into 示例县桃溪街道) when exactly one such key exists."""
    keys = [body_key(n, aliases) for n in names]
    distinct = sorted({k for k in keys if k})
    merged: dict[str, str] = {}
    for k in distinct:
        if len(k) < 3:
            continue
        longer = [o for o in distinct if o != k and o.endswith(k) and o[: -len(k)][-1:] in tuple(_PLACE_END)]
        if len(longer) == 1:
            merged[k] = longer[0]
    # follow chains (a → b → c)
    def final(k: str) -> str:
        seen = set()
        while k in merged and k not in seen:
            seen.add(k)
            k = merged[k]
        return k
    return [final(k) if k else None for k in keys]


# ----------------------------------------------------------------------------------------- R5


def _num(v: Scalar) -> int:
    return v if isinstance(v, int) else 0


def _label(r: Report) -> str:
    return r.source or f"{r.meta.agency or '?'} {r.meta.year or '?'}"


def year_findings(old: Report, new: Report) -> list[AuditFinding]:
    """Checks of ``new`` against the previous year's report ``old`` (rules R5, R5-IN-FORCE, R5-ITEMS)."""
    return _carried(old, new) + _in_force(old, new) + _items(old, new)


def _cross_evidence(old: Report, old_cell: str, new: Report, new_cell: str) -> tuple[Evidence, Evidence]:
    return (C.evidence(old, old_cell, label=f"{old.meta.year} report: {C.where(old, old_cell)}"),
            C.evidence(new, new_cell, label=f"{new.meta.year} report: {C.where(new, new_cell)}"))


def _carried(old: Report, new: Report) -> list[AuditFinding]:
    fwd = old.applications.get("carried_forward") or {}
    over = new.applications.get("carried_over") or {}
    out = []
    for col in [c for c in over if c in fwd]:
        a_cell, b_cell = f"applications/carried_forward/{col}", f"applications/carried_over/{col}"
        a, b = fwd[col], over[col]
        if a is None and b is None:
            continue
        if not (C.was_read(old, a_cell) and C.was_read(new, b_cell)):
            continue
        if _num(a) == _num(b):
            continue
        label = C.column_label("applications", col)
        out.append(AuditFinding(
            rule="R5", severity="error",
            message=(f"column {label}: the {old.meta.year} report carries {C.show(a)} application(s) forward "
                     f"(结转下年度继续办理, {_label(old)}), the {new.meta.year} report carries {C.show(b)} over "
                     f"(上年结转, {_label(new)})"),
            cells=(b_cell,),
            expected=_num(a), found=_num(b),
            evidence=_cross_evidence(old, a_cell, new, b_cell),
        ))
    return out


def _in_force(old: Report, new: Report) -> list[AuditFinding]:
    if old.format != "2021" or new.format != "2021":
        return []
    out = []
    for row in ("regulations", "normative_documents"):
        o, n = old.active_disclosure.get(row) or {}, new.active_disclosure.get(row) or {}
        vals = (o.get("in_force"), n.get("issued"), n.get("repealed"), n.get("in_force"))
        cells_ = (f"active_disclosure/{row}/in_force", f"active_disclosure/{row}/issued",
                  f"active_disclosure/{row}/repealed", f"active_disclosure/{row}/in_force")
        if all(v is None for v in vals) or any(isinstance(v, Money) for v in vals):
            continue
        if not C.was_read(old, cells_[0]) or not all(C.was_read(new, c) for c in cells_[1:]):
            continue
        expected = _num(vals[0]) + _num(vals[1]) - _num(vals[2])
        if expected == _num(vals[3]):
            continue
        label = C.row_label("active_disclosure", row, "2021")
        out.append(AuditFinding(
            rule="R5-IN-FORCE", severity="warning",
            message=(f"{label}: 现行有效 {C.show(vals[0])} ({old.meta.year}) + 制发 {C.show(vals[1])} − 废止 "
                     f"{C.show(vals[2])} ({new.meta.year}) = {expected}, but {new.meta.year} prints {C.show(vals[3])} "
                     f"现行有效 (documents may also have expired)"),
            cells=cells_[1:],
            expected=expected, found=_num(vals[3]),
            evidence=(C.evidence(old, cells_[0], label=f"{old.meta.year} report: {C.where(old, cells_[0])}"),
                      *(C.evidence(new, c, label=f"{new.meta.year} report: {C.where(new, c)}") for c in cells_[1:])),
        ))
    return out


def _items(old: Report, new: Report) -> list[AuditFinding]:
    if old.format != "2019" or new.format != "2019":
        return []
    out = []
    for row, o in old.active_disclosure.items():
        n = new.active_disclosure.get(row) or {}
        if "previous_count" not in o or "change" not in o or "previous_count" not in n:
            continue
        vals = (o.get("previous_count"), o.get("change"), n.get("previous_count"))
        cells_ = (f"active_disclosure/{row}/previous_count", f"active_disclosure/{row}/change",
                  f"active_disclosure/{row}/previous_count")
        if all(v is None for v in vals) or any(isinstance(v, Money) for v in vals):
            continue
        if not (C.was_read(old, cells_[0]) and C.was_read(old, cells_[1]) and C.was_read(new, cells_[2])):
            continue
        expected = _num(vals[0]) + _num(vals[1])
        if expected == _num(vals[2]):
            continue
        label = C.row_label("active_disclosure", row)
        out.append(AuditFinding(
            rule="R5-ITEMS", severity="warning",
            message=(f"{label}: 上一年项目数量 {C.show(vals[0])} + 本年增/减 {C.show(vals[1])} ({old.meta.year}) = "
                     f"{expected} items, but the {new.meta.year} report prints 上一年项目数量 {C.show(vals[2])}"),
            cells=(cells_[2],),
            expected=expected, found=_num(vals[2]),
            evidence=(C.evidence(old, cells_[0], label=f"{old.meta.year} report: {C.where(old, cells_[0])}"),
                      C.evidence(old, cells_[1], label=f"{old.meta.year} report: {C.where(old, cells_[1])}"),
                      C.evidence(new, cells_[2], label=f"{new.meta.year} report: {C.where(new, cells_[2])}")),
        ))
    return out


# ----------------------------------------------------------------------------------------- compare


@attrs.frozen(kw_only=True)
class CompareRow:
    """One cell in both years. ``change`` and ``pct`` are ``None`` when a side is missing or not a
    number, or (``pct``) when the old value is 0."""

    table: str
    row: str
    column: str
    label: str
    old: Scalar
    new: Scalar
    in_old: bool
    in_new: bool
    change: Decimal | int | None
    pct: Decimal | None
    unit: str | None = None

    @property
    def cell(self) -> str:
        return f"{self.table}/{self.row}/{self.column}" if self.column else f"{self.table}/{self.row}"

    def to_dict(self) -> dict[str, Any]:
        from .findings import _jsonable

        return {"cell": self.cell, "table": self.table, "row": self.row, "column": self.column, "label": self.label,
                "old": _jsonable(self.old) if self.in_old else "absent", "new": _jsonable(self.new) if self.in_new else "absent",
                "change": _jsonable(self.change), "pct_change": None if self.pct is None else float(self.pct),
                "unit": self.unit}


@attrs.frozen(kw_only=True)
class Comparison:
    """Two reports side by side: every cell of either, and the year-over-year checks."""

    old: Report
    new: Report
    rows: tuple[CompareRow, ...]
    findings: tuple[AuditFinding, ...]
    same_body: bool
    consecutive: bool

    @property
    def checked(self) -> bool:
        """Whether the year-over-year rules were checked (consecutive years, bodies not known to differ)."""
        return self.consecutive and (self.same_body or not (self.old.meta.agency and self.new.meta.agency))

    def to_dict(self, *, changed_only: bool = False, nonzero: bool = False) -> dict[str, Any]:
        def side(r: Report) -> dict[str, Any]:
            return {"source": r.source, "agency": r.meta.agency, "year": r.meta.year, "format": r.format}

        return {"old": side(self.old), "new": side(self.new), "same_body": self.same_body,
                "consecutive": self.consecutive, "checked": self.checked,
                "rows": [r.to_dict() for r in select_rows(self.rows, changed_only=changed_only, nonzero=nonzero)],
                "findings": [f.to_dict() for f in self.findings]}


def select_rows(rows: Sequence[CompareRow], *, changed_only: bool = False, nonzero: bool = False) -> list[CompareRow]:
    out = []
    for r in rows:
        if nonzero and _zeroish(r.old) and _zeroish(r.new):
            continue
        if changed_only and r.in_old and r.in_new and (r.change == 0 or (r.old is None and r.new is None)):
            continue
        out.append(r)
    return out


def _zeroish(v: Scalar) -> bool:
    if v is None:
        return True
    if isinstance(v, Money):
        try:
            return Decimal(v.value) == 0
        except ArithmeticError:
            return False
    return v == 0


def _cells(report: Report) -> dict[str, tuple[str, str, str, Scalar]]:
    out: dict[str, tuple[str, str, str, Scalar]] = {}
    for t in TABLES:
        for row, cols in getattr(report, t).items():
            for col, v in cols.items():
                out[f"{t}/{row}/{col}"] = (t, row, col, v)
    for row, v in (report.legacy_statistics or {}).items():
        out[f"legacy_statistics/{row}"] = ("legacy_statistics", row, "", v)
    return out


def _delta(old: Scalar, new: Scalar) -> tuple[Decimal | int | None, Decimal | None, str | None]:
    if isinstance(old, Money) or isinstance(new, Money):
        a = _money(old)
        b = _money(new)
        if a is None or b is None:
            return None, None, None
        (av, au), (bv, bu) = a, b
        if au != bu:
            if au is None or bu is None:
                return None, None, None
            factor = {"元": Decimal(1), "万元": Decimal(10000)}
            if au not in factor or bu not in factor:
                return None, None, None
            av, bv = av * factor[au], bv * factor[bu]
            au = bu = "元"
        change = bv - av
        pct = None if av == 0 else (change * 100 / av)
        return change, pct, bu
    before, after = (old or 0), (new or 0)
    count_change = after - before
    pct = None if before == 0 else Decimal(count_change) * 100 / Decimal(before)
    return count_change, pct, None


def _money(v: Scalar) -> tuple[Decimal, str | None] | None:
    if v is None:
        return Decimal(0), None
    if isinstance(v, Money):
        try:
            return Decimal(v.value), v.unit
        except ArithmeticError:
            return None
    return Decimal(v), None


def compare_reports(old: Report, new: Report, aliases: Mapping[str, str] | None = None) -> Comparison:
    """``old`` and ``new`` cell by cell (every cell either report has), with the year-over-year checks
    when ``new`` is the year after ``old``."""
    a, b = _cells(old), _cells(new)
    rows = []
    for cell in list(a) + [c for c in b if c not in a]:
        t, row, col, _ = a.get(cell) or b[cell]
        ov = a[cell][3] if cell in a else None
        nv = b[cell][3] if cell in b else None
        if cell in a and cell in b:
            change, pct, unit = _delta(ov, nv)
        else:
            change, pct, unit = None, None, None
        label = C.cell_label(cell, (new if cell in b else old).format)
        rows.append(CompareRow(table=t, row=row, column=col, label=label, old=ov, new=nv, in_old=cell in a,
                               in_new=cell in b, change=change, pct=pct, unit=unit))
    bodies = group_bodies([old.meta.agency, new.meta.agency], aliases)
    same = bodies[0] is not None and bodies[0] == bodies[1]
    unknown = bodies[0] is None or bodies[1] is None
    consecutive = old.meta.year is not None and new.meta.year == old.meta.year + 1
    # two bodies named differently are not checked against each other (an alias file joins them)
    findings = tuple(year_findings(old, new)) if consecutive and (same or unknown) else ()
    return Comparison(old=old, new=new, rows=tuple(rows), findings=findings, same_body=same, consecutive=consecutive)


# ----------------------------------------------------------------------------------------- series


@attrs.frozen(kw_only=True)
class YearPair:
    """Two reports of the same body in consecutive years, and what checking the second against the first found."""

    body: str
    old: int  # index into the audited reports
    new: int
    findings: tuple[AuditFinding, ...]


def pair_reports(
    reports: Sequence[Report],
    aliases: Mapping[str, str] | None = None,
    *,
    bodies: Sequence[str | None] | None = None,
) -> tuple[list[str | None], list[YearPair]]:
    """The body of each report, and every (year N, year N+1) pair of the same body. Several reports
    of one body and year (the same report in several files) are each paired with each of the next year.
    ``bodies`` gives each report's body instead of its agency's (a series assumed or stated)."""
    bodies = list(bodies) if bodies is not None else group_bodies([r.meta.agency for r in reports], aliases)
    by_body: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, (r, b) in enumerate(zip(reports, bodies)):
        if b is not None and r.meta.year is not None:
            by_body[b][r.meta.year].append(i)
    pairs = []
    for body in sorted(by_body):
        years = by_body[body]
        for y in sorted(years):
            for i in years[y]:
                for j in years.get(y + 1, ()):
                    pairs.append(YearPair(body=body, old=i, new=j, findings=tuple(year_findings(reports[i], reports[j]))))
    return bodies, pairs
