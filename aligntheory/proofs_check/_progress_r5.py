"""Round-5 claims (issue 11): pins found by the second fresh mutation sample (docs/mutation-report/fresh-r4)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []


def _lagrange_weights(k: int, m: int) -> list[Fraction]:
    """l_j(k + m) = prod_{i != j} (k + m - i) / (j - i), nodes 0..k, in exact rationals (written here)."""
    return [math.prod((Fraction(k + m - i, j - i) for i in range(k + 1) if i != j), start=Fraction(1))
            for j in range(k + 1)]


@claim(
    id="progress.vote_simulation_exact_parts",
    statement="simulate_vote_extrapolation draws independent votes with P(+1) = (1 + mu_s)/2: a step with mu = -1 "
    "votes -1 in every pair and a step with mu = +1 votes +1 in every pair (exactly), a step with mu = 0 votes +1 "
    "in half the pairs (binomial band), every vote is +-1, and each estimate is exactly w . x over the votes with "
    "the Lagrange weights w_j = prod_{i != j} (k + m - i)/(j - i).",
    source=[Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; our A-T4 (vote model)")],
    provenance="M",
    kind="theorem",
    tolerance="the endpoints and the estimates exactly (integer votes times integer weights, sums below 2^53); the "
    "mu = 0 frequency within 6 binomial standard deviations of 1/2 (false alarm 2e-9 per seed)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_vote_simulation_exact_parts(ctx: Context) -> Evidence:
    """Predicted: deterministic votes at mu = -1 and +1, frequency 1/2 at mu = 0, estimates w . x with the weights
    written here in exact rationals (k = 2, m = 2: w = (3, -8, 6)).

    Measured: ``simulate_vote_extrapolation`` with mu = (-1, 0, 1), order 2, 2 steps ahead, at the pair count and
    shapes ``progress.mse_decomposition`` already compiles. A vote rule with the threshold's sign or side flipped
    breaks the exact endpoints; a wrong weight or window breaks the exact estimates.
    """
    from aligntheory.kernels import progress as K

    n = ctx.pick(quick=400_000, full=1_000_000)
    mu = np.array([-1.0, 0.0, 1.0])
    sim = K.simulate_vote_extrapolation(ctx.key(501), mu, 2, 2, n)
    votes, est = np.asarray(sim.votes), np.asarray(sim.estimates)
    w = np.array([float(x) for x in _lagrange_weights(2, 2)])
    bad: list[str] = []
    if votes.shape != (n, 3) or est.shape != (n,):
        bad.append(f"shapes {votes.shape}, {est.shape}")
    else:
        if not np.all(np.isin(votes, (-1, 1))):
            bad.append("a vote outside {-1, +1}")
        if not np.all(votes[:, 0] == -1):
            bad.append(f"mu = -1: {int(np.sum(votes[:, 0] != -1))} votes not -1")
        if not np.all(votes[:, 2] == 1):
            bad.append(f"mu = +1: {int(np.sum(votes[:, 2] != 1))} votes not +1")
        if not np.array_equal(est, votes.astype(np.float64) @ w):
            bad.append("estimates differ from w . x")
    frac = float(np.mean(votes[:, 1] == 1)) if not bad else math.nan
    z = (frac - 0.5) / math.sqrt(0.25 / n)
    if not abs(z) <= 6.0:
        bad.append(f"mu = 0: frequency of +1 {frac}, z = {z:.3g}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"votes at mu = -1, +1": "all -1, all +1", "P(+1) at mu = 0": 0.5, "weights": w.tolist()},
        measured={"frequency at mu = 0": frac, "z": z, "failures": len(bad)},
        tolerance="exact; |z| <= 6 for the frequency",
        why="integer arithmetic is exact in float64 below 2^53; 6 sigma gives a false alarm of 2e-9 per seed",
        sizes={"n_pairs": n, "S": 3, "order": 2, "steps_ahead": 2},
        counterexample=None if ok else {"failures": bad},
    )
