"""Reading numbers stated in a report's prose, with their meaning, from ``phrases.toml``.

A :class:`Claim` is one number a sentence states about something the tables also hold (全年共收到政府
信息公开申请172件 → 172 for ``applications/new_received/total``), with the sentence and section it
came from. What phrasings mean which cells is data (``phrases.toml``); this module only applies it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from ..document import Document
from ..labels import clean
from ..model import Report, Section, Severity

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_HEADING_LINE = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])")
_CLAUSE_BREAK = re.compile(r"[,;:。、]")


from .phrases import ClaimSpec, Phrases, load_phrases


# --------------------------------------------------------------------------------------------- text


def normalize(text: str) -> str:
    """The form sentences are matched in: widths folded, markers dropped, white space removed
    except between two digits (OCR's 47 条 is 47条; 1 000 stays two numbers)."""
    t = clean(text)
    t = unicodedata.normalize("NFKC", t)
    return re.sub(r"\s+", lambda m: " " if _digit_both_sides(m) else "", t)


def _digit_both_sides(m: re.Match[str]) -> bool:
    s = m.string
    return m.start() > 0 and m.end() < len(s) and s[m.start() - 1].isdigit() and s[m.end()].isdigit()


@attrs.frozen(kw_only=True)
class Sentence:
    """One sentence of the report's prose and where it stands."""

    text: str  # as printed (stripped)
    norm: str  # as matched
    section_number: str | None
    section_title: str | None
    section_key: str | None
    index: int  # 1-based within its section (or the preamble)
    heading: str | None = None  # the sub-heading it stands under, if any

    @property
    def where(self) -> str:
        if self.section_title is None:
            return f"preamble, sentence {self.index}"
        num = f"{self.section_number}、" if self.section_number else ""
        return f"section {num}{self.section_title}, sentence {self.index}"

    @property
    def context(self) -> str:
        return " ".join(x for x in (self.section_title, self.heading, self.norm) if x)


def _is_heading(line: str) -> bool:
    s = normalize(line)
    return bool(s) and len(s) <= 30 and "。" not in s and (bool(_HEADING_LINE.match(s)) or not re.search(r"[,;]", s))


def split_sentences(text: str, *, number: str | None, title: str | None, key: str | None) -> list[Sentence]:
    out: list[Sentence] = []
    heading: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _is_heading(line):
            heading = normalize(line)
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if not piece or not normalize(piece):
                continue
            out.append(Sentence(text=piece, norm=normalize(piece), section_number=number, section_title=title,
                                section_key=key, index=len(out) + 1, heading=heading))
    return out


def report_sentences(report: Report, document: Document | None = None) -> list[Sentence]:
    """Every sentence of the report's sections, and of its preamble when ``document`` is given."""
    out: list[Sentence] = []
    if document is not None:
        out += split_sentences("\n".join(preamble(report, document)), number=None, title=None, key=None)
    for s in report.sections:
        out += split_sentences(s.text, number=s.number, title=s.title, key=s.key)
    return out


def preamble(report: Report, document: Document) -> list[str]:
    """The paragraphs before the first section heading (title, introduction, statistics period)."""
    paras = [p.text for p in document.paragraphs if p.text.strip()]
    if not report.sections:
        return paras
    first: Section = report.sections[0]
    target = normalize(first.title)
    for i, p in enumerate(paras):
        n = normalize(p)
        if target and target in n and len(n) <= len(target) + 6:
            return paras[:i]
    return []


# --------------------------------------------------------------------------------------------- numbers


def cn_number(s: str) -> int | None:
    """一 … 九千九百九十九万: Chinese numerals as printed in prose (两, 十二, 一百零五)."""
    if not s:
        return None
    if all(ch in _CN_DIGIT for ch in s):
        # digit by digit (二〇一九) — only sensible for a single digit in a count
        return int("".join(str(_CN_DIGIT[ch]) for ch in s)) if len(s) == 1 else None
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def read_count(s: str) -> int | None:
    s = s.replace(",", "")
    if s.isdigit():
        return int(s)
    return cn_number(s)


_UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000)}


