"""Running a benchmark: parse (or load predictions for) every gold document and score it."""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from ..errors import GovReportError
from ..pipeline import parse
from .corpus import GoldDoc, find_gold
from .scoring import META, DocScore, WrongCell, score_doc


@attrs.frozen(kw_only=True)
class Group:
    right: int = 0
    cells: int = 0
    docs: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.cells if self.cells else 0.0


@attrs.frozen(kw_only=True)
class BenchResult:
    docs: tuple[DocScore, ...]
    seconds: float
    peak_rss_mb: float | None
    predictions: str | None = None

    @property
    def cells(self) -> int:
        return sum(d.cells for d in self.docs)

    @property
    def right(self) -> int:
        return sum(d.right for d in self.docs)

    @property
    def accuracy(self) -> float:
        return self.right / self.cells if self.cells else 0.0

    @property
    def informative_accuracy(self) -> float:
        n = sum(d.informative for d in self.docs)
        return sum(d.informative_right for d in self.docs) / n if n else 0.0

    def by(self, key: Callable[[DocScore], str]) -> dict[str, Group]:
        out: dict[str, Group] = {}
        for d in self.docs:
            g = out.get(key(d), Group())
            out[key(d)] = Group(right=g.right + d.right, cells=g.cells + d.cells, docs=g.docs + 1)
        return dict(sorted(out.items()))

    def by_table(self) -> dict[str, Group]:
        out: dict[str, Group] = {}
        for d in self.docs:
            for t, (r, n) in d.per_table.items():
                g = out.get(t, Group())
                out[t] = Group(right=g.right + r, cells=g.cells + n, docs=g.docs + 1)
        return out

    def tables_found(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = {}
        for d in self.docs:
            for t in d.tables_found:
                out.setdefault(t, [0, 0])[0] += 1
            for t in d.tables_missed:
                out.setdefault(t, [0, 0])[1] += 1
        return {t: (a, b) for t, (a, b) in out.items()}

    def meta_right(self) -> dict[str, int]:
        return {k: sum(d.meta_right[k] for d in self.docs) for k in META}

    @property
    def format_right(self) -> int:
        return sum(d.format_right for d in self.docs)

    @property
    def errors(self) -> tuple[DocScore, ...]:
        return tuple(d for d in self.docs if d.error)

    @property
    def wrong(self) -> tuple[WrongCell, ...]:
        return tuple(w for d in self.docs for w in d.wrong)

    def speed(self) -> dict[str, Any]:
        times = [d.seconds for d in self.docs]
        pages = sum(d.pages or 0 for d in self.docs)
        parse_time = sum(times)
        worst = max(self.docs, key=lambda d: d.seconds, default=None)
        return {
            "documents": len(self.docs),
            "documents_per_s": len(times) / parse_time if parse_time else None,
            "pages": pages,
            "pages_per_s": pages / parse_time if parse_time and pages else None,
            "median_s": statistics.median(times) if times else None,
            "worst_s": worst.seconds if worst else None,
            "worst_doc": worst.doc if worst else None,
            "peak_rss_mb": self.peak_rss_mb,
        }


def machine_info() -> dict[str, str]:
    import os

    from ..version import __version__

    return {
        "govreport": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": str(os.cpu_count()),
    }


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _prediction_for(doc: GoldDoc, folder: Path) -> Path | None:
    for name in (doc.path.name + ".json", doc.path.stem + ".json", doc.key + ".json"):
        p = folder / name
        if p.exists():
            return p
    return None


def run_bench(roots: Iterable[Path], *, reader: str | None = None, predictions: Path | None = None,
              progress: Callable[[DocScore], None] | None = None) -> BenchResult:
    """Score every gold document under ``roots``: parsed by govreport, or read from ``predictions``."""
    scores: list[DocScore] = []
    t_all = time.perf_counter()
    for doc in find_gold([Path(r) for r in roots]):
        gold = doc.gold()
        pred: dict[str, Any] | None = None
        error = None
        t0 = time.perf_counter()
        pages = None
        if predictions is not None:
            p = _prediction_for(doc, predictions)
            if p is None:
                error = "no prediction file"
            else:
                try:
                    pred = json.loads(p.read_text("utf-8"))
                except (OSError, ValueError) as exc:
                    error = f"unreadable prediction: {exc}"
        else:
            try:
                report = parse(doc.path, reader=reader)
                pred = report.to_dict(full=True)
                pages = report.pages
            except GovReportError as exc:
                error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        score = score_doc(doc.key, doc.kind, gold, pred, error=error, seconds=seconds, pages=pages)
        scores.append(score)
        if progress:
            progress(score)
    return BenchResult(docs=tuple(scores), seconds=time.perf_counter() - t_all, peak_rss_mb=peak_rss_mb(),
                       predictions=str(predictions) if predictions else None)
