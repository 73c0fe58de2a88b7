#!/usr/bin/env python3
"""The benchmark of record: accuracy and speed on the fixtures and on a generated corpus.

usage: python benchmarks/run_bench.py [--generate N] [--seed S] [--corpus DIR] [--out FILE]
                                     [--damage N] [--only damage,real]

Scores (1) every fixture with a gold answer (the repository's tests/data and, when present beside
the project, ../shared/fixtures — its real/ folder apart), (2) a generated corpus of N reports
(default 500) in every layout and file kind this machine can produce, (3) N generated documents per
damage kind (default 40: crawler run-on text, converter Markdown, detached labels, a lost cell),
(4) the real published reports of ../shared/fixtures/real when present, then the reader
micro-benchmarks in this folder, and writes everything with machine information to
benchmarks/results/latest.md. ``--only damage,real`` measures those parts alone and replaces their
sections in the existing file, leaving the others as they were.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govreport.bench import run_bench, to_markdown
from govreport.testing import generate_corpus
from govreport.testing.corpus import KINDS, available_kinds
from govreport.testing.damage import DAMAGE_KINDS, generate_damage_corpus, unrecoverable_cells

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.md"
MICRO = ("bench_docx_html.py", "bench_pdf.py")


SHARED = ROOT.parent / "shared" / "fixtures"
REAL = SHARED / "real"  # published reports, scored apart from the development fixtures


def fixture_roots() -> list[Path]:
    roots = [ROOT / "tests" / "data" / "seeds"]
    if SHARED.is_dir():
        roots = sorted(p for p in SHARED.iterdir() if p.is_dir() and p != REAL)
    return roots


def damage_section(n: int, seed: int, folder: Path) -> tuple[str, list[str]]:
    """One line per damage kind: accuracy over every cell of the gold, over the cells a perfect
    reader recovers, and how many of the cells no reader can tell were left blank."""
    rows = ["| damage kind | documents | cell accuracy | cells where the reading is unique | "
            "cells no reader can tell, left blank | documents not read |",
            "|---|---:|---:|---:|---:|---:|"]
    summary = []
    for kind in DAMAGE_KINDS:
        where = folder / kind
        generate_damage_corpus(n, seed, where, kinds=(kind,))
        result = run_bench([where])
        unique = unique_right = unrec = unrec_right = 0
        for doc in result.docs:
            gold = json.loads((where / (doc.doc.split(".")[0] + ".gold.json")).read_text("utf-8"))
            hard = unrecoverable_cells(gold)
            wrong = {w.cell for w in doc.wrong}
            unrec += len(hard)
            unrec_right += sum(c not in wrong for c in hard)
            unique += doc.cells - len(hard)
            unique_right += doc.cells - len(hard) - len(wrong - set(hard))
        rows.append(f"| {kind} | {len(result.docs)} | {100 * result.accuracy:.2f}% ({result.right}/{result.cells}) | "
                    f"{100 * unique_right / max(unique, 1):.2f}% ({unique_right}/{unique}) | "
                    f"{unrec_right}/{unrec} | {len(result.errors)} |")
        summary.append(f"{kind} {100 * result.accuracy:.2f}%")
    text = "\n".join([
        f"## Generated damage: {n} documents per kind, seed {seed}", "",
        f"Made by `python benchmarks/run_bench.py --damage {n} --seed {seed}` "
        "(`govreport.testing.damage`; see docs/benchmarks.md). Measured as read, failures included.", "",
        *rows, ""])
    return text, summary


def real_section() -> tuple[str, str]:
    result = run_bench([REAL])
    # its own sub-headings one level down, so the section can be replaced as a whole
    text = (to_markdown(result, title="Real published reports (../shared/fixtures/real)")
            .replace("\n## ", "\n### ").replace("# ", "## ", 1))
    return text, f"real: {100 * result.accuracy:.3f}% of {result.cells} cells in {len(result.docs)} documents"


def splice(old: str, sections: list[str]) -> str:
    """``old`` with each of ``sections`` in place of the section of the same heading (or appended)."""
    for sec in sections:
        heading = sec.split("\n", 1)[0].split(":")[0].split("(")[0].strip()
        parts = old.split("\n## ")
        for i, part in enumerate(parts):
            if i and ("## " + part).startswith(heading):
                parts[i] = sec.removeprefix("## ").rstrip("\n") + "\n"
                break
        else:
            parts.append(sec.removeprefix("## ").rstrip("\n") + "\n")
        old = "\n## ".join(parts)
    return old


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
    ap.add_argument("--damage", type=int, default=40, help="generated documents per damage kind (default 40)")
    ap.add_argument("--only", default=None, help="comma-separated parts to measure alone: damage, real")
    args = ap.parse_args()

    if args.only:
        only = {p.strip() for p in args.only.split(",") if p.strip()}
        if not only or only - {"damage", "real"}:
            ap.error("--only takes damage and/or real")
        sections = []
        with tempfile.TemporaryDirectory() as tmp:
            if "damage" in only:
                text, summary = damage_section(args.damage, args.seed, Path(tmp))
                sections.append(text)
                print("damage: " + ", ".join(summary))
        if "real" in only and REAL.is_dir():
            text, line = real_section()
            sections.append(text)
            print(line)
        old = args.out.read_text("utf-8") if args.out.exists() else "# govreport benchmark results\n"
        args.out.write_text(splice(old, sections), "utf-8")
        print(f"wrote {args.out}")
        return 0

    fixtures = run_bench(fixture_roots())
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp)
        t0 = time.perf_counter()
        written = generate_corpus(args.generate, args.seed, corpus)
        made = available_kinds()
        missing = [k for k in KINDS if k not in made]
        if missing:
            # the corpus is made of the kinds this machine can make: say which it could not, here
            # and in the results, rather than leave a row out of the tables
            print(f"run_bench: the generated corpus has no {', '.join(missing)} documents: making PDF files "
                  "needs LibreOffice (soffice)", file=sys.stderr)
        gen_s = time.perf_counter() - t0
        generated = run_bench([corpus])
        damage, damage_summary = damage_section(args.damage, args.seed, Path(tmp) / "damage")
    real = real_section() if REAL.is_dir() else None
    parts = [
        "# govreport benchmark results",
        "",
        f"Made by `python benchmarks/run_bench.py --generate {args.generate} --damage {args.damage} --seed {args.seed}`.",
        "",
        to_markdown(fixtures, title="Fixtures with hand-checked gold").replace("# ", "## ", 1),
        to_markdown(generated, title=f"Generated corpus: {len(written)} reports, seed {args.seed} "
                                     f"(generated in {gen_s:.0f} s)").replace("# ", "## ", 1),
        *([f"No {', '.join(missing)} documents in this corpus: LibreOffice (soffice) was not installed.", ""]
          if missing else []),
        damage,
    ]
    if real:
        parts.append(real[0])
    if not args.no_micro:
        parts += ["## Reader micro-benchmarks", "", micro()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(parts), "utf-8")
    print(f"fixtures: {100 * fixtures.accuracy:.3f}% of {fixtures.cells} cells; "
          f"generated: {100 * generated.accuracy:.3f}% of {generated.cells} cells in {len(generated.docs)} documents")
    print("damage: " + ", ".join(damage_summary))
    if real:
        print(real[1])
    print(f"wrote {args.out}")
    return 0 if generated.accuracy >= 0.999 else 1


if __name__ == "__main__":
    sys.exit(main())
