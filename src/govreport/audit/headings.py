"""Section headings as printed: a heading one or two characters away from the national one (a typo,
a missing or extra character, full- or half-width numbering) names the same section.

The section reader recognises a heading by the phrases of ``template/formats.toml``; a heading with a
typo inside such a phrase (政府信息公开行政法复议、行政诉讼情况) is left without a key, or its text is
merged into the section before. The audit looks again, by edit distance to the national titles, so
that such a section is neither reported missing nor its sentences read as another section's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import attrs

from ..model import Report, Section

#: the national format's six sections (国办公开办函〔2021〕30号), by key
SECTION_TITLES = {
    "overview": "一、总体情况",
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
_NUMBERING = re.compile(r"^(?:第?[一二三四五六七八九十\d]{1,3}(?:部分)?[、.,:]?|[(][一二三四五六七八九十\d]{1,3}[)])")
_NUMBER = re.compile(r"^\s*第?([一二三四五六七八九十]{1,3}|\d{1,2})")
_DROP = re.compile(r"[\s\u3000、,.:;:!?()\"'“”《》·]")
_MAX_LINE = 34


def _bare(text: str) -> str:
    """A heading without its number, punctuation, widths or spaces: 四．政府信息公开行政复议、行政诉讼情况 →
    政府信息公开行政复议行政诉讼情况."""
    t = unicodedata.normalize("NFKC", text).strip()
    t = re.sub(r"\s+", "", t)
    t = _NUMBERING.sub("", t)
    return _DROP.sub("", t)


_TITLES = {k: _bare(v) for k, v in SECTION_TITLES.items()}


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insertions, deletions, substitutions), or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def tolerance(title: str) -> int:
    """Characters a heading may differ by: 2 for the long titles, 1 for 4–7 characters, none below."""
    return 2 if len(title) >= 8 else 1 if len(title) >= 4 else 0


def match_heading(line: str) -> tuple[str, int] | None:
    """The section a printed heading names (key, edit distance to the national title), when exactly
    one national title is within :func:`tolerance`; ``None`` for a line that is no heading of one."""
    if not line.strip() or len(line.strip()) > _MAX_LINE or "。" in line:
        return None
    bare = _bare(line)
    if not bare:
        return None
    hits = []
    for key, title in _TITLES.items():
        limit = tolerance(title)
        d = distance(bare, title, limit)
        if d <= limit:
            hits.append((d, key))
    if not hits:
        return None
    hits.sort()
    if len(hits) > 1 and hits[0][0] == hits[1][0]:
        return None
    return hits[0][1], hits[0][0]


_LEADING_NUMBER = re.compile(r"^\s*(?:第?(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.]|[(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)])\s*")


def match_heading_start(line: str) -> tuple[str, int, str, str] | None:
    """A numbered national heading run together with the text after it (a crawler's copy of a page:
    五、存在的主要问题及改进情况2025年，…): (key, distance, heading as printed, the rest), or ``None``."""
    orig = line.strip()
    t = unicodedata.normalize("NFKC", orig)
    num = _LEADING_NUMBER.match(t)
    if num is None:
        return None
    rest = t[num.end():]
    best: tuple[int, int, str, int] | None = None
    for key, title in SECTION_TITLES.items():
        printed = title.split("、", 1)[1]
        bare = _TITLES[key]
        limit = tolerance(bare)
        for k in range(max(1, len(printed) - limit), len(printed) + limit + 1):
            d = distance(_bare(rest[:k]), bare, limit)
            if d <= limit and (best is None or (d, abs(k - len(printed))) < (best[0], best[3])):
                best = (d, -len(key), key, abs(k - len(printed)))
                cut = k
    if best is None:
        return None
    # quoted as printed where folding widths kept every character in place (it nearly always does)
    shown = orig if len(orig) == len(t) else t
    rest_text = shown[num.end() + cut:].strip()
    if not rest_text:
        return None  # the heading alone: match_heading's case
    return best[2], best[0], shown[: num.end() + cut].strip(), rest_text


@attrs.frozen(kw_only=True)
class Recognised:
    """A section the section reader did not name, found by its printed heading."""

    key: str
    printed: str
    distance: int


def recognise(report: Report) -> tuple[tuple[Section, ...], tuple[Recognised, ...]]:
    """The report's sections with the national sections the reader missed named: a section without
    a key whose heading is near a national title gets its key; a heading line inside another
    section's text that is near a missing national title starts a section of its own."""
    present = {s.key for s in report.sections if s.key}
    found: list[Recognised] = []
    out: list[Section] = []
    for sec in report.sections:
        if sec.key is None:
            m = match_heading(f"{sec.number or ''}、{sec.title}")
            if m and m[0] not in present:
                present.add(m[0])
                found.append(Recognised(key=m[0], printed=_printed(sec), distance=m[1]))
                sec = attrs.evolve(sec, key=m[0])
        out += _split(sec, present, found)
    return tuple(out), tuple(found)


def _printed(sec: Section) -> str:
    return f"{sec.number}、{sec.title}" if sec.number else sec.title


def _split(sec: Section, present: set[str], found: list[Recognised]) -> list[Section]:
    lines = sec.text.split("\n")
    for i, line in enumerate(lines):
        m = match_heading(line)
        if m is not None:
            key, d, printed, after = m[0], m[1], line.strip(), []
        else:
            s = match_heading_start(line)
            if s is None:
                continue
            key, d, printed, after = s[0], s[1], s[2], [s[3]]
        if key in present:
            continue
        present.add(key)
        found.append(Recognised(key=key, printed=printed, distance=d))
        num = _NUMBER.match(unicodedata.normalize("NFKC", printed))
        head = attrs.evolve(sec, text="\n".join(lines[:i]))
        rest = Section(number=num.group(1) if num else None,
                       title=_NUMBERING.sub("", unicodedata.normalize("NFKC", printed)).strip(" 、."),
                       key=key, text="\n".join(after + lines[i + 1:]))
        return [head, *_split(rest, present, found)]
    return [sec]


def printed_heading(lines: Iterable[str], key: str) -> tuple[str, int] | None:
    """The first line naming section ``key`` (as printed, and its distance to the national title)."""
    for line in lines:
        m = match_heading(line)
        if m is not None and m[0] == key:
            return line.strip(), m[1]
        s = match_heading_start(line)
        if s is not None and s[0] == key:
            return s[2], s[1]
    return None
