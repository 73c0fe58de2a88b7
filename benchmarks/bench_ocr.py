"""Benchmark of the OCR reader: cell accuracy on generated scans and on the scanned fixture,
seconds per page on one core, peak memory.

    python benchmarks/bench_ocr.py                 # 50 generated scans + the fixture, 2 processes
    python benchmarks/bench_ocr.py --n 10 --jobs 1 --markdown benchmarks/results/ocr.md

Each document is read in its own worker process with ONNX Runtime held to one thread
(``GOVREPORT_OCR_THREADS=1``), so "seconds per page" is the CPU time of one core; ``--jobs``
only runs several documents side by side. The worker loads the OCR models before it starts the
clock, as a batch worker loads them once for all its documents; the load is reported apart. The scans come from ``tests/data/scans/scangen.py``
(random valid reports typeset on A4 and degraded by its noise model: skew up to ±2°, 150/200/300
dpi, blur, noise, JPEG, red stamps, colour or grey, ruled or unruled tables); every third one is
written as a multi-page TIFF instead of a PDF. A cell is correct when value and blank-ness both
match the report it was generated from (FORMAT.md §9); a table is found when any of its cells was
read. Needs the ``ocr`` extra and a Chinese font (fonts-wqy-microhei) to typeset the scans.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "scans"))
FIXTURE = ROOT / "tests" / "data" / "scans" / "qingquan-2019-ocr.pdf"
TABLES = ("active_disclosure", "applications", "review_litigation")


def _registry():
    """The installed readers, with the OCR reader added when its entry point is not (yet) declared."""
    from importlib import metadata

    from govreport.readers.ocr import OcrReader
    from govreport.registry import GROUP, ReaderInfo, Registry, load_registry

    reg = load_registry([ep for ep in metadata.entry_points(group=GROUP)])
    if any(i.name == "ocr" for i in reg.readers):
        return reg
    info = ReaderInfo(name="ocr", version=OcrReader.version, kinds=OcrReader.kinds, distribution="govreport",
                      builtin=True, reader=OcrReader())
    return Registry(readers=reg.readers + (info,), problems=reg.problems)


def score(got: dict, gold: dict) -> dict:
    cells = correct = 0
    wrong = []
    found = {}
    for t in TABLES:
        g_table, r_table = gold.get(t) or {}, got.get(t) or {}
        found[t] = bool(r_table) and any(v is not None for cols in r_table.values() for v in cols.values())
        for row, cols in g_table.items():
            for col, v in cols.items():
                cells += 1
                r = (r_table.get(row) or {}).get(col, "missing")
                if r == v:
                    correct += 1
                else:
                    wrong.append(f"{t}/{row}/{col}: {r!r} for {v!r}")
    return {"cells": cells, "correct": correct, "wrong": wrong, "tables_found": sum(found.values()),
            "tables": len(TABLES), "meta_ok": got.get("meta") == gold.get("meta")}


def _make(task: tuple) -> tuple[str, str, str]:
    """Typeset and degrade one generated scan; returns its path, gold path and a name."""
    import scangen

    seed, tmp = task
    pages, gold, dpi = scangen.scan(seed)
    path = Path(tmp) / f"scan-{seed}.{'tif' if seed % 3 == 2 else 'pdf'}"
    (scangen.write_tiff if path.suffix == ".tif" else scangen.write_pdf)(pages, path, dpi)
    gold_path = path.with_suffix(".gold.json")
    gold_path.write_text(json.dumps(gold, ensure_ascii=False))
    layout = "ruled" if scangen.ruled(seed) else "unruled"
    return str(path), str(gold_path), f"generated seed {seed} ({dpi} dpi, {path.suffix[1:]}, {layout})"


def _run(task: tuple) -> dict:
    """Read one document in a fresh worker (its peak memory is this document's) and score it."""
    os.environ["GOVREPORT_OCR_THREADS"] = "1"
    kind, path, gold_path, name = task
    import govreport

    gold = json.loads(Path(gold_path).read_text())
    reg = _registry()
    # the models are loaded before the clock starts, as a batch worker loads them once for every
    # document it reads (default_engine() is process-wide); the load is reported on its own
    from govreport.readers.ocr.engine import default_engine

    l0 = time.process_time()
    default_engine()
    load = time.process_time() - l0
    t0 = time.process_time()
    w0 = time.perf_counter()
    try:
        report = govreport.parse(path, registry=reg)
        got = report.to_dict(full=False)
        pages = report.pages or 1
        reader = report.reader
    except govreport.errors.GovReportError as exc:
        got, pages, reader = {}, 1, f"error: {type(exc).__name__}: {exc}"
    cpu = time.process_time() - t0
    wall = time.perf_counter() - w0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (Linux reports KiB)
    out = score(got, gold)
    out.update(name=name, kind=kind, pages=pages, cpu=cpu, wall=wall, peak_mib=rss, reader=reader, load=load)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=50, help="generated scans (default 50)")
    ap.add_argument("--seed", type=int, default=1000, help="first seed (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="documents read side by side (default 2)")
    ap.add_argument("--markdown", type=Path, help="write the results as Markdown here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            made = list(pool.map(_make, [(args.seed + i, tmp) for i in range(args.n)]))
        fixture_gold = FIXTURE.with_name(FIXTURE.name.rsplit(".", 1)[0] + ".gold.json")
        tasks = [("fixture", str(FIXTURE), str(fixture_gold), FIXTURE.name)]
        tasks += [("generated", path, gold, name) for path, gold, name in made]
        results = []
        # a fresh process per document: its peak memory is that document's alone
        with ProcessPoolExecutor(max_workers=args.jobs, max_tasks_per_child=1) as pool:
            for r in pool.map(_run, tasks):
                results.append(r)
                acc = r["correct"] / r["cells"] if r["cells"] else 0
                print(f"{r['name']}: {r['correct']}/{r['cells']} cells ({acc:.1%}), {r['tables_found']}/3 tables, "
                      f"{r['pages']} pages, {r['cpu'] / r['pages']:.1f} s/page, {r['peak_mib']:.0f} MiB"
                      + ("" if r["reader"] == "ocr" else f" [{r['reader']}]"), flush=True)
                for w in r["wrong"][:8]:
                    print(f"    {w}")
    text = report(results)
    print(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text)
    return 0


def report(results: list[dict]) -> str:
    gen = [r for r in results if r["kind"] == "generated"]
    fix = [r for r in results if r["kind"] == "fixture"]

    def line(rs: list[dict], what: str) -> str:
        cells = sum(r["cells"] for r in rs)
        correct = sum(r["correct"] for r in rs)
        tables = sum(r["tables_found"] for r in rs)
        perfect = sum(1 for r in rs if r["correct"] == r["cells"])
        pages = sum(r["pages"] for r in rs)
        per_page = [r["cpu"] / r["pages"] for r in rs]
        return (f"| {what} | {len(rs)} | {pages} | {correct}/{cells} = {correct / max(cells, 1):.2%} | "
                f"{tables}/{3 * len(rs)} | {perfect}/{len(rs)} | {sum(r['meta_ok'] for r in rs)}/{len(rs)} | "
                f"{statistics.mean(per_page):.2f} (max {max(per_page):.2f}) | {max(r['peak_mib'] for r in rs):.0f} | "
                f"{statistics.mean(r['load'] for r in rs):.2f} |")

    out = [
        "# OCR reader benchmark",
        "",
        "Produced by `python benchmarks/bench_ocr.py` (see its docstring for the scans' noise model).",
        "Seconds are CPU seconds of one core per page (ONNX Runtime held to one thread), the models",
        "loaded beforehand (their load, once per process, is the last column); peak memory is the",
        "largest resident set of one worker process reading one document.",
        "",
        "| documents | n | pages | cells correct | tables found | documents exact | meta exact | s/page | peak MiB | load s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    if gen:
        out.append(line(gen, "generated scans"))
        for layout in ("ruled", "unruled"):
            part = [r for r in gen if r["name"].endswith(f", {layout})")]
            if part:
                out.append(line(part, f"… tables {'with' if layout == 'ruled' else 'without'} rules"))
    if fix:
        out.append(line(fix, "fixture qingquan-2019-ocr.pdf"))
    misses = [(r["name"], w) for r in results for w in r["wrong"]]
    if misses:
        out += ["", f"Cells read wrong ({len(misses)}):", ""]
        out += [f"- {name}: {w}" for name, w in misses[:60]]
        if len(misses) > 60:
            out.append(f"- … and {len(misses) - 60} more")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
