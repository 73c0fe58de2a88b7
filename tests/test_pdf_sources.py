"""The two glyph sources of PDFs (pdfminer.six and PDFium) give the same report, or the same typed
error, for every PDF the tests hold; and GOVREPORT_PDF_BACKEND chooses between them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import govreport
from govreport import pdftext
from govreport.errors import GovReportError, UnknownReader
from govreport.readers.pdf import PdfReader
from govreport.source import open_source

pytest.importorskip("pypdfium2")

TESTS = Path(__file__).parent
SHARED = TESTS.parent.parent / "shared" / "fixtures"
DATA = TESTS / "data" / "pdf"
PDFS = sorted({*TESTS.joinpath("data").rglob("*.pdf"), *(SHARED.rglob("*.pdf") if SHARED.is_dir() else [])})

sys.path.insert(0, str(DATA))
from pdfgen import PdfWriter  # noqa: E402

def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _outcome(path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv(pdftext.ENV, backend)
    try:
        return govreport.parse(path, reader="pdf").to_dict()
    except GovReportError as exc:
        return type(exc)


@pytest.mark.parametrize("path", [pytest.param(p, id=_id(p)) for p in PDFS])
def test_both_sources_give_the_same_report(path, monkeypatch):
    """Among them: drawn spaces PDFium's text page would leave out (bureau, qingquan), a font written
    top to bottom under a scaling matrix (hongze), contents that refer to themselves (hostile)."""
    assert _outcome(path, "pdfium", monkeypatch) == _outcome(path, "pdfminer", monkeypatch)


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    out: list[object] = []
    for backend in pdftext.BACKENDS:
        monkeypatch.setenv(pdftext.ENV, backend)
        try:
            doc = PdfReader().read(open_source(data))
            out.append(([p.text for p in doc.paragraphs], [[c.text for c in r] for g in doc.grids for r in g.rows],
                        doc.problems))
        except GovReportError as exc:
            out.append(type(exc))
    return out


def test_watermark_page_alike(monkeypatch):
    """PDFium's text page leaves out a text object whose box is flat: here a lone character (数) of a
    font not embedded, whose glyph its stand-in font lacks; the PDFium source must keep it."""
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "正文", size=12)
    p.text(150, 300, "样本水印", size=60, angle=45)
    p.table(72, 650, [120, 60], [20, 20], {(0, 0): "名称", (0, 1): "数", (1, 0): "第一项", (1, 1): "9"})
    miner, pdfium = _both(w.to_bytes(), monkeypatch)
    assert pdfium == miner
    assert isinstance(miner, tuple) and ["名称", "数"] in miner[1] and any("watermark" in x for x in miner[2])


def test_a_space_drawn_alone_is_kept(monkeypatch):
    """A space drawn as a text object of its own has a box of no width (a space has no outline), and
    PDFium's text page would leave it out: the sentence break it marks must survive either source."""
    w = PdfWriter()
    p = w.page()
    x = p.text(72, 700, "第一句。", size=12)
    x = p.text(x, 700, " ", size=12)
    p.text(x, 700, "第二句", size=12)
    miner, pdfium = _both(w.to_bytes(), monkeypatch)
    assert isinstance(miner, tuple) and miner[0] == ["第一句。 第二句"]
    assert pdfium == miner


