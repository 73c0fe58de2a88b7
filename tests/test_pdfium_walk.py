"""The PDFium source's walk over a page's characters, against a stand-in for PDFium's calls: the
first walk, making glyphs as it meets plain characters, gives what the walk that keeps every
character until its neighbours are known gives, whatever the page holds."""

from __future__ import annotations

import math
import random

import pytest

from govreport.pdftext import pdfium


class _Page:
    """What _collect_glyphs asks of PDFium, answered from a list of characters and text objects."""

    def __init__(self, chars: list[dict], objects: dict) -> None:
        self.chars, self.objects = chars, objects
        self.matrix_out, self.float_out = [0.0] * 6, [0.0]
        self.corners, self.xy, self.tight = [0.0] * 4, [0.0, 0.0], [0.0] * 4
        self.matrix_at = self.float_at = self.corners_at = self.x_at = self.y_at = None
        self.tight_at = (None,) * 4

    def handle(self, text):
        return text

    def count_chars(self, page):
        return len(self.chars)

    def is_generated(self, page, i):
        return self.chars[i]["generated"]

    def map_error(self, page, i):
        return self.chars[i]["unmapped"]

    def unicode(self, page, i):
        return ord(self.chars[i]["text"])

    def text_object(self, page, i):
        return self.chars[i]["object"]

    def matrix(self, page, i, at):
        m = self.chars[i]["matrix"]
        if m is None:
            return 0  # PDFium could not say
        self.matrix_out[:] = [*m, 0.0, 0.0]
        return 1

    def object_size(self, obj, at):
        size = self.objects[obj]["size"]
        if size is None:
            return 0
        self.float_out[0] = size
        return 1

    def font(self, obj):
        return self.objects[obj]["font"]

    def descent(self, font, size, at):
        self.float_out[0] = -0.2 * size
        return 1

    def char_size(self, page, i):
        return 11.0

    def origin_at(self, page, i, at_x, at_y):
        self.xy[:] = self.chars[i]["origin"]
        return 1

    def loose_box_at(self, page, i, at):
        box = self.chars[i]["box"]
        if box is None:
            return 0
        self.corners[:] = box
        return 1

    def tight_box(self, page, i, *at):
        ink = self.chars[i]["ink"]
        if ink is None:
            return 0
        self.tight[:] = ink
        return 1

    def glyph_width(self, font, code, size, at):
        self.float_out[0] = 0.5
        return 1


_UPRIGHT, _TURNED, _SLANTED = (1.0, 0.0, 0.0, 1.0), (0.0, 1.0, -1.0, 0.0), (0.7, 0.7, -0.7, 0.7)


def _page(rng: random.Random) -> tuple[list[dict], dict]:
    """A page of a few text objects, upright most of them, some characters of which PDFium gives no
    matrix, stepping down or at no finite place now and then."""
    objects = {k: {"size": rng.choice([12.0, 10.0, 0.0, None]), "font": rng.choice([0, 7]),
                   "matrix": rng.choice([_UPRIGHT] * 5 + [_TURNED, _SLANTED, (0.05, 0.0, 0.0, 0.05)])}
               for k in range(1, rng.randint(1, 4) + 1)}
    objects[0] = {"size": None, "font": 0, "matrix": _UPRIGHT}
    chars = []
    y = 700.0
    for _ in range(rng.randint(0, 12)):
        obj = rng.choice([*objects] * 3 + [None])
        if rng.random() < 0.3:
            y = rng.choice([700.0, 690.0, 710.0, math.nan, math.inf])
        x = rng.choice([72.0, 80.0, 90.0, math.nan])
        size = objects[obj or 0]["size"] or 12.0
        left = x if x == x else 0.0
        box = None if rng.random() < 0.1 else [left, (y if y == y else 0.0) + size,
                                               left + rng.choice([size, size / 2, 0.37 * size, 5 * size]),
                                               y if y == y else 0.0]
        text = rng.choice("a中 \nb\x00")
        chars.append({"generated": int(text in " \n" and rng.random() < 0.5), "unmapped": int(rng.random() < 0.05),
                      "text": text, "object": obj, "origin": (x, y), "box": box,
                      "matrix": objects[obj or 0]["matrix"] if rng.random() > 0.15 else None,
                      "ink": None if rng.random() < 0.5 else [left + rng.choice([0.0, 1.0]), left + 4.4, 0.0, 1.0]})
    return chars, objects


def _walked(chars: list[dict], objects: dict, walks: tuple[bool, ...], monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(pdfium, "_WALKS", walks)
    monkeypatch.setattr(pdfium, "_page_text", lambda pdf, page, count: "".join(c["text"] for c in chars) or None)
    glyphs: list = []
    counts = [0] * 8
    pdfium._collect_glyphs(_Page(chars, objects), "page", (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), glyphs, counts)
    return [(g.text, *map(float.hex, (g.x0, g.y0, g.x1, g.y1, g.size))) for g in glyphs], counts


def test_a_character_without_a_matrix_before_one_of_its_object_that_has_one(monkeypatch):
    """PDFium gives the first character of an object no matrix, the next one a matrix, and a later
    character is turned: the first walk gives up there, and the second must skip the first
    character as the walk that keeps every character does, not take it for its object's."""
    objects = {1: {"size": 12.0, "font": 0}, 2: {"size": 12.0, "font": 0}}
    chars = [{"generated": 0, "unmapped": 0, "text": "a", "object": obj, "origin": (x, 700.0),
              "box": [x, 712.0, x + 6.0, 700.0], "matrix": m, "ink": None}
             for obj, m, x in ((1, None, 72.0), (1, _UPRIGHT, 78.0), (2, _TURNED, 90.0))]
    first_then_kept = _walked(chars, objects, (True, False), monkeypatch)
    assert first_then_kept == _walked(chars, objects, (False,), monkeypatch)
    assert len(first_then_kept[0]) == 2


@pytest.mark.parametrize("seed", range(40))
def test_the_first_walk_gives_what_keeping_every_character_gives(seed, monkeypatch):
    rng = random.Random(seed)
    for _ in range(50):
        chars, objects = _page(rng)
        assert _walked(chars, objects, (True, False), monkeypatch) == _walked(chars, objects, (False,), monkeypatch)
