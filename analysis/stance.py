"""Targeted stance: how each sentence presents each actor it mentions, with evidence.

Two rule-based methods share one interface (``score_doc``, ``score_pairs``, ``get_params``):

``baseline``
    textblob-fr's polarity of the whole sentence, given to every actor in it; label negative
    below −0.1, positive above 0.1 (the thresholds a user of textblob would pick). Evidence: the
    words textblob-fr's lexicon scored. What users would do today; kept to show the gain.
``lexicon``
    a French conflict/cooperation lexicon (``data/lexicons/stance.yml``) whose entries say WHO
    receives the evaluation (the agent of a hostile act, the target of a blame, the recipient of
    support, the actor a quality describes), the dependency parse finding that actor (subject,
    object, passive subject and agent, ``de X`` and ``à X`` complements, possessives that refer
    to the clause's subject, adjectives and their nouns), negation (flips), intensifiers and
    hedges (``prétendue menace`` cancels the blame). Score: ``tanh`` of the summed weights,
    labels at ±0.25. Evidence: each word with the rule and weight that produced it.

The supervised method lives in :mod:`analysis.stance_model`; :func:`load_scorer` returns any
of them by name. Limits: no coreference beyond possessives, irony is not detected, and words
the parse cannot tie to an actor are given to the nearest actor of the clause at half weight.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span, Token

from analysis import config
from analysis.errors import AnalysisError, BadInputError

STANCE_LEXICON = config.LEXICON_DIR / "stance.yml"
LABELS = ("negative", "neutral", "positive")
ROLE_CLASSES = {
    "perpetrator_negative": ("agent", -1.0),
    "blame": ("target", -1.0),
    "support": ("recipient", 1.0),
    "cooperative": ("agent", 1.0),
    "success": ("agent", 1.0),
    "negative_quality": ("qualified", -1.0),
    "positive_quality": ("qualified", 1.0),
}
POSSESSIVES = {"son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos"}
OF_NOUNS = {"souveraineté", "intégrité", "indépendance", "sécurité", "défense", "survie",
            "liberté", "résistance", "courage", "héroïsme", "résilience", "victoire"}
DEFAULT_METHOD = "model"


@dataclass(frozen=True)
class Target:
    """Stance of one sentence toward one actor (one row of the targets table)."""

    article_id: str
    sent_idx: int
    actor: str
    label: str
    score: float
    method: str
    evidence: tuple[str, ...]
    in_quote: bool = False
    speaker_actor: str | None = None
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    lemma: str
    role_class: str
    weight: float


@dataclass
class StanceLexicon:
    """The evaluative lexicon with its modifiers."""

    entries: dict[str, Entry]
    phrases: dict[tuple[str, ...], Entry]
    negators: frozenset[str]
    intensifiers: dict[str, float]
    hedges: dict[str, float]


@lru_cache(maxsize=4)
def load_stance_lexicon(path: Path | str = STANCE_LEXICON) -> StanceLexicon:
    """Read ``stance.yml``; an unknown section or a bad weight raises naming file and key."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: dict[str, Entry] = {}
    phrases: dict[tuple[str, ...], Entry] = {}
    for role_class in ROLE_CLASSES:
        section = data.get(role_class) or {}
        if not isinstance(section, dict):
            raise BadInputError(f"{role_class}: expected a mapping of lemma: weight", path=path)
        for lemma, weight in section.items():
            if not isinstance(weight, int | float) or not 0 <= weight <= 1:
                raise BadInputError(f"{role_class}.{lemma}: weight must be in [0, 1]", path=path)
            entry = Entry(str(lemma).lower(), role_class, float(weight))
            words = tuple(entry.lemma.split("_"))
            if len(words) > 1:
                phrases[words] = entry
            else:
                entries[entry.lemma] = entry
    return StanceLexicon(
        entries=entries,
        phrases=phrases,
        negators=frozenset(str(w) for w in data.get("negators", [])),
        intensifiers={str(k): float(v) for k, v in (data.get("intensifiers") or {}).items()},
        hedges={str(k): float(v) for k, v in (data.get("hedges") or {}).items()},
    )


def label_for(score: float, threshold: float) -> str:
    """negative / neutral / positive by symmetric thresholds."""
    if score <= -threshold:
        return "negative"
    if score >= threshold:
        return "positive"
    return "neutral"


# --- sentence context ---------------------------------------------------------------------------