def _raw_pdf(*bodies: bytes) -> bytes:
    """A PDF of the numbered object ``bodies`` (object 1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for k, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def _text_and_second_page(contents: bytes) -> bytes:
    text = b"BT /F1 12 Tf 72 700 Td (Annual report of 2023) Tj ET"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %s >>"
    return _raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 2 /Kids [4 0 R 5 0 R] >>",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", page % b"6 0 R", page % contents,
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text), b"8 0 R", b"7 0 R")


@pytest.mark.parametrize("contents, outcome", [(b"7 0 R", "damaged"), (b"[]", "read")], ids=["self-referring", "blank"])
def test_a_page_pdfium_finds_empty_is_read_again(contents, outcome, monkeypatch):
    """PDFium reads a page whose contents refer to themselves as blank and says nothing; the page is
    read again by pdfminer, which calls the file damaged, or agrees that the page is blank."""
    miner, pdfium = _both(_text_and_second_page(contents), monkeypatch)
    assert pdfium == miner
    if outcome == "damaged":
        assert miner == govreport.errors.UnreadableInput
    else:
        assert isinstance(miner, tuple) and miner[0] == ["Annual report of 2023"]


def _box(g) -> tuple:
    return (g.text, round(g.x0, 1), round(g.y0, 1), round(g.x1, 1), round(g.y1, 1))


def _placed(data: bytes, monkeypatch: pytest.MonkeyPatch, key=_box) -> dict[str, list]:
    """Each source's characters (``key`` of each: by default its box), in the frame the layout engine is given."""
    from govreport.pdftext import page as page_module

    placed = {}
    for backend in pdftext.BACKENDS:
        module = pdftext.miner if backend == "pdfminer" else pdftext.pdfium
        seen: list = []
        real = page_module.layout_page  # both sources lay their pages out through pdftext.page
        monkeypatch.setattr(page_module, "layout_page", lambda g, s, seen=seen, real=real: seen.append(g) or real(g, s))
        list(module.read_pages(open_source(data), []))
        placed[backend] = sorted(key(g) for page in seen for g in page if g.text.strip())
    return placed


@pytest.mark.parametrize("line", ["正文一行", "本年度办理结果"], ids=["other-characters", "the-same-characters"])
def test_a_font_written_top_to_bottom_under_a_scaling_matrix(line, monkeypatch):
    """A column of characters of a font written top to bottom (Identity-V), each drawn alone at 1/20
    scale in font size 200: PDFium's loose box of each is one unscaled font size wide (200 points,
    not 10), which the PDFium source must not take for the advance. A run drawn unscaled in one
    show shows its direction by its steps. Every box is pdfminer's, also when the unscaled run
    holds the same characters (what is worked out for them must not make the scaled ones read as
    written across: each character's box is tested)."""
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, line, size=12)
    p.ops.append("q 0.05 0 0 0.05 0 0 cm")
    for k, ch in enumerate("本年度办理结果"):
        p.text(2000, 12000 - k * 240, ch, size=200)
    p.ops.append("Q")
    data = w.to_bytes(compress=False).replace(b"/Identity-H", b"/Identity-V")
    placed = _placed(data, monkeypatch)
    assert ("本", 95.0, 591.2, 105.0, 601.2) in placed["pdfminer"]  # one em (10 points) square, centred on x 100
    if line == "正文一行":
        assert ("文", 66.0, 677.4, 78.0, 689.4) in placed["pdfminer"]  # the second of the run, one em below the first
    assert placed["pdfium"] == placed["pdfminer"]


def _widths_differ(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list]:
    """How many PDFium characters have a pdfminer one of the same text starting at the same x (to
    a hundredth of a point), and those of them whose right edge is not where pdfminer's is. The
    heights are not compared: the two take a font's descent from different places."""
    import bisect

    placed = _placed(data, monkeypatch, key=lambda g: (g.text, g.x0, g.x1))
    miner = placed["pdfminer"]
    matched, wrong = 0, []
    for text, x0, x1 in placed["pdfium"]:
        k = bisect.bisect_left(miner, (text, x0 - 0.01))
        near = []
        while k < len(miner) and miner[k][0] == text and miner[k][1] <= x0 + 0.01:
            near.append(miner[k][2])
            k += 1
        if near:
            matched += 1
            if all(abs(m - x1) > 0.01 for m in near):
                wrong.append((text, round(x0, 2), round(x1, 2), [round(m, 2) for m in near]))
    return matched, wrong


@pytest.mark.parametrize("path", [pytest.param(p, id=_id(p)) for p in PDFS if not {"hostile", "scans"} & set(p.parts)])
def test_characters_are_as_wide_as_pdfminer_has_them(path, monkeypatch):
    """A character's box ends where its advance does, from either source. PDFium's loose box also
    covers the glyph's ink, which in these files reaches past the advance for about one character
    in twelve (by up to 1.5 points), and for a font not embedded depends on the stand-in font
    PDFium picks, which its font cache may change from one document to the next."""
    matched, wrong = _widths_differ(path.read_bytes(), monkeypatch)
    total = len(_placed(path.read_bytes(), monkeypatch)["pdfium"])
    assert total and matched >= 0.95 * total
    assert wrong == []


