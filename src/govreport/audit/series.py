"""Which series a report belongs to when it names no body: its title, its page's metadata, its file name.

A report whose issuing body was not read (``C-AGENCY-MISSING``: a web page whose breadcrumb was taken
for the title, a title the reader did not split) can still be paired with its other years when
something else names its series and agrees with another report: the name before the year in a title
line (示例综合实验区2021年度政府信息公开工作年度报告), the publisher in the page's metadata (a crawler's
``发布机构:`` line, an HTML page's ``<meta name="ContentSource">``), or the file name without its year
(``zone-2021.html`` and ``zone-2022.html``). The pairing is never silent: each report paired this way
gets a ``C-SERIES-ASSUMED`` finding saying what was assumed and why. ``--series NAME`` states it instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from ..document import Document
from ..model import Report
from .findings import AuditFinding, Evidence

# the name before the year in a title (…关于2021年度政府信息公开工作年度报告), or after it
_TITLE_BEFORE = re.compile(r"(?P<name>[^\s>|»/:：,，。]{2,40}?)(?:关于)?(?P<year>(?:19|20)\d{2})年度?"
                           r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
_TITLE_AFTER = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?!政府信息|信息公开)(?P<name>[^\s>|»/:：,，。]{2,40}?)"
                          r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)")
# a crawler's or a page's header: 发布机构: …, 来源: …
_PUBLISHER_LINE = re.compile(r"^\s*(?:发布机构|发文机关|信息来源|来源|发布单位|公开主体)\s*[:：]\s*(?P<name>\S.{1,40}?)\s*$")
_META_PUBLISHER = re.compile(
    r"""<meta\s+[^>]*?name\s*=\s*["']?(?:ContentSource|SiteName|source|author)["']?[^>]*?content\s*=\s*["']([^"'<>]{2,60})["']""",
    re.I)
_META_TITLE = re.compile(
    r"""<meta\s+[^>]*?name\s*=\s*["']?(?:ArticleTitle|title)["']?[^>]*?content\s*=\s*["']([^"'<>]{4,120})["']""", re.I)
_HTML_TITLE = re.compile(r"<title[^>]*>([^<]{4,200})</title>", re.I)
_YEARS = re.compile(r"(?:19|20)\d{2}")
_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
_HEAD_LINES = 60
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@attrs.frozen(kw_only=True)
class Hints:
    """What names a report's series besides its agency (each normalised, or ``None``)."""

    title: str | None = None
    metadata: str | None = None
    file: str | None = None

    def by(self, source: str) -> str | None:
        return {"title": self.title, "page metadata": self.metadata, "file name": self.file}[source]


#: the sources tried in order of trust: a title names the body, a publisher may be its office
SOURCES = ("title", "page metadata", "file name")


def _norm(s: str) -> str:
    return _KEEP.sub("", unicodedata.normalize("NFKC", s))


def title_name(lines: Sequence[str]) -> str | None:
    """The body named in the first title-like line (before or after the year), or in a title
    printed over two lines (the body on the first)."""
    found = _title(lines)
    return found[0] if found else None


def title_year(lines: Sequence[str]) -> int | None:
    """The reporting year of the first title-like line that names a body."""
    found = _title(lines)
    return found[1] if found else None


def _title(lines: Sequence[str]) -> tuple[str, int] | None:
    head = [unicodedata.normalize("NFKC", line).replace(" ", "").replace("\u3000", "") for line in lines[:_HEAD_LINES]]
    for i, t in enumerate(head):
        candidates = [t] + ([head[i - 1] + t] if i and len(head[i - 1]) <= 30 else [])
        for text in candidates:
            for pat in (_TITLE_BEFORE, _TITLE_AFTER):
                m = pat.search(text)
                if m:
                    name = m.group("name")
                    name = re.split(r"[>|»/:：]", name)[-1].removeprefix("关于")
                    if len(_norm(name)) >= 2:
                        return name, int(m.group("year"))
    return None


def publisher_name(lines: Sequence[str]) -> str | None:
    for line in lines[:_HEAD_LINES]:
        m = _PUBLISHER_LINE.match(unicodedata.normalize("NFKC", line))
        if m:
            return m.group("name")
    return None


def file_series(source: str | None) -> str | None:
    """A file name without its year(s), extension and separators: ``zone-2021.html`` → ``zone``."""
    if not source:
        return None
    stem = Path(source).name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    if not _YEARS.search(stem):
        return None  # a name without a year names a report, not a series
    rest = _norm(_YEARS.sub("", stem))
    return rest.lower() or None


def _page_metadata(source: str | None) -> tuple[str | None, str | None]:
    """(title, publisher) from an HTML page's ``<title>`` and ``<meta>`` tags, when ``source`` is one."""
    if not source or not source.lower().endswith(_HTML_SUFFIXES):
        return None, None
    try:
        raw = Path(source).read_bytes()[:65536]
    except OSError:
        return None, None
    text = raw.decode("utf-8", errors="replace")
    if text.count("\ufffd") > 8:
        text = raw.decode("gb18030", errors="replace")
    pub = _META_PUBLISHER.search(text)
    title = _META_TITLE.search(text) or _HTML_TITLE.search(text)
    return (title.group(1).strip() if title else None), (pub.group(1).strip() if pub else None)


def hints(report: Report, document: Document | None) -> Hints:
    lines = [p.text for p in document.paragraphs if p.text.strip()] if document is not None else []
    page_title, page_pub = _page_metadata(report.source)
    title = title_name(lines) or (title_name([page_title]) if page_title else None)
    pub = publisher_name(lines) or page_pub
    return Hints(title=title, metadata=pub, file=file_series(report.source))


@attrs.frozen(kw_only=True)
class Assumed:
    """How a report without a body was put in a series: the source and the name it gave."""

    source: str  # title | page metadata | file name | --series
    name: str


def assume_series(
    reports: Sequence[Report],
    bodies: Sequence[str | None],
    report_hints: Sequence[Hints],
    key: Callable[[str], str | None],
) -> tuple[list[str | None], list[Assumed | None]]:
    """The body of each report, with reports without one put in a series where a title, page
    metadata or file name agrees with another report's; and how each was assumed."""
    out = list(bodies)
    how: list[Assumed | None] = [None] * len(reports)
    for source in SOURCES:
        names = {i: report_hints[i].by(source) for i in range(len(reports))}
        keys = {i: (key(n) if source != "file name" else n) for i, n in names.items() if n}
        for i, k in keys.items():
            if out[i] is not None or k is None:
                continue
            # another report's name from the same source, or a body another report names itself
            agree = [j for j, kj in keys.items() if j != i and kj == k]
            if source != "file name":
                agree += [j for j in range(len(reports)) if j != i and how[j] is None and bodies[j] == k]
            if not agree:
                continue
            # a report that names its body and agrees gives the series its name
            named = {out[j] for j in agree if out[j] is not None}
            if len(named) > 1:
                continue  # the agreeing reports are of different bodies: nothing to assume
            out[i] = named.pop() if named else k
            how[i] = Assumed(source=source, name=names[i] or k)
    return out, how


def assumed_findings(report: Report, assumed: Assumed, body: str, years: Sequence[int]) -> AuditFinding:
    others = ", ".join(map(str, years)) or "none"
    return AuditFinding(
        rule="C-SERIES-ASSUMED", severity="info",
        message=(f"the report names no issuing body; by its {assumed.source} (“{assumed.name}”), which agrees with "
                 f"other reports', it is taken to be of the series {body} (other years: {others}). "
                 "Pass --series or an alias file if this is wrong"),
        expected=None, found=body,
        evidence=(Evidence(kind="meta", where=assumed.source, value=assumed.name, report=report.source),),
    )


def explicit(reports: Sequence[Report], name: str) -> tuple[list[str | None], list[Assumed | None]]:
    """``--series NAME``: every report given is of one series."""
    return [name] * len(reports), [Assumed(source="--series", name=name) for _ in reports]



def titled_year(report: Report, document: Document | None) -> Report:
    """``report`` with the reporting year of its title line, when the parser read no body from the
    title (so the title was not the one it read, and the year it has came from elsewhere: the
    statistics period, the most frequent year) and a title line names another year."""
    if report.meta.agency or document is None:
        return report
    year = title_year([p.text for p in document.paragraphs if p.text.strip()])
    if year is None or year == report.meta.year:
        return report
    return attrs.evolve(report, meta=attrs.evolve(report.meta, year=year))
