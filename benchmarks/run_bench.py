#!/usr/bin/env python3
"""The benchmark of record: accuracy and speed on the fixtures and on a generated corpus.

usage: python benchmarks/run_bench.py [--generate N] [--seed S] [--corpus DIR] [--out FILE]

Scores (1) every fixture with a gold answer (the repository's tests/data and, when present beside
the project, ../shared/fixtures) and (2) a generated corpus of N reports (default 500) in every
layout and file kind this machine can produce, then the reader micro-benchmarks in this folder,
and writes everything with machine information to benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govreport.bench import run_bench, to_markdown
from govreport.testing import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.md"
MICRO = ("bench_docx_html.py", "bench_pdf.py")


def fixture_roots() -> list[Path]:
    roots = [ROOT / "tests" / "data" / "seeds"]
    shared = ROOT.parent / "shared" / "fixtures"
    if shared.is_dir():
        roots = [shared]
    return roots


def micro() -> str:
    out = []
    for name in MICRO:
        script = ROOT / "benchmarks" / name
        if not script.exists():
            continue
        r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=1800)
        out += [f"### {name}", "", "```", (r.stdout + r.stderr).strip(), "```", ""]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--generate", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", type=Path, help="keep the generated corpus here (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--no-micro", action="store_true", help="skip the reader micro-benchmarks")
    args = ap.parse_args()

    fixtures = run_bench(fixture_roots())
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp)
        t0 = time.perf_counter()
        written = generate_corpus(args.generate, args.seed, corpus)
        gen_s = time.perf_counter() - t0
        generated = run_bench([corpus])
    parts = [
        "# govreport benchmark results",
        "",
        f"Made by `python benchmarks/run_bench.py --generate {args.generate} --seed {args.seed}`.",
        "",
        to_markdown(fixtures, title="Fixtures with hand-checked gold").replace("# ", "## ", 1),
        to_markdown(generated, title=f"Generated corpus: {len(written)} reports, seed {args.seed} "
                                     f"(generated in {gen_s:.0f} s)").replace("# ", "## ", 1),
    ]
    if not args.no_micro:
        parts += ["## Reader micro-benchmarks", "", micro()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(parts), "utf-8")
    print(f"fixtures: {100 * fixtures.accuracy:.3f}% of {fixtures.cells} cells; "
          f"generated: {100 * generated.accuracy:.3f}% of {generated.cells} cells in {len(generated.docs)} documents")
    print(f"wrote {args.out}")
    return 0 if generated.accuracy >= 0.999 else 1


if __name__ == "__main__":
    sys.exit(main())
