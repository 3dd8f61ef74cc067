"""Guard-condition claims (issue 11, round 10): every atomic condition of every hand-written raising guard of
:mod:`aligntheory.kernels.ibn` decides one row of a contract table (MC/DC).

* ``ibn.guard_conditions_kernels`` -- the shared argument checks of ``kernels/ibn/_checks.py`` (edge array
  rank and id range, conductance / count shape, sign and wholeness, mask shape, wins <= K, the dynamic-range
  and connectivity checks, the deprecated positional arguments) reached through ``laplacian_dense``,
  ``strongly_connected_dense``, ``effective_resistance_dense``, ``simulate_bt``, ``fit_ls_continuous``; the
  Laplacian checks of ``reff_dense_cholesky``; ``solve_laplacian_tree``, ``hops_bfs``, ``er_graph``,
  ``chain_tree_datasets_batched``, ``simulate_bt_continuous``, ``mc_difference_variance``. For a compound
  guard one refused row where ONLY one condition holds; for a comparison a row AT the edge (accepted) and
  one step past it (refused). Accepted rows are checked against an independent value (a Laplacian built by
  a loop, series resistances, a hand BFS, least squares by ``numpy.linalg.lstsq``). Refused rows fail
  before any work; accepted rows reuse the docstring-example shapes.
"""

from __future__ import annotations

import warnings

import numpy as np

from aligntheory.errors import DisconnectedGraphError, InvalidInputError, PrecisionError
from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_SRC = Source(key="hendrickx2019graph", where="failure contract, docs/DESIGN.md §7 (guard conditions)")
_IIE = InvalidInputError
_E = np.array([[0, 1], [1, 2]])  # the docstring path 0-1-2


def _same(got, want, *, rtol: float = 0.0, atol: float = 0.0):
    """Assert ``got`` equals ``want`` (exactly, or within ``rtol`` relative plus ``atol``) and return ``got``."""
    g, w = np.asarray(got), np.asarray(want)
    assert g.shape == w.shape, f"shape {g.shape} != {w.shape}"
    if rtol or atol:
        assert np.allclose(g.astype(float), w.astype(float), rtol=rtol, atol=atol), f"{g.tolist()} != {w.tolist()}"
    else:
        assert np.array_equal(g, w), f"{g.tolist()} != {w.tolist()}"
    return g


def _lap_plain(n, edges, c):
    """Graph Laplacian by a loop over the edges."""
    L = np.zeros((n, n))
    for (u, v), w in zip(np.asarray(edges).tolist(), np.asarray(c, float).tolist()):
        L[u, u] += w
        L[v, v] += w
        L[u, v] -= w
        L[v, u] -= w
    return L


def _lap(c, *legacy, edges=_E, mask=None, n=3, **kw):
    import aligntheory.kernels.ibn as K

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if legacy:
            return K.laplacian_dense(n, edges, *legacy, **kw)
        return K.laplacian_dense(n, edges, conductances=np.array(c, float), mask=mask, **kw)


def _lap_ok(c, mask=None, edges=_E, n=3):
    eff = np.where(np.ones(len(c), bool) if mask is None else np.asarray(mask), np.asarray(c, float), 0.0)
    return _same(_lap(c, edges=edges, mask=mask, n=n), _lap_plain(n, edges, eff))


def _path_R(c):
    """Series resistances of the path 0-1-2 with conductances c."""
    r01, r12 = 1.0 / c[0], 1.0 / c[1]
    return np.array([[0.0, r01, r01 + r12], [r01, 0.0, r12], [r01 + r12, r12, 0.0]])


def _reff(c, **kw):
    import aligntheory.kernels.ibn as K

    return K.effective_resistance_dense(3, _E, conductances=np.array(c, float), **kw)


