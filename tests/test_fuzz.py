"""A short fuzz run in the test suite: damaged copies of the test documents end in a report or a
typed error, within the time limit given to parse. The long run is benchmarks/fuzz.py."""

from __future__ import annotations

import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govreport
from govreport.limits import Limits
from govreport.testing.mutate import MUTATIONS, mutate, mutations_for

DATA = Path(__file__).resolve().parent / "data"
# small documents of every kind the fuzzer damages (the OCR reader's scans are left to the long run)
SEEDS = sorted(p for g in ("office/*.docx", "office/*.html", "office/*.rtf", "pdf/*.pdf", "real/*.txt")
               for p in DATA.glob(g))
LIMIT = 20.0


def parse_or_typed_error(data: bytes) -> None:
    started = time.monotonic()
    try:
        govreport.parse(data, name="fuzzed", limits=Limits(seconds=LIMIT))
    except govreport.errors.GovReportError:
        pass
    # past the limit, only one native call may still run before the parse stops
    assert time.monotonic() - started < LIMIT + 30


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), salt=st.integers(0, 2**32 - 1))
def test_damaged_documents_end_in_a_report_or_a_typed_error(seed, salt):
    data, _ = mutate(seed.read_bytes(), random.Random(salt))
    parse_or_typed_error(data)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), mutation=st.sampled_from(sorted(MUTATIONS)), salt=st.integers(0, 2**32 - 1))
def test_every_mutation_on_every_kind(seed, mutation, salt):
    data = MUTATIONS[mutation](seed.read_bytes(), random.Random(salt))
    parse_or_typed_error(data)


def test_mutations_are_replayable():
    data = SEEDS[0].read_bytes()
    assert mutate(data, random.Random(7)) == mutate(data, random.Random(7))
    assert set(mutations_for(data)) <= set(MUTATIONS)
