"""``python -m analysis evaluate WHAT``: print evaluation figures on the frozen annotated sets."""

from __future__ import annotations

import argparse
import importlib
import json

from analysis.commands import HelpFormatter

#: What can be evaluated → module defining ``evaluate(split) -> dict`` and ``format_report(dict)``.
EVALUATORS = {
    "mentions": "analysis.evaluation.mentions",
    "quotes": "analysis.evaluation.quotes",
    "targets": "analysis.evaluation.targets",
    "agreement": "analysis.evaluation.agreement",
}

EXAMPLES = """\
examples:
  python -m analysis evaluate mentions
  python -m analysis evaluate quotes --split dev
  python -m analysis evaluate targets --json
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="print accuracy figures on the annotated sets in data/annotations",
        description="Evaluate a stage against the team's annotated data (frozen test split by "
        "default) and print the figures reported in the docs.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("what", choices=sorted(EVALUATORS), help="stage to evaluate")
    parser.add_argument(
        "--split",
        default="test",
        choices=["test", "dev", "train"],
        help="annotated split to evaluate on",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    module = importlib.import_module(EVALUATORS[args.what])
    result = module.evaluate(args.split)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    else:
        print(module.format_report(result))
    return 0
