"""Normalising printed labels and matching them against the template's labels.

Real labels differ from the national text in width (（） vs ()), spacing, quotes, numbering
(missing, doubled, 2、 for 二、), breaks inside a label, and OCR damage. Matching works on a
normalised key — only CJK characters, letters and digits, numbering stripped — first exactly, then
by containment, then by similarity.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, TypeVar

# Word exports bookmarks and field results as bracketed markers in front of text.
_NOISE = re.compile(r"\[(?:bookmark|_?GoBack|field|comment)[^\]]*\]", re.I)
_NUM = r"[一二三四五六七八九十〇零]+|\d{1,2}"
_NUMBERING = re.compile(
    rf"^(?:\(\s*(?:{_NUM})\s*\)|(?:{_NUM})\s*[、\.．,，:：)）]|第(?:{_NUM})[项条部分]|其中[:：]?)"
)
_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


T = TypeVar("T")


def kept_when_short(limit: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Keep a pure function's answers for texts of up to ``limit`` characters (8192 of them).

    A report, and a corpus in one national format, repeat the same short texts (labels, numbers)
    many times; long ones are kept out of the cache, which would otherwise hold whole paragraphs.
    An answer is shared between callers: it must be immutable."""

    def wrap(fn: Callable[[str], T]) -> Callable[[str], T]:
        kept = lru_cache(maxsize=8192)(fn)

        @functools.wraps(fn)
        def call(text: str) -> T:
            return kept(text) if len(text) <= limit else fn(text)

        return call

    return wrap


@kept_when_short(120)
def clean(text: str) -> str:
    """Fold widths and drop markup noise, keeping the text otherwise as printed."""
    text = unicodedata.normalize("NFKC", text)
    return _NOISE.sub("", text).strip()


def strip_numbering(text: str) -> str:
    """Remove leading numbering, repeatedly (一、一、本年新收 → 本年新收)."""
    prev = None
    text = text.strip()
    while prev != text:
        prev = text
        text = _NUMBERING.sub("", text, count=1).strip()
    return text


@kept_when_short(120)
def label_key(text: str) -> str:
    """The comparable form of a label: numbering stripped, only CJK, letters and digits left."""
    return _KEEP.sub("", strip_numbering(clean(text).replace("\n", "")))


def bare_key(text: str) -> str:
    """Like :func:`label_key` but keeping numbering (to tell a header 总计 from a row （七）总计)."""
    return _KEEP.sub("", clean(text))


#: Characters OCR takes for one another (their shapes differ by a stroke or two): a label read
#: with some of them swapped still names its row, with less confidence.
_LOOKALIKES = ("第弟", "二三", "方力万", "己已巳", "未末", "土士", "日曰", "人入八", "开升", "处外", "务备", "政故")
_FOLD = {ch: group[0] for group in _LOOKALIKES for ch in group}


@lru_cache(maxsize=8192)
def _fold(key: str) -> str:
    return "".join(_FOLD.get(ch, ch) for ch in key)


def match_score(key: str, variant: str) -> float:
    """How well a normalised cell label ``key`` matches a normalised template label ``variant``.

    1.0 exact; 0.9 the variant inside the cell; 0.85 the cell a long prefix/part of the variant;
    otherwise 0.8 × their similarity ratio (0 below 0.75) or, if higher, 0.7 × the ratio once OCR's
    look-alike characters (第/弟, 三/二, 方/力) are folded together (0 below 0.9). Short labels (规章, 其他, 总计) match only
    exactly, since as substrings they occur everywhere.
    """
    if not key or not variant:
        return 0.0
    if key == variant:
        return 1.0
    if len(variant) >= 4 and variant in key:
        # the longer the surrounding text, the less this cell is about this label
        return 0.9 if len(key) <= 2.5 * len(variant) else 0.7
    if len(key) >= 4 and key in variant and len(key) >= 0.5 * len(variant):
        return 0.85
    if len(variant) >= 4 and len(key) >= 4:
        if 2.0 * min(len(key), len(variant)) / (len(key) + len(variant)) < 0.75:
            return 0.0  # lengths too far apart for either similarity below (folding keeps them)
        ratio = _ratio(key, variant, 0.75)
        # OCR's look-alike characters: the same label once they are folded together
        fk, fv = _fold(key), _fold(variant)
        folded = _ratio(fk, fv, 0.9) if (fk, fv) != (key, variant) else 0.0
        return max(0.8 * ratio, 0.7 * folded)
    return 0.0


def _ratio(a: str, b: str, least: float) -> float:
    """The similarity of ``a`` and ``b`` when it is at least ``least``, else 0 (the cheap upper
    bounds first: most labels are compared with most others, and few are alike). The bounds are
    SequenceMatcher's real_quick_ratio and quick_ratio, computed the same way but without building
    its index of ``b``, which cost more than the comparison for the many pairs they rule out."""
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < least or 2.0 * _common(a, b) / total < least:
        return 0.0
    r = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return r if r >= least else 0.0


@lru_cache(maxsize=8192)
def _counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


def _common(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` have in common, each counted as often as both hold it."""
    ca, cb = _counts(a), _counts(b)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    common = 0
    for ch, n in ca.items():
        m = cb.get(ch)
        if m:
            common += n if n < m else m
    return common


@lru_cache(maxsize=1 << 15)
def best_match(key: str, variants: tuple[str, ...]) -> float:
    """The best :func:`match_score` of ``key`` against any of ``variants`` (a template row's labels).

    Kept for the process: every table's labels are compared with every template row's, and a
    corpus of reports in one national format prints the same few hundred labels again and again."""
    best = 0.0
    for v in variants:
        score = match_score(key, v)
        if score > best:
            best = score
    return best
