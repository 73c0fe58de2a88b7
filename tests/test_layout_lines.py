"""Text lines from glyphs: a cell's text is its lines' text, whatever shortcut reads it."""

from __future__ import annotations

import math

from hypothesis import given, strategies as st

from govreport.layout.lines import Line, _rows, build_lines, cell_pieces, cell_text, join_glyphs
from govreport.layout.settings import current
from govreport.layout.primitives import Glyph

_TEXT = st.text(alphabet=st.sampled_from("0123456789一二三 \u3000\t-,.（）"), min_size=1, max_size=3)
_GLYPH = st.builds(lambda x, y, w, t: Glyph(x, y, x + w, y + 10.0, t, 10.0),
                   st.floats(0, 500), st.floats(0, 800), st.floats(0.5, 12), _TEXT)


def _by_lines(glyphs: list[Glyph]) -> str:
    return "\n".join(t for t in (ln.text.strip() for ln in build_lines(list(glyphs))) if t)


@given(st.lists(_GLYPH, min_size=1, max_size=6))
def test_cell_text_is_the_text_of_its_lines(glyphs):
    assert cell_text(glyphs) == _by_lines(glyphs)


# glyphs on a few baselines, in a few sizes, some of them printed twice at (almost) one place (fake
# bold, or another character there): cells of one line of one font, of one line of mixed sizes, and of several lines
_ON_LINE = st.builds(lambda x, base, size, w, t: Glyph(x, base - 0.2 * size, x + w, base + 0.8 * size, t, size),
                     st.floats(0, 120), st.sampled_from([100.0, 100.4, 111.0, 124.0]), st.sampled_from([9.0, 10.5, 12.0]),
                     st.floats(0.5, 12), _TEXT)


@st.composite
def _cells(draw: st.DrawFn) -> list[Glyph]:
    glyphs = draw(st.lists(_ON_LINE, min_size=2, max_size=10))
    if draw(st.booleans()):  # one font and size on one baseline, as most cells are
        size, base = glyphs[0].size, glyphs[0].y0
        glyphs = [Glyph(g.x0, base, g.x1, base + size, g.text, size) for g in glyphs]
    for k in draw(st.lists(st.integers(0, len(glyphs) - 1), max_size=3)):
        # printed again a hair to the right, or at the very same place (the order of glyphs
        # that start at one x decides which comes first in the text)
        g, dx = glyphs[k], draw(st.sampled_from([0.0, 0.1]))
        text = g.text if draw(st.booleans()) else draw(_TEXT)
        glyphs.insert(k + 1, Glyph(g.x0 + dx, g.y0, g.x1 + dx, g.y1, text, g.size))
    return glyphs


@given(_cells())
def test_cell_text_of_lines_and_doubled_glyphs_is_the_text_of_its_lines(glyphs):
    assert cell_text(glyphs) == _by_lines(glyphs)


def test_a_cell_of_two_lines_keeps_them_apart():
    glyphs = [Glyph(10, 100, 16, 110, "合", 10), Glyph(16, 100, 22, 110, "计", 10), Glyph(10, 80, 16, 90, "2", 10)]
    assert cell_text(glyphs) == "合计\n2"


def _grouped(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Lines as the layout defines them, spelt out: glyphs in order of their centres, top to bottom
    (glyphs of one centre in their order), each starting a new line unless it lies within the
    shared share of the lower height of it and the line's first glyph."""
    same = current().same_line_share
    out: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: -(g.y0 + g.y1) / 2):
        if out:
            first = out[-1][0]
            if abs((first.y0 + first.y1) / 2 - (g.y0 + g.y1) / 2) <= same * max(min(g.y1 - g.y0, first.y1 - first.y0), 0.1):
                out[-1].append(g)
                continue
        out.append([g])
    return out


@given(_cells())
def test_glyphs_are_grouped_into_lines_as_spelt_out(glyphs):
    assert [[id(g) for g in row] for row in _rows(glyphs)] == [[id(g) for g in row] for row in _grouped(glyphs)]


def test_glyphs_centred_at_no_finite_height_are_no_line_together():
    """A centre that overflows (or is NaN) is at no distance from any other: each glyph its own
    line, as the grouping spelt out has it, even when all of them share one box."""
    glyphs = [Glyph(10, 1e308, 15, 1e308, "a", 10), Glyph(20, 1e308, 25, 1e308, "b", 10)]
    assert [[g.text for g in row] for row in _rows(glyphs)] == [[g.text for g in row] for row in _grouped(glyphs)]
    assert cell_text(glyphs) == _by_lines(glyphs) == "a\nb"


def test_a_line_reads_with_the_settings_of_the_page_it_was_laid_out_on():
    """A line's text is joined when first read, maybe after the page was laid out: with the
    settings the page was laid out with all the same (here a gap of 0.2 em parts Latin letters)."""
    from govreport.layout import layout_page
    from govreport.layout.settings import LayoutSettings

    def word(x: float, y: float, s: str) -> list[Glyph]:
        return [Glyph(x + 7 * k, y, x + 7 * k + 5, y + 10, ch, 10.0) for k, ch in enumerate(s)]

    items = layout_page(word(10, 700, "abc") + word(10, 680, "def"), [], settings=LayoutSettings(space_gap_ems=0.1))
    assert [[ln.text for ln in it.lines] for it in items] == [["a b c"], ["d e f"]]
    assert [it.text for it in items] == ["a b c", "d e f"]
    assert [[ln.text for ln in it.lines] for it in layout_page(word(10, 700, "abc"), [])] == [["abc"]]


def _pieces_spelt_out(glyphs: list[Glyph]) -> list[str]:
    gap = current().cell_gap_ems
    out: list[list[Glyph]] = []
    for g in glyphs:
        if g.text.isspace():
            continue
        if not out or g.x0 - out[-1][-1].x1 > gap * max(out[-1][-1].size, g.size, 1.0):
            out.append([g])
        else:
            out[-1].append(g)
    return [join_glyphs(p) for p in out]


@given(st.lists(st.builds(lambda x, w, size, t: Glyph(x, 100.0, x + w, 110.0, t, size), st.floats(0, 200),
                          st.floats(0.5, 12), st.sampled_from([0.5, 9.0, 12.0, math.nan]), _TEXT), min_size=1, max_size=8))
def test_a_table_line_is_cut_into_pieces_as_spelt_out(glyphs):
    """Where a gap may part two cells: wider than the larger of the two glyphs' sizes (and of one
    point) in the settings' ems, max() deciding as it does, a NaN size included."""
    line = Line(list(glyphs))
    assert [p.text for p in cell_pieces(line)] == _pieces_spelt_out(line.glyphs)