def _rows_checks() -> list[ContractCase]:
    import aligntheory.kernels.ibn as K

    one = np.ones(2)
    return [
        # edges_arg: rank (2 accepted, 3 refused), ids lo < 0 alone, hi >= n alone (n - 1 accepted)
        ContractCase("laplacian_dense: docstring example, by a loop", lambda: _lap_ok([1.0, 2.0])),
        ContractCase("laplacian_dense: edges (1, 2, 2) refused (rank 3)", lambda: _lap([1.0, 2.0], edges=_E[None]),
                     (_IIE, "edges"), match="(E, 2)"),
        ContractCase("laplacian_dense: id -1 refused (lo alone)", lambda: _lap([1.0, 2.0], edges=np.array([[-1, 1], [1, 2]])),
                     (_IIE, "edges"), match="[0, 2]"),
        ContractCase("laplacian_dense: id 3 = n refused (hi alone)", lambda: _lap([1.0, 2.0], edges=np.array([[0, 1], [1, 3]])),
                     (_IIE, "edges"), match="[0, 2]"),
        ContractCase("laplacian_dense: edges (2, 0), (0, 1) accepted (ids 0 and n - 1 = 2)", lambda: _lap_ok([1.0, 2.0], edges=np.array([[2, 0], [0, 1]]))),
        # real_arg: shape, nonnegative (0 accepted, -5e-324 refused), finite; mask shape
        ContractCase("laplacian_dense: 3 conductances for 2 edges refused", lambda: _lap([1.0, 2.0, 3.0]),
                     (_IIE, "conductances"), match="(2,)"),
        ContractCase("laplacian_dense: conductance 0 accepted", lambda: _lap_ok([0.0, 2.0])),
        ContractCase("laplacian_dense: conductance -5e-324 refused", lambda: _lap([-5e-324, 2.0]), (_IIE, "conductances"),
                     match=">= 0"),
        ContractCase("laplacian_dense: conductance nan refused", lambda: _lap([np.nan, 2.0]), (_IIE, "conductances"),
                     match="finite"),
        ContractCase("laplacian_dense: mask (True, False) accepted, edge 1 dropped",
                     lambda: _lap_ok([1.0, 2.0], mask=np.array([True, False]))),
        ContractCase("laplacian_dense: mask of shape (3,) refused", lambda: _lap([1.0, 2.0], mask=np.array([True, True, True])),
                     (_IIE, "mask"), match="(2,)"),
        # resolve_conductances: at most 2 positional after edges; positional and keyword both refused
        ContractCase("laplacian_dense: positional (cond, mask) accepted (deprecated)",
                     lambda: _same(_lap(None, np.array([1.0, 2.0]), np.array([True, True])), _lap_plain(3, _E, [1.0, 2.0]))),
        ContractCase("laplacian_dense: 3 positional arguments after edges refused (TypeError)",
                     lambda: _lap(None, np.array([1.0, 2.0]), np.array([True, True]), 0), (TypeError, None),
                     match="at most 2 positional"),
        ContractCase("laplacian_dense: conductances positionally and by keyword refused",
                     lambda: _lap(None, np.array([1.0, 2.0]), conductances=np.array([1.0, 2.0])), (_IIE, "conductances")),
        # wins_arg: wins <= K (equal accepted, one above refused), wins >= 0
        ContractCase("strongly_connected_dense: wins = K on edge 0 accepted (False: node 1 never beats node 0)",
                     lambda: _same(bool(K.strongly_connected_dense(3, _E, np.array([2.0, 1.0]), np.array([2.0, 2.0]))), False)),
        ContractCase("strongly_connected_dense: wins 1, 1 of 2, 2 accepted (True)",
                     lambda: _same(bool(K.strongly_connected_dense(3, _E, np.array([1.0, 1.0]), np.array([2.0, 2.0]))), True)),
        ContractCase("strongly_connected_dense: wins 3 > K 2 refused",
                     lambda: K.strongly_connected_dense(3, _E, np.array([3.0, 1.0]), np.array([2.0, 2.0])), (_IIE, "wins"),
                     match="must not exceed"),
        ContractCase("strongly_connected_dense: wins -1 refused",
                     lambda: K.strongly_connected_dense(3, _E, np.array([-1.0, 1.0]), np.array([2.0, 2.0])), (_IIE, "wins")),
        ContractCase("strongly_connected_dense: K -1 refused",
                     lambda: K.strongly_connected_dense(3, _E, np.array([0.0, 1.0]), np.array([-1.0, 2.0])), (_IIE, "K")),
        # real_arg whole / ndim (simulate_bt), positive (fit_ls_continuous)
        ContractCase("simulate_bt: K 1.5 refused (whole)", lambda: K.simulate_bt(_key(), np.zeros(3), _E, np.array([1.5, 1.0]), 1.0),
                     (_IIE, "K"), match="whole"),
        ContractCase("simulate_bt: K -1 refused", lambda: K.simulate_bt(_key(), np.zeros(3), _E, np.array([-1.0, 1.0]), 1.0),
                     (_IIE, "K")),
        ContractCase("simulate_bt: 2-D r refused (ndim)", lambda: K.simulate_bt(_key(), np.zeros((1, 3)), _E, one, 1.0), (_IIE, "r"),
                     match="1-dimensional"),
        ContractCase("fit_ls_continuous: docstring example = least squares",
                     lambda: _same(K.fit_ls_continuous(3, _E, np.array([1.0, 1.0]), one, 1.0), _ls_plain([1.0, 1.0]), rtol=1e-12,
                                   atol=1e-12)),
        ContractCase("fit_ls_continuous: K 0 refused (positive)", lambda: K.fit_ls_continuous(3, _E, one, np.array([0.0, 1.0]), 1.0),
                     (_IIE, "K"), match="> 0"),
        ContractCase("fit_ls_continuous: 3 deltas for 2 edges refused (alone)",
                     lambda: K.fit_ls_continuous(3, _E, np.ones(3), one, 1.0), (_IIE, "edges, deltas, K")),
        ContractCase("fit_ls_continuous: 3 K for 2 edges refused (alone)",
                     lambda: K.fit_ls_continuous(3, _E, one, np.ones(3), 1.0), (_IIE, "edges, deltas, K")),
        ContractCase("fit_ls_continuous: 3 edges, 2 deltas and 2 K refused (E != len(deltas))",
                     lambda: K.fit_ls_continuous(3, np.array([[0, 1], [1, 2], [0, 2]]), one, one, 1.0), (_IIE, "edges, deltas, K")),
        ContractCase("fit_ls_continuous: node 3 isolated refused (disconnected)",
                     lambda: K.fit_ls_continuous(4, _E, one, one, 1.0), (DisconnectedGraphError, None), match="2 components"),
        ContractCase("simulate_bt_continuous: K 3, 2 (whole) accepted, shape (2,)",
                     lambda: _same(np.shape(K.simulate_bt_continuous(_key(), np.zeros(3), _E, np.array([3.0, 2.0]), 1.0)), (2,))),
        ContractCase("simulate_bt_continuous: K 1.5 refused (whole labels)",
                     lambda: K.simulate_bt_continuous(_key(), np.zeros(3), _E, np.array([1.5, 1.0]), 1.0), (_IIE, "K"),
                     match="whole numbers"),
        # dynamic_range_check: span = cap accepted, above refused; connected_check; overflow (xla path)
        ContractCase("effective_resistance_dense: docstring path, series resistances", lambda: _same(_reff([1.0, 1.0]), _path_R([1, 1]),
                     rtol=1e-12)),
        ContractCase("effective_resistance_dense: span exactly 1e8 accepted",
                     lambda: _same(_reff([1.0, 1e8]), _path_R([1.0, 1e8]), rtol=1e-9)),
        ContractCase("effective_resistance_dense: span 1.0000001e8 refused", lambda: _reff([1.0, 1.0000001e8]), (PrecisionError, None),
                     match="max_dynamic_range"),
        ContractCase("effective_resistance_dense: span 2 with max_dynamic_range 2 accepted",
                     lambda: _same(_reff([1.0, 2.0], max_dynamic_range=2.0), _path_R([1.0, 2.0]), rtol=1e-12)),
        ContractCase("effective_resistance_dense: conductances 1e5, 1e5 accepted (span 1; product above the cap)",
                     lambda: _same(_reff([1e5, 1e5]), _path_R([1e5, 1e5]), rtol=1e-12)),
        ContractCase("effective_resistance_dense: conductance 0 on edge 1 refused (disconnected)", lambda: _reff([1.0, 0.0]),
                     (DisconnectedGraphError, None), match="2 components"),
        ContractCase("effective_resistance_dense: mask dropping edge 1 refused (disconnected)",
                     lambda: _reff([1.0, 1.0], mask=np.array([True, False])), (DisconnectedGraphError, None)),
        ContractCase("effective_resistance_dense (xla): conductances 1e-300 accepted, R = 2e300",
                     lambda: _same(_reff([1e-300, 1e-300], method="xla"), _path_R([1e-300, 1e-300]), rtol=1e-9)),
        ContractCase("effective_resistance_dense (xla): conductances 5e-324 refused (overflow)",
                     lambda: _reff([5e-324, 5e-324], method="xla"), (PrecisionError, None), match="effective resistances overflow float64"),
        ContractCase("effective_resistance_dense: all conductances 0 refused (disconnected, no positive span)",
                     lambda: _reff([0.0, 0.0]), (DisconnectedGraphError, None), match="3 components"),
        ContractCase("effective_resistance_dense: method 'lapack' under jit refused (traced)",
                     lambda: _jit_reff("lapack"), (_IIE, "method"), match="concrete"),
        ContractCase("effective_resistance_dense: method 'lapack' on concrete input accepted, series resistances",
                     lambda: _same(_reff([1.0, 2.0], method="lapack"), _path_R([1.0, 2.0]), rtol=1e-12)),
        ContractCase("effective_resistance_dense_batched: graph 0 at 5e-324, graph 1 at 1 refused (overflow of graph 0)",
                     lambda: K.effective_resistance_dense_batched(3, np.stack([_E, _E]), conductances=np.array(
                         [[5e-324, 5e-324], [1.0, 1.0]])), (PrecisionError, None), match="effective resistances overflow float64"),
        ContractCase("effective_resistance_dense (xla): docstring path accepted",
                     lambda: _same(_reff([1.0, 2.0], method="xla"), _path_R([1.0, 2.0]), rtol=1e-12)),
    ]


