"""Actor detection: every way French news names the actors of the conflict.

Method. The registry (``data/lexicons/actors.yml``, see :class:`ActorRegistry`) is compiled once
per spaCy vocabulary into two :class:`~spacy.matcher.PhraseMatcher` passes (``LOWER`` for
case-insensitive aliases, ``ORTH`` for case-sensitive ones), each alias also added in its
accent-folded, hyphen-as-space and curly-apostrophe forms. Then, per document:

1. alias hits become candidates (country, capital, institution, person, role);
2. a demonym adjective (*russe*, *ukrainiennes*) counts only after a state noun or a role title
   with at most ``max_modifiers`` plain words between them (*les troupes régulières
   ukrainiennes*, *le ministre ukrainien*); a role title followed by a connector and an actor
   name is one role mention (*le secrétaire général de l'OTAN*);
3. a person counts only while one of their dated roles is valid on the article date (with no
   date, the actor of their most recent role: ``no_date_default: latest_role``);
4. a capitalised word not matched so far is compared with the registry's surnames after a light
   transliteration key (ou→u, sh→ch, y→i, ff→v ...) with :func:`rapidfuzz.fuzz.ratio` (score at
   least :data:`FUZZY_THRESHOLD`, at least :data:`FUZZY_MIN_LENGTH` letters, same first and last
   letter), so that *Stoltemberg* or *Lavrof* are found but *Peskova* or ordinary words are not;
5. a title held no more or not yet (*l'ancien patron de l'Otan*, *l'ex-président ukrainien*,
   *le président élu des États-Unis*) hides the whole phrase, the actor name inside included;
6. overlapping candidates are resolved deterministically: the longest span wins, then the
   earliest; phrases listed under ``not_mentions`` (*Washington Post*, *Amérique latine*,
   *poulet à la Kiev*) are candidates without an actor, so they hide any alias inside them;
7. aliases marked ``needs_actor_in_doc`` (*l'Alliance*) are kept only when the same actor is named
   otherwise in the document;
8. a name of two to four capitalised words in apposition to a role phrase is a person of the
   role's actor even when the registry does not know it (*l'ambassadeur de Russie en Turquie,
   Andreï Karlov,*).

Limits: no coreference (*il*, *le dirigeant*), no parse is used (the rules read tokens only, so
detection runs on a tokenizer-only document too), and the state-noun list decides what a demonym
refers to: *la crise ukrainienne* or *un touriste russe* are not actor mentions.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from analysis import config
from analysis.errors import BadInputError

KINDS = ("country", "capital", "institution", "person", "role", "demonym")
MATCHES = ("exact", "variant", "role")
ALIAS_KINDS = ("country", "capital", "institution", "role")
UNLESS = ("preceded_by_name", "followed_by_name")
NO_DATE_DEFAULTS = ("latest_role", "none")
ACTOR_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
DEFAULT_REGISTRY = config.LEXICON_DIR / "actors.yml"

#: Fuzzy person matching: minimum rapidfuzz ratio and minimum length of the token.
FUZZY_THRESHOLD = 85.0
FUZZY_MIN_LENGTH = 6

_CONNECTOR_RANK = {"former_connector": 0, "title_connector": 1, "generic_connector": 2}
QUOTE_MARKS = frozenset(('"', "«", "»", "“", "”", "‹", "›"))
COORDINATORS = frozenset(("et", "ou", ","))
#: Which head wins when a state noun and titles end at the same token.
_HEAD_PRIORITY = ("former_title", "title", "generic", "deputy", "noun")

#: Words that may open a short complement between a role and an apposed name.
APPOSITION_PREPOSITIONS = frozenset(("de", "du", "des", "d'", "en", "à", "au", "aux", "auprès",
                                     "pour", "chargé", "chargée", "par"))

#: Capitalised words that are never a first name in front of a surname.
NOT_FIRST_NAMES = frozenset((
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier",
    "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre", "hier", "demain", "aujourd'hui", "président", "présidente",
    "ministre", "secrétaire", "général", "générale", "monsieur", "madame", "sénateur",
    "sénatrice", "chef", "porte-parole", "premier", "première", "vice-président",
    "ambassadeur", "ancien", "ex", "selon", "quand", "défense", "affaires", "étrangères",
    "intérieur", "état", "etat", "finances", "trésor", "justice", "sécurité", "armées",
    "santé", "économie", "nations", "unies", "commerce", "énergie", "renseignement",
    "conseil", "comité", "assemblée",
))

_KIND_RANK = {kind: rank for rank, kind in enumerate(("person", "role", "institution", "capital",
                                                      "country", "demonym"))}


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One actor mention; ``start``/``end`` are character offsets in the document text."""

    article_id: str
    sent_idx: int
    start: int
    end: int
    surface: str
    actor: str
    kind: str  #: country, capital, institution, person, role or demonym
    match: str  #: exact, variant (accent-folded, spelling variant or fuzzy) or role
    canonical: str  #: the person's name, the role holder's name, or the actor's display name


@dataclass(frozen=True)
class ResolvedActor:
    """What a phrase (a quote's speaker) refers to."""

    actor: str
    canonical: str
    kind: str


@dataclass(frozen=True)
class PersonRole:
    """A dated role: the person stands for ``actor`` from ``start`` (inclusive) to ``end``."""

    actor: str
    office: str
    start: date | None
    end: date | None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    """A person of the registry with their dated roles."""

    name: str
    roles: tuple[PersonRole, ...]

    def role_on(self, day: date | None, no_date_default: str = "latest_role") -> PersonRole | None:
        """The role valid on ``day``; with no day, the most recent role (or none)."""
        if day is None:
            if no_date_default == "none" or not self.roles:
                return None
            return max(self.roles, key=lambda r: (r.start or date.min, r.end or date.max))
        valid = [role for role in self.roles if role.valid_on(day)]
        return max(valid, key=lambda r: r.start or date.min) if valid else None