def money_in_yuan(value: str, unit: str | None) -> Decimal | None:
    try:
        d = Decimal(value.replace(",", ""))
    except ArithmeticError:
        return None
    return d * _UNIT_FACTOR[unit] if unit in _UNIT_FACTOR else None


# --------------------------------------------------------------------------------------------- claims


@attrs.frozen(kw_only=True)
class Claim:
    """A number a sentence states. ``value``: ``int`` (count), ``Decimal`` in 元 (money) or
    ``Decimal`` percent (rate). ``matched`` is the text the phrasing matched."""

    spec: ClaimSpec
    value: int | Decimal
    matched: str
    sentence: Sentence
    span: tuple[int, int]
    unit: str | None = None  # money as printed: 万元 or 元
    printed: str = ""  # the number as printed (160.5964万元, 98.9%)
    zero_statement: bool = False  # read from a "there were none" statement
    skipped: str | None = None  # why it is not compared (scope, period, another year …)
    parts: tuple[ClaimSpec, ...] = ()  # the rows named together (a combined statement)
    uncertain: str | None = None  # why the phrase may mean something else than the table's row

    @property
    def severity(self) -> Severity:
        """Of a disagreement: the claim's own, at most a warning when the phrase is not certain."""
        if self.uncertain and self.spec.severity == "error":
            return "warning"
        return self.spec.severity

    @property
    def decimals(self) -> int:
        """Digits after the point in a rate as printed."""
        m = re.search(r"\.(\d+)", self.printed)
        return len(m.group(1)) if m else 0


def _applies(spec: ClaimSpec, fmt: str) -> bool:
    return spec.formats is None or fmt in spec.formats


def _in_place(spec: ClaimSpec, s: Sentence) -> bool:
    if not spec.sections and spec.context is None:
        return True
    if spec.sections and s.section_key in spec.sections:
        return True
    return spec.context is not None and bool(spec.context.search(s.context))


def _value(spec: ClaimSpec, m: re.Match[str]) -> tuple[int | Decimal | None, str | None, str]:
    gd = m.groupdict()
    if spec.kind == "rate":
        if gd.get("p100"):
            return Decimal(100), None, "百分之百"
        return (Decimal(gd["p"]), None, gd["p"] + "%") if gd.get("p") else (None, None, "")
    if spec.kind == "money":
        if not gd.get("m"):
            return None, None, ""
        return money_in_yuan(gd["m"], gd["unit"]), gd["unit"], gd["m"] + gd["unit"]
    if gd.get("n") is None:
        return None, None, ""
    return read_count(gd["n"]), None, gd["n"]


def claims_in_sentence(s: Sentence, phrases: Phrases, fmt: str, year: int | None) -> list[Claim]:
    """Every claim read from one sentence, before overlapping matches are resolved."""
    found: list[tuple[int, Claim]] = []
    for order, spec in enumerate(phrases.claims):
        if not _applies(spec, fmt) or not _in_place(spec, s):
            continue
        if spec.requires is not None and not spec.requires.search(s.norm):
            continue
        if spec.sentence_exclude is not None and spec.sentence_exclude.search(s.norm):
            continue
        for zero, patterns in ((False, spec.patterns), (True, spec.zero_patterns)):
            if zero and spec.zero_context is not None and not spec.zero_context.search(s.context):
                continue
            for pat in patterns:
                for m in pat.finditer(s.norm):
                    claim = _claim(spec, m, s, zero, phrases)
                    if claim is not None:
                        found.append((order, claim))
    if phrases.combined is not None:
        found += [(-1, c) for c in _combined_claims(s, phrases, fmt)]
    # a match inside a longer one (of any claim) is part of that statement
    found.sort(key=lambda oc: (-(oc[1].span[1] - oc[1].span[0]), oc[0], oc[1].span))
    kept: list[Claim] = []
    for _, c in found:
        if any(c.span[0] < k.span[1] and k.span[0] < c.span[1] for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.span)
    return [_guard(_joined(c, phrases), phrases, year) for c in kept]


