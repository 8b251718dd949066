"""The HTML report: a summary page over the processed tables, written to ``reports/index.html``.

Every value that comes from the corpus (outlet names, titles, text) is HTML-escaped: a corpus
containing ``<script>`` shows it as text and never runs it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.io import write_text

DEMO_CREDITS = " ".join(
    [
        "Demo texts: the seed article (a machine-translated news article, April 2021) and 26",
        "official statements (Présidence de la République, Ministère de l'Europe et des Affaires",
        "étrangères, Gouvernement français – réponses au Parlement, Ministère des Armées,",
        "Coprésidence du Groupe de Minsk de l'OSCE, Conseil européen; September–November 2020),",
        "republished by vie-publique.fr (DILA) under the Licence Ouverte / Open Licence 2.0",
        "(Etalab); Conseil européen texts © Union européenne, reuse authorised with",
        "acknowledgement of the source (Council Decision (EU) 2017/1842). Details and per-item",
        "attribution: ../shared/corpus/LICENCES.md.",
    ]
)

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem}
th{background:#f3f3f3}caption{caption-side:bottom;font-size:.85rem;color:#555;text-align:left}
.small{font-size:.85rem;color:#555}
"""


def table_html(frame: pd.DataFrame, caption: str) -> str:
    """An escaped HTML table with a caption that says what is measured."""
    body = frame.to_html(index=False, escape=True, border=0, na_rep="—")
    return body.replace("<table", "<table", 1).replace(
        "</table>", f"<caption>{html.escape(caption)}</caption></table>", 1
    )


def corpus_section(processed: Path) -> str:
    """Counts of the ingest stage: records, kept, skipped (why), articles per outlet."""
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    articles = pd.read_parquet(
        processed / "articles.parquet", columns=["article_id", "outlet", "date", "n_masked_numbers"]
    )
    sentences = pd.read_parquet(processed / "sentences.parquet", columns=["article_id"])
    counts = manifest["counts"]
    per_outlet = (
        articles.assign(outlet=articles["outlet"].fillna("(no outlet)"))
        .groupby("outlet", sort=True)
        .agg(
            articles=("article_id", "size"),
            first_date=("date", "min"),
            last_date=("date", "max"),
            masked_numbers=("n_masked_numbers", "sum"),
        )
        .reset_index()
    )
    reasons = pd.DataFrame(
        sorted(manifest["skip_reasons"].items()), columns=["reason skipped", "records"]
    )
    parts = [
        "<h2>Corpus</h2>",
        f"<p>{counts['records']} input records: {counts['kept']} kept, {counts['skipped']} "
        f"skipped, {counts['duplicate']} duplicates; {len(sentences)} sentences.</p>",
        table_html(
            per_outlet,
            "Articles kept per outlet, with their date range and the number "
            "of masked numbers (XNUMX, a machine-translation artifact) flagged.",
        ),
    ]
    if len(reasons):
        parts.append(table_html(reasons, "Input records skipped, by reason (see manifest.json)."))
    return "\n".join(parts)


def write_summary_page(processed: Path, out_dir: Path, sections: list[str] | None = None) -> Path:
    """Write ``out_dir/index.html`` summarising the processed tables in ``processed``."""
    body = [
        "<h1>How the media talk about the actors of the conflict</h1>",
        "<p>This report measures, for each outlet, which actors (USA, Russia, Ukraine, NATO, and "
        "any actor added to the registry) the articles mention, who is quoted, and the stance "
        "each sentence takes toward each actor, with the evidence words behind each label.</p>",
        corpus_section(processed),
        *(sections or []),
        "<h2>Credits</h2>",
        f"<p class='small'>{html.escape(DEMO_CREDITS)}</p>",
        f"<p class='small'>Tables: {html.escape(str(processed))}</p>",
    ]
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Conflict media analysis report</title>"
        f"<style>{STYLE}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )
    return write_text(out_dir / "index.html", page)


def default_processed_dir() -> Path:
    """Where ``make report`` keeps the tables of the demo corpus."""
    return config.PROCESSED_DIR / "demo"
