"""
A bound for a paper, with its LaTeX and assumptions
===================================================

Every bound calculator of aligntheory returns a `Bound`: a number that also carries its kind
(upper, lower, exact, asymptotic, estimate), the quantity it bounds, the assumptions under which
it holds, its source and its provenance tag ([V] verbatim from the paper, [S] secondary source,
[R] our reconstruction, [M] standard mathematics). This example computes the sample size that
the finite-class generalisation bound (G1 of the social-choice pillar) asks for, prints what you
would paste into a paper, and contrasts it with a reconstructed [R] quantity of the IBN pillar.
"""

import matplotlib.pyplot as plt
import numpy as np

from aligntheory.config import configure
from aligntheory.theory.ibn import StructuralFunction, chain_tree_ratio
from aligntheory.theory.social_choice import finite_class_deviation, finite_class_sample_size

configure()  # float64 everywhere: the numerics the tests use


# %%
# How many (individual, issue) samples make the empirical welfare of every one of 101 candidate
# policies eps-close to its population welfare, with probability 0.95?
n_needed = finite_class_sample_size(0.05, 101, 0.05)
print(n_needed.describe())

# %%
# A `Bound` behaves as its number ...
print("as an int:", int(n_needed), "| doubled:", 2 * n_needed)

# %%
# ... and carries the formula it came from, as a sympy expression and as LaTeX for the paper:
print("sympy:", n_needed.sympy())
print("LaTeX:", n_needed.latex())

# %%
# and the conditions under which it holds (write these next to the number in your paper):
for assumption in n_needed.assumptions:
    print("-", assumption)
print("source:", n_needed.source, n_needed.where, "| provenance tag:", n_needed.provenance)

# %%
# The deviation bound itself shrinks as $N^{-1/2}$. We plot it against the sample size,
# with the sample size computed above marked.

sizes = np.unique(np.logspace(2, 5, 40).astype(int))
eps = [float(finite_class_deviation(int(n), 101, 0.05)) for n in sizes]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(sizes, eps, label="G1 deviation bound, |F| = 101, delta = 0.05")
ax.axhline(0.05, color="grey", lw=0.8, ls=":")
ax.axvline(int(n_needed), color="C3", lw=0.8, ls="--", label=f"N = {int(n_needed)} gives eps <= 0.05")
ax.set_xlabel("sample size N")
ax.set_ylabel("eps (upper bound)")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# A reconstruction is labelled as one. The chain-vs-tree ratio of the IBN pillar is a property
# of OUR mechanism model of the paper's headline, not the paper's theorem: its `Bound` says so
# with the tag ``R`` and the kind ``asymptotic``.

ratio = chain_tree_ratio(1e4, StructuralFunction("poly", 1.0, 1.0), 0.0)
print(ratio.describe())
print("LaTeX:", ratio.latex())

# %%
# Whether the exact posterior variances of simulated chain and tree datasets follow this model is
# a separate, registered claim (``aligntheory verify --claim ibn.mechanism_ratio_vs_simulation``):
# a hypothesis about our model, which the simulation decides.
