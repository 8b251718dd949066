"""Readers: turn corpus files into a stream of raw records, one per input article.

Every reader is a generator of :class:`RawRecord`, so that a 2 GB JSONL file is never held in
memory. A record that cannot be used (invalid JSON, undecodable bytes, a binary file) is still
yielded, with ``error`` set, so that the manifest can account for it; a file that cannot be read
as a corpus at all (a CSV without a text column) raises :class:`~analysis.errors.BadInputError`.

Supported inputs (dispatch on the file ending, see :func:`iter_records`):

``.txt``
    One article per file. In a folder, metadata come from a sidecar file ``metadata.csv`` or
    ``metadata.jsonl`` in that folder (columns ``file``, ``outlet``, ``date``, ``title``, ``url``)
    or, failing that, from the layout ``OUTLET/…/YYYY-MM-DD_anything.txt``: the first folder below
    the corpus root is the outlet and the first ISO date in the path is the date.
``.jsonl`` / ``.ndjson``
    One JSON object per line with at least a text field (``text`` by default).
``.csv`` / ``.tsv``
    One article per row; column names are configurable (:class:`ColumnMap`).
``.parquet``
    One article per row, read in batches.
``.html`` / ``.htm``
    A saved web page (main text extracted with trafilatura) or a Europresse export (several
    articles per file, recognised by its ``DocPublicationName`` markers).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import BadInputError, InputNotFoundError

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES | HTML_SUFFIXES
)
SIDECAR_NAMES = ("metadata.csv", "metadata.jsonl")
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
ISO_DATE = re.compile(r"(19|20)\d\d-[01]\d-[0-3]\d")


@dataclass(frozen=True)
class ColumnMap:
    """Names of the input fields that hold each article attribute (CSV, JSONL, Parquet)."""

    id: str = "id"
    text: str = "text"
    outlet: str = "outlet"
    date: str = "date"
    title: str = "title"
    url: str = "url"
    lang: str = "lang"

    def standard_fields(self) -> dict[str, str]:
        """Map input column name → article attribute."""
        return {
            self.id: "id",
            self.text: "text",
            self.outlet: "outlet",
            self.date: "date",
            self.title: "title",
            self.url: "url",
            self.lang: "lang",
        }


@dataclass
class RawRecord:
    """One input record before cleaning: where it comes from and its fields, or why it failed."""

    source: str
    record: int  #: line number (JSONL, CSV: 1-based, header is line 1), row or article index
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    encoding: str = "utf-8"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM stripped) or, failing that, cp1252 then latin-1.

    Returns the text and the encoding used. Raises ``ValueError`` for binary data.
    """
    if looks_binary(data):
        raise ValueError("binary content (NUL bytes or mostly control characters)")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable bytes")  # pragma: no cover - latin-1 decodes everything


def looks_binary(data: bytes) -> bool:
    """True when ``data`` looks like a binary file rather than text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def _open_text_lines(path: Path) -> Iterator[tuple[int, str, str]]:
    """Yield ``(line_number, line, encoding)``, decoding each line on its own (streaming)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield number, raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                yield number, raw.decode("cp1252", errors="replace"), "cp1252"


