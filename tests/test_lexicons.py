"""Schema of the lexicons in data/lexicons: the actor registry (actors.yml)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest
import yaml

from analysis import config
from analysis.actors import ACTOR_ID, KINDS, ActorRegistry, load_registry

ACTORS_YML = config.LEXICON_DIR / "actors.yml"


def _raw() -> dict:
    """The registry as plain YAML, dates as strings (the loader's view is tested elsewhere)."""
    from analysis.actors import _Loader

    return yaml.load(ACTORS_YML.read_text(encoding="utf-8"), Loader=_Loader)


def _alias_text(item) -> str:
    return item if isinstance(item, str) else item["text"]


def _all_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _all_strings(key)
            yield from _all_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_strings(value)


def test_registry_loads_and_has_the_four_actors():
    registry = ActorRegistry.from_yaml(ACTORS_YML)
    assert registry.actor_ids == ("USA", "RUSSIA", "UKRAINE", "NATO")
    assert registry.no_date_default == "latest_role"


def test_actor_ids_are_upper_case_and_unique():
    ids = [actor["id"] for actor in _raw()["actors"]]
    assert all(ACTOR_ID.match(actor_id) for actor_id in ids)
    assert len(ids) == len(set(ids))


def test_every_actor_has_display_names_in_french_and_english():
    for actor in _raw()["actors"]:
        assert actor["names"]["fr"] and actor["names"]["en"], actor["id"]


def test_every_string_is_nfc():
    bad = [s for s in _all_strings(_raw()) if unicodedata.normalize("NFC", s) != s]
    assert bad == []


def test_variants_are_unique():
    """No alias (case-insensitive) is listed twice, within or across actors and persons."""
    forms = []
    for actor in _raw()["actors"]:
        for kind in ("country", "capital", "institution", "role"):
            forms += [_alias_text(a).casefold() for a in actor.get(kind) or []]
        for person in actor.get("persons") or []:
            names = {person["name"].casefold()}
            names |= {_alias_text(v).casefold() for v in person.get("variants") or []}
            forms += sorted(names)
        demonyms = actor.get("demonyms") or {}
        forms += [d.casefold() for d in demonyms.get("adjectives") or []]
    duplicates = sorted(form for form, n in Counter(forms).items() if n > 1)
    assert duplicates == []


def test_rule_lists_have_no_duplicates():
    rules = _raw()["demonym_rules"]
    for name in ("state_nouns", "role_titles", "connectors", "role_complements", "former_markers"):
        value = rules[name]
        groups = value.values() if isinstance(value, dict) else [value]
        items = [item.casefold() for group in groups for item in group]
        assert sorted(x for x, n in Counter(items).items() if n > 1) == [], name
    blockers = [item.casefold() for item in _raw()["not_mentions"]]
    assert sorted(x for x, n in Counter(blockers).items() if n > 1) == []


def test_person_roles_have_valid_ordered_dates():
    for actor in _raw()["actors"]:
        for person in actor.get("persons") or []:
            assert person["roles"], person["name"]
            for role in person["roles"]:
                start = date.fromisoformat(role["start"])
                end = date.fromisoformat(role["end"]) if role.get("end") else None
                assert end is None or start < end, person["name"]
                assert date(1990, 1, 1) <= start <= date(2030, 1, 1), person["name"]


def test_alias_options_are_known():
    for actor in _raw()["actors"]:
        entries = [a for kind in ("country", "capital", "institution", "role")
                   for a in actor.get(kind) or []]
        entries += [v for p in actor.get("persons") or [] for v in p.get("variants") or []]
        for entry in entries:
            if isinstance(entry, dict):
                assert set(entry) <= {"text", "case", "unless", "needs_actor_in_doc"}, entry
                assert entry.get("case", "sensitive") in ("sensitive", "insensitive")


@pytest.mark.parametrize(
    ("name", "actor", "start", "end"),
    [
        ("Antony Blinken", "USA", "2021-01-26", "2025-01-20"),
        ("Mark Rutte", "NATO", "2024-10-01", None),
        ("Jens Stoltenberg", "NATO", "2014-10-01", "2024-10-01"),
        ("Anders Fogh Rasmussen", "NATO", "2009-08-01", "2014-10-01"),
        ("Volodymyr Zelensky", "UKRAINE", "2019-05-20", None),
        ("Petro Porochenko", "UKRAINE", "2014-06-07", "2019-05-20"),
        ("Dmytro Kouleba", "UKRAINE", "2020-03-04", "2024-09-05"),
        ("Sergueï Choïgou", "RUSSIA", "2012-11-06", "2024-05-12"),
        ("Joe Biden", "USA", "2021-01-20", "2025-01-20"),
        ("Joe Biden", "USA", "2009-01-20", "2017-01-20"),
        ("Donald Trump", "USA", "2017-01-20", "2021-01-20"),
        ("Donald Trump", "USA", "2025-01-20", None),
    ],
)
def test_key_dated_roles(name, actor, start, end):
    registry = load_registry()
    (person,) = [p for p in registry.persons if p.name == name]
    spans = {(r.actor, r.start.isoformat() if r.start else None,
              r.end.isoformat() if r.end else None) for r in person.roles}
    assert (actor, start, end) in spans


def test_kinds_cover_the_registry():
    registry = load_registry()
    assert {alias.kind for alias in registry.aliases} <= set(KINDS)
    assert {alias.actor for alias in registry.aliases} == set(registry.actor_ids)
