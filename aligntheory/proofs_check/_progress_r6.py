"""Round-6 claims (issue 11): pins found by the third fresh mutation sample (docs/mutation-report/fresh-r5).

``progress.mc_mse_sample_path`` -- :func:`~aligntheory.kernels.progress.mc_extrapolation_mse` is the sample mean
(and its standard error) of the documented model ``y = f + eps`` over the documented draws
``eps = sigma * jax.random.normal(key, (n_draws, S))``, reconstructed here with numpy and the Lagrange weights
written in the claim. The MSE of the model is symmetric in the sign of the noise, so a distributional check
cannot see ``f - eps`` in place of ``f + eps``; the sample path can (the cross term 2 b mean(w . eps) changes sign).
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

__all__: list[str] = []

# the Lagrange weights at t = k + m on nodes 0..k for k = 2, m = 2 (l_0(4) = 3, l_1(4) = -8, l_2(4) = 6)
_W22 = np.array([3.0, -8.0, 6.0])


@claim(
    id="progress.mc_mse_sample_path",
    statement="mc_extrapolation_mse(key, f, sigma, k, m, n, target=t) returns the sample mean of "
    "((f + eps) . w - t)^2 over the draws eps = sigma * jax.random.normal(key, (n, k + 1)) with the Lagrange "
    "weights w, and the standard error std_ddof1 / sqrt(n) of the squares (order 2, 2 steps ahead, w = (3, -8, 6)).",
    source=[Source(key="qiu2024progressgym", where="extrapolative DPO/RLHF; our A-T4 (MSE decomposition)")],
    provenance="M",
    kind="theorem",
    tolerance="relative 1e-12 on the mean and the standard error (both sums of 2000 squares of the same doubles "
    "in a different summation order: at most ~n ulp apart, 4e-13 relative)",
    rice={"R"},
    stage="forward:distribution_shift",
)
def check_mc_mse_sample_path(ctx: Context) -> Evidence:
    """Predicted: the sample mean and standard error recomputed with numpy from the same normal draws (the key's
    documented draw) and the weights (3, -8, 6) written here. Measured: ``mc_extrapolation_mse``.

    The bias b = f . w - t is made large against sigma |w| / sqrt(n) (t = f . w - 4 sigma), so the cross term
    2 b mean(w . eps), which a sign error on the noise flips, is ~1 % of the mean (2 * 4 * 10.4 / sqrt(2000) / 125): far
    above 1e-12.
    """
    import jax

    from aligntheory.kernels import progress as K

    rng = ctx.rng(601)
    n = 2000
    f = rng.uniform(0.5, 2.0, 3)
    sigma = float(rng.uniform(0.1, 1.0))
    target = float(f @ _W22 - 4.0 * sigma)
    key = ctx.key(601)
    est = K.mc_extrapolation_mse(key, f, sigma, 2, 2, n, target=target)
    z = np.asarray(jax.random.normal(key, (n, 3), dtype=np.float64))
    sq = (((f[None, :] + sigma * z) @ _W22) - target) ** 2
    pred_mse, pred_se = float(np.mean(sq)), float(np.std(sq, ddof=1) / math.sqrt(n))
    mse, se = float(est.mse), float(est.stderr)
    e_mse, e_se = rel_err(mse, pred_mse, floor=1e-300), rel_err(se, pred_se, floor=1e-300)
    ok = e_mse <= 1e-12 and e_se <= 1e-12
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"mse": pred_mse, "stderr": pred_se},
        measured={"mse": mse, "stderr": se, "rel_err mse": e_mse, "rel_err stderr": e_se},
        tolerance="relative 1e-12",
        why="the same doubles summed in another order: at most ~n ulp of relative difference",
        sizes={"n_draws": n, "order": 2, "steps_ahead": 2},
        counterexample=None if ok else {"f": f.tolist(), "sigma": sigma, "target": target},
    )
