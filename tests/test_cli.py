"""The command line: ingest outputs, exit codes, messages without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import ExitCode

FRENCH = (
    "La Russie a massé des troupes près de la frontière ukrainienne, a indiqué jeudi le "
    "ministère, tandis que Washington appelait Moscou à la retenue."
)


def test_ingest_demo_corpus_writes_tables(tmp_path, demo_corpus_path, seed_path):
    out = tmp_path / "out"
    code = main(
        [
            "ingest",
            "--corpus",
            str(seed_path.parent),
            str(demo_corpus_path),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 0
    articles = pd.read_parquet(out / "articles.parquet")
    sentences = pd.read_parquet(out / "sentences.parquet")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(articles) == 27 and manifest["counts"]["kept"] == 27
    assert len(manifest["records"]) == manifest["counts"]["records"] == 27
    assert list(sentences.columns) == ["article_id", "sent_idx", "start", "end", "text"]
    merged = sentences.merge(
        articles[["article_id", "text"]], on="article_id", suffixes=("", "_article")
    )
    assert all(row.text_article[row.start : row.end] == row.text for row in merged.itertuples())


def test_ingest_is_byte_identical_across_runs(tmp_path, seed_path, demo_corpus_path):
    for name in ("a", "b"):
        main(
            [
                "ingest",
                "--corpus",
                str(seed_path.parent),
                str(demo_corpus_path),
                "--out",
                str(tmp_path / name),
                "--no-progress",
            ]
        )
    for table in ("articles.parquet", "sentences.parquet", "manifest.json", "manifest.parquet"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=300
    )


def test_missing_input_exit_code_and_message(tmp_path):
    result = run_cli("ingest", "--corpus", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path))
    assert result.returncode == ExitCode.INPUT_NOT_FOUND
    assert "nope.jsonl: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_csv_without_text_column_exit_code(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,x\n", encoding="utf-8")
    result = run_cli("ingest", "--corpus", str(bad), "--out", str(tmp_path / "o"))
    assert result.returncode == ExitCode.BAD_INPUT
    assert "bad.csv, line 1: no text column 'text'" in result.stderr
    assert "--text-column" in result.stderr and "Traceback" not in result.stderr


def test_nothing_kept_exit_code_but_manifest_written(tmp_path):
    path = tmp_path / "all_bad.jsonl"
    path.write_text('{"id": 1, "text": ""}\nnot json\n', encoding="utf-8")
    out = tmp_path / "o"
    result = run_cli("ingest", "--corpus", str(path), "--out", str(out), "--no-progress")
    assert result.returncode == ExitCode.NOTHING_KEPT
    assert "no article kept out of 2 records" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"records": 2, "kept": 0, "skipped": 2, "duplicate": 0}
    assert not (out / "articles.parquet").exists()


def test_failed_run_leaves_previous_outputs_intact(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "text": FRENCH}) + "\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["ingest", "--corpus", str(good), "--out", str(out), "--no-progress"]) == 0
    before = (out / "articles.parquet").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,x\n", encoding="utf-8")
    assert main(["ingest", "--corpus", str(bad), "--out", str(out)]) == ExitCode.BAD_INPUT
    assert (out / "articles.parquet").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", ["ingest", "report"])
def test_every_command_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_top_level_help_lists_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "every input record was skipped" in out


def test_summary_page_is_escaped_and_credits_the_demo_texts(tmp_path):
    from analysis.report import write_summary_page

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "x", "outlet": "<script>alert(1)</script>", "text": FRENCH}) + "\n",
        encoding="utf-8",
    )
    assert main(["ingest", "--corpus", str(corpus), "--out", str(tmp_path / "t"),
                 "--no-progress"]) == 0
    page = write_summary_page(tmp_path / "t", tmp_path / "r").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Licence Ouverte" in page


def test_module_entry_point_runs():
    result = run_cli("--help")
    assert result.returncode == 0 and "ingest" in result.stdout
    assert Path(sys.executable).exists()
