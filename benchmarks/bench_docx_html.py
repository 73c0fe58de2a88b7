#!/usr/bin/env python3
"""Throughput of the docx and HTML readers: reports read per second.

usage: python benchmarks/bench_docx_html.py [--rounds N] [--target R] [DIR ...]

Reads every .docx and .html file in the folders given (default: the office fixtures under
tests/data/office) ``--rounds`` times with ``DocxReader.read`` / ``HtmlReader.read`` on sources
already in memory, and prints reports per second for each reader (best of three runs) with the
mean time per report. Exits 1 when a reader is slower than ``--target`` reports/s (default 50).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from govreport.readers.docx import DocxReader
from govreport.readers.html import HtmlReader
from govreport.source import open_source

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = [ROOT / "tests" / "data" / "office"]


def bench(reader, sources, rounds: int) -> tuple[float, float]:
    """Best-of-three reports/second and mean milliseconds per report."""
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(rounds):
            for src in sources:
                reader.read(src)
        elapsed = time.perf_counter() - t0
        best = max(best, rounds * len(sources) / elapsed)
    return best, 1000.0 / best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--target", type=float, default=50.0)
    a = ap.parse_args()
    files = sorted(p for d in a.dirs for p in d.iterdir() if p.suffix in (".docx", ".html"))
    by_kind: dict[str, list] = {"docx": [], "html": []}
    for p in files:
        src = open_source(p)
        if src.kind in by_kind:
            by_kind[src.kind].append(src)
    ok = True
    for kind, reader in (("docx", DocxReader()), ("html", HtmlReader())):
        sources = by_kind[kind]
        if not sources:
            print(f"{reader.name:5s}: no {kind} files")
            continue
        reader.read(sources[0])  # warm up imports
        rate, ms = bench(reader, sources, a.rounds)
        verdict = "ok" if rate >= a.target else f"BELOW target {a.target:g}"
        print(f"{reader.name:5s}: {rate:7.1f} reports/s ({ms:5.1f} ms/report) over {len(sources)} files "
              f"x {a.rounds} rounds  [{verdict}]")
        ok &= rate >= a.target
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
