"""Atomic, deterministic writing of tables and JSON.

Every output goes to a temporary file in the destination folder and is renamed over the target
only once complete, so an interrupted run never leaves a half-written table: readers see the
previous version or the new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it to ``target`` if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        with open(temporary_path, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary_path, 0o644)
        os.replace(temporary_path, target)
    finally:
        temporary_path.unlink(missing_ok=True)


def write_text(target: Path | str, text: str) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(target)


def write_json(target: Path | str, data: Any) -> Path:
    """Write JSON atomically, keys in insertion order, UTF-8, indented."""
    return write_text(target, json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def write_parquet(target: Path | str, table: pd.DataFrame | pa.Table) -> Path:
    """Write a table as Parquet atomically and byte-reproducibly (no index, fixed options)."""
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    table = table.replace_schema_metadata(None)
    with atomic_path(target) as temporary:
        pq.write_table(
            table,
            temporary,
            compression="zstd",
            use_dictionary=True,
            write_statistics=True,
            store_schema=False,
        )
    return Path(target)


class ParquetChunkWriter:
    """Append rows to one Parquet file, published atomically by :meth:`close`.

    Rows are buffered and written in row groups of exactly ``row_group_size`` rows (the last
    one shorter), so the file's bytes do not depend on how the rows were chunked on the way.
    """

    def __init__(
        self, target: Path | str, schema: pa.Schema, row_group_size: int = 20_000
    ) -> None:
        self.target = Path(target)
        self.schema = schema.remove_metadata()
        self.row_group_size = row_group_size
        self._context = atomic_path(self.target)
        self._temporary = self._context.__enter__()
        self._writer = pq.ParquetWriter(
            self._temporary, self.schema, compression="zstd", store_schema=False
        )
        self._buffer: list[dict[str, Any]] = []
        self.rows = 0

    def write_rows(self, rows: list[dict[str, Any]]) -> None:
        self._buffer.extend(rows)
        self.rows += len(rows)
        while len(self._buffer) >= self.row_group_size:
            self._flush(self.row_group_size)

    def _flush(self, count: int) -> None:
        batch, self._buffer = self._buffer[:count], self._buffer[count:]
        table = pa.Table.from_pylist(batch, schema=self.schema)
        self._writer.write_table(table, row_group_size=count)

    def close(self) -> Path:
        if self._buffer:
            self._flush(len(self._buffer))
        self._writer.close()
        self._context.__exit__(None, None, None)
        return self.target

    def abort(self) -> None:
        self._writer.close()
        with contextlib.suppress(Exception):
            self._context.__exit__(RuntimeError, RuntimeError("aborted"), None)
