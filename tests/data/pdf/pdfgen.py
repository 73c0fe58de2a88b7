"""A minimal PDF writer for the PDF reader's tests and benchmark (no third-party library).

It writes pages of text (any Unicode, through one non-embedded CID font with a ToUnicode map, so
pdfminer reads the text back exactly), straight lines, rectangles and ruled tables with merged
cells, and can protect the file with a user password (standard security handler, RC4 128-bit).

    doc = PdfWriter()
    page = doc.page()
    page.text(72, 720, "标题", size=16)
    page.table(72, 700, [120, 60, 60], [20, 20], {(0, 0): "a", (0, 1): ("b", 1, 2)})
    data = doc.to_bytes(user_password="secret")
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _width(ch: str) -> int:
    return 500 if ord(ch) < 0x2E80 else 1000


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


class Page:
    def __init__(self, width: float = 612, height: float = 792, sideways: bool = False) -> None:
        self.width, self.height, self.sideways = width, height, sideways
        self.ops: list[str] = []
        self.chars: set[str] = set()

    def text(self, x: float, y: float, s: str, size: float = 12, angle: float = 0) -> float:
        """Draw ``s`` with its baseline at ``y`` (turned by ``angle`` degrees); returns the x where it ends."""
        if not s:
            return x
        self.chars.update(s)
        hexs = "".join(f"{ord(c):04X}" for c in s)
        rad = math.radians(angle)
        a, b = math.cos(rad), math.sin(rad)
        self.ops.append(f"BT /F1 {size:g} Tf {a:.4f} {b:.4f} {-b:.4f} {a:.4f} {x:.2f} {y:.2f} Tm <{hexs}> Tj ET")
        return x + sum(_width(c) for c in s) * size / 1000

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> None:
        self.ops.append(f"{width:g} w {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")

    def rect(self, x: float, y: float, w: float, h: float, fill: bool = False) -> None:
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re {'f' if fill else 'S'}")

    def image_placeholder(self) -> None:
        """Paint a tiny inline image (a page with an image but no text, like a scan)."""
        self.ops.append("q 500 0 0 700 50 50 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q")

    def table(
        self,
        x: float,
        top: float,
        widths: list[float],
        heights: list[float],
        cells: dict,
        size: float = 9,
        pad: float = 4,
        rules: bool = True,
    ) -> float:
        """A table; ``cells`` maps (row, col) to text or (text, rowspan, colspan).

        Text lines are separated by "\\n". Returns the y of the table's bottom edge.
        """
        xs = [x]
        for w in widths:
            xs.append(xs[-1] + w)
        ys = [top]
        for h in heights:
            ys.append(ys[-1] - h)
        covered: set[tuple[int, int]] = set()
        regions = []
        for r in range(len(heights)):
            for c in range(len(widths)):
                if (r, c) in covered:
                    continue
                spec = cells.get((r, c), "")
                text, rs, cs = (spec, 1, 1) if isinstance(spec, str) else spec
                for rr in range(r, r + rs):
                    for cc in range(c, c + cs):
                        covered.add((rr, cc))
                regions.append((r, c, rs, cs, text))
        for r, c, rs, cs, text in regions:
            x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r + rs], ys[r]
            if rules:
                self.line(x0, y1, x1, y1)
                self.line(x0, y0, x1, y0)
                self.line(x0, y0, x0, y1)
                self.line(x1, y0, x1, y1)
            for k, ln in enumerate(text.split("\n") if text else []):
                self.text(x0 + pad, y1 - pad - size * 0.88 - k * size * 1.3, ln, size)
        return ys[-1]

    def content(self) -> bytes:
        ops = self.ops
        if self.sideways:
            # drawn in landscape coordinates, printed turned a quarter left on a portrait page
            ops = [f"q 0 1 -1 0 {self.height:g} 0 cm"] + ops + ["Q"]
        return "\n".join(ops).encode("latin-1")


class PdfWriter:
    def __init__(self) -> None:
        self.pages: list[Page] = []

    def page(self, width: float = 612, height: float = 792, sideways: bool = False) -> Page:
        """A page; with ``sideways`` its content is laid out on a landscape page of ``height`` × ``width``
        and printed turned a quarter to the left, as landscape tables are in portrait documents."""
        p = Page(width, height, sideways)
        self.pages.append(p)
        return p

    def to_bytes(self, user_password: str | None = None, owner_password: str = "owner", compress: bool = True) -> bytes:
        chars = sorted(set().union(*(p.chars for p in self.pages)) or {" "})
        objs: list[bytes | None] = [None]  # 1-based object numbers
        streams: dict[int, bytes] = {}

        def add(body: bytes | None = None) -> int:
            objs.append(body)
            return len(objs) - 1

        catalog, pages_obj = add(), add()
        tounicode = add()
        cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        for i in range(0, len(chars), 100):
            block = chars[i : i + 100]
            cmap.append(f"{len(block)} beginbfchar")
            cmap.extend(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block)
            cmap.append("endbfchar")
        cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        streams[tounicode] = "\n".join(cmap).encode("ascii")
        descriptor = add(b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
                         b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
        w = " ".join(f"{ord(c)} [{_width(c)}]" for c in chars)
        cid = add(("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                   f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [{w}] /CIDToGIDMap /Identity >>").encode("ascii"))
        font = add((f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
                    f"/DescendantFonts [{cid} 0 R] /ToUnicode {tounicode} 0 R >>").encode("ascii"))
        kids = []
        for p in self.pages:
            content = add()
            streams[content] = p.content()
            kids.append(add((f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {p.width:g} {p.height:g}] "
                             f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>").encode("ascii")))
        objs[catalog] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode("ascii")
        objs[pages_obj] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>").encode("ascii")

        file_id = hashlib.md5(repr((len(objs), chars[:20])).encode()).digest()
        key = None
        encrypt = None
        if user_password is not None:
            key, o_value, u_value, perms = _security(user_password, owner_password, file_id)
            encrypt = add((f"<< /Filter /Standard /V 2 /R 3 /Length 128 /P {perms} "
                           f"/O <{o_value.hex()}> /U <{u_value.hex()}> >>").encode("ascii"))

        out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
        offsets = [0] * len(objs)
        for num in range(1, len(objs)):
            offsets[num] = len(out)
            if num in streams:
                data = streams[num]
                head = b"<< /Length %d"
                if compress:
                    data = zlib.compress(data)
                    head += b" /Filter /FlateDecode"
                if key is not None and num != encrypt:
                    data = _rc4(_object_key(key, num), data)
                out += b"%d 0 obj\n" % num + (head % len(data)) + b" >>\nstream\n" + data + b"\nendstream\nendobj\n"
            else:
                out += b"%d 0 obj\n" % num + (objs[num] or b"null") + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % len(objs)
        for num in range(1, len(objs)):
            out += b"%010d 00000 n \n" % offsets[num]
        trailer = f"<< /Size {len(objs)} /Root {catalog} 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
        if encrypt:
            trailer += f" /Encrypt {encrypt} 0 R"
        out += b"trailer\n" + trailer.encode("ascii") + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _security(user: str, owner: str, file_id: bytes) -> tuple[bytes, bytes, bytes, int]:
    """Key, /O and /U of the standard security handler, revision 3, 128-bit RC4."""
    perms = -4  # every permission
    h = hashlib.md5(_padded(owner)).digest()
    for _ in range(50):
        h = hashlib.md5(h).digest()
    okey = h[:16]
    o_value = _rc4(okey, _padded(user))
    for i in range(1, 20):
        o_value = _rc4(bytes(b ^ i for b in okey), o_value)
    h = hashlib.md5(_padded(user) + o_value + struct.pack("<i", perms) + file_id).digest()
    for _ in range(50):
        h = hashlib.md5(h[:16]).digest()
    key = h[:16]
    u = _rc4(key, hashlib.md5(_PAD + file_id).digest())
    for i in range(1, 20):
        u = _rc4(bytes(b ^ i for b in key), u)
    return key, o_value, u + b"\x00" * 16, perms


def _object_key(key: bytes, num: int, gen: int = 0) -> bytes:
    return hashlib.md5(key + struct.pack("<i", num)[:3] + struct.pack("<i", gen)[:2]).digest()[: min(len(key) + 5, 16)]
