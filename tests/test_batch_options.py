"""ExtractOptions: the one set of batch options the command builds and every engine takes."""

from __future__ import annotations

import argparse
import json

import attrs
import pytest
from test_extract import SEEDS

from govreport.batch import (
    DEFAULT_MAX_SIZE,
    DEFAULT_TIMEOUT,
    ExtractOptions,
    extract,
    write_dataset,
)
from govreport.batch import cli as batch_cli
from govreport.batch.errors import OutputError


def _args(*argv: str) -> argparse.Namespace:
    return batch_cli.build_parser().parse_args(["extract", *argv])


def test_defaults_are_the_documented_limits():
    o = ExtractOptions()
    assert (o.jobs, o.timeout, o.max_size, o.max_memory_mb) == (None, DEFAULT_TIMEOUT, DEFAULT_MAX_SIZE, "auto")
    assert (o.engine, o.mode, o.batch_size) == ("local", "new", 500)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        o.jobs = 2  # type: ignore[misc]


def test_contradictions_are_output_errors_before_anything_runs(tmp_path):
    with pytest.raises(OutputError, match="exclude each other"):
        ExtractOptions(resume=True, overwrite=True)
    with pytest.raises(OutputError, match="unknown engine"):
        ExtractOptions(engine="spark")
    with pytest.raises(OutputError, match="exclude each other"):
        write_dataset(SEEDS[:1], tmp_path / "o.jsonl", resume=True, overwrite=True)
    assert not (tmp_path / "o.jsonl").exists()


def test_an_unknown_keyword_fails_at_the_call():
    with pytest.raises(TypeError):
        extract(SEEDS[:1], job=2)  # no result asked for yet: the call itself refuses it


def test_the_command_line_builds_the_options_once():
    o = batch_cli.options(_args("in", "-o", "o.csv", "--timeout", "0", "--max-size", "2", "--max-memory", "0",
                                "--jobs", "3", "--resume", "--retry-failed", "--excel", "--wide"))
    assert (o.timeout, o.max_size, o.max_memory_mb) == (None, 2 * 2**20, None)  # 0: no limit
    assert (o.jobs, o.mode, o.retry_failed, o.excel, o.wide) == (3, "resume", True, True, True)
    d = batch_cli.options(_args("in", "-o", "o.csv"))
    assert (d.timeout, d.max_size, d.max_memory_mb, d.jobs) == (DEFAULT_TIMEOUT, DEFAULT_MAX_SIZE, "auto", None)
    assert d == ExtractOptions()


def test_worker_options_resolve_the_memory_limit():
    assert ExtractOptions(max_memory_mb=300).worker_opts(4, want_json=True)["max_memory_mb"] == 300
    auto = ExtractOptions().worker_opts(1, want_json=False)["max_memory_mb"]
    shared = ExtractOptions().worker_opts(64, want_json=False)["max_memory_mb"]
    assert auto is None or auto >= shared >= 2048  # the machine's memory shared, never under 2 GB


def test_options_and_keywords_give_the_same_dataset(tmp_path):
    a = write_dataset(SEEDS[:2], tmp_path / "a.jsonl", jobs=0, wide=True)
    b = write_dataset(SEEDS[:2], tmp_path / "b.jsonl", ExtractOptions(jobs=0), wide=True)  # keywords add fields
    assert (a.ok, a.failed) == (b.ok, b.failed) == (2, 0)

    def rows(p):
        return [{k: v for k, v in json.loads(line)["report"].items() if k not in ("extracted_at", "parse_seconds")}
                for line in p.read_text(encoding="utf-8").splitlines()]

    assert rows(tmp_path / "a.jsonl") == rows(tmp_path / "b.jsonl")
    assert (tmp_path / "b.wide.jsonl").exists()
    results = list(extract(SEEDS[:2], ExtractOptions(jobs=0), reports=False))
    assert [r.ok for r in results] == [True, True] and all(r.report is None for r in results)
