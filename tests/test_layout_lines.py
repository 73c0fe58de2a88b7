"""Text lines from glyphs: a cell's text is its lines' text, whatever shortcut reads it."""

from __future__ import annotations

from hypothesis import given, strategies as st

from govreport.layout.lines import build_lines, cell_text
from govreport.layout.primitives import Glyph

_TEXT = st.text(alphabet=st.sampled_from("0123456789一二三 \u3000\t-,.（）"), min_size=1, max_size=3)
_GLYPH = st.builds(lambda x, y, w, t: Glyph(x, y, x + w, y + 10.0, t, 10.0),
                   st.floats(0, 500), st.floats(0, 800), st.floats(0.5, 12), _TEXT)


def _by_lines(glyphs: list[Glyph]) -> str:
    return "\n".join(t for t in (ln.text.strip() for ln in build_lines(list(glyphs))) if t)


@given(st.lists(_GLYPH, min_size=1, max_size=6))
def test_cell_text_is_the_text_of_its_lines(glyphs):
    assert cell_text(glyphs) == _by_lines(glyphs)


def test_a_cell_of_two_lines_keeps_them_apart():
    glyphs = [Glyph(10, 100, 16, 110, "合", 10), Glyph(16, 100, 22, 110, "计", 10), Glyph(10, 80, 16, 90, "2", 10)]
    assert cell_text(glyphs) == "合计\n2"
