"""Generated scans: random valid reports printed on A4 pages and degraded like a scanner would.

Used by the OCR reader's tests and benchmark. A report from :func:`govreport.testing.random_report`
is typeset with Pillow and a Chinese font (the national tables with their merged cells, prose,
signature and date), then put through the noise model below; the report itself is the gold answer.

    pages, gold = scan(seed=7)              # PIL images and the govreport/1 dict they show
    write_pdf(pages, "x.pdf")               # a scanned PDF (JPEG pages), or write_tiff(...)

Noise model (all drawn from the seed, so a seed always gives the same scan):

* **layout**: tables ruled (80 %; cell text centred vertically in half of them, else at the top)
  or printed without rules (20 %; text at the top of each cell, 0.6 em of padding a side); table
  text 9 or 10.5 pt, smaller where a long number would not fit its column;
* **stamp**: a red seal (circle, star, agency name) over the signature, and on colour scans with
  p=0.3 a second one over table B, printed multiplicatively (black text under it stays black; a
  grey scan turns a seal into grey ink that no colour test can tell from print, see docs/ocr.md);
* **paper**: with p=0.3 a slightly yellow or grey sheet;
* **skew**: the page turned by an angle drawn uniformly from ±``max_skew`` degrees (default 2);
* **orientation**: ``rotate`` (0, 90, 180 or 270) turns every page, as a sheet fed sideways;
* **resolution**: drawn at 300 dpi and scaled to 150, 200 or 300 dpi (``dpi`` fixes it);
* **blur**: a Gaussian blur of radius 0.3–0.8 px at the scan's resolution;
* **noise**: Gaussian noise of σ 2–8 grey levels, per pixel;
* **colour**: with p=0.5 the page is kept in colour, else turned grey;
* **JPEG**: every page saved as JPEG of quality 55–90 (its blocking and ringing stay in the scan).
"""

from __future__ import annotations

import io
import math
import random
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from govreport.model import Report
from govreport.testing import random_report
from govreport.testing.form import SECTIONS
from govreport.testing.parts import date_line, table_rows, title_lines

DPI = 300  # drawing resolution
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 280
PT = DPI / 72

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def font_path() -> str | None:
    """A font with Chinese characters, or ``None`` (scans cannot be generated without one)."""
    for p in _FONT_CANDIDATES:
        if Path(p).exists():
            return p
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        p = line.split(":")[0].strip()
        if p and Path(p).exists():
            return p
    return None


@lru_cache(maxsize=32)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    path = font_path()
    if path is None:
        raise RuntimeError("no Chinese font installed (apt-get install fonts-wqy-microhei)")
    return ImageFont.truetype(path, size_px)


# --------------------------------------------------------------------------------------------
# typesetting