def test_a_font_not_embedded_keeps_the_widths_the_pdf_gives(monkeypatch):
    """The test PDFs' font is not embedded and gives every Latin character half an em: a stand-in
    font whose digits are wider must not widen them (the widths were those of whichever stand-in
    PDFium's font cache held, and a table's centred value then missed its columns' middle)."""
    w = PdfWriter()
    p = w.page()
    p.text(100, 700, "2025年512155件", size=10)
    placed = _placed(w.to_bytes(), monkeypatch, key=lambda g: (g.text, round(g.x1 - g.x0, 6)))
    assert placed["pdfium"] == placed["pdfminer"]
    assert {width for text, width in placed["pdfium"] if text.isdigit()} == {5.0}


def _simple_font_pdf(content: bytes, widths: dict[int, int], to_unicode: dict[int, str]) -> bytes:
    """One page drawn with a simple font (not embedded) of the given ``widths`` by code (250 else)
    and a ToUnicode map of ``to_unicode`` (code -> text)."""
    first, last = 32, max(widths) if widths else 126
    ws = b" ".join(b"%d" % widths.get(c, 250) for c in range(first, last + 1))
    pairs = b"".join(b"<%02X> <%s>\n" % (c, "".join(f"{ord(ch):04X}" for ch in t).encode()) for c, t in to_unicode.items())
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <00> <FF> endcodespacerange %d beginbfchar\n" % len(to_unicode) + pairs +
            b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    stream = lambda data: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)  # noqa: E731
    return _raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ArialMT /Encoding /WinAnsiEncoding /FirstChar %d /LastChar %d "
        b"/Widths [%s] /ToUnicode 6 0 R /FontDescriptor 7 0 R >>" % (first, last, ws),
        stream(cmap),
        b"<< /Type /FontDescriptor /FontName /ArialMT /Flags 32 /FontBBox [-665 -325 2000 1040] /ItalicAngle 0 "
        b"/Ascent 905 /Descent -212 /CapHeight 716 /StemV 80 >>",
    )


def test_two_codes_of_one_text_and_a_ligature_keep_their_own_widths(monkeypatch):
    """PDFium gives no character code: two codes of a font mapped to the same text (A, B both "A",
    800 and 1100 wide), and a ligature (code 0x80, "fi") that PDFium splits into its letters, each
    with the ligature's box, must not lend their widths to one another or to the real f and i."""
    widths = {0x41: 800, 0x42: 1100, 0x66: 278, 0x69: 222, 0x80: 556}
    data = _simple_font_pdf(b"BT /F1 20 Tf 100 700 Td (AB) Tj 0 -40 Td (\x80 f i) Tj ET", widths,
                            {0x41: "A", 0x42: "A", 0x80: "fi", 0x66: "f", 0x69: "i", 0x20: " "})
    placed = _placed(data, monkeypatch, key=lambda g: (g.text, round(g.x0, 2), round(g.x1 - g.x0, 3)))
    assert ("A", 100.0, 16.0) in placed["pdfium"] and ("A", 116.0, 22.0) in placed["pdfium"]
    assert ("f", 116.12, 5.56) in placed["pdfium"] and ("i", 126.68, 4.44) in placed["pdfium"]
    # every character pdfminer has, PDFium has as wide, but for the ligature (PDFium: its letters)
    assert {g for g in placed["pdfminer"] if g[0] != "fi"} <= set(placed["pdfium"])


