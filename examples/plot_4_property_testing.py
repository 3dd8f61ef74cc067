"""
Property-testing your own aggregation rule or estimator
=======================================================

`aligntheory.testing` ships the hypothesis strategies the library tests itself with:
`strict_order_profiles` (rankings, best first), `connected_weighted_graphs`,
`comparison_datasets` (aggregated pairwise comparisons), `tournaments`, `finite_instances`,
`pair_weights` and `log_uniform`. Use them to test code of your own against properties and
against aligntheory's exact implementations. Install them with the ``testing`` extra.

The examples below call the test functions directly; in a test suite you would let pytest
collect them.
"""

import numpy as np
from hypothesis import find, given, settings

from aligntheory.config import configure
from aligntheory.numerics import fit_bradley_terry
from aligntheory.testing import comparison_datasets, strict_order_profiles
from aligntheory.theory.social_choice import borda_winners

configure()


# %%
# Your own aggregation rule
# -------------------------
# Say you wrote Borda with numpy: a candidate ranked at position r (0 = best) of m gets m - 1 - r
# points, and the winners are the candidates with the most points.


def my_borda(profile: np.ndarray) -> tuple[int, ...]:
    n_voters, m = profile.shape
    points = np.zeros(m)
    for ranking in profile:
        points[ranking] += np.arange(m - 1, -1, -1)
    return tuple(int(c) for c in np.flatnonzero(points == points.max()))


# %%
# Test it against aligntheory's exact rule (an independent implementation) and against a
# property every positional rule has (neutrality: relabelling the candidates relabels the
# winners).


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(strict_order_profiles(max_voters=7, max_candidates=5))
def test_my_borda(profile):
    assert my_borda(profile) == tuple(borda_winners(profile))
    relabel = np.roll(np.arange(profile.shape[1]), 1)  # candidate c becomes relabel[c]
    assert my_borda(relabel[profile]) == tuple(sorted(int(relabel[c]) for c in my_borda(profile)))


test_my_borda()
print("my_borda agrees with aligntheory's borda_winners on 200 random profiles, and is neutral")

# %%
# A rule that breaks ties by candidate number is not neutral. Hypothesis finds (and shrinks)
# a profile showing it:


def resolute_plurality(profile: np.ndarray) -> int:
    return int(np.argmax(np.bincount(profile[:, 0], minlength=profile.shape[1])))


def not_neutral(profile: np.ndarray) -> bool:
    relabel = np.roll(np.arange(profile.shape[1]), 1)
    return resolute_plurality(relabel[profile]) != relabel[resolute_plurality(profile)]


counterexample = find(strict_order_profiles(max_voters=5, max_candidates=4), not_neutral,
                      settings=settings(database=None, derandomize=True))
print("profile (one ranking per row, best first):")
print(counterexample)
print("winner:", resolute_plurality(counterexample), "| winner after relabelling c -> c + 1:",
      resolute_plurality(np.roll(np.arange(counterexample.shape[1]), 1)[counterexample]))

# %%
# Your own estimator
# ------------------
# Say you fit Bradley--Terry scores with the classical minorise--maximise iteration (Zermelo's,
# Hunter 2004). Test it against aligntheory's Newton / Newman fitter on random comparison
# datasets whose maximum-likelihood estimate exists (strongly connected beats graph).


def my_bt(n_items, edges, wins, K, iters=20000, tol=1e-12):
    w = np.zeros((n_items, n_items))
    np.add.at(w, (edges[:, 0], edges[:, 1]), wins)
    np.add.at(w, (edges[:, 1], edges[:, 0]), K - wins)
    n = w + w.T  # comparisons per pair
    p = np.ones(n_items)
    for _ in range(iters):
        new = w.sum(axis=1) / (n / (p[:, None] + p[None, :])).sum(axis=1)
        new /= np.exp(np.log(new).mean())
        if np.max(np.abs(np.log(new) - np.log(p))) < tol:
            break
        p = new
    r = np.log(new)
    return r - r.mean()


@settings(max_examples=40, deadline=None, database=None, derandomize=True)
@given(comparison_datasets(max_items=6, strongly_connected=True))
def test_my_bt(data):
    n, edges, wins, K = data
    pairs = np.concatenate([np.repeat(edges, wins.astype(int), axis=0),
                            np.repeat(edges[:, ::-1], (K - wins).astype(int), axis=0)])
    ref = fit_bradley_terry(pairs, n_items=n).scores
    ours = my_bt(n, edges, wins, K)
    assert np.max(np.abs(ours - (ref - ref.mean()))) <= 1e-6, (ours, ref)


test_my_bt()
print("my_bt agrees with aligntheory.numerics.fit_bradley_terry to 1e-6 on 40 random datasets")
