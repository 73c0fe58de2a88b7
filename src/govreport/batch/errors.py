"""Errors of a batch, beside those of :mod:`govreport.errors`.

They all subclass :class:`govreport.errors.GovReportError`, so a caller's ``except`` for the root
catches them too. Those about a file are not raised: each becomes the ``error_type`` and
``error_message`` of the file's ``reports`` row. :class:`OutputError` is raised: the run cannot
start as asked.
"""

from __future__ import annotations

from .. import errors as _errors
from ..errors import GovReportError, InputError


class BatchError(GovReportError):
    """Root of the errors the batch machinery (not a reader) records for a file."""


class TimedOut(BatchError):
    """Reading the file took longer than the per-file time limit; its worker was killed and replaced."""


class WorkerCrashed(BatchError):
    """The worker process died while reading the file (a crash in native code, or killed from outside)."""


class OutOfMemory(BatchError, MemoryError):
    """Reading the file needed more memory than the per-worker limit."""


class FileTooLarge(InputError):
    """The file is larger than the batch's size limit and was not read."""


class ParseFailed(GovReportError):
    """govreport itself failed on this file with an unexpected exception (a bug worth reporting)."""


class OutputError(GovReportError):
    """The output cannot be used as asked (exists without ``--resume``/``--overwrite``, unknown kind,
    or not a govreport dataset), or the options contradict each other."""


def error_class(name: str | None) -> type[GovReportError]:
    """The error class recorded as ``error_type`` ``name`` (``GovReportError`` if unknown)."""
    if not name:
        return GovReportError
    for mod in (globals(), vars(_errors)):
        cls = mod.get(name)
        if isinstance(cls, type) and issubclass(cls, GovReportError):
            return cls
    return GovReportError


def make_error(name: str | None, message: str | None) -> GovReportError:
    cls = error_class(name)
    try:
        return cls(message or "")
    except TypeError:  # an error class with a different constructor
        return GovReportError(message or "")
