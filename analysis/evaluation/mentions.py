"""Actor detection against ``data/annotations/mentions/{split}.jsonl``.

Each line holds ``{"id", "date", "register", "markup"}`` where every actor mention is written
``[[surface|ACTOR]]`` (see the folder's ``GUIDELINES.md``). Predictions come from
:func:`analysis.actors.mentions_for_text` on the plain text with the line's date. A predicted
and a gold mention match when their spans overlap and their actors are equal; pairs are taken
one to one, greedily in text order. Reported: precision, recall and F1 per actor and micro
overall, with counts, and per register; and, as a stricter figure, micro scores when spans must
be identical (the guidelines' span conventions: no determiner, a role phrase is one span, a
demonym alone otherwise).

Error listings are given for the dev split only: the test split is for figures, never tuning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from analysis.annotations import annotation_path, parse_markup, read_jsonl

#: Precision and recall each actor must reach on the test split.
TARGET = 0.95


@dataclass(frozen=True)
class Span:
    """A mention span with its actor, gold or predicted."""

    start: int
    end: int
    actor: str
    surface: str


def match_spans(gold: list[Span], predicted: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs (gold, predicted) with overlapping spans and equal actors.

    Greedy in text order: each predicted mention, by start, takes the first unmatched gold
    mention that overlaps it and has the same actor.
    """
    used: set[int] = set()
    pairs = []
    for pred in sorted(predicted, key=lambda s: (s.start, s.end, s.actor)):
        for index, item in enumerate(gold):
            if index in used or item.actor != pred.actor:
                continue
            if item.start < pred.end and pred.start < item.end:
                used.add(index)
                pairs.append((item, pred))
                break
    return pairs


def _scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def _context(text: str, span: Span, width: int = 60) -> str:
    left = text[max(span.start - width, 0) : span.start]
    right = text[span.end : span.end + width]
    return f"{left}[{text[span.start:span.end]}]{right}".replace("\n", " ")


def evaluate(split: str = "test") -> dict[str, Any]:
    """Precision, recall and F1 of actor detection on an annotated split."""
    from analysis.actors import load_registry, mentions_for_text

    path = annotation_path("mentions", split)
    registry = load_registry()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    by_register: dict[str, Counter[str]] = {}
    exact: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    rows = read_jsonl(path)
    for row in rows:
        text, gold_mentions = parse_markup(row["markup"])
        gold = [Span(g.start, g.end, g.actor, g.surface) for g in gold_mentions]
        predicted = [Span(m.start, m.end, m.actor, m.surface)
                     for m in mentions_for_text(text, date=row.get("date"), registry=registry)]
        pairs = match_spans(gold, predicted)
        gold_spans = Counter((g.start, g.end, g.actor) for g in gold)
        pred_spans = Counter((p.start, p.end, p.actor) for p in predicted)
        exact["tp"] += sum((gold_spans & pred_spans).values())
        exact["gold"] += len(gold)
        exact["predicted"] += len(predicted)
        matched_gold = {id(g) for g, _ in pairs}
        matched_pred = {id(p) for _, p in pairs}
        register = str(row.get("register") or "(none)")
        counts = by_register.setdefault(register, Counter())
        for g, _ in pairs:
            tp[g.actor] += 1
            counts["tp"] += 1
        for p in predicted:
            if id(p) not in matched_pred:
                fp[p.actor] += 1
                counts["fp"] += 1
                errors.append({"id": row.get("id"), "error": "FP", "actor": p.actor,
                               "surface": p.surface, "context": _context(text, p)})
        for g in gold:
            if id(g) not in matched_gold:
                fn[g.actor] += 1
                counts["fn"] += 1
                errors.append({"id": row.get("id"), "error": "FN", "actor": g.actor,
                               "surface": g.surface, "context": _context(text, g)})
    actors = sorted(set(tp) | set(fp) | set(fn))
    per_actor = {actor: _scores(tp[actor], fp[actor], fn[actor]) for actor in actors}
    micro = _scores(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    result: dict[str, Any] = {
        "split": split,
        "path": str(path),
        "n_texts": len(rows),
        "n_gold": micro["tp"] + micro["fn"],
        "n_predicted": micro["tp"] + micro["fp"],
        "per_actor": per_actor,
        "micro": micro,
        "per_register": {name: _scores(c["tp"], c["fp"], c["fn"])
                         for name, c in sorted(by_register.items())},
        "exact_spans": _scores(exact["tp"], exact["predicted"] - exact["tp"],
                               exact["gold"] - exact["tp"]),
        "target": TARGET,
        "meets_target": all(s["precision"] >= TARGET and s["recall"] >= TARGET
                            for s in per_actor.values()),
    }
    if split != "test":
        result["errors"] = sorted(errors, key=lambda e: (str(e["id"]), e["error"], e["surface"]))
    return result


def format_report(result: dict[str, Any]) -> str:
    """A readable table of the figures (and, off the test split, the errors)."""
    lines = [
        f"Actor mentions, {result['split']} split: {result['n_texts']} texts, "
        f"{result['n_gold']} gold mentions, {result['n_predicted']} predicted",
        "(match: overlapping spans with the same actor, one to one in text order)",
        "",
        f"{'actor':<12}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>5}{'fn':>5}"
        f"{'precision':>11}{'recall':>8}{'F1':>8}",
    ]

    def row(name: str, s: dict[str, Any]) -> str:
        return (f"{name:<12}{s['tp'] + s['fn']:>6}{s['tp'] + s['fp']:>6}{s['tp']:>6}{s['fp']:>5}"
                f"{s['fn']:>5}{s['precision']:>11.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}")

    for actor, scores in result["per_actor"].items():
        lines.append(row(actor, scores))
    lines.append(row("micro", result["micro"]))
    lines += ["", "by register:"]
    for name, scores in result["per_register"].items():
        lines.append(row(name, scores))
    lines += ["", "identical spans (stricter):", row("micro", result["exact_spans"])]
    verdict = "met" if result["meets_target"] else "NOT met"
    lines += ["", f"target: precision and recall >= {result['target']:.2f} for every actor: "
              f"{verdict}"]
    errors = result.get("errors")
    if errors is not None:
        lines += ["", f"errors ({len(errors)}):"]
        for error in errors:
            lines.append(f"  {error['id']}  {error['error']} {error['actor']:<8} "
                         f"{error['surface']!r}: …{error['context']}…")
    return "\n".join(lines)
