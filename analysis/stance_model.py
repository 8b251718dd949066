"""Supervised targeted stance: a logistic regression on target-aware features.

Features of a (sentence, actor) pair, built from the parse:

* lemmas in a window of ±8 tokens around each mention of the actor, the actor itself masked
  as ``<T>`` and other actors as ``<O>`` (so the model learns "accusé <T>" and not "Russie");
* the dependency relation of the actor's mention and the lemma of its governor
  (``dep=nsubj:pass``, ``gov=accuser``);
* the lexicon method's score for this actor and the count of its contributions of each sign.

``StanceModel`` follows scikit-learn conventions (``fit`` returns self, learned state ends in
``_``, randomness only through ``random_state``). The trained model is stored as plain JSON
(vocabulary, coefficients, intercepts): no pickle. :func:`load_model` trains it on the
annotated training files on first use (seconds) and caches it under ``data/processed/models``
keyed by a hash of the training data and this module.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from spacy.tokens import Doc

from analysis import config
from analysis.io import write_json
from analysis.stance import (
    LABELS,
    BaselineStance,
    LexiconStance,
    SentenceContext,
    Target,
    _lemma,
    _quote_status,
    label_for,
    sentence_contexts,
)

WINDOW = 8
MODEL_DIR = config.PROCESSED_DIR / "models"
CV_SEED = 0


def pair_features(context: SentenceContext, actor: str, lexicon: LexiconStance,
                  ) -> dict[str, float]:
    """Target-aware features of one (sentence, actor) pair (see the module docstring)."""
    features: dict[str, float] = {"bias": 1.0}
    heads = context.mention_tokens.get(actor, [])
    doc = context.span.doc
    for head in heads:
        token = doc[head]
        features[f"dep={token.dep_}"] = 1.0
        features[f"gov={_lemma(token.head)}"] = 1.0
        lo, hi = max(context.span.start, head - WINDOW), min(context.span.end, head + WINDOW + 1)
        for i in range(lo, hi):
            if doc[i].is_punct or doc[i].is_space:
                continue
            other = context.actor_of_token.get(i)
            word = "<T>" if other == actor else "<O>" if other else _lemma(doc[i])
            side = "L" if i < head else "R"
            features[f"w={word}"] = 1.0
            features[f"{side}={word}"] = 1.0
    contributions = lexicon.contributions(context).get(actor, [])
    total = sum(weight for weight, _, _ in contributions)
    features["lex_score"] = math.tanh(total)
    features["lex_neg"] = float(sum(1 for w, _, _ in contributions if w < 0))
    features["lex_pos"] = float(sum(1 for w, _, _ in contributions if w > 0))
    return features


class StanceModel:
    """Logistic regression on :func:`pair_features`."""

    method = "model"

    def __init__(self, C: float = 0.5, random_state: int = 0, threshold: float = 0.25) -> None:
        self.C = C
        self.random_state = random_state
        self.threshold = threshold
        self._lexicon = LexiconStance()

    def get_params(self) -> dict[str, Any]:
        return {"C": self.C, "random_state": self.random_state, "threshold": self.threshold}

    def fit(self, X: Sequence[dict[str, float]], y: Sequence[str]) -> StanceModel:
        self.vectorizer_ = DictVectorizer(sort=True)
        matrix = self.vectorizer_.fit_transform(X)
        self.classifier_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000,
                                              random_state=self.random_state)
        self.classifier_.fit(matrix, list(y))
        return self

    def predict_proba(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        return self.classifier_.predict_proba(self.vectorizer_.transform(X))

    def predict(self, X: Sequence[dict[str, float]]) -> list[str]:
        return [str(c) for c in self.classifier_.classes_[self.predict_proba(X).argmax(1)]]

    def explain(self, features: dict[str, float], label: str, top: int = 4) -> list[str]:
        """The features that pushed most toward ``label``, with their weights."""
        row = list(self.classifier_.classes_).index(label)
        weights = self.classifier_.coef_[row]
        scored = []
        for name, value in features.items():
            index = self.vectorizer_.vocabulary_.get(name)
            if index is not None and name != "bias":
                scored.append((weights[index] * value, name))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [f"{name} {weight:+.2f}" for weight, name in scored[:top] if weight > 0]

    def score_doc(self, doc: Doc, article_id: str = "", date: str | None = None,
                  mentions: Sequence[Any] = (), quotes: Sequence[Any] = ()) -> list[Target]:
        """Targets of every (sentence, actor) pair; score = P(positive) − P(negative)."""
        out = []
        classes = list(self.classifier_.classes_)
        for context in sentence_contexts(doc, mentions, quotes):
            actors = sorted(context.mention_tokens)
            if not actors:
                continue
            rows = [pair_features(context, actor, self._lexicon) for actor in actors]
            probabilities = self.predict_proba(rows)
            for actor, features, p in zip(actors, rows, probabilities, strict=True):
                score = round(float(p[classes.index("positive")] - p[classes.index("negative")]),
                              4)
                label = classes[int(p.argmax())]
                words = tuple(name.split("=", 1)[1] for name in self.explain(features, label)
                              if name.startswith(("w=", "L=", "R=")))
                in_quote, speaker = _quote_status(context, actor)
                out.append(Target(article_id, context.sent_idx, actor, label, score,
                                  self.method, tuple(w.split(" ")[0] for w in words), in_quote,
                                  speaker, tuple(self.explain(features, label))))
        return out

    def to_json(self) -> dict[str, Any]:
        """Plain arrays: the model's whole learned state."""
        return {"params": self.get_params(),
                "vocabulary": sorted(self.vectorizer_.vocabulary_.items(), key=lambda x: x[1]),
                "classes": [str(c) for c in self.classifier_.classes_],
                "coef": self.classifier_.coef_.tolist(),
                "intercept": self.classifier_.intercept_.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StanceModel:
        model = cls(**data["params"])
        model.vectorizer_ = DictVectorizer(sort=True)
        model.vectorizer_.vocabulary_ = {name: int(i) for name, i in data["vocabulary"]}
        model.vectorizer_.feature_names_ = [name for name, _ in data["vocabulary"]]
        classifier = LogisticRegression()
        classifier.classes_ = np.array(data["classes"])
        classifier.coef_ = np.array(data["coef"])
        classifier.intercept_ = np.array(data["intercept"])
        classifier.n_features_in_ = len(data["vocabulary"])
        model.classifier_ = classifier
        return model


def training_pairs(parsed: Sequence[tuple]) -> tuple[list[dict[str, float]], list[str], list[str]]:
    """Features, labels and sentence ids of the gold pairs whose actor was detected."""
    lexicon = LexiconStance()
    X, y, groups = [], [], []
    for row, doc, mentions, quotes in parsed:
        for context in sentence_contexts(doc, mentions, quotes):
            for actor, label in sorted(row["labels"].items()):
                if actor in context.mention_tokens:
                    X.append(pair_features(context, actor, lexicon))
                    y.append(label)
                    groups.append(row["id"])
    return X, y, groups


def _training_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update((config.LEXICON_DIR / "stance.yml").read_bytes())
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_model() -> StanceModel:
    """The model trained on ``data/annotations/targets/train*.jsonl`` (cached as JSON)."""
    from analysis.evaluation.targets import TARGETS_DIR, parsed_split

    paths = sorted(TARGETS_DIR.glob("train*.jsonl"))
    cache = MODEL_DIR / f"stance_model_{_training_hash(paths)}.json"
    if cache.exists():
        return StanceModel.from_json(json.loads(cache.read_text(encoding="utf-8")))
    X, y, _ = training_pairs(parsed_split("train"))
    model = StanceModel().fit(X, y)
    write_json(cache, model.to_json())
    return model


def cross_validate(parsed: Sequence[tuple], folds: int = 5) -> dict[str, Any]:
    """Macro-F1 of each method over ``folds`` folds of the training sentences (grouped by
    sentence, so no sentence is on both sides); the model is refitted on each fold."""
    from analysis.evaluation.targets import predict_pairs

    parsed = list(parsed)
    order = np.random.default_rng(CV_SEED).permutation(len(parsed))
    splitter = GroupKFold(n_splits=folds)
    groups = [parsed[i][0]["id"] for i in order]
    scores: dict[str, list[float]] = {"baseline": [], "lexicon": [], "model": []}
    pairs = 0
    for train_index, test_index in splitter.split(order, groups=groups):
        train = [parsed[order[i]] for i in train_index]
        test = [parsed[order[i]] for i in test_index]
        X, y, _ = training_pairs(train)
        model = StanceModel().fit(X, y)
        for name, scorer in (("baseline", BaselineStance()), ("lexicon", LexiconStance()),
                             ("model", model)):
            gold, predicted, _ = predict_pairs(scorer, test)
            scores[name].append(float(f1_score(gold, predicted, labels=list(LABELS),
                                               average="macro", zero_division=0)))
        pairs += len(gold)
    return {"seed": CV_SEED, "folds": folds, "pairs": pairs, "methods": scores}


__all__ = ["StanceModel", "cross_validate", "label_for", "load_model", "pair_features"]
