"""Media-bias metrics per outlet, period and actor, with honest uncertainty.

Every metric is a **ratio of sums over articles**: for each article *a* of a group (an outlet,
or all outlets ``(all)``; a period, or ``all``) the stage tables give a numerator ``x_a`` and a
denominator ``d_a``, and the metric is ``Σ x_a / Σ d_a`` over the articles with ``d_a > 0``.
Its 95% interval is a percentile bootstrap that resamples **articles** (not sentences: sentences
of one article are not independent), ``n_boot`` times, with a seed derived from ``random_state``
and the group's names, so every number is reproducible and independent of computation order.
``n`` is the number of articles with ``d_a > 0`` (of quotations, for ``share_of_voice``).

=============================== ============================================================
metric                          ``x_a`` / ``d_a`` (per article)
=============================== ============================================================
``attention_articles``          1 if the article mentions the actor / 1
``attention_sentences``         sentences mentioning the actor / sentences
``share_of_voice``              quotations whose speaker belongs to the actor / quotations
``tone_mean``                   sum of the targeted scores toward the actor / their count
``tone_{negative,neutral,       (sentence, actor) pairs with that label / all pairs of the
positive}_share``               actor
``framing_conflict_per_1000``   1000 × conflict words / tokens, in sentences mentioning the
                                actor (``framing_cooperation_per_1000`` likewise)
``framing_conflict_share``      conflict words / (conflict + cooperation words), same
                                sentences
``subjectivity_mean``           sum of textblob-fr subjectivity / number of those sentences
``loaded_per_1000``             1000 × loaded words / tokens, same sentences
``asymmetry``                   ``tone_mean(A) − tone_mean(B)`` in the same group, bootstrap
                                over the group's articles (actor ``A-B``)
=============================== ============================================================

:func:`compute_comparisons` tests differences between outlets with a permutation test over
articles, reports Cohen's d on article-level means and a Holm correction across all tests.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

ALL = "(all)"
UNKNOWN_OUTLET = "(unknown outlet)"
OTHER = "OTHER"
LABELS = ("negative", "neutral", "positive")
DEFAULT_PAIRS = (("RUSSIA", "UKRAINE"), ("USA", "RUSSIA"))
METRIC_COLUMNS = ["outlet", "period", "actor", "metric", "value", "ci_low", "ci_high", "n"]
COMPARISON_COLUMNS = ["metric", "actor", "outlet_a", "outlet_b", "diff", "p_value", "p_holm",
                      "effect_size", "effect_size_kind", "n_a", "n_b", "significant"]


def _rng(random_state: int, *names: str) -> np.random.Generator:
    key = zlib.crc32("\x1f".join(names).encode("utf-8"))
    return np.random.default_rng([random_state, key])


def ratio_with_ci(numerators: np.ndarray, denominators: np.ndarray, rng: np.random.Generator,
                  n_boot: int = 1000) -> tuple[float, float, float, int]:
    """``Σx/Σd`` over units with ``d > 0``, and a 95% percentile bootstrap over those units."""
    keep = denominators > 0
    x, d = numerators[keep].astype(float), denominators[keep].astype(float)
    n = int(keep.sum())
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    value = x.sum() / d.sum()
    if n == 1 or n_boot <= 0:
        return float(value), float("nan"), float("nan"), n
    draws = rng.integers(0, n, size=(n_boot, n))
    boot = x[draws].sum(axis=1) / d[draws].sum(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(value), float(low), float(high), n


def _period(dates: pd.Series, freq: str) -> pd.Series:
    parsed = pd.to_datetime(dates, errors="coerce", format="%Y-%m-%d")
    if freq == "W":
        iso = parsed.dt.isocalendar()
        text = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
        return text.where(parsed.notna(), None)
    return parsed.dt.strftime("%Y-%m").where(parsed.notna(), None)


def article_features(tables: dict[str, pd.DataFrame], actors: Iterable[str]) -> pd.DataFrame:
    """One row per article with every per-article numerator and denominator, per actor."""
    articles = tables["articles"][["article_id", "outlet", "date"]].copy()
    articles["outlet"] = articles["outlet"].fillna(UNKNOWN_OUTLET)
    features = articles.set_index("article_id")
    sentences = tables["sentences"]
    features["n_sentences"] = sentences.groupby("article_id").size()
    mentions = tables["mentions"][["article_id", "sent_idx", "actor"]].drop_duplicates()
    targets = tables["targets"]
    quotes = tables["quotes"]
    features["n_quotes"] = quotes.groupby("article_id").size()
    frame_columns = ["n_tokens", "n_conflict", "n_cooperation", "n_loaded", "subjectivity"]
    for actor in actors:
        sent_keys = mentions[mentions["actor"] == actor][["article_id", "sent_idx"]]
        features[f"{actor}:mentions"] = sent_keys.groupby("article_id").size()
        with_frames = sent_keys.merge(sentences[["article_id", "sent_idx", *frame_columns]],
                                      on=["article_id", "sent_idx"])
        sums = with_frames.groupby("article_id")[frame_columns].sum()
        for column in frame_columns:
            features[f"{actor}:{column}"] = sums[column]
        rows = targets[targets["actor"] == actor]
        grouped = rows.groupby("article_id")
        features[f"{actor}:score_sum"] = grouped["score"].sum()
        features[f"{actor}:pairs"] = grouped.size()
        for label in LABELS:
            features[f"{actor}:{label}"] = rows[rows["label"] == label].groupby("article_id").size()
        speaker = quotes["speaker_actor"].fillna(OTHER)
        features[f"{actor}:quotes"] = quotes[speaker == actor].groupby("article_id").size()
    features[f"{OTHER}:quotes"] = quotes[quotes["speaker_actor"].isna()].groupby(
        "article_id").size()
    numeric = features.columns.difference(["outlet", "date"])
    features[numeric] = features[numeric].fillna(0)
    return features.reset_index()


def _metric_arrays(group: pd.DataFrame, actor: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    def col(name: str) -> np.ndarray:
        return group[f"{actor}:{name}"].to_numpy(dtype=float) if f"{actor}:{name}" in group \
            else np.zeros(len(group))

    ones = np.ones(len(group))
    tokens = col("n_tokens")
    arrays = {
        "attention_articles": ((col("mentions") > 0).astype(float), ones),
        "attention_sentences": (col("mentions"), group["n_sentences"].to_numpy(dtype=float)),
        "share_of_voice": (col("quotes"), group["n_quotes"].to_numpy(dtype=float)),
        "tone_mean": (col("score_sum"), col("pairs")),
        "framing_conflict_per_1000": (1000 * col("n_conflict"), tokens),
        "framing_cooperation_per_1000": (1000 * col("n_cooperation"), tokens),
        "framing_conflict_share": (col("n_conflict"), col("n_conflict") + col("n_cooperation")),
        "subjectivity_mean": (col("subjectivity"), col("mentions")),
        "loaded_per_1000": (1000 * col("n_loaded"), tokens),
    }
    for label in LABELS:
        arrays[f"tone_{label}_share"] = (col(label), col("pairs"))
    return arrays


def _groups(features: pd.DataFrame, freq: str) -> Iterable[tuple[str, str, pd.DataFrame]]:
    features = features.assign(period=_period(features["date"], freq))
    outlets = sorted(features["outlet"].unique())
    for outlet in [ALL, *outlets]:
        scope = features if outlet == ALL else features[features["outlet"] == outlet]
        yield outlet, "all", scope
        for period in sorted(scope["period"].dropna().unique()):
            yield outlet, period, scope[scope["period"] == period]


def _actors(tables: dict[str, pd.DataFrame]) -> list[str]:
    found = set(tables["mentions"]["actor"]) | set(tables["targets"]["actor"])
    found |= set(tables["quotes"]["speaker_actor"].dropna())
    return sorted(found)


def compute_metrics(tables: dict[str, pd.DataFrame], freq: str = "M", random_state: int = 0,
                    n_boot: int = 1000,
                    pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS) -> pd.DataFrame:
    """The tidy metrics table: one row per outlet × period × actor × metric (see module doc)."""
    actors = _actors(tables)
    features = article_features(tables, actors)
    rows = []
    for outlet, period, group in _groups(features, freq):
        for actor in [*actors, OTHER]:
            arrays = _metric_arrays(group, actor)
            names = ["share_of_voice"] if actor == OTHER else sorted(arrays)
            for metric in names:
                numerator, denominator = arrays[metric]
                rng = _rng(random_state, outlet, period, actor, metric)
                value, low, high, n = ratio_with_ci(numerator, denominator, rng, n_boot)
                if metric == "share_of_voice":
                    n = int(numerator.sum())
                if n == 0 and metric != "share_of_voice":
                    continue
                rows.append((outlet, period, actor, metric, value, low, high, n))
        for first, second in pairs:
            if first in actors and second in actors:
                rows.append((outlet, period, f"{first}-{second}", "asymmetry",
                             *_asymmetry(group, first, second,
                                         _rng(random_state, outlet, period, first, second),
                                         n_boot)))
    metrics = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    metrics["n"] = metrics["n"].astype("int64")
    return metrics.sort_values(["outlet", "period", "actor", "metric"]).reset_index(drop=True)


def _asymmetry(group: pd.DataFrame, first: str, second: str, rng: np.random.Generator,
               n_boot: int) -> tuple[float, float, float, int]:
    s1, n1 = group[f"{first}:score_sum"].to_numpy(float), group[f"{first}:pairs"].to_numpy(float)
    s2, n2 = group[f"{second}:score_sum"].to_numpy(float), group[f"{second}:pairs"].to_numpy(
        float)
    keep = (n1 + n2) > 0
    s1, n1, s2, n2 = s1[keep], n1[keep], s2[keep], n2[keep]
    n = int(keep.sum())
    if n1.sum() == 0 or n2.sum() == 0:
        return float("nan"), float("nan"), float("nan"), n
    value = s1.sum() / n1.sum() - s2.sum() / n2.sum()
    if n < 2 or n_boot <= 0:
        return float(value), float("nan"), float("nan"), n
    draws = rng.integers(0, n, size=(n_boot, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = s1[draws].sum(1) / n1[draws].sum(1) - s2[draws].sum(1) / n2[draws].sum(1)
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return float(value), float("nan"), float("nan"), n
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(value), float(low), float(high), n


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (step-down, monotone, capped at 1)."""
    p_values = np.asarray(p_values, dtype=float)
    order = np.argsort(p_values, kind="stable")
    m = len(p_values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, (m - rank) * p_values[index])
        adjusted[index] = min(1.0, running)
    return adjusted