@dataclass
class SentenceContext:
    """The mentions and quotation of one sentence, indexed by token."""

    span: Span
    sent_idx: int
    actor_of_token: dict[int, str] = field(default_factory=dict)
    mention_tokens: dict[str, list[int]] = field(default_factory=dict)
    quote_token_ranges: list[tuple[int, int, str | None]] = field(default_factory=list)

    def quote_of(self, i: int) -> tuple[int, int, str | None] | None:
        for start, end, speaker in self.quote_token_ranges:
            if start <= i < end:
                return start, end, speaker
        return None


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def sentence_contexts(doc: Doc, mentions: Iterable[Any], quotes: Iterable[Any] = (),
                      ) -> list[SentenceContext]:
    """One context per non-blank sentence (same order as :func:`analysis.sentences.segment_doc`)."""
    sentences = [s for s in doc.sents if any(not t.is_space for t in s)]
    contexts = [SentenceContext(span, index) for index, span in enumerate(sentences)]
    by_char = {}
    for context in contexts:
        for token in context.span:
            by_char[token.idx] = (context, token.i)
    for mention in mentions:
        context = contexts[mention.sent_idx] if mention.sent_idx < len(contexts) else None
        if context is None:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            context.actor_of_token[token.i] = mention.actor
        context.mention_tokens.setdefault(mention.actor, []).append(span.root.i)
    for quote in quotes:
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None:
            continue
        for context in contexts:
            if context.span.start < span.end and span.start < context.span.end:
                context.quote_token_ranges.append((span.start, span.end,
                                                   getattr(quote, "speaker_actor", None)))
    return contexts


# --- finding who receives an evaluation ---------------------------------------------------------

def _actor_near(token: Token, context: SentenceContext, depth: int = 2) -> str | None:
    """The actor a token stands for: the token itself, or an actor word hanging from it
    (``les troupes russes``, ``les forces de Moscou``, ``le gouvernement de Kiev``)."""
    if token.i in context.actor_of_token:
        return context.actor_of_token[token.i]
    if depth == 0:
        return None
    for child in token.children:
        if child.dep_ in {"amod", "nmod", "appos", "flat:name", "compound", "nmod:poss"}:
            found = _actor_near(child, context, depth - 1)
            if found:
                return found
    return None


