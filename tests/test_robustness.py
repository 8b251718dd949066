"""Trustworthy results under hostile or broken input: nothing good is lost, nothing is run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.pipeline import RunSettings, load_tables, run

GOOD = [
    "La Russie a massé des troupes près de la frontière ukrainienne, a indiqué jeudi le "
    "ministère, tandis que Washington appelait Moscou à la retenue.",
    "Le secrétaire général de l'Otan a promis un soutien durable à l'Ukraine lors d'une réunion "
    "des ministres à Bruxelles.",
    "Les États-Unis ont annoncé de nouvelles sanctions contre des banques russes, a précisé le "
    "département du Trésor dans un communiqué.",
]


@pytest.mark.slow
def test_mixed_bad_corpus_completes_and_accounts_for_every_record(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        json.dumps({"id": "good-1", "outlet": "A", "date": "2022-03-01", "text": GOOD[0]}),
        json.dumps({"id": "empty", "outlet": "A", "text": ""}),
        json.dumps({"id": "huge", "outlet": "A", "text": "La guerre continue. " * 550_000}),
        json.dumps({"id": "controls", "outlet": "B", "date": "1er mars 2022",
                    "text": GOOD[1] + "\x00\x07\x1b[31m"}),
        json.dumps({"id": "markup", "outlet": "<b>B</b>", "date": "03/2022",
                    "text": "<p>" + GOOD[2] + "</p><script>alert('x')</script>"}),
        json.dumps({"id": "english", "outlet": "C", "text": "The war goes on and on. " * 10}),
        json.dumps({"id": "good-1", "outlet": "C", "date": "2022-13-45", "text": GOOD[1]}),
        json.dumps({"id": "no-date", "outlet": "C", "text": GOOD[2]}),
        "{broken json",
    ]
    (corpus / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "invalid_utf8.jsonl").write_bytes(
        json.dumps({"id": "latin", "outlet": "D", "text": "PLACEHOLDER"}).encode()
        .replace(b"PLACEHOLDER", GOOD[0].replace("é", "e").encode() + b" \xe9t\xe9 \xff") + b"\n")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    run([corpus], out, settings=RunSettings(n_boot=100))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["records"] == 11
    assert counts["kept"] + counts["skipped"] + counts["duplicate"] == 11
    articles = load_tables(out, ["articles"])["articles"].set_index("article_id")
    assert {"good-1", "good-1~2", "controls", "markup", "no-date", "latin"} <= set(articles.index)
    assert "alert" not in articles.loc["markup", "text"]
    assert "\x00" not in articles.loc["controls", "text"]
    assert articles.loc["controls", "date"] == "2022-03-01"
    assert pd.isna(articles.loc["good-1~2", "date"]) and "unparsed_date" in articles.loc[
        "good-1~2", "flags"]
    reasons = {r["record"]: r["reason"] for r in manifest["records"] if r["status"] == "skipped"}
    assert any(reason.startswith("too long") for reason in reasons.values())
    assert any(reason.startswith("language en") for reason in reasons.values())
    assert any(reason.startswith("invalid JSON") for reason in reasons.values())


def test_no_eval_exec_or_pickle_in_the_package():
    pattern = re.compile(r"\b(eval|exec)\(|pickle\.loads?\(|joblib\.load\(|__import__\(")
    offenders = [
        f"{path.relative_to(config.PROJECT_ROOT)}:{number}"
        for path in sorted((config.PROJECT_ROOT / "analysis").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.slow
def test_reading_a_1gb_jsonl_streams_in_bounded_memory(tmp_path):
    """Reading 1 GB of JSON lines keeps the reader's peak memory far below the file size."""
    path = tmp_path / "big.jsonl"
    text = (GOOD[0] + " ") * 700  # ~100 KB per article
    line = json.dumps({"outlet": "A", "text": text}, ensure_ascii=False) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(1_000_000_000 // len(line.encode()) + 1):
            handle.write(line)
    code = (
        "import resource, sys\n"
        "from analysis.readers import iter_records\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"n = sum(1 for _ in iter_records([{str(path)!r}]))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(n, (after - before) // 1024)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=600)
    records, growth_mib = map(int, result.stdout.split())
    path.unlink()
    assert records > 9000
    assert growth_mib < 100, f"reader memory grew by {growth_mib} MiB on a 1 GB file"


def test_documented_article_length_limit_has_a_clear_message(tmp_path):
    from analysis.corpus import IngestOptions, ingest

    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "x", "text": GOOD[0] * 10}) + "\n", encoding="utf-8")
    _, manifest = ingest([path], IngestOptions(max_chars=500))
    reason = manifest.entries[0].reason
    assert reason.startswith("too long (1,") and "limit 500" in reason and "--max-chars" in reason
    assert config.MAX_ARTICLE_CHARS == 1_000_000
    assert Path(config.PROJECT_ROOT / "docs" / "guarantees.md").exists()
