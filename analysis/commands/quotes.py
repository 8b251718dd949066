"""``python -m analysis quotes``: quotations and their speakers, one JSON line per input text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.commands import HelpFormatter

EXAMPLES = """\
input: one JSON object per line, {"id": ..., "text": ..., "date": optional (dates roles)}
output: one line per input line, in input order:
  {"id": ..., "quotes": [{"text", "start", "end", "kind", "verb", "speaker",
                          "speaker_actor"}]}
  start/end are offsets in the ORIGINAL input text: text[start:end] == quote text;
  kind is direct, indirect or selon; speaker_actor is an actor id (USA, RUSSIA, ...) or null.

examples:
  python -m analysis quotes --input texts.jsonl
  python -m analysis quotes --input texts.jsonl --output quotes.jsonl
  echo '{"id": "a", "text": "« Nous ne reculerons pas », a déclaré Dmitri Peskov."}' \\
      | python -m analysis quotes --input -
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quotes",
        help="extract direct, indirect and 'selon' quotations with their speaker and actor",
        description="Extract every quotation of each input text (direct quotes in « », \" \" "
        "or ‹ ›, reported speech with a reporting verb, 'selon X' framings), attribute it to "
        "a speaker and map the speaker to an actor of the registry.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--input", required=True, help="JSONL file of {id, text, date?} objects; '-' for stdin"
    )
    parser.add_argument(
        "--output", default=None, help="output JSONL file (written atomically); default stdout"
    )
    parser.add_argument(
        "--registry", type=Path, default=None, help="actor registry YAML (default: the bundled one)"
    )
    parser.set_defaults(func=run)


def quote_records(item: Any, nlp: Any, registry: Any) -> list[dict[str, Any]]:
    """The output records of one :class:`~analysis.jsonl_io.InputText`."""
    from analysis.jsonl_io import to_original_offsets
    from analysis.quotes import extract_quotes

    clean = item.clean
    doc = nlp(clean.text)
    records = []
    for quote in extract_quotes(doc, article_id=item.id, date=item.date, registry=registry):
        record = {
            "text": quote.text,
            "start": quote.start,
            "end": quote.end,
            "kind": quote.kind,
            "verb": quote.verb,
            "speaker": quote.speaker,
            "speaker_actor": quote.speaker_actor,
        }
        record = to_original_offsets(record, clean)
        # report the original characters (cleaning may have changed quotes or spaces inside)
        record["text"] = clean.original[record["start"] : record["end"]]
        if quote.speaker_start is not None and quote.speaker_end is not None:
            s_start, s_end = clean.original_span(quote.speaker_start, quote.speaker_end)
            record["speaker"] = clean.original[s_start:s_end]
        records.append(record)
    return records


def run(args: argparse.Namespace) -> int:
    from analysis.jsonl_io import run_jsonl_command
    from analysis.nlp import load_nlp

    nlp = load_nlp()
    registry = _load_registry(args.registry)
    count = run_jsonl_command(
        args.input, args.output, "quotes", lambda item: quote_records(item, nlp, registry)
    )
    if args.output:
        print(f"{count} texts → {args.output}", file=sys.stderr)
    return 0


def _load_registry(path: Path | None) -> Any:
    from analysis.actors import load_registry

    return load_registry(path)
