"""IBN claims of issue #11, round 5, on the shared host numerics (:mod:`aligntheory.numerics`).

* ``ibn.bt_fit_boundaries`` (contract) -- every documented boundary of :func:`~aligntheory.numerics.fit_bradley_terry`,
  :func:`~aligntheory.numerics.aggregate_comparisons`, :class:`~aligntheory.numerics.LaplacianSolver`,
  :func:`~aligntheory.numerics.solve_laplacian`, :func:`~aligntheory.numerics.tree_elimination_order` and the
  two resistance routes, on both sides: the item/node caps exactly at and one past their documented defaults
  (on functions whose work does not grow with the cap value, e.g. :func:`aggregate_comparisons` is
  :math:`O(m)` in the rows), at least two items, the :math:`2^{53}` pair count, the dense caps;
* ``ibn.bt_fit_closed_forms_at_scale`` -- the fitted scores and standard errors against closed forms: two items
  (:math:`\\hat\\theta_1-\\hat\\theta_0=\\log(w_{10}/w_{01})`, stderr :math:`1/(2\\sqrt{c})`,
  :math:`c = K p(1-p)`) at counts scaled from 1 to :math:`10^{15}`, and three items (scale invariance of the
  MLE; stderr :math:`\\sqrt{\\mathrm{diag}\\,P H^{-1} P}` by numpy's inverse) with and without the prior;
* the solver and resistance-route claims are in ``_r5_bt_solver_claims.py``.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import numpy as np

from aligntheory.proofs_check._helpers import ContractCase, contract_evidence, rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim

_TWO53 = float(2**53)


def _want(got, want, what):
    """``got`` when it equals ``want``; else an AssertionError naming ``what`` (a contract row off its side)."""
    if got != want:
        raise AssertionError(f"{what}: {got!r}, documented {want!r}")
    return got


def _disconnected(call) -> tuple:
    """``(directed, components)`` of the DisconnectedGraphError ``call`` raises (AssertionError if none)."""
    from aligntheory.errors import DisconnectedGraphError

    try:
        call()
    except DisconnectedGraphError as exc:
        return exc.directed, exc.components
    raise AssertionError("no DisconnectedGraphError raised")


def _flagged(fit) -> tuple:
    """``(result, all scores NaN, iterations, stderr, solver)`` of a flagged fit."""
    return fit.result.name, bool(np.all(np.isnan(fit.scores))), fit.iterations, fit.stderr, fit.solver


def _labels_and_gap(fit) -> tuple:
    """``(labels, scores[1] - scores[0] to 12 decimals)`` of a two-item fit."""
    return fit.labels, round(float(fit.scores[1] - fit.scores[0]), 12)


def _bt_rows() -> list[ContractCase]:
    from aligntheory.errors import DisconnectedGraphError, PrecisionError, SizeCapError
    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.numerics import aggregate_comparisons, fit_bradley_terry
    from aligntheory.proofs_check.ibn import _r9_bt_claims as _r9

    e0 = np.zeros((0, 2), np.int64)
    two = [[0, 1], [1, 0]]
    return [
        # at least two items (Raises: InvalidInputError comparisons)
        ContractCase("fit 1 item refused", lambda: fit_bradley_terry(e0, n_items=1), (IIE, "comparisons")),
        ContractCase("fit 2 items accepted", lambda: fit_bradley_terry(two).scores),
        ContractCase("fit 2 named items accepted", lambda: fit_bradley_terry([("a", "b"), ("b", "a")]).scores),
        # ids other than integers are hashable names, sorted: booleans too (True beat False 2 of 3: log 2)
        ContractCase("fit boolean ids are the names (False, True)", lambda: _want(_labels_and_gap(fit_bradley_terry(
            [[True, False], [False, True], [True, False]])), ((False, True), round(float(np.log(2.0)), 12)),
            "labels, score gap")),
        # max_items: default 10,000,000 (DEFAULT_MAX_ITEMS); aggregation is O(m), so the cap value itself is cheap
        ContractCase("aggregate n_items = 10,000,000 (default cap) accepted",
                     lambda: aggregate_comparisons(10_000_000, [[0, 9_999_999]]).wins),
        ContractCase("aggregate n_items = 10,000,001 refused", lambda: aggregate_comparisons(
            10_000_001, [[0, 1]]), (SizeCapError, "n_items")),
        ContractCase("aggregate max_items = 10,000,001 accepts 10,000,001", lambda: aggregate_comparisons(
            10_000_001, [[0, 1]], max_items=10_000_001).K),
        ContractCase("fit n_items = max_items = 3 accepted", lambda: fit_bradley_terry(
            [[0, 1], [1, 2], [2, 0]], n_items=3, max_items=3).scores),
        ContractCase("fit n_items = 4 > max_items = 3 refused", lambda: fit_bradley_terry(
            [[0, 1], [1, 2], [2, 0]], n_items=4, max_items=3), (SizeCapError, "n_items")),
        ContractCase("fit 3 labels, max_items = 2 refused", lambda: fit_bradley_terry(
            [("a", "b"), ("b", "a")], labels=["a", "b", "c"], max_items=2), (SizeCapError, "n_items")),
        # max_items is at most 2**30 (aggregate_comparisons)
        ContractCase("aggregate n_items = 2**30 accepted (max_items 2**31)", lambda: aggregate_comparisons(
            2**30, [[2**30 - 1, 0]], max_items=2**31).K),
        ContractCase("aggregate n_items = 2**30 + 1 refused (max_items 2**31)", lambda: aggregate_comparisons(
            2**30 + 1, [[0, 1]], max_items=2**31), (SizeCapError, "n_items")),
        # stderr="exact" at most 20000 items (checked before any work; a disconnected set returns flagged)
        ContractCase("fit stderr='exact' 20000 items accepted", lambda: _want(fit_bradley_terry(
            two, n_items=20_000, stderr="exact", throw=False).result.name, "disconnected", "result")),
        ContractCase("fit stderr='exact' 20001 items refused", lambda: fit_bradley_terry(
            two, n_items=20_001, stderr="exact", throw=False), (SizeCapError, "stderr")),
        # a pair compared more than 2**53 times is refused
        ContractCase("fit pair count 2**53 accepted", lambda: fit_bradley_terry(
            [[1, 0], [0, 1]], counts=[0.75 * _TWO53, 0.25 * _TWO53]).scores),
        ContractCase("fit pair count 2**53 + 2 refused", lambda: fit_bradley_terry(
            [[1, 0], [0, 1]], counts=[0.75 * _TWO53, 0.25 * _TWO53 + 2.0]), (PrecisionError, None)),
        # options
        ContractCase("fit tol 0 refused", lambda: fit_bradley_terry(two, tol=0.0), (IIE, "tol")),
        ContractCase("fit maxiter 1 accepted", lambda: fit_bradley_terry(two, maxiter=1, throw=False).scores),
        ContractCase("fit maxiter 0 refused", lambda: fit_bradley_terry(two, maxiter=0), (IIE, "maxiter")),
        ContractCase("fit prior_strength -1e-300 refused", lambda: fit_bradley_terry(
            two, prior_strength=-1e-300), (IIE, "prior_strength")),
        ContractCase("fit beta 0 refused", lambda: fit_bradley_terry(two, beta=0.0), (IIE, "beta")),
        ContractCase("fit self-comparison refused", lambda: fit_bradley_terry([[0, 1], [1, 1]]), (IIE, "comparisons")),
        ContractCase("fit counts -1e-300 refused", lambda: fit_bradley_terry(two, counts=[1.0, -1e-300]),
                     (IIE, "counts")),
        # degenerate data: an item never compared needs the prior; no rows at all aggregate to nothing
        ContractCase("fit uncompared label with prior accepted", lambda: fit_bradley_terry(
            [("a", "b"), ("b", "a")], labels=["a", "b", "c"], prior_strength=1.0).scores),
        ContractCase("fit uncompared label without prior refused", lambda: fit_bradley_terry(
            [("a", "b"), ("b", "a")], labels=["a", "b", "c"]), (DisconnectedGraphError, None)),
        ContractCase("aggregate no rows is empty", lambda: _want(len(aggregate_comparisons(2, e0).K), 0, "pairs")),
        # ids: floats holding integers are integer ids; other floats and rows that are not pairs are refused
        ContractCase("aggregate float ids holding integers accepted", lambda: _want(aggregate_comparisons(
            3, [[0.0, 1.0], [2.0, 1.0]]).edges.tolist(), [[0, 1], [1, 2]], "edges")),
        ContractCase("aggregate float id 0.5 refused", lambda: aggregate_comparisons(3, [[0.5, 1.0]]),
                     (IIE, "comparisons")),
        # the compiled route (accelerator="numba") refuses the same rows: non-integral float ids, rows that are
        # not pairs, ids outside [0, n), self-comparisons; an empty 1-D array is no rows
        ContractCase("aggregate numba float id 1.5 refused", lambda: aggregate_comparisons(
            3, [[0.0, 1.5]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba 1-D int rows refused", lambda: aggregate_comparisons(
            3, np.array([0, 1]), accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba empty 1-D int array is no rows", lambda: _want(len(aggregate_comparisons(
            3, np.zeros(0, np.int64), accelerator="numba").K), 0, "pairs")),
        ContractCase("aggregate numba id n = 3 refused", lambda: aggregate_comparisons(
            3, [[0, 1], [0, 3]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba winner id n = 3 refused", lambda: aggregate_comparisons(
            3, [[0, 1], [3, 0]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba id -1 refused", lambda: aggregate_comparisons(
            3, [[0, 1], [-1, 2]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba loser id -1 refused", lambda: aggregate_comparisons(
            3, [[0, 1], [2, -1]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba self-comparison refused", lambda: aggregate_comparisons(
            3, [[0, 1], [2, 2]], accelerator="numba"), (IIE, "comparisons")),
        ContractCase("aggregate numba id n - 1 = 2 accepted", lambda: _want(aggregate_comparisons(
            3, [[2, 0], [1, 2]], accelerator="numba").edges.tolist(), [[0, 2], [1, 2]], "edges")),
        # accelerator="auto": the compiled route from 20000 comparison rows on (bit for bit), numpy below
        ContractCase("fit auto with 20000 rows is the compiled route", lambda: _want(
            _r9._auto_route_bits(20_000), (True, False), "(auto == numba, auto == numpy) bit for bit")),
        ContractCase("fit auto with 19999 rows is the numpy route", lambda: _want(
            _r9._auto_route_bits(19_999), (False, True), "(auto == numba, auto == numpy) bit for bit")),
        # a dataset without MLE: DisconnectedGraphError(directed=True) naming the strongly connected components,
        # or with throw=False a result 'disconnected' with NaN scores, no iterations and no standard errors
        ContractCase("fit disconnected error is directed with its components", lambda: _want(_disconnected(
            lambda: fit_bradley_terry([("a", "b"), ("b", "a")], labels=["a", "b", "c"])), (True, [[0, 1], [2]]),
            "directed, components")),
        ContractCase("fit disconnected throw=False: NaN scores, 0 iterations, no stderr", lambda: _want(_flagged(
            fit_bradley_terry([("a", "b"), ("b", "a")], labels=["a", "b", "c"], throw=False)),
            ("disconnected", True, 0, None, "none"), "result, NaN scores, iterations, stderr, solver")),
        # stderr="auto": exact up to 2000 items, not computed above
        ContractCase("fit stderr='auto' 2001 items not computed", lambda: _want(fit_bradley_terry(
            [[0, 1], [1, 0]], n_items=2001, prior_strength=1.0).stderr is None, True, "stderr is None")),
        ContractCase("fit float ids without n_items: max id + 1 items", lambda: _want(fit_bradley_terry(
            [[0.0, 150.0], [150.0, 0.0]], prior_strength=1.0, stderr="none").n_items, 151, "n_items")),
        # names that cannot be ordered keep their types (numpy would make them strings) and their first-seen order
        ContractCase("fit mixed ids ('x', 3) keep their types", lambda: _want(_labels_and_gap(fit_bradley_terry(
            [("x", 3), (3, "x"), ("x", 3)])), (("x", 3), round(float(-np.log(2.0)), 12)), "labels, score gap")),
        ContractCase("fit no named rows refused (two items needed)", lambda: fit_bradley_terry(
            np.empty((0, 2), dtype=object)), (IIE, "comparisons")),
        ContractCase("fit no rows, n_items = 3 with prior: scores 0", lambda: _want(fit_bradley_terry(
            np.zeros((0, 2)), n_items=3, prior_strength=1.0).scores.tolist(), [0.0, 0.0, 0.0], "scores")),
        # labels: at least one; n_items, when given with labels, must equal len(labels)
        ContractCase("fit labels=[] refused", lambda: fit_bradley_terry([("a", "b")], labels=[]), (IIE, "labels")),
        ContractCase("fit labels with n_items = len(labels) accepted", lambda: _want(fit_bradley_terry(
            [("a", "b"), ("b", "a")], labels=["a", "b"], n_items=2).labels, ("a", "b"), "labels")),
        ContractCase("fit labels with n_items = len(labels) + 1 refused", lambda: fit_bradley_terry(
            [("a", "b"), ("b", "a")], labels=["a", "b"], n_items=3), (IIE, "n_items")),
        ContractCase("fit ragged named rows refused", lambda: fit_bradley_terry([("a", "b"), ("c",)]),
                     (IIE, "comparisons")),
    ]


def _solve_inf(S, conductance: bool = False) -> str:
    """Result name of ``S.solve`` (3 nodes) on ``b = (inf, 0, -1)`` with unit conductances, or on ``b = (1, 0, -1)``
    with conductances ``(1, inf)`` (CG's inf - inf is expected)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if conductance:
            return S.solve(np.array([1.0, np.inf]), np.array([1.0, 0.0, -1.0])).result.name
        return S.solve(np.ones(2), np.array([np.inf, 0.0, -1.0])).result.name


def _graph_rows() -> list[ContractCase]:
    from aligntheory.errors import InvalidInputError as IIE
    from aligntheory.errors import PrecisionError, SizeCapError
    from aligntheory.numerics import (
        LaplacianSolver,
        effective_resistance_all_pairs,
        effective_resistance_pairs,
        solve_laplacian,
        tree_elimination_order,
    )

    P2 = [[0, 1], [1, 2]]
    b3 = [1.0, 0.0, -1.0]
    e1 = [[0, 1]]
    e0 = np.zeros((0, 2), np.int64)
    return [
        # LaplacianSolver.solve: a non-finite right-hand side is flagged 'nonfinite' (NaN solution), never raised
        *(ContractCase(f"LaplacianSolver {m} solve of b with inf flagged nonfinite", lambda m=m: _want(_solve_inf(
            LaplacianSolver(3, P2, method=m)), "nonfinite", "result")) for m in ("dense", "splu", "pcg")),
        # ... and an infinite conductance never raises either (round 7: the PCG route's LU fallback raised RuntimeError)
        *(ContractCase(f"LaplacianSolver {m} solve with an infinite conductance flagged", lambda m=m: _want(_solve_inf(
            LaplacianSolver(3, P2, method=m), conductance=True) in ("inaccurate", "nonfinite"), True, "flagged"))
          for m in ("dense", "splu", "pcg")),
        # node caps: default 10,000,000 (DEFAULT_MAX_NODES), checked before any allocation
        ContractCase("LaplacianSolver 10,000,001 nodes refused", lambda: LaplacianSolver(10_000_001, e1),
                     (SizeCapError, "n_nodes")),
        ContractCase("solve_laplacian 10,000,001 nodes refused", lambda: solve_laplacian(
            10_000_001, e1, [1.0, -1.0], conductances=[1.0]), (SizeCapError, "n_nodes")),
        ContractCase("tree_elimination_order 10,000,001 nodes refused", lambda: tree_elimination_order(
            10_000_001, e1), (SizeCapError, "n_nodes")),
        ContractCase("solve_laplacian n = max_nodes = 3 accepted", lambda: solve_laplacian(
            3, P2, b3, conductances=[1.0, 1.0], max_nodes=3).x),
        ContractCase("solve_laplacian n = 3 > max_nodes = 2 refused", lambda: solve_laplacian(
            3, P2, b3, conductances=[1.0, 1.0], max_nodes=2), (SizeCapError, "n_nodes")),
        ContractCase("tree_elimination_order n = max_nodes = 3 accepted", lambda: tree_elimination_order(
            3, P2, max_nodes=3).order),
        ContractCase("tree_elimination_order n = 3 > max_nodes = 2 refused", lambda: tree_elimination_order(
            3, P2, max_nodes=2), (SizeCapError, "n_nodes")),
        # method="dense": at most 20000 nodes (the constructor builds only O(N + E) structures)
        ContractCase("LaplacianSolver dense 20000 nodes accepted", lambda: _want(LaplacianSolver(
            20_000, e1, method="dense").method, "dense", "method")),
        ContractCase("LaplacianSolver dense 20001 nodes refused", lambda: LaplacianSolver(
            20_001, e1, method="dense"), (SizeCapError, "n_nodes")),
        ContractCase("LaplacianSolver tree on a cycle refused", lambda: LaplacianSolver(
            3, [[0, 1], [1, 2], [0, 2]], method="tree"), (IIE, "method")),
        ContractCase("solve_laplacian b summing to 1e-6 refused", lambda: solve_laplacian(
            3, P2, [1.0, 0.0, -1.0 + 1e-6], conductances=[1.0, 1.0]), (IIE, "b")),
        # effective_resistance_all_pairs: max_nodes default 20000; max_dynamic_range default 1e8
        ContractCase("all_pairs 20001 nodes refused (default cap 20000)", lambda: effective_resistance_all_pairs(
            20_001, e1, conductances=[1.0]), (SizeCapError, "n_nodes")),
        ContractCase("all_pairs n = max_nodes = 3 accepted", lambda: effective_resistance_all_pairs(
            3, P2, conductances=[1.0, 1.0], max_nodes=3)),
        ContractCase("all_pairs conductances spanning 1e8 accepted", lambda: effective_resistance_all_pairs(
            3, P2, conductances=[1.0, 1e8])),
        ContractCase("all_pairs conductances spanning 1.0001e8 refused", lambda: effective_resistance_all_pairs(
            3, P2, conductances=[1.0, 1.0001e8]), (PrecisionError, None)),
        # effective_resistance_pairs: max_nodes default 50,000,000; rtol <= 1e-4; "auto" is AMG from 20000 nodes
        ContractCase("pairs 50,000,001 nodes refused", lambda: effective_resistance_pairs(
            50_000_001, e1, [[0, 1]], conductances=[1.0]), (SizeCapError, "n_nodes")),
        ContractCase("pairs rtol 1e-4 accepted", lambda: effective_resistance_pairs(
            3, P2, [[0, 2]], conductances=[1.0, 1.0], rtol=1e-4).values),
        ContractCase("pairs rtol 1.0001e-4 refused", lambda: effective_resistance_pairs(
            3, P2, [[0, 2]], conductances=[1.0, 1.0], rtol=1.0001e-4), (IIE, "rtol")),
        ContractCase("pairs auto at 20000 nodes is amg", lambda: _want(effective_resistance_pairs(
            20_000, e1, [[0, 0]], conductances=[1.0]).method, "amg", "method")),
        ContractCase("pairs auto at 19999 nodes is splu", lambda: _want(effective_resistance_pairs(
            19_999, e1, [[0, 0]], conductances=[1.0]).method, "splu", "method")),
        # single-node and empty inputs (n_nodes >= 1; no edges)
        ContractCase("all_pairs 1 node is [[0]]", lambda: _want(effective_resistance_all_pairs(
            1, e0, conductances=[]).tolist(), [[0.0]], "R")),
        ContractCase("all_pairs 0 nodes refused", lambda: effective_resistance_all_pairs(
            0, e0, conductances=[]), (IIE, "n_nodes")),
        ContractCase("solve_laplacian 1 node, no edges, b = 0 is x = 0", lambda: _want(solve_laplacian(
            1, e0, [0.0], conductances=[]).x.tolist(), [0.0], "x")),
        ContractCase("tree_elimination_order 1 node is a root", lambda: _want(tree_elimination_order(
            1, e0).is_root.tolist(), [True], "is_root")),
        ContractCase("pairs of one node are 0", lambda: _want(effective_resistance_pairs(
            3, P2, [[1, 1], [0, 2]], conductances=[1.0, 1.0]).values[0], 0.0, "R_11")),
    ]


@claim(
    id="ibn.bt_fit_boundaries",
    statement="The documented boundaries of the shared host numerics hold on both sides: fit_bradley_terry needs "
    "two items, takes boolean ids as names and mixed ids with their types, refuses ragged rows and non-integral "
    "float ids, reports the disconnected outcome as documented, computes stderr='auto' only up to 2000 items, refuses more than max_items (default 10,000,000, at most 2**30) items, stderr='exact' above 20000 "
    "items and a pair compared more than 2**53 times; aggregate_comparisons accepts exactly the cap; the Laplacian "
    "solvers refuse more than 10,000,000 nodes (dense: 20000); effective_resistance_all_pairs refuses more than "
    "20000 nodes and conductances spanning more than 1e8; effective_resistance_pairs refuses more than 50,000,000 "
    "nodes and rtol > 1e-4 and takes AMG from 20000 nodes.",
    source=[Source(key="newman2023efficient"), Source(key="qiu2024reward", where="failure contract, DESIGN.md §7")],
    provenance="M",
    kind="contract",
    tolerance="exact: each documented boundary on its documented side",
    rice={"R"},
    stage="forward:feedback",
)
def check_bt_fit_boundaries(ctx: Context) -> Evidence:
    """Predicted: each row's documented outcome (docstring Parameters/Raises/defaults); measured: the call's outcome.

    No tolerance: a boundary is on one side or the other. Caps of 10^7 items/nodes are tested where the work
    does not grow with the cap (aggregation is O(rows); refusals come before any allocation).
    """
    return contract_evidence(_bt_rows() + _graph_rows())


def _fit_two(a, b, s, method, prior=0.0):
    from aligntheory.numerics import fit_bradley_terry

    return fit_bradley_terry([[1, 0], [0, 1]], counts=[a * s, b * s], method=method, prior_strength=prior,
                             accelerator="numpy")


@claim(
    id="ibn.bt_fit_closed_forms_at_scale",
    statement="fit_bradley_terry returns the MLE and its standard errors to working precision for every pair count "
    "up to 2**53: for two items with w_10 = a s, w_01 = b s the score difference is log(a/b) and each centred score's "
    "standard error is 1/(2 sqrt(s a b/(a+b))) at s = 1 ... 2**53/(a+b) (every method); for three items the scores at counts "
    "s W equal those at W (s = 1e12) and the standard errors are sqrt(diag(P H^-1 P)) / sqrt(s), H the Fisher "
    "matrix (plus the prior's diagonal, at the uncentred MAP) at the fitted scores, inverted by numpy.",
    source=[Source(key="newman2023efficient"), Source(key="hendrickx2019graph")],
    provenance="M",
    kind="theorem",
    tolerance="two-item differences within 1e-12 absolute (a few ulps of log(a/b) <= 2.2 plus the stopping rule's "
    "<= 16 eps relative gradient: theta error <= ~4e-15 (a+b)^2/(ab) <= 1e-13); standard errors 1e-10 relative; "
    "three-item scores within 1e-9 absolute of the unscaled fit (Fisher eigenvalues >= ~10 at W: gradient floor "
    "16 eps ||d|| gives <= ~1e-12); standard errors 1e-9 relative",
    rice={"R"},
    stage="backward:assurance",
)
def check_bt_fit_closed_forms_at_scale(ctx: Context) -> Evidence:
    """Predicted: closed forms written here (two items) and numpy's inverse of the Fisher matrix written here
    (three items); measured: ``fit_bradley_terry`` scores and ``stderr``.

    Tolerance: see the decorator; fixed before any run. A stopping rule below the gradient's rounding floor
    raised ``ConvergenceError`` here (counts >= ~1e6), a requirement of three items refused the two-item fits.
    """
    from scipy.special import expit

    from aligntheory.numerics import fit_bradley_terry

    rng = ctx.rng(501)
    a, b = (int(x) for x in rng.choice(np.arange(1, 10), 2, replace=False))
    bad: list[str] = []
    worst_d, worst_se = 0.0, 0.0
    for s in (1.0, 1e4, 1e8, 1e12, float(np.floor(_TWO53 / (a + b)))):  # the last: a pair total at 2**53
        for method in ("auto", "newton", "newman"):
            try:
                fit = _fit_two(a, b, s, method)
            except Exception as exc:  # noqa: BLE001 -- a refusal at a valid count is the failure measured
                bad.append(f"two items s={s:.0e} {method}: {type(exc).__name__}: {exc}"[:200])
                continue
            d = float(fit.scores[1] - fit.scores[0])
            worst_d = max(worst_d, abs(d - np.log(a / b)))
            se_pred = 0.5 / np.sqrt(s * a * b / (a + b))
            worst_se = max(worst_se, rel_err(fit.stderr, [se_pred, se_pred]) if fit.stderr is not None else np.inf)
    if not worst_d <= 1e-12:
        bad.append(f"two items: score difference off log(a/b) by {worst_d:.2e}")
    if not worst_se <= 1e-10:
        bad.append(f"two items: stderr relative error {worst_se:.2e}")
    # three items, all six directions compared
    W = rng.integers(1, 200, (3, 3)).astype(float)
    rows = [(i, j) for i in range(3) for j in range(3) if i != j]
    worst_s3, worst_se3 = 0.0, 0.0
    for prior in (0.0, 2.0):
        base = fit_bradley_terry(rows, counts=[W[i, j] for i, j in rows], prior_strength=prior, accelerator="numpy")
        big = fit_bradley_terry(rows, counts=[1e12 * W[i, j] for i, j in rows], prior_strength=prior * 1e12,
                                accelerator="numpy")
        worst_s3 = max(worst_s3, float(np.max(np.abs(big.scores - base.scores))))
        th = np.asarray(base.scores, float)
        if prior > 0:
            # the fit reports centred scores; the prior's curvature is at the uncentred MAP, whose shift m solves
            # the summed stationarity condition sum_i (1/2 - sigma(r_i + m)) = 0 (the Laplacian part of the
            # gradient sums to zero). Before round 13 the library and this prediction both used m = 0.
            from scipy.optimize import brentq

            th = th + brentq(lambda m, r=th: float(np.sum(expit(r + m))) - 1.5, -50.0, 50.0, xtol=1e-15)
        H = np.zeros((3, 3))
        for i, j in rows:
            c = W[i, j] * expit(th[i] - th[j]) * expit(th[j] - th[i])
            H[i, i] += c
            H[j, j] += c
            H[i, j] -= c
            H[j, i] -= c
        if prior > 0:
            H += np.diag(prior * expit(th) * expit(-th))
            P = np.eye(3) - 1.0 / 3
            C = P @ np.linalg.inv(H) @ P
        else:
            C = np.linalg.pinv(H)
        se = np.sqrt(np.diag(C))
        worst_se3 = max(worst_se3, rel_err(base.stderr, se), rel_err(big.stderr, se / np.sqrt(1e12)))
    if not worst_s3 <= 1e-9:
        bad.append(f"three items: scores at 1e12 W off those at W by {worst_s3:.2e}")
    if not worst_se3 <= 1e-9:
        bad.append(f"three items: stderr relative error {worst_se3:.2e}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"score difference": float(np.log(a / b)), "two-item stderr at s=1": 0.5 / np.sqrt(a * b / (a + b)),
                   "three-item stderr": "sqrt(diag(P H^-1 P))"},
        measured={"worst two-item difference error": worst_d, "worst two-item stderr rel error": worst_se,
                  "worst three-item score shift at 1e12": worst_s3, "worst three-item stderr rel error": worst_se3},
        tolerance={"two-item difference": 1e-12, "stderr": 1e-10, "three-item scores": 1e-9, "three-item stderr": 1e-9},
        why="closed forms exact; the fit stops at the gradient's rounding floor, so it is exact to working precision",
        sizes={"a": a, "b": b, "scales": "1, 1e4, 1e8, 1e12, floor(2**53 / (a + b))"},
        details="; ".join(bad) if bad else f"two items (a, b) = ({a}, {b}) exact to {worst_d:.1e} at every scale",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