def _key():
    import jax

    return jax.random.PRNGKey(0)


def _finite_R(R):
    """Assert a finite, symmetric, zero-diagonal resistance matrix and return it."""
    r = np.asarray(R)
    assert np.all(np.isfinite(r)) and np.allclose(r, r.T, rtol=1e-9, atol=0.0) and not np.any(np.diag(r)), r.tolist()
    return r


def _asym(eps):
    """Star 1-0-2 of conductances 1/2 (largest |L_ii| = 1, R(1, 2) = 4) with L[1, 2] = -eps, L[2, 1] = 0."""
    return [[1.0, -0.5, -0.5], [-0.5, 0.5, -eps], [-0.5, 0.0, 0.5]]


def _leak(ulps):
    """3-node Laplacian (largest |L_ii| exactly 1) whose row 2 sums EXACTLY to 1e-10 * 3 (+ ``ulps`` ulps):
    the sums are exact because 2^-40 is a multiple of the ulp of 3e-10 (2^-84)."""
    a, t = 2.0**-40, 1e-10 * 3
    for _ in range(ulps):
        t = float(np.nextafter(t, 1.0))
    return [[1.0, -(1.0 - a), -a], [-(1.0 - a), 1.0 - a, 0.0], [-a, 0.0, a + t]]


def _jit_reff(method):
    import jax

    import aligntheory.kernels.ibn as K

    return jax.jit(lambda c: K.effective_resistance_dense(3, _E, conductances=c, method=method))(np.ones(2))


