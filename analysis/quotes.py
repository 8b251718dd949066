"""Quotations and their speakers in French news text: who says what.

Method (rules over one spaCy parse, no model of its own):

* **Direct quotes** are found on the characters: « » ‹ › “ ” and straight ``"`` marks are paired
  line by line. A straight mark's role comes from its neighbours (``␣"Mot`` opens, ``mot"␣``
  closes) or, when ambiguous, from the pairing state, so machine-translation damage such as an
  opening « closed by ``"`` or a mark glued to a word still pairs. An unclosed « runs to the end
  of its line. A quote may span several sentences; an incise inside guillemets
  (``« A, a martelé X, B »``) splits it into two quotes with the same speaker. Short quotes
  (three words or fewer, no verb) count only when attributed (``a qualifié ... de « provocantes
  »``), so titles and scare quotes (la « menace » russe) are skipped.
* **Reported speech**: a reporting verb from ``data/lexicons/reporting_verbs.yml`` (matched by
  spaCy lemma and by every conjugated form generated from the lemma, so all tenses and
  inversions work) with the frame it takes there: a ``que`` clause, a bare infinitive, ``de`` +
  infinitive, ``Y de ...`` (accuser), ``à`` + infinitive (appeler), ``qualifier Y de Z``; and an
  unquoted clause followed by an incise (``La Russie n'attaquera pas, a assuré le ministre``).
* **Selon**: ``selon X``, ``d'après X``, ``à en croire X``, ``de l'avis de X``, ``aux yeux de
  X`` and ``pour X,`` (when X is a person, an actor or a speaker noun) attribute their clause.
* **Speakers**: the inverted subject of an incise (``a déclaré X``, ``a-t-il ajouté``), the
  subject of the reporting verb before the quote (dependency ``nsubj``, climbing ``conj``/``advcl``
  for ``en accusant``, else the noun phrase on its left), the clause before a colon, a name glued
  before the opening mark, or the speaker of the previous quote when a quote stands alone.
  Pronouns go to the nearest preceding speaker or subject that names a person or an actor; a
  participle adjunct (``, affirmant que``) takes the subject of the verb before it.
* **Actors**: the speaker phrase is resolved by the actor registry (dated roles by the article
  date); failing that, the actor mention nearest the head of the phrase (``un rapport de
  renseignement américain`` → USA), unless the head names an analyst, expert or journalist, who
  speak for no actor. A summit communiqué speaks for the organisation holding the summit, and a
  bare ``le président`` / ``le chef de l'État`` for the one president named just before.

Span conventions (the annotated set follows them): direct = the text inside the marks; indirect =
the complement clause without ``que``/``de`` and the final period; selon = the attributed clause
without the framing and the final period.

Limits: rules read the parse of a small model, which mis-tags guillemets and some verbs, so
speakers are found by surface patterns first and the parse second; free indirect speech, speakers
named two or more sentences away and nested quotes inside quotes are missed; ``pour X,`` is only
read at the start of a sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from analysis import config
from analysis.sentences import sentence_spans

LEXICON_PATH = config.LEXICON_DIR / "reporting_verbs.yml"
KINDS = ("direct", "indirect", "selon")
FRAMES = ("que", "inf", "de", "obj_de", "a", "a_np", "qualify")

OPEN_MARKS = {"«": "»", "‹": "›", "“": "”", "„": "”"}
CLOSE_MARKS = {"»", "›", "”"}
STRAIGHT = '"'
QUOTE_CHARS = set(OPEN_MARKS) | CLOSE_MARKS | {STRAIGHT}
_MARK_RE = re.compile('[«»‹›“”„"]')
_WORD_RE = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)

#: Words that may sit between an auxiliary and the participle, or around a verb group.
ADVERBS = {
    "également", "encore", "aussi", "déjà", "ainsi", "alors", "notamment", "enfin", "ensuite",
    "pourtant", "toutefois", "cependant", "néanmoins", "même", "bien", "clairement", "plusieurs",
    "fois", "publiquement", "récemment", "hier", "aujourd'hui", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "soir", "matin", "midi", "après-midi", "dernier",
    "dernière", "plus", "tôt", "tard", "vivement", "fermement", "immédiatement", "aussitôt",
    "nouveau", "toujours", "sèchement", "volontiers", "outre", "ailleurs",
    "simplement", "seulement", "directement", "officiellement", "explicitement", "souvent",
}
CLITICS = {"ne", "n'", "se", "s'", "lui", "leur", "l'", "le", "la", "les", "y", "en", "m'", "me",
           "nous", "vous", "t'", "te"}
INVERTED_PRONOUNS = {"-il", "-elle", "-ils", "-elles", "-on", "-je", "-nous", "-vous"}
STRICT_DETERMINERS = {"un", "une", "des", "du", "ce", "cet", "cette", "ces", "son", "sa", "ses",
                      "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes", "au",
                      "aux", "quel", "quelle", "chaque", "la", "les", "le", "l'"}
CONNECTORS = {"mais", "et", "or", "toutefois", "cependant", "pourtant", "enfin", "ainsi", "donc",
              "par", "ailleurs", "en", "outre", "néanmoins", "d'ailleurs", "aussi", "surtout",
              "là", "encore", ","}
SENT_END = {".", "!", "?", "…", "...", "?!", "!?"}
TRAILING = {".", "…", "...", ",", ";", ":"}
CLAUSE_BREAKS = {";", ":"}
CONJ_HEADS = {"parce", "tandis", "alors", "bien", "avant", "après", "dès", "pour", "sans",
              "afin", "si", "ainsi", "tel", "telle", "plus", "moins", "autant", "aussi", "lors",
              "pendant", "depuis", "même", "sorte", "façon", "manière", "ce", "fait", "tant",
              "jusqu'", "puisque", "maintenant", "malgré", "non", "à", "mesure"}
PP_STARTS = {"à", "dans", "sur", "devant", "lors", "au", "aux", "auprès", "face", "pendant",
             "via", "depuis", "sous", "en", "après", "avant"}
RELATIVES = {"laquelle", "lequel", "lesquels", "lesquelles", "que", "qu'", "quoi", "qui"}


@dataclass(frozen=True)
class Quote:
    """One quotation: its span in the cleaned text, kind, reporting verb and speaker.

    ``start``/``end`` delimit the quoted content (without the marks, ``que`` or the ``selon``
    framing); ``speaker_start``/``speaker_end`` the speaker phrase (or its antecedent for a
    pronoun); ``sent_start``/``sent_end`` the first and last sentence indices the quote covers.
    """

    article_id: str
    quote_idx: int
    start: int
    end: int
    text: str
    kind: str
    verb: str | None
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_canonical: str | None
    speaker_actor: str | None
    sent_start: int
    sent_end: int


# --- the lexicon ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportingLexicon:
    """Reporting cues read from ``reporting_verbs.yml``, with every generated verb form."""

    frames: dict[str, frozenset[str]]
    forms: dict[str, str]
    multiword: dict[str, tuple[tuple[str, ...], ...]]
    selon_markers: tuple[tuple[str, ...], ...]
    source_heads: frozenset[str]
    non_actor_heads: frozenset[str]
    title_heads: frozenset[str]
    pronouns: frozenset[str]
    empty_subjects: frozenset[str]
    summit_nouns: frozenset[str] = frozenset()

    def verb_frames(self, lemma: str) -> frozenset[str]:
        """Frames of a reporting verb; a ``KeyError`` names an unknown lemma."""
        if lemma not in self.frames:
            raise KeyError(f"not a reporting verb in {LEXICON_PATH.name}: {lemma!r}")
        return self.frames[lemma]


_MUTE_ER = ("e", "ent", "erai", "era", "erons", "erez", "eront", "erais", "erait",
            "erions", "eriez", "eraient")
_PLAIN_ER = ("ons", "ez", "ais", "ait", "ions", "iez", "aient", "ai", "a", "âmes", "èrent",
             "é", "ée", "és", "ées", "ant", "er", "asse", "ât")
_IR2 = ("is", "it", "issons", "issez", "issent", "issais", "issait", "issions", "issaient",
        "irai", "ira", "irons", "iront", "irais", "irait", "iraient", "isse", "i", "ie", "ies",
        "issant", "ir", "îmes", "irent")


def _er_stems(stem: str) -> set[str]:
    """Stems of an -er verb before a mute ending (répét → répèt, appel → appell/appèl)."""
    stems = {stem}
    match = re.search(r"([éeè])([^aeiouyéèêâîôû]+)$", stem)
    if match:
        vowel_at = match.start(1)
        consonants = match.group(2)
        stems.add(stem[:vowel_at] + "è" + consonants)
        if match.group(1) == "e" and consonants in {"l", "t"}:
            stems.add(stem + consonants)
    if stem.endswith("y"):
        stems.add(stem[:-1] + "i")
    return stems


def conjugate(lemma: str) -> set[str]:
    """Regular forms of an -er or second-group -ir verb (all persons used in news, all tenses).

    Over-generation is harmless (the forms are only looked up); irregular verbs get only their
    infinitive here and list their forms in the lexicon.
    """
    if lemma.endswith("er") and lemma != "aller":
        stem = lemma[:-2]
        forms: set[str] = set()
        for ending in _PLAIN_ER:
            base = stem
            if ending[0] in "aâo":
                if stem.endswith("c"):
                    base = stem[:-1] + "ç"
                elif stem.endswith("g"):
                    base = stem + "e"
            forms.add(base + ending)
        for mute_stem in _er_stems(stem):
            forms.update(mute_stem + ending for ending in _MUTE_ER)
        return forms
    if lemma.endswith("ir"):
        stem = lemma[:-2]
        return {stem + ending for ending in _IR2}
    return {lemma}


def _token_sequence(phrase: str) -> tuple[str, ...]:
    """``"d'après"`` → ``("d'", "après")``: the way spaCy tokenises French elisions."""
    return tuple(re.findall(r"\w+'|\w+(?:-\w+)*|[^\w\s]", phrase.lower()))


@lru_cache(maxsize=4)
def load_reporting_lexicon(path: Path | str = LEXICON_PATH) -> ReportingLexicon:
    """Read the reporting-cue lexicon once and generate the verb forms."""
    with Path(path).open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    frames: dict[str, frozenset[str]] = {}
    for lemma, verb_frames in sorted(data["verbs"].items()):
        unknown = set(verb_frames or ()) - set(FRAMES)
        if unknown:
            raise KeyError(f"unknown frame(s) {sorted(unknown)} for {lemma!r} in {path}")
        frames[str(lemma)] = frozenset(verb_frames or ())
    irregular = {str(k): list(v or ()) for k, v in (data.get("irregular_forms") or {}).items()}
    forms: dict[str, str] = {}
    multiword: dict[str, list[tuple[str, ...]]] = {}
    for lemma in sorted(frames):
        if " " in lemma:
            first, *rest = lemma.split(" ")
            multiword.setdefault(first, []).append(tuple(rest))
            continue
        generated = {lemma} if lemma in irregular else conjugate(lemma)
        generated.update(irregular.get(lemma, ()))
        for form in sorted(generated):
            forms.setdefault(form, lemma)
    return ReportingLexicon(
        frames=frames,
        forms=forms,
        multiword={k: tuple(sorted(v)) for k, v in sorted(multiword.items())},
        selon_markers=tuple(_token_sequence(m) for m in data.get("selon_markers", ())),
        source_heads=frozenset(data.get("source_heads", ())),
        non_actor_heads=frozenset(data.get("non_actor_heads", ())),
        title_heads=frozenset(data.get("title_heads", ())),
        pronouns=frozenset(data.get("resolvable_pronouns", ())),
        empty_subjects=frozenset(data.get("empty_subjects", ())),
        summit_nouns=frozenset(data.get("summit_nouns", ())),
    )


# --- direct quote marks --------------------------------------------------------------------------

@dataclass(frozen=True)
class MarkedSpan:
    """A pair of quote marks: ``open_at``/``close_at`` are the marks' offsets (``close_at`` is
    ``None`` for a quote left open to the end of its line); ``start``/``end`` the content."""

    open_at: int
    close_at: int | None
    start: int
    end: int


def _straight_role(line: str, pos: int) -> str:
    """``open``, ``close`` or ``either`` for a straight double quote at ``pos`` in ``line``."""
    before = line[pos - 1] if pos > 0 else " "
    after = line[pos + 1] if pos + 1 < len(line) else " "
    opens = (before.isspace() or before in "([{—–-/'«“:") and (after.isalnum() or after in "«“'(…")
    closes = (not before.isspace()) and (after.isspace() or after in ".,;:!?)]…»”")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """Pairs of quote marks in ``text``, line by line (a quote never crosses a line break).

    « is closed by », or by a straight/curly mark when no » follows on the line (machine
    translation mixes them); a straight mark opens or closes by its neighbours and else by the
    pairing state. An unclosed « or “ runs to the end of its line.
    """
    spans: list[MarkedSpan] = []
    line_start = 0
    for line in text.split("\n"):
        marks = [(m.start(), m.group()) for m in _MARK_RE.finditer(line)]
        spans.extend(_pair_line(line, line_start, marks))
        line_start += len(line) + 1
    return spans


def _pair_line(line: str, offset: int, marks: list[tuple[int, str]]) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    open_pos: int | None = None
    open_char = ""
    depth = 0  # nested guillemets inside an open quote
    for index, (pos, char) in enumerate(marks):
        role = _straight_role(line, pos) if char == STRAIGHT else (
            "open" if char in OPEN_MARKS else "close"
        )
        if open_pos is None:
            if role != "close":
                open_pos, open_char, depth = pos, char, 0
            continue
        if open_char in "«‹":
            if char == open_char:
                depth += 1
                continue
            if char in "»›":
                if depth:
                    depth -= 1
                    continue
            elif role == "open" or _guillemet_follows(marks, index, open_char):
                continue  # a nested straight or curly quote
        elif char in OPEN_MARKS and char != "„" and role == "open" and char in "«‹":
            depth += 1
            continue
        elif char in "»›" and depth:
            depth -= 1
            continue
        elif char == STRAIGHT and role == "open" and open_char == STRAIGHT and _closer_follows(
            line, marks, index
        ):
            # two openers in a row: the first one was a stray mark
            open_pos, open_char = pos, char
            continue
        spans.append(_content(line, offset, open_pos, pos))
        open_pos = None
    if open_pos is not None and open_char in "«‹“„":
        spans.append(_content(line, offset, open_pos, None))
    return [s for s in spans if s.end > s.start]


def _guillemet_follows(marks: list[tuple[int, str]], index: int, open_char: str) -> bool:
    closing = OPEN_MARKS[open_char]
    for _, char in marks[index + 1 :]:
        if char == closing:
            return True
        if char == open_char:
            return False
    return False


def _closer_follows(line: str, marks: list[tuple[int, str]], index: int) -> bool:
    return any(
        char == STRAIGHT and _straight_role(line, pos) != "open" for pos, char in marks[index + 1 :]
    )


def _content(line: str, offset: int, open_pos: int, close_pos: int | None) -> MarkedSpan:
    start = open_pos + 1
    end = close_pos if close_pos is not None else len(line)
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return MarkedSpan(
        offset + open_pos,
        None if close_pos is None else offset + close_pos,
        offset + start,
        offset + end,
    )


# --- per-document context ------------------------------------------------------------------------

@dataclass(frozen=True)
class Speaker:
    """A resolved speaker phrase."""

    start: int
    end: int
    text: str
    canonical: str | None
    actor: str | None


@dataclass
class _Found:
    """A quote before its final index is known."""

    start: int
    end: int
    kind: str
    verb: str | None
    speaker: Speaker | None
    cue: int  # token index of the cue, for ordering pronoun resolution


class _DocContext:
    """Indices built once per document: tokens, sentences, verbs, quote spans and mentions."""

    def __init__(
        self,
        doc: Doc,
        lexicon: ReportingLexicon,
        registry: Any,
        date: str | None,
        mentions: Sequence[Any],
    ) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lexicon
        self.registry = registry
        self.date = date
        self.starts = [t.idx for t in doc]
        self.sents = sentence_spans(doc)
        self.sent_starts = [s for s, _ in self.sents]
        self.sent_tokens = [self.char_span_tokens(s, e) for s, e in self.sents]
        self.verbs: dict[int, str] = {}
        self.subjects: list[int] = []
        lower = [t.lower_ for t in doc]
        self.lower = lower
        for token in doc:
            lemma = self._reporting_lemma(token)
            if lemma:
                self.verbs[token.i] = lemma
            if token.dep_.startswith("nsubj"):
                self.subjects.append(token.i)
        self.marked = find_marked_spans(self.text)
        self.quote_char_spans = sorted((m.open_at, (m.close_at or m.end) + 1) for m in self.marked)
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self.doc_actors = tuple(sorted({m.actor for m in self.mentions if m.actor}))
        self.ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self.found_speakers: list[tuple[int, Speaker]] = []
        self.known_speakers: list[tuple[int, Speaker]] = []

    # tokens and sentences
    def token_at(self, char: int) -> int:
        """Index of the token containing (or starting after) character ``char``."""
        i = bisect.bisect_right(self.starts, char) - 1
        return max(i, 0)

    def char_span_tokens(self, start: int, end: int) -> tuple[int, int]:
        """Token range ``[i, j)`` covering characters ``[start, end)``."""
        i = bisect.bisect_left(self.starts, start)
        if i > 0 and self.starts[i - 1] + len(self.doc[i - 1]) > start:
            i -= 1
        j = bisect.bisect_left(self.starts, end)
        return i, max(j, i)

    def sent_of_char(self, char: int) -> int:
        return max(bisect.bisect_right(self.sent_starts, char) - 1, 0)

    def sent_range(self, token_i: int) -> tuple[int, int]:
        """Token range of the sentence holding ``token_i``."""
        if not self.sents:
            return 0, len(self.doc)
        return self.sent_tokens[self.sent_of_char(self.starts[token_i])]

    def in_quote(self, char: int) -> bool:
        """Whether ``char`` lies inside a pair of quote marks (marks included)."""
        i = bisect.bisect_right(self.quote_char_spans, (char, 10**12)) - 1
        return i >= 0 and self.quote_char_spans[i][0] <= char < self.quote_char_spans[i][1]

    def is_mark(self, i: int) -> bool:
        return self.doc[i].text in QUOTE_CHARS

    # verbs
    def _reporting_lemma(self, token: Token) -> str | None:
        lower = token.lower_
        lemma = token.lemma_.lower()
        found = None
        if lemma in self.lex.frames and token.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}:
            found = lemma
        elif lower in self.lex.forms:
            found = self.lex.forms[lower]
        for rest in self.lex.multiword.get(lemma, ()):
            following = [t.lower_ for t in token.doc[token.i + 1 : token.i + 1 + len(rest)]]
            if tuple(following) == rest:
                return " ".join((lemma, *rest))
        if found is None or found not in self.lex.frames or " " in found:
            return None
        if token.i > 0:
            previous = token.doc[token.i - 1]
            if previous.lower_ in STRICT_DETERMINERS and previous.pos_ != "PRON" and not (
                previous.lower_ in {"le", "la", "les", "l'"} and token.pos_ in {"VERB", "AUX"}
                and previous.dep_ in {"obj", "iobj", "expl:comp"}
            ):
                return None
            if token.pos_ == "NOUN" and previous.pos_ == "ADP":
                return None
        return found

    def frames(self, i: int) -> frozenset[str]:
        return self.lex.frames.get(self.verbs.get(i, ""), frozenset())

    def verb_group(self, v: int) -> tuple[int, int]:
        """Token range of the verb group around ``v``: auxiliaries, clitics, ``-t-il``, adverbs."""
        doc = self.doc
        lo = v
        while lo > 0:
            prev = doc[lo - 1]
            low = prev.lower_
            if prev.pos_ == "AUX" or low in CLITICS or low in INVERTED_PRONOUNS or low == "-t" or (
                low in ADVERBS and prev.pos_ in {"ADV", "NOUN", "ADJ", "ADP"}
            ) or low in {"pas", "jamais", "point"}:
                lo -= 1
                continue
            break
        # do not swallow a leading "le/la/les" that is a determiner of the previous noun phrase
        while lo < v and doc[lo].lower_ in {"le", "la", "les", "l'", "en", "de", "par"} and (
            doc[lo].pos_ != "PRON"
        ):
            lo += 1
        hi = v + 1
        if self.verbs.get(v, "").count(" "):
            hi += self.verbs[v].count(" ")
        while hi < len(doc) and (doc[hi].lower_ in INVERTED_PRONOUNS or doc[hi].lower_ == "-t"):
            hi += 1
        return lo, hi

    def inverted_pronoun(self, lo: int, hi: int) -> int | None:
        for i in range(lo, hi):
            if self.lower[i] in INVERTED_PRONOUNS:
                return i
        return None

    # mentions and actors
    def mentions_in(self, start: int, end: int) -> list[Any]:
        i = bisect.bisect_left(self.mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def is_personish(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` holds an actor mention, a PER entity or a speaker noun."""
        if self.mentions_in(start, end):
            return True
        if any(s < end and e > start and label == "PER" for s, e, label in self.ents):
            return True
        i, j = self.char_span_tokens(start, end)
        return any(
            self.lower[k] in self.lex.source_heads or self.lower[k] in self.lex.non_actor_heads
            for k in range(i, j)
        )


