"""Agreement between two independent labelling passes of the targeted-stance data.

A random sample of training sentences (fixed seed) was given to a second annotator with the
text, the date and the actors to label, but not the first labels. ``evaluate`` reports raw
agreement and Cohen's kappa over the (sentence, actor) pairs of the sample, per actor and overall,
and the confusion between the two passes.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from analysis import config
from analysis.annotations import read_jsonl

LABELS = ["negative", "neutral", "positive"]
TARGETS_DIR = config.ANNOTATION_DIR / "targets"
SECOND_PASS = TARGETS_DIR / "agreement" / "second_pass.jsonl"
SAMPLE_SEED = 20261125


def blind_sample(paths: list[Path], n: int, seed: int = SAMPLE_SEED) -> list[dict[str, Any]]:
    """``n`` sentences drawn at random from ``paths``, without their labels."""
    rows = [row for path in paths for row in read_jsonl(path)]
    chosen = random.Random(seed).sample(rows, min(n, len(rows)))
    return [{"id": r["id"], "date": r.get("date"), "text": r["text"],
             "actors": sorted(r["labels"])} for r in sorted(chosen, key=lambda r: r["id"])]


def paired_labels(second_pass: Path = SECOND_PASS) -> pd.DataFrame:
    """One row per (sentence, actor) labelled in both passes: id, actor, first, second."""
    first = {row["id"]: row["labels"] for path in sorted(TARGETS_DIR.glob("train*.jsonl"))
             for row in read_jsonl(path)}
    rows = []
    for row in read_jsonl(second_pass):
        for actor, label in sorted(row["labels"].items()):
            if actor in first.get(row["id"], {}):
                rows.append({"id": row["id"], "actor": actor, "first": first[row["id"]][actor],
                             "second": label})
    return pd.DataFrame(rows, columns=["id", "actor", "first", "second"])


def evaluate(split: str = "train") -> dict[str, Any]:
    """Agreement figures between the first labels and the second, blind pass."""
    pairs = paired_labels()
    result: dict[str, Any] = {
        "sentences": int(pairs["id"].nunique()),
        "pairs": len(pairs),
        "raw_agreement": float((pairs["first"] == pairs["second"]).mean()),
        "cohen_kappa": float(cohen_kappa_score(pairs["first"], pairs["second"], labels=LABELS)),
        "per_actor": {},
        "confusion": confusion_matrix(pairs["first"], pairs["second"], labels=LABELS).tolist(),
    }
    for actor, group in pairs.groupby("actor", sort=True):
        result["per_actor"][actor] = {
            "pairs": len(group),
            "raw_agreement": float((group["first"] == group["second"]).mean()),
            "cohen_kappa": float(cohen_kappa_score(group["first"], group["second"],
                                                   labels=LABELS)),
        }
    return result


def format_report(result: dict[str, Any]) -> str:
    """The agreement figures as text."""
    lines = [
        f"Agreement between two blind labelling passes: {result['sentences']} sentences, "
        f"{result['pairs']} (sentence, actor) pairs",
        f"  raw agreement {result['raw_agreement']:.3f}   Cohen's kappa "
        f"{result['cohen_kappa']:.3f}",
    ]
    for actor, figures in result["per_actor"].items():
        lines.append(f"  {actor:<8} n={figures['pairs']:<4} agreement "
                     f"{figures['raw_agreement']:.3f}  kappa {figures['cohen_kappa']:.3f}")
    lines.append("  confusion (rows: first pass, columns: second pass; negative, neutral, "
                 "positive):")
    lines += [f"    {row}" for row in result["confusion"]]
    return "\n".join(lines)
