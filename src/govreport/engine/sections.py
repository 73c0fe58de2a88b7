"""The report's numbered sections, recognised by their titles' content rather than their numbers."""

from __future__ import annotations

import re

from ..document import Document
from ..labels import clean, label_key
from ..model import Section
from ..template import Template

_HEADING = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.．]\s*(?P<title>\S.*)$")
_MAX_TITLE = 30


def read_sections(doc: Document, template: Template) -> tuple[Section, ...]:
    heads: list[tuple[int, str, str, str | None]] = []
    paras = list(doc.paragraphs)
    seen: set[str] = set()
    for i, p in enumerate(paras):
        m = _HEADING.match(clean(p.text))
        if not m:
            continue
        title = m["title"].strip()
        if len(title) > _MAX_TITLE or re.search(r"[。；;]", title):
            continue
        key = _section_key(title, template)
        chinese = not m["num"].isdigit()
        if key is None and not chinese:
            continue  # 1. 2. … inside a section: items, not sections
        if key in seen:
            if not chinese:
                continue
            key = None
        if key:
            seen.add(key)
        heads.append((i, m["num"], title, key))
    out = []
    for n, (i, num, title, key) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(paras)
        text = "\n".join(p.text.strip() for p in paras[i + 1:end] if p.text.strip())
        out.append(Section(number=num, title=title, key=key, text=text))
    return tuple(out)


def _section_key(title: str, template: Template) -> str | None:
    key = label_key(title)
    # the longest phrase found wins: 政府信息公开申请行政复议 is about review, not applications
    found = [(len(ph), name) for name, phrases in template.sections for ph in phrases if ph in key]
    return max(found)[1] if found else None


