"""Corpus ingestion: raw records → cleaned, deduplicated articles, and a manifest.

:func:`iter_articles` is a generator (constant memory apart from the duplicate index), so any
corpus size streams through it. Every input record ends in the :class:`Manifest` with one status:

``kept``
    the article is in the articles table;
``skipped``
    with a reason (invalid JSON, empty text, binary file, not French, too long, …);
``duplicate``
    the same cleaned text was already kept for the same outlet (``duplicate_of`` names it).

Copies across outlets (one wire dispatch printed by two papers) are kept, since each outlet did
publish it, and flagged with ``copy_of``; near-duplicates (MinHash Jaccard ≥ 0.8 on word 5-grams)
are kept and flagged with ``near_duplicate_of`` so that a user can filter them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.cleaning import HTML_TAG, clean_text, masked_number_spans
from analysis.dates import parse_french_date
from analysis.readers import ColumnMap, RawRecord, iter_records

STANDARD_FIELDS = ("id", "text", "outlet", "date", "title", "url", "lang")
MIN_CHARS_FOR_LANGUAGE = 40
NEAR_DUPLICATE_THRESHOLD = 0.8
MINHASH_PERMUTATIONS = 64


@dataclass(frozen=True)
class Article:
    """One kept article. Offsets elsewhere in the toolkit point into ``text`` (the cleaned text)."""

    article_id: str
    outlet: str | None
    date: str | None
    title: str | None
    text: str
    text_original: str
    url: str | None
    lang: str
    content_hash: str
    flags: str  #: ``;``-separated flags, e.g. ``masked_numbers;encoding:cp1252``
    n_masked_numbers: int
    offset_map: str  #: JSON list of ``[clean_offset, original_offset]`` anchors
    source: str
    record: int
    copy_of: str | None = None
    near_duplicate_of: str | None = None
    extra: str = "{}"  #: JSON object with the input's other fields, kept as they were


@dataclass(frozen=True)
class ManifestEntry:
    """What happened to one input record."""

    source: str
    record: int
    status: str  #: kept, skipped or duplicate
    reason: str | None = None
    article_id: str | None = None
    duplicate_of: str | None = None


@dataclass
class Manifest:
    """Accounts for every input record."""

    entries: list[ManifestEntry] = field(default_factory=list)

    def add(self, entry: ManifestEntry) -> None:
        self.entries.append(entry)

    def counts(self) -> dict[str, int]:
        counter = Counter(entry.status for entry in self.entries)
        return {
            "records": len(self.entries),
            "kept": counter["kept"],
            "skipped": counter["skipped"],
            "duplicate": counter["duplicate"],
        }

    def skip_reasons(self) -> dict[str, int]:
        counter = Counter(
            (entry.reason or "").split(" (")[0]
            for entry in self.entries
            if entry.status == "skipped"
        )
        return dict(sorted(counter.items()))

    def to_records(self) -> list[dict[str, Any]]:
        return [asdict(entry) for entry in self.entries]

    def to_json(self) -> str:
        body = {
            "counts": self.counts(),
            "skip_reasons": self.skip_reasons(),
            "records": self.to_records(),
        }
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


@dataclass
class IngestOptions:
    """Settings of the ingestion stage."""

    columns: ColumnMap = field(default_factory=ColumnMap)
    languages: tuple[str, ...] = ("fr",)  #: languages kept; empty keeps every language
    max_chars: int = config.MAX_ARTICLE_CHARS
    near_duplicates: bool = True


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (py3langid, offline), or ``und`` when too short to tell."""
    import py3langid

    sample = text[:3000]
    if sum(char.isalpha() for char in sample) < MIN_CHARS_FOR_LANGUAGE:
        return "und"
    return str(py3langid.classify(sample)[0])


def content_hash(text: str) -> str:
    """Stable hash of a cleaned text (first 32 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas-written files
        return None
    text = str(value).strip()
    return text or None


class _DuplicateIndex:
    """Exact duplicates (by outlet and hash), cross-outlet copies, and MinHash near-duplicates."""

    def __init__(self, near_duplicates: bool) -> None:
        self.by_outlet_hash: dict[tuple[str | None, str], str] = {}
        self.by_hash: dict[str, str] = {}
        self.lsh = None
        if near_duplicates:
            from datasketch import MinHashLSH

            self.lsh = MinHashLSH(threshold=NEAR_DUPLICATE_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)

    def exact(self, outlet: str | None, digest: str) -> str | None:
        return self.by_outlet_hash.get((outlet, digest))

    def copy(self, digest: str) -> str | None:
        return self.by_hash.get(digest)

    def near(self, article_id: str, text: str) -> str | None:
        if self.lsh is None:
            return None
        from datasketch import MinHash

        words = text.lower().split()
        shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
        signature = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
        signature.update_batch([shingle.encode("utf-8") for shingle in sorted(shingles)])
        matches = sorted(self.lsh.query(signature))
        self.lsh.insert(article_id, signature)
        return matches[0] if matches else None

    def remember(self, outlet: str | None, digest: str, article_id: str) -> None:
        self.by_outlet_hash[(outlet, digest)] = article_id
        self.by_hash.setdefault(digest, article_id)


def _fill_seed_metadata(record: RawRecord) -> None:
    """The seed article's file carries no metadata: add the outlet and date documented in config."""
    try:
        is_seed = Path(record.source).resolve() == config.SEED_ARTICLE.resolve()
    except OSError:  # pragma: no cover
        is_seed = False
    if is_seed:
        for key, value in config.SEED_METADATA.items():
            record.fields.setdefault(key, value)