class _Doc:
    def __init__(self, rng: random.Random, ruled: bool, table_pt: float) -> None:
        self.rng = rng
        self.ruled = ruled
        # cell text centred vertically (Word's "centre") or at the top; a table printed without
        # rules always has it at the top, as reports typed as plain text do
        self.middle = ruled and rng.random() < 0.5
        self.table_px = round(table_pt * PT)
        self.pages: list[Image.Image] = []
        self.new_page()

    def new_page(self) -> None:
        self.page = Image.new("RGB", PAGE, "white")
        self.draw = ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = MARGIN

    def room(self, h: float) -> None:
        if self.y + h > PAGE[1] - MARGIN:
            self.new_page()

    def text_width(self, text: str, size: int) -> float:
        return _font(size).getlength(text)

    def paragraph(self, text: str, size_pt: float = 12, *, center: bool = False, right: bool = False,
                  indent: bool = True, gap: float = 0.6) -> None:
        size = round(size_pt * PT)
        width = PAGE[0] - 2 * MARGIN
        lines = _wrap(("\u3000\u3000" if indent and not (center or right) else "") + text, size, width)
        lh = size * 1.5
        for ln in lines:
            self.room(lh)
            w = self.text_width(ln, size)
            x = (PAGE[0] - w) / 2 if center else (PAGE[0] - MARGIN - w if right else MARGIN)
            self.draw.text((x, self.y), ln, font=_font(size), fill=(0, 0, 0))
            self.y += lh
        self.y += size * gap

    def table(self, cells: list[tuple[int, int, int, int, str]], widths: list[float], *, center_cols: int = 0) -> tuple:
        """Draw a table of cells ``(row0, col0, row1, col1, text)`` (inclusive spans).

        Rows are kept whole; a table longer than the page goes on on the next one. Returns the
        box of the rows of the last page drawn (for placing a stamp).
        """
        size = self.table_px
        width = PAGE[0] - 2 * MARGIN
        xs = [MARGIN]
        for w in widths:
            xs.append(xs[-1] + w * width)
        nrows = max(c[2] for c in cells) + 1
        # numbers are not broken over lines: as Word fits a table to its contents, the table's
        # text gets smaller until the longest number fits its column (down to 7 pt)
        worst = max((self.text_width(c[4], size) / (xs[c[3] + 1] - xs[c[1]] - 0.7 * size)
                     for c in cells if _NUMBER.fullmatch(c[4])), default=0)
        if worst > 1:
            size = max(round(size / worst), round(7 * PT))
        # without rules, the room between cells is all that tells them apart: the padding of a
        # table whose borders were switched off (about 0.6 em a side)
        pad = (0.35 if self.ruled else 0.6) * size
        lh = size * 1.35
        wrapped = {id(c): _wrap(c[4], size, xs[c[3] + 1] - xs[c[1]] - 2 * pad) if c[4] else [] for c in cells}
        heights = [lh + 2 * pad] * nrows
        for c in sorted(cells, key=lambda c: c[2] - c[0]):
            need = len(wrapped[id(c)]) * lh + 2 * pad
            have = sum(heights[c[0] : c[2] + 1])
            if need > have:
                heights[c[2]] += need - have
        # rows kept on one page together: a row and the rows its small merged cells reach into
        # (a label merged over a whole block, such as 三、本年度办理结果, may break over pages)
        groups: list[list[int]] = []
        reach = -1
        for r in range(nrows):
            if r > reach:
                groups.append([])
            groups[-1].append(r)
            reach = max([reach] + [c[2] for c in cells if c[0] == r and c[2] - c[0] < 8])
        top_of: dict[int, tuple[int, float]] = {}  # row -> (page index, y)
        for g in groups:
            h = sum(heights[r] for r in g)
            if self.y + h > PAGE[1] - MARGIN and self.y > MARGIN + 10:
                self.new_page()
            for r in g:
                if self.y + heights[r] > PAGE[1] - MARGIN + 5:
                    self.new_page()  # a group taller than a page
                top_of[r] = (len(self.pages) - 1, self.y)
                self.y += heights[r]
        for c in cells:
            r0, c0, r1, c1, text = c
            page, y0 = top_of[r0]
            x0, x1 = xs[c0], xs[c1 + 1]
            # a cell reaching over a page break is drawn on each page; its text on the first
            for pg in sorted({top_of[r][0] for r in range(r0, r1 + 1)}):
                rows_pg = [r for r in range(r0, r1 + 1) if top_of[r][0] == pg]
                if self.ruled:
                    ImageDraw.Draw(self.pages[pg]).rectangle(
                        (x0, top_of[rows_pg[0]][1], x1, top_of[rows_pg[-1]][1] + heights[rows_pg[-1]]),
                        outline=(0, 0, 0), width=3)
            rows_here = [r for r in range(r0, r1 + 1) if top_of[r][0] == page]
            y1 = top_of[rows_here[-1]][1] + heights[rows_here[-1]]
            draw = ImageDraw.Draw(self.pages[page])
            lines = wrapped[id(c)]
            block = len(lines) * lh
            ty = y0 + (max(pad, (y1 - y0 - block) / 2) if self.middle else pad)
            for ln in lines:
                w = self.text_width(ln, size)
                tx = x0 + pad if c0 < center_cols or not self.ruled and c0 >= center_cols else (x0 + x1 - w) / 2
                draw.text((tx, ty), ln, font=_font(size), fill=(0, 0, 0))
                ty += lh
        self.y += size * 0.8
        return len(self.pages) - 1, xs[0], self.y - sum(heights), xs[-1], self.y


