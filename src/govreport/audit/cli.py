"""The ``govreport audit`` and ``govreport compare`` commands (wired in by :func:`register`).

Exit codes, as the rest of ``govreport``: 0 nothing at or above ``--fail-on`` (``audit``) / no
error found (``compare``); 1 findings at or above it; 2 an input could not be read (the others are
still audited); 3 wrong usage (a bad alias file, an unknown reader).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import GovReportError, UnknownReader
from . import audit_reports, compare_reports, load_aliases, read_for_audit
from .findings import SEVERITIES
from .render import audit_json, audit_text, compare_json, compare_markdown, compare_text

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3

#: files a folder is searched for (``.json`` only when named: a folder of outputs holds gold files too)
DOCUMENT_SUFFIXES = (".txt", ".docx", ".docm", ".dotx", ".doc", ".rtf", ".html", ".htm", ".xhtml", ".pdf")


def _err(msg: str) -> None:
    print(f"govreport: {msg}", file=sys.stderr)


def _about(path: Path, exc: BaseException, what: str = "") -> str:
    """``path: [what: ]reason``, naming the path once although most errors start with it."""
    text = str(exc)
    if text.startswith(f"{path}:"):
        text = text[len(f"{path}:"):].lstrip()
    return f"{path}: {what + ': ' if what else ''}{text}"


def find_documents(paths: list[Path]) -> list[Path]:
    """The files named, and every document under the folders named (sorted, each once)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            from ..batch.inputs import reader_extensions

            suffixes = {*DOCUMENT_SUFFIXES, *(f".{e}" for e in reader_extensions())}
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _aliases(args: argparse.Namespace) -> dict[str, str] | None:
    if not args.aliases:
        return None
    return load_aliases(args.aliases)


