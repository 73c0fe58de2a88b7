"""What every output kind shares: the :class:`Writer` protocol, the kind of an output, and the
few primitives (whole writes, atomic replacement, latest row per path) that make each kind safe to
kill at any moment.

Every writer stores a finished file's rows before the next is taken, so a run killed at any point
leaves an output that opens and holds every file finished before the kill; ``--resume`` reads the
``reports`` rows back and parses only what is missing or changed. How each kind achieves that is
described in ``docs/extract.md`` ("Durability").

The ``reports`` table has one live row per path: a later row for the same path (a changed file on
resume) supersedes the earlier one. ``cells`` and ``findings`` are stored once per content
(``report_id``, the sha256), the first time that content is read.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..inputs import path_key
from ..results import Result

FORMATS = ("sqlite", "parquet", "csv", "jsonl")
_SUFFIXES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".parquet": "parquet",
             ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def infer_format(out: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The kind of the output ``out``: ``fmt`` when given, else from its extension, else (a folder)
    from what it holds."""
    if fmt:
        if fmt not in FORMATS:
            raise OutputError(f"unknown output format {fmt!r} (one of {', '.join(FORMATS)})")
        return fmt
    suffix = Path(out).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if os.fspath(out).endswith(os.sep) or Path(out).is_dir():
        if (Path(out) / "reports").is_dir() or (Path(out) / "_journal.jsonl").exists():
            return "parquet"
        if (Path(out) / "reports.csv").exists():
            return "csv"
    raise OutputError(f"{out}: cannot tell the output kind from its name; end it in .sqlite, .parquet, .csv "
                      "or .jsonl, or give --format")


def atomic_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` whole: a kill leaves the old file or the new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (``os.write`` may write less than it is given)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def latest_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Path key -> the last row for it (later rows supersede earlier ones)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = path_key(r["path"])
        out.pop(key, None)  # keep insertion order = order of the latest write
        out[key] = dict(r)
    return out


class Writer:
    """Base class: ``previous()`` for resume, ``write(result)`` per file, ``close()`` at the end."""

    format = ""

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False) -> None:
        if mode not in ("new", "resume", "overwrite"):
            raise ValueError(mode)
        self.out = Path(out)
        self.mode = mode
        self.wide = wide
        self.written = 0
        existing = [p for p in self.owned_paths() if p.exists() or p.is_symlink()]
        if existing and mode == "new":
            raise OutputError(f"{existing[0]} exists: add --resume to complete it, or --overwrite to replace it")
        if existing and mode == "overwrite":
            self._remove(existing)

    def owned_paths(self) -> list[Path]:
        return [self.out]

    def _remove(self, paths: list[Path]) -> None:
        for p in paths:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)

    def previous(self) -> dict[str, dict[str, Any]]:
        """Path key -> live ``reports`` row already in the output (empty unless resuming)."""
        return {}

    def discard(self) -> None:
        """Remove what this writer created (after ``close()``): a run that found no input."""
        self._remove([p for p in self.owned_paths() if p.exists() or p.is_symlink()])

    def write(self, result: Result) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



def stem(p: Path) -> str:
    """The name of an output without its kind's extension (``set.csv`` -> ``set``)."""
    name = p.name
    for suf in (".jsonl", ".ndjson", ".csv", ".parquet"):
        if name.lower().endswith(suf):
            return name[: -len(suf)]
    return name
