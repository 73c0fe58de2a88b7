"""Killing a real `govreport extract` run with SIGKILL mid-run: the output opens and holds every
report finished before the kill, and `--resume` completes it, reading only what is missing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_extract import SEEDS, make_corpus

N_COPIES = 16  # × 5 seeds
HARNESS = ("import sys, argparse; from govreport.batch import cli; ap = argparse.ArgumentParser(); "
           "sub = ap.add_subparsers(); cli.register(sub); a = ap.parse_args(sys.argv[1:]); sys.exit(a.func(a))")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def raw_count(out: Path, fmt: str) -> int:
    """Reports rows as a plain reader of that kind sees them (no govreport code)."""
    if fmt == "sqlite":
        if not out.exists():
            return 0
        db = sqlite3.connect(f"file:{out}?mode=ro", uri=True, timeout=10)
        try:
            return db.execute("SELECT count(*) FROM reports").fetchone()[0]
        except sqlite3.OperationalError:
            return 0
        finally:
            db.close()
    if fmt == "jsonl":
        if not out.exists():
            return 0
        n = 0
        for line in out.read_bytes().split(b"\n"):
            try:
                json.loads(line)
                n += 1
            except ValueError:
                pass
        return n
    if fmt == "csv":
        p = out.with_name(out.stem + ".reports.csv")
        return max(0, p.read_bytes().count(b"\n") - 1) if p.exists() else 0
    # parquet: flushed parts plus the journal's complete lines
    n = 0
    if (out / "reports").is_dir():
        import pyarrow.parquet as pq

        for p in (out / "reports").glob("part-*.parquet"):
            n += pq.ParquetFile(p).metadata.num_rows
    j = out / "_journal.jsonl"
    if j.exists():
        n += j.read_bytes().count(b"\n")
    return n


def _children(pid: int) -> list[int]:
    out = []
    for t in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(x) for x in t.read_text().split()]
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and /proc")
@pytest.mark.parametrize("fmt", ["sqlite", "parquet", "jsonl", "csv"])
def test_sigkill_mid_run_then_resume(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    from govreport.batch import to_frame

    corpus = make_corpus(tmp_path / "in", N_COPIES)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    total = len(corpus) + 1
    out = tmp_path / f"out.{fmt}"
    cmd = [sys.executable, "-c", HARNESS, "extract", str(tmp_path / "in"), "--out", str(out), "--jobs", "2",
           "--batch-size", "7", "--progress", "log"]
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid) or workers
        seen = raw_count(out, fmt)
        if seen >= 15:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    assert 15 <= seen < total

    # the worker processes die with their parent
    t0 = time.monotonic()
    while any(_alive(w) for w in workers) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)

    # the killed output opens, with every report finished before the kill
    after_kill = raw_count(out, fmt)
    assert after_kill >= seen
    fr = to_frame(out)
    assert len(fr.reports) >= seen and fr.reports["path"].is_unique
    assert set(fr.cells["report_id"]) <= set(fr.reports["report_id"].dropna())
    done_before = set(fr.reports["path"])
    if fmt == "sqlite":
        db = sqlite3.connect(out)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()

    # resume reads only what is missing, and completes the output
    res = subprocess.run(cmd + ["--resume"], env=_env(), capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr  # 2: empty.txt failed (its row is in the output)
    log = res.stderr
    assert f"{len(done_before)} already done" in log or f"skipped {len(done_before)}" in log, log
    fr = to_frame(out)
    assert len(fr.reports) == total and fr.reports["path"].is_unique
    assert (fr.reports["status"] == "ok").sum() == len(corpus)
    assert fr.reports.loc[fr.reports.status == "error", "error_type"].tolist() == ["EmptyInput"]
    per_report = fr.cells.groupby("report_id").size()
    assert len(per_report) == len(corpus) and not fr.cells.duplicated(["report_id", "cell"]).any()
    import govreport

    expected = N_COPIES * sum(len(list(govreport.parse(seed).cells())) for seed in SEEDS)
    assert len(fr.cells) == expected
    assert raw_count(out, fmt) == total  # a plain reader of the kind sees the whole dataset too


@pytest.mark.skipif(sys.platform != "linux", reason="signals")
def test_sigterm_closes_the_output_cleanly(tmp_path):
    pytest.importorskip("pyarrow")
    make_corpus(tmp_path / "in", N_COPIES)
    out = tmp_path / "out.parquet"
    cmd = [sys.executable, "-c", HARNESS, "extract", str(tmp_path / "in"), "--out", str(out), "--jobs", "2",
           "--progress", "log"]
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and raw_count(out, "parquet") < 10:
        time.sleep(0.05)
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 130, err
    assert "--resume" in err
    # closed cleanly: the journal was flushed into parts that any Parquet reader sees
    assert not (out / "_journal.jsonl").exists()
    import pyarrow.parquet as pq

    n = pq.read_table(out / "reports").num_rows
    assert 10 <= n < N_COPIES * len(SEEDS)
