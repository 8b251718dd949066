# %% [markdown]
# # 01 · One article, step by step: who is named, who speaks, and how each actor is presented
#
# The toolkit started from one article: a French news article of April 2021 about the Russian
# troop build-up near Ukraine, machine-translated from Italian. We follow it through every stage
# of the analysis, and see why a single sentiment score per sentence cannot say how the article
# treats Russia, Ukraine, the USA and NATO.

# %% tags=["parameters"]
corpus = "demo"  # unused here: this notebook reads the seed article only
article_path = None  # None = the seed article in ../shared/seed
article_date = "2021-04-14"

# %%
from IPython.display import HTML, display

from analysis import config
from analysis.actors import detect_mentions, load_registry
from analysis.cleaning import clean_text, masked_number_spans
from analysis.corpus import ingest
from analysis.explore import highlight_html
from analysis.nlp import load_nlp
from analysis.quotes import extract_quotes
from analysis.sentences import segment_doc

articles, manifest = ingest([article_path or config.SEED_ARTICLE])
article = articles[0]
manifest.counts()

# %% [markdown]
# ## 1. Cleaning
#
# Machine translation left traces: numbers masked as **XNUMX** ("100 XNUMX unités" was
# "100 000"), quotation marks glued to words (`direct"Avec`), a misspelled name
# (*Stoltemberg*). Cleaning normalises apostrophes, quotes and spaces, adds the missing spaces
# around quotation marks, and **flags** XNUMX instead of reading it as a word. Every offset can
# be mapped back to the original text.

# %%
print(article.flags)
[article.text[start - 8 : end + 8] for start, end in masked_number_spans(article.text)]

# %% [markdown]
# **Exercise 1.** Why keep "XNUMX" in the text instead of deleting it? (Think of offsets and of
# what a reader of the output needs to see.)
#
# <details><summary>Solution</summary>
#
# Deleting it would shift every later offset and hide from the reader that a number was there.
# Kept and flagged, it stays visible, the spans stay true, and the stance methods ignore it.
# </details>

# %% [markdown]
# ## 2. Sentences
#
# French news breaks naive sentence splitters at quotation marks. The project's rules keep
# `"La Russie ne pourra plus surprendre personne, l'Ukraine ... vigilants", le ministre ...`
# in one sentence and split the two-sentence quote of the Russian defence minister in two.

# %%
nlp = load_nlp()
doc = nlp(article.text)
sentences = segment_doc(article.article_id, doc)
len(sentences), [s.text[:60] for s in sentences[:4]]

# %% [markdown]
# ## 3. Who is named?
#
# Actors are found however the article names them: countries ("les États-Unis"), capitals and
# metonyms ("Moscou", "le Kremlin"), role phrases ("le locataire du Kremlin"), people in their
# role at the article's date (Blinken, Kouleba, Stoltenberg even misspelled), and adjectives that
# point at a state's forces ("les troupes régulières ukrainiennes").

# %%
registry = load_registry()
mentions = detect_mentions(doc, article_id=article.article_id, date=article_date,
                           registry=registry)
import pandas as pd

mention_table = pd.DataFrame(mentions)
mention_table[["sent_idx", "surface", "actor", "kind", "match"]].head(12)

# %%
mention_table.groupby("actor").size()

# %% [markdown]
# ## 4. Who speaks?
#
# Quotations and their speakers, mapped to actors. The two analysts quoted by the article belong
# to no actor.

# %%
quotes = extract_quotes(doc, article_id=article.article_id, date=article_date,
                        registry=registry, mentions=mentions)
quote_table = pd.DataFrame(quotes)
quote_table[["kind", "speaker", "speaker_actor", "text"]]

# %% [markdown]
# The article with mentions coloured by actor and quotations shaded (hover for details):

# %%
display(HTML(highlight_html(article.text, mention_table, quote_table)))

# %% [markdown]
# ## 5. One score per sentence, or one per actor?
#
# textblob-fr gives one polarity per sentence. Its lexicon knows few conflict words
# ("menaces", "provocations", "déstabiliser" score 0), and a sentence that blames Russia and
# defends Ukraine gets one number for both. The targeted method scores each (sentence, actor)
# pair and shows its evidence words.

# %%
from analysis.dyads import build_dyads
from analysis.framing import polarity
from analysis.stance import load_scorer

scorer = load_scorer()
targets = pd.DataFrame(scorer.score_doc(doc, article_id=article.article_id, date=article_date,
                                        mentions=mentions, quotes=quotes))
targets["textblob_sentence"] = [polarity(sentences[i].text) for i in targets["sent_idx"]]
targets[["sent_idx", "actor", "label", "score", "textblob_sentence", "evidence"]]

# %% [markdown]
# **Exercise 2.** Find the sentence "La Russie est également accusée de soutenir militairement
# les miliciens séparatistes ...". What does textblob-fr say, and what does the targeted method
# say about RUSSIA and about UKRAINE? Why?
#
# <details><summary>Solution</summary>
#
# textblob-fr sees no polar word it knows and returns about 0 for the whole sentence. The
# targeted method reads "est accusée de" with RUSSIA as the subject of the passive: RUSSIA is
# negative, with "accusée" as evidence; the Ukrainian troops are the ones attacked, a neutral or
# sympathetic mention.
# </details>

# %% [markdown]
# ## 6. Who says what about whom
#
# A quotation by a speaker of actor A about actor B gives a dyad A → B: here NATO's secretary
# general about Russia, the Russian defence minister about NATO, Biden about Ukraine.

# %%
dyads = pd.DataFrame(build_dyads(scorer.score_doc(doc, article_id=article.article_id,
                                                  date=article_date, mentions=mentions,
                                                  quotes=quotes), quotes, "seed article"))
dyads[dyads["source_kind"] == "speaker"][["source", "target", "label", "score", "evidence"]]

# %% [markdown]
# **Exercise 3.** The headline "Crise ukrainienne, Biden appelle Poutine" names three actors.
# Which stance would you give each, and does the tool agree?
#
# <details><summary>Solution</summary>
#
# A call and an offer to meet is an offer of dialogue: positive toward the actor who offers it
# (USA, through Biden) by the guidelines; Russia (Poutine) and Ukraine (the setting) are neutral.
# Compare with the rows of sentence 17 above.
# </details>
