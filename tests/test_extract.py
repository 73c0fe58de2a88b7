"""Batch extraction: inputs, the Python API, the four output kinds, resume, bad inputs, time and
memory limits, the `extract` command and its progress output."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

import govreport
from govreport.batch import FileTooLarge, TimedOut, WorkerCrashed, extract
from govreport.batch import cli as batch_cli
from govreport.batch import inputs as batch_inputs
from govreport.batch.dataset import write_dataset
from govreport.batch.inputs import discover
from govreport.batch.progress import Progress
from govreport.batch.schema import CELLS, FINDINGS, REPORTS, canonical_cells, names
from govreport.batch.work import process_file
from govreport.errors import EmptyInput, GovReportError, MissingDependency

ROOT = Path(__file__).resolve().parent
SEEDS = sorted((ROOT / "data" / "seeds").glob("*.txt"))
OFFICE = Path(__file__).parent / "data" / "office"
FORMATS = ("sqlite", "jsonl", "csv", "parquet")
HERE = __name__  # this module, importable by the worker processes (they get the parent's sys.path)


def make_corpus(folder: Path, copies: int) -> list[Path]:
    """``copies`` distinct copies of each seed (a different last line, so a different hash)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(copies):
        for s in SEEDS:
            p = folder / f"{i:03d}-{s.name}"
            p.write_text(s.read_text(encoding="utf-8") + f"\n（副本 {i}）\n", encoding="utf-8")
            out.append(p)
    return out


