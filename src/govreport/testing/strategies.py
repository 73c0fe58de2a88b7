"""Hypothesis strategies of random valid reports, for property tests (needs the ``testing`` extra)."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from ..model import Report
from .form import FORMATS
from .reports import ACTIVITIES, BLANK_RATES, report_from_seed

__all__ = ["reports"]


def reports(formats: Sequence[str] = FORMATS, *, blanks: bool = True,
            legacy: bool = False) -> st.SearchStrategy[Report]:
    """Hypothesis strategy of random valid reports of the given formats (see :func:`.reports.random_report`).

    Hypothesis draws the format, the share of non-zero cells, the blank rate (these shrink towards
    a quiet report with no blanks) and a seed for the rest; the report's ``source`` records them
    (``govreport.testing.report_from_seed(seed=…, fmt=…, …)``), so a failing example can be
    rebuilt from Hypothesis' report of it. (Drawing every value from ``st.randoms()`` instead makes
    hundreds of draws per report, which Hypothesis refuses as too large an input.) ``legacy=True``
    gives format-2019 reports that carry the legacy statistics table (``formats`` must allow 2019).
    """
    formats = tuple(formats)
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be taken from {FORMATS}, not {formats!r}")
    if legacy:
        if "2019" not in formats:
            raise ValueError("legacy statistics tables come with format 2019 only")
        formats = ("2019",)
    kw = {"legacy": st.just(True)} if legacy else {}
    return st.builds(
        report_from_seed,
        seed=st.integers(min_value=0, max_value=2**64 - 1),
        fmt=st.sampled_from(formats),
        blanks=st.just(blanks),
        activity=st.sampled_from(ACTIVITIES),
        blank_rate=st.sampled_from(BLANK_RATES if blanks else (0.0,)),
        **kw,
    )
