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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.ingestion import write_ingest
    from analysis.report import write_summary_page

    write_ingest(args.corpus, args.tables, ingest_options(args), progress=not args.no_progress)
    page = write_summary_page(args.tables, args.out)
    print(f"report written to {page}", file=sys.stderr)
    return 0