@dataclass(frozen=True)
class Alias:
    """One name form of an actor or a person, with its matching options."""

    text: str
    actor: str  #: the actor; for a person, the actor of the person's entry
    kind: str
    case_sensitive: bool = False
    unless: tuple[str, ...] = ()
    needs_actor_in_doc: bool = False
    person: int | None = None  #: index in :attr:`ActorRegistry.persons`


@dataclass(frozen=True)
class ActorInfo:
    """An actor's id and display names."""

    id: str
    name_fr: str
    name_en: str


# --- text normalisation ------------------------------------------------------------------------


def fold_accents(text: str) -> str:
    """``text`` without diacritics (NFD, combining marks dropped, NFC), œ/æ spelled out."""
    decomposed = unicodedata.normalize("NFD", text.replace("œ", "oe").replace("Œ", "OE")
                                       .replace("æ", "ae").replace("Æ", "AE"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


_TRANSLIT = (("sch", "ch"), ("tch", "ch"), ("sh", "ch"), ("zh", "j"), ("kh", "h"), ("ff", "v"),
             ("ou", "u"), ("w", "v"), ("y", "i"), ("ii", "i"), ("ck", "k"), ("ph", "f"))


def name_key(word: str) -> str:
    """Loose transliteration key of a name: ``Choïgou`` and ``Shoigu`` both give ``choigu``."""
    key = fold_accents(word).lower()
    for old, new in _TRANSLIT:
        key = key.replace(old, new)
    if key.endswith("f"):
        key = key[:-1] + "v"
    return re.sub(r"[^a-z]", "", key)


def surface_variants(text: str, case_sensitive: bool) -> list[str]:
    """Generated spellings of an alias besides itself: unaccented, hyphen as space, curly
    apostrophe, ALL CAPS (case-sensitive aliases only)."""
    forms = {text, fold_accents(text)}
    # Capitals often lose their accents in French copy: "Etat", "Etats-Unis".
    forms.add("".join(fold_accents(c) if c.isupper() else c for c in text))
    for form in list(forms):
        if "-" in form:
            forms.add(form.replace("-", " "))
        if "'" in form:
            forms.add(form.replace("'", "’"))
    if case_sensitive:
        forms |= {form.upper() for form in list(forms)}
    forms.discard(text)
    if not case_sensitive:
        forms = {form for form in forms if form.lower() != text.lower()}
    return sorted(forms)


def parse_day(value: object) -> date | None:
    """An article date as :class:`datetime.date`: a date, a datetime, an ISO or French string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        from analysis.dates import parse_french_date

        iso = parse_french_date(text)
        return date.fromisoformat(iso) if iso else None


# --- the registry ---------------------------------------------------------------------------


class _Schema:
    """Validation of the YAML registry; every error names the file and the key."""

    TOP = frozenset({"schema_version", "no_date_default", "demonym_rules", "not_mentions",
                     "actors", "extends"})
    ACTOR = frozenset({"id", "names", "country", "capital", "institution", "role", "demonyms",
                       "persons"})
    ALIAS = frozenset({"text", "case", "unless", "needs_actor_in_doc"})
    PERSON = frozenset({"name", "variants", "roles"})
    ROLE = frozenset({"office", "start", "end", "actor"})
    RULES = frozenset({"max_modifiers", "state_nouns", "role_titles", "generic_titles",
                       "deputy_titles", "connectors",
                       "role_complements", "former_markers", "former_suffixes"})

    def __init__(self, source: Path | str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> BadInputError:
        return BadInputError(f"{key}: {message}", path=self.source)

    def mapping(self, value: Any, key: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            names = ", ".join(sorted(allowed))
            raise self.fail(key, f"unknown key {unknown[0]!r} (allowed: {names})")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return unicodedata.normalize("NFC", value.strip())

    def texts(self, value: Any, key: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {type(value).__name__}")
        return [self.text(item, f"{key}[{i}]") for i, item in enumerate(value)]

    def grouped_texts(self, value: Any, key: str) -> list[str]:
        """A list of strings, or a mapping of named groups of strings (flattened in order)."""
        if isinstance(value, Mapping):
            return [text for group, items in value.items()
                    for text in self.texts(items, f"{key}.{group}")]
        return self.texts(value, key)

    def day(self, value: Any, key: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, f"expected a date YYYY-MM-DD or null, got {value!r}") from None


class ActorRegistry:
    """The actors, their aliases, demonyms, persons with dated roles, and matching rules.

    Build it with :func:`load_registry` (cached) or :meth:`from_yaml`; the YAML format is
    documented at the top of ``data/lexicons/actors.yml`` and in ``docs/actors.md``.
    """

    def __init__(self, data: Mapping[str, Any], source: Path | str = "<registry>") -> None:
        self.source = str(source)
        schema = _Schema(source)
        top = schema.mapping(data, "(top level)", schema.TOP)
        version = top.get("schema_version", 1)
        if version != 1:
            raise schema.fail("schema_version", f"unsupported version {version!r} (expected 1)")
        self.no_date_default = top.get("no_date_default", "latest_role")
        if self.no_date_default not in NO_DATE_DEFAULTS:
            raise schema.fail("no_date_default", f"expected one of {NO_DATE_DEFAULTS}, got "
                              f"{self.no_date_default!r}")
        rules = schema.mapping(top.get("demonym_rules") or {}, "demonym_rules", schema.RULES)
        self.max_modifiers = rules.get("max_modifiers", 2)
        if not isinstance(self.max_modifiers, int) or not 0 <= self.max_modifiers <= 5:
            raise schema.fail("demonym_rules.max_modifiers", "expected an integer from 0 to 5")
        rule_lists = {name: tuple(schema.grouped_texts(rules.get(name), f"demonym_rules.{name}"))
                      for name in ("state_nouns", "role_titles", "generic_titles", "deputy_titles",
                                   "connectors", "role_complements", "former_markers",
                                   "former_suffixes")}
        self.state_nouns = rule_lists["state_nouns"]
        self.role_titles = rule_lists["role_titles"]
        self.generic_titles = rule_lists["generic_titles"]
        self.deputy_titles = rule_lists["deputy_titles"]
        self.connectors = rule_lists["connectors"]
        self.role_complements = rule_lists["role_complements"]
        self.former_markers = tuple(word.lower() for word in rule_lists["former_markers"])
        self.former_suffixes = tuple(word.lower() for word in rule_lists["former_suffixes"])
        self.not_mentions = tuple(schema.texts(top.get("not_mentions"), "not_mentions"))

        actors = top.get("actors")
        if not isinstance(actors, list) or not actors:
            raise schema.fail("actors", "expected a non-empty list of actors")
        self.actors: tuple[ActorInfo, ...] = ()
        self.aliases: list[Alias] = []
        self.persons: list[Person] = []
        self.demonyms: dict[str, str] = {}
        self.plural_nouns: dict[str, str] = {}
        infos = []
        for i, entry in enumerate(actors):
            infos.append(self._read_actor(schema, entry, f"actors[{i}]"))
        ids = [info.id for info in infos]
        duplicates = sorted({x for x in ids if ids.count(x) > 1})
        if duplicates:
            raise schema.fail("actors", f"duplicate actor id {duplicates[0]!r}")
        for person in self.persons:
            for j, role in enumerate(person.roles):
                if role.actor not in ids:
                    raise schema.fail(f"person {person.name!r}.roles[{j}].actor",
                                      f"unknown actor {role.actor!r}")
        self.actors = tuple(infos)
        self._by_id = {info.id: info for info in infos}
        self._matchers: dict[int, tuple[Vocab, _Compiled]] = {}
        self._resolve_cache: dict[tuple[Any, ...], ResolvedActor | None] = {}
        self._phrase_tokenizer: Any = None

    # -- reading ---------------------------------------------------------------------------

    def _read_alias(self, schema: _Schema, value: Any, key: str, actor: str, kind: str,
                    person: int | None = None) -> Alias:
        default_sensitive = kind == "person"
        if isinstance(value, str):
            return Alias(schema.text(value, key), actor, kind, default_sensitive, person=person)
        entry = schema.mapping(value, key, schema.ALIAS)
        text = schema.text(entry.get("text"), f"{key}.text")
        case = entry.get("case", "sensitive" if default_sensitive else "insensitive")
        if case not in ("sensitive", "insensitive"):
            raise schema.fail(f"{key}.case", f"expected sensitive or insensitive, got {case!r}")
        unless = tuple(schema.texts(entry.get("unless"), f"{key}.unless"))
        for condition in unless:
            if condition not in UNLESS:
                raise schema.fail(f"{key}.unless", f"unknown condition {condition!r} "
                                  f"(allowed: {', '.join(UNLESS)})")
        needs = entry.get("needs_actor_in_doc", False)
        if not isinstance(needs, bool):
            raise schema.fail(f"{key}.needs_actor_in_doc", "expected true or false")
        return Alias(text, actor, kind, case == "sensitive", unless, needs, person)

    def _read_actor(self, schema: _Schema, value: Any, key: str) -> ActorInfo:
        entry = schema.mapping(value, key, schema.ACTOR)
        actor = entry.get("id")
        if not isinstance(actor, str) or not ACTOR_ID.match(actor):
            raise schema.fail(f"{key}.id", f"expected an upper-case id like USA or EU, "
                              f"got {actor!r}")
        key = f"actors[{actor}]"
        names = schema.mapping(entry.get("names"), f"{key}.names", {"fr", "en"})
        name_fr = schema.text(names.get("fr"), f"{key}.names.fr")
        name_en = schema.text(names.get("en", name_fr), f"{key}.names.en")
        for kind in ALIAS_KINDS:
            values = entry.get(kind) or []
            if not isinstance(values, list):
                raise schema.fail(f"{key}.{kind}", "expected a list of aliases")
            for i, item in enumerate(values):
                alias = self._read_alias(schema, item, f"{key}.{kind}[{i}]", actor, kind)
                self.aliases.append(alias)
        demonyms = schema.mapping(entry.get("demonyms") or {}, f"{key}.demonyms",
                                  {"adjectives", "plural_nouns"})
        for word in schema.texts(demonyms.get("adjectives"), f"{key}.demonyms.adjectives"):
            if word.lower() in self.demonyms and self.demonyms[word.lower()] != actor:
                raise schema.fail(f"{key}.demonyms.adjectives", f"{word!r} already belongs to "
                                  f"{self.demonyms[word.lower()]}")
            self.demonyms[word.lower()] = actor
        for word in schema.texts(demonyms.get("plural_nouns"), f"{key}.demonyms.plural_nouns"):
            self.plural_nouns[word] = actor
        persons = entry.get("persons") or []
        if not isinstance(persons, list):
            raise schema.fail(f"{key}.persons", "expected a list of persons")
        for i, item in enumerate(persons):
            pkey = f"{key}.persons[{i}]"
            pentry = schema.mapping(item, pkey, schema.PERSON)
            name = schema.text(pentry.get("name"), f"{pkey}.name")
            roles_value = pentry.get("roles")
            if not isinstance(roles_value, list) or not roles_value:
                raise schema.fail(f"{pkey}.roles", f"{name}: expected a non-empty list of roles")
            roles = []
            for j, role_value in enumerate(roles_value):
                rkey = f"{pkey}.roles[{j}]"
                role = schema.mapping(role_value, rkey, schema.ROLE)
                start = schema.day(role.get("start"), f"{rkey}.start")
                end = schema.day(role.get("end"), f"{rkey}.end")
                if start and end and end <= start:
                    raise schema.fail(rkey, f"{name}: end {end} is not after start {start}")
                office = schema.text(role.get("office", "role"), f"{rkey}.office")
                role_actor = role.get("actor", actor)
                roles.append(PersonRole(role_actor, office, start, end))
            index = len(self.persons)
            self.persons.append(Person(name, tuple(roles)))
            variants = pentry.get("variants") or []
            if not isinstance(variants, list):
                raise schema.fail(f"{pkey}.variants", "expected a list of name forms")
            self.aliases.append(Alias(name, actor, "person", True, person=index))
            for k, form in enumerate(variants):
                alias = self._read_alias(schema, form, f"{pkey}.variants[{k}]", actor,
                                         "person", index)
                if alias.text != name:
                    self.aliases.append(alias)
        return ActorInfo(actor, name_fr, name_en)

    @classmethod
    def from_yaml(cls, path: Path | str) -> ActorRegistry:
        """Read and validate a registry file; errors name the file and the key."""
        path = Path(path)
        if not path.exists():
            raise BadInputError("no such actor registry", path=path)
        data = _read_yaml(path)
        extends = data.pop("extends", None) if isinstance(data, dict) else None
        if extends is not None:
            if extends != "default":
                raise BadInputError(f"extends: expected 'default', got {extends!r}", path=path)
            data = _merge(_read_yaml(DEFAULT_REGISTRY), data, path)
        return cls(data, source=path)

    # -- queries ---------------------------------------------------------------------------

    def _tokenizer(self) -> Any:
        """A French tokenizer on a vocabulary the matchers are already built for (if any)."""
        import spacy

        if self._phrase_tokenizer is None:
            vocab = next(iter(self._matchers.values()))[0] if self._matchers else True
            self._phrase_tokenizer = spacy.blank("fr", vocab=vocab).tokenizer
        return self._phrase_tokenizer

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(info.id for info in self.actors)

    def display_name(self, actor: str) -> str:
        return self._by_id[actor].name_fr if actor in self._by_id else actor

    def holder(self, actor: str, office: str, day: date | None) -> str | None:
        """Name of the person holding ``office`` for ``actor`` on ``day`` (if unique)."""
        if day is None:
            return None
        names = sorted({person.name for person in self.persons for role in person.roles
                        if role.actor == actor and role.valid_on(day)
                        and role.office.lower() == office.lower()})
        return names[0] if len(names) == 1 else None

    def compiled(self, vocab: Vocab) -> _Compiled:
        """The matchers for ``vocab``, built on first use and cached per vocabulary."""
        entry = self._matchers.get(id(vocab))
        if entry is None or entry[0] is not vocab:
            entry = (vocab, _Compiled(self, vocab))
            self._matchers[id(vocab)] = entry
        return entry[1]

    def resolve(self, phrase: str, date: object = None,
                context_actors: Iterable[str] = ()) -> ResolvedActor | None:
        """The actor a phrase refers to (a quote's speaker), or ``None``.

        ``"le ministre ukrainien des Affaires étrangères"`` → UKRAINE (role), ``"Dmitro
        Kouleba"`` in 2021 → UKRAINE (person), ``"le Kremlin"`` → RUSSIA, ``"un rapport de
        renseignement américain"`` → USA. The mention that starts first wins (the head of a
        French noun phrase comes first), persons and roles before places on a tie.
        ``context_actors`` are actors named elsewhere in the document (for *l'Alliance*).
        """
        day = parse_day(date)
        context = tuple(sorted(set(context_actors)))
        key = (phrase, day, context)
        if key not in self._resolve_cache:
            from analysis.cleaning import clean_text

            doc = self._tokenizer()(clean_text(phrase).text)
            found = detect_mentions(doc, date=day, registry=self, context_actors=context)
            if not found:
                result = None
            else:
                best = min(found, key=lambda m: (m.start, _KIND_RANK[m.kind], -(m.end - m.start)))
                result = ResolvedActor(best.actor, best.canonical, best.kind)
            if len(self._resolve_cache) > 50_000:
                self._resolve_cache.clear()
            self._resolve_cache[key] = result
        return self._resolve_cache[key]


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay strings, checked with their key's name."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise BadInputError(f"invalid YAML ({exc})", path=path) from exc
    return data if data is not None else {}


def _merge(base: dict[str, Any], extra: Any, path: Path) -> dict[str, Any]:
    """The bundled registry plus a user's file (``extends: default``): the user's actors are
    added (an actor id already in the bundle replaces that actor), lists of rules and
    ``not_mentions`` are extended, scalar settings are overridden."""
    if not isinstance(extra, dict):
        raise BadInputError("(top level): expected a mapping", path=path)
    merged = dict(base)
    for key, value in extra.items():
        if key == "actors":
            if not isinstance(value, list):
                raise BadInputError("actors: expected a list of actors", path=path)
            ids = {a.get("id") for a in value if isinstance(a, dict)}
            merged["actors"] = [a for a in base.get("actors", []) if a.get("id") not in ids]
            merged["actors"] += value
        elif key == "not_mentions":
            merged[key] = [*base.get(key, []), *(value or [])]
        elif key == "demonym_rules" and isinstance(value, dict):
            rules = dict(base.get(key) or {})
            for name, items in value.items():
                if isinstance(items, list | dict):
                    rules[name] = [*_flat(rules.get(name)), *_flat(items)]
                else:
                    rules[name] = items
            merged[key] = rules
        else:
            merged[key] = value
    return merged


def _flat(value: Any) -> list[Any]:
    """A rule list, or the items of its named groups, as one list."""
    if isinstance(value, dict):
        return [item for items in value.values() for item in (items or [])]
    return list(value or [])


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> ActorRegistry:
    del mtime_ns  # part of the cache key only: an edited file is read again
    return ActorRegistry.from_yaml(path)


def load_registry(path: Path | str | None = None) -> ActorRegistry:
    """The actor registry at ``path`` (default ``data/lexicons/actors.yml``), cached per file."""
    file_path = Path(path) if path else DEFAULT_REGISTRY
    if not file_path.exists():
        raise BadInputError("no such actor registry", path=file_path)
    return _load_cached(str(file_path.resolve()), file_path.stat().st_mtime_ns)


# --- compiled matchers ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Payload:
    """What a matcher key stands for."""

    kind: str  #: alias, blocker, noun, title, generic, deputy, former_title, title_connector,
    #: generic_connector, former_connector, complement, demonym, plural
    alias: Alias | None = None
    variant: bool = False
    actor: str = ""
    text: str = ""


@dataclass
class _Compiled:
    """The registry compiled for one vocabulary (built once, then only read)."""

    registry: ActorRegistry
    vocab: Vocab
    lower: PhraseMatcher = field(init=False)
    exact: PhraseMatcher = field(init=False)
    capitalised: Matcher = field(init=False)
    payloads: dict[int, _Payload] = field(init=False, default_factory=dict)
    fuzzy_keys: list[str] = field(init=False, default_factory=list)
    fuzzy_aliases: dict[str, list[Alias]] = field(init=False, default_factory=dict)
    fuzzy_cache: dict[str, tuple[Alias, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        import spacy

        tokenizer = spacy.blank("fr", vocab=self.vocab).tokenizer
        self.lower = PhraseMatcher(self.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.vocab, attr="ORTH")
        registry = self.registry
        pending: dict[tuple[str, str], set[str]] = {}

        def add(matcher: str, key: str, payload: _Payload, texts: Iterable[str]) -> None:
            self.payloads[self.vocab.strings.add(key)] = payload
            pending.setdefault((matcher, key), set()).update(texts)

        def forms(text: str) -> list[str]:
            return [text, *surface_variants(text, False)]

        for index, alias in enumerate(registry.aliases):
            matcher = "exact" if alias.case_sensitive else "lower"
            add(matcher, f"alias|{index}|e", _Payload("alias", alias), [alias.text])
            variants = surface_variants(alias.text, alias.case_sensitive)
            if variants:
                add(matcher, f"alias|{index}|v", _Payload("alias", alias, variant=True), variants)
        for index, text in enumerate(registry.not_mentions):
            add("lower", f"block|{index}", _Payload("blocker", text=text), forms(text))
        for text in registry.state_nouns:
            add("lower", f"noun|{text.lower()}", _Payload("noun", text=text), forms(text))
        titles = [(text, "title") for text in registry.role_titles]
        titles += [(text, "generic") for text in registry.generic_titles]
        titles += [(text, "deputy") for text in registry.deputy_titles]
        for text, kind in titles:
            key = text.lower()
            add("lower", f"{kind}|{key}", _Payload(kind, text=text), forms(text))
            # the same office held no more (or not yet): "ex-président", "président élu"
            former = [f"ex-{text}", *(f"{text} {suffix}" for suffix in registry.former_suffixes)]
            add("lower", f"former|{key}", _Payload("former_title", text=text),
                [form for item in former for form in forms(item)])
            connector_kind = "title_connector" if kind == "title" else "generic_connector"
            for connector in registry.connectors:
                add("lower", f"ftc|{key}|{connector}", _Payload("former_connector", text=text),
                    [form for item in former for form in forms(f"{item} {connector}")])
                add("lower", f"{kind}c|{key}|{connector}", _Payload(connector_kind, text=text),
                    forms(f"{text} {connector}"))
        for text in registry.role_complements:
            add("lower", f"complement|{text.lower()}", _Payload("complement", text=text),
                forms(text))
        for word, actor in sorted(registry.demonyms.items()):
            add("lower", f"demonym|{word}", _Payload("demonym", actor=actor, text=word),
                forms(word))
        for word, actor in sorted(registry.plural_nouns.items()):
            add("exact", f"plural|{word}", _Payload("plural", actor=actor, text=word),
                [word, *surface_variants(word, True)])
        for (matcher, key), texts in sorted(pending.items()):
            docs = [_pattern_doc(tokenizer, text) for text in sorted(texts)]
            (self.exact if matcher == "exact" else self.lower).add(key, docs)

        self.capitalised = Matcher(self.vocab)
        self.capitalised.add("capitalised", [[{"IS_TITLE": True, "IS_ALPHA": True,
                                               "IS_STOP": False,
                                               "LENGTH": {">=": FUZZY_MIN_LENGTH}}]])
        for alias in registry.aliases:
            if alias.kind == "person" and " " not in alias.text and not alias.unless:
                key = name_key(alias.text)
                if len(key) >= FUZZY_MIN_LENGTH:
                    self.fuzzy_aliases.setdefault(key, []).append(alias)
        self.fuzzy_keys = sorted(self.fuzzy_aliases)

    def fuzzy(self, word: str) -> tuple[Alias, ...]:
        """Person aliases of which ``word`` is a close spelling variant (cached per word)."""
        if word in self.fuzzy_cache:
            return self.fuzzy_cache[word]
        from rapidfuzz import fuzz, process

        key = name_key(word)
        result: tuple[Alias, ...] = ()
        if len(key) >= FUZZY_MIN_LENGTH and word.lower() not in self.registry.demonyms:
            candidates = [k for k in self.fuzzy_keys if k[0] == key[0] and k[-1] == key[-1]]
            best = process.extractOne(key, candidates, scorer=fuzz.ratio,
                                      score_cutoff=FUZZY_THRESHOLD) if candidates else None
            if best is not None:
                result = tuple(self.fuzzy_aliases[best[0]])
        if len(self.fuzzy_cache) > 100_000:
            self.fuzzy_cache.clear()
        self.fuzzy_cache[word] = result
        return result


def _pattern_doc(tokenizer: Any, text: str) -> Doc:
    """The tokens of a pattern as the tokenizer cuts them in running text.

    A pattern ending in an elision (``de l'``, ``d'``) is tokenised with a word glued after
    it, then the word is dropped: alone, ``l'`` would be cut as ``l`` + ``'``.
    """
    if text.endswith(("'", "’")):
        return tokenizer(text + "Xx")[:-1].as_doc()
    return tokenizer(text)


# --- detection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int  #: token index
    end: int  #: token index (exclusive)
    actor: str | None  #: None for a blocker
    kind: str
    match: str
    canonical: str
    alias: Alias | None = None
    appositive: bool = False  #: a name in apposition is a person of this actor


@dataclass
class _Hits:
    """Matcher hits of one document, grouped for the rules."""

    aliases: list[tuple[_Payload, int, int]] = field(default_factory=list)
    blockers: list[tuple[str, int, int]] = field(default_factory=list)
    noun_ends: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: end of "title + connector" → (start, rank in _CONNECTOR_RANK: former, title, generic)
    title_connector_ends: dict[int, tuple[int, int]] = field(default_factory=dict)
    complement_ends: dict[int, int] = field(default_factory=dict)
    demonyms: list[tuple[int, int, str]] = field(default_factory=list)
    plurals: list[tuple[int, int, str]] = field(default_factory=list)
    places: set[int] = field(default_factory=set)  #: tokens inside a non-person alias


def _collect(doc: Doc, compiled: _Compiled) -> _Hits:
    payloads = compiled.payloads
    raw = [(payloads[key], start, end) for key, start, end in compiled.lower(doc)]
    raw += [(payloads[key], start, end) for key, start, end in compiled.exact(doc)]
    raw.sort(key=lambda h: (h[1], h[2], h[0].kind, h[0].text, h[0].variant))
    hits = _Hits()
    for payload, start, end in raw:
        kind = payload.kind
        if kind == "alias":
            hits.aliases.append((payload, start, end))
            if payload.alias is not None and payload.alias.person is None:
                hits.places.update(range(start, end))
        elif kind == "blocker":
            hits.blockers.append((payload.text, start, end))
        elif kind in ("noun", "title", "generic", "deputy", "former_title"):
            hits.noun_ends.setdefault(end, []).append((start, kind))
        elif kind in ("title_connector", "generic_connector", "former_connector"):
            entry = (start, _CONNECTOR_RANK[kind])
            hits.title_connector_ends[end] = min(entry, hits.title_connector_ends.get(end, entry))
        elif kind == "complement":
            hits.complement_ends[start] = max(end, hits.complement_ends.get(start, end))
        elif kind == "demonym":
            hits.demonyms.append((start, end, payload.actor))
        elif kind == "plural":
            hits.plurals.append((start, end, payload.actor))
    return hits


def _is_name(token: Any, registry: ActorRegistry) -> bool:
    """A capitalised word that can be (part of) a person's name."""
    text = token.text
    return (len(text) > 1 and text[0].isupper() and text.replace("-", "").isalpha()
            and not text.isupper() and not token.is_stop
            and text.lower() not in NOT_FIRST_NAMES and text.lower() not in registry.demonyms)


def _is_modifier(token: Any) -> bool:
    """A plain lower-case word, a quotation mark or a model name allowed between a state noun
    and its demonym: *les troupes régulières ukrainiennes*, *un « sabotage » ukrainien*,
    *des chasseurs MiG-31 russes*."""
    text = token.text
    return (text in QUOTE_MARKS
            or (text.replace("-", "").isalpha() and text.islower() and not token.is_stop)
            or (any(c.isdigit() for c in text) and any(c.isalpha() for c in text)))


def _candidates(doc: Doc, compiled: _Compiled, day: date | None) -> list[_Candidate]:
    registry = compiled.registry
    hits = _collect(doc, compiled)
    out = [_Candidate(start, end, None, "blocker", "exact", text)
           for text, start, end in hits.blockers]
    for payload, start, end in hits.aliases:
        candidate = _alias_candidate(doc, payload, start, end, registry, day, hits.places)
        if candidate is not None:
            out.append(candidate)
    for start, end, actor in hits.plurals:
        if start > 0 and (doc[start - 1].lower_ in ("d'", "de", "d’") or doc[start - 1].like_num):
            continue  # "des millions d'Ukrainiens", "trois Russes": people, not the state
        out.append(_Candidate(start, end, actor, "demonym", "exact", registry.display_name(actor)))
    out += _demonym_candidates(doc, hits, registry)
    former = set(registry.former_markers)
    for index, candidate in enumerate(list(out)):
        if not (candidate.actor and candidate.kind in ("country", "capital", "institution")
                and candidate.start in hits.title_connector_ends):
            continue
        head, rank = hits.title_connector_ends[candidate.start]
        if rank == _CONNECTOR_RANK["former_connector"] or (head > 0
                                                            and doc[head - 1].lower_ in former):
            # "l'ancien patron de l'Otan", "l'ex-président des États-Unis": the whole
            # phrase is out of role, the actor name inside it included
            out.append(_Candidate(head, candidate.end, None, "blocker", "role",
                                  candidate.canonical))
        elif rank == _CONNECTOR_RANK["title_connector"]:
            out.append(_Candidate(head, candidate.end, candidate.actor, "role", "role",
                                  candidate.canonical, candidate.alias, appositive=True))
        else:  # "l'ambassadeur de Russie": the name alone, which may take an apposed person
            out[index] = replace(candidate, appositive=True)
    covered = {i for c in out for i in range(c.start, c.end)}
    for _, start, _ in compiled.capitalised(doc):
        if start in covered:
            continue
        for alias in compiled.fuzzy(doc[start].text):
            out.append(_person_candidate(doc, alias, start, start + 1, "variant", registry, day,
                                         hits.places))
    return out


def _looks_plural(word: str) -> bool:
    """A French noun that looks plural: ends in -x, or in -s not after u, p, i, a, y, o, è, d
    (obus, corps, avis, bras, pays, repos, progrès, poids are singular)."""
    word = word.lower()
    return word.endswith("x") or (word.endswith("s") and len(word) > 2
                                  and word[-2] not in "upiayoèd")


def _demonym_candidates(doc: Doc, hits: _Hits, registry: ActorRegistry) -> list[_Candidate]:
    """Demonyms after a state noun (kind demonym) or a role title (kind role).

    A plural noun does not take a singular demonym (*un trafiquant d'armes russe*: the
    trafficker is Russian, not the weapons) unless adjectives are coordinated; demonyms
    coordinated after one noun are each their own mention (*les délégations américaine et
    ukrainienne*); a title held no more (*l'ancien président américain*, the registry's
    ``former_markers`` and ``former_suffixes``) hides the whole phrase.
    """
    out: list[_Candidate] = []
    former = set(registry.former_markers)
    for start, end, actor in hits.demonyms:
        name = registry.display_name(actor)
        found = _demonym_head(doc, start, hits.noun_ends, registry.max_modifiers)
        if found is None:
            continue
        head, _, kind, crossed = found
        if head in hits.places:
            continue  # "le département d'État américain": the name already says it
        coordinated = (doc[start - 1].lower_ in COORDINATORS
                       or (end < len(doc) and doc[end].lower_ in COORDINATORS))
        if (_looks_plural(doc[head].text) and not _looks_plural(doc[end - 1].text)
                and not coordinated):
            continue
        if kind == "former_title" or (kind != "noun" and head > 0
                                      and doc[head - 1].lower_ in former):
            out.append(_Candidate(head, end, None, "blocker", "role", name))
            continue
        complement = hits.complement_ends.get(end)
        if not crossed and (kind == "title" or (kind == "generic" and complement)):
            # one office: "le président russe", "le ministre ukrainien des Affaires étrangères"
            out.append(_Candidate(head, complement or end, actor, "role", "role", name,
                                  appositive=True))
        else:
            # the demonym alone: "les troupes RUSSES", "le ministre UKRAINIEN", "l'émissaire
            # AMÉRICAIN" (a name may follow), "les délégations américaine et UKRAINIENNE"
            out.append(_Candidate(start, end, actor, "demonym", "exact", name,
                                  appositive=kind in ("generic", "deputy", "title")))
    return out


def _appositive_persons(doc: Doc, chosen: list[_Candidate], taken: list[bool],
                        registry: ActorRegistry) -> list[_Candidate]:
    """People the registry does not know, named in apposition to a role phrase.

    ``le porte-parole russe Ivan Petrov``, ``le ministre ukrainien des Affaires étrangères,
    Andrii Sybiha,`` and ``l'ambassadeur de Russie en Turquie, Andreï Karlov,``: a name of two
    to four capitalised words right after the role, or after a comma (optionally after a short
    prepositional complement), closed by punctuation. The person takes the role's actor.
    """
    out = []
    for role in chosen:
        if not role.appositive or role.actor is None:
            continue
        i = role.end
        separated = False
        if i < len(doc) and doc[i].lower_ in APPOSITION_PREPOSITIONS:
            j = i
            while j < len(doc) and j - i <= 6 and not doc[j].is_punct:
                j += 1
            if j >= len(doc) or doc[j].text != ",":
                continue
            i, separated = j, True
        if i < len(doc) and doc[i].text == ",":
            i, separated = i + 1, True
        j = i
        while (j < len(doc) and j - i < 4 and not taken[j] and _is_name(doc[j], registry)
               and (j == i or doc[j - 1].whitespace_)):
            j += 1
        if j - i < 2:
            continue
        if separated and j < len(doc) and not doc[j].is_punct:
            continue
        taken[i:j] = [True] * (j - i)
        out.append(_Candidate(i, j, role.actor, "person", "role", doc[i:j].text))
    return out


def _alias_candidate(doc: Doc, payload: _Payload, start: int, end: int,
                     registry: ActorRegistry, day: date | None,
                     places: set[int]) -> _Candidate | None:
    alias = payload.alias
    assert alias is not None
    if ("preceded_by_name" in alias.unless and start > 0 and doc[start - 1].whitespace_
            and _is_name(doc[start - 1], registry) and start - 1 not in places):
        return None
    if ("followed_by_name" in alias.unless and end < len(doc) and doc[end - 1].whitespace_
            and _is_name(doc[end], registry) and end not in places):
        return None
    match = "variant" if payload.variant else "exact"
    if alias.person is not None:
        return _person_candidate(doc, alias, start, end, match, registry, day, places)
    if alias.kind == "role":
        match = "role"
    return _Candidate(start, end, alias.actor, alias.kind, match,
                      registry.display_name(alias.actor), alias)


def _person_candidate(doc: Doc, alias: Alias, start: int, end: int, match: str,
                      registry: ActorRegistry, day: date | None, places: set[int]) -> _Candidate:
    person = registry.persons[alias.person or 0]
    role = person.role_on(day, registry.no_date_default)
    # A first name in front of a surname is part of the mention ("Antoine Blinken").
    while (start > 0 and end - start < 4 and doc[start - 1].whitespace_
           and start - 1 not in places and _is_name(doc[start - 1], registry)):
        start -= 1
    if role is None:  # out of role on that date: the name hides any alias inside it
        return _Candidate(start, end, None, "blocker", match, person.name, alias)
    return _Candidate(start, end, role.actor, "person", match, person.name, alias)


def _demonym_head(doc: Doc, start: int, noun_ends: Mapping[int, list[tuple[int, str]]],
                  max_modifiers: int) -> tuple[int, int, str, bool] | None:
    """Start, end and kind (noun, title or former_title) of the state noun a demonym at
    ``start`` modifies, and whether a coordinator lies between them.

    Looks back over at most ``max_modifiers`` plain words, and over up to two coordinators
    between adjectives (*les présidents américain, français et russe*, *les partenaires
    européens et américains*), and keeps the farthest state noun or title reached (*l'aide
    militaire américaine* → *aide*); a title wins over a noun ending at the same place.
    """
    found: tuple[int, int, str, bool] | None = None
    position = start
    modifiers = coordinators = 0
    while True:
        if position in noun_ends:
            heads = noun_ends[position]
            kind = min((k for _, k in heads), key=_HEAD_PRIORITY.index)
            head = min(s for s, k in heads if k == kind)
            found = (head, position, kind, coordinators > 0)
        if position == 0:
            break
        previous = doc[position - 1]
        if previous.lower_ in COORDINATORS and coordinators < 2 and position - 1 > 0 \
                and _is_modifier(doc[position - 2]):
            coordinators += 1
        elif _is_modifier(previous) and modifiers < max_modifiers:
            modifiers += 1
        else:
            break
        position -= 1
    return found


def _select(candidates: list[_Candidate], doc: Doc) -> list[_Candidate]:
    """Non-overlapping candidates: the longest character span first, then the earliest;
    on a tie, blockers, then persons and roles before places."""

    def order(c: _Candidate) -> tuple[Any, ...]:
        chars = doc[c.end - 1].idx + len(doc[c.end - 1].text) - doc[c.start].idx
        rank = -1 if c.actor is None else _KIND_RANK[c.kind]
        return (-chars, c.start, rank, c.actor or "", c.canonical, c.match)

    taken = [False] * len(doc)
    chosen = []
    for candidate in sorted(set(candidates), key=order):
        if any(taken[candidate.start:candidate.end]):
            continue
        taken[candidate.start:candidate.end] = [True] * (candidate.end - candidate.start)
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _sentence_starts(doc: Doc) -> list[int]:
    from analysis.sentences import sentence_spans

    try:
        return [start for start, _ in sentence_spans(doc)] or [0]
    except ValueError:  # no sentence boundaries on this document
        return [0]


def detect_mentions(doc: Doc, article_id: str = "", date: object = None,
                    registry: ActorRegistry | None = None,
                    context_actors: Iterable[str] = ()) -> list[Mention]:
    """Actor mentions of a processed document, in text order.

    ``doc`` comes from :func:`analysis.nlp.load_nlp` (full parse or ``parse=False``: only tokens
    are read). ``date`` (ISO string or date) decides persons' roles. ``sent_idx`` is the index
    of the sentence among the document's non-empty sentences, as in the ``sentences`` table.
    ``context_actors`` count as named elsewhere in the document (for ``needs_actor_in_doc``).
    """
    registry = registry or load_registry()
    if not len(doc):
        return []
    day = parse_day(date)
    compiled = registry.compiled(doc.vocab)
    selected = _select(_candidates(doc, compiled, day), doc)
    taken = [False] * len(doc)
    for c in selected:
        taken[c.start:c.end] = [True] * (c.end - c.start)
    selected += _appositive_persons(doc, selected, taken, registry)
    chosen = sorted((c for c in selected if c.actor is not None), key=lambda c: c.start)
    named = set(context_actors) | {c.actor for c in chosen
                                   if not (c.alias and c.alias.needs_actor_in_doc)}
    starts = _sentence_starts(doc)
    mentions = []
    for c in chosen:
        if (c.alias is not None and c.alias.needs_actor_in_doc and c.kind != "role"
                and c.actor not in named):
            continue
        begin = doc[c.start].idx
        finish = doc[c.end - 1].idx + len(doc[c.end - 1].text)
        canonical = c.canonical
        if c.kind == "role" and day is not None:
            holder = _role_holder(doc.text[begin:finish], str(c.actor), registry, day)
            canonical = holder or canonical
        mentions.append(Mention(article_id, max(bisect.bisect_right(starts, begin) - 1, 0),
                                begin, finish, doc.text[begin:finish], str(c.actor), c.kind,
                                c.match, canonical))
    return mentions


#: Words of a role phrase → the office of the registry's dated roles (first found wins).
_OFFICE_WORDS = (
    ("vice-ministre", ""),  # several deputy ministers: no single holder
    ("adjoint", ""),
    ("porte-parole du kremlin", "porte-parole du Kremlin"),
    ("porte-parole de la diplomatie", "porte-parole de la diplomatie"),
    ("porte-parole de la maison", "porte-parole de la Maison-Blanche"),
    ("secrétaire général", "secrétaire général"),
    ("secrétaire d'état", "secrétaire d'État"),
    ("affaires étrangères", "ministre des Affaires étrangères"),
    ("diplomatie", "ministre des Affaires étrangères"),
    ("défense", "ministre de la Défense"),
    ("premier ministre", "Premier ministre"),
    ("vice-président", "vice-président"),
    ("président", "président"),
    ("locataire", "président"),
    ("maître", "président"),
    ("chef du kremlin", "président"),
    ("patron du kremlin", "président"),
)
_USA_OFFICES = {"ministre de la Défense": "secrétaire à la Défense",
                "ministre des Affaires étrangères": "secrétaire d'État"}


def _role_holder(phrase: str, actor: str, registry: ActorRegistry, day: date) -> str | None:
    """The name of the person holding the office a role phrase names, when it is unique."""
    phrase = phrase.lower()
    for word, office in _OFFICE_WORDS:
        if word in phrase:
            if not office:
                return None
            if actor == "USA":
                office = _USA_OFFICES.get(office, office)
            return registry.holder(actor, office, day)
    return None


def original_span(clean: Any, start: int, end: int) -> tuple[int, int]:
    """A span of a cleaned text mapped to the original text, without the characters cleaning
    removed after its last letter (a trailing no-break space, a tag): ``text[start:end]`` is
    the mention as the user wrote it."""
    original = clean.original
    first, after = clean.original_span(start, end)
    last = clean.to_original(end - 1) if end > start else first
    if last < len(original) and original[last].isalnum():
        after = last + 1
        while after < len(original) and unicodedata.combining(original[after]):
            after += 1
    return first, after


def mentions_for_text(text: str, date: object = None, registry: ActorRegistry | None = None,
                      article_id: str = "") -> list[Mention]:
    """Mentions in a raw text: cleaned, tokenised (no parse), offsets in ``text`` itself.

    ``surface`` is ``text[start:end]`` (the original spelling, e.g. with a curly apostrophe).
    """
    from analysis.cleaning import clean_text
    from analysis.nlp import load_nlp

    clean = clean_text(text)
    doc = load_nlp(parse=False)(clean.text)
    out = []
    for mention in detect_mentions(doc, article_id=article_id, date=date, registry=registry):
        start, end = original_span(clean, mention.start, mention.end)
        out.append(Mention(mention.article_id, mention.sent_idx, start, end, text[start:end],
                           mention.actor, mention.kind, mention.match, mention.canonical))
    return out