# --- speaker phrases -----------------------------------------------------------------------------

KEEP_DEPS = {"det", "amod", "nmod", "case", "flat:name", "flat", "flat:foreign", "appos",
             "nummod", "compound", "fixed", "conj", "cc", "advmod", "dep"}
STOP_WORDS_PHRASE = {"qui", "que", "qu'", "dont", "lors", "après", "avant", "dans", "pendant",
                     "depuis", "devant", "sur", "lorsqu'", "lorsque", "quand", "où", "afin",
                     "pour", "en", "au", "aux", "à", "via", "mardi", "lundi", "mercredi", "jeudi",
                     "vendredi", "samedi", "dimanche", "hier", "selon", "interrogé", "interrogée",
                     "interrogés", "cité", "citée", "cités", "s'exprimant", "ce", "cette",
                     "sans", "avec", "contre", "par", "sous"}


def _trim_phrase(ctx: _DocContext, lo: int, hi: int) -> tuple[int, int]:
    """Drop punctuation, quote marks and connectors at the edges of a token range."""
    doc = ctx.doc
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].lower_ in CONNECTORS):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    return lo, hi


def _phrase_right(ctx: _DocContext, start: int, limit: int) -> tuple[int, int]:
    """Noun phrase starting at ``start`` (inverted subject, ``selon X``): up to a comma, the
    sentence end or a word that opens a circumstance, keeping one ``, Name`` apposition."""
    doc = ctx.doc
    i = start
    while i < limit:
        token = doc[i]
        low = token.lower_
        if i > start and low in STOP_WORDS_PHRASE and token.text not in QUOTE_CHARS:
            # "le conseiller à la sécurité nationale, X": a portfolio is part of the title
            skip = _role_complement_at(ctx, i)
            if skip:
                i += skip
                continue
        if i > start and (low in STOP_WORDS_PHRASE or token.text in QUOTE_CHARS):
            break
        if token.is_punct and token.text not in {"-", "'"}:
            if token.text == "," and i + 1 < limit and _is_name_run(ctx, i + 1, limit):
                j = i + 1
                while j < limit and (doc[j].pos_ == "PROPN" or doc[j].ent_type_ == "PER"
                                     or doc[j].text[:1].isupper()):
                    j += 1
                i = j
                break
            break
        if token.pos_ in {"VERB", "AUX"} and token.i > start and token.dep_ != "amod" and (
            token.lower_ not in ctx.lex.source_heads
        ):
            break
        i += 1
    return _trim_phrase(ctx, start, i)


