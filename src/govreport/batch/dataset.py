"""A whole corpus into one dataset: :func:`write_dataset`, what ``govreport extract`` runs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .engines import local
from .options import ExtractOptions
from .outputs import infer_format
from .progress import Progress
from .summary import Summary


def write_dataset(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    out: str | os.PathLike[str],
    options: ExtractOptions | None = None,
    *,
    progress: Progress | None = None,
    **keywords: Any,
) -> Summary:
    """Parse every input file into the dataset ``out`` (see ``docs/extract.md``) and return a summary.

    The options are an :class:`~govreport.batch.ExtractOptions` or its fields as keywords (both:
    the keywords replace those fields). ``resume=True`` completes an existing output: only files
    missing from it or changed since are read. ``overwrite=True`` replaces it.
    ``engine="dask"`` runs on a Dask cluster (``scheduler`` address, or a local cluster of ``jobs``
    workers) and writes a partitioned Parquet dataset. On Ctrl-C the output is closed cleanly and
    the summary has ``interrupted=True``. When no input file is found, a new output is not left
    behind (it would only block the next run). ``excel=True`` writes CSV with a byte-order mark,
    which Excel needs to show UTF-8 text.
    """
    opts = ExtractOptions.of(options, keywords)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    fmt = infer_format(out, opts.format)
    progress = progress or Progress(enabled=False)
    if opts.engine == "dask":
        from .engines import dask

        return dask.write(list(paths), out, fmt, opts, progress)
    return local.write(list(paths), out, fmt, opts, progress)
