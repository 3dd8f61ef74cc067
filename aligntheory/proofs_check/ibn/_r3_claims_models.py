"""IBN claims of issue #11, round 3: pin quantities the earlier claims executed but did not compare.

* ``ibn.bt_fit_iteration_control`` -- :func:`aligntheory.kernels.ibn.fit_bt_newton` and
  :func:`aligntheory.kernels.ibn.fit_bt_newman` take exactly ``maxiter`` steps when ``tol`` is not
  met, and Newman's step control (omega halving down to 1/8) is the one documented: the iterates
  after ``maxiter`` steps equal those of the documented iteration written here in numpy;
* ``ibn.universe_prefix_structure`` -- :func:`aligntheory.theory.ibn.ibn_from_universe` (both
  ``ib_sharing`` modes) and :func:`aligntheory.theory.ibn.annotation_lengths` against the common
  prefixes of the responses, counted here with Python tuples;
* ``ibn.chain_cost_and_boundary_sign`` -- :func:`aligntheory.theory.ibn.chain_cost` against its
  formula, and :func:`aligntheory.theory.ibn.optimal_M`'s ``at_boundary`` against the sign of the
  derivative of that formula at :math:`\\ln M_{\\rm conn}`, differentiated by sympy.

Tolerances are fixed here, before any run.
"""

from __future__ import annotations

import math

import numpy as np

from aligntheory.proofs_check._helpers import rel_err
from aligntheory.proofs_check._registry import Context, Evidence, Source, Verdict, claim


def _newman_numpy(n: int, edges: np.ndarray, wins: np.ndarray, K: np.ndarray, beta: float, steps: int):
    """The documented Newman iteration (fit_bt_newman's docstring), written independently in numpy.

    Returns the centred scores after ``steps`` steps, the final gradient norm, the number of omega
    halvings and the smallest relative gap between consecutive gradient norms (a near tie makes the
    halving decision rounding-dependent; such instances are not used).
    """
    from scipy.special import expit

    u, v = edges[:, 0], edges[:, 1]

    def grad_parts(th):
        d = th[u] - th[v]
        s_uv = expit(-d)
        lose = K - wins
        A = np.bincount(u, wins * s_uv, n) + np.bincount(v, lose * (1.0 - s_uv), n)
        B = np.bincount(u, lose * (1.0 - s_uv), n) + np.bincount(v, wins * s_uv, n)
        return A, B

    th = np.zeros(n)
    A, B = grad_parts(th)
    gn, om, halvings, gap = beta * np.linalg.norm(A - B), 1.0, 0, np.inf
    for _ in range(steps):
        th = th + om * (np.log(A) - np.log(B))
        th = th - th.mean()
        A, B = grad_parts(th)
        g_new = beta * np.linalg.norm(A - B)
        gap = min(gap, abs(g_new - gn) / max(gn, 1e-300))
        if g_new >= gn:
            om = max(0.5 * om, 0.125)
            halvings += gn > 1e-3  # a halving away from convergence (not a rounding-level wobble)
        gn = g_new
    return (th - th.mean()) / beta, gn, halvings, gap


# a 4-cycle with lopsided counts: the simultaneous update overshoots at step 2 (gradient norm 5.7 -> larger) and
# omega halves; after 9 steps the gradient norm is still 0.10
_CYCLE = (np.array([[0, 1], [1, 2], [2, 3], [3, 0]]), np.array([1.0, 28.0, 1.0, 23.0]), np.array([2.0, 29.0, 21.0, 26.0]))
# no MLE: {0, 1} beat {2, 3} in every comparison (every item wins and loses, so Newman's logs stay finite)
_SPLIT = (np.array([[0, 1], [2, 3], [0, 2], [1, 3]]), np.array([2.0, 3.0, 4.0, 4.0]), np.array([5.0, 5.0, 4.0, 4.0]))


