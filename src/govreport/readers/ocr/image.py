"""Page images for the ``ocr`` reader: cleaning, orientation, skew, ruling lines and stray ink.

Everything works on ``numpy`` arrays (no OpenCV needed): a page is an ``(h, w)`` grey ``uint8``
image, ink is a boolean mask. What is done to a page, in order:

1. **Stamps.** Strongly red pixels (a red 公章 over the signature, or over the table) are painted
   white before anything else looks at the page, so that neither the line finder nor the OCR
   engine sees them; black text under a stamp stays dark and survives.
2. **Skew.** The angle within ±3° that makes the rows of ink sharpest (the projection profile with
   the most energy) is measured on a reduced image, and the page turned back by it.
3. **Ruling lines.** Long, thin runs of dark pixels, horizontal and vertical, found after closing
   gaps of a few pixels (JPEG noise and slight residual skew break a printed rule); they become
   the segments the table engine builds ruled tables from, and are erased from the image the OCR
   engine reads (a rule touching a digit is easily read as ``1``).
4. **Stray ink.** Groups of ink that no text box of the OCR engine covers; the reader has them read
   again on their own (detectors drop lone digits in wide tables).
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "drop_red",
    "to_grey",
    "ink_mask",
    "skew_angle",
    "rotate",
    "find_rules",
    "erase_rules",
    "stray_ink",
    "Rule",
]


def drop_red(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """Paint strongly red pixels white; returns the image and how many pixels were red."""
    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    red = (r > 120) & (r - g > 60) & (r - b > 45)
    # JPEG's coarse colour leaves the rims of red strokes pale and less red: take pixels next to
    # stamp ink that are still reddish and not dark (dark pixels are print under the stamp)
    near = red.copy()
    near[1:] |= red[:-1]
    near[:-1] |= red[1:]
    near[:, 1:] |= red[:, :-1]
    near[:, :-1] |= red[:, 1:]
    red |= near & (r > 110) & (r - g > 30) & (r - b > 20)
    n = int(red.sum())
    if n:
        rgb = rgb.copy()
        rgb[red] = 255
    return rgb, n


#: Each byte value times its channel's weight in grey, in float32 (ITU-R BT.601 luma).
_LUMA = tuple((np.arange(256, dtype=np.float32) * np.float32(w)).astype(np.float32) for w in (0.299, 0.587, 0.114))


def lookup(table: np.ndarray, plane: np.ndarray) -> np.ndarray:
    """``table[plane]`` for a ``uint8`` plane and a table of 256 values: OpenCV's table lookup where
    it is installed (it comes with RapidOCR), a tenth of NumPy's time, which first widens every
    byte to an index."""
    lut = _cv2_lut()
    if lut is None or table.shape != (256,):
        return np.take(table, plane)
    return lut(np.ascontiguousarray(plane), table)


@functools.cache
def _cv2_lut():
    try:
        import cv2
    except ImportError:
        return None
    return cv2.LUT


def to_grey(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return img.astype(np.uint8, copy=False)
    if img.dtype != np.uint8:
        rgb = img[:, :, :3].astype(np.float32)
        grey = rgb[:, :, 0] * 0.299 + rgb[:, :, 1] * 0.587 + rgb[:, :, 2] * 0.114
        return np.clip(grey + 0.5, 0, 255).astype(np.uint8)
    # the same float32 products looked up rather than computed, and summed in the same order:
    # the same grey to the last bit, without a float copy of the three channels
    grey = lookup(_LUMA[0], img[:, :, 0])
    grey += lookup(_LUMA[1], img[:, :, 1])
    grey += lookup(_LUMA[2], img[:, :, 2])
    grey += np.float32(0.5)
    np.clip(grey, 0, 255, out=grey)
    return grey.astype(np.uint8)


def ink_threshold(grey: np.ndarray) -> int:
    """Otsu's threshold of the page, kept within sane bounds for black print on light paper."""
    hist = np.bincount(grey[::2, ::2].ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if not total:
        return 128
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mt = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    t = int(np.argmax(between))
    return int(min(max(t, 90), 200))


def ink_mask(grey: np.ndarray, threshold: int | None = None) -> np.ndarray:
    return grey < (ink_threshold(grey) if threshold is None else threshold)


# --------------------------------------------------------------------------------------------
# skew


def _reduce(mask: np.ndarray, f: int) -> np.ndarray:
    """Any-pooling by ``f`` in both directions."""
    if f <= 1:
        return mask
    h, w = mask.shape
    h2, w2 = h // f, w // f
    return np.asarray(mask[: h2 * f, : w2 * f].reshape(h2, f, w2, f).any(axis=(1, 3)))


def skew_angle(ink: np.ndarray, dpi: float, *, limit: float = 3.0) -> float:
    """The angle (degrees, counter-clockwise positive as PIL's ``rotate``) the page's text rows lean
    by; :func:`rotate` by its negative straightens them."""
    f = max(1, int(round(dpi / 75)))
    small = _reduce(ink, f)
    ys, xs = np.nonzero(small)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 60000:
        idx = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[idx], xs[idx]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - small.shape[1] / 2

    def score(deg: float) -> float:
        a = math.radians(deg)
        proj = np.round(ys * math.cos(a) + xs * math.sin(a)).astype(np.int64)
        proj -= proj.min()
        h = np.bincount(proj).astype(np.float64)
        return float((h * h).sum())

    best = max(np.arange(-limit, limit + 1e-9, 0.2), key=score)
    fine = max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.04), key=score)
    base = score(0.0)
    # keep the page as it is unless turning it clearly sharpens the rows
    if abs(fine) < 0.05 or score(fine) < base * 1.01:
        return 0.0
    return float(fine)


