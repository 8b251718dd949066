# %% [markdown]
# # 05 · Is an outlet harsher on one side than on the other?
#
# **Asymmetry** is the tone toward one actor minus the tone toward its counterpart (Russia vs
# Ukraine, USA vs Russia) within one outlet. Differences between outlets are tested with a
# permutation test over articles, corrected for multiple comparisons (Holm), and given an effect
# size, so that a chart never shows noise as a difference without saying so.

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
from analysis.bias import compute_comparisons, compute_metrics
from analysis.explore import filter_tables, load_or_run, most_loaded
from analysis.plots import plot_asymmetry, plot_framing, save_figure

tables = filter_tables(load_or_run(corpus, tables_dir, n_boot=n_boot), outlets, date_from, date_to)
metrics = compute_metrics(tables, n_boot=n_boot)
comparisons = compute_comparisons(tables)
figures = Path(figures_dir) if figures_dir else config.FIGURES_DIR

# %% [markdown]
# ## Asymmetry per outlet

# %%
fig = plot_asymmetry(metrics)
save_figure(fig, "05_asymmetry", figures);

# %% [markdown]
# ## Differences between outlets
#
# `significant` is decided after the Holm correction; with few articles per outlet almost
# nothing is, and that is the honest answer.

# %%
comparisons.head(20)

# %% [markdown]
# ## Framing: conflict or cooperation?

# %%
fig = plot_framing(metrics[metrics["actor"].isin(actors)])
save_figure(fig, "05_framing", figures);

# %% [markdown]
# ## The most loaded sentences of each outlet, with their evidence words

# %%
for outlet in sorted(tables["articles"]["outlet"].dropna().unique())[:6]:
    print(outlet)
    display(most_loaded(tables, outlet, limit=3))