def iter_articles(
    records: Iterable[RawRecord], manifest: Manifest, options: IngestOptions | None = None
) -> Iterator[Article]:
    """Clean, filter and deduplicate raw records; every record is added to ``manifest``."""
    options = options or IngestOptions()
    index = _DuplicateIndex(options.near_duplicates)
    ids: Counter[str] = Counter()
    for record in records:
        if record.error:
            manifest.add(ManifestEntry(record.source, record.record, "skipped", record.error))
            continue
        _fill_seed_metadata(record)
        article_or_reason = _build_article(record, options, ids, index)
        if isinstance(article_or_reason, ManifestEntry):
            manifest.add(article_or_reason)
            continue
        article = article_or_reason
        manifest.add(
            ManifestEntry(record.source, record.record, "kept", article_id=article.article_id)
        )
        yield article


def _build_article(
    record: RawRecord,
    options: IngestOptions,
    ids: Counter[str],
    index: _DuplicateIndex,
) -> Article | ManifestEntry:
    fields = record.fields
    raw_text = fields.get("text")

    def skip(reason: str) -> ManifestEntry:
        return ManifestEntry(record.source, record.record, "skipped", reason)

    if raw_text is None or (isinstance(raw_text, float) and raw_text != raw_text):
        return skip("no text field")
    if not isinstance(raw_text, str):
        return skip(f"text field is a {type(raw_text).__name__}, not a string")
    if len(raw_text) > options.max_chars:
        return skip(
            f"too long ({len(raw_text):,} characters > limit {options.max_chars:,}; "
            "split the article or raise --max-chars)"
        )
    cleaned = clean_text(raw_text)
    if not cleaned.text.strip():
        return skip("empty text")
    lang = _as_text(fields.get("lang")) or detect_language(cleaned.text)
    if options.languages and lang not in options.languages and lang != "und":
        return skip(f"language {lang} (kept: {', '.join(options.languages)})")

    outlet = _as_text(fields.get("outlet"))
    digest = content_hash(cleaned.text)
    earlier = index.exact(outlet, digest)
    if earlier is not None:
        return ManifestEntry(
            record.source,
            record.record,
            "duplicate",
            "same text and outlet as an earlier record",
            duplicate_of=earlier,
        )

    flags: list[str] = []
    base_id = _as_text(fields.get("id")) or f"{Path(record.source).stem}-{record.record}"
    ids[base_id] += 1
    article_id = base_id if ids[base_id] == 1 else f"{base_id}~{ids[base_id]}"
    if ids[base_id] > 1:
        flags.append("duplicate_id")
    raw_date = fields.get("date")
    date = parse_french_date(raw_date)
    if raw_date not in (None, "") and date is None:
        flags.append("unparsed_date")
    masked = masked_number_spans(cleaned.text)
    if masked:
        flags.append("masked_numbers")
    if record.encoding not in ("utf-8", "utf-8-sig"):
        flags.append(f"encoding:{record.encoding}")
    if HTML_TAG.search(raw_text):
        flags.append("html_markup")
    if cleaned.text != raw_text:
        flags.append("cleaned")
    extra = {k: v for k, v in fields.items() if k not in STANDARD_FIELDS}
    if "unparsed_date" in flags:
        extra["date_raw"] = raw_date
    copy_of = index.copy(digest)
    near = None if copy_of else index.near(article_id, cleaned.text)
    index.remember(outlet, digest, article_id)
    return Article(
        article_id=article_id,
        outlet=outlet,
        date=date,
        title=_as_text(fields.get("title")),
        text=cleaned.text,
        text_original=raw_text,
        url=_as_text(fields.get("url")),
        lang=lang,
        content_hash=digest,
        flags=";".join(flags),
        n_masked_numbers=len(masked),
        offset_map=json.dumps(cleaned.offset_map),
        source=record.source,
        record=record.record,
        copy_of=copy_of,
        near_duplicate_of=near,
        extra=json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str),
    )


def ingest(
    paths: Iterable[Path | str] = config.DEFAULT_CORPUS, options: IngestOptions | None = None
) -> tuple[list[Article], Manifest]:
    """Read a (small) corpus into memory: the articles kept and the manifest.

    For large corpora, iterate over :func:`iter_articles` instead (see :mod:`analysis.pipeline`).
    """
    options = options or IngestOptions()
    manifest = Manifest()
    records = iter_records([Path(p) for p in paths], options.columns)
    articles = list(iter_articles(records, manifest, options))
    return articles, manifest
