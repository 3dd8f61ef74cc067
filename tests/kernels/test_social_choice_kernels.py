"""JAX kernels of the social choice pillar against the numpy theory layer and pref-voting (spec §4.2, §5, §7)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from aligntheory.errors import InvalidInputError, PrecisionError
from aligntheory.kernels import social_choice as K
from aligntheory.theory import social_choice as T

RNG = np.random.default_rng(20261125)


def _instance(k=6, q=3, o=3, f=5):
    util = RNG.integers(0, 5, (k, o)) / 4.0
    issues = RNG.integers(0, q, k)
    pol = RNG.integers(0, o, (f, q))
    w = RNG.dirichlet(np.ones(k))
    w[-1] = 1 - w[:-1].sum()
    return w, util, issues, pol


def test_sample_pairs_goodness_of_fit():
    w = np.array([0.1, 0.2, 0.3, 0.4])
    s = np.asarray(K.sample_pairs(jax.random.PRNGKey(0), w, 500, 40))
    assert s.shape == (40, 500)
    counts = np.bincount(s.ravel(), minlength=4)
    # chi-square goodness of fit at level 1e-3 (fixed seed)
    assert stats.chisquare(counts, w * s.size).pvalue > 1e-3


def test_empirical_welfare_matches_theory_and_chunking():
    w, util, issues, pol = _instance()
    samples = RNG.integers(0, 6, (7, 11))
    ours = np.asarray(K.empirical_welfare_batched(samples, util, issues, pol))
    chunked = np.asarray(K.empirical_welfare_batched(samples, util, issues, pol, chunk=3))
    ref = np.stack([T.empirical_welfare(s, util, issues, pol) for s in samples])
    assert np.allclose(ours, ref, atol=1e-14) and np.allclose(chunked, ref, atol=1e-14)
    choice = np.asarray(K.erm_argmax(ours))
    # ERM with exact ties: rounding-level differences can only matter where theory sees a tie
    for b, s in enumerate(samples):
        assert ref[b, choice[b]] == pytest.approx(ref[b].max(), abs=1e-14)
    pop = T.population_welfare(w, util, issues, pol)
    dev = np.asarray(K.uniform_deviation(ours, pop))
    assert np.allclose(dev, np.abs(ref - pop).max(axis=1), atol=1e-14)
    reg = np.asarray(K.regret(ours, pop))
    assert np.allclose(reg, pop.max() - pop[choice], atol=1e-14)


def test_threshold_grid_matches_reference():
    q, y = K.sample_threshold_pairs(jax.random.PRNGKey(3), 64, 5)
    grid = np.linspace(0, 1, 21)
    ours = np.asarray(K.threshold_grid_welfare(q, y, grid))
    ref = np.stack([T.threshold_empirical_welfare(np.asarray(q[b]), np.asarray(y[b]), grid) for b in range(5)])
    assert np.allclose(ours, ref, atol=1e-14)


def test_threshold_sampler_law():
    q, y = K.sample_threshold_pairs(jax.random.PRNGKey(5), 2000, 10)
    q, y = np.asarray(q).ravel(), np.asarray(y).ravel()
    assert stats.kstest(q, "uniform").pvalue > 1e-3  # q ~ U[0, 1]
    # P(y = 1 | q) = q: E[y] = 1/2 and E[y q] = E[q^2] = 1/3
    assert abs(y.mean() - 0.5) < 4 * 0.5 / np.sqrt(y.size)
    assert abs((y * q).mean() - 1 / 3) < 4 * 0.3 / np.sqrt(y.size)


def test_continuum_deviation_against_dense_grid():
    # independent route: brute force over a dense grid plus the points just right of each sample point
    q, y = K.sample_threshold_pairs(jax.random.PRNGKey(9), 30, 4)
    ours = np.asarray(K.threshold_continuum_deviation(q, y))
    for b in range(4):
        qb, yb = np.asarray(q[b]), np.asarray(y[b])
        ts = np.unique(np.concatenate([np.linspace(0, 1, 20001), qb, np.minimum(qb + 1e-12, 1), [0.5]]))
        dev = np.abs(T.threshold_empirical_welfare(qb, yb, ts) - T.threshold_welfare(ts)).max()
        assert dev <= ours[b] + 1e-12
        assert dev >= ours[b] - 1e-4  # the grid resolution 5e-5 bounds the gap (|W'| <= 1)


def test_issuewise_majority_matches_theory():
    iss = RNG.integers(0, 5, (6, 9))
    y = RNG.integers(0, 2, (6, 9))
    ours = np.asarray(K.issuewise_majority_batched(iss, y, 5))
    for b in range(6):
        assert ours[b].tolist() == T.issuewise_majority(iss[b], y[b], 5).tolist()


# ---------------------------------------------------------------------------------------------- voting rules


def _numpy_reference(P):
    """Pure numpy reference for plurality, Borda, Copeland, Condorcet masks."""
    nP, n, m = P.shape
    rank = np.argsort(P, axis=-1)
    plur = np.stack([(P[:, :, 0] == c).sum(1) for c in range(m)], 1)
    bord = (m - 1 - rank).sum(1)
    above = (rank[:, :, :, None] < rank[:, :, None, :]).sum(1)
    mg = above - above.transpose(0, 2, 1)
    cop = np.sign(mg).sum(-1)
    cw = ((mg > 0) | np.eye(m, dtype=bool)).all(-1)
    mx = lambda s: s == s.max(-1, keepdims=True)  # noqa: E731
    return {"plurality": mx(plur), "borda": mx(bord), "copeland": mx(cop), "condorcet": cw, "margins": mg}


@pytest.mark.parametrize("shape", [(50, 7, 4), (20, 10, 3), (6, 5, 8)])
def test_voting_kernels_match_numpy_reference(shape):
    P = np.argsort(RNG.random(shape), axis=-1)
    ref = _numpy_reference(P)
    out = K.all_rules(P)
    for k in ("plurality", "borda", "copeland", "condorcet"):
        assert np.array_equal(np.asarray(getattr(out, k)), ref[k]), k
    assert np.array_equal(np.asarray(K.plurality(P)), ref["plurality"])
    assert np.array_equal(np.asarray(K.borda(P)), ref["borda"])
    assert np.array_equal(np.asarray(K.copeland(P)), ref["copeland"])
    assert np.array_equal(np.asarray(K.condorcet_winner_mask(P)), ref["condorcet"])
    assert np.array_equal(np.asarray(K.margins_batched(P)), ref["margins"])
    m = shape[-1]
    s = np.arange(m - 1, -1, -1, dtype=np.float64)
    assert np.array_equal(np.asarray(K.scoring_rule(P, s)), ref["borda"])
    # condorcet winner: at most one; when present it is the unique Copeland winner
    cw = ref["condorcet"]
    assert (cw.sum(1) <= 1).all()
    has = cw.any(1)
    assert np.array_equal(ref["copeland"][has], cw[has])


def test_position_counts_kernel():
    P = np.argsort(RNG.random((5, 6, 4)), axis=-1)
    ours = np.asarray(K.position_counts_batched(P))
    for b in range(5):
        assert ours[b].tolist() == T.position_counts(P[b]).tolist()


@pytest.mark.anchor
def test_voting_kernels_match_pref_voting():
    pytest.importorskip("pref_voting")
    from pref_voting.c1_methods import copeland
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda, plurality, scoring_rule

    rng = np.random.default_rng(11)
    for shape in ((40, 9, 4), (30, 8, 5)):
        P = np.argsort(rng.random(shape), axis=-1)
        out = K.all_rules(P)
        m = shape[-1]
        s = np.array([(m - 1 - r) ** 2 for r in range(m)], dtype=np.float64)
        sr = np.asarray(K.scoring_rule(P, s))
        for b in range(shape[0]):
            prof = Profile(P[b].tolist())
            assert np.flatnonzero(out.plurality[b]).tolist() == plurality(prof)
            assert np.flatnonzero(out.borda[b]).tolist() == borda(prof)
            assert np.flatnonzero(out.copeland[b]).tolist() == copeland(prof)
            cw = prof.condorcet_winner()
            assert np.flatnonzero(out.condorcet[b]).tolist() == ([] if cw is None else [cw])
            assert np.flatnonzero(sr[b]).tolist() == scoring_rule(prof, score=lambda k, r: s[r - 1])


def test_voting_kernel_bad_input():
    with pytest.raises(InvalidInputError) as exc:
        K.plurality(np.array([[[0, 0, 1]]]))
    assert exc.value.argument == "profiles"
    with pytest.raises(InvalidInputError) as exc:
        K.borda(np.zeros((2, 3)))
    assert exc.value.argument == "profiles"
    with pytest.raises(InvalidInputError) as exc:
        K.copeland(np.array([[[0.0, 1.0]]]))
    assert exc.value.argument == "profiles"
    with pytest.raises(InvalidInputError) as exc:
        K.scoring_rule(np.array([[[0, 1, 2]]]), np.array([0.0, 1.0, 2.0]))
    assert exc.value.argument == "score_vector"


def test_precision_errors():
    with pytest.raises(PrecisionError):
        K.scoring_rule(np.array([[[0, 1]]]), np.array([1.0, 0.0], dtype=np.float32))
    with pytest.raises(PrecisionError):
        K.empirical_welfare_batched(np.zeros((1, 2), int), np.ones((2, 2), np.float32), np.zeros(2, int), np.zeros((1, 1), int))
    with pytest.raises(PrecisionError):
        K.threshold_grid_welfare(np.ones((1, 2), np.float32), np.ones((1, 2), int), np.linspace(0, 1, 3))


def test_precision_error_when_x64_off():
    jax.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(PrecisionError):
            K.uniform_deviation(np.zeros((1, 2)), np.zeros(2))
        with pytest.raises(PrecisionError):
            K.sample_threshold_pairs(jax.random.PRNGKey(0), 3, 2)
    finally:
        jax.config.update("jax_enable_x64", True)


def test_sample_pairs_bad_weights():
    for w in ([0.5, 0.6], [1.5, -0.5], [np.nan, 1.0]):
        with pytest.raises(InvalidInputError) as exc:
            K.sample_pairs(jax.random.PRNGKey(0), np.array(w), 3, 2)
        assert exc.value.argument == "weights"


def test_compiles_once_per_shape():
    P = np.argsort(RNG.random((8, 5, 3)), axis=-1)
    K.all_rules(P)
    before = K._voting._all._cache_size()
    K.all_rules(np.argsort(RNG.random((8, 5, 3)), axis=-1))
    assert K._voting._all._cache_size() == before
    assert jnp.asarray(P).dtype.kind == "i"


def test_scoring_erm_matches_theory():
    k, q, o = 8, 2, 3
    rankings = np.argsort(RNG.random((k, o)), axis=1)
    s = T.scoring_vector("borda", o)
    issues = RNG.integers(0, q, k)
    pol = np.array([[a, b] for a in range(o) for b in range(o)])
    samples = RNG.integers(0, k, (5, 7))
    util = T.utilities_from_rankings(rankings, s)
    assert np.array_equal(np.asarray(K.scoring_utilities(rankings, s)), util)
    ours = np.asarray(K.scoring_erm(samples, rankings, s, issues, pol))
    assert ours.tolist() == [T.erm_choice(smp, util, issues, pol) for smp in samples]
    with pytest.raises(InvalidInputError) as exc:
        K.scoring_utilities(rankings, np.array([0.0, 0.5, 1.0]))
    assert exc.value.argument == "scoring"


@pytest.mark.parametrize(
    "kw, arg",
    [(dict(issue_of_pair=np.array([0, 4])), "issue_of_pair"), (dict(policy_outcomes=np.array([[0], [3]])), "policy_outcomes"),
     (dict(sample_idx=np.array([[0, 2]])), "sample_idx")],
)
def test_empirical_welfare_bad_input(kw, arg):
    args = dict(sample_idx=np.array([[0, 1]]), util_table=np.array([[1.0, 0.0], [0.0, 1.0]]),
                issue_of_pair=np.array([0, 0]), policy_outcomes=np.array([[0], [1]])) | kw
    with pytest.raises(InvalidInputError) as exc:
        K.empirical_welfare_batched(**args)
    assert exc.value.argument == arg
