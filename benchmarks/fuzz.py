"""Fuzzing govreport.parse with damaged copies of the test documents, and counting what happens.

Pool mode (the default): each input is parsed in a worker process under an address-space limit
and a deadline; a worker that dies is a crash, one that does not answer in time a hang, and a
worker is started afresh after either. Every outcome is counted:

  report      a report came back
  typed       a govreport.errors error (counted by class)
  untyped     any other exception escaped parse            (must be 0)
  hang        no answer within --timeout seconds          (must be 0)
  crash       the worker died (a signal, an abort)         (must be 0)
  network     a socket was asked for (Python's socket module is refused in the worker, and
              ONNX Runtime's telemetry switch is checked)    (must be 0)

Soak mode (--soak): every input parsed in this one process, one after another, recording how the
resident memory grows.

Input number i is the same damaged document on every run (seeded by --seed and i): a failure is
replayed with --replay i. Results go to benchmarks/results/fuzz-<mode>.json and are summed up in
benchmarks/results/fuzz.md.

    python benchmarks/fuzz.py --count 10000 --workers 2
    python benchmarks/fuzz.py --soak --count 10000
    python benchmarks/fuzz.py --replay 1234
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import select
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "tests" / "data"
SEED_GLOBS = ("office/*.docx", "office/*.html", "office/*.rtf", "pdf/*.pdf", "real/*.txt", "legacy/*", "markdown/*",
              "hostile/*.html", "hostile/*.rtf", "hostile/*.docx", "hostile/*.txt", "hostile/*.pdf")
MAX_SEED_BYTES = 500_000


def seeds() -> list[Path]:
    out = []
    for g in SEED_GLOBS:
        for p in sorted(DATA.glob(g)):
            if p.is_file() and not p.name.endswith(".json") and p.stat().st_size <= MAX_SEED_BYTES:
                out.append(p)
    if not out:
        sys.exit(f"no seed documents under {DATA}")
    return out


def make_input(i: int, seed: int, files: list[Path]) -> tuple[bytes, str, tuple[str, ...]]:
    from govreport.testing.mutate import mutate

    rng = random.Random(seed * 1_000_003 + i)
    src = files[rng.randrange(len(files))]
    data, how = mutate(src.read_bytes(), rng)
    return data, src.name, how


# -- the worker ---------------------------------------------------------------------------------


def worker(seed: int, mem_mb: int, seconds: float) -> None:
    """Read input numbers on stdin; answer one JSON line each."""
    if mem_mb:
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 2**20,) * 2)
    import socket

    calls: list[str] = []

    def refuse(*a, **k):
        calls.append(repr(a[:2])[:80])
        raise OSError("govreport fuzz: network use is forbidden")

    socket.socket.connect = socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.getaddrinfo = socket.gethostbyname = socket.create_connection = refuse  # type: ignore[assignment]

    import govreport
    from govreport.limits import Limits

    files = seeds()
    limits = Limits(seconds=seconds)
    for line in sys.stdin:
        i = int(line)
        data, src, how = make_input(i, seed, files)
        t = time.monotonic()
        before = len(calls)
        try:
            govreport.parse(data, name=f"fuzz-{i}", limits=limits)
            out = {"outcome": "report"}
        except govreport.errors.GovReportError as e:
            out = {"outcome": "typed", "type": type(e).__name__}
            if isinstance(e, govreport.errors.ReaderError):  # a reader's own failure: kept to look at
                out["message"] = str(e)[:300]
        except BaseException as e:  # noqa: BLE001 - counting exactly these
            out = {"outcome": "untyped", "type": type(e).__name__, "message": str(e)[:300]}
        if len(calls) > before or os.environ.get("ORT_DISABLE_TELEMETRY", "1") != "1":
            out = {"outcome": "network", "calls": calls[before:]}
        out.update(i=i, src=src, how=how, seconds=round(time.monotonic() - t, 3))
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


class Worker:
    def __init__(self, args) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--seed", str(args.seed), "--mem", str(args.mem),
             "--parse-seconds", str(args.parse_seconds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.job: int | None = None
        self.started = 0.0

    def send(self, i: int) -> None:
        self.job, self.started = i, time.monotonic()
        self.proc.stdin.write(f"{i}\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def run_pool(args) -> dict:
    files = seeds()
    todo = list(range(args.start, args.start + args.count))
    workers = [Worker(args) for _ in range(args.workers)]
    counts: Counter[str] = Counter()
    types: Counter[str] = Counter()
    bad: list[dict] = []
    slowest: list[tuple[float, int]] = []
    done = 0
    t0 = time.monotonic()

    def summary() -> dict:
        slowest.sort(reverse=True)
        del slowest[10:]
        return {
            "mode": "pool", "inputs": done, "seed": args.seed, "start": args.start, "workers": args.workers,
            "worker_memory_mb": args.mem, "timeout_s": args.timeout, "parse_limit_s": args.parse_seconds,
            "seed_documents": len(files), "seconds": round(time.monotonic() - t0, 1),
            "outcomes": {k: counts.get(k, 0) for k in ("report", "typed", "untyped", "hang", "crash", "network")},
            "typed_errors": dict(types.most_common()), "failures": bad[:200],
            "slowest": [{"i": i, "seconds": s} for s, i in slowest],
        }

    while todo or any(w.job is not None for w in workers):
        for w in workers:
            if w.job is None and todo:
                w.send(todo.pop(0))
        busy = {w.proc.stdout: w for w in workers if w.job is not None}
        ready, _, _ = select.select(list(busy), [], [], 0.5)
        for f in ready:
            w = busy[f]
            line = f.readline()
            if not line:  # the worker died
                w.proc.wait()
                _, src, how = make_input(w.job, args.seed, files)
                bad.append({"outcome": "crash", "i": w.job, "src": src, "how": how, "code": w.proc.returncode})
                counts["crash"] += 1
                workers[workers.index(w)] = Worker(args)
            else:
                r = json.loads(line)
                counts[r["outcome"]] += 1
                if r["outcome"] == "typed":
                    types[r["type"]] += 1
                    if "message" in r:
                        bad.append(r)  # a ReaderError: typed, but a reader failed on its own
                elif r["outcome"] != "report":
                    bad.append(r)
                slowest.append((r["seconds"], r["i"]))
                w.job = None
            done += 1
        for k, w in enumerate(workers):
            if w.job is not None and time.monotonic() - w.started > args.timeout:
                _, src, how = make_input(w.job, args.seed, files)
                bad.append({"outcome": "hang", "i": w.job, "src": src, "how": how})
                counts["hang"] += 1
                w.kill()
                workers[k] = Worker(args)
                done += 1
        if args.progress and done and done % args.progress == 0:
            print(f"{done} inputs, {dict(counts)}", file=sys.stderr, flush=True)
            save(summary(), args)  # a run cut short still leaves its counts
    for w in workers:
        w.kill()
    return summary()


def run_soak(args) -> dict:
    import govreport
    from govreport.guard import rss
    from govreport.limits import Limits

    files = seeds()
    limits = Limits(seconds=args.parse_seconds)
    counts: Counter[str] = Counter()
    samples = []
    t0 = time.monotonic()
    bad = []
    for n, i in enumerate(range(args.start, args.start + args.count), 1):
        data, src, how = make_input(i, args.seed, files)
        try:
            govreport.parse(data, name=f"fuzz-{i}", limits=limits)
            counts["report"] += 1
        except govreport.errors.GovReportError:
            counts["typed"] += 1
        except BaseException as e:  # noqa: BLE001
            counts["untyped"] += 1
            bad.append({"i": i, "src": src, "how": how, "type": type(e).__name__, "message": str(e)[:300]})
        if n == 1 or n % 250 == 0:
            samples.append({"inputs": n, "rss_mb": round((rss() or 0) / 2**20, 1)})
            if args.progress:
                print(samples[-1], dict(counts), file=sys.stderr, flush=True)
            save({"mode": "soak", "inputs": n, "seed": args.seed, "start": args.start, "partial": True,
                  "seconds": round(time.monotonic() - t0, 1), "outcomes": dict(counts), "failures": bad[:200],
                  "rss_mb": samples}, args)
    first = samples[min(1, len(samples) - 1)]["rss_mb"]  # after warm-up (models, caches)
    return {
        "mode": "soak", "inputs": args.count, "seed": args.seed, "start": args.start,
        "seconds": round(time.monotonic() - t0, 1), "outcomes": dict(counts), "failures": bad[:200],
        "rss_mb": samples, "rss_growth_after_warmup_mb": round(samples[-1]["rss_mb"] - first, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--start", type=int, default=0, help="first input number")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mem", type=int, default=2048, help="worker address-space limit, MB")
    ap.add_argument("--timeout", type=float, default=90.0,
                    help="seconds before a worker counts as hung (the parse limit, plus time for a native call to return)")
    ap.add_argument("--parse-seconds", type=float, default=20.0, help="the time limit given to parse")
    ap.add_argument("--soak", action="store_true", help="all inputs in this one process")
    ap.add_argument("--replay", type=int, help="parse input number N here and show what happens")
    ap.add_argument("--progress", type=int, default=500)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.worker:
        return worker(args.seed, args.mem, args.parse_seconds)
    if args.replay is not None:
        import govreport

        data, src, how = make_input(args.replay, args.seed, seeds())
        print(f"input {args.replay}: {src} damaged by {', '.join(how)} ({len(data)} bytes)")
        print(govreport.parse(data, name=f"fuzz-{args.replay}"))
        return
    result = run_soak(args) if args.soak else run_pool(args)
    save(result, args)
    print(json.dumps({k: v for k, v in result.items() if k not in ("failures", "rss_mb")}, indent=1))


def save(result: dict, args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.out or RESULTS / f"fuzz-{result['mode']}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
