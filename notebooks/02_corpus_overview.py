# %% [markdown]
# # 02 · What is in the corpus?
#
# Before measuring anything, we check what we measure on: how many articles per outlet and over
# time, how long they are, which languages, which duplicates, and what the ingestion skipped and
# why. A surprising count here explains a surprising chart later.

# %% tags=["parameters"]
corpus = "demo"  # "demo" = the bundled corpus; otherwise paths separated by commas
tables_dir = None  # where the pipeline's tables go (None = data/processed/demo)
outlets = []  # [] keeps every outlet
date_from = None  # ISO date, e.g. "2022-02-24"
date_to = None
figures_dir = None  # None = reports/figures
n_boot = 1000

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns

from analysis import config
from analysis.explore import filter_tables, load_or_run
from analysis.plots import save_figure

tables = filter_tables(load_or_run(corpus, tables_dir, n_boot=n_boot), outlets, date_from, date_to)
articles = tables["articles"]
figures = Path(figures_dir) if figures_dir else config.FIGURES_DIR

# %% [markdown]
# ## Validation first: every input record is accounted for
#
# The manifest lists each input record as kept, skipped (with its reason) or duplicate. The
# counts must add up to the number of records read.

# %%
manifest_path = Path(tables_dir or config.PROCESSED_DIR / "demo") / "manifest.json"
manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
counts = manifest["counts"]
assert counts["kept"] + counts["skipped"] + counts["duplicate"] == counts["records"]
counts, manifest["skip_reasons"]

# %% [markdown]
# ## Articles per outlet

# %%
per_outlet = articles.groupby("outlet", dropna=False).size().rename("articles").sort_values()
fig, ax = plt.subplots(figsize=(8, 0.4 + 0.35 * len(per_outlet)))
per_outlet.plot.barh(ax=ax, color="#555")
ax.set_xlabel("articles kept")
ax.set_ylabel("")
fig.text(0.01, 0.0, "Articles kept per outlet after cleaning and deduplication.", fontsize=8)
save_figure(fig, "02_articles_per_outlet", figures);

# %% [markdown]
# ## Over time and length
#
# Articles without a date are counted apart: they cannot enter the time series.

# %%
dated = articles.dropna(subset=["date"]).assign(month=lambda t: t["date"].str[:7])
print(f"{len(articles) - len(dated)} articles without a date")
dated.groupby(["month", "outlet"]).size().unstack(fill_value=0)

# %%
lengths = articles.assign(characters=articles["text"].str.len())
fig, ax = plt.subplots(figsize=(8, 3))
sns.histplot(lengths, x="characters", bins=30, ax=ax, color="#555")
ax.set_xscale("log")
fig.text(0.01, 0.0, "Article length in characters (log scale), after cleaning.", fontsize=8)
save_figure(fig, "02_article_lengths", figures);

# %% [markdown]
# ## Languages, duplicates and flags
#
# `copy_of`: the same text published by another outlet (kept: each outlet did publish it);
# `near_duplicate_of`: almost the same text; flags such as `masked_numbers` (the
# machine-translation artifact "XNUMX") or `encoding:cp1252`.

# %%
summary = {
    "languages": articles["lang"].value_counts().to_dict(),
    "copies across outlets": int(articles["copy_of"].notna().sum()),
    "near-duplicates": int(articles["near_duplicate_of"].notna().sum()),
    "flags": articles["flags"].str.split(";").explode().replace("", None).dropna()
    .value_counts().to_dict(),
}
summary

# %% [markdown]
# ## What the manifest skipped

# %%
skipped = [r for r in manifest["records"] if r["status"] != "kept"]
skipped[:20]
