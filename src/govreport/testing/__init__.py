"""Random valid reports, rendered as the documents govreport reads — for property tests and benchmarks.

The pieces:

* :func:`random_report` builds one random, **valid** :class:`~govreport.model.Report` from a plain
  :class:`random.Random` (so a seed always gives the same report), and :func:`reports` wraps it as a
  Hypothesis strategy (Hypothesis draws the format, how busy the report is, the blank rate and a
  seed; the report's ``source`` records the call that rebuilds it). ``legacy=True`` adds the
  legacy statistics table; :func:`with_rule_break` changes one printed number of table B or C.
* One builder, ``_document``, turns a report into the document's parts — title, headings, prose,
  tables as rows of printed cells (``_C``: label, header, value, unit, or ``empty`` for the
  continuation of a vertically merged cell; each with the grid columns it spans), signature — and
  every renderer prints those parts: :func:`render_text` in the text layouts of the seed fixtures
  (``"tabbed"``, ``"vertical"``, ``"pipe"``, ``"ocr"``), and
  :mod:`govreport.testing.office` as Word (:func:`render_docx`), web pages (:func:`render_html`) and
  PDF (:func:`render_pdf`, through LibreOffice). A label or a sentence exists once.
* :func:`generate_corpus` writes ``n`` rendered documents of the kinds :data:`KINDS` with their
  ``<name>.gold.json``, deterministically for a seed; :func:`cell_diffs` compares a reading with
  its gold (tables A/B/C, the legacy table, format and meta).

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
FORMAT.md §5 under the keys ``active.*`` and ``responses.*`` (:data:`LEGACY_KEYS`), counts in 条, 次
or 篇, with its —— heading rows (（二）通过不同渠道和方式公开政府信息的情况, （四）…回应解读的情况), the
notes (不同渠道和方式公开相同信息计1条) now and then on a line of their own in the cell, and some rows
left out (5.其他方式…, the 其中 rows). It is printed as its own inserted section 三、… (the
sections after it renumbered, as one seed fixture does), right after table A, or as an appendix
after section 六.

Layouts (text)
--------------
Every layout prints each value as the same number, in one of its printed forms: ``+3``/``增加3`` and
``-3``/``减少3`` for a signed change, thousands separators (``12,345``, ``1,385.42``), now and then
full-width digits (``１２``), spaces and no-break spaces around a number. A blank cell is printed
as an empty cell, never 0 — except in ``"ocr"`` (below).

``tabbed``   one tab-led cell per line, a blank line after each table row; long column headers
             sometimes wrapped over two lines (本年新 / 制作数量); blank cells are ``\\t``,
             ``\\t\\xa0`` or ``\\t ``; long row labels sometimes wrapped inside their cell; in
             some documents table B's rows leave out the empty cells of the merged label columns.
``vertical`` as ``tabbed``, with table C's column headers (结果维持 … 总计) printed one character per
             line, as a vertical-header seed prints them (in some documents table B's 商业企业 … 其他 too).
``pipe``     every cell followed by a line holding only ``|``, no row structure; some headers broken
             over lines (商业 / 企业); a blank cell is an empty line followed by ``|``. A legacy
             note stays on its label's line (a long line before a cell's last line would read as
             prose, which the pipe dump cannot tell apart).
``ocr``      one table row per line, cells separated by tabs, with the noise model below.

Kinds (files)
-------------
``txt`` (each text layout above), ``docx``, ``html`` and ``pdf``; see :mod:`govreport.testing.office`
for the Word tables (``w:gridSpan``/``w:vMerge`` as the national format merges them), the HTML
(``rowspan``/``colspan``, LibreOffice or CMS markup, ``<br>`` and ``&nbsp;``, UTF-8 or GBK, portal
chrome) and what varies in them (fonts, title breaks, wrapped labels, vertical headers, doubled
heading numbering, borders, table A per block, …). PDFs are the Word documents converted by
LibreOffice; without it (``soffice`` on the PATH) ``pdf`` is not available.

OCR noise model
---------------
Applied by :func:`render_text` with the ``random.Random`` it is given (``random.Random(0)`` when
none is), so a seed always gives the same text. No noise ever touches a value cell's digits.

* **Blanks.** The ``ocr_text`` reader drops empty cells (OCR marks column gaps unreliably), so a
  blank value cannot be expressed: the OCR layout prints a blank as ``0``. :func:`as_rendered`
  gives the report as a layout can express it (blanks → 0 for ``ocr``, the legacy table's too),
  which is what reading the text must give; :func:`generate_corpus` draws blank-free reports for
  this layout, so its gold files need no such mapping.
* **Tab gaps** (each gap, p=0.15): two tabs where one belongs; rows often end in 1–4 extra tabs
  (p=0.3), and rows whose first printed column is empty start with a tab.
* **Broken labels** (each row label, p=0.2): a row label with at least six characters after its
  numbering is split into two cells, each piece at least three characters and neither piece a
  complete label on its own (a piece such as 其他 or 部分公开 is never left alone).
* **Merged group cell** (each first row of a group （三）…（六）, p=0.1): the group label and the
  item label printed in one cell, separated by a space (（三）不予公开 1.属于国家秘密).
* **Margin marks** (each label row after the first data row of a table, p=0.12): a stray first cell
  — one character of a vertically printed 本年度办理结果, a punctuation mark, or, only when the row
  before carried values, a one-to-three digit number (a value cell before a row's label belongs
  to no row, unless the row before has no values yet).
* **Garbage row** (p=0.7): before table C's values, one row of punctuation and digit fragments
  (``7,7``, ``>10``, ``711``, ``//``), at least one cell holding no digit, so that the whole row
  reads as scanner noise.
* **Bracket widths** (each label and header, p=0.5): （） as (), ： as : and ， as , — half-width
  instead of full-width.
* **Spaces in labels** (each label, p=0.15): one or two spaces between CJK characters, and a space
  after the numbering (1. 属于国家秘密) with p=0.5.
* **Letter O** (each printed 0, p=0.05): the letter ``O`` printed for the digit zero (read as 0, and
  flagged by the engine).
* **Prose**: stray spaces between characters, as OCR leaves them at line ends.

Corpora
-------
:func:`generate_corpus` cycles its documents over the units (each text layout for ``txt``, then
``docx``, ``html``, ``pdf``: default every kind this machine can make), draws the format, gives
:data:`LEGACY_SHARE` (15 %) of the format-2019 reports the legacy table and prints
:data:`RULE_BREAK_SHARE` (5 %) of all reports with one rule broken (one number of table B or C
changed after the totals were computed; the gold holds the printed numbers, and reading must
report the breaks). :data:`GBK_SHARE` of the web pages are GBK. Same seed → byte-identical text,
Word and HTML documents and gold files (PDF: identical gold; LibreOffice stamps the time), and
document ``i`` does not depend on ``n``.
"""

