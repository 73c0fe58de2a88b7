"""A pool of worker processes with a time limit per file.

Unlike :class:`concurrent.futures.ProcessPoolExecutor`, a worker that overruns its file's time
limit is killed (SIGKILL) and replaced, and a worker that dies takes only its own file with it:
each becomes an error payload (:class:`~govreport.batch.errors.TimedOut`,
:class:`~govreport.batch.errors.WorkerCrashed`) and the batch goes on. Workers are recycled after
``max_tasks`` files to bound any slow growth of their memory.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from .errors import TimedOut, WorkerCrashed
from .work import error_payload, process_file

START_TIMEOUT = 120.0


class WorkersCannotStart(RuntimeError):
    """Worker processes die before they are ready (a broken installation, not a bad file)."""


class _Worker:
    def __init__(self, init: dict[str, Any]) -> None:
        t_r, t_w = os.pipe()
        r_r, r_w = os.pipe()
        self.stderr = tempfile.TemporaryFile()
        env = dict(os.environ)
        # the worker imports the same govreport as this process, whatever is installed
        env["PYTHONPATH"] = os.pathsep.join(p for p in init["sys_path"] if p)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "govreport.batch.worker", str(t_r), str(r_w)],
                pass_fds=(t_r, r_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=self.stderr, env=env, close_fds=True,
            )
        finally:
            os.close(t_r)
            os.close(r_w)
        self.tasks = Connection(t_w, readable=False)
        self.results = Connection(r_r, writable=False)
        self.ready = False
        self.started = time.monotonic()
        self.task: Any = None
        self.path: str | None = None
        self.deadline: float | None = None
        self.done = 0
        self.tasks.send(init)

    def send(self, task_id: Any, path: str, timeout: float | None) -> None:
        self.task, self.path = task_id, path
        self.deadline = time.monotonic() + timeout if timeout else None
        self.tasks.send((task_id, path))

    def kill(self) -> None:
        try:
            self.proc.send_signal(signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass
        self._reap(5)

    def stop(self) -> None:
        try:
            self.tasks.send(None)
        except (OSError, ValueError):
            pass

    def _reap(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        finally:
            for c in (self.tasks, self.results):
                try:
                    c.close()
                except OSError:
                    pass

    def death(self) -> str:
        rc = self._reap(5)
        if rc is None:
            self.kill()
            rc = self.proc.returncode
        if rc is not None and rc < 0:
            try:
                how = f"killed by signal {signal.Signals(-rc).name}"
            except ValueError:
                how = f"killed by signal {-rc}"
        else:
            how = f"exited with status {rc}"
        return how

    def stderr_tail(self, n: int = 2000) -> str:
        try:
            self.stderr.seek(0)
            return self.stderr.read().decode("utf-8", "replace")[-n:]
        except (OSError, ValueError):
            return ""


class WorkerPool:
    """``jobs`` worker processes; :meth:`submit` one file at a time, :meth:`poll` for results."""

    def __init__(self, jobs: int, *, timeout: float | None = None, opts: dict[str, Any] | None = None,
                 max_tasks: int = 500) -> None:
        self.jobs = max(1, int(jobs))
        self.timeout = timeout if timeout and timeout > 0 else None
        self.opts = dict(opts or {})
        self.max_tasks = max_tasks
        self._workers: list[_Worker] = []
        self._failed_starts = 0
        self._pending: list[tuple[Any, str]] = []
        self._init = {"sys_path": list(sys.path), "opts": self.opts}
        pickle.dumps(self._init)  # fail here, not in a worker, if the options cannot be sent
        self.closed = False

    # -- state
    @property
    def busy(self) -> int:
        return sum(1 for w in self._workers if w.task is not None)

    def has_room(self) -> bool:
        return self.in_flight() < self.jobs

    def _spawn(self) -> _Worker:
        w = _Worker(self._init)
        self._workers.append(w)
        return w

    def _idle_ready(self) -> _Worker | None:
        for w in self._workers:
            if w.ready and w.task is None:
                return w
        return None

    # -- work
    def submit(self, task_id: Any, path: str) -> None:
        """Give ``path`` to a worker (starting one if needed); the pool must have room."""
        self._pending.append((task_id, path))
        self._dispatch()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _dispatch(self) -> None:
        while self._pending:
            w = self._idle_ready()
            if w is None:
                starting = sum(1 for w in self._workers if not w.ready)
                if len(self._workers) < self.jobs and starting < len(self._pending):
                    self._spawn()
                return
            task_id, path = self._pending.pop(0)
            try:
                w.send(task_id, path, self.timeout)
            except (OSError, ValueError):  # died while idle: replace it and try again
                self._pending.insert(0, (task_id, path))
                self._discard(w)

    def in_flight(self) -> int:
        return self.busy + len(self._pending)

    def poll(self, timeout: float) -> list[tuple[Any, dict[str, Any]]]:
        """Wait up to ``timeout`` seconds; return the ``(task_id, payload)`` pairs that finished."""
        self._dispatch()
        out: list[tuple[Any, dict[str, Any]]] = []
        now = time.monotonic()
        deadlines = [w.deadline for w in self._workers if w.task is not None and w.deadline]
        wait_for = timeout
        if deadlines:
            wait_for = max(0.0, min(timeout, min(deadlines) - now))
        conns = {w.results: w for w in self._workers}
        if conns:
            ready = set(wait(list(conns), timeout=wait_for))
        else:
            time.sleep(wait_for)
            ready = set()
        for c, w in conns.items():
            if c not in ready:
                continue
            try:
                msg = c.recv()
            except (EOFError, OSError):
                how = w.death()
                if w.task is not None:
                    out.append((w.task, error_payload(WorkerCrashed(
                        f"{w.path}: the worker process reading it {how}"))))
                elif not w.ready:
                    self._failed_starts += 1
                    if self._failed_starts >= 3:
                        raise WorkersCannotStart(f"worker processes die on start ({how}): {w.stderr_tail()}")
                self._discard(w, reap=False)
                continue
            if not w.ready:
                w.ready = True
                self._failed_starts = 0
                continue
            out.append((msg[0], msg[1]))
            w.task = w.path = w.deadline = None
            w.done += 1
            if w.done >= self.max_tasks:
                w.stop()
                self._discard(w, reap=True)
        now = time.monotonic()
        for w in list(self._workers):
            if w.task is not None and w.deadline is not None and now >= w.deadline:
                out.append((w.task, error_payload(TimedOut(
                    f"{w.path}: reading took longer than {self.timeout:g} s; the worker was killed"))))
                w.kill()
                self._discard(w, reap=False)
            elif not w.ready and now - w.started > START_TIMEOUT:
                w.kill()
                self._discard(w, reap=False)
                self._failed_starts += 1
                if self._failed_starts >= 3:
                    raise WorkersCannotStart(f"worker processes did not start in {START_TIMEOUT:g} s")
        self._dispatch()
        return out

    def _discard(self, w: _Worker, reap: bool = True) -> None:
        if w in self._workers:
            self._workers.remove(w)
        if reap:
            if w._reap(10) is None:
                w.kill()
        try:
            w.stderr.close()
        except OSError:
            pass

    def close(self) -> None:
        """Stop every worker (those still reading a file are killed)."""
        if self.closed:
            return
        self.closed = True
        for w in self._workers:
            if w.task is None:
                w.stop()
            else:
                try:
                    w.proc.send_signal(signal.SIGKILL)
                except (ProcessLookupError, OSError):
                    pass
        deadline = time.monotonic() + 5
        for w in list(self._workers):
            if w._reap(max(0.0, deadline - time.monotonic())) is None:
                w.kill()
            try:
                w.stderr.close()
            except OSError:
                pass
        self._workers.clear()


class InlinePool:
    """``jobs=0``: files are read in this process, one at a time (no time limit; for debugging)."""

    def __init__(self, *, opts: dict[str, Any] | None = None, **_: Any) -> None:
        from .work import resolve_parser

        self.opts = dict(opts or {})
        if self.opts.get("parser") is not None:
            self.opts["parser"] = resolve_parser(self.opts["parser"])
        self._pending: list[tuple[Any, str]] = []
        self.jobs = 1

    def has_room(self) -> bool:
        return not self._pending

    def submit(self, task_id: Any, path: str) -> None:
        self._pending.append((task_id, path))

    def in_flight(self) -> int:
        return len(self._pending)

    def poll(self, timeout: float) -> list[tuple[Any, dict[str, Any]]]:
        out = [(t, process_file(p, self.opts)) for t, p in self._pending]
        self._pending.clear()
        return out

    def close(self) -> None:
        self._pending.clear()

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_pool(jobs: int, **kw: Any) -> WorkerPool | InlinePool:
    return InlinePool(**kw) if jobs == 0 else WorkerPool(jobs, **kw)


Callback = Callable[..., None]
