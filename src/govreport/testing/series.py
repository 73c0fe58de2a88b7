"""Consistent consecutive-year series of generated reports, with problems planted on request.

Built on :mod:`govreport.testing`: each year is a :func:`~govreport.testing.reports.random_report` made to
continue the year before (上年结转 = last year's 结转下年度, column by column; 现行有效 = last year's
+ 制发 − 废止 in format 2021; 上一年项目数量 = last year's + 本年增/减 in format 2019), printed with
:func:`~govreport.testing.layouts.render_text`, with true sentences restating the tables added to sections
二, 三 and 四 (so the text-against-tables check has something to agree with). A consistent series
gives no audit finding; each :data:`PLANTS` entry plants one problem and says which finding it must
give.

``python -m govreport.testing.series OUT_DIR [--seed S] [--years N] [--plant KIND@YEAR …]`` writes
a series and a ``planted.json`` listing the findings the audit must report.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

from ..model import Report, Scalar
from .form import B_PARTS
from .layouts import LAYOUTS, render_text
from .reports import random_report

_ORG = B_PARTS[1:]

#: kind → (rule it must give, what it does)
PLANTS: dict[str, tuple[str, str]] = {
    "carried-over": ("R5", "上年结转 自然人 and 总计 raised by 1 (结转下年度 too, so the year itself still adds up)"),
    "prose-off-by-one": ("A-TEXT-NEW-RECEIVED", "the sentence restating 本年新收 says one more than the table"),
    "section-removed": ("C-SECTION-MISSING", "section 五 (heading and prose) left out"),
    "problems-empty": ("C-PROBLEMS-EMPTY", "section 五 says only 无。"),
    "fee": ("C-FEE", "section 六 says no fee was charged, section 三 states a fee of 100元"),
    "fee-notice": ("C-FEE-NOTICE", "one more application closed for an unpaid fee notice while section 六 says no "
                                   "fee notice was sent (needs format 2021)"),
    "period": ("C-YEAR-PERIOD", "a statistics period of the year before is stated"),
    "in-force": ("R5-IN-FORCE", "行政规范性文件 现行有效 raised by 1 (needs format 2021 in this and the previous year)"),
    "items": ("R5-ITEMS", "行政许可 上一年项目数量 raised by 1 (needs format 2019 in this and the previous year)"),
    "combined-off": ("A-TEXT-COMBINED", "the sentence naming 予以公开 and 部分公开 together says one more than their sum"),
    "table-r4": ("R4", "行政复议 结果维持 one more while its 总计 is printed unchanged (the table breaks R4 as printed)"),
}

#: the wordings :func:`render_series` adds with ``wording=True``; none of them is a problem
WORDINGS = {
    "combined": "予以公开 and 部分公开 stated together (予以公开及部分公开N件), with their sum",
    "activity": "a look-alike activity with another number (集中发布现行有效的行政规范性文件N件, 公开行政处罚决定书N份)",
    "heading-typo": "one section heading printed with a typo (a character changed, added or dropped)",
    "untitled": "no signature, and the title printed after a web page's breadcrumb with 年度 (the body named there "
                "only), or naming no body at all, the body named only by the page's 发布机构: line",
}
_TYPO_CHARS = "法之的务部门项"

_SECTION_HEADS = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def _n(v: Scalar) -> int:
    return v if isinstance(v, int) else 0


def _fmt_for(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


def _set(table: dict[str, dict[str, Scalar]], row: str, col: str, v: int, *, keep_blank: bool = True) -> None:
    old = table[row].get(col)
    table[row][col] = None if (keep_blank and old is None and v == 0) else v


def _retotal(apps: dict[str, dict[str, Scalar]], row: str) -> None:
    total = sum(_n(apps[row].get(c)) for c in B_PARTS)
    _set(apps, row, "total", total)


def _plain(table: Any) -> dict[str, dict[str, Scalar]]:
    return {r: dict(cols) for r, cols in table.items()}


def _fix_items(active: dict[str, dict[str, Scalar]]) -> None:
    """No item count below zero: 上一年项目数量 + 本年增/减 ≥ 0."""
    for cols in active.values():
        if "previous_count" in cols and "change" in cols:
            if _n(cols["previous_count"]) + _n(cols["change"]) < 0:
                cols["change"] = -_n(cols["previous_count"])


def continue_report(prev: Report, report: Report) -> Report:
    """``report`` changed as little as needed to continue ``prev`` (the year before) exactly."""
    apps = _plain(report.applications)
    fwd = prev.applications.get("carried_forward") or {}
    for c in B_PARTS:
        apps["carried_over"][c] = fwd.get(c)
        # R1 per column: new = total + forward - over; a shortfall goes to 结转下年度
        need = _n(apps["total"].get(c)) + _n(apps["carried_forward"].get(c)) - _n(apps["carried_over"][c])
        if need < 0:
            _set(apps, "carried_forward", c, _n(apps["carried_forward"].get(c)) - need, keep_blank=False)
            need = 0
        _set(apps, "new_received", c, need)
    for row in ("new_received", "carried_over", "carried_forward"):
        _retotal(apps, row)
    apps["carried_over"]["total"] = fwd.get("total")  # equal to the sum, blank kept as printed
    if _n(apps["carried_over"]["total"]) != sum(_n(apps["carried_over"][c]) for c in B_PARTS):
        _retotal(apps, "carried_over")

    active = _plain(report.active_disclosure)
    if prev.format == "2021" and report.format == "2021":
        for row in ("regulations", "normative_documents"):
            p, cur = prev.active_disclosure[row], active[row]
            base = _n(p.get("in_force")) + _n(cur.get("issued"))
            repealed = min(_n(cur.get("repealed")), base)
            if repealed != _n(cur.get("repealed")):
                cur["repealed"] = repealed
            cur["in_force"] = base - repealed
    if prev.format == "2019" and report.format == "2019":
        for row, p in prev.active_disclosure.items():
            if "previous_count" in p and "change" in p and "previous_count" in active.get(row, {}):
                active[row]["previous_count"] = _n(p["previous_count"]) + _n(p["change"])
    _fix_items(active)
    return attrs.evolve(report, applications=apps, active_disclosure=active)


def agency_variant(agency: str, i: int) -> str:
    """The same body named as reports do from year to year (东岭街道办事处 / 东岭街道, 人民政府 / 政府)."""
    if i % 2 == 1:
        if agency.endswith("街道办事处"):
            return agency[: -len("办事处")]
        if agency.endswith("人民政府"):
            return agency[: -len("人民政府")] + "政府"
    return agency


def consistent_series(
    rng: random.Random,
    *,
    years: int = 3,
    start: int | None = None,
    formats: Sequence[str] | None = None,
    blanks: bool = True,
) -> list[Report]:
    """``years`` reports of one body for consecutive years, each continuing the one before.

    Format by year unless ``formats`` says: 2019 up to 2020, 2021 from 2021 (so a series may switch
    format). Dated in January of the next year (or undated); the agency is printed in the variants
    of :func:`agency_variant`.
    """
    start = start if start is not None else rng.randint(2019, 2023)
    out: list[Report] = []
    agency = None
    for i in range(years):
        year = start + i
        fmt = formats[i] if formats is not None else _fmt_for(year)
        r = random_report(rng, fmt, blanks=blanks)
        agency = agency or r.meta.agency
        assert agency is not None
        published = datetime.date(year + 1, 1, rng.randint(5, 28)) if rng.random() < 0.7 else None
        active = _plain(r.active_disclosure)
        _fix_items(active)
        r = attrs.evolve(r, active_disclosure=active,
                         meta=attrs.evolve(r.meta, agency=agency_variant(agency, i), year=year, published=published))
        if out:
            r = continue_report(out[-1], r)
        out.append(r)
    return out


# ----------------------------------------------------------------------------------- prose


def statements(report: Report, *, off_by_one: bool = False, combined: str | None = None,
               combined_off: bool = False) -> dict[str, list[str]]:
    """True sentences restating the tables, by section key (``off_by_one``: 本年新收 one too many;
    ``combined``: 予以公开 and 部分公开 stated together with this joiner, one too many with
    ``combined_off``)."""
    a, b, c = report.active_disclosure, report.applications, report.review_litigation
    out: dict[str, list[str]] = {"active_disclosure": [], "applications": [], "review_litigation": []}
    if report.format == "2021":
        nd = a["normative_documents"]
        out["active_disclosure"].append(
            f"全年制发行政规范性文件{_n(nd.get('issued'))}件，废止行政规范性文件{_n(nd.get('repealed'))}件，"
            f"现行有效的行政规范性文件{_n(nd.get('in_force'))}件。")
    else:
        out["active_disclosure"].append(f"本年新制作规范性文件{_n(a['normative_documents'].get('new_made'))}件。")
    new = _n(b["new_received"].get("total"))
    person = _n(b["new_received"].get("natural_person"))
    org = sum(_n(b["new_received"].get(x)) for x in _ORG)
    if off_by_one:
        out["applications"].append(f"全年共收到政府信息公开申请{new + 1}件。")
    elif new == 0:
        out["applications"].append("本年度未收到政府信息公开申请。")
    else:
        out["applications"].append(f"全年共收到政府信息公开申请{new}件，其中自然人申请{person}件，法人或其他组织申请{org}件。")
    over = _n(b["carried_over"].get("total"))
    out["applications"].append(f"上年结转政府信息公开申请{over}件。")
    total = _n(b["total"].get("total"))
    fwd = _n(b["carried_forward"].get("total"))
    out["applications"].append(f"本年度办结{total}件，结转下年度继续办理{fwd}件。")

    def s(prefix: str) -> int:
        return sum(_n(cols.get("total")) for k, cols in b.items() if k == prefix or k.startswith(prefix + "."))

    if combined is not None:
        both = s("granted") + s("partially_granted") + int(combined_off)
        out["applications"].append(
            f"办理结果中，予以公开{combined}部分公开{both}件，不予公开{s('withheld')}件，"
            f"无法提供{s('unable')}件，不予处理{s('not_processed')}件。")
    else:
        out["applications"].append(
            f"办理结果中，予以公开{s('granted')}件，部分公开{s('partially_granted')}件，不予公开{s('withheld')}件，"
            f"无法提供{s('unable')}件，不予处理{s('not_processed')}件。")
    if new + over:
        rate = (Decimal(total) * 100 / Decimal(new + over)).quantize(Decimal("0.1"))
        out["applications"].append(f"办结率为{rate}%。")
    review = _n(c["review"].get("total"))
    lit = _n(c["litigation_direct"].get("total")) + _n(c["litigation_after_review"].get("total"))
    if review == 0 and lit == 0:
        out["review_litigation"].append("本年度未发生因政府信息公开引起的行政复议、行政诉讼。")
    else:
        out["review_litigation"].append(f"本年度发生政府信息公开行政复议{review}起，行政诉讼{lit}起。")
    return out


def _insert_after(lines: list[str], heading: str, new: list[str]) -> None:
    i = lines.index(heading)
    lines[i + 1:i + 1] = new


def _section_span(lines: list[str], key: str) -> tuple[int, int]:
    """Lines of a section: its heading up to the next section heading (or the end)."""
    heads = list(_SECTION_HEADS.values())
    i = lines.index(_SECTION_HEADS[key])
    j = next((k for k in range(i + 1, len(lines)) if lines[k] in heads), len(lines))
    return i, j


# ----------------------------------------------------------------------------------- planting


@attrs.frozen(kw_only=True)
class Planted:
    """A problem planted in one year's document and the finding it must give."""

    kind: str
    rule: str
    year: int
    cells: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.rule, "year": self.year, "cells": list(self.cells)}


