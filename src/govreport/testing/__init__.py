"""Random valid reports, rendered as the documents govreport reads — for property tests and benchmarks.

Installed with the ``testing`` extra (``pip install "govreport[testing]"``, which brings Hypothesis);
importing this package without it raises :class:`~govreport.errors.MissingDependency` (an
``ImportError``) saying so. The pieces, each in a module of its own and re-exported here:

* :mod:`.form` — the national tables as printed (blocks, headers, row labels, sections).
* :mod:`.reports` — :func:`random_report` builds one random, **valid** :class:`~govreport.model.Report`
  from a plain :class:`random.Random` (so a seed always gives the same report);
  :func:`report_from_seed` records the call in the report's ``source``; ``legacy=True`` adds the
  legacy statistics table; :func:`with_rule_break` changes one printed number of table B or C.
* :mod:`.strategies` — :func:`reports`, the Hypothesis strategy of such reports (Hypothesis draws
  the format, how busy the report is, the blank rate and a seed).
* :mod:`.parts` — a report as the parts of a document (title, headings, prose, tables of printed
  cells, signature); every renderer prints those parts, so a label or a sentence exists once.
* :mod:`.layouts` — :func:`render_text` in the text layouts of the seed fixtures (``"tabbed"``,
  ``"vertical"``, ``"pipe"``, ``"ocr"``), each with its noise model.
* :mod:`.office` — Word (:func:`render_docx`) and web pages (:func:`render_html`); :mod:`.pdf` —
  PDF (:func:`render_pdf`, the Word document through LibreOffice).
* :mod:`.corpus` — :func:`generate_corpus` writes ``n`` rendered documents of the kinds
  :data:`KINDS` with their ``<name>.gold.json``, deterministically for a seed; :func:`as_rendered`
  and :func:`cell_diffs` compare a reading with its gold.
* :mod:`.series` — consecutive years of one agency's reports, for the audit's cross-year checks;
  :mod:`.damage` — reports printed the way published reports come out worst; :mod:`.mutate` —
  hostile variants of real inputs, for fuzzing.
"""

from __future__ import annotations

from ..errors import MissingDependency

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # said here, before a strategy or a test fails on it far away
    raise MissingDependency('govreport.testing needs Hypothesis: pip install "govreport[testing]"') from exc

from .corpus import (
    GBK_SHARE,
    KINDS,
    LEGACY_SHARE,
    OFFICE_KINDS,
    RULE_BREAK_SHARE,
    as_rendered,
    available_kinds,
    cell_diffs,
    corpus_report,
    generate_corpus,
)
from .form import FORMATS, LEGACY_KEYS
from .layouts import LAYOUTS, READER_FOR_LAYOUT, render_text
from .office import render_docx, render_html
from .pdf import render_pdf
from .reports import (
    ACTIVITIES,
    BLANK_RATES,
    random_agency,
    random_legacy_statistics,
    random_report,
    report_from_seed,
    with_rule_break,
)
from .strategies import reports

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "READER_FOR_LAYOUT",
    "random_report",
    "reports",
    "report_from_seed",
    "render_text",
    "as_rendered",
    "cell_diffs",
    "with_rule_break",
    "random_legacy_statistics",
    "generate_corpus",
    "available_kinds",
    "KINDS",
    "LEGACY_KEYS",
    "LEGACY_SHARE",
    "RULE_BREAK_SHARE",
    "render_docx",
    "render_html",
    "render_pdf",
    "ACTIVITIES",
    "BLANK_RATES",
    "GBK_SHARE",
    "OFFICE_KINDS",
    "random_agency",
    "corpus_report",
]