def test_width_lookups_are_bounded_per_page(monkeypatch):
    """Each lookup of a width by a character's text searches the font's map of codes: a page makes
    at most _GLYPH_WIDTH_LOOKUPS of them (past that, the box's width is kept)."""
    from govreport.pdftext import pdfium

    calls = pdfium._calls(pdfium._raw())
    made: list[int] = []
    real = calls.glyph_width

    def counted(*args):
        made[-1] += 1
        return real(*args)

    real_page = pdfium._read_page

    def read_page(*args):
        made.append(0)
        return real_page(*args)

    monkeypatch.setattr(calls, "glyph_width", counted)
    monkeypatch.setattr(pdfium, "_read_page", read_page)
    data = open_source(DATA / "bureau-2019-pipe.pdf")
    list(pdfium.read_pages(data, []))
    assert max(made) > 3  # the ink of this file's characters often reaches past their advance
    made.clear()
    monkeypatch.setattr(pdfium, "_GLYPH_WIDTH_LOOKUPS", 3)
    list(pdfium.read_pages(data, []))
    assert made and max(made) == 3


def test_pages_pdfium_cannot_find_are_looked_for_by_pdfminer(monkeypatch):
    """A catalog that names no page tree: PDFium finds no page, pdfminer finds the page objects
    themselves; the PDFium source hands such a file to pdfminer rather than call it unreadable."""
    text = b"BT /F1 12 Tf 72 700 Td (Annual report of 2023) Tj ET"
    data = _raw_pdf(b"<< /Type /Catalog >>", b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                    b"<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    miner, pdfium = _both(data, monkeypatch)
    assert isinstance(miner, tuple) and miner[0] == ["Annual report of 2023"]
    assert pdfium == miner


def test_encrypted_pdf_alike(monkeypatch):
    w = PdfWriter()
    w.page().text(72, 700, "机密内容", size=12)
    miner, pdfium = _both(w.to_bytes(user_password="secret"), monkeypatch)
    assert pdfium == miner == govreport.errors.EncryptedInput
    miner, pdfium = _both(w.to_bytes(user_password=""), monkeypatch)
    assert pdfium == miner and isinstance(miner, tuple) and miner[0] == ["机密内容"]


def test_sideways_page_alike(monkeypatch):
    """Text drawn under a quarter-turned transformation, in a font whose stand-in has no glyphs, has a
    box of no width once turned: PDFium's text page would hold none of its characters."""
    w = PdfWriter()
    w.page().text(72, 700, "第一页正文", size=12)
    p = w.page(sideways=True)
    p.text(72, 560, "横排表格标题", size=12)
    p.table(72, 540, [200, 80], [20, 20], {(0, 0): "项目", (0, 1): "甲", (1, 0): "第一项", (1, 1): "1"})
    miner, pdfium = _both(w.to_bytes(), monkeypatch)
    assert isinstance(miner, tuple) and ["项目", "甲"] in miner[1]
    assert pdfium == miner


@pytest.mark.parametrize("rotate, media", [(90, None), (180, None), (270, None), (0, (10, 20, 622, 812))],
                         ids=["rotate-90", "rotate-180", "rotate-270", "media-box-off-origin"])
def test_turned_and_shifted_pages_alike(rotate, media, monkeypatch):
    """pdfminer turns a page by its /Rotate and moves its MediaBox to the origin before drawing:
    the PDFium source must place characters and rules in the same frame."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "旋转页面的正文", size=12)
    p.table(72, 650, [120, 60], [20, 20], {(0, 0): "名称", (0, 1): "数量", (1, 0): "第一项", (1, 1): "9"})
    from govreport.pdftext.pdfium import pdfium_lock

    out = io.BytesIO()
    with pdfium_lock():  # PDFium is called from one thread at a time
        pdf = pdfium.PdfDocument(w.to_bytes())
        page = pdf[0]
        if rotate:
            page.set_rotation(rotate)
        if media:
            raw.FPDFPage_SetMediaBox(page.raw, *media)
        pdf.save(out)
        page.close()
        pdf.close()
    # where each character starts, in the frame the layout engine is given, and how wide it is
    # (the digit's ink reaches past the half em the PDF gives it, in the stand-in fonts we know)
    placed = _placed(out.getvalue(), monkeypatch, key=lambda g: (g.text, round(g.x0), round(g.y0)))
    assert placed["pdfium"] == placed["pdfminer"]
    wide = _placed(out.getvalue(), monkeypatch, key=lambda g: (g.text, round(g.x1 - g.x0, 3), round(g.y1 - g.y0, 3)))
    assert wide["pdfium"] == wide["pdfminer"]
    # turned back upright; a MediaBox off the origin moved to it
    assert ("旋", 62, 679) in placed["pdfminer"] if media else ("旋", 72, 699) in placed["pdfminer"]


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 40, b"%PDF-1.4\n%%EOF",
                                  (DATA / "hangu-2019-tabbed.pdf").read_bytes()[:3000]],
                         ids=["random", "empty-body", "truncated"])
def test_damaged_pdf_is_unreadable_from_either_source(data, monkeypatch):
    miner, pdfium = _both(data, monkeypatch)
    assert pdfium == miner == govreport.errors.UnreadableInput


def test_the_environment_chooses_the_source(monkeypatch):
    monkeypatch.delenv(pdftext.ENV, raising=False)
    assert pdftext.backend() == pdftext.DEFAULT == "pdfium"  # installed here, so the default
    for name in pdftext.BACKENDS:
        monkeypatch.setenv(pdftext.ENV, name.upper())
        assert pdftext.backend() == name
    monkeypatch.setenv(pdftext.ENV, "poppler")
    with pytest.raises(UnknownReader):
        pdftext.backend()


def test_pdfium_asked_for_without_pypdfium2_is_a_missing_dependency(monkeypatch):
    from govreport.errors import MissingDependency
    from govreport.pdftext import pdfium

    monkeypatch.setattr(pdfium, "available", lambda: False)
    monkeypatch.setenv(pdftext.ENV, "pdfium")
    with pytest.raises(MissingDependency):
        pdftext.backend()
    monkeypatch.delenv(pdftext.ENV)
    assert pdftext.backend() == "pdfminer"


def test_threads_reading_with_pdfium_read_alike(monkeypatch):
    """PDFium must never be entered by two threads at once: the source serialises its calls."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv(pdftext.ENV, "pdfium")
    files = sorted(DATA.glob("*.pdf"))[:4]
    alone = [PdfReader().read(open_source(p)).text() for p in files]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: PdfReader().read(open_source(p)).text(), files * 3))
    assert together == alone * 3


