"""Tests of aligntheory.kernels.elasticity on fixed shapes (spec elasticity.md §4.2, §5 property 11, §7).

Anchors: the numpy theory layer (independent implementation), closed forms written here, exact
enumeration and multinomial moments.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from aligntheory.errors import ConvergenceError, InvalidInputError, PrecisionError
from aligntheory.kernels import elasticity as K
from aligntheory.results import RESULTS
from aligntheory.theory import elasticity as T


def _triple(seed, M=16, conc=1.0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(3):
        p = np.maximum(rng.dirichlet(np.full(M, conc)), 1e-12)
        out.append(p / p.sum())
    return out


# ----------------------------------------------------------------------------------------------
# property 11: JAX vs numpy


@pytest.mark.parametrize("seed", range(4))
def test_jax_numpy_agree(seed):
    Pp, Pa, Pt = _triple(seed, M=32, conc=0.3)
    for k in (1.0, 1e3, 1e6):
        for l in (0.0, 0.2, 1.0):
            st = np.array(T.elasticity_derivatives(Pp, Pa, Pt, k, l))
            jx = np.asarray(K.stable_derivatives(Pp, Pa, Pt, k, l))
            np.testing.assert_allclose(jx, st, rtol=1e-10, atol=0)
            q = T.mixture(np.stack([Pp, Pa, Pt]), [k, 1.0, l + 1e-3])
            g = np.asarray(K.gamma(Pp, Pa, Pt, k, l + 1e-3))
            np.testing.assert_allclose(g, [T.cross_entropy(P, q) for P in (Pp, Pa, Pt)], rtol=1e-12)


def test_gamma_grad_matches_stable_form():
    Pp, Pa, Pt = _triple(7)
    for k in (1.0, 50.0, 5e3):
        ad = np.asarray(K.gamma_grad(Pp, Pa, Pt, k, 0.3))
        np.testing.assert_allclose(ad, T.elasticity_derivatives(Pp, Pa, Pt, k, 0.3), rtol=1e-11 * max(1, k))


def test_same_seed_same_arrays():
    a = K.token_tree_leaf_probs(jax.random.PRNGKey(3), 2, 6, 0.2, 1.2)
    b = K.token_tree_leaf_probs(jax.random.PRNGKey(3), 2, 6, 0.2, 1.2)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    c = K.sample_counts(jax.random.PRNGKey(1), np.full(8, 1 / 8), 100.0)
    c2 = K.sample_counts(jax.random.PRNGKey(1), np.full(8, 1 / 8), 100.0)
    np.testing.assert_array_equal(np.asarray(c), np.asarray(c2))


# ----------------------------------------------------------------------------------------------
# trees and pruning


def test_token_tree_exact_small():
    # V = 2, D = 1: leaves are EOS at the root (eos) and the two depth-1 nodes with (1 - eos) * zipf masses
    lp = np.exp(np.asarray(K.token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 1, 0.3, 1.0)))
    assert lp[0] == pytest.approx(0.3, rel=1e-14, abs=0.0)
    assert sorted(lp[1:].tolist()) == pytest.approx([0.7 / 3, 0.7 * 2 / 3], rel=1e-14, abs=0.0)  # Zipf(1) on 2 = (2/3, 1/3)


def test_token_tree_node_weights_consistent():
    V, D, eos = 3, 4, 0.25
    P = np.exp(np.asarray(K.token_tree_leaf_probs(jax.random.PRNGKey(5), V, D, eos, 1.5)))
    assert P.size == T.tree_n_leaves(V, D) and abs(P.sum() - 1) < 1e-12
    off = T.tree_level_offsets(V, D)
    # the EOS leaf of a node at depth j < D has weight eos * W(node); W(node) = mass of the pruned leaf at depth j
    for j in range(1, D):
        W = T.prune_leaf_probs(P, V, D, j)[-V**j:]
        np.testing.assert_allclose(P[off[j]: off[j] + V**j], eos * W, rtol=1e-12)


@pytest.mark.parametrize("d", [1, 3, 5])
def test_prune_matches_numpy(d):
    lp = K.token_tree_leaf_probs(jax.random.PRNGKey(2), 2, 5, 0.3, 1.0)
    got = np.exp(np.asarray(K.prune(lp, 2, 5, d)))
    P = np.exp(np.asarray(lp))
    np.testing.assert_allclose(got, T.prune_leaf_probs(P / P.sum(), 2, 5, d), rtol=1e-12)


def test_mixture_logq_matches_numpy_and_survives_underflow():
    Pp, Pa, Pt = _triple(1, M=8)
    N = np.array([100.0, 1.0, 0.5])
    got = np.exp(np.asarray(K.mixture_logq(np.log(np.stack([Pp, Pa, Pt])), np.log(N))))
    np.testing.assert_allclose(got, T.mixture(np.stack([Pp, Pa, Pt]), N), rtol=1e-13)
    tiny = np.array([[-800.0, 0.0], [-900.0, 0.0]])  # log masses far below float64's smallest normal
    out = np.asarray(K.mixture_logq(tiny, np.log([1.0, 1.0])))
    assert out[0] == pytest.approx(-800.0 + np.log(0.5), abs=1e-9)


# ----------------------------------------------------------------------------------------------
# sweep


def test_sweep_ratio_residual():
    Pp, Pa, Pt = _triple(2)
    ks, ls = np.array([1.0, 10.0, 1e4]), np.array([0.0, 0.1, 0.7])
    r = K.stable_derivatives_batched(Pp, Pa, Pt, ks, ls, batch_size=2)
    for i, k in enumerate(ks):
        for j, l in enumerate(ls):
            st = T.elasticity_derivatives(Pp, Pa, Pt, k, l)
            np.testing.assert_allclose([r.d_p[i, j], r.d_a[i, j], r.d_t[i, j]], st, rtol=1e-10)
            assert float(r.ratio[i, j]) == pytest.approx(-st[1] / st[0], rel=1e-10, abs=0.0)
    np.testing.assert_allclose(np.asarray(r.ratio[:, 0]), ks, rtol=1e-10)  # E4


# ----------------------------------------------------------------------------------------------
# sampling


# all sampling tests use M = 8 leaves: jax.random.binomial compiles slowly, once per shape


@pytest.mark.parametrize("method", ["tree", "sequential"])
def test_sample_counts_moments(method):
    P = np.array([0.1, 0.2, 0.3, 0.15, 0.25, 0.0, 0.0, 0.0])
    n = np.asarray(K.sample_counts(jax.random.split(jax.random.PRNGKey(2), 4000), P, 100.0, method=method))
    assert np.all(n.sum(axis=1) == 100.0) and np.all(n == np.round(n)) and np.all(n >= 0)
    assert np.all(n[:, 5:] == 0)
    # multinomial moments: mean N p, var N p (1-p), cov -N p_i p_j; 4000 draws give SE ~ 0.02 on the mean
    np.testing.assert_allclose(n.mean(axis=0), 100 * P, atol=0.15)
    np.testing.assert_allclose(n.var(axis=0)[:5], (100 * P * (1 - P))[:5], rtol=0.1)
    assert np.cov(n.T)[0, 1] == pytest.approx(-100 * 0.1 * 0.2, rel=0.15, abs=0.0)


@pytest.mark.parametrize("method", ["tree", "sequential"])
def test_sample_counts_huge_n_and_zero_mass(method):
    P = np.array([0.5, 0.0, 0.25, 0.125, 0.0625, 0.0625, 0.0, 0.0])
    n = np.asarray(K.sample_counts(jax.random.PRNGKey(0), P, 1e9, method=method))
    assert n.sum() == 1e9 and n[1] == 0.0 and n[6] == 0.0
    assert abs(n[0] / 1e9 - 0.5) < 1e-3


def test_mle_from_counts():
    C = np.array([[2.0, 0.0, 2.0], [0.0, 1.0, 3.0]])
    m = K.mle_from_counts(C, beta=1.0)
    np.testing.assert_allclose(np.asarray(m.q), np.array([3.0, 2.0, 6.0]) / 11.0)  # (pooled + 1)/(8 + 3)
    assert m.beta == 1.0


def test_mc_delta_gamma_close_to_population():
    Pp, Pa, Pt = _triple(3, M=8, conc=2.0)
    r = K.mc_delta_gamma(jax.random.PRNGKey(0), Pp, Pa, Pt, 1e5, 4.0, 0.5, 64)
    q0 = T.mixture(np.stack([Pp, Pa]), [4.0, 1.0])
    q1 = T.mixture(np.stack([Pp, Pa, Pt]), [4.0, 1.0, 0.5])
    pred = -(T.cross_entropy(Pa, q1) - T.cross_entropy(Pa, q0)) / (T.cross_entropy(Pp, q1) - T.cross_entropy(Pp, q0))
    assert abs(r.ratio - pred) <= 4 * r.ratio_se


# ----------------------------------------------------------------------------------------------
# training


def test_train_softmax_reaches_mixture_and_raises():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    N = np.array([3.0, 1.0])
    r = K.train_softmax(None, jnp.zeros(3), P, N, 100000, 1.0)
    np.testing.assert_allclose(np.asarray(r.q), (3 * P[0] + P[1]) / 4, atol=1e-6)
    assert r.converged and r.residual <= 1e-6
    ra = K.train_softmax(jax.random.PRNGKey(0), None, P, N, 100000, 0.05, optimizer="adam")
    assert ra.converged
    with pytest.raises(ConvergenceError) as e:
        K.train_softmax(None, jnp.zeros(3), P, N, 3, 1.0)
    assert e.value.iterations == 3 and e.value.residual > 1e-6 and e.value.last_iterate.iterations == 3
    assert e.value.result is RESULTS.max_steps_reached and e.value.last_iterate.result is RESULTS.max_steps_reached
    r3 = K.train_softmax(None, jnp.zeros(3), P, N, 3, 1.0, throw=False)
    assert not r3.converged and r3.result is RESULTS.max_steps_reached and r3.iterations == 3


# ----------------------------------------------------------------------------------------------
# simulations (small fixed shapes)


def test_two_segment_fit_recovers_breakpoint():
    s = np.arange(401.0)
    y = np.where(s < 120, 1.0 + 0.03 * s, 1.0 + 0.03 * 120 + 0.005 * (s - 120))
    f = K.two_segment_fit(y + 1e-6 * np.sin(s))
    assert f.b == 120 and f.s1 == pytest.approx(0.03, rel=1e-3, abs=0.0) and f.s2 == pytest.approx(0.005, rel=1e-2, abs=0.0)
    # a straight line has rho ~ 1 wherever the break is put
    assert K.two_segment_fit(2.0 * s).rho == pytest.approx(1.0, rel=1e-9, abs=0.0)
    assert K.first_crossing([3.0, 1.0, 2.0], 2.0) == 0 and K.first_crossing([0.0, 1.0], 5.0) is None


def test_sequential_finetune_small_and_replay():
    d = K.make_protocol_data(0, C=16, V=32)
    m = K.ModelSpec(C=16, V=32, capacity=4)
    sch = K.Schedule(T_p=200, T_a=100, T_t=200)
    r = K.sequential_finetune(jax.random.PRNGKey(0), m, d, sch, foreign_base=True)
    assert r.ce_a.shape == (201,) and np.all(np.isfinite(r.kl_foreign))
    assert r.ce_a[-1] > r.ce_a[0]  # perturbation degrades alignment
    assert r.m_a[-1] < r.m_a[0]
    # y0 is CE_a of the base: recompute it from the returned base parameters
    lq = np.asarray(K.model_logprobs(r.params_base))
    y0 = -np.sum(np.asarray(d.w_a) * np.sum(np.asarray(d.P_a) * lq, axis=1))
    assert r.y0 == pytest.approx(y0, rel=1e-12, abs=0.0)
    # replay keeps pre-training loss lower than no replay
    rr = K.sequential_finetune(jax.random.PRNGKey(0), m, d, sch, replay=0.5)
    assert rr.ce_p[-1] < r.ce_p[-1]
    mlp = K.sequential_finetune(jax.random.PRNGKey(0), m._replace(family="mlp"), d, sch)
    assert mlp.ce_a[-1] > mlp.ce_a[0]


def test_empirical_pretraining_data_pseudocount():
    d = K.make_protocol_data(1, C=16, V=32)
    e = K.empirical_pretraining_data(jax.random.PRNGKey(0), d, 100.0)
    # with 100 samples over 512 cells every cell keeps at least the 0.5 pseudo-count: min mass >= 0.5/(100+256)
    joint = np.asarray(e.w_p)[:, None] * np.asarray(e.P_p)
    assert joint.min() >= 0.5 / (100 + 0.5 * 512) - 1e-15
    assert abs(joint.sum() - 1) < 1e-12


def test_distill_resistance_metric():
    m = K.ModelSpec(C=4, V=8, capacity=2)
    a, b = K.init_params(jax.random.PRNGKey(0), m), K.init_params(jax.random.PRNGKey(1), m)
    s, kl, kl0 = K.distill_steps(a, b, jnp.full(4, 0.25), lr=1e-2)
    assert kl <= 0.1 * kl0 and 0 < s < 20000
    s2, _, _ = K.distill_steps(a, a, jnp.full(4, 0.25))
    assert s2 == 0  # already at the target: KL = 0 <= 0.1 * 0


# ----------------------------------------------------------------------------------------------
# bad input (spec §7)


def test_precision_error_float32():
    x32 = np.full(4, 0.25, dtype=np.float32)
    with pytest.raises(PrecisionError):
        K.stable_derivatives(x32, x32, x32, 1.0, 0.0)
    with pytest.raises(PrecisionError):
        K.mixture_logq(np.zeros((2, 2), np.float32), np.zeros(2, np.float32))


def test_precision_error_when_x64_off():
    jax.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(PrecisionError, match="x64"):
            K.token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, 0.3, 1.0)
    finally:
        jax.config.update("jax_enable_x64", True)


def test_bad_input_kernels():
    with pytest.raises(InvalidInputError, match="d") as e:
        K.prune(np.log(np.full(7, 1 / 7)), 2, 2, 3)
    assert e.value.argument == "d"
    for e in (1.0, 0.0):  # both ends of the open interval (0, 1): eos_prob = 0 leaves no EOS leaf (log 0)
        with pytest.raises(InvalidInputError, match="eos_prob"):
            K.token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, e, 1.0)
    with pytest.raises(InvalidInputError, match="zipf_s"):
        K.token_tree_leaf_probs(jax.random.PRNGKey(0), 2, 3, 0.3, 0.0)
    with pytest.raises(InvalidInputError, match="not a probability vector"):
        K.sample_counts(jax.random.PRNGKey(0), np.array([0.5, 0.6]), 10.0)
    with pytest.raises(InvalidInputError, match="method"):
        K.sample_counts(jax.random.PRNGKey(0), np.array([0.5, 0.5]), 10.0, method="alias")
    with pytest.raises(InvalidInputError, match="k"):
        K.stable_derivatives(*_triple(0, M=4), 0.0, 0.1)
    with pytest.raises(InvalidInputError, match="l"):
        K.stable_derivatives_batched(*_triple(0, M=4), np.array([1.0]), np.array([-0.1]))
    with pytest.raises(InvalidInputError, match="P_t"):
        K.stable_derivatives(np.full(4, 0.25), np.full(4, 0.25), np.full(3, 1 / 3), 1.0, 0.1)
    with pytest.raises(InvalidInputError, match="replay"):
        K.sequential_finetune(jax.random.PRNGKey(0), K.ModelSpec(C=16, V=32, capacity=2),
                              K.make_protocol_data(0, C=16, V=32), K.Schedule(T_p=1, T_a=1, T_t=2), replay=1.0)


def test_batched_protocol_equals_per_seed_runs():
    # independent route: the unbatched kernels, one seed at a time
    model = K.ModelSpec(C=16, V=32, capacity=4)
    sched = K.Schedule(T_p=60, T_a=20, T_t=40)
    seeds = (3, 11)
    datas = [K.make_protocol_data(s, C=16, V=32) for s in seeds]
    keys = jnp.stack([jax.random.PRNGKey(s) for s in seeds])
    rb = K.sequential_finetune_batched(keys, model, K.stack_protocol_data(datas), sched)
    db = K.distill_steps_batched(rb.params_base, rb.params_aligned, jnp.stack([d.w_a for d in datas]), lr=1e-2)
    for b, s in enumerate(seeds):
        r = K.sequential_finetune(jax.random.PRNGKey(s), model, datas[b], sched)
        np.testing.assert_allclose(rb.ce_a[b], r.ce_a, rtol=1e-10)
        np.testing.assert_allclose(rb.m_a[b], r.m_a, rtol=1e-10)
        assert rb.y0[b] == pytest.approx(r.y0, rel=1e-12, abs=0.0)
        steps, kl, kl0 = K.distill_steps(r.params_base, r.params_aligned, datas[b].w_a, lr=1e-2)
        assert int(db.steps[b]) == steps and db.initial_kl[b] == pytest.approx(kl0, rel=1e-10, abs=0.0)
    with pytest.raises(InvalidInputError, match="keys"):
        K.sequential_finetune_batched(jax.random.PRNGKey(0), model, K.stack_protocol_data(datas), sched)
    with pytest.raises(InvalidInputError, match="data"):
        K.sequential_finetune_batched(keys[:1], model, K.stack_protocol_data(datas), sched)


# ----------------------------------------------------------------------------------------------
# issue #12: NaN never accepted silently; the unchecked path stays jittable (issue #14 item 5)


@pytest.mark.parametrize("slot", [0, 1, 2])
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
@pytest.mark.parametrize("validate", [True, False])
def test_gamma_refuses_nonfinite_probabilities_naming_the_argument(slot, bad, validate):
    P = [np.array([0.5, 0.5]), np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    P[slot] = np.array([bad, 0.5])
    with pytest.raises(InvalidInputError, match=f"^{['P_p', 'P_a', 'P_t'][slot]}: "):
        K.gamma(*P, 1.0, 0.5, validate=validate)


def test_gamma_unchecked_path_jits_vmaps_and_differentiates():
    P = [jnp.array([0.5, 0.5]), jnp.array([1.0, 0.0]), jnp.array([0.0, 1.0])]
    # closed form of this triple: q = (k/2 + 1, k/2 + l)/c, c = k + 1 + l; gamma_p = -sum(0.5 log q)
    def want(k, l):
        c = k + 1 + l
        q = np.array([k / 2 + 1, k / 2 + l]) / c
        return -0.5 * np.log(q).sum()

    got = jax.jit(lambda p: K.gamma(p, P[1], P[2], 1.0, 0.5, validate=False).gamma_p)(P[0])
    assert float(got) == pytest.approx(want(1.0, 0.5), rel=1e-14, abs=0.0)
    ks = jnp.array([0.5, 1.0, 3.0])
    got = jax.vmap(lambda k: K.gamma(*P, k, 0.5, validate=False).gamma_p)(ks)
    np.testing.assert_allclose(np.asarray(got), [want(k, 0.5) for k in (0.5, 1.0, 3.0)], rtol=1e-14)
    d = jax.grad(lambda l: K.gamma(*P, 1.0, l, validate=False).gamma_p)(0.5)
    fd = (want(1.0, 0.5 + 1e-6) - want(1.0, 0.5 - 1e-6)) / 2e-6  # central difference, error O(1e-10)
    assert float(d) == pytest.approx(fd, rel=1e-7, abs=0.0)
    with pytest.raises(InvalidInputError, match="^validate"):
        jax.vmap(lambda k: K.gamma(*P, k, 0.5).gamma_p)(ks)


# ----------------------------------------------------------------------------------------------
# issue #11: one batch for several configurations; batched metrics


@pytest.mark.parametrize("family", ["lowrank", "mlp"])
def test_batched_heterogeneous_members_equal_per_member_runs(family):
    # independent route: the unbatched sequential_finetune at each member's own capacity and schedule
    model = K.ModelSpec(family=family, C=16, V=32, capacity=6)
    base_sched = K.Schedule(T_p=50, T_a=20, T_t=40)
    members = [(3, 2, 50, 20), (5, 6, 0, 35), (7, 4, 30, 0)]  # (seed, capacity, T_p, T_a)
    datas = [K.make_protocol_data(s, C=16, V=32) for s, *_ in members]
    keys = jnp.stack([jax.random.PRNGKey(s) for s, *_ in members])
    rb = K.sequential_finetune_batched(keys, model, K.stack_protocol_data(datas), base_sched, foreign_base=True,
                                       capacities=[c for _, c, _, _ in members], T_p=[t for _, _, t, _ in members],
                                       T_a=[a for *_, a in members])
    for b, (s, c, tp, ta) in enumerate(members):
        r = K.sequential_finetune(jax.random.PRNGKey(s), model._replace(capacity=c), datas[b],
                                  base_sched._replace(T_p=tp, T_a=ta), foreign_base=True)
        np.testing.assert_allclose(rb.ce_a[b], r.ce_a, rtol=1e-10)
        np.testing.assert_allclose(rb.kl_foreign[b], r.kl_foreign, rtol=1e-9)
        assert rb.y0[b] == pytest.approx(r.y0, rel=1e-12, abs=0.0)
        for name, v in r.params_aligned.items():  # the padded coordinates stayed exactly zero
            pad = np.asarray(rb.params_aligned[name][b])
            sl = tuple(slice(0, n) for n in v.shape)
            np.testing.assert_allclose(pad[sl], v, rtol=1e-10, atol=1e-13)
            assert np.count_nonzero(pad) == np.count_nonzero(pad[sl])


def test_batched_member_arguments_refused():
    model = K.ModelSpec(C=16, V=32, capacity=4)
    d = K.stack_protocol_data([K.make_protocol_data(s, C=16, V=32) for s in range(2)])
    keys = jax.random.split(jax.random.PRNGKey(0), 2)
    sched = K.Schedule(T_p=2, T_a=2, T_t=2)
    for kw, match in (({"capacities": [2, 5]}, "capacities"), ({"capacities": [0, 2]}, "capacities"),
                      ({"capacities": [2]}, "capacities"), ({"T_p": [1, -1]}, "T_p"), ({"T_a": [1.5, 2]}, "T_a")):
        with pytest.raises(InvalidInputError, match=match):
            K.sequential_finetune_batched(keys, model, d, sched, **kw)


def _lstsq_two_segment(y, b_min=5):
    # independent route: numpy least squares at every breakpoint
    s = np.arange(y.size, dtype=float)
    best = None
    for b in range(b_min, y.size - 1 - b_min + 1):
        X = np.stack([np.ones_like(s), s, np.maximum(s - b, 0.0)], axis=1)
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        sse = float(((X @ beta - y) ** 2).sum())
        if best is None or sse < best[0]:
            best = (sse, b, beta[1], beta[1] + beta[2])
    return best


def test_two_segment_fit_batched_matches_lstsq_and_the_unbatched_fit():
    rng = np.random.default_rng(4)
    s = np.arange(301.0)
    rows = []
    for _ in range(6):
        b = rng.integers(20, 280)
        s1, s2 = rng.normal(size=2)
        rows.append(np.where(s < b, s1 * s, s1 * b + s2 * (s - b)) + 1e-3 * rng.normal(size=s.size))
    rows += [5.0 - np.exp(-s / 60.0), np.log1p(s), 3.0 + 0.0 * s]
    Y = np.stack(rows)
    fb = K.two_segment_fit_batched(Y)
    for i, y in enumerate(Y[:-1]):
        sse, b, s1, s2 = _lstsq_two_segment(y)
        f = K.two_segment_fit(y)
        assert fb.b[i] == b == f.b
        assert fb.s1[i] == pytest.approx(s1, rel=1e-7, abs=1e-12) and fb.s2[i] == pytest.approx(s2, rel=1e-7, abs=1e-12)
        assert fb.sse[i] == pytest.approx(sse, rel=1e-6, abs=1e-12)
        assert fb.rho[i] == pytest.approx(s1 / s2, rel=1e-6, abs=0.0)
    assert fb.s1[-1] == pytest.approx(0.0, abs=1e-12)  # a constant curve: flat fit
    with pytest.raises(InvalidInputError, match="Y"):
        K.two_segment_fit_batched(np.zeros((2, 5)))
    with pytest.raises(InvalidInputError, match="Y"):
        K.two_segment_fit_batched(np.array([[np.nan] * 20]))


def test_first_crossing_batched_matches_the_unbatched_one():
    rng = np.random.default_rng(5)
    Y = rng.normal(size=(7, 50)).cumsum(axis=1)
    levels = rng.normal(size=7) * 3
    got = K.first_crossing_batched(Y, levels)
    for i in range(7):
        want = K.first_crossing(Y[i], levels[i])
        assert got[i] == (-1 if want is None else want)
    with pytest.raises(InvalidInputError, match="levels"):
        K.first_crossing_batched(Y, levels[:3])


def test_sweep_on_an_empty_l_grid_is_empty():
    # an empty grid is a valid request with an empty answer (the default chunk size stays >= 1)
    r = K.stable_derivatives_batched([0.5, 0.5], [1.0, 0.0], [0.0, 1.0], np.array([1.0, 10.0]), np.array([]))
    assert np.asarray(r.ratio).shape == (2, 0) and np.asarray(r.residual).shape == (2, 0)
