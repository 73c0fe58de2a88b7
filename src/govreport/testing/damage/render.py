"""Damaged renderings of a report: crawler run-on text, converter Markdown, detached labels, a lost cell.

Each renderer returns a :class:`Printed`: the text, the :class:`~.solve.Run` of every stretch of a
table it printed (so :func:`~.solve.recover` can say what a perfect reader gets back) and the meta a
reader can find in it (the agency as the title names it, the year, the signature date if one is
printed).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

import attrs

from ...model import Report, Scalar
from .form import A_BLOCKS, B_COLUMNS, B_NOTE, B_ORG_HEADERS, C_GROUPS, C_OUTCOMES, DEPARTMENTS, PLACE_CHARS, SECTIONS, b_rows
from .solve import CellSpec, Run, print_value


@attrs.frozen
class Printed:
    text: str
    runs: tuple[Run, ...]
    agency: str
    year: int
    published: datetime.date | None
    ext: str = "txt"  # md for Markdown


# ---- names, titles, prose

_SYLLABLES = ("dong", "xi", "nan", "bei", "zhong", "he", "xing", "hua", "ming", "yang", "shan", "shui",
              "song", "tao", "liu", "feng", "gang", "fu", "long", "kang", "tai", "jia", "yun", "mei")


def place(rng: random.Random, lo: int = 2, hi: int = 2) -> str:
    return "".join(rng.choice(PLACE_CHARS) for _ in range(rng.randint(lo, hi)))


def agency_name(rng: random.Random) -> str:
    """A body as titles name it: a district alone, a government, a sub-district office, a department."""
    r = rng.random()
    if r < 0.2:
        return place(rng) + rng.choice("区县")
    if r < 0.45:
        return place(rng) + rng.choice("市县区") + "人民政府"
    if r < 0.6:
        return place(rng) + rng.choice("市区") + place(rng) + "街道办事处"
    if r < 0.7:
        return place(rng) + rng.choice(("经济技术开发区管理委员会", "高新技术产业开发区管委会"))
    return place(rng) + rng.choice("市县区") + rng.choice(DEPARTMENTS) + "局"


def title(agency: str, year: int, rng: random.Random) -> str:
    nian = rng.choice(("年", "年度"))
    if rng.random() < 0.7:
        return f"{agency}{year}{nian}政府信息公开工作年度报告"
    return f"{year}{nian}{agency}政府信息公开工作年度报告"


def date_text(d: datetime.date, rng: random.Random) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if rng.random() < 0.8 else f"{d.year}-{d.month:02d}-{d.day:02d}"


def _intro(year: int) -> str:
    return (f"本报告依据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式的要求编制，"
            f"所列数据的统计期限为{year}年1月1日至{year}年12月31日。")


_OVERVIEW = (
    "（一）主动公开方面。{year}年，通过门户网站主动公开各类政府信息{n}条，及时发布政策文件和解读材料。",
    "（二）依申请公开方面。全年共收到政府信息公开申请{m}件，均在法定期限内答复。",
    "（三）政府信息管理方面。严格落实公开前保密审查，动态更新政府信息公开目录。",
    "（四）平台建设方面。优化网站检索功能，规范政务新媒体运维管理。",
    "（五）监督保障方面。将政务公开纳入年度考核，定期通报检查发现的问题。",
)
_PROBLEMS = (
    "{year}年，政府信息公开工作仍有不足：公开内容的深度有待加强，解读形式还不够丰富。",
    "下一步，将加强业务培训，完善依申请公开办理流程，提升答复规范化水平。",
)
_OTHER = ("本年度未收取信息处理费。", "无其他需要报告的事项。")


def _overview(report: Report, rng: random.Random, year: int) -> list[str]:
    m = report.applications.get("new_received", {}).get("total") or 0
    k = rng.randint(2, len(_OVERVIEW))
    return [s.format(year=year, n=rng.randint(20, 5000), m=m) for s in _OVERVIEW[:k]]


# ---- cells of each table


def a_cells(fmt: str) -> list[tuple[str, list[str], list[tuple[str, list[CellSpec]]]]]:
    """Table A per block: (heading, column headers, [(row label, cells)])."""
    out = []
    for block, cols, rows in A_BLOCKS[fmt]:
        unit = "万元" if fmt == "2021" else None
        out.append((block, [h for _, h, _ in cols],
                    [(label, [CellSpec("active_disclosure", r, c, kind, unit if kind == "money" else None)
                              for c, _, kind in cols]) for r, label in rows]))
    return out


def b_cells(key: str) -> list[CellSpec]:
    return [CellSpec("applications", key, c) for c in B_COLUMNS]


def c_cells(group: str) -> list[CellSpec]:
    return [CellSpec("review_litigation", group, o) for o, _ in C_OUTCOMES]


def values_of(report: Report, cells: Sequence[CellSpec]) -> list[Scalar]:
    return [getattr(report, c.table).get(c.row, {}).get(c.column) for c in cells]


def printed(report: Report, cells: Sequence[CellSpec], rng: random.Random) -> list[str]:
    return [print_value(v, c, rng.random()) for v, c in zip(values_of(report, cells), cells)]


B_GROUPS: tuple[tuple[int, int], ...] = ((0, 6),)
C_RUN_GROUPS: tuple[tuple[int, int], ...] = ((0, 4), (5, 9), (10, 14))


def run_of(cells: Sequence[CellSpec], texts: Sequence[str], form: str, groups: tuple[tuple[int, int], ...] = (),
           lost: int | None = None) -> Run:
    if form == "glued":
        return Run(tuple(cells), form, "".join(texts), groups)
    if form == "spaced":
        return Run(tuple(cells), form, tuple(t for t in texts if t), groups)
    if form == "lost":
        assert lost is not None
        return Run(tuple(cells), form, tuple(t for i, t in enumerate(texts) if i != lost), groups)
    return Run(tuple(cells), form, tuple(texts), groups)


def _signature(report: Report, rng: random.Random, agency: str, p: float) -> tuple[list[str], datetime.date | None]:
    d = report.meta.published
    if d is None or rng.random() >= p:
        return [], None
    return [agency, date_text(d, rng)], d


# ---- runon: a crawler's innerText dump


def _crawler_header(the_title: str, agency: str, year: int, published: datetime.date | None, rng: random.Random) -> list[str]:
    # the page went up some days after the report was signed: its time is not the signature date
    base = published or datetime.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    shown = base + datetime.timedelta(days=rng.randint(0, 20))
    host = "".join(rng.choice(_SYLLABLES) for _ in range(2))
    link = (f"https://www.{host}.gov.cn/zwgk/zfxxgk/ndbg/{shown:%Y%m}/t{shown:%Y%m%d}_{rng.randint(10000, 999999)}"
            + rng.choice((".html", ".htm", ".shtml")))
    lines = [f"标题: {the_title}", f"发布时间: {shown:%Y-%m-%d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"]
    if rng.random() < 0.7:
        lines.append("文号: ")
    lines += [f"发布机构: {rng.choice((agency + '办公室', agency, place(rng) + '区人民政府办公室'))}",
              f"栏目: {rng.choice(('政府信息公开年报', '政府信息公开工作年度报告', '年度报告'))}", f"原文链接: {link}"]
    lines.append(rng.choice(("==================== 正文 ====================", "==== 正文 ====")))
    return lines


def render_runon(report: Report, rng: random.Random, agency: str) -> Printed:
    fmt, year = report.format, report.meta.year or 2021
    runs: list[Run] = []
    gap = lambda: " " if rng.random() < 0.15 else ""  # noqa: E731  (innerText's stray space)

    def glue(cells: Sequence[CellSpec], groups: tuple[tuple[int, int], ...]) -> str:
        run = attrs.evolve(run_of(cells, printed(report, cells, rng), "glued", groups), blanks=False)
        runs.append(run)
        return str(run.printed)

    a = []
    for block, headers, rows in a_cells(fmt):
        a.append(block + "信息内容" + "".join(headers))
        for label, cells in rows:
            a.append(label + gap() + glue(cells, ()))
    org = "".join(B_ORG_HEADERS) if rng.random() < 0.5 else "商业企业科研机构社会公益 组织 法律服务 机构 其他"
    b = [B_NOTE + "申请人情况自然人法人或其他组织总计" + org]
    for key, group, item in b_rows(fmt):
        if group == "三、本年度办理结果" and rng.random() < 0.5:
            group = "三、本年度办 理结果 "
        b.append(group + (" " if group and rng.random() < 0.3 else "") + item + gap() + glue(b_cells(key), B_GROUPS))
    heads = "".join(h for _, h in C_OUTCOMES)
    c_cells_all = [c for g, _ in C_GROUPS for c in c_cells(g)]
    c = "行政复议行政诉讼" + heads + "未经复议直接起诉复议后起诉" + heads + heads + gap() + glue(c_cells_all, C_RUN_GROUPS)
    body = [_intro(year), SECTIONS[0], *_overview(report, rng, year), SECTIONS[1], "".join(a), SECTIONS[2],
            "".join(b), SECTIONS[3], c, SECTIONS[4], *[s.format(year=year) for s in _PROBLEMS], SECTIONS[5],
            rng.choice(_OTHER)]
    the_title = title(agency, year, rng)
    sig, published = _signature(report, rng, agency, 0.7)
    lines = _crawler_header(the_title, agency, year, report.meta.published, rng) if rng.random() < 0.6 else [the_title]
    lines.append("".join(body))
    lines += sig
    return Printed("\n".join(lines) + "\n", tuple(runs), agency, year, published)


# ---- markdown: a converter's output


def _pipe(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _sep(n: int) -> str:
    return "|" + "---|" * n


class _Pages:
    """Page-number lines as converters leave them between blocks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.n = rng, 1
        self.style = rng.choice(("- {} -", "— {} —", "第 {} 页", "{}"))

    def line(self) -> list[str]:
        self.n += 1
        return ["", self.style.format(self.n), ""]