def test_pdfium_lock_holds_back_the_glyph_source():
    """Other callers of pypdfium2 (page drawing, OCR) hold the lock the glyph source holds."""
    import threading

    from govreport.pdftext import pdfium

    data = open_source(sorted(DATA.glob("*.pdf"))[0])
    done = threading.Event()
    with pdfium.pdfium_lock():
        t = threading.Thread(target=lambda: (list(pdfium.read_pages(data, [])), done.set()))
        t.start()
        assert not done.wait(0.5)  # PDFium is ours until the block ends
    t.join(30)
    assert done.is_set()


def test_open_document_ends_typed(monkeypatch):
    from govreport.pdftext import pdfium

    w = PdfWriter()
    w.page().text(72, 700, "机密内容", size=12)
    with pytest.raises(govreport.errors.EncryptedInput):
        with pdfium.open_document(w.to_bytes(user_password="secret")):
            pass
    with pytest.raises(govreport.errors.UnreadableInput):
        with pdfium.open_document(b"%PDF-1.4\n%%EOF"):
            pass
    with pdfium.open_document(w.to_bytes()) as pdf, pdfium.pdfium_lock():
        assert len(pdf) == 1


def test_a_pypdfium2_without_a_needed_function_is_not_used(monkeypatch):
    """An older pypdfium2 whose PDFium lacks a function the source calls: pdfminer reads instead
    (asked for by name, a typed error says what to install), never a call through a missing symbol."""
    from govreport.errors import MissingDependency
    from govreport.pdftext import pdfium as source

    monkeypatch.setattr(source, "NEEDED", (*source.NEEDED, "FPDFText_NoSuchFunction"))
    monkeypatch.delenv(pdftext.ENV, raising=False)
    assert pdftext.backend() == "pdfminer"
    monkeypatch.setenv(pdftext.ENV, "pdfium")
    with pytest.raises(MissingDependency, match="pip install -U"):
        pdftext.backend()


