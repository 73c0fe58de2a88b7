"""The reader contract: what a reader receives, what it returns, how it claims an input.

A reader is any object with ``name``, ``version``, ``kinds``, ``claim(source)`` and
``read(source)``; subclassing :class:`Reader` is a convenience, not a requirement. Readers are
registered under the ``govreport.readers`` entry-point group (the built-in ones too) and must keep
no state between calls: one instance serves every document of a batch.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from ..document import Cell, Document, Grid, Location, Paragraph
from ..source import Source

__all__ = ["Reader", "ReaderLike", "Source", "Document", "Grid", "Paragraph", "Cell", "Location"]


@runtime_checkable
class ReaderLike(Protocol):
    """The structural contract every reader satisfies."""

    name: str
    version: str
    kinds: tuple[str, ...]

    def claim(self, source: Source) -> float:
        """How well this reader fits ``source``, from 0.0 (not at all) to 1.0 (made for it).

        Must not modify ``source`` and should be cheap: it runs for every installed reader.
        """
        ...

    def read(self, source: Source) -> Document:
        """Turn ``source`` into paragraphs and grids. Raise a :mod:`govreport.errors` error on bad input."""
        ...


class Reader:
    """Convenience base class for readers.

    Set ``name``, ``kinds`` (input kinds from :data:`govreport.source.KINDS` this reader may claim)
    and ``version``; implement :meth:`claim` and :meth:`read`.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = ()

    def claim(self, source: Source) -> float:
        return 0.0

    def read(self, source: Source) -> Document:
        raise NotImplementedError(f"reader {self.name!r} does not implement read()")

    def __repr__(self) -> str:
        return f"<reader {self.name} {self.version}>"