def _b_header_md(rng: random.Random, width_labels: int) -> list[str]:
    br = rng.random() < 0.6
    orgs = [h[: len(h) - 2] + "<br>" + h[-2:] if br and len(h) >= 4 else h for h in B_ORG_HEADERS]
    pad = [""] * (width_labels - 1)
    return [_pipe([B_NOTE.strip("（）") if rng.random() < 0.3 else B_NOTE, *pad, "申请人情况", *[""] * 6]),
            _sep(width_labels + 7),
            _pipe(["", *pad, "自然人", "法人或其他组织", "", "", "", "", "总计"]),
            _pipe(["", *pad, "", *orgs, ""])]


def render_markdown(report: Report, rng: random.Random, agency: str, *, lose: bool = False) -> Printed:
    """Markdown as MinerU, markitdown or pandoc leave it; ``lose``: one table B row one cell short."""
    fmt, year = report.format, report.meta.year or 2021
    runs: list[Run] = []
    pages = _Pages(rng)
    head = rng.choice(("## {}", "**{}**", "{}"))
    the_title = title(agency, year, rng)
    out = [rng.choice(("# {}", "**{}**", "{}")).format(the_title), ""]

    def section(i: int, prose: Sequence[str]) -> None:
        out.extend([head.format(SECTIONS[i]), ""])
        for s in prose:
            out.extend([s, ""])
        if rng.random() < 0.2:
            out.extend(pages.line())

    section(0, [_intro(year), *_overview(report, rng, year)])
    section(1, [])
    # table A: per block a heading and a short table, or its rows as plain lines outside any table
    for block, headers, rows in a_cells(fmt):
        out.extend([f"### {block}" if rng.random() < 0.7 else block, ""])
        if rng.random() < 0.35:
            out.extend([" ".join(["信息内容", *headers]), ""])
            for label, cells in rows:
                run = run_of(cells, printed(report, cells, rng), "spaced")
                runs.append(run)
                out.extend([" ".join([label, *run.printed]), ""])
        else:
            out.extend([_pipe(["信息内容", *headers]), _sep(1 + len(headers))])
            for label, cells in rows:
                run = run_of(cells, printed(report, cells, rng), "fields")
                runs.append(run)
                out.append(_pipe([label, *run.printed]))
            out.append("")
    section(2, [])
    # table B: one pipe table (three label columns, or one), maybe broken by a page
    three = rng.random() < 0.6
    rows_b = b_rows(fmt)
    lose_at = rng.randrange(len(rows_b)) if lose else None
    break_at = rng.randint(6, len(rows_b) - 3) if rng.random() < 0.3 else None
    out.extend(_b_header_md(rng, 3 if three else 1))
    for k, (key, group, item) in enumerate(rows_b):
        if k == break_at:
            out.extend(pages.line())
        cells = b_cells(key)
        texts = printed(report, cells, rng)
        if k == lose_at:
            run = run_of(cells, texts, "lost", B_GROUPS, lost=rng.randrange(len(cells)))
        else:
            run = run_of(cells, texts, "fields", B_GROUPS)
        runs.append(run)
        if three:
            top = item.startswith(("一、", "二、", "四、"))
            labels = [item, "", ""] if top else [group, item, ""] if item.startswith("（") else ["", group, item]
        else:
            labels = [(group + " " if group else "") + item]
        row = _pipe([*labels, *run.printed])
        out.append(row)
        if k == break_at:
            out.append(_sep(len(labels) + 7))  # the new page's table takes its first row for its header
    out.append("")
    section(3, [])
    # table C: three tables of the five result columns, each under its own heading
    for g, label in C_GROUPS:
        out.extend([f"### {label}", "", _pipe([h for _, h in C_OUTCOMES]), _sep(5)])
        cells = c_cells(g)
        run = run_of(cells, printed(report, cells, rng), "fields", ((0, 4),))
        runs.append(run)
        out.extend([_pipe(list(run.printed)), ""])
    section(4, [s.format(year=year) for s in _PROBLEMS])
    section(5, [rng.choice(_OTHER)])
    sig, published = _signature(report, rng, agency, 0.9)
    out += sig
    return Printed("\n".join(out) + "\n", tuple(runs), agency, year, published, "md")