@pytest.mark.parametrize("path", [DATA / "xinwei-2020-vertical.pdf", DATA / "hangu-2019-tabbed.pdf"], ids=lambda p: p.name)
def test_characters_asked_for_one_at_a_time_are_the_page_text(path, monkeypatch):
    """The PDFium source takes a page's characters in one call and asks for them one at a time only
    when that text does not match them one to one: both ways give the same glyphs and boxes."""
    from govreport.pdftext import page as page_module, pdfium

    def glyphs() -> list:
        seen: list = []
        real = page_module.layout_page
        monkeypatch.setattr(page_module, "layout_page", lambda g, s: seen.append(g) or real(g, s))
        list(pdfium.read_pages(open_source(path), []))
        return [(g.text, g.x0, g.y0, g.x1, g.y1) for page in seen for g in page]

    whole = glyphs()
    monkeypatch.setattr(pdfium, "_page_text", lambda *args: None)
    one_by_one = glyphs()
    assert whole == one_by_one and len(whole) > 100 and any(not g[0].isascii() for g in whole)


def _pdfium_pages(data: bytes | Path, monkeypatch: pytest.MonkeyPatch, **patches: object) -> tuple:
    """What the PDFium source hands the layout of each page of ``data``: its glyphs and rules to the
    bit (as hexadecimal floats, so that -0.0 and 0.0 differ), counts and size; and the problems met
    (or the typed error's name). ``patches`` are set on the source's module meanwhile."""
    from govreport.pdftext import pdfium

    pages: list = []
    real = pdfium.finish_page

    def seen(number, glyphs, segments, counts, width, height, problems):
        pages.append((number, [(g.text, *map(float.hex, (g.x0, g.y0, g.x1, g.y1, g.size))) for g in glyphs],
                      [(s.horizontal, *map(float.hex, (s.pos, s.start, s.end))) for s in segments],
                      list(counts), float.hex(width), float.hex(height)))
        return real(number, glyphs, segments, counts, width, height, problems)

    monkeypatch.setattr(pdfium, "finish_page", seen)
    for name, value in patches.items():
        monkeypatch.setattr(pdfium, name, value)
    problems: list[str] = []
    try:
        list(pdfium.read_pages(open_source(data), problems))
    except GovReportError as exc:
        return type(exc).__name__, problems
    finally:
        monkeypatch.undo()
    return pages, problems


@pytest.mark.parametrize("path", PDFS, ids=_id)
def test_cffi_and_ctypes_calls_read_alike(path, monkeypatch):
    """PDFium called through cffi (the ``pdfium`` extra) and through ctypes: the same glyphs and
    rules to the bit (compared as hexadecimal floats, so that -0.0 and 0.0 differ), the same
    counts, page sizes and problems, on every page of every PDF the tests have, with the page's
    text taken in one call and asked for one character at a time."""
    pytest.importorskip("cffi")
    from govreport.pdftext import pdfium

    def read(via: str, whole_text: bool) -> tuple:
        monkeypatch.setenv(pdfium.CALLS_ENV, via)
        assert pdfium._calls(pdfium._raw()).via == via
        return _pdfium_pages(path, monkeypatch, **({} if whole_text else {"_page_text": lambda *args: None}))

    for whole_text in (True, False):
        by_cffi, by_ctypes = read("cffi", whole_text), read("ctypes", whole_text)
        assert by_cffi == by_ctypes
        assert isinstance(by_cffi[0], str) or by_cffi[0], "no page reached the layout: nothing was compared"


def _one_page(contents: bytes) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>"
    return _raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", page,
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents), contents))


