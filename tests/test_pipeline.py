"""The whole pipeline: tables, determinism, engines, incremental runs, interruption, DuckDB."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.pipeline import ALL_TABLES, RunSettings, load_tables, run

pytestmark = pytest.mark.slow
TABLES = [f"{name}.parquet" for name in ALL_TABLES]
FAST = RunSettings(n_boot=200)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, seed_path, demo_corpus_path) -> Path:
    """The seed article and eight official statements (the shortest), as one JSONL file."""
    rows = [json.loads(line) for line in demo_corpus_path.read_text(encoding="utf-8").splitlines()]
    rows = sorted(rows, key=lambda r: len(r["text"]))[:8]
    seed = {"id": "seed", "outlet": "seed", "date": "2021-04-14",
            "text": seed_path.read_text(encoding="utf-8")}
    path = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [seed, *rows]) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory, small_corpus) -> Path:
    out = tmp_path_factory.mktemp("reference")
    run([small_corpus], out, settings=FAST)
    return out


def table_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def test_run_writes_every_table(reference):
    tables = load_tables(reference)
    assert set(tables) == set(ALL_TABLES)
    assert len(tables["articles"]) == 9
    for name in ("sentences", "mentions", "quotes", "targets", "dyads", "metrics"):
        assert len(tables[name]) > 0, name
    metrics = tables["metrics"]
    assert list(metrics.columns) == ["outlet", "period", "actor", "metric", "value", "ci_low",
                                     "ci_high", "n"]
    seed_mentions = tables["mentions"].query("article_id == 'seed'")
    assert {"USA", "RUSSIA", "UKRAINE", "NATO"} <= set(seed_mentions["actor"])
    run_record = json.loads((reference / "run.json").read_text())
    assert run_record["manifest"]["kept"] == 9


def test_metrics_have_a_row_per_outlet_and_actor_with_intervals(reference):
    metrics = load_tables(reference, ["metrics"])["metrics"]
    tone = metrics[(metrics["period"] == "all") & metrics["metric"].str.startswith("tone")]
    assert not tone.empty
    with_ci = tone.dropna(subset=["ci_low", "ci_high"])
    assert (with_ci["ci_low"] <= with_ci["value"] + 1e-9).all()
    assert (with_ci["value"] <= with_ci["ci_high"] + 1e-9).all()


def test_duckdb_views_answer_sql(reference):
    connection = duckdb.connect(str(reference / "analysis.duckdb"), read_only=True)
    try:
        n = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        actors = connection.execute(
            "SELECT DISTINCT actor FROM mentions WHERE article_id = 'seed' ORDER BY actor"
        ).fetchall()
    finally:
        connection.close()
    assert n == 9
    assert [a for (a,) in actors] == ["NATO", "RUSSIA", "UKRAINE", "USA"]


def test_same_input_gives_byte_identical_tables(tmp_path, small_corpus, reference):
    run([small_corpus], tmp_path, settings=FAST)
    assert table_bytes(tmp_path) == table_bytes(reference)


def test_two_workers_and_dask_give_identical_tables(tmp_path, small_corpus, reference):
    run([small_corpus], tmp_path / "two", workers=2, settings=RunSettings(n_boot=200,
                                                                          chunk_size=3))
    assert table_bytes(tmp_path / "two") == table_bytes(reference)
    run([small_corpus], tmp_path / "dask", engine="dask", workers=2, settings=FAST)
    assert table_bytes(tmp_path / "dask") == table_bytes(reference)


def test_incremental_run_reuses_cached_articles(tmp_path, small_corpus, reference):
    lines = small_corpus.read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.jsonl"
    partial.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    first = run([partial], tmp_path / "out", settings=FAST)
    assert (first.processed, first.reused) == (5, 0)
    second = run([small_corpus], tmp_path / "out", settings=FAST)
    assert (second.processed, second.reused) == (4, 5)
    assert table_bytes(tmp_path / "out") == table_bytes(reference)


def test_sigkill_at_random_points_leaves_outputs_readable_and_resumes(tmp_path, small_corpus,
                                                                      reference):
    out = tmp_path / "out"
    lines = small_corpus.read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.jsonl"
    partial.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    run([partial], out, settings=FAST)
    command = [sys.executable, "-m", "analysis", "run", "--corpus", str(small_corpus), "--out",
               str(out), "--workers", "1", "--chunk-size", "1", "--n-boot", "200", "--no-progress"]
    rng = random.Random(20260425)
    for delay in sorted(rng.uniform(2.0, 25.0) for _ in range(3)):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name in TABLES:  # the previous (or new) outputs are complete and readable
            if (out / name).exists():
                pq.read_table(out / name)
    final = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert not list(out.glob(".*.tmp"))
    assert table_bytes(out) == table_bytes(reference)


def test_python_api_returns_tables(reference):
    tables = load_tables(reference)
    assert isinstance(tables["targets"], pd.DataFrame)
    assert set(tables["targets"]["label"]) <= {"negative", "neutral", "positive"}
    assert tables["targets"]["score"].between(-1, 1).all()