def encrypted_pdf() -> bytes:
    """A minimal PDF under the standard security handler, whose password is not empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offs:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1) + b"ab" * 16 + b"> <"
            + b"ab" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def run_cli(argv: list[str]) -> int:
    """The extract command through its own register(), as govreport.cli will wire it."""
    ap = argparse.ArgumentParser(prog="govreport")
    sub = ap.add_subparsers(dest="command", required=True)
    batch_cli.register(sub)
    args = ap.parse_args(["extract", *map(str, argv)])
    return args.func(args)


def frames(out: Path, **kw):
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from govreport.batch import to_frame

    return to_frame(out, **kw)


# ---------------------------------------------------------------- test parsers (run in workers)

def hang_parser(path: str, reader: str | None = None):
    name = os.path.basename(path)
    if name == "hang.txt":
        time.sleep(600)
    if name == "crash.txt":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "hog.txt":
        blob = bytearray(4 * 2**30)  # more than the worker's address-space limit
        blob[-1] = 1
    if name == "bug.txt":
        raise ZeroDivisionError("a bug in a reader")
    return govreport.parse(path, reader=reader)


# ---------------------------------------------------------------- inputs

def test_discover_files_folders_globs_and_skips(tmp_path):
    d = tmp_path / "in"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / ".hidden").mkdir()
    for rel in ("a.txt", "sub/b.html", "sub/deeper/c.docx", "sub/d.pdf", ".hidden/e.txt", "notes.json",
                "photo.jpg", "page.jsp", "x.bin"):
        (d / rel).write_bytes(b"<html><body>x</body></html>" if rel.endswith((".html", ".jsp")) else b"text\n")
    (d / "x.bin").write_bytes(bytes(range(256)) * 10)
    (d / "sub" / "back").symlink_to(d)                  # a folder loop
    (d / "loop1.txt").symlink_to(d / "loop2.txt")       # a file loop
    (d / "loop2.txt").symlink_to(d / "loop1.txt")
    (d / "dangling.txt").symlink_to(d / "missing.txt")
    found = batch_inputs.Discovery()
    files = list(discover([d, str(d / "*.txt"), tmp_path / "nope.txt", str(tmp_path / "*.none")], found=found))
    paths = [os.path.relpath(f.path, d) for f in files]
    # every report-kind file once (images too: the ocr reader claims scans); a web page by content
    # whatever its extension; loops and dangling links are taken (their rows will say what is wrong),
    # data files, hidden files and binaries are not
    assert sorted(p for p in paths if not p.startswith("..")) == sorted(
        ["a.txt", "dangling.txt", "loop1.txt", "loop2.txt", "page.jsp", "photo.jpg", "sub/b.html", "sub/d.pdf",
         "sub/deeper/c.docx"])
    assert len(paths) == len(set(paths)) + 0  # the glob's matches were already found in the folder walk
    missing = [f for f in files if f.path.endswith("nope.txt")]
    assert missing and "no such file" in str(missing[0].error)
    assert str(tmp_path / "*.none") in found.unmatched
    assert any(p.endswith("notes.json") for p in found.skipped)
    assert any(p.endswith("x.bin") for p in found.skipped)
    every = [os.path.relpath(f.path, d) for f in discover([d], all_files=True)]
    assert "x.bin" in every and "notes.json" in every and "photo.jpg" in every


def test_output_never_taken_as_input(tmp_path):
    make_corpus(tmp_path, 1)
    out = tmp_path / "out.jsonl"
    write_dataset([tmp_path], out, jobs=0)
    s = write_dataset([tmp_path], out, jobs=0, resume=True, wide=True)
    assert s.files == len(SEEDS)  # neither out.jsonl nor out.wide.jsonl


# ---------------------------------------------------------------- Python API

def test_extract_yields_results_with_reports_and_parses_identical_files_once(tmp_path):
    src = SEEDS[0]
    for name in ("one.txt", "two.txt", "sub/three.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(src, tmp_path / name)
    shutil.copy(SEEDS[1], tmp_path / "other.txt")
    results = list(extract([tmp_path], jobs=2))
    assert len(results) == 4
    by = {Path(r.path).name: r for r in results}
    parsed = [r for r in results if r.duplicate_of is None]
    assert len(parsed) == 2  # one per distinct content
    dup = [r for r in results if r.duplicate_of]
    assert len(dup) == 2 and all(r.sha256 == by["one.txt"].sha256 for r in dup)
    assert all(r.ok for r in results)
    assert all(r.report is not None and r.cells for r in parsed)
    assert all(r.report is None and not r.cells and r.report_id == by["one.txt"].report_id for r in dup)
    primary = next(r for r in parsed if r.sha256 == by["one.txt"].sha256)
    assert primary.report.meta == govreport.parse(src).meta
    assert by["other.txt"].report.applications == govreport.parse(SEEDS[1]).applications


def test_extract_rows_match_report(tmp_path):
    seed = ROOT / "data" / "seeds" / "hangu-2019-tabbed.txt"  # has blank cells
    r = next(extract([seed], jobs=0))
    rep = govreport.parse(seed)
    assert r.row["status"] == "ok" and r.row["kind"] == "text" and r.row["reader"] == rep.reader
    assert r.row["agency"] == rep.meta.agency and r.row["year"] == rep.meta.year
    assert r.row["cells"] == len(list(rep.cells())) == len(r.cells)
    assert r.row["cells_filled"] == sum(1 for c in rep.cells() if c.value is not None)
    assert set(r.row) == set(names("reports"))
    assert all(set(c) == set(names("cells")) for c in r.cells)
    assert all(c["report_id"] == r.sha256 for c in r.cells)
    blank = [c for c in r.cells if c["value"] is None]
    assert blank and all(c["kind"] is None for c in blank)  # blanks stay null, never 0
    money = [c for c in r.cells if c["kind"] == "money"]
    for c in money:
        assert isinstance(c["value"], float)


def test_extract_yields_as_results_finish(tmp_path):
    make_corpus(tmp_path, 2)
    (tmp_path / "hang.txt").write_text("x\n", encoding="utf-8")
    t0 = time.monotonic()
    it = extract([tmp_path], jobs=2, timeout=20, parser=f"{HERE}:hang_parser", reports=False)
    first = next(it)
    assert time.monotonic() - t0 < 15 and first.ok  # not held back by the hanging file
    it.close()  # closing the generator stops the workers, the hung one included


def test_workers_have_their_next_file_while_a_result_is_written(tmp_path, monkeypatch):
    from govreport.batch import run as batch_run
    from govreport.batch.options import ExtractOptions
    from govreport.batch.results import Result

    make_corpus(tmp_path, 1)
    pools = []
    real = batch_run.make_pool

    def keep(*a, **kw):
        pools.append(real(*a, **kw))
        return pools[-1]

    monkeypatch.setattr(batch_run, "make_pool", keep)
    busy = [pools[0].in_flight() for ev in batch_run.run_events([tmp_path], ExtractOptions(jobs=1))
            if isinstance(ev, Result)]
    # while the consumer holds a result (and writes it), the worker already reads the next file
    assert busy == [1] * (len(SEEDS) - 1) + [0]


def test_jobs_zero_reads_in_process():
    results = list(extract(SEEDS, jobs=0))
    assert [r.ok for r in results] == [True] * len(SEEDS)


# ---------------------------------------------------------------- the four output kinds

@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    for s in SEEDS:
        shutil.copy(s, d / s.name)
    shutil.copy(SEEDS[0], d / "copy of first.txt")
    (d / "empty.txt").write_bytes(b"")
    for f in ("hangu-2019-tabbed.docx", "linjiang-2022-synthetic.html"):
        src = OFFICE / f if (OFFICE / f).exists() else ROOT / "data" / "office" / f
        if src.exists():
            shutil.copy(src, d / f)
    return d


@pytest.fixture(scope="module")
def outputs(small_corpus, tmp_path_factory):
    pytest.importorskip("pyarrow")
    base = tmp_path_factory.mktemp("outs")
    outs = {}
    for fmt in FORMATS:
        out = base / f"set.{fmt}"
        s = write_dataset([small_corpus], out, jobs=2, wide=True, batch_size=3)
        assert s.failed == 1 and s.duplicates == 1 and not s.interrupted
        outs[fmt] = out
    return outs


def test_every_output_kind_has_the_same_tables(outputs, small_corpus):
    pd = pytest.importorskip("pandas")
    got = {fmt: frames(out, wide=True) for fmt, out in outputs.items()}
    n_files = len(list(small_corpus.iterdir()))
    ref = got["sqlite"]
    assert list(ref.reports.columns) == names("reports")
    assert list(ref.cells.columns) == names("cells")
    assert list(ref.findings.columns) == names("findings")
    assert list(ref.wide.columns)[9:] == list(canonical_cells())
    assert len(ref.reports) == n_files and ref.reports["path"].is_unique
    assert len(ref.wide) == n_files
    for fmt, fr in got.items():
        for t, key in (("reports", ["path"]), ("cells", ["report_id", "cell"]), ("findings", ["report_id", "message"]),
                       ("wide", ["path"])):
            a = getattr(ref, t).sort_values(key).reset_index(drop=True)
            b = getattr(fr, t).sort_values(key).reset_index(drop=True)
            if t == "reports":
                a, b = (x.drop(columns=["extracted_at", "parse_seconds"]) for x in (a, b))
            pd.testing.assert_frame_equal(a, b, obj=f"{fmt}.{t}")
    # cells once per content; the copy shares the first file's report_id
    r = ref.reports.set_index(ref.reports["path"].map(lambda p: Path(p).name))
    assert r.loc["copy of first.txt", "report_id"] == r.loc[SEEDS[0].name, "report_id"]
    assert r.loc["copy of first.txt", "duplicate_of"] == str(small_corpus / SEEDS[0].name)
    assert not ref.cells.duplicated(["report_id", "cell"]).any()
    assert r.loc["empty.txt", "status"] == "error" and r.loc["empty.txt", "error_type"] == "EmptyInput"
    assert pd.isna(r.loc["empty.txt", "report_id"])
    ok = ref.reports[ref.reports.status == "ok"]
    assert (ok["cells"] > 0).all()
    # wide: the same values as cells
    w = ref.wide.set_index("path")
    one = ref.cells[ref.cells.report_id == r.loc[SEEDS[0].name, "report_id"]]
    for _, c in one.dropna(subset=["value"]).head(20).iterrows():
        assert w.loc[str(small_corpus / SEEDS[0].name), c["cell"]] == c["value"]


def test_sqlite_output_opens_with_sqlite3(outputs):
    db = sqlite3.connect(outputs["sqlite"])
    cols = [r[1] for r in db.execute("PRAGMA table_info(reports)")]
    assert cols == names("reports")
    assert [r[1] for r in db.execute("PRAGMA table_info(cells)")] == names("cells")
    assert [r[1] for r in db.execute("PRAGMA table_info(findings)")] == names("findings")
    n = db.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert n == db.execute("SELECT count(*) FROM wide").fetchone()[0]
    # a blank cell is NULL, not 0
    assert db.execute("SELECT count(*) FROM cells WHERE value IS NULL").fetchone()[0] > 0
    assert not Path(str(outputs["sqlite"]) + "-wal").exists()  # folded back on close


def test_csv_and_jsonl_layout(outputs):
    stem = outputs["csv"].with_suffix("")
    for t in ("reports", "cells", "findings", "wide"):
        assert Path(f"{stem}.{t}.csv").exists()
    header = Path(f"{stem}.reports.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == names("reports")
    lines = outputs["jsonl"].read_text(encoding="utf-8").splitlines()
    objs = [json.loads(x) for x in lines]
    assert all(set(o) >= {"report", "cells", "findings"} for o in objs)
    assert all(list(o["report"]) == names("reports") for o in objs)
    assert outputs["jsonl"].with_name("set.wide.jsonl").exists()


def test_parquet_is_a_partitioned_dataset(outputs):
    pq = pytest.importorskip("pyarrow.parquet")
    root = outputs["parquet"]
    parts = sorted((root / "reports").glob("part-*.parquet"))
    assert len(parts) >= 2  # batch_size=3: several row-group batches
    t = pq.read_table(root / "reports")  # any Parquet reader opens a table folder
    assert t.num_rows == len({*t.column("path").to_pylist()})
    assert pq.read_table(root / "cells").schema.names == names("cells")
    assert not (root / "_journal.jsonl").exists()


def test_csv_folder_mode(tmp_path):
    out = tmp_path / "csvout"
    assert write_dataset(SEEDS[:2], out, format="csv", jobs=0).ok == 2
    assert sorted(p.name for p in out.iterdir()) == ["cells.csv", "findings.csv", "reports.csv"]
    if pytest.importorskip("pandas"):
        assert len(frames(out, format="csv").reports) == 2


def test_refuses_to_clobber_and_overwrites_on_request(tmp_path, capsys):
    out = tmp_path / "o.sqlite"
    assert run_cli([SEEDS[0], "--out", out, "-q"]) == 0
    assert run_cli([SEEDS[0], "--out", out, "-q"]) == 3
    assert "--resume" in capsys.readouterr().err
    assert run_cli([*SEEDS[:2], "--out", out, "--overwrite", "-q"]) == 0
    assert sqlite3.connect(out).execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "precious.txt").write_text("x")
    assert run_cli([SEEDS[0], "--out", keep, "--format", "parquet", "--overwrite", "-q"]) == 3
    assert (keep / "precious.txt").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_overwrite_with_no_input_found_leaves_the_output_as_it_was(tmp_path, capsys, fmt):
    """"nothing was written" is true: the old output is replaced only once there is something to read."""
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"o.{fmt}"
    assert write_dataset(SEEDS[:2], out, format=fmt, jobs=0).ok == 2
    before = sorted((p.relative_to(tmp_path), p.stat().st_size) for p in [out, *out.rglob("*")] if p.is_file())
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli([empty, "--out", out, "--format", fmt, "--overwrite", "-q"]) == 3
    assert "nothing was written" in capsys.readouterr().err
    after = sorted((p.relative_to(tmp_path), p.stat().st_size) for p in [out, *out.rglob("*")] if p.is_file())
    assert after == before


# ---------------------------------------------------------------- resume

@pytest.mark.parametrize("fmt", FORMATS)
def test_resume_reads_only_missing_or_changed(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    d = tmp_path / "in"
    files = make_corpus(d, 1)
    out = tmp_path / f"o.{fmt}"
    s1 = write_dataset([d], out, jobs=0, batch_size=2)
    assert s1.ok == len(SEEDS)
    files[0].write_text(SEEDS[1].read_text(encoding="utf-8") + "\n改动\n", encoding="utf-8")   # changed
    shutil.copy(SEEDS[2], d / "new.txt")                                                      # new
    shutil.copy(files[3], d / "same as 3.txt")                                                # new, known content
    s2 = write_dataset([d], out, jobs=0, resume=True, batch_size=2, wide=True)
    assert (s2.ok, s2.skipped, s2.duplicates) == (3, len(SEEDS) - 1, 1)
    s3 = write_dataset([d], out, jobs=0, resume=True)
    assert (s3.ok, s3.skipped) == (0, len(SEEDS) + 2)
    if fmt == "parquet":
        pytest.importorskip("pandas")
    fr = frames(out, wide=True)
    assert len(fr.reports) == len(SEEDS) + 2 and fr.reports["path"].is_unique
    changed = fr.reports[fr.reports.path == str(files[0])].iloc[0]
    # read again from its new content, whose agency is not the old one
    assert changed["agency"] == govreport.parse(SEEDS[1]).meta.agency != govreport.parse(SEEDS[0]).meta.agency
    live = set(fr.reports["report_id"].dropna())
    assert set(fr.cells["report_id"]) == live - {None}  # the changed file's old cells are gone from the view
    assert not fr.cells.duplicated(["report_id", "cell"]).any()
    assert len(fr.wide) == len(fr.reports)


def test_resume_retry_failed(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad.txt").write_bytes(b"")
    shutil.copy(SEEDS[0], d / "good.txt")
    out = tmp_path / "o.sqlite"
    assert run_cli([d, "--out", out, "-q"]) == 2
    assert run_cli([d, "--out", out, "--resume", "-q"]) == 2  # still a failed file in the dataset
    shutil.copy(SEEDS[1], d / "bad.txt")  # fixed: a new content is read on resume
    assert run_cli([d, "--out", out, "--resume", "-q"]) == 0
    (d / "other.txt").write_bytes(b"")
    assert run_cli([d, "--out", out, "--resume", "-q"]) == 2
    assert run_cli([d, "--out", out, "--resume", "--retry-failed", "-q"]) == 2


# ---------------------------------------------------------------- bad inputs in a real folder

def test_bad_inputs_each_get_a_typed_error_row(tmp_path, monkeypatch):
    d = tmp_path / "真实 文件夹"
    (d / "子 目录").mkdir(parents=True)
    (d / "zero.txt").write_bytes(b"")
    (d / "broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(2000))
    (d / "locked.pdf").write_bytes(encrypted_pdf())
    (d / "image-renamed.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    (d / "elf-renamed.pdf").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40)
    with open(d / "huge random.doc", "wb") as f:
        for _ in range(50):
            f.write(os.urandom(2**20))
    (d / "secret.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (d / "loop-a.txt").symlink_to(d / "loop-b.txt")
    (d / "loop-b.txt").symlink_to(d / "loop-a.txt")
    (d / "子 目录" / "上级").symlink_to(d)  # a folder loop too
    good = d / "子 目录" / "汉沽 街道 2019 年报.txt"
    shutil.copy(SEEDS[0], good)
    (d / "not a report.txt").write_text("会议纪要\n今天开会。\n", encoding="utf-8")

    real_hash = batch_inputs.hash_file

    def denied(path, *a, **k):  # root reads everything: simulate a file without read permission
        if os.path.basename(path) == "secret.txt":
            raise PermissionError(13, "Permission denied", path)
        return real_hash(path, *a, **k)

    monkeypatch.setattr(batch_inputs, "hash_file", denied)
    t0 = time.monotonic()
    results = {os.path.relpath(r.path, d): r for r in extract([d], jobs=2, timeout=60, reports=False)}
    assert time.monotonic() - t0 < 40
    expect = {
        "zero.txt": "EmptyInput",
        "broken.docx": "UnreadableInput",
        "locked.pdf": "EncryptedInput",
        "image-renamed.pdf": "UnreadableInput",  # an image (the ocr reader's), but a broken one
        "elf-renamed.pdf": "UnreadableInput",
        "huge random.doc": "UnreadableInput",
        "secret.txt": "UnreadableInput",
        "loop-a.txt": "UnreadableInput",
        "loop-b.txt": "UnreadableInput",
        "not a report.txt": "NotAReport",
    }
    for name, err in expect.items():
        r = results[name]
        assert r.status == "error", name
        if name == "locked.pdf" and r.error_type != err:
            # the PDF reader is young: any typed error is acceptable, never a crash of the batch
            assert isinstance(r.error, GovReportError), r.row
            continue
        assert r.error_type == err, (name, r.row)
        assert isinstance(r.error, GovReportError)
    assert "permission denied" in results["secret.txt"].error_message
    assert "loop" in results["loop-a.txt"].error_message
    assert results["huge random.doc"].row["size"] == 50 * 2**20
    assert results[os.path.relpath(good, d)].ok
    assert len(results) == len(expect) + 1  # the folder loop was walked once


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode; covered by the monkeypatched tests")
def test_unreadable_file_by_permissions(tmp_path):
    p = tmp_path / "locked.txt"
    shutil.copy(SEEDS[0], p)
    p.chmod(0)
    try:
        r = next(extract([p], jobs=1))
        assert r.error_type == "UnreadableInput" and "permission denied" in r.error_message
    finally:
        p.chmod(0o644)


def test_permission_denied_in_the_worker_is_typed(monkeypatch):
    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    payload = process_file(str(SEEDS[0]))
    assert payload["row"]["status"] == "error"
    assert payload["row"]["error_type"] == "UnreadableInput"
    assert "permission denied" in payload["row"]["error_message"]


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(SEEDS[0].read_text(encoding="utf-8") * 20, encoding="utf-8")
    r = next(extract([p], jobs=0, max_size=1000))
    assert r.error_type == "FileTooLarge" and isinstance(r.error, FileTooLarge)


# ---------------------------------------------------------------- time, crash and memory limits

def test_hung_crashed_and_greedy_workers_are_replaced(tmp_path):
    make_corpus(tmp_path, 1)
    for name in ("hang.txt", "crash.txt", "hog.txt", "bug.txt"):
        shutil.copy(SEEDS[0], tmp_path / name)
        with open(tmp_path / name, "a", encoding="utf-8") as f:
            f.write(name + "\n")  # distinct contents
    t0 = time.monotonic()
    results = {Path(r.path).name: r for r in extract([tmp_path], jobs=2, timeout=3, max_memory_mb=1024,
                                                     parser=f"{HERE}:hang_parser", reports=False)}
    elapsed = time.monotonic() - t0
    assert elapsed < 25
    assert results["hang.txt"].error_type == "TimedOut" and isinstance(results["hang.txt"].error, TimedOut)
    assert results["crash.txt"].error_type == "WorkerCrashed" and isinstance(results["crash.txt"].error, WorkerCrashed)
    assert "SIGKILL" in results["crash.txt"].error_message
    assert results["hog.txt"].error_type == "OutOfMemory"
    assert results["bug.txt"].error_type == "ParseFailed" and "ZeroDivisionError" in results["bug.txt"].error_message
    assert all(results[f"000-{s.name}"].ok for s in SEEDS)


# ---------------------------------------------------------------- the command

def test_cli_progress_lines_when_not_a_terminal(tmp_path, capsys):
    make_corpus(tmp_path / "in", 1)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    code = run_cli([tmp_path / "in", "--out", tmp_path / "o.jsonl", "--jobs", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "file(s) to read" in err
    assert "FAILED" in err and "EmptyInput" in err
    assert f"ok {len(SEEDS)}, failed 1" in err
    assert "\r" not in err and "\x1b[" not in err


def test_progress_bar_on_a_terminal():
    buf = io.StringIO()
    p = Progress(buf, tty=True)
    p.start(4)
    for status in ("ok", "ok", "error", "skipped"):
        p.add(status, "x.txt", "EmptyInput: empty")
        time.sleep(0.11)
    p.finish("done")
    out = buf.getvalue()
    assert "\r" in out and "3/3" in out and "ok 2, failed 1, skipped 1" in out  # skipped: out of the rate
    # the failure is printed on a line of its own, and the bar ends its line before the summary
    assert "\rgovreport extract: FAILED x.txt: EmptyInput: empty\n" in out
    assert out.endswith("\ngovreport extract: done\n")


def test_cli_usage_errors(tmp_path, capsys):
    assert run_cli([tmp_path / "none-*.txt", "--out", tmp_path / "o.sqlite"]) == 3
    assert "matched no file" in capsys.readouterr().err
    assert run_cli([SEEDS[0], "--out", tmp_path / "o.xlsx"]) == 3
    assert run_cli([SEEDS[0], "--out", tmp_path / "o.sqlite", "--reader", "nosuch"]) == 3
    assert run_cli([SEEDS[0], "--out", tmp_path / "o.sqlite", "--scheduler", "tcp://x:1"]) == 3
    assert run_cli([SEEDS[0], "--out", tmp_path / "o.sqlite", "--engine", "dask", "-q"]) == 3  # dask needs parquet


def test_cli_wide_and_reader(tmp_path):
    out = tmp_path / "w.csv"
    seed = ROOT / "data" / "seeds" / "hangu-2019-tabbed.txt"
    assert run_cli([seed, "--out", out, "--wide", "--reader", "tabbed", "-q", "--jobs", "0"]) == 0
    wide = (tmp_path / "w.wide.csv").read_text(encoding="utf-8").splitlines()
    assert len(wide) == 2 and "applications/new_received/total" in wide[0]


# ---------------------------------------------------------------- data frames

def test_to_frame_from_results_and_missing_dependency(monkeypatch):
    pytest.importorskip("pandas")
    from govreport.batch import to_frame

    fr = to_frame(extract(SEEDS[:2], jobs=0))
    assert len(fr.reports) == 2 and len(fr.cells) == sum(len(list(govreport.parse(s).cells())) for s in SEEDS[:2])
    assert str(fr.reports["year"].dtype) == "Int64"
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependency, match=r"govreport\[frames\]"):
        to_frame(extract(SEEDS[:1], jobs=0))


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependency, match=r"govreport\[frames\]"):
        write_dataset([SEEDS[0]], tmp_path / "o.parquet", jobs=0)


def test_schema_is_documented():
    doc = (ROOT.parent / "docs" / "extract.md").read_text(encoding="utf-8")
    for name, _ in (*REPORTS, *CELLS, *FINDINGS):
        assert f"`{name}`" in doc, name


def test_errors_are_govreport_errors():
    for cls in (TimedOut, WorkerCrashed, FileTooLarge):
        assert issubclass(cls, GovReportError)
    assert issubclass(EmptyInput, GovReportError)
