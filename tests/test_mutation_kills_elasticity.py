"""Tests written to kill surviving mutants of the elasticity pillar (``python -m tools.mutate``,
``docs/mutation-report/elasticity``)."""

from __future__ import annotations

import pytest

pytest.importorskip("jax")


@pytest.mark.parametrize("eos", [0.0, 1.0])
def test_token_tree_refuses_an_end_of_sequence_probability_of_zero_or_one(eos):
    # kills `0.0 < e < 1.0` -> `<=` in token_tree_leaf_probs: the end-of-sequence probability must lie strictly
    # inside (0, 1)
    import jax

    from aligntheory.config import configure
    from aligntheory.errors import InvalidInputError
    from aligntheory.kernels.elasticity import token_tree_leaf_probs

    configure()
    with pytest.raises(InvalidInputError):
        token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, eos, 1.0)


def test_mc_delta_gamma_standard_error_is_the_delta_method_over_the_seeds():
    # kills `/ math.sqrt(S)` -> `* math.sqrt(S)` in mc_delta_gamma: the ratio R = -mean(d_a)/mean(d_p) has the
    # delta-method standard error sd(d_a + R d_p) / sqrt(S) / |mean(d_p)|, recomputed here from the per-seed draws
    import math

    import jax
    import numpy as np

    from aligntheory.config import configure
    from aligntheory.kernels.elasticity import mc_delta_gamma

    configure()
    r = mc_delta_gamma(jax.random.PRNGKey(3), [0.5, 0.3, 0.2], [0.6, 0.4, 0.0], [0.0, 0.0, 1.0], 1000.0, 10.0, 0.1, 16)
    a, p = np.asarray(r.d_a), np.asarray(r.d_p)
    R = -a.mean() / p.mean()
    assert r.ratio == pytest.approx(R, rel=1e-12, abs=0.0)
    want = np.std(a + R * p, ddof=1) / math.sqrt(16) / abs(p.mean())
    assert r.ratio_se == pytest.approx(want, rel=1e-10, abs=0.0)
