"""Evaluation of the targeted-stance methods on the annotated (sentence, actor) pairs.

Gold pairs come from ``data/annotations/targets``: the training files ``train*.jsonl`` and the
frozen test files ``test*.jsonl`` (written by other annotators, never used for tuning). Each
sentence is parsed and run through actor detection, quotation extraction and each method; an
actor of the gold labels that the detector missed is predicted ``neutral`` (the pipeline would
not score it at all), and the number of such misses is reported.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from analysis import config
from analysis.annotations import read_jsonl
from analysis.errors import BadInputError

LABELS = ["negative", "neutral", "positive"]
TARGETS_DIR = config.ANNOTATION_DIR / "targets"
METHODS = ("baseline", "lexicon", "model")


def load_split(split: str) -> list[dict[str, Any]]:
    """The annotated sentences of a split (``train`` or ``test``), in file and line order."""
    paths = sorted(TARGETS_DIR.glob(f"{split}*.jsonl"))
    if not paths:
        raise BadInputError(f"no annotated {split} files", path=TARGETS_DIR)
    return [row for path in paths for row in read_jsonl(path)]


@lru_cache(maxsize=4)
def parsed_split(split: str) -> tuple[tuple[dict[str, Any], Any, Any, Any], ...]:
    """Each sentence with its spaCy doc, mentions and quotes (cached per process)."""
    from analysis.actors import detect_mentions, load_registry
    from analysis.cleaning import clean_text
    from analysis.nlp import load_nlp
    from analysis.quotes import extract_quotes

    rows = load_split(split)
    nlp, registry = load_nlp(), load_registry()
    texts = [clean_text(row["text"]).text for row in rows]
    out = []
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=64), strict=True):
        mentions = detect_mentions(doc, article_id=row["id"], date=row.get("date"),
                                   registry=registry)
        quotes = extract_quotes(doc, article_id=row["id"], date=row.get("date"),
                                registry=registry, mentions=mentions)
        out.append((row, doc, tuple(mentions), tuple(quotes)))
    return tuple(out)


def predict_pairs(scorer: Any, parsed: tuple) -> tuple[list[str], list[str], int]:
    """Gold and predicted labels for every gold (sentence, actor) pair; and the misses."""
    gold, predicted, missed = [], [], 0
    for row, doc, mentions, quotes in parsed:
        targets = scorer.score_doc(doc, article_id=row["id"], date=row.get("date"),
                                   mentions=mentions, quotes=quotes)
        by_actor: dict[str, list[float]] = {}
        labels: dict[str, str] = {}
        for target in targets:
            by_actor.setdefault(target.actor, []).append(target.score)
            labels[target.actor] = target.label
        for actor, label in sorted(row["labels"].items()):
            gold.append(label)
            if actor in labels:
                predicted.append(labels[actor])
            else:
                predicted.append("neutral")
                missed += 1
    return gold, predicted, missed


def figures(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Macro-F1, per-class F1, accuracy and the confusion matrix."""
    per_class = f1_score(gold, predicted, labels=LABELS, average=None, zero_division=0)
    return {
        "macro_f1": float(f1_score(gold, predicted, labels=LABELS, average="macro",
                                   zero_division=0)),
        "f1": {label: float(v) for label, v in zip(LABELS, per_class, strict=True)},
        "accuracy": float(accuracy_score(gold, predicted)),
        "confusion": confusion_matrix(gold, predicted, labels=LABELS).tolist(),
        "pairs": len(gold),
    }


def evaluate(split: str = "test", methods: tuple[str, ...] = METHODS) -> dict[str, Any]:
    """Figures per method on ``split``; with ``test``, also cross-validated figures on train."""
    from analysis.stance import load_scorer
    from analysis.stance_model import cross_validate

    result: dict[str, Any] = {"split": split, "methods": {}}
    parsed = parsed_split(split)
    for method in methods:
        gold, predicted, missed = predict_pairs(load_scorer(method), parsed)
        result["methods"][method] = {**figures(gold, predicted), "actors_missed": missed}
    result["cross_validation_train"] = cross_validate(parsed_split("train"))
    return result


def format_report(result: dict[str, Any]) -> str:
    """The figures as a text table."""
    lines = [f"Targeted stance on the {result['split']} split "
             f"({next(iter(result['methods'].values()))['pairs']} (sentence, actor) pairs)",
             f"{'method':<10}{'macro-F1':>9}{'F1 neg':>8}{'F1 neu':>8}{'F1 pos':>8}"
             f"{'acc':>7}  confusion (rows gold neg/neu/pos, columns predicted)"]
    for method, fig in result["methods"].items():
        f1 = fig["f1"]
        lines.append(f"{method:<10}{fig['macro_f1']:>9.3f}{f1['negative']:>8.3f}"
                     f"{f1['neutral']:>8.3f}{f1['positive']:>8.3f}{fig['accuracy']:>7.3f}  "
                     f"{fig['confusion']}")
    cv = result.get("cross_validation_train") or {}
    if cv:
        lines.append(f"5-fold cross-validation on train ({cv['pairs']} pairs, seed "
                     f"{cv['seed']}), macro-F1 mean ± sd:")
        for method, values in cv["methods"].items():
            lines.append(f"  {method:<10}{np.mean(values):.3f} ± {np.std(values):.3f}")
    return "\n".join(lines)