_NUMBER = re.compile(r"[\d０-９,.+\-\s\xa0]*[\d０-９][\d０-９,.+\-\s\xa0]*(万元|元)?|(增加|减少)[\d０-９,]+")


def _wrap(text: str, size: int, width: float) -> list[str]:
    if not text:
        return []
    out = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            if cur and _font(size).getlength(cur + ch) > width:
                out.append(cur)
                cur = ch
            else:
                cur += ch
        out.append(cur)
    return out


def _table_a(rows) -> tuple[list, list[float]]:
    cells = []
    for r, row in enumerate(rows):
        if len(row) == 1:
            cells.append((r, 0, r, 3, row[0].text))
            continue
        cells.append((r, 0, r, 0, row[0].text))
        k = len(row) - 1
        for j, c in enumerate(row[1:]):
            c1 = 3 if j == k - 1 else 1 + j
            cells.append((r, 1 + j, r, c1, c.text))
    return cells, [0.31, 0.23, 0.23, 0.23]


def _table_b(rows) -> tuple[list, list[float]]:
    cells = [
        (0, 0, 2, 2, rows[0][0].text), (0, 3, 0, 9, rows[0][1].text),
        (1, 3, 2, 3, rows[1][1].text), (1, 4, 1, 8, rows[1][2].text), (1, 9, 2, 9, rows[1][3].text),
    ]
    cells += [(2, 4 + j, 2, 4 + j, c.text) for j, c in enumerate(rows[2][2:7])]
    open_: dict[int, list] = {}  # label column -> its cell, still growing downwards
    for r, row in enumerate(rows[3:], start=3):
        n = len(row) - 7
        labels = [c.text for c in row[:n]]
        if n == 1:
            spans = [(0, 2, labels[0])]
        elif n == 2:
            spans = [(0, 0, labels[0]), (1, 2, labels[1])]
        else:
            spans = [(0, 0, labels[0]), (1, 1, labels[1]), (2, 2, labels[2])]
        for c0, c1, text in spans:
            if text == "" and c0 in open_:
                open_[c0][2] = r  # the cell above goes on
                continue
            cell = [r, c0, r, c1, text]
            cells.append(cell)
            for c in range(c0, c1 + 1):
                open_[c] = cell
        for c in range(3):
            if not any(c0 <= c <= c1 for c0, c1, _ in spans):
                open_.pop(c, None)
        cells += [(r, 3 + j, r, 3 + j, v.text) for j, v in enumerate(row[n:])]
    return [tuple(c) for c in cells], [0.1, 0.1, 0.14] + [0.66 / 7] * 7


def _table_c(rows) -> tuple[list, list[float]]:
    cells = [(0, 0, 0, 4, rows[0][0].text), (0, 5, 0, 14, rows[0][1].text)]
    cells += [(1, j, 2, j, rows[1][j].text) for j in range(5)]
    cells += [(1, 5, 1, 9, rows[1][5].text), (1, 10, 1, 14, rows[1][6].text)]
    cells += [(2, 5 + j, 2, 5 + j, c.text) for j, c in enumerate(rows[2][5:])]
    cells += [(3, j, 3, j, c.text) for j, c in enumerate(rows[3])]
    return cells, [1 / 15] * 15


_PROSE = (
    "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作扎实推进政府信息公开工作，"
    "进一步加强组织领导，规范公开程序，拓宽公开渠道，切实保障人民群众的知情权、参与权和监督权。",
    "本年度通过门户网站、政务新媒体和公示栏等渠道主动公开政府信息，及时回应社会关切。",
    "本年度收到和处理政府信息公开申请情况如下表所示。",
    "本年度因政府信息公开引起的行政复议、行政诉讼情况如下表所示。",
    "政府信息公开工作仍存在公开内容不够全面、解读形式比较单一等问题。下一步将加强业务培训，提高公开质量。",
    "本年度未收取信息处理费。无其他需要报告的事项。",
)