@attrs.frozen(kw_only=True)
class SeriesDocument:
    """One generated year: the report as meant (after planting), its printed text, what was planted."""

    report: Report
    text: str
    layout: str
    planted: tuple[Planted, ...] = ()
    #: where the body is named when the title is printed unlike a report's (``wording=True``):
    #: ``"title"`` (after a breadcrumb, with 年度), ``"metadata"`` (a 发布机构: line only), or ``None``
    unnamed: str | None = None

    @property
    def name(self) -> str:
        return f"year-{self.report.meta.year}-{self.layout}-{self.report.format}"


def _plant_tables(reports: list[Report], plants: dict[int, list[str]]) -> tuple[list[Report], dict[int, list[Planted]]]:
    out = list(reports)
    planted: dict[int, list[Planted]] = {}
    for i, kinds in plants.items():
        r = out[i]
        y = r.meta.year or 0
        for kind in kinds:
            if kind == "carried-over":
                if i == 0:
                    raise ValueError("carried-over needs a previous year")
                apps = _plain(r.applications)
                cells = []
                for col in ("natural_person", "total"):
                    for row in ("carried_over", "carried_forward"):
                        apps[row][col] = _n(apps[row].get(col)) + 1
                    cells.append(f"applications/carried_over/{col}")
                r = attrs.evolve(r, applications=apps)
                planted.setdefault(i, []).append(Planted(kind=kind, rule="R5", year=y, cells=tuple(cells)))
                if i + 1 < len(out):  # the next year carries the new 结转下年度 over
                    out[i + 1] = continue_report(r, out[i + 1])
            elif kind == "in-force":
                if i == 0 or out[i - 1].format != "2021" or r.format != "2021":
                    raise ValueError("in-force needs format 2021 in this and the previous year")
                active = _plain(r.active_disclosure)
                active["normative_documents"]["in_force"] = _n(active["normative_documents"].get("in_force")) + 1
                r = attrs.evolve(r, active_disclosure=active)
                planted.setdefault(i, []).append(Planted(kind=kind, rule="R5-IN-FORCE", year=y, cells=(
                    "active_disclosure/normative_documents/issued", "active_disclosure/normative_documents/repealed",
                    "active_disclosure/normative_documents/in_force")))
                if i + 1 < len(out):
                    out[i + 1] = continue_report(r, out[i + 1])
            elif kind == "fee-notice":
                if r.format != "2021":
                    raise ValueError("fee-notice needs format 2021")
                apps = _plain(r.applications)
                for row in ("other.no_fee", "total", "new_received"):
                    for col in ("natural_person", "total"):
                        apps[row][col] = _n(apps[row].get(col)) + 1
                r = attrs.evolve(r, applications=apps)
                planted.setdefault(i, []).append(Planted(kind=kind, rule="C-FEE-NOTICE", year=y,
                                                         cells=("applications/other.no_fee/total",)))
            elif kind == "table-r4":
                review = _plain(r.review_litigation)
                review["review"]["upheld"] = _n(review["review"].get("upheld")) + 1
                r = attrs.evolve(r, review_litigation=review)
                planted.setdefault(i, []).append(Planted(kind=kind, rule="R4", year=y))
            elif kind == "items":
                if i == 0 or out[i - 1].format != "2019" or r.format != "2019":
                    raise ValueError("items needs format 2019 in this and the previous year")
                active = _plain(r.active_disclosure)
                active["administrative_licensing"]["previous_count"] = _n(active["administrative_licensing"].get("previous_count")) + 1
                r = attrs.evolve(r, active_disclosure=active)
                planted.setdefault(i, []).append(Planted(kind=kind, rule="R5-ITEMS", year=y,
                                                         cells=("active_disclosure/administrative_licensing/previous_count",)))
                if i + 1 < len(out):
                    out[i + 1] = continue_report(r, out[i + 1])
        out[i] = r
    return out, planted


