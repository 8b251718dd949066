"""Benchmarks: throughput, memory and scaling of the pipeline, written to benchmarks/results.md.

Not a test: numbers depend on the machine. Every comparison is a ratio measured in ONE run on
the same texts, so it is meaningful on a noisy machine:

* full-pipeline throughput vs spaCy parsing alone vs textblob-fr alone (articles/s, chars/s);
* peak memory (max RSS of the run's process) at 2,000 and 20,000 articles: it must stay flat;
* speed-up from 1 to 2 workers.

The corpus is synthetic: articles made by resampling sentences of the bundled demo corpus
(fixed seed), with fictional outlets and dates.

    python benchmarks/run_benchmarks.py [--small 2000] [--large 20000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import config  # noqa: E402

OUTLETS = ("Le Quotidien", "La Dépêche Exemple", "Agence Fictive", "Radio Témoin", "Le Veilleur")


def build_corpus(path: Path, n_articles: int, seed: int = 7, sentences_per_article: int = 2,
                 ) -> int:
    """Write ``n_articles`` synthetic articles to ``path`` (JSONL); returns total characters."""
    from analysis.corpus import ingest
    from analysis.sentences import segment

    articles, _ = ingest(config.DEFAULT_CORPUS)
    pool = [s.text for s in segment([(a.article_id, a.text) for a in articles])
            if 40 <= len(s.text) <= 400]
    rng = random.Random(seed)
    total = 0
    with path.open("w", encoding="utf-8") as handle:
        for index in range(n_articles):
            text = " ".join(rng.choice(pool) for _ in range(sentences_per_article))
            total += len(text)
            month = 1 + index % 12
            row = {"id": f"bench-{index:06d}", "outlet": OUTLETS[index % len(OUTLETS)],
                   "date": f"2022-{month:02d}-{1 + index % 28:02d}", "text": text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return total


def read_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def time_spacy(texts: list[str]) -> float:
    from analysis.nlp import load_nlp

    nlp = load_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def time_textblob(texts: list[str]) -> float:
    from textblob_fr import PatternAnalyzer

    analyzer = PatternAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.analyze(text)
    return time.perf_counter() - start


def run_pipeline_subprocess(corpus: Path, out: Path, workers: int) -> tuple[float, float]:
    """Run the pipeline in a child process; returns (seconds, peak RSS in MiB).

    The spaCy model, the actor registry and the stance scorer are loaded before the clock
    starts (as they are before the parse-alone timing); the cache is removed first so every
    article is processed. With several workers, starting the worker processes is timed.
    """
    (out / "cache.sqlite").unlink(missing_ok=True)
    code = (
        "import resource, sys, time;"
        "from analysis.pipeline import run, RunSettings, process_block;"
        "settings = RunSettings(n_boot=200);"
        "process_block([{'article_id': 'w', 'text': 'La Russie.', 'date': None,"
        " 'outlet': None}], settings);"
        "t = time.perf_counter();"
        f"run([{str(corpus)!r}], {str(out)!r}, workers={workers}, settings=settings);"
        "s = time.perf_counter() - t;"
        "print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    seconds, self_kib, children_kib = result.stdout.split()[-3:]
    return float(seconds), max(int(self_kib), int(children_kib)) / 1024


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 articles")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    small, large = (200, 1000) if args.quick else (args.small, args.large)
    lines = [f"# Benchmark results\n\nMachine: {machine_description()}.\n",
             f"Command: `python benchmarks/run_benchmarks.py"
             f"{' --quick' if args.quick else ''}` ({time.strftime('%Y-%m-%d')}).\n"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        corpora = {}
        for n in (small, large):
            corpora[n] = tmp_path / f"corpus_{n}.jsonl"
            chars = build_corpus(corpora[n], n)
            print(f"built {n} articles, {chars:,} characters", file=sys.stderr)
        texts = read_texts(corpora[small])
        chars = sum(map(len, texts))
        spacy_s = time_spacy(texts)
        textblob_s = time_textblob(texts)
        pipe_s, rss_small = run_pipeline_subprocess(corpora[small], tmp_path / "out_small", 1)
        large_1_s, rss_large = run_pipeline_subprocess(corpora[large], tmp_path / "out_1", 1)
        large_2_s, _ = run_pipeline_subprocess(corpora[large], tmp_path / "out_2", 2)
    n = len(texts)
    rows = [("full pipeline, 1 worker", pipe_s), ("spaCy parse alone", spacy_s),
            ("textblob-fr alone", textblob_s)]
    lines.append(f"\n## Throughput on {n:,} articles ({chars:,} characters)\n")
    lines.append("| step | seconds | articles/s | characters/s |\n|---|---:|---:|---:|")
    lines += [f"| {name} | {s:.1f} | {n / s:,.1f} | {chars / s:,.0f} |" for name, s in rows]
    lines.append(f"\nFull pipeline / spaCy parse throughput: **{spacy_s / pipe_s:.2f}** "
                 "(goal ≥ 0.75). The pipeline time covers ingestion, cleaning, deduplication, "
                 "parsing, mentions, quotes, stance, dyads, framing, metrics, comparisons and "
                 "writing every table; models are loaded before both clocks start.")
    lines.append(f"\n## Scaling on {large:,} articles\n\n| workers | seconds |\n|---:|---:|\n"
                 f"| 1 | {large_1_s:.1f} |\n| 2 | {large_2_s:.1f} |\n")
    lines.append(f"Speed-up from 1 to 2 workers: **{large_1_s / large_2_s:.2f}×** (goal ≥ 1.7; "
                 "the main process reads, cleans and writes while the workers parse).")
    lines.append(f"\n## Peak memory (1 worker)\n\n| articles | peak RSS (MiB) |\n|---:|---:|\n"
                 f"| {small:,} | {rss_small:,.0f} |\n| {large:,} | {rss_large:,.0f} |\n")
    lines.append(f"Ratio {large:,} / {small:,}: **{rss_large / rss_small:.2f}** (goal ≤ 1.25).")
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
