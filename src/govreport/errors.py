"""The errors govreport raises, all under :class:`GovReportError`.

Callers can catch the root to handle every problem with an input, or a subclass for one kind.
Where the meaning matches a builtin (``ValueError`` for bad content, ``ImportError`` for a missing
optional dependency) the class subclasses it too, so existing ``except`` clauses keep working.
"""

from __future__ import annotations


class GovReportError(Exception):
    """Root of every error govreport raises on purpose."""


class InputError(GovReportError, ValueError):
    """The input could not be turned into a report."""


class EmptyInput(InputError):
    """The input holds no bytes, or only whitespace."""


class UnsupportedInput(InputError):
    """No installed reader reads this kind of input (e.g. an image, an archive, random bytes)."""


class UnreadableInput(InputError):
    """The input is of a known kind but is damaged or cannot be decoded (broken zip, bad encoding)."""


class EncryptedInput(UnreadableInput):
    """The document is protected by a password govreport does not have."""


class NeedsOCR(UnreadableInput):
    """The document has no text layer on some pages: it is a scan and needs the ``ocr`` extra.

    ``pages`` lists the 1-based page numbers without text.
    """

    def __init__(self, message: str, pages: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.pages = pages


class NotAReport(InputError):
    """The input was read, but it is not a government information-disclosure annual report.

    ``document`` is what the reader read (its paragraphs and ``grids``), when there was one: the
    tables of a file that is no report are still there to look at.
    """

    def __init__(self, message: str, document: object = None) -> None:
        super().__init__(message)
        self.document = document


class MissingDependency(GovReportError, ImportError):
    """An optional dependency (or external program) is needed for this input; the message names it."""


class ReaderError(GovReportError):
    """A reader plugin misbehaved (failed to import, raised, or returned something invalid)."""


class UnknownReader(GovReportError, KeyError):
    """A reader was asked for by a name that no installed reader has."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class SchemaError(GovReportError, ValueError):
    """JSON given to :func:`govreport.loads` is not in the ``govreport/1`` shape."""


class OcrUnavailable(NeedsOCR, MissingDependency):
    """A scan needs OCR, and the ``ocr`` extra is not installed: ``pip install "govreport[ocr]"``.

    Both a :class:`NeedsOCR` (the input is a scan) and a :class:`MissingDependency` (what to install).
    """


class LimitExceeded(GovReportError):
    """Reading the input went past a bound of :class:`govreport.limits.Limits`; it was given up.

    ``limit`` names the bound (``"seconds"``, ``"memory"``, ``"inflated"``, ``"ratio"``).
    """

    def __init__(self, message: str, limit: str = "") -> None:
        super().__init__(message)
        self.limit = limit


class ParseTimeout(LimitExceeded, TimeoutError):
    """The parse took longer than its time limit."""


class ParseMemoryError(LimitExceeded):
    """The parse needed more memory than its bound allows, or than the machine had."""


class CompressionBomb(LimitExceeded, UnreadableInput):
    """A compressed part of the input inflates far beyond any real report (a decompression bomb)."""


class WorkerCrashed(GovReportError):
    """The child process that parsed the input died (killed by a signal, or crashed in native code).

    Raised only when parsing in a child process (``parse(..., isolate=True)``): the caller survives.
    """
