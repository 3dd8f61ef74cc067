"""Issue #14 item 5: EVERY public kernel composes with ``jax.jit`` and ``jax.vmap`` (and ``grad`` where
differentiable).

The kernels are enumerated programmatically from ``aligntheory.kernels.<module>.__all__`` (functions
only; result classes and constants are not kernels), so a kernel added later is included: it must
get a case in ``CASES`` or an entry with a written reason in ``EXCLUDED``, else
:func:`test_every_public_kernel_is_covered_or_excluded` fails.

Each case is ``(fn, stacked)``: ``fn`` takes the mapped array arguments (other arguments are fixed
Python values closed over, i.e. static), ``stacked`` holds two instances of each mapped argument on
a leading axis. The kernel is run eagerly on each instance (host checks on where the kernel has
them), under ``jit`` (host checks skipped on tracers; ``validate=False`` where the kernel asks for
it) and under ``vmap`` over the two instances; all three must agree (same shapes and dtypes; floats
to 1e-12 relative, 1e-13 absolute: the traced and the eager paths run the same computation, so only
reassociation inside fused XLA kernels can differ, by a few ulps of the O(1..10) inputs; that
matters only for quantities at rounding level, such as the 1e-15 residual of a converged solver). The expected values are the kernel's own eager
results: this test checks composability, the kernels' correctness is tested elsewhere against
independent anchors. ``GRAD`` lists the differentiable kernels: ``jax.grad`` is compared with a
central finite difference of the eager function (step 1e-6, tolerance 1e-6 relative: the
truncation error is O(h^2) and the rounding error O(eps/h) ~ 1e-10).

The social-choice cases live in ``test_social_choice_compose.py`` (same harness) and are imported.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import aligntheory.kernels as KP
from aligntheory.config import configure

configure()

from aligntheory.kernels import elasticity as E  # noqa: E402
from aligntheory.kernels import ibn as I  # noqa: E402
from aligntheory.kernels import progress as PR  # noqa: E402
from aligntheory.kernels import safety as SA  # noqa: E402
from aligntheory.kernels import safety_multiplier as SM  # noqa: E402
from tests.kernels.test_social_choice_compose import CASES as SOCIAL_CASES  # noqa: E402
from tests.kernels.test_social_choice_compose import NOT_KERNELS as SOCIAL_NOT_KERNELS  # noqa: E402

RNG = np.random.default_rng(20261206)
KEYS = jax.random.split(jax.random.PRNGKey(7), 2)


def _kernel_names() -> set[str]:
    """``module.name`` of every public function in ``aligntheory.kernels.<module>.__all__``."""
    out = set()
    for info in pkgutil.iter_modules(KP.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"aligntheory.kernels.{info.name}")
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or (callable(obj) and not inspect.isclass(obj) and not isinstance(obj, (int, float))):
                out.add(f"{info.name}.{name}")
    return out


def _dist(shape):
    p = RNG.random(shape) + 0.05
    return p / p.sum(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------------------------
# fixed small inputs

P3 = [_dist((2, 6)) for _ in range(3)]  # three stacked probability vectors (2 instances, 6 leaves)
LD = np.log(np.stack([_dist((2, 6)), _dist((2, 6))], axis=1))  # (2 instances, 2 rows, 6)
LS = np.log(RNG.integers(1, 9, (2, 2)).astype(float))
LEAF_LP = np.log(_dist((2, 7)))  # V = 2, depth = 2: 1 + 2 + 4 = 7 nodes
CNT = RNG.integers(0, 20, (2, 6)).astype(float)
CNT2 = RNG.integers(0, 20, (2, 6)).astype(float)

EDGES = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
COND = RNG.uniform(0.5, 2.0, (2, 5))
L2 = np.stack([np.asarray(I.laplacian_dense(4, EDGES, conductances=c)) for c in COND])
R_TRUE = RNG.normal(size=(2, 4))
KCMP = np.full((2, 5), 6.0)
WINS = np.stack([[3.0, 2.0, 4.0, 1.0, 5.0], [2.0, 3.0, 1.0, 4.0, 3.0]])
PAIRS = np.array([[0, 2], [1, 3]])

REF = _dist((2, 5))
REW = RNG.normal(size=(2, 5))
COST = RNG.normal(size=(2, 5))
REFB, REWB, COSTB = _dist((2, 2, 5)), RNG.normal(size=(2, 2, 5)), RNG.normal(size=(2, 2, 5))
LAMS = np.array([0.0, 0.5, 2.0])

EPI = RNG.normal(1.0, 0.3, (2, 12, 3))
WIN = np.array([1, 3])
THR = np.array([0.8, 1.2])
LRS = np.array([0.05, 0.2])

VALS = RNG.normal(size=(2, 3, 4))
PROG = RNG.normal(size=(2, 10)).cumsum(axis=-1)

# name -> (function of the mapped arguments, tuple of stacked arguments)
CASES = {
    # elasticity
    "elasticity.token_tree_leaf_probs": (lambda k: E.token_tree_leaf_probs(k, 2, 2, 0.3, 1.0), (KEYS,)),
    "elasticity.prune": (lambda lp: E.prune(lp, 2, 2, 1, validate=False), (LEAF_LP,)),
    "elasticity.mixture_logq": (lambda ld, ls: E.mixture_logq(ld, ls, validate=False), (LD, LS)),
    "elasticity.gamma": (lambda a, b, c: E.gamma(a, b, c, 1.5, 0.5, validate=False), tuple(P3)),
    "elasticity.gamma_grad": (lambda a, b, c: E.gamma_grad(a, b, c, 1.5, 0.5, validate=False), tuple(P3)),
    "elasticity.stable_derivatives": (lambda a, b, c: E.stable_derivatives(a, b, c, 1.5, 0.5, validate=False),
                                      tuple(P3)),
    "elasticity.stable_derivatives_batched": (
        lambda a, b, c: E.stable_derivatives_batched(a, b, c, np.array([0.5, 2.0]), np.array([0.0, 1.0]),
                                                     validate=False), tuple(P3)),
    "elasticity.sample_counts": (lambda k: E.sample_counts(k, P3[0][0], 50, validate=False), (KEYS,)),
    "elasticity.mle_from_counts": (lambda c: E.mle_from_counts(c, 0.5, validate=False), (np.stack([CNT, CNT2], 1),)),
    "elasticity.mc_delta_gamma": (lambda k: E.mc_delta_gamma(k, P3[0][0], P3[1][0], P3[2][0], 200.0, 1.0, 0.5, 3,
                                                             validate=False), (KEYS,)),
    # ibn (dense resistance, solvers)
    "ibn.laplacian_dense": (lambda c: I.laplacian_dense(4, EDGES, conductances=c), (COND,)),
    "ibn.reff_dense_cholesky": (I.reff_dense_cholesky, (L2,)),
    "ibn.effective_resistance_dense": (lambda c: I.effective_resistance_dense(4, EDGES, conductances=c,
                                                                              method="xla"), (COND,)),
    "ibn.effective_resistance_dense_batched": (
        lambda c: I.effective_resistance_dense_batched(4, np.stack([EDGES, EDGES]), conductances=c),
        (np.stack([COND, COND[::-1]]),)),

    "ibn.reff_sketch": (lambda k, c: I.reff_sketch(k, 4, EDGES, conductances=c, k=8, pairs=PAIRS), (KEYS, COND)),
    # ibn (Bradley-Terry; owner: perf engineer)
    "ibn.simulate_bt": (lambda k, r: I.simulate_bt(k, r, EDGES, KCMP[0], 1.0), (KEYS, R_TRUE)),
    "ibn.fit_ls_continuous": (lambda d: I.fit_ls_continuous(4, EDGES, d, KCMP[0], 1.0), (WINS,)),
    "ibn.strongly_connected_dense": (lambda w: I.strongly_connected_dense(4, EDGES, w, KCMP[0]), (WINS,)),
    "ibn.simulate_bt_continuous": (lambda k, r: I.simulate_bt_continuous(k, r, EDGES, KCMP[0], 1.0), (KEYS, R_TRUE)),
    "ibn.fit_bt_newton": (lambda w: I.fit_bt_newton(4, EDGES, w, KCMP[0], 1.0, throw=False), (WINS,)),
    "ibn.fit_bt_newman": (lambda w: I.fit_bt_newman(4, EDGES, w, KCMP[0], 1.0, prior_strength=1.0, throw=False),
                          (WINS,)),
    # k_max (static) picks the sampler; under jit K is traced, so pass it for the eager call's draws
    "ibn.mc_difference_variance": (
        lambda k: I.mc_difference_variance(k, R_TRUE[0], EDGES, KCMP[0], 1.0, PAIRS, 4, k_max=6), (KEYS,)),
    "ibn.mc_difference_variance_continuous": (
        lambda k: I.mc_difference_variance_continuous(k, R_TRUE[0], EDGES, KCMP[0], 1.0, PAIRS, 4), (KEYS,)),
    # ibn (synthetic data sets; owner: fuzz engineer)
    "ibn.chain_pairs": (lambda k: I.chain_pairs(k, 6, 2, 3), (KEYS,)),
    "ibn.chain_cluster_graph": (lambda k: I.chain_cluster_graph(k, 6, 3), (KEYS,)),
    "ibn.tree_pairs": (lambda k: I.tree_pairs(k, 6, 2, 3, 2, 2), (KEYS,)),
    "ibn.er_graph": (lambda k: I.er_graph(k, 6, 1.5), (KEYS,)),
    # result is None under tracing (the status is decided on the host): compare values and residuals
    "ibn.reff_pairs_pcg": (lambda c: I.reff_pairs_pcg(4, EDGES, conductances=c, pairs=PAIRS)[:3],
                           (np.array([[1.0, 2.0, 0.5, 1.5, 1.0], [0.3, 1.0, 2.0, 1.0, 4.0]]),)),
    "ibn.hops_bfs": (lambda src: I.hops_bfs(4, EDGES[:3], None, src), (np.array([[0, 1], [2, 3]]),)),
    "elasticity.train_softmax": (lambda t: E.train_softmax(KEYS[0], np.zeros(6), t, np.array([1.0]), 20, 0.5,
                                                           throw=False, validate=False), (P3[1][:, None, :],)),
    # progress
    "progress.extrapolate_batched": (lambda v: PR.extrapolate_batched(v, 2, 1), (VALS,)),
    "progress.coevolve_score": (PR.coevolve_score, (VALS, VALS[::-1])),
    "progress.simulate_coevolution": (lambda k, p: PR.simulate_coevolution(k, 0.3, 0.2, 1.0, p, 0.1, validate=False),
                                      (KEYS, PROG[:, :, None])),
    "progress.simulate_vote_extrapolation": (lambda k: PR.simulate_vote_extrapolation(
        k, np.array([0.1, 0.2, 0.3, 0.35]), 2, 1, 16), (KEYS,)),
    "progress.mc_extrapolation_mse": (lambda k: PR.mc_extrapolation_mse(k, np.array([0.0, 1.0, 4.0]), 0.1, 2, 1, 32,
                                                                       target=9.0), (KEYS,)),
    # safety
    "safety.tilted_policy_batched": (lambda p, r, c: SA.tilted_policy_batched(p, r, c, LAMS, 1.0), (REFB, REWB, COSTB)),
    "safety.tilted_moments_batched": (lambda p, r, c: SA.tilted_moments_batched(p, r, c, LAMS, 1.0),
                                      (REFB, REWB, COSTB)),
    "safety.optimal_multiplier_batched": (lambda p, r, c: SA.optimal_multiplier_batched(p, r, c, 1.0,
                                                                                        np.array([-0.1, 0.2])),
                                          (REFB, REWB, COSTB)),
    "safety.dual_ascent_batched": (lambda p, r, c: SA.dual_ascent_batched(p, r, c, 1.0, 0.0, np.array([0.1, 0.5]),
                                                                          np.array([0.0, 1.0]), 5), (REF, REW, COST)),
    "safety.simulate_primal_dual": (lambda k: SA.simulate_primal_dual(k, REF[0], REW[0], COST[0], 1.0, 0.0, 0.1, 5,
                                                                      n_samples=8), (KEYS,)),
    "safety.fit_cost_model": (lambda h: SA.fit_cost_model(np.array([[0, 1], [1, 2], [2, 0], [0, 2]]), h,
                                                          np.array([[0, 1], [1, 0], [0, 0], [1, 1]]), 3,
                                                          throw=False),
                              (np.array([[1, 0, 1, 0], [0, 0, 1, 1]]),)),
    "safety.simulate_dual_preferences": (lambda k: SA.simulate_dual_preferences(k, COST[0], 6), (KEYS,)),
    # safety_multiplier
    "safety_multiplier.window_means_batched": (lambda e: SM.window_means_batched(e, WIN), (EPI,)),
    "safety_multiplier.lagrangian_multiplier_sweep": (lambda e: SM.lagrangian_multiplier_sweep(e, THR, LRS, WIN),
                                                      (EPI,)),
    "safety_multiplier.pid_multiplier_sweep": (lambda e: SM.pid_multiplier_sweep(e, THR, LRS, LRS, WIN), (EPI,)),
}
CASES.update({f"social_choice.{n}": case for n, case in SOCIAL_CASES.items()})

# name -> why it is not run under jit/vmap here
HOST = "host-level by design: "
EXCLUDED = {
    "elasticity.first_crossing": HOST + "returns a Python int or None (an index found on the host)",
    "elasticity.make_protocol_data": HOST + "data generator driven by an integer seed on the host (numpy)",
    "elasticity.stack_protocol_data": HOST + "stacks a Python list of ProtocolData result objects",
    "elasticity.empirical_pretraining_data": HOST + "takes a ProtocolData and returns one (a data-set builder)",
    "elasticity.init_params": HOST + "takes a ModelSpec (static model description) and builds a parameter dict",
    "elasticity.model_logprobs": HOST + "dispatches on the parameter dict's structure (model family)",
    "elasticity.pretrain": HOST + "training driver: Python-level schedule over a ModelSpec",
    "elasticity.sequential_finetune": HOST + "protocol driver (pretrain, align, tamper, distil) with host control flow",
    "elasticity.sequential_finetune_batched": HOST + "protocol driver; vmaps over seeds internally",
    "elasticity.distill_steps": HOST + "iterates to a stopping rule on the host (max_steps, frac)",
    "elasticity.distill_steps_batched": HOST + "iterates to a stopping rule on the host; vmapped internally",
    "ibn.tree_layout": HOST + "returns a dict of Python ints (a layout computed from sizes)",
    "ibn.tree_elimination_order": HOST + "numpy/scipy host routine (aligntheory.numerics), re-exported",
    "ibn.solve_laplacian": HOST + "numpy/scipy host solver (aligntheory.numerics), re-exported",
    "ibn.aggregate_comparisons": HOST + "numpy host routine (aligntheory.numerics), re-exported",
    "ibn.fit_bradley_terry": HOST + "numpy/scipy host fitter with labels (aligntheory.numerics), re-exported",
    "elasticity.two_segment_fit": HOST + "exhaustive least-squares search over breakpoints in numpy; returns floats",
    "elasticity.two_segment_fit_batched": HOST + "closed-form breakpoint search in numpy over a batch of curves "
                                                 "(cumulative sums, 3x3 normal equations); returns a result of numpy arrays",
    "elasticity.first_crossing_batched": HOST + "numpy index search per curve; returns int64 indices (-1: never)",
    "ibn.chain_tree_datasets_batched": HOST + "places the seed axis on a device Mesh (NamedSharding), pads and drops "
                                              "on the host; its per-seed parts chain_pairs and tree_pairs are covered",
    "ibn.seed_mesh": HOST + "builds a jax.sharding.Mesh from devices (no array input)",
    "ibn.solve_laplacian_tree": HOST + "takes a TreeOrder built on the host by tree_elimination_order",
    "progress.simulate_coevolution_batched": HOST + "checks the stability of every (alpha, kappa) on the host "
                                                    "(UnstableParametersError) before the jitted scan",
    "safety.fit_dual_bt": HOST + "simulate-then-fit driver (solver-like, host convergence check)",
}

# differentiable kernels: name -> (scalar function of one float64 array, point)
GRAD = {
    "elasticity.gamma": (lambda l: E.gamma(P3[0][0], P3[1][0], P3[2][0], 1.5, l, validate=False).gamma_t,
                         np.array(0.7)),
    "elasticity.mixture_logq": (lambda ls: E.mixture_logq(LD[0], ls, validate=False)[0], LS[0]),
    "ibn.laplacian_dense": (lambda c: I.laplacian_dense(4, EDGES, conductances=c)[0, 0], COND[0]),
    "ibn.reff_dense_cholesky": (lambda c: I.reff_dense_cholesky(I.laplacian_dense(4, EDGES, conductances=c))[0, 2],
                                COND[0]),
    "ibn.effective_resistance_dense": (lambda c: I.effective_resistance_dense(4, EDGES, conductances=c,
                                                                              method="xla")[1, 3], COND[0]),
    "progress.extrapolate_batched": (lambda v: PR.extrapolate_batched(v[None], 2, 1)[0], VALS[0, 0, :3]),
    "safety.tilted_moments_batched": (lambda c: SA.tilted_moments_batched(REF[:1], REW[:1], c[None], LAMS, 1.0)[0][0, 1],
                                      COST[0]),
    "safety_multiplier.window_means_batched": (lambda e: SM.window_means_batched(e, WIN).ravel()[-1], EPI[0]),

}


def test_every_public_kernel_is_covered_or_excluded():
    names = _kernel_names() - {f"social_choice.{n}" for n in SOCIAL_NOT_KERNELS}
    missing = names - set(CASES) - set(EXCLUDED)
    assert not missing, f"public kernels with neither a jit/vmap case nor a written exclusion: {sorted(missing)}"
    stale = (set(CASES) | set(EXCLUDED)) - names
    assert not stale, f"cases or exclusions for names that are not public kernels: {sorted(stale)}"
    assert not set(CASES) & set(EXCLUDED)
    assert all(len(why) > len(HOST) + 10 for why in EXCLUDED.values())
    assert set(GRAD) <= set(CASES)


def _same(a, b, where):
    # a RESULTS status (a host value) is dropped: solver-like kernels return None there under tracing
    la = [x for x in jax.tree.leaves(a) if not isinstance(x, enum.Enum)]
    lb = [x for x in jax.tree.leaves(b) if not isinstance(x, enum.Enum)]
    assert len(la) == len(lb), where
    for x, y in zip(la, lb):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (where, x.shape, y.shape, x.dtype, y.dtype)
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-13, err_msg=where)
        else:
            np.testing.assert_array_equal(x, y, err_msg=where)


@pytest.mark.parametrize("name", sorted(n for n in CASES if not n.startswith("social_choice.")))
def test_kernel_under_jit_and_vmap(name):
    fn, stacked = CASES[name]
    eager = [fn(*(a[i] for a in stacked)) for i in range(2)]
    jitted = jax.jit(fn)
    for i in range(2):
        _same(jitted(*(jnp.asarray(a[i]) for a in stacked)), eager[i], f"{name}: jit, instance {i}")
    mapped = jax.vmap(fn)(*(jnp.asarray(a) for a in stacked))
    for i in range(2):
        _same(jax.tree.map(lambda x, i=i: x[i], mapped), eager[i], f"{name}: vmap, instance {i}")


@pytest.mark.parametrize("name", sorted(GRAD))
def test_grad_matches_finite_differences(name):
    fn, x0 = GRAD[name]
    x0 = np.asarray(x0, dtype=np.float64)
    g = np.asarray(jax.grad(fn)(jnp.asarray(x0)))
    gj = np.asarray(jax.jit(jax.grad(fn))(jnp.asarray(x0)))
    h = 1e-6
    fd = np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        e = np.zeros_like(x0)
        e[idx] = h
        fd[idx] = (float(fn(x0 + e)) - float(fn(x0 - e))) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gj, g, rtol=1e-12, atol=1e-15)