def rotate(img: np.ndarray, deg: float) -> np.ndarray:
    """Turn a grey page by ``deg`` degrees counter-clockwise, filling with white."""
    from PIL import Image

    if deg % 360 == 0:
        return img
    if deg % 90 == 0:
        return np.ascontiguousarray(np.rot90(img, int(deg // 90) % 4))
    pil = Image.fromarray(img)
    out = pil.rotate(deg, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return np.asarray(out)


# --------------------------------------------------------------------------------------------
# ruling lines


class Rule:
    """A ruling line found on the image, in pixels: ``pos`` is y (horizontal) or x (vertical)."""

    __slots__ = ("horizontal", "pos", "start", "end", "width")

    def __init__(self, horizontal: bool, pos: float, start: int, end: int, width: int) -> None:
        self.horizontal, self.pos, self.start, self.end, self.width = horizontal, pos, start, end, width

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Rule({'H' if self.horizontal else 'V'} {self.pos:.1f}: {self.start}-{self.end} w{self.width})"


def _close_rows(mask: np.ndarray, gap: int) -> np.ndarray:
    """Fill gaps of at most ``gap`` pixels along each row (nearly a 1-D morphological closing).

    A pixel is set where there is ink within ``gap`` pixels to its left (itself included) and within
    ``gap + 1`` to its right; so a longer gap, up to twice that, is narrowed from both ends, not
    left as it was as a true closing would."""
    if gap <= 0:
        return mask
    k = gap + 1
    w = mask.shape[1]
    # running counts of ink along each row: uint16 holds them for rows under 65535 px and moves
    # half the bytes of int32 (a count never falls, so differences of it never wrap)
    dt = np.uint16 if w + 2 * k < 65535 else np.int64
    padded = np.zeros((mask.shape[0], w + 2 * k), dtype=dt)
    padded[:, k : k + w] = mask
    c = np.cumsum(padded, axis=1, dtype=dt)
    # ink somewhere within k pixels to the left, and within k to the right
    left = c[:, k : k + w] != c[:, :w]
    right = c[:, 2 * k : 2 * k + w] != c[:, k : k + w]
    return mask | (left & right)


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Runs of True along each row at least ``min_len`` long: ``(row, start, end)`` (end exclusive)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(d == 1)
    rows_e, cols_e = np.nonzero(d == -1)
    # starts and ends pair up in order within each row
    keep = (cols_e - cols_s) >= min_len
    return list(zip(rows_s[keep].tolist(), cols_s[keep].tolist(), cols_e[keep].tolist()))


def _group(runs: list[tuple[int, int, int]], horizontal: bool, max_width: int) -> list[Rule]:
    """Runs on neighbouring rows that overlap make one rule (a line a few pixels thick)."""
    runs.sort()
    open_: list[list[int]] = []  # [first row, last row, start, end, sum of rows*len, total len]
    done: list[list[int]] = []
    for row, s, e in runs:
        hit = None
        still = []
        for g in open_:
            if g[1] < row - 1:
                done.append(g)
                continue
            still.append(g)
            if hit is None and g[1] >= row - 1 and min(e, g[3]) - max(s, g[2]) > 0.5 * min(e - s, g[3] - g[2]):
                hit = g
        open_ = still
        if hit is not None:
            hit[1] = row
            hit[2], hit[3] = min(hit[2], s), max(hit[3], e)
            hit[4] += row * (e - s)
            hit[5] += e - s
        else:
            open_.append([row, row, s, e, row * (e - s), e - s])
    done.extend(open_)
    out = []
    for first, last, s, e, wsum, total in done:
        width = last - first + 1
        if width > max_width:
            continue  # a filled block (a shaded cell, a photo), not a rule
        out.append(Rule(horizontal, wsum / total, s, e, width))
    return out


def find_rules(ink: np.ndarray, dpi: float) -> list[Rule]:
    """Horizontal and vertical ruling lines: long thin runs of ink.

    A horizontal rule is at least 0.6 in long, a vertical one 0.3 in, or 0.1 in where it joins two
    horizontal rules (the borders of a single table row); both at most 0.06 in thick. Gaps up to 0.02 in are closed first, and each row is merged with
    its neighbours, so that a rule broken by noise or leaning by a pixel is still one run.
    """
    gap = max(2, int(round(dpi * 0.02)))
    max_width = max(4, int(round(dpi * 0.06)))
    # a pixel row sees the ink of the rows next to it: a rule leaning by a pixel stays one run
    m = ink.copy()
    m[1:] |= ink[:-1]
    m[:-1] |= ink[1:]
    h_runs = _runs(_close_rows(m, gap), int(dpi * 0.6))
    mt = ink.T.copy()
    mt[1:] |= ink.T[:-1]
    mt[:-1] |= ink.T[1:]
    v_runs = _runs(_close_rows(mt, gap), int(dpi * 0.1))
    hs = [r for r in _group(h_runs, True, max_width + 2) if _isolated(ink, r, gap)]
    vs = [r for r in _group(v_runs, False, max_width + 2) if _isolated(ink, r, gap)]
    # a short vertical rule (the borders of a one-line table row) counts only where it runs from
    # one horizontal rule to another, as a table's borders do; a stroke of a character does not
    vs = [v for v in vs if v.end - v.start >= dpi * 0.3 or (_meets(v, v.start, hs, gap) and _meets(v, v.end, hs, gap))]
    return hs + vs


def _meets(v: Rule, y: float, hs: list[Rule], gap: int) -> bool:
    """Whether a vertical rule's end touches a horizontal rule (allowing the gap closed above)."""
    return any(abs(h.pos - y) <= h.width / 2 + gap and h.start - gap <= v.pos <= h.end + gap for h in hs)


def _isolated(ink: np.ndarray, r: Rule, gap: int) -> bool:
    """Whether a rule has white paper beside it along most of its length.

    A printed rule does (text in a cell keeps some distance; only crossing rules touch it); a
    stroke of a line of (bold) characters, which can also make a long run, does not: the other
    strokes of those characters lie right above and below.
    """
    half = r.width / 2
    off = int(math.ceil(half)) + gap
    h, w = ink.shape
    a, b = int(round(r.pos - off)), int(round(r.pos + off))
    if r.horizontal:
        if a < 0 or b >= h:
            return True
        above, below = ink[a, r.start : r.end], ink[b, r.start : r.end]
    else:
        if a < 0 or b >= w:
            return True
        above, below = ink[r.start : r.end, a], ink[r.start : r.end, b]
    clear = ~(above | below)
    return float(clear.mean()) >= 0.6 if len(clear) else False


def erase_rules(grey: np.ndarray, ink: np.ndarray, rules: list[Rule]) -> tuple[np.ndarray, np.ndarray]:
    """The page without its ruling lines (painted white), and its ink mask likewise."""
    if not rules:
        return grey, ink
    grey = grey.copy()
    ink = ink.copy()
    h, w = grey.shape
    for r in rules:
        half = r.width / 2 + 1.5
        a, b = int(math.floor(r.pos - half)), int(math.ceil(r.pos + half)) + 1
        if r.horizontal:
            sl = (slice(max(a, 0), min(b, h)), slice(max(r.start - 1, 0), min(r.end + 1, w)))
        else:
            sl = (slice(max(r.start - 1, 0), min(r.end + 1, h)), slice(max(a, 0), min(b, w)))
        grey[sl] = 255
        ink[sl] = False
    return grey, ink


# --------------------------------------------------------------------------------------------
# ink that no text box covers


def stray_ink(ink: np.ndarray, boxes: list[tuple[float, float, float, float]], *, text_height: float,
              min_height: float) -> list[tuple[int, int, int, int]]:
    """Boxes ``(left, top, right, bottom)`` around groups of ink outside every text box.

    Groups are made on the ink reduced by a few pixels and spread sideways by half a text height
    (the characters of one word join, separate cells do not). Groups lower than ``min_height``
    (dust, JPEG noise, the dot of a stamp) or much taller than a line are left out.
    """
    h, w = ink.shape
    free = ink.copy()
    for x0, y0, x1, y1 in boxes:
        free[max(int(y0) - 1, 0) : min(int(math.ceil(y1)) + 2, h), max(int(x0) - 1, 0) : min(int(math.ceil(x1)) + 2, w)] = False
    if not free.any():
        return []
    f = 2
    small = _reduce(free, f)
    spread = max(1, int(text_height * 0.5 / f))
    joined = _close_rows(small, spread)
    labels = _components(joined)
    out = []
    for x0, y0, x1, y1 in labels:
        # bounds in the full image, trimmed to the ink inside
        X0, Y0, X1, Y1 = x0 * f, y0 * f, (x1 + 1) * f, (y1 + 1) * f
        sub = free[Y0:Y1, X0:X1]
        if not sub.any():
            continue
        rows = np.nonzero(sub.any(axis=1))[0]
        cols = np.nonzero(sub.any(axis=0))[0]
        Y0, Y1 = Y0 + int(rows[0]), Y0 + int(rows[-1]) + 1
        X0, X1 = X0 + int(cols[0]), X0 + int(cols[-1]) + 1
        hh = Y1 - Y0
        if hh < min_height or hh > 2.5 * text_height:
            continue
        if int(sub.sum()) < 0.15 * min_height * min_height:
            continue
        out.append((X0, Y0, X1, Y1))
    return out


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes ``(x0, y0, x1, y1)`` (inclusive) of 8-connected groups, from runs per row."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rs, cs = np.nonzero(d == 1)
    _, ce = np.nonzero(d == -1)
    n = len(rs)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    # runs of the previous row, to join overlapping (or diagonally touching) runs
    by_row: dict[int, list[int]] = {}
    for i, r in enumerate(rs.tolist()):
        by_row.setdefault(r, []).append(i)
    cs_l, ce_l = cs.tolist(), ce.tolist()
    for r, idx in by_row.items():
        prev = by_row.get(r - 1)
        if not prev:
            continue
        j = 0
        for i in idx:
            while j < len(prev) and ce_l[prev[j]] < cs_l[i]:
                j += 1
            k = j
            while k < len(prev) and cs_l[prev[k]] <= ce_l[i]:
                a, b = find(i), find(prev[k])
                if a != b:
                    parent[max(a, b)] = min(a, b)
                k += 1
    boxes: dict[int, list[int]] = {}
    rs_l = rs.tolist()
    for i in range(n):
        root = find(i)
        box = boxes.get(root)
        if box is None:
            boxes[root] = [cs_l[i], rs_l[i], ce_l[i] - 1, rs_l[i]]
        else:
            box[0] = min(box[0], cs_l[i])
            box[1] = min(box[1], rs_l[i])
            box[2] = max(box[2], ce_l[i] - 1)
            box[3] = max(box[3], rs_l[i])
    return [(x0, y0, x1, y1) for x0, y0, x1, y1 in boxes.values()]
