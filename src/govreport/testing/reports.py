"""Random valid reports, from a plain :class:`random.Random` (so a seed always gives the same report).

:func:`random_report` builds one; :func:`report_from_seed` builds it from a seed and records the call
in the report's ``source``; ``legacy=True`` adds the legacy statistics table;
:func:`with_rule_break` changes one printed number of table B or C.

Generated reports
-----------------
Format ``2019`` or ``2021``, with every template row of tables A (``active_disclosure``),
B (``applications``) and C (``review_litigation``) for that format. Counts are ints ≥ 0: mostly 0
or small, sometimes up to six digits; ``change`` (本年增/减) may be negative. Money is
``Money(value="123.45", unit=...)`` — in format 2019 ``centralized_procurement/amount`` has unit
``None``, ``"万元"`` or ``"元"`` (printed in the cell); in 2021 ``administrative_fees/amount`` has
unit ``"万元"`` (printed only in the column header 本年收费金额（单位：万元）). A realistic minority of
cells is blank (``None``); some reports have none. Tables B and C are built so that FORMAT.md §8's
rules R1–R4 hold with blanks read as 0: the parts are drawn and the totals computed, and a computed
total is left blank only when it is 0. ``meta`` has an agency made of CJK characters ending in
街道办事处, 人民政府 or 局, a year from 2019 to 2025 (2019–2022 for format 2019, 2021–2025 for 2021),
and a publication date early in the following year, or ``None``.

Legacy statistics (format 2019 only, ``legacy=True``): the pre-2019 统计指标 / 单位 / 统计数 table of
FORMAT.md §5 under the keys ``active.*`` and ``responses.*`` (:data:`~govreport.testing.form.LEGACY_KEYS`), counts in 条, 次
or 篇, with its —— heading rows (（二）通过不同渠道和方式公开政府信息的情况, （四）…回应解读的情况), the
notes (不同渠道和方式公开相同信息计1条) now and then on a line of their own in the cell, and some rows
left out (5.其他方式…, the 其中 rows). It is printed as its own inserted section 三、… (the
sections after it renumbered, as one seed fixture does), right after table A, or as an appendix
after section 六 (:mod:`.parts`).
"""

from __future__ import annotations

import datetime
import random

import attrs

from ..model import FormatId, Meta, Money, Report, Scalar
from ..validation import check_rules
from .form import (
    A_BLOCKS,
    B_PARTS,
    B_RESULT_PREFIXES,
    C_GROUPS,
    C_OUTCOMES,
    FORMATS,
    LEGACY_KEYS,
    b_rows,
)

__all__ = ["ACTIVITIES", "BLANK_RATES", "random_agency", "random_legacy_statistics", "random_report",
           "report_from_seed", "with_rule_break"]

_PLACE_CHARS = ("东西南北中新安平和兴华明阳山水河湖江海林松桃樟柳杉岭峰岗宁德丰台城长乐永富民泽龙凤"
                "金玉宝鼎盛康泰昌隆嘉禾云溪石桥梅兰竹菊春秋景荣滨顺通达远光辉福祥瑞")
_DEPARTMENTS = ("教育", "财政", "民政", "水务", "交通运输", "自然资源", "卫生健康", "市场监督管理", "统计", "林业")


def _place(rng: random.Random, lo: int = 2, hi: int = 3) -> str:
    return "".join(rng.choice(_PLACE_CHARS) for _ in range(rng.randint(lo, hi)))


def random_agency(rng: random.Random) -> str:
    """An agency name of CJK characters ending in 街道办事处, 人民政府 or 局."""
    kind = rng.choice(("street", "gov", "department"))
    if kind == "street":
        prefix = rng.choice(("", _place(rng) + rng.choice("市县区")))
        return f"{prefix}{_place(rng)}街道办事处"
    if kind == "gov":
        return f"{_place(rng)}{rng.choice('市县区镇乡')}人民政府"
    return f"{_place(rng)}{rng.choice('市县区')}{rng.choice(_DEPARTMENTS)}局"


def _count(rng: random.Random, activity: float) -> int:
    """Mostly 0 or small; now and then large (up to six digits)."""
    if rng.random() >= activity:
        return 0
    r = rng.random()
    if r < 0.6:
        return rng.randint(1, 9)
    if r < 0.85:
        return rng.randint(10, 99)
    if r < 0.95:
        return rng.randint(100, 999)
    return rng.randint(1000, 999_999)


