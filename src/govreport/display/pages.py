"""Page images for ``govreport show``, and where on them each cell of the document stands.

Pages are drawn with PDFium (pypdfium2, of the ``ocr`` extra). Readers keep no coordinates, so a
cell's box is found again on the page: PDFium's text layer is searched for the cells of each grid
in reading order, each search starting after the cell before, so that a "0" is found in its own
row and not in the first row that prints a 0. A cell that is not found (a blank, text the reader
rebuilt) takes its column's horizontal extent and its row's vertical one from the cells that were.
Scans have no text layer: their pages are drawn without boxes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable

import attrs

from ..document import Document, Grid
from ..pdftext.pdfium import open_document, pdfium_lock

#: Page images are drawn at this many pixels per PDF point (1.5: 108 dpi, sharp enough for print).
SCALE = 1.5

Box = tuple[float, float, float, float]  # left, top, right, bottom in image pixels


@attrs.frozen
class PageImage:
    number: int
    width: int
    height: int
    data_uri: str


@attrs.frozen
class Placed:
    """Where one grid and its cells stand on a page."""

    page: int
    grid: int
    outline: Box
    cells: dict[tuple[int, int], Box]  # (row, column) -> box


def _pdfium():
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    return pdfium


def can_draw() -> bool:
    """Whether page images can be drawn (pypdfium2 and Pillow, the ``ocr`` extra)."""
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return _pdfium() is not None


def _png(image) -> str:  # noqa: ANN001 - a PIL image
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def pdf_pages(data: bytes, wanted: Iterable[int] | None = None) -> list[PageImage]:
    """The pages of a PDF as PNG data URIs (``wanted``: 1-based page numbers, default all)."""
    keep = set(wanted) if wanted is not None else None
    out = []
    with open_document(data) as pdf:
        with pdfium_lock():
            count = len(pdf)
        for i in range(count):
            if keep is not None and i + 1 not in keep:
                continue
            with pdfium_lock():  # PDFium is not thread-safe; the PNG is encoded outside the lock
                page = pdf[i]
                try:
                    bitmap = page.render(scale=SCALE)
                    img = bitmap.to_pil().copy()  # its own pixels: the bitmap is freed here, under the lock
                    bitmap.close()
                finally:
                    page.close()
            out.append(PageImage(i + 1, img.width, img.height, _png(img)))
    return out


def image_page(data: bytes) -> PageImage:
    """An image input (a scan saved as PNG, JPEG, TIFF) as one page."""
    from PIL import Image

    img: Image.Image = Image.open(io.BytesIO(data))
    img.load()
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if max(img.size) > 2000:  # a 300 dpi scan: a page at screen size keeps the file small
        img.thumbnail((2000, 2000))
    return PageImage(1, img.width, img.height, _png(img))


def _squash(text: str) -> str:
    return "".join(text.split())


def place_cells(data: bytes, doc: Document) -> list[Placed]:
    """Boxes of the document's grids and cells on their pages (image pixels at :data:`SCALE`)."""
    grids: dict[int, list[tuple[int, Grid]]] = {}
    n = 0
    for block in doc.blocks:
        if isinstance(block, Grid):
            page = block.loc.page or (block.rows[0][0].loc.page if block.rows and block.rows[0] else None)
            if page:
                grids.setdefault(page, []).append((n, block))
            n += 1
    out: list[Placed] = []
    with open_document(data) as pdf:
        for number, page_grids in sorted(grids.items()):
            with pdfium_lock():
                if number > len(pdf):
                    continue
                page = pdf[number - 1]
                try:
                    height = page.get_size()[1]
                    chars, boxes = _chars(page)
                finally:
                    page.close()
            cursor = 0
            for g, grid in page_grids:
                placed, cursor = _place_grid(grid, chars, boxes, cursor, height)
                if placed:
                    outline = _union(placed.values())
                    out.append(Placed(number, g, outline, placed))
    return out


def _chars(page) -> tuple[str, list[Box]]:  # noqa: ANN001 - a PdfPage
    """The page's non-blank characters in stream order, and the box of each (PDF points)."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text: list[str] = []
        boxes: list[Box] = []
        for i in range(n):
            ch = tp.get_text_range(i, 1)
            if not ch or ch.isspace():
                continue
            text.append(ch[0])
            boxes.append(tp.get_charbox(i))
        return "".join(text), boxes
    finally:
        tp.close()


def _place_grid(grid: Grid, chars: str, boxes: list[Box], cursor: int, height: float
                ) -> tuple[dict[tuple[int, int], Box], int]:
    found: dict[tuple[int, int], Box] = {}
    start = cursor
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            want = _squash(cell.text)
            if not want or cell.merged:
                continue
            at = chars.find(want, cursor)
            if at < 0 or at - cursor > 4000:  # too far ahead: not this cell; look once from the grid's start
                at = chars.find(want, start)
                if at < 0:
                    continue
            found[(r, c)] = _to_pixels(_union(boxes[at:at + len(want)]), height)
            cursor = max(cursor, at + len(want))
    _fill_blanks(grid, found)
    return found, cursor


def _fill_blanks(grid: Grid, found: dict[tuple[int, int], Box]) -> None:
    cols: dict[int, list[Box]] = {}
    rows: dict[int, list[Box]] = {}
    for (r, c), b in found.items():
        cols.setdefault(c, []).append(b)
        rows.setdefault(r, []).append(b)
    for r, row in enumerate(grid.rows):
        for c, _cell in enumerate(row):
            if (r, c) in found or r not in rows or c not in cols:
                continue
            xs, ys = cols[c], rows[r]
            found[(r, c)] = (min(b[0] for b in xs), min(b[1] for b in ys), max(b[2] for b in xs), max(b[3] for b in ys))


def _union(boxes: Iterable[Box]) -> Box:
    """The smallest box around ``boxes`` (either corner order: the mins and maxes are the same)."""
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _to_pixels(box: Box, height: float) -> Box:
    left, bottom, right, top = box
    return (left * SCALE, (height - top) * SCALE, right * SCALE, (height - bottom) * SCALE)
