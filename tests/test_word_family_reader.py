"""WordFamilyReader: .doc/.rtf through LibreOffice (skipped when it is not installed), the
conversion plumbing with a stand-in converter, the missing-tool error, encryption, and the basic
RTF reader used without LibreOffice."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import sys
from collections import Counter
from pathlib import Path

import pytest

import govreport.readers.word_family as wf
from govreport.document import Paragraph
from govreport.errors import EncryptedInput, MissingDependency, UnreadableInput
from govreport.readers.base import ReaderLike
from govreport.readers.docx import DocxReader
from govreport.readers.rtf import read_rtf
from govreport.readers.word_family import WordFamilyReader
from govreport.source import Source, open_source

DATA = Path(__file__).parent / "data" / "office"
DOC = DATA / "linjiang-2022-synthetic.doc"  # saved from the .docx by LibreOffice
RTF = DATA / "xinwei-2020-vertical.rtf"  # likewise

HAVE_SOFFICE = any(shutil.which(n) for n in ("soffice", "libreoffice"))
needs_soffice = pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed")

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元)?$")


def gold_numbers(gold_path: Path) -> Counter:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out: Counter = Counter()

    def walk(v):
        if isinstance(v, dict):
            if "value" in v and "unit" in v:
                if v["value"] is not None:
                    out[str(float(v["value"]))] += 1
                return
            for x in v.values():
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[str(float(v))] += 1

    for table in ("active_disclosure", "applications", "review_litigation", "legacy_statistics"):
        walk(gold.get(table) or {})
    return out


def grid_numbers(doc) -> Counter:
    out: Counter = Counter()
    for grid in doc.grids:
        for row in grid.rows:
            for cell in row:
                m = _NUMBER.match(cell.text.strip())
                if m and not cell.merged:
                    out[str(float(m.group(1)))] += 1
    return out


def shape(doc):
    return [b.text if isinstance(b, Paragraph) else [[(c.text, c.merged) for c in r] for r in b.rows]
            for b in doc.blocks]


@pytest.fixture
def no_soffice(monkeypatch):
    """Make LibreOffice look absent, whatever this machine has."""
    monkeypatch.delenv("GOVREPORT_SOFFICE", raising=False)
    monkeypatch.setattr(wf.shutil, "which", lambda name, *a, **k: None)


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in ``soffice`` script; ``body`` is Python run with the command line in ``argv``."""
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib, shutil, time\nargv = sys.argv\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


# -- sources ------------------------------------------------------------------------------------


def test_test_files_are_of_their_kinds():
    assert open_source(DOC).kind == "doc"
    assert open_source(RTF).kind == "rtf"


def test_reader_contract_and_claim():
    r = WordFamilyReader()
    assert isinstance(r, ReaderLike)
    assert r.name == "word" and r.kinds == ("doc", "rtf")
    assert r.claim(open_source(DOC)) == 0.9
    assert r.claim(open_source(RTF)) == 0.9
    assert r.claim(open_source(DATA / "hangu-2019-tabbed.docx")) == 0.0


def test_registered_as_entry_point():
    from importlib.metadata import entry_points

    eps = {ep.name: ep for ep in entry_points(group="govreport.readers")}
    assert eps["word"].load() is WordFamilyReader


# -- missing LibreOffice ------------------------------------------------------------------------


def test_doc_without_libreoffice_raises_missing_dependency(no_soffice):
    assert wf.find_soffice() is None
    with pytest.raises(MissingDependency) as excinfo:
        WordFamilyReader().read(open_source(DOC))
    msg = str(excinfo.value)
    assert "LibreOffice" in msg and "apt-get install libreoffice-writer" in msg
    assert isinstance(excinfo.value, ImportError)  # MissingDependency is an ImportError too


def test_explicit_soffice_path_that_does_not_exist_counts_as_missing(monkeypatch):
    monkeypatch.setenv("GOVREPORT_SOFFICE", "/nonexistent/soffice")
    assert wf.find_soffice() is None


def test_rtf_without_libreoffice_uses_basic_reader(no_soffice):
    doc = WordFamilyReader().read(open_source(RTF))
    assert doc.reader == "word"
    assert any("LibreOffice is not installed" in p for p in doc.problems)
    assert grid_numbers(doc) == gold_numbers(DATA / "xinwei-2020-vertical.gold.json")
    # the basic reader gives the same blocks as the original .docx
    assert shape(doc) == shape(DocxReader().read(open_source(DATA / "xinwei-2020-vertical.docx")))


# -- conversion plumbing (a stand-in converter) --------------------------------------------------