from __future__ import annotations

import datetime
import functools
import json
import random
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import MissingDependency
from ..labels import label_key
from ..model import Meta, Money, Report, Scalar
from ..template import load_template
from ..validation import check_rules

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "READER_FOR_LAYOUT",
    "random_report",
    "reports",
    "report_from_seed",
    "render_text",
    "as_rendered",
    "cell_diffs",
    "with_rule_break",
    "random_legacy_statistics",
    "generate_corpus",
    "available_kinds",
    "KINDS",
    "LEGACY_KEYS",
    "LEGACY_SHARE",
    "RULE_BREAK_SHARE",
    "render_docx",
    "render_html",
    "render_pdf",
]

FORMATS = ("2019", "2021")
LAYOUTS = ("tabbed", "vertical", "pipe", "ocr")
#: The reader each layout is written for.
READER_FOR_LAYOUT = {"tabbed": "tabbed", "vertical": "vertical", "pipe": "pipe", "ocr": "ocr_text"}

# ---------------------------------------------------------------------------------------------
# The printed form of the national tables (FORMAT.md §2–§4)

# table A: (block header, [(column key, printed header)], [(row key, printed label)])
_A_BLOCKS: dict[str, list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]] = {
    "2019": [
        ("第二十条第（一）项",
         [("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"), ("total_published", "对外公开总数量")],
         [("regulations", "规章"), ("normative_documents", "规范性文件")]),
        ("第二十条第（五）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
         [("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")]),
        ("第二十条第（六）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项",
         [("previous_count", "上一年项目数量"), ("change", "本年增/减")],
         [("administrative_fees", "行政事业性收费")]),
        ("第二十条第（九）项",
         [("projects", "采购项目数量"), ("amount", "采购总金额")],
         [("centralized_procurement", "政府集中采购")]),
    ],
    "2021": [
        ("第二十条第（一）项",
         [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
         [("regulations", "规章"), ("normative_documents", "行政规范性文件")]),
        ("第二十条第（五）项",
         [("decisions", "本年处理决定数量")],
         [("administrative_licensing", "行政许可")]),
        ("第二十条第（六）项",
         [("decisions", "本年处理决定数量")],
         [("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")]),
        ("第二十条第（八）项",
         [("amount", "本年收费金额（单位：万元）")],
         [("administrative_fees", "行政事业性收费")]),
    ],
}

_B_COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_organization",
              "legal_service", "other_organization", "total")
