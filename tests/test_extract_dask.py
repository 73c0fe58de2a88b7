"""`--engine dask`: the batch on a (local, in-test) Dask cluster, written as partitioned Parquet."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

from govreport.batch import to_frame  # noqa: E402
from govreport.batch.dataset import write_dataset  # noqa: E402
from test_extract import SEEDS, make_corpus, run_cli  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as c:
        yield c


def test_dask_engine_matches_local_and_resumes(tmp_path, cluster):
    d = tmp_path / "in"
    make_corpus(d, 2)
    shutil.copy(d / f"000-{SEEDS[0].name}", d / "dup.txt")
    (d / "empty.txt").write_bytes(b"")
    out = tmp_path / "dask.parquet"
    s = write_dataset([d], out, engine="dask", scheduler=cluster.scheduler_address, wide=True, batch_size=3)
    n = 2 * len(SEEDS) + 2
    assert (s.files, s.ok, s.failed, s.duplicates) == (n, n - 1, 1, 1)
    parts = sorted((out / "reports").glob("part-*.parquet"))
    assert len(parts) >= 3  # partitioned: one part per Dask task (and one for the driver's rows)
    local = tmp_path / "local.parquet"
    write_dataset([d], local, jobs=1)
    a, b = to_frame(out, wide=True), to_frame(local)
    key = ["report_id", "cell"]
    pd.testing.assert_frame_equal(a.cells.sort_values(key).reset_index(drop=True),
                                  b.cells.sort_values(key).reset_index(drop=True))
    cols = ["path", "sha256", "status", "error_type", "format", "agency", "year", "cells", "duplicate_of"]
    pd.testing.assert_frame_equal(a.reports[cols].sort_values("path").reset_index(drop=True),
                                  b.reports[cols].sort_values("path").reset_index(drop=True))
    assert len(a.wide) == n and (out / "wide").is_dir()

    # resume on the cluster: one new file is read, the rest skipped
    shutil.copy(SEEDS[1], d / "new.txt")
    with open(d / "new.txt", "a", encoding="utf-8") as f:
        f.write("\n新增\n")
    s2 = write_dataset([d], out, engine="dask", scheduler=cluster.scheduler_address, resume=True)
    assert (s2.ok, s2.skipped) == (1, n)
    assert len(to_frame(out).reports) == n + 1


def test_dask_engine_from_the_command(tmp_path, cluster):
    out = tmp_path / "c.parquet"
    code = run_cli([*SEEDS, "--out", out, "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q"])
    assert code == 0
    assert len(to_frame(out).reports) == len(SEEDS)


def test_dask_overwrite_with_no_input_found_keeps_the_output(tmp_path, cluster):
    out = tmp_path / "c.parquet"
    assert run_cli([*SEEDS[:2], "--out", out, "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q"]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    code = run_cli([empty, "--out", out, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                    "--overwrite", "-q"])
    assert code == 3
    assert len(to_frame(out).reports) == 2