def test_conversion_output_is_read_by_the_docx_reader(tmp_path, monkeypatch):
    docx_file = DATA / "linjiang-2022-synthetic.docx"
    body = (
        "out = pathlib.Path(argv[argv.index('--outdir') + 1])\n"
        "src = pathlib.Path(argv[-1])\n"
        "assert '--headless' in argv and argv[argv.index('--convert-to') + 1] == 'docx'\n"
        "assert any(a.startswith('-env:UserInstallation=file://') for a in argv)\n"
        f"shutil.copy({str(docx_file)!r}, out / (src.stem + '.docx'))\n"
    )
    monkeypatch.setenv("GOVREPORT_SOFFICE", fake_soffice(tmp_path, body))
    doc = WordFamilyReader().read(open_source(DOC))
    assert doc.reader == "word"
    assert shape(doc) == shape(DocxReader().read(open_source(docx_file)))


def test_failed_conversion_is_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_SOFFICE", fake_soffice(tmp_path, "sys.stderr.write('Error: source file could not be loaded\\n'); sys.exit(1)"))
    with pytest.raises(UnreadableInput) as excinfo:
        WordFamilyReader().read(open_source(DOC))
    assert "could not be loaded" in str(excinfo.value)


def test_conversion_timeout_is_unreadable(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_SOFFICE", fake_soffice(tmp_path, "time.sleep(30)"))
    monkeypatch.setenv("GOVREPORT_SOFFICE_TIMEOUT", "1")
    with pytest.raises(UnreadableInput) as excinfo:
        WordFamilyReader().read(open_source(DOC))
    assert "within 1 s" in str(excinfo.value)


def test_a_parse_stopped_at_its_time_limit_kills_the_conversion(tmp_path, monkeypatch):
    # found by the fuzzer: the parse's time limit stopped the wait for LibreOffice, which went on
    # writing its profile while the temporary folder was removed, and the OSError of that removal
    # ended the parse ("reader 'word' failed: OSError: Directory not empty") with LibreOffice left running
    import time

    import govreport
    from govreport.errors import ParseTimeout
    from govreport.limits import Limits

    pid_file = tmp_path / "pid"
    body = (
        "import os\n"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))\n"
        "prefix = '-env:UserInstallation=file://'\n"
        "profile = pathlib.Path(next(a for a in argv if a.startswith(prefix))[len(prefix):])\n"
        "for i in range(100000):\n"
        "    (profile / 'user' / str(i)).mkdir(parents=True, exist_ok=True)\n"
        "    time.sleep(0.001)\n"
    )
    monkeypatch.setenv("GOVREPORT_SOFFICE", fake_soffice(tmp_path, body))
    started = time.monotonic()
    with pytest.raises(ParseTimeout):
        govreport.parse(DOC, reader="word", limits=Limits(seconds=1.0))
    assert time.monotonic() - started < 10  # not the conversion's own timeout (120 s)
    pid = int(pid_file.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_conversion_leaves_no_temporary_files(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("GOVREPORT_SOFFICE", fake_soffice(tmp_path, "sys.exit(1)"))
    with pytest.raises(UnreadableInput):
        WordFamilyReader().read(open_source(DOC))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("govreport-soffice-")]


# -- real LibreOffice ---------------------------------------------------------------------------


@needs_soffice
def test_doc_converted_with_libreoffice():
    doc = WordFamilyReader().read(open_source(DOC))
    assert doc.reader == "word"
    assert grid_numbers(doc) == gold_numbers(DATA / "linjiang-2022-synthetic.gold.json")
    assert doc.paragraphs[0].text == "示例市临江区人民政府2022年"
    # the nested layout table is flattened as in the .docx
    assert doc.grids[0].rows[0][0].text == "第二十条第（一）项"


@needs_soffice
def test_rtf_converted_with_libreoffice():
    doc = WordFamilyReader().read(open_source(RTF))
    assert not doc.problems
    assert grid_numbers(doc) == gold_numbers(DATA / "xinwei-2020-vertical.gold.json")


def test_compound_file_without_word_stream_is_unreadable():
    # LibreOffice would import random bytes as text; such a file is refused before converting
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096).replace(b"W", b"w")
    with pytest.raises(UnreadableInput) as excinfo:
        WordFamilyReader().read(Source(data=data, kind="doc", name="junk.doc"))
    assert "without a Word document" in str(excinfo.value)


# -- encryption ---------------------------------------------------------------------------------