def _bfs4(s):
    import aligntheory.kernels.ibn as K

    return K.hops_bfs(4, _E, None, s)


_JIT: dict = {}


def _jit_bfs(src):
    """hops_bfs under jit with traced sources (one jitted wrapper per process, so the trace is cached)."""
    import jax

    f = _JIT.setdefault("bfs", jax.jit(_bfs4))
    return f(src)


def _ls_plain(deltas):
    """Least squares r_u - r_v = delta on the path (unit weights), centred to mean 0."""
    B = np.zeros((2, 3))
    for i, (u, v) in enumerate(_E.tolist()):
        B[i, u], B[i, v] = 1.0, -1.0
    r = np.linalg.lstsq(B, np.asarray(deltas, float), rcond=None)[0]
    return r - r.mean()


def _chol(L):
    import aligntheory.kernels.ibn as K

    return K.reff_dense_cholesky(np.array(L, float))


def _rows_resistance_misc() -> list[ContractCase]:
    import aligntheory.kernels.ibn as K

    return [
        # reff_dense_cholesky: rank in (2, 3) and square, each alone; the Laplacian value checks each alone
        ContractCase("reff_dense_cholesky: docstring 2x2 accepted, R = 1", lambda: _same(_chol([[1.0, -1.0], [-1.0, 1.0]]),
                     [[0.0, 1.0], [1.0, 0.0]], rtol=1e-12)),
        ContractCase("reff_dense_cholesky: 2x2 of conductance 4 accepted, R = 1/4", lambda: _same(_chol([[4.0, -4.0], [-4.0, 4.0]]),
                     [[0.0, 0.25], [0.25, 0.0]], rtol=1e-12)),
        ContractCase("reff_dense_cholesky: 1-D L refused", lambda: _chol([1.0, -1.0]), (_IIE, "L"), match="(N, N)"),
        ContractCase("reff_dense_cholesky: 4-D L refused", lambda: _chol([[[[1.0, -1.0], [-1.0, 1.0]]]]), (_IIE, "L")),
        ContractCase("reff_dense_cholesky: L (2, 3) refused", lambda: _chol([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]]), (_IIE, "L")),
        ContractCase("reff_dense_cholesky: batch (1, 2, 3) refused", lambda: _chol([[[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0]]]),
                     (_IIE, "L")),
        ContractCase("reff_dense_cholesky: off-diagonal +1 refused (symmetric, zero rows)", lambda: _chol([[-1.0, 1.0], [1.0, -1.0]]),
                     (_IIE, "L"), match="off-diagonal"),
        ContractCase("reff_dense_cholesky: asymmetric refused (off <= 0, zero rows)", lambda: _chol([[1.0, -1.0], [-2.0, 2.0]]),
                     (_IIE, "L"), match="symmetric"),
        ContractCase("reff_dense_cholesky: batch (1, 2, 2) asymmetric refused (off <= 0, zero rows)",
                     lambda: _chol([[[1.0, -1.0], [-2.0, 2.0]]]), (_IIE, "L"), match="symmetric"),
        ContractCase("reff_dense_cholesky: asymmetry exactly 1e-12 accepted (the documented entrywise tolerance)",
                     lambda: _same(_finite_R(_chol(_asym(1e-12))), [[0.0, 2.0, 2.0], [2.0, 0.0, 4.0], [2.0, 4.0, 0.0]],
                                   rtol=1e-9)),
        ContractCase("reff_dense_cholesky: asymmetry 2e-12 refused",
                     lambda: _chol(_asym(2e-12)), (_IIE, "L"), match="symmetric"),
        ContractCase("reff_dense_cholesky: row sum 1.5e-10 <= 1e-10 N accepted, R(0, 1) = 1 to 1e-9",
                     lambda: _same(_chol([[1.0, -1.0], [-1.0, 1.0 + 1.5e-10]])[0, 1], 1.0, rtol=1e-9)),
        ContractCase("reff_dense_cholesky: row sum 2.5e-10 > 1e-10 N refused", lambda: _chol([[1.0, -1.0], [-1.0, 1.0 + 2.5e-10]]),
                     (_IIE, "L"), match="row must sum to zero"),
        ContractCase("reff_dense_cholesky: |row sum| exactly 1e-10 N accepted (finite R)", lambda: _finite_R(_chol(_leak(0)))),
        ContractCase("reff_dense_cholesky: |row sum| one ulp above 1e-10 N refused", lambda: _chol(_leak(1)), (_IIE, "L"),
                     match="row must sum to zero"),
        ContractCase("reff_dense_cholesky: row sums 1 refused (symmetric, off <= 0)", lambda: _chol([[2.0, -1.0], [-1.0, 2.0]]),
                     (_IIE, "L"), match="row must sum to zero"),
        ContractCase("reff_dense_cholesky: zero 2x2 refused (disconnected)", lambda: _chol([[0.0, 0.0], [0.0, 0.0]]),
                     (DisconnectedGraphError, None)),
        ContractCase("reff_dense_cholesky: nan refused", lambda: _chol([[np.nan, -1.0], [-1.0, 1.0]]), (_IIE, "L"), match="finite"),
        # solve_laplacian_tree: legacy arity, conductance count (>= n_edges), > 0 on tree edges
        ContractCase("solve_laplacian_tree: docstring path, x0 - x2 = 1 + 1/2", lambda: _same(float(_tree_x([1.0, 2.0])), 1.5,
                     rtol=1e-12)),
        ContractCase("solve_laplacian_tree: 3 conductances accepted (one spare)", lambda: _same(float(_tree_x([1.0, 4.0, 7.0])), 1.25,
                     rtol=1e-12)),
        ContractCase("solve_laplacian_tree: 1 conductance for 2 tree edges refused", lambda: _tree_x([1.0]), (_IIE, "conductances"),
                     match=">= 2"),
        ContractCase("solve_laplacian_tree: conductance 0 on a tree edge refused", lambda: _tree_x([1.0, 0.0]),
                     (_IIE, "conductances"), match="> 0"),
        ContractCase("solve_laplacian_tree: old order (tree, cond, b) accepted",
                     lambda: _same(float(_tree_legacy(np.array([1.0, 2.0]), np.array([1.0, 0.0, -1.0])).__getitem__(0)
                                         - _tree_legacy(np.array([1.0, 2.0]), np.array([1.0, 0.0, -1.0]))[2]), 1.5, rtol=1e-12)),
        ContractCase("solve_laplacian_tree: two positional after b refused (TypeError)",
                     lambda: _tree_legacy(np.array([1.0, 2.0]), np.array([1.0, 0.0, -1.0]), 0), (TypeError, None)),
        ContractCase("solve_laplacian_tree: old order plus conductances= refused (TypeError)",
                     lambda: _tree_legacy(np.array([1.0, 2.0]), np.array([1.0, 0.0, -1.0]), conductances=np.ones(2)),
                     (TypeError, None)),
        # hops_bfs: rank, mask shape alone, mask dtype alone, ids at n - 1 / n
        ContractCase("hops_bfs: docstring example, hand BFS", lambda: _same(K.hops_bfs(4, _E, None, np.array([0])), [[0, 1, 2, -1]])),
        ContractCase("hops_bfs: mask (True, False) accepted, hand BFS",
                     lambda: _same(K.hops_bfs(4, _E, np.array([True, False]), np.array([0])), [[0, 1, -1, -1]])),
        ContractCase("hops_bfs: id 3 = n - 1 accepted, hand BFS",
                     lambda: _same(K.hops_bfs(4, np.array([[0, 1], [1, 3]]), None, np.array([0])), [[0, 1, -1, 2]])),
        ContractCase("hops_bfs: no edges accepted, only the source reached",
                     lambda: _same(K.hops_bfs(4, np.zeros((0, 2), int), None, np.array([0])), [[0, -1, -1, -1]])),
        ContractCase("hops_bfs: traced sources of shape (1,) accepted, hand BFS",
                     lambda: _same(_jit_bfs(np.array([0])), [[0, 1, 2, -1]])),
        ContractCase("hops_bfs: traced sources of shape (1, 1) refused", lambda: _jit_bfs(np.zeros((1, 1), int)),
                     (_IIE, "sources"), match="(S,)"),
        ContractCase("hops_bfs: id 4 = n refused", lambda: K.hops_bfs(4, np.array([[0, 1], [1, 4]]), None, np.array([0])),
                     (_IIE, "edges"), match="[0, 3]"),
        ContractCase("hops_bfs: id -1 refused", lambda: K.hops_bfs(4, np.array([[0, 1], [-1, 2]]), None, np.array([0])),
                     (_IIE, "edges")),
        ContractCase("hops_bfs: edges (1, 2, 2) refused", lambda: K.hops_bfs(4, _E[None], None, np.array([0])), (_IIE, "edges")),
        ContractCase("hops_bfs: bool mask of shape (3,) refused (shape alone)",
                     lambda: K.hops_bfs(4, _E, np.ones(3, bool), np.array([0])), (_IIE, "mask"), match="(2,)"),
        ContractCase("hops_bfs: int mask of shape (2,) refused (dtype alone)",
                     lambda: K.hops_bfs(4, _E, np.ones(2, int), np.array([0])), (_IIE, "mask")),
        # er_graph: floor(c M / 2) >= 1 (c = 1, M = 2 accepted: one edge; c just below refused)
        ContractCase("er_graph: M 2, c 1 accepted (one edge)", lambda: _same(K.er_graph(_key(), 2, 1.0)[0].shape, (1, 2))),
        ContractCase("er_graph: M 2, c 1 - 2^-53 refused (no edge)", lambda: K.er_graph(_key(), 2, float(np.nextafter(1.0, 0.0))),
                     (_IIE, "c"), match="at least one edge"),
        # chain_tree_datasets_batched: keys (S, 2) with S >= 1, each condition alone
        ContractCase("chain_tree_datasets_batched: keys of shape (1, 2) accepted (S = 1, the documented edge)",
                     lambda: _same([a.shape[0] for a in K.chain_tree_datasets_batched(
                         _keys1(), 8, 6, 4, 3, 2, 2)[:3]], [1, 1, 1])),
        ContractCase("chain_tree_datasets_batched: keys of shape (2,) refused (ndim alone)",
                     lambda: K.chain_tree_datasets_batched(np.zeros(2, np.uint32), 8, 6, 4, 3, 2, 2), (_IIE, "keys")),
        ContractCase("chain_tree_datasets_batched: keys of shape (3, 3) refused (width alone)",
                     lambda: K.chain_tree_datasets_batched(np.zeros((3, 3), np.uint32), 8, 6, 4, 3, 2, 2), (_IIE, "keys")),
        ContractCase("chain_tree_datasets_batched: keys of shape (0, 2) refused (S alone)",
                     lambda: K.chain_tree_datasets_batched(np.zeros((0, 2), np.uint32), 8, 6, 4, 3, 2, 2), (_IIE, "keys"),
                     match="S >= 1"),
        # mc_difference_variance: k_max >= max(K)
        ContractCase("mc_difference_variance: k_max 400 = max(K) accepted, all 200 replicates kept, var within 50 % of "
                     "1/(K p(1-p)) = 0.01 (5 sd of a 200-replicate variance)", lambda: _mc_ok()),
        ContractCase("mc_difference_variance: R 2, both replicates kept (n_kept = 2 is enough) accepted",
                     lambda: _same(int(K.mc_difference_variance(_key(), np.zeros(2), np.array([[0, 1]]), np.array([400.0]), 1.0,
                                                                np.array([[0, 1]]), 2).n_kept), 2)),
        ContractCase("mc_difference_variance: k_max 399 < max(K) 400 refused",
                     lambda: K.mc_difference_variance(_key(), np.zeros(2), np.array([[0, 1]]), np.array([400.0]), 1.0,
                                                      np.array([[0, 1]]), 200, k_max=399), (_IIE, "k_max"), match=">= max(K)"),
    ]


