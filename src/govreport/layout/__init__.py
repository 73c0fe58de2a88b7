"""The page layout engine: glyphs and ruling lines in, text blocks and tables out.

Everything here works on plain coordinates (PDF user space, y grows upwards) and knows nothing of
any file format, reader or report row. A reader measures each page somehow (a PDF's text layer, OCR
of a scan), hands its glyphs and straight segments to :func:`layout_page`, and gets the page's blocks
in reading order: :class:`TextBlock` paragraphs outside tables and :class:`Table` grids of cells.
Tables come in three kinds, each in its own module: ruled (:mod:`.ruled`), ruled with horizontal
lines only (:mod:`.rules_only`, columns from :mod:`.columns`) and without rules (:mod:`.positional`).
:func:`assemble` puts a document together from the pages (:class:`Page`), mending what page breaks
did to the tables. Every tolerance is named in :class:`LayoutSettings`.
"""

from .lines import Chunk, Line, build_lines, cell_text, join_glyphs
from .page import TextBlock, layout_page
from .pages import Page, assemble
from .primitives import Glyph, Segment, is_number, segments_from_box, segments_from_path, turn_page
from .settings import DEFAULT_SETTINGS, LayoutSettings
from .table import Table

__all__ = [
    "Chunk",
    "DEFAULT_SETTINGS",
    "Glyph",
    "LayoutSettings",
    "Line",
    "Page",
    "Segment",
    "Table",
    "TextBlock",
    "assemble",
    "build_lines",
    "cell_text",
    "is_number",
    "join_glyphs",
    "layout_page",
    "segments_from_box",
    "segments_from_path",
    "turn_page",
]