def _fake_cfb(fib_flags: int) -> bytes:
    """A minimal compound file: header, one directory sector, and a WordDocument stream's FIB."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    directory = bytearray(512)
    for i, (name, typ, start) in enumerate((("Root Entry", 5, 0xFFFFFFFE), ("WordDocument", 2, 1))):
        entry = bytearray(128)
        raw = name.encode("utf-16-le")
        entry[0:len(raw)] = raw
        entry[0x40:0x42] = (len(raw) + 2).to_bytes(2, "little")
        entry[0x42] = typ
        entry[0x74:0x78] = start.to_bytes(4, "little")
        entry[0x78:0x7C] = (4096).to_bytes(4, "little")
        directory[i * 128:(i + 1) * 128] = entry
    fib = bytearray(512)
    fib[0:2] = (0xA5EC).to_bytes(2, "little")
    fib[0x0A:0x0C] = fib_flags.to_bytes(2, "little")
    return bytes(header + directory + fib)


def test_password_protected_doc_is_encrypted_input(no_soffice):
    with pytest.raises(EncryptedInput):
        WordFamilyReader().read(Source(data=_fake_cfb(0x0100), kind="doc", name="locked.doc"))


def test_unprotected_fib_is_not_taken_for_encryption(no_soffice):
    assert not wf._doc_fib_encrypted(_fake_cfb(0x0000))
    assert not wf._doc_fib_encrypted(DOC.read_bytes())
    with pytest.raises(MissingDependency):  # it goes on to need LibreOffice
        WordFamilyReader().read(Source(data=_fake_cfb(0x0000), kind="doc", name="open.doc"))


def test_encrypted_docx_package_is_encrypted_input(no_soffice):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    with pytest.raises(EncryptedInput):
        WordFamilyReader().read(Source(data=data, kind="doc", name="locked.docx"))


# -- the basic RTF reader -----------------------------------------------------------------------


def rtf(body: str, header: str = r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}") -> Source:
    data = (header + body + "}").encode("latin-1")
    return Source(data=data, kind="rtf", name="t.rtf", text=data.decode("latin-1"))


def gbk_hex(s: str) -> str:
    return "".join(f"\\'{b:02x}" for b in s.encode("gbk"))


def test_rtf_code_page_bytes_and_unicode_escapes():
    body = (
        r"{\info{\title Not read}}{\*\generator Word;}"
        + r"\pard\plain\f0 " + gbk_hex("政府信息") + r"\u20844?\u24320?\par "
        + r"{\*\bkmkstart x}A\tab B\line C\~D\emdash E\par "
    )
    doc = read_rtf(rtf(body))
    assert [p.text for p in doc.paragraphs] == ["政府信息公开", "A\tB\nC\u00a0D\u2014E"]


def test_rtf_table_with_vertical_merge():
    row1 = (r"\trowd\clvmgf\cellx1000\cellx2000\cellx3000"
            r"\pard\intbl " + gbk_hex("合并") + r"\cell\pard\intbl a\cell\pard\intbl 1\cell\row ")
    row2 = (r"\trowd\clvmrg\cellx1000\cellx2000\cellx3000"
            r"\pard\intbl\cell\pard\intbl b\par\pard\intbl c\cell\pard\intbl 2\cell\row ")
    body = r"\pard " + gbk_hex("前") + r"\par " + row1 + row2 + r"\pard " + gbk_hex("后") + r"\par "
    doc = read_rtf(rtf(body))
    blocks = shape(doc)
    assert blocks == ["前", [[("合并", False), ("a", False), ("1", False)], [("", True), ("b\nc", False), ("2", False)]], "后"]
    cell = doc.grids[0].rows[1][2]
    assert (cell.loc.table, cell.loc.row, cell.loc.col) == (0, 1, 2)


def test_rtf_unicode_skip_count():
    doc = read_rtf(rtf(r"\pard\uc2\u25968 xx\u23383\'b0\'a1 end\par "))
    assert doc.paragraphs[0].text == "数字 end"


def test_not_rtf_is_unreadable():
    with pytest.raises(UnreadableInput):
        read_rtf(Source(data=b"hello", kind="rtf", name="x.rtf"))


def test_rtf_paragraph_properties_are_scoped_to_groups():
    # a list number group resets paragraph properties only inside itself
    row = (r"\trowd\cellx1000\cellx2000\pard\intbl{\listtext\pard\plain 1.\tab}" + gbk_hex("甲")
           + r"\par\pard\intbl x\cell\pard\intbl 5\cell\row ")
    doc = read_rtf(rtf(row + r"\pard " + gbk_hex("后") + r"\par "))
    assert shape(doc) == [[[("1.\t甲\nx", False), ("5", False)]], "后"]