def typeset(report: Report, rng: random.Random) -> tuple[list[Image.Image], tuple]:
    """The report on clean A4 pages at 300 dpi; also where the signature and the tables ended up."""
    ruled = rng.random() < 0.8  # the first draw after the report: see :func:`ruled`
    doc = _Doc(rng, ruled, rng.choice((9.0, 10.5)))
    meta = report.meta
    a, b, c = table_rows(report, rng, "tabbed")
    kw = dict(year=meta.year, agency=meta.agency)
    for t in title_lines(meta.agency, meta.year, rng, "tabbed"):
        doc.paragraph(t, 18, center=True, gap=0.3)
    doc.y += 30
    doc.paragraph(SECTIONS[0], 12, indent=False)
    doc.paragraph(_PROSE[0].format(**kw))
    doc.paragraph(SECTIONS[1], 12, indent=False)
    doc.paragraph(_PROSE[1].format(**kw))
    cells, widths = _table_a(a)
    doc.table(cells, widths, center_cols=1)
    doc.paragraph(SECTIONS[2], 12, indent=False)
    doc.paragraph(_PROSE[2].format(**kw))
    cells, widths = _table_b(b)
    table_b = doc.table(cells, widths, center_cols=3)
    doc.paragraph(SECTIONS[3], 12, indent=False)
    doc.paragraph(_PROSE[3].format(**kw))
    cells, widths = _table_c(c)
    table_c = doc.table(cells, widths, center_cols=0)
    doc.paragraph(SECTIONS[4], 12, indent=False)
    doc.paragraph(_PROSE[4].format(**kw))
    doc.paragraph(SECTIONS[5], 12, indent=False)
    doc.paragraph(_PROSE[5].format(**kw))
    signature = None
    if meta.published:
        doc.y += 60
        doc.room(200)
        doc.paragraph(meta.agency, 12, right=True, gap=0.2)
        doc.paragraph(date_line(meta.published, rng), 12, right=True)
        signature = (len(doc.pages) - 1, PAGE[0] - MARGIN - 250, doc.y - 120)
    return doc.pages, (signature, table_b, table_c)


# --------------------------------------------------------------------------------------------
# the noise model


def _stamp(page: Image.Image, cx: float, cy: float, text: str, rng: random.Random) -> None:
    """A red seal printed over the page (multiplied: black print under it stays black)."""
    r = 230
    seal = Image.new("L", page.size, 0)
    d = ImageDraw.Draw(seal)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=14)
    star = [(cx + 70 * math.cos(math.radians(-90 + 72 * k * 2)), cy + 70 * math.sin(math.radians(-90 + 72 * k * 2)))
            for k in range(5)]
    d.polygon(star, fill=255)
    f = _font(44)
    chars = text[:14]
    for i, ch in enumerate(chars):
        ang = math.radians(-160 + 140 * i / max(len(chars) - 1, 1))
        d.text((cx + 170 * math.cos(ang) - 22, cy + 170 * math.sin(ang) - 22), ch, font=f, fill=255)
    alpha = np.asarray(seal, dtype=np.float32) / 255 * rng.uniform(0.75, 0.95)
    arr = np.asarray(page, dtype=np.float32)
    red = np.array([215, 30, 35], dtype=np.float32)
    arr = arr * (1 - alpha[..., None]) + (arr * red / 255) * alpha[..., None]
    page.paste(Image.fromarray(arr.clip(0, 255).astype(np.uint8)))


