"""Every tolerance of the layout engine, named, in one frozen object.

Distances are in PDF points (1/72 inch) unless the name ends in ``_ems``: those are in multiples of
the font size of the text concerned, so that they hold for small and large print alike. Shares
(``_share``) are fractions. The defaults were set on text layers of real reports (Word and WPS
exports, printers' PDFs) and on OCR'd scans; OCR widens the position tolerances itself by its
``precision`` (see :func:`govreport.layout.layout_page`), so these need no change for scans.

Pass other settings to :func:`govreport.layout.layout_page` (``settings=``) to experiment; every
function of the engine reads the settings of the page being laid out through :func:`current`.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

import attrs

__all__ = ["DEFAULT_SETTINGS", "LayoutSettings", "current", "using"]


@attrs.frozen(kw_only=True)
class LayoutSettings:
    """The layout engine's tolerances (see the module's docstring for units)."""

    # -- ruling lines
    #: Parallel rules closer than this are one rule (double borders, both edges of a thin box).
    snap: float = 3.0
    #: A rule stopping this short of another still touches it.
    join: float = 3.0
    #: A filled rectangle thinner than this is a rule, not a box.
    thin: float = 2.5
    #: Rules on a lattice line must cover this share of a cell's side to separate two cells.
    rule_cover_share: float = 0.5

    # -- lines of text
    #: Glyphs whose centres are within this share of the smaller glyph's height share a line.
    same_line_share: float = 0.5
    #: A gap wider than this cuts a line into chunks (text in separate columns).
    chunk_gap_ems: float = 1.0
    #: A gap wider than this between two Latin characters is a space.
    space_gap_ems: float = 0.25
    #: The same character drawn again within this share of its width (and of its size, upwards)
    #: is fake bold or a shadow, drawn once.
    duplicate_share: float = 0.3
    #: Between the text of two cells of a table line, glyphs leave at least this gap.
    cell_gap_ems: float = 0.6

    # -- ruled tables
    #: A glyph whose centre is this far outside a lattice still belongs to it.
    lattice_margin: float = 1.0
    #: The cells' padding is at most this, or ``cell_pad_ems`` of the text size if more.
    cell_pad_max: float = 6.0
    cell_pad_ems: float = 0.6
    #: A few boxes (at most this many cells) holding running text (``frame_lines`` lines or more,
    #: one at least ``frame_width`` wide) are a framed paragraph or a page border, not a table.
    frame_cells: int = 4
    frame_lines: int = 6
    frame_width: float = 200.0
    #: A cell's last line leaving less room than this beside its text fills the cell (the text may
    #: run on past a page break).
    fill_room_ems: float = 0.9
    #: A label centred to within this and set off this much beyond the padding is centred.
    centred_tol: float = 1.0
    centred_room: float = 0.5

    # -- tables ruled with horizontal lines only
    #: Text this far beyond the rules' ends still lies within them.
    rules_margin: float = 1.0
    #: A band between rules whose text runs over this share of the rules' width, alone on its line,
    #: holds a paragraph (two such lines: it is no table row).
    prose_share: float = 0.7
    #: A table row leaves at most ``row_slack_ems`` of its text size plus ``row_slack`` empty
    #: between its rules; an empty band is a row when at most ``empty_row_share`` times the usual
    #: row height.
    row_slack_ems: float = 2.0
    row_slack: float = 4.0
    empty_row_share: float = 2.5
    #: A piece of text within this of a column edge is taken to lie inside the column.
    column_margin: float = 1.0
    #: A piece of text fills its cell when the next piece's first character would not fit after
    #: it with this much room to spare (at least ``fill_spare``).
    fill_spare_ems: float = 0.5
    fill_spare: float = 2.0
    #: Text centred on a run of columns to within this (at least ``centred_span_tol``) spans them.
    centred_span_ems: float = 0.15
    centred_span_tol: float = 1.5

    # -- columns of a table without vertical rules
    #: Text reaching this far into the gap between columns (at most ``edge_room_ems`` of its
    #: size, at least ``edge_room``) crosses the column edge.
    edge_room: float = 2.0
    edge_room_ems: float = 0.6
    #: Left and right ends of a column's text are aligned to within this; middles to within
    #: ``align_centre_tol``; a column shows an alignment when this share of its text does.
    align_tol: float = 1.0
    align_centre_tol: float = 1.5
    align_share: float = 0.6
    #: Two column edges closer than this (at least ``edge_gap``) are one edge.
    edge_gap: float = 3.0
    edge_gap_ems: float = 0.5

    # -- tables without rules
    #: Text starting this far from a column's left edge still starts in that column.
    anchor_tol: float = 2.5
    #: Left edges of text closer than this (at least ``anchor_cluster``) are one column's.
    anchor_cluster: float = 2.0
    anchor_cluster_ems: float = 0.3
    #: With exact positions, baseline distances within ``pitch_within`` of the smallest are a
    #: cell's lines, those ``pitch_between`` or more above it are between rows; the band of a
    #: cell's pitch is ``pitch_band`` either side.
    pitch_within: float = 0.25
    pitch_between: float = 0.45
    pitch_band: float = 0.3
    #: A learnt pitch between rows applies to a table whose every distance is this much above it.
    pitch_learnt_margin: float = 0.1
    #: Consecutive lines are one flow when their sizes differ by at most this share and they are
    #: at most ``flow_gap_ems`` apart (overlapping by at most ``flow_overlap_ems``).
    flow_size_share: float = 0.15
    flow_gap_ems: float = 3.0
    flow_overlap_ems: float = 0.3
    #: A line beside a table joins it when its gap is at most this many times the table's median
    #: line gap, plus ``table_gap_ems``.
    table_gap_share: float = 1.5
    table_gap_ems: float = 0.1
    #: Text reaching this far past the next column's left edge spans into that column.
    span_reach_ems: float = 0.2
    #: The padding of cells without rules lies between these (in ems).
    pad_min_ems: float = 0.5
    pad_max_ems: float = 2.0
    #: Text ending within this of the next column (less the padding, plus ``fill_slack``) fills
    #: its column, so it goes on in the next line.
    full_ems: float = 0.9
    fill_slack: float = 0.5
    #: A column with text in at least this many rows beside numbers, and never a number, is a
    #: label column: its empty places are covered by a neighbouring label, not blank values.
    label_rows: int = 3

    # -- paragraphs
    #: Lines spanning less than this width are no column of running text (no wrapping is told).
    column_ems: float = 15.0
    #: A line wraps into the next when their sizes differ by at most ``wrap_size_share``, it ends
    #: within ``wrap_end_ems`` of the text's right edge, the next starts within ``wrap_indent_ems``
    #: of its left edge and follows at most ``wrap_gap_ems`` below.
    wrap_size_share: float = 0.1
    wrap_end_ems: float = 2.5
    wrap_indent_ems: float = 0.5
    wrap_gap_ems: float = 1.2


DEFAULT_SETTINGS = LayoutSettings()

_current: contextvars.ContextVar[LayoutSettings] = contextvars.ContextVar("govreport_layout", default=DEFAULT_SETTINGS)


def current() -> LayoutSettings:
    """The settings of the page being laid out (:data:`DEFAULT_SETTINGS` outside :func:`using`)."""
    return _current.get()


@contextlib.contextmanager
def using(settings: LayoutSettings | None) -> Iterator[LayoutSettings]:
    """Lay pages out with ``settings`` within the block (``None``: keep the current ones)."""
    if settings is None:
        yield _current.get()
        return
    token = _current.set(settings)
    try:
        yield settings
    finally:
        _current.reset(token)
