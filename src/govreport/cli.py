"""The ``govreport`` command: parse, validate and list readers.

Exit codes: 0 all well; 1 a report breaks the format's rules (``validate``) or a score is below
target (``bench``); 2 an input could not be read; 3 wrong usage (a bad option, an unknown reader, a
missing optional dependency). Every error is one ``govreport: …`` line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from .version import __version__
import attrs

from .errors import GovReportError, MissingDependency, UnknownReader
from .jsonio import dumps, loads
from .model import Finding, Report
from .pipeline import parse
from .registry import default_registry

EXIT_OK, EXIT_RULES, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3

#: Commands living with the feature they drive; each module has ``register(subparsers)``.
_COMMAND_MODULES = ("govreport.display.cli", "govreport.batch.cli", "govreport.audit.cli", "govreport.bench.cli")


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
            f"{breaks} rule break(s), {warnings} warning(s) "
            f"[{f'reader {report.reader}' if report.reader else 'govreport/1 JSON'}]")


def message(path: object, exc: BaseException) -> str:
    """``path: what went wrong``, naming the path once (most errors already start with it)."""
    text = str(exc)
    return text if text.startswith(f"{path}:") else f"{path}: {text}"


STDIN = Path("-")


def _path_arg(text: str) -> Path:
    if not text.strip():  # Path("") would be the current folder
        raise argparse.ArgumentTypeError("an empty name is no file")
    return Path(text)


def expand(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to read: named files as given, ``-`` for standard input, and the documents under
    named folders (as ``extract`` takes them). Also returns notes about folders that held none."""
    from .batch.inputs import Discovery, discover

    files: list[Path] = []
    notes: list[str] = []
    for p in paths:
        if p == STDIN or not p.is_dir():
            files.append(p)
            continue
        found = Discovery()
        taken = [Path(f.path) for f in discover([p], found=found)]
        if not taken:
            notes.append(f"{p}: a folder with no document of a kind the installed readers read")
        files += taken
    return list(dict.fromkeys(files)), notes


@contextlib.contextmanager
def _slow_note(path: Path, after: float = 2.0) -> Iterator[None]:
    """On a terminal, say what is being read when it takes a while (a scan's OCR: seconds a page)."""
    if not sys.stderr.isatty():
        yield
        return
    timer = threading.Timer(after, lambda: print(f"govreport: reading {path} …", file=sys.stderr, flush=True))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _parse_one(f: Path, reader: str | None) -> Report:
    with _slow_note(f):
        if f == STDIN:
            return parse(sys.stdin.buffer, reader=reader, name="<stdin>")
        return parse(f, reader=reader)


def _each_report(files: list[Path], reader: str | None):
    """(path, report or the typed error) for each file; an unknown reader name stops the run."""
    for f in files:
        try:
            yield f, _parse_one(f, reader)
        except UnknownReader:
            raise
        except GovReportError as exc:
            yield f, exc


def cmd_parse(args: argparse.Namespace) -> int:
    files, notes = expand(args.files)
    for n in notes:
        _err(n)
    if not files:
        return EXIT_UNREADABLE
    many = len(files) > 1
    if args.pretty and many and not args.summary:
        _err(f"--pretty indents one report; {len(files)} files are printed as JSON Lines (one report a line): "
             "leave out --pretty, or name one file")
        return EXIT_USAGE
    status = EXIT_UNREADABLE if notes else EXIT_OK
    for f, report in _each_report(files, args.reader):
        if isinstance(report, GovReportError):
            _err(message(f, report))
            status = EXIT_UNREADABLE
        elif args.summary:
            print(_summary(report))
        else:
            # several files: JSON Lines, one report per line
            print(dumps(report, full=not args.tables_only, indent=2 if args.pretty and not many else None))
    return status


def is_report_json(f: Path) -> bool:
    """Whether a ``.json`` file holds one report in ``govreport/1`` (not a gold file of another
    shape, not a dataset)."""
    try:
        data = json.loads(f.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("schema") == "govreport/1"


def _json_report(f: Path) -> Report | None:
    """A ``govreport/1`` JSON file as a report with its rules checked again; ``None`` for other JSON."""
    from .validation import check_rules

    try:
        data = json.loads(f.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != "govreport/1":
        return None
    report = loads(json.dumps(data))  # SchemaError when it claims govreport/1 but is not
    tables = {t: getattr(report, t) for t in ("active_disclosure", "applications", "review_litigation")}
    kept = tuple(x for x in report.findings if not (x.rule.startswith("R") and not x.proposal))
    # named as the file validated (the JSON's own source is the document it was read from)
    return attrs.evolve(report, findings=(*check_rules(tables), *kept), source=str(f))


def _validate_each(files: list[Path], reader: str | None) -> Iterator[tuple[Path, Report | GovReportError | None]]:
    for f in files:
        if f.suffix.lower() == ".json" and f != STDIN:
            try:
                yield f, _json_report(f)
            except GovReportError as exc:
                yield f, exc
            continue
        yield from _each_report([f], reader)


def _finding_line(finding: Finding) -> str:
    rule, text = finding.rule, finding.message
    if text.startswith(f"{rule} "):  # "R1 broken in …" printed under the rule's own name
        text = text[len(rule) + 1:]
    return f"  {finding.severity.upper()} {rule}: {text}"


def cmd_validate(args: argparse.Namespace) -> int:
    files, notes = expand(args.files)
    for n in notes:
        _err(n)
    status = EXIT_UNREADABLE if notes or not files else EXIT_OK
    for f, report in _validate_each(files, args.reader):
        if report is None:
            _err(f"note: {f}: JSON, but not a govreport/1 report (a gold file or other data): skipped")
            continue
        if isinstance(report, GovReportError):
            print(f"UNREADABLE {message(f, report)}")
            status = EXIT_UNREADABLE
            continue
        breaks = report.rule_breaks
        print(_summary(report))
        shown = [*breaks, *(x for x in report.findings if x.severity == "warning")] if args.verbose else breaks
        for finding in shown:
            print(_finding_line(finding))
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
    p.add_argument("files", nargs="+", type=_path_arg, metavar="FILE",
                   help="documents, folders of them (searched as extract does), or - for standard input")
    p.add_argument("--pretty", action="store_true", help="indent the JSON (one file only)")
    p.add_argument("--reader", help="use this reader instead of choosing one (see `govreport readers`)")
    p.add_argument("--tables-only", action="store_true", help="leave out sections, findings and provenance")
    p.add_argument("--summary", action="store_true", help="one line per report instead of JSON")
    p.set_defaults(func=cmd_parse)

    v = sub.add_parser("validate", help="check reports against the format's arithmetic rules")
    v.add_argument("files", nargs="+", type=_path_arg, metavar="FILE",
                   help="documents, govreport/1 JSON files (other JSON is skipped with a note), folders, or -")
    v.add_argument("--reader", help="use this reader instead of choosing one")
    v.add_argument("-v", "--verbose", action="store_true", help="also list reading warnings")
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("readers", help="list the installed readers, built-in and plugins")
    r.add_argument("--json", action="store_true", help="print the list as JSON")
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
    except (UnknownReader, MissingDependency) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except GovReportError as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    except OSError as exc:
        _err(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