@lru_cache(maxsize=8)
def _role_complements(registry: Any) -> tuple[tuple[str, ...], ...]:
    """Token sequences of the registry's portfolios (``à la sécurité nationale``), longest
    first."""
    texts = getattr(registry, "role_complements", ()) if registry is not None else ()
    return tuple(sorted({_token_sequence(t) for t in texts}, key=lambda seq: (-len(seq), seq)))


def _role_complement_at(ctx: _DocContext, i: int) -> int:
    """Length in tokens of a registry portfolio starting at token ``i`` (0 if none)."""
    for seq in _role_complements(ctx.registry):
        if tuple(ctx.lower[i : i + len(seq)]) == seq:
            return len(seq)
    return 0


def _apposed_name_end(ctx: _DocContext, hi: int, limit: int) -> int:
    """``Le gouverneur de la région, Alexeï Smirnov, a indiqué``: the end of a name run in
    apposition right after a phrase ending at ``hi`` (``hi`` when there is none)."""
    if hi >= limit or ctx.doc[hi].text != "," or not _is_name_run(ctx, hi + 1, limit):
        return hi
    j = hi + 1
    while j < limit and ctx.doc[j].text[:1].isupper() and not ctx.doc[j].is_punct:
        j += 1
    return j


def _is_name_run(ctx: _DocContext, i: int, limit: int) -> bool:
    doc = ctx.doc
    j = i
    while j < limit and doc[j].text[:1].isupper() and not doc[j].is_punct:
        j += 1
    return j > i and (j == limit or doc[j].is_punct or doc[j].lower_ in STOP_WORDS_PHRASE)


def _phrase_from_head(ctx: _DocContext, head: Token, lo_limit: int, hi_limit: int
                      ) -> tuple[int, int]:
    """Contiguous phrase around ``head``: its determiners, adjectives, ``de`` complements and
    appositive names, without relative clauses or circumstances."""
    keep = {head.i}
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if lo_limit <= child.i < hi_limit and child.dep_ in KEEP_DEPS and (
                child.text not in QUOTE_CHARS
            ) and child.lower_ not in {"qui", "que", "dont"}:
                if child.dep_ == "conj" and child.pos_ not in {"PROPN", "NOUN"}:
                    continue
                keep.add(child.i)
                stack.append(child)
    lo = hi = head.i
    while lo - 1 >= lo_limit and lo - 1 in keep and ctx.doc[lo - 1].text != "," and (
        ctx.doc[lo - 1].text not in QUOTE_CHARS and ctx.doc[lo - 1].pos_ != "CCONJ"
    ):
        lo -= 1
    while hi + 1 < hi_limit and ctx.doc[hi + 1].text not in QUOTE_CHARS and (hi + 1 in keep or (
        ctx.doc[hi + 1].text == "," and hi + 2 in keep
    ) or (hi == head.i and ctx.doc[hi + 1].pos_ == "ADJ" and ctx.doc[hi + 1].dep_ != "amod")):
        # an adjective right after the head noun is its modifier even when the small model
        # parses it as a predicate ("Le consul ukrainien à Marseille a rappelé")
        hi += 1
    lo, hi = _trim_phrase(ctx, lo, hi + 1)
    # cut at the second comma: "le secrétaire d'État, Antony Blinken, à Bruxelles, ..."
    commas = [k for k in range(lo, hi) if ctx.doc[k].text == ","]
    if len(commas) >= 2:
        hi = commas[1]
    for k in range(max(lo, head.i + 1), hi):
        if ctx.lower[k] in STOP_WORDS_PHRASE and ctx.lower[k] not in {"de", "d'", "du", "des"}:
            hi = k
            break
    return _trim_phrase(ctx, lo, hi)


def _phrase_left(ctx: _DocContext, end: int, lo_limit: int) -> tuple[int, int] | None:
    """Noun phrase ending just before token ``end`` (a subject on the verb's left)."""
    doc = ctx.doc
    k = end - 1
    if k >= lo_limit and doc[k].text == ",":
        k -= 1
    if k < lo_limit:
        return None
    token = doc[k]
    if token.text in QUOTE_CHARS or token.is_punct or token.pos_ in {"VERB", "AUX", "SCONJ"}:
        return None
    mention = _mention_containing(ctx, token.idx)
    head = token
    steps = 0
    while head.head.i != head.i and lo_limit <= head.head.i < end and steps < 4 and (
        head.head.pos_ in {"NOUN", "PROPN"} and head.dep_ in KEEP_DEPS - {"conj", "cc", "dep"}
        and not ctx.in_quote(head.head.idx)
    ):
        head = head.head
        steps += 1
    if head.pos_ not in {"NOUN", "PROPN", "PRON", "ADJ", "X"} and mention is None:
        return None
    lo, hi = _phrase_from_head(ctx, head, lo_limit, end)
    if mention is not None:
        m_lo, m_hi = ctx.char_span_tokens(mention.start, mention.end)
        lo, hi = min(lo, m_lo), max(hi, min(m_hi, end))
    # "Un officier entré dans la ville confie": a participle's complement is no subject; the
    # noun phrase before the participle is
    if ctx.lower[lo] in PP_STARTS and lo - 1 > lo_limit and doc[lo - 1].pos_ == "VERB" and (
        "Part" in doc[lo - 1].morph.get("VerbForm")
    ):
        before = _phrase_left(ctx, lo - 1, lo_limit)
        if before is not None:
            return before
    # a compound the tokenizer split ("l'état-major" → "l'", "état", "-", "major")
    while lo - 2 >= lo_limit and doc[lo - 1].text == "-" and not doc[lo - 2].whitespace_ and (
        not doc[lo - 1].whitespace_ and doc[lo - 2].is_alpha
    ):
        lo -= 2
    if lo - 1 >= lo_limit and doc[lo - 1].pos_ == "DET" and doc[lo].pos_ != "DET":
        lo -= 1
    return (lo, hi) if hi > lo else None


def _mention_containing(ctx: _DocContext, char: int) -> Any:
    """The actor mention covering character ``char``, if any."""
    i = bisect.bisect_right(ctx.mention_starts, char) - 1
    for j in range(i, max(i - 3, -1), -1):
        mention = ctx.mentions[j]
        if mention.start <= char < mention.end:
            return mention
    return None


def _head_of(ctx: _DocContext, lo: int, hi: int) -> Token:
    """Syntactic head of a token range (the token whose head lies outside it)."""
    for k in range(lo, hi):
        token = ctx.doc[k]
        outside = not (lo <= token.head.i < hi) or token.head.i == token.i
        if outside and token.pos_ in {"NOUN", "PROPN", "PRON"}:
            return token
    for k in range(lo, hi):
        if ctx.doc[k].pos_ in {"NOUN", "PROPN", "PRON"}:
            return ctx.doc[k]
    return ctx.doc[lo]


def _resolve(ctx: _DocContext, lo: int, hi: int) -> Speaker | None:
    """Speaker of the token range ``[lo, hi)``, mapped to an actor."""
    lo, hi = _trim_phrase(ctx, lo, hi)
    if hi <= lo:
        return None
    doc = ctx.doc
    comma = next((k for k in range(lo, hi) if doc[k].text == "," or ctx.lower[k] == "et"), None)
    if comma is not None and comma + 1 < hi and not _personish_tokens(ctx, lo, comma) and (
        _personish_tokens(ctx, comma + 1, hi)
    ):
        lo = comma + 1  # "Au même moment, Vladimir Poutine" / "Crise ukrainienne, Biden"
    start, end = _token_chars(doc, lo, hi)
    for mention in ctx.mentions_in(max(start - 60, 0), end + 60):
        # a mention cut by the phrase ("La Maison" | "-Blanche") is taken whole
        if mention.start < end and mention.end > start:
            start, end = min(start, mention.start), max(end, mention.end)
    text = ctx.text[start:end]
    head = _head_of(ctx, lo, hi)
    head_lower = head.lower_
    if head.pos_ not in {"NOUN", "PROPN", "PRON", "X", "ADJ"} or (
        head_lower in ctx.lex.empty_subjects and hi - lo == 1
    ):
        return None
    first_noun = next((doc[k].lower_ for k in range(lo, hi) if doc[k].pos_ in {"NOUN", "PROPN"}),
                      head_lower)
    if head_lower in ctx.lex.non_actor_heads or first_noun in ctx.lex.non_actor_heads:
        return Speaker(start, end, text, None, None)
    canonical, actor = None, None
    summit = _summit_organisation(ctx, lo, hi)
    if summit is not None:
        return Speaker(start, end, text, summit[0], summit[1])
    if ctx.registry is not None:
        resolved = ctx.registry.resolve(text, ctx.date, context_actors=ctx.doc_actors)
        if resolved is not None and (resolved.kind != "demonym" or _demonym_speaks(ctx, head)):
            canonical, actor = resolved.canonical, resolved.actor
    if actor is None:
        mention = _nearest_mention(ctx, head, start, end)
        if mention is not None:
            canonical, actor = mention.canonical, mention.actor
    if actor is None and _is_bare_head_of_state(ctx, lo, hi):
        found = _head_of_state_before(ctx, start)
        if found is not None:
            canonical, actor = found
    return Speaker(start, end, text, canonical, actor)