@claim(
    id="ibn.bt_fit_iteration_control",
    statement="fit_bt_newton and fit_bt_newman stop after exactly maxiter steps when the gradient-norm tolerance is "
    "not met (tol = 1e-300, below rounding, on data with an MLE: result max_steps_reached, and "
    "ConvergenceError(iterations=maxiter) with throw=True); a beats graph that is not strongly connected (no MLE, "
    "Ford 1957) is refused before any step (DisconnectedGraphError; disconnected with 0 iterations and NaN scores "
    "with throw=False); Newman's iterates after maxiter steps are those of the "
    "documented iteration theta_i += omega (ln A_i - ln B_i), re-centred, with omega starting at 1 and halving, "
    "down to 1/8, whenever the gradient norm fails to decrease.",
    source=[Source(key="newman2023efficient"), Source(key="ford1957solution")],
    provenance="M",
    kind="theorem",
    tolerance="iteration counts and outcomes exactly; Newman scores relative 1e-9 (floor 1e-12) and gradient norms "
    "relative 1e-9 against the numpy iteration (float64 sums of at most 40 terms per step, <= 9 steps: ~1e-14; "
    "instances whose consecutive gradient norms come within 1e-9 of each other, where the halving decision is "
    "rounding-dependent, are redrawn)",
    rice={"R"},
    stage="forward:feedback",
)
def check_bt_fit_iteration_control(ctx: Context) -> Evidence:
    """Predicted: ``maxiter`` steps at a tolerance below rounding, a refusal without an MLE (Ford's condition fails
    by inspection: {0, 1} beat {2, 3} in every comparison), and Newman's documented iteration (numpy); measured:
    the fits.

    Tolerance: counts exactly; Newman scores and gradient norms relative 1e-9, since two float64 runs of the same
    nine steps agree to ~1e-14 while a changed step rule moves them by O(1e-2).
    """
    from aligntheory.errors import ConvergenceError
    from aligntheory.kernels.ibn import fit_bt_newman, fit_bt_newton
    from aligntheory.results import RESULTS

    rng = ctx.rng(71)
    bad: list[str] = []
    # (1) tol below rounding on data with an MLE: both fitters run out of steps; no MLE: refused before any
    from aligntheory.errors import DisconnectedGraphError

    e4, w4, K4 = _CYCLE
    counts = {}
    for name, fit in (("newton", fit_bt_newton), ("newman", fit_bt_newman)):
        for m in (9,):  # the step budget of part (2): one compiled kernel per fitter
            out = fit(4, e4, w4, K4, 1.0, maxiter=m, throw=False, tol=1e-300)
            counts[f"{name} maxiter={m}"] = int(out.iterations)
            if int(out.iterations) != m or out.result is not RESULTS.max_steps_reached:
                bad.append(f"{name} maxiter={m}: {int(out.iterations)} steps, {out.result}")
            try:
                fit(4, e4, w4, K4, 1.0, maxiter=m, tol=1e-300)
                bad.append(f"{name} maxiter={m}: no ConvergenceError with throw=True")
            except ConvergenceError as exc:
                if exc.iterations != m:
                    bad.append(f"{name} maxiter={m}: ConvergenceError(iterations={exc.iterations})")
        refused = fit(4, *_SPLIT, 1.0, maxiter=9, throw=False)
        counts[f"{name} no MLE"] = int(refused.iterations)
        if not (refused.result is RESULTS.disconnected and int(refused.iterations) == 0
                and np.isnan(np.asarray(refused.scores)).all()):
            bad.append(f"{name} no MLE: {int(refused.iterations)} steps, {refused.result}")
        try:
            fit(4, *_SPLIT, 1.0, maxiter=9)
            bad.append(f"{name} no MLE: no DisconnectedGraphError with throw=True")
        except DisconnectedGraphError:
            pass
    # (2) Newman's step control against the documented iteration
    instances = [_CYCLE]
    n = 4  # one compiled shape (n_nodes and maxiter are static)
    while len(instances) < 4:
        edges = _CYCLE[0] if len(instances) % 2 else np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
        K = rng.integers(2, 40, len(edges)).astype(np.float64)
        r = rng.normal(0.0, 3.0, n)
        p = 1.0 / (1.0 + np.exp(-(r[edges[:, 0]] - r[edges[:, 1]])))
        wins = np.clip(rng.binomial(K.astype(np.int64), p), 1, K - 1).astype(np.float64)
        _, g9, h9, gap = _newman_numpy(n, edges, wins, K, 1.0, 9)
        if gap > 1e-9 and h9 >= 1 and g9 > 1e-6:  # a real halving, no near tie, not converged by step 9
            instances.append((edges, wins, K))
    worst, halvings = 0.0, []
    for edges, wins, K in instances:
        for steps in (9,):
            pred, g_pred, h, _ = _newman_numpy(n, edges, wins, K, 1.0, steps)
            out = fit_bt_newman(n, edges, wins, K, 1.0, maxiter=steps, throw=False, tol=1e-14)
            worst = max(worst, rel_err(np.asarray(out.scores), pred, floor=1e-12),
                        rel_err(float(out.grad_norm), g_pred, floor=1e-12))
            if int(out.iterations) != steps:
                bad.append(f"newman {steps} steps: {int(out.iterations)} iterations")
        halvings.append(int(h))
    if worst > 1e-9:
        bad.append(f"newman iterates: relative error {worst:.2e}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"iterations": "maxiter", "omega halvings in 9 steps per instance": halvings},
        measured={"iterations": counts, "newman max relative error": worst},
        tolerance={"counts": "exact", "newman iterates relative": 1e-9},
        why="step counts are integers; two float64 implementations of the same 9-step iteration agree to ~1e-14, "
        "while one extra step, a different halving factor or floor changes the iterates at O(1e-2) or more",
        sizes={"step-budget fits": 4, "no-MLE fits": 4, "newman instances": len(instances), "step budget": 9},
        details="; ".join(bad) if bad else f"all counts exact; newman max relative error {worst:.1e}; "
        f"halvings per instance {halvings}",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )


