"""Gold corpora: documents with their hand-checked answers.

Two layouts are recognised, and may be mixed in one folder tree:

- ``NAME.EXT`` with ``NAME.gold.json`` beside it (several ``NAME.*`` documents may share one gold);
- a folder holding ``gold.json`` and one ``source.*``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import SchemaError


@attrs.frozen
class GoldDoc:
    path: Path
    gold_path: Path

    @property
    def kind(self) -> str:
        """The input kind as the file name says it (txt, docx, pdf, html, …)."""
        return self.path.suffix.lstrip(".").lower() or "none"

    @property
    def key(self) -> str:
        return self.path.name if self.path.stem != "source" else self.path.parent.name

    def gold(self) -> dict[str, Any]:
        try:
            data = json.loads(self.gold_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaError(f"{self.gold_path}: unreadable gold file: {exc}") from None
        if not isinstance(data, dict):
            raise SchemaError(f"{self.gold_path}: a gold file holds a JSON object")
        return data


def find_gold(roots: list[Path]) -> Iterator[GoldDoc]:
    """Every document with a gold answer under ``roots`` (files or folders), in a stable order."""
    seen: set[Path] = set()
    for root in roots:
        golds = [root] if root.is_file() and root.name.endswith("gold.json") else sorted(root.rglob("*gold.json"))
        if root.is_file() and not root.name.endswith("gold.json"):
            gold = root.with_name(root.name.split(".")[0] + ".gold.json")
            if gold.exists() and root not in seen:
                seen.add(root)
                yield GoldDoc(root, gold)
            continue
        for gold in golds:
            if gold.name == "gold.json":
                docs = sorted(p for p in gold.parent.glob("source.*"))
            else:
                stem = gold.name[: -len(".gold.json")]
                docs = sorted(p for p in gold.parent.glob(stem + ".*") if not p.name.endswith("gold.json"))
            for d in docs:
                if d not in seen and d.is_file():
                    seen.add(d)
                    yield GoldDoc(d, gold)