def permutation_test(s_a: np.ndarray, n_a: np.ndarray, s_b: np.ndarray, n_b: np.ndarray,
                     rng: np.random.Generator, n_perm: int = 2000) -> tuple[float, float]:
    """Difference of ratio means (A − B) and its two-sided permutation p-value over articles.

    Articles (with their score sums and counts) are shuffled between the two outlets;
    ``p = (1 + #{|perm| ≥ |observed|}) / (1 + n_perm)``.
    """
    observed = s_a.sum() / n_a.sum() - s_b.sum() / n_b.sum()
    sums, counts = np.concatenate([s_a, s_b]), np.concatenate([n_a, n_b])
    k = len(s_a)
    keys = rng.random((n_perm, len(sums)))
    perms = np.argsort(keys, axis=1)
    in_a = perms[:, :k]
    in_b = perms[:, k:]
    with np.errstate(invalid="ignore", divide="ignore"):
        diffs = sums[in_a].sum(1) / counts[in_a].sum(1) - sums[in_b].sum(1) / counts[in_b].sum(1)
    extreme = np.sum(np.abs(diffs[np.isfinite(diffs)]) >= abs(observed) - 1e-12)
    return float(observed), float((1 + extreme) / (1 + n_perm))


def cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's d with the pooled standard deviation (NaN when undefined)."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1))
                     / (len(a) + len(b) - 2))
    return float((a.mean() - b.mean()) / pooled) if pooled > 0 else float("nan")