def _common_prefix(a: tuple, b: tuple) -> int:
    """Length of the longest common prefix of two tuples (a plain Python loop)."""
    h = 0
    while h < len(a) and a[h] == b[h]:
        h += 1
    return h


@claim(
    id="ibn.universe_prefix_structure",
    statement="ibn_from_universe builds one node for the root and one per distinct prefix of the responses "
    "(ib_sharing='prefix'), or one per distinct response (ib_sharing='root_only'); duplicate responses share a node; "
    "without HP edges the inference distance between responses whose longest common prefix has length h is "
    "2 sum_{k>h} tau_k (prefix) or 2 sum_k tau_k for distinct responses (root_only); annotation_lengths is "
    "|a| + |b| - 2 h = 2 (D - h).",
    source=[Source(key="qiu2024reward", where="§2.5 (universe and prefix sharing: our reconstruction)")],
    provenance="M",
    kind="theorem",
    tolerance="node counts, response nodes and annotation lengths exactly; distances relative 1e-12 (a path of at "
    "most 2D = 8 IB edges in a tree: the exact solver's rounding is ~1e-15)",
    rice={"R"},
    stage="forward:feedback",
)
def check_universe_prefix_structure(ctx: Context) -> Evidence:
    """Predicted: prefix counts and common-prefix lengths from Python tuples; measured: the IBN and its distances.

    Tolerance: structure exactly; distances relative 1e-12 (series variances of at most 2D edges in a tree).
    """
    from aligntheory.theory.ibn import annotation_lengths, ibn_from_universe, inference_distances

    rng = ctx.rng(72)
    B, D, n_resp = 3, 4, 14
    base = rng.integers(0, B, size=(n_resp - 3, D))
    resp = np.concatenate([base, base[:2], base[2:3]])  # three duplicated rows
    resp[-1, -1] = (resp[-1, -1] + 1) % B  # ... and one that differs from its source in the last segment only
    resp = resp[rng.permutation(n_resp)]
    tau = rng.uniform(0.2, 2.0, D)
    rows = [tuple(int(x) for x in r) for r in resp]
    pairs = np.array([(i, j) for i in range(n_resp) for j in range(i, n_resp)], dtype=np.int64)
    h = np.array([_common_prefix(rows[i], rows[j]) for i, j in pairs])
    bad: list[str] = []
    # annotation lengths
    al = annotation_lengths(resp, pairs)
    if not np.array_equal(np.asarray(al), 2 * (D - h)):
        bad.append("annotation_lengths")
    # prefix sharing: nodes = root + distinct prefixes
    g = ibn_from_universe(resp, B, tau, np.zeros((0, 2), dtype=np.int64), 1.0)
    n_pred = 1 + sum(len({r[:k] for r in rows}) for k in range(1, D + 1))
    if g.n_nodes != n_pred:
        bad.append(f"prefix: {g.n_nodes} nodes, predicted {n_pred}")
    same = np.array([rows[i] == rows[j] for i, j in pairs])
    rn = np.asarray(g.response_node)
    if not np.array_equal(rn[pairs[:, 0]] == rn[pairs[:, 1]], same):
        bad.append("prefix: response nodes of duplicates")
    tail = np.concatenate([np.cumsum(tau[::-1])[::-1], [0.0]])  # tail[h] = sum_{k > h} tau_k (1-based k)
    d_pred = 2.0 * tail[h]
    d = inference_distances(g, rn[pairs])
    err = rel_err(d, d_pred, floor=1e-12)
    # root-only: nodes = root + distinct responses, every two distinct responses 2 sum tau apart
    g0 = ibn_from_universe(resp, B, tau, np.zeros((0, 2), dtype=np.int64), 1.0, ib_sharing="root_only")
    if g0.n_nodes != 1 + len(set(rows)):
        bad.append(f"root_only: {g0.n_nodes} nodes, predicted {1 + len(set(rows))}")
    rn0 = np.asarray(g0.response_node)
    if not np.array_equal(rn0[pairs[:, 0]] == rn0[pairs[:, 1]], same):
        bad.append("root_only: response nodes of duplicates")
    d0 = inference_distances(g0, rn0[pairs])
    err = max(err, rel_err(d0, np.where(same, 0.0, 2.0 * float(np.sum(tau))), floor=1e-12))
    if err > 1e-12:
        bad.append(f"distances: relative error {err:.2e}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"prefix nodes": n_pred, "root_only nodes": 1 + len(set(rows)),
                   "annotation lengths (first 10)": (2 * (D - h))[:10].tolist()},
        measured={"prefix nodes": g.n_nodes, "root_only nodes": g0.n_nodes,
                  "annotation lengths (first 10)": np.asarray(al)[:10].tolist()},
        tolerance={"structure": "exact", "distances relative": 1e-12},
        why="the prefix tree of the responses is combinatorial (exact); an IB path in a tree has the series variance "
        "of its edges, exact to a few ulps",
        sizes={"responses": n_resp, "B": B, "D": D, "pairs": len(pairs)},
        details="; ".join(bad) if bad else f"structure exact; distances relative error {err:.1e}",
        counterexample=None if ok else {"seed": ctx.seed, "responses": resp.tolist(), "failures": bad},
    )


