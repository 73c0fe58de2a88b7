"""Pages put together: the blocks of every page (:class:`Page`) become one document.

What is fixed here are artefacts of the pages rather than of the report: a table row broken over a
page break has its tail at the top of the next page put back into the row it came from (each page
still gives its own grid), a number wrapped in a narrow cell too, and after the table's header when
that is printed again on the new page; running headers and footers (page numbers, a title repeated
on every page) are left out. A document whose pages hold no characters, or only undecodable ones,
raises :class:`~govreport.errors.NeedsOCR`.
"""

from __future__ import annotations

import re

from ..document import Block, Cell, Document, Grid, Location, Paragraph
from ..errors import NeedsOCR
from ..source import Source
from .page import TextBlock
from .primitives import is_number
from .table import Table

__all__ = ["Page", "assemble"]

#: Share of undecodable glyphs ("(cid:12)") above which the text layer counts as unusable.
_CID_LIMIT = 0.5
_PAGE_NUMBER = re.compile(
    r"[-—–·\s]*(第\s*)?[0-9０-９]+(\s*页)?(\s*[/／]\s*[0-9０-９]+|\s*共\s*[0-9０-９]+\s*页)?[-—–·\s]*"
    r"|(page|Page|PAGE)\s*\d+(\s*(of|/)\s*\d+)?"
)
#: Fraction of the page height, at the top and at the bottom, where headers and footers live.
_MARGIN = 0.1


class Page:
    """What the reader keeps of one page once its text is read: the page geometry's blocks
    (``items``) and counts of its characters, undecodable ones and images. Another reader that
    measures a page otherwise (OCR) fills one in and hands its pages to :func:`assemble`."""

    __slots__ = ("number", "height", "items", "glyphs", "cid", "images")

    def __init__(self, number: int, height: float, items: list, glyphs: int, cid: int, images: int) -> None:
        self.number, self.height, self.items = number, height, items
        self.glyphs, self.cid, self.images = glyphs, cid, images


# --------------------------------------------------------------------------------------------
# the document


def _ocr_hint() -> str:
    """What to do about a page without text: install the extra only if it is missing."""
    import importlib.util

    if all(importlib.util.find_spec(m) for m in ("rapidocr_onnxruntime", "pypdfium2", "PIL", "numpy")):
        return "it needs OCR (the ocr reader reads such pages)"
    return 'install govreport[ocr] to read it with OCR (pip install "govreport[ocr]")'


def assemble(source: Source, pages: list[Page], problems: list[str], reader: str = "pdf") -> Document:
    """One document from the pages of ``source``, read by ``reader`` (the name its cells' provenance
    gives): page-break damage mended, running headers and footers left out, ``problems`` kept."""
    n = len(pages)
    total = sum(p.glyphs for p in pages)
    cid = sum(p.cid for p in pages)
    textless = tuple(p.number for p in pages if p.glyphs == 0)
    if total == 0:
        what = f"a scan of {n} page{'s' if n > 1 else ''}" if any(p.images for p in pages) else "its pages hold no characters"
        raise NeedsOCR(
            f"{source.name}: the PDF has no text layer ({what}); {_ocr_hint()}",
            pages=textless,
        )
    if cid > _CID_LIMIT * total:
        raise NeedsOCR(
            f"{source.name}: the PDF's text cannot be decoded (its fonts carry no character map); {_ocr_hint()}",
            pages=tuple(p.number for p in pages),
        )
    if cid:
        problems.append(f"{cid} characters could not be decoded (shown as \ufffd)")
    for p in pages:
        if p.glyphs == 0 and p.images:
            problems.append(f"page {p.number} has no text layer (a scanned image); {_ocr_hint()}")
    _drop_headers_footers(pages)
    _heal_broken_rows(pages)
    _align_carried_rows(pages)
    blocks: list[Block] = []
    table_no = 0
    for p in pages:
        for item in p.items:
            if isinstance(item, TextBlock):
                text = item.text.strip()
                if text:
                    blocks.append(Paragraph(text=text, loc=Location(page=p.number, line=item.line_no or None)))
                continue
            if not item.rows:
                continue
            rows = tuple(
                tuple(
                    Cell(text=t, merged=m, loc=Location(page=p.number, table=table_no, row=r, col=c))
                    for c, (t, m) in enumerate(row)
                )
                for r, row in enumerate(item.rows)
            )
            blocks.append(Grid(rows=rows, loc=Location(page=p.number, table=table_no)))
            if not item.ruled:
                problems.append(f"page {p.number}: table {table_no + 1} has no ruling lines; rows and columns were rebuilt from text positions")
            table_no += 1
    return Document(blocks=tuple(blocks), reader=reader, pages=n, problems=tuple(problems))


