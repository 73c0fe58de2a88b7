"""``govreport show``: write the page that shows what was read (wired in by :func:`register`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import GovReportError, MissingDependency, UnknownReader

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE = 0, 2, 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = subparsers.add_parser(
        "show", help="write one HTML page showing what was read: pages, tables found, every cell used",
        description="Write a self-contained HTML page (no network): each page of a PDF drawn with the tables "
                    "found outlined and every value's cell boxed, coloured by what happened to it; text, Word "
                    "and web pages shown as read with the same marks; beside them the tables as read and the "
                    "findings. Hover or click a value for its key, raw text, provenance and findings.")
    s.add_argument("report", type=Path, metavar="REPORT", help="the document (or - for standard input)")
    s.add_argument("--out", type=Path, metavar="PAGE.html",
                   help="where to write (default: the report's file name with .html added, in the current folder)")
    s.add_argument("--reader", help="use this reader instead of choosing one")
    s.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    from . import show

    obj = sys.stdin.buffer if str(args.report) == "-" else args.report
    out = args.out
    if out is None and obj is sys.stdin.buffer:
        out = Path("stdin.html")
    try:
        path = show(obj, out, reader=args.reader)
    except (UnknownReader, MissingDependency) as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        print(f"govreport: {exc.filename or out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(path)
    return EXIT_OK
