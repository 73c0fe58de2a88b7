"""Discovery of readers through the ``govreport.readers`` entry-point group.

Plugins load lazily, once per process. A plugin that fails to import or is not a reader is kept
out with a problem message (surfaced as a warning finding), never an exception for the caller.
A plugin may not silently take a built-in reader's name: it is refused unless it declares
``replaces = "<name>"``.
"""

from __future__ import annotations

import functools
from importlib import metadata

import attrs

from .errors import UnknownReader
from .readers.base import ReaderLike

GROUP = "govreport.readers"
_BUILTIN_DIST = "govreport"


@attrs.frozen(kw_only=True)
class ReaderInfo:
    """An installed reader and where it comes from."""

    name: str
    version: str
    kinds: tuple[str, ...]
    distribution: str
    builtin: bool
    reader: ReaderLike = attrs.field(repr=False, eq=False)


@attrs.frozen(kw_only=True)
class Registry:
    readers: tuple[ReaderInfo, ...]
    problems: tuple[str, ...] = ()

    def get(self, name: str) -> ReaderInfo:
        for info in self.readers:
            if info.name == name:
                return info
        known = ", ".join(i.name for i in self.readers) or "none"
        raise UnknownReader(f"no reader named {name!r}; installed readers: {known}")


def _instantiate(obj: object) -> object:
    return obj() if isinstance(obj, type) else obj


def _check(reader: object) -> ReaderLike | str:
    """``reader`` as a reader, or what keeps it from being one."""
    for attr in ("name", "version", "kinds"):
        if not hasattr(reader, attr):
            return f"has no {attr!r}"
    if not callable(getattr(reader, "claim", None)) or not callable(getattr(reader, "read", None)):
        return "has no claim() or read() method"
    if not isinstance(reader, ReaderLike):  # every member is there by now: this only states the type
        return "is not a reader"
    if not isinstance(reader.name, str) or not reader.name:
        return "has an empty name"
    return reader


def load_registry(entry_points: list[metadata.EntryPoint] | None = None) -> Registry:
    """Load every reader of the entry-point group (or of ``entry_points``, for tests)."""
    eps = list(entry_points) if entry_points is not None else list(metadata.entry_points(group=GROUP))
    problems: list[str] = []
    by_name: dict[str, ReaderInfo] = {}
    # built-ins first, so a plugin's clash with them is detected whatever the install order
    eps.sort(key=lambda ep: (_dist_name(ep) != _BUILTIN_DIST, ep.name))
    for ep in eps:
        dist = _dist_name(ep)
        try:
            reader = _instantiate(ep.load())
        except Exception as exc:  # a broken plugin must never break parsing
            problems.append(f"reader plugin {ep.name!r} ({dist}) failed to load: {type(exc).__name__}: {exc}")
            continue
        checked = _check(reader)
        if isinstance(checked, str):
            problems.append(f"reader plugin {ep.name!r} ({dist}) is not a valid reader: it {checked}")
            continue
        name = checked.name
        info = ReaderInfo(
            name=name,
            version=str(checked.version),
            kinds=tuple(checked.kinds),
            distribution=dist,
            builtin=dist == _BUILTIN_DIST,
            reader=checked,
        )
        if name in by_name:
            if getattr(reader, "replaces", None) == name and not info.builtin:
                problems.append(f"reader {name!r} from {dist} replaces the one from {by_name[name].distribution}")
                by_name[name] = info
            else:
                problems.append(
                    f"reader plugin {ep.name!r} ({dist}) was refused: the name {name!r} is taken by "
                    f"{by_name[name].distribution} (set replaces = {name!r} to override it on purpose)"
                )
            continue
        by_name[name] = info
    return Registry(readers=tuple(by_name.values()), problems=tuple(problems))


def _dist_name(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return dist.name if dist is not None else "unknown"


@functools.cache
def default_registry() -> Registry:
    """The process-wide registry of installed readers (loaded on first use)."""
    return load_registry()


def available_readers() -> tuple[ReaderInfo, ...]:
    """The installed readers, built-in and plugins, in the order they are tried."""
    return default_registry().readers
