"""Charts: the only module that draws. Each function takes a tidy table, returns a Figure.

Conventions kept by every chart: one fixed colour per actor (:func:`actor_color`), actor labels
in French and English, uncertainty always shown (95% bootstrap intervals as error bars or bands),
and a caption under the axes that says what is measured and on how many articles.
:func:`save_figure` writes PNG and SVG to ``reports/figures`` reproducibly.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from analysis import config

ACTOR_COLORS = {
    "USA": "#1f5fa8",
    "RUSSIA": "#c0392b",
    "UKRAINE": "#e0a800",
    "NATO": "#16a085",
    "OTHER": "#8c8c8c",
}
ACTOR_LABELS = {
    "USA": "États-Unis / USA",
    "RUSSIA": "Russie / Russia",
    "UKRAINE": "Ukraine",
    "NATO": "OTAN / NATO",
    "OTHER": "autres / others",
}
LABEL_COLORS = {"negative": "#c0392b", "neutral": "#b0b0b0", "positive": "#2e8b57"}
_EXTRA_PALETTE = sns.color_palette("tab10").as_hex()


def actor_color(actor: str) -> str:
    """The fixed colour of an actor; user-added actors get a stable colour from their id."""
    if actor in ACTOR_COLORS:
        return ACTOR_COLORS[actor]
    if "-" in actor:  # a pair such as RUSSIA-UKRAINE takes its first actor's colour
        return actor_color(actor.split("-")[0])
    return _EXTRA_PALETTE[sum(map(ord, actor)) % len(_EXTRA_PALETTE)]


def actor_label(actor: str) -> str:
    """Readable French / English label of an actor id."""
    if "-" in actor and actor not in ACTOR_LABELS:
        first, second = actor.split("-", 1)
        return f"{actor_label(first)} − {actor_label(second)}"
    return ACTOR_LABELS.get(actor, actor.title())


def _caption(fig: Figure, text: str) -> None:
    """A caption under the axes, about 0.8 inch tall whatever the figure's height."""
    height = fig.get_figheight()
    fig.subplots_adjust(bottom=min(0.4, 1.3 / height))
    fig.text(0.01, 0.1 / height, text, ha="left", va="bottom", fontsize=8, color="#444",
             wrap=True)


def _select(metrics: pd.DataFrame, metric: str, period: str = "all",
            actors: list[str] | None = None) -> pd.DataFrame:
    rows = metrics[(metrics["metric"] == metric) & (metrics["period"] == period)].copy()
    if actors is not None:
        rows = rows[rows["actor"].isin(actors)]
    return rows.sort_values(["outlet", "actor"]).reset_index(drop=True)


