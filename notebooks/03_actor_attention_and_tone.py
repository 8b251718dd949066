# %% [markdown]
# # 03 · How much, and how, does each outlet talk about each actor?
#
# Two questions per outlet: **attention** (the share of its articles that mention the actor) and
# **tone** (the mean stance of the sentences toward the actor, from −1 to +1). Every estimate
# comes with a 95% interval from a bootstrap over articles: with few articles an outlet's dot
# can move a lot, and the interval shows how much.

# %% tags=["parameters"]
corpus = "demo"  # "demo" = the bundled corpus; otherwise paths separated by commas
tables_dir = None  # where the pipeline's tables go (None = data/processed/demo)
outlets = []  # [] keeps every outlet
date_from = None  # ISO date, e.g. "2022-02-24"
date_to = None
actors = ["USA", "RUSSIA", "UKRAINE", "NATO"]
figures_dir = None  # None = reports/figures
n_boot = 1000

# %%
from pathlib import Path

from analysis import config
from analysis.bias import compute_metrics
from analysis.explore import filter_tables, load_or_run, sentences_behind
from analysis.plots import plot_attention, plot_tone, plot_tone_over_time, save_figure

tables = filter_tables(load_or_run(corpus, tables_dir, n_boot=n_boot), outlets, date_from, date_to)
metrics = compute_metrics(tables, n_boot=n_boot)
metrics = metrics[metrics["actor"].isin(actors)]
figures = Path(figures_dir) if figures_dir else config.FIGURES_DIR

# %% [markdown]
# ## Attention
#
# Media Cloud's "attention share": an article counts once however often it names the actor.

# %%
fig = plot_attention(metrics)
save_figure(fig, "03_attention", figures);

# %% [markdown]
# ## Tone toward each actor
#
# The score of each (sentence, actor) pair comes from the default targeted-stance method; the
# dot is the outlet's mean, the bar its 95% interval. A dot left of the dashed line means the
# outlet's sentences present the actor unfavourably on average.

# %%
fig = plot_tone(metrics)
save_figure(fig, "03_tone", figures);

# %%
metrics.query("metric == 'tone_mean' and period == 'all'")[
    ["outlet", "actor", "value", "ci_low", "ci_high", "n"]
].round(3)

# %% [markdown]
# ## Over time

# %%
fig = plot_tone_over_time(metrics)
save_figure(fig, "03_tone_over_time", figures);

# %% [markdown]
# ## The sentences behind a bar
#
# Every number can be traced back to sentences and their evidence words. Here, the most negative
# sentences about the first actor of the list.

# %%
sentences_behind(tables, actors[0], label="negative", limit=8)

# %% [markdown]
# In JupyterLab, pick an actor and a label to list other sentences (the static report shows the
# table above only).

# %%
import ipywidgets as widgets

widgets.interact(
    lambda actor, label: sentences_behind(tables, actor, label=label or None, limit=10),
    actor=actors,
    label=["", "negative", "neutral", "positive"],
);