def render_series(
    reports: Sequence[Report],
    rng: random.Random,
    *,
    layouts: Sequence[str] | None = None,
    plants: dict[int, list[str]] | None = None,
    wording: bool = False,
) -> list[SeriesDocument]:
    """Print each report (layout drawn from ``layouts``), with statements, and plant ``plants``
    (year index → kinds of :data:`PLANTS`).

    ``wording=True`` prints each year with the wordings of :data:`WORDINGS` that real reports use
    and that are no problem: rows stated together, look-alike activities, a typoed heading, and (in
    one year or more, never the first) a title the body cannot be read from, so that the series
    has to be assumed from the titles."""
    plants = {i: list(k) for i, k in (plants or {}).items()}
    for kinds in plants.values():
        for k in kinds:
            if k not in PLANTS:
                raise ValueError(f"unknown plant {k!r}; known: {', '.join(PLANTS)}")
    reports, planted = _plant_tables(list(reports), plants)
    untitled = {i for i in range(1, len(reports)) if wording and rng.random() < 0.6}
    if wording and len(reports) > 1 and not untitled:
        untitled = {len(reports) - 1}
    docs = []
    for i, r in enumerate(reports):
        layout = rng.choice(list(layouts or LAYOUTS))
        kinds = plants.get(i, [])
        mine = list(planted.get(i, []))
        y = r.meta.year or 0
        # an untitled year prints no signature either (the body is read from neither)
        shown = attrs.evolve(r, meta=attrs.evolve(r.meta, published=None)) if i in untitled else r
        text = render_text(shown, layout, rng=rng)
        lines = text.split("\n")
        joiner = rng.choice(("及", "和", "与", "、", "以及")) if wording or "combined-off" in kinds else None
        says = statements(r, off_by_one="prose-off-by-one" in kinds, combined=joiner,
                          combined_off="combined-off" in kinds)
        if "combined-off" in kinds:
            mine.append(Planted(kind="combined-off", rule="A-TEXT-COMBINED", year=y,
                                cells=("applications/granted/total", "applications/partially_granted/total")))
        if wording:
            says["active_disclosure"] += _look_alikes(r, rng)
        for key, sentences in says.items():
            # after the section's table, where reports usually sum it up
            _, end = _section_span(lines, key)
            lines[end:end] = sentences
        if "prose-off-by-one" in kinds:
            mine.append(Planted(kind="prose-off-by-one", rule="A-TEXT-NEW-RECEIVED", year=y,
                                cells=("applications/new_received/total",)))
        if "fee" in kinds:
            _insert_after(lines, _SECTION_HEADS["other"], ["本年度未收取信息处理费。"])
            _, end = _section_span(lines, "applications")
            lines[end:end] = ["本年度共发出收费通知1件，收取信息处理费100元。"]
            mine.append(Planted(kind="fee", rule="C-FEE", year=y))
        if "fee-notice" in kinds:
            _insert_after(lines, _SECTION_HEADS["other"], ["本年度未向申请人发出收费通知。"])
        if "period" in kinds:
            i1 = lines.index("一、总体情况")
            lines.insert(i1, f"本报告所列数据统计期限自{y - 1}年1月1日起至{y - 1}年12月31日止。")
            mine.append(Planted(kind="period", rule="C-YEAR-PERIOD", year=y))
        if "problems-empty" in kinds:
            a, b = _section_span(lines, "problems")
            lines[a + 1:b] = ["无。", ""]
            mine.append(Planted(kind="problems-empty", rule="C-PROBLEMS-EMPTY", year=y))
        if "section-removed" in kinds:
            a, b = _section_span(lines, "problems")
            del lines[a:b]
            mine.append(Planted(kind="section-removed", rule="C-SECTION-MISSING", year=y))
        unnamed = None
        if i in untitled:
            first = lines.index("一、总体情况")
            # the first such year names its body only in the page's fields, the others in the title
            unnamed = "metadata" if i == min(untitled) else "title"
            head = (["首页 > 政务公开 > 政府信息公开年报", f"{r.meta.agency}{y}年度政府信息公开工作年度报告"]
                    if unnamed == "title" else
                    [f"发布机构: {r.meta.agency}", f"发布日期: {y + 1}-01-20", f"{y}年政府信息公开工作年度报告"])
            lines[:first] = head + [""] + [line for line in lines[:first] if line.startswith("本报告所列数据")]
        if wording:
            heads = [h for k, h in _SECTION_HEADS.items() if h in lines and k != "problems" or
                     (k == "problems" and h in lines and "section-removed" not in kinds)]
            picked = rng.choice(heads)
            lines[lines.index(picked)] = typo(picked, rng)
        docs.append(SeriesDocument(report=r, text="\n".join(lines), layout=layout, planted=tuple(mine), unnamed=unnamed))
    return docs