def compute_comparisons(tables: dict[str, pd.DataFrame], random_state: int = 0,
                        n_perm: int = 2000, alpha: float = 0.05,
                        min_articles: int = 2) -> pd.DataFrame:
    """Tone toward each actor compared between every pair of outlets.

    For outlets A and B and an actor, ``diff`` is ``tone_mean`` in A minus in B (ratio of sums
    over articles), ``p_value`` a permutation test over articles, ``p_holm`` the Holm-adjusted
    p-value over all rows, ``effect_size`` Cohen's d on the article-level mean scores, and
    ``significant`` is ``p_holm < alpha``. Pairs with fewer than ``min_articles`` scored
    articles on either side are left out.
    """
    actors = _actors(tables)
    features = article_features(tables, actors)
    outlets = sorted(features["outlet"].unique())
    rows = []
    for actor in actors:
        s, n = features[f"{actor}:score_sum"], features[f"{actor}:pairs"]
        for i, outlet_a in enumerate(outlets):
            for outlet_b in outlets[i + 1 :]:
                in_a = (features["outlet"] == outlet_a) & (n > 0)
                in_b = (features["outlet"] == outlet_b) & (n > 0)
                if in_a.sum() < min_articles or in_b.sum() < min_articles:
                    continue
                rng = _rng(random_state, "compare", actor, outlet_a, outlet_b)
                diff, p_value = permutation_test(s[in_a].to_numpy(float), n[in_a].to_numpy(float),
                                                 s[in_b].to_numpy(float), n[in_b].to_numpy(float),
                                                 rng, n_perm)
                effect = cohens_d((s[in_a] / n[in_a]).to_numpy(float),
                                  (s[in_b] / n[in_b]).to_numpy(float))
                rows.append(["tone_mean", actor, outlet_a, outlet_b, diff, p_value, np.nan,
                             effect, "cohen_d", int(in_a.sum()), int(in_b.sum()), False])
    comparisons = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    if len(comparisons):
        comparisons["p_holm"] = holm(comparisons["p_value"].to_numpy())
        comparisons["significant"] = comparisons["p_holm"] < alpha
    comparisons["significant"] = comparisons["significant"].astype(bool)
    return comparisons.reset_index(drop=True)


def dyad_matrix(dyads: pd.DataFrame) -> pd.DataFrame:
    """Source → target: mean score, label shares and number of (sentence, target) pairs."""
    if dyads.empty:
        return pd.DataFrame(columns=["source", "target", "score_mean", "negative_share",
                                     "neutral_share", "positive_share", "n"])
    grouped = dyads.groupby(["source", "target"], sort=True)
    matrix = grouped["score"].mean().rename("score_mean").to_frame()
    for label in LABELS:
        matrix[f"{label}_share"] = grouped["label"].apply(lambda s, lab=label: (s == lab).mean())
    matrix["n"] = grouped.size()
    return matrix.reset_index()


def time_series(metrics: pd.DataFrame, metric: str = "tone_mean",
                outlet: str = ALL) -> pd.DataFrame:
    """The per-period rows of one metric for one outlet (default: all outlets)."""
    rows = metrics[(metrics["metric"] == metric) & (metrics["outlet"] == outlet)
                   & (metrics["period"] != "all")]
    return rows.sort_values(["actor", "period"]).reset_index(drop=True)
