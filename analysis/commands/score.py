"""``python -m analysis score``: targeted stance toward each actor of each input text."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from analysis.commands import HelpFormatter

EXAMPLES = """\
examples:
  echo '{"id": 1, "text": "La Russie est accusée de soutenir les séparatistes."}' \\
      | python -m analysis score --input -
  python -m analysis score --input articles.jsonl --method baseline --output scores.jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help="stance toward each actor mentioned in each text of a JSONL file",
        description="Read {\"id\", \"text\", \"date\"?} lines and write, per line, "
        "{\"id\", \"targets\": {ACTOR: {\"label\", \"score\", \"evidence\"}}} with one entry per "
        "actor mentioned in the text. An actor's score is the mean of its sentence scores, its "
        "label follows the method's thresholds on that mean, and its evidence lists the words "
        "of its sentences with the strongest scores.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--input", required=True, help="JSONL file, or - for standard input")
    parser.add_argument("--output", type=Path, default=None, help="output file (default stdout)")
    parser.add_argument("--method", choices=["baseline", "lexicon", "model"], default=None,
                        help="stance method (default: the best one, model)")
    parser.add_argument("--registry", default=None, help="your own actors.yml")
    parser.set_defaults(func=run)


def aggregate(targets: list[Any], threshold: float) -> dict[str, dict[str, Any]]:
    """Per actor: mean sentence score, its label, and up to five evidence words."""
    from analysis.stance import label_for

    by_actor: dict[str, list[Any]] = {}
    for target in targets:
        by_actor.setdefault(target.actor, []).append(target)
    out = {}
    for actor in sorted(by_actor):
        rows = by_actor[actor]
        mean = sum(t.score for t in rows) / len(rows)
        evidence: list[str] = []
        for target in sorted(rows, key=lambda t: (-abs(t.score), t.sent_idx)):
            evidence.extend(word for word in target.evidence if word not in evidence)
        out[actor] = {"label": label_for(mean, threshold), "score": round(mean, 4),
                      "evidence": evidence[:5]}
        if math.isnan(mean):  # pragma: no cover - scores are always finite
            out[actor]["score"] = 0.0
    return out


def run(args: argparse.Namespace) -> int:
    from analysis.actors import detect_mentions, load_registry
    from analysis.jsonl_io import run_jsonl_command
    from analysis.nlp import load_nlp
    from analysis.quotes import extract_quotes
    from analysis.stance import load_scorer

    nlp = load_nlp()
    registry = load_registry(args.registry)
    scorer = load_scorer(args.method)
    threshold = scorer.get_params().get("threshold", 0.25)

    def process(item) -> dict[str, Any]:
        doc = nlp(item.clean.text)
        mentions = detect_mentions(doc, article_id=item.id, date=item.date, registry=registry)
        quotes = extract_quotes(doc, article_id=item.id, date=item.date, registry=registry,
                                mentions=mentions)
        targets = scorer.score_doc(doc, article_id=item.id, date=item.date, mentions=mentions,
                                   quotes=quotes)
        return aggregate(targets, threshold)

    count = run_jsonl_command(args.input, args.output, "targets", process)
    print(f"{count} texts scored", file=sys.stderr)
    return 0
