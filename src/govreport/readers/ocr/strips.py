"""The text detector over a tall page in horizontal strips, at full resolution.

A DB text detector (RapidOCR's, PaddleOCR's) keeps feature maps the size of its input: over a
whole 220 dpi page (about 2560 × 1824 px) ONNX Runtime holds about 0.8 GB. Its output is a map of
how likely each pixel is to be text. So the page is cut into strips of a fixed height that
overlap: each strip is run through the network on its own, and only the rows of its *core* (the
strip less a margin at each inner edge, where the network would have seen the neighbouring
strip's pixels) are kept. The cores tile the page, and the boxes are found on the map put together
from them exactly as on a map of the whole page: nothing about boxes is merged or deduplicated.

The map is not the whole page's to the last digit: besides its convolutions, PP-OCRv4's detector
has squeeze-and-excitation blocks, which weigh each channel by its mean over the whole input, so
a strip that is mostly paper weighs its channels a little differently from the page. Boxes then
move by a pixel or two, and a faint speck may pass the detector's threshold in one and not the
other. The reader trims boxes to their ink and reads short doubtful texts again; the strips are tall
enough (:data:`STRIP_ROWS`) for the weights to stay near the page's, and the cuts between them
fall on the blankest rows near where they would be, so that no line of text is put together
from the maps of two strips.

Every strip has the same height (the last one ends at the page's bottom edge and overlaps its
predecessor more), so ONNX Runtime plans the memory of one input shape and reuses it. Strips start
at multiples of 32 px, the network's coarsest stride, so their grids line up with the page's.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["STRIP_ROWS", "STRIP_MARGIN", "strip_spans", "strip_map"]

#: Rows of the detector's input run at once (a multiple of 32): under a third of an A4 page at
#: 220 dpi, which bounds ONNX Runtime's feature maps at about 300 MB (a whole page: about 800 MB).
#: Strips of 512 rows read worse: a strip that is mostly paper weighs the channels of the
#: detector's squeeze-and-excitation blocks too differently from the page, and faint digits or a
#: table's header line went missing on the benchmark scans (``benchmarks/results/ocr.md``).
STRIP_ROWS = 768
#: Rows at an inner edge of a strip seen by the network but not kept (a multiple of 32): the
#: context its convolutions need for the rows next to them to come out as over the whole page
#: (two lines of text or more at 220 dpi).
STRIP_MARGIN = 96


def strip_spans(height: int, rows: int = STRIP_ROWS, margin: int = STRIP_MARGIN,
                ink: Sequence[float] | None = None) -> list[tuple[int, int, int, int]]:
    """``(start, stop, keep_from, keep_to)`` of each strip of an input ``height`` rows tall.

    Rows ``start:stop`` are run (``stop - start == rows`` for every strip of a page taller than
    ``rows``), rows ``keep_from:keep_to`` kept; the kept ranges tile ``0:height``, and each kept
    range lies at least ``margin`` rows inside its strip wherever the strip has a neighbour.

    With ``ink`` (how dark each row is), each cut between two kept ranges is moved up by up to a
    margin to the blankest row there: a cut through a line of text joins halves of its map that
    two strips weighed differently, and the detector then splits the line or moves its edges.
    """
    if rows <= 2 * margin:
        raise ValueError(f"a strip of {rows} rows leaves no core inside margins of {margin}")
    if height <= rows:
        return [(0, height, 0, height)]
    # the cut may move up a margin only where a strip then still ends past the next one's core
    window = margin if ink is not None and rows > 3 * margin + 32 else 0
    spans = []
    start = keep_from = 0
    while True:
        stop = start + rows
        if stop >= height:
            start, stop = height - rows, height
            keep_to = height
        else:
            keep_to = stop - margin
            if window:
                lo = max(keep_from + 1, keep_to - window)
                # the blankest row, the lowest of equals (the strips go on furthest)
                keep_to = min(range(keep_to, lo - 1, -1), key=lambda y: ink[y])  # type: ignore[index]
        spans.append((start, stop, keep_from, keep_to))
        if keep_to >= height:
            return spans
        keep_from = keep_to
        start = (keep_to - margin) // 32 * 32


def strip_map(image: np.ndarray, run: Callable[[np.ndarray], np.ndarray], *, rows: int | None = None,
              margin: int | None = None) -> np.ndarray:
    """The detector's map ``(1, 1, h, w)`` of ``image`` (``(h, w, …)``, already at the detector's
    input size), put together from ``run`` over strips of it; ``run`` takes a slice of ``image``
    and returns the map of that slice, ``(1, 1, rows of the slice, w)``. The cuts between strips
    fall on the blankest rows near them (:func:`strip_spans`)."""
    h, w = image.shape[:2]
    rows = STRIP_ROWS if rows is None else rows
    if h <= rows:
        return run(image)
    # how dark each row is: the darkest channel of each pixel, summed along the row
    grey = image.min(axis=2) if image.ndim == 3 else image
    ink = (255.0 - grey.astype(np.float32)).sum(axis=1).tolist()
    spans = strip_spans(h, rows, STRIP_MARGIN if margin is None else margin, ink)
    out = np.empty((1, 1, h, w), dtype=np.float32)
    for start, stop, keep_from, keep_to in spans:
        part = run(image[start:stop])
        out[0, 0, keep_from:keep_to] = part[0, 0, keep_from - start : keep_to - start]
    return out
