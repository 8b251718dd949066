"""Notebooks: paired with their percent scripts, committed without outputs, parametrised.

They are executed by ``make test`` (``pytest --nbmake notebooks``) and by the report build.
"""

from __future__ import annotations

import json

import jupytext
import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_the_six_notebooks_exist():
    names = [path.stem for path in NOTEBOOKS]
    assert names == ["01_seed_article", "02_corpus_overview", "03_actor_attention_and_tone",
                     "04_who_speaks_about_whom", "05_outlet_bias", "06_method_evaluation"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_matches_its_percent_script(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{script.name} missing: run `jupytext --sync {path.name}`"
    from_script = jupytext.read(script)
    from_notebook = jupytext.read(path)
    sources = [(c.cell_type, c.source.strip()) for c in from_script.cells]
    assert sources == [(c.cell_type, c.source.strip()) for c in from_notebook.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_a_papermill_parameters_cell(path):
    notebook = jupytext.read(path)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert "corpus" in tagged[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_function(path):
    """A ``def`` in a notebook means the code belongs in the package, with a test."""
    notebook = jupytext.read(path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert "\ndef " not in "\n" + cell.source