def _drop_headers_footers(pages: list[Page]) -> None:
    """Leave out page numbers and lines repeated at the same edge of several pages."""

    def line_text(it) -> str | None:
        """The text of a one-line block; a footer such as "年度报告  3" may also have been taken
        for a one-row table without rules (a label and a number set apart)."""
        if isinstance(it, TextBlock) and len(it.lines) == 1:
            return it.text
        if isinstance(it, Table) and not it.ruled and len(it.rows) == 1:
            return " ".join(t for t, _ in it.rows[0] if t)
        return None

    def candidates(p: Page) -> list[tuple[object, str, bool]]:
        out: list[tuple[object, str, bool]] = []
        if not p.height:
            return out
        for seq, top in ((p.items[:2], True), (p.items[::-1][:2], False)):
            for it in seq:
                text = line_text(it)
                if text is None:
                    break
                if top and it.y0 < p.height * (1 - _MARGIN) or not top and it.y1 > p.height * _MARGIN:
                    break
                out.append((it, text, top))
        return out

    def key(text: str, top: bool) -> tuple[str, bool]:
        return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text)), top

    cands = {p.number: candidates(p) for p in pages}
    seen: dict[tuple[str, bool], int] = {}
    for p in pages:
        for k in {key(text, top) for _, text, top in cands[p.number]}:
            seen[k] = seen.get(k, 0) + 1
    for p in pages:
        drop = set()
        for it, text, top in cands[p.number]:
            if _PAGE_NUMBER.fullmatch(re.sub(r"\s+", " ", text).strip()) or seen.get(key(text, top), 0) >= 2:
                drop.add(id(it))
        if drop:
            p.items = [it for it in p.items if id(it) not in drop]


def _heal_broken_rows(pages: list[Page]) -> None:
    """Put the tail of a table row broken over a page break back into the row it came from.

    When a row is allowed to break across pages, the text of its cells goes on at the top of the
    next page, in a first row holding nothing else (the first after the header rows, when the
    table's header is printed again on each page). That row is recognised by: the table ends the
    previous page and starts this one, and every cell with text in the first row lies under a cell
    of the previous page's last row whose text ran to the cell's edge (or was left open) and goes
    on in it: the digits of a number go on a number (a number wrapped in a narrow cell), a number
    never goes on a label (it is a value of the next row).
    """
    for prev, cur in zip(pages, pages[1:]):
        if not prev.items or not cur.items:
            continue
        t1, t2 = prev.items[-1], cur.items[0]
        if not (isinstance(t1, Table) and isinstance(t2, Table) and t1.ruled and t2.ruled):
            continue
        # the header rows repeated on the new page come before the broken row's tail
        head = _repeated_header(t1, t2)
        if not t2.rows or len(t2.rows) < (head + 1 if head else 2):
            continue
        top = t2.top if not head else [(cell, x0, x1) for r, cell, x0, x1 in t2.starts if r == head]
        moves = []
        ok = True
        for cell, x0, x1 in top:
            if not cell[0]:
                continue
            mid = (x0 + x1) / 2
            hosts = [b for b in t1.bottom if b[1] - 1 <= mid <= b[2] + 1]
            if len(hosts) != 1 or not hosts[0][3] or not hosts[0][0][0] or not _goes_on(hosts[0][0][0], cell[0]):
                ok = False
                break
            moves.append((hosts[0][0], cell))
        if not ok or not moves:
            continue
        for host, cell in moves:
            host[0] += "\n" + cell[0]
            cell[0] = ""
            t1.glyphs.setdefault(id(host), []).extend(t2.glyphs.pop(id(cell), []))
        # the row is gone from this page; cells it started that reach further down stay merged below
        for cell in t2.rows[head]:
            t2.glyphs.pop(id(cell), None)
        del t2.rows[head]
        if not head:
            t2.top = []