def _chain_cost_sympy(hops: str):
    """``(x, alpha, I, s2, n, C)``: the chain cost of the mechanism model in x = ln M for F = I M^-alpha (sympy)."""
    import sympy as sp

    x, alpha, I, s2, n = sp.symbols("x alpha I s2 n", positive=True)
    lnc = sp.log(2 * n) - x  # ln of the mean degree 2n / M
    ell = (x - sp.EulerGamma) / lnc + sp.Rational(1, 2) if hops == "fronczak" else x / lnc
    return x, alpha, I, s2, n, I * sp.exp(-alpha * x) * (1 + ell) + s2 * ell


@claim(
    id="ibn.chain_cost_and_boundary_sign",
    statement="Our mechanism model (spec ibn.md §3.4): chain_cost(M, n, F, s2) = F(M) (1 + ell) + s2 ell with "
    "ell = (ln M - gamma) / ln(2n/M) + 1/2 (Fronczak) or ln M / ln(2n/M) (asymptotic), for M in [2, M_conn(n)]; "
    "optimal_M reports the optimum on the connectivity boundary M_conn(n) = e^{W(2n)} exactly when the derivative "
    "of that cost in ln M is negative there, also for exponents within 0.1 % of the one where it vanishes.",
    source=[Source(key="qiu2024reward", where="§3.4 (mechanism model: our reconstruction)"),
            Source(key="fronczak2004average")],
    provenance="R",
    kind="theorem",
    tolerance="chain_cost relative 1e-12 (a few float64 operations; M_conn from scipy's lambertw to ~1e-15); "
    "at_boundary exactly equal to the sign of the sympy derivative (evaluated to 30 digits; at alpha = alpha* (1 -+ "
    "1e-3) the derivative is ~1e-3 F (1 + ell) away from 0, far above its rounding)",
    rice={"R"},
    stage="forward:feedback",
)
def check_chain_cost_and_boundary_sign(ctx: Context) -> Evidence:
    """Predicted: the cost formula and the sign of its sympy derivative at ln M_conn; measured: chain_cost, optimal_M.

    Tolerance: cost relative 1e-12 (closed form in float64); ``at_boundary`` exactly, tested 0.1 % on either side
    of the exponent where the derivative changes sign.
    """
    import warnings

    import sympy as sp
    from scipy.optimize import brentq
    from scipy.special import lambertw

    from aligntheory.errors import AsymptoticRangeWarning
    from aligntheory.theory.ibn import StructuralFunction, chain_cost, optimal_M

    rng = ctx.rng(73)
    bad: list[str] = []
    worst = 0.0
    flags: dict[str, list] = {}
    for hops in ("fronczak", "asymptotic"):
        x, alpha, I, s2, n, C = _chain_cost_sympy(hops)
        dC = sp.lambdify((x, alpha, I, s2, n), sp.diff(C, x), "mpmath")
        Cf = sp.lambdify((x, alpha, I, s2, n), C, "mpmath")
        for trial in range(2):
            nv = float(10 ** rng.uniform(3.0, 6.0))
            xc = float(lambertw(2.0 * nv).real)  # ln M_conn(n) = W(2n)
            Mc = math.exp(xc)
            Iv = float(rng.uniform(0.5, 2.0))
            s2v = 0.0 if trial == 0 else float(rng.uniform(0.01, 0.1)) * Iv / Mc  # s2 below F(M_conn)
            # chain_cost against the formula at random granularities and at the boundary itself
            a0 = float(rng.uniform(0.2, 1.5))
            F = StructuralFunction("poly", Iv, a0)
            for M in (2.0, float(np.exp(rng.uniform(math.log(2.0), xc))), Mc * (1 - 1e-13)):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", AsymptoticRangeWarning)
                    got = chain_cost(M, nv, F, s2v, hops=hops)
                worst = max(worst, rel_err(got, float(Cf(math.log(M), a0, Iv, s2v, nv))))
            # the exponent alpha* at which dC/dlnM vanishes at ln M_conn, and exponents on either side of it
            # (with s2 > 0 the derivative is positive again for large alpha: take the first sign change)
            grid = np.linspace(1e-3, 4.0, 400)
            vals = np.array([float(dC(xc, a, Iv, s2v, nv)) for a in grid])
            i = int(np.argmax(vals < 0))
            if not vals[i] < 0:
                bad.append(f"{hops} n={nv:.4g} s2={s2v:.3g}: no exponent with a boundary optimum in (0, 4]")
                continue
            a_star = brentq(lambda a, args=(xc, Iv, s2v, nv), d=dC: float(d(args[0], a, *args[1:])),
                            grid[i - 1], grid[i], xtol=1e-14)
            for a in (a_star * (1 - 1e-3), a_star * (1 + 1e-3), float(rng.uniform(0.05, 3.0))):
                sign_neg = float(dC(xc, a, Iv, s2v, nv)) < 0
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", AsymptoticRangeWarning)
                    at_b = bool(optimal_M(nv, StructuralFunction("poly", Iv, a), s2v, hops=hops).at_boundary)
                flags.setdefault(hops, []).append((round(a / a_star, 4), at_b))
                if at_b != sign_neg:
                    bad.append(f"{hops} n={nv:.4g} s2={s2v:.3g} alpha={a:.6g} (alpha*={a_star:.6g}): at_boundary "
                               f"{at_b}, derivative negative {sign_neg}")
    if worst > 1e-12:
        bad.append(f"chain_cost relative error {worst:.2e}")
    ok = not bad
    return Evidence(
        verdict=Verdict.of(ok),
        predicted={"at_boundary": "sign of dC/dlnM at ln M_conn < 0"},
        measured={"(alpha / alpha*, at_boundary)": flags, "chain_cost max relative error": worst},
        tolerance={"chain_cost relative": 1e-12, "at_boundary": "exact"},
        why="the cost is a closed form evaluated in float64 (~1e-15); the boundary decision is a sign, tested 0.1 % on "
        "either side of the exponent where it changes, so a wrong factor in the derivative moves the decision",
        sizes={"hops": 2, "budgets per hops": 2, "exponents per budget": 3},
        details="; ".join(bad) if bad else f"chain_cost max relative error {worst:.1e}; boundary decisions exact",
        counterexample=None if ok else {"seed": ctx.seed, "failures": bad},
    )