def _summit_organisation(ctx: _DocContext, lo: int, hi: int) -> tuple[str, str] | None:
    """``le communiqué final du sommet de Washington``: a summit speaks for the organisation
    that holds it, not for its venue. When the words after the summit noun name no actor but
    places (capitals, countries), the speaker is the one organisation (an actor without a
    country name in the registry) named in the document, else the registry's only one;
    ``None`` leaves the phrase to the ordinary resolution."""
    if ctx.registry is None or not ctx.lex.summit_nouns:
        return None
    at = next((k for k in range(lo, hi) if ctx.lower[k] in ctx.lex.summit_nouns), None)
    if at is None:
        return None
    doc = ctx.doc
    first_noun = next((k for k in range(lo, hi) if doc[k].pos_ in {"NOUN", "PROPN"}), at)
    if first_noun != at and ctx.lower[first_noun] not in ctx.lex.source_heads:
        return None  # "Poutine, en marge du sommet de Pékin": a person speaks
    phrase = ctx.mentions_in(*_token_chars(doc, lo, hi))
    if any(m.kind not in {"capital", "country"} or m.start < doc[at].idx for m in phrase):
        return None  # "le sommet de l'OTAN": the registry resolves it
    organisations = _organisations(ctx.registry)
    named = sorted({a for a in ctx.doc_actors if a in organisations})
    if len(named) > 1:
        return None
    if not named and len(organisations) != 1:
        return None
    actor = named[0] if named else organisations[0]
    return ctx.registry.display_name(actor), actor


@lru_cache(maxsize=8)
def _organisations(registry: Any) -> tuple[str, ...]:
    """Actors of the registry with no country name: international organisations (NATO)."""
    countries = {a.actor for a in getattr(registry, "aliases", ()) if a.kind == "country"}
    return tuple(sorted(info.id for info in getattr(registry, "actors", ())
                        if info.id not in countries))


#: Titles of a head of state that, with no actor word, refer back to one named earlier.
HEAD_OF_STATE_TITLES = {("président",), ("présidente",), ("chef", "de", "l'", "état"),
                        ("cheffe", "de", "l'", "état")}


def _is_bare_head_of_state(ctx: _DocContext, lo: int, hi: int) -> bool:
    """``le président``, ``le nouveau président``, ``le chef de l'État``: a head-of-state title
    with only a determiner and *nouveau* around it (no actor word, no other modifier)."""
    words = [ctx.lower[k] for k in range(lo, hi)]
    while words and words[0] in {"le", "la", "l'", "nouveau", "nouvelle"}:
        words.pop(0)
    return tuple(words) in HEAD_OF_STATE_TITLES


def _head_of_state_before(ctx: _DocContext, before: int) -> tuple[str, str] | None:
    """The head of state an anaphoric *le président* / *le chef de l'État* refers to, as
    ``(canonical, actor)``: the persons and role phrases named in its sentence and the two
    before must include the president in office of exactly one actor, and no other person
    the registry does not know (*Emmanuel Macron*, who may be the president meant) unless a
    non-actor noun introduces them (*l'analyste Marc Dupont*)."""
    if ctx.registry is None or not hasattr(ctx.registry, "holder"):
        return None
    from analysis.actors import parse_day

    day = parse_day(ctx.date)
    sent = max(ctx.sent_of_char(before) - 2, 0)
    floor = ctx.sents[sent][0] if ctx.sents else 0
    for start, end, label in ctx.ents:
        if label != "PER" or not floor <= start < before or ctx.in_quote(start) or (
            ctx.mentions_in(start, end) or _mention_containing(ctx, start) is not None
        ):
            continue
        k = ctx.token_at(start)
        introduced = any(ctx.lower[j] in ctx.lex.non_actor_heads for j in range(max(k - 2, 0), k))
        if not introduced:
            return None
    found: dict[str, str] = {}
    for mention in ctx.mentions:
        if not floor <= mention.start < before or mention.kind not in {"person", "role"}:
            continue
        if ctx.registry.holder(mention.actor, "président", day) == mention.canonical:
            found.setdefault(mention.actor, mention.canonical)
    if len(found) != 1:
        return None
    actor, canonical = next(iter(found.items()))
    return canonical, actor


def _demonym_speaks(ctx: _DocContext, head: Token) -> bool:
    """Whether an adjective of nationality in a speaker phrase names who speaks.

    Yes for a speaker noun (``un rapport ... américain``, ``la diplomatie russe``) or a noun the
    adjective modifies directly (``les enquêteurs russes``); no when it sits deeper in a
    complement (``en échange des sanctions américaines, l'Allemagne``).
    """
    if head.lower_ in ctx.lex.source_heads or _compound(ctx, head.i) in ctx.lex.source_heads:
        return True
    return any(child.dep_ == "amod" and _mention_containing(ctx, child.idx) is not None
               for child in head.children)


def _compound(ctx: _DocContext, i: int) -> str:
    """The hyphenated word the tokenizer split from token ``i`` on (``état-major``)."""
    doc = ctx.doc
    parts = [ctx.lower[i]]
    k = i
    while k + 2 < len(doc) and doc[k + 1].text == "-" and not doc[k].whitespace_ and not (
        doc[k + 1].whitespace_
    ):
        parts += ["-", ctx.lower[k + 2]]
        k += 2
    return "".join(parts)


def _personish_tokens(ctx: _DocContext, lo: int, hi: int) -> bool:
    """Whether tokens ``[lo, hi)`` name a speaker: a name, an actor mention or a speaker noun."""
    if hi <= lo:
        return False
    doc = ctx.doc
    if any(doc[k].pos_ == "PROPN" for k in range(lo, hi)):
        return True
    if any(ctx.lower[k] in ctx.lex.source_heads | ctx.lex.non_actor_heads for k in range(lo, hi)):
        return True
    return any(
        m.kind in {"person", "role", "institution", "country", "capital"}
        for m in ctx.mentions_in(*_token_chars(doc, lo, hi))
    )


def _nearest_mention(ctx: _DocContext, head: Token, start: int, end: int) -> Any:
    """The actor mention of a speaker phrase closest to its head in the parse.

    A mention containing the head wins, then names in apposition and modifiers
    (``un rapport de renseignement américain``), by tree distance then position.
    """
    mentions = ctx.mentions_in(start, end)
    if not mentions:
        return None
    best = None
    best_key: tuple[int, int, int] | None = None
    for mention in mentions:
        if mention.start <= head.idx < mention.end:
            return mention
        token = ctx.doc[ctx.token_at(mention.start)]
        depth, node = 0, token
        while node.i != head.i and node.head.i != node.i and depth < 6:
            node = node.head
            depth += 1
        if node.i != head.i:
            depth = 9
        if mention.kind == "demonym" and not _demonym_speaks(ctx, head):
            continue
        person = 0 if mention.kind in {"person", "role"} else 1
        key = (person, depth, mention.start)
        if best_key is None or key < best_key:
            best, best_key = mention, key
    return best


def _antecedent(ctx: _DocContext, before: int) -> Speaker | None:
    """The nearest speaker or person/actor subject before character ``before``.

    Candidates are earlier quote speakers and subjects naming a person or an actor, in the same
    sentence and the two sentences before.
    """
    sent = ctx.sent_of_char(before)
    back = 0
    while sent > 0 and back < 2:  # two sentences back, not counting those inside a quote
        sent -= 1
        if not ctx.in_quote(ctx.sents[sent][0]):
            back += 1
    floor = ctx.sents[sent][0] if ctx.sents else 0
    best: tuple[int, Speaker] | None = None
    for position, speaker in (*ctx.known_speakers, *ctx.found_speakers):
        if floor <= position < before and (best is None or position > best[0]):
            best = (position, speaker)
    for i in reversed(ctx.subjects):
        token = ctx.doc[i]
        if token.idx >= before:
            continue
        if token.idx < floor or (best is not None and token.idx <= best[0]):
            break
        if token.pos_ == "PRON" or token.lower_ in ctx.lex.empty_subjects or ctx.in_quote(
            token.idx
        ):
            continue
        s_lo, s_hi = ctx.sent_range(i)
        lo, hi = _phrase_from_head(ctx, token, s_lo, s_hi)
        if hi <= lo:
            continue
        start, end = _token_chars(ctx.doc, lo, hi)
        if not ctx.is_personish(start, end) and token.pos_ != "PROPN":
            continue
        speaker = _resolve(ctx, lo, hi)
        if speaker is not None:
            best = (token.idx, speaker)
        break
    if best is None:
        return _person_mention_before(ctx, floor, before)
    return best[1] if best else None


def _person_mention_before(ctx: _DocContext, floor: int, before: int) -> Speaker | None:
    """Fallback antecedent when the parse finds no subject (``Dans un discours, Vladimir
    Poutine a reconnu ...`` parsed as an apposition): the first person or role mention, outside
    quotes, of the nearest sentence before ``before`` that has one."""
    candidates = [m for m in ctx.mentions
                  if floor <= m.start < before and m.kind in {"person", "role"}
                  and not ctx.in_quote(m.start)]
    if not candidates:
        return None
    sent = ctx.sent_of_char(candidates[-1].start)
    first = next(m for m in candidates if ctx.sent_of_char(m.start) == sent)
    lo, hi = ctx.char_span_tokens(first.start, first.end)
    return _resolve(ctx, lo, hi)


