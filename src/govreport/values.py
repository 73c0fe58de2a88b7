"""Reading one printed value: counts, signed changes, money with its unit, blanks and dashes.

A value keeps the meaning printed: a blank cell is ``None``; ``0``/``０`` is 0; a dash used for
"none" is read as 0 but flagged, as is a letter O printed where a digit is meant. Nothing that is
not clearly a number becomes one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import attrs

from .labels import clean, kept_when_short
from .model import Money

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_DASHES = frozenset({"-", "—", "–", "──", "——", "--", "―", "－", "一一"})
_COUNT_UNITS = ("件", "条", "个", "项", "次", "篇", "人次", "人", "场")
_MONEY_UNITS = ("万元", "元")
_NUMBER = re.compile(
    r"^(?P<sign>[+\-]|增加|减少|增|减)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|元|件|条|个|项|次|篇|人次|人|场)?$"
)


@attrs.frozen(kw_only=True)
class Parsed:
    """A cell read as a value. ``number`` is the decimal string (no sign, no separators)."""

    kind: str  # "blank" | "number" | "dash"
    number: str | None = None
    negative: bool = False
    unit: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def is_blank(self) -> bool:
        return self.kind == "blank"


@kept_when_short(64)  # a Parsed is frozen, so one may be shared
def parse_value(text: str) -> Parsed | None:
    """Read ``text`` as a value, or return ``None`` if it is not one (a label, or noise)."""
    s = _SPACES.sub("", clean(text))
    if not s:
        return Parsed(kind="blank")
    if s in _DASHES:
        return Parsed(kind="dash", number="0", flags=("dash-as-zero",))
    flags: tuple[str, ...] = ()
    if re.fullmatch(r"[0-9Oo]*[Oo][0-9Oo]*", s) and re.search(r"\d", s) or s in ("O", "o"):
        # OCR and typists put the letter O for zero; read it, but say so
        s = s.replace("O", "0").replace("o", "0")
        flags = ("letter-o-as-zero",)
    m = _NUMBER.match(s)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    sign = m.group("sign") or ""
    unit = m.group("unit")
    return Parsed(
        kind="number",
        number=num,
        negative=sign in ("-", "减少", "减"),
        unit=unit if unit in _MONEY_UNITS else None,
        flags=flags,
    )



#: The most digits a value may print. No count or amount comes near (a trillion yuan has 13
#: digits), but a run-together row glues a row's numbers into one run that a later step splits, so
#: the bound is far above any such run and far below what makes ``int()`` slow or refuse (4,300).
MAX_DIGITS = 1000


def as_count(p: Parsed, *, signed: bool = False) -> tuple[int | None, tuple[str, ...]]:
    """The integer a parsed cell holds, with flags; ``(None, flags)`` for a blank or a non-integer."""
    if p.kind == "blank":
        return None, p.flags
    number = p.number
    assert number is not None
    if len(number) > MAX_DIGITS:
        return None, p.flags + ("number-too-long",)
    if "." in number:
        try:
            d = Decimal(number)
        except InvalidOperation:
            return None, p.flags + ("not-a-number",)
        if d != d.to_integral_value():
            return None, p.flags + ("fraction-in-count",)
        number = str(int(d))
    flags = p.flags
    if p.unit is not None:
        flags += ("money-in-count",)
    value = int(number)
    if p.negative:
        if not signed:
            flags += ("negative-count",)
        value = -value
    return value, flags


def as_money(p: Parsed, header_unit: str | None = None) -> tuple[Money | None, tuple[str, ...]]:
    """The amount a parsed cell holds; its unit from the cell, else from the column header."""
    if p.kind == "blank":
        return None, p.flags
    assert p.number is not None
    if len(p.number) > MAX_DIGITS:
        return None, p.flags + ("number-too-long",)
    value = ("-" if p.negative else "") + p.number
    return Money(value=value, unit=p.unit or header_unit), p.flags


_HEADER_UNIT = re.compile(r"(?:单位[:：]?\s*|[（(])\s*(万元|元)\s*[)）]?")


def header_unit(text: str) -> str | None:
    """The money unit a column header states (单位：万元, （万元）), if any."""
    m = _HEADER_UNIT.search(clean(text))
    return m.group(1) if m else None
