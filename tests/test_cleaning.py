"""Cleaning: normalisation, machine-translation artifacts, and the map back to the original."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cleaning import clean_text, masked_number_spans


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("l’Ukraine", "l'Ukraine"),
        ("“Nous resterons”", '"Nous resterons"'),
        ("«\u00a0Bonjour\u202f»", "« Bonjour »"),
        ("Cafe\u0301", "Café"),
        ("deux  espaces\tet tab", "deux espaces et tab"),
        ("ligne 1\r\nligne 2", "ligne 1\nligne 2"),
        ("para 1\n\n\n\n para 2  ", "para 1\n\npara 2"),
        ("zéro\u200blargeur et trait\u00addunion", "zérolargeur et traitdunion"),
        ("contrôle\x07 bip", "contrôle bip"),
        ('conflit direct"Avec eux', 'conflit direct "Avec eux'),  # a lone quote opens
        (
            'la Russie "il ne veut pas"Avec les mais"poursuivra ".',
            'la Russie "il ne veut pas" Avec les mais "poursuivra ".',
        ),
        ("Stoltemberg« La concentration", "Stoltemberg « La concentration"),
        ("»Ensuite", "» Ensuite"),
    ],
)
def test_clean_text_normalises(original, expected):
    assert clean_text(original).text == expected


def test_masked_numbers_are_kept_and_flagged():
    cleaned = clean_text("Au moins 100 XNUMX soldats, XNUMXE non.")
    assert "XNUMX" in cleaned.text
    assert masked_number_spans(cleaned.text) == [(13, 18)]


def test_seed_article_masked_numbers_flagged(seed_article):
    assert "masked_numbers" in seed_article.flags.split(";")
    assert seed_article.n_masked_numbers == seed_article.text.count("XNUMX") == 4


def test_offsets_map_back_to_the_original():
    original = "Le  Kremlin a dit\u00a0: « Non ».\n\n\nPuis’ fin"
    cleaned = clean_text(original)
    start = cleaned.text.index("Kremlin")
    o_start, o_end = cleaned.original_span(start, start + len("Kremlin"))
    assert original[o_start:o_end] == "Kremlin"
    start = cleaned.text.index("Puis'")
    assert original[cleaned.to_original(start) : cleaned.to_original(start) + 4] == "Puis"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_offset_map_is_monotonic_and_inside_the_original(original):
    cleaned = clean_text(original)
    assert unicodedata.is_normalized("NFC", cleaned.text)
    previous = 0
    for offset in range(len(cleaned.text) + 1):
        mapped = cleaned.to_original(offset)
        assert 0 <= mapped <= len(original)
        assert mapped >= previous
        previous = mapped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcé XNUMX«»\"'’\n\u00a0.", max_size=120))
def test_letters_map_to_the_same_letter(original):
    cleaned = clean_text(original)
    for offset, char in enumerate(cleaned.text):
        if char.isalpha():
            assert original[cleaned.to_original(offset)] == char


def test_html_markup_and_scripts_are_removed_not_run():
    original = "<p>La Russie&nbsp;a dit</p><script>alert('x')</script><p>Fin &amp; suite.</p>"
    cleaned = clean_text(original)
    assert cleaned.text == "La Russie a dit\n\nFin & suite."
    assert "alert" not in cleaned.text
    start = cleaned.text.index("Fin")
    assert original[cleaned.to_original(start) : cleaned.to_original(start) + 3] == "Fin"
    assert clean_text("3 < 4 et 5 > 2").text == "3 < 4 et 5 > 2"


def test_span_end_does_not_swallow_removed_characters():
    original = "vers l'Ukraine\u00a0\u00ad"
    cleaned = clean_text(original)
    start = cleaned.text.index("Ukraine")
    o_start, o_end = cleaned.original_span(start, start + len("Ukraine"))
    assert original[o_start:o_end] == "Ukraine"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abé Z.,'’\"“«»\n\t\u00a0<>p&;XNUMX\u0301", max_size=80))
def test_fast_path_agrees_with_the_character_path(original):
    assert clean_text(original) == clean_text(original, fast_path=False)
