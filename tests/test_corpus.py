"""Readers, ingestion, manifest: every format, every bad input, every record accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import IngestOptions, Manifest, ingest, iter_articles
from analysis.errors import BadInputError, InputNotFoundError
from analysis.readers import ColumnMap, iter_records

FIXTURES = Path(__file__).parent / "fixtures"
FRENCH = (
    "La Russie a massé des troupes près de la frontière ukrainienne, a indiqué jeudi le "
    "ministère, tandis que Washington appelait Moscou à la retenue. "
)
FRENCH_2 = (
    "Le secrétaire général de l'Otan a promis un soutien durable à Kiev lors d'une réunion des "
    "ministres à Bruxelles, où plusieurs pays ont annoncé de nouvelles livraisons. "
)
ENGLISH = "The government announced on Thursday that new sanctions would be imposed on banks. " * 2


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def statuses(manifest: Manifest) -> list[str]:
    return [entry.status for entry in manifest.entries]


# --- the demo corpus ---------------------------------------------------------------------------


def test_demo_corpus_totals(demo_corpus_path, seed_path):
    articles, manifest = ingest([seed_path.parent, demo_corpus_path])
    assert manifest.counts() == {"records": 27, "kept": 27, "skipped": 0, "duplicate": 0}
    assert {a.lang for a in articles} == {"fr"}
    assert len({a.article_id for a in articles}) == 27
    seed = articles[0]
    assert seed.date == "2021-04-14" and seed.outlet.startswith("seed")
    official = next(a for a in articles if a.article_id == "fr-presidence-1")
    assert official.outlet == "Présidence de la République (Élysée)"
    assert json.loads(official.extra)["licence"].startswith("Licence Ouverte")


# --- readers: each format -----------------------------------------------------------------------


def test_jsonl_with_custom_columns(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "uid": "x1",
                "body": FRENCH,
                "source": "Le Monde",
                "published": "01/03/2022",
                "section": "International",
            },
        ],
    )
    columns = ColumnMap(id="uid", text="body", outlet="source", date="published")
    articles, _manifest = ingest([path], IngestOptions(columns=columns))
    article = articles[0]
    assert (article.article_id, article.outlet, article.date) == ("x1", "Le Monde", "2022-03-01")
    assert json.loads(article.extra) == {"section": "International"}


def test_csv_semicolon_and_cp1252(tmp_path):
    path = tmp_path / "export.csv"
    content = f"id;text;outlet;date\nc1;{FRENCH};L'Équipe;2022-03-02\n"
    path.write_bytes(content.encode("cp1252"))
    articles, _manifest = ingest([path])
    assert articles[0].outlet == "L'Équipe"
    assert "encoding:cp1252" in articles[0].flags


def test_csv_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f'id,text\nb1,"{FRENCH}"\n'.encode())
    articles, _ = ingest([path])
    assert articles[0].article_id == "b1"


def test_csv_without_text_column_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,body\n1,bonjour\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"bad\.csv, line 1: no text column 'text'.*'body'"):
        ingest([path])


def test_parquet(tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": [FRENCH, FRENCH_2], "outlet": ["A", "B"]}).to_parquet(
        path
    )
    articles, _manifest = ingest([path])
    assert [a.article_id for a in articles] == ["p1", "p2"]


def test_folder_with_layout_and_sidecar(tmp_path):
    (tmp_path / "Le Figaro" / "2022").mkdir(parents=True)
    (tmp_path / "Le Figaro" / "2022" / "2022-03-04_frappes.txt").write_text(FRENCH, "utf-8")
    (tmp_path / "Ouest-France").mkdir()
    (tmp_path / "Ouest-France" / "a.txt").write_text(FRENCH_2, "utf-8")
    (tmp_path / "Ouest-France" / "metadata.csv").write_text(
        "file,outlet,date,title\na.txt,Ouest-France (Rennes),5 mars 2022,Accueil\n", "utf-8"
    )
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    articles, manifest = ingest([tmp_path])
    by_id = {a.article_id: a for a in articles}
    figaro = by_id["Le Figaro/2022/2022-03-04_frappes"]
    assert (figaro.outlet, figaro.date) == ("Le Figaro", "2022-03-04")
    ouest = by_id["Ouest-France/a"]
    assert (ouest.outlet, ouest.date, ouest.title) == (
        "Ouest-France (Rennes)",
        "2022-03-05",
        "Accueil",
    )
    skipped = [e for e in manifest.entries if e.status == "skipped"]
    assert [e.reason for e in skipped] == ["unsupported file type '.docx'"]


def test_text_file_encodings(tmp_path):
    (tmp_path / "latin1.txt").write_bytes(FRENCH.replace("ukrainienne", "été").encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + FRENCH_2.encode())
    articles, manifest = ingest([tmp_path])
    assert manifest.counts()["kept"] == 2
    texts = {a.article_id: a for a in articles}
    assert "été" in texts["latin1"].text and "encoding:cp1252" in texts["latin1"].flags
    assert texts["bom"].text.startswith("Le secrétaire")


def test_europresse_export():
    articles, manifest = ingest([FIXTURES / "europresse_export.html"])
    assert [a.outlet for a in articles] == ["Le Journal de l'Est", "La Gazette du Matin"]
    assert [a.date for a in articles] == ["2022-03-15", "2023-04-02"]
    assert articles[0].title == "Des familles ukrainiennes accueillies à Colmar"
    assert "« Nous ferons tout pour les aider »" in articles[0].text
    assert articles[0].article_id == "news·20220315·EST·0001"
    assert statuses(manifest) == ["kept", "kept", "skipped"]


def test_saved_web_page_main_text():
    articles, _ = ingest([FIXTURES / "saved_page.html"])
    article = articles[0]
    assert "nouvelles sanctions" in article.text
    assert "Abonnez-vous" not in article.text and "Mentions légales" not in article.text
    assert article.date == "2022-02-26"


# --- bad input: skipped with a reason, never lost -----------------------------------------------


def test_bad_records_are_skipped_with_reasons(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok", "text": FRENCH}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "notext"}),
        json.dumps({"id": "en", "text": ENGLISH}),
        json.dumps({"id": "ok", "text": FRENCH_2}),  # duplicated id, other text: kept, renamed
        json.dumps({"id": "dup", "text": FRENCH}),  # same text, same (no) outlet: duplicate
        json.dumps({"id": "num", "text": 42}),
        json.dumps({"id": "long", "text": FRENCH * 50}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, manifest = ingest([path], IngestOptions(max_chars=2000))
    assert [a.article_id for a in articles] == ["ok", "ok~2"]
    assert "duplicate_id" in articles[1].flags
    reasons = {e.record: (e.status, e.reason) for e in manifest.entries}
    assert reasons[2][1].startswith("invalid JSON")
    assert reasons[3][1] == "JSON value is a list, not an object"
    assert reasons[4][1] == "empty text"
    assert reasons[5][1] == "no text field"
    assert reasons[6][1].startswith("language en")
    assert reasons[8][0] == "duplicate"
    assert reasons[9][1] == "text field is a int, not a string"
    assert reasons[10][1].startswith("too long")
    assert manifest.counts() == {"records": 10, "kept": 2, "skipped": 7, "duplicate": 1}


def test_binary_and_empty_files_are_skipped(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    articles, manifest = ingest([tmp_path])
    assert articles == []
    assert sorted(e.reason for e in manifest.entries) == [
        "binary content (NUL bytes or mostly control characters)",
        "empty file",
        "empty file",
    ]


def test_missing_path_raises():
    with pytest.raises(InputNotFoundError, match="no such file"):
        ingest([Path("/nonexistent/corpus.jsonl")])


def test_cross_outlet_copies_kept_and_near_duplicates_flagged(tmp_path):
    long_text = (FRENCH + FRENCH_2) * 3
    near = long_text.replace("jeudi", "vendredi", 1)
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": "a", "text": long_text, "outlet": "A"},
            {"id": "b", "text": long_text, "outlet": "B"},
            {"id": "c", "text": near, "outlet": "C"},
            {"id": "d", "text": long_text, "outlet": "A"},
        ],
    )
    articles, manifest = ingest([path])
    by_id = {a.article_id: a for a in articles}
    assert by_id["b"].copy_of == "a"
    assert by_id["c"].near_duplicate_of == "a"
    assert manifest.entries[3].status == "duplicate" and manifest.entries[3].duplicate_of == "a"


# --- property-based: random bytes and random JSON ----------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_and_are_accounted_for(tmp_path, data):
    for suffix in (".txt", ".jsonl", ".csv", ".html"):
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        try:
            records = list(iter_records([path]))
        except BadInputError:
            continue  # the documented error for an unusable file (e.g. CSV without text column)
        manifest = Manifest()
        articles = list(iter_articles(records, manifest))
        assert manifest.counts()["records"] == len(records)
        assert manifest.counts()["kept"] == len(articles)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
records_strategy = st.lists(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"text": st.sampled_from([FRENCH, FRENCH_2, "", ENGLISH])},
            optional={"id": json_values, "date": json_values, "outlet": json_values},
        ),
    ),
    max_size=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records_strategy)
def test_random_json_lines_are_all_accounted_for(tmp_path, rows):
    path = tmp_path / "random.jsonl"
    lines = [json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    manifest = Manifest()
    articles = list(iter_articles(iter_records([path]), manifest))
    counts = manifest.counts()
    assert counts["records"] == len(rows)
    assert counts["kept"] + counts["skipped"] + counts["duplicate"] == len(rows)
    assert counts["kept"] == len(articles)
    assert len({a.article_id for a in articles}) == len(articles)