def _subject_of(ctx: _DocContext, v: int, lo_limit: int, hi_limit: int,
                inverted: bool = False) -> Speaker | None:
    """Speaker of reporting verb ``v``.

    In order: an inverted pronoun (``a-t-il ajouté``, resolved), the agent ``par X`` of a
    passive, the inverted subject after the group when the caller knows the verb is in an incise
    (``« ... », a déclaré le ministre``), the ``nsubj`` of the verb or of the verb it hangs on
    (``conj``, ``advcl``: ``en accusant``), the noun phrase on the group's left, and at the start
    of a sentence the phrase on its right.
    """
    doc = ctx.doc
    g_lo, g_hi = ctx.verb_group(v)
    pronoun = ctx.inverted_pronoun(g_lo, g_hi)
    if pronoun is not None:
        if ctx.lower[pronoun] in {"-on", "-je", "-nous", "-vous"}:
            return None
        return _antecedent(ctx, doc[g_lo].idx)
    passive = doc[v].lemma_ != "être" and any(
        doc[k].lemma_ == "être" and doc[k].pos_ == "AUX" for k in range(g_lo, v)
    ) and not any(ctx.lower[k] in {"se", "s'"} for k in range(g_lo, v))
    if passive:
        k = g_hi
        while k < hi_limit and ctx.lower[k] in ADVERBS - {"par"}:
            k += 1
        if k < hi_limit and ctx.lower[k] == "par":
            lo, hi = _phrase_right(ctx, k + 1, hi_limit)
            return _resolve(ctx, lo, hi) if hi > lo else None
        return None
    if g_lo >= lo_limit + 2 and ctx.lower[g_lo - 1] in {"de", "d'"} and ctx.lower[
        g_lo - 2
    ] == "et" and g_lo - 2 == lo_limit:
        return _antecedent(ctx, doc[g_lo].idx)  # "Et d'ajouter : « ... »"
    main = _participle_main_verb(ctx, v, g_lo, lo_limit)
    if main is not None:
        # ", affirmant que ...": a present participle takes the subject of the main verb
        return _subject_of(ctx, main, lo_limit, hi_limit)
    if _coordinated(ctx, g_lo, lo_limit):
        # "X a estimé que ..., avant d'ajouter que ..." / "X a averti ... et a ajouté ..."
        for k in range(g_lo - 1, lo_limit - 1, -1):
            if k in ctx.verbs and not ctx.in_quote(doc[k].idx):
                return _subject_of(ctx, k, lo_limit, hi_limit)
    if inverted or g_lo == lo_limit:
        speaker = _inverted_subject(ctx, g_hi, hi_limit)
        if speaker is not None or inverted:
            return speaker
    token = doc[v]
    for _ in range(3):
        for child in token.children:
            if child.dep_ not in {"nsubj", "expl:subj"} or not lo_limit <= child.i < hi_limit:
                continue
            if ctx.in_quote(child.idx) and not ctx.in_quote(doc[v].idx):
                continue
            if child.lower_ in {"il", "elle", "ils", "elles"} | ctx.lex.pronouns:
                return _antecedent(ctx, child.idx)
            if child.lower_ == "qui":
                return _relative_antecedent(ctx, child, lo_limit, hi_limit)
            if child.lower_ in {"on", "-on"}:
                return _locative_speaker(ctx, child.i, lo_limit)
            if child.lower_ in ctx.lex.empty_subjects:
                return None
            lo, hi = _phrase_from_head(ctx, child, lo_limit, hi_limit)
            if hi <= g_lo:
                return _resolve(ctx, lo, _apposed_name_end(ctx, hi, g_lo))
            if lo >= g_hi:
                return _resolve(ctx, lo, hi)
        if token.dep_ in {"conj", "advcl", "xcomp", "acl"} and token.head.i != token.i:
            token = token.head
        else:
            break
    for k in range(lo_limit, g_lo):
        # a subject parsed under a dependent clause: "X, à Bruxelles pour rencontrer ..., a dit"
        token = doc[k]
        if token.dep_ == "nsubj" and token.pos_ in {"NOUN", "PROPN"} and not ctx.in_quote(
            token.idx
        ) and _governs(doc[v], token, 3):
            lo, hi = _phrase_from_head(ctx, token, lo_limit, g_lo)
            return _resolve(ctx, lo, hi)
    phrase = _phrase_left(ctx, g_lo, lo_limit)
    if phrase is not None:
        lo, hi = phrase
        if hi - lo == 1 and ctx.lower[lo] in {"il", "elle", "ils", "elles"}:
            return _antecedent(ctx, doc[lo].idx)
        if hi - lo == 1 and ctx.lower[lo] == "on":
            return _locative_speaker(ctx, lo, lo_limit)
        if hi - lo == 1 and ctx.lower[lo] in ctx.lex.empty_subjects:
            return None
        return _resolve(ctx, lo, hi)
    return None


def _relative_antecedent(ctx: _DocContext, qui: Token, lo_limit: int, hi_limit: int
                         ) -> Speaker | None:
    """Speaker for a relative subject *qui*: the noun phrase just before it when it names a
    person or an actor, else the phrase of the noun the relative clause hangs from."""
    left = _phrase_left(ctx, qui.i, lo_limit)
    if left is not None and ctx.is_personish(*_token_chars(ctx.doc, *left)):
        return _resolve(ctx, *left)
    if qui.head.head.i != qui.head.i:
        return _resolve(ctx, *_phrase_from_head(ctx, qui.head.head, lo_limit, hi_limit))
    return None


def _participle_main_verb(ctx: _DocContext, v: int, g_lo: int, lo_limit: int) -> int | None:
    """The verb whose subject a present participle adjunct shares: in ``X a rejeté ces
    accusations, affirmant que ...`` (or ``», a-t-il déclaré, promettant de ...``) the nearest
    earlier verb of the sentence outside quotes, preferring a reporting verb. ``None`` when
    ``v`` is no participle after a comma (or *en*), or when no verb precedes it."""
    doc = ctx.doc
    token = doc[v]
    participle = "Part" in token.morph.get("VerbForm") or token.pos_ == "VERB"
    if g_lo != v or not ctx.lower[v].endswith("ant") or not participle:
        return None
    if g_lo - 1 < lo_limit or ctx.lower[g_lo - 1] not in {",", "en"}:
        return None
    fallback = None
    for k in range(g_lo - 2, lo_limit - 1, -1):
        if ctx.in_quote(doc[k].idx) or doc[k].text in QUOTE_CHARS:
            continue
        if k in ctx.verbs:
            return k
        if fallback is None and doc[k].pos_ == "VERB" and doc[k].dep_ not in {"amod", "acl"} and (
            not ctx.lower[k].endswith("ant")
        ):
            fallback = k
    return fallback


def _governs(verb: Token, token: Token, steps: int) -> bool:
    """Whether ``verb`` is among the first ``steps`` heads above ``token``'s head."""
    node = token.head
    for _ in range(steps):
        if node.i == verb.i:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return node.i == verb.i


def _locative_speaker(ctx: _DocContext, on: int, lo_limit: int) -> Speaker | None:
    """``à Moscou, on parle d'« autodéfense »``: the place framing an impersonal ``on``."""
    doc = ctx.doc
    for k in range(on - 1, lo_limit - 1, -1):
        if ctx.lower[k] in {"à", "au"} and k + 1 < on:
            end = k + 1
            while end < on and doc[end].text != ",":
                end += 1
            if end < on and ctx.is_personish(*_token_chars(doc, k + 1, end)):
                speaker = _resolve(ctx, k + 1, end)
                if speaker is not None and speaker.actor is not None:
                    return speaker
            return None
        if doc[k].text in {";", ":"} or doc[k].text in QUOTE_CHARS:
            return None
    return None


def _coordinated(ctx: _DocContext, g_lo: int, lo_limit: int) -> bool:
    """Whether a verb group continues an earlier one (``et a ajouté``, ``avant d'ajouter``)."""
    k = g_lo - 1
    if k < lo_limit:
        return False
    if ctx.lower[k] in {"et", "mais", "puis", "ou"}:
        return True
    return ctx.lower[k] in {"de", "d'"} and k - 1 >= lo_limit and ctx.lower[k - 1] in {
        "avant", "après", "afin"
    }


def _inverted_subject(ctx: _DocContext, g_hi: int, hi_limit: int) -> Speaker | None:
    """The subject after an incise verb group: ``a déclaré lundi le ministre, ...``."""
    doc = ctx.doc
    k = g_hi
    for _ in range(3):
        while k < hi_limit and (ctx.lower[k] in ADVERBS or doc[k].like_num):
            k += 1
        if k >= hi_limit or ctx.lower[k] not in PP_STARTS:
            break
        # skip a circumstance: "répète à l'envi la diplomatie", "dans un communiqué le ministère"
        k += 1
        seen_noun = False
        while k < hi_limit and not doc[k].is_punct:
            if seen_noun and (doc[k].pos_ == "DET" or ctx.lower[k] in PP_STARTS):
                break
            seen_noun = seen_noun or doc[k].pos_ in {"NOUN", "PROPN"}
            k += 1
    if k < hi_limit and (doc[k].pos_ in {"DET", "PROPN", "NOUN"} or doc[k].text[:1].isupper()):
        lo, hi = _phrase_right(ctx, k, hi_limit)
        if hi > lo:
            return _resolve(ctx, lo, hi)
    return None


# --- direct quotes -------------------------------------------------------------------------------

def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _incise_after(ctx: _DocContext, close_tok: int, hi_limit: int
                  ) -> tuple[str, Speaker | None, int] | None:
    """``», a déclaré X`` / ``», a-t-il ajouté`` / ``», selon X`` / ``», X a déclaré``."""
    doc = ctx.doc
    k = close_tok + 1
    comma = k < hi_limit and doc[k].text in {",", "!", "?", "…"}
    if comma:
        k += 1
    elif k < hi_limit and doc[k].text in SENT_END:
        return None
    if k >= hi_limit:
        return None
    marker = _selon_at(ctx, k) if comma and ctx.lower[k] != "pour" else 0
    if marker:
        lo, hi = _phrase_right(ctx, k + marker, hi_limit)
        return ("selon", _selon_speaker(ctx, lo, hi), k)
    # the verb group must start within a few tokens (aux, -t-il, adverbs, or a subject NP)
    for v in range(k, min(k + 12, hi_limit)):
        if v in ctx.verbs:
            g_lo, _ = ctx.verb_group(v)
            between = range(k, g_lo)
            if any(doc[b].text in QUOTE_CHARS or doc[b].text in SENT_END for b in between):
                return None
            if g_lo > k and (not comma or not _looks_like_np(ctx, k, g_lo) or any(
                doc[b].is_punct and doc[b].text not in {"-", "'"} for b in between
            )):
                return None
            speaker = _subject_of(ctx, v, ctx.sent_range(v)[0], hi_limit, inverted=g_lo == k)
            return (ctx.verbs[v], speaker, v)
        if doc[v].text in QUOTE_CHARS or doc[v].text in SENT_END or doc[v].text in {";", ":"}:
            return None
    return None


def _looks_like_np(ctx: _DocContext, lo: int, hi: int) -> bool:
    """Whether tokens ``[lo, hi)`` can be a subject noun phrase (no verb, a noun or name)."""
    doc = ctx.doc
    if hi - lo > 14:
        return False
    has_noun = False
    if any(doc[k].pos_ in {"SCONJ", "CCONJ"} or ctx.lower[k] in {"tandis", "alors", "que", "qu'"}
           for k in range(lo, hi)):
        return False
    for k in range(lo, hi):
        verb = doc[k].pos_ == "VERB" and doc[k].dep_ not in {"amod", "acl"}
        if verb and doc[k].text[:1].islower():
            return False
        if doc[k].pos_ in {"NOUN", "PROPN"} or doc[k].text[:1].isupper():
            has_noun = True
    return has_noun


def _clause_start(ctx: _DocContext, i: int, lo_limit: int, breaks: set[str]) -> int:
    """First token of the clause holding token ``i``: after the last ``;`` (or another break)
    outside quotes between the sentence start and ``i``."""
    for k in range(i - 1, lo_limit - 1, -1):
        if ctx.doc[k].text in breaks and not ctx.in_quote(ctx.doc[k].idx):
            return k + 1
    return lo_limit


def _follows_quote(ctx: _DocContext, g_lo: int, lo_limit: int) -> bool:
    """Whether a verb group comes right after a closing quote mark (``« A », a dit X``)."""
    k = g_lo - 1
    if k >= lo_limit and ctx.doc[k].text in {",", "!", "?"}:
        k -= 1
    return k >= lo_limit and ctx.doc[k].text in CLOSE_MARKS | {STRAIGHT}


