"""HTML inputs: saved web pages and Europresse exports.

Europresse (the press database of most French-speaking universities) exports a search result as
one HTML file holding several ``<article>`` elements. Each carries the outlet in
``span.DocPublicationName``, the date line in ``span.DocHeader``, the title in
``.titreArticle`` / ``.titreArticleVisu`` and the body in ``.docOcurrContainer``. The PyPI parser
``europarser`` (AGPL-3.0, pulls in FastAPI, Uvicorn, Polars and a C extension) was evaluated and
not adopted: its licence would bind this MIT project and its server stack is not needed to read
five CSS classes; this module reads the same documented structure with BeautifulSoup.

Saved web pages go through trafilatura, which keeps the main text and drops menus and ads.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup

from analysis.dates import parse_french_date

EUROPRESSE_MARKERS = ("DocPublicationName", "docOcurrContainer")


def is_europresse(html: str) -> bool:
    """True when ``html`` looks like a Europresse export."""
    head = html[:200_000]
    return EUROPRESSE_MARKERS[0] in head and "<article" in head


def _text(node: Any) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)).strip() if node else ""


def parse_europresse(html: str) -> list[dict[str, Any]]:
    """Articles of a Europresse export as dictionaries of article fields."""
    soup = BeautifulSoup(html, "lxml")
    articles = []
    for node in soup.find_all("article"):
        outlet = _text(node.find(class_="DocPublicationName"))
        header = _text(node.find(class_="DocHeader"))
        title_node = node.find(class_="titreArticle") or node.find(class_="titreArticleVisu")
        body = node.find(class_="docOcurrContainer")
        paragraphs = [_text(p) for p in body.find_all("p")] if body else []
        text = "\n\n".join(p for p in paragraphs if p) or _text(body)
        doc_id = _text(node.find(class_="publiC-lblNodoc"))
        fields: dict[str, Any] = {
            "outlet": outlet or None,
            "title": _text(title_node) or None,
            "text": text,
            "date": parse_french_date(header),
            "europresse_header": header or None,
        }
        if doc_id:
            fields["id"] = doc_id
        articles.append(fields)
    return articles


def extract_web_page(html: str) -> dict[str, Any]:
    """Main text and metadata of a saved web page, extracted with trafilatura."""
    import json

    import trafilatura

    result = trafilatura.extract(
        html,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not result:
        return {}
    data = json.loads(result)
    return {
        "text": data.get("text") or "",
        "title": data.get("title"),
        "outlet": data.get("sitename") or data.get("hostname"),
        "date": data.get("date"),
        "url": data.get("url") or data.get("source"),
    }
