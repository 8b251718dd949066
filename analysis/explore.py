"""Helpers the notebooks call: load or build the tables, filter them, show evidence.

Notebooks stay thin: every function they need lives here, with a test. All HTML built here
escapes the corpus text, so an article containing ``<script>`` is shown, never run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.pipeline import ALL_TABLES, RunSettings, load_tables, run

MENTION_STYLE = "background:{color}33;border-bottom:2px solid {color};padding:0 1px"
QUOTE_STYLE = "background:#f2f2f2;font-style:italic"


def resolve_corpus(corpus: str | Iterable[str] | None) -> list[Path]:
    """Corpus paths from a notebook parameter (``None`` or ``"demo"`` = the bundled corpus)."""
    if corpus in (None, "", "demo"):
        return [Path(p) for p in config.DEFAULT_CORPUS]
    if isinstance(corpus, str):
        return [Path(part) for part in corpus.split(",")]
    return [Path(p) for p in corpus]


def load_or_run(corpus: str | Iterable[str] | None = None, tables: str | Path | None = None,
                n_boot: int = 1000, refresh: bool = False) -> dict[str, pd.DataFrame]:
    """The pipeline's tables in ``tables``; the pipeline runs first on ``corpus`` if they are
    missing (or if ``refresh``; a re-run only processes new or changed articles)."""
    out = Path(tables) if tables else config.PROCESSED_DIR / "demo"
    if refresh or not (out / "run.json").exists():
        run(resolve_corpus(corpus), out, settings=RunSettings(n_boot=n_boot))
    return load_tables(out, ALL_TABLES)


def filter_tables(tables: dict[str, pd.DataFrame], outlets: list[str] | None = None,
                  date_from: str | None = None, date_to: str | None = None,
                  ) -> dict[str, pd.DataFrame]:
    """Keep the articles of the given outlets and date range (ISO strings) in every table."""
    articles = tables["articles"]
    keep = pd.Series(True, index=articles.index)
    if outlets:
        keep &= articles["outlet"].isin(outlets)
    if date_from:
        keep &= articles["date"].fillna("") >= date_from
    if date_to:
        keep &= articles["date"].fillna("9999") <= date_to
    ids = set(articles.loc[keep, "article_id"])
    out = {}
    for name, table in tables.items():
        out[name] = table[table["article_id"].isin(ids)] if "article_id" in table else table
    return out


def highlight_html(text: str, mentions: pd.DataFrame, quotes: pd.DataFrame | None = None) -> str:
    """The article text as escaped HTML, mentions coloured by actor, quotations shaded."""
    from analysis.plots import actor_color

    marks: list[tuple[int, int, str, str]] = []
    for row in mentions.itertuples():
        style = MENTION_STYLE.format(color=actor_color(row.actor))
        marks.append((row.start, 1, f"<span style='{style}' title='{html.escape(row.actor)}'>",
                      "span"))
        marks.append((row.end, 0, "</span>", "span"))
    if quotes is not None:
        for row in quotes.itertuples():
            speaker = html.escape(f"{row.speaker or '?'} → {row.speaker_actor or 'no actor'}")
            marks.append((row.start, 2, f"<q style='{QUOTE_STYLE}' title='{speaker}'>", "q"))
            marks.append((row.end, -1, "</q>", "q"))
    marks.sort(key=lambda mark: (mark[0], mark[1]))
    pieces, position = [], 0
    for offset, _, tag, _kind in marks:
        pieces.append(html.escape(text[position:offset]))
        pieces.append(tag)
        position = max(position, offset)
    pieces.append(html.escape(text[position:]))
    body = "".join(pieces).replace("\n", "<br>")
    return f"<div style='line-height:1.6;max-width:50rem'>{body}</div>"


def sentences_behind(tables: dict[str, pd.DataFrame], actor: str, outlet: str | None = None,
                     label: str | None = None, limit: int = 20) -> pd.DataFrame:
    """The sentences behind a bar: (sentence, actor) pairs with their label and evidence."""
    targets = tables["targets"]
    rows = targets[targets["actor"] == actor]
    if label:
        rows = rows[rows["label"] == label]
    merged = rows.merge(tables["articles"][["article_id", "outlet", "date"]], on="article_id")
    if outlet:
        merged = merged[merged["outlet"] == outlet]
    merged = merged.merge(tables["sentences"][["article_id", "sent_idx", "text"]],
                          on=["article_id", "sent_idx"])
    merged = merged.assign(evidence=merged["evidence"].map(lambda words: ", ".join(words)))
    merged = merged.sort_values(["score", "article_id", "sent_idx"], key=None)
    columns = ["outlet", "date", "article_id", "sent_idx", "label", "score", "evidence", "text"]
    return merged[columns].head(limit).reset_index(drop=True)


def most_loaded(tables: dict[str, pd.DataFrame], outlet: str, limit: int = 5) -> pd.DataFrame:
    """The outlet's sentences with the strongest stance scores (either sign), with evidence."""
    targets = tables["targets"].assign(strength=lambda t: t["score"].abs())
    merged = targets.merge(tables["articles"][["article_id", "outlet"]], on="article_id")
    merged = merged[merged["outlet"] == outlet].merge(
        tables["sentences"][["article_id", "sent_idx", "text"]], on=["article_id", "sent_idx"])
    merged = merged.sort_values(["strength", "article_id", "sent_idx"],
                                ascending=[False, True, True]).head(limit)
    merged = merged.assign(evidence=merged["evidence"].map(lambda words: ", ".join(words)))
    return merged[["actor", "label", "score", "evidence", "text"]].reset_index(drop=True)
