"""The worker process of a batch: ``python -m govreport.batch.worker TASK_FD RESULT_FD``.

It reads an init message (the parent's ``sys.path`` and the parse options), applies the memory
limit, says it is ready, then answers each ``(task_id, path)`` with ``(task_id, payload)`` until it
receives ``None`` or its parent goes away. Workers are plain subprocesses (not multiprocessing
children), so a batch can run inside daemonic processes such as Dask's workers.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the parent dies (a killed batch leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass


def _limit_memory(mb: int | None) -> None:
    if not mb:
        return
    try:
        import resource

        limit = int(mb) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        return 1
    tasks = Connection(int(argv[0]), writable=False)
    results = Connection(int(argv[1]), readable=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        init = tasks.recv()
    except (EOFError, OSError):
        return 1
    sys.path[:] = list(init.get("sys_path") or sys.path)
    opts = dict(init.get("opts") or {})
    _limit_memory(opts.get("max_memory_mb"))

    from .work import process_file, resolve_parser

    if opts.get("parser") is not None:
        opts["parser"] = resolve_parser(opts["parser"])
    # load the readers now, so that the first file's time limit is not spent importing them
    from ..registry import default_registry

    default_registry()
    results.send(("ready", os.getpid()))
    while True:
        try:
            msg = tasks.recv()
        except (EOFError, OSError):
            return 0
        if msg is None:
            return 0
        task_id, path = msg
        payload = process_file(path, opts)
        try:
            results.send((task_id, payload))
        except (BrokenPipeError, OSError):
            return 0
        except Exception as exc:  # an unpicklable value: send the error instead
            from .errors import ParseFailed
            from .work import error_payload

            results.send((task_id, error_payload(ParseFailed(f"{path}: result could not be sent: {exc}"))))


if __name__ == "__main__":
    sys.exit(main())
