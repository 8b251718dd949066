"""Quote extraction against ``data/annotations/quotes/{split}.jsonl``.

Each line holds ``{"id", "date", "register", "text", "quotes": [{"quote", "occurrence", "kind",
"verb", "speaker", "speaker_actor"}]}``, the gold quote given as its ``occurrence``-th exact
substring of ``text``. A predicted and a gold quote match when their character overlap is at
least half the longer of the two; pairs are matched one to one, greedily by overlap. Reported:
span precision, recall and F1 (overall and per kind, matching across kinds), kind accuracy and
speaker-actor accuracy over matched quotes (a gold ``null`` actor must be predicted ``null``).

Error listings are printed for the dev split only: the test split is for figures, never tuning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from analysis.annotations import annotation_path, read_jsonl
from analysis.errors import BadInputError
from analysis.quotes import KINDS

MIN_OVERLAP = 0.5
TARGET_F1 = 0.85
TARGET_SPEAKER = 0.85


@dataclass(frozen=True)
class Span:
    """A quote span, gold or predicted, with its labels."""

    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_actor: str | None
    verb: str | None = None


def gold_spans(row: dict[str, Any], path: object = None) -> list[Span]:
    """Gold spans of one annotated line; a quote that is not in the text raises."""
    text = row["text"]
    spans = []
    for item in row.get("quotes", []):
        quote = item["quote"]
        occurrence = int(item.get("occurrence", 1))
        position = -1
        for _ in range(occurrence):
            position = text.find(quote, position + 1)
            if position < 0:
                raise BadInputError(
                    f"gold quote {quote[:40]!r} (occurrence {occurrence}) not in text of "
                    f"{row.get('id')!r}",
                    path=path,
                )
        kind = item.get("kind", "direct")
        if kind not in KINDS:
            raise BadInputError(f"unknown kind {kind!r} in {row.get('id')!r}", path=path)
        spans.append(
            Span(position, position + len(quote), kind, item.get("speaker"),
                 item.get("speaker_actor"), item.get("verb"))
        )
    return spans


def predicted_spans(row: dict[str, Any], nlp: Any, registry: Any) -> list[Span]:
    """Predictions on one line's text, with offsets in that (original) text."""
    from analysis.cleaning import clean_text
    from analysis.quotes import extract_quotes

    clean = clean_text(row["text"])
    doc = nlp(clean.text)
    spans = []
    for quote in extract_quotes(doc, article_id=str(row.get("id", "")), date=row.get("date"),
                                registry=registry):
        start, end = clean.original_span(quote.start, quote.end)
        spans.append(Span(start, end, quote.kind, quote.speaker, quote.speaker_actor, quote.verb))
    return spans


def match(gold: list[Span], predicted: list[Span]) -> list[tuple[int, int]]:
    """One-to-one ``(gold_index, predicted_index)`` pairs, greedy by character overlap."""
    candidates = []
    for g, gs in enumerate(gold):
        for p, ps in enumerate(predicted):
            overlap = min(gs.end, ps.end) - max(gs.start, ps.start)
            longer = max(gs.end - gs.start, ps.end - ps.start, 1)
            if overlap >= MIN_OVERLAP * longer:
                candidates.append((-overlap, g, p))
    pairs = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, g, p in sorted(candidates):
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        pairs.append((g, p))
    return sorted(pairs)


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": n_gold,
            "n_pred": n_pred}


