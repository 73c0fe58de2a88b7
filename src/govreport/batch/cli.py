"""``govreport extract``: a corpus of reports into one dataset.

Wire it into ``govreport.cli`` with ``register(sub)`` on the command's subparsers. Exit codes (as
for the other commands): 0 every file read; 2 at least one file could not be read (each has its
``reports`` row with the error); 3 usage error (bad option, output exists without ``--resume`` or
``--overwrite``, missing extra, no input file found); 130 interrupted (the output holds what was
finished: complete it with ``--resume``).
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, Any

from ..errors import GovReportError, UnknownReader
from .options import ExtractOptions

if TYPE_CHECKING:
    from .progress import Progress
    from .summary import Summary

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 3, 130


def _positive_float(text: str) -> float:
    v = float(text)
    if v < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return v


def _jobs(text: str) -> int:
    v = int(text)
    if v < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return v


def register(subparsers: Any) -> None:
    """Add the ``extract`` subcommand to govreport's argparse subparsers."""
    from .options import DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT

    p = subparsers.add_parser(
        "extract",
        help="read many reports (files, folders, globs) into one dataset: .sqlite, .parquet, .csv or .jsonl",
        description="Read every report under the inputs into one dataset of three tables (reports, cells, "
                    "findings), in parallel. A file that cannot be read gets a reports row with its error. "
                    "Safe to kill: --resume completes the output, reading only what is missing or changed.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders (searched recursively) and globs")
    p.add_argument("-o", "--out", required=True,
                   help="output: NAME.sqlite, NAME.parquet (a folder of part files), NAME.csv (NAME.reports.csv, "
                        "NAME.cells.csv, NAME.findings.csv) or NAME.jsonl")
    p.add_argument("--format", choices=("sqlite", "parquet", "csv", "jsonl"),
                   help="output kind, when --out does not end in its extension (e.g. a folder for csv)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--resume", action="store_true",
                   help="complete an existing output: read only files missing from it or changed since")
    g.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.add_argument("--retry-failed", action="store_true", help="with --resume, read again the files that failed")
    p.add_argument("--excel", action="store_true",
                   help="CSV output: UTF-8 with a byte-order mark, so that Excel shows Chinese text correctly")
    p.add_argument("--wide", action="store_true",
                   help="also write the wide table: one row per file, one column per canonical cell")
    p.add_argument("-j", "--jobs", type=_jobs, default=None,
                   help="worker processes (default: every core; 0: read in this process, without time limit)")
    p.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT,
                   help=f"seconds per file before its worker is killed (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    p.add_argument("--max-size", type=_positive_float, default=DEFAULT_MAX_SIZE / 2**20, metavar="MB",
                   help=f"files larger than this are recorded as FileTooLarge, not read "
                        f"(default {DEFAULT_MAX_SIZE / 2**20:.0f}; 0: no limit)")
    p.add_argument("--max-memory", type=_positive_float, default=None, metavar="MB",
                   help="address-space limit per worker (default: the machine's memory / jobs, at least 2048; "
                        "0: no limit)")
    p.add_argument("--reader", help="use this reader for every file instead of choosing one")
    p.add_argument("--all-files", action="store_true",
                   help="in folders, take every file (default: only files of kinds the installed readers read)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes (default), or a Dask cluster (Parquet output only)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")
    p.add_argument("--batch-size", type=int, default=500, metavar="N",
                   help="Parquet: files per part file / row group (default 500)")
    p.add_argument("--progress", choices=("auto", "bar", "log", "none"), default="auto",
                   help="a progress bar on a terminal, log lines otherwise (auto, the default)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary; errors only")
    p.set_defaults(func=cmd_extract)


def _err(msg: str) -> None:
    print(f"govreport: {msg}", file=sys.stderr)


def options(args: argparse.Namespace) -> ExtractOptions:
    """The batch's options from the command line (0 for a limit means none)."""
    return ExtractOptions(
        format=args.format, resume=args.resume, overwrite=args.overwrite, wide=args.wide, jobs=args.jobs,
        timeout=args.timeout or None, reader=args.reader, max_size=int(args.max_size * 2**20) or None,
        max_memory_mb="auto" if args.max_memory is None else (int(args.max_memory) or None),
        all_files=args.all_files, retry_failed=args.retry_failed, engine=args.engine,
        scheduler=args.scheduler, batch_size=args.batch_size, excel=args.excel,
    )


def cmd_extract(args: argparse.Namespace) -> int:
    from .progress import Progress

    problem = _usage_problem(args)
    if problem:
        _err(problem)
        return EXIT_USAGE
    mode = "none" if args.quiet else args.progress
    progress = Progress(sys.stderr, enabled=mode != "none",
                        tty=None if mode == "auto" else mode == "bar", show_errors=not args.quiet)
    summary = _run(args, progress)
    if isinstance(summary, int):
        return summary
    return _report(summary, progress, quiet=args.quiet)


def _usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the options beyond what argparse checks (``None``: nothing)."""
    if args.scheduler and args.engine != "dask":
        return "--scheduler needs --engine dask"
    if args.retry_failed and not args.resume:
        return "--retry-failed needs --resume"
    if args.reader:
        from ..registry import default_registry

        try:
            default_registry().get(args.reader)
        except UnknownReader as exc:
            return str(exc)
    return None


def _run(args: argparse.Namespace, progress: Progress) -> Summary | int:
    """The run's summary, or the exit code when it could not run or was interrupted outside it."""
    from .dataset import write_dataset
    from .pool import WorkersCannotStart

    def _terminate(signum: int, frame: Any) -> None:  # a scheduler's SIGTERM: close the output cleanly
        raise KeyboardInterrupt

    try:
        old_term = signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, OSError):  # not the main thread
        old_term = None
    try:
        return write_dataset(args.inputs, args.out, options(args), progress=progress)
    except (GovReportError, WorkersCannotStart) as exc:  # the output, a missing extra, the workers
        progress.finish()
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.finish()
        _err("interrupted")
        return EXIT_INTERRUPTED
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _report(summary: Summary, progress: Progress, *, quiet: bool) -> int:
    """Close the progress display, say what needs saying on stderr, and give the exit code."""
    # the bar ends first, so that no message lands on its line
    if summary.interrupted:
        progress.finish()
    else:
        progress.finish(summary.text() if summary.files else None)
    for spec in summary.unmatched:
        _err(f"{spec}: matched no file")
    if summary.files == 0:
        _err("no input file found" + (" (files of unknown kinds were skipped: use --all-files)"
                                      if summary.not_taken else "") + "; nothing was written")
        return EXIT_USAGE
    if summary.interrupted:
        _err(f"interrupted: {summary.ok + summary.failed} file(s) written to {summary.out}; "
             "run the same command with --resume to finish")
        return EXIT_INTERRUPTED
    if summary.not_taken and not quiet:
        shown = ", ".join(summary.not_taken[:3]) + (", ..." if len(summary.not_taken) > 3 else "")
        _err(f"{len(summary.not_taken)} file(s) in the folders are of no kind a reader reads and were not taken "
             f"({shown}); --all-files takes them")
    return EXIT_UNREADABLE if summary.failed or summary.failed_before else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser with only ``extract`` (for tests and ``python -m govreport.batch.cli``)."""
    ap = argparse.ArgumentParser(prog="govreport")
    sub = ap.add_subparsers(dest="command", required=True)
    register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
