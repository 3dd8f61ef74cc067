"""IBN claims of issue #11, round 11: the prior's split Newton route of ``fit_bradley_terry``.

``ibn.bt_prior_map_routes`` -- :func:`~aligntheory.numerics.fit_bradley_terry` with its prior.
With a prior far below the counts' curvature (the library then splits each Newton step into a per-component mean and
a grounded-Laplacian part) on a connected graph, the MAP is, to first order in the prior, the maximum-likelihood fit
up to a common shift (the prior moves the differences by O(p)), and the fit reports centred scores. With an ordinary
prior (``p/2`` virtual wins and losses of every item against a virtual item of score 0, as documented) on a graph
of several components the MAP itself is computed here by Newton's method and centred. A trace of the claims at
session 15's code showed that no claim ran the split route.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim
from aligntheory.proofs_check.ibn._r9_bt_claims import _newton_reference

__all__: list[str] = []


def _data(rng, sizes: list[int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """(winner, loser) rows: in each component a cycle won both ways (a finite MLE) plus random comparisons."""
    rows, comps, off = [], [], 0
    for m in sizes:
        idx = np.arange(off, off + m)
        comps.append(idx)
        for i in range(m):
            a, b = idx[i], idx[(i + 1) % m]
            rows += [(a, b), (b, a)]
        for _ in range(4 * m):
            a, b = rng.choice(idx, 2, replace=False)
            rows.append((a, b) if rng.random() < 0.7 else (b, a))  # skewed, so the scores are not all ~0
        off += m
    return np.array(rows, dtype=np.int64), comps


def _newton(n: int, rows: np.ndarray, prior: float) -> np.ndarray:
    """The maximiser of the log-likelihood plus ``prior/2 sum_i [log sigma(t_i) + log sigma(-t_i)]`` (prior/2 virtual
    wins and losses of every item against a virtual item of score 0, as documented), centred (the fit reports centred
    scores): 60 steps of the documented Newton iteration written in ``ibn.bt_newton_iterates_match_reference``
    (least-squares steps, so prior = 0 on a connected graph gives the MLE), far more than it needs; the gradient
    there must be below 1e-12."""
    xs, gns, _, _ = _newton_reference(n, [(int(a), int(b), 1.0) for a, b in rows], prior, 60, np.zeros(n))
    if not gns[-1] <= 1e-12:
        raise AssertionError(f"the reference Newton iteration did not converge (gradient norm {gns[-1]:.2e})")
    return xs[-1] - xs[-1].mean()


@claim(
    id="ibn.bt_prior_map_routes",
    statement="fit_bradley_terry(comparisons, prior_strength=p) returns the MAP under the Gaussian prior: on a "
    "connected comparison graph with p = 1e-20 and 1e-12 (far below the counts' curvature) the centred "
    "maximum-likelihood scores; on a graph of several components with p = 0.5 the maximum with p/2 virtual wins and "
    "losses of every item against a virtual item of score 0, computed by Newton's method here and centred.",
    source=[Source(key="newman2023efficient", where="the Bradley-Terry MAP with virtual comparisons (s = 2 there)")],
    provenance="M",
    kind="theorem",
    tolerance="absolute 1e-9 on the scores (O(1) values; the fit's gradient tolerance 1e-10 and the prior's O(p) "
    "shift of the within-component differences are far below it)",
    rice={"R"},
    stage="backward:assurance",
)
def check_bt_prior_map_routes(ctx: Context) -> Evidence:
    """Predicted: dense Newton here (per component for tiny priors); measured: ``fit_bradley_terry`` scores.
    Component sizes and comparisons drawn per seed."""
    from aligntheory.numerics import fit_bradley_terry

    rng = ctx.rng(1114)
    sizes = [int(x) for x in rng.integers(2, 6, size=int(rng.integers(2, 4)))]
    rows, comps = _data(rng, sizes)
    n = int(sum(sizes))
    errs, bad = {}, []
    # tiny priors on the first component alone (connected): the centred MLE. On several components a tiny prior
    # fixes the components' relative offsets only to rounding / prior (1e-16 / 1e-20), which fit_bradley_terry
    # refuses with PrecisionError, as documented
    idx0 = comps[0]
    rows0 = rows[np.isin(rows[:, 0], idx0)]
    mle0 = _newton(len(idx0), rows0, 0.0)
    for prior, data, m, want in ((1e-20, rows0, len(idx0), mle0), (1e-12, rows0, len(idx0), mle0),
                                 (0.5, rows, n, _newton(n, rows, 0.5))):
        got = np.asarray(fit_bradley_terry(data, n_items=m, prior_strength=prior).scores)
        errs[f"prior {prior:g}"] = float(np.max(np.abs(got - want)))
        if not errs[f"prior {prior:g}"] <= 1e-9:
            bad.append(f"prior {prior:g}: scores {np.round(got, 6).tolist()}, predicted {np.round(want, 6).tolist()}")
    return Evidence(
        verdict=Verdict.of(not bad),
        predicted="the centred MLE of a connected graph (tiny priors), the centred MAP with pseudo-counts (p = 0.5), by dense Newton here",
        measured={"max_abs_err": errs},
        tolerance=1e-9,
        why="both sides converge to ~1e-13; a tiny prior moves the score differences by O(p) <= 1e-12",
        sizes={"component sizes (p = 0.5)": sizes, "comparisons": int(len(rows))},
        details="; ".join(bad) if bad else f"worst {max(errs.values()):.1e}",
        counterexample={"seed": ctx.seed, "failures": bad} if bad else None,
    )