# ---- detached: labels printed away from their values


def _values_line(texts: Sequence[str], tabs: bool) -> str:
    return "\t".join(texts) if tabs else " ".join(t for t in texts if t)


def render_detached(report: Report, rng: random.Random, agency: str, *, lose: bool = False) -> Printed:
    """Text as a PDF extraction leaves a table whose label column came out in another place: every
    label as lines of its own before or after the values, or some value rows printed alone with
    their labels elsewhere; values tab-separated (blanks kept as empty fields) or space-separated
    (blanks gone). ``lose`` keeps labels and values together and drops one cell of one table B row."""
    fmt, year = report.format, report.meta.year or 2021
    runs: list[Run] = []
    the_title = title(agency, year, rng)
    out = [the_title, ""] if rng.random() < 0.5 else [the_title]

    def table(rows: list[tuple[str, list[CellSpec], tuple[tuple[int, int], ...]]], head: list[str]) -> None:
        tabs = lose or rng.random() < 0.5
        lines = []
        for label, cells, groups in rows:
            texts = printed(report, cells, rng)
            form = "fields" if tabs else "spaced"
            lines.append((label, cells, groups, texts, form))
        # a row that prints nothing would vanish and take every later row's place with it
        if any(not any(texts) for *_, texts, _ in lines):
            mode = "together"
        else:
            mode = "together" if lose else rng.choice(("labels_first", "values_first", "orphans"))
        lose_at = rng.randrange(len(lines)) if lose and lines[0][1][0].table == "applications" else None
        out.extend(head)
        body: list[str] = []
        moved: list[str] = []
        for k, (label, cells, groups, texts, form) in enumerate(lines):
            if k == lose_at:
                run = run_of(cells, texts, "lost", groups, lost=rng.randrange(len(cells)))
            else:
                run = run_of(cells, texts, form, groups)
            runs.append(run)
            values = _values_line(list(run.printed), tabs)
            if mode == "together" or (mode == "orphans" and rng.random() >= 0.2):
                body.append(label + "\t" + values)
            else:
                body.append(values)
                moved.append(label)
        if mode == "labels_first":
            out.extend(moved + body)
        elif mode == "values_first":
            out.extend(body + moved)
        elif moved and rng.random() < 0.5:
            out.extend(moved + body)
        else:
            out.extend(body + moved)
        out.append("")

    out += [SECTIONS[0], _intro(year), *_overview(report, rng, year), SECTIONS[1]]
    for block, headers, rows in a_cells(fmt):
        table([(label, cells, ()) for label, cells in rows], [block, "信息内容"] + headers)
    out += [SECTIONS[2]]
    b_rows_all = [((group + " " if group else "") + item, b_cells(key), B_GROUPS) for key, group, item in b_rows(fmt)]
    table(b_rows_all, [B_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", *B_ORG_HEADERS])
    out += [SECTIONS[3], "行政复议", "行政诉讼", *[h for _, h in C_OUTCOMES], "未经复议直接起诉", "复议后起诉",
            *[h for _, h in C_OUTCOMES] * 2]
    tabs = rng.random() < 0.5
    if rng.random() < 0.5:
        cells = [c for g, _ in C_GROUPS for c in c_cells(g)]
        run = run_of(cells, printed(report, cells, rng), "fields" if tabs else "spaced", C_RUN_GROUPS)
        runs.append(run)
        out.append(_values_line(list(run.printed), tabs) or "")
    else:
        for g, _ in C_GROUPS:
            cells = c_cells(g)
            run = run_of(cells, printed(report, cells, rng), "fields" if tabs else "spaced", ((0, 4),))
            runs.append(run)
            out.append(_values_line(list(run.printed), tabs))
    out += ["", SECTIONS[4], *[s.format(year=year) for s in _PROBLEMS], SECTIONS[5], rng.choice(_OTHER)]
    sig, published = _signature(report, rng, agency, 0.9)
    out += sig
    return Printed("\n".join(out) + "\n", tuple(runs), agency, year, published)


def render_lostcell(report: Report, rng: random.Random, agency: str) -> Printed:
    """A clean conversion (Markdown or tab-separated rows) with one cell of one table B row dropped."""
    if rng.random() < 0.5:
        return render_markdown(report, rng, agency, lose=True)
    return render_detached(report, rng, agency, lose=True)


RENDERERS: dict[str, Callable[[Report, random.Random, str], Printed]] = {
    "runon": render_runon,
    "markdown": render_markdown,
    "detached": render_detached,
    "lostcell": render_lostcell,
}
