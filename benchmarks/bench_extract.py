#!/usr/bin/env python3
"""Throughput of `govreport extract`: input files per second, end to end, and how --jobs scales.

usage: python benchmarks/bench_extract.py [--copies N] [--jobs 1 2 ...] [--format sqlite|parquet|csv|jsonl]
                                          [--kinds text docx html pdf] [--repeat R]

Builds a mixed corpus in a temporary folder: ``--copies`` distinct copies of every bundled report
of the chosen kinds — the seeds (text), the Word files, the web pages and the PDFs of the fixtures
(default 8 copies of 28 reports: 224 files). Each copy differs from every other in a way readers
ignore, so that no two share a hash and every one is parsed: a last line (text), an HTML comment
(web pages), a zip archive comment (Word), an incremental update adding an object nothing refers
to (PDF). Scans are left out: OCR takes seconds a page and would measure the OCR engine, not the
batch. Before timing, the first copy of each report is read and checked to give the same cells as
the report itself; after the first run, every copy in the output is checked to hold its report's
cells.

It then runs the whole batch — discovery, hashing, starting the workers, parsing, writing the
output — once per ``--jobs`` value (``--repeat`` times, alternating), and prints files per second,
the ratio of the last ``--jobs`` value's rate to the first's (best runs), the load average before
each run, and CPU seconds: of the parent process (what the batch costs besides parsing; its share
of one core is its CPU time over the wall time), of the worker processes, and of every other
process on the machine during the run (Linux: from /proc/stat).

The ratio of wall times is only meaningful when no one else uses the cores: the other processes'
CPU seconds say whether they did.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from govreport.batch.dataset import write_dataset
from govreport.batch.outputs.tables import read_tables
from govreport.batch.work import process_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
#: Reports per kind: (kind, files). The seeds of the other kinds are the same reports as the text ones.
SOURCES: dict[str, list[Path]] = {
    "text": sorted((DATA / "seeds").glob("*.txt")),
    "docx": sorted((DATA / "office").glob("*.docx")),
    "html": sorted((DATA / "office").glob("*.html")),
    "pdf": sorted((DATA / "pdf").glob("*.pdf")),
}


def _text_copy(src: Path, dst: Path, i: int) -> None:
    dst.write_text(src.read_text(encoding="utf-8") + f"\n（副本 {i}）\n", encoding="utf-8")


def _html_copy(src: Path, dst: Path, i: int) -> None:
    # ASCII after the last tag: whatever the page's encoding (GBK pages too), it stays readable
    dst.write_bytes(src.read_bytes() + f"\n<!-- copy {i} -->\n".encode("ascii"))


def _docx_copy(src: Path, dst: Path, i: int) -> None:
    dst.write_bytes(src.read_bytes())
    with zipfile.ZipFile(dst, "a") as z:  # the archive comment: no part of the document
        z.comment = f"copy {i}".encode("ascii")


_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$", re.S)


def _pdf_copy(src: Path, dst: Path, i: int) -> None:
    """An incremental update that adds one object nothing refers to (the trailer keeps its root
    and info); a PDF without a classic trailer gets a comment after its end instead."""
    data = src.read_bytes()
    m = _TRAILER.search(data[-4096:])
    size = re.search(rb"/Size\s+(\d+)", m.group(1)) if m else None
    if m is None or size is None:
        dst.write_bytes(data + f"\n%copy {i}\n".encode("ascii"))
        return
    keep = b"".join(re.findall(rb"/(?:Root|Info)\s+\d+\s+\d+\s+R", m.group(1)))
    n = int(size.group(1))
    body = data if data.endswith(b"\n") else data + b"\n"
    obj_at = len(body)
    obj = f"{n} 0 obj\n(copy {i})\nendobj\n".encode("ascii")
    xref_at = obj_at + len(obj)
    tail = (f"xref\n{n} 1\n{obj_at:010d} 00000 n\r\ntrailer\n<</Size {n + 1}".encode("ascii") + keep
            + f"/Prev {int(m.group(2))}>>\nstartxref\n{xref_at}\n%%EOF\n".encode("ascii"))
    dst.write_bytes(body + obj + tail)


COPY: dict[str, Callable[[Path, Path, int], None]] = {
    "text": _text_copy, "html": _html_copy, "docx": _docx_copy, "pdf": _pdf_copy,
}


def _cells(payload: dict) -> list[tuple]:
    return sorted((c["cell"], c["value"], c["raw"]) for c in payload["cells"])


def make_corpus(folder: Path, copies: int, kinds: tuple[str, ...] = ("text",)) -> int:
    """Write ``copies`` distinct copies of every report of ``kinds`` into ``folder``; returns the count."""
    n = 0
    for i in range(copies):
        for kind in kinds:
            for s in SOURCES[kind]:
                COPY[kind](s, folder / f"{i:04d}-{s.name}", i)
                n += 1
    return n


def check_copies(folder: Path, kinds: tuple[str, ...]) -> None:
    """The first copy of each report reads to the same cells as the report."""
    for kind in kinds:
        for s in SOURCES[kind]:
            a, b = process_file(str(s)), process_file(str(folder / f"0000-{s.name}"))
            if b["row"]["status"] != "ok" or _cells(a) != _cells(b):
                raise SystemExit(f"the copy of {s.name} does not read like the report: {b['row']}")


def check_output(out: Path, fmt: str) -> None:
    """Every copy in the output holds its report's cells (the copies differ only where no reader looks)."""
    reports, cells, _ = read_tables(out, fmt)
    by_id: dict[str, list[tuple]] = {}
    for c in cells:
        by_id.setdefault(c["report_id"], []).append((c["cell"], c["value"], c["raw"]))
    seen: dict[str, list[tuple]] = {}
    for r in reports:
        name = Path(r["path"]).name.split("-", 1)[1]
        got = sorted(by_id.get(r["report_id"], []))
        if seen.setdefault(name, got) != got:
            raise SystemExit(f"{r['path']}: its cells differ from those of the other copies of {name}")


