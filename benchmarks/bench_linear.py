"""Does parse time grow linearly with input size? Text, HTML and .docx at 1x, 4x and 16x.

An input of size k is a report's body repeated k times (the way a crawler's page sometimes holds the
same report many times over, or a damaged file repeats a chunk). Linear time means the seconds per
copy stay flat from 1x to 16x; the ratio time(16x)/time(1x) should be near 16, not 256.

    python benchmarks/bench_linear.py [--base 8] [--out benchmarks/results/linear.md]
"""

from __future__ import annotations

import argparse
import copy
import io
import re
import time
from pathlib import Path

import govreport
from govreport.limits import NO_LIMITS

ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "tests" / "data" / "office"
STEM = "bureau-2019-pipe"


def text_of(k: int) -> bytes:
    text = (ROOT / "tests" / "data" / "real").glob("*.txt")
    body = next(iter(sorted(text))).read_text("utf-8")
    return ((body.rstrip("\n") + "\n\n") * k).encode("utf-8")


def html_of(k: int) -> bytes:
    page = (OFFICE / f"{STEM}.html").read_text("utf-8")
    m = re.search(r"(?is)(<body[^>]*>)(.*)(</body>)", page)
    assert m, "the page has a body"
    return (page[: m.start(2)] + m.group(2) * k + page[m.end(2):]).encode("utf-8")


def docx_of(k: int) -> bytes:
    import docx

    d = docx.Document(str(OFFICE / f"{STEM}.docx"))
    body = d.element.body
    items = [el for el in body if not el.tag.endswith("}sectPr")]
    sect = [el for el in body if el.tag.endswith("}sectPr")]
    for el in sect:
        body.remove(el)
    for _ in range(k - 1):
        for el in items:
            body.append(copy.deepcopy(el))
    for el in sect:
        body.append(el)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def timed(data: bytes, name: str) -> float:
    best = None
    for _ in range(2):
        t = time.perf_counter()
        try:
            govreport.parse(data, name=name, limits=NO_LIMITS)
        except govreport.errors.GovReportError:
            pass
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=8, help="copies of the report at 1x")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "linear.md")
    args = ap.parse_args()
    rows = []
    for kind, make in (("text", text_of), ("html", html_of), ("docx", docx_of)):
        first = None
        for mult in (1, 4, 16):
            data = make(args.base * mult)
            s = timed(data, f"{kind}-{mult}x")
            first = first or s
            copies = args.base * mult
            rows.append((kind, mult, copies, len(data) / 2**20, s, s / copies, s / first))
            print(f"{kind:5} {mult:>3}x {copies:4} copies {len(data) / 2**20:7.2f} MB {s:8.2f} s "
                  f"{rows[-1][5]:6.3f} s/copy x{rows[-1][6]:.1f}", flush=True)
    lines = ["# Parse time against input size", "",
             f"Each input is one report's body repeated ({args.base} copies at 1x); best of two runs, "
             "limits off. Linear time: seconds per copy flat, time(16x)/time(1x) near 16 (MB is the "
             "file's size: a .docx is compressed).", "",
             "| kind | size | copies | MB | seconds | s per copy | time / time(1x) |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {k} | {m}x | {c} | {mb:.2f} | {s:.2f} | {spc:.3f} | {r:.1f} |" for k, m, c, mb, s, spc, r in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
