"""Agreement between the two blind labelling passes of the stance training data."""

from __future__ import annotations

from analysis.evaluation.agreement import TARGETS_DIR, blind_sample, evaluate, format_report


def test_second_pass_covers_the_blind_sample():
    sample = blind_sample([TARGETS_DIR / "train_b.jsonl"], 160)
    result = evaluate()
    assert result["sentences"] == len(sample) == 160
    assert result["pairs"] == sum(len(row["actors"]) for row in sample)
    assert 0.0 <= result["cohen_kappa"] <= result["raw_agreement"] <= 1.0
    assert sum(map(sum, result["confusion"])) == result["pairs"]
    assert "Cohen's kappa" in format_report(result)