def _align_carried_rows(pages: list[Page]) -> None:
    """Give the rows of a table without rules carried over to the next page the columns of the
    table they continue.

    Without rules, a table's columns are where its text starts; rows carried over to the next page
    (often the last row alone) show only the columns they have text in, so a blank value would
    leave the values after it one column to the left. When the first table of a page is such a
    tail (one or two rows of a label and numbers) with fewer columns than the table ending the
    page before, and each of its columns starts where one of that table's does, its cells are put
    in those columns (the others blank, or covered where a label of the table before spans them).
    """
    for prev, cur in zip(pages, pages[1:]):
        if not prev.items or not cur.items:
            continue
        t1, t2 = prev.items[-1], cur.items[0]
        if not (isinstance(t1, Table) and isinstance(t2, Table)) or t1.ruled or t2.ruled:
            continue
        c1, c2 = t1.columns, t2.columns
        if not c1 or not c2 or len(c2) >= len(c1) or any(len(row) != len(c2) for row in t2.rows):
            continue
        if len(t2.rows) > 2 or not all(_carried_row(row) for row in t2.rows):
            continue  # a table of its own, not the tail of the one before
        where = []
        for x in c2:
            k = min(range(len(c1)), key=lambda i: abs(c1[i] - x))
            room = min([abs(c1[k] - c1[i]) for i in (k - 1, k + 1) if 0 <= i < len(c1)] or [0.0])
            if abs(c1[k] - x) > room / 3:
                break
            where.append(k)
        if len(where) != len(c2) or any(a >= b for a, b in zip(where, where[1:])):
            continue
        last = t1.rows[-1] if t1.rows else []
        rows = []
        for row in t2.rows:
            # a position the table before covers with a label spanning rows stays covered
            out: list[list] = [["", bool(last[k][1]) if k < len(last) else False] for k in range(len(c1))]
            for k, cell in zip(where, row):
                out[k] = cell
            rows.append(out)
        t2.rows[:] = rows
        t2.columns = list(c1)


def _carried_row(row: list[list]) -> bool:
    """A row of a table's tail: a label, then numbers (blanks among them)."""
    texts = [t for t, _ in row if t]
    return len(texts) >= 2 and not is_number(texts[0]) and all(is_number(t) for t in texts[1:])


def _repeated_header(t1: Table, t2: Table) -> int:
    """How many rows at the top of ``t2`` repeat the rows at the top of ``t1`` (a table's header
    printed again on each page), by their text."""

    def key(row: list[list]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s+", "", t) for t, _ in row if t.strip())

    n = 0
    while n < min(len(t1.rows), len(t2.rows)) and key(t1.rows[n]) and key(t1.rows[n]) == key(t2.rows[n]):
        n += 1
    return n if n < len(t1.rows) else 0


def _goes_on(head: str, tail: str) -> bool:
    """Whether ``tail`` can be the rest of a cell's text ``head`` cut by a page break."""
    if is_number(head.replace("\n", "")):
        return is_number(head.replace("\n", "") + tail.replace("\n", ""))
    return not is_number(tail.replace("\n", ""))
