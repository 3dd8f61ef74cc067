"""Issue #14 item 5: every public kernel of the social choice pillar works under ``jax.jit`` and ``jax.vmap``.

Each kernel is called eagerly (host checks on), under ``jit`` (checks skipped on tracers) and under
``vmap`` over a stacked batch; the three must agree exactly. A kernel added to ``__all__`` without a
case here fails :func:`test_every_public_kernel_has_a_case`.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from aligntheory.kernels import social_choice as K

RNG = np.random.default_rng(20261206)
NOT_KERNELS = {"RuleMasks", "ThresholdSample", "MAX_ELEMENTS",
               "validate_profiles"}  # result types, a constant, and the host-side boundary itself


def _profiles(shape):
    return np.argsort(RNG.random(shape), axis=-1)


P2 = np.stack([_profiles((4, 5, 3)), _profiles((4, 5, 3))])  # two batches to vmap over
P8 = np.stack([_profiles((2, 3, 8)), _profiles((2, 3, 8))])  # m = 8: the lax.scan path
C2 = RNG.integers(0, 4, (2, 4, 5))
UTIL = RNG.integers(0, 3, (6, 3)).astype(np.float64) / 2
ISS = RNG.integers(0, 2, 6)
POL = np.array([[a, b] for a in range(3) for b in range(3)])
S2 = RNG.integers(0, 6, (2, 3, 7))
RANK = np.stack([_profiles((6, 3)), _profiles((6, 3))])
SCORE = np.array([1.0, 0.5, 0.0])
EMP2 = RNG.random((2, 3, 9))
POP = RNG.random(9)
Q2 = RNG.random((2, 3, 11))
Y2 = RNG.integers(0, 2, (2, 3, 11))
GRID = np.linspace(0, 1, 5)
KEYS = jax.random.split(jax.random.PRNGKey(0), 2)
W = np.full(6, 1 / 6)

# name -> (function of the mapped arguments, tuple of stacked arguments to map over)
CASES = {
    "ranks": (K.ranks, (P2,)),
    "position_counts_batched": (K.position_counts_batched, (P2, C2)),
    "plurality": (K.plurality, (P2, C2)),
    "borda": (K.borda, (P2, C2)),
    "scoring_rule": (lambda p, c: K.scoring_rule(p, np.array([3.0, 1.0, 0.0]), c), (P2, C2)),
    "margins_batched": (K.margins_batched, (P2, C2)),
    "copeland": (K.copeland, (P2,)),
    "condorcet_winner_mask": (K.condorcet_winner_mask, (P2, C2)),
    "all_rules": (K.all_rules, (P8,)),
    "sample_pairs": (lambda k: K.sample_pairs(k, W, 7, 3), (KEYS,)),
    "empirical_welfare_batched": (lambda s: K.empirical_welfare_batched(s, UTIL, ISS, POL), (S2,)),
    "erm_argmax": (K.erm_argmax, (EMP2,)),
    "scoring_utilities": (lambda r: K.scoring_utilities(r, SCORE), (RANK,)),
    "scoring_erm": (lambda s, r: K.scoring_erm(s, r, SCORE, ISS, POL), (S2, RANK)),
    "uniform_deviation": (lambda e: K.uniform_deviation(e, POP), (EMP2,)),
    "regret": (lambda e: K.regret(e, POP), (EMP2,)),
    "sample_threshold_pairs": (lambda k: K.sample_threshold_pairs(k, 5, 2), (KEYS,)),
    "threshold_grid_welfare": (lambda q, y: K.threshold_grid_welfare(q, y, GRID), (Q2, Y2)),
    "threshold_continuum_deviation": (K.threshold_continuum_deviation, (Q2, Y2)),
    "issuewise_majority_batched": (lambda i, y: K.issuewise_majority_batched(i, y, 4),
                                   (RNG.integers(0, 4, (2, 3, 6)), RNG.integers(0, 2, (2, 3, 6)))),
}


def test_every_public_kernel_has_a_case():
    public = {n for n in K.__all__ if n not in NOT_KERNELS}
    assert public == set(CASES)


def _same(a, b):
    la, lb = jax.tree.leaves(a), jax.tree.leaves(b)
    assert len(la) == len(lb)
    for x, y in zip(la, lb):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-15)
        else:
            np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("name", sorted(CASES))
def test_kernel_under_jit_and_vmap(name):
    fn, stacked = CASES[name]
    eager = [fn(*(a[i] for a in stacked)) for i in range(2)]
    jitted = jax.jit(fn)
    for i in range(2):
        _same(jitted(*(jnp.asarray(a[i]) for a in stacked)), eager[i])
    mapped = jax.vmap(fn)(*(jnp.asarray(a) for a in stacked))
    for i in range(2):
        _same(jax.tree.map(lambda x, i=i: x[i], mapped), eager[i])


def test_jit_borda_is_the_issue_example():
    # issue #14: jit(borda) and vmap(borda) raised TracerBoolConversionError from a host check
    P = P2[0]
    assert np.array_equal(np.asarray(jax.jit(K.borda)(P)), np.asarray(K.borda(P)))
    assert np.asarray(jax.vmap(K.borda)(P2)).shape == (2, 4, 3)


def test_unchecked_path_gives_no_winner_for_an_invalid_profile():
    P = P2[0].copy()
    P[1, 2] = [0, 0, 2]  # profile 1 holds a non-permutation
    with pytest.raises(Exception) as exc:
        K.borda(P)
    assert exc.value.argument == "profiles" and "profile 1, voter 2" in str(exc.value)
    out = np.asarray(jax.jit(K.borda)(P))
    assert not out[1].any()  # never a silent winner
    assert np.array_equal(out[[0, 2, 3]], np.asarray(K.borda(P[[0, 2, 3]])))
    cw = np.asarray(jax.jit(K.condorcet_winner_mask)(P))
    assert not cw[1].any()


def test_deprecated_alias_is_the_mask_kernel():
    # the README shows kernels.social_choice.condorcet_winner; kept as an alias, not in __all__
    assert K.condorcet_winner is K.condorcet_winner_mask and "condorcet_winner" not in K.__all__


def test_kernel_size_caps_refuse_before_work():
    from aligntheory.errors import SizeCapError

    for n, b in ((10**12, 2), (2**63, 1), (2, 10**12)):
        with pytest.raises(SizeCapError):
            K.sample_threshold_pairs(jax.random.PRNGKey(0), n, b)
        with pytest.raises(SizeCapError):
            K.sample_pairs(jax.random.PRNGKey(0), W, n, b)
    with pytest.raises(SizeCapError):
        K.issuewise_majority_batched(np.zeros((1, 2), int), np.zeros((1, 2), int), 10**12)
    with pytest.raises(SizeCapError):
        K.borda(P2[0], max_elements=10)


@pytest.mark.parametrize("m", [3, 8])  # histogram path and lax.scan path
def test_counts_path_equals_repeated_rows_and_theory(m):
    # independent route: repeat each row counts times (no counts in the call) and the theory layer
    from aligntheory.theory import social_choice as T

    P = _profiles((6, 5, m))
    c = RNG.integers(0, 4, (6, 5))
    c[:, 0] += 1  # at least one voter per profile
    mg = np.asarray(K.margins_batched(P, c))
    pc = np.asarray(K.position_counts_batched(P, c))
    masks = K.all_rules(P, c)
    for b in range(6):
        keep = c[b] > 0
        E = np.repeat(P[b][keep], c[b][keep], axis=0)
        assert np.array_equal(mg[b], T.margins(E))
        assert np.array_equal(pc[b], T.position_counts(E))
        assert np.flatnonzero(np.asarray(masks.borda[b])).tolist() == list(T.borda_winners(E))
        assert np.flatnonzero(np.asarray(masks.plurality[b])).tolist() == list(T.plurality_winners(E))
        assert np.flatnonzero(np.asarray(masks.copeland[b])).tolist() == list(T.copeland_winners(E))
        cw = T.condorcet_winner(E)
        assert np.flatnonzero(np.asarray(masks.condorcet[b])).tolist() == ([] if cw is None else [cw])
    with pytest.raises(Exception) as exc:
        K.margins_batched(P, -c)
    assert exc.value.argument == "counts"
