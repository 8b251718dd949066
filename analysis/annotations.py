"""Loading the team's annotated data from ``data/annotations``.

Formats (one JSON object per line; see each folder's ``GUIDELINES.md``):

* ``mentions/{dev,test}.jsonl``: ``markup`` with every actor mention as ``[[surface|ACTOR]]``;
* ``quotes/{dev,test}.jsonl``: ``text`` and ``quotes`` given as exact substrings;
* ``targets/*.jsonl``: ``text`` and ``labels`` (actor → negative, neutral or positive).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import config
from analysis.errors import BadInputError

MARKUP = re.compile(r"\[\[([^\[\]|]+)\|([A-Z][A-Z0-9_]*)\]\]")


@dataclass(frozen=True)
class GoldMention:
    """An annotated mention: character span in the plain text and its actor."""

    start: int
    end: int
    surface: str
    actor: str


def parse_markup(markup: str) -> tuple[str, list[GoldMention]]:
    """Plain text and gold mentions from ``[[surface|ACTOR]]`` markup."""
    pieces: list[str] = []
    mentions: list[GoldMention] = []
    position = 0
    length = 0
    for match in MARKUP.finditer(markup):
        before = markup[position : match.start()]
        pieces.append(before)
        length += len(before)
        surface, actor = match.group(1), match.group(2)
        mentions.append(GoldMention(length, length + len(surface), surface, actor))
        pieces.append(surface)
        length += len(surface)
        position = match.end()
    pieces.append(markup[position:])
    return "".join(pieces), mentions


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All objects of an annotation file; a malformed line raises naming file and line."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise BadInputError(f"invalid JSON ({exc.msg})", path=path, line=number) from exc
    return rows


def annotation_path(task: str, split: str) -> Path:
    """``data/annotations/<task>/<split>.jsonl``; raises if it does not exist."""
    path = config.ANNOTATION_DIR / task / f"{split}.jsonl"
    if not path.exists():
        raise BadInputError(f"no annotated {split} split for {task}", path=path)
    return path
