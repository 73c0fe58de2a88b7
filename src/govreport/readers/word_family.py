"""Legacy Word formats: .doc (Word 97–2003 binary) and .rtf.

Both are converted to .docx by LibreOffice (``soffice --headless --convert-to docx``) in a private
temporary folder and then read by the docx reader, so merged and nested cells come out exactly as
they do for a .docx. LibreOffice is an external program: when it is not installed a .doc raises
:class:`~govreport.errors.MissingDependency`, and an .rtf is read by the small built-in RTF parser
(:mod:`govreport.readers.rtf`: paragraphs and simple tables) with a warning.

Set ``GOVREPORT_SOFFICE`` to the LibreOffice program to use, and ``GOVREPORT_SOFFICE_TIMEOUT`` to
the seconds one conversion may take (default 120).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..document import Document
from ..errors import EncryptedInput, MissingDependency, UnreadableInput
from ..source import Source
from .base import Reader
from .docx_blocks import read_docx
from .rtf import read_rtf

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DEFAULT_TIMEOUT = 120.0

INSTALL_HINT = (
    "install LibreOffice (e.g. `apt-get install libreoffice-writer`, or from libreoffice.org) so that "
    "`soffice` is on PATH, or set GOVREPORT_SOFFICE to its path; or save the file as .docx and read that"
)


def find_soffice() -> str | None:
    """The LibreOffice program to convert with, or None when none is installed."""
    explicit = os.environ.get("GOVREPORT_SOFFICE")
    if explicit:
        return explicit if (os.path.isfile(explicit) or shutil.which(explicit)) else None
    for name in ("soffice", "libreoffice", "lowriter"):
        found = shutil.which(name)
        if found:
            return found
    return None


class WordFamilyReader(Reader):
    """Reads .doc and .rtf files by converting them to .docx with LibreOffice."""

    name = "word"
    version = "1"
    kinds = ("doc", "rtf")

    def claim(self, source: Source) -> float:
        return 0.9 if source.kind in self.kinds else 0.0

    def read(self, source: Source) -> Document:
        if source.kind == "doc" or source.data[:8] == _OLE_MAGIC:
            check_not_encrypted(source)
        soffice = find_soffice()
        if soffice is None:
            if source.kind == "rtf" or source.data.lstrip()[:5] == b"{\\rtf":
                doc = read_rtf(source, self.name)
                return Document(
                    blocks=doc.blocks,
                    reader=self.name,
                    problems=doc.problems
                    + ("read with govreport's basic RTF reader because LibreOffice is not installed; "
                       "merged cells and nested tables may come out less exactly",),
                )
            raise MissingDependency(f"{source.name}: reading a legacy Word .doc file needs LibreOffice: {INSTALL_HINT}")
        data = convert_to_docx(source, soffice)
        inner = read_docx(Source(data=data, kind="docx", name=source.name, path=source.path), self.name)
        return Document(blocks=inner.blocks, reader=self.name, pages=inner.pages, problems=inner.problems)


def convert_to_docx(source: Source, soffice: str, timeout: float | None = None) -> bytes:
    """Convert ``source`` (a .doc or .rtf) to .docx bytes with LibreOffice."""
    if timeout is None:
        try:
            timeout = float(os.environ.get("GOVREPORT_SOFFICE_TIMEOUT", DEFAULT_TIMEOUT))
        except ValueError:
            timeout = DEFAULT_TIMEOUT
    ext = "rtf" if source.kind == "rtf" else "doc"
    # ignore_cleanup_errors: a LibreOffice killed mid-write may leave its profile half removed; the
    # reading's outcome must not become that OSError
    with tempfile.TemporaryDirectory(prefix="govreport-soffice-", ignore_cleanup_errors=True) as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"input.{ext}"
        src.write_bytes(source.data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        # a private profile: concurrent conversions must not share (and lock) the user's one
        profile = (tmpdir / "profile").as_uri()
        cmd = [
            soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
            f"-env:UserInstallation={profile}", "--convert-to", "docx", "--outdir", str(outdir), str(src),
        ]
        try:
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=tmp,
            )
        except OSError as exc:
            raise MissingDependency(f"{source.name}: LibreOffice ({soffice}) could not be started ({exc}); {INSTALL_HINT}") from None
        try:
            err = _wait(proc, timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise UnreadableInput(
                f"{source.name}: LibreOffice did not convert the file within {timeout:g} s "
                "(set GOVREPORT_SOFFICE_TIMEOUT to allow longer)"
            ) from None
        except BaseException:
            # stopped from outside (the parse's time limit): leave no LibreOffice running behind it,
            # still writing into a folder that is being removed
            _kill_group(proc)
            raise
        out = outdir / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            detail = [d for d in detail if "javaldx" not in d and d.strip()]
            why = f": {detail[-1][:200]}" if detail else ""
            raise UnreadableInput(
                f"{source.name}: LibreOffice could not convert this .{ext} file (damaged, protected, or not a "
                f"Word document; exit code {proc.returncode}){why}"
            )
        return out.read_bytes()


def _wait(proc: subprocess.Popen, timeout: float) -> bytes:
    """Wait for the conversion, in short slices: a parse's time limit stops it between two (a single
    wait blocks in the operating system, where the limit cannot reach it, for the whole timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, err = proc.communicate(timeout=min(0.25, max(deadline - time.monotonic(), 0.0)))
            return err or b""
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                raise


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except Exception:  # pragma: no cover
        pass


# -- encryption ---------------------------------------------------------------------------------


def check_not_encrypted(source: Source) -> None:
    """Raise :class:`EncryptedInput` for a password-protected .doc or an encrypted .docx package, and
    :class:`UnreadableInput` for a compound file that holds no Word document."""
    data = source.data
    if data[:8] != _OLE_MAGIC:
        return
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedInput(f"{source.name}: the Word document is protected by a password")
    if _doc_fib_encrypted(data):
        raise EncryptedInput(f"{source.name}: the Word document is protected by a password")
    if "WordDocument".encode("utf-16-le") not in data:
        raise UnreadableInput(
            f"{source.name}: an Office compound file without a Word document in it "
            "(perhaps a spreadsheet or presentation, or a damaged file)"
        )


def _doc_fib_encrypted(data: bytes) -> bool:
    """True when the WordDocument stream's FIB has fEncrypted set (Word 97–2003 password)."""
    try:
        sector_size = 1 << int.from_bytes(data[0x1E:0x20], "little")
        if sector_size not in (512, 4096):
            return False
        name = "WordDocument".encode("utf-16-le")
        # directory entries are 128-byte records in sectors; the stream's name is at their start
        pos = data.find(name, 512)
        while pos != -1:
            if (pos - 512) % 128 == 0 or (pos % sector_size) % 128 == 0:
                entry = data[pos:pos + 128]
                if int.from_bytes(entry[0x40:0x42], "little") == len(name) + 2 and entry[0x42] == 2:
                    start = int.from_bytes(entry[0x74:0x78], "little")
                    off = (start + 1) * sector_size
                    fib = data[off:off + 16]
                    if len(fib) < 12 or int.from_bytes(fib[0:2], "little") != 0xA5EC:
                        return False
                    flags = int.from_bytes(fib[0x0A:0x0C], "little")
                    return bool(flags & 0x0100)
            pos = data.find(name, pos + 2)
    except (IndexError, ValueError):
        return False
    return False
