"""
A leaderboard with intervals
============================

`leaderboard` ranks models from pairwise battles (Chatbot-Arena records ``model_a``, ``model_b``,
``winner``) with a Bradley--Terry model: maximum-likelihood ratings on the Elo scale, Fisher
standard errors, bootstrap percentile intervals, ranks that only separate models whose intervals
do not overlap, a tie model (here Davidson's), and the battles that would shrink the intervals
most. Here on the synthetic battles file shipped with aligntheory (2400 battles); pass your own
JSON Lines file, list of dicts or DataFrame instead.
"""

import matplotlib.pyplot as plt
import numpy as np

from aligntheory.analysis.arena import EXAMPLE_BATTLES_PATH, leaderboard, next_comparisons
from aligntheory.config import configure

configure()


lb = leaderboard(EXAMPLE_BATTLES_PATH, ties="davidson", n_bootstrap=100, seed=0)
print(f"{lb.n_battles} battles ({lb.n_ties} ties) between {lb.n_models} models; fit: {lb.result.name}")
for m, r, lo, hi, k in zip(lb.models, lb.rating, lb.ci_low, lb.ci_high, lb.rank):
    print(f"{k:>2}  {m:<22} {r:8.1f}   95% interval [{lo:7.1f}, {hi:7.1f}]")

# %%
# The tie parameter of the Davidson model, with its Fisher standard error, and a predicted
# head-to-head probability:
print("Davidson nu:", round(lb.tie_parameter, 4), "+/-", round(lb.tie_parameter_stderr, 4))
a, b = lb.models[0], lb.models[1]
print(f"P({a} beats {b}) = {lb.win_probability(a, b):.3f}")

# %%
# A forest plot: each model's rating with its bootstrap interval. The rank printed on the left
# is 1 + the number of models whose interval lies entirely above this model's: models whose
# intervals overlap share ranks.

y = np.arange(lb.n_models)[::-1]
fig, ax = plt.subplots(figsize=(6.5, 0.42 * lb.n_models + 1.2))
ax.hlines(y, lb.ci_low, lb.ci_high, color="C0", lw=2)
ax.plot(lb.rating, y, "o", color="C0")
ax.set_yticks(y, [f"{k}. {m}" for m, k in zip(lb.models, lb.rank)])
ax.set_xlabel(f"rating ({lb.scale} scale), 95% bootstrap interval")
ax.set_title("leaderboard (Davidson ties)")
fig.tight_layout()

# %%
# Which battles to run next: a greedy A-optimal design that shrinks the variance of the
# differences between adjacent-ranked models the most (the variance of a difference is an
# effective resistance of the comparison graph, see the IBN pillar).
nxt = next_comparisons(lb, 3)
print("next battles:", nxt.pairs)
