"""Measure how French news media talk about the actors of a conflict.

The public API re-exports one function per stage; each is imported on first use so that
``import analysis`` stays fast::

    from analysis import ingest, segment
    articles, manifest = ingest(["data/raw"])
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "ingest": "analysis.corpus",
    "iter_articles": "analysis.corpus",
    "clean_text": "analysis.cleaning",
    "segment": "analysis.sentences",
    "load_nlp": "analysis.nlp",
    "detect_mentions": "analysis.actors",
    "load_registry": "analysis.actors",
    "extract_quotes": "analysis.quotes",
    "run": "analysis.pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
