"""``python -m analysis report``: run the pipeline on a corpus and build the HTML report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config
from analysis.commands import HelpFormatter
from analysis.commands.ingest import add_corpus_arguments, ingest_options

EXAMPLES = """\
examples:
  python -m analysis report                       # the bundled demo corpus → reports/index.html
  python -m analysis report --corpus data/raw --out reports/mine
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="run the pipeline on a corpus and build the HTML report",
        description="Process a corpus (default: the bundled demo corpus) and write an HTML "
        "report, reports/index.html, with the tables it is built from in data/processed/.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    add_corpus_arguments(parser)
    parser.add_argument("--out", type=Path, default=config.REPORTS_DIR, help="report folder")
    parser.add_argument(
        "--tables",
        type=Path,
        default=config.PROCESSED_DIR / "demo",
        help="folder for the processed tables",
    )
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.report import build_report

    page = build_report(args.corpus, args.tables, args.out, n_boot=args.n_boot,
                        ingest_options=ingest_options(args))
    print(f"report written to {page}", file=sys.stderr)
    return 0