def _empty(fig: Figure, ax, message: str) -> Figure:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def point_interval_chart(rows: pd.DataFrame, xlabel: str, title: str, caption: str,
                         reference: float | None = None) -> Figure:
    """Dots with 95% intervals: one row per outlet, one colour per actor."""
    outlets = sorted(rows["outlet"].unique())
    actors = sorted(rows["actor"].unique())
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.55 * max(len(outlets), 1) * max(len(actors), 1)
                                    / 2))
    if rows.empty:
        return _empty(fig, ax, "no data")
    step = 0.8 / max(len(actors), 1)
    for j, actor in enumerate(actors):
        sub = rows[rows["actor"] == actor].set_index("outlet").reindex(outlets)
        y = np.arange(len(outlets)) + (j - (len(actors) - 1) / 2) * step
        low = (sub["value"] - sub["ci_low"]).clip(lower=0).fillna(0)
        high = (sub["ci_high"] - sub["value"]).clip(lower=0).fillna(0)
        ax.errorbar(sub["value"], y, xerr=[low, high], fmt="o", color=actor_color(actor),
                    label=actor_label(actor), capsize=3, markersize=5)
    ax.set_yticks(np.arange(len(outlets)), [_short(o) for o in outlets])
    ax.invert_yaxis()
    if reference is not None:
        ax.axvline(reference, color="#999", linewidth=0.8, linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    _caption(fig, caption)
    return fig


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_attention(metrics: pd.DataFrame, period: str = "all") -> Figure:
    """Share of each outlet's articles that mention each actor, with 95% intervals."""
    rows = _select(metrics, "attention_articles", period)
    return point_interval_chart(
        rows, "share of articles mentioning the actor", "Attention per outlet",
        "Attention: share of the outlet's articles with at least one mention of the actor; bars: "
        "95% bootstrap interval over articles.")


def plot_tone(metrics: pd.DataFrame, period: str = "all") -> Figure:
    """Mean targeted stance score toward each actor per outlet, with 95% intervals."""
    rows = _select(metrics, "tone_mean", period)
    return point_interval_chart(
        rows, "mean stance score (−1 negative … +1 positive)", "Tone toward each actor",
        "Tone: mean score of the (sentence, actor) stance labels, default method; bars: 95% "
        "bootstrap interval resampling articles. Dashed line: neutral.", reference=0.0)


def plot_share_of_voice(metrics: pd.DataFrame, period: str = "all") -> Figure:
    """Share of quotations whose speaker belongs to each actor, per outlet."""
    rows = _select(metrics, "share_of_voice", period)
    return point_interval_chart(
        rows, "share of quotations", "Who is quoted (share of voice)",
        "Share of voice: quotations whose speaker belongs to the actor, over all quotations of "
        "the outlet (OTHER: speakers of no registered actor); bars: 95% bootstrap interval.")


def plot_asymmetry(metrics: pd.DataFrame, period: str = "all") -> Figure:
    """Tone toward one actor minus tone toward its counterpart, per outlet."""
    rows = _select(metrics, "asymmetry", period)
    return point_interval_chart(
        rows, "difference of mean stance scores (A − B)", "Asymmetry between counterparts",
        "Asymmetry: tone toward A minus tone toward B in the same outlet; an interval that "
        "crosses the dashed zero line is compatible with no asymmetry.", reference=0.0)


def plot_framing(metrics: pd.DataFrame, period: str = "all") -> Figure:
    """Share of conflict (vs cooperation) vocabulary around each actor, per outlet."""
    rows = _select(metrics, "framing_conflict_share", period)
    return point_interval_chart(
        rows, "conflict words / (conflict + cooperation words)", "Framing around each actor",
        "Framing: share of conflict vocabulary among conflict and cooperation words in "
        "sentences mentioning the actor; 0.5 = balanced; bars: 95% bootstrap interval.",
        reference=0.5)


def plot_tone_over_time(metrics: pd.DataFrame, outlet: str = "(all)") -> Figure:
    """Mean tone per period for each actor, with a 95% band."""
    rows = metrics[(metrics["metric"] == "tone_mean") & (metrics["period"] != "all")
                   & (metrics["outlet"] == outlet)].sort_values(["actor", "period"])
    fig, ax = plt.subplots(figsize=(8, 4))
    if rows.empty:
        return _empty(fig, ax, "no dated articles")
    for actor, sub in rows.groupby("actor", sort=True):
        ax.plot(sub["period"], sub["value"], marker="o", color=actor_color(actor),
                label=actor_label(actor))
        ax.fill_between(sub["period"], sub["ci_low"], sub["ci_high"], color=actor_color(actor),
                        alpha=0.15)
    ax.axhline(0, color="#999", linewidth=0.8, linestyle="--")
    ax.set_ylabel("mean stance score")
    ax.set_title(f"Tone over time — {outlet}")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, frameon=False)
    _caption(fig, "Tone per period (mean targeted stance score); band: 95% bootstrap interval "
             "over the period's articles.")
    return fig


def plot_dyad_heatmap(matrix: pd.DataFrame) -> Figure:
    """Source → target mean stance score, annotated with the number of dyads.

    ``matrix`` has columns ``source, target, score_mean, n``
    (see :func:`analysis.bias.dyad_matrix`).
    """
    fig, ax = plt.subplots(figsize=(6.5, 5))
    if matrix.empty:
        return _empty(fig, ax, "no quotation about another actor")
    value_column = "score_mean" if "score_mean" in matrix else "value"
    scores = matrix.pivot_table(index="source", columns="target", values=value_column,
                                aggfunc="mean").sort_index().sort_index(axis=1)
    counts = matrix.pivot_table(index="source", columns="target", values="n",
                                aggfunc="sum").reindex_like(scores)
    annotations = scores.round(2).astype(str) + "\n(n=" + counts.fillna(0).astype(int).astype(
        str) + ")"
    sns.heatmap(scores, annot=annotations.where(scores.notna(), ""), fmt="", cmap="RdYlGn",
                vmin=-1, vmax=1, center=0, ax=ax, cbar_kws={"label": "mean stance score"})
    ax.set_xlabel("target (spoken about)")
    ax.set_ylabel("source (who speaks)")
    ax.set_title("Who says what about whom")
    _caption(fig, "Dyads: stance of a speaker's quotation (or of the outlet's own sentences) "
             "toward each actor it mentions; n = number of (sentence, target) pairs.")
    return fig


def plot_confusion(matrix: pd.DataFrame, title: str) -> Figure:
    """A confusion matrix (rows: gold labels, columns: predicted labels)."""
    fig, ax = plt.subplots(figsize=(4.5, 4))
    sns.heatmap(matrix, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    _caption(fig, "Counts of (sentence, actor) pairs of the frozen test set.")
    return fig


def save_figure(fig: Figure, name: str, out_dir: Path | str = config.FIGURES_DIR) -> list[Path]:
    """Write ``name.png`` and ``name.svg`` (reproducible: no timestamps, fixed hash salt)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context({"svg.hashsalt": "conflict-media", "svg.fonttype": "none"}):
        for suffix, metadata in ((".png", {"Software": None}), (".svg", {"Date": None})):
            path = out_dir / f"{name}{suffix}"
            fig.savefig(path, dpi=120, bbox_inches="tight", metadata=metadata)
            paths.append(path)
    return paths
