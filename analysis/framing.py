"""Framing counts per sentence: conflict and cooperation vocabulary, loaded words, and
textblob-fr's subjectivity and polarity.

The vocabulary is data (``data/lexicons/framing.yml``): single words match by spaCy lemma
(lower case, accents kept), multiword expressions by lower-case words with a ``PhraseMatcher``.
Counting is a set lookup per token, so it costs little next to the parse.

textblob-fr (``PatternAnalyzer``) is called on the raw sentence text; its tokenizers and
``PatternTagger`` are never used (they need NLTK downloads or fail on modern Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from analysis import config
from analysis.errors import BadInputError

FRAMING_LEXICON = config.LEXICON_DIR / "framing.yml"
CATEGORIES = ("conflict", "cooperation", "loaded")


@dataclass(frozen=True)
class FrameCounts:
    """Counts of one sentence."""

    n_tokens: int
    n_conflict: int
    n_cooperation: int
    n_loaded: int
    words: tuple[str, ...]  #: the matched words, in text order


@dataclass(frozen=True)
class FramingLexicon:
    """Lemmas and phrases of each framing category."""

    lemmas: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]


@lru_cache(maxsize=4)
def load_framing_lexicon(path: Path | str = FRAMING_LEXICON) -> FramingLexicon:
    """Read and check ``framing.yml``; errors name the file and the key."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lemmas, phrases = {}, {}
    for category in CATEGORIES:
        entry = data.get(category) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("lemmas"), list):
            raise BadInputError(f"{category}: expected a mapping with a 'lemmas' list", path=path)
        lemmas[category] = frozenset(str(word).lower() for word in entry["lemmas"])
        phrases[category] = tuple(str(p).lower() for p in entry.get("phrases") or [])
    return FramingLexicon(lemmas, phrases)


class FramingCounter:
    """Counts framing words in spaCy sentences; build once, call :meth:`count` per sentence."""

    def __init__(self, lexicon: FramingLexicon | None = None) -> None:
        self.lexicon = lexicon or load_framing_lexicon()
        self._matchers: dict[int, PhraseMatcher] = {}

    def _matcher(self, vocab) -> PhraseMatcher:
        key = id(vocab)
        if key not in self._matchers:
            matcher = PhraseMatcher(vocab, attr="LOWER")
            for category in CATEGORIES:
                patterns = [Doc(vocab, words=phrase.replace("'", "' ").split())
                            for phrase in self.lexicon.phrases[category]]
                if patterns:
                    matcher.add(category, patterns)
            self._matchers[key] = matcher
        return self._matchers[key]

    def count_sentences(self, doc: Doc) -> list[FrameCounts]:
        """Framing counts of every non-blank sentence of ``doc``, in the order of
        :func:`analysis.sentences.segment_doc` (the phrase matcher runs once per document)."""
        phrase_hits: dict[int, str] = {}
        phrase_starts: dict[int, tuple[str, str]] = {}
        for match_id, start, end in self._matcher(doc.vocab)(doc):
            category = doc.vocab.strings[match_id]
            phrase_starts[start] = (category, doc[start:end].text)
            for i in range(start, end):
                phrase_hits[i] = category
        return [self._count(sentence, phrase_hits, phrase_starts) for sentence in doc.sents
                if any(not token.is_space for token in sentence)]  # as segment_doc

    def count(self, span: Span) -> FrameCounts:
        """Framing counts of one sentence (a spaCy ``Span``)."""
        for sentence, counts in zip(span.doc.sents, self.count_sentences(span.doc), strict=True):
            if sentence.start == span.start and sentence.end == span.end:
                return counts
        return self.count_sentences(span.as_doc())[0] if len(span) else FrameCounts(
            0, 0, 0, 0, ())

    def _count(self, span: Span, phrase_hits: dict[int, str],
               phrase_starts: dict[int, tuple[str, str]]) -> FrameCounts:
        counts = dict.fromkeys(CATEGORIES, 0)
        words: list[str] = []
        n_tokens = 0
        for token in span:
            if token.is_punct or token.is_space:
                continue
            n_tokens += 1
            if token.i in phrase_hits:
                if token.i in phrase_starts:
                    category, text = phrase_starts[token.i]
                    counts[category] += 1
                    words.append(text)
                continue
            lemma = (token.lemma_ or token.text).lower()
            for category in CATEGORIES:
                if lemma in self.lexicon.lemmas[category]:
                    counts[category] += 1
                    words.append(token.text)
        return FrameCounts(n_tokens, counts["conflict"], counts["cooperation"], counts["loaded"],
                           tuple(words))


@lru_cache(maxsize=1)
def _analyzer():
    from textblob_fr import PatternAnalyzer

    return PatternAnalyzer()


def polarity_subjectivity(text: str) -> tuple[float, float]:
    """textblob-fr (polarity in [-1, 1], subjectivity in [0, 1]) of ``text``, in one call."""
    value = _analyzer().analyze(text)
    return float(value[0]), float(value[1])


def polarity(text: str) -> float:
    """textblob-fr polarity of ``text``, in [-1, 1]."""
    return float(_analyzer().analyze(text)[0])


def subjectivity(text: str) -> float:
    """textblob-fr subjectivity of ``text``, in [0, 1]."""
    return float(_analyzer().analyze(text)[1])
