"""What an existing output already settles (``--resume``): files to skip, and contents read before
that a new file only duplicates. The local and the Dask engine decide alike through :func:`settled`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .inputs import Identity
from .results import Result, Skipped, duplicate_result, error_result


def stored_content(previous: Mapping[str, Mapping[str, Any]], retry_failed: bool = False
                   ) -> dict[str, Mapping[str, Any]]:
    """sha256 -> row, for the content already in an output that need not be read again."""
    stored: dict[str, Mapping[str, Any]] = {}
    for row in previous.values():
        sha = row.get("sha256")
        if not sha or (retry_failed and row.get("status") != "ok"):
            continue
        if sha not in stored or not row.get("duplicate_of"):
            stored[sha] = row
    return stored


def skip_unreadable(prev: Mapping[str, Any] | None, error: BaseException, retry_failed: bool) -> bool:
    """On resume: the file was unreadable before in the same way (nothing new to record)."""
    return (prev is not None and not prev.get("sha256") and not retry_failed
            and prev.get("error_type") == type(error).__name__)


def settled(ident: Identity, prev: Mapping[str, Any] | None, stored: Mapping[str, Mapping[str, Any]],
            retry_failed: bool) -> Skipped | Result | None:
    """The outcome of a hashed file that needs no parse, or ``None`` when it must be read.

    ``prev`` is the output's row for the same path, ``stored`` the contents the output holds
    (:func:`stored_content`). A file unreadable as before, or with the content stored for its path,
    is skipped; an unreadable file otherwise gets its error row; a content stored under another
    path makes the file a duplicate of it.
    """
    if ident.error is not None:
        if skip_unreadable(prev, ident.error, retry_failed):
            return Skipped(ident.path, prev.get("status") if prev else None)
        return error_result(ident, ident.error)
    sha = ident.sha256
    if sha is None:
        raise ValueError(f"{ident.path}: settled() needs a hashed file")
    if prev is not None and prev.get("sha256") == sha and sha in stored:
        return Skipped(ident.path, prev.get("status"))
    if sha in stored:
        return duplicate_result(ident, stored[sha])
    return None