@pytest.mark.parametrize("backend", pdftext.BACKENDS)
def test_characters_at_no_finite_place_are_left_out_and_said(backend, monkeypatch):
    """A number too large for a float (400 nines) puts characters at infinity, or at NaN once
    multiplied: such a character is left out and the page says so, and the table around it reads
    as it would without it (NaN among the centres a lattice bisects would hide real glyphs)."""
    from govreport.pdftext import read_pages

    big = b"9" * 400 + b".0"
    rules = b"0.5 w 100 500 m 400 500 l S 100 550 m 400 550 l S 100 600 m 400 600 l S " \
            b"100 500 m 100 600 l S 250 500 m 250 600 l S 400 500 m 400 600 l S "
    cells = b"".join(b"BT /F1 12 Tf 1 0 0 1 %d %d Tm (%s) Tj ET " % c for c in
                     [(120, 560, b"Alpha"), (260, 560, b"12"), (120, 510, b"Beta"), (260, 510, b"34"),
                      (200, 580, b"Q"), (130, 570, b"Z")])
    far = b"BT /F1 12 Tf 1 0 0 1 150 %s Tm (X) Tj ET BT /F1 12 Tf 1 0 0 %s 150 520 Tm (YY) Tj ET " % (big, big)
    monkeypatch.setenv(pdftext.ENV, backend)
    problems: list[str] = []
    pages = list(read_pages(open_source(_one_page(rules + far + cells)), problems))
    tables = [t for t in pages[0].items if hasattr(t, "rows")]
    rows = [[c[0] for c in row] for row in tables[0].rows]
    if backend == "pdfminer":
        assert rows == [["Q\nZ\nAlpha", "12"], ["Beta", "34"]]
        assert any("3 characters and 0 lines at no finite place" in p for p in problems)
    else:  # PDFium reads the nines as 0, not as infinity: "YY" drawn flat at y 520 lands beside Beta
        assert rows == [["Q\nZ\nAlpha", "12"], ["Y Y\nBeta", "34"]]


def _mixed_pages() -> bytes:
    """Pages where plain text comes first and something else after it: a slanted watermark, a line
    turned a quarter, a column of a font written top to bottom, and a page of plain text only."""
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "第一行正文", size=12)
    p.table(72, 650, [120, 60], [20, 20], {(0, 0): "名称", (0, 1): "数量", (1, 0): "第一项", (1, 1): "9"})
    p.text(150, 300, "样本水印", size=60, angle=45)
    p = w.page()
    p.text(72, 700, "横排的正文", size=12)
    p.text(300, 400, "竖排的说明", size=12, angle=90)
    p = w.page()
    p.text(72, 700, "只有正文的一页", size=12)
    return w.to_bytes(compress=False)


def _vertical_after_plain() -> bytes:
    w = PdfWriter()
    p = w.page()
    p.text(72, 700, "正文一行", size=12)
    p.ops.append("q 0.05 0 0 0.05 0 0 cm")
    for k, ch in enumerate("本年度办理结果"):
        p.text(2000, 12000 - k * 240, ch, size=200)
    p.ops.append("Q")
    p = w.page()  # characters drawn one a show, then a run drawn unscaled in one show: only its steps show its direction
    for k, ch in enumerate("正文一行"):
        p.text(72 + 14 * k, 700, ch, size=12)
    p.text(72, 400, "本年度办理结果", size=12)
    return w.to_bytes(compress=False).replace(b"/Identity-H", b"/Identity-V")


@pytest.mark.parametrize("data", [pytest.param(p, id=_id(p)) for p in PDFS if not {"hostile", "scans"} & set(p.parts)]
                         + [pytest.param(_mixed_pages(), id="plain-then-turned"),
                            pytest.param(_vertical_after_plain(), id="plain-then-top-to-bottom")])
def test_glyphs_made_at_once_are_those_kept_until_the_page_is_walked(data, monkeypatch):
    """The PDFium source makes a plain page's glyphs as it meets the characters, and walks a page
    again keeping every character once it meets one that is turned, slanted or written top to
    bottom: the glyphs (to the bit, in their order), counts and problems are those of walking
    every page the second way alone."""
    def read(walks: tuple[bool, ...]) -> tuple:
        return _pdfium_pages(data, monkeypatch, _WALKS=walks)

    eager, kept = read((True, False)), read((False,))
    assert eager == kept
    assert any(page[1] for page in kept[0]), "no glyphs were compared"
    if isinstance(data, bytes):  # made to meet such a character after plain ones: the first walk alone falls short
        assert read((True,)) != kept
