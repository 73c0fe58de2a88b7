"""Python's cyclic garbage collector is off while a parse runs, and as it was once parses end."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

import govreport
from govreport import collector, errors, pipeline
from govreport.limits import Limits

SAMPLES = sorted((Path(govreport.__file__).parent / "samples").glob("*.txt"))


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _seen_during(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector was on each time a reader was asked to read, from now on."""
    seen: list[bool] = []
    real = pipeline._read

    def read(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_read", read)
    return seen


def test_off_during_a_parse_and_on_after(monkeypatch):
    seen = _seen_during(monkeypatch)
    assert govreport.parse(SAMPLES[0]).format
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off(monkeypatch):
    gc.disable()
    govreport.parse(SAMPLES[0])
    assert not gc.isenabled()


def test_left_alone_when_the_environment_says_keep(monkeypatch):
    monkeypatch.setenv(collector.ENV, "keep")
    seen = _seen_during(monkeypatch)
    govreport.parse(SAMPLES[0])
    assert seen and all(seen)


def test_on_again_after_a_typed_error_and_after_a_time_limit():
    with pytest.raises(errors.GovReportError):
        govreport.parse(b"\x00\x01 not a report", name="junk.bin")
    assert gc.isenabled()

    def spins(**_):
        while True:
            pass

    from govreport import guard

    with pytest.raises(errors.ParseTimeout):
        guard.guarded(spins, {"limits": Limits(seconds=0.2)})
    assert gc.isenabled()


def test_on_again_only_when_the_last_of_several_threads_ends(monkeypatch):
    """Two parses at once: the first to end leaves the collector off for the other."""
    first_in = threading.Event()
    release = threading.Event()
    seen: list[bool] = []
    real = pipeline._read

    def read(*args, **kwargs):
        if threading.current_thread().name == "held":
            first_in.set()
            release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_read", read)
    held = threading.Thread(target=govreport.parse, args=(SAMPLES[0],), name="held")
    held.start()
    assert first_in.wait(10)
    govreport.parse(SAMPLES[1])  # starts and ends while the held parse runs
    seen.append(gc.isenabled())
    release.set()
    held.join(10)
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_process_forked_during_a_parse_has_the_collector_on():
    """A worker forked while a parse runs in another thread of its parent runs no parse of its own."""
    import os

    with collector.held_off():
        assert not gc.isenabled()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report and leave at once
            os.write(write, b"1" if gc.isenabled() else b"0")
            os._exit(0)
        os.close(write)
        seen = os.read(read, 1)
        os.waitpid(pid, 0)
        os.close(read)
    assert seen == b"1"
    assert gc.isenabled()


def test_overlapping_parses_collect_once_the_collector_was_off_long(monkeypatch):
    """Threads parsing without a pause would keep the collector off for good: past LONGEST_OFF,
    the next parse to end while others run collects once."""
    monkeypatch.setattr(collector, "LONGEST_OFF", 0.0)
    collections: list[int] = []

    def counted(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(counted)
    try:
        with collector.held_off():  # another parse, running throughout
            with collector.held_off():
                pass
            assert collections == [2] and not gc.isenabled()
    finally:
        gc.callbacks.remove(counted)
    assert gc.isenabled()