def _incise_before(ctx: _DocContext, g_lo: int, g_hi: int, open_tok: int) -> bool:
    """``Les Occidentaux, a poursuivi X, « ... »``: a verb group between commas, its inverted
    subject running up to the comma before the quote."""
    doc = ctx.doc
    if g_lo == 0 or doc[g_lo - 1].text != "," or ctx.inverted_pronoun(g_lo, g_hi) is not None:
        return False
    k = open_tok - 1
    while k > g_hi and doc[k].is_space:
        k -= 1
    if doc[k].text != ",":
        return False
    return g_hi < k and _looks_like_np(ctx, g_hi, k) and not any(
        doc[x].text == "," for x in range(g_hi, k) if not _is_name_run(ctx, x + 1, k)
    )


def _selon_at(ctx: _DocContext, k: int) -> int:
    """Length in tokens of a ``selon``-type marker starting at token ``k`` (0 if none).

    ``selon laquelle``/``selon que`` (a relative or a condition) and ``pour`` + a verb are not
    framings.
    """
    for marker in ctx.lex.selon_markers:
        n = len(marker)
        if tuple(ctx.lower[k : k + n]) == marker:
            nxt = ctx.lower[k + n] if k + n < len(ctx.lower) else ""
            if nxt in RELATIVES or (nxt and ctx.doc[k + n].pos_ in {"VERB", "AUX", "SCONJ"}):
                return 0
            return n
    return 0


def _selon_speaker(ctx: _DocContext, lo: int, hi: int) -> Speaker | None:
    if hi <= lo:
        return None
    if hi - lo == 1 and ctx.lower[lo] in {"lui", "elle", "eux", "elles", "ce dernier"}:
        return _antecedent(ctx, ctx.doc[lo].idx)
    return _resolve(ctx, lo, hi)


def _attribution_before(ctx: _DocContext, open_tok: int, lo_limit: int
                        ) -> tuple[str | None, Speaker | None, bool] | None:
    """Speaker named before the opening mark in the same sentence.

    Returns ``(verb, speaker, tight)``: the nearest reporting verb or ``selon X`` framing with its
    speaker, else the clause before a colon, else a name glued to the mark. ``tight`` says the
    cue introduces the quote itself (``a déclaré : «``, ``a qualifié ... de «``, ``selon X, «``)
    rather than a clause that merely contains it, which short quotes need.
    """
    doc = ctx.doc
    lo_limit = _clause_start(ctx, open_tok, lo_limit, {";"})
    k = open_tok - 1
    while k >= lo_limit and doc[k].is_space:
        k -= 1
    if k < lo_limit:
        return None
    before = ctx.lower[k]
    verb_at = next((v for v in range(k, lo_limit - 1, -1)
                    if v in ctx.verbs and not ctx.in_quote(doc[v].idx)), None)
    selon_at = next((s for s in range(k, lo_limit - 1, -1)
                     if _selon_at(ctx, s) and not ctx.in_quote(doc[s].idx)
                     and (ctx.lower[s] != "pour" or s == lo_limit)), None)
    if selon_at is not None and (verb_at is None or selon_at > verb_at):
        lo, hi = _phrase_right(ctx, selon_at + _selon_at(ctx, selon_at), open_tok)
        if hi > lo:
            tight = doc[k].pos_ not in {"DET", "ADP"} or before == ","
            return ("selon", _selon_speaker(ctx, lo, hi), tight)
    if verb_at is not None:
        v = verb_at
        g_lo, g_hi = ctx.verb_group(v)
        inverted = _follows_quote(ctx, g_lo, lo_limit) or _incise_before(ctx, g_lo, g_hi, open_tok)
        gap = [x for x in range(g_hi, k + 1) if ctx.lower[x] not in ADVERBS | {":", ",", "que",
                                                                              "qu'"}]
        frames = ctx.frames(v)
        speaker = _subject_of(ctx, v, lo_limit, open_tok, inverted)
        # the quote is the verb's object: "a dénoncé sur Telegram une « hystérie »"
        object_quote = speaker is not None and len(gap) <= 6 and not any(
            (doc[x].is_punct and doc[x].text != "'") or doc[x].pos_ in {"VERB", "AUX", "SCONJ"}
            for x in gap
        ) and not any(  # "ont vu la fumée, et la « version officielle »": another clause
            ctx.lower[x] in {",", "et", "mais", "ou"} for x in range(g_hi, k + 1)
        )
        tight = not gap or before == ":" or object_quote or (
            before in {"de", "d'"} and bool(frames & {"qualify", "obj_de"})
        )
        return (ctx.verbs[v], speaker, tight)
    if doc[k].text == ":":
        clause = [t for t in range(lo_limit, k) if doc[t].pos_ in {"VERB", "AUX"}
                  and not ctx.in_quote(doc[t].idx)]
        if clause:
            v = clause[0]
            return (doc[v].lemma_.lower(), _subject_of(ctx, v, lo_limit, k), True)
        lo, hi = _trim_phrase(ctx, lo_limit, k)
        if hi > lo:
            return (None, _resolve(ctx, lo, hi), True)
    # a name or role glued to the opening mark (machine translation drops the verb)
    if (doc[k].pos_ in {"PROPN", "NOUN"} or _mention_containing(ctx, doc[k].idx) is not None) and (
        ctx.is_personish(doc[k].idx, doc[k].idx + len(doc[k])) or doc[k].pos_ == "PROPN"
    ):
        lo = k
        while lo - 1 >= lo_limit and not doc[lo - 1].is_punct and (
            doc[lo - 1].pos_ in {"PROPN", "NOUN", "DET"}
            or ctx.lower[lo - 1] in {"de", "du", "des", "d'"}
            or (doc[lo - 1].pos_ == "ADJ" and lo - 2 >= lo_limit
                and doc[lo - 2].pos_ in {"NOUN", "PROPN"})
        ):
            lo -= 1
        lo, hi = _trim_phrase(ctx, lo, k + 1)
        while lo < hi and doc[lo].pos_ == "ADP":
            lo += 1
        return (None, _resolve(ctx, lo, hi), doc[k].pos_ == "PROPN")
    return None


def _split_incise(ctx: _DocContext, span: MarkedSpan
                  ) -> tuple[list[tuple[int, int]], tuple[str, Speaker | None] | None]:
    """Split ``« A, a martelé X, B »`` (or ``« A, a dit X. B »``) into ``A`` and ``B``."""
    i, j = ctx.char_span_tokens(span.start, span.end)
    doc = ctx.doc
    for k in range(i + 1, j - 2):
        if doc[k].text != ",":
            continue
        for v in range(k + 1, min(k + 5, j)):
            if v not in ctx.verbs:
                continue
            g_lo, g_hi = ctx.verb_group(v)
            if g_lo != k + 1:
                break
            inverted = ctx.inverted_pronoun(g_lo, g_hi) is not None
            after = g_hi
            while after < j and ctx.lower[after] in ADVERBS:
                after += 1
            if not inverted and not (after < j and (doc[after].pos_ in {"DET", "PROPN"}
                                                    or doc[after].text[:1].isupper())):
                break
            end = after  # the incise ends at a comma or, when the quote goes on, a period
            while end < j and doc[end].text not in {","} | SENT_END:
                end += 1
            if end >= j - 1 or end - k > 14:
                break
            speaker = _subject_of(ctx, v, k + 1, end, inverted=True)
            first = (span.start, doc[k].idx)
            second = (doc[end + 1].idx, span.end)
            return [first, second], (ctx.verbs[v], speaker)
    return [(span.start, span.end)], None


def _is_title(ctx: _DocContext, open_tok: int, lo_limit: int) -> bool:
    """A name or label in quotes: ``le quotidien « Le Monde »``, ``l'opération « Tempête »``
    (a title noun before a capitalised quote)."""
    k = open_tok + 1
    while k < len(ctx.doc) and ctx.doc[k].is_space:
        k += 1
    if k >= len(ctx.doc) or not (ctx.doc[k].text[:1].isupper() or ctx.doc[k].text[:1].isdigit()):
        return False
    k = open_tok - 1
    while k >= lo_limit and ctx.doc[k].pos_ in {"ADJ"}:
        k -= 1
    return k >= lo_limit and ctx.lower[k] in ctx.lex.title_heads and k not in ctx.verbs


def _has_verb(ctx: _DocContext, start: int, end: int) -> bool:
    i, j = ctx.char_span_tokens(start, end)
    return any(
        ctx.doc[k].pos_ in {"VERB", "AUX"} and ctx.doc[k].text[:1].islower() for k in range(i, j)
    )


def _direct_quotes(ctx: _DocContext) -> list[_Found]:
    found: list[_Found] = []
    previous: _Found | None = None
    for span in ctx.marked:
        open_tok = ctx.token_at(span.open_at)
        close_tok = ctx.token_at(span.close_at) if span.close_at is not None else None
        s_lo, _ = ctx.sent_range(open_tok)
        last_tok = close_tok if close_tok is not None else ctx.token_at(max(span.end - 1, 0))
        _, e_hi = ctx.sent_range(last_tok)
        pieces, incise = _split_incise(ctx, span)
        attribution: tuple[str | None, Speaker | None, bool] | None = None
        if incise is not None:
            attribution = (incise[0], incise[1], True)
        if attribution is None and close_tok is not None:
            after = _incise_after(ctx, close_tok, e_hi)
            if after is not None:
                attribution = (after[0], after[1], True)
        if attribution is None:
            attribution = _attribution_before(ctx, open_tok, s_lo)
        words = _word_count(ctx.text[span.start : span.end])
        explicit = attribution is not None and attribution[2]
        if words <= 3 and not explicit:
            continue
        if words <= 3 and _is_title(ctx, open_tok, s_lo):
            continue
        if words <= 3 and attribution is not None and attribution[0] is None and not _has_verb(
            ctx, span.start, span.end
        ):
            continue
        if attribution is None:
            # a quote standing alone: the speaker of the quote just before, if close
            if previous is not None and previous.speaker is not None and (
                ctx.sent_of_char(span.start) - ctx.sent_of_char(previous.end) <= 1
            ):
                attribution = (previous.verb, previous.speaker, False)
            else:
                speaker = _previous_sentence_speaker(ctx, s_lo)
                if speaker is None and _opens_sentence(ctx, open_tok, s_lo):
                    speaker = _previous_sentence_subject(ctx, s_lo)
                attribution = (None, speaker, False)
        verb, speaker, _ = attribution
        for start, end in pieces:
            item = _Found(start, end, "direct", verb, speaker, open_tok)
            found.append(item)
            previous = item
            if speaker is not None:
                ctx.found_speakers.append((speaker.start, speaker))
    return found


def _previous_sentence_speaker(ctx: _DocContext, s_lo: int) -> Speaker | None:
    """A quote opening a sentence: the subject of a reporting verb in the sentence before,
    when that sentence ends with a colon or announces speech."""
    if s_lo == 0:
        return None
    p_lo, p_hi = ctx.sent_range(s_lo - 1)
    last = p_hi - 1
    while last > p_lo and ctx.doc[last].is_space:
        last -= 1
    verbs = [v for v in range(p_lo, p_hi) if v in ctx.verbs and not ctx.in_quote(ctx.doc[v].idx)]
    if ctx.doc[last].text == ":" or verbs:
        v = verbs[-1] if verbs else None
        if v is not None:
            return _subject_of(ctx, v, p_lo, p_hi)
    return None