def degrade(pages: list[Image.Image], rng: random.Random, *, places=None, agency: str = "",
            max_skew: float = 2.0, rotate: int = 0, dpi: int | None = None, stamp: bool | None = None) -> tuple[list[Image.Image], int]:
    """The noise model (module docstring) applied to clean 300-dpi pages; returns pages and their dpi."""
    dpi = dpi or rng.choice((150, 200, 300))
    signature, table_b = (places or (None, None))[:2]
    stamp = rng.random() < 0.9 if stamp is None else stamp
    out = []
    tint = rng.choice(((255, 255, 255), (250, 246, 228), (238, 238, 238))) if rng.random() < 0.3 else None
    colour = rng.random() < 0.5
    for n, page in enumerate(pages):
        page = page.copy()
        if stamp and signature and signature[0] == n:
            _stamp(page, signature[1], signature[2], agency, rng)
        if stamp and table_b and table_b[0] == n and colour and rng.random() < 0.3:
            _, x0, y0, x1, y1 = table_b
            _stamp(page, rng.uniform(x0 + 300, x1 - 300), rng.uniform(max(y0, y1 - 900), y1 - 100), agency, rng)
        if tint:
            arr = np.asarray(page, dtype=np.float32) * np.array(tint, dtype=np.float32) / 255
            page = Image.fromarray(arr.astype(np.uint8))
        angle = rng.uniform(-max_skew, max_skew)
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=tint or (255, 255, 255))
        if rotate:
            page = page.rotate(rotate, expand=True)
        if dpi != DPI:
            page = page.resize((round(page.width * dpi / DPI), round(page.height * dpi / DPI)), Image.Resampling.LANCZOS)
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
        arr = np.asarray(page, dtype=np.float32)
        arr = arr + np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 8), arr.shape[:2])[..., None]
        page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
        if not colour:
            page = page.convert("L")
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=rng.randint(55, 90))
        out.append(Image.open(io.BytesIO(buf.getvalue())))
    return out, dpi


def scan(seed: int, fmt: str | None = None, **noise) -> tuple[list[Image.Image], dict, int]:
    """Scanned pages of the random report of ``seed``, its govreport/1 dict, and the scan's dpi."""
    pages, gold, dpi, _ = scan_with_places(seed, fmt, **noise)
    return pages, gold, dpi


def scan_with_places(seed: int, fmt: str | None = None, **noise):
    """As :func:`scan`, and where things were typeset: ``(signature, table B, table C)``, each
    starting with its page index."""
    rng = random.Random(seed)
    report = random_report(rng, fmt)
    clean, places = typeset(report, rng)
    pages, dpi = degrade(clean, rng, places=places, agency=report.meta.agency or "", **noise)
    return pages, gold_of(report), dpi, places


def ruled(seed: int, fmt: str | None = None) -> bool:
    """Whether the scan of ``seed`` prints its tables with rules (without typesetting it)."""
    rng = random.Random(seed)
    random_report(rng, fmt)
    return rng.random() < 0.8


def gold_of(report: Report) -> dict:
    d = report.to_dict(full=False)
    return {k: d[k] for k in ("schema", "format", "meta", "active_disclosure", "applications", "review_litigation")}


def write_pdf(pages: list[Image.Image], path, dpi: int) -> None:
    rgb = [p if p.mode in ("RGB", "L") else p.convert("RGB") for p in pages]
    rgb[0].save(path, "PDF", save_all=True, append_images=rgb[1:], resolution=float(dpi))


def write_tiff(pages: list[Image.Image], path, dpi: int) -> None:
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="jpeg")


#: The scans committed beside this file for the tests: (seed, format, file kind, noise).
COMMITTED = (
    (21, "2019", "pdf", dict(dpi=150)),
    (31, "2021", "tif", dict(dpi=150)),
    (41, "2021", "pdf", dict(dpi=150, rotate=180)),
    (31, "2021", "jpg", dict(dpi=150, rotate=90)),  # the page of its table C alone, sideways
    (66, "2021", "pdf", dict(dpi=150)),  # tables printed without rules
)


def write_committed(here: Path, only: set[int] | None = None) -> None:
    import json

    for seed, fmt, kind, noise in COMMITTED:
        if only is not None and seed not in only:
            continue
        pages, gold, dpi, places = scan_with_places(seed, fmt, **noise)
        stem = f"generated-{seed}-{fmt}" + ("-rotated" if noise.get("rotate") else "")
        if kind == "jpg":
            pages[places[2][0]].save(here / f"{stem}-table-c.jpg", quality=80, dpi=(dpi, dpi))
            stem += "-table-c"
        else:
            (write_pdf if kind == "pdf" else write_tiff)(pages, here / f"{stem}.{kind}", dpi)
        (here / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":  # regenerate the committed test scans: python tests/data/scans/scangen.py [seed ...]
    write_committed(Path(__file__).parent, {int(a) for a in sys.argv[1:]} or None)