def _machine_busy() -> float | None:
    """CPU seconds every process on the machine has used since boot (Linux), to tell how much of
    a run's cores went to other people's work."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # all but idle and iowait (guest time is in user already)
    return busy / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(corpus: Path, out: Path, jobs: int, n: int) -> dict[str, float]:
    load = os.getloadavg()[0]
    busy0, child0, cpu0, t0 = _machine_busy(), _children_cpu(), time.process_time(), time.perf_counter()
    s = write_dataset([corpus], out, jobs=jobs)
    wall = time.perf_counter() - t0
    parent = time.process_time() - cpu0
    workers = _children_cpu() - child0  # the workers are waited for before write_dataset returns
    busy1 = _machine_busy()
    others = None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - parent - workers)
    assert s.ok == n, s.text()
    return {"wall": wall, "rate": n / wall, "parent": parent, "workers": workers, "load": load,
            "others": others}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=8, help="copies of each report (default 8: 224 files)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--format", default="sqlite", choices=("sqlite", "parquet", "csv", "jsonl"))
    ap.add_argument("--kinds", nargs="+", default=list(SOURCES), choices=list(SOURCES),
                    help="kinds of report in the corpus (default: all four)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per --jobs value, alternating (default 1)")
    args = ap.parse_args()
    kinds = tuple(args.kinds)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        n = make_corpus(corpus, args.copies, kinds)
        check_copies(corpus, kinds)
        per_kind = ", ".join(f"{len(SOURCES[k]) * args.copies} {k}" for k in kinds)
        print(f"{n} files ({per_kind}), output {args.format}, {os.cpu_count()} cores")
        best: dict[int, dict[str, float]] = {}
        for r in range(args.repeat):
            for jobs in args.jobs:
                out = Path(tmp) / f"out-{jobs}-{r}.{args.format}"
                m = run(corpus, out, jobs, n)
                if r == 0 and jobs == args.jobs[0]:
                    check_output(out, args.format)
                print(f"--jobs {jobs}: {m['rate']:6.1f} files/s ({m['wall']:.2f} s, load {m['load']:.2f}); "
                      f"CPU s: parent {m['parent']:.2f} ({1000 * m['parent'] / n:.1f} ms/file, "
                      f"{100 * m['parent'] / m['wall']:.0f}% of a core), workers {m['workers']:.2f} "
                      f"({1000 * m['workers'] / n:.1f} ms/file)"
                      + ("" if m["others"] is None else
                         f"; other processes {m['others']:.1f} CPU s ({100 * m['others'] / m['wall']:.0f}% of a core)"))
                if jobs not in best or m["rate"] > best[jobs]["rate"]:
                    best[jobs] = m
        if len(args.jobs) > 1:
            a, b = args.jobs[0], args.jobs[-1]
            print(f"--jobs {b} / --jobs {a}: {best[b]['rate'] / best[a]['rate']:.2f}x (best runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
