"""Telling the 2019, 2021 and legacy formats apart by the labels only one of them prints."""

from __future__ import annotations

from ..document import Document
from ..labels import label_key
from ..template import Template
from .stream import Stream


def marker_counts(keys: list[str], template: Template) -> dict[str, int]:
    return {fmt: sum(1 for m in markers if any(m in k for k in keys)) for fmt, markers in template.formats.items()}


def detect_format(stream: Stream, doc: Document, template: Template) -> str:
    """The format whose marker labels the tables print most; prose decides only when cells don't."""
    for keys in ([t.key for t in stream.tokens if t.kind == "label"], [label_key(p.text) for p in doc.paragraphs]):
        counts = marker_counts(keys, template)
        best = max(("2019", "2021"), key=lambda f: counts.get(f, 0))
        if counts.get(best, 0) and counts.get(best, 0) != counts.get("2021" if best == "2019" else "2019", 0):
            return best
        if counts.get("legacy", 0) >= 2 and not counts.get("2019") and not counts.get("2021"):
            return "legacy"
    return "unknown"
