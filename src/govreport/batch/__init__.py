"""Whole corpora into one dataset: parallel, resumable batch extraction.

>>> from govreport.batch import extract, to_frame, write_dataset
>>> for result in extract(["reports/"], jobs=4):      # results as they finish
...     print(result.path, result.status, result.error_type)
>>> write_dataset(["reports/"], "reports.sqlite", resume=True)   # what `govreport extract` runs
>>> frames = to_frame("reports.sqlite")             # pandas: frames.reports, .cells, .findings

See ``docs/extract.md`` for the tables, the output kinds and their durability.
"""

from __future__ import annotations

from typing import Any

from .errors import FileTooLarge, OutOfMemory, ParseFailed, TimedOut, WorkerCrashed
from .options import DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT, ExtractOptions
from .results import Result
from .run import extract

__all__ = [
    "extract",
    "write_dataset",
    "ExtractOptions",
    "to_frame",
    "Result",
    "Summary",
    "Frames",
    "TimedOut",
    "WorkerCrashed",
    "OutOfMemory",
    "FileTooLarge",
    "ParseFailed",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_SIZE",
]


def __getattr__(name: str) -> Any:  # keep `import govreport.batch` light: outputs and frames load on use
    if name == "write_dataset":
        from .dataset import write_dataset

        return write_dataset
    if name == "Summary":
        from .summary import Summary

        return Summary
    if name in ("to_frame", "Frames"):
        from . import frames

        return getattr(frames, name)
    raise AttributeError(name)
