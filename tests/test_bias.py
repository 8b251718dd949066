"""Media-bias metrics on hand-made tables whose answers are known, and planted-bias validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.bias import (
    ALL,
    compute_comparisons,
    compute_metrics,
    dyad_matrix,
    holm,
    ratio_with_ci,
)

SENTENCE_COLUMNS = ["article_id", "sent_idx", "start", "end", "text", "n_tokens", "n_conflict",
                    "n_cooperation", "n_loaded", "subjectivity", "polarity_textblob"]
QUOTE_COLUMNS = ["article_id", "quote_idx", "start", "end", "text", "kind", "verb", "speaker",
                 "speaker_canonical", "speaker_actor", "sent_start", "sent_end"]
SCORES = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


def make_tables(targets: list[tuple[str, str, int, str, str]],
                quotes: list[tuple[str, str | None]] = (),
                dates: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Tables from (outlet, article_id, sent_idx, actor, label) target rows.

    Every target row also makes a mention and a 10-token sentence with one conflict word.
    """
    dates = dates or {}
    articles = sorted({(outlet, article) for outlet, article, *_ in targets})
    article_table = pd.DataFrame(
        [{"article_id": a, "outlet": o, "date": dates.get(a, "2022-03-01")} for o, a in articles])
    sentence_keys = sorted({(article, sent) for _, article, sent, _, _ in targets})
    sentences = pd.DataFrame(
        [[a, s, 0, 1, "x", 10, 1, 0, 0, 0.5, 0.0] for a, s in sentence_keys],
        columns=SENTENCE_COLUMNS)
    mentions = pd.DataFrame(
        [{"article_id": a, "sent_idx": s, "start": 0, "end": 1, "surface": "x", "actor": actor,
          "kind": "country", "match": "exact", "canonical": actor}
         for _, a, s, actor, _ in targets])
    target_table = pd.DataFrame(
        [{"article_id": a, "sent_idx": s, "actor": actor, "label": label,
          "score": SCORES[label], "method": "test", "evidence": [], "in_quote": False,
          "speaker_actor": None} for _, a, s, actor, label in targets])
    quote_table = pd.DataFrame(
        [[a, i, 0, 1, "q", "direct", "dire", "x", "x", speaker, 0, 1]
         for i, (a, speaker) in enumerate(quotes)], columns=QUOTE_COLUMNS)
    return {"articles": article_table, "sentences": sentences, "mentions": mentions,
            "targets": target_table, "quotes": quote_table,
            "dyads": pd.DataFrame(columns=["article_id", "sent_idx", "source", "target",
                                           "label", "score", "source_kind", "evidence"])}


def value(metrics: pd.DataFrame, outlet: str, actor: str, metric: str,
          period: str = "all") -> pd.Series:
    row = metrics[(metrics["outlet"] == outlet) & (metrics["actor"] == actor)
                  & (metrics["metric"] == metric) & (metrics["period"] == period)]
    assert len(row) == 1, (outlet, actor, metric, period)
    return row.iloc[0]


HAND = make_tables(
    [
        ("A", "a1", 0, "RUSSIA", "negative"),
        ("A", "a1", 1, "RUSSIA", "negative"),
        ("A", "a1", 1, "UKRAINE", "positive"),
        ("A", "a2", 0, "RUSSIA", "neutral"),
        ("B", "b1", 0, "UKRAINE", "neutral"),
        ("B", "b2", 0, "USA", "positive"),
    ],
    quotes=[("a1", "RUSSIA"), ("a1", None), ("a2", "UKRAINE"), ("b1", None)],
)


def test_hand_computed_values():
    metrics = compute_metrics(HAND, n_boot=200)
    assert value(metrics, "A", "RUSSIA", "attention_articles")["value"] == 1.0
    assert value(metrics, "A", "UKRAINE", "attention_articles")["value"] == 0.5
    assert value(metrics, ALL, "RUSSIA", "attention_articles")["value"] == 0.5
    # a1 has sentences 0, 1 (both mention RUSSIA), a2 has sentence 0: 3 of 3 sentences
    assert value(metrics, "A", "RUSSIA", "attention_sentences")["value"] == 1.0
    tone = value(metrics, "A", "RUSSIA", "tone_mean")
    assert tone["value"] == pytest.approx(-2 / 3) and tone["n"] == 2
    assert value(metrics, "A", "RUSSIA", "tone_negative_share")["value"] == pytest.approx(2 / 3)
    assert value(metrics, "A", "RUSSIA", "share_of_voice")["value"] == pytest.approx(1 / 3)
    other = value(metrics, ALL, "OTHER", "share_of_voice")
    assert other["value"] == pytest.approx(2 / 4) and other["n"] == 2
    # asymmetry RUSSIA − UKRAINE in A: −2/3 − 1
    assert value(metrics, "A", "RUSSIA-UKRAINE", "asymmetry")["value"] == pytest.approx(-5 / 3)
    assert value(metrics, "A", "RUSSIA", "framing_conflict_per_1000")["value"] == 100.0
    assert value(metrics, "A", "RUSSIA", "framing_conflict_share")["value"] == 1.0
    assert value(metrics, "A", "RUSSIA", "tone_mean", "2022-03")["value"] == pytest.approx(-2 / 3)
    assert list(metrics.columns) == ["outlet", "period", "actor", "metric", "value", "ci_low",
                                     "ci_high", "n"]