def _look_alikes(r: Report, rng: random.Random) -> list[str]:
    """Sentences about another activity in the words of a table row, with numbers unlike the table's."""
    a = r.active_disclosure
    out = []
    if r.format == "2021":
        in_force = _n(a["normative_documents"].get("in_force"))
        out.append(f"开展规范性文件清理，在门户网站集中发布现行有效的行政规范性文件{in_force + rng.randint(3, 90)}件。")
    penalty = _n((a.get("administrative_penalty") or {}).get("decisions"))
    out.append(f"在网站公开行政处罚决定书{penalty + rng.randint(2, 40)}份。")
    return out


def typo(heading: str, rng: random.Random) -> str:
    """``heading`` with one or two characters of its title changed, added or dropped (the number kept)."""
    num, _, title = heading.partition("、")
    chars = list(title)
    for _ in range(rng.randint(1, 2)):
        pos = rng.randrange(1, len(chars) - 1)
        op = rng.choice(("change", "add", "drop"))
        if op == "change":
            chars[pos] = rng.choice([c for c in _TYPO_CHARS if c != chars[pos]])
        elif op == "add":
            chars.insert(pos, rng.choice(_TYPO_CHARS))
        elif len(chars) > 5:
            del chars[pos]
    return f"{num}、{''.join(chars)}"


