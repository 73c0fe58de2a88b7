"""Finding the input files of a batch, and identifying each by the hash of its content.

Inputs are files, folders (walked recursively, symlinks followed, loops detected) and glob
patterns. A file named directly or matched by a glob is always taken. In a folder, a file is taken
when its extension belongs to an input kind an installed reader claims (``.txt``, ``.html``,
``.docx``, ``.pdf``, ``.doc``, ``.rtf``, ..., and those readers declare in ``extensions``), or, for other extensions, when its first bytes sniff
as such a kind (a web page saved as ``.jsp``); hidden files and folders and data files (``.json``,
``.csv``, ...) are skipped. ``all_files=True`` takes every regular file.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import stat as statmod
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ..errors import GovReportError, UnreadableInput
from .errors import FileTooLarge

#: File extensions of each input kind (see govreport.source.KINDS).
KIND_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text": ("txt", "text"),
    "html": ("html", "htm", "shtml", "xhtml", "mht"),
    "docx": ("docx", "docm"),
    "pdf": ("pdf",),
    "doc": ("doc", "wps", "dot"),
    "rtf": ("rtf",),
    "image": ("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif"),
    "zip": ("zip",),
}

#: Extensions never sniffed in a folder walk: data and code files that are text but no report.
SKIP_EXTENSIONS = frozenset({
    "json", "jsonl", "ndjson", "csv", "tsv", "parquet", "sqlite", "sqlite3", "db", "xml", "yaml", "yml",
    "toml", "ini", "cfg", "log", "md", "rst", "py", "js", "css", "map", "lock", "journal", "part", "tmp",
})

_KNOWN_EXTENSIONS = frozenset(e for exts in KIND_EXTENSIONS.values() for e in exts)
_GLOB_CHARS = frozenset("*?[")


@attrs.frozen
class InputFile:
    """One file found for the batch. ``error`` is set when it cannot even be looked at."""

    path: str
    error: GovReportError | None = None


@attrs.define
class Discovery:
    """What :func:`discover` found besides the files: skipped files and inputs that matched nothing."""

    skipped: list[str] = attrs.Factory(list)
    unmatched: list[str] = attrs.Factory(list)


def claimed_kinds() -> frozenset[str]:
    from ..registry import default_registry

    return frozenset(k for info in default_registry().readers for k in info.kinds)


def reader_extensions() -> frozenset[str]:
    """File name endings readers declare as theirs (an optional ``extensions`` attribute, e.g. a
    Markdown plugin's ``("md", "markdown")``): such files are taken from folders although their
    kind (``text``) alone would not tell a report from notes."""
    from ..registry import default_registry

    out = set()
    for info in default_registry().readers:
        declared = getattr(info.reader, "extensions", ()) or ()
        out |= {str(e).lower().lstrip(".") for e in declared if isinstance(e, str)}
    return frozenset(out)


def _report_extensions(kinds: frozenset[str]) -> frozenset[str]:
    return frozenset(e for k in kinds for e in KIND_EXTENSIONS.get(k, ())) | reader_extensions()


def discover(inputs: Iterable[str | os.PathLike[str]], *, all_files: bool = False,
             exclude: Iterable[str | os.PathLike[str]] = (), found: Discovery | None = None) -> Iterator[InputFile]:
    """Yield every input file once, in a stable order (each folder's entries sorted by name).

    ``exclude`` names files and folders never to take (the batch's own output). Inputs that match
    nothing are recorded in ``found.unmatched``: a named file that does not exist is still yielded,
    with an error, so that it gets its ``reports`` row.
    """
    found = found if found is not None else Discovery()
    kinds = claimed_kinds()
    exts = _report_extensions(kinds)
    excluded = {_real(p) for p in exclude}
    seen: set[str] = set()

    def emit(path: str, error: GovReportError | None = None) -> Iterator[InputFile]:
        key = os.path.normpath(path)
        if key in seen:
            return
        seen.add(key)
        yield InputFile(path=path, error=error)

    for raw in inputs:
        spec = os.fspath(raw)
        if os.path.lexists(spec) or not (_GLOB_CHARS & set(spec)):
            matches = [spec]
        else:
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                found.unmatched.append(spec)
                continue
        for m in matches:
            if _real(m) in excluded:
                continue
            if os.path.isdir(m):
                n = 0
                for f in _walk(m, exts, kinds, all_files, excluded, found):
                    n += 1
                    yield from emit(f)
                if n == 0:
                    found.unmatched.append(m)
            elif os.path.lexists(m):
                yield from emit(m, _stat_error(m))
            else:
                # its reports row says so; listing it as unmatched too would report it twice
                yield from emit(m, UnreadableInput(f"{m}: no such file or folder"))


def _real(p: str | os.PathLike[str]) -> str:
    try:
        return os.path.realpath(p)
    except (OSError, ValueError):
        return os.path.abspath(p)


def _walk(top: str, exts: frozenset[str], kinds: frozenset[str], all_files: bool, excluded: set[str],
          found: Discovery) -> Iterator[str]:
    """Depth-first walk following symlinked folders, each real folder visited once (no loops)."""
    visited: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        d = stack.pop()
        try:
            st = os.stat(d)
        except OSError:
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in visited:
            continue
        visited.add(ident)
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            found.skipped.append(d)
            continue
        subdirs = []
        for e in entries:
            if e.name.startswith("."):
                continue
            path = os.path.join(d, e.name)
            if excluded and _real(path) in excluded:
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(path)
                continue
            if all_files:
                yield path
                continue
            if e.is_symlink():
                try:
                    os.stat(path)
                except OSError:
                    yield path  # a dangling or looping symlink is taken: its row says what is wrong
                    continue
            if _wanted(path, e.name, exts, kinds):
                yield path
            else:
                found.skipped.append(path)
        stack.extend(reversed(subdirs))


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _wanted(path: str, name: str, exts: frozenset[str], kinds: frozenset[str]) -> bool:
    ext = _ext(name)
    if ext in exts:
        return True
    if ext in SKIP_EXTENSIONS or ext in _KNOWN_EXTENSIONS:
        return False  # data files, and files of kinds no installed reader reads
    from ..source import sniff_kind

    try:
        with open(path, "rb") as f:
            head = f.read(65536)
        return bool(head.strip()) and sniff_kind(head, None) in kinds
    except (OSError, GovReportError, ValueError):
        return False


def _stat_error(path: str) -> GovReportError | None:
    try:
        st = os.stat(path)
    except OSError as exc:
        return os_error(path, exc)
    if not statmod.S_ISREG(st.st_mode):
        return UnreadableInput(f"{path}: not a regular file")
    return None


def os_error(path: str, exc: OSError) -> GovReportError:
    """A typed error for an operating-system failure to look at or read ``path``."""
    if exc.errno == errno.ELOOP:
        return UnreadableInput(f"{path}: a symbolic link loop")
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return UnreadableInput(f"{path}: a symbolic link to a file that does not exist")
        return UnreadableInput(f"{path}: no such file")
    if isinstance(exc, PermissionError):
        return UnreadableInput(f"{path}: permission denied")
    return UnreadableInput(f"{path}: cannot be read ({exc.strerror or exc})")


def hash_file(path: str, chunk: int = 1 << 20) -> tuple[str, int]:
    """The sha256 (hex) and size in bytes of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
            size += len(b)
    return h.hexdigest(), size


@attrs.frozen
class Identity:
    path: str
    sha256: str | None
    size: int | None
    error: GovReportError | None = None


def identify(path: str, *, max_size: int | None = None) -> Identity:
    """Hash one file; an unreadable or too large file gives an :class:`Identity` with its error."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return Identity(path, None, None, os_error(path, exc))
    if not statmod.S_ISREG(st.st_mode):
        return Identity(path, None, None, UnreadableInput(f"{path}: not a regular file"))
    if max_size is not None and st.st_size > max_size:
        return Identity(path, None, st.st_size, FileTooLarge(
            f"{path}: {st.st_size / 2**20:.1f} MB, over the limit of {max_size / 2**20:.0f} MB (--max-size)"))
    try:
        sha, size = hash_file(path)
    except OSError as exc:
        return Identity(path, None, st.st_size, os_error(path, exc))
    return Identity(path, sha, size)


def path_key(path: str) -> str:
    """The key a path is matched on between runs: as given, normalised."""
    return os.path.normpath(path)


__all__ = ["InputFile", "Discovery", "Identity", "discover", "identify", "hash_file", "Path"]
