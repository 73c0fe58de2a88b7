#!/usr/bin/env python3
"""Throughput of `govreport extract`: input files per second, end to end.

usage: python benchmarks/bench_extract.py [--copies N] [--jobs 1 2 ...] [--format sqlite|parquet|csv|jsonl]

Makes ``--copies`` distinct copies of each bundled seed report (a different last line each, so no
two share a hash and every one is parsed) in a temporary folder, runs the whole batch —
discovery, hashing, worker processes, writing the output — once per ``--jobs`` value, and prints
files per second and the mean parse time per file. The worker start-up is included, as a user
would see it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from govreport.batch.dataset import write_dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))


def make_corpus(folder: Path, copies: int) -> int:
    n = 0
    for i in range(copies):
        for s in SEEDS:
            (folder / f"{i:04d}-{s.name}").write_text(s.read_text(encoding="utf-8") + f"\n（副本 {i}）\n",
                                                      encoding="utf-8")
            n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=60, help="copies of each seed (default 60: 300 files)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="sqlite", choices=("sqlite", "parquet", "csv", "jsonl"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        n = make_corpus(corpus, args.copies)
        print(f"{n} files ({len(SEEDS)} seeds x {args.copies}), output {args.format}")
        for jobs in args.jobs:
            out = Path(tmp) / f"out-{jobs}.{args.format}"
            t0 = time.perf_counter()
            s = write_dataset([corpus], out, jobs=jobs)
            elapsed = time.perf_counter() - t0
            assert s.ok == n, s.text()
            from govreport.batch import to_frame

            try:
                mean = to_frame(out).reports["parse_seconds"].mean() * 1000
                extra = f", mean parse {mean:.1f} ms/file in a worker"
            except Exception:
                extra = ""
            print(f"--jobs {jobs}: {n / elapsed:6.1f} files/s ({elapsed:.2f} s){extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
