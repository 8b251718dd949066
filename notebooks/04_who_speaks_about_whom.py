# %% [markdown]
# # 04 · Who is quoted, and what do they say about whom?
#
# Media bias is largely about whose voice a text carries. **Share of voice** counts the
# quotations of each actor's speakers; the **dyads** say what each source (a quoted speaker's
# actor, or the outlet itself in its own sentences) says about each target actor.

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

import matplotlib.pyplot as plt
import networkx as nx

from analysis import config
from analysis.bias import compute_metrics, dyad_matrix
from analysis.explore import filter_tables, load_or_run
from analysis.plots import actor_color, plot_dyad_heatmap, plot_share_of_voice, save_figure

tables = filter_tables(load_or_run(corpus, tables_dir, n_boot=n_boot), outlets, date_from, date_to)
metrics = compute_metrics(tables, n_boot=n_boot)
figures = Path(figures_dir) if figures_dir else config.FIGURES_DIR

# %% [markdown]
# ## Share of voice

# %%
fig = plot_share_of_voice(metrics)
save_figure(fig, "04_share_of_voice", figures);

# %% [markdown]
# ## Who says what about whom
#
# Only quotations by a speaker of one actor about another actor, plus the outlets' own
# sentences, enter the matrix; the number of pairs behind each cell is printed in it.

# %%
speaker_dyads = tables["dyads"][tables["dyads"]["source_kind"] == "speaker"]
matrix = dyad_matrix(speaker_dyads)
fig = plot_dyad_heatmap(matrix)
save_figure(fig, "04_dyads", figures);

# %%
matrix

# %% [markdown]
# ## The same as a network
#
# Arrows go from the speaker's actor to the actor spoken about; green is favourable, red
# unfavourable, the width is the number of pairs.

# %%
graph = nx.DiGraph()
value_column = "score_mean" if "score_mean" in matrix else "value"
for row in matrix.itertuples():
    graph.add_edge(row.source, row.target, score=getattr(row, value_column), n=row.n)
fig, ax = plt.subplots(figsize=(6, 5))
if graph.number_of_edges():
    layout = nx.circular_layout(sorted(graph.nodes))
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=1600,
                           node_color=[actor_color(n) for n in graph.nodes])
    nx.draw_networkx_labels(graph, layout, ax=ax, font_size=8)
    edges = list(graph.edges(data=True))
    nx.draw_networkx_edges(
        graph, layout, ax=ax, edgelist=[(a, b) for a, b, _ in edges],
        edge_color=[d["score"] for _, _, d in edges], edge_cmap=plt.cm.RdYlGn, edge_vmin=-1,
        edge_vmax=1, width=[1 + min(d["n"], 10) for _, _, d in edges],
        connectionstyle="arc3,rad=0.15", arrows=True)
ax.set_axis_off()
fig.text(0.01, 0.0, "Quoted speakers' stance toward other actors (colour: mean score; width: "
         "number of pairs, capped at 10).", fontsize=8)
save_figure(fig, "04_dyad_network", figures);
