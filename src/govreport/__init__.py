"""govreport: Chinese government information-disclosure annual reports as validated, typed data.

>>> import govreport
>>> report = govreport.parse("report.docx")          # a path, bytes, or the text itself
>>> report.applications["new_received"]["total"]
>>> report.findings                                   # rule breaks and reading doubts
>>> govreport.dumps(report)                           # govreport/1 JSON
"""

from __future__ import annotations

from . import errors
from .batch import extract
from .display import show
from .jsonio import dumps, loads, report_from_dict
from .limits import Limits
from .model import Finding, Meta, Money, Provenance, Report, Section
from .pipeline import parse
from .registry import ReaderInfo, available_readers
from .validation import check_rules

from .version import __version__

__all__ = [
    "parse",
    "extract",
    "show",
    "dumps",
    "loads",
    "report_from_dict",
    "check_rules",
    "available_readers",
    "Limits",
    "Report",
    "Meta",
    "Money",
    "Provenance",
    "Finding",
    "Section",
    "ReaderInfo",
    "errors",
    "__version__",
]