def cmd_audit(args: argparse.Namespace) -> int:
    try:
        aliases = _aliases(args)
    except (OSError, ValueError) as exc:
        _err(f"--aliases: {exc}")
        return EXIT_USAGE
    files = find_documents(args.paths)
    if not files:
        _err("no document found in " + ", ".join(map(str, args.paths)))
        return EXIT_UNREADABLE
    from ..batch.progress import Progress

    reports, documents = [], []
    unreadable = 0
    # a folder of reports takes a while: a bar on a terminal (nothing extra in logs or pipes)
    progress = Progress(sys.stderr, enabled=len(files) > 1 and sys.stderr.isatty(), prefix="govreport audit",
                        show_errors=False, unit="report")
    progress.start(len(files))

    def say(msg: str) -> None:
        progress.message(f"govreport: {msg}")

    try:
        for f in files:
            if f.suffix.lower() == ".json" and f.is_file():
                from ..cli import is_report_json

                if not is_report_json(f):
                    say(f"note: {f}: JSON, but not a govreport/1 report (a gold file or other data): skipped")
                    progress.add("skipped", str(f))
                    continue
            try:
                report, document = read_for_audit(f, reader=args.reader)
            except UnknownReader as exc:
                progress.finish()
                _err(str(exc))
                return EXIT_USAGE
            except (GovReportError, OSError) as exc:
                say(_about(f, exc, "not audited"))
                unreadable += 1
                progress.add("error", str(f))
                continue
            if document is None and not report.sections:
                say(f"{f}: no sections (tables-only JSON?): only the tables and the title's facts are checked")
            reports.append(report)
            documents.append(document)
            progress.add("ok", str(f))
    finally:
        progress.finish()
    result = audit_reports(reports, documents=documents, aliases=aliases, series=args.series)
    if args.json:
        print(audit_json(result, min_severity=args.min_severity))
    else:
        sys.stdout.write(audit_text(result, min_severity=args.min_severity, verbose=args.verbose,
                                    statements=args.statements))
    if unreadable:
        return EXIT_UNREADABLE
    if args.fail_on != "never":
        rank = SEVERITIES.index(args.fail_on)
        if any(SEVERITIES.index(f.severity) <= rank for f in result.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    try:
        aliases = _aliases(args)
    except (OSError, ValueError) as exc:
        _err(f"--aliases: {exc}")
        return EXIT_USAGE
    sides = []
    for f in (args.old, args.new):
        try:
            report, _ = read_for_audit(f, reader=args.reader)
        except UnknownReader as exc:
            _err(str(exc))
            return EXIT_USAGE
        except (GovReportError, OSError) as exc:
            _err(_about(f, exc))
            return EXIT_UNREADABLE
        sides.append(report)
    old, new = sides
    if old.meta.year is not None and new.meta.year is not None and new.meta.year < old.meta.year:
        _err(f"note: OLD is for {old.meta.year} and NEW for {new.meta.year}; comparing in the order given")
    comparison = compare_reports(old, new, aliases)
    fmt = "json" if args.json else "markdown" if args.markdown else args.format
    if fmt == "json":
        print(compare_json(comparison, changed_only=args.changed, nonzero=False))
    elif fmt == "markdown":
        sys.stdout.write(compare_markdown(comparison, changed_only=args.changed, nonzero=not args.all))
    else:
        sys.stdout.write(compare_text(comparison, changed_only=args.changed, nonzero=not args.all, keys=args.keys))
    return EXIT_FINDINGS if any(f.severity == "error" for f in comparison.findings) else EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit`` and ``compare`` to ``govreport``'s subcommands."""
    a = subparsers.add_parser(
        "audit", help="check reports as an evaluator does: text against tables, year against year, completeness",
        description="Audit reports: numbers in the prose against the tables (A-TEXT-…), each body's consecutive "
                    "years against each other (R5…), and required content (C-…). Folders are searched for "
                    "documents; reports of the same body in consecutive years are paired automatically.",
    )
    a.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders of them")
    a.add_argument("--json", action="store_true", help="print the audit as JSON")
    a.add_argument("--aliases", type=Path, metavar="FILE",
                   help='TOML file with an [aliases] table of "name as printed" = "canonical name"')
    a.add_argument("--reader", help="use this reader for every file instead of choosing one")
    a.add_argument("--series", metavar="NAME",
                   help="every report given is of one body's series named NAME (for reports that name no body)")
    a.add_argument("--min-severity", choices=SEVERITIES, default="info", help="leave out findings below this")
    a.add_argument("--fail-on", choices=(*SEVERITIES, "never"), default="error",
                   help="exit 1 when a finding of this severity or above is found (default: error)")
    a.add_argument("--statements", action="store_true",
                   help="also list every number read from the prose and what comparing it gave")
    a.add_argument("-v", "--verbose", action="store_true", help="print each finding's evidence")
    a.set_defaults(func=cmd_audit)

    c = subparsers.add_parser(
        "compare", help="a year-over-year table of two reports (old, new, change, %% change)",
        description="Compare two reports cell by cell; for consecutive years also check that NEW continues OLD (R5…).",
    )
    c.add_argument("old", type=Path, metavar="OLD")
    c.add_argument("new", type=Path, metavar="NEW")
    out = c.add_mutually_exclusive_group()  # one output: giving two is a usage error, not a silent pick
    out.add_argument("--format", choices=("table", "json", "markdown"), default="table", help="output (default: table)")
    out.add_argument("--json", action="store_true", help="same as --format json")
    out.add_argument("--markdown", action="store_true", help="same as --format markdown")
    rows = c.add_mutually_exclusive_group()
    rows.add_argument("--all", action="store_true", help="also show cells that are 0 or blank in both years")
    rows.add_argument("--changed", action="store_true", help="only cells whose value changed")
    c.add_argument("--keys", action="store_true", help="name cells by key (applications/total/total) instead of label")
    c.add_argument("--aliases", type=Path, metavar="FILE", help="alias file, as for audit")
    c.add_argument("--reader", help="use this reader instead of choosing one")
    c.set_defaults(func=cmd_compare)