def _joined(c: Claim, phrases: Phrases) -> Claim:
    """A row's number whose name follows another name and a joiner (答复告知及部分公开42件) is the
    number of both together: not this row's alone."""
    if phrases.combined is None or c.parts or c.zero_statement or c.spec.name is None:
        return c
    m = phrases.combined.joined_before.search(c.sentence.norm[: c.span[0]])
    if m:
        return attrs.evolve(c, skipped=f"names it together with another row (“{m.group(0)}”)")
    return c


def _combined_claims(s: Sentence, phrases: Phrases, fmt: str) -> list[Claim]:
    comb = phrases.combined
    assert comb is not None
    out = []
    candidates = [spec for spec in phrases.claims if spec.name is not None and spec.kind == "count"]
    for m in comb.pattern.finditer(s.norm):
        parts = _name_parts(m.group("names"), candidates, comb.joiner)
        if not parts or len(set(p.id for p in parts)) != len(parts):
            continue
        if not all(_applies(p, fmt) and _in_place(p, s) for p in parts):
            continue
        if len({p.cells[0].partition("/")[0] for p in parts}) != 1:
            continue  # rows of different tables are not summed
        n = read_count(m.group("n"))
        if n is None:
            continue
        before = s.norm[max(0, m.start("n") - 2): m.start("n")]
        if phrases.approximate_before.search(before) or phrases.approximate_after.search(s.norm[m.end():]):
            continue
        sev: Severity = "error" if all(p.severity == "error" for p in parts) else "warning"
        spec = ClaimSpec(
            id=comb.id, meaning="、".join(p.meaning for p in parts) + "（之和）", kind="count",
            cells=tuple(c for p in parts for c in p.cells), severity=sev,
        )
        out.append(Claim(spec=spec, value=n, matched=m.group(0), sentence=s, span=(m.start(), m.end()),
                         printed=m.group("n"), parts=tuple(parts)))
    return out


def _name_parts(names: str, candidates: list[ClaimSpec], joiner: re.Pattern[str]) -> list[ClaimSpec] | None:
    """The rows named in ``names`` (name, joiner, name …), each named by exactly one claim; ``None``
    when a name is ambiguous or not a row's."""
    out: list[ClaimSpec] = []
    pos = 0
    while pos < len(names):
        hits = [(m.end(), spec) for spec in candidates if spec.name is not None
                for m in [spec.name.match(names, pos)] if m]
        if not hits:
            return None
        end = max(e for e, _ in hits)
        best = [spec for e, spec in hits if e == end]
        if len(best) != 1:
            return None
        out.append(best[0])
        pos = end
        if pos < len(names):
            j = joiner.match(names, pos)
            if not j:
                return None
            pos = j.end()
    return out


def _claim(spec: ClaimSpec, m: re.Match[str], s: Sentence, zero: bool, phrases: Phrases) -> Claim | None:
    text = m.group(0)
    if spec.exclude is not None and spec.exclude.search(text):
        return None
    if spec.prefix_exclude is not None:
        before = s.norm[: m.start()]
        clause = _CLAUSE_BREAK.split(before)[-1] if before else ""
        if spec.prefix_exclude.search(clause):
            return None
    uncertain = None
    if spec.activity is not None and not (spec.own_wording is not None and spec.own_wording.search(text)):
        before = s.norm[: m.start()]
        clause = _CLAUSE_BREAK.split(before)[-1] if before else ""
        a = spec.activity.search(clause)
        if a:
            uncertain = f"the sentence may speak of another activity (“{a.group(0)}”), not the table's row"
    if zero:
        value: int | Decimal = Decimal(0) if spec.kind != "count" else 0
        unit, printed = None, text
    else:
        read, unit, printed = _value(spec, m)
        if read is None:
            return None
        value = read
        group = next((g for g in ("n", "m", "p", "p100") if m.groupdict().get(g)), None)
        if group is not None:
            before = s.norm[max(0, m.start(group) - 2): m.start(group)]
            if phrases.approximate_before.search(before) or phrases.approximate_after.search(s.norm[m.end():]):
                return None
    return Claim(spec=spec, value=value, matched=text, sentence=s, span=(m.start(), m.end()), unit=unit,
                 printed=printed, zero_statement=zero, uncertain=uncertain)


