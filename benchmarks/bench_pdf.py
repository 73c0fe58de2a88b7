"""Benchmark of the PDF reader: its cost against a plain pdfminer layout pass, and its memory.

    python benchmarks/bench_pdf.py [--repeat N] [--pages N] [--naive] [--files PDF ...]

1. Speed. For each PDF (the office fixtures by default), the best of ``--repeat`` runs of the whole
   ``govreport.parse`` (reader, table engine, validation) and of ``PdfReader().read`` alone, against
   the best of as many runs of a plain ``pdfminer.high_level.extract_pages`` pass (default LAParams,
   every page consumed) over the same file, with pages per second. Goal: parse ratio ≤ 1.3.
2. Memory. A ``--pages``-page PDF (default 100) is generated with ``tests/data/pdf/pdfgen.py``: every
   page a ruled table of 40 rows × 9 columns plus prose, i.e. denser than a real report. It is read
   in a fresh process, and that process's peak RSS (VmHWM) is reported; for reference also the peak
   of a process that only imports govreport and pdfminer, and with ``--naive`` of one keeping every
   page of a plain pdfminer pass, as naive code does (slow: minutes). Goal: < 200 MB.

3. Glyph sources (``--sources``, also part of every full run). On the shared PDFs (office fixtures
   and real reports), pages per second, best of ``--source-repeat`` (default 3), of: pdfminer's
   ``extract_pages(laparams=None)`` (its interpretation alone), PDFium's bare character extraction
   through pypdfium2 (every character's text and box: the floor for any PDFium reader), pdfplumber's
   ``extract_tables`` when it is installed (not a dependency; a common alternative), and
   ``govreport.parse`` with each glyph source (``GOVREPORT_PDF_BACKEND``), with their ratios.

Prints the figures; exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "data" / "pdf").glob("*.pdf"))
SHARED = ROOT.parent / "shared" / "fixtures"
SOURCE_FILES = (sorted([*(SHARED / "office").glob("*.pdf"), *(SHARED / "real").glob("*.pdf")]) if SHARED.is_dir()
                else sorted([*FIXTURES, *(ROOT / "tests" / "data" / "real").glob("*.pdf")]))
RATIO_GOAL = 1.3
RSS_GOAL_MB = 200.0


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def speed(files: list[Path], repeat: int) -> list[tuple[str, float, float, float, int]]:
    from pdfminer.high_level import extract_pages

    import govreport

    from govreport.readers.pdf import PdfReader
    from govreport.source import open_source

    reader = PdfReader()
    out = []
    for path in files:
        source = open_source(path)
        pages = reader.read(source).pages or 0  # also warms caches (CMaps, imports)
        govreport.parse(source)

        def plain():
            for _ in extract_pages(path):
                pass

        # alternate the two, so that a change in the machine's load hits both alike
        t_plain = t_read = t_parse = float("inf")
        for _ in range(repeat):
            t_plain = min(t_plain, _best(plain, 1))
            t_read = min(t_read, _best(lambda: reader.read(source), 1))
            t_parse = min(t_parse, _best(lambda: govreport.parse(source), 1))
        out.append((path.name, t_plain, t_read, t_parse, pages))
    return out


def _pdfium_chars(path: Path) -> int:
    """Every character's text and loose box, page by page, through pypdfium2's raw PDFium calls."""
    import ctypes

    import pypdfium2.raw as raw

    data = path.read_bytes()
    buf = ctypes.create_string_buffer(data, len(data))
    doc = raw.FPDF_LoadMemDocument64(buf, len(data), None)
    box = raw.FS_RECTF()
    n = 0
    try:
        for i in range(raw.FPDF_GetPageCount(doc)):
            page = raw.FPDF_LoadPage(doc, i)
            text = raw.FPDFText_LoadPage(page)
            for k in range(raw.FPDFText_CountChars(text)):
                raw.FPDFText_GetUnicode(text, k)
                raw.FPDFText_GetLooseCharBox(text, k, ctypes.byref(box))
            n += raw.FPDFText_CountChars(text)
            raw.FPDFText_ClosePage(text)
            raw.FPDF_ClosePage(page)
    finally:
        raw.FPDF_CloseDocument(doc)
    return n


def _ways() -> list[tuple[str, Any]]:
    """Each way of reading a PDF that :func:`sources` compares, by label; None: not installed."""
    import importlib.util
    import os

    from pdfminer.high_level import extract_pages

    import govreport

    def miner(path: Path) -> None:
        for _ in extract_pages(path, laparams=None):
            pass

    def plumber(path: Path) -> None:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()

    def parse_with(backend: str):
        def run(path: Path) -> None:
            os.environ["GOVREPORT_PDF_BACKEND"] = backend
            govreport.parse(path, reader="pdf")
        return run

    return [("pdfminer extract_pages(laparams=None)", miner),
            ("pypdfium2 characters and boxes (floor)", _pdfium_chars),
            ("pdfplumber extract_tables", plumber if importlib.util.find_spec("pdfplumber") else None),
            ("govreport.parse, pdfminer source", parse_with("pdfminer")),
            ("govreport.parse, pdfium source", parse_with("pdfium"))]


def _time_way(label: str, files: list[Path], repeat: int) -> float | None:
    """Seconds over all ``files`` (best of ``repeat`` per file, after one warm-up read of each) of one way."""
    fn = dict(_ways())[label]
    if fn is None:
        return None
    total = 0.0
    for path in files:
        fn(path)  # warm caches (CMaps, fonts, imports)
        total += _best(lambda: fn(path), repeat)
    return total


def sources(files: list[Path], repeat: int) -> list[tuple[str, float | None]]:
    """Seconds over all ``files`` (best of ``repeat`` per file) of each way of reading them; None: not
    installed. Each way is timed in a process of its own, started for it, as a user runs one of
    them: timed one after the other in one process, each would run in a heap the ones before
    left behind (pdfminer's and pdfplumber's caches, their objects for the collector to walk),
    which slows whichever comes later by a tenth."""
    import json

    out: list[tuple[str, float | None]] = []
    for label, _ in _ways():
        cmd = [sys.executable, __file__, "--time-way", label, "--source-repeat", str(repeat),
               "--files", *map(str, files)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        out.append((label, json.loads(done.stdout.strip().splitlines()[-1])))
    return out


def print_sources(files: list[Path], repeat: int) -> None:
    from pdfminer.pdfpage import PDFPage

    pages = 0
    for path in files:
        with path.open("rb") as fh:
            pages += sum(1 for _ in PDFPage.get_pages(fh))
    rows = sources(files, repeat)
    base = rows[0][1] or 1.0
    print(f"Glyph sources: {len(files)} PDFs, {pages} pages (best of {repeat} per file)")
    print(f"  {'way of reading':42} {'total':>9} {'pages/s':>8} {'vs pdfminer':>11}")
    for label, secs in rows:
        if secs is None:
            print(f"  {label:42} {'not installed':>30}")
            continue
        print(f"  {label:42} {secs * 1000:7.1f}ms {pages / secs:8.1f} {base / secs:10.2f}×")
    times = dict(rows)
    miner, fast = times["govreport.parse, pdfminer source"], times["govreport.parse, pdfium source"]
    if miner and fast:
        print(f"  parse with the pdfium source is {miner / fast:.2f}× as fast as with the pdfminer source")


def generate(pages: int, dest: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests" / "data" / "pdf"))
    from pdfgen import PdfWriter

    w = PdfWriter()
    widths = [120, 48, 48, 48, 48, 48, 48, 48, 48]
    for n in range(pages):
        p = w.page()
        p.text(72, 760, f"第{n + 1}页 政府信息公开工作年度报告（测试）", size=12)
        p.text(72, 740, "本页的表格用于测量读取大量页面时的内存，每页都有一张带框线的表格。", size=10.5)
        cells = {}
        for r in range(40):
            cells[(r, 0)] = f"第{r + 1}项统计指标名称" if r % 3 else f"（{r + 1}）较长的指标名称\n换行部分"
            for c in range(1, 9):
                cells[(r, c)] = "" if (r * c + n) % 7 == 0 else str((r + 1) * (c + 3) * (n % 5 + 1))
        p.table(72, 720, widths, [16] * 40, cells, size=8, pad=3)
        p.text(290, 30, f"- {n + 1} -", size=9)
    path = dest / f"generated-{pages}p.pdf"
    path.write_bytes(w.to_bytes())
    return path


_CHILD = r"""
import sys, time
from pathlib import Path
mode, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if mode == "read":
    from govreport.readers.pdf import PdfReader
    from govreport.source import open_source
    doc = PdfReader().read(open_source(Path(path)))
    info = f"pages={doc.pages} grids={len(doc.grids)} cells={sum(len(r) for g in doc.grids for r in g.rows)}"
