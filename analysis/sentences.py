"""French sentence segmentation, robust to news copy and machine-translation artifacts.

spaCy's statistical parser splits French news badly at quotation marks (it breaks
``"La Russie ne pourra plus surprendre personne, l'Ukraine …", a dit X`` after *personne*, or a
sentence after an opening « glued to a name). The ``conflict_sentences`` component sets every
boundary from rules before the parser runs, and the parser keeps them:

* a paragraph break (blank line) or a line break before a capital, digit, dash or quote ends a
  sentence;
* ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or brackets) ends a sentence
  when the next word starts with a capital letter, a digit or an opening quote;
* except after abbreviations (M., Mme., Dr., St., etc.) and single-letter initials (J. Biden).

No other token may start a sentence. :func:`segment` returns one :class:`Sentence` per sentence
with offsets in the article's cleaned text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT_NAME = "conflict_sentences"
END_PUNCT = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSERS = {'"', "»", "›", ")", "]", "'"}
OPENERS = {'"', "«", "‹", "(", "[", "—", "–", "-", "'"}
ABBREVIATIONS = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "me",
    "mgr",
    "gal",
    "gén",
    "col",
    "cdt",
    "lt",
    "sgt",
    "cf",
    "etc",
    "env",
    "av",
    "apr",
    "j.-c",
    "vol",
    "p",
    "no",
    "n°",
    "art",
    "ch",
    "fig",
    "éd",
    "dir",
    "coll",
    "min",
    "max",
    "tél",
    "vs",
}


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; ``start``/``end`` are offsets in the cleaned text."""

    article_id: str
    sent_idx: int
    start: int
    end: int
    text: str


def _starts_sentence_word(text: str) -> bool:
    first = text[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in OPENERS)


def _is_abbreviation(token_text: str) -> bool:
    word = token_text.rstrip(".").lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def boundary_flags(doc: Doc) -> list[bool]:
    """For each token, whether it starts a sentence under the rules of this module."""
    flags = [False] * len(doc)
    if not len(doc):
        return flags
    flags[0] = True
    text_of_doc = doc.text  # Doc.text joins every token: compute it once
    previous_end = False  # a sentence-final mark was seen and not yet consumed
    previous_word = ""
    line_break = False
    for i, token in enumerate(doc):
        text = token.text
        if token.is_space:
            if "\n" in text:
                line_break = True
            continue
        if i > 0 and not flags[i]:
            paragraph = "\n\n" in text_of_doc[doc[i - 1].idx : token.idx + 1]
            starts_like_sentence = _starts_sentence_word(text)
            after_line_break = line_break and (paragraph or starts_like_sentence)
            after_end_mark = previous_end and starts_like_sentence and text not in CLOSERS
            flags[i] = after_line_break or after_end_mark
        line_break = "\n" in token.whitespace_
        if flags[i]:
            previous_end = False
        if text in END_PUNCT or (
            text.endswith(".")
            and len(text) > 1
            and text[:-1].isalpha()
            and not _is_abbreviation(text)
        ):
            previous_end = not (text == "." and _is_abbreviation(previous_word))
        elif text in CLOSERS and previous_end:
            pass  # « … ». or "…". keep the end state across the closing mark
        else:
            previous_end = False
        previous_word = text
    return flags


@Language.component(COMPONENT_NAME)
def conflict_sentences(doc: Doc) -> Doc:
    """spaCy component: set ``is_sent_start`` on every token from :func:`boundary_flags`."""
    for token, flag in zip(doc, boundary_flags(doc), strict=True):
        token.is_sent_start = flag
    return doc


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``doc``, without surrounding whitespace."""
    spans = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if not tokens:
            continue
        spans.append((tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)))
    return spans


def segment_doc(article_id: str, doc: Doc) -> list[Sentence]:
    """Sentences of one processed document."""
    text = doc.text
    return [
        Sentence(article_id, index, start, end, text[start:end])
        for index, (start, end) in enumerate(sentence_spans(doc))
    ]


def segment(
    articles: Iterable[tuple[str, str]], nlp: Language | None = None, batch_size: int = 64
) -> Iterator[Sentence]:
    """Segment ``(article_id, cleaned_text)`` pairs with the tokenizer and the sentence rules."""
    from analysis.nlp import load_nlp

    nlp = nlp or load_nlp(parse=False)
    stream = ((text, article_id) for article_id, text in articles)
    for doc, article_id in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield from segment_doc(article_id, doc)
