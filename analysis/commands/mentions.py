"""``python -m analysis mentions``: actor mentions, one JSON line per input text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.commands import HelpFormatter

EXAMPLES = """\
input: one JSON object per line, {"id": ..., "text": ..., "date": optional}
  the date (ISO or French, e.g. "14 avril 2021") decides persons' dated roles: Rutte is NATO
  only from 2024-10-01; with no date a person maps to the actor of their latest role.
output: one line per input line, in input order:
  {"id": ..., "mentions": [{"start", "end", "surface", "actor", "kind"}]}
  start/end are offsets in the ORIGINAL input text: text[start:end] == surface;
  actor is an upper-case id (USA, RUSSIA, UKRAINE, NATO or one of your registry);
  kind is country, capital, institution, person, role or demonym.

examples:
  python -m analysis mentions --input texts.jsonl
  python -m analysis mentions --input texts.jsonl --output mentions.jsonl
  python -m analysis mentions --input texts.jsonl --registry my_actors.yml
  echo '{"id": "a", "date": "2021-04-14", "text": "Le Kremlin a répondu à Kiev."}' \\
      | python -m analysis mentions --input -
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mentions",
        help="find every mention of the registry's actors (names, capitals, people, roles...)",
        description="Find the actor mentions of each input text: country and institution names, "
        "capitals and metonyms (le Kremlin), demonyms with a state noun (les troupes russes), "
        "people in their dated roles, role phrases (le locataire du Kremlin) and spelling "
        "variants. See docs/actors.md.",
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
        "--registry",
        type=Path,
        default=None,
        help="your own actor registry YAML (default: data/lexicons/actors.yml)",
    )
    parser.set_defaults(func=run)


def mention_records(item: Any, nlp: Any, registry: Any) -> list[dict[str, Any]]:
    """The output records of one :class:`~analysis.jsonl_io.InputText`."""
    from analysis.actors import detect_mentions, original_span

    clean = item.clean
    doc = nlp(clean.text)
    records = []
    for mention in detect_mentions(doc, article_id=item.id, date=item.date, registry=registry):
        start, end = original_span(clean, mention.start, mention.end)
        records.append({"start": start, "end": end, "surface": clean.original[start:end],
                        "actor": mention.actor, "kind": mention.kind})
    return records


def run(args: argparse.Namespace) -> int:
    from analysis.actors import load_registry
    from analysis.jsonl_io import run_jsonl_command
    from analysis.nlp import load_nlp

    registry = load_registry(args.registry)
    nlp = load_nlp(parse=False)  # detection reads tokens only: no need to parse
    count = run_jsonl_command(
        args.input, args.output, "mentions", lambda item: mention_records(item, nlp, registry)
    )
    if args.output:
        print(f"{count} texts → {args.output}", file=sys.stderr)
    return 0
