"""Argument-boundary claims (issue 11): each validated argument of the ibn pillar refused one step past its documented boundary and accepted at it.

* ``ibn.argument_boundaries_theory`` -- the public functions of :mod:`aligntheory.theory.ibn`;
* ``ibn.argument_boundaries_kernels`` -- the public functions of :mod:`aligntheory.kernels.ibn` and
  :mod:`aligntheory.analysis.ibn`.

Every boundary comes from the Parameters section of the function's docstring (``> 0``, ``>= 0``,
``>= 1``, ``in [lo, hi]``, a size cap); a row calls one argument EXACTLY at a closed boundary (a result
is expected) or ONE STEP past it (the smallest float/integer step: ``lo - 1``, ``hi + 1``, ``0.0`` for
``> 0``, ``-5e-324`` for ``>= 0``, ``np.nextafter(bound, +-inf)`` for a float bound, ``inf``/``nan``
for finiteness; the documented error naming the argument is expected), the other arguments at the
docstring Examples' values. The table is written here, fixed in advance (never read from the source).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from aligntheory.errors import InvalidInputError, SizeCapError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence, quiet
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="qiu2024reward", where="failure contract, docs/DESIGN.md §7 (argument boundaries)")
_IIE = InvalidInputError
_TINY = 5e-324  # the smallest positive float64
_NEG = -5e-324  # one step below 0.0
_E3 = [[0, 1], [1, 2]]  # the path 0 - 1 - 2 of the docstring examples


def _up(x: float) -> float:
    return float(np.nextafter(x, np.inf))


def _down(x: float) -> float:
    return float(np.nextafter(x, -np.inf))


_quiet = quiet  # proofs_check._helpers


def _C(label, call, refuse=None):
    return ContractCase(label, _quiet(call), refuse)


def _pcg_padded(K) -> np.ndarray:
    """reff_pairs_pcg on the path 0-1-2-3 with two unused (padding) nodes 4, 5: R(0, 3) = 3, R(1, 2) = 1 (series
    resistors, written here); another value is refused as an AssertionError (the row then fails)."""
    vals = np.asarray(K.reff_pairs_pcg(6, np.array([[0, 1], [1, 2], [2, 3]]), conductances=np.ones(3),
                                       pairs=np.array([[0, 3], [1, 2]])).values)
    if not np.allclose(vals, [3.0, 1.0], rtol=1e-9, atol=0.0):
        raise AssertionError(f"padded path: resistances {vals.tolist()}, expected [3.0, 1.0]")
    return vals


def _warns(call, expected: bool):
    """Run ``call`` recording warnings; an AsymptoticRangeWarning present (or absent) against ``expected`` becomes
    an AssertionError (the row then fails)."""
    import warnings

    from aligntheory.errors import AsymptoticRangeWarning

    def run():
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            out = call()
        got = any(issubclass(w.category, AsymptoticRangeWarning) for w in rec)
        if got != expected:
            raise AssertionError(f"AsymptoticRangeWarning {'issued' if got else 'not issued'}, expected "
                                 f"{'one' if expected else 'none'}")
        return out

    return run


def _rows_feedback_mechanism() -> list[ContractCase]:
    import aligntheory.theory.ibn as T

    F = T.StructuralFunction("poly", 1.0, 1.0)
    M4 = T.connectivity_granularity(1e4)
    return [
        # bt_prob(r_a, r_b, beta): rewards finite, beta > 0
        _C("bt_prob: beta 5e-324 accepted", lambda: T.bt_prob(1.0, 0.0, _TINY)),
        _C("bt_prob: beta 0 refused", lambda: T.bt_prob(1.0, 0.0, 0.0), (_IIE, "beta")),
        _C("bt_prob: r_a inf refused", lambda: T.bt_prob(np.inf, 0.0, 1.0), (_IIE, "r_a")),
        _C("bt_prob: r_a nan refused", lambda: T.bt_prob(np.nan, 0.0, 1.0), (_IIE, "r_a")),
        _C("bt_prob: r_b -inf refused", lambda: T.bt_prob(0.0, -np.inf, 1.0), (_IIE, "r_b")),
        # hp_edge_var(beta, feedback, estimator, p, delta_r): beta > 0, p in the open (0, 1), delta_r finite
        _C("hp_edge_var: beta 1e-150 accepted", lambda: T.hp_edge_var(1e-150, feedback="binary", p=0.5)),
        _C("hp_edge_var: beta 0 refused", lambda: T.hp_edge_var(0.0, feedback="continuous"), (_IIE, "beta")),
        _C("hp_edge_var: feedback 'ternary' refused", lambda: T.hp_edge_var(1.0, feedback="ternary"),
           (_IIE, "feedback")),
        _C("hp_edge_var: p 0 refused", lambda: T.hp_edge_var(1.0, feedback="binary", p=0.0), (_IIE, "p")),
        _C("hp_edge_var: p 1 refused", lambda: T.hp_edge_var(1.0, feedback="binary", p=1.0), (_IIE, "p")),
        _C("hp_edge_var: p 1 - 2^-53 accepted", lambda: T.hp_edge_var(1.0, feedback="binary", p=_down(1.0))),
        _C("hp_edge_var: p 2^-30 accepted", lambda: T.hp_edge_var(1.0, feedback="binary", p=2.0**-30)),
        _C("hp_edge_var: p nan refused", lambda: T.hp_edge_var(1.0, feedback="binary", p=np.nan), (_IIE, "p")),
        _C("hp_edge_var: delta_r inf refused", lambda: T.hp_edge_var(1.0, feedback="binary", delta_r=np.inf),
           (_IIE, "delta_r")),
        _C("hp_edge_var: delta_r 0 accepted", lambda: T.hp_edge_var(1.0, feedback="binary", delta_r=0.0)),
        # decoder_bounds(eps, beta): eps >= 0, beta > 0
        _C("decoder_bounds: eps 0 accepted", lambda: float(T.decoder_bounds(0.0, 2.0).kl)),
        _C("decoder_bounds: eps -5e-324 refused", lambda: T.decoder_bounds(_NEG, 2.0), (_IIE, "eps")),
        _C("decoder_bounds: eps inf refused", lambda: T.decoder_bounds(np.inf, 2.0), (_IIE, "eps")),
        _C("decoder_bounds: beta 0 refused", lambda: T.decoder_bounds(0.5, 0.0), (_IIE, "beta")),
        # chain_cost(M, n, F, s2, hops): s2 >= 0, M > 0 in [2, M_conn(n)], hops a choice
        _C("chain_cost: s2 0, M = M_conn(n) accepted", lambda: T.chain_cost(M4, 1e4, F, 0.0)),
        _C("chain_cost: M 2 accepted", lambda: T.chain_cost(2.0, 1e4, F, 0.0)),
        _C("chain_cost: n = 1000 accepted without AsymptoticRangeWarning (documented: below 1000 it warns)",
           _warns(lambda: T.chain_cost(2.0, 1000, F, 0.0), False)),
        _C("chain_cost: n = 999 accepted with an AsymptoticRangeWarning",
           _warns(lambda: T.chain_cost(2.0, 999, F, 0.0), True)),
        _C("chain_cost: M 2 - 2^-52 refused", lambda: T.chain_cost(_down(2.0), 1e4, F, 0.0), (_IIE, "M")),
        _C("chain_cost: M next above M_conn(n) refused", lambda: T.chain_cost(_up(M4) * (1 + 1e-12), 1e4, F, 0.0),
           (_IIE, "M")),
        _C("chain_cost: M 0 refused", lambda: T.chain_cost(0.0, 1e4, F, 0.0), (_IIE, "M")),
        _C("chain_cost: s2 -5e-324 refused", lambda: T.chain_cost(M4, 1e4, F, _NEG), (_IIE, "s2")),
        _C("chain_cost: hops 'exact' refused", lambda: T.chain_cost(M4, 1e4, F, 0.0, hops="exact"), (_IIE, "hops")),
        # tree_cost(n, F, s2, h_T): n > 0, s2 >= 0, h_T >= 0
        _C("tree_cost: s2 0, h_T 0 accepted", lambda: T.tree_cost(1e3, F, 0.0, h_T=0.0)),
        _C("tree_cost: n 0 refused", lambda: T.tree_cost(0.0, F, 0.0), (_IIE, "n_comparisons")),
        _C("tree_cost: s2 -5e-324 refused", lambda: T.tree_cost(1e3, F, _NEG), (_IIE, "s2")),
        _C("tree_cost: h_T -5e-324 refused", lambda: T.tree_cost(1e3, F, 0.0, h_T=_NEG), (_IIE, "h_T")),
        # optimal_M(n, F, s2, hops)
        _C("optimal_M: s2 0 accepted", lambda: T.optimal_M(1e4, T.StructuralFunction("poly", 1.0, 0.25), 0.0).M_star),
        _C("optimal_M: s2 -5e-324 refused", lambda: T.optimal_M(1e4, F, _NEG), (_IIE, "s2")),
        _C("optimal_M: hops 'exact' refused", lambda: T.optimal_M(1e4, F, 0.0, hops="exact"), (_IIE, "hops")),
        # chain_tree_ratio(n, F, s2, h_T, hops)
        _C("chain_tree_ratio: s2 0, h_T 0 accepted", lambda: float(T.chain_tree_ratio(1e3, F, 0.0, 0.0))),
        _C("chain_tree_ratio: s2 -5e-324 refused", lambda: T.chain_tree_ratio(1e3, F, _NEG), (_IIE, "s2")),
        _C("chain_tree_ratio: h_T -5e-324 refused", lambda: T.chain_tree_ratio(1e3, F, 0.0, _NEG), (_IIE, "h_T")),
        _C("chain_tree_ratio: hops 'exact' refused", lambda: T.chain_tree_ratio(1e3, F, 0.0, hops="exact"),
           (_IIE, "hops")),
        # closed_form_chain_tree_ratio(n, h_T): n > 0, h_T >= 0 (numbers)
        _C("closed_form_chain_tree_ratio: h_T 0 accepted", lambda: float(T.closed_form_chain_tree_ratio(1000, 0))),
        _C("closed_form_chain_tree_ratio: n 0 refused", lambda: T.closed_form_chain_tree_ratio(0, 0),
           (_IIE, "n_comparisons")),
        _C("closed_form_chain_tree_ratio: h_T -10^-300 (exact rational) refused",
           lambda: T.closed_form_chain_tree_ratio(1000, sp.Rational(-1, 10**300)),
           (_IIE, "h_T")),
        # regime_of(n, F, s2), n_regime_A_limit(F, s2)
        _C("regime_of: s2 0 accepted", lambda: T.regime_of(1e3, F, 0.0)),
        _C("regime_of: n 0 refused", lambda: T.regime_of(0.0, F, 1e-4), (_IIE, "n_comparisons")),
        _C("regime_of: s2 -5e-324 refused", lambda: T.regime_of(1e3, F, _NEG), (_IIE, "s2")),
        _C("n_regime_A_limit: s2 0.01 accepted", lambda: T.n_regime_A_limit(F, 0.01)),
        _C("n_regime_A_limit: s2 -5e-324 refused", lambda: T.n_regime_A_limit(F, _NEG), (_IIE, "s2")),
        # sample_size_for_distance(eps, F, s2, topology, h_T): eps > 0, s2 >= 0, h_T >= 0, topology a choice
        _C("sample_size_for_distance: s2 0, h_T 0 accepted", lambda: T.sample_size_for_distance(0.002, F, 0.0, "tree")),
        _C("sample_size_for_distance: eps 0 refused", lambda: T.sample_size_for_distance(0.0, F, 0.0, "tree"),
           (_IIE, "eps")),
        _C("sample_size_for_distance: s2 -5e-324 refused",
           lambda: T.sample_size_for_distance(0.002, F, _NEG, "tree"), (_IIE, "s2")),
        _C("sample_size_for_distance: h_T -5e-324 refused",
           lambda: T.sample_size_for_distance(0.002, F, 0.0, "tree", h_T=_NEG), (_IIE, "h_T")),
        _C("sample_size_for_distance: topology 'star' refused",
           lambda: T.sample_size_for_distance(0.002, F, 0.0, "star"), (_IIE, "topology")),
    ]


def _rows_graphs_universe() -> list[ContractCase]:
    import aligntheory.theory.ibn as T

    F = T.StructuralFunction("poly", 1.0, 1.0)
    g = T.IBN(3, _E3, [1.0, 3.0])
    v2 = [1.0, 1.0]
    return [
        # random-graph hop counts: n_nodes >= 20, mean_degree in (1, n_nodes)
        _C("er_hops_fronczak: n_nodes 20, mean_degree 2 accepted", lambda: T.er_hops_fronczak(20.0, 2.0)),
        _C("er_hops_fronczak: n_nodes 20 - 2^-48 refused", lambda: T.er_hops_fronczak(_down(20.0), 2.0),
           (_IIE, "n_nodes")),
        _C("er_hops_fronczak: n_nodes 0 refused", lambda: T.er_hops_fronczak(0.0, 2.0), (_IIE, "n_nodes")),
        _C("er_hops_fronczak: mean_degree 1 refused", lambda: T.er_hops_fronczak(100.0, 1.0), (_IIE, "mean_degree")),
        _C("er_hops_fronczak: mean_degree 1 + 2^-52 accepted", lambda: T.er_hops_fronczak(100.0, _up(1.0))),
        _C("er_hops_fronczak: mean_degree = n_nodes refused", lambda: T.er_hops_fronczak(100.0, 100.0),
           (_IIE, "mean_degree")),
        _C("er_hops_asymptotic: mean_degree 0 refused", lambda: T.er_hops_asymptotic(100.0, 0.0), (_IIE, "mean_degree")),
        _C("er_hops_asymptotic: n_nodes 19 refused", lambda: T.er_hops_asymptotic(19.0, 2.0), (_IIE, "n_nodes")),
        # connectivity_granularity(n) > 0; n_for_granularity(M) > 1
        _C("connectivity_granularity: n 1e3 accepted", lambda: T.connectivity_granularity(1e3)),
        _C("connectivity_granularity: n 0 refused", lambda: T.connectivity_granularity(0.0), (_IIE, "n_comparisons")),
        _C("closed_form_connectivity_granularity: n 0 refused", lambda: T.closed_form_connectivity_granularity(0),
           (_IIE, "n_comparisons")),
        _C("n_for_granularity: M e^2 accepted", lambda: T.n_for_granularity(np.e**2)),
        _C("n_for_granularity: M 1 refused", lambda: T.n_for_granularity(1.0), (_IIE, "M")),
        _C("n_for_granularity: M 0 refused", lambda: T.n_for_granularity(0.0), (_IIE, "M")),
        # laplacian / effective_resistance / ... : n_nodes <= max_nodes; tol in (0, 0.5]; max_nodes >= 1
        _C("laplacian: 3 nodes at max_nodes 3 accepted", lambda: T.laplacian(3, _E3, variances=v2, max_nodes=3)),
        _C("laplacian: 3 nodes over max_nodes 2 refused", lambda: T.laplacian(3, _E3, variances=v2, max_nodes=2),
           (SizeCapError, "n_nodes")),
        _C("effective_resistance: max_nodes 3, tol 0.5 accepted",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], tol=0.5, max_nodes=3)),
        _C("effective_resistance: 3 nodes over max_nodes 2 refused",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], max_nodes=2), (SizeCapError, "n_nodes")),
        _C("effective_resistance: max_nodes 0 refused",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], max_nodes=0), (_IIE, "max_nodes")),
        _C("effective_resistance: tol 0.5 + 2^-53 refused",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], tol=_up(0.5)), (_IIE, "tol")),
        _C("effective_resistance: tol 0 refused",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], tol=0.0), (_IIE, "tol")),
        _C("effective_resistance: method 'lu' refused",
           lambda: T.effective_resistance(3, _E3, variances=v2, pairs=[[0, 2]], method="lu"), (_IIE, "method")),
        _C("shortest_path_variance: max_nodes 3 accepted",
           lambda: T.shortest_path_variance(3, _E3, variances=v2, max_nodes=3)),
        _C("shortest_path_variance: over max_nodes 2 refused",
           lambda: T.shortest_path_variance(3, _E3, variances=v2, max_nodes=2),
           (SizeCapError, "n_nodes")),
        _C("kirchhoff_index: max_nodes 3 accepted", lambda: T.kirchhoff_index(3, _E3, variances=v2, max_nodes=3)),
        _C("kirchhoff_index: over max_nodes 2 refused", lambda: T.kirchhoff_index(3, _E3, variances=v2, max_nodes=2),
           (SizeCapError, "n_nodes")),
        _C("foster_sum: max_nodes 3 accepted", lambda: T.foster_sum(3, _E3, variances=v2, max_nodes=3)),
        _C("foster_sum: over max_nodes 2 refused", lambda: T.foster_sum(3, _E3, variances=v2, max_nodes=2),
           (SizeCapError, "n_nodes")),
        _C("laplacian: n_nodes 0 refused", lambda: T.laplacian(0, np.zeros((0, 2), int), variances=[]),
           (_IIE, "n_nodes")),
        _C("laplacian: n_nodes 1 accepted", lambda: T.laplacian(1, np.zeros((0, 2), int), variances=[])),
        _C("closed_form_reff: kind 'wheel' refused", lambda: T.closed_form_reff("wheel"), (_IIE, "kind")),
        # IBN(n_nodes >= 1, ...); inference_distances: prior_var > 0, method a choice
        _C("IBN: 1 node accepted", lambda: T.IBN(1, np.zeros((0, 2), int), []).n_nodes),
        _C("IBN: 0 nodes refused", lambda: T.IBN(0, np.zeros((0, 2), int), []), (_IIE, "n_nodes")),
        _C("inference_distances: prior_var 5e-324 accepted",
           lambda: T.inference_distances(g, [[0, 2]], prior_var=1e-300)),
        _C("inference_distances: prior_var 0 refused", lambda: T.inference_distances(g, [[0, 2]], prior_var=0.0),
           (_IIE, "prior_var")),
        _C("inference_distances: method 'lu' refused", lambda: T.inference_distances(g, [[0, 2]], method="lu"),
           (_IIE, "method")),
        # StructuralFunction(regime, I > 0, alpha > 0); inverse(y) in (0, I]
        _C("StructuralFunction: I 0 refused", lambda: T.StructuralFunction("poly", 0.0, 1.0), (_IIE, "I")),
        _C("StructuralFunction: alpha 0 refused", lambda: T.StructuralFunction("poly", 1.0, 0.0), (_IIE, "alpha")),
        _C("StructuralFunction: regime 'exp' refused", lambda: T.StructuralFunction("exp", 1.0, 1.0), (_IIE, "regime")),
        _C("StructuralFunction.inverse: y = I accepted", lambda: F.inverse(1.0)),
        _C("StructuralFunction.inverse: y = I + 2^-52 refused", lambda: F.inverse(_up(1.0)), (_IIE, "y")),
        _C("StructuralFunction.inverse: y 0 refused", lambda: F.inverse(0.0), (_IIE, "y")),
        # tau_schedule(F, B >= 2, D >= 1, max_depth)
        _C("tau_schedule: B 2, D 1 accepted", lambda: T.tau_schedule(F, 2, 1)),
        _C("tau_schedule: B 1 refused", lambda: T.tau_schedule(F, 1, 3), (_IIE, "B")),
        _C("tau_schedule: D 0 refused", lambda: T.tau_schedule(F, 2, 0), (_IIE, "D")),
        _C("tau_schedule: D 3 at max_depth 3 accepted", lambda: T.tau_schedule(F, 2, 3, max_depth=3)),
        _C("tau_schedule: D 3 over max_depth 2 refused", lambda: T.tau_schedule(F, 2, 3, max_depth=2),
           (SizeCapError, "D")),
        # ibn_from_universe(responses, B >= 2, ..., ib_sharing)
        _C("ibn_from_universe: B 2 accepted",
           lambda: T.ibn_from_universe([[0, 0], [0, 1], [1, 0]], 2, [1.0, 0.5], [[0, 2]], 0.1).n_nodes),
        _C("ibn_from_universe: B 1 refused",
           lambda: T.ibn_from_universe([[0, 0], [0, 0]], 1, [1.0, 0.5], [[0, 1]], 0.1), (_IIE, "B")),
        _C("ibn_from_universe: ib_sharing 'none' refused",
           lambda: T.ibn_from_universe([[0, 0], [0, 1], [1, 0]], 2, [1.0, 0.5], [[0, 2]], 0.1, ib_sharing="none"),
           (_IIE, "ib_sharing")),
        # coverage_distance(n >= 1, F, B >= 2, D >= 1, topology, b in [2, B], d in [1, D])
        _C("coverage_distance: n 1, b = B, d = D accepted", lambda: T.coverage_distance(1, F, 8, 6, "tree", b=8, d=6)),
        _C("coverage_distance: b 2, d 1 accepted", lambda: T.coverage_distance(4096, F, 8, 6, "tree", b=2, d=1)),
        _C("coverage_distance: n 0 refused", lambda: T.coverage_distance(0, F, 8, 6, "chain"), (_IIE, "n_comparisons")),
        _C("coverage_distance: B 1 refused", lambda: T.coverage_distance(4096, F, 1, 6, "chain"), (_IIE, "B")),
        _C("coverage_distance: D 0 refused", lambda: T.coverage_distance(4096, F, 8, 0, "chain"), (_IIE, "D")),
        _C("coverage_distance: b = B + 1 refused", lambda: T.coverage_distance(4096, F, 8, 6, "tree", b=9), (_IIE, "b")),
        _C("coverage_distance: b 1 refused", lambda: T.coverage_distance(4096, F, 8, 6, "tree", b=1), (_IIE, "b")),
        _C("coverage_distance: d = D + 1 refused", lambda: T.coverage_distance(4096, F, 8, 6, "tree", d=7), (_IIE, "d")),
        _C("coverage_distance: d 0 refused", lambda: T.coverage_distance(4096, F, 8, 6, "tree", d=0), (_IIE, "d")),
        _C("coverage_distance: tree, D 1, default d = max(1, D - 1) = 1 accepted",
           lambda: T.coverage_distance(4096, F, 8, 1, "tree")),
        _C("coverage_distance: topology 'star' refused", lambda: T.coverage_distance(4096, F, 8, 6, "star"),
           (_IIE, "topology")),
    ]


def _rows_kernels() -> list[ContractCase]:
    import jax

    import aligntheory.kernels.ibn as K

    key = jax.random.PRNGKey(0)
    keys3 = jax.random.split(key, 3)
    e1, w1, k1, r2 = np.array([[0, 1]]), np.array([3.0]), np.array([4.0]), np.zeros(2)
    e2, c2 = np.array([[0, 1], [1, 2]]), np.array([1.0, 1.0])
    e4, c4, p2 = np.array([[0, 1], [1, 2], [2, 3], [3, 0]]), np.ones(4), np.array([[0, 2], [0, 1]])
    L2 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    big = 2**31  # one past the int32 id range
    return [
        # BT fits: n_nodes >= 1 and <= max_nodes (max_nodes >= 1), beta > 0, tol > 0, maxiter >= 1, prior_strength >= 0
        _C("fit_bt_newton: maxiter 1 (throw=False), max_nodes 2 accepted",
           lambda: K.fit_bt_newton(2, e1, w1, k1, 1.0, maxiter=1, throw=False, max_nodes=2).scores),
        _C("fit_bt_newton: 2 nodes over max_nodes 1 refused", lambda: K.fit_bt_newton(2, e1, w1, k1, 1.0, max_nodes=1),
           (SizeCapError, "n_nodes")),
        _C("fit_bt_newton: max_nodes 0 refused", lambda: K.fit_bt_newton(2, e1, w1, k1, 1.0, max_nodes=0),
           (_IIE, "max_nodes")),
        _C("fit_bt_newton: n_nodes 0 refused", lambda: K.fit_bt_newton(0, e1, w1, k1, 1.0), (_IIE, "n_nodes")),
        _C("fit_bt_newton: beta 0 refused", lambda: K.fit_bt_newton(2, e1, w1, k1, 0.0), (_IIE, "beta")),
        _C("fit_bt_newton: tol 0 refused", lambda: K.fit_bt_newton(2, e1, w1, k1, 1.0, tol=0.0), (_IIE, "tol")),
        _C("fit_bt_newton: maxiter 0 refused", lambda: K.fit_bt_newton(2, e1, w1, k1, 1.0, maxiter=0),
           (_IIE, "maxiter")),
        _C("fit_bt_newman: prior_strength 0, maxiter 1 (throw=False) accepted",
           lambda: K.fit_bt_newman(2, e1, w1, k1, 1.0, maxiter=1, prior_strength=0.0, throw=False).scores),
        _C("fit_bt_newman: prior_strength -5e-324 refused",
           lambda: K.fit_bt_newman(2, e1, w1, k1, 1.0, prior_strength=_NEG), (_IIE, "prior_strength")),
        _C("fit_bt_newman: tol 0 refused", lambda: K.fit_bt_newman(2, e1, w1, k1, 1.0, tol=0.0), (_IIE, "tol")),
        _C("fit_bt_newman: maxiter 0 refused", lambda: K.fit_bt_newman(2, e1, w1, k1, 1.0, maxiter=0),
           (_IIE, "maxiter")),
        _C("fit_bt_newman: beta 0 refused", lambda: K.fit_bt_newman(2, e1, w1, k1, 0.0), (_IIE, "beta")),
        _C("simulate_bt: beta 0 refused", lambda: K.simulate_bt(key, r2, e1, np.array([10.0]), 0.0), (_IIE, "beta")),
        _C("fit_ls_continuous: 3 nodes at max_nodes 3 accepted",
           lambda: K.fit_ls_continuous(3, e2, c2, np.ones(2), 1.0, max_nodes=3)),
        _C("fit_ls_continuous: 3 nodes over max_nodes 2 refused",
           lambda: K.fit_ls_continuous(3, e2, c2, np.ones(2), 1.0, max_nodes=2), (SizeCapError, "n_nodes")),
        _C("fit_ls_continuous: beta 0 refused", lambda: K.fit_ls_continuous(3, e2, c2, np.ones(2), 0.0),
           (_IIE, "beta")),
        _C("strongly_connected_dense: 3 nodes over max_nodes 2 refused",
           lambda: K.strongly_connected_dense(3, e2, c2, 2 * c2, max_nodes=2), (SizeCapError, "n_nodes")),
        # simulate_bt_continuous: k_max >= max K; E k_max <= max_entries
        _C("simulate_bt_continuous: k_max = max K = 3, E k_max = 3 = max_entries accepted",
           lambda: K.simulate_bt_continuous(key, r2, e1, np.array([3.0]), 1.0, k_max=3, max_entries=3)),
        _C("simulate_bt_continuous: k_max = max K - 1 refused",
           lambda: K.simulate_bt_continuous(key, r2, e1, np.array([3.0]), 1.0, k_max=2), (_IIE, "k_max")),
        _C("simulate_bt_continuous: E k_max 3 over max_entries 2 refused",
           lambda: K.simulate_bt_continuous(key, r2, e1, np.array([3.0]), 1.0, max_entries=2), (SizeCapError, "K")),
        _C("simulate_bt_continuous: beta 0 refused",
           lambda: K.simulate_bt_continuous(key, r2, e1, np.array([3.0]), 0.0), (_IIE, "beta")),
        # Monte Carlo variances: R >= 2; R N^2 (binary) / R (E k_max + N) + N^2 (continuous) <= max_entries
        _C("mc_difference_variance: R 1 refused", lambda: K.mc_difference_variance(key, r2, e1, k1, 1.0, e1, 1),
           (_IIE, "R")),
        _C("mc_difference_variance: R N^2 = 8 over max_entries 7 refused",
           lambda: K.mc_difference_variance(key, r2, e1, k1, 1.0, e1, 2, max_entries=7), (SizeCapError, "R")),
        _C("mc_difference_variance: k_max -1 refused",
           lambda: K.mc_difference_variance(key, r2, e1, k1, 1.0, e1, 2, k_max=-1), (_IIE, "k_max")),
        _C("mc_difference_variance: tol 0 refused",
           lambda: K.mc_difference_variance(key, r2, e1, k1, 1.0, e1, 2, tol=0.0), (_IIE, "tol")),
        _C("mc_difference_variance: maxiter 0 refused",
           lambda: K.mc_difference_variance(key, r2, e1, k1, 1.0, e1, 2, maxiter=0), (_IIE, "maxiter")),
        _C("mc_difference_variance_continuous: R 2, cost 2 (1 + 2) + 4 = 10 at max_entries 10 accepted",
           lambda: K.mc_difference_variance_continuous(key, r2, e1, np.array([1.0]), 1.0, e1, 2, max_entries=10).var),
        _C("mc_difference_variance_continuous: cost 10 over max_entries 9 refused",
           lambda: K.mc_difference_variance_continuous(key, r2, e1, np.array([1.0]), 1.0, e1, 2, max_entries=9),
           (SizeCapError, "R")),
        _C("mc_difference_variance_continuous: R 1 refused",
           lambda: K.mc_difference_variance_continuous(key, r2, e1, np.array([1.0]), 1.0, e1, 1), (_IIE, "R")),
        # reff_pairs_pcg: N k <= max_entries, tol > 0, maxiter >= 1, ground in [0, N - 1]
        _C("reff_pairs_pcg: N k = 8 at max_entries 8, ground 3 accepted",
           lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, ground=3, max_entries=8).values),
        _C("reff_pairs_pcg: ground 0 accepted", lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, ground=0).values),
        _C("reff_pairs_pcg: two padding nodes (N 6, isolated) accepted, path resistances 3 and 1 kept",
           lambda: _pcg_padded(K)),
        _C("reff_pairs_pcg: N k = 8 over max_entries 7 refused",
           lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, max_entries=7), (SizeCapError, "pairs")),
        _C("reff_pairs_pcg: ground 4 = N refused", lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, ground=4),
           (_IIE, "ground")),
        _C("reff_pairs_pcg: ground -1 refused", lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, ground=-1),
           (_IIE, "ground")),
        _C("reff_pairs_pcg: tol 0 refused", lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, tol=0.0),
           (_IIE, "tol")),
        _C("reff_pairs_pcg: maxiter 0 refused", lambda: K.reff_pairs_pcg(4, e4, conductances=c4, pairs=p2, maxiter=0),
           (_IIE, "maxiter")),
        # reff_sketch: eps in (0, 1], k >= 1, k E <= max_entries, tol > 0, maxiter >= 1
        _C("reff_sketch: eps 1 + 2^-52 refused", lambda: K.reff_sketch(key, 4, e4, conductances=c4, eps=_up(1.0)),
           (_IIE, "eps")),
        _C("reff_sketch: eps 0 refused", lambda: K.reff_sketch(key, 4, e4, conductances=c4, eps=0.0), (_IIE, "eps")),
        _C("reff_sketch: k 0 refused", lambda: K.reff_sketch(key, 4, e4, conductances=c4, k=0), (_IIE, "k")),
        _C("reff_sketch: k E = 8 over max_entries 7 refused",
           lambda: K.reff_sketch(key, 4, e4, conductances=c4, k=2, max_entries=7), (SizeCapError, "k")),
        _C("reff_sketch: tol 0 refused", lambda: K.reff_sketch(key, 4, e4, conductances=c4, tol=0.0), (_IIE, "tol")),
        _C("reff_sketch: maxiter 0 refused", lambda: K.reff_sketch(key, 4, e4, conductances=c4, maxiter=0),
           (_IIE, "maxiter")),
        # dense resistances: N <= max_nodes, method a choice
        _C("reff_dense_cholesky: 2 nodes at max_nodes 2 accepted", lambda: K.reff_dense_cholesky(L2, max_nodes=2)),
        _C("reff_dense_cholesky: 2 nodes over max_nodes 1 refused", lambda: K.reff_dense_cholesky(L2, max_nodes=1),
           (SizeCapError, "L")),
        _C("effective_resistance_dense: 3 nodes at max_nodes 3 accepted",
           lambda: K.effective_resistance_dense(3, e2, conductances=c2, max_nodes=3)),
        _C("effective_resistance_dense: 3 nodes over max_nodes 2 refused",
           lambda: K.effective_resistance_dense(3, e2, conductances=c2, max_nodes=2), (SizeCapError, "n_nodes")),
        _C("effective_resistance_dense: method 'lu' refused",
           lambda: K.effective_resistance_dense(3, e2, conductances=c2, method="lu"), (_IIE, "method")),
        # datasets: n >= 1, M in [2, 2^31 - 1], B in [2, 2^31 - 1], D >= 1, b in [2, B], d in [1, D], caps
        _C("chain_cluster_graph: M 2 accepted", lambda: K.chain_cluster_graph(key, 5, 2)),
        _C("chain_cluster_graph: M 1 refused", lambda: K.chain_cluster_graph(key, 5, 1), (_IIE, "M")),
        _C("chain_cluster_graph: M 2^31 refused", lambda: K.chain_cluster_graph(key, 5, big), (_IIE, "M")),
        _C("chain_cluster_graph: n 0 refused", lambda: K.chain_cluster_graph(key, 0, 3), (_IIE, "n")),
        _C("chain_cluster_graph: 2 n = 10 over max_entries 9 refused",
           lambda: K.chain_cluster_graph(key, 5, 3, max_entries=9), (SizeCapError, "n")),
        _C("chain_cluster_graph: max_entries 0 refused", lambda: K.chain_cluster_graph(key, 5, 3, max_entries=0),
           (_IIE, "max_entries")),
        _C("tree_layout: b^d = 8 at max_entries 8 accepted", lambda: K.tree_layout(40, 2, 3, max_entries=8)),
        _C("tree_layout: b^d = 8 over max_entries 7 refused", lambda: K.tree_layout(40, 2, 3, max_entries=7),
           (SizeCapError, "d")),
        _C("tree_layout: n 0 refused", lambda: K.tree_layout(0, 2, 3), (_IIE, "n")),
        _C("tree_layout: b 1 refused", lambda: K.tree_layout(40, 1, 3), (_IIE, "b")),
        _C("tree_layout: d 0 refused", lambda: K.tree_layout(40, 2, 0), (_IIE, "d")),
        _C("tree_layout: max_entries 0 refused", lambda: K.tree_layout(40, 2, 3, max_entries=0), (_IIE, "max_entries")),
        _C("tree_layout: policy 'random' refused", lambda: K.tree_layout(40, 2, 3, policy="random"), (_IIE, "policy")),
        _C("tree_pairs: the docstring example (n 5, B 4, D 3, b 2, d 2) accepted",
           lambda: K.tree_pairs(key, 5, 4, 3, 2, 2).pairs),
        _C("tree_pairs: b = B + 1 refused", lambda: K.tree_pairs(key, 5, 4, 3, 5, 2), (_IIE, "b")),
        _C("tree_pairs: d = D + 1 refused", lambda: K.tree_pairs(key, 5, 4, 3, 2, 4), (_IIE, "d")),
        _C("chain_tree_datasets_batched: d 0 refused",
           lambda: K.chain_tree_datasets_batched(jax.random.split(key, 2), 8, 6, 4, 3, 2, 0), (_IIE, "d")),
        _C("chain_tree_datasets_batched: d = D + 1 refused",
           lambda: K.chain_tree_datasets_batched(jax.random.split(key, 2), 8, 6, 4, 3, 2, 4), (_IIE, "d")),
        _C("tree_pairs: B 1 refused", lambda: K.tree_pairs(key, 5, 1, 3, 2, 2), (_IIE, "B")),
        _C("tree_pairs: B 2^31 refused", lambda: K.tree_pairs(key, 5, big, 3, 2, 2), (_IIE, "B")),
        _C("tree_pairs: D 0 refused", lambda: K.tree_pairs(key, 5, 4, 0, 2, 1), (_IIE, "D")),
        _C("tree_pairs: n 0 refused", lambda: K.tree_pairs(key, 0, 4, 3, 2, 2), (_IIE, "n")),
        _C("tree_pairs: policy 'random' refused", lambda: K.tree_pairs(key, 5, 4, 3, 2, 2, policy="random"),
           (_IIE, "policy")),
        _C("er_graph: M 1 refused", lambda: K.er_graph(key, 1, 4.0), (_IIE, "M")),
        _C("er_graph: M 2^31 refused", lambda: K.er_graph(key, big, 4.0), (_IIE, "M")),
        _C("er_graph: c 0 refused", lambda: K.er_graph(key, 100, 0.0), (_IIE, "c")),
        _C("er_graph: 3 floor(c M / 2) = 600 over max_entries 599 refused",
           lambda: K.er_graph(key, 100, 4.0, max_entries=599), (SizeCapError, "c")),
        _C("hops_bfs: n_nodes 4 accepted", lambda: K.hops_bfs(4, e2, None, np.array([0]))),
        _C("hops_bfs: n_nodes 0 refused", lambda: K.hops_bfs(0, e2, None, np.array([0])), (_IIE, "n_nodes")),
        _C("hops_bfs: n_nodes 2^31 refused", lambda: K.hops_bfs(big, e2, None, np.array([0])), (_IIE, "n_nodes")),
        # chain_tree_datasets_batched: n_chain, n_tree in [1, max_comparisons]
        # (no accepted row: a call compiles the sharded sweep, ~17 s; every refused row fails before any work)
        _C("chain_tree_datasets_batched: n_chain 8 over max_comparisons 7 refused",
           lambda: K.chain_tree_datasets_batched(keys3, 8, 6, 4, 3, 2, 2, max_comparisons=7),
           (SizeCapError, "n_chain")),
        _C("chain_tree_datasets_batched: n_tree 8 over max_comparisons 7 refused",
           lambda: K.chain_tree_datasets_batched(keys3, 6, 8, 4, 3, 2, 2, max_comparisons=7), (SizeCapError, "n_tree")),
        _C("chain_tree_datasets_batched: n_tree 0 refused",
           lambda: K.chain_tree_datasets_batched(keys3, 8, 0, 4, 3, 2, 2), (_IIE, "n_tree")),
        _C("chain_tree_datasets_batched: b = B + 1 refused",
           lambda: K.chain_tree_datasets_batched(keys3, 8, 6, 4, 3, 5, 2), (_IIE, "b")),
        _C("chain_tree_datasets_batched: policy 'random' refused",
           lambda: K.chain_tree_datasets_batched(keys3, 8, 6, 4, 3, 2, 2, policy="random"), (_IIE, "policy")),
    ]


def _rows_analysis() -> list[ContractCase]:
    from aligntheory.analysis.ibn import analyse_preferences as ap

    recs = [{"prompt": "p", "chosen": "a", "rejected": "b"}, {"prompt": "p", "chosen": "b", "rejected": "c"},
            {"prompt": "p", "chosen": "c", "rejected": "a"}]
    kw = {"hp_var": 4.0, "ib_var": None}
    return [
        # analyse_preferences: beta, hp_var, ib_var, target_variance > 0; max_pairs >= 1; prior_strength >= 0;
        # seed >= 0; group_nodes >= 2
        _C("analyse_preferences: max_pairs 1, prior_strength 0, seed 0, group_nodes 2 accepted",
           lambda: ap(recs, max_pairs=1, prior_strength=0.0, seed=0, group_nodes=2, **kw).n_nodes),
        _C("analyse_preferences: beta 0 refused", lambda: ap(recs, beta=0.0, **kw), (_IIE, "beta")),
        _C("analyse_preferences: hp_var 0 refused", lambda: ap(recs, hp_var=0.0, ib_var=None), (_IIE, "hp_var")),
        _C("analyse_preferences: hp_var 'mle' refused", lambda: ap(recs, hp_var="mle", ib_var=None), (_IIE, "hp_var")),
        _C("analyse_preferences: ib_var 0 refused", lambda: ap(recs, hp_var=4.0, ib_var=0.0), (_IIE, "ib_var")),
        _C("analyse_preferences: target_variance 0 refused", lambda: ap(recs, target_variance=0.0, **kw),
           (_IIE, "target_variance")),
        _C("analyse_preferences: max_pairs 0 refused", lambda: ap(recs, max_pairs=0, **kw), (_IIE, "max_pairs")),
        _C("analyse_preferences: prior_strength -5e-324 refused", lambda: ap(recs, prior_strength=_NEG, **kw),
           (_IIE, "prior_strength")),
        _C("analyse_preferences: seed -1 refused", lambda: ap(recs, seed=-1, **kw), (_IIE, "seed")),
        _C("analyse_preferences: group_nodes 1 refused", lambda: ap(recs, group_nodes=1, **kw), (_IIE, "group_nodes")),
    ]



@claim(
    id="ibn.argument_boundaries_theory",
    statement="Every validated argument of the public functions of aligntheory.theory.ibn (bt_prob, hp_edge_var, "
    "decoder_bounds, chain_cost, tree_cost, optimal_M, chain_tree_ratio, closed_form_chain_tree_ratio, regime_of, "
    "n_regime_A_limit, sample_size_for_distance, er_hops_fronczak, er_hops_asymptotic, connectivity_granularity, "
    "n_for_granularity, laplacian, effective_resistance, shortest_path_variance, kirchhoff_index, foster_sum, "
    "closed_form_reff, IBN, inference_distances, StructuralFunction, tau_schedule, ibn_from_universe, "
    "coverage_distance) is accepted exactly at each closed boundary its docstring states and refused, with "
    "InvalidInputError or SizeCapError naming the argument, one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_argument_boundaries_theory(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the Parameters sections of the functions' docstrings.

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    return contract_evidence(_rows_feedback_mechanism() + _rows_graphs_universe())


@claim(
    id="ibn.argument_boundaries_kernels",
    statement="Every validated argument of the public functions of aligntheory.kernels.ibn (fit_bt_newton, "
    "fit_bt_newman, simulate_bt, fit_ls_continuous, strongly_connected_dense, simulate_bt_continuous, "
    "mc_difference_variance, mc_difference_variance_continuous, reff_pairs_pcg, reff_sketch, reff_dense_cholesky, "
    "effective_resistance_dense, chain_cluster_graph, tree_layout, tree_pairs, er_graph, hops_bfs, "
    "chain_tree_datasets_batched) and of aligntheory.analysis.ibn.analyse_preferences is accepted exactly at each "
    "closed boundary its docstring states and refused, with InvalidInputError or SizeCapError naming the argument, "
    "one step past it.",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each boundary on its documented side",
    rice={"R"},
    stage="backward:governance",
)
def check_argument_boundaries_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the Parameters sections of the functions' docstrings.

    Measured: the call (accepted rows at the docstring Examples' sizes). Tolerance: exact.
    """
    return contract_evidence(_rows_kernels() + _rows_analysis())
