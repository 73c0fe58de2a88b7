"""The bounds one call of :func:`govreport.parse` keeps to, so that hostile input is refused fast.

Files from the open web can be damaged or built to hurt: a compressed stream that inflates to
gigabytes, a structure that loops, a text that takes hours. :class:`Limits` says how far govreport
goes before it gives up with a typed error; ``docs/untrusted-input.md`` says how to use it.
"""

from __future__ import annotations

import attrs

_MIB = 2**20
_GIB = 2**30


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on one parse. ``None`` switches a bound off.

    ``seconds``: wall-clock time for the whole parse; past it :class:`~govreport.errors.ParseTimeout`.
    ``memory``: bytes the process may grow by while the parse runs (its resident memory in the
    process, its address space when parsing in a child process); past it
    :class:`~govreport.errors.ParseMemoryError`.
    ``inflated``: bytes all compressed parts of one input (PDF streams, zip members) may inflate to.
    ``ratio``: how many times its own size an input may inflate to, once past ``ratio_after`` bytes.
    Past either of these two, :class:`~govreport.errors.CompressionBomb`.
    """

    seconds: float | None = 1800.0
    memory: int | None = 2 * _GIB
    inflated: int | None = 1 * _GIB
    ratio: float | None = 100.0
    ratio_after: int = 64 * _MIB


#: The bounds :func:`govreport.parse` keeps to when it is given none.
DEFAULT_LIMITS = Limits()

#: No bound at all (for trusted input only).
NO_LIMITS = Limits(seconds=None, memory=None, inflated=None, ratio=None)