def _opens_sentence(ctx: _DocContext, open_tok: int, s_lo: int) -> bool:
    return all(ctx.doc[k].is_space for k in range(s_lo, open_tok))


def _previous_sentence_subject(ctx: _DocContext, s_lo: int) -> Speaker | None:
    """A quote standing as its own sentence after a sentence about a person (``Le secrétaire
    d'État s'est montré optimiste. « ... »``): the first subject of that sentence, outside
    quotes, when it names a person (a person or role mention, a PER entity or a speaker noun
    such as *porte-parole*)."""
    if s_lo == 0:
        return None
    p_lo, p_hi = ctx.sent_range(s_lo - 1)
    doc = ctx.doc
    for i in ctx.subjects:
        if not p_lo <= i < p_hi or ctx.in_quote(doc[i].idx):
            continue
        if doc[i].pos_ not in {"NOUN", "PROPN"}:
            return None
        lo, hi = _phrase_from_head(ctx, doc[i], p_lo, p_hi)
        if hi <= lo:
            return None
        start, end = _token_chars(doc, lo, hi)
        person = any(m.kind in {"person", "role"} for m in ctx.mentions_in(start, end)) or any(
            s < end and e > start and label == "PER" for s, e, label in ctx.ents
        ) or ctx.lower[i] in ctx.lex.source_heads
        return _resolve(ctx, lo, _apposed_name_end(ctx, hi, p_hi)) if person else None
    return None


# --- reported speech -----------------------------------------------------------------------------

def _clause_end(ctx: _DocContext, start: int, hi_limit: int) -> int:
    """End token of a reported clause: the sentence end, cut before another cue
    (``, a-t-il ajouté``, ``, selon X``, ``avant d'ajouter``, ``;``) or a direct quote opening
    after a colon."""
    doc = ctx.doc
    k = start
    while k < hi_limit:
        token = doc[k]
        if token.text in CLAUSE_BREAKS:
            return k
        if token.text == "," and k + 2 < hi_limit and ctx.lower[k + 1] == "ce" and ctx.lower[
            k + 2
        ] in {"que", "qu'", "qui"}:
            return k  # ", ce que Moscou dément": the journalist's comment
        if token.text == "," and _resumptive_apposition(ctx, k + 1, hi_limit):
            return k  # ", une version selon laquelle ...": the journalist sums the claim up
        if ctx.lower[k] in {"tandis", "alors", "pendant"} and k + 1 < hi_limit and ctx.lower[
            k + 1
        ] in {"que", "qu'"} and k > start:
            return k  # "..., tandis que Washington menace ...": another clause
        if token.text == "," or ctx.lower[k] in {"et", "mais"}:
            nxt = k + 1
            if nxt < hi_limit and _selon_at(ctx, nxt) and ctx.lower[nxt] != "pour":
                return k
            for v in range(nxt, min(nxt + 5, hi_limit)):
                if v in ctx.verbs:
                    g_lo, _ = ctx.verb_group(v)
                    if g_lo == nxt or (ctx.lower[nxt] in {"avant", "tout"} and v - nxt <= 3):
                        return k
                    break
                if ctx.lower[v] not in {"avant", "de", "d'", "tout", "en", "a", "avait"}:
                    break
        k += 1
    return hi_limit


def _resumptive_apposition(ctx: _DocContext, k: int, hi_limit: int) -> bool:
    """``une version selon laquelle ...``, ``une accusation que Kiev rejette``: a noun phrase
    (determiner, noun, optional adjective) followed by a relative, in apposition to the whole
    reported clause."""
    doc = ctx.doc
    if k + 2 >= hi_limit or doc[k].pos_ != "DET" or doc[k + 1].pos_ != "NOUN":
        return False
    j = k + 2
    if j < hi_limit and doc[j].pos_ == "ADJ":
        j += 1
    if j < hi_limit and ctx.lower[j] == "selon":
        j += 1
    return j < hi_limit and ctx.lower[j] in {"laquelle", "que", "qu'", "qui", "dont"}


