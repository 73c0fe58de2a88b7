"""Keeping one parse to its :class:`~govreport.limits.Limits`: in the calling process, or in a child.

In the calling process a watchdog thread watches the clock and the process's resident memory and,
past a bound, raises an exception inside the parsing thread (``PyThreadState_SetAsyncExc``). That
stops any loop in Python code at its next instruction, in any thread, but not a call into native
code (PDFium, ONNX Runtime, libxml2) until it returns, and it cannot save the process from a native
crash. ``isolate=True`` parses in a child process instead: the child has a hard address-space
limit, is killed at the deadline, and its death is the caller's :class:`WorkerCrashed`, not its own.
"""

from __future__ import annotations

import contextvars
import ctypes
import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Callable

from . import collector
from .errors import GovReportError, ParseMemoryError, ParseTimeout, WorkerCrashed
from .limits import DEFAULT_LIMITS, Limits

_inside: contextvars.ContextVar[bool] = contextvars.ContextVar("govreport_guarded", default=False)

#: How often the watchdog looks at the clock and the memory, in seconds.
_TICK = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class _Stop(BaseException):
    """Raised inside the parsing thread by the watchdog. A BaseException, so that the readers'
    ``except Exception`` (which turns a library's failure into a typed error) cannot swallow it."""


def inside() -> bool:
    """Whether the caller already runs under a guard (a nested parse adds no second one)."""
    return _inside.get()


def guarded(fn: Callable[..., Any], args: dict[str, Any]) -> Any:
    """Call ``fn(**args)`` within ``args["limits"]``, in a child process if ``args["isolate"]``."""
    limits = args.get("limits") or DEFAULT_LIMITS
    isolate = bool(args.get("isolate"))
    args = {**args, "limits": limits, "isolate": False}
    name = _label(args)
    if isolate:
        return _in_child(fn, args, limits, name)
    token = _inside.set(True)
    try:
        # the collector is held off outside the watchdog: once it has stopped, no stop can land in
        # the code that turns the collector back on
        with collector.held_off():
            if limits.seconds is None and limits.memory is None:
                return _call(fn, args, name)
            dog = _Watchdog(limits)
            try:
                try:
                    dog.watch()  # within the try: a stop it sends can land nowhere else
                    return fn(**args)
                finally:
                    dog.stop()
            except _Stop:
                raise dog.error(name) from None
            except MemoryError:
                raise _oom(name) from None
    finally:
        _inside.reset(token)


def _call(fn: Callable[..., Any], args: dict[str, Any], name: str) -> Any:
    try:
        return fn(**args)
    except MemoryError:
        raise _oom(name) from None


#: The address-space bound of this process, when it is a child that parses for its parent.
_hard_memory: int | None = None


def _oom(name: str) -> ParseMemoryError:
    if _hard_memory is not None:
        return ParseMemoryError(f"{name}: reading it needed more than {_hard_memory / 2**20:.0f} MB of memory "
                                "(Limits.memory); it was given up", "memory")
    return ParseMemoryError(f"{name}: memory ran out while reading it (the machine's, or the process's "
                            "address-space limit)", "memory")


def _label(args: dict[str, Any]) -> str:
    if args.get("name"):
        return str(args["name"])
    obj = args.get("obj")
    if isinstance(obj, (str, os.PathLike)) and len(str(obj)) < 4096 and "\n" not in str(obj):
        return str(obj)
    return getattr(obj, "name", None) or "<input>"