def _money_value(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return "0"
    whole = rng.choice((rng.randint(0, 99), rng.randint(100, 9999), rng.randint(10_000, 999_999)))
    digits = rng.choice((0, 1, 2, 2, 4))
    if not digits:
        return str(whole)
    return f"{whole}." + "".join(str(rng.randint(0, 9)) for _ in range(digits))


ACTIVITIES = (0.05, 0.2, 0.5, 0.9)
BLANK_RATES = (0.0, 0.1, 0.3)


def random_report(
    rng: random.Random,
    fmt: str | None = None,
    *,
    blanks: bool = True,
    activity: float | None = None,
    blank_rate: float | None = None,
    legacy: bool = False,
) -> Report:
    """One random valid report of format ``fmt`` (``"2019"``/``"2021"``; drawn when ``None``).

    Deterministic for a given state of ``rng``. ``activity`` is the share of cells that are not 0
    (drawn from :data:`ACTIVITIES` when ``None``); ``blank_rate`` the share of drawn cells left
    blank (drawn when ``None``: none in half the reports, else 0.1 or 0.3). ``blanks=False`` gives
    a report with no blank cell (what the OCR layout can express). The result always satisfies
    R1–R4 with blanks read as 0 (checked with :func:`govreport.check_rules`).

    ``legacy=True`` (format 2019 only) adds ``legacy_statistics``: the pre-2019 统计指标 / 单位 /
    统计数 table some 2019 reports append (FORMAT.md §5), drawn after everything else, so the rest
    of the report is the one ``legacy=False`` gives for the same ``rng`` state.
    """
    fmt = fmt or rng.choice(FORMATS)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if legacy and fmt != "2019":
        raise ValueError("only format 2019 reports carry the legacy statistics table")
    if activity is None:
        activity = rng.choice(ACTIVITIES)
    if blank_rate is None:
        blank_rate = rng.choice((0.0, 0.0, 0.1, 0.3))
    if not blanks:
        blank_rate = 0.0

    def part() -> int | None:
        v = _count(rng, activity)
        return None if rng.random() < blank_rate else v

    def derived(total: int) -> int | None:
        # a computed total is left blank only when it is 0, so the rules still hold
        return None if total == 0 and rng.random() < min(1.0, 2 * blank_rate) else total

    def n(v: Scalar) -> int:  # tables B and C hold counts: a blank reads as 0
        return v if isinstance(v, int) else 0

    # ---- table A
    active: dict[str, dict[str, Scalar]] = {}
    for _, cols, rows in A_BLOCKS[fmt]:
        for rkey, _ in rows:
            out: dict[str, Scalar] = {}
            for ckey, _ in cols:
                if rng.random() < blank_rate:
                    out[ckey] = None
                elif ckey == "amount":
                    unit = rng.choice((None, "万元", "元")) if fmt == "2019" else "万元"
                    out[ckey] = Money(value=_money_value(rng), unit=unit)
                elif ckey == "change":
                    v = _count(rng, activity)
                    out[ckey] = -v if rng.random() < 0.4 else v
                else:
                    out[ckey] = _count(rng, activity)
            active[rkey] = out

    # ---- table B: result rows drawn, totals computed (R3 by row, R2 by column, R1 by column)
    b_keys = [k for k, _ in b_rows(fmt)]
    results = [k for k in b_keys if k.startswith(B_RESULT_PREFIXES)]
    apps: dict[str, dict[str, Scalar]] = {}
    for k in results:
        row: dict[str, Scalar] = {c: part() for c in B_PARTS}
        row["total"] = derived(sum(n(row[c]) for c in B_PARTS))
        apps[k] = row
    total_row: dict[str, Scalar] = {c: derived(sum(n(apps[k][c]) for k in results)) for c in B_PARTS}
    forward: dict[str, Scalar] = {c: part() for c in B_PARTS}
    over: dict[str, Scalar] = {}
    new: dict[str, Scalar] = {}
    for c in B_PARTS:
        out_c = n(total_row[c]) + n(forward[c])
        o = rng.randint(0, out_c) if out_c and rng.random() < activity else 0
        over[c] = derived(o) if o == 0 else o
        new[c] = derived(out_c - o)
    for name, row in (("new_received", new), ("carried_over", over), ("total", total_row), ("carried_forward", forward)):
        row["total"] = derived(sum(n(row[c]) for c in B_PARTS))
        apps[name] = row
    apps = {k: apps[k] for k in b_keys}

    # ---- table C (R4)
    review: dict[str, dict[str, Scalar]] = {}
    for g in C_GROUPS:
        row = {o: part() for o in C_OUTCOMES[:-1]}
        row["total"] = derived(sum(n(row[o]) for o in C_OUTCOMES[:-1]))
        review[g] = row

    # ---- meta
    year = rng.randint(2019, 2022) if fmt == "2019" else rng.randint(2021, 2025)
    published = None
    if rng.random() < 0.6:
        published = datetime.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    report_format: FormatId = "2019" if fmt == "2019" else "2021"  # fmt was checked against FORMATS
    report = Report(
        format=report_format,
        meta=Meta(agency=random_agency(rng), year=year, published=published),
        active_disclosure=active,
        applications=apps,
        review_litigation=review,
    )
    broken = check_rules({"applications": report.applications, "review_litigation": report.review_litigation})
    if broken:  # pragma: no cover - a bug in this generator
        raise AssertionError(f"random_report built an invalid report: {[f.message for f in broken]}")
    if legacy:
        report = attrs.evolve(report, legacy_statistics=random_legacy_statistics(rng, activity, blank_rate))
    return report


def random_legacy_statistics(rng: random.Random, activity: float = 0.5, blank_rate: float = 0.0) -> dict[str, Scalar]:
    """The legacy table's values: counts (条/次/篇) under the keys of FORMAT.md §5, in printed order.

    Some rows are left out, as real tables leave them out (5.其他方式…, the 其中 rows); the total is
    never below a channel's count nor a 其中 row above its parent. ``blank_rate`` blanks a share of
    the rows' values.
    """
    busy = max(activity, 0.5)
    v: dict[str, int] = {}
    for k in ("active.gazette", "active.website", "active.weibo", "active.wechat", "active.other"):
        v[k] = _count(rng, busy)
    v["active.total"] = max(v.values()) + rng.randint(0, 50) * (rng.random() < busy)
    for k in ("responses.press_conferences", "responses.online_interviews", "responses.interpretations",
              "responses.weibo_wechat_events"):
        v[k] = _count(rng, activity)
    v["responses.press_conferences_principal"] = rng.randint(0, v["responses.press_conferences"])
    v["responses.online_interviews_principal"] = rng.randint(0, v["responses.online_interviews"])
    v["responses.hotspots"] = v["responses.weibo_wechat_events"] + _count(rng, activity)
    left_out = {"active.other"} if rng.random() < 0.5 else set()
    if rng.random() < 0.2:
        left_out |= {"responses.press_conferences_principal", "responses.online_interviews_principal"}
    return {k: (None if rng.random() < blank_rate else v[k]) for k in LEGACY_KEYS if k not in left_out}


def report_from_seed(seed: int, fmt: str, *, blanks: bool = True, activity: float | None = None,
                     blank_rate: float | None = None, legacy: bool = False) -> Report:
    """``random_report(random.Random(seed), fmt, …)``, with the call recorded in ``source``."""
    report = random_report(random.Random(seed), fmt, blanks=blanks, activity=activity, blank_rate=blank_rate,
                           legacy=legacy)
    call = (f"govreport.testing.report_from_seed(seed={seed}, fmt={fmt!r}, blanks={blanks}, "
            f"activity={activity}, blank_rate={blank_rate}" + (", legacy=True)" if legacy else ")"))
    return attrs.evolve(report, source=call)


def with_rule_break(report: Report, rng: random.Random) -> Report:
    """``report`` with one number of table B or C changed after its totals were computed.

    The changed cell is printed (never blank) and differs from the old value with blanks read as 0,
    so every equation of FORMAT.md §8 that the cell takes part in breaks — as a typo in a real
    report breaks them. The result is what the document prints: reading it must give these
    numbers and report the breaks (``check_rules`` of the result lists them).
    """
    table = rng.choice(("applications", "applications", "review_litigation"))
    rows = getattr(report, table)
    row = rng.choice(list(rows))
    col = rng.choice(list(rows[row]))
    old = rows[row][col]
    base = old if isinstance(old, int) else 0
    delta = rng.choice((1, 1, 2, 3, 10, rng.randint(1, 99)))
    new = base - delta if base >= delta and rng.random() < 0.5 else base + delta
    changed = {r: dict(cols) for r, cols in rows.items()}
    changed[row][col] = new
    if table == "applications":
        return attrs.evolve(report, applications=changed)
    return attrs.evolve(report, review_litigation=changed)