def read_jsonl(path: Path, columns: ColumnMap) -> Iterator[RawRecord]:
    """Stream a JSON-lines file: one record per non-blank line."""
    source = str(path)
    for number, line, encoding in _open_text_lines(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawRecord(source, number, error=f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield RawRecord(
                source, number, error=f"JSON value is a {type(obj).__name__}, not an object"
            )
            continue
        yield RawRecord(source, number, _rename(obj, columns), encoding=encoding)


def _rename(obj: dict[str, Any], columns: ColumnMap) -> dict[str, Any]:
    mapping = columns.standard_fields()
    out: dict[str, Any] = {}
    for key, value in obj.items():
        target = mapping.get(key, key)
        if target in out and key not in mapping:
            target = f"extra_{key}"
        out[target] = value
    return out


def read_csv(path: Path, columns: ColumnMap) -> Iterator[RawRecord]:
    """Stream a CSV (or TSV) file with a header line; raises if the text column is missing."""
    source = str(path)
    head = path.read_bytes()[:65536] if path.stat().st_size else b""
    if not head.strip():
        yield RawRecord(source, 1, error="empty file")
        return
    if looks_binary(head):
        yield RawRecord(source, 1, error="binary content (NUL bytes or mostly control characters)")
        return
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the end of the sample is not an encoding error.
        encoding = "utf-8-sig" if exc.start > len(head) - 4 else "cp1252"
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(head, encoding)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:  # pragma: no cover - guarded by the empty check above
            yield RawRecord(source, 1, error="empty file")
            return
        header = [name.strip() for name in header]
        if columns.text not in header:
            raise BadInputError(
                f"no text column {columns.text!r} in the header (columns found: "
                f"{', '.join(map(repr, header)) or 'none'}); name it with --text-column",
                path=path,
                line=1,
            )
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield RawRecord(
                    source,
                    number,
                    error=f"row has {len(row)} fields, header has {len(header)}",
                )
                continue
            yield RawRecord(
                source,
                number,
                _rename(dict(zip(header, row, strict=True)), columns),
                encoding=encoding.replace("-sig", ""),
            )


def _sniff_delimiter(head: bytes, encoding: str) -> str:
    first_line = head.decode(encoding, errors="replace").splitlines()[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_parquet(path: Path, columns: ColumnMap) -> Iterator[RawRecord]:
    """Stream a Parquet file batch by batch; raises if the text column is missing."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise BadInputError(f"not a readable Parquet file ({exc})", path=path) from exc
    names = parquet.schema_arrow.names
    if columns.text not in names:
        raise BadInputError(
            f"no text column {columns.text!r} (columns found: {', '.join(map(repr, names))}); "
            "name it with --text-column",
            path=path,
        )
    number = 0
    for batch in parquet.iter_batches(batch_size=1000):
        for row in batch.to_pylist():
            number += 1
            yield RawRecord(str(path), number, _rename(row, columns))


def read_text_file(path: Path, metadata: dict[str, Any] | None = None) -> Iterator[RawRecord]:
    """One ``.txt`` file is one article."""
    source = str(path)
    data = path.read_bytes()
    if not data.strip():
        yield RawRecord(source, 1, error="empty file")
        return
    try:
        text, encoding = decode_bytes(data)
    except ValueError as exc:
        yield RawRecord(source, 1, error=str(exc))
        return
    fields: dict[str, Any] = {"id": path.stem, "text": text}
    fields.update(metadata or {})
    yield RawRecord(source, 1, fields, encoding=encoding)


def read_html_file(path: Path) -> Iterator[RawRecord]:
    """A saved web page (trafilatura) or a Europresse export (several articles)."""
    from analysis import html_readers

    source = str(path)
    data = path.read_bytes()
    if not data.strip():
        yield RawRecord(source, 1, error="empty file")
        return
    try:
        html, encoding = decode_bytes(data)
    except ValueError as exc:
        yield RawRecord(source, 1, error=str(exc))
        return
    if html_readers.is_europresse(html):
        for index, fields in enumerate(html_readers.parse_europresse(html), start=1):
            fields.setdefault("id", f"{path.stem}-{index}")
            error = None if fields.get("text") else "no article text found in the export entry"
            yield RawRecord(source, index, fields, error=error, encoding=encoding)
        return
    fields = html_readers.extract_web_page(html)
    if not fields.get("text"):
        yield RawRecord(source, 1, error="no main text found in the web page")
        return
    fields.setdefault("id", path.stem)
    yield RawRecord(source, 1, fields, encoding=encoding)


def _sidecar_metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """Read ``metadata.csv`` / ``metadata.jsonl`` of a folder of text files, keyed by file name."""
    for name in SIDECAR_NAMES:
        sidecar = folder / name
        if not sidecar.exists():
            continue
        table: dict[str, dict[str, Any]] = {}
        rows: Iterator[RawRecord]
        rows = (
            read_csv(sidecar, ColumnMap(text="file"))
            if name.endswith(".csv")
            else (read_jsonl(sidecar, ColumnMap(text="file")))
        )
        for row in rows:
            if row.error:
                raise BadInputError(
                    f"unreadable metadata row: {row.error}", path=sidecar, line=row.record
                )
            fields = dict(row.fields)
            file_name = str(fields.pop("text"))
            table[file_name] = {k: v for k, v in fields.items() if v not in (None, "")}
        return table
    return {}


def _layout_metadata(path: Path, root: Path) -> dict[str, Any]:
    """Outlet and date from the folder layout ``OUTLET/…/YYYY-MM-DD_anything.txt``."""
    relative = path.relative_to(root)
    meta: dict[str, Any] = {"id": relative.with_suffix("").as_posix()}
    if len(relative.parts) > 1:
        meta["outlet"] = relative.parts[0]
    found = ISO_DATE.search(relative.as_posix())
    if found:
        meta["date"] = found.group()
    return meta


def _corpus_files(root: Path) -> list[Path]:
    files = [
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def iter_records(
    paths: list[Path] | tuple[Path, ...],
    columns: ColumnMap | None = None,
) -> Iterator[RawRecord]:
    """Yield every record of every input path (files or folders), in a stable order."""
    columns = columns or ColumnMap()
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputNotFoundError("no such file or folder", path=path)
        if path.is_dir():
            yield from _iter_folder(path, columns)
        else:
            yield from _iter_file(path, columns, metadata=None)


def _iter_folder(root: Path, columns: ColumnMap) -> Iterator[RawRecord]:
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in _corpus_files(root):
        if path.name in SIDECAR_NAMES:
            continue
        if path.suffix.lower() in TEXT_SUFFIXES:
            folder = path.parent
            if folder not in sidecars:
                sidecars[folder] = _sidecar_metadata(folder)
            meta = _layout_metadata(path, root)
            meta.update(sidecars[folder].get(path.name, {}))
            yield from _iter_file(path, columns, metadata=meta)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield from _iter_file(path, columns, metadata=None)
        else:
            yield RawRecord(
                str(path), 1, error=f"unsupported file type {path.suffix or '(none)'!r}"
            )


def _iter_file(
    path: Path,
    columns: ColumnMap,
    metadata: dict[str, Any] | None,
) -> Iterator[RawRecord]:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield from read_text_file(path, metadata)
    elif suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, columns)
    elif suffix in CSV_SUFFIXES:
        yield from read_csv(path, columns)
    elif suffix in PARQUET_SUFFIXES:
        yield from read_parquet(path, columns)
    elif suffix in HTML_SUFFIXES:
        yield from read_html_file(path)
    else:
        raise BadInputError(
            f"unsupported file type {suffix or '(none)'!r}; supported: "
            + ", ".join(sorted(SUPPORTED_SUFFIXES)),
            path=path,
        )