def write_series(out_dir: str | Path, docs: Sequence[SeriesDocument]) -> list[Path]:
    """Write each document as ``<name>.txt`` and ``planted.json`` (the findings the audit must give)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    manifest = []
    for d in docs:
        p = out / f"{d.name}.txt"
        p.write_text(d.text, encoding="utf-8")
        paths.append(p)
        manifest.append({"file": p.name, "year": d.report.meta.year, "agency": d.report.meta.agency,
                         "format": d.report.format, "layout": d.layout, "planted": [x.to_dict() for x in d.planted]})
    (out / "planted.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return paths


def series_strategy(*, years: tuple[int, int] = (2, 3), layouts: Sequence[str] = ("tabbed", "vertical", "pipe")):
    """A Hypothesis strategy of rendered consistent series (``list[SeriesDocument]``); draws a seed,
    the number of years and the first year, like :func:`govreport.testing.reports` draws a seed."""
    def build(seed: int, n: int, start: int) -> list[SeriesDocument]:
        rng = random.Random(seed)
        return render_series(consistent_series(rng, years=n, start=start), rng, layouts=layouts)

    return st.builds(build, seed=st.integers(min_value=0, max_value=2**32 - 1),
                     n=st.integers(min_value=years[0], max_value=years[1]),
                     start=st.integers(min_value=2019, max_value=2023))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govreport.testing.series",
                                 description="Write a generated consecutive-year series, with planted problems.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--start", type=int, default=None, help="first year (default: drawn from 2019–2023)")
    ap.add_argument("--layouts", default="tabbed,vertical", help="comma-separated layouts to draw from")
    ap.add_argument("--plant", action="append", default=[], metavar="KIND@YEAR",
                    help=f"plant a problem in a year ({', '.join(PLANTS)}); may be repeated")
    ap.add_argument("--wording", action="store_true",
                    help="print real reports' wordings that are no problem (" + "; ".join(WORDINGS.values()) + ")")
    args = ap.parse_args(argv)
    rng = random.Random(f"govreport-audit-series:{args.seed}")
    reports = consistent_series(rng, years=args.years, start=args.start)
    first = reports[0].meta.year or 0
    plants: dict[int, list[str]] = {}
    for p in args.plant:
        kind, _, year = p.partition("@")
        idx = int(year) - first if year else len(reports) - 1
        if not 0 <= idx < len(reports):
            ap.error(f"--plant {p}: the series covers {first}–{first + len(reports) - 1}")
        plants.setdefault(idx, []).append(kind)
    try:
        docs = render_series(reports, rng, layouts=args.layouts.split(","), plants=plants, wording=args.wording)
    except ValueError as exc:
        ap.error(str(exc))
    for path in write_series(args.out, docs):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
