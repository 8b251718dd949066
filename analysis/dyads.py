"""Source → target dyads: who says what about whom.

A sentence inside a quotation whose speaker belongs to actor A gives, for every other actor B
it scores, the dyad A → B with the sentence's label, score and evidence (``source_kind``
``speaker``). A sentence outside any quotation gives outlet → B for every actor it scores
(``source_kind`` ``outlet``): the narrator's own voice. A speaker talking about their own actor
(A → A) is kept too: self-presentation is part of what a quotation carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dyad:
    """One source → target stance."""

    article_id: str
    sent_idx: int
    source: str
    target: str
    label: str
    score: float
    source_kind: str  #: speaker or outlet
    evidence: tuple[str, ...]


def build_dyads(targets: Iterable[Any], quotes: Iterable[Any], outlet: str) -> list[Dyad]:
    """Dyads from a document's targets (and the quotations they were scored with)."""
    del quotes  # the targets already carry in_quote and speaker_actor
    dyads = []
    for target in targets:
        if target.in_quote and target.speaker_actor:
            source, kind = target.speaker_actor, "speaker"
        elif target.in_quote:
            continue  # a quotation by a speaker of no actor (an analyst): not an actor's voice
        else:
            source, kind = outlet, "outlet"
        dyads.append(Dyad(target.article_id, target.sent_idx, source, target.actor, target.label,
                          target.score, kind, tuple(target.evidence)))
    return dyads
