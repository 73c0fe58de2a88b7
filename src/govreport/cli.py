"""The ``govreport`` command: parse, validate and list readers.

Exit codes: 0 all well; 1 a report breaks the format's rules (``validate``) or a score is below
target (``bench``); 2 an input could not be read; 3 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import GovReportError, UnknownReader
from .jsonio import dumps
from .model import Report
from .pipeline import parse
from .registry import default_registry

EXIT_OK, EXIT_RULES, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3

#: Commands living with the feature they drive; each module has ``register(subparsers)``.
_COMMAND_MODULES = ("govreport.batch.cli", "govreport.audit.cli", "govreport.bench.cli")


def _err(msg: str) -> None:
    print(f"govreport: {msg}", file=sys.stderr)


def _summary(report: Report) -> str:
    cells = list(report.cells())
    filled = sum(1 for c in cells if c.value is not None)
    nonzero = sum(1 for c in cells if c.value not in (None, 0))
    breaks = len(report.rule_breaks)
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    m = report.meta
    return (f"{report.source}: format {report.format}, {m.agency or '(agency unknown)'}, {m.year or '?'}; "
            f"{filled}/{len(cells)} cells printed, {nonzero} non-zero; "
            f"{breaks} rule break(s), {warnings} warning(s) [reader {report.reader}]")


def _each_report(files: list[Path], reader: str | None):
    """(path, report or the typed error) for each file; an unknown reader name stops the run."""
    for f in files:
        try:
            yield f, parse(f, reader=reader)
        except UnknownReader:
            raise
        except GovReportError as exc:
            yield f, exc


def cmd_parse(args: argparse.Namespace) -> int:
    status = EXIT_OK
    many = len(args.files) > 1
    for f, report in _each_report(args.files, args.reader):
        if isinstance(report, GovReportError):
            _err(str(report))
            status = EXIT_UNREADABLE
        elif args.summary:
            print(_summary(report))
        else:
            # several files: JSON Lines, one report per line
            print(dumps(report, full=not args.tables_only, indent=2 if args.pretty and not many else None))
    return status


def cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for f, report in _each_report(args.files, args.reader):
        if isinstance(report, GovReportError):
            print(f"{f}: UNREADABLE: {report}")
            status = EXIT_UNREADABLE
            continue
        breaks = report.rule_breaks
        print(_summary(report))
        shown = [*breaks, *(x for x in report.findings if x.severity == "warning")] if args.verbose else breaks
        for finding in shown:
            print(f"  {finding.severity.upper()} {finding.rule}: {finding.message}")
        if breaks and status == EXIT_OK:
            status = EXIT_RULES
    return status


def cmd_readers(args: argparse.Namespace) -> int:
    reg = default_registry()
    if args.json:
        print(json.dumps([{"name": i.name, "version": i.version, "kinds": list(i.kinds),
                           "distribution": i.distribution, "builtin": i.builtin} for i in reg.readers],
                         ensure_ascii=False, indent=2))
    else:
        for i in reg.readers:
            origin = "built-in" if i.builtin else f"plugin from {i.distribution}"
            print(f"{i.name:<10} {i.version:<6} {','.join(i.kinds):<14} {origin}")
    for p in reg.problems:
        _err(p)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="govreport", description="Read government information-disclosure annual reports.")
    ap.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="print a report as govreport/1 JSON (several files: JSON Lines)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--reader", help="use this reader instead of choosing one (see `govreport readers`)")
    p.add_argument("--tables-only", action="store_true", help="leave out sections, findings and provenance")
    p.add_argument("--summary", action="store_true", help="one line per report instead of JSON")
    p.set_defaults(func=cmd_parse)

    v = sub.add_parser("validate", help="check reports against the format's arithmetic rules")
    v.add_argument("files", nargs="+", type=Path, metavar="FILE")
    v.add_argument("--reader", help="use this reader instead of choosing one")
    v.add_argument("-v", "--verbose", action="store_true", help="also list reading warnings")
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("readers", help="list the installed readers, built-in and plugins")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_readers)

    for module in _COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    try:
        return int(args.func(args))
    except UnknownReader as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
