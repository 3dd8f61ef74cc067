"""The failure contract of the IBN pillar's public functions, at the boundary of each documented constraint.

``ibn.failure_contract`` (a ``contract`` claim, issue #11 round 3, docs/DESIGN.md §7): every row
of the table below is one documented constraint of a public function's Parameters/Raises
sections, tested on both sides of its boundary with tiny inputs: the accepted side must return a
finite result, the side one step outside must raise the documented error class naming the
argument (size caps: before any work). The table is written from the docstrings, not from the code.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence
from aligntheory.proofs_check._registry import Context, Evidence, Source, claim

_TINY = float(np.finfo(float).tiny)
_EPS = float(np.finfo(float).eps)


def _theory_rows() -> list[ContractCase]:
    """Rows of the theory layer (numpy/scipy/sympy): ``aligntheory.theory.ibn``."""
    import scipy.sparse as sps

    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.errors import SizeCapError
    from aligntheory.theory.ibn import (
        IBN,
        StructuralFunction,
        annotation_lengths,
        chain_cost,
        closed_form_chain_tree_ratio,
        closed_form_reff,
        connectivity_granularity,
        effective_resistance,
        from_matrix,
        ibn_from_universe,
        inference_distance_exact,
        n_for_granularity,
        sample_size_for_distance,
        tau_schedule,
        tree_cost,
    )

    P2 = np.array([[0, 1], [1, 2]])
    F = StructuralFunction("poly", 1.0, 1.0)
    Mc = connectivity_granularity(1e4)
    g = IBN(3, P2, [1.0, 2.0])
    resp = np.array([[0, 1], [0, 2], [1, 1]])

    def lap(a, b, b2):
        """2 x 2 'Laplacian' [[a, -b], [-b2, b2]]: row 0 sums to a - b, column 0 to a - b2."""
        return sps.csr_array(np.array([[a, -b], [-b2, b2]]))

    return [
        # effective_resistance: n_nodes >= 1, variances > 0, tol in (0, 1), max_nodes cap, Laplacian matrices
        ContractCase("effective_resistance n_nodes = 1 accepted", lambda: effective_resistance(
            1, np.zeros((0, 2), dtype=np.int64), variances=np.zeros(0))),
        ContractCase("effective_resistance n_nodes = 0 refused", lambda: effective_resistance(
            0, np.zeros((0, 2), dtype=np.int64), variances=np.zeros(0)), (IIE, "n_nodes")),
        ContractCase("effective_resistance variance tiny > 0 accepted", lambda: effective_resistance(
            3, P2, variances=[1e-300, 1.0], pairs=[[0, 2]])),
        ContractCase("effective_resistance variance 0 refused", lambda: effective_resistance(
            3, P2, variances=[0.0, 1.0], pairs=[[0, 2]]), (IIE, "variances")),
        ContractCase("effective_resistance variance -0.5 refused", lambda: effective_resistance(
            3, P2, variances=[-0.5, 1.0], pairs=[[0, 2]]), (IIE, "variances")),
        ContractCase("effective_resistance edge id n - 1 accepted", lambda: effective_resistance(
            3, P2, variances=[1.0, 1.0], pairs=[[0, 2]])),
        ContractCase("effective_resistance edge id n refused", lambda: effective_resistance(
            3, [[0, 1], [1, 3]], variances=[1.0, 1.0], pairs=[[0, 2]]), (IIE, "edges")),
        ContractCase("effective_resistance tol 0 refused", lambda: effective_resistance(
            3, P2, variances=[1.0, 1.0], tol=0.0), (IIE, "tol")),
        ContractCase("effective_resistance n_nodes = max_nodes accepted", lambda: effective_resistance(
            3, P2, variances=[1.0, 1.0], max_nodes=3)),
        ContractCase("effective_resistance n_nodes = max_nodes + 1 refused", lambda: effective_resistance(
            4, [[0, 1], [1, 2], [2, 3]], variances=[1.0, 1.0, 1.0], max_nodes=3), (SizeCapError, "n_nodes")),
        # from_matrix: |row sum| <= 64 eps sum |row|, symmetric entrywise within 4 eps
        ContractCase("from_matrix Laplacian row sum 126 eps accepted", lambda: from_matrix(
            lap(1.0 - 126 * _EPS, 1.0, 1.0), "laplacian")),
        ContractCase("from_matrix Laplacian row sum 130 eps refused (column sum 126 eps)", lambda: from_matrix(
            lap(1.0 - 130 * _EPS, 1.0, 1.0 - 4 * _EPS), "laplacian"), (IIE, "matrix")),
        ContractCase("from_matrix adjacency entry 0 accepted", lambda: from_matrix(
            sps.csr_array(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0, 0.0]])), "adjacency")),
        ContractCase("from_matrix adjacency entry -0.5 refused", lambda: from_matrix(
            sps.csr_array(np.array([[0.0, -0.5], [-0.5, 0.0]])), "adjacency"), (IIE, "matrix")),
        # IBN and inference distances
        ContractCase("IBN variance 0 accepted", lambda: IBN(2, [[0, 1]], [0.0]).n_edges),
        ContractCase("IBN variance -1e-300 refused", lambda: IBN(2, [[0, 1]], [-1e-300]), (IIE, "variances")),
        ContractCase("IBN n_nodes 0 refused", lambda: IBN(0, np.zeros((0, 2), dtype=np.int64), []),
                     (IIE, "n_nodes")),
        ContractCase("inference_distance_exact prior_var tiny > 0 accepted", lambda: inference_distance_exact(
            g, 0, 2, prior_var=1e-3)),
        ContractCase("inference_distance_exact prior_var 0 refused", lambda: inference_distance_exact(
            g, 0, 2, prior_var=0.0), (IIE, "prior_var")),
        # random-graph and mechanism model
        ContractCase("n_for_granularity M = 1 + eps accepted", lambda: n_for_granularity(1.0 + 2 * _EPS)),
        ContractCase("n_for_granularity M = 1 refused", lambda: n_for_granularity(1.0), (IIE, "M")),
        ContractCase("chain_cost M = 2 accepted", lambda: chain_cost(2.0, 1e4, F, 0.0)),
        ContractCase("chain_cost M = M_conn accepted", lambda: chain_cost(Mc, 1e4, F, 0.0)),
        ContractCase("chain_cost M = M_conn (1 + 1e-9) refused", lambda: chain_cost(Mc * (1 + 1e-9), 1e4, F, 0.0),
                     (IIE, "M")),
        ContractCase("chain_cost M = 2 - 1e-9 refused", lambda: chain_cost(2.0 - 1e-9, 1e4, F, 0.0), (IIE, "M")),
        ContractCase("chain_cost n = 99.9 refused", lambda: chain_cost(2.0, 99.9, F, 0.0), (IIE, "n_comparisons")),
        ContractCase("chain_cost s2 = -1e-300 refused", lambda: chain_cost(2.0, 1e4, F, -1e-300), (IIE, "s2")),
        # sample_size_for_distance (tree): defined only for eps > s2 * h_T (here s2 h_T = 0.5 * 2 = 1 exactly)
        ContractCase("sample_size_for_distance tree eps = s2 h_T (1 + 1e-9) accepted", lambda: float(
            sample_size_for_distance(1.0 + 1e-9, F, 0.5, "tree", h_T=2.0))),
        ContractCase("sample_size_for_distance tree eps = s2 h_T refused", lambda: sample_size_for_distance(
            1.0, F, 0.5, "tree", h_T=2.0), (IIE, "eps")),
        ContractCase("tree_cost h_T = 0 accepted", lambda: tree_cost(1e3, F, 0.0, h_T=0.0)),
        ContractCase("tree_cost h_T = -0.5 refused", lambda: tree_cost(1e3, F, 0.0, h_T=-0.5), (IIE, "h_T")),
        ContractCase("closed_form_chain_tree_ratio h_T = 0 accepted", lambda: closed_form_chain_tree_ratio(
            1e4, 0)),
        ContractCase("closed_form_chain_tree_ratio h_T = -1 refused", lambda: closed_form_chain_tree_ratio(
            1e4, -1), (IIE, "h_T")),
        ContractCase("closed_form_chain_tree_ratio n = 0 refused", lambda: closed_form_chain_tree_ratio(0, 1),
                     (IIE, "n_comparisons")),
        ContractCase("closed_form_reff cycle N = 3 accepted", lambda: float(closed_form_reff("cycle", N=3, c=1, k=1))),
        ContractCase("closed_form_reff cycle N = 2 refused", lambda: closed_form_reff("cycle", N=2, c=1, k=1),
                     (IIE, "N")),
        ContractCase("closed_form_reff c = 0 refused", lambda: closed_form_reff("path", N=3, c=0, k=1), (IIE, "c")),
        ContractCase("closed_form_reff k = N - 1 on a path accepted", lambda: float(closed_form_reff(
            "path", N=4, c=1, k=3))),
        # universe
        ContractCase("annotation_lengths D = 1 accepted", lambda: annotation_lengths([[0], [1]], [[0, 1]])),
        ContractCase("annotation_lengths D = 0 refused", lambda: annotation_lengths(np.zeros((2, 0), dtype=int),
                                                                                     [[0, 1]]), (IIE, "responses")),
        ContractCase("annotation_lengths row index n_resp refused", lambda: annotation_lengths(resp, [[0, 3]]),
                     (IIE, "pairs")),
        ContractCase("ibn_from_universe B = 2 accepted", lambda: ibn_from_universe(
            resp % 2, 2, [1.0, 1.0], [[0, 1]], 1.0).n_nodes),
        ContractCase("ibn_from_universe segment B refused", lambda: ibn_from_universe(
            resp, 2, [1.0, 1.0], [[0, 1]], 1.0), (IIE, "responses")),
        ContractCase("ibn_from_universe tau2 = 0 refused", lambda: ibn_from_universe(
            resp, 3, [1.0, 0.0], [[0, 1]], 1.0), (IIE, "tau2")),
        ContractCase("ibn_from_universe root_only accepted", lambda: ibn_from_universe(
            resp, 3, [1.0, 1.0], [[0, 1]], 1.0, ib_sharing="root_only").n_nodes),
        ContractCase("tau_schedule D = max_depth accepted", lambda: tau_schedule(F, 2, 3, max_depth=3)),
        ContractCase("tau_schedule D = max_depth + 1 refused", lambda: tau_schedule(F, 2, 4, max_depth=3),
                     (SizeCapError, "D")),
        ContractCase("tau_schedule B = 1 refused", lambda: tau_schedule(F, 1, 3), (IIE, "B")),
    ]


def _kernel_rows() -> list[ContractCase]:
    """Rows of the JAX kernels: ``aligntheory.kernels.ibn`` (only refusals and host routes: nothing compiles)."""
    import jax

    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.errors import PrecisionError, SizeCapError
    from aligntheory.kernels.ibn import (
        chain_pairs,
        effective_resistance_dense,
        fit_bt_newton,
        mc_difference_variance,
        reff_pairs_pcg,
        tree_layout,
    )

    P2 = np.array([[0, 1], [1, 2]])
    one = np.ones(2)
    sub = 4e-309  # a subnormal conductance: resistances 1/c overflow float64
    return [
        ContractCase("effective_resistance_dense conductance 0 on a chord accepted", lambda: np.asarray(
            effective_resistance_dense(3, np.array([[0, 1], [1, 2], [0, 2]]), conductances=np.array([1.0, 1.0, 0.0])))),
        ContractCase("effective_resistance_dense conductance -0.5 refused", lambda: effective_resistance_dense(
            3, P2, conductances=np.array([-0.5, 1.0])), (IIE, "conductances")),
        ContractCase("effective_resistance_dense float edges refused", lambda: effective_resistance_dense(
            3, P2.astype(float), conductances=one), (IIE, "edges")),
        ContractCase("effective_resistance_dense empty edges, one node accepted", lambda: np.asarray(
            effective_resistance_dense(1, np.zeros((0, 2)), conductances=np.zeros(0)))),
        ContractCase("effective_resistance_dense n_nodes = max_nodes + 1 refused", lambda: effective_resistance_dense(
            3, P2, conductances=one, max_nodes=2), (SizeCapError, "n_nodes")),
        ContractCase("effective_resistance_dense conductances 1e-300 accepted", lambda: np.asarray(
            effective_resistance_dense(3, P2, conductances=np.full(2, 1e-300)))),
        ContractCase("effective_resistance_dense overflowing resistances refused", lambda: effective_resistance_dense(
            3, P2, conductances=np.full(2, sub)), (PrecisionError, None)),
        ContractCase("reff_pairs_pcg conductance -0.5 refused", lambda: reff_pairs_pcg(
            3, np.array([[0, 1], [1, 2], [0, 2]]), conductances=np.array([1.0, 1.0, -0.5]), pairs=[[0, 2]]),
            (IIE, "conductances")),
        ContractCase("fit_bt_newton wins > K refused", lambda: fit_bt_newton(
            2, np.array([[0, 1]]), np.array([3.5]), np.array([3.0]), 1.0), (IIE, "wins")),
        ContractCase("fit_bt_newton maxiter 0 refused", lambda: fit_bt_newton(
            2, np.array([[0, 1]]), np.array([1.0]), np.array([3.0]), 1.0, maxiter=0), (IIE, "maxiter")),
        ContractCase("mc_difference_variance R = 1 refused", lambda: mc_difference_variance(
            jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]), np.array([4.0]), 1.0, np.array([[0, 1]]), 1),
            (IIE, "R")),
        ContractCase("mc_difference_variance k_max < max(K) refused", lambda: mc_difference_variance(
            jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]), np.array([4.0]), 1.0, np.array([[0, 1]]), 8,
            k_max=3), (IIE, "k_max")),
        ContractCase("mc_difference_variance R N^2 over max_entries refused", lambda: mc_difference_variance(
            jax.random.PRNGKey(0), np.zeros(2), np.array([[0, 1]]), np.array([4.0]), 1.0, np.array([[0, 1]]), 8,
            max_entries=31), (SizeCapError, "R")),
        ContractCase("tree_layout b**d = max_entries accepted", lambda: tree_layout(10, 2, 3, max_entries=8)),
        ContractCase("tree_layout b**d = max_entries + 1 refused", lambda: tree_layout(10, 3, 2, max_entries=8),
                     (SizeCapError, "d")),
        ContractCase("tree_layout d = 10**9 refused before b**d", lambda: tree_layout(10, 2, 10**9),
                     (SizeCapError, "d")),
        ContractCase("tree_layout n = 0 refused", lambda: tree_layout(0, 2, 3), (IIE, "n")),
        # chain_pairs: max_entries caps 2 n D + 2 n (documented), checked before tracing
        ContractCase("chain_pairs 2nD + 2n = max_entries + 1 refused", lambda: chain_pairs(
            jax.random.PRNGKey(0), 3, 4, 2, max_entries=2 * 3 * 2 + 2 * 3 - 1), (SizeCapError, "n")),
    ]


def _r5_rows() -> list[ContractCase]:
    """Rows of issue #11 round 5: documented default caps at the cap and one past it, Laplacian row sums, ``K >= 0``.

    A default cap is pinned from both sides without paying for the work it guards: at the cap the
    call passes the size check and is then stopped, cheaply, by a later documented refusal (a
    disconnected graph, an overflowing conductance, ids out of range, ``k_max < max(K)``), whose
    error class differs from :class:`SizeCapError`; one past the cap it raises ``SizeCapError``
    before any work.
    """
    import jax
    import scipy.sparse as sps

    from aligntheory.errors import DisconnectedGraphError, PrecisionError, SizeCapError
    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.kernels.ibn import (
        effective_resistance_dense,
        fit_bt_newman,
        fit_bt_newton,
        fit_ls_continuous,
        hops_bfs,
        mc_difference_variance,
        reff_dense_cholesky,
        reff_pairs_pcg,
        reff_sketch,
        strongly_connected_dense,
        tree_layout,
    )
    from aligntheory.theory.ibn import (
        DENSE_CPU_LIMIT,
        StructuralFunction,
        effective_resistance,
        foster_sum,
        from_matrix,
        kirchhoff_index,
        laplacian,
        n_for_granularity,
        tau_schedule,
    )

    nd, nk, nsc = 10_000, 20_000, 8192  # documented defaults: DENSE_CPU_LIMIT, kernels' max_nodes, strongly_connected
    one = np.array([[0, 1]])
    far = [[0, 2]]
    F1 = StructuralFunction("poly", 1.0, 1.0)  # node 2 is isolated: a disconnected pair

    def bt(n):
        return fit_bt_newton(n, np.array([[0, n]]), np.array([1.0]), np.array([2.0]), 1.0)

    def erd(n):
        return effective_resistance_dense(n, np.array([[0, n]]), conductances=np.array([1.0]))

    def scd(n):
        return strongly_connected_dense(n, np.array([[0, n]]), np.array([1.0]), np.array([2.0]))

    def mc(R):
        return mc_difference_variance(jax.random.PRNGKey(0), np.zeros(2), one, np.array([4.0]), 1.0, one, R, k_max=3)

    def lap3(s):
        """Symmetric 3 x 3 matrix, nodes 0-1 joined (off-diagonal -1), node 2 isolated; rows 0, 1 sum to s."""
        return np.array([[1.0 + s, -1.0, 0.0], [-1.0, 1.0 + s, 0.0], [0.0, 0.0, 0.0]])

    rows = [ContractCase("DENSE_CPU_LIMIT is 10000", lambda: None if DENSE_CPU_LIMIT == nd else 1 / 0)]
    for name, call in (("effective_resistance", lambda n: effective_resistance(n, one, variances=[1.0], pairs=far)),
                       ("effective_resistance cholesky", lambda n: effective_resistance(
                           n, one, variances=[1.0], pairs=far, method="cholesky")),
                       ("kirchhoff_index", lambda n: kirchhoff_index(n, one, variances=[1.0])),
                       ("foster_sum", lambda n: foster_sum(n, one, variances=[1.0]))):
        if name == "foster_sum":  # at the cap once (the constant is shared; a disconnected graph costs ~0.07 s)
            rows.append(ContractCase(f"{name} default max_nodes: n = 10000 passes the cap (disconnected)",
                                     lambda call=call: call(nd), (DisconnectedGraphError, None)))
        rows.append(ContractCase(f"{name} default max_nodes: n = 10001 refused", lambda call=call: call(nd + 1),
                                 (SizeCapError, "n_nodes")))
    rows += [
        ContractCase("laplacian default max_nodes: n = 10000 passes the cap (conductance 1/1e-320 overflows)",
                     lambda: laplacian(nd, one, variances=[1e-320]), (PrecisionError, None)),
        ContractCase("laplacian default max_nodes: n = 10001 refused", lambda: laplacian(nd + 1, one, variances=[1.0]),
                     (SizeCapError, "n_nodes")),
        # StructuralFunction: F(M) for M >= 1 only
        ContractCase("StructuralFunction F(M = 1) accepted", lambda: F1(1.0)),
        ContractCase("StructuralFunction F(M = 1 - eps/2) refused", lambda: F1(1.0 - _EPS / 2), (IIE, "M")),
        # from_matrix: square (N, N), N >= 1; symmetric entrywise within 4 eps (relative); numpy 2-D matrices too
        ContractCase("from_matrix 2 x 3 refused", lambda: from_matrix(sps.csr_array(np.zeros((2, 3))), "adjacency"),
                     (IIE, "matrix")),
        ContractCase("from_matrix 0 x 0 refused", lambda: from_matrix(sps.csr_array(np.zeros((0, 0))), "adjacency"),
                     (IIE, "matrix")),
        ContractCase("from_matrix asymmetry 4 eps accepted", lambda: from_matrix(sps.csr_array(
            np.array([[0.0, 1.0], [1.0 + 4 * _EPS, 0.0]])), "adjacency")),
        ContractCase("from_matrix asymmetry 6 eps refused", lambda: from_matrix(sps.csr_array(
            np.array([[0.0, 1.0], [1.0 + 6 * _EPS, 0.0]])), "adjacency"), (IIE, "matrix")),
        ContractCase("effective_resistance numpy 2-D adjacency accepted", lambda: effective_resistance(
            np.array([[0.0, 2.0], [2.0, 0.0]]), matrix="adjacency", pairs=[[0, 1]])),
        # kernels: hops_bfs n_nodes >= 1; reff_dense_cholesky L of shape (N, N) or (G, N, N)
        ContractCase("hops_bfs n_nodes = 0 refused", lambda: hops_bfs(0, np.zeros((0, 2), dtype=np.int64), None,
                                                                       np.array([0])), (IIE, "n_nodes")),
        ContractCase("reff_dense_cholesky L of shape (2, 3) refused", lambda: reff_dense_cholesky(np.zeros((2, 3))),
                     (IIE, "L")),
        ContractCase("reff_dense_cholesky L of shape (3,) refused", lambda: reff_dense_cholesky(np.zeros(3)),
                     (IIE, "L")),
        ContractCase("reff_dense_cholesky L of shape (1, 1, 2, 2) refused", lambda: reff_dense_cholesky(
            np.zeros((1, 1, 2, 2))), (IIE, "L")),
        # n_for_granularity: PrecisionError where (1/2) M ln M overflows (1e305: 3.5e307; 1e306: 3.5e308)
        ContractCase("n_for_granularity M = 1e305 accepted", lambda: n_for_granularity(1e305)),
        ContractCase("n_for_granularity M = 1e306 refused (overflow)", lambda: n_for_granularity(1e306),
                     (PrecisionError, None)),
        ContractCase("shortest_path_variance default max_nodes: n = 10001 refused (full matrix)", lambda: __import__(
            "aligntheory.theory.ibn", fromlist=["x"]).shortest_path_variance(nd + 1, one, variances=[1.0]),
            (SizeCapError, "n_nodes")),
        # kernels: DEFAULT_MAX_NODES = 20000 (strongly_connected_dense: 8192), checked before the edge ids
        ContractCase("fit_bt_newton default max_nodes: n = 20000 passes the cap (edge id n)", lambda: bt(nk),
                     (IIE, "edges")),
        ContractCase("fit_bt_newton default max_nodes: n = 20001 refused", lambda: bt(nk + 1), (SizeCapError, "n_nodes")),
        ContractCase("effective_resistance_dense default max_nodes: n = 20000 passes the cap (edge id n)",
                     lambda: erd(nk), (IIE, "edges")),
        ContractCase("effective_resistance_dense default max_nodes: n = 20001 refused", lambda: erd(nk + 1),
                     (SizeCapError, "n_nodes")),
        ContractCase("strongly_connected_dense default max_nodes: n = 8192 passes the cap (edge id n)",
                     lambda: scd(nsc), (IIE, "edges")),
        ContractCase("strongly_connected_dense default max_nodes: n = 8193 refused", lambda: scd(nsc + 1),
                     (SizeCapError, "n_nodes")),
        # fit_bt_newman, reff_pairs_pcg, reff_sketch: default max_nodes 10**7; fit_ls_continuous: 20000
        *[row for name, call, cap in (
            ("fit_bt_newman", lambda n: fit_bt_newman(n, np.array([[0, n]]), np.array([1.0]), np.array([2.0]), 1.0),
             10**7),
            ("reff_pairs_pcg", lambda n: reff_pairs_pcg(n, np.array([[0, n]]), conductances=np.array([1.0]),
                                                        pairs=one), 10**7),
            ("reff_sketch", lambda n: reff_sketch(jax.random.PRNGKey(0), n, np.array([[0, n]]),
                                                  conductances=np.array([1.0]), pairs=one), 10**7),
            ("fit_ls_continuous", lambda n: fit_ls_continuous(n, np.array([[0, n]]), np.array([1.0]),
                                                              np.array([2.0]), 1.0), nk))
          for row in (ContractCase(f"{name} default max_nodes: n = {cap} passes the cap (edge id n)",
                                   lambda call=call, cap=cap: call(cap), (IIE, "edges")),
                      ContractCase(f"{name} default max_nodes: n = {cap + 1} refused",
                                   lambda call=call, cap=cap: call(cap + 1), (SizeCapError, "n_nodes")))],
        # tree_layout: default max_entries 2**28 leaves per tree; tau_schedule: default max_depth 10000
        ContractCase("tree_layout default max_entries: b**d = 2**28 accepted", lambda: tree_layout(10, 2, 28)),
        ContractCase("tree_layout default max_entries: b**d = 2**29 refused", lambda: tree_layout(10, 2, 29),
                     (SizeCapError, "d")),
        ContractCase("tau_schedule default max_depth: D = 10000 accepted", lambda: tau_schedule(F1, 2, 10_000)),
        ContractCase("tau_schedule default max_depth: D = 10001 refused", lambda: tau_schedule(F1, 2, 10_001),
                     (SizeCapError, "D")),
        # mc_difference_variance: default max_entries 2**28 caps R N^2 (N = 2)
        ContractCase("mc_difference_variance default max_entries: R N^2 = 2**28 passes the cap (k_max < max K)",
                     lambda: mc(2**26), (IIE, "k_max")),
        ContractCase("mc_difference_variance default max_entries: R N^2 = 2**28 + 4 refused", lambda: mc(2**26 + 1),
                     (SizeCapError, "R")),
        # strongly_connected_dense: K >= 0 is checked on K itself (not only through wins <= K)
        ContractCase("strongly_connected_dense K = -1 (wins 0) refused naming K", lambda: strongly_connected_dense(
            2, one, np.array([0.0]), np.array([-1.0])), (IIE, "K")),
        ContractCase("strongly_connected_dense K = 0 passes (then wins = -1 refused naming wins)",
                     lambda: strongly_connected_dense(2, one, np.array([-1.0]), np.array([0.0])), (IIE, "wins")),
        # reff_dense_cholesky: |row sum| <= 1e-10 N times the largest |diagonal entry| (N = 3: 3e-10); node 2 is
        # isolated, so a matrix that passes the row-sum test is then refused as disconnected (nothing compiles)
        ContractCase("reff_dense_cholesky rows summing to 1e-6 refused", lambda: reff_dense_cholesky(lap3(1e-6)),
                     (IIE, "L")),
        ContractCase("reff_dense_cholesky rows summing to 6e-10 (2x the tolerance) refused",
                     lambda: reff_dense_cholesky(lap3(6e-10)), (IIE, "L")),
        ContractCase("reff_dense_cholesky rows summing to 1.5e-10 (half the tolerance) pass (then disconnected)",
                     lambda: reff_dense_cholesky(lap3(1.5e-10)), (DisconnectedGraphError, None)),
    ]
    return rows


@claim(
    id="ibn.failure_contract",
    statement="The documented failure contract of the IBN pillar's public functions (theory.ibn resistance, "
    "inference distances, matrices, mechanism model, universe; kernels.ibn dense, batched and PCG resistances, BT "
    "Newton fit, dataset layout) holds at the boundary of each documented constraint: the value on the accepted "
    "side returns a finite result, the value one step outside raises the documented error class naming the "
    "argument (size caps before any work).",
    source=[Source(key="qiu2024reward", where="failure contract, docs/DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="forward:feedback",
)
def check_failure_contract(ctx: Context) -> Evidence:
    """Predicted: each row's documented outcome (docstring Parameters/Raises); measured: the call's outcome.

    No tolerance: a boundary is on one side or the other. Rows use inputs of at most four nodes,
    so the table runs in well under a second; size caps are checked before any work.
    """
    rows = _theory_rows() + _kernel_rows() + _r5_rows()
    return contract_evidence(rows)
