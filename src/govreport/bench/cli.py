"""``govreport bench``: score govreport (or another tool's JSON) against gold corpora."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .output import to_dict, to_markdown, to_text
from .runner import run_bench

EXIT_BELOW = 1
EXIT_USAGE = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = subparsers.add_parser(
        "bench", help="score extraction against gold corpora (or generate one)",
        description="Score every document that has a NAME.gold.json beside it (or a folder with gold.json "
                    "and source.*) cell by cell: accuracy per table, format, input kind and reader; meta; "
                    "speed and memory.")
    b.add_argument("corpus", nargs="*", type=Path, metavar="CORPUS", help="folders or files with gold answers")
    b.add_argument("--reader", help="parse with this reader only")
    b.add_argument("--predictions", type=Path, metavar="DIR",
                   help="score JSON files from another tool instead of parsing (DIR/NAME.json per document)")
    b.add_argument("--json", type=Path, metavar="OUT", help="write the full results as JSON")
    b.add_argument("--markdown", type=Path, metavar="OUT", help="write the results as Markdown")
    b.add_argument("--min-accuracy", type=float, default=None, metavar="X",
                   help="exit 1 if cell accuracy is below X (0–1)")
    b.add_argument("--show-wrong", type=int, default=20, metavar="N", help="wrong cells to print (default 20)")
    g = b.add_argument_group("generated corpus")
    g.add_argument("--generate", type=int, metavar="N", help="write N random reports with gold answers to --out, then score them "
                        "(needs the testing extra: pip install \"govreport[testing]\")")
    g.add_argument("--seed", type=int, default=0, help="random seed for --generate (default 0)")
    g.add_argument("--out", type=Path, metavar="DIR", help="where --generate writes")
    g.add_argument("--kinds", default=None, metavar="LIST",
                   help="comma-separated document kinds to generate (default: every kind this machine can make): "
                        "txt, docx, html, pdf, and the damage kinds runon, markdown, detached, lostcell "
                        "(N documents of the file kinds and N of the damage kinds)")
    b.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    corpora = list(args.corpus)
    if args.generate:
        if not args.out:
            print("govreport: bench --generate needs --out DIR", file=sys.stderr)
            return EXIT_USAGE
        from ..errors import GovReportError
        from ..testing import KINDS, available_kinds, generate_corpus
        from ..testing.damage import DAMAGE_KINDS, generate_damage_corpus

        kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip()) if args.kinds else available_kinds()
        unknown = [k for k in kinds if k not in KINDS + DAMAGE_KINDS]
        if unknown or not kinds:
            print(f"govreport: --kinds: {', '.join(unknown) or '(none)'} is not a kind to generate "
                  f"(choose from {', '.join(KINDS + DAMAGE_KINDS)})", file=sys.stderr)
            return EXIT_USAGE
        if not args.kinds and len(kinds) < len(KINDS):
            # said, not silent: the corpus would otherwise lack a kind without the user knowing why
            left_out = ", ".join(k for k in KINDS if k not in kinds)
            print(f"govreport: note: not generating {left_out} (needs LibreOffice: install it, or set "
                  "GOVREPORT_SOFFICE to its soffice program)", file=sys.stderr)
        file_kinds = tuple(k for k in kinds if k in KINDS)
        damage_kinds = tuple(k for k in kinds if k in DAMAGE_KINDS)
        try:
            written = generate_corpus(args.generate, args.seed, args.out, kinds=file_kinds) if file_kinds else []
            if damage_kinds:
                written += generate_damage_corpus(args.generate, args.seed, args.out, kinds=damage_kinds)
        except (GovReportError, OSError) as exc:
            print(f"govreport: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"govreport: generated {len(written)} documents in {args.out}", file=sys.stderr)
        corpora.append(args.out)
    if not corpora:
        print("govreport: bench needs a corpus folder, or --generate N --out DIR", file=sys.stderr)
        return EXIT_USAGE
    from ..batch.progress import Progress
    from .corpus import find_gold

    # a bar with an ETA on a terminal; in a log, a line every 10 s, so a long run is seen to progress
    bar = Progress(sys.stderr, prefix="govreport bench", unit="document", show_errors=False)
    total = sum(1 for _ in find_gold([Path(c) for c in corpora]))
    if total:
        bar.start(total)

    def progress(d) -> None:  # noqa: ANN001 - a DocScore
        bar.add("error" if d.error else "ok", d.doc)

    try:
        result = run_bench(corpora, reader=args.reader, predictions=args.predictions, progress=progress)
    finally:
        bar.finish()
    if not result.docs:
        print("govreport: bench found no document with a gold answer (NAME.gold.json beside NAME.*)", file=sys.stderr)
        return EXIT_USAGE
    print(to_text(result, show_wrong=args.show_wrong))
    if args.json:
        args.json.write_text(json.dumps(to_dict(result), ensure_ascii=False, indent=2, default=str), "utf-8")
    if args.markdown:
        args.markdown.write_text(to_markdown(result), "utf-8")
    if args.min_accuracy is not None and result.accuracy < args.min_accuracy:
        return EXIT_BELOW
    return 0
