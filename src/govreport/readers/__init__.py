"""Readers: one module per input format or layout quirk, all behind one contract.

Built-in readers are registered through the ``govreport.readers`` entry-point group exactly like
third-party ones; see :mod:`govreport.readers.base` for the contract and ``docs/plugins.md``.
"""

from .base import Cell, Document, Grid, Location, Paragraph, Reader, ReaderLike, Source

__all__ = ["Reader", "ReaderLike", "Source", "Document", "Grid", "Paragraph", "Cell", "Location"]