def evaluate(split: str = "test") -> dict[str, Any]:
    """Span P/R/F1 and speaker-actor accuracy of :func:`analysis.quotes.extract_quotes`."""
    from analysis.actors import load_registry
    from analysis.nlp import load_nlp

    path = annotation_path("quotes", split)
    rows = read_jsonl(path)
    nlp = load_nlp()
    registry = load_registry()
    n_gold = n_pred = n_matched = 0
    gold_kinds: Counter[str] = Counter()
    pred_kinds: Counter[str] = Counter()
    matched_gold_kinds: Counter[str] = Counter()
    matched_pred_kinds: Counter[str] = Counter()
    kind_correct = actor_correct = 0
    errors: list[dict[str, Any]] = []
    for row in rows:
        text = row["text"]
        gold = gold_spans(row, path)
        predicted = predicted_spans(row, nlp, registry)
        pairs = match(gold, predicted)
        n_gold += len(gold)
        n_pred += len(predicted)
        n_matched += len(pairs)
        gold_kinds.update(g.kind for g in gold)
        pred_kinds.update(p.kind for p in predicted)
        for g, p in pairs:
            gs, ps = gold[g], predicted[p]
            matched_gold_kinds[gs.kind] += 1
            matched_pred_kinds[ps.kind] += 1
            kind_correct += gs.kind == ps.kind
            actor_correct += gs.speaker_actor == ps.speaker_actor
            if gs.speaker_actor != ps.speaker_actor:
                errors.append(_error("wrong actor", row, text, gs, ps))
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        errors.extend(_error("missed", row, text, gs, None)
                      for g, gs in enumerate(gold) if g not in matched_g)
        errors.extend(_error("spurious", row, text, None, ps)
                      for p, ps in enumerate(predicted) if p not in matched_p)
    result: dict[str, Any] = {
        "split": split,
        "texts": len(rows),
        "spans": _prf(n_matched, n_pred, n_matched, n_gold),
        "per_kind": {
            kind: _prf(matched_pred_kinds[kind], pred_kinds[kind], matched_gold_kinds[kind],
                       gold_kinds[kind])
            for kind in KINDS
        },
        "kind_accuracy": kind_correct / n_matched if n_matched else 0.0,
        "speaker_actor_accuracy": actor_correct / n_matched if n_matched else 0.0,
        "matched": n_matched,
        "targets": {"span_f1": TARGET_F1, "speaker_actor_accuracy": TARGET_SPEAKER},
    }
    if split != "test":
        result["errors"] = errors
    return result


def _error(what: str, row: dict[str, Any], text: str, gold: Span | None, pred: Span | None
           ) -> dict[str, Any]:
    out: dict[str, Any] = {"error": what, "id": row.get("id")}
    if gold is not None:
        out["gold"] = {"text": text[gold.start : gold.end], "kind": gold.kind,
                       "speaker": gold.speaker, "actor": gold.speaker_actor}
    if pred is not None:
        out["pred"] = {"text": text[pred.start : pred.end], "kind": pred.kind, "verb": pred.verb,
                       "speaker": pred.speaker, "actor": pred.speaker_actor}
    return out


def format_report(result: dict[str, Any]) -> str:
    """Figures as text; the error listing too when the result has one (dev split)."""
    spans = result["spans"]
    lines = [
        f"quotes, {result['split']} split: {result['texts']} texts, {spans['n_gold']} gold "
        f"quotes, {spans['n_pred']} predicted, {result['matched']} matched "
        f"(overlap >= {MIN_OVERLAP:.0%} of the longer span)",
        f"  span   precision {spans['precision']:.3f}  recall {spans['recall']:.3f}  "
        f"F1 {spans['f1']:.3f}   (target >= {TARGET_F1})",
    ]
    for kind, figures in result["per_kind"].items():
        lines.append(
            f"  {kind:8} precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
            f"F1 {figures['f1']:.3f}   (gold {figures['n_gold']}, predicted {figures['n_pred']})"
        )
    lines.append(f"  kind accuracy on matched quotes: {result['kind_accuracy']:.3f}")
    lines.append(
        f"  speaker-actor accuracy on matched quotes: {result['speaker_actor_accuracy']:.3f}"
        f"   (target >= {TARGET_SPEAKER})"
    )
    for error in result.get("errors", []):
        lines.append(_format_error(error))
    return "\n".join(lines)


def _format_error(error: dict[str, Any]) -> str:
    parts = [f"- {error['error']} [{error['id']}]"]
    if "gold" in error:
        g = error["gold"]
        parts.append(f"    gold {g['kind']}: {g['text']!r} — {g['speaker']!r} → {g['actor']}")
    if "pred" in error:
        p = error["pred"]
        parts.append(
            f"    pred {p['kind']} ({p['verb']}): {p['text']!r} — {p['speaker']!r} → {p['actor']}"
        )
    return "\n".join(parts)