elif mode == "pdfminer-list":
    from pdfminer.high_level import extract_pages
    pages = list(extract_pages(path))
    info = f"pages={len(pages)}"
else:
    import govreport.readers.pdf, pdfminer.high_level  # noqa: F401
    info = "imports only"
elapsed = time.perf_counter() - t
# VmHWM: this process's peak RSS (ru_maxrss would carry over the parent's peak across exec)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(hwm / 1024, elapsed, info)
"""


def peak_rss(mode: str, path: Path) -> tuple[float, float, str]:
    r = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path)], capture_output=True, text=True, check=True)
    mb, secs, info = r.stdout.split(" ", 2)
    return float(mb), float(secs), info.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--files", nargs="*", type=Path, default=FIXTURES)
    ap.add_argument("--naive", action="store_true", help="also measure list(extract_pages) on the big PDF (slow)")
    ap.add_argument("--sources", action="store_true", help="only compare the glyph sources (part 3)")
    ap.add_argument("--source-repeat", type=int, default=3)
    ap.add_argument("--time-way", help=argparse.SUPPRESS)  # one way of reading of the comparison, in its own process
    a = ap.parse_args()
    ok = True
    if a.time_way:
        import json

        print(json.dumps(_time_way(a.time_way, a.files, a.source_repeat)))
        return 0
    if a.sources:
        print_sources(SOURCE_FILES, a.source_repeat)
        return 0

    print(f"Speed: govreport.parse and PdfReader.read vs plain pdfminer extract_pages (best of {a.repeat})")
    print(f"  {'file':36} {'pdfminer':>9} {'read':>9} {'parse':>9} {'read×':>6} {'parse×':>6} {'pages/s':>8}")
    rows = speed(a.files, a.repeat)
    for name, t_plain, t_read, t_parse, pages in rows:
        print(f"  {name:36} {t_plain * 1000:7.1f}ms {t_read * 1000:7.1f}ms {t_parse * 1000:7.1f}ms "
              f"{t_read / t_plain:6.2f} {t_parse / t_plain:6.2f} {pages / t_parse:8.1f}")
    total_plain = sum(r[1] for r in rows)
    total_read = sum(r[2] for r in rows)
    total_parse = sum(r[3] for r in rows)
    total_pages = sum(r[4] for r in rows)
    worst = max(r[3] / r[1] for r in rows)
    print(f"  {'all files':36} {total_plain * 1000:7.1f}ms {total_read * 1000:7.1f}ms {total_parse * 1000:7.1f}ms "
          f"{total_read / total_plain:6.2f} {total_parse / total_plain:6.2f} {total_pages / total_parse:8.1f}"
          f"   (worst file, parse: {worst:.2f}; goal <= {RATIO_GOAL})")
    ok &= worst <= RATIO_GOAL

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = generate(a.pages, Path(tmp))
        print(f"\nMemory: generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f}s")
        base, _, _ = peak_rss("imports", path)
        peak, t_peak, info = peak_rss("read", path)
        print(f"  peak RSS, imports only:                   {base:7.1f} MB")
        if a.naive:
            naive, t_naive, _ = peak_rss("pdfminer-list", path)
            print(f"  peak RSS, list(extract_pages) (naive):    {naive:7.1f} MB  ({t_naive:.1f}s)")
        print(f"  peak RSS, PdfReader.read:                 {peak:7.1f} MB  ({t_peak:.1f}s; {info})   goal < {RSS_GOAL_MB:.0f} MB")
        ok &= peak < RSS_GOAL_MB
    print()
    print_sources(SOURCE_FILES, a.source_repeat)
    print("\nall goals met" if ok else "\nGOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
