"""The phrase table of the prose audit: what phrasings mean which cells (``phrases.toml``), parsed
and checked into :class:`Phrases`; :mod:`.prose` applies it to a report's sentences."""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from typing import Any

import attrs

from ..model import Severity

@attrs.frozen(kw_only=True)
class ClaimSpec:
    """One kind of statement (see the header of ``phrases.toml`` for every field)."""

    id: str
    meaning: str
    kind: str  # count | money | rate
    cells: tuple[str, ...] = ()
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    formats: tuple[str, ...] | None = None
    compare: bool = True
    severity: Severity = "error"
    sections: tuple[str, ...] = ()
    context: re.Pattern[str] | None = None
    zero_context: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None
    sentence_exclude: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None
    prefix_exclude: re.Pattern[str] | None = None
    name: re.Pattern[str] | None = None
    activity: re.Pattern[str] | None = None
    own_wording: re.Pattern[str] | None = None
    patterns: tuple[re.Pattern[str], ...] = ()
    zero_patterns: tuple[re.Pattern[str], ...] = ()
    examples: tuple[dict[str, Any], ...] = attrs.field(default=(), eq=False)
    counter_examples: tuple[dict[str, Any], ...] = attrs.field(default=(), eq=False)


@attrs.frozen(kw_only=True)
class Combined:
    """Rows named together before one number (予以公开及部分公开42件): read as one statement about
    the sum of the rows named (see ``[combined]`` in ``phrases.toml``)."""

    id: str
    meaning: str
    pattern: re.Pattern[str]
    joiner: re.Pattern[str]
    joined_before: re.Pattern[str]
    examples: tuple[dict[str, Any], ...] = attrs.field(default=(), eq=False)
    counter_examples: tuple[dict[str, Any], ...] = attrs.field(default=(), eq=False)


@attrs.frozen(kw_only=True)
class Phrases:
    claims: tuple[ClaimSpec, ...]
    scope: re.Pattern[str]
    period: re.Pattern[str]
    year: re.Pattern[str]
    approximate_before: re.Pattern[str]
    approximate_after: re.Pattern[str]
    fees_none: tuple[re.Pattern[str], ...]
    fees_charged: tuple[re.Pattern[str], ...]
    fees_not_levied: tuple[re.Pattern[str], ...]
    period_patterns: tuple[re.Pattern[str], ...]
    problems_empty: re.Pattern[str]
    problems_plan: re.Pattern[str]
    combined: Combined | None = None
    raw: dict[str, Any] = attrs.field(eq=False, repr=False)

    def claim(self, rule_id: str) -> ClaimSpec:
        for c in self.claims:
            if c.id == rule_id:
                return c
        raise KeyError(rule_id)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    # longest names first, so {N} does not eat {NO}
    for name in sorted(macros, key=len, reverse=True):
        pattern = pattern.replace("{" + name + "}", macros[name])
    return pattern


def _compile(p: str | None, macros: dict[str, str]) -> re.Pattern[str] | None:
    return re.compile(_expand(p, macros)) if p else None


_SEVERITIES: dict[str, Severity] = {"error": "error", "warning": "warning", "info": "info"}

_CLAIM_KEYS = {
    "id", "meaning", "kind", "cells", "numerator", "denominator", "formats", "compare", "severity", "sections",
    "context", "zero_context", "requires", "sentence_exclude", "exclude", "prefix_exclude", "patterns",
    "zero_patterns", "examples", "counter_examples", "name", "activity", "own_wording",
}


