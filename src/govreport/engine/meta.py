"""The report's issuing body, reporting year and publication date, read from its prose.

The title names the body and the year (东岭街道办事处2019年 / 政府信息公开工作年度报告, often over two
lines); the signature block at the end names the body again and dates the report.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

from ..document import Paragraph
from ..labels import clean
from ..model import Meta

_YEAR = r"((?:19|20)\d{2})"
_TITLE_WORDS = re.compile(r"年度报告|工作报告|年报")
_DISCLOSURE = re.compile(r"政府?信息公开|政务公开")
_AGENCY_BEFORE = re.compile(rf"^(?P<agency>.*?)(?:关于)?\s*{_YEAR}\s*年")
# (no body's name starts with 度: in 2010年度政府信息公开… the body is named elsewhere, not "度")
_AGENCY_AFTER = re.compile(rf"{_YEAR}\s*年度?\s*(?P<agency>(?!度).+?)(?:政府信息公开|政务公开)")
_PERIOD = re.compile(rf"(?:统计|时限|期限|期间|时间)[^。]{{0,20}}?自?\s*{_YEAR}\s*年\s*1\s*月\s*1\s*日")
_ANY_YEAR = re.compile(rf"{_YEAR}\s*年")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "O": 0, "o": 0, "０": 0}
_DATE = re.compile(r"^\s*(?P<y>\d{4})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?\s*$")
_CN_DATE = re.compile(r"^\s*(?P<y>[〇零一二三四五六七八九Oo０]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
                      r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日\s*$")
_DATE_AT_END = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九Oo０]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                          r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$")
# what the name of a body ends with (a date after anything else is prose: 统计时限截至…12月31日)
_BODY_END = re.compile(r"(?:办事处|政府|办公室|委员会|局|委|厅|部|署|院|中心|街道|镇|乡|处|所|站|队|会)$")
_STRIP = " \t\u3000《》“”\"'：:，,、"
_MAX_TITLE_LINE = 40


# Lines a crawler or a portal adds about the page: its title may be the report's, the rest (when and
# by which office the page was posted) says nothing of the report — a posting time is no signature date.
_PAGE_TITLE = re.compile(r"^\s*(?:标题|题目|文章标题|title)\s*[:：]\s*", re.I)
_PAGE_FIELD = re.compile(r"^\s*(?:发布时间|发布日期|发文日期|成文日期|生成日期|更新时间|文号|发文字号|发布机构|发文机关|"
                         r"来源|信息来源|栏目|所属栏目|原文链接|链接|网址|本地目录|索引号|主题分类|浏览次数|点击数|"
                         r"访问量|作者|字号|url|source|date)\s*[:：]", re.I)


def read_meta(paragraphs: tuple[Paragraph, ...]) -> Meta:
    texts = [_PAGE_TITLE.sub("", clean(p.text)) for p in paragraphs if p.text.strip()]
    texts = [t for t in texts if t and not _PAGE_FIELD.match(t)]
    title = _title(texts)
    agency = year = None
    if title:
        m = _AGENCY_BEFORE.search(title)
        if m:
            year = int(m.group(2))
            agency = m.group("agency").strip(_STRIP) or None
        if not agency:
            m2 = _AGENCY_AFTER.search(title)
            if m2:
                year = int(m2.group(1))
                agency = m2.group("agency").strip(_STRIP) or None
    published, signer = _signature(texts)
    if year is None:
        year = _period_year(texts)
    return Meta(agency=agency or signer, year=year, published=published)


def _title(texts: list[str]) -> str | None:
    """The title: the shortest run of up to three short lines naming the annual disclosure report
    (a long title is wrapped anywhere, even inside 年度报告), extended upwards while the body's
    name is still missing."""
    pieces = [t.replace(" ", "") for t in texts[:60]]
    for end, last in enumerate(pieces):
        if not _title_line(last):
            continue
        for start in range(end, max(-1, end - 3), -1):
            if not _title_line(pieces[start]):
                break
            title = "".join(pieces[start:end + 1])
            if _TITLE_WORDS.search(title) and _DISCLOSURE.search(title):
                j = start - 1
                while j >= 0 and start - j <= 2 and not _names_agency(title) and _title_piece(texts[j]):
                    title = pieces[j] + title
                    j -= 1
                return title
    return None


# a portal's breadcrumb (首页 > 政务公开 > 年报) names the page's place, not the report
_BREADCRUMB = re.compile(r"[>＞»›]|当前位置|您的位置")


def _title_line(compact: str) -> bool:
    return 0 < len(compact) <= 2 * _MAX_TITLE_LINE and "。" not in compact and not _BREADCRUMB.search(compact)


def _names_agency(title: str) -> bool:
    m = _AGENCY_BEFORE.search(title)
    if m and m.group("agency").strip(_STRIP):
        return True
    m2 = _AGENCY_AFTER.search(title)
    return bool(m2 and m2.group("agency").strip(_STRIP))


def _title_piece(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= _MAX_TITLE_LINE and not re.search(r"[。，,；;：:]", t) and not re.match(r"^[一二三四五六七八九十]+[、.．]", t)


def _period_year(texts: list[str]) -> int | None:
    for t in texts:
        m = _PERIOD.search(t)
        if m:
            return int(m.group(1))
    years = Counter(int(y) for t in texts for y in _ANY_YEAR.findall(t))
    return years.most_common(1)[0][0] if years else None


def _signature(texts: list[str]) -> tuple[datetime.date | None, str | None]:
    """The date line at the end of the report, and the body named just above it (or before the
    date on the same line)."""
    tail = texts[-8:]
    for i in range(len(tail) - 1, -1, -1):
        date, before = _dated_line(tail[i])
        if date:
            if before:
                return date, before
            signer = tail[i - 1].strip(_STRIP) if i > 0 and _title_piece(tail[i - 1]) else None
            return date, signer
    return None, None


def _dated_line(text: str) -> tuple[datetime.date | None, str | None]:
    """A line holding only a date, or a short signature followed by a date."""
    date = _parse_date(text)
    if date:
        return date, None
    m = _DATE_AT_END.search(text)
    if not m:
        return None, None
    before = text[: m.start()].strip(_STRIP)
    date = _parse_date(text[m.start():])
    if date and _title_piece(before) and not _ANY_YEAR.search(before) and _BODY_END.search(before):
        return date, before
    return None, None


def _parse_date(text: str) -> datetime.date | None:
    m = _DATE.match(text)
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    else:
        m = _CN_DATE.match(text)
        if not m:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in m["y"]))
        mo, d = _cn_number(m["m"]), _cn_number(m["d"])
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    """一 … 三十一."""
    if "十" not in s:
        return _CN_DIGITS[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