def _mc_ok():
    import aligntheory.kernels.ibn as K

    out = K.mc_difference_variance(_key(), np.zeros(2), np.array([[0, 1]]), np.array([400.0]), 1.0, np.array([[0, 1]]),
                                   200, k_max=400)
    assert int(out.n_kept) == 200, int(out.n_kept)
    assert abs(float(out.var[0]) / 0.01 - 1.0) < 0.5, float(out.var[0])
    return float(out.var[0])


def _keys1():
    import jax

    return jax.random.split(jax.random.PRNGKey(0), 1)


def _tree(n=3):
    import aligntheory.kernels.ibn as K

    return K.tree_elimination_order(n, [[0, 1], [1, 2]])


def _tree_x(c):
    import aligntheory.kernels.ibn as K

    x = K.solve_laplacian_tree(_tree(), np.array([1.0, 0.0, -1.0]), conductances=np.array(c, float))
    return x[0] - x[2]


def _tree_legacy(*args, **kw):
    import aligntheory.kernels.ibn as K

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return K.solve_laplacian_tree(_tree(), *args, **kw)


@claim(
    id="ibn.guard_conditions_kernels",
    statement="Each atomic condition of each hand-written raising guard of aligntheory.kernels.ibn (edge rank and "
    "id range, conductance / count shape, sign and wholeness, mask shape and dtype, wins <= K, the dynamic-range, "
    "connectivity and overflow checks, the deprecated positional arguments, the Laplacian checks of "
    "reff_dense_cholesky, solve_laplacian_tree, hops_bfs, er_graph, chain_tree_datasets_batched keys, "
    "mc_difference_variance k_max) decides a row alone: a refused row where only it holds (the documented error "
    "naming the argument, with the documented message detail), accepted rows exactly at each comparison's edge "
    "with their values checked by an independent route (a Laplacian by a loop, series resistances, least squares, "
    "a hand BFS).",
    source=[_SRC],
    provenance="M",
    kind="contract",
    tolerance="exact: each row on its documented side (values exact or within 1e-12 relative, with a 1e-12 absolute floor for the centred least-squares rewards near 0; 1e-9 for R = 2e300 "
    "and the span-1e8 path, whose small resistance 1e-8 is a difference in the all-pairs formula)",
    rice={"R"},
    stage="backward:governance",
)
def check_guard_conditions_kernels(ctx: Context) -> Evidence:
    """Predicted: each row's documented side, from the docstrings' Parameters / Raises sections, and the
    accepted rows' values from an independent route written here.

    Measured: the call. Tolerance: exact (a boundary is on one side or the other).
    """
    return contract_evidence(_rows_checks() + _rows_resistance_misc())
