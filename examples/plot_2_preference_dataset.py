"""
A preference dataset analysed
=============================

`analyse_preferences` reads pairwise preference records (TRL-style ``prompt`` / ``chosen`` /
``rejected``, or Chatbot-Arena battles), builds the dataset's comparison graph (the induced
Bayesian network of the IBN pillar), reports its structure and the exact inference distances
between responses (effective resistances: the posterior variance of a reward difference), fits
Bradley--Terry scores with standard errors, and says how many more comparisons would bring the
typical inference distance down to a target. Here on the small file shipped with aligntheory
(46 records over 8 prompts); pass your own JSON Lines, JSON, CSV or Parquet file, a list of
dicts or a pandas DataFrame instead.
"""

import matplotlib.pyplot as plt
import numpy as np

from aligntheory.analysis.ibn import EXAMPLE_PATH, analyse_preferences, load_records
from aligntheory.config import configure

configure()


print(load_records(EXAMPLE_PATH)[0])  # one record

a = analyse_preferences(EXAMPLE_PATH, target_variance=1.0, seed=0)

# %%
# The structure of the comparison graph: how many responses and prompts, how the comparisons
# of each prompt are laid out (chains, trees), and its cycles.
print(f"{a.n_records} records, {a.n_nodes} responses, {a.n_prompts} prompts, "
      f"{len(a.components)} connected components")
print("structure:", a.structure, a.structure_fractions)
print("cyclomatic number:", a.cyclomatic_number)

# %%
# Inference distances: the effective resistance between compared responses and between sampled
# pairs of responses of the same component (quantiles). A distance is the variance of the
# estimated reward difference, in units of the comparison variance.
print("R_eff on compared pairs:", {k: round(v, 3) for k, v in a.reff_edges.items()})
print("R_eff on sampled pairs: ", {k: round(v, 3) for k, v in a.reff_pairs.items()})
print(f"to bring the 90% quantile down to 1.0: repeat every comparison "
      f"{a.recommended_multiplier:.2f} times (~{a.recommended_comparisons:.0f} comparisons)")

# %%
# Bradley--Terry scores are comparable only within a connected component of the comparison
# graph. We plot the scores of the largest component with 95% intervals; items whose score comes
# from the prior alone (no maximum-likelihood estimate exists for them) are drawn hollow.

largest = max(a.components, key=len)
idx = np.array(sorted(largest, key=lambda i: -a.scores[i]))
labels = [a.labels[i][:40] + ("..." if len(a.labels[i]) > 40 else "") for i in idx]
fig, ax = plt.subplots(figsize=(7, 0.5 * len(idx) + 1.2))
y = np.arange(len(idx))[::-1]
for yi, i in zip(y, idx):
    ax.errorbar(a.scores[i], yi, xerr=1.96 * a.stderr[i], fmt="o", color="C0",
                mfc="white" if a.prior_only[i] else "C0", capsize=3)
ax.set_yticks(y, labels, fontsize=8)
ax.set_xlabel("Bradley-Terry score (natural log-odds, centred)")
ax.set_title("largest component: scores with 95% intervals")
fig.tight_layout()

# %%
# Everything above, as a JSON-ready dictionary (what ``aligntheory ibn analyse FILE --out DIR``
# writes, with a plot and a report):
summary = a.to_dict()
print(sorted(summary)[:12], "...")
