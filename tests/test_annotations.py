"""The annotated sets are well formed, large enough, and keep train/dev and test apart."""

from __future__ import annotations

import unicodedata

import pytest

from analysis import config
from analysis.annotations import read_jsonl
from analysis.evaluation.quotes import gold_spans

ACTORS = {"USA", "RUSSIA", "UKRAINE", "NATO"}
TARGETS = config.ANNOTATION_DIR / "targets"
QUOTES = config.ANNOTATION_DIR / "quotes"


def _rows(paths):
    return [row for path in paths for row in read_jsonl(path)]


@pytest.mark.parametrize("split", ["train", "test"])
def test_target_files_are_well_formed(split):
    rows = _rows(sorted(TARGETS.glob(f"{split}*.jsonl")))
    assert rows, f"no {split} files"
    for row in rows:
        assert unicodedata.normalize("NFC", row["text"]) == row["text"], row["id"]
        assert row["labels"] and set(row["labels"]) <= ACTORS, row["id"]
        assert set(row["labels"].values()) <= {"negative", "neutral", "positive"}, row["id"]


def test_target_splits_are_large_and_disjoint():
    train = _rows(sorted(TARGETS.glob("train*.jsonl")))
    test = _rows(sorted(TARGETS.glob("test*.jsonl")))
    pairs = sum(len(row["labels"]) for row in train + test)
    assert pairs >= 1000
    ids = [row["id"] for row in train + test]
    assert len(ids) == len(set(ids))
    assert not {row["text"] for row in train} & {row["text"] for row in test}
    seed = config.SEED_ARTICLE.read_text(encoding="utf-8")
    assert not any(row["text"] in seed for row in train + test)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_quote_files_are_well_formed(split):
    path = QUOTES / f"{split}.jsonl"
    for row in read_jsonl(path):
        spans = gold_spans(row, path)  # raises when a quote is not in its text
        assert len(spans) == len(row["quotes"])
        for item in row["quotes"]:
            assert item["speaker"] is None or item["speaker"] in row["text"], row["id"]
            assert item["speaker_actor"] in ACTORS | {None}, row["id"]


def test_quote_test_set_is_large_and_apart_from_dev():
    dev, test = read_jsonl(QUOTES / "dev.jsonl"), read_jsonl(QUOTES / "test.jsonl")
    assert sum(len(row["quotes"]) for row in test) >= 150
    assert not {row["text"] for row in dev} & {row["text"] for row in test}
