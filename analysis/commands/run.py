"""``python -m analysis run``: the whole pipeline, from corpus files to metrics."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import config
from analysis.commands import HelpFormatter
from analysis.commands.ingest import add_corpus_arguments, ingest_options

EXAMPLES = """\
examples:
  python -m analysis run --out data/processed/demo
  python -m analysis run --corpus data/raw --out data/processed/mine --workers 2
  python -m analysis run --corpus data/raw --out data/processed/mine --engine dask \\
      --scheduler tcp://10.0.0.5:8786
  duckdb data/processed/demo/analysis.duckdb \\
      "SELECT outlet, actor, value, ci_low, ci_high FROM metrics WHERE metric = 'tone_mean'"
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the whole pipeline and write every table, the manifest and a DuckDB database",
        description="Ingest a corpus and run sentences, mentions, quotes, targeted stance, "
        "dyads and metrics; write DIR/{articles,sentences,mentions,quotes,targets,dyads,metrics,"
        "comparisons}.parquet, DIR/manifest.json, DIR/analysis.duckdb (views over the tables) "
        "and DIR/run.json. A re-run only processes new or changed articles.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    add_corpus_arguments(parser)
    parser.add_argument("--out", type=Path, default=config.PROCESSED_DIR / "demo",
                        help="output folder")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="local processes, or a dask.distributed cluster")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes (local) or LocalCluster workers (dask)")
    parser.add_argument("--scheduler", default=None,
                        help="address of a running Dask scheduler (dask engine only)")
    parser.add_argument("--method", default=None, help="stance method (default: the best one)")
    parser.add_argument("--registry", default=None, help="your own actors.yml")
    parser.add_argument("--freq", choices=["M", "W"], default="M", help="time-series period")
    parser.add_argument("--chunk-size", type=int, default=200, help="articles per block")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="random state of the bootstraps")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from analysis.pipeline import RunSettings
    from analysis.pipeline import run as run_pipeline

    settings = RunSettings(method=args.method, registry=args.registry, freq=args.freq,
                           chunk_size=args.chunk_size, n_boot=args.n_boot,
                           random_state=args.seed)
    result = run_pipeline(args.corpus, args.out, engine=args.engine, workers=args.workers,
                          scheduler=args.scheduler, settings=settings,
                          ingest_options=ingest_options(args), progress=not args.no_progress)
    rows = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    print(f"{rows}; {result.processed} articles processed, {result.reused} reused from cache, "
          f"{result.seconds:.1f} s → {args.out}", file=sys.stderr)
    return 0
