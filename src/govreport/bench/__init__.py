"""Benchmarking extraction accuracy against gold corpora (``govreport bench``)."""

from .corpus import GoldDoc, find_gold
from .output import to_dict, to_markdown, to_text
from .runner import BenchResult, run_bench
from .scoring import DocScore, score_doc

__all__ = ["run_bench", "BenchResult", "DocScore", "GoldDoc", "find_gold", "score_doc", "to_dict", "to_markdown", "to_text"]
