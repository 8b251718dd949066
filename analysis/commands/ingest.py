"""``python -m analysis ingest``: read a corpus, write articles, sentences and the manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config
from analysis.commands import HelpFormatter

EXAMPLES = """\
examples:
  python -m analysis ingest --out data/processed/demo
  python -m analysis ingest --corpus data/raw/my_articles.jsonl --out data/processed/mine
  python -m analysis ingest --corpus export.csv --text-column body --outlet-column source \\
      --out data/processed/export
"""


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that reads a corpus (ingest, run, report)."""
    parser.add_argument(
        "--corpus",
        nargs="+",
        type=Path,
        default=list(config.DEFAULT_CORPUS),
        help="files or folders (.txt, .jsonl, .csv, .tsv, .parquet, .html); "
        "default: the bundled demo corpus in ../shared",
    )
    parser.add_argument("--text-column", default="text", help="input field holding the text")
    parser.add_argument("--id-column", default="id", help="input field holding the article id")
    parser.add_argument("--outlet-column", default="outlet", help="input field holding the outlet")
    parser.add_argument("--date-column", default="date", help="input field holding the date")
    parser.add_argument("--title-column", default="title", help="input field holding the title")
    parser.add_argument("--url-column", default="url", help="input field holding the URL")
    parser.add_argument(
        "--languages", default="fr", help="comma-separated languages to keep ('' keeps all)"
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=config.MAX_ARTICLE_CHARS,
        help="longest article accepted, in characters; longer ones are skipped",
    )
    parser.add_argument(
        "--no-near-duplicates",
        action="store_true",
        help="do not flag near-duplicate articles (saves memory on huge corpora)",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def ingest_options(args: argparse.Namespace):
    """:class:`~analysis.corpus.IngestOptions` from parsed arguments."""
    from analysis.corpus import IngestOptions
    from analysis.readers import ColumnMap

    columns = ColumnMap(
        id=args.id_column,
        text=args.text_column,
        outlet=args.outlet_column,
        date=args.date_column,
        title=args.title_column,
        url=args.url_column,
    )
    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())
    return IngestOptions(
        columns=columns,
        languages=languages,
        max_chars=args.max_chars,
        near_duplicates=not args.no_near_duplicates,
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="read a corpus; write articles.parquet, sentences.parquet and manifest.json",
        description="Read a corpus, clean and deduplicate it, split it into sentences, and "
        "write DIR/articles.parquet, DIR/sentences.parquet and DIR/manifest.json.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    add_corpus_arguments(parser)
    parser.add_argument(
        "--out", type=Path, default=config.PROCESSED_DIR / "demo", help="output folder"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.ingestion import write_ingest

    summary = write_ingest(
        args.corpus, args.out, ingest_options(args), progress=not args.no_progress
    )
    counts = summary["counts"]
    print(
        f"{counts['records']} records: {counts['kept']} kept, {counts['skipped']} skipped, "
        f"{counts['duplicate']} duplicates; {summary['sentences']} sentences → {args.out}",
        file=sys.stderr,
    )
    for reason, n in summary["skip_reasons"].items():
        print(f"  skipped {n}: {reason}", file=sys.stderr)
    return 0