def test_same_input_same_output():
    first = compute_metrics(HAND, n_boot=300, random_state=3)
    second = compute_metrics(HAND, n_boot=300, random_state=3)
    pd.testing.assert_frame_equal(first, second)


def test_interval_contains_the_value_and_narrows_with_more_articles():
    rng = np.random.default_rng(1)
    small = rng.normal(0.2, 1, 20)
    large = rng.normal(0.2, 1, 2000)
    v1, lo1, hi1, _ = ratio_with_ci(small, np.ones(20), np.random.default_rng(0))
    v2, lo2, hi2, _ = ratio_with_ci(large, np.ones(2000), np.random.default_rng(0))
    assert lo1 <= v1 <= hi1 and lo2 <= v2 <= hi2
    assert hi2 - lo2 < (hi1 - lo1) / 4


def test_empty_groups_give_nan_not_errors():
    assert np.isnan(ratio_with_ci(np.array([]), np.array([]), np.random.default_rng(0))[0])
    empty = make_tables([("A", "a1", 0, "RUSSIA", "neutral")])
    empty["quotes"] = empty["quotes"].iloc[0:0]
    metrics = compute_metrics(empty, n_boot=50)
    assert np.isnan(value(metrics, "A", "OTHER", "share_of_voice")["value"])


def test_holm_adjustment():
    assert holm(np.array([0.01, 0.04, 0.03])).tolist() == pytest.approx([0.03, 0.06, 0.06])


def test_dyad_matrix():
    dyads = pd.DataFrame({"source": ["NATO", "NATO", "RUSSIA"], "target": ["RUSSIA"] * 2 + ["NATO"],
                          "label": ["negative", "neutral", "negative"],
                          "score": [-0.8, 0.0, -0.5]})
    matrix = dyad_matrix(dyads).set_index(["source", "target"])
    assert matrix.loc[("NATO", "RUSSIA"), "score_mean"] == pytest.approx(-0.4)
    assert matrix.loc[("NATO", "RUSSIA"), "n"] == 2
    assert matrix.loc[("NATO", "RUSSIA"), "negative_share"] == 0.5


# --- validation by planted bias -----------------------------------------------------------------

def planted_corpus(mixes: dict[str, dict[str, tuple[float, float, float]]], n_articles: int,
                   seed: int) -> dict[str, pd.DataFrame]:
    """Fictional outlets: each article has 3 sentences about each actor, labels drawn from the
    outlet's (negative, neutral, positive) mix for that actor."""
    rng = np.random.default_rng(seed)
    rows = []
    for outlet, actors in sorted(mixes.items()):
        for index in range(n_articles):
            article = f"{outlet}-{index}"
            for actor, mix in sorted(actors.items()):
                for sent in range(3):
                    label = str(rng.choice(list(SCORES), p=mix))
                    rows.append((outlet, article, sent, actor, label))
    return make_tables(rows)


BALANCED = {"RUSSIA": (0.35, 0.4, 0.25), "UKRAINE": (0.35, 0.4, 0.25)}
HARSH_ON_RUSSIA = {"RUSSIA": (0.7, 0.25, 0.05), "UKRAINE": (0.35, 0.4, 0.25)}


def test_planted_bias_is_recovered_and_none_is_invented():
    tables = planted_corpus({"A_harsh": HARSH_ON_RUSSIA, "B_balanced": BALANCED,
                             "C_balanced": BALANCED}, n_articles=60, seed=11)
    metrics = compute_metrics(tables, n_boot=500)
    asym_a = value(metrics, "A_harsh", "RUSSIA-UKRAINE", "asymmetry")
    assert asym_a["ci_high"] < 0  # harsher on Russia than on Ukraine, interval excludes 0
    comparisons = compute_comparisons(tables).set_index(["actor", "outlet_a", "outlet_b"])
    planted = comparisons.loc[("RUSSIA", "A_harsh", "B_balanced")]
    assert planted["significant"] and planted["diff"] < 0 and planted["effect_size"] < -0.5
    assert not comparisons.loc[("RUSSIA", "B_balanced", "C_balanced"), "significant"]
    assert not comparisons.xs("UKRAINE", level="actor")["significant"].any()


def test_null_replications_false_positive_rate_is_near_alpha():
    """With no planted difference, tests reject and intervals exclude 0 about 5% of the time."""
    false_positives = 0
    intervals_missing_zero = 0
    replications = 20
    for seed in range(replications):
        tables = planted_corpus({"B": BALANCED, "C": BALANCED}, n_articles=30, seed=100 + seed)
        comparisons = compute_comparisons(tables, random_state=seed, n_perm=500)
        row = comparisons[(comparisons["actor"] == "RUSSIA")].iloc[0]
        false_positives += row["p_value"] < 0.05
        asym = value(compute_metrics(tables, n_boot=300, random_state=seed), "B",
                     "RUSSIA-UKRAINE", "asymmetry")
        intervals_missing_zero += not asym["ci_low"] <= 0 <= asym["ci_high"]
    assert false_positives / replications <= 0.10
    assert intervals_missing_zero / replications <= 0.15