def rss() -> int | None:
    """The process's resident memory in bytes (Linux), or ``None`` where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class _Watchdog:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.target = threading.get_ident()
        self.start = time.monotonic()
        self.base = rss() if limits.memory is not None else None
        self.reason: str | None = None
        self.peak = 0
        self._fired = False  # whether a _Stop was ever sent to the parsing thread
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="govreport-watchdog", daemon=True)

    def watch(self) -> None:
        """Start watching (the parse is then stopped past its limits)."""
        self._thread.start()

    def _run(self) -> None:
        lim = self.limits
        while not self._done.wait(_TICK):
            if self.reason is None:
                if lim.seconds is not None and time.monotonic() - self.start > lim.seconds:
                    self.reason = "seconds"
                elif self.base is not None and lim.memory is not None:
                    now = rss()
                    if now is not None:
                        self.peak = max(self.peak, now - self.base)
                        if now - self.base > lim.memory:
                            self.reason = "memory"
            # fire, and fire again at every tick while the parse goes on: a native call may have
            # been running, a library may have caught it, or, most often, the first Python code
            # the thread ran was a gc callback (hypothesis installs one), in which the exception
            # is raised and dropped as unraisable; waiting a second between tries let a parse
            # limited to 0.3 s run on for 6
            if self.reason is not None:
                with self._lock:
                    if self._done.is_set():
                        return
                    self._fired = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), ctypes.py_object(_Stop))

    def stop(self) -> None:
        """After this returns, no exception is pending for the parsing thread or will be raised in it."""
        while True:
            try:
                with self._lock:
                    self._done.set()
                    fired = self._fired
                break
            except _Stop:  # delivered while we were getting here
                continue
        if fired:
            self._take_pending()
        if self._thread.ident is not None:  # started
            self._thread.join()

    def _take_pending(self) -> None:
        """Take a _Stop that may still be pending for the parsing thread (this one) by raising one
        here. Clearing it instead (SetAsyncExc with NULL) leaves CPython's eval breaker signalled,
        as CPython resets it only when it delivers an exception: every later bytecode of the
        process would then take the interpreter's slow path, and under a profiler
        (``sys.setprofile``, cProfile) the next thread join spins for ever."""
        if threading.get_ident() != self.target:  # pragma: no cover - stop() runs in the parsing thread
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), None)
            return
        try:
            # replaces any _Stop still pending; raised at the loop's first check of the breaker
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), ctypes.py_object(_Stop))
            for _ in range(10_000_000):
                pass
        except _Stop:
            pass

    def error(self, name: str) -> GovReportError:
        elapsed = time.monotonic() - self.start
        if self.reason == "memory":
            assert self.limits.memory is not None  # the watchdog names memory only when it has a bound
            return ParseMemoryError(f"{name}: reading it needed more than {self.limits.memory / 2**20:.0f} MB of "
                                    "memory (Limits.memory); it was given up", "memory")
        return ParseTimeout(f"{name}: reading it took longer than {self.limits.seconds:g} s (Limits.seconds, "
                            f"stopped after {elapsed:.1f} s); it was given up", "seconds")


# -- in a child process -------------------------------------------------------------------------

#: Seconds the parent waits past the child's own deadline before it kills the child.
_GRACE = 5.0


def _in_child(fn: Callable[..., Any], args: dict[str, Any], limits: Limits, name: str) -> Any:
    """Run ``fn(**args)`` in a fresh interpreter (``python -m govreport.guard``), never a fork: a
    fork would copy the caller's threads (ONNX Runtime's, its own) in an unknown state, and
    multiprocessing would re-import the caller's main module."""
    try:
        payload = pickle.dumps((fn, args, limits.memory))
    except Exception as exc:
        raise GovReportError(f"{name}: cannot be handed to a child process ({exc}); "
                             "pass a path, bytes or text, and no custom registry") from None
    timeout = None if limits.seconds is None else limits.seconds + _GRACE
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.Popen([sys.executable, "-m", "govreport.guard"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise ParseTimeout(f"{name}: reading it took longer than {limits.seconds:g} s (Limits.seconds); "
                           "the child process reading it was killed", "seconds") from None
    if proc.returncode == 0 and out:
        try:
            ok, value = pickle.loads(out)
        except Exception as exc:
            raise WorkerCrashed(f"{name}: the child's answer could not be read ({exc})") from None
        if ok:
            from .jsonio import loads

            return loads(value)
        raise value
    code = proc.returncode
    if code < 0:
        try:
            sig = signal.Signals(-code).name
        except ValueError:
            sig = f"signal {-code}"
        raise WorkerCrashed(f"{name}: the child process reading it died ({sig}); the input is likely "
                            "damaged in a way that crashes a native library")
    tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    raise WorkerCrashed(f"{name}: the child process reading it exited (code {code}) without an answer {tail[0][:200]}")


def _child_main() -> None:
    global _hard_memory
    fn, args, memory = pickle.loads(sys.stdin.buffer.read())
    _hard_memory = memory
    if memory is not None:
        try:
            with open("/proc/self/statm", "rb") as f:
                vm = int(f.read().split()[0]) * _PAGE
            resource.setrlimit(resource.RLIMIT_AS, (vm + memory, vm + memory))
        except (OSError, ValueError, IndexError):
            pass
    name = _label(args)
    try:
        # a Report holds read-only mappings, which pickle refuses: it travels as govreport/1 JSON
        from .jsonio import dumps

        result: tuple[bool, Any] = (True, dumps(guarded(fn, args)))
    except GovReportError as exc:
        result = (False, exc)
    except MemoryError:
        result = (False, _oom(name))
    except Exception as exc:  # never expected: parse raises only typed errors
        result = (False, WorkerCrashed(f"{name}: the child process failed: {type(exc).__name__}: {exc}"))
    try:
        data = pickle.dumps(result)
    except Exception:  # an error carrying what cannot be pickled (a document): its type and message
        err = result[1]
        data = pickle.dumps((False, type(err)(*err.args)))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


if __name__ == "__main__":
    # run as govreport.guard, not __main__, so that the bound set here is the one parse sees
    from govreport.guard import _child_main as main

    main()
