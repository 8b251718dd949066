"""Targeted stance: rules on French cases, the seed article, dyads, the model's safe format."""

from __future__ import annotations

import json

import pytest

from analysis.actors import detect_mentions, load_registry
from analysis.cleaning import clean_text
from analysis.dyads import build_dyads
from analysis.nlp import load_nlp
from analysis.quotes import extract_quotes
from analysis.stance import BaselineStance, LexiconStance, load_scorer, load_stance_lexicon

SEED_DATE = "2021-04-14"


def score(text: str, scorer=None, date: str = "2022-03-01"):
    doc = load_nlp()(clean_text(text).text)
    registry = load_registry()
    mentions = detect_mentions(doc, article_id="t", date=date, registry=registry)
    quotes = extract_quotes(doc, article_id="t", date=date, registry=registry, mentions=mentions)
    targets = (scorer or LexiconStance()).score_doc(doc, "t", date, mentions, quotes)
    return {(t.sent_idx, t.actor): t for t in targets}, quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La Russie est accusée de soutenir les séparatistes.", {"RUSSIA": "negative"}),
        ("Le Kremlin accuse l'OTAN de vouloir déployer des soldats.",
         {"NATO": "negative", "RUSSIA": "neutral"}),
        ("Moscou dénonce les menaces de l'Alliance atlantique.", {"NATO": "negative"}),
        ("Washington débloque une nouvelle aide militaire à l'Ukraine.",
         {"UKRAINE": "positive", "USA": "neutral"}),
        ("Des frappes russes ont visé Kiev.", {"RUSSIA": "negative"}),
        ("L'armée ukrainienne a repoussé l'offensive russe.",
         {"UKRAINE": "positive", "RUSSIA": "negative"}),
        ("La Russie doit arrêter ses provocations.", {"RUSSIA": "negative"}),
        ("Les États-Unis envoient des soldats en Allemagne.", {"USA": "neutral"}),
        ("Kiev propose un cessez-le-feu à Moscou.", {"UKRAINE": "positive"}),
        ("La Russie ne menace pas l'Ukraine, assure le Kremlin.", {"UKRAINE": "neutral"}),
    ],
)
def test_lexicon_rules(text, expected):
    targets, _ = score(text)
    got = {actor: target.label for (_, actor), target in targets.items()}
    for actor, label in expected.items():
        assert got.get(actor) == label, (text, got, [t.rules for t in targets.values()])


def test_scores_in_range_and_evidence_from_the_sentence():
    text = "La concentration militaire de la Russie est injustifiée et profondément inquiétante."
    targets, _ = score(text)
    target = targets[(0, "RUSSIA")]
    assert -1 <= target.score <= -0.25
    assert {"injustifiée", "inquiétante"} <= set(target.evidence)
    assert all(word in text for word in target.evidence)
    assert any("profondément" in rule for rule in target.rules)


def test_baseline_gives_one_score_to_every_actor():
    targets, _ = score("La Russie accuse l'Ukraine de provocations inacceptables.",
                       BaselineStance())
    labels = {t.label for t in targets.values()}
    scores = {t.score for t in targets.values()}
    assert len(targets) == 2 and len(labels) == 1 and len(scores) == 1


@pytest.fixture(scope="module")
def seed_scored(seed_article):
    doc = load_nlp()(seed_article.text)
    registry = load_registry()
    mentions = detect_mentions(doc, article_id="seed", date=SEED_DATE, registry=registry)
    quotes = extract_quotes(doc, article_id="seed", date=SEED_DATE, registry=registry,
                            mentions=mentions)
    targets = load_scorer().score_doc(doc, "seed", SEED_DATE, mentions, quotes)
    sentences = [s.text for s in doc.sents if s.text.strip()]
    return targets, quotes, sentences


def _target(seed_scored, fragment: str, actor: str):
    targets, _, sentences = seed_scored
    index = next(i for i, s in enumerate(sentences) if fragment in s)
    return next(t for t in targets if t.sent_idx == index and t.actor == actor)