def parse_phrases(text: str) -> Phrases:
    """Build :class:`Phrases` from the text of a phrases file (the bundled one, or a user's)."""
    raw = tomllib.loads(text)
    macros: dict[str, str] = raw.get("macros", {})
    claims = []
    seen: set[str] = set()
    for c in raw.get("claims", []):
        unknown = set(c) - _CLAIM_KEYS
        if unknown:
            raise ValueError(f"phrases: claim {c.get('id')!r} has unknown key(s) {sorted(unknown)}")
        if c["id"] in seen:
            raise ValueError(f"phrases: claim id {c['id']!r} appears twice")
        seen.add(c["id"])
        if c["kind"] not in ("count", "money", "rate"):
            raise ValueError(f"phrases: claim {c['id']!r} has unknown kind {c['kind']!r}")
        severity = _SEVERITIES.get(c.get("severity", "error"))
        if severity is None:
            raise ValueError(f"phrases: claim {c['id']!r} has unknown severity {c['severity']!r} "
                             f"(one of {', '.join(_SEVERITIES)})")
        claims.append(ClaimSpec(
            id=c["id"],
            meaning=c["meaning"],
            kind=c["kind"],
            cells=tuple(c.get("cells", ())),
            numerator=tuple(c.get("numerator", ())),
            denominator=tuple(c.get("denominator", ())),
            formats=tuple(c["formats"]) if "formats" in c else None,
            compare=c.get("compare", True),
            severity=severity,
            sections=tuple(c.get("sections", ())),
            context=_compile(c.get("context"), macros),
            zero_context=_compile(c.get("zero_context"), macros),
            requires=_compile(c.get("requires"), macros),
            sentence_exclude=_compile(c.get("sentence_exclude"), macros),
            exclude=_compile(c.get("exclude"), macros),
            prefix_exclude=_compile(c.get("prefix_exclude"), macros),
            name=_compile(c.get("name"), macros),
            activity=_compile(c.get("activity"), macros),
            own_wording=_compile(c.get("own_wording"), macros),
            patterns=tuple(re.compile(_expand(p, macros)) for p in c.get("patterns", ())),
            zero_patterns=tuple(re.compile(_expand(p, macros)) for p in c.get("zero_patterns", ())),
            examples=tuple(c.get("examples", ())),
            counter_examples=tuple(c.get("counter_examples", ())),
        ))
    g = raw["guards"]
    return Phrases(
        claims=tuple(claims),
        scope=re.compile(g["scope"]),
        period=re.compile(g["period"]),
        year=re.compile(g["year"]),
        approximate_before=re.compile(g["approximate_before"]),
        approximate_after=re.compile(g["approximate_after"]),
        fees_none=tuple(re.compile(_expand(p, macros)) for p in raw["fees"]["none"]),
        fees_charged=tuple(re.compile(_expand(p, macros)) for p in raw["fees"]["charged"]),
        fees_not_levied=tuple(re.compile(_expand(p, macros)) for p in raw["fees"].get("not_levied", ())),
        period_patterns=tuple(re.compile(_expand(p, macros)) for p in raw["period"]["patterns"]),
        problems_empty=re.compile(raw["problems"]["empty"]),
        problems_plan=re.compile(raw["problems"]["plan"]),
        combined=_combined(raw.get("combined"), claims, macros),
        raw=raw,
    )


def _combined(c: dict[str, Any] | None, claims: list[ClaimSpec], macros: dict[str, str]) -> Combined | None:
    if not c:
        return None
    named = [s for s in claims if s.name is not None and s.kind == "count"]
    if not named:
        return None
    joiner = _expand(c["joiner"], macros)
    one = "|".join(f"(?:{s.name.pattern})" for s in named if s.name is not None)
    names = f"(?P<names>(?:{one})(?:{joiner}(?:{one}))+)"
    return Combined(
        id=c["id"], meaning=c["meaning"],
        pattern=re.compile(names + _expand(c["tail"], macros)),
        joiner=re.compile(joiner),
        joined_before=re.compile(_expand(c["joined_before"], macros)),
        examples=tuple(c.get("examples", ())),
        counter_examples=tuple(c.get("counter_examples", ())),
    )


@functools.cache
def load_phrases() -> Phrases:
    """The bundled ``govreport/audit/phrases.toml``."""
    return parse_phrases(resources.files("govreport.audit").joinpath("phrases.toml").read_text("utf-8"))
