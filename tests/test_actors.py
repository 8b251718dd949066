"""Actor detection: French forms, variants, dated roles, ambiguity traps, the seed article, CLI."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import cli
from analysis.actors import (
    ActorRegistry,
    Mention,
    ResolvedActor,
    detect_mentions,
    load_registry,
    mentions_for_text,
)
from analysis.errors import BadInputError


def found(text: str, date: str | None = "2023-06-01") -> list[tuple[str, str]]:
    """(surface, actor) of every mention of ``text``."""
    return [(m.surface, m.actor) for m in mentions_for_text(text, date=date)]


def actors(text: str, date: str | None = "2023-06-01") -> list[str]:
    return [actor for _, actor in found(text, date)]


# --- names, elisions, accents, metonyms ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'Ukraine a demandé des armes.", [("Ukraine", "UKRAINE")]),
        ("Les villes d'Ukraine et de Russie.", [("Ukraine", "UKRAINE"), ("Russie", "RUSSIA")]),
        ("Il s'est rendu aux États-Unis.", [("États-Unis", "USA")]),
        ("Il s'est rendu aux Etats-Unis.", [("Etats-Unis", "USA")]),
        ("Les USA et la Fédération de Russie.",
         [("USA", "USA"), ("Fédération de Russie", "RUSSIA")]),
        ("Les US ont durci le ton.", [("US", "USA")]),
        ("L'OTAN, l'Otan, NATO et Nato.", [("OTAN", "NATO"), ("Otan", "NATO"), ("NATO", "NATO"),
                                          ("Nato", "NATO")]),
        ("L'Alliance atlantique se réunit.", [("Alliance atlantique", "NATO")]),
        ("Moscou a répliqué.", [("Moscou", "RUSSIA")]),
        ("Le Kremlin a démenti.", [("Kremlin", "RUSSIA")]),
        ("La Maison-Blanche et le Pentagone.", [("Maison-Blanche", "USA"), ("Pentagone", "USA")]),
        ("La Maison Blanche a réagi.", [("Maison Blanche", "USA")]),
        ("Le département d'État américain.", [("département d'État", "USA")]),
        # generic titles: the demonym alone
        ("Il a rencontré son homologue russe.", [("russe", "RUSSIA")]),
        ("Le ministre ukrainien a parlé.", [("ukrainien", "UKRAINE")]),
        ("Le vice-ministre russe des Affaires étrangères.", [("russe", "RUSSIA")]),
        ("Le département d'Etat a réagi.", [("département d'Etat", "USA")]),
        ("Kiev, Kyiv et Kyïv.", [("Kiev", "UKRAINE"), ("Kyiv", "UKRAINE"), ("Kyïv", "UKRAINE")]),
        ("La Rada a voté la loi.", [("Rada", "UKRAINE")]),
        ("La Douma a ratifié le traité.", [("Douma", "RUSSIA")]),
        ("L'Amérique de Biden s'agace.", [("Amérique", "USA"), ("Biden", "USA")]),
        ("LE KREMLIN RÉPOND À WASHINGTON", [("KREMLIN", "RUSSIA"), ("WASHINGTON", "USA")]),
    ],
)
def test_names_and_metonyms(text, expected):
    assert found(text) == expected


# --- demonyms need a state noun ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the span is the demonym alone (annotation guidelines)
        ("Les troupes russes avancent.", [("russes", "RUSSIA")]),
        ("La diplomatie américaine s'active.", [("américaine", "USA")]),
        ("Les autorités ukrainiennes ont confirmé.", [("ukrainiennes", "UKRAINE")]),
        ("Les troupes régulières ukrainiennes.", [("ukrainiennes", "UKRAINE")]),
        ("L'aide militaire américaine arrive.", [("américaine", "USA")]),
        ("Les forces otaniennes se déploient.", [("otaniennes", "NATO")]),
        ("Le ministère russe de la Défense dément.", [("russe", "RUSSIA")]),
        ("Un « sabotage » ukrainien, selon Moscou.", [("ukrainien", "UKRAINE"),
                                                      ("Moscou", "RUSSIA")]),
        ("Le département d'État américain.", [("département d'État", "USA")]),
        # generic titles: the demonym alone
        ("Il a rencontré son homologue russe.", [("russe", "RUSSIA")]),
        ("Le ministre ukrainien a parlé.", [("ukrainien", "UKRAINE")]),
        ("Le vice-ministre russe des Affaires étrangères.", [("russe", "RUSSIA")]),
        ("Les Russes et les Ukrainiens négocient.",
         [("Russes", "RUSSIA"), ("Ukrainiens", "UKRAINE")]),
        # no state noun: not an actor mention
        ("Un touriste russe visite le musée.", []),
        ("La cuisine ukrainienne est riche.", []),
        ("Un chanteur américain en tournée.", []),
        ("La crise ukrainienne s'enlise.", []),
        ("Les forces pro-russes et les séparatistes prorusses.", []),
    ],
)
def test_demonyms(text, expected):
    assert found(text) == expected


# --- role phrases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "actor"),
    [
        ("Biden a appelé le locataire du Kremlin.", "locataire du Kremlin", "RUSSIA"),
        ("Le maître du Kremlin a refusé.", "maître du Kremlin", "RUSSIA"),
        ("Le président russe a parlé.", "président russe", "RUSSIA"),
        ("Le président américain a parlé.", "président américain", "USA"),
        ("La présidente ukrainienne? Non, le président ukrainien.", "président ukrainien",
         "UKRAINE"),
        ("Le chef de la diplomatie russe est arrivé.", "chef de la diplomatie russe", "RUSSIA"),
        ("Le chef de la diplomatie américaine.", "chef de la diplomatie américaine", "USA"),
        ("Le secrétaire général de l'OTAN a averti.", "secrétaire général de l'OTAN", "NATO"),
        ("Le ministre russe de la Défense a visité.", "ministre russe de la Défense", "RUSSIA"),
        ("Le porte-parole du Kremlin a démenti.", "porte-parole du Kremlin", "RUSSIA"),
        ("Le président des États-Unis a signé.", "président des États-Unis", "USA"),
        ("Le ministre ukrainien des Affaires étrangères.",
         "ministre ukrainien des Affaires étrangères", "UKRAINE"),
    ],
)
def test_role_phrases_are_one_mention(text, surface, actor):
    mentions = [m for m in mentions_for_text(text, date="2021-04-14") if m.surface == surface]
    assert len(mentions) == 1
    assert (mentions[0].actor, mentions[0].kind, mentions[0].match) == (actor, "role", "role")


def test_role_phrase_names_the_holder_on_the_date():
    (mention,) = mentions_for_text("Le locataire du Kremlin a parlé.", date="2021-04-14")
    assert mention.canonical == "Vladimir Poutine"
    (mention,) = mentions_for_text("Le secrétaire général de l'OTAN a parlé.", date="2025-02-01")
    assert mention.canonical == "Mark Rutte"


# --- persons: variants, transliterations, misspellings ------------------------------------


@pytest.mark.parametrize(
    ("text", "actor", "match"),
    [
        ("Poutine a parlé.", "RUSSIA", "exact"),
        ("Putin a parlé.", "RUSSIA", "exact"),
        ("Zelensky a parlé.", "UKRAINE", "exact"),
        ("Zelenski a parlé.", "UKRAINE", "exact"),
        ("Zelenskyy a parlé.", "UKRAINE", "exact"),
        ("Zelenskiy a parlé.", "UKRAINE", "exact"),
        ("Kouleba a parlé.", "UKRAINE", "exact"),
        ("Kuleba a parlé.", "UKRAINE", "exact"),
        ("Choïgou a parlé.", "RUSSIA", "exact"),
        ("Choigou a parlé.", "RUSSIA", "exact"),
        ("Choïgu a parlé.", "RUSSIA", "exact"),
        ("Chooïgou a parlé.", "RUSSIA", "variant"),
        ("Shoigu a parlé.", "RUSSIA", "exact"),
        ("Peskov a parlé.", "RUSSIA", "exact"),
        ("Peskoff a parlé.", "RUSSIA", "exact"),
        ("Stoltenberg a parlé.", "NATO", "exact"),
        ("Stoltemberg a parlé.", "NATO", "variant"),  # misspelling: fuzzy step
        ("Lavrof a parlé.", "RUSSIA", "variant"),  # misspelling: fuzzy step
        ("Zelenskky a parlé.", "UKRAINE", "variant"),
        ("POUTINE A PARLÉ", "RUSSIA", "variant"),
    ],
)
def test_person_variants(text, actor, match):
    mentions = mentions_for_text(text, date="2021-04-14")
    assert [(m.actor, m.kind, m.match) for m in mentions] == [(actor, "person", match)]


@pytest.mark.parametrize(
    "text",
    [
        # ordinary capitalised words close to no name
        "Pourtant, Poursuivant, Postulant, Stationnement, Strasbourg, Lavande, Bruxelles.",
        "Lavoisier, Zélande, Blinker, Stockholm, Stolten, Bidonville, Trompette, Ruttes.",
        # feminine and family forms are other people
        "Elizaveta Peskova a publié une photo.",
        "Maria Zakharov n'existe pas, Zakharov est un autre nom.",
        # the dish, sport, family
        "Une poutine bien grasse au Québec.",
        "Daniil Medvedev a gagné à Melbourne.",
        "Hunter Biden et Melania Trump.",
    ],
)
def test_fuzzy_step_has_no_false_matches(text):
    assert found(text) == []


def test_first_name_is_part_of_a_person_mention():
    assert found("Antoine Blinken est arrivé.", "2021-04-14") == [("Antoine Blinken", "USA")]
    assert found("Selon Poutine, tout va bien.") == [("Poutine", "RUSSIA")]
    assert found("Le ministre de la Défense Sergueï Choïgou.", "2021-04-14") == [
        ("Sergueï Choïgou", "RUSSIA")
    ]


# --- ambiguity traps --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Washington Post révèle que Washington a menti.", [("Washington", "USA")]),
        ("Denzel Washington joue le rôle principal.", []),
        ("George Washington fut le premier président.", []),
        ("L'État de Washington a voté.", []),
        ("La Géorgie et l'Ukraine veulent rejoindre l'OTAN.", [("Ukraine", "UKRAINE"),
                                                              ("OTAN", "NATO")]),
        ("Il vit à Atlanta, en Georgia.", []),
        ("La Géorgie a été envahie en 2008.", []),
        ("Il parle russe couramment et répond en russe.", []),
        ("La langue russe est enseignée.", []),
        ("L'Alliance a pris note.", []),
        ("L'OTAN se réunit. L'Alliance a pris note.", [("OTAN", "NATO"), ("Alliance", "NATO")]),
        ("L'Alliance française ouvre un centre.", []),
        ("L'Amérique latine reste neutre.", []),
        ("Une poutine au Québec.", []),
        ("Le poulet à la Kiev est un plat classique.", []),
        ("Les us et coutumes de la diplomatie.", []),
        ("Le Spartak Moscou a battu le Dynamo Kiev.", []),
        ("Il a dessiné un pentagone dans une maison blanche.", []),
        ("Le Kremlin-Bicêtre est une commune.", []),
        ("La guerre russo-ukrainienne dure.", []),
    ],
)
def test_ambiguity(text, expected):
    assert found(text) == expected


# --- titles held no more, coordination, agreement, apposition ------------------------------


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        # a former (or future) title hides the whole phrase, the actor name included
        ("L'ancien président américain a critiqué Biden.", "2022-05-01", [("Biden", "USA")]),
        ("L'ancien patron de l'Otan Jens Stoltenberg a parlé.", "2025-03-01", []),
        ("L'ex-président des États-Unis a parlé.", "2022-05-01", []),
        ("Le président élu des États-Unis a parlé.", "2024-11-10", []),
        ("L'ex-président ukrainien Petro Porochenko a voté.", "2021-05-01", []),
        # coordinated demonyms after one noun: each is a mention
        ("Les délégations américaine et ukrainienne se sont vues.", "2025-11-23",
         [("américaine", "USA"), ("ukrainienne", "UKRAINE")]),
        ("Les sanctions européennes et américaines pèsent.", "2022-05-01",
         [("américaines", "USA")]),
        # a plural noun does not take a singular demonym: the trafficker is Russian
        ("Le trafiquant d'armes russe a été échangé.", "2022-12-08", []),
        ("Les armes russes ont été saisies.", "2022-12-08", [("russes", "RUSSIA")]),
        # people, not the state
        ("Des millions d'Ukrainiens ont fui.", "2022-05-01", []),
        ("Trois Russes ont été arrêtés.", "2022-05-01", []),
    ],
)
def test_former_titles_coordination_agreement(text, date, expected):
    assert found(text, date) == expected


@pytest.mark.parametrize(
    ("text", "person", "actor"),
    [
        ("L'ambassadeur de Russie en Turquie, Andreï Karlovitch, a été tué.", "Andreï Karlovitch",
         "RUSSIA"),
        ("Le porte-parole du Kremlin Ivan Petrovitch Sidorov a démenti.",
         "Ivan Petrovitch Sidorov", "RUSSIA"),
        ("Le ministre ukrainien des Affaires étrangères, Petro Ivanenko, a répondu.",
         "Petro Ivanenko", "UKRAINE"),
    ],
)
def test_unknown_person_in_apposition_to_a_role(text, person, actor):
    mentions = mentions_for_text(text, date="2022-05-01")
    assert (person, actor, "person") in [(m.surface, m.actor, m.kind) for m in mentions]


def test_a_name_after_a_verb_is_no_apposition():
    text = "Le président russe a reçu Recep Tayyip Erdogan."
    assert found(text, "2022-05-01") == [("président russe", "RUSSIA")]


# --- dated roles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "expected"),
    [
        ("Mark Rutte a pris la parole.", "2022-03-01", []),
        ("Mark Rutte a pris la parole.", "2025-03-01", ["NATO"]),
        ("Rutte a pris la parole.", "2024-09-30", []),
        ("Rutte a pris la parole.", "2024-10-01", ["NATO"]),
        ("Antony Blinken a rencontré Lavrov.", "2022-03-01", ["USA", "RUSSIA"]),
        ("Antony Blinken a rencontré Lavrov.", "2025-03-01", ["RUSSIA"]),
        ("Blinken a parlé.", "2021-01-25", []),
        ("Stoltenberg a parlé.", "2024-09-30", ["NATO"]),
        ("Stoltenberg a parlé.", "2024-10-01", []),
        ("Donald Trump a parlé.", "2019-06-01", ["USA"]),
        ("Donald Trump a parlé.", "2023-06-01", []),
        ("Donald Trump a parlé.", "2025-06-01", ["USA"]),
        ("Joe Biden a parlé.", "2015-06-01", ["USA"]),
        ("Joe Biden a parlé.", "2019-06-01", []),
        ("Porochenko a parlé.", "2016-06-01", ["UKRAINE"]),
        ("Porochenko a parlé.", "2020-06-01", []),
        ("Kouleba a parlé.", "2024-09-10", []),
        ("Choïgou a parlé.", "2024-06-01", ["RUSSIA"]),  # Security Council secretary
        ("Anders Fogh Rasmussen a parlé.", "2014-06-01", ["NATO"]),
        ("Lars Løkke Rasmussen a parlé.", "2014-06-01", []),
        ("Zelensky a parlé.", "18 mai 2019", []),
        ("Zelensky a parlé.", "20 mai 2019", ["UKRAINE"]),
    ],
)
def test_dated_roles(text, date, expected):
    assert actors(text, date) == expected


def test_no_date_maps_to_the_latest_role():
    assert actors("Stoltenberg a parlé.", None) == ["NATO"]
    assert actors("Mark Rutte a parlé.", None) == ["NATO"]
    assert actors("Blinken a parlé.", None) == ["USA"]


# --- resolve (used by the quotes module) ------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "date", "expected"),
    [
        ("le ministre ukrainien des Affaires étrangères", "2021-04-14", ("UKRAINE", "role")),
        ("Dmitro Kouleba", "2021-04-14", ("UKRAINE", "person")),
        ("le Kremlin", "2021-04-14", ("RUSSIA", "institution")),
        ("un rapport de renseignement américain", "2021-04-14", ("USA", "demonym")),
        ("Moscou", None, ("RUSSIA", "capital")),
        ("le secrétaire général de l'OTAN Jens Stoltenberg", "2021-04-14", ("NATO", "role")),
        ("Mark Rutte", "2022-01-01", None),
        ("un analyste militaire", "2021-04-14", None),
    ],
)
def test_resolve(phrase, date, expected):
    registry = load_registry()
    result = registry.resolve(phrase, date)
    if expected is None:
        assert result is None
    else:
        assert isinstance(result, ResolvedActor)
        assert (result.actor, result.kind) == expected


def test_resolve_names_the_person():
    result = load_registry().resolve("Dmitro Kouleba", "2021-04-14")
    assert result == ResolvedActor("UKRAINE", "Dmytro Kouleba", "person")


def test_resolve_alliance_needs_context():
    registry = load_registry()
    assert registry.resolve("l'Alliance", None) is None
    assert registry.resolve("l'Alliance", None, context_actors=["NATO"]).actor == "NATO"


# --- records, sentences, determinism -------------------------------------------------------


def test_mention_records_sentence_index_and_fields(nlp):
    text = "Moscou a démenti. Le lendemain, les troupes russes et Kiev ont bougé."
    doc = nlp(text)
    mentions = detect_mentions(doc, article_id="a1", date="2022-03-01")
    assert all(isinstance(m, Mention) for m in mentions)
    assert [(m.sent_idx, m.surface, m.kind) for m in mentions] == [
        (0, "Moscou", "capital"),
        (1, "russes", "demonym"),
        (1, "Kiev", "capital"),
    ]
    assert {m.article_id for m in mentions} == {"a1"}
    assert all(doc.text[m.start : m.end] == m.surface for m in mentions)


def test_detection_works_without_the_parser():
    from analysis.nlp import load_nlp

    text = "Le porte-parole du Kremlin, Dmitri Peskov, a répondu à Washington."
    fast = detect_mentions(load_nlp(parse=False)(text), date="2022-01-01")
    full = detect_mentions(load_nlp()(text), date="2022-01-01")
    assert fast == full
    assert [m.actor for m in fast] == ["RUSSIA", "RUSSIA", "USA"]


def test_mentions_for_text_maps_offsets_to_the_original():
    text = "Le département d’État\u00a0américain et l’OTAN."
    mentions = mentions_for_text(text)
    assert [(m.surface, m.actor) for m in mentions] == [("département d’État", "USA"),
                                                        ("OTAN", "NATO")]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_output_is_deterministic():
    text = "Le président russe Vladimir Poutine a reçu à Moscou le président ukrainien."
    first = mentions_for_text(text, date="2021-04-14")
    assert all(mentions_for_text(text, date="2021-04-14") == first for _ in range(3))


PIECES = ["Poutine", "Kremlin", "l’OTAN", "russe", "troupes", "Washington", "Post", "Kiev",
          "\u00a0", " ", "\n", "é", "Stoltemberg", "États-Unis", "«", "»", ".", "Amérique",
          "latine", "le", "de", "ministre", "ukrainien", "’", "Zelenskyy", "XNUMX", "<p>", "&amp;"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=25))
def test_random_text_spans_lie_inside_the_text(pieces):
    text = "".join(pieces)
    for mention in mentions_for_text(text, date="2021-04-14"):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface
        assert mention.surface.strip() == mention.surface


# --- the seed article -------------------------------------------------------------------------

#: Every mention of the seed article, in order: (surface, actor).
SEED_EXPECTED = [
    ("Moscou", "RUSSIA"),
    ("Joe Biden", "USA"),
    ("Poutine", "RUSSIA"),
    ("Kremlin", "RUSSIA"),  # "troupes du Kremlin"
    ("Ukraine", "UKRAINE"),  # "l'Ukraine"
    ("Moscou", "RUSSIA"),
    ("Biden", "USA"),
    ("locataire du Kremlin", "RUSSIA"),
    ("États-Unis", "USA"),
    ("Russie", "RUSSIA"),
    ("Kremlin", "RUSSIA"),
    ("Biden", "USA"),
    ("Poutine", "RUSSIA"),
    ("États-Unis", "USA"),
    ("Ukraine", "UKRAINE"),
    ("secrétaire d'État américain", "USA"),
    ("Antoine Blinken", "USA"),
    ("OTAN", "NATO"),
    ("Moscou", "RUSSIA"),
    ("Russie", "RUSSIA"),
    ("Russie", "RUSSIA"),
    ("Ukraine", "UKRAINE"),
    ("ministre ukrainien des Affaires étrangères", "UKRAINE"),
    ("Dmitro Kouleba", "UKRAINE"),
    ("Stoltenberg", "NATO"),
    ("Blinken", "USA"),
    ("américain", "USA"),  # "un rapport de renseignement américain"
    ("Russie", "RUSSIA"),
    ("États-Unis", "USA"),
    ("Ukraine", "UKRAINE"),
    ("secrétaire général de la Nato", "NATO"),
    ("Jens Stoltemberg", "NATO"),
    ("Russie", "RUSSIA"),
    ("Ukraine", "UKRAINE"),
    ("Russie", "RUSSIA"),
    ("Kremlin", "RUSSIA"),
    ("Sergueï Choïgou", "RUSSIA"),
    ("Moscou", "RUSSIA"),
    ("Alliance", "NATO"),  # "l'Alliance", with OTAN elsewhere in the article
    ("Russie", "RUSSIA"),
    ("Shoigu", "RUSSIA"),
    ("OTAN", "NATO"),
    ("Russie", "RUSSIA"),
    ("États-Unis", "USA"),
    ("russes", "RUSSIA"),  # "les deux armées russes"
    ("russes", "RUSSIA"),  # "les trois divisions russes"
    ("Shoigu", "RUSSIA"),
    ("Russie", "RUSSIA"),
    ("ukrainiennes", "UKRAINE"),  # "les troupes régulières ukrainiennes"
    ("ukrainiens", "UKRAINE"),  # "29 soldats ukrainiens"
    ("Biden", "USA"),
    ("Poutine", "RUSSIA"),
]


@pytest.fixture(scope="module")
def seed_mentions(seed_article, nlp):
    doc = nlp(seed_article.text)
    return detect_mentions(doc, article_id=seed_article.article_id, date=seed_article.date)


def test_seed_article_every_mention(seed_mentions, seed_article):
    assert seed_article.date == "2021-04-14"
    assert [(m.surface, m.actor) for m in seed_mentions] == SEED_EXPECTED


@pytest.mark.parametrize(
    ("surface", "actor", "kind"),
    [
        ("locataire du Kremlin", "RUSSIA", "role"),
        ("Jens Stoltemberg", "NATO", "person"),
        ("Sergueï Choïgou", "RUSSIA", "person"),
        ("Shoigu", "RUSSIA", "person"),
        ("Dmitro Kouleba", "UKRAINE", "person"),
        ("Antoine Blinken", "USA", "person"),
        ("secrétaire général de la Nato", "NATO", "role"),
        ("ukrainiennes", "UKRAINE", "demonym"),
        ("ukrainiens", "UKRAINE", "demonym"),
    ],
)
def test_seed_article_key_mentions(seed_mentions, surface, actor, kind):
    assert any((m.surface, m.actor, m.kind) == (surface, actor, kind) for m in seed_mentions)


def test_seed_article_spans_point_into_the_text(seed_mentions, seed_article):
    text = seed_article.text
    assert all(text[m.start : m.end] == m.surface for m in seed_mentions)
    assert [m.sent_idx for m in seed_mentions] == sorted(m.sent_idx for m in seed_mentions)


# --- a user's registry --------------------------------------------------------------------------

EU_REGISTRY = """\
extends: default
actors:
  - id: EU
    names: {fr: Union européenne, en: European Union}
    country: [Union européenne, {text: UE, case: sensitive}]
    capital: []
    institution: [Commission européenne, Conseil européen]
    demonyms:
      adjectives: [européen, européenne, européens, européennes]
    persons:
      - name: Ursula von der Leyen
        variants: [von der Leyen, Ursula von der Leyen]
        roles:
          - {office: présidente de la Commission, start: 2019-12-01, end: null}
