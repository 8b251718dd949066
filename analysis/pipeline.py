"""The whole chain, from corpus files to metrics, on one machine or on a Dask cluster.

``ingest → sentences → mentions → quotes → targeted stance → dyads → metrics``

* **Streaming**: articles flow in blocks of ``chunk_size``; each table is appended to its Parquet
  file block by block, so memory stays bounded whatever the corpus size.
* **Parallel**: the local engine sends blocks to worker processes (``multiprocessing``, spawn),
  the Dask engine to a ``dask.distributed`` cluster. Results are written in input order, so the
  tables do not depend on the engine or the number of workers.
* **Incremental**: each article's rows are cached in ``DIR/cache.sqlite`` under a key made of its
  content hash, id, date, outlet and the pipeline version (code, lexicons, model, settings): a
  re-run only processes new or changed articles, and a run killed half-way resumes where it was.
* **Atomic**: every output is written under a temporary name and renamed when complete;
  ``run.json`` is written last and lists the tables with their SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from analysis import __version__, config
from analysis.corpus import Article, IngestOptions, Manifest, iter_articles
from analysis.errors import AnalysisError, NothingKeptError
from analysis.ingestion import ARTICLE_SCHEMA, chunked, write_manifest
from analysis.io import ParquetChunkWriter, atomic_path, write_json, write_parquet
from analysis.readers import iter_records

STRING = pa.string()
INT = pa.int32()
FLOAT = pa.float64()
STRINGS = pa.list_(pa.string())

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "sentences": pa.schema(
        [("article_id", STRING), ("sent_idx", INT), ("start", INT), ("end", INT),
         ("text", STRING), ("n_tokens", INT), ("n_conflict", INT), ("n_cooperation", INT),
         ("n_loaded", INT), ("subjectivity", FLOAT), ("polarity_textblob", FLOAT)]
    ),
    "mentions": pa.schema(
        [("article_id", STRING), ("sent_idx", INT), ("start", INT), ("end", INT),
         ("surface", STRING), ("actor", STRING), ("kind", STRING), ("match", STRING),
         ("canonical", STRING)]
    ),
    "quotes": pa.schema(
        [("article_id", STRING), ("quote_idx", INT), ("start", INT), ("end", INT),
         ("text", STRING), ("kind", STRING), ("verb", STRING), ("speaker", STRING),
         ("speaker_canonical", STRING), ("speaker_actor", STRING), ("sent_start", INT),
         ("sent_end", INT)]
    ),
    "targets": pa.schema(
        [("article_id", STRING), ("sent_idx", INT), ("actor", STRING), ("label", STRING),
         ("score", FLOAT), ("method", STRING), ("evidence", STRINGS), ("rules", STRINGS),
         ("in_quote", pa.bool_()), ("speaker_actor", STRING)]
    ),
    "dyads": pa.schema(
        [("article_id", STRING), ("sent_idx", INT), ("source", STRING), ("target", STRING),
         ("label", STRING), ("score", FLOAT), ("source_kind", STRING), ("evidence", STRINGS)]
    ),
}
ARTICLE_TABLES = tuple(TABLE_SCHEMAS)
ALL_TABLES = ("articles", *ARTICLE_TABLES, "metrics", "comparisons")


@dataclass(frozen=True)
class RunSettings:
    """Settings that change the results (and so the cache key) or the way the run goes."""

    method: str | None = None  #: stance method; ``None`` is the documented default
    registry: str | None = None  #: path of a user's actors.yml; ``None`` is the bundled one
    freq: str = "M"  #: period of the time series: ``M`` (month) or ``W`` (week)
    n_boot: int = 1000
    random_state: int = 0
    chunk_size: int = 200
    batch_size: int = 64

    def result_params(self) -> dict[str, Any]:
        """The settings that change per-article rows (part of the cache key)."""
        return {"method": self.method, "registry": self.registry}


# --- per-article processing (runs in workers) ---------------------------------------------------

def _rows(items: Iterable[Any], schema: pa.Schema) -> list[dict[str, Any]]:
    names = schema.names
    rows = []
    for item in items:
        record = asdict(item) if is_dataclass(item) else dict(item)
        row = {name: record.get(name) for name in names}
        for column in ("evidence", "rules"):
            if column in row:
                row[column] = [str(word) for word in row[column] or ()]
        rows.append(row)
    return rows


class ArticleProcessor:
    """Runs every per-article stage on parsed documents; built once per worker process."""

    def __init__(self, settings: RunSettings) -> None:
        from analysis.actors import load_registry
        from analysis.framing import FramingCounter
        from analysis.nlp import load_nlp
        from analysis.stance import load_scorer

        self.settings = settings
        self.nlp = load_nlp()
        self.registry = load_registry(settings.registry)
        self.framing = FramingCounter()
        self.scorer = load_scorer(settings.method)

    def process(self, articles: list[dict[str, Any]]) -> list[dict[str, list[dict[str, Any]]]]:
        """Rows of every article table for each article, in input order."""
        from analysis.actors import detect_mentions
        from analysis.dyads import build_dyads
        from analysis.framing import polarity_subjectivity
        from analysis.quotes import extract_quotes
        from analysis.sentences import segment_doc

        stream = ((a["text"], a) for a in articles)
        results = []
        for doc, article in self.nlp.pipe(stream, as_tuples=True,
                                          batch_size=self.settings.batch_size):
            article_id, date = article["article_id"], article["date"]
            sentences = []
            frame_counts = self.framing.count_sentences(doc)
            for sentence, counts in zip(segment_doc(article_id, doc), frame_counts, strict=True):
                polarity, subjectivity = polarity_subjectivity(sentence.text)
                sentences.append({
                    **asdict(sentence),
                    "n_tokens": counts.n_tokens,
                    "n_conflict": counts.n_conflict,
                    "n_cooperation": counts.n_cooperation,
                    "n_loaded": counts.n_loaded,
                    "subjectivity": subjectivity,
                    "polarity_textblob": polarity,
                })
            mentions = detect_mentions(doc, article_id=article_id, date=date,
                                       registry=self.registry)
            quotes = extract_quotes(doc, article_id=article_id, date=date,
                                    registry=self.registry, mentions=mentions)
            targets = self.scorer.score_doc(doc, article_id=article_id, date=date,
                                            mentions=mentions, quotes=quotes)
            dyads = build_dyads(targets, quotes, article.get("outlet") or "(unknown outlet)")
            results.append({
                "sentences": _rows(sentences, TABLE_SCHEMAS["sentences"]),
                "mentions": _rows(mentions, TABLE_SCHEMAS["mentions"]),
                "quotes": _rows(quotes, TABLE_SCHEMAS["quotes"]),
                "targets": _rows(targets, TABLE_SCHEMAS["targets"]),
                "dyads": _rows(dyads, TABLE_SCHEMAS["dyads"]),
            })
        return results


_PROCESSORS: dict[RunSettings, ArticleProcessor] = {}


def process_block(articles: list[dict[str, Any]], settings: RunSettings,
                  ) -> list[dict[str, list[dict[str, Any]]]]:
    """Process one block of articles (a picklable entry point for worker processes)."""
    if settings not in _PROCESSORS:
        _PROCESSORS[settings] = ArticleProcessor(settings)
    return _PROCESSORS[settings].process(articles)


# --- versioning and cache -----------------------------------------------------------------------

def pipeline_version(settings: RunSettings) -> str:
    """Hash of everything that changes per-article rows: code, lexicons, model, annotations."""
    import spacy

    digest = hashlib.sha256()
    digest.update(f"{__version__}|spacy {spacy.__version__}|{config.SPACY_MODEL}".encode())
    digest.update(json.dumps(settings.result_params(), sort_keys=True).encode())
    package_dir = Path(__file__).parent
    watched = sorted(package_dir.rglob("*.py")) + sorted(config.LEXICON_DIR.glob("*.yml"))
    watched += sorted((config.ANNOTATION_DIR / "targets").glob("train*.jsonl"))
    if settings.registry:
        watched.append(Path(settings.registry))
    for path in watched:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ResultCache:
    """Per-article rows in SQLite, keyed by content and pipeline version."""

    def __init__(self, path: Path, version: str) -> None:
        self.version = version
        self.connection = sqlite3.connect(path)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload BLOB NOT NULL)"
        )

    def key(self, article: Article) -> str:
        parts = [article.content_hash, article.article_id, article.date or "",
                 article.outlet or "", self.version]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        found = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, payload FROM results WHERE key IN ({marks})"
            for key, payload in self.connection.execute(query, batch):
                found[key] = json.loads(zlib.decompress(payload))
        return found

    def put_many(self, items: list[tuple[str, dict[str, list[dict[str, Any]]]]]) -> None:
        rows = [(key, zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 6))
                for key, value in items]
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)

    def close(self) -> None:
        self.connection.close()


# --- engines ------------------------------------------------------------------------------------

@dataclass
class Engine:
    """Submits blocks to workers and returns handles whose ``result()`` gives the rows."""

    submit: Callable[[list[dict[str, Any]]], Any]
    window: int
    close: Callable[[], None] = lambda: None


class _Immediate:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


class _AsyncResult:
    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def result(self) -> Any:
        return self.handle.get()


def make_engine(name: str, workers: int, settings: RunSettings,
                scheduler: str | None = None) -> Engine:
    """The ``local`` engine (in-process for one worker, a process pool otherwise) or ``dask``."""
    if name == "local":
        if workers <= 1:
            return Engine(lambda block: _Immediate(process_block(block, settings)), window=1)
        import multiprocessing

        pool = multiprocessing.get_context("spawn").Pool(workers)

        def close_pool() -> None:
            pool.close()
            pool.join()

        return Engine(lambda block: _AsyncResult(pool.apply_async(process_block,
                                                                  (block, settings))),
                      window=2 * workers, close=close_pool)
    if name == "dask":
        from dask.distributed import Client, LocalCluster

        if scheduler:
            client = Client(scheduler)
            cluster = None
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)

        def close_dask() -> None:
            client.close()
            if cluster is not None:
                cluster.close()

        return Engine(lambda block: client.submit(process_block, block, settings, pure=False),
                      window=2 * max(workers, 1), close=close_dask)
    raise AnalysisError(f"unknown engine {name!r}; choose local or dask")


def ordered_results(handles: Iterable[tuple[Any, Any]], window: int) -> Iterator[tuple[Any, Any]]:
    """Resolve ``(context, handle)`` pairs in order, keeping at most ``window`` in flight."""
    pending: deque[tuple[Any, Any]] = deque()
    for context, handle in handles:
        pending.append((context, handle))
        if len(pending) >= window:
            done_context, done = pending.popleft()
            yield done_context, done.result() if done is not None else None
    while pending:
        done_context, done = pending.popleft()
        yield done_context, done.result() if done is not None else None


# --- the run ------------------------------------------------------------------------------------

@dataclass
class RunResult:
    """What a run wrote and how it went."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    processed: int = 0
    reused: int = 0
    seconds: float = 0.0

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the run as a DataFrame."""
        return load_tables(self.out_dir)


def load_tables(out_dir: Path | str, names: Iterable[str] = ALL_TABLES) -> dict[str, pd.DataFrame]:
    """Read the run's Parquet tables."""
    out_dir = Path(out_dir)
    return {name: pd.read_parquet(out_dir / f"{name}.parquet") for name in names
            if (out_dir / f"{name}.parquet").exists()}