def _guard(c: Claim, phrases: Phrases, year: int | None) -> Claim:
    s = c.sentence.norm
    m = phrases.scope.search(s)
    if m:
        return attrs.evolve(c, skipped=f"speaks of a wider scope ({m.group(0)})")
    m = phrases.period.search(s)
    if m:
        return attrs.evolve(c, skipped=f"speaks of part of the year ({m.group(0)})")
    if year is not None:
        other = sorted({int(y) for y in phrases.year.findall(s)} - {year})
        if other:
            return attrs.evolve(c, skipped=f"names another year ({other[0]})")
    return c


def read_claims(
    report: Report,
    sentences: Sequence[Sentence] | None = None,
    phrases: Phrases | None = None,
) -> list[Claim]:
    """Every number the report's prose states about something its tables could hold."""
    phrases = phrases or load_phrases()
    sentences = report_sentences(report) if sentences is None else sentences
    fmt = report.format
    out: list[Claim] = []
    for s in sentences:
        out += claims_in_sentence(s, phrases, fmt, report.meta.year)
    return out


# --------------------------------------------------------------------------------------------- fees, period


@attrs.frozen(kw_only=True)
class Statement:
    """A sentence saying something the completeness checks use (no fee charged; a fee of …)."""

    sentence: Sentence
    matched: str
    amount: Decimal | None = None  # in 元, for a fee charged
    printed: str = ""


def fee_statements(sentences: Iterable[Sentence], phrases: Phrases | None = None) -> tuple[list[Statement], list[Statement]]:
    """(sentences saying no information-processing fee was charged, sentences stating a fee charged)."""
    phrases = phrases or load_phrases()
    none: list[Statement] = []
    charged: list[Statement] = []
    for s in sentences:
        hits: list[Statement] = []
        for pat in phrases.fees_charged:
            for m in pat.finditer(s.norm):
                amount = money_in_yuan(m.group("m"), m.group("unit"))
                hits.append(Statement(sentence=s, matched=m.group(0), amount=amount, printed=m.group("m") + m.group("unit")))
        positive = [h for h in hits if h.amount is not None and h.amount > 0]
        if positive:
            charged.append(positive[0])
            continue
        if hits:  # 收取信息处理费0元
            none.append(hits[0])
            continue
        for pat in phrases.fees_none:
            said = pat.search(s.norm)
            if said:
                none.append(Statement(sentence=s, matched=said.group(0)))
                break
    return none, charged


def not_levied_statements(sentences: Iterable[Sentence], phrases: Phrases | None = None) -> list[Statement]:
    """Sentences saying no fee was levied at all (no fee notice, fees waived), not merely none collected."""
    phrases = phrases or load_phrases()
    out = []
    for s in sentences:
        for pat in phrases.fees_not_levied:
            m = pat.search(s.norm)
            if m:
                out.append(Statement(sentence=s, matched=m.group(0)))
                break
    return out


@attrs.frozen(kw_only=True)
class Period:
    sentence: Sentence
    matched: str
    start: int
    end: int | None


def statistics_period(sentences: Iterable[Sentence], phrases: Phrases | None = None) -> Period | None:
    """The statistics period the report states (本年报中所列数据统计期限自2019年1月1日起至…), if any."""
    phrases = phrases or load_phrases()
    for s in sentences:
        for pat in phrases.period_patterns:
            m = pat.search(s.norm)
            if m:
                end = m.groupdict().get("end")
                return Period(sentence=s, matched=m.group(0), start=int(m.group("start")), end=int(end) if end else None)
    return None
