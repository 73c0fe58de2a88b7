"""Damaging documents on purpose: the mutations the fuzz harness and the property tests feed to parse.

Each mutation takes a document's bytes and a :class:`random.Random` and returns new bytes. They
follow what damages files in the wild and what an attacker tries: flipped bytes, truncation,
duplicated and deleted chunks, damaged zip members and central directories, damaged PDF objects
and streams, HTML tag soup and misdeclared encodings. The same seed gives the same input, so a
failure found by a long run is replayed from its number alone.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from typing import Callable

Mutation = Callable[[bytes, random.Random], bytes]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 1 + len(b) // 2000)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 2:
        return data * 2
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, 4096))
    times = rng.choice((1, 2, 10, 100))
    return data[:j] + data[i:j] * times + data[j:]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 2:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 4096):]


def damage_zip(data: bytes, rng: random.Random) -> bytes:
    """Rewrite one member damaged, or damage the central directory or a local header in place."""
    if not data.startswith(b"PK"):
        return flip_bytes(data, rng)
    choice = rng.random()
    if choice < 0.4:
        try:
            src = zipfile.ZipFile(io.BytesIO(data))
            out = io.BytesIO()
            with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                infos = src.infolist()
                victim = rng.randrange(len(infos)) if infos else -1
                for k, info in enumerate(infos):
                    body = src.read(info)
                    if k == victim:
                        body = rng.choice((flip_bytes, truncate, duplicate_chunk, delete_chunk, _xml_soup))(body, rng)
                    dst.writestr(info.filename, body)
            return out.getvalue()
        except Exception:
            return flip_bytes(data, rng)
    b = bytearray(data)
    marks = [m.start() for m in re.finditer(rb"PK\x01\x02" if choice < 0.7 else rb"PK\x03\x04", data)]
    if marks:
        at = rng.choice(marks) + rng.randrange(4, 46)
        for k in range(rng.randint(1, 4)):
            if at + k < len(b):
                b[at + k] = rng.randrange(256)
    return bytes(b)


def damage_pdf(data: bytes, rng: random.Random) -> bytes:
    """Damage an object number, a reference, a /Length, or the bytes of a stream."""
    choice = rng.random()
    if choice < 0.3:
        refs = list(re.finditer(rb"(\d+) 0 R", data))
        if refs:
            m = rng.choice(refs)
            return data[: m.start()] + str(rng.randrange(1, 40)).encode() + data[m.start(1) + len(m.group(1)):]
    if choice < 0.5:
        lens = list(re.finditer(rb"/Length (\d+)", data))
        if lens:
            m = rng.choice(lens)
            new = str(rng.choice((0, 1, int(m.group(1)) * 2, 10**9))).encode()
            return data[: m.start(1)] + new + data[m.end(1):]
    if choice < 0.6:
        # a stream made to inflate to a lot (a small bomb), in place of one that was there
        streams = list(re.finditer(rb"stream\r?\n", data))
        if streams:
            m = rng.choice(streams)
            end = data.find(b"endstream", m.end())
            if end > 0:
                body = zlib.compress(b"0 0 m 1 1 l S\n" * rng.choice((10, 10_000, 1_000_000)))
                return data[: m.end()] + body + data[end:]
    streams = list(re.finditer(rb"stream\r?\n", data))
    if streams:
        m = rng.choice(streams)
        end = data.find(b"endstream", m.end())
        if end > m.end():
            body = rng.choice((flip_bytes, truncate, delete_chunk))(data[m.end():end], rng)
            return data[: m.end()] + body + data[end:]
    return flip_bytes(data, rng)


_TAGS = (b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<td colspan=99999>", b"<td rowspan=0>",
         b"<th>", b"<p>", b"</p>", b"<div>", b"</div>", b"<script>document.write('", b"')</script>", b"<!--",
         b"-->", b"<![CDATA[", b"<br>", b"&#x110000;", b"&#99999999999;", b"<svg>", b"<math>", b"<td colspan=-5>")


def _xml_soup(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(data) + 1)
        data = data[:i] + rng.choice(_TAGS) + data[i:]
    return data


def tag_soup(data: bytes, rng: random.Random) -> bytes:
    return _xml_soup(data, rng)


_CHARSETS = (b"utf-16", b"utf-7", b"punycode", b"big5", b"shift_jis", b"koi8-r", b"x-unknown", b"gb2312", b"utf-32")


def odd_encoding(data: bytes, rng: random.Random) -> bytes:
    """Declare (or re-encode to) an encoding the content is not in."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return flip_bytes(data, rng)
    if rng.random() < 0.5:
        enc = rng.choice(("utf-16", "utf-16-be", "gb18030", "big5", "utf-32"))
        try:
            return text.encode(enc, "replace")
        except (LookupError, UnicodeError):
            return data
    meta = b'<meta charset="' + rng.choice(_CHARSETS) + b'">'
    return meta + data


#: Every mutation by name.
MUTATIONS: dict[str, Mutation] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "duplicate": duplicate_chunk,
    "delete": delete_chunk,
    "zip": damage_zip,
    "pdf": damage_pdf,
    "soup": tag_soup,
    "encoding": odd_encoding,
}


def mutations_for(data: bytes) -> tuple[str, ...]:
    """The mutations that make sense for a document (all of the generic ones, plus its own)."""
    generic = ("flip", "truncate", "duplicate", "delete")
    if data.startswith(b"PK"):
        return (*generic, "zip", "zip")
    if data[:1024].find(b"%PDF") >= 0:
        return (*generic, "pdf", "pdf")
    return (*generic, "soup", "encoding")


def mutate(data: bytes, rng: random.Random, rounds: int | None = None) -> tuple[bytes, tuple[str, ...]]:
    """Apply one to three mutations chosen for ``data``; return the bytes and the names applied."""
    names = []
    for _ in range(rounds or rng.choice((1, 1, 1, 2, 3))):
        name = rng.choice(mutations_for(data))
        data = MUTATIONS[name](data, rng)
        names.append(name)
    return data, tuple(names)