"""


def test_user_registry_adds_an_actor(tmp_path):
    path = tmp_path / "actors.yml"
    path.write_text(EU_REGISTRY, encoding="utf-8")
    registry = load_registry(path)
    assert "EU" in registry.actor_ids and "RUSSIA" in registry.actor_ids
    text = "L'UE et Ursula von der Leyen ont répondu aux sanctions européennes visant Moscou."
    assert [(m.surface, m.actor) for m in mentions_for_text(text, "2022-03-01", registry)] == [
        ("UE", "EU"), ("Ursula von der Leyen", "EU"), ("européennes", "EU"),
        ("Moscou", "RUSSIA"),
    ]


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("actors:\n  - id: usa\n    names: {fr: x}\n", "actors[0].id"),
        ("actors:\n  - id: EU\n    names: {fr: UE}\n    persons:\n      - name: X\n"
         "        roles: [{start: 2020-13-01}]\n", "actors[EU].persons[0].roles[0].start"),
        ("actors:\n  - id: EU\n    names: {fr: UE}\n    colour: blue\n", "actors[0]"),
        ("actors:\n  - id: EU\n    names: {fr: UE}\n    country: [{text: UE, case: maybe}]\n",
         "actors[EU].country[0].case"),
        ("actors: []\n", "actors"),
        ("actors:\n  - id: EU\n    names: {fr: UE}\n    persons:\n      - name: X\n"
         "        roles: [{start: 2021-01-01, end: 2020-01-01}]\n", "actors[EU].persons[0]"),
    ],
)
def test_registry_errors_name_the_file_and_the_key(tmp_path, yaml_text, key):
    path = tmp_path / "bad.yml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        ActorRegistry.from_yaml(path)
    assert str(path) in str(info.value)
    assert key in str(info.value)


def test_user_registry_replaces_an_actor_it_redefines(tmp_path):
    path = tmp_path / "actors.yml"
    path.write_text("extends: default\nactors:\n  - id: NATO\n    names: {fr: OTAN}\n"
                    "    institution: [OTAN]\n", encoding="utf-8")
    registry = load_registry(path)
    assert registry.actor_ids.count("NATO") == 1
    assert found("Stoltenberg et l'OTAN.", "2020-01-01") == [("Stoltenberg", "NATO"),
                                                             ("OTAN", "NATO")]
    assert [m.actor for m in mentions_for_text("Stoltenberg et l'OTAN.", "2020-01-01",
                                                registry)] == ["NATO"]


def test_user_registry_extends_the_rules(tmp_path):
    path = tmp_path / "actors.yml"
    path.write_text("extends: default\ndemonym_rules:\n  state_nouns: [musée]\n",
                    encoding="utf-8")
    text = "Le musée russe et les troupes russes."
    assert found(text) == [("russes", "RUSSIA")]
    assert [m.surface for m in mentions_for_text(text, registry=load_registry(path))] == [
        "russe", "russes"]


def test_load_registry_is_cached():
    assert load_registry() is load_registry()


# --- evaluation matching -------------------------------------------------------------------------


def test_evaluation_matches_overlapping_spans_one_to_one():
    from analysis.evaluation.mentions import Span, match_spans

    gold = [Span(0, 6, "RUSSIA", "Moscou"), Span(10, 16, "RUSSIA", "russes"),
            Span(20, 25, "USA", "Biden")]
    predicted = [Span(3, 16, "RUSSIA", "x"), Span(20, 25, "RUSSIA", "Biden")]
    pairs = match_spans(gold, predicted)
    assert [(g.surface, p.surface) for g, p in pairs] == [("Moscou", "x")]


def test_evaluation_hides_test_errors(monkeypatch, tmp_path):
    from analysis import config
    from analysis.evaluation import mentions as evaluation

    folder = tmp_path / "mentions"
    folder.mkdir()
    line = {"id": "x1", "date": "2021-04-14", "register": "wire",
            "markup": "Le [[Kremlin|RUSSIA]] répond à Paris et à Kiev."}
    for split in ("dev", "test"):
        (folder / f"{split}.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    monkeypatch.setattr(config, "ANNOTATION_DIR", tmp_path)
    dev = evaluation.evaluate("dev")
    test = evaluation.evaluate("test")
    assert dev["micro"]["tp"] == 1 and dev["micro"]["fp"] == 1
    assert [e["surface"] for e in dev["errors"]] == ["Kiev"]
    assert "errors" not in test
    assert "Kiev" not in evaluation.format_report(test)
    assert "Kiev" in evaluation.format_report(dev)


# --- the command line ---------------------------------------------------------------------------


def test_cli_writes_one_line_per_input_with_original_offsets(tmp_path):
    rows = [
        {"id": "a", "date": "2021-04-14",
         "text": "Le département d’État\u00a0américain a répondu à l’OTAN et au Kremlin."},
        {"id": "b", "text": "Aucun acteur ici."},
        {"id": "c", "date": "2022-03-01", "text": "Mark Rutte  et\u00a0\u00a0Jens Stoltenberg."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    output = tmp_path / "out.jsonl"
    assert cli.main(["mentions", "--input", str(source), "--output", str(output)]) == 0
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    for row, line in zip(rows, lines, strict=True):
        for mention in line["mentions"]:
            assert set(mention) == {"start", "end", "surface", "actor", "kind"}
            assert row["text"][mention["start"] : mention["end"]] == mention["surface"]
    assert [(m["surface"], m["actor"]) for m in lines[0]["mentions"]] == [
        ("département d’État", "USA"), ("OTAN", "NATO"), ("Kremlin", "RUSSIA")]
    assert lines[1]["mentions"] == []
    assert [(m["surface"], m["actor"]) for m in lines[2]["mentions"]] == [
        ("Jens Stoltenberg", "NATO")]


def test_cli_accepts_a_user_registry(tmp_path):
    registry = tmp_path / "actors.yml"
    registry.write_text(EU_REGISTRY, encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "La Commission européenne."}) + "\n",
                      encoding="utf-8")
    output = tmp_path / "out.jsonl"
    assert cli.main(["mentions", "--input", str(source), "--output", str(output),
                     "--registry", str(registry)]) == 0
    (line,) = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines()]
    assert [m["actor"] for m in line["mentions"]] == ["EU"]


def test_cli_reports_a_missing_registry(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Moscou."}\n', encoding="utf-8")
    code = cli.main(["mentions", "--input", str(source), "--registry", str(tmp_path / "no.yml")])
    assert code == 4
    assert "no.yml" in capsys.readouterr().err
