"""Decompression caps: measure what an input's compressed parts inflate to before anyone inflates them.

PDFium aborts the whole process when an allocation fails, pdfminer and python-docx inflate a part
in one piece, and a 2 MB PDF or a 4 MB .docx can inflate to gigabytes. So the input stage inflates
every Flate stream of a PDF and every member of a zip once, in small chunks that are counted and
thrown away, and refuses the input (:class:`~govreport.errors.CompressionBomb`) when the total
passes :attr:`Limits.inflated` or, past :attr:`Limits.ratio_after` bytes, :attr:`Limits.ratio`
times the input's size. A stream that fails to inflate is left for the reader to report.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from .errors import CompressionBomb
from .limits import Limits

_IN_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20
#: Filters chained deeper than this are counted as this many (no real file chains more than two).
_MAX_LAYERS = 4
#: A zip with more members than this is no document.
MAX_ZIP_MEMBERS = 20_000

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z0-9])")


class _Budget:
    def __init__(self, name: str, size: int, limits: Limits) -> None:
        self.name, self.size, self.limits, self.total = name, max(size, 1), limits, 0

    def add(self, n: int) -> None:
        self.total += n
        lim = self.limits
        if lim.inflated is not None and self.total > lim.inflated:
            raise CompressionBomb(f"{self.name}: its compressed parts inflate past {lim.inflated // 2**20} MB "
                                  "(a decompression bomb, or far larger than any report)", "inflated")
        if lim.ratio is not None and self.total > lim.ratio_after and self.total > lim.ratio * self.size:
            raise CompressionBomb(f"{self.name}: its compressed parts inflate to more than {lim.ratio:g} times "
                                  f"its {self.size / 2**20:.1f} MB (a decompression bomb)", "ratio")


def check_pdf(data: bytes, name: str, limits: Limits) -> int:
    """Inflate every Flate stream of a PDF, counted; return the bytes they inflate to."""
    budget = _Budget(name, len(data), limits)
    if limits.inflated is None and limits.ratio is None:
        return 0
    prev_end = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if start < prev_end:
            continue  # the word "stream" inside a stream already counted
        dict_start = max(data.rfind(b"obj", prev_end, m.start()), prev_end, m.start() - 4096)
        layers = len(_FLATE.findall(data, dict_start, m.start()))
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        prev_end = end
        if layers:
            _inflate(memoryview(data)[start:end], min(layers, _MAX_LAYERS), budget)
    return budget.total


def _inflate(raw: memoryview, layers: int, budget: _Budget) -> None:
    """Push ``raw`` through ``layers`` chained inflaters, counting every byte that comes out."""
    chain = [zlib.decompressobj() for _ in range(layers)]

    def push(level: int, chunk: bytes) -> None:
        d = chain[level]
        while chunk and not d.eof:
            out = d.decompress(chunk, _OUT_CHUNK)
            chunk = d.unconsumed_tail
            budget.add(len(out))
            if level + 1 < layers and out:
                push(level + 1, out)
            if not out and chunk:
                break  # no progress: damaged data

    try:
        for i in range(0, len(raw), _IN_CHUNK):
            push(0, bytes(raw[i:i + _IN_CHUNK]))
            if chain[0].eof:
                break
    except zlib.error:
        return  # damaged: the reader reports it (or reads around it)


def check_zip(data: bytes, name: str, limits: Limits) -> int:
    """Inflate every member of a zip, counted; return the bytes they inflate to."""
    budget = _Budget(name, len(data), limits)
    if limits.inflated is None and limits.ratio is None:
        return 0
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # a broken zip: the input stage and the reader say so
        return 0
    with z:
        infos = z.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise CompressionBomb(f"{name}: the zip holds {len(infos)} members, more than any document",
                                  "inflated")
        for info in infos:
            try:
                with z.open(info) as member:
                    while chunk := member.read(_OUT_CHUNK):
                        budget.add(len(chunk))
            except CompressionBomb:
                raise
            except Exception:  # a damaged or encrypted member: the reader reports it
                continue
    return budget.total