def _subject_of(verb: Token, context: SentenceContext) -> str | None:
    """Actor of the subject of ``verb``, inherited through xcomp/conj/advcl chains."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubj:pass", "expl:subj"}:
                return _actor_near(child, context)
        if verb.dep_ in {"xcomp", "conj", "advcl", "ccomp"} and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _passive_agent(verb: Token, context: SentenceContext) -> str | None:
    for child in verb.children:
        if child.dep_ in {"obl:agent", "obl"} and any(c.lower_ == "par" for c in child.children):
            return _actor_near(child, context)
    return None


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in {"nsubj:pass", "aux:pass"} for child in verb.children)


def _complements(token: Token, cases: set[str], deps: set[str]) -> list[Token]:
    found = []
    for child in token.children:
        if child.dep_ in deps:
            child_cases = {c.lower_ for c in child.children if c.dep_ in {"case", "mark"}}
            if not cases or child_cases & cases or (not child_cases and "" in cases):
                found.append(child)
    return found


def _of_actor(noun: Token, context: SentenceContext) -> str | None:
    """``X de Y`` → Y's actor; a possessive (ses provocations) → the clause subject's actor."""
    for child in noun.children:
        if child.dep_ in {"nmod", "amod", "nmod:poss"}:
            found = _actor_near(child, context, depth=1)
            if found:
                return found
        if child.dep_ == "det" and child.lower_ in POSSESSIVES:
            governor = noun.head
            while governor.pos_ not in {"VERB", "AUX"} and governor.head.i != governor.i:
                governor = governor.head
            return _subject_of(governor, context)
    return None


def _agents(word: Token, context: SentenceContext) -> list[str]:
    """Who performs the act ``word`` names."""
    if word.pos_ in {"VERB", "AUX"}:
        if _is_passive(word):
            agent = _passive_agent(word, context)
            return [agent] if agent else []
        subject = _subject_of(word, context)
        return [subject] if subject else []
    if word.pos_ in {"NOUN", "PROPN"}:
        owner = _of_actor(word, context)
        if owner:
            return [owner]
        if word.dep_ in {"obj", "obl:arg"} and word.head.pos_ in {"VERB", "AUX"}:
            subject = _subject_of(word.head, context)  # la Russie multiplie les provocations
            return [subject] if subject else []
        return []
    return _qualified(word, context)


def _targets(word: Token, context: SentenceContext) -> list[str]:
    """Who is blamed by ``word`` (accuser, condamner, dénoncer ...)."""
    found = []
    if word.pos_ in {"VERB", "AUX"}:
        for child in word.children:
            if child.dep_ in {"obj", "nsubj:pass", "iobj"}:
                actor = _actor_near(child, context)
                if actor:
                    found.append(actor)
                elif child.dep_ == "obj":
                    owner = _of_actor(child, context)  # dénonce les provocations de Moscou
                    if owner:
                        found.append(owner)
        if word.dep_ in {"acl", "amod"}:  # la Russie, accusée de ...
            actor = _actor_near(word.head, context)
            if actor:
                found.append(actor)
    else:
        cases = {"contre", "envers", "à", "de"}
        for child in _complements(word, cases, {"nmod", "obl", "obl:arg"}):
            actor = _actor_near(child, context)
            if actor:
                found.append(actor)
    return found


def _recipients(word: Token, context: SentenceContext) -> list[str]:
    """Who receives the support ``word`` names (soutien à X, aider X, souveraineté de X)."""
    found = []
    if word.pos_ in {"VERB", "AUX"}:
        for child in word.children:
            if child.dep_ in {"obj", "iobj", "nsubj:pass"}:
                actor = _actor_near(child, context)
                if actor:
                    found.append(actor)
        for child in _complements(word, {"à", "pour", "envers", "aux", "au"},
                                  {"obl", "obl:arg", "obl:mod"}):
            actor = _actor_near(child, context)
            if actor:
                found.append(actor)
        return found
    cases = {"à", "pour", "envers", "aux", "au", "en"}
    if _lemma(word) in OF_NOUNS:
        cases.add("de")
    for child in _complements(word, cases, {"nmod", "obl", "obl:arg", "obl:mod"}):
        actor = _actor_near(child, context)
        if actor:
            found.append(actor)
    if not found and word.dep_ in {"obj", "obl:arg", "obl"} and word.head.pos_ == "VERB":
        for sibling in _complements(word.head, {"à", "pour", "aux", "au"},
                                    {"obl", "obl:arg", "obl:mod", "iobj"}):
            actor = _actor_near(sibling, context)
            if actor:
                found.append(actor)
    if not found and _lemma(word) in OF_NOUNS:
        owner = _of_actor(word, context)
        if owner:
            found.append(owner)
    return found


def _qualified(word: Token, context: SentenceContext) -> list[str]:
    """The actor a quality word describes: a noun's own ``de X``, the word's subject, the noun
    it qualifies (or that noun's owner), or the object of a qualifying verb
    (``qualifier les actions de Moscou de provocantes``)."""
    if word.pos_ in {"NOUN", "PROPN"} and word.dep_ not in {"nmod", "obl:arg", "xcomp"}:
        own = _of_actor(word, context)  # le régime de Kiev
        if own:
            return [own]
    candidates = [c for c in word.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if word.head.i != word.i:
        candidates.append(word.head)
    for candidate in candidates:
        actor = _actor_near(candidate, context) or _of_actor(candidate, context)
        if actor:
            return [actor]
    if word.head.pos_ == "VERB":
        for child in word.head.children:
            if child.dep_ == "obj":
                actor = _actor_near(child, context) or _of_actor(child, context)
                if actor:
                    return [actor]
    own = _of_actor(word, context)
    return [own] if own else []


DEMAND_LEMMAS = {"devoir", "falloir", "appeler", "exhorter", "exiger", "demander", "sommer",
                 "presser", "inviter", "enjoindre"}


def _demanded(word: Token) -> bool:
    """True when the act is demanded of its agent (``doit apaiser``, ``appelle X à négocier``)."""
    head, hops = word, 0
    while head.dep_ in {"xcomp", "ccomp", "advcl", "obl:arg", "obj"} and hops < 3:
        head = head.head
        if _lemma(head) in DEMAND_LEMMAS:
            return True
        hops += 1
    return any(_lemma(c) in DEMAND_LEMMAS for c in word.children if c.dep_.startswith("aux"))


RECEIVERS = {"agent": _agents, "target": _targets, "recipient": _recipients,
             "qualified": _qualified}


# --- modifiers ----------------------------------------------------------------------------------

def _negated(word: Token, lexicon: StanceLexicon) -> bool:
    governors = [word]
    if word.head.i != word.i:
        governors.append(word.head)
    for governor in governors:
        for child in governor.children:
            if _lemma(child) in lexicon.negators and child.dep_ in {"advmod", "det", "cc"}:
                if child.lower_ == "plus" and not any(c.lower_ in {"ne", "n'"}
                                                      for c in governor.children):
                    continue
                return True
    return False


def _modifier(word: Token, lexicon: StanceLexicon) -> tuple[float, list[str]]:
    factor, notes = 1.0, []
    for child in word.children:
        lemma = _lemma(child)
        if lemma in lexicon.intensifiers:
            factor *= lexicon.intensifiers[lemma]
            notes.append(f"×{lexicon.intensifiers[lemma]:.1f} {child.text}")
        if lemma in lexicon.hedges or child.lower_ in lexicon.hedges:
            value = lexicon.hedges.get(lemma, lexicon.hedges.get(child.lower_, 1.0))
            factor *= value
            notes.append(f"hedge {child.text} ×{value:.1f}")
    head = word.head
    if head.i != word.i and word.dep_ in {"obj", "nsubj"} and head.lower_ in lexicon.hedges:
        factor *= lexicon.hedges[head.lower_]
        notes.append(f"hedge {head.text}")
    if word.morph.get("Mood") == ["Cnd"] or any(
            c.morph.get("Mood") == ["Cnd"] for c in word.children if c.dep_.startswith("aux")):
        factor *= lexicon.hedges.get("aurait", 1.0)
        notes.append("conditional")
    return factor, notes


# --- the scorers --------------------------------------------------------------------------------

class SentenceScorer(ABC):
    """Scores a document sentence by sentence; subclasses define ``score_context``."""

    @abstractmethod
    def score_context(self, context: SentenceContext, article_id: str) -> list[Target]:
        """Targets of the actors of one sentence."""

    def score_doc(self, doc: Doc, article_id: str = "", date: str | None = None,
                  mentions: Sequence[Any] = (), quotes: Sequence[Any] = ()) -> list[Target]:
        """Targets of every (sentence, actor) pair of a parsed document."""
        out = []
        for context in sentence_contexts(doc, mentions, quotes):
            if context.mention_tokens:
                out.extend(self.score_context(context, article_id))
        return out


class LexiconStance(SentenceScorer):
    """Lexicon and dependency rules (see the module docstring)."""

    method = "lexicon"

    def __init__(self, threshold: float = 0.25, fallback_weight: float = 0.5,
                 lexicon_path: str | None = None) -> None:
        self.threshold = threshold
        self.fallback_weight = fallback_weight
        self.lexicon_path = lexicon_path

    def get_params(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "fallback_weight": self.fallback_weight,
                "lexicon_path": self.lexicon_path}

    def fit(self, X: Any = None, y: Any = None) -> LexiconStance:
        """Rules need no training; kept for the scikit-learn interface."""
        return self

    @property
    def lexicon(self) -> StanceLexicon:
        return load_stance_lexicon(self.lexicon_path or STANCE_LEXICON)

    def contributions(self, context: SentenceContext) -> dict[str, list[tuple[float, str, str]]]:
        """For each actor of the sentence: (signed weight, word, rule) contributions."""
        lexicon = self.lexicon
        out: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
        tokens = list(context.span)
        lemmas = [_lemma(t) for t in tokens]
        phrase_heads: dict[int, Entry] = {}
        for words, entry in lexicon.phrases.items():
            n = len(words)
            for k in range(len(tokens) - n + 1):
                if tuple(lemmas[k : k + n]) == words:
                    phrase_heads[tokens[k].i] = entry
        for token, lemma in zip(tokens, lemmas, strict=True):
            entry = phrase_heads.get(token.i) or lexicon.entries.get(lemma)
            if entry is None or token.i in context.actor_of_token:
                continue
            role, sign = ROLE_CLASSES[entry.role_class]
            factor, notes = _modifier(token, lexicon)
            weight = sign * entry.weight * factor
            if _negated(token, lexicon):
                weight = -0.6 * weight
                notes.append("negated")
            if weight == 0:
                continue
            receivers = self._receivers(role, token, context)
            if entry.role_class in {"cooperative", "success"} and _demanded(token):
                weight = -0.5 * weight  # "Moscou doit apaiser": a demand implies a fault
                notes.append("demanded")
            rule = f"{role} of {entry.role_class.replace('_', ' ')}"
            if not receivers:
                receivers = self._fallback(token, context, entry.role_class)
                weight *= self.fallback_weight
                rule += ", nearest actor"
            detail = f"{token.text}: {rule} {weight:+.2f}" + (f" ({', '.join(notes)})"
                                                             if notes else "")
            for actor in dict.fromkeys(receivers):
                out[actor].append((weight, token.text, detail))
        return out

    @staticmethod
    def _receivers(role: str, token: Token, context: SentenceContext) -> list[str]:
        """Receivers by the parse; a coordinated word (``injustifiée, inexplicable``) shares
        the receivers of the word it is coordinated with."""
        receivers = [a for a in RECEIVERS[role](token, context) if a]
        hops = 0
        while not receivers and token.dep_ == "conj" and hops < 3:
            token = token.head
            receivers = [a for a in RECEIVERS[role](token, context) if a]
            hops += 1
        return receivers

    def _fallback(self, token: Token, context: SentenceContext, role_class: str) -> list[str]:
        if role_class in {"support", "blame"}:
            return []  # who receives support or blame is too risky to guess
        victims = {child.i for child in token.children if child.dep_ in {"obj", "iobj"}}
        victims |= {t.i for v in list(victims) for t in context.span.doc[v].subtree}
        quote = context.quote_of(token.i)
        best, best_distance = None, 8
        for actor, heads in sorted(context.mention_tokens.items()):
            for head in heads:
                if context.quote_of(head) != quote or head in victims:
                    continue  # never across a quotation boundary, never the act's object
                distance = abs(head - token.i)
                if distance < best_distance:
                    best, best_distance = actor, distance
        return [best] if best else []

    def score_context(self, context: SentenceContext, article_id: str) -> list[Target]:
        """One Target per actor mentioned in the sentence."""
        contributions = self.contributions(context)
        targets = []
        for actor in sorted(context.mention_tokens):
            items = contributions.get(actor, [])
            total = sum(weight for weight, _, _ in items)
            score = round(math.tanh(total), 4)
            in_quote, speaker = _quote_status(context, actor)
            targets.append(Target(
                article_id, context.sent_idx, actor, label_for(score, self.threshold), score,
                self.method, tuple(word for _, word, _ in items), in_quote, speaker,
                tuple(detail for _, _, detail in items)))
        return targets



def _quote_status(context: SentenceContext, actor: str) -> tuple[bool, str | None]:
    """Whether the sentence carries a quotation, and its speaker's actor."""
    if not context.quote_token_ranges:
        return False, None
    speakers = [speaker for _, _, speaker in context.quote_token_ranges]
    return True, speakers[0]


class BaselineStance(SentenceScorer):
    """textblob-fr polarity of the whole sentence for every actor in it (the baseline)."""

    method = "baseline"

    def __init__(self, threshold: float = 0.1) -> None:
        self.threshold = threshold

    def get_params(self) -> dict[str, Any]:
        return {"threshold": self.threshold}

    def fit(self, X: Any = None, y: Any = None) -> BaselineStance:
        return self

    def score_context(self, context: SentenceContext, article_id: str) -> list[Target]:
        from textblob_fr.fr import sentiment

        result = sentiment(context.span.text)
        polarity = float(result[0])
        words = tuple(" ".join(words) for words, *_ in getattr(result, "assessments", []))
        out = []
        for actor in sorted(context.mention_tokens):
            in_quote, speaker = _quote_status(context, actor)
            out.append(Target(article_id, context.sent_idx, actor,
                              label_for(polarity, self.threshold), round(polarity, 4),
                              self.method, words, in_quote, speaker,
                              (f"sentence polarity {polarity:+.2f}",)))
        return out



METHODS = ("baseline", "lexicon", "model")


def load_scorer(method: str | None = None) -> Any:
    """A stance scorer by name; ``None`` gives the default method (the best on evaluation)."""
    method = method or DEFAULT_METHOD
    if method == "baseline":
        return BaselineStance()
    if method == "lexicon":
        return LexiconStance()
    if method == "model":
        from analysis.stance_model import load_model

        return load_model()
    raise AnalysisError(f"unknown stance method {method!r}; choose one of {', '.join(METHODS)}")
