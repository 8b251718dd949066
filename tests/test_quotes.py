"""Quotations and speakers: French cases by construction, negatives, the CLI and the seed article.

The French sentences are written for these tests; the seed article is read from ``../shared``
and only short fragments of it (two or three words) identify its quotes here.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.cleaning import clean_text
from analysis.quotes import (
    Quote,
    conjugate,
    extract_quotes,
    find_marked_spans,
    load_reporting_lexicon,
)


@pytest.fixture(scope="module")
def registry():
    from analysis.actors import load_registry

    return load_registry()


def quotes_of(nlp, text: str, registry=None, date: str | None = "2022-03-01") -> list[Quote]:
    clean = clean_text(text)
    return extract_quotes(nlp(clean.text), article_id="t", date=date, registry=registry)


def by_text(quotes: list[Quote]) -> dict[str, Quote]:
    return {q.text: q for q in quotes}


# --- the lexicon ---------------------------------------------------------------------------------

def test_lexicon_is_broad_and_well_formed():
    lexicon = load_reporting_lexicon()
    assert len(lexicon.frames) >= 100
    for lemma in ("déclarer", "affirmer", "estimer", "dénoncer", "accuser", "qualifier",
                  "avertir", "assurer", "souligner", "marteler", "mettre en garde",
                  "faire savoir", "démentir", "rétorquer", "fustiger", "ironiser"):
        assert lemma in lexicon.frames, lemma
    assert "qualify" in lexicon.verb_frames("qualifier")
    assert "obj_de" in lexicon.verb_frames("accuser")
    assert "que" in lexicon.verb_frames("affirmer")
    with pytest.raises(KeyError, match="pleuvoir"):
        lexicon.verb_frames("pleuvoir")


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("déclarer", {"déclare", "déclarait", "déclaré", "déclarera", "déclareraient"}),
        ("annoncer", {"annonçait", "annonçant", "annoncé"}),
        ("juger", {"jugeait", "jugeant", "juge"}),
        ("répéter", {"répète", "répétait", "répété"}),
        ("marteler", {"martèle", "martelé", "martèlera"}),
        ("rappeler", {"rappelle", "rappelait", "rappellera"}),
        ("avertir", {"avertit", "averti", "avertissent", "avertira"}),
    ],
)
def test_conjugate_generates_all_tenses(lemma, forms):
    assert forms <= conjugate(lemma)


# --- quote marks ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "contents"),
    [
        ("Il a dit « non merci » hier.", ["non merci"]),
        ("Il a dit «non merci» hier.", ["non merci"]),
        ('Il a dit "non merci" hier.', ["non merci"]),
        ("Il a dit “non merci” hier.", ["non merci"]),
        ("Il a dit ‹ non merci › hier.", ["non merci"]),
        ('Le ministre « Nous tiendrons bon ".', ["Nous tiendrons bon"]),  # « closed by "
        ('On lit " A " puis " B ".', ["A", "B"]),
        ("« Une phrase. Puis une autre. »", ["Une phrase. Puis une autre."]),
        ("« Le chef a dit : “ jamais ” devant nous », raconte-t-il.",
         ["Le chef a dit : “ jamais ” devant nous"]),
        ("« Un discours ouvert jusqu'à la fin de la ligne\nSuite.", [
            "Un discours ouvert jusqu'à la fin de la ligne"]),
        ("Pas de guillemets ici.", []),
        ("Un seul \" égaré.", []),
    ],
)
def test_find_marked_spans(text, contents):
    assert [text[s.start : s.end] for s in find_marked_spans(text)] == contents


# --- direct quotes -------------------------------------------------------------------------------

DIRECT_CASES = [
    # (text, quote, speaker fragment or None, verb)
    ("« Nous ne céderons pas », a déclaré le porte-parole du Kremlin.",
     "Nous ne céderons pas", "porte-parole du Kremlin", "déclarer"),
    ("«Nous ne céderons pas», a déclaré le porte-parole du Kremlin.",
     "Nous ne céderons pas", "porte-parole du Kremlin", "déclarer"),
    ('"Nous ne reculerons pas", a martelé Dmitri Peskov.',
     "Nous ne reculerons pas", "Dmitri Peskov", "marteler"),
    ("“Nous ne reculerons pas”, a martelé Dmitri Peskov.",
     "Nous ne reculerons pas", "Dmitri Peskov", "marteler"),
    ("‹ Nous tiendrons bon ›, a assuré le maire de Kharkiv.",
     "Nous tiendrons bon", "maire de Kharkiv", "assurer"),
    ("« Nous sommes prêts à négocier », affirme le chef de la diplomatie ukrainienne.",
     "Nous sommes prêts à négocier", "chef de la diplomatie ukrainienne", "affirmer"),
    ("« Personne ne nous intimidera », rétorque lundi Olaf Scholz.",
     "Personne ne nous intimidera", "Olaf Scholz", "rétorquer"),
    ("Le porte-parole du Kremlin a déclaré : « Nous ne céderons à aucune pression. »",
     "Nous ne céderons à aucune pression.", "porte-parole du Kremlin", "déclarer"),
    ("Le chef de l'Alliance a averti :« Toute attaque entraînera une riposte. »",
     "Toute attaque entraînera une riposte.", "chef de l'Alliance", "avertir"),
    ("« Nous sommes prêts. Personne ne nous prendra par surprise », a déclaré le général.",
     "Nous sommes prêts. Personne ne nous prendra par surprise", "le général", "déclarer"),
    ("Le secrétaire général de l'OTAN a averti que l'Alliance défendrait ses membres. "
     "« Nous sommes prêts à tout », a-t-il ajouté.",
     "Nous sommes prêts à tout", "secrétaire général de l'OTAN", "ajouter"),
    ('Le ministre Lavrov« Nous répondrons à toute provocation ".',
     "Nous répondrons à toute provocation", "ministre Lavrov", None),
    ("Le Kremlin a qualifié ces manœuvres de « provocantes ».",
     "provocantes", "Le Kremlin", "qualifier"),
    ("Selon le ministère russe de la Défense, « les objectifs ont tous été atteints ».",
     "les objectifs ont tous été atteints", "ministère russe de la Défense", "selon"),
    ("« Les sanctions ne changeront rien », selon un diplomate européen.",
     "Les sanctions ne changeront rien", "un diplomate européen", "selon"),
    ("Zelensky a lancé un appel : « Fermez le ciel au-dessus de l'Ukraine ! »",
     "Fermez le ciel au-dessus de l'Ukraine !", "Zelensky", "lancer"),
    ("« Cette guerre doit cesser », a dit Antonio Guterres, le secrétaire général de l'ONU.",
     "Cette guerre doit cesser", "Antonio Guterres", "dire"),
]


@pytest.mark.parametrize(("text", "quote", "speaker", "verb"), DIRECT_CASES)
def test_direct_quotes(nlp, text, quote, speaker, verb):
    found = by_text(quotes_of(nlp, text))
    assert quote in found, sorted(found)
    q = found[quote]
    assert q.kind == "direct"
    assert q.verb == verb
    if speaker is None:
        assert q.speaker is None
    else:
        assert q.speaker is not None and speaker in q.speaker


@pytest.mark.parametrize(
    ("text", "pieces", "speaker", "verb"),
    [
        ("« La Russie est prête à discuter, a martelé Sergueï Lavrov, mais pas sous la menace. »",
         ["La Russie est prête à discuter", "mais pas sous la menace."], "Sergueï Lavrov",
         "marteler"),
        ("« Nous ne voulons pas la guerre, a assuré Dmitri Peskov. Mais nous défendrons nos "
         "intérêts. »", ["Nous ne voulons pas la guerre", "Mais nous défendrons nos intérêts."],
         "Dmitri Peskov", "assurer"),
    ],
)
def test_incise_splits_quote_with_one_speaker(nlp, text, pieces, speaker, verb):
    quotes = quotes_of(nlp, text)
    assert [q.text for q in quotes] == pieces
    assert {q.speaker for q in quotes} == {speaker}
    assert {q.verb for q in quotes} == {verb}


def test_quote_after_incise_between_two_quotes(nlp):
    text = "« Nous resterons », a promis le maire, « aussi longtemps qu'il le faudra »."
    quotes = quotes_of(nlp, text)
    assert [q.text for q in quotes] == ["Nous resterons", "aussi longtemps qu'il le faudra"]
    assert all(q.speaker == "le maire" for q in quotes)


def test_quote_spanning_sentences_records_both(nlp):
    text = ("Le général a pris la parole. « Nous avons tenu. Nous tiendrons encore. "
            "Rien ne nous fera reculer », a-t-il affirmé.")
    (quote,) = quotes_of(nlp, text)
    assert quote.text.startswith("Nous avons tenu") and quote.text.endswith("reculer")
    assert (quote.sent_start, quote.sent_end) == (1, 3)
    assert quote.speaker == "Le général"


# --- reported speech -----------------------------------------------------------------------------

REPORTED_CASES = [
    # (text, quote, kind, speaker fragment or None, verb)
    ("Le ministre a estimé que la situation était grave.",
     "la situation était grave", "indirect", "Le ministre", "estimer"),
    ("Le chef de l'État a affirmé mardi devant la presse qu'aucune troupe ne serait envoyée.",
     "aucune troupe ne serait envoyée", "indirect", "Le chef de l'État", "affirmer"),
    ("Kiev accuse Moscou de masser des troupes à la frontière.",
     "masser des troupes à la frontière", "indirect", "Kiev", "accuser"),
    ("Washington a qualifié ces manœuvres d'inacceptables.",
     "inacceptables", "indirect", "Washington", "qualifier"),
    ("Le Kremlin a nié avoir déployé des troupes supplémentaires.",
     "avoir déployé des troupes supplémentaires", "indirect", "Le Kremlin", "nier"),
    ("Volodymyr Zelensky a appelé les Occidentaux à livrer davantage d'armes.",
     "livrer davantage d'armes", "indirect", "Volodymyr Zelensky", "appeler"),
    ("Moscou menace de couper le gaz à plusieurs pays européens.",
     "couper le gaz à plusieurs pays européens", "indirect", "Moscou", "menacer"),
    ("La Russie n'attaquera pas l'Ukraine, a assuré lundi le chef de la diplomatie russe.",
     "La Russie n'attaquera pas l'Ukraine", "indirect", "chef de la diplomatie russe", "assurer"),
    ("Le président ukrainien a mis en garde contre une escalade et a fait savoir qu'il ne "
     "céderait pas.", "il ne céderait pas", "indirect", "Le président ukrainien", "faire savoir"),
    ("Le Kremlin a confirmé que la rencontre aurait lieu à Genève.",
     "la rencontre aurait lieu à Genève", "indirect", "Le Kremlin", "confirmer"),
    ("Un rapport du renseignement britannique affirme que les pertes russes sont lourdes.",
     "les pertes russes sont lourdes", "indirect", "rapport du renseignement britannique",
     "affirmer"),
    ("Selon le Pentagone, les troupes russes se sont retirées.",
     "les troupes russes se sont retirées", "selon", "le Pentagone", "selon"),
    ("Les troupes russes se sont retirées, selon le Pentagone.",
     "Les troupes russes se sont retirées", "selon", "le Pentagone", "selon"),
    ("D'après une source diplomatique, la réunion aura lieu jeudi.",
     "la réunion aura lieu jeudi", "selon", "une source diplomatique", "selon"),
    ("Pour le Kremlin, il s'agit d'une provocation inacceptable.",
     "il s'agit d'une provocation inacceptable", "selon", "le Kremlin", "selon"),
    ("À en croire Moscou, les sanctions n'ont aucun effet.",
     "les sanctions n'ont aucun effet", "selon", "Moscou", "selon"),
]


@pytest.mark.parametrize(("text", "quote", "kind", "speaker", "verb"), REPORTED_CASES)
def test_reported_speech(nlp, text, quote, kind, speaker, verb):
    found = by_text(quotes_of(nlp, text))
    assert quote in found, sorted(found)
    q = found[quote]
    assert (q.kind, q.verb) == (kind, verb)
    assert q.speaker is not None and speaker in q.speaker


def test_two_reported_clauses_share_the_speaker(nlp):
    text = "Le ministre a estimé que la situation était grave, avant d'ajouter qu'il fallait agir."
    quotes = quotes_of(nlp, text)
    assert [q.text for q in quotes] == ["la situation était grave", "il fallait agir"]
    assert [q.speaker for q in quotes] == ["Le ministre", "Le ministre"]


# --- negatives -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Le quotidien « Le Monde » a publié une enquête sur les sanctions.",
        "Face à la « menace » russe, les pays baltes renforcent leurs défenses.",
        "Les troupes ont lancé l'opération « Tempête » à l'aube.",
        "Il a revu le film « Le Retour » hier soir.",
        "Pour la première fois, les deux dirigeants se sont parlé.",
        "La Russie a massé des troupes à la frontière.",
        "Le journal « Kommersant » publie chaque jour une « revue » de presse.",
        "Le nombre de réfugiés dépasse 2 millions.",
        "",
    ],
)
def test_no_quote(nlp, text):
    assert quotes_of(nlp, text) == []


# --- invariants ----------------------------------------------------------------------------------

WORDS = ["Le", "ministre", "a", "déclaré", "que", "la", "Russie", "«", "»", '"', ",", ".", ":",
         "selon", "Kiev", "accuse", "de", "-t-il", "ajouté", "Nous", "\n", "“", "”", "pour",
         "qualifié", "provocantes", "Moscou", "estime", "d'", "après", "‹", "›"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.text(max_size=30))
def test_random_text_never_breaks(nlp, words, noise):
    text = " ".join(words) + noise
    clean = clean_text(text)
    doc = nlp(clean.text)
    quotes = extract_quotes(doc)
    assert [q.quote_idx for q in quotes] == list(range(len(quotes)))
    for q in quotes:
        assert 0 <= q.start < q.end <= len(doc.text)
        assert doc.text[q.start : q.end] == q.text
        assert q.kind in {"direct", "indirect", "selon"}
        if q.speaker is not None:
            assert doc.text[q.speaker_start : q.speaker_end] == q.speaker


def test_output_is_deterministic(nlp):
    text = ("« Nous resterons », a promis le maire. Selon Kiev, les frappes continuent. "
            "Moscou accuse Kiev de mentir.")
    assert quotes_of(nlp, text) == quotes_of(nlp, text)


# --- actors --------------------------------------------------------------------------------------

ACTOR_CASES = [
    ("« Nous ne céderons pas », a déclaré Dmitri Peskov.", "Nous ne céderons pas", "RUSSIA"),
    ("Un rapport de renseignement américain affirme que Moscou prépare une offensive.",
     "Moscou prépare une offensive", "USA"),
    ("Selon le Kremlin, les pourparlers sont dans l'impasse.",
     "les pourparlers sont dans l'impasse", "RUSSIA"),
    ("Moscou a prévenu que toute livraison d'armes serait une cible légitime.",
     "toute livraison d'armes serait une cible légitime", "RUSSIA"),
    ("L'analyste russe Ivan Petrov estime que le Kremlin ne bluffe pas.",
     "le Kremlin ne bluffe pas", None),
    ("« La guerre sera longue », a écrit un éditorialiste du Figaro.",
     "La guerre sera longue", None),
    ("Le secrétaire général de l'OTAN a averti que l'Alliance défendrait chaque allié.",
     "l'Alliance défendrait chaque allié", "NATO"),
    ("Le président ukrainien a averti : « Nous nous défendrons jusqu'au bout. »",
     "Nous nous défendrons jusqu'au bout.", "UKRAINE"),
]


@pytest.mark.parametrize(("text", "quote", "actor"), ACTOR_CASES)
def test_speaker_actor(nlp, registry, text, quote, actor):
    found = by_text(quotes_of(nlp, text, registry))
    assert quote in found, sorted(found)
    assert found[quote].speaker_actor == actor


# --- the seed article ----------------------------------------------------------------------------

#: (fragment of the quote, expected speaker actor): the acceptance list of issue 5.
SEED_EXPECTED = [
    ("provocantes", "USA"),  # Blinken
    ("surprendre personne", "UKRAINE"),  # Kouleba, the Ukrainian foreign minister
    ("conflit direct", "USA"),  # the US intelligence report
    ("déstabiliser", "USA"),  # the same report
    ("concentration militaire", "NATO"),  # Stoltenberg
    ("prend des mesures", "RUSSIA"),  # Choïgou
    ("favoriser le dialogue", "RUSSIA"),  # the Kremlin confirms the dialogue
    ("engagement indéfectible", "USA"),  # Biden
    ("Rencontrons-nous", "USA"),  # Biden (headline)
    ("vouloir déployer", "RUSSIA"),  # Choïgou accusing NATO
]
#: The analysts Kachin and Goltz speak for no actor.
SEED_ANALYSTS = ("Kachin", "Goltz", "analystes")


@pytest.fixture(scope="module")
def seed_quotes(nlp, registry, seed_article):
    doc = nlp(seed_article.text)
    return extract_quotes(doc, article_id=seed_article.article_id,
                          date=config.SEED_METADATA["date"], registry=registry)


@pytest.mark.parametrize(("fragment", "actor"), SEED_EXPECTED)
def test_seed_article_speakers(seed_quotes, fragment, actor):
    matching = [q for q in seed_quotes if fragment in q.text]
    assert matching, f"no quote containing {fragment!r}"
    assert [q.speaker_actor for q in matching] == [actor] * len(matching)


def test_seed_article_analysts_have_no_actor(seed_quotes):
    analysts = [q for q in seed_quotes
                if q.speaker and any(name in q.speaker for name in SEED_ANALYSTS)]
    assert analysts, "the analysts' estimate is a quote"
    assert all(q.speaker_actor is None for q in analysts)


def test_seed_article_quotes_are_consistent(seed_quotes, seed_article):
    assert len(seed_quotes) >= 10
    for quote in seed_quotes:
        assert seed_article.text[quote.start : quote.end] == quote.text
        assert quote.sent_start <= quote.sent_end


# --- the command line ----------------------------------------------------------------------------

def test_cli_quotes_offsets_in_original_text(tmp_path, capsys):
    from analysis.cli import main

    texts = [
        {"id": "a", "text": "“Nous ne céderons pas”, a déclaré\u00a0Dmitri  Peskov.",
         "date": "2022-03-01"},
        {"id": "b", "text": "Aucune citation ici."},
        {"id": "c", "text": "<p>Selon le Pentagone, les troupes russes se sont retirées.</p>"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts),
                      encoding="utf-8")
    output = tmp_path / "out.jsonl"
    assert main(["quotes", "--input", str(source), "--output", str(output)]) == 0
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[1]["quotes"] == []
    for line, original in zip(lines, texts, strict=True):
        for quote in line["quotes"]:
            assert set(quote) == {"text", "start", "end", "kind", "verb", "speaker",
                                  "speaker_actor"}
            assert original["text"][quote["start"] : quote["end"]] == quote["text"]
    (first,) = lines[0]["quotes"]
    assert first["text"] == "Nous ne céderons pas"
    assert first["speaker_actor"] == "RUSSIA"
    assert lines[2]["quotes"][0]["kind"] == "selon"


def test_cli_quotes_help(capsys):
    from analysis.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["quotes", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--input" in out


# --- the evaluation ------------------------------------------------------------------------------

def test_gold_spans_use_the_nth_occurrence():
    from analysis.evaluation.quotes import gold_spans

    row = {"id": "x", "text": "« Non », dit-il. « Non », répète-t-elle.",
           "quotes": [{"quote": "Non", "occurrence": 2, "kind": "direct", "speaker": None,
                       "speaker_actor": None}]}
    (span,) = gold_spans(row)
    assert row["text"][span.start : span.end] == "Non" and span.start > 10


def test_gold_quote_missing_from_text_raises():
    from analysis.errors import BadInputError
    from analysis.evaluation.quotes import gold_spans

    row = {"id": "x", "text": "Rien.", "quotes": [{"quote": "Tout", "kind": "direct"}]}
    with pytest.raises(BadInputError, match="Tout"):
        gold_spans(row)


@pytest.mark.parametrize(
    ("gold", "predicted", "pairs"),
    [
        ([(0, 10)], [(0, 10)], [(0, 0)]),
        ([(0, 10)], [(0, 4)], []),  # 4 characters of the longer 10: below half
        ([(0, 10)], [(0, 6)], [(0, 0)]),
        ([(0, 10), (20, 30)], [(21, 30), (0, 9)], [(0, 1), (1, 0)]),
        ([(0, 10)], [(0, 10), (1, 10)], [(0, 0)]),  # one to one
    ],
)
def test_match_is_one_to_one_by_overlap(gold, predicted, pairs):
    from analysis.evaluation.quotes import Span, match

    def spans(items):
        return [Span(s, e, "direct", None, None) for s, e in items]

    assert match(spans(gold), spans(predicted)) == pairs


# --- speaker resolution: regressions of the dev error analysis ------------------------------------

#: (date, text, quote, speaker actor): invented sentences, one per rule.
RESOLUTION_CASES = [
    # a present participle adjunct shares the main verb's subject
    ("2023-03-01", "Le porte-parole du Kremlin a rejeté l'ultimatum, assurant que Moscou ne "
     "reculerait pas.", "Moscou ne reculerait pas", "RUSSIA"),
    ("2023-03-01", "Volodymyr Zelensky a visité le front mardi. « Nous tiendrons la ligne », "
     "a-t-il répété devant les soldats, promettant de renforcer la défense aérienne.",
     "renforcer la défense aérienne", "UKRAINE"),
    # a portfolio stays in the title, and the apposed name follows it
    ("2015-05-01", "« La porte reste ouverte », a indiqué mardi la conseillère à la sécurité "
     "nationale, Susan Rice.", "La porte reste ouverte", "USA"),
    # a name in apposition to the subject; a regional governor of the registry
    ("2023-06-01", "Le gouverneur de la région de Belgorod, Viatcheslav Gladkov, a affirmé que "
     "deux villages avaient été évacués.", "deux villages avaient été évacués", "RUSSIA"),
    # consuls and officers speak for their state
    ("2023-06-01", "Le consul ukrainien à Marseille a rappelé que les réfugiés pouvaient "
     "prolonger leur séjour.", "les réfugiés pouvaient prolonger leur séjour", "UKRAINE"),
    ("2023-06-01", "Un soldat ukrainien entré dans Izioum confie : « Les habitants nous "
     "attendaient depuis des mois. »", "Les habitants nous attendaient depuis des mois.",
     "UKRAINE"),
    # an anaphoric head-of-state title, with one head of state named just before
    ("2023-05-01", "Vladimir Poutine a présidé le Conseil de sécurité. Le chef de l'État a "
     "affirmé que les objectifs seraient atteints.", "les objectifs seraient atteints",
     "RUSSIA"),
    # ... but not when another person (possibly the president meant) is named
    ("2023-05-01", "Emmanuel Macron a reçu Volodymyr Zelensky à Paris. Le président a assuré "
     "que la France ne faiblirait pas.", "la France ne faiblirait pas", None),
    # a summit speaks for the organisation, not for its host city
    ("2022-06-29", "La déclaration finale du sommet de Madrid estime que la Russie est la "
     "menace la plus directe.", "la Russie est la menace la plus directe", "NATO"),
    ("2021-06-14", "Selon le communiqué du sommet de Bruxelles, l'OTAN renforcera son flanc "
     "est.", "l'OTAN renforcera son flanc est", "NATO"),
    ("2022-09-16", "Vladimir Poutine, en marge du sommet de Samarcande, a affirmé que la Russie "
     "n'était pas isolée.", "la Russie n'était pas isolée", "RUSSIA"),
    # "qui" goes back to the noun phrase before it
    ("2023-02-01", "Kiev a été visée cette nuit, indique l'armée de l'air ukrainienne, qui "
     "dénonce une « attaque massive ».", "attaque massive", "UKRAINE"),
    ("2023-02-01", "Kiev a été visée cette nuit, indique l'armée de l'air ukrainienne, qui "
     "dénonce une « attaque massive ».", "Kiev a été visée cette nuit", "UKRAINE"),
    # a quote standing as its own sentence after a sentence about a person
    ("2023-02-01", "Le chef de la diplomatie russe, Sergueï Lavrov, est resté de marbre. "
     "« Nos conditions n'ont pas changé. »", "Nos conditions n'ont pas changé.", "RUSSIA"),
    # "Pour lui," after an incise clause goes to the incise's speaker
    ("2021-04-20", "Les sanctions occidentales ne changeront rien, estime le ministre russe des "
     "Finances. Pour lui, l'économie a déjà intégré leur coût.",
     "l'économie a déjà intégré leur coût", "RUSSIA"),
]


@pytest.mark.parametrize(("date", "text", "quote", "actor"), RESOLUTION_CASES)
def test_speaker_resolution_rules(nlp, registry, date, text, quote, actor):
    found = by_text(quotes_of(nlp, text, registry, date=date))
    assert quote in found, sorted(found)
    assert found[quote].speaker_actor == actor


#: (text, expected reported span or None for no quote at all, absent span).
SPAN_CASES = [
    # a time adverbial between the verb and "que"
    ("Le ministre a jugé la semaine dernière que l'accord était caduc.",
     "l'accord était caduc", None),
    # "à une ..." is a noun phrase, not a number
    ("Le Kremlin appelle à une désescalade immédiate.", "une désescalade immédiate", None),
    # the complement of "qualifier" keeps its own "de"
    ("Kiev a qualifié Sergueï Choïgou de criminel de guerre.", "criminel de guerre", "guerre"),
    # a resumptive apposition ends the reported clause
    ("Kiev accuse Moscou d'avoir miné le pont, une accusation que le Kremlin rejette.",
     "avoir miné le pont", "avoir miné le pont, une accusation que le Kremlin rejette"),
    # a perception verb in another clause does not make a scare quote speech
    ("Des pêcheurs ont vu le navire couler, et la « version officielle » ne convainc personne.",
     None, "version officielle"),
]


@pytest.mark.parametrize(("text", "present", "absent"), SPAN_CASES)
def test_reported_span_rules(nlp, text, present, absent):
    found = by_text(quotes_of(nlp, text))
    if present is not None:
        assert present in found, sorted(found)
    if absent is not None:
        assert absent not in found, sorted(found)
