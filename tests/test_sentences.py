"""French sentence segmentation: the seed article's real sentences, and hard cases."""

from __future__ import annotations

import pytest

from analysis.nlp import load_nlp
from analysis.sentences import segment

# The seed article's 18 sentences as standoff offsets into its cleaned text (no text copied),
# with each sentence's first word to keep the list readable. Hard spots: a quote with a comma
# inside ("... personne, l'Ukraine ...", a dit Kouleba), a quote glued to a name
# (Stoltemberg« / Choïgou«), a quote spanning two sentences (« ... l'Alliance. En trois ... »),
# the broken quotes `direct"Avec` and `mais"poursuivra`, and "Kachin e Alexandre Goltz".
SEED_SENTENCES = [
    (0, 178, "Moscou"),
    (179, 263, "Au"),
    (265, 464, "Biden"),
    (465, 642, "Ce"),
    (643, 831, "Le"),
    (833, 976, "Biden"),
    (977, 1188, "Alors"),
    (1190, 1395, '"La'),
    (1397, 1566, "Selon"),
    (1567, 1867, "Le"),
    (1869, 2023, "La"),
    (2024, 2192, "En"),
    (2194, 2356, "Le"),
    (2357, 2415, "Les"),
    (2416, 2646, "Deux"),
    (2647, 2783, "La"),
    (2785, 2919, "En"),
    (2921, 3000, "Crise"),
]


def test_seed_article_real_sentences(seed_article):
    sentences = list(segment([(seed_article.article_id, seed_article.text)]))
    got = [(s.start, s.end, s.text.split()[0]) for s in sentences]
    assert got == SEED_SENTENCES
    for sentence in sentences:
        assert seed_article.text[sentence.start : sentence.end] == sentence.text
    assert sentences[-1].text.startswith("Crise ukrainienne")  # the headline, its own paragraph


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M. Lavrov a parlé. Mme Zakharova aussi.", 2),
        ("Le plan de J. Biden est connu. Il sera signé.", 2),
        ("« Nous ne céderons pas. Jamais », a-t-il dit. La séance est levée.", 3),
        ("« Nous resterons », a dit le ministre, « aussi longtemps qu'il le faudra ».", 1),
        ("Il a dit : « non ». Puis il est parti.", 2),
        ("Les chiffres : 40.000 soldats, 1.5 million de réfugiés.", 1),
        ("Titre sans point\n\nPremier paragraphe.", 2),
        ("Que faire ? Attendre ! Le sommet commence.", 3),
        ("Environ 100 000 soldats... Le Kremlin dément.", 2),
        ("", 0),
    ],
)
def test_hard_cases(text, expected):
    assert len(list(segment([("a", text)]))) == expected


def test_parser_keeps_the_rule_boundaries(seed_article):
    fast = [(s.start, s.end) for s in segment([("a", seed_article.text)])]
    full = [(s.start, s.end) for s in segment([("a", seed_article.text)], nlp=load_nlp())]
    assert fast == full