def _article_payload(article: Article) -> dict[str, Any]:
    return {"article_id": article.article_id, "text": article.text, "date": article.date,
            "outlet": article.outlet}


def _remove_stale_temporaries(out_dir: Path) -> None:
    for stale in out_dir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


def run(
    corpus: Iterable[Path | str] = config.DEFAULT_CORPUS,
    out: Path | str = config.PROCESSED_DIR / "demo",
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    settings: RunSettings | None = None,
    ingest_options: IngestOptions | None = None,
    progress: bool = False,
) -> RunResult:
    """Run the whole pipeline on ``corpus`` and write every table to ``out``.

    Returns a :class:`RunResult`; ``result.tables()`` gives the tables as DataFrames.
    """
    started = time.perf_counter()
    settings = settings or RunSettings()
    ingest_options = ingest_options or IngestOptions()
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out_dir)
    version = pipeline_version(settings)
    cache = ResultCache(out_dir / "cache.sqlite", version)
    manifest = Manifest()
    records = iter_records([Path(p) for p in corpus], ingest_options.columns)
    articles = iter_articles(records, manifest, ingest_options)
    if progress:
        from tqdm.auto import tqdm

        articles = tqdm(articles, desc="run", unit=" articles", mininterval=1.0)
    writers = {"articles": ParquetChunkWriter(out_dir / "articles.parquet", ARTICLE_SCHEMA,
                                              row_group_size=1000)}
    writers.update({name: ParquetChunkWriter(out_dir / f"{name}.parquet", TABLE_SCHEMAS[name])
                    for name in ARTICLE_TABLES})
    result = RunResult(out_dir)
    backend = make_engine(engine, workers, settings, scheduler)

    def submissions() -> Iterator[tuple[Any, Any]]:
        for block in chunked(articles, settings.chunk_size):
            keys = [cache.key(article) for article in block]
            cached = cache.get_many(keys)
            todo = [a for a, k in zip(block, keys, strict=True) if k not in cached]
            handle = backend.submit([_article_payload(a) for a in todo]) if todo else None
            yield (block, keys, cached, todo), handle

    try:
        for (block, keys, cached, todo), computed in ordered_results(submissions(),
                                                                     backend.window):
            fresh = dict(zip([cache.key(a) for a in todo], computed or [], strict=True))
            if fresh:
                cache.put_many(sorted(fresh.items()))
            result.processed += len(fresh)
            result.reused += len(block) - len(fresh)
            writers["articles"].write_rows([asdict(article) for article in block])
            for name in ARTICLE_TABLES:
                rows = [row for key in keys for row in (fresh.get(key) or cached[key])[name]]
                writers[name].write_rows(rows)
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        backend.close()
        cache.close()
    summary = write_manifest(manifest, out_dir)
    if writers["articles"].rows == 0:
        for writer in writers.values():
            writer.abort()
        raise NothingKeptError(
            f"no article kept out of {summary['counts']['records']} records; see "
            f"{out_dir / 'manifest.json'}"
        )
    for writer in writers.values():
        writer.close()
    write_metrics(out_dir, settings)
    write_duckdb(out_dir)
    result.counts = {name: writer.rows for name, writer in writers.items()}
    result.seconds = time.perf_counter() - started
    write_run_record(out_dir, settings, version, result, summary, engine, workers)
    return result