@pytest.mark.parametrize(
    ("fragment", "actor", "label"),
    [
        ("concentration militaire considérable", "RUSSIA", "negative"),  # Stoltenberg's quote
        ("menaces de l'Alliance", "NATO", "negative"),  # Choïgou
        ("également accusée de soutenir militairement", "RUSSIA", "negative"),
        ("engagement indéfectible", "UKRAINE", "positive"),  # Biden
        ("envoient encore XNUMX soldats", "USA", "neutral"),
        ("provocantes", "RUSSIA", "negative"),  # Blinken about Moscow
    ],
)
def test_seed_article_sentences(seed_scored, fragment, actor, label):
    target = _target(seed_scored, fragment, actor)
    assert target.label == label, target.rules
    assert target.label == "neutral" or target.evidence


def test_seed_article_dyads(seed_scored):
    targets, quotes, _ = seed_scored
    dyads = build_dyads(targets, quotes, "seed")
    speaker = {(d.source, d.target): d.label for d in dyads if d.source_kind == "speaker"
               and d.label != "neutral"}
    assert speaker.get(("NATO", "RUSSIA")) == "negative"
    assert speaker.get(("RUSSIA", "NATO")) == "negative"
    assert speaker.get(("USA", "UKRAINE")) == "positive"
    assert speaker.get(("USA", "RUSSIA")) == "negative"
    outlet = [d for d in dyads if d.source_kind == "outlet"]
    assert outlet and all(d.source == "seed" for d in outlet)


def test_lexicon_schema():
    lexicon = load_stance_lexicon()
    assert len(lexicon.entries) > 250
    assert all(0 < entry.weight <= 1 for entry in lexicon.entries.values())
    assert {"pas", "jamais"} <= lexicon.negators


def test_model_round_trips_through_plain_json(tmp_path):
    from analysis.stance_model import PairFeatures, StanceModel

    X = [PairFeatures({"w=menace": 1.0, "lex_score": -0.8}, {"context": ("menace",)}),
         PairFeatures({"w=soutien": 1.0, "lex_score": 0.7}, {"context": ("soutien",)}),
         PairFeatures({"w=réunion": 1.0, "lex_score": 0.0}, {"context": ("réunion",)})] * 4
    y = ["negative", "positive", "neutral"] * 4
    model = StanceModel().fit(X, y)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = StanceModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    assert loaded.predict(X) == model.predict(X) == y
    again = StanceModel().fit(X, y)
    assert again.to_json() == model.to_json()  # deterministic training


def test_model_explains_vector_slots_by_their_words():
    from analysis.stance_model import PairFeatures, StanceModel

    X = [PairFeatures({"bias": 1.0}, {"context": ("bombarder", "détruire")}),
         PairFeatures({"bias": 1.0}, {"context": ("aider", "soutenir")}),
         PairFeatures({"bias": 1.0}, {"context": ("réunion", "mardi")})] * 4
    y = ["negative", "positive", "neutral"] * 4
    model = StanceModel(C=10.0).fit(X, y)
    assert model.predict(X) == y  # only the word vectors separate the classes
    pushes = dict((name, weight) for weight, name in model.contributions(X[0], "negative"))
    assert pushes["context~bombarder"] > 0 and pushes["context~détruire"] > 0


def test_nominal_sentence_with_possessive_terminates():
    """A possessive under a noun with no verb above it (a headline) once looped forever."""
    scorer = LexiconStance()
    nlp = load_nlp()
    doc = nlp("Ses provocations contre l'Ukraine, une menace pour l'Europe.")
    mentions = detect_mentions(doc, article_id="h", date="2022-01-01", registry=load_registry())
    targets = scorer.score_doc(doc, "h", "2022-01-01", mentions)
    assert [t.actor for t in targets] == ["UKRAINE"]


@pytest.mark.parametrize("labels", [["negative", "positive", "neutral"], ["negative", "neutral"]])
def test_fast_path_equals_scikit_learn_probabilities(labels):
    import numpy as np

    from analysis.stance_model import PairFeatures, StanceModel

    words = [("bombarder",), ("aider", "saluer"), ("réunion",)]
    X = [PairFeatures({f"w={w[0]}": 1.0, "lex_score": 0.3 * k, "actors": 2.0},
                      {"context": w, "sentence": ("mardi", *w)})
         for k, w in enumerate(words[: len(labels)])] * 3
    y = labels * 3
    model = StanceModel().fit(X, y)
    probe = [*X, PairFeatures({"w=inconnu": 1.0}, {"context": ("inconnu",)})]
    np.testing.assert_allclose(model.fast_proba(probe), model.predict_proba(probe), atol=1e-9)
