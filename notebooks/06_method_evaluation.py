# %% [markdown]
# # 06 · How good is the stance measurement, and where does it fail?
#
# Three methods label each (sentence, actor) pair: the **textblob-fr baseline** (one polarity per
# sentence, given to every actor), the **lexicon and syntax** rules, and a **supervised model**.
# We compare them on the team's annotated sentences: cross-validated on the training files, and
# on the frozen test files, written by other annotators and never used to tune anything.

# %% tags=["parameters"]
corpus = "demo"  # unused: the evaluation reads data/annotations/targets
split = "test"  # the frozen test files; "train" shows the cross-validation only
figures_dir = None  # None = reports/figures

# %%
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.evaluation.targets import (
    LABELS,
    evaluate,
    format_report,
    parsed_split,
    predict_pairs,
)
from analysis.plots import plot_confusion, save_figure
from analysis.stance import load_scorer

figures = Path(figures_dir) if figures_dir else config.FIGURES_DIR
available = sorted(p.stem for p in (config.ANNOTATION_DIR / "targets").glob("test*.jsonl"))
split = split if available or split == "train" else "train"
print(f"evaluating on: {split}; test files present: {available or 'none yet'}")

# %%
result = evaluate(split)
print(format_report(result))

# %% [markdown]
# ## Confusion matrices
#
# Rows are the annotators' labels, columns the method's. A method that says "neutral" to
# everything fills the middle column: that is textblob-fr's typical failure on conflict news,
# whose words (menace, provocation, déstabiliser) its lexicon does not know.

# %%
for method, figures_of_method in result["methods"].items():
    matrix = pd.DataFrame(figures_of_method["confusion"], index=LABELS, columns=LABELS)
    fig = plot_confusion(matrix, f"{method} ({split})")
    save_figure(fig, f"06_confusion_{method}", figures)

# %% [markdown]
# ## Error analysis: where the default method and the annotators disagree
#
# Each row is a (sentence, actor) pair; `rules` shows why the method decided as it did.

# %%
parsed = parsed_split(split)
scorer = load_scorer()
rows = []
for row, doc, mentions, quotes in parsed:
    found = {t.actor: t for t in scorer.score_doc(doc, row["id"], row.get("date"), mentions,
                                                  quotes)}
    for actor, gold in sorted(row["labels"].items()):
        target = found.get(actor)
        predicted = target.label if target else "neutral (actor not found)"
        if not predicted.startswith(gold):
            rows.append({"gold": gold, "predicted": predicted, "actor": actor,
                         "rules": "; ".join(target.rules) if target else "",
                         "text": row["text"]})
errors = pd.DataFrame(rows)
print(f"{len(errors)} disagreements")
errors.groupby(["gold", "predicted"]).size().sort_values(ascending=False).head(8)

# %%
pd.set_option("display.max_colwidth", 160)
errors.head(12)

# %% [markdown]
# **Reading the errors.** Most disagreements are sentences whose evaluation is carried by words
# the lexicon does not list or by constructions the parse does not link to the actor; the model
# learns some of them from the training sentences. The figures above are what a user should
# expect on text like the annotated set; real news from other outlets may differ.

# %%
gold, predicted, missed = predict_pairs(load_scorer("baseline"), parsed)
pd.crosstab(pd.Series(gold, name="gold"), pd.Series(predicted, name="baseline"))