def _token_chars(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    """Characters ``[start, end)`` covered by tokens ``[lo, hi)`` (``hi > lo``)."""
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


def _span_chars(ctx: _DocContext, lo: int, hi: int) -> tuple[int, int] | None:
    doc = ctx.doc
    while hi > lo and (doc[hi - 1].is_space or doc[hi - 1].text in TRAILING):
        hi -= 1
    while lo < hi and (doc[lo].is_space or doc[lo].text in {",", ":"}):
        lo += 1
    if hi <= lo:
        return None
    return _token_chars(doc, lo, hi)


def _complement_start(ctx: _DocContext, v: int, frames: frozenset[str], hi_limit: int
                      ) -> int | None:
    """First token of the reported clause of verb ``v`` for its frames, or ``None``."""
    doc = ctx.doc
    _, g_hi = ctx.verb_group(v)
    limit = min(g_hi + 14, hi_limit)
    k = g_hi
    first = g_hi
    while first < limit and (ctx.lower[first] in ADVERBS - {"de", "en", "par"}
                             or doc[first].text == ","):
        first += 1
    first = _skip_time_phrase(ctx, first, limit)
    # "souligne la préoccupation que ...", "se félicite de la rencontre que ...": a relative
    object_first = first < limit and (
        doc[first].pos_ == "DET" or ctx.lower[first] in {"de", "d'", "du", "des"}
    )
    if "que" in frames and not object_first:
        for q in range(g_hi, limit):
            low = ctx.lower[q]
            if low in {"que", "qu'"}:
                fact = q - 3 >= g_hi and ctx.lower[q - 3 : q] == ["sur", "le", "fait"]
                if q > g_hi and ctx.lower[q - 1] in CONJ_HEADS and not fact:
                    break
                return q + 1
            if doc[q].text in QUOTE_CHARS or doc[q].text in SENT_END or low in {";", ":"}:
                break
            if doc[q].pos_ == "VERB" and q > g_hi and doc[q].dep_ not in {"amod", "acl"}:
                break
            if low in {"si", "comment", "pourquoi"}:
                break
    k = g_hi
    while k < hi_limit and ctx.lower[k] in {"ne", "n'", "pas", "plus", "jamais"} | ADVERBS - {
        "de", "en", "par"
    }:
        k += 1
    if "inf" in frames and k < hi_limit and _is_infinitive(doc[k]):
        return k
    if "de" in frames and k + 1 < hi_limit and ctx.lower[k] in {"de", "d'"} and _is_infinitive(
        doc[_skip_clitics(ctx, k + 1, hi_limit)]
    ):
        return k + 1
    if "obj_de" in frames:
        # "accuse Y de ...": the first "de" before an infinitive, else the "de" right after the
        # object noun phrase ("accuse les occupants russes de crimes de guerre")
        for d in range(g_hi, limit):
            if doc[d].text in SENT_END or doc[d].text in QUOTE_CHARS or ctx.lower[d] in {
                "que", "qu'", ";", ":"
            }:
                break
            if ctx.lower[d] in {"de", "d'"} and d + 1 < hi_limit and _is_infinitive(
                doc[_skip_clitics(ctx, d + 1, hi_limit)]
            ):
                return d + 1
        d = _after_object(ctx, g_hi, limit)
        if d < limit and ctx.lower[d] in {"de", "d'"} and d + 1 < hi_limit:
            return d + 1
        if d < limit and ctx.lower[d] in {"des", "du"} and d > g_hi:
            return d
    if frames & {"a", "a_np"}:
        for a in range(g_hi, min(g_hi + 8, hi_limit)):
            if doc[a].text in SENT_END or doc[a].text in QUOTE_CHARS:
                break
            if ctx.lower[a] in {"à", "au", "aux"} and a + 1 < hi_limit:
                nxt = doc[_skip_clitics(ctx, a + 1, hi_limit)]
                if "a" in frames and ctx.lower[a] == "à" and _is_infinitive(nxt):
                    return a + 1
                if "a_np" in frames and not _is_number(doc[a + 1]) and (
                    (ctx.lower[a] != "à" and nxt.pos_ in {"NOUN", "ADJ"})
                    or (ctx.lower[a] == "à" and doc[a + 1].pos_ == "DET")
                ):
                    return a + 1 if ctx.lower[a] == "à" else a
                break
    return None


#: Nouns of a time adverbial between a verb and its clause: "a jugé cette semaine que".
TIME_NOUNS = {"semaine", "année", "an", "mois", "matin", "soir", "nuit", "jour", "week-end",
              "après-midi", "printemps", "été", "automne", "hiver", "lendemain", "veille",
              "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}


def _skip_time_phrase(ctx: _DocContext, k: int, limit: int) -> int:
    """Index after a time adverbial starting at ``k`` (``cette semaine``, ``la semaine
    dernière``, ``ce lundi``, ``le lendemain``), or ``k`` when there is none."""
    if k + 1 >= limit or ctx.lower[k] not in {"ce", "cet", "cette", "la", "le", "l'"}:
        return k
    if ctx.lower[k + 1] not in TIME_NOUNS:
        return k
    j = k + 2
    while j < limit and ctx.lower[j] in {"dernier", "dernière", "passé", "passée", "même"}:
        j += 1
    if j < limit and ctx.lower[j] == ",":
        j += 1
    return j


def _colon_clause(ctx: _DocContext, v: int, hi_limit: int) -> int | None:
    """``Le président l'a rappelé : la Russie ...``: an unquoted clause after a colon."""
    _, g_hi = ctx.verb_group(v)
    k = g_hi
    while k < hi_limit and ctx.lower[k] in ADVERBS:
        k += 1
    if k + 1 < hi_limit and ctx.doc[k].text == ":" and ctx.doc[k + 1].text not in QUOTE_CHARS:
        return k + 1
    return None


def _after_object(ctx: _DocContext, k: int, limit: int) -> int:
    """Index just after a direct object noun phrase starting at ``k`` (``k`` if none, as after
    a clitic object: ``l'accuse de``)."""
    doc = ctx.doc
    if k < limit and doc[k].pos_ == "DET":
        k += 1
        while k < limit and (doc[k].pos_ in {"NOUN", "ADJ", "PROPN"} or doc[k].text == "-"):
            k += 1
    elif k < limit and doc[k].pos_ == "PROPN":
        while k < limit and doc[k].pos_ == "PROPN":
            k += 1
    return k


def _skip_clitics(ctx: _DocContext, k: int, hi_limit: int) -> int:
    while k < hi_limit - 1 and ctx.lower[k] in {"ne", "n'", "pas", "se", "s'", "l'", "les", "y",
                                               "en", "lui", "leur", "plus", "jamais", "le", "la"}:
        k += 1
    return min(k, hi_limit - 1)


def _is_number(token: Token) -> bool:
    """A numeral (``à 17 heures``), not the article *un*/*une* that spaCy also calls a number."""
    return token.like_num and token.lower_ not in {"un", "une"}


def _is_infinitive(token: Token) -> bool:
    if "Inf" in token.morph.get("VerbForm"):
        return True
    low = token.lower_
    if low in {"avoir", "être"}:
        return True
    return token.pos_ in {"VERB", "AUX"} and low.endswith(("er", "ir", "re")) and len(low) > 3


def _qualify_span(ctx: _DocContext, v: int, hi_limit: int) -> int | None:
    """``qualifier Y de Z``: the last ``de`` before the clause ends; ``None`` if Z is quoted."""
    doc = ctx.doc
    _, g_hi = ctx.verb_group(v)
    last = None
    attached = None  # a "de" whose noun or adjective the parse hangs on the verb itself
    for d in range(g_hi, min(g_hi + 16, hi_limit)):
        if doc[d].text in {",", ";", ":"} | SENT_END or ctx.lower[d] in {"comme", "que", "qu'"}:
            break
        if ctx.lower[d] in {"de", "d'"} and d + 1 < hi_limit and doc[d + 1].pos_ in {
            "ADJ", "NOUN", "ADV", "VERB"
        } and doc[d + 1].lower_ not in {"long", "courte", "court"}:
            last = d
            if attached is None and doc[d + 1].head.i == v:
                attached = d
        if doc[d].text in QUOTE_CHARS and ctx.lower[d - 1] in {"de", "d'"}:
            return None
    # "qualifié X de criminel de guerre": the complement's own "de" is not the frame's; the
    # frame's is the one the parse hangs on the verb, or the one right after a name
    name_end = g_hi
    while name_end < hi_limit and doc[name_end].text[:1].isupper() and doc[name_end].is_alpha:
        name_end += 1
    if name_end > g_hi and name_end + 1 < hi_limit and ctx.lower[name_end] in {"de", "d'"} and (
        doc[name_end + 1].pos_ in {"ADJ", "NOUN"}
    ):
        return name_end + 1
    if attached is not None:
        return attached + 1
    return last + 1 if last is not None else None


def _reported_quotes(ctx: _DocContext) -> list[_Found]:
    found: list[_Found] = []
    doc = ctx.doc
    for v in sorted(ctx.verbs):
        if ctx.in_quote(doc[v].idx):
            continue
        lemma = ctx.verbs[v]
        frames = ctx.frames(v)
        s_lo, s_hi = ctx.sent_range(v)
        s_lo = _clause_start(ctx, v, s_lo, {";", ":"})
        start = _qualify_span(ctx, v, s_hi) if "qualify" in frames else None
        if start is None and frames - {"qualify"}:
            start = _complement_start(ctx, v, frames, s_hi)
        if start is None:
            start = _colon_clause(ctx, v, s_hi)
        if start is None:
            continue
        end = _clause_end(ctx, start, s_hi)
        if "qualify" in frames:
            end = start
            while end < s_hi and doc[end].text not in {",", ";", ":"} | SENT_END:
                end += 1
        chars = _span_chars(ctx, start, end)
        if chars is None:
            continue
        speaker = _subject_of(ctx, v, s_lo, s_hi)
        found.append(_Found(chars[0], chars[1], "indirect", lemma, speaker, v))
        if speaker is not None:
            ctx.found_speakers.append((speaker.start, speaker))
    found.extend(_incise_clauses(ctx))
    return found


def _incise_clauses(ctx: _DocContext) -> list[_Found]:
    """An unquoted clause before an incise: ``La Russie n'attaquera pas, a assuré X.``"""
    found: list[_Found] = []
    doc = ctx.doc
    for s_lo, s_hi in ctx.sent_tokens:
        for k in range(s_lo + 3, s_hi - 1):
            if doc[k].text != ",":
                continue
            v = next((x for x in range(k + 1, min(k + 5, s_hi)) if x in ctx.verbs), None)
            if v is None or ctx.in_quote(doc[v].idx):
                continue
            g_lo, g_hi = ctx.verb_group(v)
            if g_lo != k + 1:
                continue
            inverted = ctx.inverted_pronoun(g_lo, g_hi) is not None
            after = g_hi
            while after < s_hi and ctx.lower[after] in ADVERBS:
                after += 1
            if not inverted:
                if after >= s_hi or not (doc[after].pos_ in {"DET", "PROPN", "NOUN"}
                                         or doc[after].text[:1].isupper()):
                    continue
                rest = _phrase_right(ctx, after, s_hi)[1]
                while rest < s_hi and doc[rest].is_punct and doc[rest].text not in SENT_END:
                    rest += 1
                relative = ctx.lower[rest] == "qui" and doc[rest - 1].text == ","
                if rest < s_hi and doc[rest].text not in SENT_END and not relative and (
                    ctx.lower[rest] not in STOP_WORDS_PHRASE - {"que", "qu'", "qui", "dont", "en",
                                                                "à", "pour", "ce"}
                ):
                    continue
            if any(ctx.is_mark(x) for x in range(s_lo, k)) or not any(
                "Fin" in doc[x].morph.get("VerbForm") for x in range(s_lo, k)
            ):
                continue
            lo = s_lo
            while lo < k and ctx.lower[lo] in CONNECTORS:
                lo += 1
            chars = _span_chars(ctx, lo, k)
            if chars is None or _word_count(ctx.text[chars[0] : chars[1]]) < 4:
                continue
            speaker = _subject_of(ctx, v, s_lo, s_hi, inverted=True)
            found.append(_Found(chars[0], chars[1], "indirect", ctx.verbs[v], speaker, v))
            if speaker is not None:
                ctx.found_speakers.append((speaker.start, speaker))
            break
    return found


def _selon_quotes(ctx: _DocContext) -> list[_Found]:
    found: list[_Found] = []
    doc = ctx.doc
    for s_lo, s_hi in ctx.sent_tokens:
        lead = s_lo
        while lead < s_hi and (ctx.lower[lead] in CONNECTORS or doc[lead].is_space):
            lead += 1
        for k in range(s_lo, s_hi):
            n = _selon_at(ctx, k)
            if not n or ctx.in_quote(doc[k].idx):
                continue
            is_pour = ctx.lower[k] == "pour"
            if is_pour and k != lead:
                continue
            np_lo, np_hi = _phrase_right(ctx, k + n, s_hi)
            if np_hi <= np_lo:
                continue
            np_end = np_hi
            while np_end < s_hi and doc[np_end].text not in {","} | SENT_END:
                np_end += 1
            if is_pour:
                np_hi = min(np_hi, np_end)
                if np_end >= s_hi or np_end - np_lo > 10 or not _speaker_head(ctx, np_lo, np_hi):
                    continue
            if k == lead:
                lo, hi = np_end + 1, _clause_end(ctx, np_end + 1, s_hi)
            elif k > s_lo and doc[k - 1].text == "," and np_end >= s_hi - 1:
                lo, hi = lead, k - 1
            else:
                lo, hi = lead, s_hi
            chars = _span_chars(ctx, lo, hi)
            if chars is None:
                continue
            if _mostly_quoted(ctx, chars):
                continue
            speaker = _selon_speaker(ctx, np_lo, np_hi)
            found.append(_Found(chars[0], chars[1], "selon", "selon", speaker, k))
            break
    return found


def _speaker_head(ctx: _DocContext, lo: int, hi: int) -> bool:
    """Whether the head noun of ``[lo, hi)`` can speak: a name, a pronoun (*lui*), an actor
    mention other than an adjective, or a speaker noun (``Pour le Kremlin,`` but not ``Pour
    les 75 ans de l'Alliance,``)."""
    doc = ctx.doc
    head = next((k for k in range(lo, hi) if doc[k].pos_ in {"NOUN", "PROPN", "PRON"}), None)
    if head is None:
        return False
    token = doc[head]
    if token.pos_ == "PROPN" or token.lower_ in {"lui", "elle", "eux", "elles"}:
        return True
    if token.lower_ in ctx.lex.source_heads or token.lower_ in ctx.lex.non_actor_heads:
        return True
    mention = _mention_containing(ctx, token.idx)
    return mention is not None and mention.kind != "demonym"


def _mostly_quoted(ctx: _DocContext, chars: tuple[int, int]) -> bool:
    start, end = chars
    covered = 0
    for span in ctx.marked:
        covered += max(0, min(end, span.end) - max(start, span.start))
    return covered >= 0.5 * (end - start)


# --- assembly ------------------------------------------------------------------------------------

def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _merge(direct: list[_Found], others: Iterable[_Found]) -> list[_Found]:
    """Direct quotes win over an indirect or selon clause that is mostly made of them; among
    overlapping reported clauses the earlier cue wins."""
    kept = list(direct)
    for item in sorted(others, key=lambda f: (f.start, f.cue)):
        span = (item.start, item.end)
        length = item.end - item.start
        quoted = sum(_overlap(span, (d.start, d.end)) for d in direct)
        if quoted >= 0.5 * length:
            continue
        if any(
            k.kind != "direct" and _overlap(span, (k.start, k.end)) >= 0.5 * min(
                length, k.end - k.start
            )
            for k in kept
        ):
            continue
        kept.append(item)
    return sorted(kept, key=lambda f: (f.start, f.end, f.kind))


def extract_quotes(
    doc: Doc,
    article_id: str = "",
    date: str | None = None,
    registry: Any = None,
    mentions: Sequence[Any] | None = None,
    lexicon: ReportingLexicon | None = None,
) -> list[Quote]:
    """Every direct, indirect and ``selon`` quotation of a parsed document, with its speaker.

    ``doc`` comes from :func:`analysis.nlp.load_nlp` on cleaned text; offsets are character
    offsets in ``doc.text``. ``registry`` (an actor registry) maps speakers to actors, with roles
    dated by ``date``; ``mentions`` are the document's actor mentions (computed from the
    registry when omitted). Without a registry every ``speaker_actor`` is ``None``.
    """
    lexicon = lexicon or load_reporting_lexicon()
    if mentions is None and registry is not None:
        from analysis.actors import detect_mentions

        mentions = detect_mentions(doc, article_id=article_id, date=date, registry=registry)
    ctx = _DocContext(doc, lexicon, registry, date, mentions or ())
    # two passes: the first collects every explicit speaker, so that a pronoun in any quote
    # ("a-t-il ajouté") can go back to a speaker named by a cue of another kind
    for _ in range(2):
        ctx.found_speakers = []
        direct = _direct_quotes(ctx)
        reported = _reported_quotes(ctx)
        selon = _selon_quotes(ctx)
        found = [*direct, *reported, *selon]
        if all(f.speaker is not None for f in found):
            break
        ctx.known_speakers = sorted(
            {(f.speaker.start, f.speaker) for f in found if f.speaker is not None},
            key=lambda item: (item[0], item[1].end),
        )
    merged = _merge(direct, [*reported, *selon])
    quotes = []
    for index, item in enumerate(merged):
        speaker = item.speaker
        quotes.append(
            Quote(
                article_id=article_id,
                quote_idx=index,
                start=item.start,
                end=item.end,
                text=ctx.text[item.start : item.end],
                kind=item.kind,
                verb=item.verb,
                speaker=speaker.text if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                speaker_canonical=speaker.canonical if speaker else None,
                speaker_actor=speaker.actor if speaker else None,
                sent_start=ctx.sent_of_char(item.start),
                sent_end=ctx.sent_of_char(max(item.end - 1, item.start)),
            )
        )
    return quotes


def quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the content of every pair of quote marks (no filtering)."""
    return [(s.start, s.end) for s in find_marked_spans(doc.text)]
