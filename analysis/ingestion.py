"""The ingest stage on disk: stream a corpus into ``articles.parquet``, ``sentences.parquet``
and ``manifest.json`` (plus ``manifest.parquet``), in chunks of bounded size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from analysis.corpus import Article, IngestOptions, Manifest, iter_articles
from analysis.errors import NothingKeptError
from analysis.io import ParquetChunkWriter, write_json, write_parquet
from analysis.readers import iter_records
from analysis.sentences import segment

CHUNK_SIZE = 500

ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("outlet", pa.string()),
        ("date", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("text_original", pa.string()),
        ("url", pa.string()),
        ("lang", pa.string()),
        ("content_hash", pa.string()),
        ("flags", pa.string()),
        ("n_masked_numbers", pa.int32()),
        ("offset_map", pa.string()),
        ("source", pa.string()),
        ("record", pa.int64()),
        ("copy_of", pa.string()),
        ("near_duplicate_of", pa.string()),
        ("extra", pa.string()),
    ]
)
SENTENCE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
    ]
)
MANIFEST_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("record", pa.int64()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("article_id", pa.string()),
        ("duplicate_of", pa.string()),
    ]
)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _progress(iterable: Iterable[Article], enabled: bool) -> Iterable[Article]:
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, desc="ingest", unit=" articles", mininterval=1.0)


def write_ingest(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    options: IngestOptions | None = None,
    progress: bool = False,
) -> dict[str, Any]:
    """Ingest ``paths`` into ``out_dir``; returns the manifest summary and the sentence count.

    Raises :class:`NothingKeptError` (after writing the manifest) when no article was kept.
    """
    options = options or IngestOptions()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest()
    records = iter_records([Path(p) for p in paths], options.columns)
    articles = _progress(iter_articles(records, manifest, options), progress)
    article_writer = ParquetChunkWriter(out_dir / "articles.parquet", ARTICLE_SCHEMA,
                                        row_group_size=1000)
    sentence_writer = ParquetChunkWriter(out_dir / "sentences.parquet", SENTENCE_SCHEMA)
    try:
        for chunk in chunked(articles, CHUNK_SIZE):
            article_writer.write_rows([asdict(article) for article in chunk])
            sentences = segment([(a.article_id, a.text) for a in chunk])
            sentence_writer.write_rows([asdict(sentence) for sentence in sentences])
    except BaseException:
        article_writer.abort()
        sentence_writer.abort()
        raise
    summary = write_manifest(manifest, out_dir)
    if article_writer.rows == 0:
        article_writer.abort()
        sentence_writer.abort()
        raise NothingKeptError(
            f"no article kept out of {summary['counts']['records']} records; reasons: "
            + ", ".join(f"{reason} ({n})" for reason, n in summary["skip_reasons"].items())
            + f"; see {out_dir / 'manifest.json'}"
        )
    article_writer.close()
    sentence_writer.close()
    summary["sentences"] = sentence_writer.rows
    return summary


def write_manifest(manifest: Manifest, out_dir: Path) -> dict[str, Any]:
    """Write ``manifest.json`` and ``manifest.parquet``; return the summary."""
    summary = {"counts": manifest.counts(), "skip_reasons": manifest.skip_reasons()}
    write_json(out_dir / "manifest.json", {**summary, "records": manifest.to_records()})
    write_parquet(
        out_dir / "manifest.parquet",
        pa.Table.from_pylist(manifest.to_records(), schema=MANIFEST_SCHEMA),
    )
    return summary