def write_metrics(out_dir: Path, settings: RunSettings) -> None:
    """Compute the media-bias metrics and outlet comparisons from the written tables."""
    from analysis.bias import compute_comparisons, compute_metrics

    tables = load_tables(out_dir, ("articles", *ARTICLE_TABLES))
    tables["articles"] = tables["articles"].drop(columns=["text", "text_original", "offset_map"])
    metrics = compute_metrics(tables, freq=settings.freq, random_state=settings.random_state,
                              n_boot=settings.n_boot)
    comparisons = compute_comparisons(tables, random_state=settings.random_state)
    write_parquet(out_dir / "metrics.parquet", metrics.reset_index(drop=True))
    write_parquet(out_dir / "comparisons.parquet", comparisons.reset_index(drop=True))


def write_duckdb(out_dir: Path) -> Path:
    """A DuckDB database with one view per Parquet table (absolute paths)."""
    import duckdb

    target = out_dir / "analysis.duckdb"
    with atomic_path(target) as temporary:
        temporary.unlink()
        connection = duckdb.connect(str(temporary))
        try:
            for name in ALL_TABLES:
                table_path = (out_dir / f"{name}.parquet").resolve()
                if table_path.exists():
                    quoted = str(table_path).replace("'", "''")
                    connection.execute(
                        f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')"
                    )
            manifest_path = str((out_dir / "manifest.parquet").resolve()).replace("'", "''")
            connection.execute(
                f"CREATE VIEW manifest AS SELECT * FROM read_parquet('{manifest_path}')"
            )
        finally:
            connection.close()
    return target


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_run_record(out_dir: Path, settings: RunSettings, version: str, result: RunResult,
                     summary: dict[str, Any], engine: str, workers: int) -> None:
    """``run.json``: settings, version, counts and table hashes; written last."""
    tables = {name: _sha256(out_dir / f"{name}.parquet") for name in ALL_TABLES
              if (out_dir / f"{name}.parquet").exists()}
    write_json(out_dir / "run.json", {
        "pipeline_version": version,
        "settings": asdict(settings),
        "engine": engine,
        "workers": workers,
        "manifest": summary["counts"],
        "rows": result.counts,
        "processed": result.processed,
        "reused_from_cache": result.reused,
        "seconds": round(result.seconds, 2),
        "tables_sha256": tables,
    })


def settings_fields() -> list[str]:
    """Names of the :class:`RunSettings` fields (for the command line)."""
    return [f.name for f in fields(RunSettings)]
