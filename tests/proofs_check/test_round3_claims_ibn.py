"""The IBN claims of issue #11 round 3 can fail: each turns FAIL when the library function it measures is replaced
by the behaviour of a surviving mutant (or another plausible bug), and the cheap ones PASS unpatched.

The BT fitters are replaced by small numpy implementations here (a correct one PASSes, the mutated ones FAIL), so
this file compiles almost nothing; ``tests/proofs_check/test_all_claims.py`` runs the claims on the real kernels.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

pytest.importorskip("jax")

from aligntheory.config import configure  # noqa: E402
from aligntheory.errors import ConvergenceError, PrecisionError  # noqa: E402
from aligntheory.proofs_check import Context, Verdict, load_all  # noqa: E402
from aligntheory.results import RESULTS  # noqa: E402

configure()
REG = load_all()
KI = "aligntheory.kernels.ibn"
TI = "aligntheory.theory.ibn"


def _run(cid: str, seed: int = 0) -> Verdict:
    return REG.get(cid).run(Context(seed=seed)).verdict


# ----------------------------------------------------------------------------------------------
# BT fit iteration control: numpy stand-ins for the two fitters


class _Fit(NamedTuple):
    scores: np.ndarray
    grad_norm: float
    iterations: int
    result: RESULTS


def _newman(n, edges, wins, K, beta, maxiter, *, factor=0.5, extra=0):
    from scipy.special import expit

    u, v = edges[:, 0], edges[:, 1]

    def parts(th):
        s = expit(-(th[u] - th[v]))
        lose = K - wins
        return (np.bincount(u, wins * s, n) + np.bincount(v, lose * (1 - s), n),
                np.bincount(u, lose * (1 - s), n) + np.bincount(v, wins * s, n))

    th = np.zeros(n)
    A, B = parts(th)
    gn, om = beta * np.linalg.norm(A - B), 1.0
    for _ in range(maxiter + extra):
        th = th + om * (np.log(A) - np.log(B))
        th = th - th.mean()
        A, B = parts(th)
        g = beta * np.linalg.norm(A - B)
        om = max(factor * om, 0.125) if g >= gn else om
        gn = g
    return (th - th.mean()) / beta, gn, maxiter + extra


def _strongly_connected(n, edges, wins, K) -> bool:
    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from((u, v) for (u, v), w in zip(np.asarray(edges).tolist(), np.asarray(wins, float)) if w > 0)
    G.add_edges_from((v, u) for (u, v), w, k in zip(np.asarray(edges).tolist(), np.asarray(wins, float),
                                                     np.asarray(K, float)) if k - w > 0)
    return nx.is_strongly_connected(G)


def _fitter(factor=0.5, extra=0, refuse=True):
    def fit(n, edges, wins, K, beta, *, tol=1e-10, maxiter=100, throw=True, **kw):
        from aligntheory.errors import DisconnectedGraphError

        if refuse and not _strongly_connected(n, edges, wins, K):  # the documented refusal (Ford's condition)
            if throw:
                raise DisconnectedGraphError("stand-in", directed=True)
            return _Fit(np.full(n, np.nan), float("nan"), 0, RESULTS.disconnected)
        s, g, it = _newman(n, np.asarray(edges), np.asarray(wins, float), np.asarray(K, float), beta, maxiter,
                           factor=factor, extra=extra)
        res = RESULTS.successful if g <= tol else RESULTS.max_steps_reached
        if throw and res is not RESULTS.successful:
            raise ConvergenceError("stand-in", iterations=it, residual=g, result=res)
        return _Fit(s, g, it, res)

    return fit


def test_bt_fit_iteration_control_passes_with_a_correct_numpy_fitter(monkeypatch):
    monkeypatch.setattr(f"{KI}.fit_bt_newton", _fitter())
    monkeypatch.setattr(f"{KI}.fit_bt_newman", _fitter())
    assert _run("ibn.bt_fit_iteration_control") is Verdict.PASS


def test_bt_fit_iteration_control_fails_when_data_without_an_mle_are_iterated(monkeypatch):
    # the behaviour before session 12: no existence check, the fit runs out of steps (or stops "successfully")
    monkeypatch.setattr(f"{KI}.fit_bt_newton", _fitter(refuse=False))
    monkeypatch.setattr(f"{KI}.fit_bt_newman", _fitter())
    assert _run("ibn.bt_fit_iteration_control") is Verdict.FAIL


def test_bt_fit_iteration_control_fails_on_one_step_past_maxiter(monkeypatch):
    # mutant fb299ee013: `it < maxiter` -> `it <= maxiter` in the Newton loop
    monkeypatch.setattr(f"{KI}.fit_bt_newton", _fitter(extra=1))
    monkeypatch.setattr(f"{KI}.fit_bt_newman", _fitter())
    assert _run("ibn.bt_fit_iteration_control") is Verdict.FAIL


def test_bt_fit_iteration_control_fails_on_a_quarter_step_halving(monkeypatch):
    # mutant a9c9bea5be: omega halves by 0.25 instead of 0.5
    monkeypatch.setattr(f"{KI}.fit_bt_newton", _fitter())
    monkeypatch.setattr(f"{KI}.fit_bt_newman", _fitter(factor=0.25))
    assert _run("ibn.bt_fit_iteration_control") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# universe prefix structure and annotation lengths


def test_universe_prefix_structure_passes():
    assert _run("ibn.universe_prefix_structure") is Verdict.PASS


def test_universe_prefix_structure_fails_on_wrong_annotation_lengths(monkeypatch):
    import aligntheory.theory.ibn as T

    real = T.annotation_lengths
    monkeypatch.setattr(f"{TI}.annotation_lengths", lambda r, p: real(r, p) + (np.asarray(p)[:, 0] == 0))
    assert _run("ibn.universe_prefix_structure") is Verdict.FAIL


def test_universe_prefix_structure_fails_on_unshared_duplicates(monkeypatch):
    # mutant 5c6245c217 made root_only sharing wrong; here: duplicates get their own node in root_only
    import aligntheory.theory.ibn as T

    real = T.ibn_from_universe

    def build(resp, B, tau2, hp, hv, *, ib_sharing="prefix"):
        if ib_sharing == "root_only":
            resp = np.concatenate([np.asarray(resp), np.arange(len(resp))[:, None] % B], axis=1)
            tau2 = np.append(tau2, 1e-300)
        return real(resp, B, tau2, hp, hv, ib_sharing=ib_sharing)

    monkeypatch.setattr(f"{TI}.ibn_from_universe", build)
    assert _run("ibn.universe_prefix_structure") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# chain cost and the boundary decision of optimal_M


def test_chain_cost_and_boundary_sign_passes():
    assert _run("ibn.chain_cost_and_boundary_sign") is Verdict.PASS


def test_chain_cost_and_boundary_sign_fails_on_the_mutated_derivative(monkeypatch):
    # mutant 0eb23740ac: d ell / d ln M = ln(3n) / ln(c)^2 instead of ln(2n) / ln(c)^2 (asymptotic hops)
    import aligntheory.theory.ibn._mechanism as MM

    real = MM._dcost_dlnM

    def mutated(x, n, F, s2, hops):
        if hops != "asymptotic":
            return real(x, n, F, s2, hops)
        m, lnc = np.exp(x), np.log(2.0 * n) - x
        ell, dell = x / lnc, np.log(3.0 * n) / lnc**2
        return F(m) * F.log_slope(m) * (1.0 + ell) + (F(m) + s2) * dell

    monkeypatch.setattr(MM, "_dcost_dlnM", mutated)
    assert _run("ibn.chain_cost_and_boundary_sign") is Verdict.FAIL


def test_chain_cost_and_boundary_sign_fails_on_a_wrong_cost(monkeypatch):
    import aligntheory.theory.ibn as T

    real = T.chain_cost
    monkeypatch.setattr(f"{TI}.chain_cost", lambda M, n, F, s2, hops="fronczak": real(M, n, F, s2, hops=hops)
                        * (1 + 1e-9))
    assert _run("ibn.chain_cost_and_boundary_sign") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# series law on the sparse and reference routes


def test_series_law_fails_when_the_sparse_route_is_off(monkeypatch):
    import aligntheory.theory.ibn as T

    real = T.inference_distances
    monkeypatch.setattr(f"{TI}.inference_distances", lambda g, p, **kw: real(g, p, **kw) * (1 + 1e-6))
    assert _run("ibn.series_law_on_large_and_reference_routes") is Verdict.FAIL


def test_series_law_fails_when_the_cholesky_route_refuses(monkeypatch):
    # mutant 79b8edee96: L + N J instead of L + J / N pushes the condition estimate past the refusal limit
    import aligntheory.theory.ibn as T

    real = T.effective_resistance

    def refusing(*a, method="grounded", **kw):
        if method == "cholesky":
            raise PrecisionError("method='cholesky': condition number too large")
        return real(*a, method=method, **kw)

    monkeypatch.setattr(f"{TI}.effective_resistance", refusing)
    assert _run("ibn.series_law_on_large_and_reference_routes") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# the derivative of the dense kernel under jit


def test_resistance_gradient_fails_when_the_kernel_cannot_be_traced(monkeypatch):
    # mutant 6e758e517e sends traced calls to the host LAPACK route, which converts tracers to numpy
    import aligntheory.kernels.ibn as K

    real = K.effective_resistance_dense
    monkeypatch.setattr(f"{KI}.effective_resistance_dense",
                        lambda n, e, conductances, **kw: real(n, e, conductances=np.asarray(conductances), **kw))
    assert _run("ibn.resistance_gradient_is_foster") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# TRL records with implicit prompts


def test_implicit_prompt_records_passes():
    assert _run("ibn.implicit_prompt_records") is Verdict.PASS


def test_implicit_prompt_records_fails_on_a_split_one_character_late(monkeypatch):
    import aligntheory.analysis._ibn_read as R

    real = R.implicit_prompt

    def late(chosen, rejected, where="record"):
        p, c, r = real(chosen, rejected, where)
        if isinstance(chosen, str):
            k = len(p) + 2  # past the shared "? " into the chosen response
            return chosen[:k], chosen[k:], rejected[k:]
        return p, c, r

    monkeypatch.setattr(R, "implicit_prompt", late)
    assert _run("ibn.implicit_prompt_records") is Verdict.FAIL


# ----------------------------------------------------------------------------------------------
# the failure contract


def test_failure_contract_passes():
    assert _run("ibn.failure_contract") is Verdict.PASS


@pytest.mark.parametrize("name, fake", [
    ("n_for_granularity", lambda M: 0.5 * M * np.log(M)),  # mutant 1bcab75d65: M = 1 accepted
    ("annotation_lengths", lambda r, p: np.zeros(len(p), dtype=np.int64)),  # shapes no longer checked
])
def test_failure_contract_fails_when_a_documented_refusal_is_dropped(monkeypatch, name, fake):
    monkeypatch.setattr(f"{TI}.{name}", fake)
    assert _run("ibn.failure_contract") is Verdict.FAIL


def test_failure_contract_fails_when_negative_conductances_reach_the_pcg_solver(monkeypatch):
    # mutant 6ff5530371: nonnegative=False in the PCG solver's input check
    monkeypatch.setattr(f"{KI}.reff_pairs_pcg", lambda n, e, *, conductances, pairs, **kw: np.zeros(len(pairs)))
    assert _run("ibn.failure_contract") is Verdict.FAIL
