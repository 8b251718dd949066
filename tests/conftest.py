"""Shared fixtures: the seed article and the demo corpus from ../shared, and small corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the demo data must sit in ../shared beside the clone "
            "(or set CONFLICT_MEDIA_SHARED)"
        )
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return _require(config.SEED_ARTICLE)


@pytest.fixture(scope="session")
def demo_corpus_path() -> Path:
    return _require(config.DEMO_CORPUS_DIR / "articles.jsonl")


@pytest.fixture(scope="session")
def seed_article(seed_path):
    from analysis.corpus import ingest

    articles, _ = ingest([seed_path])
    return articles[0]


@pytest.fixture(scope="session")
def nlp():
    from analysis.nlp import load_nlp

    return load_nlp()