_B_PARTS = _B_COLUMNS[:-1]
_B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# table B rows: (key, label cells as the national form prints them; "" is an empty label column)
_B_ROWS_HEAD = [
    ("new_received", ["一、本年新收政府信息公开申请数量"]),
    ("carried_over", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partially_granted", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("withheld.state_secret", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("withheld.prohibited_by_law", ["", "", "2.其他法律行政法规禁止公开"]),
    ("withheld.security_stability", ["", "", "3.危及“三安全一稳定”"]),
    ("withheld.third_party_rights", ["", "", "4.保护第三方合法权益"]),
    ("withheld.internal_affairs", ["", "", "5.属于三类内部事务信息"]),
    ("withheld.process_information", ["", "", "6.属于四类过程性信息"]),
    ("withheld.enforcement_records", ["", "", "7.属于行政执法案卷"]),
    ("withheld.query_service", ["", "", "8.属于行政查询事项"]),
    ("unable.not_held", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unable.needs_creation", ["", "", "2.没有现成信息需要另行制作"]),
    ("unable.unclear", ["", "", "3.补正后申请内容仍不明确"]),
    ("not_processed.complaint", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("not_processed.duplicate", ["", "", "2.重复申请"]),
    ("not_processed.publication", ["", "", "3.要求提供公开出版物"]),
    ("not_processed.excessive", ["", "", "4.无正当理由大量反复申请"]),
    ("not_processed.confirmation", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
]
_B_ROWS_OTHER = {
    "2019": [("other", ["", "（六）其他处理"])],
    "2021": [
        ("other.no_correction", ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
        ("other.no_fee", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
        ("other.other", ["", "", "3.其他"]),
    ],
}
_B_ROWS_TAIL = [
    ("total", ["", "（七）总计"]),
    ("carried_forward", ["四、结转下年度继续办理"]),
]
# rows summed into （七）总计 (R2)
_B_RESULT_PREFIXES = ("granted", "partially_granted", "withheld.", "unable.", "not_processed.", "other")

_C_GROUPS = ("review", "litigation_direct", "litigation_after_review")
_C_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
_C_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

_SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def _b_rows(fmt: str) -> list[tuple[str, list[str]]]:
    return _B_ROWS_HEAD + _B_ROWS_OTHER[fmt] + _B_ROWS_TAIL


# the legacy table (FORMAT.md §5): (key or None for a heading row valued ——, label, unit, note)
_LEGACY_ROWS: tuple[tuple[str | None, str, str, str], ...] = (
    ("active.total", "（一）主动公开政府信息数", "条", "（不同渠道和方式公开相同信息计1条）"),
    (None, "（二）通过不同渠道和方式公开政府信息的情况", "", ""),
    ("active.gazette", "1.政府公报公开政府信息数", "条", ""),
    ("active.website", "2.政府网站公开政府信息数", "条", ""),
    ("active.weibo", "3.政务微博公开政府信息数", "条", ""),
    ("active.wechat", "4.政务微信公开政府信息数", "条", ""),
    ("active.other", "5.其他方式公开政府信息数", "条", ""),
    ("responses.hotspots", "（三）回应公众关注热点或重大舆情数", "次", "（不同方式回应同一热点或舆情计1次）"),
    (None, "（四）通过不同渠道和方式回应解读的情况", "", ""),
    ("responses.press_conferences", "1.参加或举办新闻发布会总次数", "次", ""),
    ("responses.press_conferences_principal", "其中：主要负责同志参加新闻发布会次数", "次", ""),
    ("responses.online_interviews", "2.政府网站在线访谈次数", "次", ""),
    ("responses.online_interviews_principal", "其中：主要负责同志参加政府网站在线访谈次数", "次", ""),
    ("responses.interpretations", "3.政策解读稿件发布数", "篇", ""),
    ("responses.weibo_wechat_events", "4.微博微信回应事件数", "次", ""),
)
#: the keys of the legacy table, in printed order
LEGACY_KEYS = tuple(k for k, *_ in _LEGACY_ROWS if k)


# ---------------------------------------------------------------------------------------------
# Random reports

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

    def n(v: int | None) -> int:
        return v or 0

    # ---- table A
    active: dict[str, dict[str, Scalar]] = {}
    for _, cols, rows in _A_BLOCKS[fmt]:
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
    b_keys = [k for k, _ in _b_rows(fmt)]
    results = [k for k in b_keys if k.startswith(_B_RESULT_PREFIXES)]
    apps: dict[str, dict[str, Scalar]] = {}
    for k in results:
        row: dict[str, Scalar] = {c: part() for c in _B_PARTS}
        row["total"] = derived(sum(n(row[c]) for c in _B_PARTS))  # type: ignore[arg-type]
        apps[k] = row
    total_row: dict[str, Scalar] = {c: derived(sum(n(apps[k][c]) for k in results)) for c in _B_PARTS}  # type: ignore[arg-type]
    forward: dict[str, Scalar] = {c: part() for c in _B_PARTS}
    over: dict[str, Scalar] = {}
    new: dict[str, Scalar] = {}
    for c in _B_PARTS:
        out_c = n(total_row[c]) + n(forward[c])  # type: ignore[arg-type]
        o = rng.randint(0, out_c) if out_c and rng.random() < activity else 0
        over[c] = derived(o) if o == 0 else o
        new[c] = derived(out_c - o)
    for name, row in (("new_received", new), ("carried_over", over), ("total", total_row), ("carried_forward", forward)):
        row["total"] = derived(sum(n(row[c]) for c in _B_PARTS))  # type: ignore[arg-type]
        apps[name] = row
    apps = {k: apps[k] for k in b_keys}

    # ---- table C (R4)
    review: dict[str, dict[str, Scalar]] = {}
    for g in _C_GROUPS:
        row = {o: part() for o in _C_OUTCOMES[:-1]}
        row["total"] = derived(sum(n(row[o]) for o in _C_OUTCOMES[:-1]))  # type: ignore[arg-type]
        review[g] = row

    # ---- meta
    year = rng.randint(2019, 2022) if fmt == "2019" else rng.randint(2021, 2025)
    published = None
    if rng.random() < 0.6:
        published = datetime.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    report = Report(
        format=fmt,  # type: ignore[arg-type]
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


def reports(formats: Sequence[str] = FORMATS, *, blanks: bool = True, legacy: bool = False):  # -> SearchStrategy[Report]
    """Hypothesis strategy of random valid reports of the given formats (see :func:`random_report`).

    Hypothesis draws the format, the share of non-zero cells, the blank rate (these shrink towards
    a quiet report with no blanks) and a seed for the rest; the report's ``source`` records them
    (``govreport.testing.report_from_seed(seed=…, fmt=…, …)``), so a failing example can be
    rebuilt from Hypothesis' report of it. (Drawing every value from ``st.randoms()`` instead makes
    hundreds of draws per report, which Hypothesis refuses as too large an input.) ``legacy=True``
    gives format-2019 reports that carry the legacy statistics table (``formats`` must allow 2019).
    """
    from hypothesis import strategies as st

    formats = tuple(formats)
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be taken from {FORMATS}, not {formats!r}")
    if legacy:
        if "2019" not in formats:
            raise ValueError("legacy statistics tables come with format 2019 only")
        formats = ("2019",)
    kw = {"legacy": st.just(True)} if legacy else {}
    return st.builds(
        report_from_seed,
        seed=st.integers(min_value=0, max_value=2**64 - 1),
        fmt=st.sampled_from(formats),
        blanks=st.just(blanks),
        activity=st.sampled_from(ACTIVITIES),
        blank_rate=st.sampled_from(BLANK_RATES if blanks else (0.0,)),
        **kw,
    )


def report_from_seed(seed: int, fmt: str, *, blanks: bool = True, activity: float | None = None,
                     blank_rate: float | None = None, legacy: bool = False) -> Report:
    """``random_report(random.Random(seed), fmt, …)``, with the call recorded in ``source``."""
    report = random_report(random.Random(seed), fmt, blanks=blanks, activity=activity, blank_rate=blank_rate,
                           legacy=legacy)
    call = (f"govreport.testing.report_from_seed(seed={seed}, fmt={fmt!r}, blanks={blanks}, "
            f"activity={activity}, blank_rate={blank_rate}" + (", legacy=True)" if legacy else ")"))
    return attrs.evolve(report, source=call)


# ---------------------------------------------------------------------------------------------
# Rendering: an intermediate table form, then one emitter per layout


@attrs.frozen
class _C:
    """One printed cell. ``kind``: label (row label), header (column/block header), value, unit
    (the legacy table's 单位 column), empty (the continuation of a vertically merged cell above:
    an empty label column in the text layouts, ``w:vMerge`` in Word, covered by a ``rowspan`` in
    HTML). ``span`` is the number of grid columns the cell covers (``w:gridSpan``/``colspan``)."""

    text: str
    kind: str
    vertical: bool = False
    zero: bool = False  # a value printed as 0 (OCR may print it as the letter O)
    blank: bool = False  # a blank value
    span: int = 1


_Row = list[_C]


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _grouped(digits: str, rng: random.Random) -> str:
    """Thousands separators now and then (1,234); the number is the same."""
    return f"{int(digits):,}" if len(digits) >= 4 and rng.random() < 0.2 else digits


def _value_cells(values: Iterable[Scalar], kinds: Iterable[str], rng: random.Random, layout: str) -> list[_C]:
    out = []
    for v, kind in zip(values, kinds):
        if v is None and layout == "ocr":
            v = Money(value="0", unit=None) if kind.startswith("money") else 0
        if v is None:
            out.append(_C("", "value", blank=True))
        elif isinstance(v, Money):
            # 2019 prints the unit in the cell; 2021 states 万元 in the column header
            show_unit = kind == "money-cell-unit" or v.unit not in (None, "万元")
            whole, dot, frac = v.value.partition(".")
            text = _grouped(whole, rng) + dot + frac + ((v.unit or "") if show_unit else "")
            out.append(_C(text, "value", zero=text == "0"))
        else:
            text = _grouped(str(abs(v)), rng)
            if kind == "signed":
                r = rng.random()
                if v > 0 and r < 0.15:
                    text = f"+{text}"
                elif v > 0 and r < 0.25:
                    text = f"增加{text}"
                elif v < 0:
                    text = f"减少{text}" if r < 0.15 else f"-{text}"
            elif rng.random() < 0.03:
                text = text.translate(_FULL_WIDTH)  # ０, as some typists print it
            out.append(_C(text, "value", zero=text == "0"))
    return out


#: grid columns of each table as the national form lays it out (Word fixtures: tblGrid)
_GRID = {"A": 4, "B": 10, "C": 15, "L": 3}


def _spanned(cells: list[_C], width: int) -> list[_C]:
    """The last cell of a short row spans the rest of the grid (第二十条第（八）项's one column)."""
    used = sum(c.span for c in cells[:-1])
    return cells[:-1] + [attrs.evolve(cells[-1], span=width - used)]


def _tables(report: Report, rng: random.Random, layout: str) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """Tables A, B and C as rows of printed cells (the intermediate form every emitter prints)."""
    fmt = report.format
    if fmt not in FORMATS:
        raise ValueError(f"can only render formats {FORMATS}, not {fmt!r}")
    # ---- A
    a: list[_Row] = []
    for block, cols, rows in _A_BLOCKS[fmt]:
        a.append([_C(block, "header", span=_GRID["A"])])
        a.append(_spanned([_C("信息内容", "header")] + [_C(h, "header") for _, h in cols], _GRID["A"]))
        for rkey, label in rows:
            values = [report.active_disclosure.get(rkey, {}).get(c) for c, _ in cols]
            kinds = ["money-cell-unit" if c == "amount" and fmt == "2019" else
                     "money" if c == "amount" else "signed" if c == "change" else "count" for c, _ in cols]
            a.append(_spanned([_C(label, "label")] + _value_cells(values, kinds, rng, layout), _GRID["A"]))
    # ---- B: three label columns (三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密), seven values
    vert_b = layout == "vertical" and rng.random() < 0.3
    b: list[_Row] = [
        [_C(_B_NOTE, "header", span=3), _C("申请人情况", "header", span=7)],
        [_C("", "empty", span=3), _C("自然人", "header"), _C("法人或其他组织", "header", span=5), _C("总计", "header")],
        [_C("", "empty", span=3), _C("", "empty")]
        + [_C(h, "header", vertical=vert_b) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]
        + [_C("", "empty")],
    ]
    for key, labels in _b_rows(fmt):
        row = report.applications.get(key, {})
        cells = [_C(t, "label") if t else _C("", "empty") for t in labels]
        cells[-1] = attrs.evolve(cells[-1], span=4 - len(cells))
        b.append(cells + _value_cells([row.get(c) for c in _B_COLUMNS], ["count"] * 7, rng, layout))
    # ---- C: 行政复议 over five columns, 行政诉讼 over ten (未经复议直接起诉 / 复议后起诉, five each)
    vert = layout == "vertical"
    c: list[_Row] = [
        [_C("行政复议", "header", span=5), _C("行政诉讼", "header", span=10)],
        [_C(h, "header", vertical=vert) for h in _C_HEADERS]
        + [_C("未经复议直接起诉", "header", span=5), _C("复议后起诉", "header", span=5)],
        [_C("", "empty")] * 5 + [_C(h, "header", vertical=vert) for h in _C_HEADERS] * 2,
    ]
    values = [report.review_litigation.get(g, {}).get(o) for g in _C_GROUPS for o in _C_OUTCOMES]
    c.append(_value_cells(values, ["count"] * 15, rng, layout))
    return a, b, c


def _legacy_table(report: Report, rng: random.Random, layout: str) -> list[_Row]:
    """The legacy 统计指标 / 单位 / 统计数 table (FORMAT.md §5) of a report that has one."""
    stats = report.legacy_statistics or {}
    ocr = layout == "ocr"
    head = "统　计　指　标" if not ocr and rng.random() < 0.3 else "统计指标"
    rows: list[_Row] = [[_C(head, "header"), _C("单位", "header"), _C("统计数", "header")]]
    indent = "" if ocr else rng.choice(("", "", "　　"))
    for key, label, unit, note in _LEGACY_ROWS:
        if key is None:  # a heading row, valued ——
            rows.append([_C(indent + label, "label"), _C("——", "value"), _C("——", "value")])
            continue
        if key not in stats:
            continue
        text = (indent + ("　　　" if indent and label[0].isdigit() else "")) + label
        if note and rng.random() < 0.6:
            # on a line of its own in the cell, except where a line break would end the cell (OCR) or
            # make it look like prose before the cell (pipe: a long line before a cell's last line)
            text += ("" if ocr or layout == "pipe" or rng.random() < 0.5 else "\n") + note
        rows.append([_C(text, "label"), _C(unit, "unit")] + _value_cells([stats[key]], ["count"], rng, layout))
    return rows


# ---- prose

_OVERVIEW = (
    "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作扎实推进政府信息公开工作。",
    "一是加强组织领导，明确工作职责，健全政府信息公开工作机制。",
    "二是规范公开程序，严格落实保密审查，确保公开内容准确及时。",
    "三是拓宽公开渠道，充分发挥门户网站和政务新媒体作用。",
    "截至{year}年12月31日，{agency}主动公开政府信息{n}条，依申请公开信息{m}条。",
)
_ACTIVE = ("{year}年，本单位通过门户网站、公示栏等渠道主动公开政府信息。", "主动公开情况统计如下。")
_APPS = ("{year}年度本单位依法办理政府信息公开申请。", "本年度收到和处理政府信息公开申请情况如下。")
_REVIEW = ("{year}年，本单位因政府信息公开引起的行政复议、行政诉讼情况如下。",)
_PROBLEMS = (
    "{year}年，本单位政府信息公开工作取得了一定成效，但也存在不足：信息公开的及时性有待加强。",
    "下一步，将进一步完善信息公开工作机制，加强业务培训，提高公开质量。",
    "一是加大政策解读力度，及时回应社会关切。",
)
_OTHER = ("无。", "本年度无其他需要报告的事项。", "本单位未收取信息处理费。")


def _prose(pool: Sequence[str], rng: random.Random, k: tuple[int, int], **kw: Any) -> list[str]:
    lines = list(pool[:1]) + rng.sample(list(pool[1:]), min(len(pool) - 1, rng.randint(*k)))
    return [line.format(**kw) for line in lines]


def _cn_year(y: int) -> str:
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(y))


def _cn_num(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _date_line(d: datetime.date, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{d.year}年{d.month}月{d.day}日"
    if style < 0.85:
        return f"{_cn_year(d.year)}年{_cn_num(d.month)}月{_cn_num(d.day)}日"
    return f"{d.year}-{d.month:02d}-{d.day:02d}"


def _title_lines(agency: str, year: int, rng: random.Random, layout: str) -> list[str]:
    if layout == "ocr":
        return [f"{agency} {year} 年政府信息公开工作年度报告"]
    style = rng.randrange(4)
    if style == 0:
        return [f"{agency}{year}年", "政府信息公开工作年度报告"]
    if style == 1:
        return [agency, f"{year}年政府信息公开工作年度报告"]
    if style == 2:
        return [f"{agency}{year}年政府信息公开工作年度报告"]
    return [f"{year}年度{agency}政府信息公开工作年度报告"]


@attrs.frozen
class _Part:
    """One block of a rendered document. ``kind`` is what the text emitters print it as: ``para``
    (a line of its own), ``prose`` (body text; OCR noise spaces it) or ``table`` (``item`` is
    ``(name, rows)``, name ``A``/``B``/``C``/``L`` for the legacy table). ``role`` is what the office
    emitters style it as: title, blank, heading, body, caption, table, signature or date."""

    kind: str
    item: Any
    role: str = "body"


#: where a legacy table goes: its own inserted section (as a seed does: 三、… with the rest shifted),
#: right after table A inside section 二, or an appendix after section 六
_LEGACY_PLACES = ("section", "after_a", "appendix")
_LEGACY_CAPTIONS = ("政府信息公开情况统计表", "附：政府信息公开情况统计表", "{year}年政府信息公开情况统计表")
_CN_NUMERALS = "一二三四五六七八九十"


def _renumbered(heading: str, number: int) -> str:
    """A section heading with its numeral replaced (an inserted section shifts the ones after it)."""
    return _CN_NUMERALS[number - 1] + heading[heading.index("、"):]


def _document(report: Report, rng: random.Random, layout: str) -> list[_Part]:
    """The document as parts: title, headings, prose, tables (rows of :class:`_C`), signature.

    The one place where a report becomes a document; every emitter (text layouts, Word, HTML) prints
    these parts. ``layout`` is a text layout or ``"office"`` (no OCR or vertical-print specifics).
    """
    meta = report.meta
    if not meta.agency or not meta.year:
        raise ValueError("rendering needs a report with meta.agency and meta.year")
    a, b, c = _tables(report, rng, layout)
    kw = dict(agency=meta.agency, year=meta.year, n=rng.randint(1, 2000), m=rng.randint(0, 20))
    parts = [_Part("para", t, "title") for t in _title_lines(meta.agency, meta.year, rng, layout)]
    parts.append(_Part("para", "", "blank"))
    parts.append(_Part("para", _SECTIONS[0], "heading"))
    parts += [_Part("prose", t) for t in _prose(_OVERVIEW, rng, (1, 4), **kw)]
    legacy: list[_Part] = []
    place = None
    if report.legacy_statistics is not None:
        place = rng.choice(_LEGACY_PLACES)
        caption = rng.choice(_LEGACY_CAPTIONS).format(year=meta.year)
        legacy = ([_Part("para", f"三、{caption.removeprefix('附：')}", "heading")] if place == "section" else
                  [_Part("para", caption, "caption")])
        legacy.append(_Part("table", ("L", _legacy_table(report, rng, layout)), "table"))
    shift = 0
    for heading, pool, table, name in ((_SECTIONS[1], _ACTIVE, a, "A"), (_SECTIONS[2], _APPS, b, "B"),
                                       (_SECTIONS[3], _REVIEW, c, "C")):
        parts.append(_Part("para", _renumbered(heading, int(_CN_NUMERALS.index(heading[0])) + 1 + shift)
                           if shift else heading, "heading"))
        if rng.random() < 0.5:
            parts += [_Part("prose", t) for t in _prose(pool, rng, (0, 1), **kw)]
        parts.append(_Part("table", (name, table), "table"))
        if name == "A" and place in ("section", "after_a"):
            parts += legacy
            shift = int(place == "section")
    for i, heading in ((4, _SECTIONS[4]), (5, _SECTIONS[5])):
        parts.append(_Part("para", _renumbered(heading, i + 1 + shift) if shift else heading, "heading"))
        if i == 4:
            parts += [_Part("prose", t) for t in _prose(_PROBLEMS, rng, (1, 2), **kw)]
        else:
            parts.append(_Part("prose", rng.choice(_OTHER)))
    if place == "appendix":
        parts += legacy
    if meta.published:
        parts.append(_Part("para", "", "blank"))
        parts.append(_Part("para", (" " * rng.randint(0, 10)) + meta.agency, "signature"))
        parts.append(_Part("para", _date_line(meta.published, rng), "date"))
    return parts


def render_text(report: Report, layout: str, *, rng: random.Random | None = None) -> str:
    """The report printed as a text document in ``layout`` (one of :data:`LAYOUTS`).

    Deterministic for a given ``rng`` state (``random.Random(0)`` when ``None``). The report must
    have format 2019 or 2021 and an agency and year. See the module docstring for each layout and
    for the OCR noise model.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    rng = rng if rng is not None else random.Random(0)
    parts = _document(report, rng, layout)
    emit = {"tabbed": _emit_tabbed, "vertical": _emit_tabbed, "pipe": _emit_pipe, "ocr": _emit_ocr}[layout]
    return emit(parts, rng)


# ---- tabbed / vertical

def _wrap(text: str, rng: random.Random, p: float) -> str:
    """A long header wrapped in a narrow column (本年新 / 制作数量)."""
    if len(text) >= 6 and "（" not in text and rng.random() < p:
        return text[:3] + "\n" + text[3:]
    return text


def _pad(rng: random.Random) -> str:
    """Stray spacing around a printed number (`` 0``, ``1\xa0``, as seed fixtures print them)."""
    r = rng.random()
    return " " if r < 0.05 else "\xa0" if r < 0.1 else ""


def _emit_tabbed(parts: list[_Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind in ("para", "prose"):
            lines.append(item)
            continue
        name, rows = item
        # some exports leave out the empty cells of merged label columns
        skip_empty = name == "B" and rng.random() < 0.3
        for row in rows:
            for cell in row:
                if skip_empty and cell.kind == "empty" and any(c.kind == "value" for c in row):
                    continue
                if cell.kind == "value" and cell.blank:
                    text = rng.choice(("", "\xa0", " "))
                elif cell.kind == "value":
                    text = _pad(rng) + cell.text + _pad(rng)
                elif cell.vertical:
                    text = "\n".join(cell.text)
                elif cell.kind == "header" and name == "A":
                    text = _wrap(cell.text, rng, 0.3)
                elif cell.kind == "label" and len(cell.text) >= 10 and "\n" not in cell.text and rng.random() < 0.15:
                    cut = rng.randint(4, len(cell.text) - 3)  # a long label wrapped in its cell
                    text = cell.text[:cut] + "\n" + cell.text[cut:]
                else:
                    text = cell.text
                lines.append("\t" + text)
            lines.append("")
        lines += ["", ""]
    return "\n".join(lines) + "\n"


# ---- pipe

def _emit_pipe(parts: list[_Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind in ("para", "prose"):
            if item:
                lines.append(item)
            continue
        name, rows = item
        for row in rows:
            for cell in row:
                if cell.kind == "empty":
                    continue  # the dump keeps no empty label columns (as the pipe seed)
                text = cell.text
                if cell.kind == "header" and name == "B" and len(text) in (4, 6) and rng.random() < 0.5:
                    text = "\n".join(text[i:i + 2] for i in range(0, len(text), 2))  # 商业 / 企业
                lines += [text, "|"]
    return "\n".join(lines) + "\n"


# ---- OCR

_PUNCT_SWAPS = (("（", "("), ("）", ")"), ("：", ":"), ("，", ","))
_MARGIN_CHARS = tuple("本年度办理结果") + (",", ".", "'", "`", "|", "、")
_GARBAGE_PUNCT = (",,,", "//", "''", "~", ".:", ">", "、、")
_GARBAGE_DIGITS = ("7,7", ">10", "711", "71", "1l", "3.")


_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、])")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GROUP_HEADS = ("（三）", "（四）", "（五）", "（六）")


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every label the template knows (rows, columns, headers): a broken label leaves none alone."""
    t = load_template()
    keys = set(t.header_keys)
    for spec in t.tables.values():
        for row in spec.rows:
            keys.update(row.labels)
        for col in spec.columns.values():
            keys.update(col.labels)
    return frozenset(keys)


def _half_width(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        for full, half in _PUNCT_SWAPS:
            text = text.replace(full, half)
    return text


def _spaced(text: str, rng: random.Random) -> str:
    m = _NUMBERING.match(text)
    head, body = (text[: m.end()], text[m.end():]) if m else ("", text)
    if head and rng.random() < 0.5:
        head += " "
    if rng.random() < 0.15:
        gaps = [i for i in range(1, len(body)) if _CJK.match(body[i - 1]) and _CJK.match(body[i])]
        for i in sorted(rng.sample(gaps, min(len(gaps), rng.randint(1, 2))), reverse=True):
            body = body[:i] + " " + body[i:]
    return head + body


def _split_label(text: str, rng: random.Random) -> list[str]:
    """Break a row label into two cells, each piece ≥ 3 characters and no piece a label by itself."""
    m = _NUMBERING.match(text)
    start = m.end() if m else 0
    known = _known_keys()
    cuts = [i for i in range(start + 1, len(text))
            if len(label_key(text[:i])) >= 3 and len(label_key(text[i:])) >= 3
            and label_key(text[:i]) not in known and label_key(text[i:]) not in known
            and _CJK.search(text[i])]
    if not cuts:
        return [text]
    i = rng.choice(cuts)
    return [text[:i], text[i:]]


def _ocr_prose(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if _CJK.match(ch) and rng.random() < 0.02:
            out.append(" ")
    return "".join(out)


def _garbage_row(rng: random.Random) -> list[str]:
    cells = [rng.choice(_GARBAGE_PUNCT)] + [rng.choice(_GARBAGE_PUNCT + _GARBAGE_DIGITS) for _ in range(rng.randint(2, 7))]
    rng.shuffle(cells)
    # empty columns in between, as the scan's gaps come out
    out: list[str] = []
    for c in cells:
        out += [""] * rng.randint(0, 2) + [c]
    return [""] + out


def _ocr_row(row: _Row, rng: random.Random, *, data_seen: bool, prev_valued: bool) -> list[str]:
    has_values = any(c.kind == "value" for c in row)
    labels = [i for i, c in enumerate(row) if c.kind == "label"]
    texts: list[str] = []
    merged_into: int | None = None
    # a group label and its first item in one cell
    if (len(labels) >= 2 and row[labels[-2]].text.startswith(_GROUP_HEADS)
            and len(label_key(row[labels[-1]].text)) >= 4 and rng.random() < 0.1):
        merged_into = labels[-2]
    for i, cell in enumerate(row):
        if cell.kind == "empty":
            texts.append("")
        elif cell.kind == "value":
            texts.append("O" if cell.zero and rng.random() < 0.05 else cell.text)
        elif cell.kind == "header":
            texts.append(_half_width(cell.text, rng))
        else:
            if merged_into is not None and i == labels[-1]:
                texts[-1] = texts[-1] + " " + _half_width(_spaced(cell.text, rng), rng)
                continue
            pieces = [cell.text]
            if i == labels[-1] and has_values and merged_into is None and len(label_key(cell.text)) >= 6 and rng.random() < 0.2:
                pieces = _split_label(cell.text, rng)
            texts += [_half_width(_spaced(p, rng), rng) for p in pieces]
    if labels and has_values and data_seen and rng.random() < 0.12:
        marks = list(_MARGIN_CHARS) + ([str(rng.randint(1, 999))] if prev_valued else [])
        texts.insert(0, rng.choice(marks))
    return texts


def _join_ocr(texts: list[str], rng: random.Random) -> str:
    line = texts[0] if texts else ""
    for t in texts[1:]:
        line += ("\t\t" if rng.random() < 0.15 else "\t") + t
    if rng.random() < 0.3:
        line += "\t" * rng.randint(1, 4)
    return line


def _emit_ocr(parts: list[_Part], rng: random.Random) -> str:
    lines: list[str] = []
    for part in parts:
        kind, item = part.kind, part.item
        if kind == "para":
            lines += [item, ""] if item else [""]
            continue
        if kind == "prose":
            lines += [_ocr_prose(item, rng), ""]
            continue
        name, rows = item
        data_seen = prev_valued = False
        for row in rows:
            has_values = any(c.kind == "value" for c in row)
            if name == "C" and all(c.kind == "value" for c in row) and rng.random() < 0.7:
                lines.append(_join_ocr(_garbage_row(rng), rng))
            texts = _ocr_row(row, rng, data_seen=data_seen, prev_valued=prev_valued)
            if len(texts) == 1 and rng.random() < 0.5:
                lines.append(texts[0])  # a lone cell comes out as a line of its own (第二十条第(一)项)
            else:
                lines.append(_join_ocr(texts, rng))
            data_seen = data_seen or (has_values and any(c.kind == "label" for c in row))
            prev_valued = has_values
        lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# What a layout can express, and corpora


def as_rendered(report: Report, layout: str) -> Report:
    """``report`` as ``layout`` can express it, i.e. what reading the rendered document should give.

    ``layout`` is a text layout or an office kind (``"docx"``, ``"html"``, ``"pdf"``). Every one
    expresses every value except ``"ocr"``, which prints a blank as 0 (its reader drops empty
    cells): there a blank count becomes 0 and a blank amount ``Money("0", unit)`` with the unit the
    column states (万元 in format 2021, none in 2019).
    """
    if layout not in LAYOUTS + OFFICE_KINDS:
        raise ValueError(f"layout must be one of {LAYOUTS + OFFICE_KINDS}, not {layout!r}")
    if layout != "ocr":
        return report
    money_unit = "万元" if report.format == "2021" else None

    def fill(table: Any) -> dict[str, dict[str, Scalar]]:
        return {r: {c: (Money("0", money_unit) if c == "amount" else 0) if v is None else v for c, v in cols.items()}
                for r, cols in table.items()}

    legacy = report.legacy_statistics
    return attrs.evolve(report, active_disclosure=fill(report.active_disclosure),
                        applications=fill(report.applications), review_litigation=fill(report.review_litigation),
                        legacy_statistics=None if legacy is None else {k: 0 if v is None else v for k, v in legacy.items()})


def cell_diffs(expected: Report, got: Report) -> list[str]:
    """Every difference that matters between two reports, as ``"where: expected …, got …"`` lines.

    Compared: the format; every cell of tables A/B/C and of the legacy statistics table (value and
    blank-ness; a cell missing on one side is ``<absent>``, a table missing ``<no table>``); meta
    (agency, year, published). Empty when the reports agree.
    """
    e, g = expected.to_dict(full=False), got.to_dict(full=False)
    out = []
    if e["format"] != g["format"]:
        out.append(f"format: expected {e['format']!r}, got {g['format']!r}")
    for t in ("active_disclosure", "applications", "review_litigation"):
        for r in sorted(set(e[t]) | set(g[t])):
            for c in sorted(set(e[t].get(r, {})) | set(g[t].get(r, {}))):
                ev, gv = e[t].get(r, {}).get(c, "<absent>"), g[t].get(r, {}).get(c, "<absent>")
                if ev != gv:
                    out.append(f"{t}/{r}/{c}: expected {ev!r}, got {gv!r}")
    el, gl = e.get("legacy_statistics"), g.get("legacy_statistics")
    if el is not None or gl is not None:
        if el is None or gl is None:
            out.append(f"legacy_statistics: expected {'<no table>' if el is None else len(el)}, "
                       f"got {'<no table>' if gl is None else len(gl)} rows")
        else:
            for k in sorted(set(el) | set(gl)):
                ev, gv = el.get(k, "<absent>"), gl.get(k, "<absent>")
                if ev != gv:
                    out.append(f"legacy_statistics/{k}: expected {ev!r}, got {gv!r}")
    for m in ("agency", "year", "published"):
        if e["meta"][m] != g["meta"][m]:
            out.append(f"meta/{m}: expected {e['meta'][m]!r}, got {g['meta'][m]!r}")
    return out


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
    return attrs.evolve(report, **{table: changed})


#: document kinds :func:`generate_corpus` writes (``txt`` in every text layout)
KINDS = ("txt", "docx", "html", "pdf")
OFFICE_KINDS = ("docx", "html", "pdf")
#: share of format-2019 reports in a generated corpus that carry the legacy statistics table
LEGACY_SHARE = 0.15
#: share of reports in a generated corpus printed with one rule broken (:func:`with_rule_break`)
RULE_BREAK_SHARE = 0.05
#: share of generated web pages encoded in GBK
GBK_SHARE = 0.25


def available_kinds() -> tuple[str, ...]:
    """The kinds this machine can make: every kind but ``pdf`` when LibreOffice is missing."""
    from .office import soffice

    return KINDS if soffice() else tuple(k for k in KINDS if k != "pdf")


def generate_corpus(
    n: int,
    seed: int | str,
    out_dir: str | Path,
    layouts: Sequence[str] = LAYOUTS,
    formats: Sequence[str] = FORMATS,
    *,
    blanks: bool = True,
    kinds: Sequence[str] | None = None,
    pdf_batch: int = 40,
) -> list[Path]:
    """Write ``n`` random reports as documents, each with its ``<name>.gold.json``.

    Documents cycle over the units (each text layout of ``layouts`` for kind ``txt``, then
    ``docx``, ``html``, ``pdf``, in the order of ``kinds``; default :func:`available_kinds`).
    Document ``i`` (``synthetic-<seed>-<i:05d>-<layout or kind>-<format>[-legacy][-rulebreak].<ext>``)
    is drawn from ``random.Random(f"govreport-corpus:{seed}:{i}")`` and its unit, so the corpus is
    the same for the same seed and kinds (and its first ``k`` documents do not depend on ``n``):
    byte for byte for txt, docx and html; for pdf the same gold (LibreOffice stamps the time).

    Formats are drawn; :data:`LEGACY_SHARE` of the format-2019 reports carry the legacy statistics
    table; :data:`RULE_BREAK_SHARE` of all reports are printed with one number of table B or C
    changed after the totals were computed (:func:`with_rule_break`; the gold holds the printed
    numbers). Reports for the ``ocr`` layout never have blank cells (it cannot print them), so
    every gold file is exactly what its document prints; ``blanks=False`` leaves blanks out of
    every document. PDFs are converted from their Word documents in batches of ``pdf_batch`` per
    LibreOffice run. Returns the paths of the documents, in order.
    """
    layouts = tuple(layouts)
    formats = tuple(formats)
    if not layouts or any(lay not in LAYOUTS for lay in layouts):
        raise ValueError(f"layouts must be taken from {LAYOUTS}, not {layouts!r}")
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be taken from {FORMATS}, not {formats!r}")
    kinds = available_kinds() if kinds is None else tuple(kinds)
    if not kinds or any(k not in KINDS for k in kinds) or len(set(kinds)) != len(kinds):
        raise ValueError(f"kinds must be taken from {KINDS}, not {kinds!r}")
    if n < 0:
        raise ValueError("n must be >= 0")
    from . import office

    if "pdf" in kinds and office.soffice() is None:
        raise MissingDependency("generating PDF documents needs LibreOffice (soffice) on the PATH")
    units: list[tuple[str, str]] = []
    for k in kinds:
        units += [("txt", lay) for lay in layouts] if k == "txt" else [(k, k)]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    pending_pdf: list[tuple[Path, Path]] = []  # (docx written to the work folder, the PDF wanted)
    work = None
    try:
        for i in range(n):
            rng = random.Random(f"govreport-corpus:{seed}:{i}")
            kind, layout = units[i % len(units)]
            fmt = rng.choice(formats)
            legacy = fmt == "2019" and rng.random() < LEGACY_SHARE
            broken = rng.random() < RULE_BREAK_SHARE
            report = random_report(rng, fmt, blanks=blanks and layout != "ocr", legacy=legacy)
            if broken:
                report = with_rule_break(report, rng)
            name = f"synthetic-{seed}-{i:05d}-{layout}-{fmt}" + ("-legacy" if legacy else "") + ("-rulebreak" if broken else "")
            path = out / f"{name}.{kind}"
            if kind == "txt":
                path.write_text(render_text(report, layout, rng=rng), encoding="utf-8")
            elif kind == "docx":
                path.write_bytes(office.render_docx(report, rng=rng))
            elif kind == "html":
                encoding = "gbk" if rng.random() < GBK_SHARE else "utf-8"
                path.write_bytes(office.render_html(report, rng=rng, encoding=encoding))
            else:
                if work is None:
                    work = Path(tempfile.mkdtemp(prefix="govreport-corpus-"))
                src = work / f"{name}.docx"
                src.write_bytes(office.render_docx(report, rng=rng))
                pending_pdf.append((src, path))
            gold = as_rendered(report, layout).to_dict(full=False)
            (out / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            paths.append(path)
        for start in range(0, len(pending_pdf), max(1, pdf_batch)):
            batch = pending_pdf[start:start + max(1, pdf_batch)]
            for pdf, (_, want) in zip(office.convert_to_pdf([s for s, _ in batch], work / "pdf"), batch):  # type: ignore[operator]
                shutil.move(str(pdf), want)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return paths


from .office import render_docx, render_html, render_pdf  # noqa: E402  (office builds on the parts above)
