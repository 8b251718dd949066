"""The HTML report: every notebook executed with papermill on a chosen corpus, rendered to
HTML, and an index page (``reports/index.html``) linking them and every figure.

Every value that comes from the corpus (outlet names, titles, text) is HTML-escaped: a corpus
containing ``<script>`` shows it as text and never runs it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus import IngestOptions
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
.gallery{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}
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


def notebook_paths(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook (its question)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return path.stem


def execute_notebook(path: Path, out_dir: Path, parameters: dict[str, object]) -> Path:
    """Run one notebook with papermill and render it as HTML; returns the HTML path."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    executed = out_dir / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(str(path), str(executed), parameters=parameters,
                               cwd=str(path.parent), kernel_name="python3", progress_bar=False,
                               log_output=False)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    return write_text(out_dir / f"{path.stem}.html", body)


def build_report(corpus: list[Path], tables_dir: Path, out_dir: Path,
                 notebooks: list[Path] | None = None, n_boot: int = 1000,
                 ingest_options: IngestOptions | None = None) -> Path:
    """Run the pipeline, execute every notebook on it and write ``out_dir/index.html``."""
    from analysis.pipeline import RunSettings, run

    out_dir.mkdir(parents=True, exist_ok=True)
    figures_dir = out_dir / "figures"
    run(corpus, tables_dir, settings=RunSettings(n_boot=n_boot), ingest_options=ingest_options)
    parameters = {
        "corpus": ",".join(str(Path(p).resolve()) for p in corpus),
        "tables_dir": str(tables_dir.resolve()),
        "figures_dir": str(figures_dir.resolve()),
        "n_boot": n_boot,
    }
    links = []
    for path in notebooks if notebooks is not None else notebook_paths():
        page = execute_notebook(path, out_dir, parameters)
        links.append(f"<li><a href='{html.escape(page.name)}'>"
                     f"{html.escape(notebook_title(path))}</a></li>")
    figures = sorted(figures_dir.glob("*.png"))
    gallery = "".join(
        f"<figure><a href='figures/{html.escape(f.name)}'><img src='figures/{html.escape(f.name)}'"
        f" alt='{html.escape(f.stem)}' width='420'></a><figcaption>{html.escape(f.stem)}"
        "</figcaption></figure>"
        for f in figures
    )
    sections = [
        "<h2>Notebooks</h2><ol>" + "".join(links) + "</ol>",
        f"<h2>Figures</h2><div class='gallery'>{gallery or '<p>No figure.</p>'}</div>",
    ]
    return write_summary_page(tables_dir, out_dir, sections)
